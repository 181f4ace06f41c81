#!/usr/bin/env python3
"""OpenSSL's verdict on identities, by a mutual-TLS handshake through pyOpenSSL.

    PYTHONPATH=DIR python3 tests/stacks/pyopenssl.py [--python] < jobs.jsonl > verdicts.jsonl

DIR holds a `cryptography` wheel and the pyOpenSSL that goes with it (`tests/stacks/install.sh`
puts them there); the OpenSSL measured is the one the wheel bundles, so that OpenSSL lines the
machine does not have can be measured. Reads one JSON job per line on stdin ({"id", "ca",
"leaf", "key", "purpose", "at_seconds", "peer_cert", "peer_key"}: PEM text, "server" or
"client", Unix seconds) and writes one JSON verdict per line on stdout ({"id", "verdict":
"accepts" | "refuses", "reason"}).

A job is what an OpenSSL agent or target does with the identity, with OpenSSL's defaults (a
context from `SSL_CTX_new(TLS_method())`, its security level the library's default): the
identity's side loads the certificate chain and key as a TLS context loads them
(SSL_CTX_use_certificate_chain_file, SSL_CTX_use_PrivateKey_file, SSL_CTX_check_private_key),
and the other side, which holds the fixed identity `peer_*`, verifies it against `ca` at the
time `at_seconds` (X509_VERIFY_PARAM_set_time on the context's store) for the purpose a
handshake sets (ssl_server for a server's certificate, ssl_client for a client's), in a
handshake over memory BIOs.

With `--python`, both contexts are configured as Python ≥ 3.13's `ssl.create_default_context()`
configures one (Modules/_ssl.c and Lib/ssl.py): Python's cipher string, which sets security
level 2, TLS 1.2 at least, and on the verifying side X509_V_FLAG_X509_STRICT and
X509_V_FLAG_PARTIAL_CHAIN; host names are not checked, as tests/stacks/run.py's own Python
handshake does not check them.
"""

import datetime
import json
import os
import sys
import tempfile

from OpenSSL import SSL, crypto
from OpenSSL._util import ffi, lib

# Python's default cipher string (PY_SSL_DEFAULT_CIPHER_STRING, Python 3.10 and later).
PYTHON_CIPHERS = (b"@SECLEVEL=2:ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:DHE+AES:!aNULL:!eNULL:"
                  b"!aDSS:!SHA1:!AESCCM")


def main():
    python = sys.argv[1:] == ["--python"]
    with tempfile.TemporaryDirectory(prefix="certkey-pyopenssl-") as work:
        for line in sys.stdin:
            job = json.loads(line)
            verdict, reason = run(job, work, python)
            out = {"id": job["id"], "verdict": verdict}
            if reason:
                out["reason"] = reason
            print(json.dumps(out), flush=True)


def write(work, name, text):
    path = os.path.join(work, name)
    with open(path, "w", encoding="utf-8", errors="surrogatepass", newline="") as f:
        f.write(text)
    return path


def no_passphrase(*_):
    # An encrypted key is refused, as it is by a context given no passphrase (and nothing
    # waits on a terminal for one).
    return b""


def context(python):
    made = SSL.Context(SSL.TLS_METHOD)
    if python:
        made.set_cipher_list(PYTHON_CIPHERS)
        made.set_min_proto_version(SSL.TLS1_2_VERSION)
    return made


def run(job, work, python):
    at = datetime.datetime.fromtimestamp(job["at_seconds"], tz=datetime.timezone.utc)
    ca = write(work, "ca.pem", job["ca"])
    leaf, key = write(work, "leaf.pem", job["leaf"]), write(work, "leaf.key", job["key"])
    peer_leaf = write(work, "peer.pem", job["peer_cert"])
    peer_key = write(work, "peer.key", job["peer_key"])

    identity = context(python)
    identity.set_passwd_cb(no_passphrase)
    try:
        identity.use_certificate_chain_file(leaf)
        identity.use_privatekey_file(key)
        identity.check_privatekey()
    except SSL.Error as error:
        return "refuses", "load: " + reason_of(error)

    verifier = context(python)
    verifier.use_certificate_chain_file(peer_leaf)
    verifier.use_privatekey_file(peer_key)
    failures = []

    def record(_connection, _cert, errnum, depth, ok):
        if not ok and not failures:
            text = ffi.string(lib.X509_verify_cert_error_string(errnum)).decode()
            failures.append(f"{text} (depth {depth})")
        return ok

    verifier.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT, record)
    try:
        verifier.load_verify_locations(ca)
    except SSL.Error as error:
        return "refuses", "ca: " + reason_of(error)
    verifier.get_cert_store().set_time(at.replace(tzinfo=None))
    if python:
        verifier.get_cert_store().set_flags(
            crypto.X509StoreFlags.X509_STRICT | crypto.X509StoreFlags.PARTIAL_CHAIN)
    # The identity's side does not check the fixed peer.
    identity.set_verify(SSL.VERIFY_NONE, lambda *_: True)

    if job["purpose"] == "server":
        server, client = SSL.Connection(identity), SSL.Connection(verifier)
        checker = "client"
    else:
        server, client = SSL.Connection(verifier), SSL.Connection(identity)
        checker = "server"
    server.set_accept_state()
    client.set_connect_state()
    errors, done = {}, {"client": False, "server": False}
    for _ in range(50):
        for side, end, peer in (("client", client, server), ("server", server, client)):
            if not done[side] and side not in errors:
                try:
                    end.do_handshake()
                    done[side] = True
                except SSL.WantReadError:
                    pass
                except SSL.Error as error:
                    errors[side] = error
            try:
                data = end.bio_read(1 << 20)
            except SSL.WantReadError:
                data = b""
            if data:
                peer.bio_write(data)
        if all(done.values()) or errors:
            break
    if failures:
        return "refuses", "handshake: " + failures[0]
    error = errors.get(checker) or next(iter(errors.values()), None)
    if error is not None:
        return "refuses", "handshake: " + reason_of(error)
    if not all(done.values()):
        return "refuses", "handshake: did not finish"
    return "accepts", ""


def reason_of(error):
    parts = [part for part in error.args[0] if isinstance(part, tuple)] if error.args else []
    if parts:
        return parts[0][-1]
    return str(error) or type(error).__name__


if __name__ == "__main__":
    main()
