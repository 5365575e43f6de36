//! The verilated SCU tops, one clock edge at a time: `scu_wb_w16` and `scu_wb_w128` through
//! [`AnyScu`] (the Wishbone slave's inputs and outputs, with the meaning of the gate's golden
//! model `scu_golden::gate::Gate::step`), and `scu_axi_w16` through [`AnyScuAxi`] (every
//! AXI4-Lite channel).
//!
//! Both also run whole bus transactions ([`AnyScu::read32`], [`AnyScuAxi::write32`], …) with
//! the TRNG's raw bits supplied by the caller one clock at a time: a [`RawSource`] returns
//! `(raw, raw_valid)` for each cycle.
//!
//! Inputs power up random under `--x-initial unique`, like a bus that is not driven yet, so
//! `new` drives every input to 0 before its reset edge.

use crate::models::{ScuAxiW16, ScuWbW128, ScuWbW16, ScuWbW32, ScuWbW64};
use crate::{HasReset, Sim, SimOptions};

/// The Wishbone top's inputs during one cycle (`cyc_stb` drives both `wb_cyc` and `wb_stb`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScuIn {
    pub cyc_stb: bool,
    pub we: bool,
    /// Byte address; the port has 12 bits (higher ones are dropped) and the SCU ignores
    /// bits 1:0.
    pub adr: u32,
    pub dat_w: u32,
    /// `wb_priv`: 1 = privileged.
    pub privileged: bool,
    pub raw: bool,
    pub raw_valid: bool,
}

/// The Wishbone top's outputs after an edge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScuOut {
    pub ack: bool,
    pub dat_r: u32,
    pub alert: bool,
    pub irq: bool,
}

/// The TRNG's raw bits, one `(raw, raw_valid)` per clock.
pub type RawSource<'a> = &'a mut dyn FnMut() -> (bool, bool);

/// What one bus transaction did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Xfer {
    /// Read data (0 for a write).
    pub data: u32,
    /// Clock edges the transaction took, from the first cycle the request was presented to
    /// the edge that completed it (Wishbone: the end of the `ack` cycle; AXI: the B or R
    /// handshake).
    pub cycles: u64,
    /// `alert` / `irq` were high after at least one of those edges.
    pub alert: bool,
    pub irq: bool,
}

/// The Wishbone SCU top's ports, for either width.
pub trait ScuPorts: HasReset {
    fn set_inputs(&mut self, i: ScuIn);
    fn outputs(&self) -> ScuOut;
}

macro_rules! scu_ports {
    ($t:ty) => {
        impl ScuPorts for $t {
            #[inline]
            fn set_inputs(&mut self, i: ScuIn) {
                self.set_wb_cyc(u64::from(i.cyc_stb));
                self.set_wb_stb(u64::from(i.cyc_stb));
                self.set_wb_we(u64::from(i.we));
                self.set_wb_adr(u64::from(i.adr & 0xfff));
                self.set_wb_dat_w(u64::from(i.dat_w));
                self.set_wb_priv(u64::from(i.privileged));
                self.set_trng_raw(u64::from(i.raw));
                self.set_trng_raw_valid(u64::from(i.raw_valid));
            }
            #[inline]
            fn outputs(&self) -> ScuOut {
                ScuOut {
                    ack: self.wb_ack() != 0,
                    dat_r: self.wb_dat_r() as u32,
                    alert: self.alert() != 0,
                    irq: self.irq() != 0,
                }
            }
        }
    };
}

scu_ports!(ScuWbW16);
scu_ports!(ScuWbW32);
scu_ports!(ScuWbW64);
scu_ports!(ScuWbW128);

/// One verilated Wishbone SCU.
pub struct ScuSim<M: ScuPorts> {
    pub sim: Sim<M>,
}

impl<M: ScuPorts> ScuSim<M> {
    /// Every input 0, then one reset edge.
    pub fn new(options: SimOptions) -> Self {
        let mut s = ScuSim {
            sim: Sim::<M>::create(options),
        };
        s.sim.set_inputs(ScuIn::default());
        s.reset(false, false);
        s
    }

