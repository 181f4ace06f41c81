#!/usr/bin/env python3
"""The binary over a folder of documented-shape RSA-2048 bundles, as whole processes, beside
the same audit written with Python's `cryptography` (strict and lax key loading).

    python3 benches/folder.py [COUNT] [RUNS] [--no-strict]

Generates COUNT distinct responses (1,000 by default; kept under target/bench-folder-COUNT),
shaped like testdata/bundles/good.json: one RSA-2048 CA first, then three leaves with their own
RSA-2048 keys as PKCS#1, no final newline. Every bundle has its own keys and certificates and
the same CA, as the bundles of one region's tasks do. Made with pyca/cryptography, independently
of certkey (generating 3,000 RSA keys takes a minute or two, once).

Then it times RUNS runs (5) of `certkey-audit --format json --at 2026-06-01 FOLDER` with its
output thrown away, and prints the median wall time and CPU time (user + system, every thread).
Beside it, in the same session: `benches/compare_python.py --folder` with lax key loading
(RUNS runs) and with strict key loading (one run, about two minutes; `--no-strict` skips it).
"""

import datetime
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOT_BEFORE = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
NOT_AFTER = datetime.datetime(2045, 1, 1, tzinfo=datetime.timezone.utc)


def generate(folder, count):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    os.makedirs(folder, exist_ok=True)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = make_ca(ca_key).public_bytes(serialization.Encoding.PEM)
    ca_key = ca_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with multiprocessing.Pool() as pool:
        pool.starmap(write_bundle, [(folder, i, ca, ca_key) for i in range(count)], chunksize=8)
    open(os.path.join(folder, ".complete"), "w").close()


def name(cn):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def key_usage(ca):
    from cryptography import x509

    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=not ca,
        data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
        encipher_only=False, decipher_only=False,
    )


def make_ca(key):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    return (
        x509.CertificateBuilder()
        .subject_name(name("certkey bench CA"))
        .issuer_name(name("certkey bench CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(key_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def write_bundle(folder, index, ca_pem, ca_key_pem):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID

    ca = x509.load_pem_x509_certificate(ca_pem)
    ca_key = serialization.load_pem_private_key(ca_key_pem, password=None)

    def pem(obj):
        if isinstance(obj, x509.Certificate):
            text = obj.public_bytes(serialization.Encoding.PEM)
        else:
            text = obj.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.TraditionalOpenSSL,
                serialization.NoEncryption(),
            )
        return text.decode().rstrip("\n")

    bundle = {"ca": pem(ca)}
    for cert_member, key_member, role, purpose in (
        ("cert", "private_key", "source", ExtendedKeyUsageOID.CLIENT_AUTH),
        ("target_mgmt_cert", "target_mgmt_private_key", "target-mgmt", ExtendedKeyUsageOID.SERVER_AUTH),
        ("target_data_cert", "target_data_private_key", "target-data", ExtendedKeyUsageOID.SERVER_AUTH),
    ):
        cn = f"{role}-{index:05}.certkey.test"
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name(cn))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOT_BEFORE)
            .not_valid_after(NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(key_usage(ca=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([purpose]), critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        bundle[cert_member] = pem(cert)
        bundle[key_member] = pem(key)
    with open(os.path.join(folder, f"task-{index:05}.json"), "w") as f:
        json.dump(bundle, f, indent=2)


def timed(args, **kwargs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, stdout=subprocess.PIPE, check=True, **kwargs)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def report(label, samples, count):
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    print(
        f"  {label:<34} wall {wall * 1e3:9.1f} ms   CPU {cpu * 1e3:9.1f} ms"
        f"   {cpu / count * 1e6:8.1f} µs CPU a bundle   (min {min(s[1] for s in samples) * 1e3:.1f} ms)"
    )
    return cpu


def main():
    positional = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(positional[0]) if positional else 1000
    runs = int(positional[1]) if len(positional) > 1 else 5
    folder = os.path.join(ROOT, "target", f"bench-folder-{count}")
    if not os.path.exists(os.path.join(folder, ".complete")):
        print(f"generating {count} bundles in {folder} ...", file=sys.stderr)
        generate(folder, count)
    subprocess.run(
        ["cargo", "build", "--release", "--locked", "--bin", "certkey-audit"], check=True, cwd=ROOT
    )
    binary = os.path.join(ROOT, "target", "release", "certkey-audit")
    audit = [binary, "--format", "json", "--at", "2026-06-01", folder]
    # Every bundle must pass, or the run would measure the wrong work.
    _, _, out = timed(audit)
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == count and all(r["ok"] for r in records), "a generated bundle failed"

    print(f"{count} documented-shape RSA-2048 bundles, {os.cpu_count()} cores, median of {runs} runs")
    certkey = report("certkey-audit --format json", [timed(audit)[:2] for _ in range(runs)], count)
    python = [sys.executable, os.path.join(ROOT, "benches", "compare_python.py"), "--folder", folder]
    lax = report("pyca, lax key loading", [timed(python + ["--lax"])[:2] for _ in range(runs)], count)
    print(f"  certkey uses {lax / certkey:.1f}× less CPU than the lax script")
    if "--no-strict" not in sys.argv:
        strict = report("pyca, strict key loading (1 run)", [timed(python)[:2]], count)
        print(f"  certkey uses {strict / certkey:.0f}× less CPU than the strict script")


if __name__ == "__main__":
    main()
