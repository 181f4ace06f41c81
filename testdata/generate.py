#!/usr/bin/env python3
"""Regenerates certkey's test fixtures with Python's `cryptography` (OpenSSL underneath).

    python3 testdata/generate.py

Writes testdata/pki/ (a CA, three leaf identities and a few extra keys, as PEM),
testdata/keys/ (keys and certificates for the OpenSSL differential test) and testdata/bundles/
(certkey responses: a good one shaped like the API's documented example, and broken variants).
Certificates are valid from 2025-01-01 to 2045-01-01 and the tests pin the audit time to
2026-06-01, so nothing rots.

Regeneration is reproducible: every key, and every output of a randomized operation (ECDSA and
RSA-PSS signatures, encryption with a random salt or IV), is kept in testdata/generator-store.json
under a label (the line that asked for it) and reused while its inputs are the same; serial
numbers and other "random" bytes are derived from the path of lines that asked for them. So running this again rewrites
the same bytes, and a new fixture is a new file plus new entries in the store. To renew a key,
delete its entry.

Nothing here uses certkey itself: fixtures are made independently of the code under test.
"""

import base64
import collections
import datetime
import hashlib
import inspect
import ipaddress
import json
import math
import os
import shutil
import subprocess

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa, x25519
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
PKI = os.path.join(HERE, "pki")
BUNDLES = os.path.join(HERE, "bundles")

NOT_BEFORE = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
NOT_AFTER = datetime.datetime(2045, 1, 1, tzinfo=datetime.timezone.utc)
MEMBER_MAX = 1_048_576
PASSPHRASE = b"fixture-passphrase"


# --- Reproducibility: keys and randomized outputs, kept by label --------------------------

STORE_PATH = os.path.join(HERE, "generator-store.json")


class Store:
    """Keys and the outputs of randomized operations, by label, reused while their inputs are
    the same. Only what a run uses is written back, so removing a fixture removes its entries."""

    def __init__(self):
        self.entries = {}
        if os.path.exists(STORE_PATH):
            with open(STORE_PATH) as f:
                self.entries = json.load(f)
        self.used = {}
        self.counts = collections.Counter()

    def label(self):
        """The line of this file that asked, in the function it is in, with how many times
        that line asked before: stable while other lines are added or removed."""
        for frame in inspect.stack()[1:]:
            if frame.filename != __file__ or frame.function in STORE_HELPERS:
                continue
            line = (frame.code_context or ["?"])[0].strip()
            where = f"{frame.function}: {line}"
            self.counts[where] += 1
            return f"{where} #{self.counts[where]}"
        raise RuntimeError("no caller in generate.py")

    def get(self, label, inputs, make):
        """The value stored under `label` if it was made from the same `inputs`, else `make()`."""
        entry = self.entries.get(label)
        if entry is None or entry["inputs"] != inputs:
            entry = {"inputs": inputs, "value": make()}
        if label in self.used and self.used[label] != entry:
            raise RuntimeError(f"two different values for {label}")
        self.used[label] = entry
        return entry["value"]

    def key(self, kind, make):
        label = "key " + self.label()
        pem = self.get(label, kind, lambda: make().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()).decode())
        return serialization.load_pem_private_key(pem.encode(), None)

    def output(self, inputs, make):
        """A randomized operation's output, by a digest of everything that went into it."""
        digest = hashlib.sha256(repr(inputs).encode()).hexdigest()
        return self.get("output " + digest, digest, make)

    def path_label(self):
        """Every line of this file on the way to the asker, outermost first, with how many
        times that path asked before: a fixture's own line is on it, so adding a fixture
        changes no other fixture's derived values."""
        lines = [f"{frame.function}: {(frame.code_context or ['?'])[0].strip()}"
                 for frame in reversed(inspect.stack()[1:])
                 if frame.filename == __file__ and frame.function not in STORE_HELPERS]
        where = " > ".join(lines)
        self.counts[where] += 1
        return f"{where} #{self.counts[where]}"

    def derived_bytes(self, length):
        """Bytes that only need to look random: derived from the asking path's label."""
        return hashlib.shake_256(self.path_label().encode()).digest(length)

    def save(self):
        with open(STORE_PATH, "w") as f:
            json.dump(dict(sorted(self.used.items())), f, indent=1, sort_keys=True)
            f.write("\n")


STORE = Store()
STORE_HELPERS = {"label", "path_label", "get", "key", "output", "derived_bytes", "generate", "rsa_key",
                 "random_serial_number", "sign", "openssl", "encrypted_pem", "<lambda>"}


def _keep_keys(owner, attr, kind):
    real = getattr(owner, attr)

    def generate(*args, **kwargs):
        return STORE.key(kind(*args, **kwargs), lambda: real(*args, **kwargs))

    setattr(owner, attr, generate)


_keep_keys(rsa, "generate_private_key",
           lambda public_exponent, key_size, backend=None: f"rsa e={public_exponent} bits={key_size}")
_keep_keys(ec, "generate_private_key", lambda curve, backend=None: f"ec {curve.name}")
_keep_keys(dsa, "generate_private_key", lambda key_size, backend=None: f"dsa bits={key_size}")
for _class, _kind in ((ed25519.Ed25519PrivateKey, "ed25519"), (ed448.Ed448PrivateKey, "ed448"),
                      (x25519.X25519PrivateKey, "x25519")):
    _keep_keys(_class, "generate", lambda _kind=_kind: _kind)


def random_serial_number():
    """A serial number derived from the asking line: unique per certificate, the same each run."""
    return int.from_bytes(hashlib.sha256(STORE.path_label().encode()).digest()[:19], "big") >> 1 | 1


x509.random_serial_number = random_serial_number

_real_sign = x509.CertificateBuilder.sign


def sign(builder, private_key, algorithm, *args, **kwargs):
    """Signs as cryptography does; an ECDSA or RSA-PSS certificate whose to-be-signed part was
    signed before is the stored one (those signatures are randomized)."""
    cert = _real_sign(builder, private_key, algorithm, *args, **kwargs)
    randomized = isinstance(private_key, ec.EllipticCurvePrivateKey) or isinstance(
        kwargs.get("rsa_padding"), padding.PSS)
    if not randomized:
        return cert
    pem = STORE.output(("certificate", cert.tbs_certificate_bytes.hex()),
                       lambda: cert.public_bytes(serialization.Encoding.PEM).decode())
    return x509.load_pem_x509_certificate(pem.encode())


x509.CertificateBuilder.sign = sign


def name(cn):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certkey fixtures"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def rsa_key(bits=2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def signing_hash(key):
    """Ed25519 signs without a separate hash; the others with SHA-256."""
    return None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()


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
        .sign(key, signing_hash(key))
    )


def make_leaf(cn, key, ca_cert, ca_key, purpose):
    """A leaf for `key` (a private key, or a public key alone) signed by the CA."""
    public = key if hasattr(key, "public_numbers") or not hasattr(key, "public_key") else key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name(cn))
        .issuer_name(ca_cert.subject)
        .public_key(public)
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
        .sign(ca_key, signing_hash(ca_key))
    )


def cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def encrypted_pem(key, form, encryption):
    """`key` as PEM in `form`; encrypted (with a random salt and IV), the stored output for the
    same key and passphrase."""
    make = lambda: key.private_bytes(serialization.Encoding.PEM, form, encryption).decode()
    if isinstance(encryption, serialization.NoEncryption):
        return make()
    plain = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    return STORE.output(("encrypted", str(form), plain.hex(), PASSPHRASE.hex()), make)


def pkcs1_pem(key, encryption=serialization.NoEncryption()):
    return encrypted_pem(key, serialization.PrivateFormat.TraditionalOpenSSL, encryption)


def pkcs8_pem(key, encryption=serialization.NoEncryption()):
    return encrypted_pem(key, serialization.PrivateFormat.PKCS8, encryption)


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

    ca, ca_key, identities = make_pki()
    good = documented_bundle(ca, identities)
    silent_fixtures(good)
    response_fixtures(good)
    pem_fixtures(good, identities)
    cross_role_fixtures(good, ca, ca_key, identities)
    algorithm_fixtures()
    key_fixtures(good, ca, ca_key)
    chain_fixtures(good, ca, ca_key, tuple(key for _, key in identities.values()))
    encrypted_fixtures()


def make_pki():
    """The CA and the three leaf identities of the documented bundle, written to pki/."""
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
    return ca, ca_key, identities


def documented_bundle(ca, identities):
    """good.json: the API's documented example shape (ca first, RSA keys as PKCS#1, no final
    newline), the bundle every variant changes."""
    source_cert, source_key = identities["source"]
    mgmt_cert, mgmt_key = identities["target_mgmt"]
    data_cert, data_key = identities["target_data"]
    good = {
        "ca": strip(cert_pem(ca)),
        "cert": strip(cert_pem(source_cert)),
        "private_key": strip(pkcs1_pem(source_key)),
        "target_mgmt_cert": strip(cert_pem(mgmt_cert)),
        "target_mgmt_private_key": strip(pkcs1_pem(mgmt_key)),
        "target_data_cert": strip(cert_pem(data_cert)),
        "target_data_private_key": strip(pkcs1_pem(data_key)),
    }
    write("good.json", dump(good))
    return good


def variant_writer(good):
    """variant(file_name, member=value, ...): good.json with members replaced (None removes)."""

    def variant(file_name, **changes):
        bundle = dict(good)
        for member, value in changes.items():
            if value is None:
                del bundle[member]
            else:
                bundle[member] = value
        write(file_name, dump(bundle))

    return variant


def silent_fixtures(good):
    """Well-formed variations that must stay silent."""
    good_text = dump(good)
    variant = variant_writer(good)
    write(
        "good-crlf.json",
        dump({k: "\r\n" + v.replace("\n", "\r\n") + "\r\n\r\n" for k, v in good.items()}),
    )
    write("good-bom.json", b"\xef\xbb\xbf" + good_text.encode())
    write("good-reordered.json", dump(dict(reversed(list(good.items())))))
    variant("good-unknown-members.json", task_id="3f2c0c0e-0000-4000-8000-000000000000",
            expires_in=86400)
    # target_data_cert padded with trailing line breaks to exactly the API's maximum.
    at_limit = good["target_data_cert"] + "\n" * (MEMBER_MAX - len(good["target_data_cert"]))
    variant("member-at-limit.json", target_data_cert=at_limit)


