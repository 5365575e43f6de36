//! Runs commands on the Verilated engine (`scu_engine_w16/32/64`) the way a host would: write
//! the inputs through the host port, pulse `start`, wait for `done`, read the outputs — and
//! record every register-file write the microcode makes, which is the lock-step trace the
//! golden model's `RunResult::writes` is compared with.

use crate::models::{
    ScuEngineSerialW16, ScuEngineSerialW32, ScuEngineW128, ScuEngineW16, ScuEngineW32, ScuEngineW64,
};
use crate::{HasReset, Sim, SimOptions};
use num_bigint::BigUint;

/// More cycles than any command takes at any width (VERIFY at W16 is about 6 M); reaching it
/// means the RTL hangs.
pub const MAX_CYCLES: u64 = 50_000_000;

/// What one command did on the RTL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtlRun {
    /// The `status` port when `done` pulsed.
    pub status: u8,
    /// The requested output registers, read after `done` (whatever the status).
    pub outputs: Vec<BigUint>,
    /// Edges from the one sampling `start` through the one after which `done` is high.
    pub cycles: u64,
    /// Every register-file write between start and done, in order (empty unless traced).
    pub writes: Vec<(u8, BigUint)>,
}

/// The engine's ports, for any word width.
pub trait EnginePorts: HasReset {
    fn set_start(&mut self, v: u64);
    fn set_cmd(&mut self, v: u64);
    fn set_host_we(&mut self, v: u64);
    fn set_host_re(&mut self, v: u64);
    fn set_host_addr(&mut self, v: u64);
    fn set_host_wdata_big(&mut self, v: &BigUint);
    fn set_host_wmask(&mut self, v: u64);
    fn host_rdata_big(&self) -> BigUint;
    fn done(&self) -> u64;
    fn busy(&self) -> u64;
    fn status(&self) -> u64;
    fn rf_we(&self) -> u64;
    fn rf_waddr(&self) -> u64;
    fn rf_wdata_big(&self) -> BigUint;
}

macro_rules! engine_ports {
    ($t:ty) => {
        impl EnginePorts for $t {
            fn set_start(&mut self, v: u64) {
                <$t>::set_start(self, v)
            }
            fn set_cmd(&mut self, v: u64) {
                <$t>::set_cmd(self, v)
            }
            fn set_host_we(&mut self, v: u64) {
                <$t>::set_host_we(self, v)
            }
            fn set_host_re(&mut self, v: u64) {
                <$t>::set_host_re(self, v)
            }
            fn set_host_addr(&mut self, v: u64) {
                <$t>::set_host_addr(self, v)
            }
            fn set_host_wdata_big(&mut self, v: &BigUint) {
                <$t>::set_host_wdata_big(self, v)
            }
            fn set_host_wmask(&mut self, v: u64) {
                <$t>::set_host_wmask(self, v)
            }
            fn host_rdata_big(&self) -> BigUint {
                <$t>::host_rdata_big(self)
            }
            fn done(&self) -> u64 {
                <$t>::done(self)
            }
            fn busy(&self) -> u64 {
                <$t>::busy(self)
            }
            fn status(&self) -> u64 {
                <$t>::status(self)
            }
            fn rf_we(&self) -> u64 {
                <$t>::rf_we(self)
            }
            fn rf_waddr(&self) -> u64 {
                <$t>::rf_waddr(self)
            }
            fn rf_wdata_big(&self) -> BigUint {
                <$t>::rf_wdata_big(self)
            }
        }
    };
}

engine_ports!(ScuEngineW16);
engine_ports!(ScuEngineW32);
engine_ports!(ScuEngineW64);
engine_ports!(ScuEngineW128);

/// One engine model, reset and idle between commands.
pub struct EngineSim<M: EnginePorts> {
    pub sim: Sim<M>,
}

