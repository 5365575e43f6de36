//! The gate's engine port is one 32-bit lane of one register per cycle (`docs/gate.md`); the
//! parallel engine's register file has a 256-bit port with a lane mask. This adapter joins
//! them: a write goes to every lane's data bits with only its lane enabled, and a read picks
//! the lane the request named from the 256-bit word the engine returns a cycle later.

use crate::engine::Engine;
use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct LanePort {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    /// Gate side.
    pub re: Signal<In, Bit>,
    pub lane: Signal<In, Bits<3>>,
    pub wdata: Signal<In, Bits<32>>,
    pub rdata: Signal<Out, Bits<32>>,
    /// Engine side.
    pub eng_wdata: Signal<Out, Bits<256>>,
    pub eng_wmask: Signal<Out, Bits<8>>,
    pub eng_rdata: Signal<In, Bits<256>>,

    /// The lane of the last read, which selects the read data in the cycle after.
    lane_q: DFF<Bits<3>>,
    k_one8: Constant<Bits<8>>,
    k_five: Constant<Bits<3>>,
    word: Signal<Local, Bits<256>>,
    off: Signal<Local, Bits<8>>,
}

impl Default for LanePort {
    fn default() -> Self {
        Self::new()
    }
}

impl LanePort {
    pub fn new() -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            re: Default::default(),
            lane: Default::default(),
            wdata: Default::default(),
            rdata: Default::default(),
            eng_wdata: Default::default(),
            eng_wmask: Default::default(),
            eng_rdata: Default::default(),
            lane_q: Default::default(),
            k_one8: Constant::new(1.into()),
            k_five: Constant::new(5.into()),
            word: Default::default(),
            off: Default::default(),
        }
    }
}

impl Logic for LanePort {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, lane_q);
        self.word.next = bit_cast::<256, 32>(self.wdata.val());
        self.eng_wdata.next = self.word.val()
            | (self.word.val() << 32)
            | (self.word.val() << 64)
            | (self.word.val() << 96)
            | (self.word.val() << 128)
            | (self.word.val() << 160)
            | (self.word.val() << 192)
            | (self.word.val() << 224);
        self.eng_wmask.next = self.k_one8.val() << self.lane.val();
        if self.re.val() {
            self.lane_q.d.next = self.lane.val();
        }
        if self.reset.val() {
            self.lane_q.d.next = 0.into();
        }
        self.off.next = bit_cast::<8, 3>(self.lane_q.q.val()) << self.k_five.val();
        self.rdata.next = self.eng_rdata.val().get_bits::<32>(self.off.val().index());
    }
}

/// The parallel engine behind a [`LanePort`]: the same ports as the serial engine's host side,
/// so the SCU top sees one engine interface whatever the datapath (`super::socket`).
#[derive(LogicBlock)]
pub struct ParallelLanes<const W: usize, const P: usize, const SW: usize, const CW: usize> {
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

    port: LanePort,
    core: Engine<W, P, SW, CW>,
}

impl<const W: usize, const P: usize, const SW: usize, const CW: usize> Default
    for ParallelLanes<W, P, SW, CW>
{
    fn default() -> Self {
        Self {
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
            port: LanePort::new(),
            core: Engine::new(),
        }
    }
}

impl<const W: usize, const P: usize, const SW: usize, const CW: usize> Logic
    for ParallelLanes<W, P, SW, CW>
{
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clock, port, core);
        self.port.reset.next = self.reset.val();
        self.core.reset.next = self.reset.val();
        self.core.start.next = self.start.val();
        self.core.cmd.next = self.cmd.val();
        self.busy.next = self.core.busy.val();
        self.done.next = self.core.done.val();
        self.status.next = self.core.status.val();
        self.core.host_we.next = self.host_we.val();
        self.core.host_re.next = self.host_re.val();
        self.core.host_addr.next = self.host_addr.val();
        self.port.re.next = self.host_re.val();
        self.port.lane.next = self.host_lane.val();
        self.port.wdata.next = self.host_wdata.val();
        self.core.host_wdata.next = self.port.eng_wdata.val();
        self.core.host_wmask.next = self.port.eng_wmask.val();
        self.port.eng_rdata.next = self.core.host_rdata.val();
        self.host_rdata.next = self.port.rdata.val();
    }
}
