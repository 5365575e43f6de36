//! The frame FSM of the UART bridge (`docs/host-protocol.md` is the contract, `docs/uart.md`
//! how it is built): hunt for `0xA5`, take the header, the payload and the CRC byte by byte,
//! check the whole frame, and only then make its Wishbone accesses; answer with one response
//! frame.
//!
//! Storage is laid out so that no byte is ever selected by a run-time index into a wide
//! vector. The first payload bytes (`flags`, `addr`, READ's `n`) go to their own registers.
//! The words (WRITE's data, READ's results) live in four byte lanes, one per byte of a word:
//! lane `b` is an 8-deep byte shift register holding byte `b` of word 0, 1, … So a payload
//! byte shifts one lane, and a word (to or from the bus) shifts all four at once; every lane
//! flip-flop takes its neighbour's value behind a clock enable. After `n` words, word 0 is
//! `8 − n` places above the bottom: the lanes are *aligned* by shifting all four further
//! while the CRC bytes arrive (WRITE) or while the response header goes out (READ), counted
//! by `fill`. Word 0 is then at the bottom: WRITE's `dat_w`, or READ's first response bytes.
//!
//! The line's idle time is counted in bit times (`idle_bits`, from the receiver's idle ticks),
//! cleared while a byte is on the line and saturating at the timeout (160 bit times): inside
//! a frame reaching it means TRUNCATED, in DRAIN it means the damaged frame is over.

use super::crc::Crc16;
use rust_hdl::prelude::*;

/// Status codes of `docs/host-protocol.md`.
pub mod status {
    pub const OK: u64 = 0;
    pub const BAD_CRC: u64 = 1;
    pub const BAD_LENGTH: u64 = 2;
    pub const UNKNOWN_CMD: u64 = 3;
    pub const TRUNCATED: u64 = 4;
    pub const BAD_ARG: u64 = 5;
}

pub const REQUEST_SYNC: u64 = 0xA5;
pub const RESPONSE_SYNC: u64 = 0x5A;
pub const MAX_PAYLOAD: u64 = 35;
pub const MAX_WORDS: u64 = 8;
pub const PROTOCOL_VERSION: u64 = 1;
/// Bit times of line silence that end a frame (or a drain): 16 byte times.
pub const TIMEOUT_BIT_TIMES: u64 = 160;

#[derive(Copy, Clone, PartialEq, Debug, LogicState)]
pub enum FrameState {
    Hunt,
    Seq,
    Cmd,
    Len,
    Payload,
    CrcHi,
    CrcLo,
    Check,
    Exec,
    RespHead,
    RespData,
    RespCrcHi,
    RespCrcLo,
    RespEnd,
    Drain,
}

#[derive(LogicBlock)]
pub struct BridgeFsm {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub clocks_per_bit: Signal<In, Bits<16>>,
    /// INFO's `W` (bits 7:0) and slot count (bits 15:8).
    pub info: Signal<In, Bits<16>>,

    pub rx_data: Signal<In, Bits<8>>,
    pub rx_valid: Signal<In, Bit>,
    pub rx_busy: Signal<In, Bit>,
    pub rx_idle_tick: Signal<In, Bit>,
    pub tx_start: Signal<Out, Bit>,
    pub tx_data: Signal<Out, Bits<8>>,
    pub tx_busy: Signal<In, Bit>,

    pub wb_cyc: Signal<Out, Bit>,
    pub wb_stb: Signal<Out, Bit>,
    pub wb_we: Signal<Out, Bit>,
    pub wb_adr: Signal<Out, Bits<12>>,
    pub wb_dat_w: Signal<Out, Bits<32>>,
    pub wb_priv: Signal<Out, Bit>,
    pub wb_ack: Signal<In, Bit>,
    pub wb_dat_r: Signal<In, Bits<32>>,

    crc_fn: Crc16,

