#!/usr/bin/env python3
"""Regenerates certkey's test fixtures with Python's `cryptography` (OpenSSL underneath).

    python3 testdata/generate.py

Writes testdata/pki/ (a CA, three leaf identities and a few extra keys, as PEM) and
testdata/bundles/ (certkey responses: a good one shaped like the API's documented example, and
broken variants). Keys are random, so every run gives new bytes; the expected findings in
testdata/expected.tsv stay true. Certificates are valid from 2025-01-01 to 2045-01-01 and the
tests pin the audit time to 2026-06-01, so nothing rots.

Nothing here uses certkey itself: fixtures are made independently of the code under test.
"""

import datetime
import json
import os
import shutil

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
PKI = os.path.join(HERE, "pki")
BUNDLES = os.path.join(HERE, "bundles")

NOT_BEFORE = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
NOT_AFTER = datetime.datetime(2045, 1, 1, tzinfo=datetime.timezone.utc)
MEMBER_MAX = 1_048_576
PASSPHRASE = b"fixture-passphrase"


def name(cn):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certkey fixtures"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def rsa_key(bits=2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def make_ca(key):
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    return (
        x509.CertificateBuilder()
        .subject_name(name("certkey test CA"))
        .issuer_name(name("certkey test CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )


def make_leaf(cn, key, ca_cert, ca_key, purpose):
    return (
        x509.CertificateBuilder()
        .subject_name(name(cn))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([purpose]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )


def cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def pkcs1_pem(key, encryption=serialization.NoEncryption()):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, encryption
    ).decode()


def pkcs8_pem(key, encryption=serialization.NoEncryption()):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    ).decode()


def strip(pem):
    """The API's example has no final line break."""
    return pem.rstrip("\n")


def write(name, text):
    mode = "wb" if isinstance(text, bytes) else "w"
    with open(os.path.join(BUNDLES, name), mode) as f:
        f.write(text)


def dump(obj):
    return json.dumps(obj, indent=2)


def main():
    for folder in (PKI, BUNDLES):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)

    ca_key = rsa_key()
    ca = make_ca(ca_key)
    identities = {}
    for role, cn, purpose in (
        ("source", "source.certkey.test", ExtendedKeyUsageOID.CLIENT_AUTH),
        ("target_mgmt", "target-mgmt.certkey.test", ExtendedKeyUsageOID.SERVER_AUTH),
        ("target_data", "target-data.certkey.test", ExtendedKeyUsageOID.SERVER_AUTH),
    ):
        key = rsa_key()
        identities[role] = (make_leaf(cn, key, ca, ca_key, purpose), key)

    with open(os.path.join(PKI, "ca.crt.pem"), "w") as f:
        f.write(cert_pem(ca))
    with open(os.path.join(PKI, "ca.key.pem"), "w") as f:
        f.write(pkcs1_pem(ca_key))
    for role, (cert, key) in identities.items():
        with open(os.path.join(PKI, f"{role}.crt.pem"), "w") as f:
            f.write(cert_pem(cert))
        with open(os.path.join(PKI, f"{role}.key.pem"), "w") as f:
            f.write(pkcs1_pem(key))

    source_cert, source_key = identities["source"]
    mgmt_cert, mgmt_key = identities["target_mgmt"]
    data_cert, data_key = identities["target_data"]

    # The API's documented example shape: ca first, RSA keys as PKCS#1, no final newline.
    good = {
        "ca": strip(cert_pem(ca)),
        "cert": strip(cert_pem(source_cert)),
        "private_key": strip(pkcs1_pem(source_key)),
        "target_mgmt_cert": strip(cert_pem(mgmt_cert)),
        "target_mgmt_private_key": strip(pkcs1_pem(mgmt_key)),
        "target_data_cert": strip(cert_pem(data_cert)),
        "target_data_private_key": strip(pkcs1_pem(data_key)),
    }
    good_text = dump(good)
    write("good.json", good_text)

    def variant(file_name, **changes):
        bundle = dict(good)
        for member, value in changes.items():
            if value is None:
                del bundle[member]
            else:
                bundle[member] = value
        write(file_name, dump(bundle))

    # --- well-formed variations that must stay silent -----------------------------------
    write(
        "good-crlf.json",
        dump({k: "\r\n  " + v.replace("\n", "\r\n") + "\r\n\r\n" for k, v in good.items()}),
    )
    write("good-bom.json", b"\xef\xbb\xbf" + good_text.encode())
    write("good-reordered.json", dump(dict(reversed(list(good.items())))))
    variant("good-unknown-members.json", task_id="3f2c0c0e-0000-4000-8000-000000000000",
            expires_in=86400)
    # target_data_cert padded with trailing line breaks to exactly the API's maximum.
    at_limit = good["target_data_cert"] + "\n" * (MEMBER_MAX - len(good["target_data_cert"]))
    variant("member-at-limit.json", target_data_cert=at_limit)

    # --- response ---------------------------------------------------------------------
    variant("no-ca.json", ca=None)
    write("truncated.json", good_text[: len(good_text) * 3 // 5])
    write("not-an-object.json", dump([good]))
    write("invalid-utf8.json", good_text.replace('"ca"', '"c\xff"').encode("latin-1"))
    write("deep-nesting.json", good_text[:-1] + ',\n  "extra": ' + "[" * 100 + "]" * 100 + "\n}")
    write("trailing-garbage.json", good_text + "\n}")
    write("empty.json", "")
    variant("missing-member.json", target_data_private_key=None)
    write("null-member.json", good_text.replace(json.dumps(good["cert"]), "null"))
    write("number-member.json", good_text.replace(json.dumps(good["ca"]), "42"))
    variant("empty-member.json", private_key="")
    variant("member-over-limit.json", target_data_cert=at_limit + "\n")
    write(
        "duplicate-member.json",
        good_text[:-2] + ',\n  "cert": ' + json.dumps(good["target_mgmt_cert"]) + "\n}",
    )
    write(
        "lone-surrogate.json",
        good_text.replace(json.dumps(good["cert"]), '"\\ud800' + json.dumps(good["cert"])[1:]),
    )
    # The API's example response, verbatim.
    placeholder_cert = "-----BEGIN CERTIFICATE-----\n" + "*" * 32 + "\n-----END CERTIFICATE-----"
    placeholder_key = "-----BEGIN RSA PRIVATE KEY-----\n" + "*" * 32 + "\n-----END RSA PRIVATE KEY-----"
    write(
        "redacted.json",
        dump(
            {
                "ca": placeholder_cert,
                "cert": placeholder_cert,
                "private_key": placeholder_key,
                "target_mgmt_cert": placeholder_cert,
                "target_mgmt_private_key": placeholder_key,
                "target_data_cert": placeholder_cert,
                "target_data_private_key": placeholder_key,
            }
        ),
    )
    # The API's error bodies, one per documented status.
    for status, code, message in (
        ("400", "SMS.0201", "Invalid request parameter: task_id."),
        ("401", "SMS.0203", "The token is invalid or has expired."),
        ("404", "SMS.1602", "The task does not exist."),
        ("500", "SMS.0000", "Internal server error.\u001b[2J\r\nPlease retry later."),
    ):
        write(f"api-error-{status}.json", dump({"error_code": code, "error_msg": message}))
    write(
        "api-error-403.json",
        dump(
            {
                "error_code": "SMS.9004",
                "error_msg": "The current account does not have the permission to execute policy. You do not have permission to perform action XXX on resource XXX.",
                "encoded_authorization_message": "XXXXXX",
                "error_param": ["You do not have permission to perform action XXX on resource XXX."],
                "details": [
                    {
                        "error_code": "SMS.9004",
                        "error_msg": "You do not have permission to perform action XXX on resource XXX.",
                    }
                ],
            }
        ),
    )

    # --- PEM --------------------------------------------------------------------------
    write(
        "escaped-newlines.json",
        good_text.replace(json.dumps(good["cert"]), json.dumps(good["cert"].replace("\n", "\\n"))),
    )
    variant("key-in-cert-member.json", cert=good["private_key"])
    variant("cert-in-key-member.json", private_key=good["cert"])
    variant("chain-in-cert-member.json", cert=good["cert"] + "\n" + good["ca"])
    variant(
        "two-keys-in-key-member.json",
        private_key=good["private_key"] + "\n" + good["target_mgmt_private_key"],
    )
    variant(
        "text-around-block.json",
        target_mgmt_cert="subject=O=certkey fixtures, CN=target-mgmt.certkey.test\n"
        + good["target_mgmt_cert"]
        + "\n# saved by hand",
    )
    key_lines = good["target_mgmt_private_key"].split("\n")
    variant("truncated-key.json", target_mgmt_private_key="\n".join(key_lines[: len(key_lines) // 2]))
    cert_lines = good["cert"].split("\n")
    cert_lines[3] = cert_lines[3][:20] + "*" + cert_lines[3][21:]
    variant("bad-base64-character.json", cert="\n".join(cert_lines))
    cert_lines = good["cert"].split("\n")
    cert_lines[3] = cert_lines[3][:-1]
    variant("bad-base64-length.json", cert="\n".join(cert_lines))
    variant(
        "mismatched-labels.json",
        ca=good["ca"].replace("-----END CERTIFICATE-----", "-----END X509 CRL-----"),
    )
    variant("no-pem-block.json", target_data_cert="".join(good["target_data_cert"].split("\n")[1:-1]))
    variant(
        "cert-garbage-der.json",
        target_data_cert="-----BEGIN CERTIFICATE-----\n"
        + "QmVsb3cgaXMgbm90IGEgY2VydGlmaWNhdGUsIGp1c3QgdGV4dC4=\n-----END CERTIFICATE-----",
    )
    variant(
        "encrypted-pkcs8.json",
        private_key=strip(pkcs8_pem(source_key, serialization.BestAvailableEncryption(PASSPHRASE))),
    )
    variant(
        "encrypted-legacy.json",
        target_data_private_key=strip(
            pkcs1_pem(data_key, serialization.BestAvailableEncryption(PASSPHRASE))
        ),
    )
    dsa_key = dsa.generate_private_key(key_size=2048)
    with open(os.path.join(PKI, "dsa.key.pem"), "w") as f:
        f.write(pkcs1_pem(dsa_key))
    variant("dsa-key.json", private_key=strip(pkcs1_pem(dsa_key)))


if __name__ == "__main__":
    main()