def response_fixtures(good):
    """The response layer: JSON, members, error bodies."""
    good_text = dump(good)
    variant = variant_writer(good)
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
    at_limit = good["target_data_cert"] + "\n" * (MEMBER_MAX - len(good["target_data_cert"]))
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

    # A second cert behind a JSON escape in its name ("c\u0065rt" is "cert"): the same
    # certificate, and another issuer's (the last copy is the one audited).
    escaped_name = '"c\\u0065rt"'
    write("duplicate-member-escaped.json",
          good_text[:-2] + ",\n  " + escaped_name + ": " + json.dumps(good["cert"]) + "\n}")
    # An error_code beside the bundle's members is an undocumented member, not an error body;
    # an empty object is a bundle with every member missing.
    variant("good-with-error-code.json", error_code="SMS.9004")
    write("empty-object.json", "{}")
    # Everyday ways of saving a response wrong: PowerShell's UTF-16, `curl -i`'s headers, the
    # bundle wrapped under another key, a bare PEM file where the response belongs.
    write("saved-utf16-powershell.json", b"\xff\xfe" + good_text.encode("utf-16-le"))
    write("saved-utf16be-no-bom.json", good_text.encode("utf-16-be"))
    write("saved-curl-i.json",
          "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\n\r\n" + good_text)
    write("saved-wrapped.json", dump({"task_id": "3f2c0c0e-0000-4000-8000-000000000000",
                                      "certkey": good}))
    write("saved-bare-certificate.json", good["ca"] + "\n")
    write("saved-bare-key.json", good["private_key"] + "\n")
    # Brackets and commas inside strings are no nesting and no members.
    variant("good-brackets-in-strings.json", note="[" * 100 + "," * 300)


def pem_fixtures(good, identities):
    """The PEM layer: blocks, labels, base64, encrypted and unsupported keys."""
    good_text = dump(good)
    variant = variant_writer(good)
    source_key = identities["source"][1]
    data_key = identities["target_data"][1]
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
    # The certificate's DER encoded in two padded pieces, joined: padding inside the body.
    der = base64.b64decode("".join(good["cert"].split("\n")[1:-1]))
    joined = base64.b64encode(der[:100]).decode() + base64.b64encode(der[100:]).decode()
    variant(
        "bad-base64-padding-inside.json",
        cert="\n".join(
            ["-----BEGIN CERTIFICATE-----"]
            + [joined[i : i + 64] for i in range(0, len(joined), 64)]
            + ["-----END CERTIFICATE-----"]
        ),
    )
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
    layout_fixtures(good)
    dsa_key = dsa.generate_private_key(key_size=2048)
    with open(os.path.join(PKI, "dsa.key.pem"), "w") as f:
        f.write(pkcs1_pem(dsa_key))
    variant("dsa-key.json", private_key=strip(pkcs1_pem(dsa_key)))


def relaid(pem, indent="", width=64, blank_after_begin=False, separator="\n"):
    """`pem` laid out again: its lines indented, its base64 wrapped at `width` (0: one line),
    a blank line after BEGIN, and `separator` between lines."""
    lines = pem.strip("\n").split("\n")
    body = "".join(lines[1:-1])
    wrapped = [body[i:i + width] for i in range(0, len(body), width)] if width else [body]
    out = [lines[0]] + ([""] if blank_after_begin else []) + wrapped + [lines[-1]]
    return separator.join(indent + line if line else line for line in out)


