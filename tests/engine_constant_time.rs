//! Constant time on the RTL: KEYGEN, ECDH and SIGN take the same number of cycles for every
//! secret — 200 random scalars plus the edge scalars — and the register-write address
//! sequence (the control flow) is the same too, checked on a sample. Tiny and fast presets.

mod engine_rtl;
#[path = "../golden-model/tests/engine_support/mod.rs"]
mod engine_support;

use engine_rtl::{word_width, Pair};
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

fn scalars(seed: u64) -> Vec<BigUint> {
    let mut rng = Rng::new(seed);
    let mut v = edge_scalars();
    v.extend((0..RANDOM).map(|_| rng.scalar()));
    v
}

/// Runs `inputs(secret)` for every secret; all must be OK with one cycle count.
fn same_cycles(preset: &str, cmd: Command, inputs: impl Fn(&BigUint) -> Vec<BigUint>) {
    let mut pair = Pair::new(word_width(preset), 31);
    let secrets = scalars(cmd.code() as u64 + 100);
    // The control flow itself: the sequence of written registers, on a few secrets.
    let addrs = |pair: &mut Pair, x: &BigUint| -> Vec<u8> {
        pair.lockstep(cmd, &inputs(x))
            .writes
            .iter()
            .map(|w| w.0)
            .collect()
    };
    let reference = addrs(&mut pair, &secrets[0]);
    for x in secrets.iter().skip(1).step_by(40) {
        assert!(
            addrs(&mut pair, x) == reference,
            "{preset} {cmd:?}: write sequence differs for {x:x}"
        );
    }
    let mut cycles = None;
    for x in &secrets {
        let r = pair.rtl(cmd, &inputs(x));
        assert_eq!(r.status, Status::Ok.code(), "{preset} {cmd:?} secret {x:x}");
        let c = *cycles.get_or_insert(r.cycles);
        assert_eq!(
            r.cycles, c,
            "{preset} {cmd:?}: cycles differ for secret {x:x}"
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
        }
    )*};
}

ct_tests! {
    keygen_d: Command::Keygen, |d: &BigUint| vec![d.clone()];
    ecdh_d: Command::Ecdh, |d: &BigUint| { let (x, y) = peer(); vec![d.clone(), x, y] };
    sign_d: Command::Sign, |d: &BigUint| vec![d.clone(), BigUint::from(99u32), BigUint::from(12345u32)];
    sign_k: Command::Sign, |k: &BigUint| vec![BigUint::from(777u32), BigUint::from(99u32), k.clone()];
}
