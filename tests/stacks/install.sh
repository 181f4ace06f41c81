#!/usr/bin/env bash
# Installs what tests/stacks.rs runs, on Debian, in the versions certkey models: the openssl
# command, faketime, Go 1.23 (Debian 12's own golang-go is 1.19; bookworm-backports has 1.23)
# Python's cryptography 48 with its X.509 verifier. In folders of $CERTKEY_STACKS_DIR (by
# default ~/.cache/certkey-stacks), what the machine does not have:
# - the OpenSSL lines as `cryptography` wheels bundle them, each with its pyOpenSSL:
#   openssl-3.5 (cryptography 46.0.7, OpenSSL 3.5.6), openssl-4.0 (50.0.2, OpenSSL 4.0.3),
#   and the lines between that certkey predicts from them, openssl-3.1, -3.2 and -3.4
#   (41.0.7, 42.0.8, 44.0.3);
# - pyca-51 (cryptography 51.0.1);
# - go-1.24, Debian 13's packages unpacked (the toolchain is self-contained: nothing of the
#   system changes).
# Prints the Go 1.23 toolchain's path last.
set -euo pipefail

apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

have_go() { # a go of 1.23: later ones judge some keys otherwise (1.24 checks RSA CRT values)
    local go=$1
    "$go" version 2>/dev/null | grep -Eq 'go1\.23\.'
}

updated=
update() {
    if [ -z "$updated" ]; then
        apt-get update -qq
        updated=1
    fi
}

if ! command -v openssl >/dev/null || ! command -v faketime >/dev/null; then
    update
    apt_install openssl faketime
fi

go=
for candidate in "${GO:-}" "$(command -v go || true)" /usr/lib/go-1.23/bin/go; do
    if [ -n "$candidate" ] && have_go "$candidate"; then
        go=$candidate
        break
    fi
done
if [ -z "$go" ]; then
    update
    if ! apt-cache policy golang-1.23-go 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        echo "deb http://deb.debian.org/debian bookworm-backports main" \
            >/etc/apt/sources.list.d/certkey-backports.list
        updated=
        update
    fi
    apt_install golang-1.23-go
    go=/usr/lib/go-1.23/bin/go
fi

if ! python3 -c "import cryptography; assert cryptography.__version__.startswith('48.')" \
    >/dev/null 2>&1; then
    python3 -m pip install --quiet "cryptography==48.0.0"
fi

# folder, cryptography, pyOpenSSL (the pyOpenSSL whose range takes that cryptography), and
# the OpenSSL line the folder must report.
stacks_dir=${CERTKEY_STACKS_DIR:-$HOME/.cache/certkey-stacks}
while read -r folder cryptography pyopenssl line; do
    dir=$stacks_dir/$folder
    if ! PYTHONPATH=$dir python3 -c "from OpenSSL import SSL
assert SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode().startswith('OpenSSL $line')" \
        >/dev/null 2>&1; then
        rm -rf "$dir"
        python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
            --only-binary :all: --target "$dir" "cryptography==$cryptography" \
            "pyopenssl==$pyopenssl"
    fi
done <<'EOF'
openssl-3.1 41.0.7 23.3.0 3.1.
openssl-3.2 42.0.8 24.2.1 3.2.
openssl-3.4 44.0.3 25.1.0 3.4.
openssl-3.5 46.0.7 25.3.0 3.5.
openssl-4.0 50.0.2 26.4.0 4.0.
EOF

pyca51=$stacks_dir/pyca-51
if ! PYTHONPATH=$pyca51 python3 -c "import cryptography
assert cryptography.__version__ == '51.0.1'" >/dev/null 2>&1; then
    rm -rf "$pyca51"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        --only-binary :all: --target "$pyca51" "cryptography==51.0.1"
fi

go124=$stacks_dir/go-1.24
if ! "$go124/usr/lib/go-1.24/bin/go" version 2>/dev/null | grep -q 'go1\.24\.'; then
    # apt's own state in a folder of its own, so that the system's sources stay as they are.
    apt_dir=$(mktemp -d)
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/parts"
    echo "deb http://deb.debian.org/debian trixie main" >"$apt_dir/sources.list"
    apt_options=(-o "Dir::Etc::SourceList=$apt_dir/sources.list"
        -o "Dir::Etc::SourceParts=$apt_dir/parts" -o "Dir::State::Lists=$apt_dir/lists"
        -o "Dir::Cache=$apt_dir" -o "APT::Sandbox::User=root")
    apt-get "${apt_options[@]}" update -qq
    (cd "$apt_dir" && apt-get "${apt_options[@]}" download -qq golang-1.24-go golang-1.24-src)
    rm -rf "$go124"
    mkdir -p "$go124"
    for deb in "$apt_dir"/*.deb; do
        dpkg-deb -x "$deb" "$go124"
    done
    rm -rf "$apt_dir"
fi

echo "$go"
