//! The engine's microcode, run on the golden-model interpreter, against independent
//! references: the `p256`/`ecdsa` crates and the RFC 6979 A.2.5 vectors. Wycheproof lives in
//! `engine_wycheproof.rs`.
//!
//! Most tests run at W = 64 (the fastest model); `widths_agree_bit_for_bit` covers 16 and 32.

mod engine_support;

use engine_support::*;
use num_bigint::BigUint;
use num_traits::One;
use p256::ProjectivePoint;
use scu_golden::curve;
use scu_golden::engine::cycles::{instr_cycles, overlap, Datapath::Parallel, START_CYCLES};
use scu_golden::engine::{program, Command, Instr, Status};

const W: usize = 64;

fn one() -> BigUint {
    BigUint::one()
}

fn invalid_scalars() -> Vec<BigUint> {
    let n = curve::n();
    vec![
        BigUint::default(),
        n.clone(),
        &n + 1u32,
        (one() << 256u32) - 1u32,
    ]
}

/// Instructions VALIDATION-ONLY failures may execute: the checks themselves, never a ladder.
const MAX_VALIDATION_STEPS: usize = 60;

// ─────────────────────────────── KEYGEN ───────────────────────────────

#[test]
fn keygen_matches_p256_for_random_scalars() {
    let mut e = engine(W);
    let mut rng = Rng::new(1);
    for _ in 0..4 {
        let d = rng.scalar();
        let r = keygen(&mut e, &d);
        assert_eq!(r.status, Status::Ok);
        let (x, y) = ref_keygen(&d);
        assert_eq!(r.outputs, vec![x, y], "d = {d:x}");
    }
}

#[test]
fn keygen_matches_p256_for_edge_scalars() {
    let mut e = engine(W);
    for d in edge_scalars() {
        let r = keygen(&mut e, &d);
        assert_eq!(r.status, Status::Ok, "d = {d:x}");
        let (x, y) = ref_keygen(&d);
        assert_eq!(r.outputs, vec![x, y], "d = {d:x}");
    }
}

#[test]
fn keygen_rejects_scalars_outside_1_to_n_minus_1() {
    let mut e = engine(W);
    for d in invalid_scalars() {
        let r = keygen(&mut e, &d);
        assert_eq!(r.status, Status::BadScalar, "d = {d:x}");
        assert!(r.outputs.is_empty());
        assert!(
            r.pcs.len() < MAX_VALIDATION_STEPS,
            "ran {} steps",
            r.pcs.len()
        );
    }
}

// ─────────────────────────────── ECDH ───────────────────────────────

#[test]
fn ecdh_matches_p256_for_random_pairs() {
    let mut e = engine(W);
    let mut rng = Rng::new(2);
    for _ in 0..3 {
        let (d, peer) = (rng.scalar(), rng.scalar());
        let (px, py) = ref_keygen(&peer);
        let r = ecdh(&mut e, &d, &px, &py);
        assert_eq!(r.status, Status::Ok);
        let expected = affine_xy(point(&px, &py) * scalar(&d)).0;
        assert_eq!(r.outputs, vec![expected]);
    }
}

#[test]
fn ecdh_with_edge_scalars_and_points() {
    let mut e = engine(W);
    let n = curve::n();
    // d = n−1 gives −P (same x); P = G; P = −G (y = p − Gy).
    let minus_g_y = curve::p() - curve::gy();
    for (d, px, py) in [
        (&n - 1u32, curve::gx(), curve::gy()),
        (one(), curve::gx(), minus_g_y.clone()),
        (BigUint::from(2u32), curve::gx(), minus_g_y),
    ] {
        let r = ecdh(&mut e, &d, &px, &py);
        assert_eq!(r.status, Status::Ok);
        let expected = affine_xy(point(&px, &py) * scalar(&d)).0;
        assert_eq!(r.outputs, vec![expected]);
    }
}

