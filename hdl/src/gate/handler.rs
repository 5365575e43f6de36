//! The request handler: the Wishbone side of the gate (`docs/gate.md`, "Request interface",
//! "Registers", "Violations"). It owns everything software configures or observes — the
//! policy registers, ERR, VIOLATIONS, lockdown, `done`/`engine_status` — and decides every
//! access in the single ACT cycle, so a request is acknowledged exactly two cycles after it
//! is sampled whatever it does. The command FSM (`sequencer.rs`) only learns of accepted
//! commands (`go`) and of lockdown (`trip`).
//!
//! Every number (offsets, field positions, codes) comes from `scu_driver::regmap::scu`, so
//! the decoder cannot drift from the map the driver and the documentation are built from.

use super::GateParams;
use rust_hdl::prelude::*;
use scu_driver::regmap::scu::{self, cmd::op, err::code};
use scu_driver::regmap::{EnumValue, Field, Register};
use scu_golden::engine::program::reg;

#[derive(Copy, Clone, PartialEq, Debug, LogicState)]
pub enum ReqState {
    Idle,
    Act,
    Ack,
}

#[derive(LogicBlock)]
pub struct Handler {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    /// The Wishbone request; `adr` is the word address (the top drops the byte bits).
    pub cyc_stb: Signal<In, Bit>,
    pub we: Signal<In, Bit>,
    pub adr: Signal<In, Bits<10>>,
    pub dat_w: Signal<In, Bits<32>>,
    pub privileged: Signal<In, Bit>,
    pub ack: Signal<Out, Bit>,
    pub dat_r: Signal<Out, Bits<32>>,
    pub alert: Signal<Out, Bit>,

    /// From the command FSM: not IDLE; a command finished (its status with it); a slot is
    /// being stored (this cycle's edge writes the RAM).
    pub busy: Signal<In, Bit>,
    pub finish: Signal<In, Bit>,
    pub finish_status: Signal<In, Bits<3>>,
    pub store: Signal<In, Bit>,
    pub store_slot: Signal<In, Bits<4>>,
    pub store_wlock: Signal<In, Bit>,
    /// To the command FSM: an accepted command other than NOP, and the lockdown trigger.
    pub go: Signal<Out, Bit>,
    pub go_op: Signal<Out, Bits<4>>,
    pub go_slot: Signal<Out, Bits<4>>,
    pub trip: Signal<Out, Bit>,

    /// Window accesses; the gate routes them to the engine only while the FSM is idle.
    pub host_we: Signal<Out, Bit>,
    pub host_re: Signal<Out, Bit>,
    pub host_addr: Signal<Out, Bits<5>>,
    /// Lane (bits 32i+31..32i) of register `host_addr`; read data is that lane, a cycle later.
    pub host_lane: Signal<Out, Bits<3>>,
    pub host_wdata: Signal<Out, Bits<32>>,
    pub host_rdata: Signal<In, Bits<32>>,

    pub rnd: Signal<In, Bits<32>>,
    pub rnd_valid: Signal<In, Bit>,
    pub rnd_pop: Signal<Out, Bit>,
    pub trng_alarm: Signal<In, Bit>,
    pub trng_alarm_test: Signal<In, Bits<3>>,
    pub trng_startup: Signal<In, Bit>,
    pub trng_rct_fails: Signal<In, Bits<16>>,
    pub trng_apt_fails: Signal<In, Bits<16>>,
    pub trng_lag_fails: Signal<In, Bits<16>>,
    pub trng_samples: Signal<In, Bits<32>>,
    pub trng_alarm_sample: Signal<In, Bits<32>>,

    state: DFF<ReqState>,
    req_we: DFF<Bit>,
    req_wa: DFF<Bits<10>>,
    /// `req_wa` is in the policy array: decoded from the bus address as it is latched, since
    /// the subtract-and-compare was the head of the UP5K's critical path.
    req_policy: DFF<Bit>,
    req_dat: DFF<Bits<32>>,
    req_priv: DFF<Bit>,
    rd: DFF<Bits<32>>,
    rd_win: DFF<Bit>,
    err_code: DFF<Bits<8>>,
    err_last: DFF<Bits<8>>,
    viol_count: DFF<Bits<16>>,
    alert_seen: DFF<Bit>,
    alert_r: DFF<Bit>,
    alarm_prev: DFF<Bit>,
    lockdown: DFF<Bit>,
    done: DFF<Bit>,
    estatus: DFF<Bits<3>>,
    threshold: DFF<Bits<8>>,
    thr_lock: DFF<Bit>,
    allow_ops: DFF<Bits<16>>,
    allow_lock: DFF<Bit>,
    // One bit per slot (bit s: slot s); bits at and above `slots` never leave 0.
    allow_sign: DFF<Bits<16>>,
    allow_ecdh: DFF<Bits<16>>,
    valid: DFF<Bits<16>>,
    wlock: DFF<Bits<16>>,
    ulock: DFF<Bits<16>>,

    // Word addresses of the single registers, and the 8-word window groups (word address / 8).
    k_a_id: Constant<Bits<10>>,
    k_a_status: Constant<Bits<10>>,
    k_a_cmd: Constant<Bits<10>>,
    k_a_err: Constant<Bits<10>>,
    k_a_viol: Constant<Bits<10>>,
    k_a_thr: Constant<Bits<10>>,
    k_a_allow: Constant<Bits<10>>,
    k_a_policy: Constant<Bits<10>>,
    k_a_tstatus: Constant<Bits<10>>,
    k_a_tdata: Constant<Bits<10>>,
    k_a_rct: Constant<Bits<10>>,
    k_a_apt: Constant<Bits<10>>,
    k_a_lag: Constant<Bits<10>>,
    k_a_samples: Constant<Bits<10>>,
    k_a_alarm_sample: Constant<Bits<10>>,
    k_g_op_x: Constant<Bits<7>>,
    k_g_op_y: Constant<Bits<7>>,
    k_g_op_z: Constant<Bits<7>>,
    k_g_op_r: Constant<Bits<7>>,
    k_g_op_s: Constant<Bits<7>>,
    k_g_op_d: Constant<Bits<7>>,
    k_g_op_k: Constant<Bits<7>>,
    k_g_res_x: Constant<Bits<7>>,
    k_g_res_y: Constant<Bits<7>>,
    k_g_res_r: Constant<Bits<7>>,
    k_g_res_s: Constant<Bits<7>>,
    // Engine registers behind the windows.
    k_r_qx: Constant<Bits<5>>,
    k_r_qy: Constant<Bits<5>>,
    k_r_z: Constant<Bits<5>>,
    k_r_r: Constant<Bits<5>>,
    k_r_s: Constant<Bits<5>>,
    k_r_d: Constant<Bits<5>>,
    k_r_nonce: Constant<Bits<5>>,

