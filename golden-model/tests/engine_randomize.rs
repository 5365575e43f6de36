//! Randomized projective coordinates (`docs/engine.md`): KEYGEN, ECDH and SIGN take a random
//! λ in `random_regs(cmd)`. Whatever λ, the results are those of `p256`/`ecdsa` and the
//! executed instruction sequence (so the cycle count) is the same; the intermediate values
//! are not — that is the countermeasure.

mod engine_support;

use engine_support::*;
use num_bigint::BigUint;
use num_traits::One;
use scu_golden::curve;
use scu_golden::engine::{program, random_regs, Command, Engine, Instr, RunResult, Status};

const W: usize = 64;

/// λ values that must all act like some λ' ∈ [1, p−1]: random words, 0 and p (both ≡ 0: must
/// become 1), 1 and p + 1 (≡ 1), p − 1, and the largest word (≥ p: reduced).
fn lambdas(rng: &mut Rng) -> Vec<BigUint> {
    let p = curve::p();
    vec![
        rng.u256(),
        BigUint::default(),
        p.clone(),
        BigUint::one(),
        &p + 1u32,
        &p - 1u32,
        (BigUint::one() << 256u32) - 1u32,
        rng.u256(),
    ]
}

/// The secret-scalar commands with inputs and their reference outputs.
fn cases(rng: &mut Rng, d: &BigUint) -> Vec<(Command, Vec<BigUint>, Vec<BigUint>)> {
    let (kx, ky) = ref_keygen(d);
    let (px, py) = ref_keygen(&rng.scalar());
    let shared = affine_xy(point(&px, &py) * scalar(d)).0;
    // The peer (0, √b): x_P = 0 stays 0 in every frame; the Z recovery must not mind.
    let [(x0, y0), _] = points_with_x_zero();
    let shared0 = affine_xy(point(&x0, &y0) * scalar(d)).0;
    let (k, z) = (rng.scalar(), rng.u256());
    let (r, s) = ref_sign(d, &k, &z);
    vec![
        (Command::Keygen, vec![d.clone()], vec![kx, ky]),
        (Command::Ecdh, vec![d.clone(), px, py], vec![shared]),
        (Command::Ecdh, vec![d.clone(), x0, y0], vec![shared0]),
        (Command::Sign, vec![d.clone(), z, k], vec![r, s]),
    ]
}

fn run(e: &mut Engine, cmd: Command, inputs: &[BigUint], lambda: &BigUint) -> RunResult {
    e.run_randomized(cmd.code(), inputs, std::slice::from_ref(lambda))
}

#[test]
fn random_regs_are_rnd_for_the_secret_commands_only() {
    for cmd in Command::ALL {
        let want: &[u8] = if cmd == Command::Verify { &[] } else { &[31] };
        assert_eq!(random_regs(cmd), want, "{cmd:?}");
    }
}

#[test]
fn results_and_schedule_do_not_depend_on_lambda() {
    let mut e = engine(W);
    let mut rng = Rng::new(40);
    // A random scalar, the ladder's substituted n − 1, and 1 (63 leading zero comb columns).
    let n = curve::n();
    for d in [rng.scalar(), &n - 1u32, BigUint::one()] {
        for (cmd, inputs, want) in cases(&mut rng, &d) {
            let base = run(&mut e, cmd, &inputs, &BigUint::one());
            assert_eq!(base.status, Status::Ok, "{cmd:?} d = {d:x}");
            assert_eq!(base.outputs, want, "{cmd:?} d = {d:x}");
            for lambda in lambdas(&mut rng) {
                let r = run(&mut e, cmd, &inputs, &lambda);
                let ctx = format!("{cmd:?} d = {d:x} λ = {lambda:x}");
                assert_eq!(r.status, Status::Ok, "{ctx}");
                assert_eq!(r.outputs, want, "{ctx}");
                assert!(r.pcs == base.pcs, "{ctx}: executed pc sequence differs");
                assert_eq!(r.cycles, base.cycles, "{ctx}");
            }
        }
    }
}