    state: DFF<FrameState>,
    idle_bits: DFF<Bits<8>>,
    crc: DFF<Bits<16>>,
    seq: DFF<Bits<8>>,
    cmd: DFF<Bits<8>>,
    len: DFF<Bits<6>>,
    // Payload bytes taken so far; bytes still expected (payload or response payload).
    pidx: DFF<Bits<6>>,
    left: DFF<Bits<6>>,
    crc_hi_ok: DFF<Bit>,
    crc_ok: DFF<Bit>,
    /// The header checks, registered: the header is complete at least two byte times before
    /// CHECK reads them, and the address-range sum and compare is the longest path of the
    /// board top at 12 MHz-class iCE40 speeds.
    chk_cmd: DFF<Bit>,
    chk_len: DFF<Bit>,
    chk_arg: DFF<Bit>,
    flags: DFF<Bits<8>>,
    addr_lo: DFF<Bits<8>>,
    addr_hi: DFF<Bits<8>>,
    n_byte: DFF<Bits<8>>,
    // The word lanes are data, so not reset: nothing reads a byte of them that the current
    // frame did not put there.
    lane0: DFF<Bits<64>>,
    lane1: DFF<Bits<64>>,
    lane2: DFF<Bits<64>>,
    lane3: DFF<Bits<64>>,
    fill: DFF<Bits<4>>,
    status: DFF<Bits<3>>,
    rlen: DFF<Bits<6>>,
    ridx: DFF<Bits<3>>,
    drain_after: DFF<Bit>,
    rpos: DFF<Bits<2>>,
    n: DFF<Bits<4>>,
    adr: DFF<Bits<12>>,
    we: DFF<Bit>,
    privileged: DFF<Bit>,
    // The response payload is INFO's (from the ports), not the lanes'.
    internal: DFF<Bit>,

    k_req_sync: Constant<Bits<8>>,
    k_resp_sync: Constant<Bits<8>>,
    k_crc_init: Constant<Bits<16>>,
    k_max_len: Constant<Bits<8>>,
    k_timeout: Constant<Bits<8>>,
    k_lane_words: Constant<Bits<4>>,
    k_version: Constant<Bits<8>>,
    k_max_words: Constant<Bits<8>>,
    k_info_len: Constant<Bits<6>>,
    k_cmd_info: Constant<Bits<8>>,
    k_cmd_read: Constant<Bits<8>>,
    k_cmd_write: Constant<Bits<8>>,
    k_read_len: Constant<Bits<6>>,
    k_write_min: Constant<Bits<6>>,
    k_space_end: Constant<Bits<14>>,
    k_ok: Constant<Bits<3>>,
    k_bad_crc: Constant<Bits<3>>,
    k_bad_length: Constant<Bits<3>>,
    k_unknown_cmd: Constant<Bits<3>>,
    k_truncated: Constant<Bits<3>>,
    k_bad_arg: Constant<Bits<3>>,

    quiet: Signal<Local, Bit>,
    in_frame: Signal<Local, Bit>,
    responding: Signal<Local, Bit>,
    aligned: Signal<Local, Bit>,
    align: Signal<Local, Bit>,
    from_bus: Signal<Local, Bit>,
    lane_sel: Signal<Local, Bits<2>>,
    sh0: Signal<Local, Bit>,
    sh1: Signal<Local, Bit>,
    sh2: Signal<Local, Bit>,
    sh3: Signal<Local, Bit>,
    top0: Signal<Local, Bits<8>>,
    top1: Signal<Local, Bits<8>>,
    top2: Signal<Local, Bits<8>>,
    top3: Signal<Local, Bits<8>>,
    stb: Signal<Local, Bit>,
    step: Signal<Local, Bit>,
    addr: Signal<Local, Bits<16>>,
    n_req: Signal<Local, Bits<4>>,
    end_addr: Signal<Local, Bits<14>>,
    is_info: Signal<Local, Bit>,
    is_read: Signal<Local, Bit>,
    is_write: Signal<Local, Bit>,
    bad_crc: Signal<Local, Bit>,
    bad_cmd: Signal<Local, Bit>,
    bad_len: Signal<Local, Bit>,
    bad_arg: Signal<Local, Bit>,
    head_byte: Signal<Local, Bits<8>>,
    lane_byte: Signal<Local, Bits<8>>,
    info_byte: Signal<Local, Bits<8>>,
    tx_byte: Signal<Local, Bits<8>>,
}

