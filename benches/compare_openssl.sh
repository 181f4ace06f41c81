#!/usr/bin/env bash
# The naive OpenSSL CLI pipeline an operator would script for one certkey response, timed per
# bundle: for the comparison in docs/PERFORMANCE.md.
#   benches/compare_openssl.sh [BUNDLE.json] [ITERATIONS]
set -euo pipefail
bundle=${1:-testdata/bundles/good.json}
iterations=${2:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check_bundle() {
    python3 - "$bundle" "$work" <<'PY'
import json, sys
bundle = json.load(open(sys.argv[1]))
for name, value in bundle.items():
    open(f"{sys.argv[2]}/{name}.pem", "w").write(value + "\n")
PY
    for role in "cert private_key" "target_mgmt_cert target_mgmt_private_key" "target_data_cert target_data_private_key"; do
        set -- $role
        cert="$work/$1.pem" key="$work/$2.pem"
        [ "$(openssl x509 -noout -modulus -in "$cert")" = "$(openssl rsa -noout -modulus -in "$key")" ]
        openssl rsa -check -noout -in "$key" >/dev/null
        openssl verify -CAfile "$work/ca.pem" -attime 1780272000 "$cert" >/dev/null
        openssl x509 -noout -checkend 2592000 -in "$cert" >/dev/null
    done
}

check_bundle
start=$(date +%s%N)
for _ in $(seq "$iterations"); do check_bundle; done
end=$(date +%s%N)
echo "openssl CLI pipeline: $(( (end - start) / iterations / 1000 )) us per bundle ($bundle)"
