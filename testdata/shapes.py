#!/usr/bin/env python3
"""Writes hostile certkey responses of a chosen size: the worst-case shapes of each stage, for
the test that counts an audit's work at n and 2n (tests/growth.rs) and for the benchmark of the
largest responses (benches/hostile.rs).

    python3 testdata/shapes.py OUT_DIR SHAPE N [SHAPE N ...]
    python3 testdata/shapes.py OUT_DIR --largest
    python3 testdata/shapes.py --find-largest
    python3 testdata/shapes.py --list

writes OUT_DIR/SHAPE-N.json for each pair; `--largest` writes every shape at the largest N that
stays within its limit (OUT_DIR/SHAPE-largest.json): members of at most the API's 1,048,576
characters and responses of at most certkey's 16 MiB input cap, and for the name constraints,
certificates rustls-webpki still reads (64 KiB of DER). `--find-largest` finds those N again
(the table LARGEST below); `--list` prints the shapes and what N counts in each.

Every response starts from testdata/pki (the fixtures' CA and identities, as
testdata/generate.py made them) and changes one thing, N times over. Certificates are edited as
DER and signed again with the fixtures' CA key (RSA PKCS#1 v1.5, deterministic), so the same
arguments write the same bytes. Nothing here uses certkey itself.
"""

import hashlib
import json
import os
import sys

from math import gcd

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from generate import (  # noqa: E402  (testdata/ is put on the path first)
    MEMBER_MAX,
    der_bits,
    der_content,
    der_int,
    der_items,
    der_octets,
    der_oid,
    der_seq,
    pem_of,
    rsa_pkcs1_der,
    tlv,
)

PKI = os.path.join(HERE, "pki")
LEAVES = {"cert": "source", "target_mgmt_cert": "target_mgmt", "target_data_cert": "target_data"}
KEYS = {"cert": "private_key", "target_mgmt_cert": "target_mgmt_private_key",
        "target_data_cert": "target_data_private_key"}


def pki_text(name):
    with open(os.path.join(PKI, name)) as f:
        return f.read()


def load_cert(name):
    return x509.load_pem_x509_certificate(pki_text(name).encode())


CA_KEY = serialization.load_pem_private_key(pki_text("ca.key.pem").encode(), None)


def base_bundle():
    """The documented response: the CA, and each identity's certificate and key."""
    bundle = {"ca": pki_text("ca.crt.pem")}
    for member, identity in LEAVES.items():
        bundle[member] = pki_text(f"{identity}.crt.pem")
        bundle[KEYS[member]] = pki_text(f"{identity}.key.pem")
    return bundle


# --- Certificates edited as DER ----------------------------------------------------------

def tbs_fields(cert):
    """The TLVs of a certificate's tbsCertificate: version, serial, signature, issuer,
    validity, subject, SPKI, then [3] extensions (the fixtures have no unique ids)."""
    return der_items(cert.tbs_certificate_bytes)


def extensions_of(fields):
    return der_items(der_content(fields[-1]))


def with_extensions(fields, extensions):
    return fields[:-1] + [tlv(0xA3, der_seq(*extensions))]


def signed(fields):
    """The certificate of these tbsCertificate fields, signed by the fixtures' CA key."""
    tbs = der_seq(*fields)
    algorithm = fields[2]
    signature = CA_KEY.sign(tbs, padding.PKCS1v15(), hashes.SHA256())
    return pem_of("CERTIFICATE", der_seq(tbs, algorithm, der_bits(signature))) + "\n"


def extension(oid, value, critical=False):
    parts = [der_oid(oid)]
    if critical:
        parts.append(b"\x01\x01\xff")
    parts.append(der_octets(value))
    return der_seq(*parts)


SAN_OID = "2.5.29.17"
EKU_OID = "2.5.29.37"
NAME_CONSTRAINTS_OID = "2.5.29.30"
CN_OID = "2.5.4.3"
O_OID = "2.5.4.10"


def replaced_extension(fields, oid, new):
    """The extensions with the one of `oid` replaced by `new` (or `new` added)."""
    encoded = der_oid(oid)
    kept = [e for e in extensions_of(fields) if der_items(e)[0] != encoded]
    return with_extensions(fields, kept + [new])


def dns_names(count, prefix):
    return [f"{prefix}{i}.certkey.test" for i in range(count)]


def general_names_dns(names):
    return der_seq(*(tlv(0x82, name.encode()) for name in names))


