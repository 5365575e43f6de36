//! The gate's rejection sampling on the RTL: KEYGEN_SLOT and SIGN_SLOT draw again when the
//! engine answers BAD_SCALAR for a drawn d or k (a random 256-bit value is ≥ n with
//! probability about 2⁻³², so a healthy source never shows it in a test run).
//!
//! A short burst of a period-2 square wave in the noise makes von Neumann emit a run of equal
//! bits; where that run becomes the first word of d (or k), the value is 0xFFFFFFFF… ≥ n.
//! The burst is short enough for every health test to pass (it is no alarm). The golden
//! model finds a burst position that forces a retry; the Verilated SCU then runs the same
//! noise in lock-step with the model, and the results are checked against p256.

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::ecdsa::{Signature as P256Sig, VerifyingKey};
use scu::device::{ModelScu, SimScu};
use scu_driver::{Scu, SlotPolicy};
use scu_golden::trng::Fault;

const W: usize = 128;
const SEED: u64 = 77;
/// Raw samples of square wave: about 150 equal von Neumann bits, well under the lag-1 test's
/// cutoff within any 1,024-sample window.
const BURST: u64 = 300;

const ALLOW_SIGN: SlotPolicy = SlotPolicy {
    allow_sign: true,
    allow_ecdh: false,
    wlock: false,
    ulock: false,
};

/// A square-wave burst of `BURST` raw samples from sample `at`, then healthy noise again.
fn schedule_burst(at: u64, mut schedule: impl FnMut(u64, Fault)) {
    schedule(at, Fault::Periodic(1));
    schedule(at + BURST, Fault::None);
}

/// The first burst position (raw sample) at which the model retries the command `which`
/// (0: KEYGEN_SLOT, 1: SIGN_SLOT), searching from `from`.
fn find(which: usize, from: u64) -> u64 {
    for at in (from..from + 20_000).step_by(16) {
        let mut m = ModelScu::new(W, SEED).unwrap();
        schedule_burst(at, |i, f| m.schedule_fault(i, f));
        let mut scu = Scu::new(m, true);
        scu.wait_idle().unwrap();
        let Ok(_) = scu.keygen(0) else { continue };
        let keygen_retries = scu.bus_ref().gate().last_command().unwrap().retries;
        if which == 0 {
            if keygen_retries > 0 {
                return at;
            }
            continue;
        }
        scu.set_policy(0, ALLOW_SIGN).unwrap();
        if scu.sign(0, &[0x42; 32]).is_ok()
            && scu.bus_ref().gate().last_command().unwrap().retries > 0
        {
            return at;
        }
    }
    panic!("no burst position forces a retry of command {which}");
}

fn check_on_rtl(at: u64, which: usize) {
    let mut sim = SimScu::new(W, SEED, true).unwrap();
    schedule_burst(at, |i, f| sim.schedule_fault(i, f));
    let mut scu = Scu::new(sim, true);
    scu.wait_idle().unwrap();
    let q = scu.keygen(0).unwrap();
    let keygen = scu
        .bus_ref()
        .model()
        .unwrap()
        .last_command()
        .unwrap()
        .clone();
    scu.set_policy(0, ALLOW_SIGN).unwrap();
    let sig = scu.sign(0, &[0x42; 32]).unwrap();
    let sign = scu
        .bus_ref()
        .model()
        .unwrap()
        .last_command()
        .unwrap()
        .clone();
    let retries = [keygen.retries, sign.retries];
    assert!(retries[which] > 0, "burst at {at}: retries {retries:?}");
    assert_eq!(
        scu.bus_ref().model().unwrap().err().0,
        0,
        "no violation along the way"
    );
    // The retried key and signature are good: p256 verifies the signature under the key.
    let vk = VerifyingKey::from_sec1_bytes(&[&[4u8][..], &q.x[..], &q.y[..]].concat()).unwrap();
    let s = P256Sig::from_scalars(sig.r, sig.s).unwrap();
    vk.verify_prehash(&[0x42; 32], &s).unwrap();
    // And the model agrees it was a retry for the documented reason, not a TRNG failure.
    assert!(!scu.status().trng_alarm);
}

#[test]
fn keygen_slot_redraws_a_key_above_n() {
    let at = find(0, 1_000);
    check_on_rtl(at, 0);
}

#[test]
fn sign_slot_redraws_a_nonce_above_n() {
    // The TRNG's output register holds one word while nobody takes it: the nonce's first
    // word is the one made just after the key generation drew its λ, long before SIGN starts.
    let at = find(1, 1_000);
    check_on_rtl(at, 1);
}
