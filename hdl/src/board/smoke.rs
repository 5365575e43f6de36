//! The board smoke test (`scu_<board>_smoke`): the first bitstream to load on a new board, with
//! the board top's ports (`clk`, `reset_button`, `uart_rx`, `uart_tx`, `led[..]`) on the same
//! pins, and no SCU behind them. Each observable answers one bring-up question:
//!
//! - `led[0]` toggles every `clock_hz / 2` cycles, a 1 Hz blink (0.5 s on, 0.5 s off): the
//!   clock runs at the frequency the flows assume;
//! - `led[1]` is lit while the reset button is held: the button and its polarity;
//! - `led[2]` (where fitted) lights for ~1/8 s after any low level on `uart_rx`: bytes from the
//!   host arrive;
//! - `led[3]` (where fitted) is `led[0]` inverted: every LED pin drives;
//! - `uart_tx` echoes `uart_rx` two clocks late: a terminal sees its own keystrokes, at any baud
//!   rate, so the cable and the pins of both directions are right.
//!
//! Holding the button also clears the blink counter (the blink restarts on release). Nothing
//! relies on initial values: the counters run from any state, and the two-flop synchronisers
//! settle in two clocks.

use super::spec::BoardSpec;
use crate::emit::{self, Design};
use rust_hdl::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

/// Top module name of the smoke test for `spec` (`scu_icebreaker_smoke`).
pub fn top_name(spec: &BoardSpec) -> String {
    format!("scu_{}_smoke", spec.name)
}

/// Counter width: enough for half a second at the fastest board clock (48 MHz < 2^26).
const CW: usize = 26;

#[derive(LogicBlock)]
pub struct Smoke<const L: usize> {
    pub clk: Signal<In, Clock>,
    pub reset_button: Signal<In, Bit>,
    pub uart_rx: Signal<In, Bit>,
    pub uart_tx: Signal<Out, Bit>,
    pub led: Signal<Out, Bits<L>>,

    rx_sync: DFF<Bits<2>>,
    btn_sync: DFF<Bits<2>>,
    count: DFF<Bits<CW>>,
    beat: DFF<Bit>,
    activity: DFF<Bits<CW>>,

    /// Cycles per half period of the blink (half a second), minus one.
    k_half: Constant<Bits<CW>>,
    /// Cycles `led[2]` stays lit after the last low level on `uart_rx`.
    k_stretch: Constant<Bits<CW>>,
    k_zero: Constant<Bits<CW>>,
    k_one: Constant<Bits<CW>>,
    /// 1 where the button reads 0 when pressed.
    k_btn_low: Constant<Bit>,
    /// All ones where the LEDs are lit by a low level.
    k_led_invert: Constant<Bits<L>>,

    pressed: Signal<Local, Bit>,
    rx: Signal<Local, Bit>,
    lit: Signal<Local, Bits<L>>,
}

impl<const L: usize> Smoke<L> {
    pub fn new(spec: &BoardSpec) -> Self {
        assert_eq!(spec.leds, L, "{}: LED count", spec.name);
        assert!((2..=4).contains(&L), "the smoke test drives 2 to 4 LEDs");
        let cw = |x: u64| Constant::new(Bits::<CW>::from(x));
        let half = u64::from(spec.clock_hz / 2);
        assert!(half < 1 << CW, "clock too fast for the blink counter");
        Self {
            clk: Default::default(),
            reset_button: Default::default(),
            uart_rx: Default::default(),
            uart_tx: Default::default(),
            led: Default::default(),
            rx_sync: Default::default(),
            btn_sync: Default::default(),
            count: Default::default(),
            beat: Default::default(),
            activity: Default::default(),
            k_half: cw(half - 1),
            k_stretch: cw(u64::from(spec.clock_hz / 8)),
            k_zero: cw(0),
            k_one: cw(1),
            k_btn_low: Constant::new(spec.reset_active_low),
            k_led_invert: Constant::new(if spec.led_active_low {
                Bits::<L>::mask()
            } else {
                Bits::<L>::from(0)
            }),
            pressed: Default::default(),
            rx: Default::default(),
            lit: Default::default(),
        }
    }
}

impl<const L: usize> Logic for Smoke<L> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clk, rx_sync, btn_sync, count, beat, activity);
        // Both inputs are asynchronous to `clk`: two flops each against metastability.
        self.rx_sync.d.next =
            (self.rx_sync.q.val() << 1) | bit_cast::<2, 1>(self.uart_rx.val().into());
        self.btn_sync.d.next =
            (self.btn_sync.q.val() << 1) | bit_cast::<2, 1>(self.reset_button.val().into());
        self.rx.next = self.rx_sync.q.val().get_bit(1);
        self.pressed.next = self.btn_sync.q.val().get_bit(1) ^ self.k_btn_low.val();
        self.uart_tx.next = self.rx.val();

        if self.pressed.val() {
            self.count.d.next = self.k_zero.val();
            self.beat.d.next = false;
        } else if self.count.q.val() == self.k_half.val() {
            self.count.d.next = self.k_zero.val();
            self.beat.d.next = !self.beat.q.val();
        } else {
            self.count.d.next = self.count.q.val() + self.k_one.val();
        }

        if !self.rx.val() {
            self.activity.d.next = self.k_stretch.val();
        } else if self.activity.q.val() != self.k_zero.val() {
            self.activity.d.next = self.activity.q.val() - self.k_one.val();
        }

        // Logical (1 = lit) LEDs, low bit first; boards with fewer LEDs keep the low ones.
        // (Shifts past the top bit drop the LEDs a board does not have.)
        self.lit.next = bit_cast::<L, 1>(self.beat.q.val().into())
            | (bit_cast::<L, 1>(self.pressed.val().into()) << 1)
            | (bit_cast::<L, 1>((self.activity.q.val() != self.k_zero.val()).into()) << 2)
            | (bit_cast::<L, 1>((!self.beat.q.val()).into()) << 3);
        self.led.next = self.lit.val() ^ self.k_led_invert.val();
    }
}

/// The smoke test for `spec`, emitted.
pub fn design(spec: &BoardSpec) -> Result<Design, String> {
    let top = top_name(spec);
    let (modules, ports) = match spec.leds {
        2 => emit::emit(&top, &mut Smoke::<2>::new(spec))?,
        3 => emit::emit(&top, &mut Smoke::<3>::new(spec))?,
        4 => emit::emit(&top, &mut Smoke::<4>::new(spec))?,
        n => return Err(format!("{}: no smoke test for {n} LEDs", spec.name)),
    };
    Ok(Design {
        block: "board_smoke".into(),
        preset: spec.name.into(),
        top,
        params: BTreeMap::from([
            ("board".to_string(), json!(spec.name)),
            ("clock_hz".to_string(), json!(spec.clock_hz)),
            ("leds".to_string(), json!(spec.leds)),
        ]),
        modules,
        ports,
        clock: Some("clk".into()),
        reset: None,
    })
}
