//! The simulated engine as the command line sees it: one command in, status, outputs and the
//! hardware cycle count out. `scu sim` and `scu report` go through this and nothing else.
//!
//! The backend is the Verilated RTL of `scu generate`'s engine (`scu_sim::engine`), one model
//! per word width, created on first use and reset between commands by the protocol itself
//! (the engine returns to idle after `done`).

use std::cell::RefCell;
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use num_bigint::BigUint;
use scu_golden::engine::{input_regs, output_regs, random_regs, Command, Datapath, Status};
use scu_sim::engine::AnyEngine;
use scu_sim::SimOptions;

pub type Bytes32 = [u8; 32];

/// What one engine command produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HwRun {
    pub status: Status,
    /// The command's output registers (`scu_golden::engine::output_regs`), big-endian; empty
    /// unless `status` is OK.
    pub outputs: Vec<Bytes32>,
    /// Clock cycles from the edge sampling `start` through the edge after which `done` is high.
    pub cycles: u64,
}

/// Where the cycle counts come from (for reports).
pub fn backend() -> String {
    format!(
        "{} co-simulation of the emitted RTL",
        scu_sim::VERILATOR_VERSION.trim()
    )
}

thread_local! {
    // Verilator models must stay on the thread that made them.
    static ENGINES: RefCell<BTreeMap<(&'static str, usize), AnyEngine>> =
        const { RefCell::new(BTreeMap::new()) };
}

/// Runs `cmd` on the engine with field-ALU word width `word_width` (a preset's
/// `Params::word_width`). `inputs` are big-endian 256-bit integers in the order of
/// `scu_golden::engine::input_regs(cmd)`. The randomized coordinates are off: λ = 1 in
/// `random_regs(cmd)` (results do not depend on λ). Errors are set-up problems (bad width,
/// wrong input count, a simulation that never finishes), never input validity: the hardware
/// judges that, and says so in `status`.
pub fn run(word_width: usize, cmd: Command, inputs: &[Bytes32]) -> Result<HwRun, String> {
    run_on(Datapath::Parallel, word_width, cmd, inputs)
}

/// As [`run`], on the engine of datapath `datapath` (the serial one exists at W = 16).
pub fn run_on(
    datapath: Datapath,
    word_width: usize,
    cmd: Command,
    inputs: &[Bytes32],
) -> Result<HwRun, String> {
    let mut one = [0u8; 32];
    one[31] = 1;
    run_engine(
        datapath,
        word_width,
        cmd,
        inputs,
        &vec![one; random_regs(cmd).len()],
    )
}

/// As [`run`], with the random words `random` (big-endian) written into
/// `scu_golden::engine::random_regs(cmd)`: λ of the randomized projective coordinates.
pub fn run_randomized(
    word_width: usize,
    cmd: Command,
    inputs: &[Bytes32],
    random: &[Bytes32],
) -> Result<HwRun, String> {
    run_engine(Datapath::Parallel, word_width, cmd, inputs, random)
}

fn run_engine(
    datapath: Datapath,
    word_width: usize,
    cmd: Command,
    inputs: &[Bytes32],
    random: &[Bytes32],
) -> Result<HwRun, String> {
    let regs = input_regs(cmd);
    if inputs.len() != regs.len() {
        return Err(format!(
            "{cmd:?} takes {} inputs, got {}",
            regs.len(),
            inputs.len()
        ));
    }
    let rnd = random_regs(cmd);
    if random.len() != rnd.len() {
        return Err(format!(
            "{cmd:?} takes {} random words, got {}",
            rnd.len(),
            random.len()
        ));
    }
    let ins: Vec<(u8, BigUint)> = regs
        .iter()
        .chain(rnd)
        .zip(inputs.iter().chain(random))
        .map(|(&r, b)| (r, BigUint::from_bytes_be(b)))
        .collect();
    let rtl = ENGINES.with(|cell| -> Result<_, String> {
        let mut engines = cell.borrow_mut();
        let engine = match engines.entry((datapath.name(), word_width)) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                let options = SimOptions::new().random_init(1);
                e.insert(match datapath {
                    Datapath::Parallel => AnyEngine::new(word_width, options)?,
                    Datapath::Serial => AnyEngine::new_serial(word_width, options)?,
                })
            }
        };
        engine.run(cmd.code(), &ins, output_regs(cmd), false)
    })?;
    let status = Status::from_code(rtl.status)
        .ok_or_else(|| format!("engine answered unknown status code {}", rtl.status))?;
    let outputs = if status == Status::Ok {
        rtl.outputs.iter().map(to_bytes32).collect()
    } else {
        Vec::new()
    };
    Ok(HwRun {
        status,
        outputs,
        cycles: rtl.cycles,
    })
}

