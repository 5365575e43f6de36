//! `scu sim`: one engine command on the simulated SCU of a preset — the Verilated
//! `scu_wb_w<W>` top, its TRNG fed by the golden model's noise source — run by the driver over
//! the Wishbone bus. The commands themselves are `commands.rs`'s, shared with `scu board`;
//! this file says where the SCU is ([`SimTarget`]) and adds the cycle count.

use super::commands::{self, Outcome, Target};
use super::{CliError, PresetArgs};
use scu::device::SimScu;
use scu_driver::Scu;
use scu_golden::trng::Fault;
use serde_json::{json, Map, Value};

#[derive(clap::Subcommand, Debug)]
pub enum SimCommand {
    /// Public key Q = d·G of a private key given with --d, or of a fresh random one.
    Keygen {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        args: commands::KeygenArgs,
    },
    /// ECDSA-sign the SHA-256 digest of a message (RFC 6979 nonce unless --nonce).
    Sign {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        args: commands::SignArgs,
    },
    /// Check an ECDSA signature: exit 0 valid, 1 invalid, 2 usage or I/O error.
    Verify {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        args: commands::VerifyArgs,
    },
    /// ECDH: print the x-coordinate of d·P (64 hex digits).
    Ecdh {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        args: commands::EcdhArgs,
    },
    /// Bytes from the simulated TRNG (exit 3 if its health tests raise an alarm).
    Random(super::random::RandomArgs),
    /// One simulated SCU kept alive across commands read from stdin, one per line.
    Session(super::session::SessionArgs),
}

#[derive(clap::Args, Debug)]
pub struct Common {
    #[command(flatten)]
    preset: PresetArgs,
    /// Seed of the simulated SCU's noise source, which supplies λ of the randomized
    /// coordinates [default: from the operating system].
    #[arg(long)]
    seed: Option<u64>,
}

pub fn run(cmd: SimCommand) -> Result<Outcome, CliError> {
    match cmd {
        SimCommand::Keygen { common, args } => {
            commands::keygen(&mut SimTarget::new(&common)?, args)
        }
        SimCommand::Sign { common, args } => commands::sign(&mut SimTarget::new(&common)?, args),
        SimCommand::Verify { common, args } => {
            // No simulator means no verdict: exit 2, as for any other set-up problem.
            let mut t = SimTarget::new(&common).map_err(|e| CliError::Input(e.to_string()))?;
            commands::verify(&mut t, args)
        }
        SimCommand::Ecdh { common, args } => commands::ecdh(&mut SimTarget::new(&common)?, args),
        SimCommand::Random(a) => super::random::run(a),
        SimCommand::Session(a) => super::session::run(a).map(|()| Outcome::Done),
    }
}

/// The simulated SCU of one preset (with its overrides), started on first use.
pub struct SimTarget {
    preset: String,
    word_width: usize,
    seed: u64,
    fault: Option<(u64, Fault)>,
    scu: Option<Scu<SimScu>>,
}

impl SimTarget {
    pub fn new(common: &Common) -> Result<Self, CliError> {
        Self::with(&common.preset, common.seed)
    }

    /// The SCU of `preset`, its noise seeded with `seed` (default: from the OS).
    pub fn with(preset: &PresetArgs, seed: Option<u64>) -> Result<Self, CliError> {
        let params = preset.sim_params()?;
        Ok(SimTarget {
            preset: preset.preset.clone(),
            word_width: params.word_width,
            seed: super::noise_seed(seed)?,
            fault: None,
            scu: None,
        })
    }

    /// Switches the noise source to `fault` at raw sample `at` once the SCU starts.
    pub fn schedule_fault(&mut self, at: u64, fault: Fault) {
        self.fault = Some((at, fault));
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }
}

impl Target for SimTarget {
    type Bus = SimScu;

    fn scu(&mut self) -> Result<&mut Scu<SimScu>, CliError> {
        if self.scu.is_none() {
            let failed = |e: String| CliError::Failed(format!("cannot run the simulated SCU: {e}"));
            let mut sim = SimScu::new(self.word_width, self.seed, false).map_err(failed)?;
            if let Some((at, fault)) = self.fault {
                sim.schedule_fault(at, fault);
            }
            let mut scu = Scu::new(sim, true);
            scu.probe()
                .map_err(|e| failed(format!("the simulated SCU does not answer: {e}")))?;
            self.scu = Some(scu);
        }
        Ok(self.scu.as_mut().expect("just started"))
    }

    fn check(&mut self) -> Result<(), CliError> {
        // The simulated bus cannot fail (a hung simulation panics).
        Ok(())
    }

    fn counts_cycles(&self) -> bool {
        true
    }

    fn last_cycles(&mut self) -> Option<u64> {
        self.scu.as_mut()?.bus().last_command_cycles()
    }

    fn describe(&self, object: &mut Map<String, Value>) {
        object.insert("preset".into(), json!(self.preset));
        object.insert("word_width".into(), json!(self.word_width));
    }
}