def layout_fixtures(good):
    """PEM text laid out as some TLS stacks' loaders do not read it (pem.layout), and layouts
    every loader reads, which must stay silent; each changes one member."""
    variant = variant_writer(good)
    # Read by every loader: no finding.
    variant("pem-blank-line-after-begin.json", cert=relaid(good["cert"], blank_after_begin=True))
    variant("pem-wrapped-at-76.json", target_mgmt_cert=relaid(good["target_mgmt_cert"], width=76))
    variant("pem-body-on-one-line.json", private_key=relaid(good["private_key"], width=0))
    variant("pem-body-lines-indented.json",
            target_data_cert="\n".join(line if line.startswith("-----") else "  " + line
                                       for line in good["target_data_cert"].split("\n")))
    variant("pem-trailing-spaces.json", ca="\n".join(line + "  " for line in good["ca"].split("\n")))
    # Refused by some loaders, each copying mistake in its own member.
    variant("pem-indented-yaml.json", cert=relaid(good["cert"], indent="    "))
    variant("pem-begin-indented-crlf.json",
            target_mgmt_private_key="\r\n  " + good["target_mgmt_private_key"].replace("\n", "\r\n"))
    variant("pem-line-breaks-lost.json", target_mgmt_cert=relaid(good["target_mgmt_cert"], separator=""))
    variant("pem-spaces-for-line-breaks.json", private_key=relaid(good["private_key"], separator=" "))
    variant("pem-line-breaks-doubled.json", ca=relaid(good["ca"], separator="\n\n"))
    lines = good["target_data_cert"].split("\n")
    variant("pem-blank-line-in-body.json", target_data_cert="\n".join(lines[:4] + [""] + lines[4:]))
    variant("pem-blank-line-then-76.json",
            target_data_private_key=relaid(good["target_data_private_key"], width=76, blank_after_begin=True))
    variant("pem-cr-line-ends.json", target_mgmt_private_key=good["target_mgmt_private_key"].replace("\n", "\r"))
    variant("pem-byte-order-mark.json", cert="\ufeff" + good["cert"])
    lines = good["ca"].split("\n")
    variant("pem-header.json", ca="\n".join(lines[:1] + ["Comment: issued by the certkey fixtures", ""] + lines[1:]))
    padded = next(m for m in ("private_key", "target_mgmt_private_key", "target_data_private_key", "cert")
                  if good[m].split("\n")[-2].endswith("="))
    variant("pem-missing-padding.json", **{padded: good[padded].replace("=", "")})
    lines = good["target_data_cert"].split("\n")
    variant("pem-tab-after-begin.json", target_data_cert="\n".join([lines[0] + "\t"] + lines[1:]))
    lines = good["cert"].split("\n")
    variant("pem-cut-short.json", cert="\n".join(lines[: len(lines) // 2] + lines[-1:]))
    # Two ways at once: each named with the stacks that refuse it.
    lines = relaid(good["target_mgmt_cert"], indent="  ").split("\n")
    variant("pem-indented-with-a-header.json",
            target_mgmt_cert="\n".join(lines[:1] + ["  Comment: pasted from a wiki", ""] + lines[1:]))
    variant("pem-text-after-end-line.json", ca=good["ca"] + " (saved 2026-05-01)")
    variant("pem-key-pasted-twice.json", private_key=good["private_key"] + "\n" + good["private_key"])
    variant("pem-pasted-twice-no-line-break.json", target_mgmt_cert=good["target_mgmt_cert"] * 2)


def cross_role_fixtures(good, ca, ca_key, identities):
    """One identity or key pair used by two roles."""
    variant = variant_writer(good)
    mgmt_key = identities["target_mgmt"][1]
    variant(
        "shared-identity.json",
        target_data_cert=good["target_mgmt_cert"],
        target_data_private_key=good["target_mgmt_private_key"],
    )
    # The target_mgmt key pair under a second certificate, for target_data.
    second = make_leaf("target-data.certkey.test", mgmt_key, ca, ca_key, ExtendedKeyUsageOID.SERVER_AUTH)
    variant(
        "shared-key.json",
        target_data_cert=strip(cert_pem(second)),
        target_data_private_key=good["target_mgmt_private_key"],
    )


def algorithm_fixtures():
    """The documented shape with every key of another algorithm (CA included), for the
    per-algorithm benchmarks."""
    for label, new_key, to_pem in (
        ("rsa4096", lambda: rsa_key(4096), pkcs1_pem),
        ("p256", lambda: ec.generate_private_key(ec.SECP256R1()), pkcs1_pem),
        ("ed25519", ed25519.Ed25519PrivateKey.generate, pkcs8_pem),
    ):
        alg_ca_key = new_key()
        alg_ca = make_ca(alg_ca_key)
        bundle = {"ca": strip(cert_pem(alg_ca))}
        for member, key_member, cn, purpose in (
            ("cert", "private_key", "source.certkey.test", ExtendedKeyUsageOID.CLIENT_AUTH),
            ("target_mgmt_cert", "target_mgmt_private_key", "target-mgmt.certkey.test", ExtendedKeyUsageOID.SERVER_AUTH),
            ("target_data_cert", "target_data_private_key", "target-data.certkey.test", ExtendedKeyUsageOID.SERVER_AUTH),
        ):
            leaf_key = new_key()
            bundle[member] = strip(cert_pem(make_leaf(cn, leaf_key, alg_ca, alg_ca_key, purpose)))
            bundle[key_member] = strip(to_pem(leaf_key))
        write(f"good-{label}.json", dump(bundle))


# --- a minimal DER encoder, for keys no library will serialize (inconsistent ones) -------


def der_length(n):
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag, content):
    return bytes([tag]) + der_length(len(content)) + content


def der_int(value):
    return tlv(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def der_seq(*items):
    return tlv(0x30, b"".join(items))


def der_octets(data):
    return tlv(0x04, data)


def der_bits(data):
    return tlv(0x03, b"\x00" + data)


def der_oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    body = bytes([40 * parts[0] + parts[1]])
    for part in parts[2:]:
        chunk = [part & 0x7F]
        part >>= 7
        while part:
            chunk.insert(0, 0x80 | (part & 0x7F))
            part >>= 7
        body += bytes(chunk)
    return tlv(0x06, body)


def der_explicit(number, content):
    return tlv(0xA0 | number, content)


def der_read_length(data, offset):
    first = data[offset]
    if first < 0x80:
        return first, offset + 1
    count = first & 0x7F
    return int.from_bytes(data[offset + 1 : offset + 1 + count], "big"), offset + 1 + count


def der_items(der):
    """The TLVs inside one constructed DER value (a SEQUENCE, an [n] wrapper)."""
    length, offset = der_read_length(der, 1)
    content, items, index = der[offset : offset + length], [], 0
    while index < len(content):
        item_length, start = der_read_length(content, index + 1)
        items.append(content[index : start + item_length])
        index = start + item_length
    return items


def der_content(der):
    length, offset = der_read_length(der, 1)
    return der[offset : offset + length]


def pem_of(label, der):
    body = base64.b64encode(der).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----"


def rsa_pkcs1_der(n, e, d, p, q, dp, dq, qinv):
    return der_seq(*(der_int(v) for v in (0, n, e, d, p, q, dp, dq, qinv)))


CURVE_OIDS = {"secp256r1": "1.2.840.10045.3.1.7", "secp384r1": "1.3.132.0.34", "secp521r1": "1.3.132.0.35"}
CURVE_LEN = {"secp256r1": 32, "secp384r1": 48, "secp521r1": 66}
CURVE_ORDER = {
    "secp256r1": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
}


def sec1_der(curve, scalar, point=None):
    items = [der_int(1), der_octets(scalar.to_bytes(CURVE_LEN[curve], "big")), der_explicit(0, der_oid(CURVE_OIDS[curve]))]
    if point is not None:
        items.append(der_explicit(1, der_bits(point)))
    return der_seq(*items)


def ec_point(key):
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def ed25519_pkcs8_v2_der(seed, public):
    return der_seq(
        der_int(1),
        der_seq(der_oid("1.3.101.112")),
        der_octets(der_octets(seed)),
        tlv(0x81, b"\x00" + public),
    )


def raw_ed25519(key):
    seed = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return seed, public


def key_fixtures(good, ca, ca_key):
    """Bundles whose source identity (cert, private_key) is replaced: every key encoding,
    matched and mismatched, and hand-built inconsistent keys. Also written as PEM pairs under
    testdata/keys/ for the OpenSSL differential test."""
    keys_dir = os.path.join(HERE, "keys")
    shutil.rmtree(keys_dir, ignore_errors=True)
    os.makedirs(keys_dir)

    def source(name, key_pem, cert):
        cert_text = strip(cert_pem(cert))
        bundle = dict(good)
        bundle["cert"] = cert_text
        bundle["private_key"] = strip(key_pem)
        write(f"key-{name}.json", dump(bundle))
        with open(os.path.join(keys_dir, f"{name}.key.pem"), "w") as f:
            f.write(strip(key_pem) + "\n")
        with open(os.path.join(keys_dir, f"{name}.crt.pem"), "w") as f:
            f.write(cert_text + "\n")

    def leaf(key, cn="source.certkey.test"):
        return make_leaf(cn, key, ca, ca_key, ExtendedKeyUsageOID.CLIENT_AUTH)

    # RSA, every size and encoding.
    for bits, encodings in ((1024, ("pkcs1",)), (2048, ("pkcs1", "pkcs8")), (3072, ("pkcs1",)),
                            (4096, ("pkcs8",)), (8192, ("pkcs1",))):
        key = rsa_key(bits)
        cert = leaf(key)
        for encoding in encodings:
            text = pkcs1_pem(key) if encoding == "pkcs1" else pkcs8_pem(key)
            source(f"rsa{bits}-{encoding}", text, cert)
        if bits == 2048:
            rsa2048, rsa2048_cert = key, cert

    # RSA, hand-built inconsistent keys with the certificate's modulus.
    numbers = rsa2048.private_numbers()
    n, e = numbers.public_numbers.n, numbers.public_numbers.e
    p, q, d = numbers.p, numbers.q, numbers.d
    dp, dq, qinv = numbers.dmp1, numbers.dmq1, numbers.iqmp
    wrong_d = d + 2  # no longer an inverse of e modulo p−1 or q−1
    broken = {
        "rsa-wrong-d": rsa_pkcs1_der(n, e, wrong_d, p, q, wrong_d % (p - 1), wrong_d % (q - 1), qinv),
        "rsa-wrong-p": rsa_pkcs1_der(n, e, d, p + 2, q, dp, dq, qinv),
        "rsa-wrong-qinv": rsa_pkcs1_der(n, e, d, p, q, dp, dq, (qinv + 1) % p),
        "rsa-wrong-dp": rsa_pkcs1_der(n, e, d, p, q, (dp + 2) % (p - 1), dq, qinv),
        "rsa-even-e": rsa_pkcs1_der(n, 65538, d, p, q, dp, dq, qinv),
    }
    for name, der in broken.items():
        source(name, pem_of("RSA PRIVATE KEY", der), rsa2048_cert)
    source("rsa-mismatch", pkcs1_pem(rsa_key()), rsa2048_cert)
    # A "prime" p that is the product of two primes: every relation between the components
    # holds, so only deep mode's primality test can tell.
    while True:
        r, s_ = rsa_key(1024).private_numbers().p, rsa_key(1024).private_numbers().q
        q2 = rsa_key(2048).private_numbers().p
        p2 = r * s_
        lam = (p2 - 1) * (q2 - 1) // math.gcd(p2 - 1, q2 - 1)
        if math.gcd(65537, lam) == 1:
            break
    n2, d2 = p2 * q2, pow(65537, -1, lam)
    composite_cert = leaf(rsa.RSAPublicNumbers(65537, n2).public_key())
    source(
        "rsa-composite-p",
        pem_of("RSA PRIVATE KEY", rsa_pkcs1_der(n2, 65537, d2, p2, q2, d2 % (p2 - 1), d2 % (q2 - 1), pow(q2, -1, p2))),
        composite_cert,
    )
    source("rsa-pkcs8-under-rsa-label", pkcs8_pem(rsa2048).replace("PRIVATE KEY", "RSA PRIVATE KEY"), rsa2048_cert)

    # Consistent RSA keys outside FIPS 186's shape, which ring (rustls) refuses to load:
    # primes of 1536 and 512 bits; e = 3; a private exponent d of under half the modulus.
    def consistent_rsa(p_, q_, e_=None, d_=None):
        lam_ = (p_ - 1) * (q_ - 1) // math.gcd(p_ - 1, q_ - 1)
        if d_ is None:
            d_ = pow(e_, -1, lam_)
        else:
            e_ = pow(d_, -1, lam_)
        n_ = p_ * q_
        der = rsa_pkcs1_der(n_, e_, d_, p_, q_, d_ % (p_ - 1), d_ % (q_ - 1), pow(q_, -1, p_))
        return pem_of("RSA PRIVATE KEY", der), leaf(rsa.RSAPublicNumbers(e_, n_).public_key())

    while True:
        big, small = rsa_key(3072).private_numbers().p, rsa_key(1024).private_numbers().p
        if (big * small).bit_length() == 2048 and math.gcd(65537, (big - 1) * (small - 1)) == 1:
            break
    source("rsa-unbalanced-primes", *consistent_rsa(big, small, e_=65537))
    e3 = rsa.generate_private_key(public_exponent=3, key_size=2048)
    source("rsa-e3", pkcs1_pem(e3), leaf(e3))
    while True:
        small_d = int.from_bytes(STORE.derived_bytes(96), "big") | 1  # 768 bits, under half of 2048
        lam_ = (p - 1) * (q - 1) // math.gcd(p - 1, q - 1)
        if math.gcd(small_d, lam_) == 1:
            break
    source("rsa-small-d", *consistent_rsa(p, q, d_=small_d))
    source("rsa-garbage-der", pem_of("RSA PRIVATE KEY", der_seq(der_int(0), der_int(12345))), rsa2048_cert)

    # ECDSA: every curve and encoding, with and without the embedded point.
    for curve_class, curve in ((ec.SECP256R1, "secp256r1"), (ec.SECP384R1, "secp384r1"), (ec.SECP521R1, "secp521r1")):
        key = ec.generate_private_key(curve_class())
        cert = leaf(key)
        short = {"secp256r1": "p256", "secp384r1": "p384", "secp521r1": "p521"}[curve]
        scalar = key.private_numbers().private_value
        source(f"ec-{short}-sec1", pkcs1_pem(key), cert)
        source(f"ec-{short}-sec1-no-public-key", pem_of("EC PRIVATE KEY", sec1_der(curve, scalar)), cert)
        source(f"ec-{short}-pkcs8", pkcs8_pem(key), cert)
        other = ec.generate_private_key(curve_class())
        source(f"ec-{short}-mismatch", pkcs1_pem(other), cert)
        if curve == "secp256r1":
            p256, p256_cert, p256_scalar, p256_other = key, cert, scalar, other
    point = ec_point(p256)
    other_scalar = p256_other.private_numbers().private_value
    source("ec-p256-mismatch-no-public-key",
           pem_of("EC PRIVATE KEY", sec1_der("secp256r1", other_scalar)), p256_cert)
    # The certificate's point, another key's scalar.
    source("ec-p256-scalar-of-another-key",
           pem_of("EC PRIVATE KEY", sec1_der("secp256r1", other_scalar, point)), p256_cert)
    source("ec-p256-scalar-zero", pem_of("EC PRIVATE KEY", sec1_der("secp256r1", 0, point)), p256_cert)
    source("ec-p256-scalar-is-order",
           pem_of("EC PRIVATE KEY", sec1_der("secp256r1", CURVE_ORDER["secp256r1"], point)), p256_cert)
    source("ec-key-for-rsa-cert", pkcs1_pem(p256), rsa2048_cert)
    # Keys under a label that is not their encoding's: Go reads keys by their content,
    # OpenSSL's TLS loader a PKCS#8 body under its algorithm's label, rustls by the label alone.
    source("rsa-pkcs1-under-pkcs8-label", pkcs1_pem(rsa2048).replace("RSA PRIVATE KEY", "PRIVATE KEY"), rsa2048_cert)
    source("ec-pkcs8-under-ec-label", pkcs8_pem(p256).replace("PRIVATE KEY", "EC PRIVATE KEY"), p256_cert)
    source("ec-sec1-under-rsa-label", pkcs1_pem(p256).replace("EC PRIVATE KEY", "RSA PRIVATE KEY"), p256_cert)
    source("ec-pkcs8-under-rsa-label", pkcs8_pem(p256).replace("PRIVATE KEY", "RSA PRIVATE KEY"), p256_cert)

    # Ed25519: PKCS#8 v1 (as OpenSSL writes it) and v2 (with the public key).
    ed = ed25519.Ed25519PrivateKey.generate()
    ed_cert = leaf(ed)
    seed, public = raw_ed25519(ed)
    source("ed25519-pkcs8-v1", pkcs8_pem(ed), ed_cert)
    source("ed25519-pkcs8-v2", pem_of("PRIVATE KEY", ed25519_pkcs8_v2_der(seed, public)), ed_cert)
    other = ed25519.Ed25519PrivateKey.generate()
    _, other_public = raw_ed25519(other)
    source("ed25519-v2-wrong-public-key", pem_of("PRIVATE KEY", ed25519_pkcs8_v2_der(seed, other_public)), ed_cert)
    source("ed25519-mismatch", pkcs8_pem(other), ed_cert)

    # Keys of algorithms certkey does not check.
    source("x25519-pkcs8", pkcs8_pem(x25519.X25519PrivateKey.generate()), rsa2048_cert)
    source("ed448-pkcs8", pkcs8_pem(ed448.Ed448PrivateKey.generate()), rsa2048_cert)
    source("secp256k1-sec1", pkcs1_pem(ec.generate_private_key(ec.SECP256K1())), rsa2048_cert)


SHA256_WITH_RSA = der_seq(der_oid("1.2.840.113549.1.1.11"), b"\x05\x00")
SHA1_WITH_RSA = der_seq(der_oid("1.2.840.113549.1.1.5"), b"\x05\x00")


def sha1_resigned(cert, issuer_key):
    """The same certificate, signed with SHA-1 (which `cryptography` no longer signs with):
    the TBS's algorithm identifier is swapped and the TBS signed again."""
    tbs = cert.tbs_certificate_bytes
    assert tbs.count(SHA256_WITH_RSA) == 1
    tbs = tbs.replace(SHA256_WITH_RSA, SHA1_WITH_RSA)
    signature = issuer_key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    return x509.load_der_x509_certificate(der_seq(tbs, SHA1_WITH_RSA, der_bits(signature)))


ECDSA_WITH_SHA256 = der_seq(der_oid("1.2.840.10045.4.3.2"))
ECDSA_WITH_SHA1 = der_seq(der_oid("1.2.840.10045.4.1"))


def ecdsa_sha1_resigned(cert, issuer_key):
    """The same certificate, signed with ECDSA and SHA-1 (an algorithm no TLS stack verifies):
    the TBS's algorithm identifier swapped and the TBS signed again; the signature, being
    randomized, is the stored one."""
    fields = der_items(cert.tbs_certificate_bytes)
    assert fields[2] == ECDSA_WITH_SHA256
    tbs = der_seq(*fields[:2], ECDSA_WITH_SHA1, *fields[3:])
    signature = bytes.fromhex(STORE.output(
        ("ecdsa-sha1", tbs.hex()), lambda: issuer_key.sign(tbs, ec.ECDSA(hashes.SHA1())).hex()))
    return x509.load_der_x509_certificate(der_seq(tbs, ECDSA_WITH_SHA1, der_bits(signature)))


def utc_time(moment):
    return tlv(0x17, moment.strftime("%y%m%d%H%M%SZ").encode())


def v1_certificate(subject, public_key, issuer, issuer_key, serial):
    """An X.509 v1 certificate (no version field, no extensions) signed with SHA-1, as the
    API's older version issued them."""
    spki = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    tbs = der_seq(
        der_int(serial),
        SHA1_WITH_RSA,
        issuer.public_bytes(),
        der_seq(utc_time(NOT_BEFORE), utc_time(datetime.datetime(2045, 1, 1, tzinfo=datetime.timezone.utc))),
        subject.public_bytes(),
        spki,
    )
    signature = issuer_key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    return x509.load_der_x509_certificate(der_seq(tbs, SHA1_WITH_RSA, der_bits(signature)))


def ca_certificate(key, subject, not_before=NOT_BEFORE, not_after=NOT_AFTER, basic=True,
                   key_usage=True, cert_sign=True, issuer=None, issuer_key=None, ski=True,
                   basic_critical=True, extra=()):
    """A CA certificate; `extra` adds (extension, critical) pairs after the others."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer or subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    if basic:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None),
                                        critical=basic_critical)
    if key_usage:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
    if ski:
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    for extension, critical in extra:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key or key, hashes.SHA256())


def chain_fixtures(good, ca, ca_key, leaf_keys):
    """Bundles for the certificate and chain checks: other issuers, validity, CA profile,
    strength, usage, and the legacy bundle shape."""
    source_key, mgmt_key, data_key = leaf_keys
    purposes = (ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.SERVER_AUTH)
    cns = ("source.certkey.test", "target-mgmt.certkey.test", "target-data.certkey.test")

    def leaf_builder(cn, key, issuer_name, not_before=NOT_BEFORE, not_after=NOT_AFTER, ekus=(ExtendedKeyUsageOID.CLIENT_AUTH,), ca_flag=False, serial=None, san=None, issuer_key=None, aki=True, subject=None, extra=()):
        """A leaf that differs from the documented ones only where a fixture says: it names
        its issuer's key (authorityKeyIdentifier, of `issuer_key`, the CA's by default) and
        its host (a DNS subjectAltName of `cn` unless `san` says otherwise), as every TLS
        stack's strictest mode expects, so that a fixture's one defect is its only one.
        `subject` replaces the subject name; `extra` adds (extension, critical) pairs."""
        aki_extension = x509.AuthorityKeyIdentifier.from_issuer_public_key(
            (issuer_key or ca_key).public_key())
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject or name(cn))
            .issuer_name(issuer_name)
            .public_key(key.public_key())
            .serial_number(serial or x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=ca_flag, path_length=None), critical=True)
        )
        if ekus:
            builder = builder.add_extension(x509.ExtendedKeyUsage(list(ekus)), critical=False)
        san = [x509.DNSName(cn)] if san is None else san
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        for extension, critical in extra:
            builder = builder.add_extension(extension, critical=critical)
        return builder.add_extension(aki_extension, critical=False) if aki else builder

    def source_variant(file_name, cert, **extra):
        bundle = dict(good)
        bundle["cert"] = strip(cert_pem(cert))
        for member, value in extra.items():
            bundle[member] = value
        write(file_name, dump(bundle))

    def source_leaf(issuer_key, issuer_name=None, **options):
        builder = leaf_builder("source.certkey.test", source_key, issuer_name or ca.subject,
                               issuer_key=issuer_key, **options)
        return builder.sign(issuer_key, hashes.SHA256())

    # Other issuers.
    lookalike_key = rsa_key()
    source_variant("chain-lookalike-ca.json", source_leaf(lookalike_key))
    other_ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "another CA")])
    source_variant("chain-other-issuer.json", source_leaf(rsa_key(), other_ca_name))
    source_variant("chain-self-signed-leaf.json", source_leaf(source_key, name("source.certkey.test")))
    source_variant("chain-leaf-is-a-ca.json", source_leaf(ca_key, ca_flag=True))
    # The ca member holding a leaf the CA issued.
    stray = leaf_builder("stray.certkey.test", rsa_key(), ca.subject).sign(ca_key, hashes.SHA256())
    variant_bundle = dict(good)
    variant_bundle["ca"] = strip(cert_pem(stray))
    write("chain-ca-member-holds-a-leaf.json", dump(variant_bundle))

    # Validity, at the pinned audit time 2026-06-01T00:00:00Z.
    utc = datetime.timezone.utc
    source_variant("cert-expired.json", source_leaf(
        ca_key, not_before=datetime.datetime(2020, 1, 1, tzinfo=utc), not_after=datetime.datetime(2026, 5, 1, tzinfo=utc)))
    source_variant("cert-not-yet-valid.json", source_leaf(
        ca_key, not_before=datetime.datetime(2026, 6, 1, 6, tzinfo=utc)))
    source_variant("cert-expires-soon.json", source_leaf(
        ca_key, not_after=datetime.datetime(2026, 6, 13, tzinfo=utc)))

    # The CA: its validity and profile. The three leaves are issued again under each.
    def ca_variant(file_name, new_ca, new_ca_key):
        bundle = dict(good)
        bundle["ca"] = strip(cert_pem(new_ca))
        for (member, key, cn, purpose) in zip(("cert", "target_mgmt_cert", "target_data_cert"), leaf_keys, cns, purposes):
            leaf = leaf_builder(cn, key, new_ca.subject, ekus=(purpose,), issuer_key=new_ca_key).sign(
                new_ca_key, hashes.SHA256())
            bundle[member] = strip(cert_pem(leaf))
        write(file_name, dump(bundle))

    ca_name = name("certkey test CA")
    key = rsa_key()
    ca_variant("ca-expired.json", ca_certificate(key, ca_name, datetime.datetime(2015, 1, 1, tzinfo=utc),
                                                 datetime.datetime(2026, 1, 1, tzinfo=utc)), key)
    key = rsa_key()
    ca_variant("ca-not-yet-valid.json", ca_certificate(key, ca_name, datetime.datetime(2026, 6, 2, tzinfo=utc)), key)
    key = rsa_key()
    ca_variant("ca-without-basic-constraints.json", ca_certificate(key, ca_name, basic=False), key)
    key = rsa_key()
    ca_variant("ca-without-key-cert-sign.json", ca_certificate(key, ca_name, cert_sign=False), key)
    # RFC 5280 section 4.2.1.2: a CA names its key; X509_STRICT (Python 3.13) refuses one that
    # does not.
    ca_variant("ca-without-subject-key-identifier.json", ca_certificate(key, ca_name, ski=False), key)
    # RFC 5280 section 4.2.1.3: a CA's keyUsage is present; X509_STRICT refuses one without.
    ca_variant("ca-without-key-usage.json", ca_certificate(key, ca_name, key_usage=False), key)
    # RFC 5280 section 4.2.1.9: a CA's basicConstraints is critical.
    ca_variant("ca-basic-constraints-not-critical.json",
               ca_certificate(key, ca_name, basic_critical=False), key)
    # A self-issued CA whose authorityKeyIdentifier names another key, or another issuer and
    # serial: OpenSSL does not take it for self-signed (X509_check_akid); and one naming
    # itself, which is sound.
    key = rsa_key()
    other_key_id = x509.AuthorityKeyIdentifier.from_issuer_public_key(rsa_key().public_key())
    ca_variant("ca-authority-key-identifier-other-key.json",
               ca_certificate(key, ca_name, extra=[(other_key_id, False)]), key)
    own_key_id = x509.SubjectKeyIdentifier.from_public_key(key.public_key()).digest
    ca_variant("ca-authority-key-identifier-other-serial.json", ca_certificate(key, ca_name, extra=[(
        x509.AuthorityKeyIdentifier(own_key_id, [x509.DirectoryName(ca_name)], 12345), False)]), key)
    ca_variant("ca-authority-key-identifier-own.json", ca_certificate(key, ca_name, extra=[(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), False)]), key)
    # The issuer and serial too: its own (sound), its own issuer in other string types, which
    # OpenSSL compares in canonical form (sound), and another issuer.
    def authority_names(issuer):
        template = ca_certificate(key, ca_name)
        return x509.CertificateBuilder(
            template.issuer, template.subject, template.public_key(), template.serial_number,
            template.not_valid_before_utc, template.not_valid_after_utc, list(template.extensions),
        ).add_extension(x509.AuthorityKeyIdentifier(
            own_key_id, [x509.DirectoryName(issuer)], template.serial_number), critical=False,
        ).sign(key, hashes.SHA256())
    from cryptography.x509.name import _ASN1Type
    ca_name_printable = x509.Name([x509.NameAttribute(attribute.oid, attribute.value.upper(),
                                                      _type=_ASN1Type.PrintableString)
                                   for attribute in ca_name])
    ca_variant("ca-authority-key-identifier-own-issuer.json", authority_names(ca_name), key)
    ca_variant("ca-authority-key-identifier-own-issuer-canonically.json",
               authority_names(ca_name_printable), key)
    ca_variant("ca-authority-key-identifier-other-issuer.json",
               authority_names(name("certkey test root")), key)
    root_key, key = rsa_key(), rsa_key()
    ca_variant("ca-not-self-signed.json", ca_certificate(
        key, ca_name, issuer=name("certkey test root"), issuer_key=root_key), key)

    # Strength.
    source_variant("cert-sha1-signature.json", sha1_resigned(source_leaf(ca_key), ca_key))
    source_variant("cert-sha1-by-lookalike-ca.json", sha1_resigned(source_leaf(lookalike_key), lookalike_key))
    mgmt = x509.load_pem_x509_certificate(good["target_mgmt_cert"].encode())
    data_same_serial = leaf_builder("target-data.certkey.test", data_key, ca.subject,
                                    ekus=(ExtendedKeyUsageOID.SERVER_AUTH,), serial=mgmt.serial_number)
    bundle = dict(good)
    bundle["target_data_cert"] = strip(cert_pem(data_same_serial.sign(ca_key, hashes.SHA256())))
    write("cert-duplicate-serial.json", dump(bundle))

    # Usage.
    source_variant("usage-source-without-eku.json", source_leaf(ca_key, ekus=()))
    source_variant("usage-source-with-both.json", source_leaf(
        ca_key, ekus=(ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH)))
    source_variant("usage-source-server-only.json", source_leaf(ca_key, ekus=(ExtendedKeyUsageOID.SERVER_AUTH,)))
    bundle = dict(good)
    bundle["target_data_cert"] = strip(cert_pem(leaf_builder(
        "target-data.certkey.test", data_key, ca.subject, ekus=(ExtendedKeyUsageOID.CLIENT_AUTH,)).sign(ca_key, hashes.SHA256())))
    write("usage-target-client-only.json", dump(bundle))
    # An extendedKeyUsage whose purpose is not an OID (an APPLICATION tag where the OID's is):
    # x509-parser reads past it; webpki, and so rustls, refuse it as not DER.
    not_an_oid = leaf_builder("source.certkey.test", source_key, ca.subject, ekus=()).add_extension(
        x509.UnrecognizedExtension(x509.ObjectIdentifier("2.5.29.37"),
                                   bytes.fromhex("300a40082b06010505070302")), critical=False)
    source_variant("usage-purpose-not-an-oid.json", not_an_oid.sign(ca_key, hashes.SHA256()))
    # RFC 5280 section 4.2.1.1: a leaf names its issuer's key; X509_STRICT and pyca refuse one
    # that does not.
    source_variant("cert-without-authority-key-identifier.json", source_leaf(ca_key, aki=False))
    # RFC 5280 section 4.2.1.3: keyCertSign only with cA; X509_STRICT refuses a leaf with it.
    cert_sign_leaf = leaf_builder("source.certkey.test", source_key, ca.subject).add_extension(
        x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=True,
                      data_encipherment=False, key_agreement=False, key_cert_sign=True,
                      crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
    source_variant("cert-key-cert-sign-without-ca.json", cert_sign_leaf.sign(ca_key, hashes.SHA256()))

    # A source without a subjectAltName: pyca's client verifier wants one.
    source_variant("cert-source-without-san.json", source_leaf(ca_key, san=[]))

    # For the handshake rehearsal: an expired target, and a target named by its IP address.
    def mgmt_variant(file_name, **options):
        bundle = dict(good)
        cert = leaf_builder("target-mgmt.certkey.test", mgmt_key, ca.subject,
                            ekus=(ExtendedKeyUsageOID.SERVER_AUTH,), **options).sign(ca_key, hashes.SHA256())
        bundle["target_mgmt_cert"] = strip(cert_pem(cert))
        write(file_name, dump(bundle))

    mgmt_variant("target-expired.json", not_before=datetime.datetime(2020, 1, 1, tzinfo=utc),
                 not_after=datetime.datetime(2026, 5, 1, tzinfo=utc),
                 san=[x509.DNSName("target-mgmt.certkey.test")])
    mgmt_variant("target-ip-address.json", san=[x509.IPAddress(ipaddress.ip_address("192.0.2.10"))])
    # A target without subjectAltName: pyca and Python refuse it, others verify it without a name.
    mgmt_variant("target-no-san.json", san=[])

    # Certificates only strict readers refuse, and chains that only look valid to lenient
    # verifiers. Built by editing the DER of certificates `cryptography` made, then signing
    # the tbsCertificate again.
    def rebuild(cert, signer, replace=None, signature_algorithm=SHA256_WITH_RSA, sign=None):
        """`cert` with tbsCertificate items replaced (index -> new TLV), signed again."""
        items = der_items(cert.tbs_certificate_bytes)
        for index, item in (replace or {}).items():
            items[index] = item
        items[2] = signature_algorithm
        tbs = der_seq(*items)
        signature = (sign or (lambda data: signer.sign(data, padding.PKCS1v15(), hashes.SHA256())))(tbs)
        return der_seq(tbs, signature_algorithm, der_bits(signature))

    def pem_der(der):
        return pem_of("CERTIFICATE", der)

    SPKI = 6  # the subjectPublicKeyInfo's place in a v3 tbsCertificate
    EXTENSIONS = 7

    def spki_without_null(key):
        spki = der_items(key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
        return der_seq(der_seq(der_oid("1.2.840.113549.1.1.1")), spki[1])

    def mgmt_with(der):
        bundle = dict(good)
        bundle["target_mgmt_cert"] = pem_der(der)
        return bundle

    mgmt_cert = x509.load_pem_x509_certificate(good["target_mgmt_cert"].encode())
    numbers = mgmt_key.public_key().public_numbers()
    # The modulus INTEGER without the leading zero byte DER needs: a negative number.
    modulus = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
    negative = der_seq(der_seq(der_oid("1.2.840.113549.1.1.1"), b"\x05\x00"),
                       der_bits(der_seq(tlv(0x02, modulus), der_int(numbers.e))))
    write("leaf-rsa-modulus-negative.json",
          dump(mgmt_with(rebuild(mgmt_cert, ca_key, {SPKI: negative}))))
    write("leaf-spki-rsa-params-absent.json",
          dump(mgmt_with(rebuild(mgmt_cert, ca_key, {SPKI: spki_without_null(mgmt_key)}))))
    # The CA's own key without NULL parameters: nothing it signed verifies in rustls.
    bundle = dict(good)
    bundle["ca"] = pem_der(rebuild(ca, ca_key, {SPKI: spki_without_null(ca_key)}))
    write("ca-spki-rsa-params-absent.json", dump(bundle))

    # CAs rustls-webpki cannot use: keyUsage twice; over 64 KiB (a large non-critical
    # extension). Each alone, and with a source leaf that is a CA (cA=TRUE), which must still
    # be refused.
    ca_extensions = der_items(der_content(der_items(ca.tbs_certificate_bytes)[EXTENSIONS]))
    key_usage = next(e for e in ca_extensions if der_items(e)[0] == der_oid("2.5.29.15"))
    padding_ext = der_seq(der_oid("1.3.6.1.4.1.55555.1"), der_octets(der_octets(b"\x00" * 70_000)))
    leaf_is_a_ca = strip(cert_pem(source_leaf(ca_key, ca_flag=True)))
    for file_name, extra in (("ca-duplicate-extension", key_usage), ("ca-over-64k", padding_ext)):
        extensions = der_explicit(3, der_seq(*ca_extensions, extra))
        bundle = dict(good)
        bundle["ca"] = pem_der(rebuild(ca, ca_key, {EXTENSIONS: extensions}))
        write(f"{file_name}.json", dump(bundle))
        bundle["cert"] = leaf_is_a_ca
        write(f"{file_name}-leaf-is-a-ca.json", dump(bundle))

    # A CA repeating an extension rustls-webpki does not read (subjectKeyIdentifier).
    ski = next(e for e in ca_extensions if der_items(e)[0] == der_oid("2.5.29.14"))
    bundle = dict(good)
    bundle["ca"] = pem_der(rebuild(ca, ca_key, {EXTENSIONS: der_explicit(3, der_seq(*ca_extensions, ski))}))
    write("ca-duplicate-subject-key-identifier.json", dump(bundle))

    # RSASSA-PSS leaves: SHA-256 as rustls accepts it; parameters declaring MGF1 with SHA-384
    # on a signature made with MGF1-SHA-256; and absent parameters (RFC 4055's SHA-1
    # defaults).
    sha256_id = der_seq(der_oid("2.16.840.1.101.3.4.2.1"), b"\x05\x00")
    sha384_id = der_seq(der_oid("2.16.840.1.101.3.4.2.2"), b"\x05\x00")
    mgf1 = lambda hash_id: der_seq(der_oid("1.2.840.113549.1.1.8"), hash_id)
    pss_oid = der_oid("1.2.840.113549.1.1.10")
    pss_sha256_mgf1_sha384 = der_seq(pss_oid, der_seq(
        der_explicit(0, sha256_id), der_explicit(1, mgf1(sha384_id)), der_explicit(2, der_int(32))))
    sign_pss = lambda hash_, salt: lambda data: base64.b64decode(STORE.output(
        ("pss", hash_.name, salt, data.hex()),
        lambda: base64.b64encode(ca_key.sign(
            data, padding.PSS(mgf=padding.MGF1(hash_), salt_length=salt), hash_)).decode()))
    source_cert = x509.load_pem_x509_certificate(good["cert"].encode())
    pss_leaf = leaf_builder("source.certkey.test", source_key, ca.subject).sign(
        ca_key, hashes.SHA256(), rsa_padding=padding.PSS(mgf=padding.MGF1(hashes.SHA256()),
                                                         salt_length=padding.PSS.DIGEST_LENGTH))
    source_variant("leaf-pss-sha256.json", pss_leaf)
    bundle = dict(good)
    bundle["cert"] = pem_der(rebuild(source_cert, ca_key, signature_algorithm=pss_sha256_mgf1_sha384,
                                     sign=sign_pss(hashes.SHA256(), 32)))
    write("leaf-pss-mgf1-mismatch.json", dump(bundle))
    bundle["cert"] = pem_der(rebuild(source_cert, ca_key, signature_algorithm=der_seq(pss_oid),
                                     sign=sign_pss(hashes.SHA1(), 20)))
    write("leaf-pss-params-absent.json", dump(bundle))

    # The other issuer's leaf as a second "cert" behind a JSON escape: it is the one audited.
    other_issuer_leaf = strip(cert_pem(source_leaf(rsa_key(), other_ca_name)))
    with open(os.path.join(BUNDLES, "duplicate-member-escaped.json")) as f:
        text = f.read()
    head = text.rsplit(",\n", 1)[0]
    write("duplicate-member-escaped-other-issuer.json",
          head + ",\n  \"c\\u0065rt\": " + json.dumps(other_issuer_leaf) + "\n}")

    # Validity at the second: notBefore and notAfter are inclusive (RFC 5280 4.1.2.5).
    audit_time = datetime.datetime(2026, 6, 1, tzinfo=utc)
    second = datetime.timedelta(seconds=1)
    source_variant("cert-not-after-is-audit-time.json", source_leaf(ca_key, not_after=audit_time))
    source_variant("cert-expired-a-second-ago.json", source_leaf(
        ca_key, not_before=datetime.datetime(2020, 1, 1, tzinfo=utc), not_after=audit_time - second))
    source_variant("cert-not-before-is-audit-time.json", source_leaf(ca_key, not_before=audit_time))
    source_variant("cert-valid-in-a-second.json", source_leaf(ca_key, not_before=audit_time + second))

    # Usage: an extendedKeyUsage of a purpose x509-parser does not name (Microsoft's EFS).
    source_variant("usage-source-unknown-eku.json", source_leaf(
        ca_key, ekus=(x509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.4"),)))

    # Strength: a source certificate on secp256k1 (with its key); a self-signed leaf signed
    # with SHA-1; an intermediate CA (not self-issued) signed with SHA-1 by its root.
    k1 = ec.generate_private_key(ec.SECP256K1())
    bundle = dict(good)
    bundle["cert"] = strip(cert_pem(leaf_builder("source.certkey.test", k1, ca.subject).sign(ca_key, hashes.SHA256())))
    bundle["private_key"] = strip(pkcs1_pem(k1))
    write("cert-secp256k1.json", dump(bundle))
    source_variant("cert-sha1-self-signed-leaf.json", sha1_resigned(
        source_leaf(source_key, name("source.certkey.test")), source_key))
    root_key, intermediate_key = rsa_key(), rsa_key()
    intermediate = sha1_resigned(ca_certificate(intermediate_key, ca_name, issuer=name("certkey test root"),
                                                issuer_key=root_key), root_key)
    ca_variant("ca-intermediate-sha1.json", intermediate, intermediate_key)
    # A P-256 CA self-signed with ECDSA and SHA-1, which nothing verifies (and, a trust
    # anchor's signature being checked by no stack, need not): no finding, rather than a
    # self-signature tried with the verifiers of another algorithm and called forged.
    p256_ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_variant("ca-self-signed-ecdsa-sha1.json", ecdsa_sha1_resigned(
        ca_certificate(p256_ca_key, ca_name), p256_ca_key), p256_ca_key)
    # A CA whose issuer name is not its subject, though its own key signed it.
    ca_variant("ca-issuer-differs-self-signed.json", ca_certificate(
        intermediate_key, ca_name, issuer=name("certkey other name"), issuer_key=intermediate_key),
        intermediate_key)

    # Weak but valid: an RSA-1024 v3 CA signing v3 leaves with SHA-256, SHA-384 and SHA-512.
    weak_ca_key = rsa_key(1024)
    for hash_name, hash_ in (("sha256", hashes.SHA256()), ("sha384", hashes.SHA384()), ("sha512", hashes.SHA512())):
        weak_ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
                   .public_key(weak_ca_key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(weak_ca_key.public_key()),
                                  critical=False)
                   .add_extension(x509.KeyUsage(
                       digital_signature=True, content_commitment=False, key_encipherment=False,
                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
                   .sign(weak_ca_key, hashes.SHA256()))
        bundle = dict(good)
        bundle["ca"] = strip(cert_pem(weak_ca))
        for member, key, cn, purpose in zip(("cert", "target_mgmt_cert", "target_data_cert"), leaf_keys, cns, purposes):
            leaf = leaf_builder(cn, key, ca_name, ekus=(purpose,), issuer_key=weak_ca_key).sign(
                weak_ca_key, hash_)
            bundle[member] = strip(cert_pem(leaf))
        write(f"legacy-ca-rsa1024-{hash_name}.json", dump(bundle))

    # The legacy shape: RSA-1024, X.509 v1, SHA-1, under a v1 CA of the same kind.
    legacy_ca_key = rsa_key(1024)
    legacy_ca = v1_certificate(ca_name, legacy_ca_key.public_key(), ca_name, legacy_ca_key, 1)
    legacy = {"ca": strip(cert_pem(legacy_ca))}
    for index, (member, key_member, cn) in enumerate(zip(
            ("cert", "target_mgmt_cert", "target_data_cert"),
            ("private_key", "target_mgmt_private_key", "target_data_private_key"), cns)):
        key = rsa_key(1024)
        legacy[member] = strip(cert_pem(v1_certificate(name(cn), key.public_key(), ca_name, legacy_ca_key, index + 2)))
        legacy[key_member] = strip(pkcs1_pem(key))
    write("legacy.json", dump(legacy))
    impostor = dict(legacy)
    other = rsa_key(1024)
    impostor["cert"] = strip(cert_pem(v1_certificate(name(cns[0]), source_key.public_key(), ca_name, other, 9)))
    impostor["private_key"] = strip(pkcs1_pem(source_key))
    write("legacy-lookalike-ca.json", dump(impostor))

    # OpenSSL's purpose rules beyond the leaf's extendedKeyUsage (crypto/x509/v3_purp.c,
    # check_purpose_ssl_client and _server): the leaf's keyUsage (a client needs
    # digitalSignature or keyAgreement; a server digitalSignature, keyEncipherment or
    # keyAgreement), its Netscape certificate type, and the extendedKeyUsage of every
    # certificate in the chain, the CA's included. One defect per fixture, and sound ones
    # beside them.
    def purpose_fixtures():
        client, server = (ExtendedKeyUsageOID.CLIENT_AUTH,), (ExtendedKeyUsageOID.SERVER_AUTH,)

        def key_usage(**bits):
            names = ("digital_signature", "content_commitment", "key_encipherment",
                     "data_encipherment", "key_agreement", "key_cert_sign", "crl_sign",
                     "encipher_only", "decipher_only")
            return x509.KeyUsage(**{bit: bits.get(bit, False) for bit in names}), True

        def netscape_type(bit_string):
            return x509.UnrecognizedExtension(
                x509.ObjectIdentifier("2.16.840.1.113730.1.1"), bit_string), False

        def with_leaf(file_name, member, ekus, **options):
            index = ("cert", "target_mgmt_cert", "target_data_cert").index(member)
            bundle = dict(good)
            bundle[member] = strip(cert_pem(leaf_builder(
                cns[index], leaf_keys[index], ca.subject, ekus=ekus, **options).sign(ca_key, hashes.SHA256())))
            write(file_name, dump(bundle))

        with_leaf("usage-source-key-usage-encipherment.json", "cert", client,
                  extra=[key_usage(key_encipherment=True, data_encipherment=True)])
        with_leaf("usage-source-key-usage-key-agreement.json", "cert", client,
                  extra=[key_usage(key_agreement=True)])
        with_leaf("usage-target-key-usage-non-repudiation.json", "target_data_cert", server,
                  extra=[key_usage(content_commitment=True)])
        with_leaf("usage-target-key-usage-key-encipherment.json", "target_mgmt_cert", server,
                  extra=[key_usage(key_encipherment=True)])
        # Netscape certificate type bits: SSL client 0x80, SSL server 0x40, S/MIME 0x20.
        with_leaf("usage-source-netscape-type-email.json", "cert", client,
                  extra=[netscape_type(bytes.fromhex("03020520"))])
        with_leaf("usage-target-netscape-type-client.json", "target_data_cert", server,
                  extra=[netscape_type(bytes.fromhex("030205a0"))])
        with_leaf("usage-source-netscape-type-both.json", "cert", client,
                  extra=[netscape_type(bytes.fromhex("030206c0"))])
        with_leaf("usage-source-any-eku.json", "cert", (ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,))
        for file_name, ekus in (
                ("usage-ca-eku-client-only.json", client),
                ("usage-ca-eku-email-only.json", (ExtendedKeyUsageOID.EMAIL_PROTECTION,)),
                ("usage-ca-eku-any.json", (ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,)),
                ("usage-ca-eku-both.json", server + client)):
            key = rsa_key()
            ca_variant(file_name, ca_certificate(
                key, ca_name, extra=[(x509.ExtendedKeyUsage(list(ekus)), False)]), key)

    # Name constraints on what OpenSSL checks beyond the subjectAltName (crypto/x509/v3_ncons.c):
    # a leaf's common name, when it looks like a host name and the leaf has no DNS name, against
    # DNS constraints; an emailAddress in its subject against rfc822Name constraints.
    def name_constraint_fixtures():
        def nc_variant(file_name, permitted=None, excluded=None, leaves=None):
            key = rsa_key()
            constraints = x509.NameConstraints(permitted_subtrees=permitted, excluded_subtrees=excluded)
            new_ca = ca_certificate(key, ca_name, extra=[(constraints, True)])
            bundle = dict(good)
            bundle["ca"] = strip(cert_pem(new_ca))
            for member, leaf_key, cn, purpose in zip(
                    ("cert", "target_mgmt_cert", "target_data_cert"), leaf_keys, cns, purposes):
                options = (leaves or {}).get(member, {})
                leaf = leaf_builder(cn, leaf_key, new_ca.subject, ekus=(purpose,), issuer_key=key,
                                    **options).sign(key, hashes.SHA256())
                bundle[member] = strip(cert_pem(leaf))
            write(file_name, dump(bundle))

        uri = [x509.UniformResourceIdentifier("spiffe://certkey.test/source")]
        within = [x509.DNSName("certkey.test")]
        nc_variant("names-ca-permits-dns-source-cn-outside.json", permitted=within, leaves={
            "cert": {"subject": name("source.example.net"), "san": uri}})
        nc_variant("names-ca-permits-dns-source-cn-inside.json", permitted=within, leaves={
            "cert": {"san": uri}})
        nc_variant("names-ca-permits-dns-source-cn-not-a-host.json", permitted=within, leaves={
            "cert": {"subject": name("source agent"), "san": uri}})
        nc_variant("names-ca-excludes-dns-target-cn.json", excluded=[x509.DNSName("example.net")],
                   leaves={"target_mgmt_cert": {
                       "subject": name("target-mgmt.example.net"),
                       "san": [x509.IPAddress(ipaddress.ip_address("192.0.2.10"))]}})
        for file_name, address in (("names-ca-permits-email-source-subject-outside.json", "agent@example.net"),
                                   ("names-ca-permits-email-source-subject-inside.json", "agent@certkey.test")):
            subject = x509.Name([
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certkey fixtures"),
                x509.NameAttribute(NameOID.COMMON_NAME, "source.certkey.test"),
                x509.NameAttribute(NameOID.EMAIL_ADDRESS, address),
            ])
            nc_variant(file_name, permitted=within + [x509.RFC822Name("certkey.test")],
                       leaves={"cert": {"subject": subject}})

        # A constraint with a leading period (RFC 5280 leaves its meaning to the CA/Browser
        # Forum's and the stacks' readings); and more names times constraints than the stacks
        # compare (OpenSSL: 2^20; Go and rustls-webpki: 250,000 comparisons).
        nc_variant("names-ca-permits-dns-leading-period.json", permitted=[x509.DNSName(".certkey.test")])
        many_subtrees = [x509.DNSName(f"p{i}.certkey.test") for i in range(1000)] + within
        many_names = [x509.DNSName(f"a{i}.target-mgmt.certkey.test") for i in range(1100)]
        nc_variant("names-ca-constraints-times-names-over-limits.json", permitted=many_subtrees, leaves={
            "target_mgmt_cert": {"san": [x509.DNSName("target-mgmt.certkey.test")] + many_names}})
        # Names OpenSSL counts and Go and rustls-webpki do not: 1,001 subject attributes, and
        # 47 DNS names, 1,048 names in all: times 1,001 constraints, just over OpenSSL's 2^20.
        many_units = x509.Name([x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"u{i}") for i in range(1000)]
                               + [x509.NameAttribute(NameOID.COMMON_NAME, "target-mgmt.certkey.test")])
        nc_variant("names-ca-constraints-times-subject-over-openssl-limit.json", permitted=many_subtrees, leaves={
            "target_mgmt_cert": {"subject": many_units,
                                 "san": [x509.DNSName("target-mgmt.certkey.test")] + many_names[:46]}})
        # A DNS name in the subjectAltName: OpenSSL then leaves the common name unchecked.
        nc_variant("names-ca-permits-dns-source-cn-outside-dns-san-inside.json", permitted=within, leaves={
            "cert": {"subject": name("source.example.net")}})
        # An emailAddress that is no IA5String: OpenSSL refuses it under any name constraints
        # (X509_V_ERR_UNSUPPORTED_NAME_SYNTAX), rfc822Name ones or not.
        from cryptography.x509.name import _ASN1Type
        utf8_email = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certkey fixtures"),
            x509.NameAttribute(NameOID.COMMON_NAME, "source.certkey.test"),
            x509.NameAttribute(NameOID.EMAIL_ADDRESS, "agent@certkey.test", _type=_ASN1Type.UTF8String),
        ])
        nc_variant("names-ca-permits-dns-source-email-not-ia5.json", permitted=within,
                   leaves={"cert": {"subject": utf8_email}})

    # A CA subject and the leaves' issuer that are equal only as OpenSSL compares names (its
    # canonical form: each string as UTF-8, lower case, spaces collapsed), in other string
    # types and case; and a control whose names differ in a letter.
    def issuer_name_fixtures():
        from cryptography.x509.name import _ASN1Type

        printable = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certkey fixtures", _type=_ASN1Type.PrintableString),
            x509.NameAttribute(NameOID.COMMON_NAME, "certkey Test CA", _type=_ASN1Type.PrintableString),
        ])
        for file_name, issuer_cn in (("chain-issuer-name-canonically-equal.json", " Certkey  test ca"),
                                     ("chain-issuer-name-differs-in-a-letter.json", "certkey Test CB")):
            key = rsa_key()
            new_ca = ca_certificate(key, printable)
            issuer = x509.Name([
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Certkey Fixtures"),
                x509.NameAttribute(NameOID.COMMON_NAME, issuer_cn),
            ])
            bundle = dict(good)
            bundle["ca"] = strip(cert_pem(new_ca))
            for member, leaf_key, cn, purpose in zip(
                    ("cert", "target_mgmt_cert", "target_data_cert"), leaf_keys, cns, purposes):
                leaf = leaf_builder(cn, leaf_key, issuer, ekus=(purpose,), issuer_key=key).sign(key, hashes.SHA256())
                bundle[member] = strip(cert_pem(leaf))
            write(file_name, dump(bundle))

    # A later CERTIFICATE block whose base64 is sound but whose DER is no certificate: OpenSSL
    # loads every block of a CA file and of a certificate chain file.
    def later_block_fixtures():
        spki = rsa_key().public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        bundle = dict(good)
        bundle["ca"] = good["ca"] + "\n" + strip(pem_of("CERTIFICATE", spki))
        write("pem-ca-second-block-public-key.json", dump(bundle))
        ca_der = ca.public_bytes(serialization.Encoding.DER)
        bundle = dict(good)
        bundle["target_mgmt_cert"] = good["target_mgmt_cert"] + "\n" + strip(pem_of("CERTIFICATE", ca_der[:-16]))
        write("pem-target-second-block-truncated.json", dump(bundle))

    # The rules the TLS stacks enforce beyond webpki's (tests/stacks.rs measures each stack
    # on each): one defect per fixture, in an otherwise sound bundle.
    def stack_rule_fixtures():
        source_cert = x509.load_pem_x509_certificate(good["cert"].encode())
        source_items = der_items(source_cert.tbs_certificate_bytes)
        source_extensions = der_items(der_content(source_items[EXTENSIONS]))

        def extension(oid, value, critical=False):
            return der_seq(der_oid(oid), *([b"\x01\x01\xff"] if critical else []), der_octets(value))

        def source_with(file_name, replace):
            bundle = dict(good)
            bundle["cert"] = pem_der(rebuild(source_cert, ca_key, replace))
            write(file_name, dump(bundle))

        def source_extensions_with(file_name, extensions):
            source_with(file_name, {EXTENSIONS: der_explicit(3, der_seq(*extensions))})

        def oid_of(ext):
            return der_items(ext)[0]

        # Extensions: an unknown one marked critical (RFC 5280 section 4.2: refuse it), in the
        # leaf and in the CA; one repeated in the leaf; the key identifiers marked critical
        # (section 4.2.1.1 and 4.2.1.2 forbid it); an empty authorityInfoAccess; name
        # constraints in a leaf (section 4.2.1.10: CAs only); a pathLenConstraint without cA.
        unknown_critical = extension("1.3.6.1.4.1.55555.2", b"\x05\x00", critical=True)
        source_extensions_with("cert-unknown-critical-extension.json", source_extensions + [unknown_critical])
        ca_items = der_items(ca.tbs_certificate_bytes)
        ca_extensions = der_items(der_content(ca_items[EXTENSIONS]))
        bundle = dict(good)
        bundle["ca"] = pem_der(rebuild(ca, ca_key, {EXTENSIONS: der_explicit(3, der_seq(*ca_extensions, unknown_critical))}))
        write("ca-unknown-critical-extension.json", dump(bundle))
        eku = next(e for e in source_extensions if oid_of(e) == der_oid("2.5.29.37"))
        source_extensions_with("cert-duplicate-extension.json", source_extensions + [eku])
        critical_aki = [extension("2.5.29.35", der_content(der_items(e)[-1]), critical=True)
                        if oid_of(e) == der_oid("2.5.29.35") else e for e in source_extensions]
        source_extensions_with("cert-critical-authority-key-identifier.json", critical_aki)
        critical_ski = [extension("2.5.29.14", der_content(der_items(e)[-1]), critical=True)
                        if oid_of(e) == der_oid("2.5.29.14") else e for e in ca_extensions]
        bundle = dict(good)
        bundle["ca"] = pem_der(rebuild(ca, ca_key, {EXTENSIONS: der_explicit(3, der_seq(*critical_ski))}))
        write("ca-critical-subject-key-identifier.json", dump(bundle))
        source_extensions_with("cert-empty-authority-info-access.json",
                               source_extensions + [extension("1.3.6.1.5.5.7.1.1", der_seq())])
        name_constraints = der_seq(der_explicit(0, der_seq(tlv(0x82, b"certkey.test"))))
        source_extensions_with("cert-name-constraints.json",
                               source_extensions + [extension("2.5.29.30", name_constraints, critical=True)])
        path_len = [extension("2.5.29.19", der_seq(der_int(0)), critical=True)
                    if oid_of(e) == der_oid("2.5.29.19") else e for e in source_extensions]
        source_extensions_with("cert-path-length-without-ca.json", path_len)

        # Serial numbers (RFC 5280 section 4.1.2.2: positive, at most 20 octets).
        source_with("cert-serial-zero.json", {1: der_int(0)})
        source_with("cert-serial-negative.json", {1: tlv(0x02, b"\xff\x7f")})
        source_with("cert-serial-21-octets.json", {1: tlv(0x02, b"\x01" + bytes(range(1, 21)))})

        # Names: an empty subject with a subjectAltName that is not critical (section
        # 4.1.2.6); an empty subjectAltName (section 4.2.1.6); DNS names that are no host
        # names: an IP address, an underscore, non-ASCII bytes; a CN among no subjectAltName.
        source_with("cert-empty-subject.json", {5: der_seq()})
        san_oid = der_oid("2.5.29.17")
        def with_san(file_name, names):
            source_extensions_with(file_name, [extension("2.5.29.17", der_seq(*names))
                                               if oid_of(e) == san_oid else e for e in source_extensions])
        with_san("cert-empty-subject-alt-name.json", [])
        host = tlv(0x82, b"source.certkey.test")
        with_san("cert-san-ip-address-as-dns-name.json", [host, tlv(0x82, b"192.0.2.1")])
        with_san("cert-san-underscore.json", [host, tlv(0x82, b"source_1.certkey.test")])
        with_san("cert-san-non-ascii.json", [host, tlv(0x82, "b\u00fccher.certkey.test".encode())])
        with_san("cert-cn-not-in-san.json", [tlv(0x82, b"other.certkey.test"),
                                             tlv(0x87, ipaddress.ip_address("192.0.2.1").packed)])
        # Sound: common names that are IP addresses, each among the IP address entries.
        ip_names = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certkey fixtures"),
            x509.NameAttribute(NameOID.COMMON_NAME, "192.0.2.1"),
            x509.NameAttribute(NameOID.COMMON_NAME, "2001:db8::1"),
        ]).public_bytes()
        ip_san = [host, tlv(0x87, ipaddress.ip_address("192.0.2.1").packed),
                  tlv(0x87, ipaddress.ip_address("2001:db8::1").packed)]
        source_with("cert-cn-is-an-ip-address.json", {5: ip_names, EXTENSIONS: der_explicit(3, der_seq(*[
            extension("2.5.29.17", der_seq(*ip_san)) if oid_of(e) == san_oid else e for e in source_extensions]))})

        # Common names among the names only in another case, or as an IP address written
        # another way: the CA/Browser Forum wants one repeated exactly (a lint).
        source_with("cert-cn-in-san-other-case.json", {5: name("SOURCE.certkey.test").public_bytes()})
        other_notation = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certkey fixtures"),
            x509.NameAttribute(NameOID.COMMON_NAME, "2001:DB8:0:0:0:0:0:1"),
        ]).public_bytes()
        source_with("cert-cn-ip-other-notation.json", {5: other_notation, EXTENSIONS: der_explicit(3, der_seq(*[
            extension("2.5.29.17", der_seq(host, tlv(0x87, ipaddress.ip_address("2001:db8::1").packed)))
            if oid_of(e) == san_oid else e for e in source_extensions]))})

        # The signature algorithm inside tbsCertificate differs from the outer one (section
        # 4.1.1.2: they must be the same): sha384WithRSAEncryption inside, the signature made
        # and labelled with SHA-256.
        items = list(source_items)
        items[2] = der_seq(der_oid("1.2.840.113549.1.1.12"), b"\x05\x00")
        tbs = der_seq(*items)
        signature = ca_key.sign(tbs, padding.PKCS1v15(), hashes.SHA256())
        bundle = dict(good)
        bundle["cert"] = pem_der(der_seq(tbs, SHA256_WITH_RSA, der_bits(signature)))
        write("cert-signature-algorithm-mismatch.json", dump(bundle))

        # An RSA modulus of 2052 bits: a length that is no multiple of 8.
        odd_key = rsa_key(2052)
        bundle = dict(good)
        bundle["cert"] = strip(cert_pem(leaf_builder("source.certkey.test", odd_key, ca.subject).sign(ca_key, hashes.SHA256())))
        bundle["private_key"] = strip(pkcs1_pem(odd_key))
        write("cert-rsa-modulus-2052-bits.json", dump(bundle))

        # A P-256 key whose parameters are spelled out (RFC 5480 forbids it: namedCurve only),
        # as `openssl ec -param_enc explicit` writes them, in the source certificate; the
        # private key is the same key, PKCS#8 with the named curve.
        explicit_key = ec.generate_private_key(ec.SECP256R1())
        explicit_spki = base64.b64decode("".join(openssl(
            ["ec", "-pubout", "-param_enc", "explicit"], strip(pkcs8_pem(explicit_key))
        ).strip().splitlines()[1:-1]))
        bundle = dict(good)
        bundle["cert"] = pem_der(rebuild(source_cert, ca_key, {SPKI: explicit_spki}))
        bundle["private_key"] = strip(pkcs8_pem(explicit_key))
        write("cert-ec-explicit-parameters.json", dump(bundle))

        # An X.509 v1 certificate (no version field) that carries extensions, which only v3
        # may (RFC 5280 section 4.1.2.9).
        items = list(source_items)[1:]
        tbs = der_seq(*items)
        signature = ca_key.sign(tbs, padding.PKCS1v15(), hashes.SHA256())
        bundle = dict(good)
        bundle["cert"] = pem_der(der_seq(tbs, SHA256_WITH_RSA, der_bits(signature)))
        write("cert-v1-with-extensions.json", dump(bundle))

        # A CA with an empty subject (and so an empty issuer in what it issues): RFC 5280
        # section 4.1.2.4 and 4.1.2.6 want a CA's name non-empty.
        empty_ca_key = rsa_key()
        ca_variant("ca-empty-subject.json", ca_certificate(empty_ca_key, x509.Name([])), empty_ca_key)

    stack_rule_fixtures()
    purpose_fixtures()
    name_constraint_fixtures()
    issuer_name_fixtures()
    later_block_fixtures()



def openssl(args, pem):
    """Runs the OpenSSL CLI on a PEM key (its own encryption code, independent of certkey's);
    its output (randomly salted) is the stored one for the same arguments and key."""
    def run():
        done = subprocess.run(["openssl", *args], input=(pem + "\n").encode(), capture_output=True,
                              check=True)
        return done.stdout.decode()
    return STORE.output(("openssl", args, pem), run)


def encrypted_fixtures():
    """Encrypted private keys, made by the OpenSSL CLI from the plain fixtures' keys, each with
    PASSPHRASE. The plain bundle each comes from gives the findings it must have once decrypted."""
    password = ["-passout", "pass:" + PASSPHRASE.decode()]

    def read(name):
        with open(os.path.join(BUNDLES, name)) as f:
            return json.load(f)

    def encrypt(file_name, plain, args, member="private_key"):
        bundle = read(plain)
        bundle[member] = strip(openssl(args + password, bundle[member]))
        write(file_name, dump(bundle))

    # PKCS#8 ENCRYPTED PRIVATE KEY (PBES2), every scheme the issue names.
    encrypt("encrypted-pkey-aes256.json", "good.json", ["pkey", "-aes256"])
    encrypt("encrypted-pkcs8-aes128-sha1.json", "good.json",
            ["pkcs8", "-topk8", "-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1"])
    encrypt("encrypted-pkcs8-aes192.json", "good.json", ["pkcs8", "-topk8", "-v2", "aes-192-cbc"])
    encrypt("encrypted-pkcs8-aes256.json", "good.json", ["pkcs8", "-topk8", "-v2", "aes-256-cbc"])
    encrypt("encrypted-pkcs8-scrypt.json", "good.json", ["pkcs8", "-topk8", "-scrypt"])
    encrypt("encrypted-pkcs8-des3.json", "good.json", ["pkcs8", "-topk8", "-v2", "des3"])
    encrypt("encrypted-pkcs8-p256.json", "good-p256.json", ["pkcs8", "-topk8", "-v2", "aes-256-cbc"])
    encrypt("encrypted-pkcs8-ed25519.json", "good-ed25519.json", ["pkey", "-aes256"])
    encrypt("encrypted-pkcs8-target.json", "good.json", ["pkey", "-aes256"], member="target_mgmt_private_key")
    # A key that is not its certificate's stays that, once decrypted.
    encrypt("encrypted-pkcs8-mismatch.json", "key-rsa-mismatch.json", ["pkey", "-aes256"])
    # Legacy PEM encryption (Proc-Type: 4,ENCRYPTED, DEK-Info).
    encrypt("encrypted-legacy-aes128.json", "good.json", ["rsa", "-aes128", "-traditional"])
    encrypt("encrypted-legacy-aes192.json", "good.json", ["rsa", "-aes192", "-traditional"])
    encrypt("encrypted-legacy-aes256.json", "good.json", ["rsa", "-aes256", "-traditional"])
    encrypt("encrypted-legacy-des3.json", "good.json", ["rsa", "-des3", "-traditional"])
    encrypt("encrypted-legacy-ec.json", "good-p256.json", ["ec", "-aes128"])
    # Schemes certkey does not decrypt.
    encrypt("encrypted-pkcs12-pbe.json", "good.json", ["pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES"])
    encrypt("encrypted-pkcs8-camellia.json", "good.json", ["pkcs8", "-topk8", "-v2", "camellia-128-cbc"])
    encrypt("encrypted-legacy-camellia.json", "good.json", ["rsa", "-camellia128", "-traditional"])

    # Hostile key-derivation parameters, hand-built (OpenSSL refuses to spend that much): an
    # EncryptedPrivateKeyInfo whose PBKDF2 asks for 4,000,000,000 iterations, and one whose
    # scrypt asks for N = 2^24, r = 8 (16 GiB). Nothing may be derived before they are refused.
    salt, iv, data = STORE.derived_bytes(8), STORE.derived_bytes(16), STORE.derived_bytes(1232)
    aes256 = der_seq(der_oid("2.16.840.1.101.3.4.1.42"), der_octets(iv))

    def hostile(file_name, kdf):
        pbes2 = der_seq(der_oid("1.2.840.113549.1.5.13"), der_seq(kdf, aes256))
        bundle = read("good.json")
        bundle["private_key"] = pem_of("ENCRYPTED PRIVATE KEY", der_seq(pbes2, der_octets(data))).rstrip("\n")
        write(file_name, dump(bundle))

    hostile("encrypted-hostile-pbkdf2.json", der_seq(der_oid("1.2.840.113549.1.5.12"), der_seq(
        der_octets(salt), der_int(4_000_000_000),
        der_seq(der_oid("1.2.840.113549.2.9"), b"\x05\x00"))))
    hostile("encrypted-hostile-scrypt.json", der_seq(der_oid("1.3.6.1.4.1.11591.4.11"), der_seq(
        der_octets(salt), der_int(1 << 24), der_int(8), der_int(1))))

    # The passphrase as the API answers it, and as a raw file (one line, as OpenSSL's file:).
    with open(os.path.join(os.path.dirname(BUNDLES), "passphrase.txt"), "w") as f:
        f.write(PASSPHRASE.decode() + "\n")
    with open(os.path.join(os.path.dirname(BUNDLES), "passphrase.json"), "w") as f:
        f.write(dump({"task_id": "3f2c0c0e-0000-4000-8000-000000000000",
                      "passphrase": PASSPHRASE.decode()}) + "\n")


if __name__ == "__main__":
    main()
    STORE.save()