#[test]
fn ecdh_rejects_invalid_points_before_computing() {
    let mut e = engine(W);
    let d = BigUint::from(7u32);
    let (p, gx, gy) = (curve::p(), curve::gx(), curve::gy());
    let all_ones = (one() << 256u32) - 1u32;
    for (x, y) in [
        (p.clone(), gy.clone()),                  // x = p ≡ 0
        (gx.clone(), p.clone()),                  // y = p
        (gx.clone(), &gy + 1u32),                 // off the curve
        (BigUint::default(), BigUint::default()), // "infinity" as (0, 0) is not on the curve
        (all_ones.clone(), all_ones),
    ] {
        let r = ecdh(&mut e, &d, &x, &y);
        assert_eq!(r.status, Status::BadPoint, "({x:x}, {y:x})");
        assert!(
            r.pcs.len() < MAX_VALIDATION_STEPS,
            "ran {} steps",
            r.pcs.len()
        );
    }
    // An unreduced alias of a valid point, x + p < 2^256, must be refused even though it is
    // on the curve mod p. Only small x have such an alias: take the first small x with a
    // square root of x³ − 3x + b (p ≡ 3 mod 4, so y = rhs^((p+1)/4)).
    let b = curve::b();
    let (x, y) = (0u32..)
        .find_map(|x| {
            let x = BigUint::from(x);
            let rhs = (&x * &x * &x + &b + &p * 3u32 - &x * 3u32) % &p;
            let y = rhs.modpow(&((&p + 1u32) >> 2), &p);
            (&y * &y % &p == rhs).then_some((x, y))
        })
        .unwrap();
    let ok = ecdh(&mut e, &d, &x, &y);
    assert_eq!(ok.status, Status::Ok);
    assert_eq!(ok.outputs, vec![affine_xy(point(&x, &y) * scalar(&d)).0]);
    let alias = ecdh(&mut e, &d, &(&x + &p), &y);
    assert_eq!(alias.status, Status::BadPoint);
    assert!(alias.pcs.len() < MAX_VALIDATION_STEPS);
}

#[test]
fn ecdh_rejects_bad_scalars() {
    let mut e = engine(W);
    for d in invalid_scalars() {
        let r = ecdh(&mut e, &d, &curve::gx(), &curve::gy());
        assert_eq!(r.status, Status::BadScalar);
        assert!(r.pcs.len() < MAX_VALIDATION_STEPS);
    }
}

/// The scalar registers hold no secret once a command has ended: the comb shifts K by only
/// 64 bits, so it clears K itself; the ladder shifts all 256 out.
#[test]
fn no_secret_scalar_bits_stay_in_k_or_k2() {
    let mut rng = Rng::new(11);
    for w in [16usize, 128] {
        let mut e = engine(w);
        for _ in 0..3 {
            let (d, k, z) = (rng.scalar(), rng.scalar(), rng.u256());
            let (qx, qy) = ref_keygen(&rng.scalar());
            assert_eq!(keygen(&mut e, &d).status, Status::Ok);
            assert_eq!(e.scalar_regs(), [&BigUint::default(); 2], "W{w}: KEYGEN");
            assert_eq!(sign(&mut e, &d, &z, &k).status, Status::Ok);
            assert_eq!(e.scalar_regs(), [&BigUint::default(); 2], "W{w}: SIGN");
            assert_eq!(ecdh(&mut e, &d, &qx, &qy).status, Status::Ok);
            assert_eq!(e.scalar_regs(), [&BigUint::default(); 2], "W{w}: ECDH");
        }
    }
}

// ─────────────────────────────── SIGN ───────────────────────────────

#[test]
fn sign_matches_ecdsa_hazmat() {
    let mut e = engine(W);
    let mut rng = Rng::new(4);
    let n = curve::n();
    let all_ones = (one() << 256u32) - 1u32;
    // z ≥ n exercises e = z mod n; z = 0 the degenerate digest.
    let zs = [
        rng.u256(),
        all_ones,
        n.clone(),
        BigUint::default(),
        rng.u256(),
    ];
    for z in zs {
        let (d, k) = (rng.scalar(), rng.scalar());
        let r = sign(&mut e, &d, &z, &k);
        assert_eq!(r.status, Status::Ok);
        let (rr, ss) = ref_sign(&d, &k, &z);
        assert_eq!(r.outputs, vec![rr, ss], "d={d:x} k={k:x} z={z:x}");
    }
}

