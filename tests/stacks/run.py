#!/usr/bin/env python3
"""What the real TLS stacks do with each identity of certkey responses.

    python3 tests/stacks/run.py --at 2026-06-01T00:00:00Z BUNDLE.json... > verdicts.jsonl

For each response that is a JSON object with a `ca`, and each identity in it (the source, which
is a TLS client, and the two targets, which are TLS servers), writes one JSON line per stack:
{"file", "role", "stack", "verdict": "accepts" | "refuses", "reason"}. The stacks:

- `openssl-3.0`: OpenSSL 3 as a TLS context uses it as shipped: `openssl verify -purpose
  sslclient|sslserver -attime T -auth_level 1` (security level 1, the library's default),
  then the certificate and key loaded as a TLS context loads them (Python's
  `load_cert_chain`, which is SSL_CTX_use_certificate_chain_file and
  SSL_CTX_use_PrivateKey_file, at security level 1), the key pair as
  SSL_CTX_check_private_key compares it (the key's public key, by `openssl pkey -pubout`,
  against the certificate's) and as a handshake uses it (a signature by the key that must
  verify with the certificate's public key);
- `python-3.13-openssl-3.0`: a TLS 1.3 handshake in memory with Python's `ssl` (on the
  machine's OpenSSL 3.0) in the configuration Python 3.13's `ssl.create_default_context()`
  makes (VERIFY_X509_STRICT and VERIFY_X509_PARTIAL_CHAIN), without host-name checking, the
  clock stopped at the audit time by libfaketime;
- `python-3.13-openssl-3.5`, `python-3.13-openssl-4.0`: the same configuration on the wheels'
  OpenSSL 3.5 and 4.0, through pyOpenSSL (`tests/stacks/pyopenssl.py --python`);
- the lines between, which certkey predicts from the stacks around them: `openssl-3.1`,
  `openssl-3.2`, `openssl-3.4` (cryptography 41.0.7, 42.0.8, 44.0.3: OpenSSL 3.1.4, 3.2.2,
  3.4.1) and Python's configuration on each (`python-3.13-openssl-3.1` and so on);
- `openssl-3.5`, `openssl-4.0`: a mutual-TLS handshake in memory through pyOpenSSL
  (`tests/stacks/pyopenssl.py`) with the OpenSSL that a `cryptography` wheel bundles (3.5.6 in
  cryptography 46.0.7, 4.0.3 in 50.0.2), each installed in a folder of its own under
  $CERTKEY_STACKS_DIR (by default ~/.cache/certkey-stacks) by `tests/stacks/install.sh`;
- `go-1.23`, `go-1.24`: `tests/stacks/go` (crypto/x509's Verify, then a crypto/tls handshake),
  built by Go 1.23 (the toolchain on PATH, or $GO) and by Go 1.24 (Debian 13's, unpacked in the
  folder `go-1.24` of $CERTKEY_STACKS_DIR) with the module's `go` line at 1.24, as an agent
  built by 1.24 declares it (the line sets the GODEBUG defaults: x509rsacrt=0 validates RSA
  CRT values);
- `rustls-ring`, `rustls-aws-lc-rs`: `tests/stacks/rustls` (rustls 0.23 and webpki with each
  crypto provider: ring, and aws-lc-rs, rustls' default), built with cargo;
- `pyca-48`, `pyca-51`: pyca/cryptography's `x509.verification` (the client verifier for the
  source, the server verifier for a target, named by the certificate's first DNS or IP
  subjectAltName): cryptography 48 as python3 has it, and 51.0.1 in the folder `pyca-51` of
  $CERTKEY_STACKS_DIR.

The identity's key is loaded by the stacks that handshake or load it (all but `pyca`); the
other side of each handshake is a fixed identity from testdata/pki, whose certificate is not
checked.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile

ROLES = (
    ("source", "cert", "private_key", "client"),
    ("target_mgmt", "target_mgmt_cert", "target_mgmt_private_key", "server"),
    ("target_data", "target_data_cert", "target_data_private_key", "server"),
)
HERE = os.path.dirname(os.path.abspath(__file__))
PKI = os.path.join(HERE, "..", "..", "testdata", "pki")


def identities(path):
    """(role, ca, cert, key, purpose) for each identity of the response at `path`."""
    try:
        with open(path, "rb") as f:
            bundle = json.loads(f.read().decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return
    if not isinstance(bundle, dict) or not isinstance(bundle.get("ca"), str):
        return
    for role, cert_member, key_member, purpose in ROLES:
        cert, key = bundle.get(cert_member), bundle.get(key_member)
        if isinstance(cert, str) and isinstance(key, str):
            yield role, bundle["ca"], cert, key, purpose


def openssl(ca, cert, key, purpose, at, work):
    ca_file, cert_file = write(work, "ca.pem", ca), write(work, "leaf.pem", cert)
    key_file = write(work, "leaf.key", key)
    args = ["openssl", "verify", "-CAfile", ca_file, "-purpose", "ssl" + purpose,
            "-attime", str(int(at.timestamp())), "-auth_level", "1", cert_file]
    run = subprocess.run(args, capture_output=True, text=True)
    if run.returncode != 0:
        return "refuses", first_error(run.stdout + run.stderr)
    # The key and certificate as a TLS context loads them (SSL_CTX_use_certificate_chain_file,
    # SSL_CTX_use_PrivateKey_file: PEM_read_bio_PrivateKey, not the command line's decoders,
    # which read a key whatever its label), at security level 1.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.set_ciphers("DEFAULT:@SECLEVEL=1")
    try:
        context.load_cert_chain(cert_file, key_file)
    except (ssl.SSLError, OSError, ValueError) as error:
        return "refuses", f"load: {error}"
    cert_key = subprocess.run(["openssl", "x509", "-in", cert_file, "-noout", "-pubkey"],
                              capture_output=True, text=True)
    key_key = subprocess.run(["openssl", "pkey", "-in", key_file, "-pubout", "-passin", "pass:"],
                             capture_output=True, text=True)
    if key_key.returncode != 0:
        return "refuses", "load: " + first_error(key_key.stderr)
    if cert_key.stdout != key_key.stdout:
        return "refuses", "load: key values mismatch"
    return sign_and_verify(key_file, write(work, "leaf.pub", cert_key.stdout), work)


def sign_and_verify(key_file, public_file, work):
    """What a handshake's CertificateVerify asks of the key: a signature that verifies with
    the certificate's public key (OpenSSL signs with the key's private components alone)."""
    data = write(work, "data", "certkey stacks harness\n")
    signature = os.path.join(work, "signature")
    text = subprocess.run(["openssl", "pkey", "-in", key_file, "-noout", "-text"],
                          capture_output=True, text=True).stdout
    digest = [] if text.startswith(("ED25519", "ED448")) else ["-digest", "sha256"]
    sign = subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", *digest, "-inkey", key_file,
                           "-in", data, "-out", signature], capture_output=True, text=True)
    if sign.returncode != 0:
        return "refuses", "sign: " + first_error(sign.stderr)
    verify = subprocess.run(["openssl", "pkeyutl", "-verify", "-rawin", *digest, "-pubin",
                             "-inkey", public_file, "-in", data, "-sigfile", signature],
                            capture_output=True, text=True)
    if verify.returncode != 0:
        return "refuses", "sign: the key's signature does not verify with the certificate's key"
    return "accepts", ""


def first_error(text):
    for line in text.splitlines():
        if "error" in line:
            return line.split(": ", 1)[-1].strip()
    return text.strip().splitlines()[0] if text.strip() else "refused"


def pyca(ca, cert, purpose, at):
    from cryptography import x509
    from cryptography.x509 import verification

    try:
        ca_cert = x509.load_pem_x509_certificate(ca.encode())
        leaf = x509.load_pem_x509_certificate(cert.encode())
        builder = verification.PolicyBuilder().store(verification.Store([ca_cert])).time(
            at.replace(tzinfo=None))
        if purpose == "client":
            builder.build_client_verifier().verify(leaf, [])
        else:
            builder.build_server_verifier(server_name(leaf)).verify(leaf, [])
    except Exception as error:  # every refusal, whatever pyca raises
        return "refuses", f"{type(error).__name__}: {error}"
    return "accepts", ""


def server_name(leaf):
    """The name a client would connect to: the first DNS or IP subjectAltName, else one the
    certificate cannot match (a server certificate without one is refused for that)."""
    import ipaddress

    from cryptography import x509

    try:
        san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        for entry in san:
            if isinstance(entry, x509.DNSName):
                return x509.DNSName(entry.value)
            if isinstance(entry, x509.IPAddress):
                return x509.IPAddress(entry.value)
    except x509.ExtensionNotFound:
        pass
    return x509.IPAddress(ipaddress.ip_address("192.0.2.1"))


def python_ssl(ca, cert, key, purpose, work):
    """A handshake with Python's ssl as 3.13 configures it; run under libfaketime."""
    strict = ssl.VERIFY_X509_STRICT | ssl.VERIFY_X509_PARTIAL_CHAIN
    ca_file = write(work, "ca.pem", ca)
    cert_file, key_file = write(work, "leaf.pem", cert), write(work, "leaf.key", key)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.check_hostname = False
    try:
        if purpose == "server":
            server.load_cert_chain(cert_file, key_file)
            client.load_verify_locations(cafile=ca_file)
            client.verify_flags |= strict
            client.load_cert_chain(os.path.join(PKI, "source.crt.pem"),
                                   os.path.join(PKI, "source.key.pem"))
        else:
            server.load_cert_chain(os.path.join(PKI, "target_mgmt.crt.pem"),
                                   os.path.join(PKI, "target_mgmt.key.pem"))
            server.verify_mode = ssl.CERT_REQUIRED
            server.load_verify_locations(cafile=ca_file)
            server.verify_flags |= strict
            client.verify_mode = ssl.CERT_NONE
            client.load_cert_chain(cert_file, key_file)
    except (ssl.SSLError, OSError, ValueError) as error:
        return "refuses", f"load: {error}"
    return handshake(server, client, verifier="client" if purpose == "server" else "server")