fn k<const N: usize>(x: u64) -> Constant<Bits<N>> {
    Constant::new(Bits::<N>::from(x))
}

impl Default for BridgeFsm {
    fn default() -> Self {
        Self::new()
    }
}

impl BridgeFsm {
    pub fn new() -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            clocks_per_bit: Default::default(),
            info: Default::default(),
            rx_data: Default::default(),
            rx_valid: Default::default(),
            rx_busy: Default::default(),
            rx_idle_tick: Default::default(),
            tx_start: Default::default(),
            tx_data: Default::default(),
            tx_busy: Default::default(),
            wb_cyc: Default::default(),
            wb_stb: Default::default(),
            wb_we: Default::default(),
            wb_adr: Default::default(),
            wb_dat_w: Default::default(),
            wb_priv: Default::default(),
            wb_ack: Default::default(),
            wb_dat_r: Default::default(),
            crc_fn: Default::default(),
            state: Default::default(),
            idle_bits: Default::default(),
            crc: Default::default(),
            seq: Default::default(),
            cmd: Default::default(),
            len: Default::default(),
            pidx: Default::default(),
            left: Default::default(),
            crc_hi_ok: Default::default(),
            crc_ok: Default::default(),
            chk_cmd: Default::default(),
            chk_len: Default::default(),
            chk_arg: Default::default(),
            flags: Default::default(),
            addr_lo: Default::default(),
            addr_hi: Default::default(),
            n_byte: Default::default(),
            lane0: Default::default(),
            lane1: Default::default(),
            lane2: Default::default(),
            lane3: Default::default(),
            fill: Default::default(),
            status: Default::default(),
            rlen: Default::default(),
            ridx: Default::default(),
            drain_after: Default::default(),
            rpos: Default::default(),
            n: Default::default(),
            adr: Default::default(),
            we: Default::default(),
            privileged: Default::default(),
            internal: Default::default(),
            k_req_sync: k(REQUEST_SYNC),
            k_resp_sync: k(RESPONSE_SYNC),
            k_crc_init: k(0xffff),
            k_max_len: k(MAX_PAYLOAD),
            k_timeout: k(TIMEOUT_BIT_TIMES),
            k_lane_words: k(MAX_WORDS),
            k_version: k(PROTOCOL_VERSION),
            k_max_words: k(MAX_WORDS),
            k_info_len: k(6),
            k_cmd_info: k(0),
            k_cmd_read: k(1),
            k_cmd_write: k(2),
            k_read_len: k(4),
            k_write_min: k(7),
            k_space_end: k(0x1000),
            k_ok: k(status::OK),
            k_bad_crc: k(status::BAD_CRC),
            k_bad_length: k(status::BAD_LENGTH),
            k_unknown_cmd: k(status::UNKNOWN_CMD),
            k_truncated: k(status::TRUNCATED),
            k_bad_arg: k(status::BAD_ARG),
            quiet: Default::default(),
            in_frame: Default::default(),
            responding: Default::default(),
            aligned: Default::default(),
            align: Default::default(),
            from_bus: Default::default(),
            lane_sel: Default::default(),
            sh0: Default::default(),
            sh1: Default::default(),
            sh2: Default::default(),
            sh3: Default::default(),
            top0: Default::default(),
            top1: Default::default(),
            top2: Default::default(),
            top3: Default::default(),
            stb: Default::default(),
            step: Default::default(),
            addr: Default::default(),
            n_req: Default::default(),
            end_addr: Default::default(),
            is_info: Default::default(),
            is_read: Default::default(),
            is_write: Default::default(),
            bad_crc: Default::default(),
            bad_cmd: Default::default(),
            bad_len: Default::default(),
            bad_arg: Default::default(),
            head_byte: Default::default(),
            lane_byte: Default::default(),
            info_byte: Default::default(),
            tx_byte: Default::default(),
        }
    }
}