def rdn(oid, text):
    """A RelativeDistinguishedName of one UTF8String attribute."""
    return tlv(0x31, der_seq(der_oid(oid), tlv(0x0C, text.encode())))


def leaf_shape(edit):
    """The base bundle with every leaf edited by `edit(fields, identity) -> fields`."""
    bundle = base_bundle()
    for member, identity in LEAVES.items():
        fields = tbs_fields(load_cert(f"{identity}.crt.pem"))
        bundle[member] = signed(edit(fields, identity))
    return bundle


# --- The shapes --------------------------------------------------------------------------

def extensions(n):
    """Each leaf with n more extensions, each of its own unknown OID, empty and non-critical."""
    return leaf_shape(lambda fields, _: with_extensions(
        fields, extensions_of(fields) + [extension(f"1.2.{i}", b"") for i in range(n)]))


def extensions_repeated(n):
    """Each leaf with one unknown extension n times over (a repeated extension)."""
    return leaf_shape(lambda fields, _: with_extensions(
        fields, extensions_of(fields) + [extension("1.2.3", b"")] * n))


def san_dns(n):
    """Each leaf with n DNS names in its subjectAltName."""
    return leaf_shape(lambda fields, identity: replaced_extension(
        fields, SAN_OID,
        extension(SAN_OID, general_names_dns(dns_names(n, identity.replace("_", "-"))))))


def common_names(n):
    """Each leaf with n DNS names, and n common names that all repeat the last of them (each
    common name is looked for among the DNS names)."""
    def edit(fields, identity):
        names = dns_names(n, identity.replace("_", "-"))
        fields = replaced_extension(fields, SAN_OID, extension(SAN_OID, general_names_dns(names)))
        subject = der_seq(*[rdn(CN_OID, names[-1])] * n)
        return fields[:5] + [subject] + fields[6:]
    return leaf_shape(edit)


def subject_attributes(n):
    """Each leaf's subject with n organization attributes before its common name."""
    def edit(fields, _):
        subject = der_items(fields[5])
        organizations = [rdn(O_OID, f"unit {i}") for i in range(n)]
        return fields[:5] + [der_seq(*organizations, *subject)] + fields[6:]
    return leaf_shape(edit)


def eku_purposes(n):
    """Each leaf's extendedKeyUsage with n unknown purposes after its own."""
    def edit(fields, identity):
        purpose = "1.3.6.1.5.5.7.3.2" if identity == "source" else "1.3.6.1.5.5.7.3.1"
        oids = [der_oid(purpose)] + [der_oid(f"1.2.{i}") for i in range(n)]
        return replaced_extension(fields, EKU_OID, extension(EKU_OID, der_seq(*oids)))
    return leaf_shape(edit)


def ca_permitting_zones(n):
    """The fixtures' CA, signed again with name constraints permitting n DNS subtrees
    (zone0.certkey.test, zone1.certkey.test, ...)."""
    subtrees = [der_seq(tlv(0x82, f"zone{i}.certkey.test".encode())) for i in range(n)]
    constraints = der_seq(tlv(0xA0, b"".join(subtrees)))
    ca_fields = tbs_fields(load_cert("ca.crt.pem"))
    return signed(replaced_extension(
        ca_fields, NAME_CONSTRAINTS_OID, extension(NAME_CONSTRAINTS_OID, constraints, critical=True)))


def name_constraints(n):
    """A CA permitting n DNS subtrees, and leaves with n DNS names each under the last one:
    n x n comparisons, which webpki stops at its budget."""
    bundle = base_bundle()
    bundle["ca"] = ca_permitting_zones(n)
    last = f"zone{n - 1}.certkey.test"
    bundle.update({member: pem for member, pem in leaf_shape(lambda fields, identity: replaced_extension(
        fields, SAN_OID, extension(SAN_OID, general_names_dns(
            [f"{identity.replace('_', '-')}{i}.{last}" for i in range(n)])))).items()
        if member in LEAVES})
    return bundle


def subject_name_constraints(n):
    """A CA permitting n DNS subtrees, and leaves without a DNS name whose n common names each
    lie under the last one: n x n comparisons of the kind OpenSSL makes (the common names
    against the DNS constraints), which stop at its limit of 2^20 names times constraints."""
    bundle = base_bundle()
    bundle["ca"] = ca_permitting_zones(n)

    def edit(fields, identity):
        host = f"{identity.replace('_', '-')}.zone{n - 1}.certkey.test"
        uri = der_seq(tlv(0x86, f"spiffe://certkey.test/{identity}".encode()))
        fields = replaced_extension(fields, SAN_OID, extension(SAN_OID, uri))
        return fields[:5] + [der_seq(*[rdn(CN_OID, host)] * n)] + fields[6:]
    bundle.update({member: pem for member, pem in leaf_shape(edit).items() if member in LEAVES})
    return bundle


