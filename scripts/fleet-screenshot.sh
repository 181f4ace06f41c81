#!/usr/bin/env bash
# Regenerates docs/fleet-report.png, the README's picture of `certkey-audit --report`: a
# generated fleet of 40 responses (audit/tests/browser/fleet.py, pyca/cryptography) audited
# as of 2026-06-01, opened in headless Chromium (audit/tests/browser/page.py).
# Needs python3 with cryptography, and chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin certkey-audit
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 audit/tests/browser/fleet.py "$work/fleet" 40 --at 2026-06-01 --seed 1 >/dev/null
here=$PWD
# Relative names, so the page shows fleet/task-00000.json rather than a temporary path.
(cd "$work" && "$here/target/release/certkey-audit" --at 2026-06-01 --quiet \
    --report fleet.html fleet >/dev/null) || true
python3 audit/tests/browser/page.py "$work/fleet.html" docs/fleet-report.png --height 1500 >/dev/null
echo "wrote docs/fleet-report.png"
