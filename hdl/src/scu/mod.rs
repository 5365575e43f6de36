//! The SCU tops (`docs/scu.md`): the gate, the engine and the TRNG core behind one Wishbone
//! B4 classic slave (`scu_wb_w<W>`), and the same core behind an AXI4-Lite slave
//! (`scu_axi_w<W>`).
//!
//! The engine (parallel or serial, `socket.rs`) and the TRNG keep the module names they have
//! when emitted on their own (`scu_engine_w<W>` / `scu_engine_serial_w<W>`,
//! `scu_trng_h<mbit>`), and the AXI top instantiates `scu_wb_w<W>`
//! itself, so one output directory holds each module exactly once and the co-simulated
//! engine and TRNG are the very modules inside the SCU.

pub mod lane_port;
pub mod socket;

use crate::bus::axi_lite::AxiLiteBridge;
use crate::emit::{self, Design};
use crate::gate::Gate;
use crate::preset::Params;
use crate::trng::{core_name, Trng};
use rust_hdl::prelude::*;
use scu_golden::engine::cycles::Datapath;
use serde_json::json;
use socket::EngineSocket;
use std::collections::BTreeMap;

pub fn wb_name(w: usize) -> String {
    format!("scu_wb_w{w}")
}

pub fn axi_name(w: usize) -> String {
    format!("scu_axi_w{w}")
}

/// Gate + engine + TRNG core with a Wishbone B4 classic slave port (see `docs/gate.md` for
/// the timing: `ack` two cycles after the request is sampled).
#[derive(LogicBlock)]
pub struct ScuWb<const W: usize, const P: usize, const SW: usize, const CW: usize> {
    pub clock: Signal<In, Clock>,
    /// Synchronous, active high; the SCU is busy zeroizing for 256 cycles afterwards.
    pub reset: Signal<In, Bit>,
    pub wb_cyc: Signal<In, Bit>,
    pub wb_stb: Signal<In, Bit>,
    pub wb_we: Signal<In, Bit>,
    /// Byte address; bits 1:0 are ignored (every register is a 32-bit word).
    pub wb_adr: Signal<In, Bits<12>>,
    pub wb_dat_w: Signal<In, Bits<32>>,
    /// Wishbone address tag: 1 = privileged access.
    pub wb_priv: Signal<In, Bit>,
    pub wb_ack: Signal<Out, Bit>,
    pub wb_dat_r: Signal<Out, Bits<32>>,
    /// Raw entropy bits (ring-oscillator cell on silicon, noise model in co-simulation).
    pub trng_raw: Signal<In, Bit>,
    pub trng_raw_valid: Signal<In, Bit>,
    /// One-cycle pulse per violation or TRNG alarm.
    pub alert: Signal<Out, Bit>,
    /// One-cycle pulse when a command (or ZEROIZE) has finished.
    pub irq: Signal<Out, Bit>,

    gate: Gate,
    engine: EngineSocket,
    trng: Trng,
}

pub type ScuWbW16 = ScuWb<16, 32, 33, 17>;
pub type ScuWbW32 = ScuWb<32, 64, 65, 33>;
pub type ScuWbW64 = ScuWb<64, 128, 129, 65>;
pub type ScuWbW128 = ScuWb<128, 256, 257, 129>;

impl<const W: usize, const P: usize, const SW: usize, const CW: usize> ScuWb<W, P, SW, CW> {
    pub fn new(params: &Params) -> Self {
        assert_eq!(params.word_width, W, "parameters for another word width");
        Self {
            clock: Default::default(),
            reset: Default::default(),
            wb_cyc: Default::default(),
            wb_stb: Default::default(),
            wb_we: Default::default(),
            wb_adr: Default::default(),
            wb_dat_w: Default::default(),
            wb_priv: Default::default(),
            wb_ack: Default::default(),
            wb_dat_r: Default::default(),
            trng_raw: Default::default(),
            trng_raw_valid: Default::default(),
            alert: Default::default(),
            irq: Default::default(),
            gate: Gate::new(&params.gate()),
            engine: EngineSocket::new::<W, P, SW, CW>(params.datapath),
            trng: Trng::new(params.trng_min_entropy),
        }
    }
}