impl Logic for BridgeFsm {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            state,
            idle_bits,
            crc,
            seq,
            cmd,
            len,
            pidx,
            left,
            crc_hi_ok,
            crc_ok,
            chk_cmd,
            chk_len,
            chk_arg,
            flags,
            addr_lo,
            addr_hi,
            n_byte,
            lane0,
            lane1,
            lane2,
            lane3,
            fill,
            status,
            rlen,
            ridx,
            drain_after,
            rpos,
            n,
            adr,
            we,
            privileged,
            internal
        );

        // ---- Line idle time, in bit times (the receiver's idle ticks) ----
        self.quiet.next = self.idle_bits.q.val() == self.k_timeout.val();
        if self.rx_busy.val() | self.rx_valid.val() {
            self.idle_bits.d.next = 0.into();
        } else if self.rx_idle_tick.val() & !self.quiet.val() {
            self.idle_bits.d.next = self.idle_bits.q.val() + 1;
        }

        self.in_frame.next = (self.state.q.val() == FrameState::Seq)
            | (self.state.q.val() == FrameState::Cmd)
            | (self.state.q.val() == FrameState::Len)
            | (self.state.q.val() == FrameState::Payload)
            | (self.state.q.val() == FrameState::CrcHi)
            | (self.state.q.val() == FrameState::CrcLo);
        self.responding.next = (self.state.q.val() == FrameState::RespHead)
            | (self.state.q.val() == FrameState::RespData)
            | (self.state.q.val() == FrameState::RespCrcHi)
            | (self.state.q.val() == FrameState::RespCrcLo);

        // ---- The word lanes ----
        // Alignment shifts all lanes whenever nothing else may move them (a READ's EXEC
        // counts its words in `fill` itself); what enters the top then is never read.
        self.aligned.next = self.fill.q.val() == self.k_lane_words.val();
        self.align.next = !self.aligned.val()
            & (self.state.q.val() != FrameState::Payload)
            & !((self.state.q.val() == FrameState::Exec) & !self.we.q.val());
        if self.align.val() {
            self.fill.d.next = self.fill.q.val() + 1;
        }
        self.sh0.next = self.align.val();
        self.sh1.next = self.align.val();
        self.sh2.next = self.align.val();
        self.sh3.next = self.align.val();
        self.from_bus.next = self.state.q.val() == FrameState::Exec;
        self.top0.next = self.rx_data.val();
        self.top1.next = self.rx_data.val();
        self.top2.next = self.rx_data.val();
        self.top3.next = self.rx_data.val();
        if self.from_bus.val() {
            self.top0.next = self.wb_dat_r.val().get_bits::<8>(0);
            self.top1.next = self.wb_dat_r.val().get_bits::<8>(8);
            self.top2.next = self.wb_dat_r.val().get_bits::<8>(16);
            self.top3.next = self.wb_dat_r.val().get_bits::<8>(24);
        }
        // Payload byte k ≥ 3 is byte (k − 3) mod 4 of a word.
        self.lane_sel.next = self.pidx.q.val().get_bits::<2>(0) + 1;

        // ---- The checks ----
        self.addr.next = (bit_cast::<16, 8>(self.addr_hi.q.val()) << 8)
            | bit_cast::<16, 8>(self.addr_lo.q.val());
        self.is_info.next = self.cmd.q.val() == self.k_cmd_info.val();
        self.is_read.next = self.cmd.q.val() == self.k_cmd_read.val();
        self.is_write.next = self.cmd.q.val() == self.k_cmd_write.val();
        // WRITE: len = 3 + 4·n, so n = len / 4.
        self.n_req.next = self.len.q.val().get_bits::<4>(2);
        if self.is_read.val() {
            self.n_req.next = self.n_byte.q.val().get_bits::<4>(0);
        }
        self.end_addr.next = bit_cast::<14, 12>(self.addr.val().get_bits::<12>(0))
            + (bit_cast::<14, 4>(self.n_req.val()) << 2);
        self.bad_crc.next = !self.crc_ok.q.val();
        self.bad_cmd.next = self.cmd.q.val() > self.k_cmd_write.val();
        self.bad_len.next = (self.is_info.val() & self.len.q.val().any())
            | (self.is_read.val()
                & ((self.len.q.val() != self.k_read_len.val())
                    | !self.n_byte.q.val().any()
                    | (self.n_byte.q.val() > self.k_max_words.val())))
            | (self.is_write.val()
                & ((self.len.q.val() < self.k_write_min.val())
                    | !self.len.q.val().get_bits::<2>(0).all()));
        self.bad_arg.next = (self.is_read.val() | self.is_write.val())
            & (self.flags.q.val().get_bits::<7>(1).any()
                | self.addr.val().get_bits::<2>(0).any()
                | self.addr.val().get_bits::<4>(12).any()
                | (self.end_addr.val() > self.k_space_end.val()));

        self.chk_cmd.d.next = self.bad_cmd.val();
        self.chk_len.d.next = self.bad_len.val();
        self.chk_arg.d.next = self.bad_arg.val();

        // ---- Wishbone ----
        // A WRITE's first word waits for the alignment.
        self.stb.next =
            (self.state.q.val() == FrameState::Exec) & (self.aligned.val() | !self.we.q.val());
        self.step.next = self.stb.val() & self.wb_ack.val();

        // ---- Response bytes ----
        self.head_byte.next = self.k_resp_sync.val();
        if self.rpos.q.val() == 1 {
            self.head_byte.next = self.seq.q.val();
        }
        if self.rpos.q.val() == 2 {
            self.head_byte.next = bit_cast::<8, 3>(self.status.q.val());
        }
        if self.rpos.q.val() == 3 {
            self.head_byte.next = bit_cast::<8, 6>(self.rlen.q.val());
        }
        self.lane_byte.next = self.lane0.q.val().get_bits::<8>(0);
        if self.ridx.q.val().get_bits::<2>(0) == 1 {
            self.lane_byte.next = self.lane1.q.val().get_bits::<8>(0);
        }
        if self.ridx.q.val().get_bits::<2>(0) == 2 {
            self.lane_byte.next = self.lane2.q.val().get_bits::<8>(0);
        }
        if self.ridx.q.val().get_bits::<2>(0) == 3 {
            self.lane_byte.next = self.lane3.q.val().get_bits::<8>(0);
        }
        // INFO: version, W, slots, words per frame, clocks_per_bit (little-endian).
        self.info_byte.next = self.k_version.val();
        if self.ridx.q.val() == 1 {
            self.info_byte.next = self.info.val().get_bits::<8>(0);
        }
        if self.ridx.q.val() == 2 {
            self.info_byte.next = self.info.val().get_bits::<8>(8);
        }
        if self.ridx.q.val() == 3 {
            self.info_byte.next = self.k_max_words.val();
        }
        if self.ridx.q.val() == 4 {
            self.info_byte.next = self.clocks_per_bit.val().get_bits::<8>(0);
        }
        if self.ridx.q.val() == 5 {
            self.info_byte.next = self.clocks_per_bit.val().get_bits::<8>(8);
        }
        self.tx_byte.next = self.head_byte.val();
        if self.state.q.val() == FrameState::RespData {
            self.tx_byte.next = self.lane_byte.val();
            if self.internal.q.val() {
                self.tx_byte.next = self.info_byte.val();
            }
        }
        if self.state.q.val() == FrameState::RespCrcHi {
            self.tx_byte.next = self.crc.q.val().get_bits::<8>(8);
        }
        if self.state.q.val() == FrameState::RespCrcLo {
            self.tx_byte.next = self.crc.q.val().get_bits::<8>(0);
        }
        self.tx_data.next = self.tx_byte.val();
        self.tx_start.next = false;

        // One CRC datapath: received bytes in a frame, sent bytes in a response.
        self.crc_fn.crc.next = self.crc.q.val();
        self.crc_fn.data.next = self.rx_data.val();
        if self.responding.val() {
            self.crc_fn.data.next = self.tx_byte.val();
        }

        match self.state.q.val() {
            FrameState::Hunt => {
                if self.rx_valid.val() & (self.rx_data.val() == self.k_req_sync.val()) {
                    self.seq.d.next = 0.into();
                    self.crc.d.next = self.k_crc_init.val();
                    self.state.d.next = FrameState::Seq;
                }
            }
            FrameState::Seq => {
                if self.rx_valid.val() {
                    self.seq.d.next = self.rx_data.val();
                    self.crc.d.next = self.crc_fn.result.val();
                    self.state.d.next = FrameState::Cmd;
                }
            }
            FrameState::Cmd => {
                if self.rx_valid.val() {
                    self.cmd.d.next = self.rx_data.val();
                    self.crc.d.next = self.crc_fn.result.val();
                    self.state.d.next = FrameState::Len;
                }
            }
            FrameState::Len => {
                if self.rx_valid.val() {
                    self.crc.d.next = self.crc_fn.result.val();
                    self.len.d.next = self.rx_data.val().get_bits::<6>(0);
                    self.left.d.next = self.rx_data.val().get_bits::<6>(0);
                    self.pidx.d.next = 0.into();
                    self.fill.d.next = 0.into();
                    if self.rx_data.val() > self.k_max_len.val() {
                        // Oversize: answered at once, the rest of the frame drained.
                        self.status.d.next = self.k_bad_length.val();
                        self.rlen.d.next = 0.into();
                        self.drain_after.d.next = true;
                        self.rpos.d.next = 0.into();
                        self.state.d.next = FrameState::RespHead;
                    } else if self.rx_data.val().any() {
                        self.state.d.next = FrameState::Payload;
                    } else {
                        self.state.d.next = FrameState::CrcHi;
                    }
                }
            }
            FrameState::Payload => {
                if self.rx_valid.val() {
                    self.crc.d.next = self.crc_fn.result.val();
                    self.pidx.d.next = self.pidx.q.val() + 1;
                    self.left.d.next = self.left.q.val() - 1;
                    if self.left.q.val() == 1 {
                        self.state.d.next = FrameState::CrcHi;
                    }
                    if self.pidx.q.val() == 0 {
                        self.flags.d.next = self.rx_data.val();
                    }
                    if self.pidx.q.val() == 1 {
                        self.addr_lo.d.next = self.rx_data.val();
                    }
                    if self.pidx.q.val() == 2 {
                        self.addr_hi.d.next = self.rx_data.val();
                    }
                    if self.pidx.q.val() == 3 {
                        self.n_byte.d.next = self.rx_data.val();
                    }
                    if self.pidx.q.val() >= 3 {
                        if self.lane_sel.val() == 0 {
                            self.sh0.next = true;
                        }
                        if self.lane_sel.val() == 1 {
                            self.sh1.next = true;
                        }
                        if self.lane_sel.val() == 2 {
                            self.sh2.next = true;
                        }
                        if self.lane_sel.val() == 3 {
                            self.sh3.next = true;
                            self.fill.d.next = self.fill.q.val() + 1;
                        }
                    }
                }
            }
            FrameState::CrcHi => {
                if self.rx_valid.val() {
                    self.crc_hi_ok.d.next = self.rx_data.val() == self.crc.q.val().get_bits::<8>(8);
                    self.state.d.next = FrameState::CrcLo;
                }
            }
            FrameState::CrcLo => {
                if self.rx_valid.val() {
                    self.crc_ok.d.next = self.crc_hi_ok.q.val()
                        & (self.rx_data.val() == self.crc.q.val().get_bits::<8>(0));
                    self.state.d.next = FrameState::Check;
                }
            }
            FrameState::Check => {
                self.status.d.next = self.k_ok.val();
                self.rlen.d.next = 0.into();
                self.drain_after.d.next = true;
                self.internal.d.next = false;
                self.rpos.d.next = 0.into();
                self.state.d.next = FrameState::RespHead;
                if self.bad_crc.val() {
                    self.status.d.next = self.k_bad_crc.val();
                } else if self.chk_cmd.q.val() {
                    self.status.d.next = self.k_unknown_cmd.val();
                } else if self.chk_len.q.val() {
                    self.status.d.next = self.k_bad_length.val();
                } else if self.chk_arg.q.val() {
                    self.status.d.next = self.k_bad_arg.val();
                } else if self.is_info.val() {
                    self.drain_after.d.next = false;
                    self.internal.d.next = true;
                    self.rlen.d.next = self.k_info_len.val();
                } else {
                    self.drain_after.d.next = false;
                    self.n.d.next = self.n_req.val();
                    self.adr.d.next = self.addr.val().get_bits::<12>(0);
                    self.we.d.next = self.is_write.val();
                    self.privileged.d.next = self.flags.q.val().get_bit(0);
                    self.state.d.next = FrameState::Exec;
                    if self.is_read.val() {
                        // The lanes fill with the words read.
                        self.fill.d.next = 0.into();
                        self.rlen.d.next = bit_cast::<6, 4>(self.n_req.val()) << 2;
                    }
                }
            }
            FrameState::Exec => {
                if self.step.val() {
                    // A written word leaves at the bottom, a read one enters at the top.
                    self.sh0.next = true;
                    self.sh1.next = true;
                    self.sh2.next = true;
                    self.sh3.next = true;
                    self.adr.d.next = self.adr.q.val() + 4;
                    self.n.d.next = self.n.q.val() - 1;
                    if !self.we.q.val() {
                        self.fill.d.next = self.fill.q.val() + 1;
                    }
                    if self.n.q.val() == 1 {
                        self.rpos.d.next = 0.into();
                        self.state.d.next = FrameState::RespHead;
                    }
                }
            }
            FrameState::RespHead => {
                if !self.tx_busy.val() {
                    self.tx_start.next = true;
                    self.crc.d.next = self.crc_fn.result.val();
                    if !self.rpos.q.val().any() {
                        self.crc.d.next = self.k_crc_init.val();
                    }
                    self.rpos.d.next = self.rpos.q.val() + 1;
                    if self.rpos.q.val().all() {
                        self.left.d.next = self.rlen.q.val();
                        self.ridx.d.next = 0.into();
                        if self.rlen.q.val().any() {
                            self.state.d.next = FrameState::RespData;
                        } else {
                            self.state.d.next = FrameState::RespCrcHi;
                        }
                    }
                }
            }
            FrameState::RespData => {
                if !self.tx_busy.val() & (self.aligned.val() | self.internal.q.val()) {
                    self.tx_start.next = true;
                    self.crc.d.next = self.crc_fn.result.val();
                    self.ridx.d.next = self.ridx.q.val() + 1;
                    self.left.d.next = self.left.q.val() - 1;
                    if self.ridx.q.val().get_bits::<2>(0).all() {
                        self.sh0.next = true;
                        self.sh1.next = true;
                        self.sh2.next = true;
                        self.sh3.next = true;
                    }
                    if self.left.q.val() == 1 {
                        self.state.d.next = FrameState::RespCrcHi;
                    }
                }
            }
            FrameState::RespCrcHi => {
                if !self.tx_busy.val() {
                    self.tx_start.next = true;
                    self.state.d.next = FrameState::RespCrcLo;
                }
            }
            FrameState::RespCrcLo => {
                if !self.tx_busy.val() {
                    self.tx_start.next = true;
                    self.state.d.next = FrameState::RespEnd;
                }
            }
            FrameState::RespEnd => {
                // Bytes that arrived while the response was on the line are dropped.
                if !self.tx_busy.val() {
                    self.state.d.next = FrameState::Hunt;
                    if self.drain_after.q.val() {
                        self.state.d.next = FrameState::Drain;
                    }
                }
            }
            _ => {
                if self.quiet.val() {
                    self.state.d.next = FrameState::Hunt;
                }
            }
        }

        if self.sh0.val() {
            self.lane0.d.next =
                (bit_cast::<64, 8>(self.top0.val()) << 56) | (self.lane0.q.val() >> 8);
        }
        if self.sh1.val() {
            self.lane1.d.next =
                (bit_cast::<64, 8>(self.top1.val()) << 56) | (self.lane1.q.val() >> 8);
        }
        if self.sh2.val() {
            self.lane2.d.next =
                (bit_cast::<64, 8>(self.top2.val()) << 56) | (self.lane2.q.val() >> 8);
        }
        if self.sh3.val() {
            self.lane3.d.next =
                (bit_cast::<64, 8>(self.top3.val()) << 56) | (self.lane3.q.val() >> 8);
        }

        // A frame that stops for the timeout is answered, and the line is idle: hunt after.
        if self.in_frame.val() & self.quiet.val() {
            self.status.d.next = self.k_truncated.val();
            self.rlen.d.next = 0.into();
            self.drain_after.d.next = false;
            self.internal.d.next = false;
            self.rpos.d.next = 0.into();
            self.state.d.next = FrameState::RespHead;
        }

        if self.reset.val() {
            self.state.d.next = FrameState::Hunt;
            self.idle_bits.d.next = 0.into();
            self.crc.d.next = 0.into();
            self.seq.d.next = 0.into();
            self.cmd.d.next = 0.into();
            self.len.d.next = 0.into();
            self.pidx.d.next = 0.into();
            self.left.d.next = 0.into();
            self.crc_hi_ok.d.next = false;
            self.crc_ok.d.next = false;
            self.chk_cmd.d.next = false;
            self.chk_len.d.next = false;
            self.chk_arg.d.next = false;
            self.flags.d.next = 0.into();
            self.addr_lo.d.next = 0.into();
            self.addr_hi.d.next = 0.into();
            self.n_byte.d.next = 0.into();
            self.fill.d.next = self.k_lane_words.val();
            self.status.d.next = 0.into();
            self.rlen.d.next = 0.into();
            self.ridx.d.next = 0.into();
            self.drain_after.d.next = false;
            self.rpos.d.next = 0.into();
            self.n.d.next = 0.into();
            self.adr.d.next = 0.into();
            self.we.d.next = false;
            self.privileged.d.next = false;
            self.internal.d.next = false;
        }

        self.wb_cyc.next = self.stb.val();
        self.wb_stb.next = self.stb.val();
        self.wb_we.next = self.we.q.val();
        self.wb_adr.next = self.adr.q.val();
        self.wb_priv.next = self.privileged.q.val();
        self.wb_dat_w.next = (bit_cast::<32, 8>(self.lane3.q.val().get_bits::<8>(0)) << 24)
            | (bit_cast::<32, 8>(self.lane2.q.val().get_bits::<8>(0)) << 16)
            | (bit_cast::<32, 8>(self.lane1.q.val().get_bits::<8>(0)) << 8)
            | bit_cast::<32, 8>(self.lane0.q.val().get_bits::<8>(0));
    }
}
