//! CRC-16/CCITT-FALSE, bit by bit as the polynomial division is written: polynomial 0x1021,
//! initial value 0xFFFF, MSB first, no reflection, no final XOR.

const POLY: u16 = 0x1021;

pub fn crc16(bytes: &[u8]) -> u16 {
    let mut crc = 0xFFFFu16;
    for &b in bytes {
        for i in (0..8).rev() {
            let bit = (b >> i) & 1 == 1;
            let top = crc & 0x8000 != 0;
            crc <<= 1;
            if bit != top {
                crc ^= POLY;
            }
        }
    }
    crc
}
