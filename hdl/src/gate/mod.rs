//! The hardware gate between the bus and the engine (`docs/gate.md`): a Wishbone B4 classic
//! slave whose every access is decided by the request handler, a command FSM that alone
//! drives the engine and the TRNG while a command runs, and the key-slot RAM. This module
//! only wires them together; the behaviour is the document's "Cycle-level contract".

pub mod handler;
pub mod sequencer;
pub mod slots;

use handler::Handler;
use rust_hdl::prelude::*;
use sequencer::Sequencer;
use slots::KeySlots;

/// The generator parameters the gate's Verilog depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GateParams {
    /// The engine's word width, reported in `ID.word_width`.
    pub word_width: usize,
    /// Key slots, 1 to 16.
    pub slots: usize,
    /// λ of the randomized projective coordinates from the TRNG (else λ = 1).
    pub randomize: bool,
}

#[derive(LogicBlock)]
pub struct Gate {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    /// Wishbone request (`cyc & stb`), word address.
    pub cyc_stb: Signal<In, Bit>,
    pub we: Signal<In, Bit>,
    pub adr: Signal<In, Bits<10>>,
    pub dat_w: Signal<In, Bits<32>>,
    pub privileged: Signal<In, Bit>,
    pub ack: Signal<Out, Bit>,
    pub dat_r: Signal<Out, Bits<32>>,
    pub alert: Signal<Out, Bit>,
    pub irq: Signal<Out, Bit>,

    pub eng_start: Signal<Out, Bit>,
    pub eng_cmd: Signal<Out, Bits<3>>,
    pub eng_done: Signal<In, Bit>,
    pub eng_status: Signal<In, Bits<3>>,
    pub host_we: Signal<Out, Bit>,
    pub host_re: Signal<Out, Bit>,
    pub host_addr: Signal<Out, Bits<5>>,
    /// The engine port, one 32-bit lane of one register per cycle (`docs/gate.md`).
    pub host_lane: Signal<Out, Bits<3>>,
    pub host_wdata: Signal<Out, Bits<32>>,
    pub host_rdata: Signal<In, Bits<32>>,

    pub rnd: Signal<In, Bits<32>>,
    pub rnd_valid: Signal<In, Bit>,
    pub rnd_ready: Signal<Out, Bit>,
    pub trng_alarm: Signal<In, Bit>,
    pub trng_alarm_test: Signal<In, Bits<3>>,
    pub trng_startup: Signal<In, Bit>,
    pub trng_rct_fails: Signal<In, Bits<16>>,
    pub trng_apt_fails: Signal<In, Bits<16>>,
    pub trng_lag_fails: Signal<In, Bits<16>>,
    pub trng_samples: Signal<In, Bits<32>>,
    pub trng_alarm_sample: Signal<In, Bits<32>>,

    handler: Handler,
    seq: Sequencer,
    slots: KeySlots,
}

impl Gate {
    pub fn new(p: &GateParams) -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            cyc_stb: Default::default(),
            we: Default::default(),
            adr: Default::default(),
            dat_w: Default::default(),
            privileged: Default::default(),
            ack: Default::default(),
            dat_r: Default::default(),
            alert: Default::default(),
            irq: Default::default(),
            eng_start: Default::default(),
            eng_cmd: Default::default(),
            eng_done: Default::default(),
            eng_status: Default::default(),
            host_we: Default::default(),
            host_re: Default::default(),
            host_addr: Default::default(),
            host_lane: Default::default(),
            host_wdata: Default::default(),
            host_rdata: Default::default(),
            rnd: Default::default(),
            rnd_valid: Default::default(),
            rnd_ready: Default::default(),
            trng_alarm: Default::default(),
            trng_alarm_test: Default::default(),
            trng_startup: Default::default(),
            trng_rct_fails: Default::default(),
            trng_apt_fails: Default::default(),
            trng_lag_fails: Default::default(),
            trng_samples: Default::default(),
            trng_alarm_sample: Default::default(),
            handler: Handler::new(p),
            seq: Sequencer::new(p),
            slots: KeySlots::new(p.slots),
        }
    }
}