impl<const W: usize, const P: usize, const SW: usize, const CW: usize> Logic
    for ScuWb<W, P, SW, CW>
{
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clock, gate, engine, trng);
        self.gate.reset.next = self.reset.val();
        self.engine.reset.next = self.reset.val();
        self.trng.reset.next = self.reset.val();

        self.gate.cyc_stb.next = self.wb_cyc.val() & self.wb_stb.val();
        self.gate.we.next = self.wb_we.val();
        self.gate.adr.next = self.wb_adr.val().get_bits::<10>(2);
        self.gate.dat_w.next = self.wb_dat_w.val();
        self.gate.privileged.next = self.wb_priv.val();
        self.wb_ack.next = self.gate.ack.val();
        self.wb_dat_r.next = self.gate.dat_r.val();
        self.alert.next = self.gate.alert.val();
        self.irq.next = self.gate.irq.val();

        self.engine.start.next = self.gate.eng_start.val();
        self.engine.cmd.next = self.gate.eng_cmd.val();
        self.gate.eng_done.next = self.engine.done.val();
        self.gate.eng_status.next = self.engine.status.val();
        self.engine.host_we.next = self.gate.host_we.val();
        self.engine.host_re.next = self.gate.host_re.val();
        self.engine.host_addr.next = self.gate.host_addr.val();
        self.engine.host_lane.next = self.gate.host_lane.val();
        self.engine.host_wdata.next = self.gate.host_wdata.val();
        self.gate.host_rdata.next = self.engine.host_rdata.val();

        // The core runs whenever the SCU does: its startup test follows reset.
        self.trng.enable.next = true;
        self.trng.raw.next = self.trng_raw.val();
        self.trng.raw_valid.next = self.trng_raw_valid.val();
        self.trng.rnd_ready.next = self.gate.rnd_ready.val();
        self.gate.rnd.next = self.trng.rnd.val();
        self.gate.rnd_valid.next = self.trng.rnd_valid.val();
        self.gate.trng_alarm.next = self.trng.alarm.val();
        self.gate.trng_alarm_test.next = self.trng.alarm_test.val();
        self.gate.trng_startup.next = self.trng.startup_done.val();
        self.gate.trng_rct_fails.next = self.trng.rct_fail_count.val();
        self.gate.trng_apt_fails.next = self.trng.apt_fail_count.val();
        self.gate.trng_lag_fails.next = self.trng.lag_fail_count.val();
        self.gate.trng_samples.next = self.trng.sample_count.val();
        self.gate.trng_alarm_sample.next = self.trng.alarm_sample.val();
    }
}

/// The same core behind an AXI4-Lite slave (`crate::bus::axi_lite`).
#[derive(LogicBlock)]
pub struct ScuAxi<const W: usize, const P: usize, const SW: usize, const CW: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub s_axi_awvalid: Signal<In, Bit>,
    pub s_axi_awready: Signal<Out, Bit>,
    pub s_axi_awaddr: Signal<In, Bits<12>>,
    pub s_axi_awprot: Signal<In, Bits<3>>,
    pub s_axi_wvalid: Signal<In, Bit>,
    pub s_axi_wready: Signal<Out, Bit>,
    pub s_axi_wdata: Signal<In, Bits<32>>,
    pub s_axi_wstrb: Signal<In, Bits<4>>,
    pub s_axi_bvalid: Signal<Out, Bit>,
    pub s_axi_bready: Signal<In, Bit>,
    pub s_axi_bresp: Signal<Out, Bits<2>>,
    pub s_axi_arvalid: Signal<In, Bit>,
    pub s_axi_arready: Signal<Out, Bit>,
    pub s_axi_araddr: Signal<In, Bits<12>>,
    pub s_axi_arprot: Signal<In, Bits<3>>,
    pub s_axi_rvalid: Signal<Out, Bit>,
    pub s_axi_rready: Signal<In, Bit>,
    pub s_axi_rdata: Signal<Out, Bits<32>>,
    pub s_axi_rresp: Signal<Out, Bits<2>>,
    pub trng_raw: Signal<In, Bit>,
    pub trng_raw_valid: Signal<In, Bit>,
    pub alert: Signal<Out, Bit>,
    pub irq: Signal<Out, Bit>,

    bridge: AxiLiteBridge,
    core: ScuWb<W, P, SW, CW>,
}