def handshake(server_context, client_context, verifier):
    c_in, c_out, s_in, s_out = (ssl.MemoryBIO() for _ in range(4))
    client = client_context.wrap_bio(c_in, c_out, server_side=False)
    server = server_context.wrap_bio(s_in, s_out, server_side=True)
    errors = {}
    done = {"client": False, "server": False}
    for _ in range(50):
        for side, end, out, peer in (("client", client, c_out, s_in), ("server", server, s_out, c_in)):
            if not done[side] and side not in errors:
                try:
                    end.do_handshake()
                    done[side] = True
                except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                    pass
                except ssl.SSLError as error:
                    errors[side] = error
            data = out.read()
            if data:
                peer.write(data)
        if all(done.values()) or errors:
            break
    # TLS 1.3: the server checks the client's certificate after the client has finished.
    if verifier == "server" and done["client"] and "server" not in errors and not done["server"]:
        try:
            server.do_handshake()
        except ssl.SSLError as error:
            errors["server"] = error
    error = errors.get(verifier) or next(iter(errors.values()), None)
    if error is not None:
        reason = getattr(error, "verify_message", None) or error.reason or str(error)
        return "refuses", f"handshake: {reason}"
    if not all(done.values()):
        return "refuses", "handshake: did not finish"
    return "accepts", ""


