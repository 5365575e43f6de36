//! The verilated board top (`scu_board_w16`, `scu_board_w128`: UART bridge + SCU + status
//! LEDs, `docs/board.md`) one clock at a time, and [`SimBoardLink`], the host's end of its
//! serial line: bytes in and out at the bit level, the TRNG's raw bits from the golden
//! model's noise source, exactly what a laptop and the ring oscillators give a real board.
//!
//! ```no_run
//! use scu_sim::board::SimBoardLink;
//! let mut link = SimBoardLink::new(16, 16, 1).unwrap();
//! link.send(&[0xA5, 0x07, 0x00, 0x00, 0x49, 0x0C]); // INFO, seq 7, CRC 0x490C
//! assert_eq!(link.recv_byte(100_000), Some(0x5A)); // the response's sync byte
//! ```

use crate::models::{ScuBoardW128, ScuBoardW16};
use crate::{HasReset, Sim, SimOptions};
use scu_golden::trng::NoiseSource;
use std::collections::VecDeque;

/// The board top's inputs during one cycle (`clocks_per_bit` is set once, at creation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoardIn {
    pub uart_rx: bool,
    pub raw: bool,
    pub raw_valid: bool,
}

impl Default for BoardIn {
    /// The line idle (high), no raw bit.
    fn default() -> Self {
        BoardIn {
            uart_rx: true,
            raw: false,
            raw_valid: false,
        }
    }
}

/// The board top's outputs after an edge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BoardOut {
    pub uart_tx: bool,
    /// Active high: bit 0 heartbeat, 1 alert seen, 2 irq toggle, 3 UART activity.
    pub led: u8,
}

/// LED bit positions in [`BoardOut::led`].
pub mod led {
    pub const HEARTBEAT: u8 = 1 << 0;
    pub const ALERT: u8 = 1 << 1;
    pub const IRQ: u8 = 1 << 2;
    pub const UART: u8 = 1 << 3;
}

pub trait BoardPorts: HasReset {
    fn set_inputs(&mut self, i: BoardIn);
    fn set_bit_time(&mut self, clocks_per_bit: u16);
    fn outputs(&self) -> BoardOut;
}

macro_rules! board_ports {
    ($t:ty) => {
        impl BoardPorts for $t {
            #[inline]
            fn set_inputs(&mut self, i: BoardIn) {
                self.set_uart_rx(u64::from(i.uart_rx));
                self.set_trng_raw(u64::from(i.raw));
                self.set_trng_raw_valid(u64::from(i.raw_valid));
            }
            fn set_bit_time(&mut self, clocks_per_bit: u16) {
                self.set_clocks_per_bit(u64::from(clocks_per_bit));
            }
            #[inline]
            fn outputs(&self) -> BoardOut {
                BoardOut {
                    uart_tx: self.uart_tx() != 0,
                    led: self.led() as u8,
                }
            }
        }
    };
}

board_ports!(ScuBoardW16);
board_ports!(ScuBoardW128);

/// One verilated board top.
pub struct BoardSim<M: BoardPorts> {
    pub sim: Sim<M>,
}

impl<M: BoardPorts> BoardSim<M> {
    /// The line idle, `clocks_per_bit` set, then one reset edge.
    pub fn new(clocks_per_bit: u16, options: SimOptions) -> Self {
        let mut s = BoardSim {
            sim: Sim::<M>::create(options),
        };
        s.sim.set_bit_time(clocks_per_bit);
        s.reset(BoardIn::default());
        s
    }

    /// One edge with `reset` high and inputs `i`.
    pub fn reset(&mut self, i: BoardIn) -> BoardOut {
        self.sim.set_inputs(i);
        self.sim.set_reset(true);
        self.sim.tick();
        self.sim.set_reset(false);
        self.sim.outputs()
    }

    /// Inputs `i` for one cycle; the outputs after its edge.
    #[inline]
    pub fn step(&mut self, i: BoardIn) -> BoardOut {
        self.sim.set_inputs(i);
        self.sim.tick();
        self.sim.outputs()
    }
}

/// A board top of any verilated width, chosen at run time.
pub enum AnyBoard {
    W16(BoardSim<ScuBoardW16>),
    W128(BoardSim<ScuBoardW128>),
}

