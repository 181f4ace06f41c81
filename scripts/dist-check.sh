#!/usr/bin/env bash
# Checks the artefacts scripts/dist.sh wrote into dist/ against this checkout's own release
# build, as CI does:
#
#   scripts/dist-check.sh                              this machine's target, x86_64
#   scripts/dist-check.sh aarch64-unknown-linux-gnu    another, run under qemu-user
#
# - the dist binary says, byte for byte, what target/release/certkey-audit says of every
#   fixture and regression (text with the handshake rehearsal, JSON lines, SARIF);
# - a C program linked against the dist library (static, then shared) audits the sample
#   responses with the verdicts the binary gives;
# - this machine's target only: the dist wheel, installed into a fresh venv of the oldest
#   CPython its abi3 tag takes (3.7), of CPython 3.13 and of python3, passes the
#   Python package's tests (a CPython pyenv does not have is said, and left out).
#
# Another target's programs run under qemu-user with that target's glibc (Debian:
# qemu-user and libc6-arm64-cross for aarch64); its C program is linked by zig.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
host=$(rustc -vV | sed -n 's/^host: //p')
target=${1:-$host}
arch=${target%%-*}
# How to run one of the target's programs here.
run=()
if [ "$target" != "$host" ]; then
    run=(qemu-"$arch" -L "/usr/$arch-linux-gnu")
    command -v "${run[0]}" >/dev/null || { echo "${run[0]} is missing (Debian: qemu-user)" >&2; exit 1; }
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
step() { printf '\n== %s\n' "$*"; }

tar -C "$scratch" -xzf "dist/certkey-audit-$version-$target.tar.gz"
tar -C "$scratch" -xzf "dist/libcertkey-$version-$target.tar.gz"
dist=$scratch/certkey-audit-$version-$target/certkey-audit
library=$scratch/libcertkey-$version-$target
release=target/release/certkey-audit
[ -x "$release" ] || cargo build --release --locked -p certkey-audit

step "the dist binary's output is the release build's, on every fixture"
"${run[@]}" "$dist" --version
at=2026-06-01T00:00:00Z
inputs=(testdata/bundles testdata/regressions/redteam)
status=0
for args in "--format text --handshake" "--format json" "--format sarif"; do
    # shellcheck disable=SC2086 # the options, word by word
    "$release" --at "$at" $args "${inputs[@]}" >"$scratch/release.out" 2>&1 || true
    # shellcheck disable=SC2086
    "${run[@]}" "$dist" --at "$at" $args "${inputs[@]}" >"$scratch/dist.out" 2>&1 || true
    if cmp -s "$scratch/release.out" "$scratch/dist.out"; then
        echo "$args: the same $(wc -c <"$scratch/dist.out") bytes"
    else
        echo "$args: the dist binary says otherwise:" >&2
        diff "$scratch/release.out" "$scratch/dist.out" | head -20 >&2
        status=1
    fi
done
[ "$status" = 0 ] || exit 1

step "the C example, linked against the dist library"
cc=(cc)
if [ "$target" != "$host" ]; then
    zig=$(python3 -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')
    cc=("$zig" cc -target "$arch-linux-gnu.2.17" -lunwind)
fi
"${cc[@]}" -std=c11 -Wall -Werror -I "$library/include" ffi/examples/c/preflight.c \
    "$library/lib/libcertkey.a" -lpthread -ldl -lm -o "$scratch/preflight-static"
"${cc[@]}" -std=c11 -Wall -Werror -I "$library/include" ffi/examples/c/preflight.c \
    -L "$library/lib" -lcertkey -Wl,-rpath,"$library/lib" -o "$scratch/preflight-shared"
for program in preflight-static preflight-shared; do
    for sample in good.json key-in-cert-member.json; do
        set +e
        "${run[@]}" "$scratch/$program" "testdata/bundles/$sample" '{"at": "2026-06-01"}' >/dev/null 2>&1
        got=$?
        "$release" --quiet --at 2026-06-01 "testdata/bundles/$sample" >/dev/null 2>&1
        want=$?
        set -e
        if [ "$got" != "$want" ]; then
            echo "$program on $sample exits $got, the binary $want" >&2
            exit 1
        fi
        echo "$program on $sample: exit $got, as the binary"
    done
done

if [ "$target" != "$host" ]; then
    echo "the $target wheel is not run here (no $arch CPython); dist.sh checked its tag"
    exit 0
fi
step "the dist wheel in fresh venvs"
wheel=$(realpath dist/certkey-*_"$arch".whl)
pythons=(python3)
versions=$(pyenv root 2>/dev/null)/versions
for wanted in 3.7 3.13; do
    found=$(ls -d "$versions/$wanted".*/bin/python3 2>/dev/null | sort -V | tail -1 || true)
    if [ -n "$found" ]; then
        pythons+=("$found")
    else
        echo "pyenv has no CPython $wanted: the wheel is not tested with it"
    fi
done
for python in "${pythons[@]}"; do
    venv=$scratch/venv-$(basename "$(dirname "$(dirname "$python")")")-$RANDOM
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet "pytest>=7" "$wheel"
    echo "$("$venv/bin/python" --version):"
    CERTKEY_AUDIT="$dist" "$venv/bin/python" -m pytest -q python/tests
done
