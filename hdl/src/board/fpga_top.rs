//! `scu_<board>` (`docs/board.md`): what `scu fpga build` synthesises for a board. Ports are
//! the names of the board's constraint file: `clk`, `reset_button`, `uart_rx`, `uart_tx`,
//! `led[leds]`. Inside: the reset (power-on + button, `reset.rs`), the ring-oscillator cell
//! feeding the TRNG, `clocks_per_bit` tied to the board's clock and baud rate, and
//! `scu_board_w<W>`. Never co-simulated (the ring oscillators have no behaviour in a
//! zero-delay simulator); co-simulation runs `scu_board_w<W>` with the noise model.

use super::reset::BoardReset;
use super::spec::BoardSpec;
use super::top::ScuBoard;
use crate::preset::Params;
use crate::trng::ro_cell::RoCell;
use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct FpgaTop<const W: usize, const P: usize, const SW: usize, const CW: usize, const L: usize>
{
    pub clk: Signal<In, Clock>,
    pub reset_button: Signal<In, Bit>,
    pub uart_rx: Signal<In, Bit>,
    pub uart_tx: Signal<Out, Bit>,
    /// The first `L` status LEDs, in the board's polarity.
    pub led: Signal<Out, Bits<L>>,

    por: BoardReset,
    ro: RoCell,
    board: ScuBoard<W, P, SW, CW>,

    k_clocks_per_bit: Constant<Bits<16>>,
    k_led_invert: Constant<Bits<L>>,
}

impl<const W: usize, const P: usize, const SW: usize, const CW: usize, const L: usize>
    FpgaTop<W, P, SW, CW, L>
{
    pub fn new(spec: &BoardSpec, params: &Params) -> Self {
        assert_eq!(spec.leds, L, "LED count of another board");
        assert!((1..=4).contains(&L), "the board top has 4 status LEDs");
        let cpb = spec.clocks_per_bit();
        assert!(
            (4..=0xffff).contains(&cpb),
            "clocks_per_bit must fit 16 bits"
        );
        let invert = if spec.led_active_low {
            (1u64 << L) - 1
        } else {
            0
        };
        Self {
            clk: Default::default(),
            reset_button: Default::default(),
            uart_rx: Default::default(),
            uart_tx: Default::default(),
            led: Default::default(),
            por: BoardReset::new(spec.reset_active_low),
            ro: Default::default(),
            board: ScuBoard::new(params),
            k_clocks_per_bit: Constant::new(u64::from(cpb).into()),
            k_led_invert: Constant::new(invert.into()),
        }
    }
}

impl<const W: usize, const P: usize, const SW: usize, const CW: usize, const L: usize> Logic
    for FpgaTop<W, P, SW, CW, L>
{
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clk, por, ro, board);
        self.por.button.next = self.reset_button.val();
        self.ro.reset.next = self.por.reset.val();
        self.ro.enable.next = true;
        self.board.reset.next = self.por.reset.val();
        self.board.clocks_per_bit.next = self.k_clocks_per_bit.val();
        self.board.uart_rx.next = self.uart_rx.val();
        self.uart_tx.next = self.board.uart_tx.val();
        self.board.trng_raw.next = self.ro.raw.val();
        self.board.trng_raw_valid.next = self.ro.raw_valid.val();
        self.led.next = bit_cast::<L, 4>(self.board.led.val()) ^ self.k_led_invert.val();
    }
}
