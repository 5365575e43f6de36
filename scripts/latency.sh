#!/usr/bin/env bash
# SCU command latency (CMD write's ack to irq, in clock cycles) on the simulated SCU of each
# preset given (default: tiny fast), through the driver and the Wishbone bus, with the noise
# seed fixed so the numbers repeat. Each preset's session starts from reset, so its first
# command also waits for the TRNG's 1024-sample startup test.
set -euo pipefail
cd "$(dirname "$0")/.."
scu() { cargo run --release -q -- "$@"; }
G=046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5
Z=$(printf 'abc' | sha256sum | cut -c1-64)
ONE=0000000000000000000000000000000000000000000000000000000000000001
TWO=0000000000000000000000000000000000000000000000000000000000000002
for p in "${@:-tiny fast}"; do
  for preset in $p; do
    sig=$(echo "sign --d $ONE --nonce $TWO --digest $Z" | scu sim session --preset "$preset" --json --seed 1 |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["signature"])')
    printf '%s\n' "keygen --slot 0" "policy --slot 0 --sign --ecdh" "sign --slot 0 --digest $Z" \
      "ecdh --slot 0 --peer $G" "verify --pub $G --sig $sig --digest $Z" "zeroize" |
      scu sim session --preset "$preset" --json --seed 1 |
      python3 -c '
import json, sys
cells = ["%s %s" % (o["command"], o["cycles"]) for o in map(json.loads, sys.stdin) if "cycles" in o]
print(sys.argv[1] + ": " + " | ".join(cells))' "$preset"
  done
done