#[test]
fn sign_rfc6979_a25_vectors() {
    let d = big("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
    let ux = big("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6");
    let uy = big("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299");
    let mut e = engine(W);
    assert_eq!(keygen(&mut e, &d).outputs, vec![ux.clone(), uy.clone()]);
    for (msg, k, r, s) in [
        (
            "sample",
            "A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60",
            "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
            "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
        ),
        (
            "test",
            "D16B6AE827F17175E040871A1C7EC3500192C4C92677336EC2537ACAEE0008E0",
            "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
            "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083",
        ),
    ] {
        use sha2::Digest;
        let z = BigUint::from_bytes_be(&sha2::Sha256::digest(msg.as_bytes()));
        let out = sign(&mut e, &d, &z, &big(k));
        assert_eq!(out.status, Status::Ok);
        assert_eq!(out.outputs, vec![big(r), big(s)], "message {msg:?}");
        assert_eq!(verify(&mut e, &ux, &uy, &z, &big(r), &big(s)), Status::Ok);
    }
}

#[test]
fn sign_reports_s_zero() {
    // s = k⁻¹(e + r·d) = 0 iff e ≡ −r·d (mod n): pick the digest that makes it so.
    let n = curve::n();
    let (d, k) = (BigUint::from(12345u32), BigUint::from(67890u32));
    let r = affine_xy(ProjectivePoint::GENERATOR * scalar(&k)).0 % &n;
    let z = (&n - (&r * &d) % &n) % &n;
    let mut e = engine(W);
    let out = sign(&mut e, &d, &z, &k);
    assert_eq!(out.status, Status::SZero);
    assert!(out.outputs.is_empty());
    // The same d, k with another digest signs normally.
    assert_eq!(sign(&mut e, &d, &(&z + 1u32), &k).status, Status::Ok);
}

#[test]
fn sign_rejects_bad_d_and_k() {
    let mut e = engine(W);
    let good = BigUint::from(5u32);
    let z = BigUint::from(99u32);
    for bad in invalid_scalars() {
        let r = sign(&mut e, &bad, &z, &good);
        assert_eq!(r.status, Status::BadScalar, "d = {bad:x}");
        assert!(r.pcs.len() < MAX_VALIDATION_STEPS);
        let r = sign(&mut e, &good, &z, &bad);
        assert_eq!(r.status, Status::BadScalar, "k = {bad:x}");
        assert!(r.pcs.len() < MAX_VALIDATION_STEPS);
    }
}

// ─────────────────────────────── VERIFY ───────────────────────────────

#[test]
fn verify_agrees_with_p256_on_good_and_tampered_signatures() {
    let mut e = engine(W);
    let mut rng = Rng::new(5);
    let n = curve::n();
    for round in 0..2 {
        let (d, k, z) = (rng.scalar(), rng.scalar(), rng.u256());
        let (qx, qy) = ref_keygen(&d);
        let (r, s) = ref_sign(&d, &k, &z);
        let cases = [
            (z.clone(), r.clone(), s.clone()),
            (&z ^ (one() << (round * 100)), r.clone(), s.clone()), // other digest
            (z.clone(), r.clone(), (&s + 1u32) % &n),              // other s
            (z.clone(), (&r + 1u32) % &n, s.clone()),              // other r
        ];
        for (i, (z, r, s)) in cases.into_iter().enumerate() {
            let expected = p256_verify(&qx, &qy, &z, &r, &s);
            assert_eq!(expected, i == 0, "reference sanity, case {i}");
            let got = verify(&mut e, &qx, &qy, &z, &r, &s);
            let want = if expected {
                Status::Ok
            } else {
                Status::InvalidSig
            };
            assert_eq!(got, want, "case {i}");
        }
    }
}

#[test]
fn verify_range_checks_r_s_and_q() {
    let mut e = engine(W);
    let n = curve::n();
    let (qx, qy) = ref_keygen(&BigUint::from(3u32));
    let z = BigUint::from(1u32);
    let good = BigUint::from(1u32);
    for bad in invalid_scalars() {
        let steps = |e: &mut scu_golden::engine::Engine, r: &BigUint, s: &BigUint| {
            let res = e.run(
                Command::Verify.code(),
                &[qx.clone(), qy.clone(), z.clone(), r.clone(), s.clone()],
            );
            assert_eq!(res.status, Status::InvalidSig, "r={r:x} s={s:x}");
            res.pcs.len()
        };
        assert!(steps(&mut e, &bad, &good) < MAX_VALIDATION_STEPS);
        assert!(steps(&mut e, &good, &bad) < MAX_VALIDATION_STEPS);
    }
    let bad_q = verify(&mut e, &qx, &(&qy + 1u32), &z, &good, &good);
    assert_eq!(bad_q, Status::BadPoint);
    let _ = n;
}

#[test]
fn verify_u1_zero_and_shared_base_cases() {
    // z ≡ 0 (mod n) makes u1 = 0 (first ladder yields O); Q = G makes both ladders share a
    // base, and a signature by d = 1 puts R = u1·G + u2·G through the doubling case of the
    // complete addition when u1 = u2.
    let mut e = engine(W);
    let n = curve::n();
    let d = one();
    let (qx, qy) = ref_keygen(&d);
    let k = BigUint::from(424242u32);
    for z in [n.clone(), BigUint::default(), BigUint::from(77u32)] {
        let (r, s) = ref_sign(&d, &k, &z);
        assert!(p256_verify(&qx, &qy, &z, &r, &s));
        assert_eq!(
            verify(&mut e, &qx, &qy, &z, &r, &s),
            Status::Ok,
            "z = {z:x}"
        );
    }
    // u1 = u2 ⇔ e = r: sign the digest z = r (for d = 1 that is the doubling case R = 2·u1·G).
    let r0 = affine_xy(ProjectivePoint::GENERATOR * scalar(&k)).0 % &n;
    let (r, s) = ref_sign(&d, &k, &r0);
    assert_eq!(r, r0);
    assert_eq!(verify(&mut e, &qx, &qy, &r0, &r, &s), Status::Ok);
}

// ─────────────────────── command dispatch and traces ───────────────────────

#[test]
fn unknown_commands_answer_bad_cmd_without_writes() {
    let mut e = engine(W);
    for code in [4u8, 5, 17, 128, 255] {
        let r = e.run(code, &[]);
        assert_eq!(r.status, Status::BadCmd);
        assert!(r.writes.is_empty() && r.pcs.is_empty() && r.outputs.is_empty());
        assert_eq!(r.cycles, START_CYCLES);
    }
}

#[test]
fn cycles_are_the_sum_of_the_table_over_executed_instructions() {
    let mut e = engine(W);
    let r = keygen(&mut e, &BigUint::from(9u32));
    let code = &program().code;
    let sum: u64 = r
        .pcs
        .iter()
        .map(|&pc| instr_cycles(W, &code[pc as usize]))
        .sum();
    let saved: u64 = r
        .pcs
        .windows(2)
        .map(|p| overlap(Parallel, W, &code[p[0] as usize], &code[p[1] as usize]))
        .sum();
    assert!(saved > 0);
    assert_eq!(r.cycles, START_CYCLES + sum - saved);
}

#[test]
fn lock_step_trace_is_deterministic() {
    let mut rng = Rng::new(6);
    let (d, k, z) = (rng.scalar(), rng.scalar(), rng.u256());
    let mut a = engine(W);
    // A different command first, so the second engine's register file starts dirty.
    let mut b = engine(W);
    let _ = keygen(&mut b, &rng.scalar());
    let ra = sign(&mut a, &d, &z, &k);
    let rb = sign(&mut b, &d, &z, &k);
    let ra2 = sign(&mut a, &d, &z, &k);
    assert_eq!(ra.status, Status::Ok);
    assert_eq!(ra, rb);
    assert_eq!(ra, ra2);
    // Every write is a 256-bit value to a real register.
    assert!(ra.writes.iter().all(|(r, v)| *r < 32 && v.bits() <= 256));
    // Different inputs do change the trace (so the comparison above is not vacuous).
    let rc = sign(&mut a, &d, &(&z ^ one()), &k);
    assert_ne!(ra.writes, rc.writes);
}

#[test]
fn widths_agree_bit_for_bit() {
    // For reduced operands every ALU result is fully reduced, so W changes timing only: the
    // whole write trace must be identical at W = 16, 32 and 64, and cycles must follow the
    // per-width ALU costs.
    let d = Rng::new(7).scalar();
    let (x, y) = ref_keygen(&d);
    let r64 = keygen(&mut engine(64), &d);
    for w in [16, 32] {
        let rw = keygen(&mut engine(w), &d);
        assert_eq!(rw.status, Status::Ok);
        assert_eq!(rw.outputs, vec![x.clone(), y.clone()], "W = {w}");
        assert_eq!(rw.pcs, r64.pcs, "W = {w}");
        assert!(rw.writes == r64.writes, "W = {w}: traces differ");
        assert!(rw.cycles > r64.cycles);
    }
}

// ─────────────────────────────── constant time ───────────────────────────────

fn assert_same_schedule(runs: &[scu_golden::engine::RunResult], what: &str) {
    for r in runs {
        assert_eq!(r.status, Status::Ok, "{what}");
        assert_eq!(r.cycles, runs[0].cycles, "{what}: cycles differ");
        assert!(r.pcs == runs[0].pcs, "{what}: executed pc sequence differs");
    }
}

fn ct_scalars() -> Vec<BigUint> {
    let n = curve::n();
    let threshold = (one() << 257u32) - &n * 2u32;
    let mut rng = Rng::new(8);
    vec![
        one(),
        BigUint::from(2u32),
        &n - 1u32, // the ladder's one substituted scalar
        &n - 2u32,
        rng.scalar(),
        one() << 200u32,
        &threshold - 1u32, // recoded as k + 3n
        threshold,         // recoded as k + 2n
    ]
}

#[test]
fn keygen_is_constant_time() {
    let mut e = engine(W);
    let runs: Vec<_> = ct_scalars().iter().map(|d| keygen(&mut e, d)).collect();
    assert_same_schedule(&runs, "KEYGEN");
}

#[test]
fn ecdh_is_constant_time() {
    let mut e = engine(W);
    let (px, py) = ref_keygen(&BigUint::from(0x1234_5678u32));
    let runs: Vec<_> = ct_scalars()
        .iter()
        .map(|d| ecdh(&mut e, d, &px, &py))
        .collect();
    assert_same_schedule(&runs, "ECDH");
}

#[test]
fn sign_is_constant_time() {
    let mut e = engine(W);
    let s = ct_scalars();
    let mut rng = Rng::new(9);
    // Vary d and k together and apart, and the digest.
    let runs: Vec<_> = (0..s.len())
        .map(|i| sign(&mut e, &s[i], &rng.u256(), &s[(i + 2) % s.len()]))
        .collect();
    assert_same_schedule(&runs, "SIGN");
}

#[test]
fn verify_schedule_depends_only_on_u1_and_u2() {
    // VERIFY sees public data only and branches on it — on the bits of u1 and u2 above all
    // (joint double-and-add). Beyond them the schedule must not depend on the key: valid
    // signatures under different keys that lead to the same u1, u2 run the same sequence.
    let mut e = engine(W);
    let mut rng = Rng::new(10);
    let (u1, u2) = (rng.scalar(), rng.scalar());
    let runs: Vec<_> = (0..3)
        .map(|_| {
            let (qx, qy) = ref_keygen(&rng.scalar());
            let (z, r, s) = craft_signature(&qx, &qy, &u1, &u2).expect("R ≠ O");
            assert!(p256_verify(&qx, &qy, &z, &r, &s));
            e.run(Command::Verify.code(), &[qx, qy, z, r, s])
        })
        .collect();
    assert_same_schedule(&runs, "VERIFY");
    // Other u1, u2 take another path (so the comparison above is not vacuous).
    let (qx, qy) = ref_keygen(&rng.scalar());
    let (z, r, s) = craft_signature(&qx, &qy, &rng.scalar(), &u2).unwrap();
    let other = e.run(Command::Verify.code(), &[qx, qy, z, r, s]);
    assert_eq!(other.status, Status::Ok);
    assert_ne!(other.pcs, runs[0].pcs);
}

/// `1234567` → `1,234,567`.
fn thousands(x: u64) -> String {
    let s = x.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Prints the cycle model's totals per command and width as the table of `docs/engine.md`
/// (`cargo test --release -p scu-golden --test engine cycle_totals -- --nocapture`), and checks
/// them against pinned values so that a silent change is noticed. VERIFY's count depends on
/// the public u1, u2: the table gives the mean and range over random signatures, the pin is
/// for one fixed signature.
#[test]
fn cycle_totals_per_command() {
    let d = BigUint::from(5u32);
    let (qx, qy) = ref_keygen(&d);
    let z = BigUint::from(11u32);
    let k = BigUint::from(13u32);
    let (r, s) = ref_sign(&d, &k, &z);
    let code = &program().code;
    let mut pinned = Vec::new();
    let mut table = String::from(
        "| W | KEYGEN | ECDH | SIGN | VERIFY (mean) | VERIFY (range) |\n|---|---|---|---|---|---|\n",
    );
    let mut last = Vec::new();
    for w in [16usize, 32, 64, 128] {
        let mut e = engine(w);
        let runs = [
            keygen(&mut e, &d),
            ecdh(&mut e, &d, &qx, &qy),
            sign(&mut e, &d, &z, &k),
            e.run(
                Command::Verify.code(),
                &[qx.clone(), qy.clone(), z.clone(), r.clone(), s.clone()],
            ),
        ];
        for x in &runs {
            assert_eq!(x.status, Status::Ok);
        }
        pinned.push(runs.each_ref().map(|x| x.cycles));
        let mut rng = Rng::new(11);
        let verify: Vec<u64> = (0..16)
            .map(|_| {
                let (d, k, z) = (rng.scalar(), rng.scalar(), rng.u256());
                let (qx, qy) = ref_keygen(&d);
                let (r, s) = ref_sign(&d, &k, &z);
                let v = e.run(Command::Verify.code(), &[qx, qy, z, r, s]);
                assert_eq!(v.status, Status::Ok);
                v.cycles
            })
            .collect();
        table += &format!(
            "| {w} | {} | {} | {} | {} | {} – {} |\n",
            thousands(runs[0].cycles),
            thousands(runs[1].cycles),
            thousands(runs[2].cycles),
            thousands(verify.iter().sum::<u64>() / verify.len() as u64),
            thousands(*verify.iter().min().unwrap()),
            thousands(*verify.iter().max().unwrap()),
        );
        last = runs.to_vec();
    }
    let count = |f: fn(&Instr) -> bool| -> Vec<String> {
        last.iter()
            .map(|x| {
                let c = x.pcs.iter().filter(|&&pc| f(&code[pc as usize])).count();
                thousands(c as u64)
            })
            .collect()
    };
    for (what, counts) in [
        ("instructions", count(|_| true)),
        ("of which MUL", count(|i| matches!(i, Instr::Mul { .. }))),
        (
            "of which ADD/SUB",
            count(|i| matches!(i, Instr::Add { .. } | Instr::Sub { .. })),
        ),
    ] {
        table += &format!("| {what} | {} | |\n", counts.join(" | "));
    }
    println!("{table}");
    println!(
        "ROM: {} instruction words, {} constants",
        code.len(),
        program().constants.len()
    );
    // Pinned so that a change to the microcode or the cycle table is a visible decision
    // (update docs and the RTL with it). Instruction counts do not depend on W.
    assert_eq!(
        pinned,
        [
            [547_538, 1_458_389, 648_475, 1_793_533],
            [182_274, 487_637, 214_291, 596_877],
            [71_162, 188_597, 82_975, 231_253],
            [26_050, 64_460, 36_430, 87_020],
        ]
    );
    let steps: Vec<usize> = last.iter().map(|x| x.pcs.len()).collect();
    assert_eq!(steps, [4_015, 9_576, 4_545, 13_533]);
}

/// The serial datapath's totals (`cycles.rs`, `Datapath::Serial`): the same instructions and
/// writes as the parallel engine, only slower moves. Pinned like `cycle_totals_per_command`.
#[test]
fn serial_cycle_totals_per_command() {
    use scu_golden::engine::{Datapath, Engine};
    let d = BigUint::from(5u32);
    let (qx, qy) = ref_keygen(&d);
    let z = BigUint::from(11u32);
    let k = BigUint::from(13u32);
    let (r, s) = ref_sign(&d, &k, &z);
    let mut pinned = Vec::new();
    for w in [16usize, 32] {
        let mut e = Engine::with_datapath(Datapath::Serial, w).unwrap();
        let mut p = engine(w);
        let runs = [
            (keygen(&mut e, &d), keygen(&mut p, &d)),
            (ecdh(&mut e, &d, &qx, &qy), ecdh(&mut p, &d, &qx, &qy)),
            (sign(&mut e, &d, &z, &k), sign(&mut p, &d, &z, &k)),
            (
                e.run(
                    Command::Verify.code(),
                    &[qx.clone(), qy.clone(), z.clone(), r.clone(), s.clone()],
                ),
                p.run(
                    Command::Verify.code(),
                    &[qx.clone(), qy.clone(), z.clone(), r.clone(), s.clone()],
                ),
            ),
        ];
        for (ser, par) in &runs {
            assert_eq!(ser.status, Status::Ok);
            // Only the cycle count may differ from the parallel engine.
            assert_eq!(ser.writes, par.writes, "W{w}: writes");
            assert_eq!(ser.pcs, par.pcs, "W{w}: schedule");
            assert_eq!(ser.outputs, par.outputs, "W{w}: outputs");
            assert!(ser.cycles > par.cycles);
        }
        let cycles = runs.each_ref().map(|(s, _)| s.cycles);
        println!(
            "serial W{w}: KEYGEN {} ECDH {} SIGN {} VERIFY {}",
            cycles[0], cycles[1], cycles[2], cycles[3]
        );
        pinned.push(cycles);
    }
    assert_eq!(
        pinned,
        [
            [697_043, 1_868_911, 888_580, 2_333_774],
            [255_683, 691_311, 313_508, 844_502],
        ]
    );
}