fn to_bytes32(v: &BigUint) -> Bytes32 {
    let b = v.to_bytes_be();
    let mut out = [0u8; 32];
    out[32 - b.len()..].copy_from_slice(&b);
    out
}

/// Runs `cmd` as the `_EXT` command of a freshly reset SCU (`scu_wb_w<word_width>`), through
/// the driver and the Wishbone bus: operands into the windows, CMD, poll, results out. λ comes
/// from the SCU's own TRNG, fed by the noise model seeded with `seed`. `cycles` is the SCU's
/// latency: from the CMD write's ack to `irq` (λ draw, engine, scrub).
pub fn run_on_scu(
    word_width: usize,
    seed: u64,
    cmd: Command,
    inputs: &[Bytes32],
) -> Result<HwRun, String> {
    let sim = crate::device::SimScu::new(word_width, seed, false)?;
    let mut scu = scu_driver::Scu::new(sim, true);
    scu.probe()
        .map_err(|e| format!("the simulated SCU does not answer: {e:?}"))?;
    let (status, outputs) = run_ext(&mut scu, cmd, inputs)?;
    let cycles = scu
        .bus()
        .last_command_cycles()
        .ok_or_else(|| format!("{cmd:?} ended without irq"))?;
    Ok(HwRun {
        status,
        outputs,
        cycles,
    })
}

/// Runs `cmd` as the `_EXT` command of the SCU behind `scu`, whatever carries its bus (the
/// simulated SCU, a board's UART link): operands into the windows, CMD, poll, results out.
/// Returns the engine's status and, when OK, the outputs in the order of
/// `scu_golden::engine::output_regs(cmd)` (VERIFY has none). Errors: the SCU did not run the
/// command (refused, aborted, still busy) — never the validity of the inputs, which the
/// engine judges in its status.
pub fn run_ext<B: scu_driver::Bus>(
    scu: &mut scu_driver::Scu<B>,
    cmd: Command,
    inputs: &[Bytes32],
) -> Result<(Status, Vec<Bytes32>), String> {
    use scu_driver::{EngineStatus, Error, PublicKey, Signature};
    let regs = input_regs(cmd);
    if inputs.len() != regs.len() {
        return Err(format!(
            "{cmd:?} takes {} inputs, got {}",
            regs.len(),
            inputs.len()
        ));
    }
    let i = inputs;
    let point = |x: &Bytes32, y: &Bytes32| PublicKey { x: *x, y: *y };
    let result: Result<Vec<Bytes32>, Error> = match cmd {
        Command::Keygen => scu.keygen_ext(&i[0]).map(|q| vec![q.x, q.y]),
        Command::Ecdh => scu.ecdh_ext(&i[0], &point(&i[1], &i[2])).map(|x| vec![x]),
        Command::Sign => scu.sign_ext(&i[0], &i[1], &i[2]).map(|s| vec![s.r, s.s]),
        Command::Verify => scu
            .verify(&point(&i[0], &i[1]), &i[2], &Signature { r: i[3], s: i[4] })
            .and_then(|valid| {
                if valid {
                    Ok(Vec::new())
                } else {
                    Err(Error::Engine(EngineStatus::InvalidSig))
                }
            }),
    };
    match result {
        Ok(o) => Ok((Status::Ok, o)),
        Err(Error::Engine(s)) => Ok((
            Status::from_code(s.code())
                .ok_or_else(|| format!("the SCU ended {cmd:?} with {s:?}"))?,
            Vec::new(),
        )),
        Err(e) => Err(format!("the SCU did not run {cmd:?}: {e}")),
    }
}
