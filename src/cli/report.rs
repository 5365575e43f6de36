//! `scu report`: clock cycles of every engine command on every preset, measured by running
//! each command once through `scu::hw` on fixed valid inputs. The inputs and the expected
//! results come from the `p256`/`ecdsa` crates, so a report is also a smoke test: a status
//! other than OK, or a wrong result, is an error.

use super::commands::status_name;
use super::CliError;
use p256::elliptic_curve::sec1::ToSec1Point;
use p256::elliptic_curve::PrimeField;
use p256::{NistP256, NonZeroScalar, ProjectivePoint, Scalar};
use scu::hw;
use scu_golden::engine::Datapath;
use scu_golden::engine::{Command, Status};
use scu_hdl::preset::PRESETS;

/// The word width at which the report also measures the other datapath (tiny's serial engine
/// against the parallel one it replaced).
const ALT_W: usize = 16;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

type Bytes32 = [u8; 32];

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print {"presets": {"<name>": {"word_width", "datapath", "keygen", "ecdh", "sign",
    /// "verify"}}, "parallel_engine": {"w16": {…the same keys}}}.
    #[arg(long)]
    json: bool,
}

// Arbitrary fixed scalars below n (the engine is constant time: any valid value gives the
// same cycle counts).
const D: &str = "3a8e4f6b1c2d5e7f90a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcdef";
const PEER: &str = "5f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const K: &str = "7c4a1e9b3d5f2a8c6e0b4d7f1a3c5e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c";
const MESSAGE: &[u8] = b"scu report";

/// One engine command with its inputs and the reference's expected outputs.
pub(super) struct Case {
    pub(super) name: &'static str,
    cmd: Command,
    inputs: Vec<Bytes32>,
    expected: Vec<Bytes32>,
}

fn bytes32(hex_text: &str) -> Bytes32 {
    hex::decode(hex_text)
        .expect("fixed hex")
        .try_into()
        .expect("32 bytes")
}

fn scalar(bytes: &Bytes32) -> NonZeroScalar {
    let s = Scalar::from_repr((*bytes).into()).expect("fixed scalar below n");
    NonZeroScalar::new(s).expect("fixed scalar is non-zero")
}

fn affine(point: ProjectivePoint) -> (Bytes32, Bytes32) {
    let enc = point.to_affine().to_sec1_point(false);
    let x = enc.x().expect("not the identity");
    let y = enc.y().expect("uncompressed");
    (
        x.as_slice().try_into().expect("32 bytes"),
        y.as_slice().try_into().expect("32 bytes"),
    )
}

/// The four commands on fixed inputs, with p256's results.
pub(super) fn cases() -> Vec<Case> {
    let (d, peer, k) = (bytes32(D), bytes32(PEER), bytes32(K));
    let z: Bytes32 = Sha256::digest(MESSAGE).into();
    let (qx, qy) = affine(ProjectivePoint::GENERATOR * *scalar(&d));
    let peer_point = ProjectivePoint::GENERATOR * *scalar(&peer);
    let (px, py) = affine(peer_point);
    let (shared_x, _) = affine(peer_point * *scalar(&d));
    let (sig, _) = ecdsa::hazmat::sign_prehashed::<NistP256>(&scalar(&d), &scalar(&k), &z)
        .expect("fixed nonce gives r, s != 0");
    let rs = sig.to_bytes();
    let r: Bytes32 = rs[..32].try_into().expect("32 bytes");
    let s: Bytes32 = rs[32..].try_into().expect("32 bytes");
    vec![
        Case {
            name: "keygen",
            cmd: Command::Keygen,
            inputs: vec![d],
            expected: vec![qx, qy],
        },
        Case {
            name: "ecdh",
            cmd: Command::Ecdh,
            inputs: vec![d, px, py],
            expected: vec![shared_x],
        },
        Case {
            name: "sign",
            cmd: Command::Sign,
            inputs: vec![d, z, k],
            expected: vec![r, s],
        },
        Case {
            name: "verify",
            cmd: Command::Verify,
            inputs: vec![qx, qy, z, r, s],
            expected: vec![],
        },
    ]
}

/// Runs every case once on the simulated engine of word width `w` (`label` names it in
/// errors); the cycles per case, after checking status and results against p256.
pub(super) fn measure_on(
    datapath: Datapath,
    label: &str,
    w: usize,
    cases: &[Case],
) -> Result<Vec<u64>, CliError> {
    let mut cycles = Vec::new();
    for case in cases {
        let run = hw::run_on(datapath, w, case.cmd, &case.inputs)
            .map_err(|e| CliError::Failed(format!("cannot run the simulated engine: {e}")))?;
        if run.status != Status::Ok {
            return Err(CliError::Failed(format!(
                "{} on {label} answered {} for valid inputs",
                case.name,
                status_name(run.status)
            )));
        }
        if run.outputs != case.expected {
            return Err(CliError::Failed(format!(
                "{} on {label} returned a result that differs from the p256 crate's",
                case.name
            )));
        }
        cycles.push(run.cycles);
    }
    Ok(cycles)
}

pub fn run(args: Args) -> Result<(), CliError> {
    let cases = cases();
    // (preset, word width, datapath, cycles per case)
    let mut rows: Vec<(&str, usize, Datapath, Vec<u64>)> = Vec::new();
    for (preset, params, _) in PRESETS.iter() {
        let w = params.word_width;
        let cycles = measure_on(params.datapath, &format!("preset {preset}"), w, &cases)?;
        rows.push((preset, w, params.datapath, cycles));
    }
    // The parallel engine at tiny's width, for the price of the serial datapath in cycles
    // (`docs/engine.md`, "Serial operand path").
    let alt = measure_on(Datapath::Parallel, "the parallel engine", ALT_W, &cases)?;

    if args.json {
        let mut presets = Map::new();
        for (preset, w, dp, cycles) in &rows {
            let mut o = Map::new();
            o.insert("word_width".into(), json!(w));
            o.insert("datapath".into(), json!(dp.name()));
            for (case, c) in cases.iter().zip(cycles) {
                o.insert(case.name.into(), json!(c));
            }
            presets.insert(preset.to_string(), Value::Object(o));
        }
        let mut o = Map::new();
        o.insert("word_width".into(), json!(ALT_W));
        o.insert("datapath".into(), json!(Datapath::Parallel.name()));
        for (case, c) in cases.iter().zip(&alt) {
            o.insert(case.name.into(), json!(c));
        }
        let report = json!({
            "presets": presets,
            "parallel_engine": { format!("w{ALT_W}"): Value::Object(o) },
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("report serialises")
        );
        return Ok(());
    }
    println!(
        "Engine clock cycles per command (start to done), each run once on fixed valid inputs"
    );
    println!(
        "and checked against the p256 crate. Source: {}.",
        hw::backend()
    );
    println!();
    print!("{:<10} {:>3} {:<8}", "preset", "W", "datapath");
    for case in &cases {
        print!(" {:>10}", case.name.to_uppercase());
    }
    println!();
    for (preset, w, dp, cycles) in &rows {
        print!("{preset:<10} {w:>3} {:<8}", dp.name());
        for c in cycles {
            print!(" {c:>10}");
        }
        println!();
    }
    print!("{:<10} {ALT_W:>3} {:<8}", "(tiny)", "parallel");
    for c in &alt {
        print!(" {c:>10}");
    }
    println!();
    println!();
    println!(
        "(tiny) parallel: the parallel engine scu_engine_w{ALT_W} at tiny's width, for comparison \
         (scu generate --preset tiny --datapath parallel)."
    );
    Ok(())
}