impl<M: EnginePorts> EngineSim<M> {
    pub fn new(options: SimOptions) -> Self {
        let mut sim = Sim::<M>::create(options);
        // Inputs power up random (`--x-initial unique`), like a bus that is not driven yet:
        // drive every control input before reset is released.
        sim.set_start(0);
        sim.set_cmd(0);
        sim.set_host_we(0);
        sim.set_host_re(0);
        sim.set_host_addr(0);
        // Whole-register host writes: the lane mask is the gate's, not this driver's.
        sim.set_host_wmask(0xff);
        sim.reset(2);
        EngineSim { sim }
    }

    /// Writes `inputs` (register, raw value < 2^256), runs `cmd`, reads `outputs`.
    pub fn run(
        &mut self,
        cmd: u8,
        inputs: &[(u8, BigUint)],
        outputs: &[u8],
        trace: bool,
    ) -> Result<RtlRun, String> {
        let top = <M as crate::Model>::TOP;
        if self.sim.busy() != 0 {
            return Err(format!("{top}: busy before start"));
        }
        for (r, v) in inputs {
            if v.bits() > 256 {
                return Err(format!("{top}: input to r{r} exceeds 256 bits"));
            }
            self.sim.set_host_addr(u64::from(*r));
            self.sim.set_host_wdata_big(v);
            self.sim.set_host_we(1);
            self.sim.tick();
        }
        self.sim.set_host_we(0);

        self.sim.set_cmd(u64::from(cmd));
        self.sim.set_start(1);
        self.sim.tick();
        self.sim.set_start(0);
        let mut cycles = 1u64;
        let mut writes = Vec::new();
        loop {
            if self.sim.done() != 0 {
                break;
            }
            if cycles >= MAX_CYCLES {
                return Err(format!("{top}: no done within {MAX_CYCLES} cycles"));
            }
            // A write shows on the port during the cycle before the edge that performs it.
            if trace && self.sim.rf_we() != 0 {
                writes.push((self.sim.rf_waddr() as u8, self.sim.rf_wdata_big()));
            }
            self.sim.tick();
            cycles += 1;
        }
        let status = self.sim.status() as u8;
        if self.sim.busy() != 0 {
            return Err(format!("{top}: busy while done"));
        }
        let mut outs = Vec::with_capacity(outputs.len());
        for &r in outputs {
            outs.push(self.read_reg(r));
        }
        Ok(RtlRun {
            status,
            outputs: outs,
            cycles,
            writes,
        })
    }

    /// Reads register `r` through the host port (engine idle).
    pub fn read_reg(&mut self, r: u8) -> BigUint {
        self.sim.set_host_addr(u64::from(r));
        self.sim.set_host_re(1);
        self.sim.tick();
        self.sim.set_host_re(0);
        self.sim.host_rdata_big()
    }
}

/// The serial-datapath engine's ports (`scu_engine_serial_w<W>`): a 32-bit host lane port,
/// and a W-bit trace of register-file writes addressed `{register, word}`.
pub trait SerialEnginePorts: HasReset {
    /// Word width W.
    const W: usize;
    fn set_start(&mut self, v: u64);
    fn set_cmd(&mut self, v: u64);
    fn set_host_we(&mut self, v: u64);
    fn set_host_re(&mut self, v: u64);
    fn set_host_addr(&mut self, v: u64);
    fn set_host_lane(&mut self, v: u64);
    fn set_host_wdata(&mut self, v: u64);
    fn host_rdata(&self) -> u64;
    fn done(&self) -> u64;
    fn busy(&self) -> u64;
    fn status(&self) -> u64;
    fn rf_we(&self) -> u64;
    fn rf_waddr(&self) -> u64;
    fn rf_wdata(&self) -> u64;
}

