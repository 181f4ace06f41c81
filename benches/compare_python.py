#!/usr/bin/env python3
"""The same checks as certkey's default audit, written with Python's `cryptography`, timed per
bundle: for the comparison in docs/PERFORMANCE.md.

    python3 benches/compare_python.py [BUNDLE.json] [ITERATIONS]

Strict key loading (the default of `load_pem_private_key` since cryptography 40) is what catches
inconsistent RSA keys: it runs OpenSSL's RSA key check, primality included.
"""

import datetime
import json
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


def audit(raw, at):
    problems = []
    bundle = json.loads(raw)
    ca = x509.load_pem_x509_certificate(bundle["ca"].encode())
    for cert_member, key_member, purpose in ROLES:
        cert = x509.load_pem_x509_certificate(bundle[cert_member].encode())
        key = serialization.load_pem_private_key(bundle[key_member].encode(), password=None)
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


def main():
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