impl AnyBoard {
    /// The line idle, then one reset edge.
    pub fn new(w: usize, clocks_per_bit: u16, options: SimOptions) -> Result<Self, String> {
        check_bit_time(clocks_per_bit)?;
        Ok(match w {
            16 => AnyBoard::W16(BoardSim::new(clocks_per_bit, options)),
            128 => AnyBoard::W128(BoardSim::new(clocks_per_bit, options)),
            _ => {
                return Err(format!(
                    "no board model for word width {w} (verilated: {:?})",
                    Self::widths()
                ))
            }
        })
    }

    /// The word widths with a verilated `scu_board_w<W>`.
    pub fn widths() -> &'static [usize] {
        &[16, 128]
    }

    pub fn width(&self) -> usize {
        match self {
            AnyBoard::W16(_) => 16,
            AnyBoard::W128(_) => 128,
        }
    }

    pub fn reset(&mut self, i: BoardIn) -> BoardOut {
        match self {
            AnyBoard::W16(b) => b.reset(i),
            AnyBoard::W128(b) => b.reset(i),
        }
    }

    #[inline]
    pub fn step(&mut self, i: BoardIn) -> BoardOut {
        match self {
            AnyBoard::W16(b) => b.step(i),
            AnyBoard::W128(b) => b.step(i),
        }
    }

    /// Clock edges run so far (reset edges included).
    pub fn cycles(&self) -> u64 {
        match self {
            AnyBoard::W16(b) => b.sim.cycles(),
            AnyBoard::W128(b) => b.sim.cycles(),
        }
    }
}

fn check_bit_time(clocks_per_bit: u16) -> Result<(), String> {
    if clocks_per_bit < 4 {
        return Err(format!(
            "clocks_per_bit {clocks_per_bit}: the bridge needs at least 4 clocks per bit"
        ));
    }
    Ok(())
}

/// The host's UART receiver on the board's `uart_tx`: 8N1, each bit sampled in its middle,
/// bytes whose stop bit is 0 counted and dropped.
#[derive(Clone, Debug)]
struct LineDecoder {
    clocks_per_bit: u32,
    /// Cycles since the start bit's falling edge was seen, and the bits so far.
    active: Option<(u32, u8)>,
    bytes: VecDeque<u8>,
    framing_errors: u64,
}

impl LineDecoder {
    fn new(clocks_per_bit: u32) -> Self {
        LineDecoder {
            clocks_per_bit,
            active: None,
            bytes: VecDeque::new(),
            framing_errors: 0,
        }
    }

    /// The line level during one cycle.
    fn sample(&mut self, level: bool) {
        let Some((t, byte)) = self.active else {
            if !level {
                self.active = Some((0, 0));
            }
            return;
        };
        let (t, half, cpb) = (t + 1, self.clocks_per_bit / 2, self.clocks_per_bit);
        if t == half && level {
            self.active = None; // a glitch, not a start bit
            return;
        }
        // Bit k (1..=8 data, 9 stop) is sampled k bit times after the start bit's middle.
        let k = t.saturating_sub(half) / cpb;
        if t > half && t == half + k * cpb {
            match k {
                k @ 1..=8 => {
                    self.active = Some((t, byte | (u8::from(level) << (k - 1))));
                    return;
                }
                _ => {
                    if level {
                        self.bytes.push_back(byte);
                    } else {
                        self.framing_errors += 1;
                    }
                    self.active = None;
                    return;
                }
            }
        }
        self.active = Some((t, byte));
    }
}

/// The host end of a co-simulated board's serial line. It owns the verilated
/// `scu_board_w<W>` and feeds the TRNG one raw bit per clock from a
/// [`NoiseSource`]; every clock it also decodes the board's `uart_tx`, so bytes the board
/// sends while the host is still sending are kept, in order, for [`SimBoardLink::recv_byte`].
pub struct SimBoardLink {
    board: AnyBoard,
    noise: NoiseSource,
    clocks_per_bit: u16,
    decoder: LineDecoder,
    last: BoardOut,
}

impl SimBoardLink {
    /// `scu_board_w<w>` (16 or 128) with a bit time of `clocks_per_bit` clocks (at least 4;
    /// 16 keeps simulation fast, a real board uses `clock_hz / baud`), zero initial state, raw
    /// bits from `NoiseSource::new(noise_seed)`; one reset edge (the first clock edge), then
    /// 64 idle clocks: the SCU zeroizes for 32 after reset.
    pub fn new(w: usize, clocks_per_bit: u16, noise_seed: u64) -> Result<Self, String> {
        Self::with_options(
            w,
            clocks_per_bit,
            NoiseSource::new(noise_seed),
            SimOptions::new(),
        )
    }

