//! The gate's engine port is one 32-bit lane of one register per cycle (`docs/gate.md`); the
//! parallel engine's register file has a 256-bit port with a lane mask. This adapter joins
//! them: a write goes to every lane's data bits with only its lane enabled, and a read picks
//! the lane the request named from the 256-bit word the engine returns a cycle later.

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
