#!/usr/bin/env bash
# Runs every fuzz target in turn for the given number of seconds each (default 60), with
# bounded memory and time per input (libFuzzer's -timeout=1, its least; and each target's own
# 250 ms bound, fuzz_targets/slow.rs). Crashes land in artifacts/<target>/ and fail the run.
#   ./campaign.sh 60      # the CI smoke run
#   ./campaign.sh 900     # a long campaign: 15 minutes a target
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
./seed.sh
declare -A max_len=([audit]=65536 [structure]=4096 [pem]=65536 [key]=8192 [cert]=8192 [encrypted]=8192 [options]=4096)
declare -A dict=([audit]=dict/json.dict [structure]=dict/json.dict [pem]=dict/pem.dict [key]="" [cert]="" [encrypted]="" [options]=dict/json.dict)
for target in audit structure pem key cert encrypted options; do
    extra=()
    if [ -n "${dict[$target]}" ]; then extra+=("-dict=${dict[$target]}"); fi
    echo "== fuzz $target for ${seconds}s"
    log=$(mktemp)
    cargo +nightly fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=1 \
        -max_len="${max_len[$target]}" -print_final_stats=1 "${extra[@]}" >"$log" 2>&1 || true
    grep -E "^(stat::|Done|==|SUMMARY|thread|.*panicked)" "$log" || true
    if compgen -G "artifacts/$target/crash-*" >/dev/null || compgen -G "artifacts/$target/oom-*" >/dev/null \
        || compgen -G "artifacts/$target/timeout-*" >/dev/null; then
        echo "fuzz target $target found a failing input: see fuzz/artifacts/$target/" >&2
        exit 1
    fi
    # A target that never ran (it did not build, or libFuzzer refused an option or the
    # dictionary) says no "Done": that is a failure too, not a quiet pass.
    if ! grep -q "^Done [0-9]* runs" "$log"; then
        tail -20 "$log" >&2
        echo "fuzz target $target did not run" >&2
        exit 1
    fi
    rm -f "$log"
done
