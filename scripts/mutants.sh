#!/usr/bin/env bash
# Mutation testing of certkey's checking code with cargo-mutants: does some test fail when a
# check is changed?
#
#   scripts/mutants.sh                  every mutant of the checking modules (hours on 2 cores)
#   scripts/mutants.sh FILE...          the mutants of these files
#   scripts/mutants.sh --in-diff DIFF   the mutants on the lines DIFF adds (CI: the last commit)
#
# MUTANTS_MAX=N tests at most about N mutants (a deterministic shard of them, said so), to
# bound the time; MUTANTS_IN_PLACE=1 mutates this tree itself, reusing its build (for CI's
# disposable checkout: an interrupted run leaves a mutant in place).
#
# Each mutant is tested first with the quick tests (unit tests, the fixture table, the
# review's regressions, the agreement with rustls); those they miss are tested again with the
# whole workspace's suite (cargo-mutants --iterate). Mutants listed as equivalent in
# docs/TESTING.md are left out. Results go to target/mutants/mutants.out (MUTANTS_OUT to
# change it). Exits 1 when a mutant is missed by the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

version=27.1.0
if ! cargo mutants --version 2>/dev/null | grep -q "$version"; then
    cargo install cargo-mutants --locked --version "$version"
fi

out=${MUTANTS_OUT:-target/mutants}
mkdir -p "$out"
# The checking code: every stage, response to chain.
checking=(src/response/mod.rs src/response/api_error.rs src/text/quote.rs src/text/mod.rs
    src/pem/mod.rs src/pem/scan.rs src/pem/base64.rs src/pem/layout.rs src/keys/decrypt.rs src/certs/mod.rs src/certs/public_key.rs src/certs/validity.rs src/certs/strength.rs
    src/certs/ca.rs src/certs/chain.rs src/certs/signature.rs src/certs/names.rs src/certs/profile.rs src/certs/shared.rs
    src/certs/purpose.rs src/certs/constraints.rs src/certs/canonical.rs
    src/keys/mod.rs src/keys/rsa.rs src/keys/ec.rs
    src/keys/ed25519.rs src/oids.rs src/der.rs src/pipeline.rs src/member.rs src/finding.rs src/stacks.rs
    src/judge.rs src/refusals.rs)

args=(--no-shuffle --output "$out" --test-package certkey --features handshake)
if [ "${1:-}" = "--in-diff" ]; then
    args+=(--in-diff "$2")
    shift 2
fi
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
    files=("${checking[@]}")
fi
for file in "${files[@]}"; do
    args+=(--file "$file")
done
# Equivalent mutants: the regular expressions in the first column of the table under
# docs/TESTING.md's "Equivalent mutants".
while IFS= read -r pattern; do
    args+=(--exclude-re "$pattern")
done < <(sed -n '/^### Equivalent mutants/,/^## / s/^| `\([^`]*\)` |.*$/\1/p' docs/TESTING.md)

if [ "${MUTANTS_IN_PLACE:-0}" = 1 ]; then
    args+=(--in-place)
    # A mutant that fails a property test makes proptest save the case beside the test, in
    # this tree: those files are put back (or removed) when the run ends.
    restore_regressions() {
        git ls-files -z -m -- '*.proptest-regressions' | xargs -0 -r git checkout --quiet --
        git clean -fdq -- ':(glob)**/*.proptest-regressions' ':(glob)**/proptest-regressions/**'
    }
    trap restore_regressions EXIT
fi
if [ -n "${MUTANTS_MAX:-}" ]; then
    count=$(cargo mutants --list "${args[@]}" | wc -l)
    if [ "$count" -gt "$MUTANTS_MAX" ]; then
        shards=$(((count + MUTANTS_MAX - 1) / MUTANTS_MAX))
        echo "mutants: $count to test, over the bound of $MUTANTS_MAX: testing shard 0 of $shards"
        args+=(--shard "0/$shards")
    fi
fi

# Mutants rebuild certkey often: unoptimized builds are quicker than the tests they save.
# (A package's profile cannot be set through the environment; --config does it.)
args+=(--cargo-arg=--config=profile.dev.package.certkey.opt-level=0)
# The differential against the external TLS stacks takes a minute a run: the whole-suite pass
# leaves it out (tests/stacks.rs still checks the report's verdicts without the stacks).
export CERTKEY_STACKS=skip

# The quick pass names its test targets to every cargo command (--cargo-arg), the build of
# each mutant included, which otherwise builds every test target of the package.
quick=(--lib --test=fixtures --test=redteam --test=rustls_agreement)
# The verdict is missed.txt, not the exit status: cargo-mutants exits 3 when a mutant timed out
# (which is caught: it never ends) even when another was missed.
missed() { [ -s "$out/mutants.out/missed.txt" ]; }
run() {
    local status=0
    cargo mutants "$@" || status=$?
    case $status in
        0 | 2 | 3) ;;
        *) exit "$status" ;;
    esac
}
# A run that finds no mutant writes nothing: a missed.txt left by an earlier run in the same
# folder must not be read as this run's.
rm -rf "$out/mutants.out"
run "${args[@]}" "${quick[@]/#/--cargo-arg=}"
if missed; then
    # Missed by the quick tests: the whole suite gets them.
    run "${args[@]}" --iterate --test-workspace true
fi
if missed; then
    echo "mutants missed by the whole suite (add a test, or list an equivalent one in docs/TESTING.md):" >&2
    cat "$out/mutants.out/missed.txt" >&2
    exit 1
fi
echo "mutants: every one caught (or equivalent, see docs/TESTING.md)"
