#!/usr/bin/env bash
# Builds the seed corpora of every fuzz target from testdata/ (run from anywhere).
set -euo pipefail
cd "$(dirname "$0")"
data=../testdata
mkdir -p corpus/audit corpus/structure corpus/pem corpus/key corpus/cert corpus/encrypted corpus/options
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

# The encrypted keys of the fixtures, in the encrypted target's input form.
legacy_labels = {"RSA PRIVATE KEY": 1, "PRIVATE KEY": 2, "EC PRIVATE KEY": 3}
for name in sorted(os.listdir(os.path.join(data, "bundles"))):
    if not name.startswith("encrypted"):
        continue
    bundle = json.load(open(os.path.join(data, "bundles", name), encoding="utf-8"))
    for member in members:
        text = bundle.get(member, "")
        if "ENCRYPTED" not in text:
            continue
        lines = text.splitlines()
        label = lines[0][len("-----BEGIN "):-len("-----")]
        headers = dict(l.split(":", 1) for l in lines[1:] if ":" in l and not l.startswith("-----"))
        body = "".join(l for l in lines[1:] if l and ":" not in l and not l.startswith("-----"))
        der = base64.b64decode(body)
        if label == "ENCRYPTED PRIVATE KEY":
            seed = bytes([0]) + der
        else:
            seed = bytes([legacy_labels[label]]) + headers.get("DEK-Info", "").strip().encode() + b"\n" + der
        open(f"corpus/encrypted/{name}-{member}", "wb").write(seed)
PY