#[test]
fn lambda_is_taken_mod_p_with_zero_replaced_by_one() {
    // p + 1 becomes λ' = 1: exactly the trace of λ = 1, as λ + p gives that of λ. 0 and p
    // become 1 too: the same trace but for two writes of 0 where λ = 1 writes 1 — the
    // residue λ mod p, and the CSWAP partner that takes it out of RND.
    let mut e = engine(W);
    let mut rng = Rng::new(41);
    let p = curve::p();
    let d = rng.scalar();
    let lambda = rng.u256() % ((BigUint::one() << 256u32) - &p); // λ + p < 2^256
    for (cmd, inputs, _) in cases(&mut rng, &d) {
        let one = run(&mut e, cmd, &inputs, &BigUint::one());
        assert!(
            run(&mut e, cmd, &inputs, &(&p + 1u32)).writes == one.writes,
            "{cmd:?}"
        );
        for zero in [BigUint::default(), p.clone()] {
            let r = run(&mut e, cmd, &inputs, &zero);
            assert_eq!(r.writes.len(), one.writes.len());
            let differ: Vec<_> = (0..r.writes.len())
                .filter(|&i| r.writes[i] != one.writes[i])
                .collect();
            assert_eq!(differ.len(), 2, "{cmd:?} λ = {zero:x}");
            for i in differ {
                assert_eq!(r.writes[i].0, one.writes[i].0, "{cmd:?} write {i}");
                assert_eq!(r.writes[i].1, BigUint::default(), "{cmd:?} write {i}");
                assert_eq!(one.writes[i].1, BigUint::one(), "{cmd:?} write {i}");
            }
        }
        let a = run(&mut e, cmd, &inputs, &lambda);
        assert!(
            run(&mut e, cmd, &inputs, &(&lambda + &p)).writes == a.writes,
            "{cmd:?}"
        );
        assert!(a.writes != one.writes, "{cmd:?}");
    }
}

#[test]
fn run_is_the_countermeasure_off() {
    let mut e = engine(W);
    let mut rng = Rng::new(42);
    let d = rng.scalar();
    for (cmd, inputs, _) in cases(&mut rng, &d) {
        assert_eq!(
            e.run(cmd.code(), &inputs),
            run(&mut e, cmd, &inputs, &BigUint::one()),
            "{cmd:?}"
        );
    }
    // VERIFY takes no random word, and unknown commands ignore them.
    let (qx, qy) = ref_keygen(&d);
    let (k, z) = (rng.scalar(), rng.u256());
    let (r, s) = ref_sign(&d, &k, &z);
    let v = e.run_randomized(Command::Verify.code(), &[qx, qy, z, r, s], &[]);
    assert_eq!(v.status, Status::Ok);
    assert_eq!(e.run_randomized(7, &[], &[]).status, Status::BadCmd);
}

#[test]
#[should_panic(expected = "random words")]
fn a_missing_random_word_panics() {
    engine(W).run_randomized(Command::Keygen.code(), &[BigUint::one()], &[]);
}

/// How many non-zero MUL results two runs share, out of how many MULs ran (same pcs assumed).
/// Zero products are left out: a zero coordinate is zero in every frame, and while the comb's
/// accumulator is O (0 : 0 : 0) its doubling multiplies zeros (`docs/engine.md`).
fn equal_products(a: &RunResult, b: &RunResult) -> (usize, usize) {
    let code = &program().code;
    let (mut at, mut muls, mut equal) = (0, 0, 0);
    for &pc in &a.pcs {
        let writes = match code[pc as usize] {
            Instr::Mul { .. } => {
                muls += 1;
                let zero = a.writes[at].1 == BigUint::default();
                equal += usize::from(a.writes[at] == b.writes[at] && !zero);
                1
            }
            Instr::Add { .. }
            | Instr::Sub { .. }
            | Instr::Mov { .. }
            | Instr::Const { .. }
            | Instr::Csel { .. }
            | Instr::Combld { .. } => 1,
            Instr::Cswap { .. } => 2,
            _ => 0,
        };
        at += writes;
    }
    assert_eq!(at, a.writes.len());
    (equal, muls)
}

#[test]
fn the_intermediate_values_are_randomized() {
    // Two random λ: almost every non-zero product differs. What may agree: the outputs and
    // SIGN's arithmetic mod n (k⁻¹, r·d: ≈ 300
    // products), which the countermeasure does not cover — it randomizes point coordinates.
    // Zero coordinates stay zero in every frame (`docs/engine.md`): the peer (0, √b) is left
    // out, as its ladder meets ±P, x = 0, in every step.
    let mut e = engine(W);
    let mut rng = Rng::new(43);
    let d = rng.scalar();
    let zero = BigUint::default();
    for (cmd, inputs, _) in cases(&mut rng, &d) {
        if cmd == Command::Ecdh && inputs[1] == zero {
            continue;
        }
        let a = run(&mut e, cmd, &inputs, &rng.u256());
        let b = run(&mut e, cmd, &inputs, &rng.u256());
        let (equal, muls) = equal_products(&a, &b);
        let bound = if cmd == Command::Sign {
            muls / 5
        } else {
            muls / 100
        };
        assert!(equal <= bound, "{cmd:?}: {equal} of {muls} products equal");
    }
}