    /// [`SimBoardLink::new`] with any noise source (e.g. with a fault scheduled) and
    /// simulation options (random initial state, waves).
    pub fn with_options(
        w: usize,
        clocks_per_bit: u16,
        noise: NoiseSource,
        options: SimOptions,
    ) -> Result<Self, String> {
        let mut link = SimBoardLink {
            board: AnyBoard::new(w, clocks_per_bit, options)?,
            noise,
            clocks_per_bit,
            decoder: LineDecoder::new(u32::from(clocks_per_bit)),
            last: BoardOut {
                uart_tx: true,
                led: 0,
            },
        };
        // `AnyBoard::new` made the reset edge (the first clock edge).
        link.idle(64);
        Ok(link)
    }

    /// One reset edge (the line idle), then 64 idle clocks: the SCU zeroizes for 32.
    /// Bytes not yet read are discarded.
    pub fn reset(&mut self) {
        let raw = self.noise.next_bit();
        self.last = self.board.reset(BoardIn {
            uart_rx: true,
            raw,
            raw_valid: true,
        });
        self.decoder = LineDecoder::new(u32::from(self.clocks_per_bit));
        self.idle(64);
    }

    /// One clock with `uart_rx` at `level`.
    #[inline]
    pub fn step(&mut self, uart_rx: bool) -> BoardOut {
        let raw = self.noise.next_bit();
        self.last = self.board.step(BoardIn {
            uart_rx,
            raw,
            raw_valid: true,
        });
        self.decoder.sample(self.last.uart_tx);
        self.last
    }

    /// Sends one 8N1 character: start bit, `byte` LSB first, then the stop bit at
    /// `stop_level` (false makes a framing error), each bit `clocks_per_bit` clocks.
    pub fn send_char(&mut self, byte: u8, stop_level: bool) {
        let cpb = self.clocks_per_bit;
        let bits = std::iter::once(false)
            .chain((0..8).map(|i| byte >> i & 1 == 1))
            .chain(std::iter::once(stop_level));
        for level in bits {
            for _ in 0..cpb {
                self.step(level);
            }
        }
    }

    /// Sends `bytes` back to back (8N1, no idle time between characters).
    pub fn send(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.send_char(b, true);
        }
    }

    /// The next byte from the board: one already received, or the first one completed
    /// within `max_cycles` clocks (the line idle meanwhile); `None` if none arrives.
    pub fn recv_byte(&mut self, max_cycles: u64) -> Option<u8> {
        for _ in 0..max_cycles {
            if let Some(b) = self.decoder.bytes.pop_front() {
                return Some(b);
            }
            self.step(true);
        }
        self.decoder.bytes.pop_front()
    }

    /// `cycles` clocks with the line idle (bytes from the board are kept).
    pub fn idle(&mut self, cycles: u64) {
        for _ in 0..cycles {
            self.step(true);
        }
    }

    /// Bytes received and not yet read.
    pub fn pending(&self) -> usize {
        self.decoder.bytes.len()
    }

    /// Characters from the board whose stop bit was 0 (none, unless the board is broken).
    pub fn framing_errors(&self) -> u64 {
        self.decoder.framing_errors
    }

    pub fn clocks_per_bit(&self) -> u16 {
        self.clocks_per_bit
    }

    /// Clocks of one byte on the line (10 bit times).
    pub fn byte_time(&self) -> u64 {
        10 * u64::from(self.clocks_per_bit)
    }

    /// The LEDs after the last clock (active high, see [`led`]).
    pub fn led(&self) -> u8 {
        self.last.led
    }

    /// The board's `uart_tx` after the last clock.
    pub fn uart_tx(&self) -> bool {
        self.last.uart_tx
    }

    /// Clock edges run so far.
    pub fn cycles(&self) -> u64 {
        self.board.cycles()
    }

    /// The word width of the board's SCU.
    pub fn width(&self) -> usize {
        self.board.width()
    }

    /// The noise source, e.g. to switch a fault on.
    pub fn noise_mut(&mut self) -> &mut NoiseSource {
        &mut self.noise
    }
}
