//! The engine as the SCU top sees it: the gate's lane port (`docs/gate.md`), whichever
//! datapath the parameters chose. rust-hdl's `hdl_gen` needs a concrete type for every field
//! it reads, and the two engines are different types; the socket is that concrete type. Its
//! signals are what the parent's code names (`engine$start`, …), and it hands the emitter the
//! chosen engine in its place, so the Verilog instance is that engine's module with exactly
//! those ports (verilator's lint rejects an instance whose ports do not match). Nothing runs
//! the SCU in rust-hdl's own simulator (it is co-simulated through Verilator), so the socket
//! need not forward values.

use super::lane_port::ParallelLanes;
use crate::engine::serial::{SerialEngineW16, SerialEngineW32};
use rust_hdl::core::probe::Probe;
use rust_hdl::prelude::*;
use scu_golden::engine::cycles::Datapath;

pub struct EngineSocket {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub start: Signal<In, Bit>,
    pub cmd: Signal<In, Bits<3>>,
    pub busy: Signal<Out, Bit>,
    pub done: Signal<Out, Bit>,
    pub status: Signal<Out, Bits<3>>,
    pub host_we: Signal<In, Bit>,
    pub host_re: Signal<In, Bit>,
    pub host_addr: Signal<In, Bits<5>>,
    pub host_lane: Signal<In, Bits<3>>,
    pub host_wdata: Signal<In, Bits<32>>,
    pub host_rdata: Signal<Out, Bits<32>>,
    inner: Box<dyn Block>,
}

impl EngineSocket {
    /// The engine of word width `W` and datapath `dp`; `P`, `SW`, `CW` are the parallel
    /// engine's ALU parameters (the serial engines have their own aliases).
    pub fn new<const W: usize, const P: usize, const SW: usize, const CW: usize>(
        dp: Datapath,
    ) -> Self {
        let inner: Box<dyn Block> = match (dp, W) {
            (Datapath::Parallel, _) => Box::new(ParallelLanes::<W, P, SW, CW>::default()),
            (Datapath::Serial, 16) => Box::new(SerialEngineW16::new()),
            (Datapath::Serial, 32) => Box::new(SerialEngineW32::new()),
            (Datapath::Serial, w) => panic!("no serial engine at word width {w} (validated)"),
        };
        EngineSocket {
            clock: Default::default(),
            reset: Default::default(),
            start: Default::default(),
            cmd: Default::default(),
            busy: Default::default(),
            done: Default::default(),
            status: Default::default(),
            host_we: Default::default(),
            host_re: Default::default(),
            host_addr: Default::default(),
            host_lane: Default::default(),
            host_wdata: Default::default(),
            host_rdata: Default::default(),
            inner,
        }
    }
}

impl Logic for EngineSocket {
    fn update(&mut self) {}

    fn connect(&mut self) {
        self.busy.connect();
        self.done.connect();
        self.status.connect();
        self.host_rdata.connect();
    }
}

impl Block for EngineSocket {
    fn connect_all(&mut self) {
        self.connect();
        self.inner.connect_all();
    }

    fn update_all(&mut self) {}

    fn has_changed(&self) -> bool {
        false
    }

    fn accept(&self, name: &str, probe: &mut dyn Probe) {
        self.inner.accept(name, probe);
    }
}
