#!/usr/bin/env bash
# Release artefacts for the servers a migration runs on, which are old Linux (CentOS 7 and
# RHEL 7: glibc 2.17), built from this checkout into dist/:
#
#   scripts/dist.sh                              x86_64-unknown-linux-gnu, glibc 2.17
#   scripts/dist.sh aarch64-unknown-linux-gnu    Kunpeng, Graviton (rustup target add it first)
#   GLIBC=2.28 scripts/dist.sh                   another floor
#
#   dist/certkey-audit-VERSION-TARGET.tar.gz  certkey-audit (stripped), certkey-audit.1, completions/
#   dist/libcertkey-VERSION-TARGET.tar.gz     lib/libcertkey.so, lib/libcertkey.a, include/certkey.h
#   dist/certkey-VERSION-cp37-abi3-*.whl      the Python package, abi3 (CPython 3.7 and later),
#                                             tagged manylinux2014 (manylinux_2_17)
#   dist/SHA256SUMS                            every artefact in dist/ (of every target built)
#
# zig is the C toolchain and linker, with the glibc of the floor (cargo-zigbuild, maturin
# --zig). The artefacts are then checked, and the script fails if one is not what it says: no
# file needs a glibc symbol version above the floor (readelf -V, on the binary, the shared
# library, the wheel's extension, and a C program linked against the static library by zig for
# the floor), and auditwheel finds the wheel consistent with its tag. The tarballs hold
# nothing of when or by whom they were packed (sorted, dated by the last commit, owned by root).
#
# Needs: zig, cargo-zigbuild, maturin and auditwheel (pip install ziglang cargo-zigbuild
# "maturin>=1.5,<2" auditwheel), readelf (binutils), llvm-strip (llvm) for another target's
# static library, and the Rust standard library for TARGET.
set -euo pipefail
cd "$(dirname "$0")/.."
# The tools pip installs, where pip puts them.
PATH=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH

target=${1:-x86_64-unknown-linux-gnu}
glibc=${GLIBC:-2.17}
arch=${target%%-*}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
out=dist
build=target/$target/release
mkdir -p "$out"
# This target's artefacts are replaced; another target's are kept (and summed).
rm -f "$out"/*-"$target".tar.gz "$out"/certkey-*_"$arch".whl

step() { printf '\n== %s\n' "$*"; }
started=$(date +%s)

if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
    echo "the Rust standard library for $target is not installed: rustup target add $target" >&2
    exit 1
fi
for tool in cargo-zigbuild maturin auditwheel readelf; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (see the head of $0)" >&2; exit 1; }
done

# Every cargo build here: the release profile, stripped of symbols too.
export CARGO_PROFILE_RELEASE_STRIP=symbols
# certkey-audit --version names the floor.
export CERTKEY_GLIBC_FLOOR=$glibc

step "certkey-audit for $target, glibc $glibc"
cargo zigbuild --release --locked --target "$target.$glibc" -p certkey-audit
step "the C library"
cargo zigbuild --release --locked --target "$target.$glibc" -p certkey-ffi
# The shared library again, named libcertkey.so in its own header (SONAME), as it is shipped.
cargo-zigbuild rustc --release --locked --target "$target.$glibc" -p certkey-ffi \
    --crate-type cdylib -- -C link-arg=-Wl,-soname,libcertkey.so
step "the Python wheel"
if [ "$glibc" = 2.17 ]; then compatibility=manylinux2014; else compatibility=manylinux_${glibc/./_}; fi
maturin build --release --locked --zig --compatibility "$compatibility" --target "$target" \
    --out "$out" -m python/Cargo.toml

step "packing"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# The manual page and completions come from the clap definition, the same on every target:
# made by the binary itself, or, when the target's cannot run here, by a build for this
# machine (this checkout's, made if there is none).
host=$(rustc -vV | sed -n 's/^host: //p')
generator=
for candidate in "$build/certkey-audit" "target/$host/release/certkey-audit" target/release/certkey-audit; do
    if "$candidate" --version >/dev/null 2>&1; then
        generator=$candidate
        break
    fi
done
if [ -z "$generator" ]; then
    cargo build --release --locked -p certkey-audit
    generator=target/release/certkey-audit
fi
binary_dir=$stage/certkey-audit-$version-$target
mkdir -p "$binary_dir/completions"
cp "$build/certkey-audit" "$binary_dir/"
"$generator" man >"$binary_dir/certkey-audit.1"
for shell in bash zsh fish elvish powershell; do
    "$generator" completions "$shell" >"$binary_dir/completions/certkey-audit.$shell"
done
cp README.md "$binary_dir/"
library_dir=$stage/libcertkey-$version-$target
mkdir -p "$library_dir/lib" "$library_dir/include"
cp "$build/libcertkey_ffi.so" "$library_dir/lib/libcertkey.so"
cp "$build/libcertkey_ffi.a" "$library_dir/lib/libcertkey.a"
# Debug information is a third of the static library: 34 MB, 24 MB without it. llvm-strip
# reads every target's objects (binutils' strip only this machine's, and passes others as
# they are).
if command -v llvm-strip >/dev/null; then
    llvm-strip --strip-debug "$library_dir/lib/libcertkey.a"
elif [ "$target" = "$host" ]; then
    strip --strip-debug "$library_dir/lib/libcertkey.a"
else
    echo "libcertkey.a keeps its debug information: llvm-strip is missing (Debian: llvm)"
fi
cp ffi/include/certkey.h "$library_dir/include/"
mtime=$(git log -1 --format=%ct 2>/dev/null || echo 0)
for dir in "$binary_dir" "$library_dir"; do
    tar --sort=name --mtime="@$mtime" --owner=0 --group=0 --numeric-owner \
        -C "$stage" -cf - "$(basename "$dir")" | gzip -n -9 >"$out/$(basename "$dir").tar.gz"
done

step "checks: glibc symbol versions at most $glibc, the wheel's tag"
# The highest GLIBC_ version an ELF file asks for.
highest() { readelf -V -W "$1" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1; }
# A C program linked by zig against the static library for the floor: a symbol the floor's
# glibc does not have fails the link. (zig's libunwind stands in for libgcc_s, which gcc links
# by itself.)
zig=$(python3 -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))' 2>/dev/null || command -v zig)
"$zig" cc -target "$arch-linux-gnu.$glibc" -I "$library_dir/include" ffi/examples/c/preflight.c \
    "$library_dir/lib/libcertkey.a" -lpthread -ldl -lm -lunwind -o "$stage/preflight"
wheel=$(realpath "$out"/certkey-*_"$arch".whl)
(cd "$stage" && python3 -m zipfile -e "$wheel" wheel)
status=0
for file in "$binary_dir/certkey-audit" "$library_dir/lib/libcertkey.so" "$stage/preflight" \
    "$stage"/wheel/certkey/*.so; do
    needed=$(highest "$file")
    if [ -z "$needed" ] || [ "$(printf '%s\n%s\n' "$needed" "$glibc" | sort -V | tail -1)" != "$glibc" ]; then
        echo "$(basename "$file") needs glibc ${needed:-?}, above $glibc" >&2
        status=1
    else
        echo "$(basename "$file"): glibc $needed at most"
    fi
done
soname=$(readelf -d "$library_dir/lib/libcertkey.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
if [ "$soname" != libcertkey.so ]; then
    echo "libcertkey.so is named '$soname' in its header" >&2
    status=1
fi
auditwheel show "$wheel" | tee "$stage/auditwheel.txt"
if ! tr '\n' ' ' <"$stage/auditwheel.txt" | grep -q "consistent with the following platform tag: \"manylinux_${glibc/./_}_$arch\""; then
    echo "auditwheel does not find the wheel consistent with manylinux_${glibc/./_}_$arch" >&2
    status=1
fi
[ "$status" = 0 ] || exit 1

(cd "$out" && sha256sum -- *.tar.gz *.whl >SHA256SUMS)
step "dist/ ($(($(date +%s) - started)) s)"
ls -l "$out"
