use super::{bytes, scu, words};
use crate::fake::{Access, Fake, Outcome};
use crate::regmap::scu::{
    addr, cmd, cmd::op, err::code, id, lockdown_threshold, slot_policy, status::engine_status,
    user_allow, violations, MAP_VERSION, OPERAND_WORDS, OP_D, OP_K, OP_R, OP_S, OP_X, OP_Y, OP_Z,
    RES_R, RES_S, RES_X, RES_Y, SLOT_POLICY,
};
use crate::regmap::{EnumValue, WORD_BYTES};
use crate::*;

fn cmd_word(op: EnumValue, slot: u8) -> u32 {
    cmd::OP.put(op.value) | cmd::SLOT.put(slot as u32)
}

fn key(offset: u8) -> PublicKey {
    PublicKey {
        x: bytes(offset),
        y: bytes(offset + 100),
    }
}

/// (is write, offset) of every access.
fn shape(log: &[Access]) -> Vec<(bool, u32)> {
    log.iter().map(|a| (a.is_write(), a.offset())).collect()
}

fn window_accesses(write: bool, window: &crate::regmap::Register) -> Vec<(bool, u32)> {
    (0..OPERAND_WORDS).map(|i| (write, window.at(i))).collect()
}

#[test]
fn sign_follows_the_protocol_access_by_access() {
    let mut scu = scu();
    scu.bus().outcome = Outcome {
        busy_reads: 2,
        results: vec![(addr::RES_R, words(1)), (addr::RES_S, words(2))],
        ..Outcome::default()
    };
    let sig = scu.sign(3, &bytes(7)).unwrap();
    assert_eq!(
        sig,
        Signature {
            r: bytes(1),
            s: bytes(2)
        }
    );

    let mut expect = vec![(false, addr::STATUS), (false, addr::VIOLATIONS)];
    expect.extend(window_accesses(true, &OP_Z));
    expect.push((true, addr::CMD));
    expect.push((false, addr::VIOLATIONS));
    expect.extend([(false, addr::STATUS); 3]); // two busy, one idle
    expect.extend(window_accesses(false, &RES_R));
    expect.extend(window_accesses(false, &RES_S));
    expect.push((false, addr::VIOLATIONS));
    assert_eq!(shape(&scu.bus().log), expect);
    assert_eq!(scu.bus().window(&OP_Z), words(7));
    assert_eq!(scu.bus().cmd_writes(), vec![cmd_word(op::SIGN_SLOT, 3)]);
}

#[test]
fn operands_are_written_most_significant_word_first() {
    let mut scu = scu();
    scu.import(2, &bytes(0)).unwrap();
    let writes: Vec<_> = scu.bus().writes();
    let op_d: Vec<_> = writes
        .iter()
        .filter(|(o, _)| OP_D.at(0) <= *o && *o < OP_D.end())
        .collect();
    assert_eq!(op_d.len(), OPERAND_WORDS as usize);
    assert_eq!(*op_d[0], (OP_D.at(0), 0x0001_0203));
    assert_eq!(*op_d[7], (OP_D.at(7), 0x1C1D_1E1F));
    assert_eq!(
        writes.last().unwrap().0,
        addr::CMD,
        "CMD after the operands"
    );
}