    /// One edge with `reset` high, the bus idle and the raw bits as given.
    pub fn reset(&mut self, raw: bool, raw_valid: bool) -> ScuOut {
        self.sim.set_inputs(ScuIn {
            raw,
            raw_valid,
            ..ScuIn::default()
        });
        self.sim.set_reset(true);
        self.sim.tick();
        self.sim.set_reset(false);
        self.sim.outputs()
    }

    /// Inputs `i` for one cycle; the outputs after its edge.
    #[inline]
    pub fn step(&mut self, i: ScuIn) -> ScuOut {
        self.sim.set_inputs(i);
        self.sim.tick();
        self.sim.outputs()
    }
}

/// A Wishbone SCU of any verilated width, chosen at run time.
pub enum AnyScu {
    W16(ScuSim<ScuWbW16>),
    W32(ScuSim<ScuWbW32>),
    W64(ScuSim<ScuWbW64>),
    W128(ScuSim<ScuWbW128>),
}

impl AnyScu {
    /// Every input 0, then one reset edge.
    pub fn new(w: usize, options: SimOptions) -> Result<Self, String> {
        Ok(match w {
            16 => AnyScu::W16(ScuSim::new(options)),
            32 => AnyScu::W32(ScuSim::new(options)),
            64 => AnyScu::W64(ScuSim::new(options)),
            128 => AnyScu::W128(ScuSim::new(options)),
            _ => {
                return Err(format!(
                    "no SCU model for word width {w} (verilated: {:?})",
                    Self::widths()
                ))
            }
        })
    }

    /// The word widths with a verilated `scu_wb_w<W>`.
    pub fn widths() -> &'static [usize] {
        &[16, 32, 64, 128]
    }

    pub fn width(&self) -> usize {
        match self {
            AnyScu::W16(_) => 16,
            AnyScu::W32(_) => 32,
            AnyScu::W64(_) => 64,
            AnyScu::W128(_) => 128,
        }
    }

    /// One edge with `reset` high (bus idle).
    pub fn reset(&mut self, raw: bool, raw_valid: bool) {
        match self {
            AnyScu::W16(s) => s.reset(raw, raw_valid),
            AnyScu::W32(s) => s.reset(raw, raw_valid),
            AnyScu::W64(s) => s.reset(raw, raw_valid),
            AnyScu::W128(s) => s.reset(raw, raw_valid),
        };
    }

    /// Inputs `i` for one cycle; the outputs after its edge.
    #[inline]
    pub fn step(&mut self, i: ScuIn) -> ScuOut {
        match self {
            AnyScu::W16(s) => s.step(i),
            AnyScu::W32(s) => s.step(i),
            AnyScu::W64(s) => s.step(i),
            AnyScu::W128(s) => s.step(i),
        }
    }

    /// Clock edges run so far (reset edges included).
    pub fn cycles(&self) -> u64 {
        match self {
            AnyScu::W16(s) => s.sim.cycles(),
            AnyScu::W32(s) => s.sim.cycles(),
            AnyScu::W64(s) => s.sim.cycles(),
            AnyScu::W128(s) => s.sim.cycles(),
        }
    }

    /// One Wishbone classic access: the request is held until the edge that ends the `ack`
    /// cycle (so the bus is free from the next cycle on: 3 edges per access).
    pub fn access(
        &mut self,
        we: bool,
        adr: u32,
        dat_w: u32,
        privileged: bool,
        raw: RawSource,
    ) -> Xfer {
        let mut x = Xfer::default();
        loop {
            let (r, rv) = raw();
            let o = self.step(ScuIn {
                cyc_stb: true,
                we,
                adr,
                dat_w,
                privileged,
                raw: r,
                raw_valid: rv,
            });
            x.cycles += 1;
            x.alert |= o.alert;
            x.irq |= o.irq;
            if o.ack {
                x.data = o.dat_r;
                break;
            }
            assert!(x.cycles < 16, "scu_wb: no ack within 16 cycles");
        }
        let (r, rv) = raw();
        let o = self.step(ScuIn {
            cyc_stb: true,
            we,
            adr,
            dat_w,
            privileged,
            raw: r,
            raw_valid: rv,
        });
        x.cycles += 1;
        x.alert |= o.alert;
        x.irq |= o.irq;
        x
    }

    pub fn read32(&mut self, adr: u32, privileged: bool, raw: RawSource) -> Xfer {
        self.access(false, adr, 0, privileged, raw)
    }

    pub fn write32(&mut self, adr: u32, data: u32, privileged: bool, raw: RawSource) -> Xfer {
        self.access(true, adr, data, privileged, raw)
    }

    /// `n` idle cycles; whether `alert` / `irq` were seen.
    pub fn idle(&mut self, n: u64, raw: RawSource) -> Xfer {
        let mut x = Xfer::default();
        for _ in 0..n {
            let (r, rv) = raw();
            let o = self.step(ScuIn {
                raw: r,
                raw_valid: rv,
                ..ScuIn::default()
            });
            x.cycles += 1;
            x.alert |= o.alert;
            x.irq |= o.irq;
        }
        x
    }
}

