#!/usr/bin/env python3
"""The same checks as certkey's default audit, written with Python's `cryptography`, timed per
bundle: for the comparison in docs/PERFORMANCE.md.

    python3 benches/compare_python.py [BUNDLE.json] [ITERATIONS]
    python3 benches/compare_python.py --folder DIR [--lax]

Strict key loading (the default of `load_pem_private_key` since cryptography 40) is what catches
inconsistent RSA keys: it runs OpenSSL's RSA key check, primality included. `--lax` loads keys
with `unsafe_skip_rsa_key_validation=True`, the fastest script a user could write, which misses
inconsistent RSA keys. `--folder` audits every `.json` file of DIR once and prints how many
bundles had a problem (benches/folder.py times it as a whole process).
"""

import datetime
import json
import os
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID

ROLES = (
    ("cert", "private_key", ExtendedKeyUsageOID.CLIENT_AUTH),
    ("target_mgmt_cert", "target_mgmt_private_key", ExtendedKeyUsageOID.SERVER_AUTH),
    ("target_data_cert", "target_data_private_key", ExtendedKeyUsageOID.SERVER_AUTH),
)
SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def audit(raw, at, strict=True):
    problems = []
    bundle = json.loads(raw)
    ca = x509.load_pem_x509_certificate(bundle["ca"].encode())
    for cert_member, key_member, purpose in ROLES:
        cert = x509.load_pem_x509_certificate(bundle[cert_member].encode())
        key = serialization.load_pem_private_key(
            bundle[key_member].encode(), password=None, unsafe_skip_rsa_key_validation=not strict
        )
        if key.public_key().public_bytes(*SPKI) != cert.public_key().public_bytes(*SPKI):
            problems.append(f"{key_member} does not match {cert_member}")
        try:
            cert.verify_directly_issued_by(ca)
        except Exception as e:  # noqa: BLE001 - any refusal is a finding
            problems.append(f"{cert_member}: {e}")
        if not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
            problems.append(f"{cert_member} is not valid at {at}")
        try:
            eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
            if purpose not in eku:
                problems.append(f"{cert_member} lacks {purpose}")
        except x509.ExtensionNotFound:
            pass
    return problems


def folder(directory, strict):
    at = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
    bundles = failing = 0
    for entry in sorted(os.listdir(directory)):
        if entry.endswith(".json"):
            with open(os.path.join(directory, entry), "rb") as f:
                raw = f.read()
            bundles += 1
            failing += bool(audit(raw, at, strict))
    print(f"{bundles} bundles, {failing} with a problem")


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--folder":
        folder(sys.argv[2], strict="--lax" not in sys.argv[3:])
        return
    path = sys.argv[1] if len(sys.argv) > 1 else "testdata/bundles/good.json"
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    raw = open(path, "rb").read()
    at = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
    assert audit(raw, at) == [], audit(raw, at)
    start = time.perf_counter()
    for _ in range(iterations):
        audit(raw, at)
    per_bundle = (time.perf_counter() - start) / iterations
    print(f"python cryptography, strict key loading: {per_bundle * 1e6:.0f} us per bundle ({path})")


if __name__ == "__main__":
    main()
