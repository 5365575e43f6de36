#!/usr/bin/env bash
# Installs every tool the test suite needs, as on a new Debian 12 machine. Idempotent:
# packages already present are left alone and nothing is fetched then.
set -euo pipefail

packages=(verilator yosys iverilog openssl g++ make zlib1g-dev)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
        SUDO=sudo
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust (rustup) first" >&2; exit 1; }
for t in verilator yosys iverilog openssl; do
    command -v "$t" >/dev/null || { echo "setup: $t still missing after install" >&2; exit 1; }
done
echo "setup: $(verilator --version | head -1); $(yosys -V); $(iverilog -V 2>/dev/null | head -1)"