#[test]
fn every_command_encodes_op_and_slot_and_its_operands() {
    let d = bytes(1);
    let z = bytes(2);
    let k = bytes(3);
    let peer = key(4);
    let sig = Signature {
        r: bytes(5),
        s: bytes(6),
    };
    type Run = Box<dyn Fn(&mut Scu<Fake>) -> Result<(), Error>>;
    type Operands = Vec<(&'static crate::regmap::Register, [u8; 32])>;
    let cases: Vec<(EnumValue, u8, Operands, Run)> = vec![
        (
            op::KEYGEN_SLOT,
            5,
            vec![],
            Box::new(|s| s.keygen(5).map(drop)),
        ),
        (
            op::IMPORT_SLOT,
            6,
            vec![(&OP_D, d)],
            Box::new(move |s| s.import(6, &d).map(drop)),
        ),
        (
            op::PUBKEY_SLOT,
            7,
            vec![],
            Box::new(|s| s.public_key(7).map(drop)),
        ),
        (
            op::SIGN_SLOT,
            1,
            vec![(&OP_Z, z)],
            Box::new(move |s| s.sign(1, &z).map(drop)),
        ),
        (
            op::ECDH_SLOT,
            2,
            vec![(&OP_X, peer.x), (&OP_Y, peer.y)],
            Box::new(move |s| s.ecdh(2, &peer).map(drop)),
        ),
        (
            op::VERIFY,
            0,
            vec![
                (&OP_X, peer.x),
                (&OP_Y, peer.y),
                (&OP_Z, z),
                (&OP_R, sig.r),
                (&OP_S, sig.s),
            ],
            Box::new(move |s| s.verify(&peer, &z, &sig).map(drop)),
        ),
        (
            op::KEYGEN_EXT,
            0,
            vec![(&OP_D, d)],
            Box::new(move |s| s.keygen_ext(&d).map(drop)),
        ),
        (
            op::SIGN_EXT,
            0,
            vec![(&OP_D, d), (&OP_Z, z), (&OP_K, k)],
            Box::new(move |s| s.sign_ext(&d, &z, &k).map(drop)),
        ),
        (
            op::ECDH_EXT,
            0,
            vec![(&OP_D, d), (&OP_X, peer.x), (&OP_Y, peer.y)],
            Box::new(move |s| s.ecdh_ext(&d, &peer).map(drop)),
        ),
        (op::ZEROIZE, 0, vec![], Box::new(|s| s.zeroize())),
    ];
    for (op, slot, operands, run) in cases {
        let mut scu = scu();
        run(&mut scu).unwrap_or_else(|e| panic!("{}: {e}", op.name));
        assert_eq!(
            scu.bus().cmd_writes(),
            vec![cmd_word(op, slot)],
            "{}",
            op.name
        );
        let written: Vec<u32> = scu
            .bus()
            .writes()
            .iter()
            .filter(|(o, _)| *o != addr::CMD)
            .map(|(o, _)| *o)
            .collect();
        let mut expect = Vec::new();
        for (window, value) in &operands {
            assert_eq!(
                scu.bus().window(window),
                crate::types::to_words(value),
                "{}",
                op.name
            );
            expect.extend((0..OPERAND_WORDS).map(|i| window.at(i)));
        }
        assert_eq!(written, expect, "{}: operand writes", op.name);
    }
}

#[test]
fn results_are_read_big_endian() {
    let mut scu = scu();
    scu.bus().outcome.results = vec![(addr::RES_X, words(10)), (addr::RES_Y, words(20))];
    assert_eq!(
        scu.keygen(0).unwrap(),
        PublicKey {
            x: bytes(10),
            y: bytes(20)
        }
    );
    assert_eq!(scu.ecdh(0, &key(1)).unwrap(), bytes(10));
    let reads: Vec<u32> = scu
        .bus()
        .log
        .iter()
        .filter(|a| !a.is_write())
        .map(|a| a.offset())
        .collect();
    assert!(reads.contains(&RES_Y.at(7)));
}

#[test]
fn waits_for_idle_before_writing() {
    let mut scu = scu();
    scu.bus().busy_left = 4;
    scu.keygen(1).unwrap();
    let log = shape(&scu.bus().log);
    let first_write = log.iter().position(|a| a.0).unwrap();
    // 4 busy STATUS reads + 1 idle, then VIOLATIONS, then the CMD write.
    assert_eq!(
        &log[..first_write],
        &[
            (false, addr::STATUS),
            (false, addr::STATUS),
            (false, addr::STATUS),
            (false, addr::STATUS),
            (false, addr::STATUS),
            (false, addr::VIOLATIONS),
        ]
    );
}

#[test]
fn poll_budget() {
    let mut scu = scu();
    scu.bus().outcome.busy_reads = 10;
    scu.set_poll_limit(10);
    assert_eq!(scu.keygen(0), Err(Error::Timeout));
    // No result was read.
    assert!(!scu.bus().log.iter().any(|a| a.offset() == RES_X.at(0)));

    let mut scu = super::scu();
    scu.bus().outcome.busy_reads = 10;
    scu.set_poll_limit(11);
    assert!(scu.keygen(0).is_ok());

    let mut scu = super::scu();
    scu.bus().busy_left = 5;
    scu.set_poll_limit(3);
    assert_eq!(scu.wait_idle(), Err(Error::Timeout));
    assert!(scu.bus().writes().is_empty());
    assert_eq!(scu.poll_limit(), 3);
    assert_eq!(
        Scu::new(Fake::default(), true).poll_limit(),
        DEFAULT_POLL_LIMIT
    );
}

#[test]
fn refusal_is_reported_with_err_last_and_stops_there() {
    let mut scu = scu();
    scu.bus().err_code = code::PRIV.value; // an older violation: ERR.code stays PRIV
    scu.bus().violations = 1;
    scu.bus().refuse_cmd = Some(code::POLICY);
    assert_eq!(scu.sign(4, &bytes(0)), Err(Error::Refused(ErrCode::Policy)));
    let log = shape(&scu.bus().log);
    let cmd_at = log.iter().position(|a| *a == (true, addr::CMD)).unwrap();
    assert_eq!(
        &log[cmd_at + 1..],
        &[(false, addr::VIOLATIONS), (false, addr::ERR)]
    );
}

#[test]
fn refused_command_scrubs_private_operands() {
    let mut scu = scu();
    scu.bus().refuse_cmd = Some(code::LOCKED);
    assert_eq!(
        scu.import(0, &bytes(1)),
        Err(Error::Refused(ErrCode::Locked))
    );
    assert_eq!(scu.bus().window(&OP_D), [0; OPERAND_WORDS as usize]);

    let mut scu = super::scu();
    scu.bus().refuse_cmd = Some(code::PRIV);
    let (d, z, k) = (bytes(1), bytes(2), bytes(3));
    assert_eq!(scu.sign_ext(&d, &z, &k), Err(Error::Refused(ErrCode::Priv)));
    assert_eq!(scu.bus().window(&OP_D), [0; OPERAND_WORDS as usize]);
    assert_eq!(scu.bus().window(&OP_K), [0; OPERAND_WORDS as usize]);
    assert_eq!(scu.bus().window(&OP_Z), words(2), "public operands stay");

    // In lockdown the scrub would itself be refused: the driver does not try.
    let mut scu = super::scu();
    scu.bus().lockdown = true;
    assert_eq!(
        scu.import(0, &bytes(1)),
        Err(Error::Refused(ErrCode::Lockdown))
    );
    let log = shape(&scu.bus().log);
    let cmd_at = log.iter().position(|a| *a == (true, addr::CMD)).unwrap();
    assert!(
        !log[cmd_at..].iter().skip(1).any(|a| a.0),
        "no write after CMD"
    );
    assert_eq!(
        scu.violations(),
        1 + OPERAND_WORDS as u16,
        "operand writes and CMD refused"
    );
}

#[test]
fn engine_status_mapping() {
    for status in EngineStatus::ALL
        .into_iter()
        .filter(|s| *s != EngineStatus::Ok)
    {
        let mut scu = scu();
        scu.bus().outcome.status = status.named();
        assert_eq!(scu.keygen(0), Err(Error::Engine(status)));
        assert!(
            !scu.bus().log.iter().any(|a| a.offset() == RES_X.at(0)),
            "no result reads"
        );
    }
    let cases = [
        (engine_status::OK, Ok(true)),
        (engine_status::INVALID_SIG, Ok(false)),
        (
            engine_status::BAD_POINT,
            Err(Error::Engine(EngineStatus::BadPoint)),
        ),
        (
            engine_status::TRNG_FAIL,
            Err(Error::Engine(EngineStatus::TrngFail)),
        ),
    ];
    for (status, expect) in cases {
        let mut scu = scu();
        scu.bus().outcome.status = status;
        let sig = Signature {
            r: bytes(1),
            s: bytes(2),
        };
        assert_eq!(
            scu.verify(&key(0), &bytes(3), &sig),
            expect,
            "{}",
            status.name
        );
    }
    let mut scu = scu();
    scu.bus().outcome.status = engine_status::BAD_SCALAR;
    assert_eq!(scu.zeroize(), Err(Error::Engine(EngineStatus::BadScalar)));
}

#[test]
fn abandoned_command_is_aborted() {
    let mut scu = scu();
    scu.bus().outcome.done = false;
    assert_eq!(scu.public_key(0), Err(Error::Aborted));
}

#[test]
fn refused_result_read_is_detected() {
    let mut scu = scu();
    scu.bus().refuse_read = Some(RES_S.at(3));
    assert_eq!(scu.sign(0, &bytes(0)), Err(Error::Refused(ErrCode::Busy)));
}

#[test]
fn saturated_violations_fall_back_to_busy() {
    // Accepted: busy right after the CMD write.
    let mut scu = Scu::new(Fake::saturated(), true);
    scu.bus().outcome.results = vec![(addr::RES_X, words(9))];
    assert_eq!(scu.ecdh(1, &key(0)), Ok(bytes(9)));
    let log = shape(&scu.bus().log);
    let cmd_at = log.iter().position(|a| *a == (true, addr::CMD)).unwrap();
    assert_eq!(log[cmd_at + 1], (false, addr::STATUS));

    // Refused: not busy, so Refused(ERR.last) although VIOLATIONS did not move.
    let mut scu = Scu::new(Fake::saturated(), true);
    scu.bus().refuse_cmd = Some(code::USE_LOCKED);
    assert_eq!(
        scu.ecdh(1, &key(0)),
        Err(Error::Refused(ErrCode::UseLocked))
    );
    assert_eq!(scu.violations(), violations::COUNT.max() as u16);

    // The documented fail-safe error: a command that finished before the STATUS read.
    let mut scu = Scu::new(Fake::saturated(), true);
    scu.bus().outcome.busy_reads = 0;
    assert!(matches!(scu.keygen(0), Err(Error::Refused(_))));

    // Config writes: read back.
    let mut scu = Scu::new(Fake::saturated(), true);
    scu.bus().refuse_config = Some(code::LOCKED);
    assert_eq!(
        scu.set_user_allow(0x00FF, false),
        Err(Error::Refused(ErrCode::Locked))
    );
    assert_eq!(scu.set_user_allow(0x00FF, false), Ok(()));
    assert_eq!(
        scu.user_allow(),
        UserAllow {
            ops: 0x00FF,
            lock: false
        }
    );
}

#[test]
fn probe_checks_magic_and_version() {
    let mut scu = scu();
    assert_eq!(
        scu.probe(),
        Ok(Info {
            version: MAP_VERSION as u8,
            word_width: 32
        })
    );

    let wrong_magic = id::MAGIC.put(0x1234) | id::VERSION.put(MAP_VERSION);
    scu.bus().id = wrong_magic;
    assert_eq!(scu.probe(), Err(Error::NotScu { id: wrong_magic }));

    let wrong_version =
        id::MAGIC.put(crate::regmap::scu::ID_MAGIC) | id::VERSION.put(MAP_VERSION + 1);
    scu.bus().id = wrong_version;
    assert_eq!(scu.probe(), Err(Error::NotScu { id: wrong_version }));
}

#[test]
fn every_access_carries_the_privilege_bit() {
    let mut scu = Scu::new(Fake::default(), false);
    assert!(!scu.privileged());
    scu.keygen(0).unwrap();
    let mut out = [0; 4];
    scu.bus().trng_words.push_back(1);
    scu.random(&mut out).unwrap();
    let n = scu.bus().log.len();
    assert!(scu.bus().log.iter().all(|a| matches!(
        a,
        Access::Read {
            privileged: false,
            ..
        } | Access::Write {
            privileged: false,
            ..
        }
    )));
    scu.set_privileged(true);
    scu.status();
    assert!(scu.bus().log[n..].iter().all(|a| matches!(
        a,
        Access::Read {
            privileged: true,
            ..
        } | Access::Write {
            privileged: true,
            ..
        }
    )));
}

#[test]
fn config_writes_are_encoded_and_checked() {
    let mut scu = scu();
    let policy = SlotPolicy {
        allow_sign: false,
        allow_ecdh: true,
        wlock: false,
        ulock: true,
    };
    scu.set_policy(3, policy).unwrap();
    assert_eq!(
        scu.bus().writes(),
        vec![(SLOT_POLICY.at(3), policy.to_word())]
    );
    assert_eq!(
        scu.slot(3),
        Ok(SlotState {
            policy,
            valid: false
        })
    );

    scu.set_user_allow(0x0104, true).unwrap();
    scu.set_lockdown_threshold(7, false).unwrap();
    let writes = scu.bus().writes();
    assert_eq!(
        writes[1],
        (
            addr::USER_ALLOW,
            user_allow::OPS.put(0x0104) | user_allow::LOCK.mask()
        )
    );
    assert_eq!(
        writes[2],
        (
            addr::LOCKDOWN_THRESHOLD,
            lockdown_threshold::THRESHOLD.put(7)
        )
    );
    assert_eq!(
        scu.lockdown_threshold(),
        LockdownThreshold {
            threshold: 7,
            lock: false
        }
    );

    // Unprivileged: the gate refuses (PRIV), the driver reports it.
    scu.set_privileged(false);
    assert_eq!(
        scu.set_policy(3, SlotPolicy::default()),
        Err(Error::Refused(ErrCode::Priv))
    );
    assert_eq!(
        scu.set_user_allow(0, false),
        Err(Error::Refused(ErrCode::Priv))
    );
    assert_eq!(
        scu.set_lockdown_threshold(0, false),
        Err(Error::Refused(ErrCode::Priv))
    );
    scu.set_privileged(true);
    scu.bus().refuse_config = Some(code::LOCKED);
    assert_eq!(
        scu.set_lockdown_threshold(1, true),
        Err(Error::Refused(ErrCode::Locked))
    );
}

#[test]
fn lock_slot_keeps_the_other_bits() {
    let mut scu = scu();
    let at = SLOT_POLICY.at(1);
    scu.bus().regs.insert(
        at,
        slot_policy::ALLOW_SIGN.mask() | slot_policy::VALID.mask(),
    );
    scu.lock_slot(1, true, false).unwrap();
    assert_eq!(
        scu.bus().writes(),
        vec![(
            at,
            slot_policy::ALLOW_SIGN.mask() | slot_policy::WLOCK.mask()
        )]
    );
    scu.lock_slot(1, false, true).unwrap();
    let state = scu.slot(1).unwrap();
    assert!(state.valid && state.policy.allow_sign && state.policy.wlock && state.policy.ulock);
    assert!(!state.policy.allow_ecdh);
}

#[test]
fn slot_numbers_go_to_the_gate_unless_they_do_not_fit() {
    // 8..=15: sent (the real gate refuses with BAD_CMD).
    let mut scu = scu();
    scu.keygen(8).unwrap();
    scu.sign(15, &bytes(0)).unwrap();
    assert_eq!(
        scu.bus().cmd_writes(),
        vec![cmd_word(op::KEYGEN_SLOT, 8), cmd_word(op::SIGN_SLOT, 15)]
    );
    // The policy of a slot the SCU lacks is an unmapped word: BAD_ADDR from the gate.
    assert_eq!(scu.slot(8), Err(Error::Refused(ErrCode::BadAddr)));
    assert_eq!(
        scu.lock_slot(9, true, true),
        Err(Error::Refused(ErrCode::BadAddr))
    );
    assert!(
        !scu.bus()
            .writes()
            .iter()
            .any(|(o, _)| *o == SLOT_POLICY.offset + 9 * WORD_BYTES),
        "lock_slot stops after the refused read"
    );

    // 16 and up cannot be encoded: no bus access at all.
    let mut scu = super::scu();
    assert_eq!(scu.keygen(16), Err(Error::BadArgument));
    assert_eq!(scu.sign(255, &bytes(0)), Err(Error::BadArgument));
    assert_eq!(scu.slot(16), Err(Error::BadArgument));
    assert_eq!(
        scu.set_policy(16, SlotPolicy::default()),
        Err(Error::BadArgument)
    );
    assert_eq!(scu.lock_slot(16, true, true), Err(Error::BadArgument));
    assert_eq!(scu.execute(16, 0, &[]), Err(Error::BadArgument));
    assert!(scu.bus().log.is_empty());
}

#[test]
fn execute_is_the_raw_command() {
    let mut scu = scu();
    scu.bus().outcome.status = engine_status::BAD_SCALAR;
    let d = bytes(0);
    assert_eq!(
        scu.execute(op::KEYGEN_EXT.value as u8, 0, &[(&OP_D, &d)]),
        Ok(EngineStatus::BadScalar)
    );
    assert_eq!(scu.bus().window(&OP_D), words(0));
    scu.bus().refuse_cmd = Some(code::BAD_CMD);
    assert_eq!(
        scu.execute(11, 0, &[]),
        Err(Error::Refused(ErrCode::BadCmd))
    );
    assert_eq!(*scu.bus().cmd_writes().last().unwrap(), cmd::OP.put(11));
}

#[test]
fn windows_raw() {
    let mut scu = scu();
    scu.write_window(&OP_X, &bytes(4));
    assert_eq!(scu.read_window(&OP_X), bytes(4));
    assert_eq!(scu.read_window(&OP_D), [0; 32]);
    assert_eq!(scu.last_error(), ErrCode::BadAddr, "OP_D is write-only");
}

#[test]
fn random_bytes_most_significant_first() {
    let mut scu = scu();
    scu.bus()
        .trng_words
        .extend([0x1122_3344, 0x5566_7788, 0x99AA_BBCC]);
    scu.bus().trng_wait = 2;
    let mut out = [0; 6];
    scu.random(&mut out).unwrap();
    assert_eq!(out, [0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);
    // Every TRNG_DATA read follows a TRNG_STATUS read that showed ready.
    let log = &scu.bus().log;
    for (i, _) in log
        .iter()
        .enumerate()
        .filter(|(_, a)| a.offset() == addr::TRNG_DATA)
    {
        assert!(
            matches!(log[i - 1], Access::Read { offset: addr::TRNG_STATUS, value, .. }
            if crate::regmap::scu::trng_status::READY.get(value) == 1)
        );
    }
    assert_eq!(
        log.iter().filter(|a| a.offset() == addr::TRNG_DATA).count(),
        2
    );
    assert_eq!(scu.bus().trng_words.len(), 1);

    let mut scu = super::scu();
    scu.random(&mut []).unwrap();
    assert!(scu.bus().log.is_empty());
}

#[test]
fn random_alarm_and_timeout() {
    let mut scu = scu();
    scu.bus().trng_words.extend([1, 2, 3]);
    scu.bus().trng_alarm = Some((1, 0b101));
    let mut out = [0xEE; 12];
    assert_eq!(scu.random(&mut out), Err(Error::TrngAlarm { tests: 0b101 }));
    assert_eq!(out, [0; 12], "zeroed on error");

    // The alarm rises after the last word was taken: caught by the final check.
    let mut scu = super::scu();
    scu.bus().trng_words.extend([1, 2]);
    scu.bus().trng_alarm = Some((2, 0b010));
    let mut out = [0xEE; 8];
    assert_eq!(scu.random(&mut out), Err(Error::TrngAlarm { tests: 0b010 }));
    assert_eq!(out, [0; 8]);

    let mut scu = super::scu();
    scu.set_poll_limit(50);
    let mut out = [0xEE; 4];
    assert_eq!(scu.random(&mut out), Err(Error::Timeout));
    assert_eq!(out, [0; 4]);
    assert_eq!(scu.bus().log.len(), 50);
}

#[test]
fn status_decodes_the_three_registers() {
    let mut scu = scu();
    {
        let f = scu.bus();
        f.lockdown = true;
        f.done = true;
        f.engine_status = engine_status::INVALID_SIG.value;
        f.err_code = code::PRIV.value;
        f.err_last = code::LOCKDOWN.value;
        f.violations = 9;
        f.trng_words.push_back(0);
    }
    let s = scu.status();
    assert_eq!(
        s,
        Status {
            busy: false,
            done: true,
            engine_status: EngineStatus::InvalidSig,
            lockdown: true,
            trng_alarm: false,
            trng_ready: true,
            alert: true,
            err: ErrCode::Priv,
            last: ErrCode::Lockdown,
            violations: 9,
        }
    );
    let trng = scu.trng_status();
    assert!(trng.ready && trng.startup_done && !trng.alarm);
}
