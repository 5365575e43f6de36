#!/usr/bin/env bash
# Installs every tool the test suite needs, as on a new Debian 12 machine. Idempotent:
# packages already present are left alone and nothing is fetched then.
set -euo pipefail

. "$(dirname "$0")/apt-packages.sh"
packages=(verilator yosys iverilog openssl gcc g++ make zlib1g-dev python3 python3-venv)
apt_packages setup "${packages[@]}"

command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust (rustup) first" >&2; exit 1; }
for t in verilator yosys iverilog openssl cc python3; do
    command -v "$t" >/dev/null || { echo "setup: $t still missing after install" >&2; exit 1; }
done

# PeakRDL (PyPI) checks the emitted SystemRDL (tests/regmap.rs). It goes into a virtual
# environment of the project's own, so the system Python is left alone; a broken or outdated
# one is rebuilt.
venv="$(cd "$(dirname "$0")/.." && pwd)/.tools/venv"
peakrdl_pins=("peakrdl==1.5.0" "systemrdl-compiler==1.33.0")
if ! "$venv/bin/python" - "${peakrdl_pins[@]}" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
sys.exit(any(version(n) != v for n, v in (p.split("==") for p in sys.argv[1:])))
PY
then
    echo "setup: installing ${peakrdl_pins[*]} into .tools/venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${peakrdl_pins[@]}"
fi

# The FPGA flows (tests/fpga.rs builds for every board): Debian's iCE40 tools and the YoWASP
# ECP5/Gowin tools in .tools/fpga-venv.
"$(dirname "$0")/setup-fpga.sh"

echo "setup: $(verilator --version | head -1); $(yosys -V); $(iverilog -V 2>/dev/null | head -1); peakrdl $("$venv/bin/peakrdl" --version)"
