//! The TRNG (`docs/trng.md`): the configured min-entropy and the cutoffs it implies, the
//! health tests, the post-processing, the core at clock-cycle level, the noise model that
//! stands in for the ring oscillators in simulation, and the statistical battery.

pub mod battery;
pub mod core;
pub mod entropy;
pub mod health;
pub mod noise;
pub mod post;
pub mod rng;

pub use self::core::{test_names, Alarm, Inputs, Outputs, TrngCore, TEST_APT, TEST_LAG, TEST_RCT};
pub use battery::{battery, BatteryReport};
pub use entropy::{Cutoffs, MinEntropy, ALPHA_LOG2, APT_WINDOW};
pub use noise::{Fault, NoiseSource};