pub type ScuAxiW16 = ScuAxi<16, 32, 33, 17>;
pub type ScuAxiW32 = ScuAxi<32, 64, 65, 33>;
pub type ScuAxiW64 = ScuAxi<64, 128, 129, 65>;
pub type ScuAxiW128 = ScuAxi<128, 256, 257, 129>;

impl<const W: usize, const P: usize, const SW: usize, const CW: usize> ScuAxi<W, P, SW, CW> {
    pub fn new(params: &Params) -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            s_axi_awvalid: Default::default(),
            s_axi_awready: Default::default(),
            s_axi_awaddr: Default::default(),
            s_axi_awprot: Default::default(),
            s_axi_wvalid: Default::default(),
            s_axi_wready: Default::default(),
            s_axi_wdata: Default::default(),
            s_axi_wstrb: Default::default(),
            s_axi_bvalid: Default::default(),
            s_axi_bready: Default::default(),
            s_axi_bresp: Default::default(),
            s_axi_arvalid: Default::default(),
            s_axi_arready: Default::default(),
            s_axi_araddr: Default::default(),
            s_axi_arprot: Default::default(),
            s_axi_rvalid: Default::default(),
            s_axi_rready: Default::default(),
            s_axi_rdata: Default::default(),
            s_axi_rresp: Default::default(),
            trng_raw: Default::default(),
            trng_raw_valid: Default::default(),
            alert: Default::default(),
            irq: Default::default(),
            bridge: Default::default(),
            core: ScuWb::new(params),
        }
    }
}

impl<const W: usize, const P: usize, const SW: usize, const CW: usize> Logic
    for ScuAxi<W, P, SW, CW>
{
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clock, bridge, core);
        self.bridge.reset.next = self.reset.val();
        self.core.reset.next = self.reset.val();

        self.bridge.s_axi_awvalid.next = self.s_axi_awvalid.val();
        self.s_axi_awready.next = self.bridge.s_axi_awready.val();
        self.bridge.s_axi_awaddr.next = self.s_axi_awaddr.val();
        self.bridge.s_axi_awprot.next = self.s_axi_awprot.val();
        self.bridge.s_axi_wvalid.next = self.s_axi_wvalid.val();
        self.s_axi_wready.next = self.bridge.s_axi_wready.val();
        self.bridge.s_axi_wdata.next = self.s_axi_wdata.val();
        self.bridge.s_axi_wstrb.next = self.s_axi_wstrb.val();
        self.s_axi_bvalid.next = self.bridge.s_axi_bvalid.val();
        self.bridge.s_axi_bready.next = self.s_axi_bready.val();
        self.s_axi_bresp.next = self.bridge.s_axi_bresp.val();
        self.bridge.s_axi_arvalid.next = self.s_axi_arvalid.val();
        self.s_axi_arready.next = self.bridge.s_axi_arready.val();
        self.bridge.s_axi_araddr.next = self.s_axi_araddr.val();
        self.bridge.s_axi_arprot.next = self.s_axi_arprot.val();
        self.s_axi_rvalid.next = self.bridge.s_axi_rvalid.val();
        self.bridge.s_axi_rready.next = self.s_axi_rready.val();
        self.s_axi_rdata.next = self.bridge.s_axi_rdata.val();
        self.s_axi_rresp.next = self.bridge.s_axi_rresp.val();

        self.core.wb_cyc.next = self.bridge.wb_cyc.val();
        self.core.wb_stb.next = self.bridge.wb_stb.val();
        self.core.wb_we.next = self.bridge.wb_we.val();
        self.core.wb_adr.next = self.bridge.wb_adr.val();
        self.core.wb_dat_w.next = self.bridge.wb_dat_w.val();
        self.core.wb_priv.next = self.bridge.wb_priv.val();
        self.bridge.wb_ack.next = self.core.wb_ack.val();
        self.bridge.wb_dat_r.next = self.core.wb_dat_r.val();

        self.core.trng_raw.next = self.trng_raw.val();
        self.core.trng_raw_valid.next = self.trng_raw_valid.val();
        self.alert.next = self.core.alert.val();
        self.irq.next = self.core.irq.val();
    }
}