    k_id: Constant<Bits<32>>,
    k_slots: Constant<Bits<10>>,
    k_policy_words: Constant<Bits<10>>,
    k_slot_mask: Constant<Bits<16>>,
    k_randomize: Constant<Bit>,
    k_one16: Constant<Bits<16>>,
    k_count_max: Constant<Bits<16>>,

    // Field masks and positions of the words software reads.
    k_st_busy: Constant<Bits<32>>,
    k_st_done: Constant<Bits<32>>,
    k_st_lockdown: Constant<Bits<32>>,
    k_st_alarm: Constant<Bits<32>>,
    k_st_ready: Constant<Bits<32>>,
    k_st_alert: Constant<Bits<32>>,
    k_st_es_lsb: Constant<Bits<5>>,
    k_err_last_lsb: Constant<Bits<5>>,
    k_thr_lock: Constant<Bits<32>>,
    k_ua_lock: Constant<Bits<32>>,
    k_pol_sign: Constant<Bits<32>>,
    k_pol_ecdh: Constant<Bits<32>>,
    k_pol_valid: Constant<Bits<32>>,
    k_pol_wlock: Constant<Bits<32>>,
    k_pol_ulock: Constant<Bits<32>>,
    k_ts_alarm: Constant<Bits<32>>,
    k_ts_startup: Constant<Bits<32>>,
    k_ts_ready: Constant<Bits<32>>,
    k_ts_test_lsb: Constant<Bits<5>>,
    // Bit positions in written words.
    k_b_thr_lock: Constant<Bits<5>>,
    k_b_thr_lsb: Constant<Bits<5>>,
    k_b_ua_lock: Constant<Bits<5>>,
    k_b_ua_lsb: Constant<Bits<5>>,
    k_b_sign: Constant<Bits<5>>,
    k_b_ecdh: Constant<Bits<5>>,
    k_b_wlock: Constant<Bits<5>>,
    k_b_ulock: Constant<Bits<5>>,
    k_b_op: Constant<Bits<5>>,
    k_b_slot: Constant<Bits<5>>,

    k_op_nop: Constant<Bits<4>>,
    k_op_keygen_slot: Constant<Bits<4>>,
    k_op_sign_slot: Constant<Bits<4>>,
    k_op_ecdh_slot: Constant<Bits<4>>,
    k_op_import_slot: Constant<Bits<4>>,
    k_op_pubkey_slot: Constant<Bits<4>>,
    k_op_zeroize: Constant<Bits<4>>,
    k_op_keygen_ext: Constant<Bits<4>>,
    k_op_sign_ext: Constant<Bits<4>>,
    k_op_ecdh_ext: Constant<Bits<4>>,
    k_op_max: Constant<Bits<4>>,

    k_e_priv: Constant<Bits<8>>,
    k_e_locked: Constant<Bits<8>>,
    k_e_use_locked: Constant<Bits<8>>,
    k_e_policy: Constant<Bits<8>>,
    k_e_empty: Constant<Bits<8>>,
    k_e_busy: Constant<Bits<8>>,
    k_e_bad_cmd: Constant<Bits<8>>,
    k_e_bad_addr: Constant<Bits<8>>,
    k_e_lockdown: Constant<Bits<8>>,
    k_e_trng: Constant<Bits<8>>,

    // Decode of the latched address.
    is_id: Signal<Local, Bit>,
    is_status: Signal<Local, Bit>,
    is_cmd: Signal<Local, Bit>,
    is_err: Signal<Local, Bit>,
    is_viol: Signal<Local, Bit>,
    is_thr: Signal<Local, Bit>,
    is_allow: Signal<Local, Bit>,
    is_policy: Signal<Local, Bit>,
    is_tstatus: Signal<Local, Bit>,
    is_tdata: Signal<Local, Bit>,
    is_rct: Signal<Local, Bit>,
    is_apt: Signal<Local, Bit>,
    is_lag: Signal<Local, Bit>,
    is_samples: Signal<Local, Bit>,
    is_alarm_sample: Signal<Local, Bit>,
    adr_policy_off: Signal<Local, Bits<10>>,
    policy_slot: Signal<Local, Bits<4>>,
    policy_hot: Signal<Local, Bits<16>>,
    win_group: Signal<Local, Bits<7>>,
    win_word: Signal<Local, Bits<3>>,
    win_r: Signal<Local, Bit>,
    win_w: Signal<Local, Bit>,
    win_reg: Signal<Local, Bits<5>>,
    lane: Signal<Local, Bits<3>>,
    readable: Signal<Local, Bit>,
    writable: Signal<Local, Bit>,
    privileged_reg: Signal<Local, Bit>,

    // The words software reads.
    f_busy: Signal<Local, Bits<32>>,
    f_done: Signal<Local, Bits<32>>,
    f_lockdown: Signal<Local, Bits<32>>,
    f_alarm: Signal<Local, Bits<32>>,
    f_ready: Signal<Local, Bits<32>>,
    f_alert: Signal<Local, Bits<32>>,
    f_thr_lock: Signal<Local, Bits<32>>,
    f_ua_lock: Signal<Local, Bits<32>>,
    f_sign: Signal<Local, Bits<32>>,
    f_ecdh: Signal<Local, Bits<32>>,
    f_valid: Signal<Local, Bits<32>>,
    f_wlock: Signal<Local, Bits<32>>,
    f_ulock: Signal<Local, Bits<32>>,
    f_ts_alarm: Signal<Local, Bits<32>>,
    f_ts_startup: Signal<Local, Bits<32>>,
    f_ts_ready: Signal<Local, Bits<32>>,
    trng_ready: Signal<Local, Bit>,
    pol_sign: Signal<Local, Bit>,
    pol_ecdh: Signal<Local, Bit>,
    pol_valid: Signal<Local, Bit>,
    pol_wlock: Signal<Local, Bit>,
    pol_ulock: Signal<Local, Bit>,
    reg_word: Signal<Local, Bits<32>>,