macro_rules! serial_engine_ports {
    ($t:ty, $w:expr) => {
        impl SerialEnginePorts for $t {
            const W: usize = $w;
            fn set_start(&mut self, v: u64) {
                <$t>::set_start(self, v)
            }
            fn set_cmd(&mut self, v: u64) {
                <$t>::set_cmd(self, v)
            }
            fn set_host_we(&mut self, v: u64) {
                <$t>::set_host_we(self, v)
            }
            fn set_host_re(&mut self, v: u64) {
                <$t>::set_host_re(self, v)
            }
            fn set_host_addr(&mut self, v: u64) {
                <$t>::set_host_addr(self, v)
            }
            fn set_host_lane(&mut self, v: u64) {
                <$t>::set_host_lane(self, v)
            }
            fn set_host_wdata(&mut self, v: u64) {
                <$t>::set_host_wdata(self, v)
            }
            fn host_rdata(&self) -> u64 {
                <$t>::host_rdata(self)
            }
            fn done(&self) -> u64 {
                <$t>::done(self)
            }
            fn busy(&self) -> u64 {
                <$t>::busy(self)
            }
            fn status(&self) -> u64 {
                <$t>::status(self)
            }
            fn rf_we(&self) -> u64 {
                <$t>::rf_we(self)
            }
            fn rf_waddr(&self) -> u64 {
                <$t>::rf_waddr(self)
            }
            fn rf_wdata(&self) -> u64 {
                <$t>::rf_wdata(self)
            }
        }
    };
}

serial_engine_ports!(ScuEngineSerialW16, 16);
serial_engine_ports!(ScuEngineSerialW32, 32);

/// One serial engine model. The host side moves each 256-bit value as 8 lanes, and the trace
/// joins the word writes of each register back into one `(register, value)` entry when its
/// last word is written — the order the golden model records whole writes in.
pub struct SerialEngineSim<M: SerialEnginePorts> {
    pub sim: Sim<M>,
}

impl<M: SerialEnginePorts> SerialEngineSim<M> {
    const WORDS: usize = 256 / M::W;

    pub fn new(options: SimOptions) -> Self {
        let mut sim = Sim::<M>::create(options);
        sim.set_start(0);
        sim.set_cmd(0);
        sim.set_host_we(0);
        sim.set_host_re(0);
        sim.set_host_addr(0);
        sim.set_host_lane(0);
        sim.reset(2);
        SerialEngineSim { sim }
    }

    fn lane_of(v: &BigUint, j: usize) -> u64 {
        let w: BigUint = (v >> (32 * j)) & BigUint::from(u32::MAX);
        w.iter_u64_digits().next().unwrap_or(0)
    }

    /// Writes register `r` lane by lane through the host port (engine idle).
    pub fn write_reg(&mut self, r: u8, v: &BigUint) {
        for j in 0..8 {
            self.sim.set_host_addr(u64::from(r));
            self.sim.set_host_lane(j as u64);
            self.sim.set_host_wdata(Self::lane_of(v, j));
            self.sim.set_host_we(1);
            self.sim.tick();
        }
        self.sim.set_host_we(0);
    }

    /// Reads register `r` lane by lane through the host port (engine idle).
    pub fn read_reg(&mut self, r: u8) -> BigUint {
        let mut v = BigUint::default();
        for j in 0..8 {
            self.sim.set_host_addr(u64::from(r));
            self.sim.set_host_lane(j as u64);
            self.sim.set_host_re(1);
            self.sim.tick();
            v |= BigUint::from(self.sim.host_rdata()) << (32 * j);
        }
        self.sim.set_host_re(0);
        v
    }

