//! The simulated engine as the command line sees it: one command in, status, outputs and the
//! hardware cycle count out. `scu sim` and `scu report` go through this and nothing else.
//!
//! TEMPORARY: until the Verilated engine lands in `scu-sim`, this runs the golden-model
//! interpreter (same statuses, outputs and cycle model). The signature stays when the backend
//! becomes the RTL.

use num_bigint::BigUint;
use scu_golden::engine::{Command, Engine, Status};

pub type Bytes32 = [u8; 32];

/// What one engine command produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HwRun {
    pub status: Status,
    /// The command's output registers (`scu_golden::engine::output_regs`), big-endian; empty
    /// unless `status` is OK.
    pub outputs: Vec<Bytes32>,
    /// Clock cycles from start to done.
    pub cycles: u64,
}

/// Runs `cmd` on an engine with field-ALU word width `word_width` (a preset's
/// `Params::word_width`). `inputs` are big-endian 256-bit integers in the order of
/// `scu_golden::engine::input_regs(cmd)`. Errors are set-up problems (no simulator, bad
/// width, wrong input count), never input validity: the hardware judges that via `status`.
pub fn run(word_width: usize, cmd: Command, inputs: &[Bytes32]) -> Result<HwRun, String> {
    let want = scu_golden::engine::input_regs(cmd).len();
    if inputs.len() != want {
        return Err(format!("{cmd:?} takes {want} inputs, got {}", inputs.len()));
    }
    let mut engine = Engine::new(word_width)?;
    let ins: Vec<BigUint> = inputs.iter().map(|b| BigUint::from_bytes_be(b)).collect();
    let r = engine.run(cmd.code(), &ins);
    Ok(HwRun {
        status: r.status,
        outputs: r.outputs.iter().map(to_bytes32).collect(),
        cycles: r.cycles,
    })
}

fn to_bytes32(v: &BigUint) -> Bytes32 {
    let b = v.to_bytes_be();
    let mut out = [0u8; 32];
    out[32 - b.len()..].copy_from_slice(&b);
    out
}