    // Writes.
    new_sign: Signal<Local, Bit>,
    new_ecdh: Signal<Local, Bit>,
    new_wlock: Signal<Local, Bit>,
    new_ulock: Signal<Local, Bit>,
    policy_locked: Signal<Local, Bit>,
    cmd_op: Signal<Local, Bits<4>>,
    cmd_slot: Signal<Local, Bits<4>>,
    op_is_slot: Signal<Local, Bit>,
    op_needs_key: Signal<Local, Bit>,
    op_makes_key: Signal<Local, Bit>,
    op_needs_trng: Signal<Local, Bit>,
    slot_valid: Signal<Local, Bit>,
    slot_wlock: Signal<Local, Bit>,
    slot_ulock: Signal<Local, Bit>,
    slot_sign: Signal<Local, Bit>,
    slot_ecdh: Signal<Local, Bit>,

    // The outcome of ACT.
    act: Signal<Local, Bit>,
    viol_code: Signal<Local, Bits<8>>,
    violation: Signal<Local, Bit>,
    accept: Signal<Local, Bit>,
    store_thr: Signal<Local, Bit>,
    store_allow: Signal<Local, Bit>,
    store_policy: Signal<Local, Bit>,
    count_next: Signal<Local, Bits<16>>,
    /// The lockdown threshold less one: with a threshold t ≥ 1, the count after this
    /// violation reaches t exactly when the count before it is ≥ t − 1 (at the saturated
    /// maximum both hold), so the trip test compares the count register rather than the
    /// incremented count (on the iCE40 the increment's carry chain in front of the compare's
    /// was the `tiny` build's critical path).
    thr_m1: Signal<Local, Bits<16>>,
    tripped: Signal<Local, Bit>,
    clear_valid: Signal<Local, Bit>,
    store_hot: Signal<Local, Bits<16>>,
    wlock_by_bus: Signal<Local, Bits<16>>,
    wlock_by_store: Signal<Local, Bits<16>>,
    valid_by_store: Signal<Local, Bits<16>>,
    alarm_rise: Signal<Local, Bit>,
    ack_lane: Signal<Local, Bits<32>>,
}

fn k<const N: usize>(x: u64) -> Constant<Bits<N>> {
    Constant::new(Bits::<N>::from(x))
}

/// Word address of a single register.
fn word(r: &Register) -> Constant<Bits<10>> {
    k(u64::from(r.offset / 4))
}

/// Window group (8 words, 32 bytes) of a window register.
fn group(r: &Register) -> Constant<Bits<7>> {
    assert_eq!(r.count(), 8, "{}: windows are 8 words", r.name);
    assert_eq!(r.offset % 32, 0, "{}: windows are 32-byte aligned", r.name);
    k(u64::from(r.offset / 32))
}

fn mask(f: &Field) -> Constant<Bits<32>> {
    k(u64::from(f.mask()))
}

fn lsb(f: &Field) -> Constant<Bits<5>> {
    k(u64::from(f.lsb))
}

fn code(v: EnumValue) -> Constant<Bits<8>> {
    k(u64::from(v.value))
}

fn opk(v: EnumValue) -> Constant<Bits<4>> {
    k(u64::from(v.value))
}