    /// As [`EngineSim::run`].
    pub fn run(
        &mut self,
        cmd: u8,
        inputs: &[(u8, BigUint)],
        outputs: &[u8],
        trace: bool,
    ) -> Result<RtlRun, String> {
        let top = <M as crate::Model>::TOP;
        if self.sim.busy() != 0 {
            return Err(format!("{top}: busy before start"));
        }
        for (r, v) in inputs {
            if v.bits() > 256 {
                return Err(format!("{top}: input to r{r} exceeds 256 bits"));
            }
            self.write_reg(*r, v);
        }
        self.sim.set_cmd(u64::from(cmd));
        self.sim.set_start(1);
        self.sim.tick();
        self.sim.set_start(0);
        let mut cycles = 1u64;
        let mut writes = Vec::new();
        // Per register: the value so far and the next word expected.
        let mut partial: Vec<(BigUint, usize)> = vec![(BigUint::default(), 0); 32];
        let wb = Self::WORDS.trailing_zeros();
        loop {
            if self.sim.done() != 0 {
                break;
            }
            if cycles >= MAX_CYCLES {
                return Err(format!("{top}: no done within {MAX_CYCLES} cycles"));
            }
            if trace && self.sim.rf_we() != 0 {
                let a = self.sim.rf_waddr() as usize;
                let (r, j) = (a >> wb, a & (Self::WORDS - 1));
                let (value, next) = &mut partial[r];
                if j != *next {
                    return Err(format!(
                        "{top}: cycle {cycles}: r{r} word {j} written, word {next} expected"
                    ));
                }
                *value |= BigUint::from(self.sim.rf_wdata()) << (M::W * j);
                *next += 1;
                if *next == Self::WORDS {
                    writes.push((r as u8, std::mem::take(value)));
                    *next = 0;
                }
            }
            self.sim.tick();
            cycles += 1;
        }
        if let Some(r) = partial.iter().position(|(_, n)| *n != 0) {
            return Err(format!("{top}: r{r} left half written"));
        }
        let status = self.sim.status() as u8;
        if self.sim.busy() != 0 {
            return Err(format!("{top}: busy while done"));
        }
        let mut outs = Vec::with_capacity(outputs.len());
        for &r in outputs {
            outs.push(self.read_reg(r));
        }
        Ok(RtlRun {
            status,
            outputs: outs,
            cycles,
            writes,
        })
    }
}

/// An engine of any supported word width and datapath, chosen at run time.
pub enum AnyEngine {
    W16(EngineSim<ScuEngineW16>),
    W32(EngineSim<ScuEngineW32>),
    W64(EngineSim<ScuEngineW64>),
    W128(EngineSim<ScuEngineW128>),
    SerialW16(SerialEngineSim<ScuEngineSerialW16>),
    SerialW32(SerialEngineSim<ScuEngineSerialW32>),
}

impl AnyEngine {
    pub fn new(word_width: usize, options: SimOptions) -> Result<Self, String> {
        Ok(match word_width {
            16 => AnyEngine::W16(EngineSim::new(options)),
            32 => AnyEngine::W32(EngineSim::new(options)),
            64 => AnyEngine::W64(EngineSim::new(options)),
            128 => AnyEngine::W128(EngineSim::new(options)),
            w => {
                return Err(format!(
                    "no engine model for word width {w} (16, 32, 64, 128)"
                ))
            }
        })
    }

    /// The serial-datapath engine of word width `word_width`.
    pub fn new_serial(word_width: usize, options: SimOptions) -> Result<Self, String> {
        match word_width {
            16 => Ok(AnyEngine::SerialW16(SerialEngineSim::new(options))),
            32 => Ok(AnyEngine::SerialW32(SerialEngineSim::new(options))),
            w => Err(format!(
                "no serial engine model for word width {w} (16, 32)"
            )),
        }
    }

    pub fn run(
        &mut self,
        cmd: u8,
        inputs: &[(u8, BigUint)],
        outputs: &[u8],
        trace: bool,
    ) -> Result<RtlRun, String> {
        match self {
            AnyEngine::SerialW16(e) => e.run(cmd, inputs, outputs, trace),
            AnyEngine::SerialW32(e) => e.run(cmd, inputs, outputs, trace),
            AnyEngine::W16(e) => e.run(cmd, inputs, outputs, trace),
            AnyEngine::W32(e) => e.run(cmd, inputs, outputs, trace),
            AnyEngine::W64(e) => e.run(cmd, inputs, outputs, trace),
            AnyEngine::W128(e) => e.run(cmd, inputs, outputs, trace),
        }
    }
}
