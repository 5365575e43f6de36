//! A Wishbone B4 classic master as the RTL harness drives it: a request is presented from
//! the cycle after the previous `ack` (or later) and held through the `ack` cycle; the noise
//! source feeds the TRNG one raw bit, valid, every cycle.

use super::{CycleIn, Gate, Request};

/// Edges from presenting a request to its `ack` cycle (IDLE, ACT); a longer wait means the
/// handler is broken.
const ACK_LATENCY: u32 = 2;

/// One access: returns `dat_o` of its ACK cycle (0 for writes and refused reads). The gate is
/// left at the cycle after the `ack`, ready for the next request.
pub fn access(gate: &mut Gate, noise: &mut impl FnMut() -> bool, req: Request) -> u32 {
    let mut edges = 0;
    while !gate.outputs().ack {
        edges += 1;
        assert!(
            edges <= ACK_LATENCY,
            "no ack {edges} edges after the request"
        );
        held(gate, noise, req);
    }
    let rdata = gate.outputs().rdata;
    // The ACK cycle itself: the master still drives the request and samples ack at its end.
    held(gate, noise, req);
    rdata
}

/// `cycles` edges without a request.
pub fn idle(gate: &mut Gate, noise: &mut impl FnMut() -> bool, cycles: u64) {
    for _ in 0..cycles {
        gate.step(CycleIn {
            req: None,
            raw: noise(),
            raw_valid: true,
        });
    }
}

fn held(gate: &mut Gate, noise: &mut impl FnMut() -> bool, req: Request) {
    gate.step(CycleIn {
        req: Some(req),
        raw: noise(),
        raw_valid: true,
    });
}