impl Handler {
    pub fn new(p: &GateParams) -> Self {
        use scu::{lockdown_threshold as lt, slot_policy as sp, status as st, trng_status as ts};
        // The decoder's shapes are facts about the map; if the map changes shape, stop here.
        assert_eq!(scu::cmd::OP.width, 4);
        assert_eq!(scu::cmd::SLOT.width, 4);
        assert_eq!(scu::err::CODE.width, 8);
        assert_eq!(scu::violations::COUNT.width, 16);
        assert_eq!(lt::THRESHOLD.width, 8);
        assert_eq!(scu::user_allow::OPS.width, 16);
        assert_eq!(st::ENGINE_STATUS.width, 3);
        assert_eq!(ts::ALARM_TEST.width, 3);
        assert!(op::ALL.iter().all(|v| v.value <= op::ECDH_EXT.value));
        // Policy words exist for the slots the map has room for (docs/gate.md, "Resolved
        // details"): with more than 8 slots the others have no address.
        let policy_words = p.slots.min(scu::SLOT_POLICY.count() as usize);
        let id = scu::ID.reset_with(|_| p.word_width as u32);
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
            busy: Default::default(),
            finish: Default::default(),
            finish_status: Default::default(),
            store: Default::default(),
            store_slot: Default::default(),
            store_wlock: Default::default(),
            go: Default::default(),
            go_op: Default::default(),
            go_slot: Default::default(),
            trip: Default::default(),
            host_we: Default::default(),
            host_re: Default::default(),
            host_addr: Default::default(),
            host_lane: Default::default(),
            host_wdata: Default::default(),
            host_rdata: Default::default(),
            rnd: Default::default(),
            rnd_valid: Default::default(),
            rnd_pop: Default::default(),
            trng_alarm: Default::default(),
            trng_alarm_test: Default::default(),
            trng_startup: Default::default(),
            trng_rct_fails: Default::default(),
            trng_apt_fails: Default::default(),
            trng_lag_fails: Default::default(),
            trng_samples: Default::default(),
            trng_alarm_sample: Default::default(),
            state: Default::default(),
            req_we: Default::default(),
            req_wa: Default::default(),
            req_policy: Default::default(),
            req_dat: Default::default(),
            req_priv: Default::default(),
            rd: Default::default(),
            rd_win: Default::default(),
            err_code: Default::default(),
            err_last: Default::default(),
            viol_count: Default::default(),
            alert_seen: Default::default(),
            alert_r: Default::default(),
            alarm_prev: Default::default(),
            lockdown: Default::default(),
            done: Default::default(),
            estatus: Default::default(),
            threshold: Default::default(),
            thr_lock: Default::default(),
            allow_ops: Default::default(),
            allow_lock: Default::default(),
            allow_sign: Default::default(),
            allow_ecdh: Default::default(),
            valid: Default::default(),
            wlock: Default::default(),
            ulock: Default::default(),
            k_a_id: word(&scu::ID),
            k_a_status: word(&scu::STATUS),
            k_a_cmd: word(&scu::CMD),
            k_a_err: word(&scu::ERR),
            k_a_viol: word(&scu::VIOLATIONS),
            k_a_thr: word(&scu::LOCKDOWN_THRESHOLD),
            k_a_allow: word(&scu::USER_ALLOW),
            k_a_policy: word(&scu::SLOT_POLICY),
            k_a_tstatus: word(&scu::TRNG_STATUS),
            k_a_tdata: word(&scu::TRNG_DATA),
            k_a_rct: word(&scu::TRNG_RCT_FAILS),
            k_a_apt: word(&scu::TRNG_APT_FAILS),
            k_a_lag: word(&scu::TRNG_LAG_FAILS),
            k_a_samples: word(&scu::TRNG_SAMPLES),
            k_a_alarm_sample: word(&scu::TRNG_ALARM_SAMPLE),
            k_g_op_x: group(&scu::OP_X),
            k_g_op_y: group(&scu::OP_Y),
            k_g_op_z: group(&scu::OP_Z),
            k_g_op_r: group(&scu::OP_R),
            k_g_op_s: group(&scu::OP_S),
            k_g_op_d: group(&scu::OP_D),
            k_g_op_k: group(&scu::OP_K),
            k_g_res_x: group(&scu::RES_X),
            k_g_res_y: group(&scu::RES_Y),
            k_g_res_r: group(&scu::RES_R),
            k_g_res_s: group(&scu::RES_S),
            k_r_qx: k(reg::QX.into()),
            k_r_qy: k(reg::QY.into()),
            k_r_z: k(reg::Z.into()),
            k_r_r: k(reg::R.into()),
            k_r_s: k(reg::S.into()),
            k_r_d: k(reg::D.into()),
            k_r_nonce: k(reg::NONCE.into()),
            k_id: k(id.into()),
            k_slots: k(p.slots as u64),
            k_policy_words: k(policy_words as u64),
            k_slot_mask: k((1u64 << p.slots) - 1),
            k_randomize: Constant::new(p.randomize),
            k_one16: k(1),
            k_count_max: k(0xffff),
            k_st_busy: mask(&st::BUSY),
            k_st_done: mask(&st::DONE),
            k_st_lockdown: mask(&st::LOCKDOWN),
            k_st_alarm: mask(&st::TRNG_ALARM),
            k_st_ready: mask(&st::TRNG_READY),
            k_st_alert: mask(&st::ALERT),
            k_st_es_lsb: lsb(&st::ENGINE_STATUS),
            k_err_last_lsb: lsb(&scu::err::LAST),
            k_thr_lock: mask(&lt::LOCK),
            k_ua_lock: mask(&scu::user_allow::LOCK),
            k_pol_sign: mask(&sp::ALLOW_SIGN),
            k_pol_ecdh: mask(&sp::ALLOW_ECDH),
            k_pol_valid: mask(&sp::VALID),
            k_pol_wlock: mask(&sp::WLOCK),
            k_pol_ulock: mask(&sp::ULOCK),
            k_ts_alarm: mask(&ts::ALARM),
            k_ts_startup: mask(&ts::STARTUP_DONE),
            k_ts_ready: mask(&ts::READY),
            k_ts_test_lsb: lsb(&ts::ALARM_TEST),
            k_b_thr_lock: lsb(&lt::LOCK),
            k_b_thr_lsb: lsb(&lt::THRESHOLD),
            k_b_ua_lock: lsb(&scu::user_allow::LOCK),
            k_b_ua_lsb: lsb(&scu::user_allow::OPS),
            k_b_sign: lsb(&sp::ALLOW_SIGN),
            k_b_ecdh: lsb(&sp::ALLOW_ECDH),
            k_b_wlock: lsb(&sp::WLOCK),
            k_b_ulock: lsb(&sp::ULOCK),
            k_b_op: lsb(&scu::cmd::OP),
            k_b_slot: lsb(&scu::cmd::SLOT),
            k_op_nop: opk(op::NOP),
            k_op_keygen_slot: opk(op::KEYGEN_SLOT),
            k_op_sign_slot: opk(op::SIGN_SLOT),
            k_op_ecdh_slot: opk(op::ECDH_SLOT),
            k_op_import_slot: opk(op::IMPORT_SLOT),
            k_op_pubkey_slot: opk(op::PUBKEY_SLOT),
            k_op_zeroize: opk(op::ZEROIZE),
            k_op_keygen_ext: opk(op::KEYGEN_EXT),
            k_op_sign_ext: opk(op::SIGN_EXT),
            k_op_ecdh_ext: opk(op::ECDH_EXT),
            k_op_max: opk(op::ECDH_EXT),
            k_e_priv: code(code::PRIV),
            k_e_locked: code(code::LOCKED),
            k_e_use_locked: code(code::USE_LOCKED),
            k_e_policy: code(code::POLICY),
            k_e_empty: code(code::EMPTY_SLOT),
            k_e_busy: code(code::BUSY),
            k_e_bad_cmd: code(code::BAD_CMD),
            k_e_bad_addr: code(code::BAD_ADDR),
            k_e_lockdown: code(code::LOCKDOWN),
            k_e_trng: code(code::TRNG),
            is_id: Default::default(),
            is_status: Default::default(),
            is_cmd: Default::default(),
            is_err: Default::default(),
            is_viol: Default::default(),
            is_thr: Default::default(),
            is_allow: Default::default(),
            is_policy: Default::default(),
            is_tstatus: Default::default(),
            is_tdata: Default::default(),
            is_rct: Default::default(),
            is_apt: Default::default(),
            is_lag: Default::default(),
            is_samples: Default::default(),
            is_alarm_sample: Default::default(),
            adr_policy_off: Default::default(),
            policy_slot: Default::default(),
            policy_hot: Default::default(),
            win_group: Default::default(),
            win_word: Default::default(),
            win_r: Default::default(),
            win_w: Default::default(),
            win_reg: Default::default(),
            lane: Default::default(),
            readable: Default::default(),
            writable: Default::default(),
            privileged_reg: Default::default(),
            f_busy: Default::default(),
            f_done: Default::default(),
            f_lockdown: Default::default(),
            f_alarm: Default::default(),
            f_ready: Default::default(),
            f_alert: Default::default(),
            f_thr_lock: Default::default(),
            f_ua_lock: Default::default(),
            f_sign: Default::default(),
            f_ecdh: Default::default(),
            f_valid: Default::default(),
            f_wlock: Default::default(),
            f_ulock: Default::default(),
            f_ts_alarm: Default::default(),
            f_ts_startup: Default::default(),
            f_ts_ready: Default::default(),
            trng_ready: Default::default(),
            pol_sign: Default::default(),
            pol_ecdh: Default::default(),
            pol_valid: Default::default(),
            pol_wlock: Default::default(),
            pol_ulock: Default::default(),
            reg_word: Default::default(),
            new_sign: Default::default(),
            new_ecdh: Default::default(),
            new_wlock: Default::default(),
            new_ulock: Default::default(),
            policy_locked: Default::default(),
            cmd_op: Default::default(),
            cmd_slot: Default::default(),
            op_is_slot: Default::default(),
            op_needs_key: Default::default(),
            op_makes_key: Default::default(),
            op_needs_trng: Default::default(),
            slot_valid: Default::default(),
            slot_wlock: Default::default(),
            slot_ulock: Default::default(),
            slot_sign: Default::default(),
            slot_ecdh: Default::default(),
            act: Default::default(),
            viol_code: Default::default(),
            violation: Default::default(),
            accept: Default::default(),
            store_thr: Default::default(),
            store_allow: Default::default(),
            store_policy: Default::default(),
            count_next: Default::default(),
            thr_m1: Default::default(),
            tripped: Default::default(),
            clear_valid: Default::default(),
            store_hot: Default::default(),
            wlock_by_bus: Default::default(),
            wlock_by_store: Default::default(),
            valid_by_store: Default::default(),
            alarm_rise: Default::default(),
            ack_lane: Default::default(),
        }
    }
}