def write(work, name, text):
    path = os.path.join(work, name)
    with open(path, "w", encoding="utf-8", errors="surrogatepass", newline="") as f:
        f.write(text)
    return path


def go_verdicts(jobs, stack):
    """{job id: verdict} from tests/stacks/go built by `stack`'s toolchain, its module's
    `go` line at that version."""
    if not jobs:
        return {}
    if stack == "go-1.23":
        go = os.environ.get("GO") or shutil.which("go")
        if go is None:
            sys.exit("run.py: no Go toolchain (set GO or put go on PATH)")
    else:
        go = os.path.join(stacks_dir(), stack, "usr", "lib", stack, "bin", "go")
    version = stack.removeprefix("go-")
    env = dict(os.environ, GOTOOLCHAIN="local", GOFLAGS="-mod=mod", CGO_ENABLED="0")
    found = subprocess.run([go, "env", "GOVERSION"], env=env, capture_output=True, text=True)
    if found.returncode != 0 or not found.stdout.startswith(f"go{version}."):
        sys.exit(f"run.py: {stack}: no Go {version} at {go} (tests/stacks/install.sh installs it)")
    module = os.path.join(tempfile.mkdtemp(prefix="certkey-stacks-go-"), "go")
    shutil.copytree(os.path.join(HERE, "go"), module)
    subprocess.run([go, "mod", "edit", f"-go={version}"], cwd=module, env=env, check=True)
    binary = os.path.join(module, "certkey-stacks-go")
    subprocess.run([go, "build", "-o", binary, "."], cwd=module, env=env, check=True)
    run = subprocess.run([binary], input="".join(json.dumps(j) + "\n" for j in jobs),
                         capture_output=True, text=True, check=True)
    shutil.rmtree(os.path.dirname(module), ignore_errors=True)
    return {v["id"]: (v["verdict"], v.get("reason", "")) for v in map(json.loads, run.stdout.splitlines())}