def pem_blocks(n):
    """Each certificate member with its block n times over."""
    bundle = base_bundle()
    for member in ["ca", *LEAVES]:
        bundle[member] = bundle[member] * n
    return bundle


def pem_tiny_blocks(n):
    """Each certificate member's block followed by n tiny blocks."""
    bundle = base_bundle()
    tiny = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n"
    for member in ["ca", *LEAVES]:
        bundle[member] = bundle[member] + tiny * n
    return bundle


def pem_outside_lines(n):
    """Each member's block after n lines of text."""
    bundle = base_bundle()
    for member, pem in bundle.items():
        bundle[member] = "Subject: certkey test\n" * n + pem
    return bundle


def pem_short_lines(n):
    """Each certificate member's block written one base64 character a line, after n of its
    own lines of padding text (the body grows with n through an extension of n bytes)."""
    def edit(fields, _):
        return with_extensions(fields, extensions_of(fields) + [extension("1.2.3", b"\x00" * n)])
    bundle = leaf_shape(edit)
    for member in LEAVES:
        lines = bundle[member].strip().split("\n")
        body = "".join(lines[1:-1])
        bundle[member] = lines[0] + "\n" + "\n".join(body) + "\n" + lines[-1] + "\n"
    return bundle


def json_members(n):
    """An undocumented member holding an object of n members and an array of n strings."""
    bundle = base_bundle()
    bundle["x-object"] = {f"m{i}": i for i in range(n)}
    bundle["x-array"] = [f"s{i}" for i in range(n)]
    return bundle


def json_nesting(n):
    """An undocumented member holding n arrays, each nested 60 deep."""
    bundle = base_bundle()
    deep = [[]]
    for _ in range(58):
        deep = [deep]
    bundle["x-deep"] = [deep] * n
    return bundle


def json_escapes(n):
    """Every member with n characters after its block that JSON writes as escapes."""
    bundle = base_bundle()
    return {member: pem + "\u0001" * n for member, pem in bundle.items()}


def error_params(n):
    """An error body with n error_param strings and n details."""
    return {
        "error_code": "SMS.9004",
        "error_msg": "denied",
        "error_param": [f"param {i}" for i in range(n)],
        "details": [{"error_code": f"SMS.{i}", "error_msg": "denied"} for i in range(n)],
    }


def error_msg_invisible(n):
    """An error body whose message is n invisible characters, then a word."""
    return {"error_code": "SMS.9004", "error_msg": "\u200b" * n + "denied"}


