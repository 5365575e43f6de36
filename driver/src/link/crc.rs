//! CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR;
//! check value over `123456789`: 0x29B1), one table lookup per byte.

const POLY: u16 = 0x1021;

/// The CRC register after shifting each possible top byte through eight steps.
const TABLE: [u16; 256] = {
    let mut t = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = (i as u16) << 8;
        let mut k = 0;
        while k < 8 {
            c = if c & 0x8000 != 0 {
                (c << 1) ^ POLY
            } else {
                c << 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// Continues a CRC over more bytes (start from [`INIT`]).
pub const fn update(mut crc: u16, bytes: &[u8]) -> u16 {
    let mut i = 0;
    while i < bytes.len() {
        crc = (crc << 8) ^ TABLE[((crc >> 8) as u8 ^ bytes[i]) as usize];
        i += 1;
    }
    crc
}

pub const INIT: u16 = 0xFFFF;

pub const fn crc16(bytes: &[u8]) -> u16 {
    update(INIT, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_value() {
        assert_eq!(crc16(b"123456789"), 0x29B1);
        assert_eq!(crc16(b""), 0xFFFF);
        assert_eq!(update(crc16(b"1234"), b"56789"), 0x29B1);
    }
}
