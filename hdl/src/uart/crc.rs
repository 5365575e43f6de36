//! CRC-16/CCITT-FALSE (`docs/host-protocol.md`): polynomial 0x1021, MSB first, one byte per
//! cycle. Combinational: the bridge holds the register and feeds received and sent bytes
//! through one instance.
//!
//! Eight shift-and-XOR steps collapse to the usual table-free byte form: with
//! `x = crc[15:8] ^ byte` and `y = x ^ (x >> 4)`, the result is
//! `(crc << 8) ^ (y << 12) ^ (y << 5) ^ y`.

use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct Crc16 {
    pub crc: Signal<In, Bits<16>>,
    pub data: Signal<In, Bits<8>>,
    pub result: Signal<Out, Bits<16>>,

    x: Signal<Local, Bits<8>>,
    y: Signal<Local, Bits<8>>,
    y16: Signal<Local, Bits<16>>,
}

impl Logic for Crc16 {
    #[hdl_gen]
    fn update(&mut self) {
        self.x.next = self.crc.val().get_bits::<8>(8) ^ self.data.val();
        self.y.next = self.x.val() ^ (self.x.val() >> 4);
        self.y16.next = bit_cast::<16, 8>(self.y.val());
        self.result.next =
            (self.crc.val() << 8) ^ (self.y16.val() << 12) ^ (self.y16.val() << 5) ^ self.y16.val();
    }
}