# The stacks measured through a `cryptography` wheel's OpenSSL: stack id → (folder, the
# version its OpenSSL must report, whether configured as Python configures a context).
# tests/stacks/install.sh installs them.
WHEEL_STACKS = {
    "openssl-3.5": ("openssl-3.5", "OpenSSL 3.5.", False),
    "openssl-4.0": ("openssl-4.0", "OpenSSL 4.0.", False),
    "python-3.13-openssl-3.5": ("openssl-3.5", "OpenSSL 3.5.", True),
    "python-3.13-openssl-4.0": ("openssl-4.0", "OpenSSL 4.0.", True),
    # The lines between, which certkey predicts from the stacks around them (tests/stacks.rs).
    "openssl-3.1": ("openssl-3.1", "OpenSSL 3.1.", False),
    "openssl-3.2": ("openssl-3.2", "OpenSSL 3.2.", False),
    "openssl-3.4": ("openssl-3.4", "OpenSSL 3.4.", False),
    "python-3.13-openssl-3.1": ("openssl-3.1", "OpenSSL 3.1.", True),
    "python-3.13-openssl-3.2": ("openssl-3.2", "OpenSSL 3.2.", True),
    "python-3.13-openssl-3.4": ("openssl-3.4", "OpenSSL 3.4.", True),
}