// ---------------------------------------------------------------------------------------
// AXI4-Lite

/// The AXI top's inputs during one cycle, channel by channel. `*prot` and `wstrb` are the
/// raw 3- and 4-bit fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AxiIn {
    pub awvalid: bool,
    pub awaddr: u32,
    pub awprot: u8,
    pub wvalid: bool,
    pub wdata: u32,
    pub wstrb: u8,
    pub bready: bool,
    pub arvalid: bool,
    pub araddr: u32,
    pub arprot: u8,
    pub rready: bool,
    pub raw: bool,
    pub raw_valid: bool,
}

/// The AXI top's outputs after an edge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AxiOut {
    pub awready: bool,
    pub wready: bool,
    pub bvalid: bool,
    pub bresp: u8,
    pub arready: bool,
    pub rvalid: bool,
    pub rdata: u32,
    pub rresp: u8,
    pub alert: bool,
    pub irq: bool,
}

pub trait ScuAxiPorts: HasReset {
    fn set_inputs(&mut self, i: AxiIn);
    fn outputs(&self) -> AxiOut;
}

impl ScuAxiPorts for ScuAxiW16 {
    #[inline]
    fn set_inputs(&mut self, i: AxiIn) {
        self.set_s_axi_awvalid(u64::from(i.awvalid));
        self.set_s_axi_awaddr(u64::from(i.awaddr));
        self.set_s_axi_awprot(u64::from(i.awprot));
        self.set_s_axi_wvalid(u64::from(i.wvalid));
        self.set_s_axi_wdata(u64::from(i.wdata));
        self.set_s_axi_wstrb(u64::from(i.wstrb));
        self.set_s_axi_bready(u64::from(i.bready));
        self.set_s_axi_arvalid(u64::from(i.arvalid));
        self.set_s_axi_araddr(u64::from(i.araddr));
        self.set_s_axi_arprot(u64::from(i.arprot));
        self.set_s_axi_rready(u64::from(i.rready));
        self.set_trng_raw(u64::from(i.raw));
        self.set_trng_raw_valid(u64::from(i.raw_valid));
    }
    #[inline]
    fn outputs(&self) -> AxiOut {
        AxiOut {
            awready: self.s_axi_awready() != 0,
            wready: self.s_axi_wready() != 0,
            bvalid: self.s_axi_bvalid() != 0,
            bresp: self.s_axi_bresp() as u8,
            arready: self.s_axi_arready() != 0,
            rvalid: self.s_axi_rvalid() != 0,
            rdata: self.s_axi_rdata() as u32,
            rresp: self.s_axi_rresp() as u8,
            alert: self.alert() != 0,
            irq: self.irq() != 0,
        }
    }
}

/// One verilated AXI SCU; remembers the outputs of the last edge, which are what a master
/// sees (`*ready`, `*valid`) during the current cycle.
pub struct ScuAxiSim<M: ScuAxiPorts> {
    pub sim: Sim<M>,
    last: AxiOut,
}

impl<M: ScuAxiPorts> ScuAxiSim<M> {
    pub fn new(options: SimOptions) -> Self {
        let mut s = ScuAxiSim {
            sim: Sim::<M>::create(options),
            last: AxiOut::default(),
        };
        s.sim.set_inputs(AxiIn::default());
        s.reset(false, false);
        s
    }

    pub fn reset(&mut self, raw: bool, raw_valid: bool) -> AxiOut {
        self.sim.set_inputs(AxiIn {
            raw,
            raw_valid,
            ..AxiIn::default()
        });
        self.sim.set_reset(true);
        self.sim.tick();
        self.sim.set_reset(false);
        self.last = self.sim.outputs();
        self.last
    }

