//! `scu_board_w<W>` (`docs/board.md`): the UART bridge as the Wishbone master of the SCU,
//! and the status LEDs. It has no FPGA-specific parts — reset is a plain synchronous input,
//! the raw TRNG bits are ports — so co-simulation runs exactly this, with the noise model in
//! place of the ring oscillators; the FPGA tops (`fpga_top`) wrap it.

use super::leds::StatusLeds;
use crate::preset::Params;
use crate::scu::ScuWb;
use crate::uart::UartBridge;
use rust_hdl::prelude::*;

pub fn board_name(w: usize) -> String {
    format!("scu_board_w{w}")
}

#[derive(LogicBlock)]
pub struct ScuBoard<const W: usize, const P: usize, const SW: usize, const CW: usize> {
    pub clock: Signal<In, Clock>,
    /// Synchronous, active high.
    pub reset: Signal<In, Bit>,
    /// UART bit time in clocks (`clock_hz / baud`).
    pub clocks_per_bit: Signal<In, Bits<16>>,
    pub uart_rx: Signal<In, Bit>,
    pub uart_tx: Signal<Out, Bit>,
    pub trng_raw: Signal<In, Bit>,
    pub trng_raw_valid: Signal<In, Bit>,
    /// Active high: heartbeat, alert seen, irq toggle, UART activity.
    pub led: Signal<Out, Bits<4>>,

    bridge: UartBridge,
    scu: ScuWb<W, P, SW, CW>,
    leds: StatusLeds,
    // What INFO reports: W in bits 7:0, the slot count in bits 15:8.
    k_info: Constant<Bits<16>>,
}

pub type ScuBoardW16 = ScuBoard<16, 32, 33, 17>;
pub type ScuBoardW32 = ScuBoard<32, 64, 65, 33>;
pub type ScuBoardW64 = ScuBoard<64, 128, 129, 65>;
pub type ScuBoardW128 = ScuBoard<128, 256, 257, 129>;

impl<const W: usize, const P: usize, const SW: usize, const CW: usize> ScuBoard<W, P, SW, CW> {
    pub fn new(params: &Params) -> Self {
        assert!(
            W < 256 && params.slots < 256,
            "INFO reports W and slots in a byte each"
        );
        Self {
            clock: Default::default(),
            reset: Default::default(),
            clocks_per_bit: Default::default(),
            uart_rx: Default::default(),
            uart_tx: Default::default(),
            trng_raw: Default::default(),
            trng_raw_valid: Default::default(),
            led: Default::default(),
            bridge: Default::default(),
            scu: ScuWb::new(params),
            leds: Default::default(),
            k_info: Constant::new(((W as u64) | ((params.slots as u64) << 8)).into()),
        }
    }
}

impl<const W: usize, const P: usize, const SW: usize, const CW: usize> Logic
    for ScuBoard<W, P, SW, CW>
{
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clock, bridge, scu, leds);
        self.bridge.reset.next = self.reset.val();
        self.scu.reset.next = self.reset.val();
        self.leds.reset.next = self.reset.val();
        self.bridge.clocks_per_bit.next = self.clocks_per_bit.val();
        self.leds.clocks_per_bit.next = self.clocks_per_bit.val();
        self.bridge.info.next = self.k_info.val();

        self.bridge.uart_rx.next = self.uart_rx.val();
        self.uart_tx.next = self.bridge.uart_tx.val();

        self.scu.wb_cyc.next = self.bridge.wb_cyc.val();
        self.scu.wb_stb.next = self.bridge.wb_stb.val();
        self.scu.wb_we.next = self.bridge.wb_we.val();
        self.scu.wb_adr.next = self.bridge.wb_adr.val();
        self.scu.wb_dat_w.next = self.bridge.wb_dat_w.val();
        self.scu.wb_priv.next = self.bridge.wb_priv.val();
        self.bridge.wb_ack.next = self.scu.wb_ack.val();
        self.bridge.wb_dat_r.next = self.scu.wb_dat_r.val();
        self.scu.trng_raw.next = self.trng_raw.val();
        self.scu.trng_raw_valid.next = self.trng_raw_valid.val();

        self.leds.alert.next = self.scu.alert.val();
        self.leds.irq.next = self.scu.irq.val();
        self.leds.activity.next = self.bridge.activity.val();
        self.led.next = self.leds.led.val();
    }
}