def stacks_dir():
    return os.environ.get("CERTKEY_STACKS_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "certkey-stacks")


def wheel_verdicts(jobs, stack):
    """{job id: verdict} from tests/stacks/pyopenssl.py on the OpenSSL of `stack`'s wheel."""
    if not jobs:
        return {}
    folder, version, python = WHEEL_STACKS[stack]
    env = dict(os.environ, PYTHONPATH=os.path.join(stacks_dir(), folder))
    check = subprocess.run(
        [sys.executable, "-c", "from OpenSSL import SSL; "
         "print(SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode())"],
        env=env, capture_output=True, text=True)
    if check.returncode != 0 or not check.stdout.startswith(version):
        sys.exit(f"run.py: {stack}: no pyOpenSSL on {version}x in {env['PYTHONPATH']} "
                 f"(tests/stacks/install.sh installs it): {check.stdout}{check.stderr}")
    run = subprocess.run([sys.executable, "-W", "ignore::DeprecationWarning",
                          os.path.join(HERE, "pyopenssl.py"), *(["--python"] if python else [])],
                         input="".join(json.dumps(j) + "\n" for j in jobs), env=env,
                         capture_output=True, text=True, errors="surrogatepass", check=True)
    return {v["id"]: (v["verdict"], v.get("reason", "")) for v in map(json.loads, run.stdout.splitlines())}


def rustls_verdicts(jobs):
    """{(job id, stack): verdict} from tests/stacks/rustls, for each of its providers."""
    if not jobs:
        return {}
    crate = os.path.join(HERE, "rustls")
    target = os.path.join(crate, "target")
    subprocess.run(["cargo", "build", "--quiet", "--release", "--locked", "--target-dir", target],
                   cwd=crate, check=True)
    binary = os.path.join(target, "release", "certkey-stacks-rustls")
    # A lone surrogate is no Unicode scalar value: a Rust string holds U+FFFD in its place
    # (as Go's encoding/json does).
    def scalar(value):
        return re.sub("[\ud800-\udfff]", "\ufffd", value) if isinstance(value, str) else value

    text = "".join(json.dumps({k: scalar(v) for k, v in j.items()}) + "\n" for j in jobs)
    run = subprocess.run([binary], input=text, capture_output=True, text=True, check=True)
    return {(v["id"], v["stack"]): (v["verdict"], v.get("reason", ""))
            for v in map(json.loads, run.stdout.splitlines())}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--at", required=True)
    parser.add_argument("--python-ssl-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pyca-only", help=argparse.SUPPRESS)
    parser.add_argument("bundles", nargs="+")
    args = parser.parse_args()
    at = datetime.datetime.fromisoformat(args.at.replace("Z", "+00:00"))
    work = tempfile.mkdtemp(prefix="certkey-stacks-")
    try:
        if args.pyca_only:
            for path in args.bundles:
                for role, ca, cert, key, purpose in identities(path):
                    emit(path, role, args.pyca_only, pyca(ca, cert, purpose, at))
            return
        if args.python_ssl_only:
            for path in args.bundles:
                for role, ca, cert, key, purpose in identities(path):
                    emit(path, role, "python-3.13-openssl-3.0",
                         python_ssl(ca, cert, key, purpose, work))
            return
        jobs, order = [], []
        with open(os.path.join(PKI, "target_mgmt.crt.pem")) as f:
            server_cert = f.read()
        with open(os.path.join(PKI, "target_mgmt.key.pem")) as f:
            server_key = f.read()
        with open(os.path.join(PKI, "source.crt.pem")) as f:
            client_cert = f.read()
        with open(os.path.join(PKI, "source.key.pem")) as f:
            client_key = f.read()
        for path in args.bundles:
            for role, ca, cert, key, purpose in identities(path):
                emit(path, role, "openssl-3.0", openssl(ca, cert, key, purpose, at, work))
                emit(path, role, "pyca-48", pyca(ca, cert, purpose, at))
                peer = (client_cert, client_key) if purpose == "server" else (server_cert, server_key)
                jobs.append({"id": f"{len(jobs)}", "ca": ca, "leaf": cert, "key": key,
                             "purpose": purpose, "at": args.at, "at_seconds": int(at.timestamp()),
                             "peer_cert": peer[0], "peer_key": peer[1]})
                order.append((path, role))
        for stack in ("go-1.23", "go-1.24"):
            for index, verdict in sorted(go_verdicts(jobs, stack).items(),
                                         key=lambda kv: int(kv[0])):
                path, role = order[int(index)]
                emit(path, role, stack, verdict)
        sys.stdout.flush()
        pyca51 = os.path.join(stacks_dir(), "pyca-51")
        check = subprocess.run(
            [sys.executable, "-c", "import cryptography; print(cryptography.__version__)"],
            env=dict(os.environ, PYTHONPATH=pyca51), capture_output=True, text=True)
        if not check.stdout.startswith("51."):
            sys.exit(f"run.py: pyca-51: no cryptography 51 in {pyca51} "
                     "(tests/stacks/install.sh installs it)")
        newer = subprocess.run(
            [sys.executable, "-W", "ignore", __file__, "--at", args.at, "--pyca-only", "pyca-51",
             *args.bundles],
            env=dict(os.environ, PYTHONPATH=pyca51), capture_output=True, text=True, check=True)
        sys.stdout.write(newer.stdout)
        for stack in WHEEL_STACKS:
            for index, verdict in sorted(wheel_verdicts(jobs, stack).items(),
                                         key=lambda kv: int(kv[0])):
                path, role = order[int(index)]
                emit(path, role, stack, verdict)
        for (index, stack), verdict in sorted(rustls_verdicts(jobs).items(),
                                              key=lambda kv: (int(kv[0][0]), kv[0][1])):
            path, role = order[int(index)]
            emit(path, role, stack, verdict)
        sys.stdout.flush()
        faked = subprocess.run(
            # -f: the clock stands still at the audit time (it would run on from it otherwise).
            ["faketime", "-f", at.strftime("%Y-%m-%d %H:%M:%S"), sys.executable, __file__,
             "--at", args.at, "--python-ssl-only", *args.bundles],
            env=dict(os.environ, TZ="UTC"), capture_output=True, text=True, check=True)
        sys.stdout.write(faked.stdout)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def emit(path, role, stack, verdict):
    print(json.dumps({"file": os.path.basename(path), "role": role, "stack": stack,
                      "verdict": verdict[0], "reason": verdict[1]}))


if __name__ == "__main__":
    main()
