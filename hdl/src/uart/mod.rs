//! The UART bridge (`docs/uart.md`; the contract is `docs/host-protocol.md`): a host on a
//! serial line becomes a Wishbone B4 classic master. Receiver (`rx`) → frame FSM (`bridge`,
//! with the CRC datapath `crc`) → transmitter (`tx`).
//!
//! The bridge is the same module on every board (`scu_uart_bridge`): the bit time and what
//! INFO reports about the SCU behind it (`info`: W in bits 7:0, slots in bits 15:8) are
//! inputs, which the board top ties to constants.

pub mod bridge;
pub mod crc;
pub mod rx;
pub mod tx;

use crate::emit::{self, Design};
use bridge::BridgeFsm;
use rust_hdl::prelude::*;
use rx::UartRx;
use serde_json::json;
use std::collections::BTreeMap;
use tx::UartTx;

pub const BRIDGE_NAME: &str = "scu_uart_bridge";

#[derive(LogicBlock, Default)]
pub struct UartBridge {
    pub clock: Signal<In, Clock>,
    /// Synchronous, active high.
    pub reset: Signal<In, Bit>,
    /// Bit time in clocks (`clock_hz / baud`, at least 4).
    pub clocks_per_bit: Signal<In, Bits<16>>,
    /// INFO's `W` (bits 7:0) and slot count (bits 15:8).
    pub info: Signal<In, Bits<16>>,
    pub uart_rx: Signal<In, Bit>,
    pub uart_tx: Signal<Out, Bit>,
    pub wb_cyc: Signal<Out, Bit>,
    pub wb_stb: Signal<Out, Bit>,
    pub wb_we: Signal<Out, Bit>,
    pub wb_adr: Signal<Out, Bits<12>>,
    pub wb_dat_w: Signal<Out, Bits<32>>,
    pub wb_priv: Signal<Out, Bit>,
    pub wb_ack: Signal<In, Bit>,
    pub wb_dat_r: Signal<In, Bits<32>>,
    /// A byte is on either line (for the board's activity LED).
    pub activity: Signal<Out, Bit>,

    rx: UartRx,
    fsm: BridgeFsm,
    tx: UartTx,
}

impl Logic for UartBridge {
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clock, rx, fsm, tx);
        self.rx.reset.next = self.reset.val();
        self.fsm.reset.next = self.reset.val();
        self.tx.reset.next = self.reset.val();
        self.rx.clocks_per_bit.next = self.clocks_per_bit.val();
        self.fsm.clocks_per_bit.next = self.clocks_per_bit.val();
        self.tx.clocks_per_bit.next = self.clocks_per_bit.val();
        self.fsm.info.next = self.info.val();

        self.rx.line.next = self.uart_rx.val();
        self.fsm.rx_data.next = self.rx.data.val();
        self.fsm.rx_valid.next = self.rx.valid.val();
        self.fsm.rx_busy.next = self.rx.busy.val();
        self.fsm.rx_idle_tick.next = self.rx.idle_tick.val();
        self.tx.start.next = self.fsm.tx_start.val();
        self.tx.data.next = self.fsm.tx_data.val();
        self.fsm.tx_busy.next = self.tx.busy.val();
        self.uart_tx.next = self.tx.line.val();

        self.wb_cyc.next = self.fsm.wb_cyc.val();
        self.wb_stb.next = self.fsm.wb_stb.val();
        self.wb_we.next = self.fsm.wb_we.val();
        self.wb_adr.next = self.fsm.wb_adr.val();
        self.wb_dat_w.next = self.fsm.wb_dat_w.val();
        self.wb_priv.next = self.fsm.wb_priv.val();
        self.fsm.wb_ack.next = self.wb_ack.val();
        self.fsm.wb_dat_r.next = self.wb_dat_r.val();

        self.activity.next = self.rx.busy.val() | self.tx.busy.val();
    }
}

/// `scu_uart_bridge` on its own: co-simulated with the test playing the Wishbone slave.
pub fn design() -> Result<Design, String> {
    let (modules, ports) = emit::emit(BRIDGE_NAME, &mut UartBridge::default())?;
    Ok(Design {
        block: "uart".into(),
        preset: "any".into(),
        top: BRIDGE_NAME.into(),
        params: BTreeMap::from([
            ("max_payload".to_string(), json!(bridge::MAX_PAYLOAD)),
            ("max_words".to_string(), json!(bridge::MAX_WORDS)),
            (
                "protocol_version".to_string(),
                json!(bridge::PROTOCOL_VERSION),
            ),
            (
                "timeout_bit_times".to_string(),
                json!(bridge::TIMEOUT_BIT_TIMES),
            ),
        ]),
        modules,
        ports,
        clock: Some("clock".into()),
        reset: Some("reset".into()),
    })
}
