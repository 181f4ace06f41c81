#!/usr/bin/env python3
"""Writes a folder of certkey responses that looks like a fleet: many tasks, one CA (a second,
short-lived one for some), leaves expiring over the next two years, and a few broken bundles of
the common kinds. Made with pyca/cryptography, independently of certkey.

    fleet.py OUT_DIR COUNT [--at 2026-06-01] [--seed 1]

Prints, as one JSON object, what it wrote: for each file, the kind of bundle (`ok`, `expired`,
`expiring`, `not_yet_valid`, `mismatch`, `other_ca`, `api_error`, `truncated`, `no_ca`) and
the notAfter of each certificate (days after the audit time). ECDSA P-256 keys keep it quick:
5,000 bundles take a few seconds. Signatures are random, so files differ from run to run;
dates, kinds and names do not.
"""

import datetime
import json
import os
import random
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DAY = datetime.timedelta(days=1)


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def key_usage(signs_certificates):
    """digitalSignature, and keyCertSign with cRLSign for a CA: ECDSA keys encipher nothing."""
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=signs_certificates,
        crl_sign=signs_certificates, encipher_only=False, decipher_only=False,
    )


def make_ca(key, cn, not_before, not_after):
    return (
        x509.CertificateBuilder()
        .subject_name(name(cn))
        .issuer_name(name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(key_usage(signs_certificates=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def make_leaf(cn, key, ca, ca_key, purpose, not_before, not_after):
    return (
        x509.CertificateBuilder()
        .subject_name(name(cn))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(key_usage(signs_certificates=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([purpose]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def key_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


# The kinds of bundle, with their share of the fleet (the rest is "ok").
KINDS = [
    ("expired", 0.03),
    ("expiring", 0.06),
    ("not_yet_valid", 0.01),
    ("mismatch", 0.02),
    ("other_ca", 0.02),
    ("api_error", 0.02),
    ("truncated", 0.01),
    ("no_ca", 0.03),
]


def main():
    args = sys.argv[1:]
    options = {"--at": "2026-06-01", "--seed": "1"}
    for flag in list(options):
        if flag in args:
            at = args.index(flag)
            options[flag] = args[at + 1]
            del args[at : at + 2]
    out, count = args[0], int(args[1])
    at = datetime.datetime.fromisoformat(options["--at"]).replace(tzinfo=datetime.timezone.utc)
    chance = random.Random(int(options["--seed"]))
    os.makedirs(out, exist_ok=True)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = make_ca(ca_key, "fleet CA", at - 400 * DAY, at + 3650 * DAY)
    # A second CA, in the same role, that expires within the year: its bundles share it.
    short_key = ec.generate_private_key(ec.SECP256R1())
    short_ca = make_ca(short_key, "fleet CA (2025)", at - 200 * DAY, at + 165 * DAY)
    other_key = ec.generate_private_key(ec.SECP256R1())
    other_ca = make_ca(other_key, "another CA", at - 10 * DAY, at + 3650 * DAY)
    keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(4)]
    key_pems = [key_pem(k) for k in keys]
    roles = [
        ("cert", "private_key", "source", ExtendedKeyUsageOID.CLIENT_AUTH),
        ("target_mgmt_cert", "target_mgmt_private_key", "target-mgmt", ExtendedKeyUsageOID.SERVER_AUTH),
        ("target_data_cert", "target_data_private_key", "target-data", ExtendedKeyUsageOID.SERVER_AUTH),
    ]

    written = {}
    for i in range(count):
        roll, kind = chance.random(), "ok"
        for candidate, share in KINDS:
            if roll < share:
                kind = candidate
                break
            roll -= share
        file = f"task-{i:05d}.json"
        path = os.path.join(out, file)
        if kind == "api_error":
            body = {"error_code": "SMS.1801", "error_msg": "the task does not exist"}
            with open(path, "w") as f:
                json.dump(body, f)
            written[file] = {"kind": kind, "not_after": {}}
            continue
        issuer, issuer_key = (short_ca, short_key) if i % 10 == 3 else (ca, ca_key)
        # The task's certificates were issued together, for one or two years.
        issued = at - chance.randint(0, 700) * DAY
        lifetime = chance.choice([365, 730])
        not_before, not_after = issued, issued + lifetime * DAY
        if kind == "expired":
            not_after = at - chance.randint(1, 60) * DAY
            not_before = not_after - 365 * DAY
        elif kind == "expiring":
            not_after = at + chance.randint(1, 29) * DAY
            not_before = not_after - 365 * DAY
        elif kind == "not_yet_valid":
            not_before = at + chance.randint(1, 5) * DAY
            not_after = not_before + 365 * DAY
        elif not_after <= at + 30 * DAY:
            # An "ok" bundle stays out of the warning window.
            not_after = at + chance.randint(31, 700) * DAY
        body, days = {}, {}
        if kind != "no_ca":
            body["ca"] = pem(issuer)
            days["ca"] = (issuer.not_valid_after_utc - at).days
        for n, (cert_member, key_member, cn, purpose) in enumerate(roles):
            signer, signer_key = (other_ca, other_key) if kind == "other_ca" and n == 0 else (issuer, issuer_key)
            leaf = make_leaf(f"{cn}-{i}.fleet.test", keys[n], signer, signer_key, purpose,
                             not_before, not_after)
            body[cert_member] = pem(leaf)
            body[key_member] = key_pems[3 if kind == "mismatch" and n == 0 else n]
            days[cert_member] = (not_after - at).days
        text = json.dumps(body)
        if kind == "truncated":
            text = text[: len(text) // 2]
        with open(path, "w") as f:
            f.write(text)
        written[file] = {"kind": kind, "not_after": days}
    json.dump(written, sys.stdout)
    print()


if __name__ == "__main__":
    main()
