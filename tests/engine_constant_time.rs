//! Constant time on the RTL: KEYGEN, ECDH and SIGN take the same number of cycles for every
//! secret — 200 random scalars plus the edge scalars — and the register-write address
//! sequence (the control flow) is the same too, checked on a sample. SIGN has two secrets, d
//! and k: each edge scalar is tried as d (random k) and as k (random d), and the 200 random
//! runs vary both. Tiny and fast presets.

mod engine_rtl;
#[path = "../golden-model/tests/engine_support/mod.rs"]
mod engine_support;

use engine_rtl::{pair, Pair, SERIAL16};
use engine_support::*;
use num_bigint::BigUint;
use scu_golden::curve;
use scu_golden::engine::{Command, Status};

const RANDOM: usize = 200;

fn edge_scalars() -> Vec<BigUint> {
    let n = curve::n();
    let one = BigUint::from(1u32);
    let mut v: Vec<BigUint> = [1u32, 2, 3, 4]
        .into_iter()
        .map(BigUint::from)
        .chain([1u32, 2, 3, 4].into_iter().map(|x| &n - x))
        .collect();
    v.push(&one << 255u32); // top bit only
    v.push(&one << 128u32);
    v.push((&one << 255u32) - 1u32); // 255 ones
    v.push(&n >> 1u32); // (n−1)/2
    v.push((&n >> 1u32) + 1u32);
    v.push(
        BigUint::parse_bytes(
            b"5555555555555555555555555555555555555555555555555555555555555555",
            16,
        )
        .unwrap(),
    );
    v
}

/// (secret, second secret) pairs: every edge scalar in both positions, then random pairs.
fn secrets(seed: u64) -> Vec<(BigUint, BigUint)> {
    let mut rng = Rng::new(seed);
    let mut v = vec![];
    for e in edge_scalars() {
        v.push((e.clone(), rng.scalar()));
        v.push((rng.scalar(), e));
    }
    v.extend((0..RANDOM).map(|_| (rng.scalar(), rng.scalar())));
    v
}

/// Runs `inputs(secret, second)` for every pair; all must be OK with one cycle count.
fn same_cycles(preset: &str, cmd: Command, inputs: impl Fn(&BigUint, &BigUint) -> Vec<BigUint>) {
    let mut pair = pair(preset, 31);
    let secrets = secrets(cmd.code() as u64 + 100);
    // The control flow itself: the sequence of written registers, on a few secrets.
    let addrs = |pair: &mut Pair, (x, y): &(BigUint, BigUint)| -> Vec<u8> {
        pair.lockstep(cmd, &inputs(x, y))
            .writes
            .iter()
            .map(|w| w.0)
            .collect()
    };
    let reference = addrs(&mut pair, &secrets[0]);
    for s in secrets.iter().skip(1).step_by(50) {
        assert!(
            addrs(&mut pair, s) == reference,
            "{preset} {cmd:?}: write sequence differs for {:x}, {:x}",
            s.0,
            s.1
        );
    }
    let mut cycles = None;
    for (x, y) in &secrets {
        let r = pair.rtl(cmd, &inputs(x, y));
        assert_eq!(
            r.status,
            Status::Ok.code(),
            "{preset} {cmd:?} secrets {x:x}, {y:x}"
        );
        let c = *cycles.get_or_insert(r.cycles);
        assert_eq!(
            r.cycles, c,
            "{preset} {cmd:?}: cycles differ for secrets {x:x}, {y:x}"
        );
    }
}

fn peer() -> (BigUint, BigUint) {
    ref_keygen(&BigUint::from(0xc0ffee_u32))
}

macro_rules! ct_tests {
    ($($name:ident: $cmd:expr, $inputs:expr;)*) => {$(
        mod $name {
            use super::*;
            #[test]
            fn tiny() {
                same_cycles("tiny", $cmd, $inputs)
            }
            #[test]
            fn fast() {
                same_cycles("fast", $cmd, $inputs)
            }
            #[test]
            fn serial16() {
                same_cycles(SERIAL16, $cmd, $inputs)
            }
        }
    )*};
}

ct_tests! {
    keygen: Command::Keygen, |d: &BigUint, _: &BigUint| vec![d.clone()];
    ecdh: Command::Ecdh, |d: &BigUint, _: &BigUint| {
        let (x, y) = peer();
        vec![d.clone(), x, y]
    };
    sign: Command::Sign, |d: &BigUint, k: &BigUint| vec![d.clone(), BigUint::from(99u32), k.clone()];
}