impl Logic for Handler {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, state, req_we, req_wa, req_policy, req_dat, req_priv, rd, rd_win,
            err_code, err_last, viol_count, alert_seen, alert_r, alarm_prev, lockdown, done,
            estatus, threshold, thr_lock, allow_ops, allow_lock, allow_sign, allow_ecdh, valid,
            wlock, ulock
        );

        // ---- Decode of the latched word address ----
        self.is_id.next = self.req_wa.q.val() == self.k_a_id.val();
        self.is_status.next = self.req_wa.q.val() == self.k_a_status.val();
        self.is_cmd.next = self.req_wa.q.val() == self.k_a_cmd.val();
        self.is_err.next = self.req_wa.q.val() == self.k_a_err.val();
        self.is_viol.next = self.req_wa.q.val() == self.k_a_viol.val();
        self.is_thr.next = self.req_wa.q.val() == self.k_a_thr.val();
        self.is_allow.next = self.req_wa.q.val() == self.k_a_allow.val();
        self.is_tstatus.next = self.req_wa.q.val() == self.k_a_tstatus.val();
        self.is_tdata.next = self.req_wa.q.val() == self.k_a_tdata.val();
        self.is_rct.next = self.req_wa.q.val() == self.k_a_rct.val();
        self.is_apt.next = self.req_wa.q.val() == self.k_a_apt.val();
        self.is_lag.next = self.req_wa.q.val() == self.k_a_lag.val();
        self.is_samples.next = self.req_wa.q.val() == self.k_a_samples.val();
        self.is_alarm_sample.next = self.req_wa.q.val() == self.k_a_alarm_sample.val();
        // Below the array the subtraction wraps to a large number, so one compare bounds both ends.
        self.adr_policy_off.next = self.adr.val() - self.k_a_policy.val();
        self.is_policy.next = self.req_policy.q.val();
        // The slot is the offset's low bits, and those only need the low bits subtracted.
        self.policy_slot.next =
            bit_cast::<4, 10>(self.req_wa.q.val()) - bit_cast::<4, 10>(self.k_a_policy.val());
        self.policy_hot.next =
            (self.k_one16.val() << self.policy_slot.val()) & self.k_slot_mask.val();

        self.win_group.next = self.req_wa.q.val().get_bits::<7>(3);
        self.win_word.next = self.req_wa.q.val().get_bits::<3>(0);
        self.win_r.next = false;
        self.win_w.next = false;
        self.win_reg.next = self.k_r_qx.val();
        if self.win_group.val() == self.k_g_op_x.val() {
            self.win_r.next = true;
            self.win_w.next = true;
            self.win_reg.next = self.k_r_qx.val();
        }
        if self.win_group.val() == self.k_g_op_y.val() {
            self.win_r.next = true;
            self.win_w.next = true;
            self.win_reg.next = self.k_r_qy.val();
        }
        if self.win_group.val() == self.k_g_op_z.val() {
            self.win_r.next = true;
            self.win_w.next = true;
            self.win_reg.next = self.k_r_z.val();
        }
        if self.win_group.val() == self.k_g_op_r.val() {
            self.win_r.next = true;
            self.win_w.next = true;
            self.win_reg.next = self.k_r_r.val();
        }
        if self.win_group.val() == self.k_g_op_s.val() {
            self.win_r.next = true;
            self.win_w.next = true;
            self.win_reg.next = self.k_r_s.val();
        }
        if self.win_group.val() == self.k_g_op_d.val() {
            self.win_w.next = true;
            self.win_reg.next = self.k_r_d.val();
        }
        if self.win_group.val() == self.k_g_op_k.val() {
            self.win_w.next = true;
            self.win_reg.next = self.k_r_nonce.val();
        }
        if self.win_group.val() == self.k_g_res_x.val() {
            self.win_r.next = true;
            self.win_reg.next = self.k_r_qx.val();
        }
        if self.win_group.val() == self.k_g_res_y.val() {
            self.win_r.next = true;
            self.win_reg.next = self.k_r_qy.val();
        }
        if self.win_group.val() == self.k_g_res_r.val() {
            self.win_r.next = true;
            self.win_reg.next = self.k_r_r.val();
        }
        if self.win_group.val() == self.k_g_res_s.val() {
            self.win_r.next = true;
            self.win_reg.next = self.k_r_s.val();
        }
        // Word i of a window (most significant first) is the register file's lane 7 - i,
        // which for three bits is the complement (no carry chain).
        self.lane.next = !self.win_word.val();

        self.readable.next = self.is_id.val()
            | self.is_status.val()
            | self.is_err.val()
            | self.is_viol.val()
            | self.is_thr.val()
            | self.is_allow.val()
            | self.is_policy.val()
            | self.is_tstatus.val()
            | self.is_tdata.val()
            | self.is_rct.val()
            | self.is_apt.val()
            | self.is_lag.val()
            | self.is_samples.val()
            | self.is_alarm_sample.val()
            | self.win_r.val();
        self.privileged_reg.next = self.is_thr.val() | self.is_allow.val() | self.is_policy.val();
        self.writable.next = self.privileged_reg.val() | self.is_cmd.val() | self.win_w.val();

        // ---- The words software reads ----
        self.trng_ready.next = self.rnd_valid.val() & !self.busy.val();
        self.f_busy.next = 0.into();
        if self.busy.val() {
            self.f_busy.next = self.k_st_busy.val();
        }
        self.f_done.next = 0.into();
        if self.done.q.val() {
            self.f_done.next = self.k_st_done.val();
        }
        self.f_lockdown.next = 0.into();
        if self.lockdown.q.val() {
            self.f_lockdown.next = self.k_st_lockdown.val();
        }
        self.f_alarm.next = 0.into();
        self.f_ts_alarm.next = 0.into();
        if self.trng_alarm.val() {
            self.f_alarm.next = self.k_st_alarm.val();
            self.f_ts_alarm.next = self.k_ts_alarm.val();
        }
        self.f_ready.next = 0.into();
        self.f_ts_ready.next = 0.into();
        if self.trng_ready.val() {
            self.f_ready.next = self.k_st_ready.val();
            self.f_ts_ready.next = self.k_ts_ready.val();
        }
        self.f_alert.next = 0.into();
        if self.alert_seen.q.val() {
            self.f_alert.next = self.k_st_alert.val();
        }
        self.f_ts_startup.next = 0.into();
        if self.trng_startup.val() {
            self.f_ts_startup.next = self.k_ts_startup.val();
        }
        self.f_thr_lock.next = 0.into();
        if self.thr_lock.q.val() {
            self.f_thr_lock.next = self.k_thr_lock.val();
        }
        self.f_ua_lock.next = 0.into();
        if self.allow_lock.q.val() {
            self.f_ua_lock.next = self.k_ua_lock.val();
        }
        self.pol_sign.next = self
            .allow_sign
            .q
            .val()
            .get_bit(self.policy_slot.val().index());
        self.pol_ecdh.next = self
            .allow_ecdh
            .q
            .val()
            .get_bit(self.policy_slot.val().index());
        self.pol_valid.next = self.valid.q.val().get_bit(self.policy_slot.val().index());
        self.pol_wlock.next = self.wlock.q.val().get_bit(self.policy_slot.val().index());
        self.pol_ulock.next = self.ulock.q.val().get_bit(self.policy_slot.val().index());
        self.f_sign.next = 0.into();
        if self.pol_sign.val() {
            self.f_sign.next = self.k_pol_sign.val();
        }
        self.f_ecdh.next = 0.into();
        if self.pol_ecdh.val() {
            self.f_ecdh.next = self.k_pol_ecdh.val();
        }
        self.f_valid.next = 0.into();
        if self.pol_valid.val() {
            self.f_valid.next = self.k_pol_valid.val();
        }
        self.f_wlock.next = 0.into();
        if self.pol_wlock.val() {
            self.f_wlock.next = self.k_pol_wlock.val();
        }
        self.f_ulock.next = 0.into();
        if self.pol_ulock.val() {
            self.f_ulock.next = self.k_pol_ulock.val();
        }

        self.reg_word.next = 0.into();
        if self.is_id.val() {
            self.reg_word.next = self.k_id.val();
        }
        if self.is_status.val() {
            self.reg_word.next = self.f_busy.val()
                | self.f_done.val()
                | (bit_cast::<32, 3>(self.estatus.q.val()) << self.k_st_es_lsb.val())
                | self.f_lockdown.val()
                | self.f_alarm.val()
                | self.f_ready.val()
                | self.f_alert.val();
        }
        if self.is_err.val() {
            self.reg_word.next = bit_cast::<32, 8>(self.err_code.q.val())
                | (bit_cast::<32, 8>(self.err_last.q.val()) << self.k_err_last_lsb.val());
        }
        if self.is_viol.val() {
            self.reg_word.next = bit_cast::<32, 16>(self.viol_count.q.val());
        }
        if self.is_thr.val() {
            self.reg_word.next = bit_cast::<32, 8>(self.threshold.q.val()) | self.f_thr_lock.val();
        }
        if self.is_allow.val() {
            self.reg_word.next = bit_cast::<32, 16>(self.allow_ops.q.val()) | self.f_ua_lock.val();
        }
        if self.is_policy.val() {
            self.reg_word.next = self.f_sign.val()
                | self.f_ecdh.val()
                | self.f_valid.val()
                | self.f_wlock.val()
                | self.f_ulock.val();
        }
        if self.is_tstatus.val() {
            self.reg_word.next = self.f_ts_alarm.val()
                | (bit_cast::<32, 3>(self.trng_alarm_test.val()) << self.k_ts_test_lsb.val())
                | self.f_ts_startup.val()
                | self.f_ts_ready.val();
        }
        if self.is_tdata.val() & self.trng_ready.val() {
            self.reg_word.next = self.rnd.val();
        }
        if self.is_rct.val() {
            self.reg_word.next = bit_cast::<32, 16>(self.trng_rct_fails.val());
        }
        if self.is_apt.val() {
            self.reg_word.next = bit_cast::<32, 16>(self.trng_apt_fails.val());
        }
        if self.is_lag.val() {
            self.reg_word.next = bit_cast::<32, 16>(self.trng_lag_fails.val());
        }
        if self.is_samples.val() {
            self.reg_word.next = self.trng_samples.val();
        }
        if self.is_alarm_sample.val() {
            self.reg_word.next = self.trng_alarm_sample.val();
        }

        // ---- Written words ----
        self.new_sign.next = self.req_dat.q.val().get_bit(self.k_b_sign.val().index());
        self.new_ecdh.next = self.req_dat.q.val().get_bit(self.k_b_ecdh.val().index());
        self.new_wlock.next = self.req_dat.q.val().get_bit(self.k_b_wlock.val().index());
        self.new_ulock.next = self.req_dat.q.val().get_bit(self.k_b_ulock.val().index());
        self.policy_locked.next = (self.pol_wlock.val() & !self.new_wlock.val())
            | (self.pol_ulock.val() & !self.new_ulock.val())
            | (self.pol_wlock.val()
                & ((self.pol_sign.val() != self.new_sign.val())
                    | (self.pol_ecdh.val() != self.new_ecdh.val())));

        self.cmd_op.next = self
            .req_dat
            .q
            .val()
            .get_bits::<4>(self.k_b_op.val().index());
        self.cmd_slot.next = self
            .req_dat
            .q
            .val()
            .get_bits::<4>(self.k_b_slot.val().index());
        self.op_makes_key.next = (self.cmd_op.val() == self.k_op_keygen_slot.val())
            | (self.cmd_op.val() == self.k_op_import_slot.val());
        self.op_needs_key.next = (self.cmd_op.val() == self.k_op_sign_slot.val())
            | (self.cmd_op.val() == self.k_op_ecdh_slot.val())
            | (self.cmd_op.val() == self.k_op_pubkey_slot.val());
        self.op_is_slot.next = self.op_makes_key.val() | self.op_needs_key.val();
        // KEYGEN_SLOT and SIGN_SLOT draw their scalars; with `randomize` every command that
        // multiplies a secret scalar draws λ.
        self.op_needs_trng.next = (self.cmd_op.val() == self.k_op_keygen_slot.val())
            | (self.cmd_op.val() == self.k_op_sign_slot.val())
            | (self.k_randomize.val()
                & ((self.cmd_op.val() == self.k_op_ecdh_slot.val())
                    | (self.cmd_op.val() == self.k_op_import_slot.val())
                    | (self.cmd_op.val() == self.k_op_pubkey_slot.val())
                    | (self.cmd_op.val() == self.k_op_keygen_ext.val())
                    | (self.cmd_op.val() == self.k_op_sign_ext.val())
                    | (self.cmd_op.val() == self.k_op_ecdh_ext.val())));
        self.slot_valid.next = self.valid.q.val().get_bit(self.cmd_slot.val().index());
        self.slot_wlock.next = self.wlock.q.val().get_bit(self.cmd_slot.val().index());
        self.slot_ulock.next = self.ulock.q.val().get_bit(self.cmd_slot.val().index());
        self.slot_sign.next = self.allow_sign.q.val().get_bit(self.cmd_slot.val().index());
        self.slot_ecdh.next = self.allow_ecdh.q.val().get_bit(self.cmd_slot.val().index());

        // ---- ACT: one access, decided against this cycle's state ----
        self.act.next = self.state.q.val() == ReqState::Act;
        self.viol_code.next = 0.into();
        self.accept.next = false;
        self.store_thr.next = false;
        self.store_allow.next = false;
        self.store_policy.next = false;
        self.host_we.next = false;
        self.host_re.next = false;
        self.host_addr.next = self.win_reg.val();
        self.host_lane.next = self.lane.val();
        self.host_wdata.next = self.req_dat.q.val();
        self.rnd_pop.next = false;
        if self.act.val() {
            if self.req_we.q.val() {
                if self.lockdown.q.val() {
                    self.viol_code.next = self.k_e_lockdown.val();
                } else if !self.writable.val() {
                    self.viol_code.next = self.k_e_bad_addr.val();
                } else if self.privileged_reg.val() & !self.req_priv.q.val() {
                    self.viol_code.next = self.k_e_priv.val();
                } else if self.is_thr.val() {
                    if self.thr_lock.q.val() {
                        self.viol_code.next = self.k_e_locked.val();
                    } else {
                        self.store_thr.next = true;
                    }
                } else if self.is_allow.val() {
                    if self.allow_lock.q.val() {
                        self.viol_code.next = self.k_e_locked.val();
                    } else {
                        self.store_allow.next = true;
                    }
                } else if self.is_policy.val() {
                    if self.policy_locked.val() {
                        self.viol_code.next = self.k_e_locked.val();
                    } else {
                        self.store_policy.next = true;
                    }
                } else if self.win_w.val() {
                    if self.busy.val() {
                        self.viol_code.next = self.k_e_busy.val();
                    } else {
                        self.host_we.next = true;
                    }
                } else if self.busy.val() {
                    // CMD from here on.
                    self.viol_code.next = self.k_e_busy.val();
                } else if self.cmd_op.val() > self.k_op_max.val() {
                    self.viol_code.next = self.k_e_bad_cmd.val();
                } else if !self.req_priv.q.val()
                    & (self.cmd_op.val() != self.k_op_nop.val())
                    & !self.allow_ops.q.val().get_bit(self.cmd_op.val().index())
                {
                    self.viol_code.next = self.k_e_priv.val();
                } else if self.op_is_slot.val()
                    & (bit_cast::<10, 4>(self.cmd_slot.val()) >= self.k_slots.val())
                {
                    self.viol_code.next = self.k_e_bad_cmd.val();
                } else if self.op_is_slot.val() & self.slot_ulock.val() {
                    self.viol_code.next = self.k_e_use_locked.val();
                } else if self.op_makes_key.val() & self.slot_wlock.val() {
                    self.viol_code.next = self.k_e_locked.val();
                } else if self.op_needs_key.val() & !self.slot_valid.val() {
                    self.viol_code.next = self.k_e_empty.val();
                } else if ((self.cmd_op.val() == self.k_op_sign_slot.val()) & !self.slot_sign.val())
                    | ((self.cmd_op.val() == self.k_op_ecdh_slot.val()) & !self.slot_ecdh.val())
                {
                    self.viol_code.next = self.k_e_policy.val();
                } else if self.op_needs_trng.val() & self.trng_alarm.val() {
                    self.viol_code.next = self.k_e_trng.val();
                } else {
                    self.accept.next = true;
                }
            } else if self.is_cmd.val() | !self.readable.val() {
                self.viol_code.next = self.k_e_bad_addr.val();
            } else if self.win_r.val() {
                if self.busy.val() {
                    self.viol_code.next = self.k_e_busy.val();
                } else {
                    self.host_re.next = true;
                }
            } else if self.is_tdata.val() & self.trng_ready.val() {
                self.rnd_pop.next = true;
            }
        }
        self.violation.next = self.viol_code.val().any();

        // ---- Effects at the end of ACT ----
        self.count_next.next = self.viol_count.q.val();
        if self.viol_count.q.val() != self.k_count_max.val() {
            self.count_next.next = self.viol_count.q.val() + 1;
        }
        self.thr_m1.next = bit_cast::<16, 8>(self.threshold.q.val()) - 1;
        self.tripped.next = self.violation.val()
            & self.threshold.q.val().any()
            & (self.viol_count.q.val() >= self.thr_m1.val())
            & !self.lockdown.q.val();
        if self.violation.val() {
            if !self.err_code.q.val().any() {
                self.err_code.d.next = self.viol_code.val();
            }
            self.err_last.d.next = self.viol_code.val();
            self.viol_count.d.next = self.count_next.val();
        }
        self.alarm_rise.next = self.trng_alarm.val() & !self.alarm_prev.q.val();
        self.alarm_prev.d.next = self.trng_alarm.val();
        self.alert_r.d.next = self.violation.val() | self.alarm_rise.val();
        if self.violation.val() | self.alarm_rise.val() {
            self.alert_seen.d.next = true;
        }

        if self.store_thr.val() {
            self.threshold.d.next = self
                .req_dat
                .q
                .val()
                .get_bits::<8>(self.k_b_thr_lsb.val().index());
            if self
                .req_dat
                .q
                .val()
                .get_bit(self.k_b_thr_lock.val().index())
            {
                self.thr_lock.d.next = true;
            }
        }
        if self.store_allow.val() {
            self.allow_ops.d.next = self
                .req_dat
                .q
                .val()
                .get_bits::<16>(self.k_b_ua_lsb.val().index());
            if self.req_dat.q.val().get_bit(self.k_b_ua_lock.val().index()) {
                self.allow_lock.d.next = true;
            }
        }
        if self.store_policy.val() {
            if self.new_sign.val() {
                self.allow_sign.d.next = self.allow_sign.q.val() | self.policy_hot.val();
            } else {
                self.allow_sign.d.next = self.allow_sign.q.val() & !self.policy_hot.val();
            }
            if self.new_ecdh.val() {
                self.allow_ecdh.d.next = self.allow_ecdh.q.val() | self.policy_hot.val();
            } else {
                self.allow_ecdh.d.next = self.allow_ecdh.q.val() & !self.policy_hot.val();
            }
            if self.new_ulock.val() {
                self.ulock.d.next = self.ulock.q.val() | self.policy_hot.val();
            }
        }
        // A policy write and an IMPORT_SLOT's store can both set a wlock in the same cycle.
        self.wlock_by_bus.next = 0.into();
        if self.store_policy.val() & self.new_wlock.val() {
            self.wlock_by_bus.next = self.policy_hot.val();
        }
        self.store_hot.next =
            (self.k_one16.val() << self.store_slot.val()) & self.k_slot_mask.val();
        self.wlock_by_store.next = 0.into();
        self.valid_by_store.next = 0.into();
        if self.store.val() {
            self.valid_by_store.next = self.store_hot.val();
            if self.store_wlock.val() {
                self.wlock_by_store.next = self.store_hot.val();
            }
        }
        self.wlock.d.next =
            self.wlock.q.val() | self.wlock_by_bus.val() | self.wlock_by_store.val();

        self.go.next = self.accept.val() & (self.cmd_op.val() != self.k_op_nop.val());
        self.go_op.next = self.cmd_op.val();
        self.go_slot.next = self.cmd_slot.val();
        self.trip.next = self.tripped.val();
        // Lockdown empties the slots in the same edge as a store that may be finishing: the
        // store's `valid` must not survive it.
        self.clear_valid.next = self.tripped.val()
            | (self.accept.val() & (self.cmd_op.val() == self.k_op_zeroize.val()));
        self.valid.d.next = self.valid.q.val() | self.valid_by_store.val();
        if self.clear_valid.val() {
            self.valid.d.next = 0.into();
        }
        if self.finish.val() {
            self.done.d.next = true;
            self.estatus.d.next = self.finish_status.val();
        }
        if self.accept.val() {
            self.done.d.next = false;
            if self.cmd_op.val() == self.k_op_nop.val() {
                self.done.d.next = true;
                self.estatus.d.next = 0.into();
            }
        }
        if self.tripped.val() {
            self.lockdown.d.next = true;
            self.done.d.next = false;
        }

        // ---- Request FSM ----
        match self.state.q.val() {
            ReqState::Idle => {
                if self.cyc_stb.val() {
                    self.req_we.d.next = self.we.val();
                    self.req_wa.d.next = self.adr.val();
                    self.req_policy.d.next = self.adr_policy_off.val() < self.k_policy_words.val();
                    self.req_dat.d.next = self.dat_w.val();
                    self.req_priv.d.next = self.privileged.val();
                    self.state.d.next = ReqState::Act;
                }
            }
            ReqState::Act => {
                self.rd.d.next = 0.into();
                if !self.violation.val() & !self.req_we.q.val() {
                    self.rd.d.next = self.reg_word.val();
                }
                self.rd_win.d.next = self.host_re.val();
                self.state.d.next = ReqState::Ack;
            }
            _ => {
                self.state.d.next = ReqState::Idle;
            }
        }

        // Control state resets; the latched request and read data are data.
        if self.reset.val() {
            self.state.d.next = ReqState::Idle;
            self.rd_win.d.next = false;
            self.err_code.d.next = 0.into();
            self.err_last.d.next = 0.into();
            self.viol_count.d.next = 0.into();
            self.alert_seen.d.next = false;
            self.alert_r.d.next = false;
            self.alarm_prev.d.next = false;
            self.lockdown.d.next = false;
            self.done.d.next = false;
            self.estatus.d.next = 0.into();
            self.threshold.d.next = 0.into();
            self.thr_lock.d.next = false;
            self.allow_ops.d.next = 0.into();
            self.allow_lock.d.next = false;
            self.allow_sign.d.next = 0.into();
            self.allow_ecdh.d.next = 0.into();
            self.valid.d.next = 0.into();
            self.wlock.d.next = 0.into();
            self.ulock.d.next = 0.into();
        }

        // ---- Outputs: registers only ----
        self.ack.next = self.state.q.val() == ReqState::Ack;
        self.ack_lane.next = self.rd.q.val();
        if self.rd_win.q.val() {
            self.ack_lane.next = self.host_rdata.val();
        }
        self.dat_r.next = 0.into();
        if self.state.q.val() == ReqState::Ack {
            self.dat_r.next = self.ack_lane.val();
        }
        self.alert.next = self.alert_r.q.val();
    }
}
