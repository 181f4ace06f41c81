#!/usr/bin/env bash
# Instructions per bundle, counted by valgrind (callgrind): a measure that does not move with
# the machine's load, for comparing two builds where wall-clock benchmarks are too noisy.
#
#   benches/instructions.sh            this tree's release binary
#   benches/instructions.sh REV        REV's and this tree's, side by side, with the change
#
# Each bundle is audited once and 21 times in one process; the difference over 20 is the
# cost of one audit, without the process's start-up. Needs valgrind (Debian: valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."

samples=(good good-rsa4096 good-p256 good-ed25519 api-error-403 redacted truncated)
at=2026-06-01T00:00:00Z

per_bundle() { # binary, file: instructions of one audit
    local binary=$1 file=$2 once many
    once=$(count "$binary" "$file")
    many=$(count "$binary" $(for _ in $(seq 21); do echo "$file"; done))
    echo $(((many - once) / 20))
}
count() {
    local binary=$1
    shift
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        "$binary" --quiet --at "$at" "$@" 2>&1 >/dev/null |
        sed -n 's/.*Collected : //p'
}

cargo build --release --quiet --bin certkey-audit
here=target/release/certkey-audit
there=
if [ -n "${1:-}" ]; then
    rev=$(git rev-parse --short "$1")
    tree=target/instructions/$rev
    if [ ! -d "$tree" ]; then
        git worktree add --detach --force "$tree" "$rev" >/dev/null
    fi
    (cd "$tree" && CARGO_TARGET_DIR=../target-$rev cargo build --release --quiet --bin certkey-audit)
    there=target/instructions/target-$rev/release/certkey-audit
    printf '%-16s %14s %14s %8s\n' bundle "$rev" "this tree" change
else
    printf '%-16s %14s\n' bundle "this tree"
fi
for sample in "${samples[@]}"; do
    file=testdata/bundles/$sample.json
    now=$(per_bundle "$here" "$file")
    if [ -n "$there" ]; then
        before=$(per_bundle "$there" "$file")
        change=$(awk -v a="$now" -v b="$before" 'BEGIN { printf "%+.2f%%", (a - b) * 100 / b }')
        printf '%-16s %14d %14d %8s\n' "$sample" "$before" "$now" "$change"
    else
        printf '%-16s %14d\n' "$sample" "$now"
    fi
done