    #[inline]
    pub fn step(&mut self, i: AxiIn) -> AxiOut {
        self.sim.set_inputs(i);
        self.sim.tick();
        self.last = self.sim.outputs();
        self.last
    }

    /// The outputs during the current cycle (after the last edge).
    pub fn last(&self) -> AxiOut {
        self.last
    }
}

/// An AXI SCU of any verilated width (only `scu_axi_w16` is verilated: the bridge does not
/// depend on the width).
pub enum AnyScuAxi {
    W16(ScuAxiSim<ScuAxiW16>),
}

/// `AxPROT` for a (non-)privileged, secure, data access.
fn prot(privileged: bool) -> u8 {
    u8::from(privileged)
}

impl AnyScuAxi {
    pub fn new(w: usize, options: SimOptions) -> Result<Self, String> {
        match w {
            16 => Ok(AnyScuAxi::W16(ScuAxiSim::new(options))),
            _ => Err(format!(
                "no AXI SCU model for word width {w} (verilated: {:?})",
                Self::widths()
            )),
        }
    }

    pub fn widths() -> &'static [usize] {
        &[16]
    }

    pub fn reset(&mut self, raw: bool, raw_valid: bool) {
        match self {
            AnyScuAxi::W16(s) => s.reset(raw, raw_valid),
        };
    }

    /// Inputs `i` for one cycle; the outputs after its edge.
    #[inline]
    pub fn step(&mut self, i: AxiIn) -> AxiOut {
        match self {
            AnyScuAxi::W16(s) => s.step(i),
        }
    }

    /// The outputs during the current cycle.
    pub fn last(&self) -> AxiOut {
        match self {
            AnyScuAxi::W16(s) => s.last(),
        }
    }

    /// A write: AW and W presented together until each is accepted, then B taken with
    /// `bready` high. Panics unless BRESP is OKAY (the SCU never answers otherwise).
    pub fn write32(&mut self, addr: u32, data: u32, privileged: bool, raw: RawSource) -> Xfer {
        let (mut aw, mut w) = (false, false);
        let mut x = Xfer::default();
        loop {
            let (r, rv) = raw();
            let before = self.last();
            let o = self.step(AxiIn {
                awvalid: !aw,
                awaddr: addr,
                awprot: prot(privileged),
                wvalid: !w,
                wdata: data,
                wstrb: 0xf,
                bready: true,
                raw: r,
                raw_valid: rv,
                ..AxiIn::default()
            });
            x.cycles += 1;
            x.alert |= o.alert;
            x.irq |= o.irq;
            // A handshake happens at the edge where valid and ready were both high.
            aw |= before.awready;
            w |= before.wready;
            if before.bvalid {
                assert_eq!(before.bresp, 0, "scu_axi: BRESP not OKAY");
                return x;
            }
            assert!(x.cycles < 32, "scu_axi: no B within 32 cycles");
        }
    }

    /// A read: AR presented until accepted, then R taken with `rready` high.
    pub fn read32(&mut self, addr: u32, privileged: bool, raw: RawSource) -> Xfer {
        let mut ar = false;
        let mut x = Xfer::default();
        loop {
            let (r, rv) = raw();
            let before = self.last();
            let o = self.step(AxiIn {
                arvalid: !ar,
                araddr: addr,
                arprot: prot(privileged),
                rready: true,
                raw: r,
                raw_valid: rv,
                ..AxiIn::default()
            });
            x.cycles += 1;
            x.alert |= o.alert;
            x.irq |= o.irq;
            ar |= before.arready;
            if before.rvalid {
                assert_eq!(before.rresp, 0, "scu_axi: RRESP not OKAY");
                x.data = before.rdata;
                return x;
            }
            assert!(x.cycles < 32, "scu_axi: no R within 32 cycles");
        }
    }

    /// `n` cycles with every channel idle.
    pub fn idle(&mut self, n: u64, raw: RawSource) -> Xfer {
        let mut x = Xfer::default();
        for _ in 0..n {
            let (r, rv) = raw();
            let o = self.step(AxiIn {
                raw: r,
                raw_valid: rv,
                ..AxiIn::default()
            });
            x.cycles += 1;
            x.alert |= o.alert;
            x.irq |= o.irq;
        }
        x
    }
}
