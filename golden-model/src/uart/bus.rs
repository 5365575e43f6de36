//! The bridge's Wishbone master side. The bridge makes classic single accesses, one after the
//! other, with the frame's privilege bit; what they take in cycles is the bus's business, so
//! the model only needs the read data.

use crate::gate::Request;

/// A Wishbone slave as the bridge sees it: one access in, the read data out (ignored for
/// writes). For the SCU: a closure over the gate's model (`|req| access(&mut gate, …, req)`).
pub trait WbBus {
    fn access(&mut self, req: Request) -> u32;
}

impl<F: FnMut(Request) -> u32> WbBus for F {
    fn access(&mut self, req: Request) -> u32 {
        self(req)
    }
}