/// Sub-block module names inside `scu_wb_w<W>` that are the standalone modules: the engine
/// (the serial one is the socket's module itself, the parallel one sits behind the lane
/// adapter) and the TRNG core.
pub(crate) fn core_names(params: &Params) -> BTreeMap<String, String> {
    let wb = wb_name(params.word_width);
    let engine = match params.datapath {
        Datapath::Parallel => format!("{wb}__engine__core"),
        Datapath::Serial => format!("{wb}__engine"),
    };
    BTreeMap::from([
        (engine, crate::preset::engine_name(params)),
        (format!("{wb}__trng"), core_name(params.trng_min_entropy)),
    ])
}

fn scu_design(
    preset: &str,
    params: &Params,
    top: String,
    (modules, ports): (Vec<emit::Module>, Vec<emit::Port>),
) -> Design {
    let c = params.trng_min_entropy.cutoffs();
    Design {
        block: "scu".into(),
        preset: preset.into(),
        top,
        params: BTreeMap::from([
            ("word_width".to_string(), json!(params.word_width)),
            ("datapath".to_string(), json!(params.datapath.name())),
            ("slots".to_string(), json!(params.slots)),
            ("randomize".to_string(), json!(params.randomize)),
            (
                "trng_min_entropy".to_string(),
                json!(f64::from(params.trng_min_entropy.millibits()) / 1000.0),
            ),
            ("trng_rct_cutoff".to_string(), json!(c.rct)),
            ("trng_apt_cutoff".to_string(), json!(c.apt)),
        ]),
        modules,
        ports,
        clock: Some("clock".into()),
        reset: Some("reset".into()),
    }
}

/// `scu_wb_w<W>`: gate + engine + TRNG core, Wishbone.
pub fn wb_design(preset: &str, params: &Params) -> Result<Design, String> {
    params.validate()?;
    let top = wb_name(params.word_width);
    let names = core_names(params);
    let emitted = match params.word_width {
        16 => emit::emit_named(&top, &mut ScuWbW16::new(params), &names)?,
        32 => emit::emit_named(&top, &mut ScuWbW32::new(params), &names)?,
        64 => emit::emit_named(&top, &mut ScuWbW64::new(params), &names)?,
        128 => emit::emit_named(&top, &mut ScuWbW128::new(params), &names)?,
        _ => unreachable!("validated"),
    };
    Ok(scu_design(preset, params, top, emitted))
}

/// `scu_axi_w<W>`: the AXI4-Lite bridge in front of `scu_wb_w<W>`.
pub fn axi_design(preset: &str, params: &Params) -> Result<Design, String> {
    params.validate()?;
    let top = axi_name(params.word_width);
    let mut names = core_names(params);
    names.insert(format!("{top}__core"), wb_name(params.word_width));
    let emitted = match params.word_width {
        16 => emit::emit_named(&top, &mut ScuAxiW16::new(params), &names)?,
        32 => emit::emit_named(&top, &mut ScuAxiW32::new(params), &names)?,
        64 => emit::emit_named(&top, &mut ScuAxiW64::new(params), &names)?,
        128 => emit::emit_named(&top, &mut ScuAxiW128::new(params), &names)?,
        _ => unreachable!("validated"),
    };
    Ok(scu_design(preset, params, top, emitted))
}