impl Logic for Gate {
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clock, handler, seq, slots);
        self.handler.reset.next = self.reset.val();
        self.seq.reset.next = self.reset.val();

        self.handler.cyc_stb.next = self.cyc_stb.val();
        self.handler.we.next = self.we.val();
        self.handler.adr.next = self.adr.val();
        self.handler.dat_w.next = self.dat_w.val();
        self.handler.privileged.next = self.privileged.val();
        self.ack.next = self.handler.ack.val();
        self.dat_r.next = self.handler.dat_r.val();
        self.alert.next = self.handler.alert.val();
        self.irq.next = self.seq.irq.val();

        self.handler.busy.next = self.seq.busy.val();
        self.handler.finish.next = self.seq.finish.val();
        self.handler.finish_status.next = self.seq.finish_status.val();
        self.handler.store.next = self.seq.store.val();
        self.handler.store_slot.next = self.seq.store_slot.val();
        self.handler.store_wlock.next = self.seq.store_wlock.val();
        self.seq.go.next = self.handler.go.val();
        self.seq.go_op.next = self.handler.go_op.val();
        self.seq.go_slot.next = self.handler.go_slot.val();
        self.seq.trip.next = self.handler.trip.val();

        self.eng_start.next = self.seq.eng_start.val();
        self.eng_cmd.next = self.seq.eng_cmd.val();
        self.seq.eng_done.next = self.eng_done.val();
        self.seq.eng_status.next = self.eng_status.val();
        // The handler touches the engine only while the FSM is idle (it refuses window
        // accesses while busy); the FSM owns the port otherwise.
        if self.seq.busy.val() {
            self.host_we.next = self.seq.host_we.val();
            self.host_re.next = self.seq.host_re.val();
            self.host_addr.next = self.seq.host_addr.val();
            self.host_lane.next = self.seq.host_lane.val();
            self.host_wdata.next = self.seq.host_wdata.val();
        } else {
            self.host_we.next = self.handler.host_we.val();
            self.host_re.next = self.handler.host_re.val();
            self.host_addr.next = self.handler.host_addr.val();
            self.host_lane.next = self.handler.host_lane.val();
            self.host_wdata.next = self.handler.host_wdata.val();
        }
        self.handler.host_rdata.next = self.host_rdata.val();
        self.seq.host_rdata.next = self.host_rdata.val();

        // Likewise the TRNG: TRNG_DATA pops only while idle, DRAW only while busy.
        self.rnd_ready.next = self.handler.rnd_pop.val() | self.seq.rnd_pop.val();
        self.handler.rnd.next = self.rnd.val();
        self.handler.rnd_valid.next = self.rnd_valid.val();
        self.seq.rnd.next = self.rnd.val();
        self.seq.rnd_valid.next = self.rnd_valid.val();
        self.handler.trng_alarm.next = self.trng_alarm.val();
        self.seq.trng_alarm.next = self.trng_alarm.val();
        self.handler.trng_alarm_test.next = self.trng_alarm_test.val();
        self.handler.trng_startup.next = self.trng_startup.val();
        self.handler.trng_rct_fails.next = self.trng_rct_fails.val();
        self.handler.trng_apt_fails.next = self.trng_apt_fails.val();
        self.handler.trng_lag_fails.next = self.trng_lag_fails.val();
        self.handler.trng_samples.next = self.trng_samples.val();
        self.handler.trng_alarm_sample.next = self.trng_alarm_sample.val();

        self.slots.re.next = self.seq.ram_re.val();
        self.slots.we.next = self.seq.ram_we.val();
        self.slots.addr.next = self.seq.ram_addr.val();
        self.slots.wdata.next = self.seq.ram_wdata.val();
        self.seq.ram_rdata.next = self.slots.rdata.val();
    }
}