def error_msg_text(n):
    """An error body whose message is n characters of base64-like text and words."""
    return {"error_code": "SMS.9004", "error_msg": "MIIB+x a/b " * (n // 10)}


def rsa_key_bits(n):
    """Every identity with an RSA key of n bits (n = 2048 to 16384, certkey's bound), each
    relation certkey checks holding: the most arithmetic the default checks do. Its factors are
    odd numbers, not primes (finding primes of 8192 bits takes minutes; primality is deep
    mode's)."""
    bundle = base_bundle()
    e = 65537
    for member, identity in LEAVES.items():
        seed = hashlib.shake_256(f"{identity} {n}".encode()).digest(n // 8)
        p, q = (int.from_bytes(half, "big") | (3 << (n // 2 - 2)) | 1
                for half in (seed[: n // 16], seed[n // 16:]))
        while True:
            lam = (p - 1) * (q - 1) // gcd(p - 1, q - 1)
            if gcd(e, lam) == 1 and gcd(p, q) == 1:
                break
            p += 2
        d = pow(e, -1, lam)
        key = rsa_pkcs1_der(p * q, e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p))
        spki = der_seq(der_seq(der_oid("1.2.840.113549.1.1.1"), b"\x05\x00"),
                       der_bits(der_seq(der_int(p * q), der_int(e))))
        fields = tbs_fields(load_cert(f"{identity}.crt.pem"))
        bundle[member] = signed(fields[:6] + [spki] + fields[7:])
        bundle[KEYS[member]] = pem_of("RSA PRIVATE KEY", key) + "\n"
    return bundle


rsa_key_bits.largest = 16384


SHAPES = {f.__name__: f for f in [
    extensions, extensions_repeated, san_dns, common_names, subject_attributes, eku_purposes,
    name_constraints, subject_name_constraints, pem_blocks, pem_tiny_blocks, pem_outside_lines, pem_short_lines,
    json_members, json_nesting, json_escapes, error_params, error_msg_invisible, error_msg_text,
    rsa_key_bits,
]}


def encoded(response):
    return json.dumps(response, indent=1, ensure_ascii=False).encode()


MAX_INPUT = 16 * 1024 * 1024
WEBPKI_MAX_DER = 0xFFFF


def fits(response):
    """Every string member within the API's limit of characters, the whole within certkey's
    default input cap."""
    return (all(len(v) <= MEMBER_MAX for v in response.values() if isinstance(v, str))
            and len(encoded(response)) <= MAX_INPUT)


def certificates_fit_webpki(response):
    """Every certificate within the DER size rustls-webpki reads (64 KiB): past it, webpki
    refuses the certificate unread, and the work this shape asks for is not done."""
    return fits(response) and all(
        len(x509.load_pem_x509_certificate(response[m].encode()).public_bytes(
            serialization.Encoding.DER)) <= WEBPKI_MAX_DER
        for m in ["ca", *LEAVES])


name_constraints.fits = certificates_fit_webpki
# The most common names (and one URI) times constraints within OpenSSL's limit: the most
# comparisons certkey makes for this shape (past it, none).
subject_name_constraints.largest = 1023


def measures(response):
    """The longest string member, in characters, and the whole response, in bytes."""
    members = max((len(v) for v in response.values() if isinstance(v, str)), default=0)
    return members, len(encoded(response))


def largest(shape):
    """The largest N (to within about 3 %) at which the shape still fits its limit: guessed
    from two small sizes (each shape grows linearly with N, in its members or in the whole),
    then stepped down or up."""
    if hasattr(shape, "largest"):
        return shape.largest
    limit = getattr(shape, "fits", fits)
    small, double = measures(shape(64)), measures(shape(128))
    guesses = [64 + (cap - a) * 64 // (b - a)
               for a, b, cap in zip(small, double, (MEMBER_MAX, MAX_INPUT)) if b > a]
    n = max(1, min(guesses))
    while n > 1 and not limit(shape(n)):
        n = n * 31 // 32
    while limit(shape(n + max(1, n // 32))):
        n += max(1, n // 32)
    return n


# The largest N of each shape, as `--find-largest` finds it (kept here: finding it takes
# minutes, writing the shapes seconds).
LARGEST = {
    'extensions': 77667,
    'extensions_repeated': 93968,
    'san_dns': 24711,
    'common_names': 10769,
    'subject_attributes': 36965,
    'eku_purposes': 131532,
    'name_constraints': 1670,
    'subject_name_constraints': 1023,
    'pem_blocks': 826,
    'pem_tiny_blocks': 17750,
    'pem_outside_lines': 47586,
    'pem_short_lines': 386964,
    'json_members': 491363,
    'json_nesting': 4235,
    'json_escapes': 399211,
    'error_params': 201027,
    'error_msg_invisible': 1048570,
    'error_msg_text': 924421,
    'rsa_key_bits': 16384,
}


def main(argv):
    if argv[1:] == ["--list"]:
        for name, shape in SHAPES.items():
            print(f"{name}: {shape.__doc__.split(chr(10))[0]}")
        return
    if argv[1:] == ["--find-largest"]:
        print("LARGEST = {")
        for name, shape in SHAPES.items():
            print(f"    {name!r}: {largest(shape)},", flush=True)
        print("}")
        return
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    if argv[2:] == ["--largest"]:
        for name, shape in SHAPES.items():
            response = shape(LARGEST[name])
            assert getattr(shape, "fits", fits)(response), f"{name} no longer fits: --find-largest"
            with open(os.path.join(out, f"{name}-largest.json"), "wb") as f:
                f.write(encoded(response))
        return
    pairs = argv[2:]
    if len(pairs) % 2 or not pairs:
        sys.exit(__doc__)
    for name, n in zip(pairs[::2], pairs[1::2]):
        with open(os.path.join(out, f"{name}-{n}.json"), "wb") as f:
            f.write(encoded(SHAPES[name](int(n))))


if __name__ == "__main__":
    main(sys.argv)
