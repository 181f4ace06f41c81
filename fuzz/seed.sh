#!/usr/bin/env bash
# Builds the seed corpora of every fuzz target from testdata/ (run from anywhere).
set -euo pipefail
cd "$(dirname "$0")"
data=../testdata
mkdir -p corpus/audit corpus/structure corpus/pem corpus/key corpus/cert
cp "$data"/bundles/*.json corpus/audit/
python3 - "$data" <<'PY'
import base64, json, os, sys
data = sys.argv[1]
members = ["ca", "cert", "private_key", "target_mgmt_cert", "target_mgmt_private_key",
           "target_data_cert", "target_data_private_key"]
n = 0
for name in sorted(os.listdir(os.path.join(data, "bundles"))):
    try:
        bundle = json.load(open(os.path.join(data, "bundles", name), encoding="utf-8"))
    except Exception:
        continue
    if not isinstance(bundle, dict):
        continue
    for index, member in enumerate(members):
        value = bundle.get(member)
        if isinstance(value, str) and len(value) < 65536:
            open(f"corpus/pem/{n:05}", "wb").write(bytes([index]) + value.encode("utf-8", "replace"))
            n += 1

def der_of(path):
    text = open(path).read()
    body = "".join(l for l in text.splitlines() if not l.startswith("-----"))
    first = text.splitlines()[0]
    return first, base64.b64decode(body)

labels = {"RSA PRIVATE KEY": 0, "PRIVATE KEY": 1, "EC PRIVATE KEY": 2}
keys = os.path.join(data, "keys")
for name in sorted(os.listdir(keys)):
    path = os.path.join(keys, name)
    first, der = der_of(path)
    if name.endswith(".key.pem"):
        label = next((v for k, v in labels.items() if first == f"-----BEGIN {k}-----"), None)
        if label is not None:
            for cert in range(4):
                open(f"corpus/key/{name}-{cert}", "wb").write(bytes([label | (cert << 2)]) + der)
    else:
        open(f"corpus/cert/{name}", "wb").write(der)
PY
