#!/usr/bin/env bash
# The whole test suite, set-up included: what CI runs and what a newcomer runs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

# Release: the co-simulation sweeps (>=10,000 operand pairs per word width) run there.
cargo test --workspace --release
# The benchmarks must keep compiling; their numbers come from `cargo bench`.
cargo bench --workspace --no-run --quiet
