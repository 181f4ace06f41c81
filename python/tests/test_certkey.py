"""The Python package against the command line: every row of the fixture table
(testdata/expected.tsv) audited through ``certkey.audit`` gives the report ``certkey-audit
--format json`` gives (its record without ``source``); the GIL is released during the audit;
passphrases and bad arguments behave as documented.

The binary is ``$CERTKEY_AUDIT``, or ``target/release/certkey-audit`` (built if missing).
"""

import datetime
import inspect
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import certkey

ROOT = Path(__file__).resolve().parents[2]
TESTDATA = ROOT / "testdata"
BUNDLES = TESTDATA / "bundles"
AT = "2026-06-01T00:00:00Z"


@pytest.fixture(scope="session")
def binary():
    path = os.environ.get("CERTKEY_AUDIT")
    if path:
        return path
    path = ROOT / "target" / "release" / "certkey-audit"
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bin", "certkey-audit"], cwd=ROOT, check=True
    )
    return str(path)


def rows():
    for number, line in enumerate((TESTDATA / "expected.tsv").read_text().splitlines(), 1):
        if line.startswith("#") or not line.strip():
            continue
        fixture, options, _ = line.split("\t")
        if "handshake" in options:
            continue  # the Python package is built without the rehearsal
        yield number, fixture, options


def row_options(options, data):
    """A row's options twice: as keyword arguments, and as the binary's flags."""
    kwargs, flags = {"at": AT}, ["--at", AT]
    for option in filter(lambda o: o != "-", options.split(",")):
        name, _, value = option.partition("=")
        if name == "max_input":
            size = len(data) - (1 if value == "size-1" else 0)
            kwargs["max_input_len"] = size
            flags += ["--max-input-len", str(size)]
        elif name == "deep":
            kwargs["deep"] = True
            flags.append("--deep")
        elif name == "ca":
            kwargs["ca_pem"] = (TESTDATA / value).read_text()
            flags += ["--ca", str(TESTDATA / value)]
        elif name == "passphrase":
            kwargs["passphrase"] = value.encode()
            flags += ["--passphrase-env", "CERTKEY_TEST_PASSPHRASE"]
        elif name == "profile":
            kwargs["profile"] = value
            flags += ["--profile", value]
        elif name == "stacks":
            kwargs["stacks"] = value.split("+")
            flags += ["--stacks", value.replace("+", ",")]
        else:
            raise AssertionError(f"unknown option {option}")
    return kwargs, flags


def in_flags(text):
    """A library text with its mentions of options worded as the binary words them."""

    def flag(match):
        name, value = match.group(1), match.group(2)
        if name == "ca_pem":
            return "--ca FILE"
        if name == "passphrase":
            return (
                "--passphrase-file FILE (the raw passphrase, or the API's JSON answer as"
                " downloaded) or --passphrase-env VAR"
            )
        flag = "--" + name.replace("_", "-")
        if value is None:
            return flag
        return f"{flag}={value}" if name == "handshake" else f"{flag} {value}"

    return re.sub(r"the `(\w+)` option(?: set to `([^`]*)`)?", flag, text)


def worded_as_flags(report):
    """The report's JSON as the binary writes it: its options named as flags."""
    for finding in report["findings"]:
        for text in ("message", "hint"):
            if text in finding:
                finding[text] = in_flags(finding[text])
    return report


def test_every_fixture_row_gives_the_binary_s_report(binary):
    count = mentions = 0
    for number, fixture, options in rows():
        data = (BUNDLES / fixture).read_bytes()
        kwargs, flags = row_options(options, data)
        env = dict(os.environ)
        if "passphrase" in kwargs:
            env["CERTKEY_TEST_PASSPHRASE"] = kwargs["passphrase"].decode()
        run = subprocess.run(
            [binary, "--format", "json", *flags, str(BUNDLES / fixture)],
            capture_output=True,
            env=env,
            check=False,
        )
        record = json.loads(run.stdout)
        del record["source"]
        record.pop("ca_file", None)

        report = certkey.audit(data, **kwargs)
        reported = json.loads(report.to_json())
        mentions += "` option" in json.dumps(reported)
        assert worded_as_flags(reported) == record, f"expected.tsv line {number}"
        assert report.ok is record["ok"], f"expected.tsv line {number}"
        assert run.returncode == (0 if report.ok else 1)
        assert [f.id for f in report.findings] == [f["id"] for f in record["findings"]]
        count += 1
    assert count > 200
    assert mentions > 0, "no report names an option: the wording is not compared"


def test_the_report_reads_as_the_json_says():
    report = certkey.audit((BUNDLES / "cert-expires-soon.json").read_bytes(), at=AT)
    data = report.to_dict()
    assert report.ok and data["ok"]
    assert report.strict is False and report.audited_at == AT
    assert report.certkey_version == certkey.__version__
    assert report.ca_source == "response"
    assert [f.id for f in report.warnings] == ["cert.expires_soon"]
    assert report.errors == [] and report.has("cert.expires_soon")
    finding = report.findings[0]
    assert finding.field == "cert" and finding.severity == "warning"
    assert len(report.certificates) == 4 and len(report.keys) == 3
    assert report.keys[0]["matches_certificate"] is True
    assert [i["role"] for i in report.identities] == ["source", "target_mgmt", "target_data"]
    assert report.api_error is None
    assert repr(report) == "<certkey.Report ok=True (1 warning)>"
    # strict=True turns the warning into a failing report.
    assert not certkey.audit((BUNDLES / "cert-expires-soon.json").read_bytes(), at=AT, strict=True).ok
    # An error body.
    report = certkey.audit((BUNDLES / "api-error-403.json").read_bytes(), at=AT)
    assert report.api_error["error_code"] and report.identities == []
    assert repr(report).startswith("<certkey.Report ok=False (1 error")


def test_the_audit_releases_the_gil():
    # With a switch interval of an hour, a thread holding the GIL keeps it until it blocks:
    # the other thread can count only while the audit has released it.
    data = (BUNDLES / "good.json").read_bytes()
    counter = [0]
    stop = threading.Event()

    def count():
        while not stop.is_set():
            counter[0] += 1
            time.sleep(0)  # releases the GIL at every step, so the auditing thread can return

    interval = sys.getswitchinterval()
    sys.setswitchinterval(3600)
    thread = threading.Thread(target=count)
    thread.start()
    try:
        overlapped = 0
        for _ in range(50):
            before = counter[0]
            certkey.audit(data, at=AT, deep=True)
            overlapped = max(overlapped, counter[0] - before)
            if overlapped > 0:
                break
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(interval)
    assert overlapped > 0, "no Python code ran in another thread during any audit"


def test_two_threads_audit_at_once_and_agree():
    data = (BUNDLES / "good.json").read_bytes()
    expected = certkey.audit(data, at=AT).to_json()
    results = []

    def work():
        results.extend(certkey.audit(data, at=AT).to_json() for _ in range(20))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 40


def test_a_passphrase_is_bytes_or_bytearray():
    data = (BUNDLES / "encrypted-pkey-aes256.json").read_bytes()
    assert certkey.audit(data, at=AT).has("key.encrypted")
    assert certkey.audit(data, at=AT, passphrase=b"fixture-passphrase").ok
    secret = bytearray(b"fixture-passphrase")
    report = certkey.audit(data, at=AT, passphrase=secret)
    assert report.ok and report.keys[0]["encryption"].startswith("PBES2")
    secret[:] = bytes(len(secret))  # the caller can wipe its own copy
    wrong = certkey.audit(data, at=AT, passphrase=b"wrong-passphrase")
    assert [f.id for f in wrong.errors] == ["key.passphrase_wrong"]
    with pytest.raises(TypeError, match="passphrase must be bytes or bytearray, not str"):
        certkey.audit(data, passphrase="fixture-passphrase")
    # A bytearray response is audited like bytes.
    assert certkey.audit(bytearray(data), at=AT, passphrase=b"fixture-passphrase").ok


def test_no_key_material_reaches_the_report():
    lines = set()
    for path in (TESTDATA / "pki").glob("*.key.pem"):
        lines.update(line for line in path.read_text().splitlines() if len(line) >= 16 and "-----" not in line)
    assert lines
    for fixture in ("key-in-cert-member.json", "good.json", "cert-in-key-member.json"):
        report = certkey.audit((BUNDLES / fixture).read_bytes(), at=AT)
        shown = report.to_json() + repr(report) + repr(report.findings)
        for line in lines:
            assert line not in shown, fixture


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"data": "{}"}, TypeError, "data must be bytes"),
        ({"data": 1}, TypeError, "data must be bytes or bytearray, not int"),
        ({"profile": "lax"}, ValueError, "unknown profile `lax`"),
        ({"profile": 1}, TypeError, "argument 'profile'"),
        ({"deep": "yes"}, TypeError, "argument 'deep'"),
        ({"at": "June"}, ValueError, "not a date"),
        ({"at": datetime.datetime(2026, 6, 1)}, ValueError, "naive datetime"),
        ({"at": True}, TypeError, "at must be a datetime, a str or an int"),
        ({"at": -1}, ValueError, "must lie from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z"),
        ({"at": 253402300800}, ValueError, "must lie from 1970"),
        ({"at": 2**64}, ValueError, "must lie from 1970"),
        ({"at": "9999-12-31T23:59:59-23:59"}, ValueError, "must lie from 1970"),
        (
            {"at": datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=datetime.timezone(-datetime.timedelta(hours=23, minutes=59)))},
            ValueError,
            "must lie from 1970",
        ),
        ({"warn_within": "3w"}, ValueError, "not a duration"),
        ({"warn_within": datetime.timedelta(days=-1)}, ValueError, "a duration from 0 on"),
        ({"warn_within": -1}, ValueError, "a duration from 0 on"),
        ({"warn_within": 2**64}, ValueError, "a duration from 0 on"),
        ({"allow": "key.missmatch"}, ValueError, "unknown check id `key.missmatch`"),
        ({"allow": [1]}, TypeError, "each item of allow must be a str, not int"),
        ({"allow": 1}, TypeError, "allow must be a str or an iterable of str"),
        ({"stacks": "java"}, ValueError, "java is not modelled"),
        ({"ca_pem": b"PEM"}, TypeError, "ca_pem must be a str, not bytes"),
        ({"max_input_len": -1}, ValueError, "max_input_len must be a whole number"),
        ({"max_pbkdf2_iterations": 2**32}, ValueError, "from 0 to 4294967295"),
        ({"handshake": "always"}, TypeError, "unexpected keyword argument"),
    ],
)
def test_bad_arguments_raise(kwargs, error, words):
    kwargs = dict(kwargs)
    data = kwargs.pop("data", b"{}")
    with pytest.raises(error, match=re.escape(words)):
        certkey.audit(data, **kwargs)


def test_no_option_value_raises_what_except_exception_misses():
    # Every value of every option is an audit or an Exception (TypeError, ValueError), never
    # a BaseException such as a panic's.
    values = [None, True, 0, -1, 2**31, 2**63, 2**64, 10**30, 1.5, float("nan"), float("inf"),
              "", "x", "9999-12-31T23:59:59-23:59", "0000-01-01", "1970-01-01T00:00:00+00:01",
              b"", bytearray(b"x"), [], ["x"], {}, datetime.timedelta.max, datetime.timedelta.min,
              datetime.datetime.max.replace(tzinfo=datetime.timezone.utc),
              datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)]
    for option in certkey.OPTIONS:
        if option == "handshake":
            continue
        for value in values:
            try:
                certkey.audit(b"{}", **{option: value})
            except Exception:
                pass


def test_good_arguments_of_every_form_are_taken():
    data = (BUNDLES / "cert-expires-soon.json").read_bytes()
    utc = datetime.timezone.utc
    for at in (AT, "2026-06-01", 1_780_272_000, datetime.datetime(2026, 6, 1, tzinfo=utc)):
        assert certkey.audit(data, at=at).audited_at == AT
    far = datetime.timedelta(days=3650)
    for window in (far, "3650d", 3650 * 86400):
        assert certkey.audit(data, at=AT, warn_within=window).has("cert.expires_soon")
    for window in (datetime.timedelta(0), "0s", 0):
        assert not certkey.audit(data, at=AT, warn_within=window).has("cert.expires_soon")
    for allow in ("cert.expires_soon", ["CERT.EXPIRES_SOON"], ("cert.expires_soon",)):
        report = certkey.audit(data, at=AT, strict=True, allow=allow)
        assert report.ok and report.findings[0].allowed
    for stacks in ("go,pyca", ["go", "pyca"]):
        assert certkey.audit(data, at=AT, stacks=stacks).ok


def test_the_catalog_is_the_binary_s(binary):
    explained = json.loads(
        subprocess.run([binary, "explain", "--format", "json"], capture_output=True, check=True).stdout
    )
    assert [check.id for check in certkey.CATALOG] == [entry["id"] for entry in explained]
    first = certkey.CATALOG[0]
    assert first.summary == explained[0]["summary"] and isinstance(first.refused_by, tuple)
    # The keyword arguments are the library's options, no more and no fewer.
    keywords = [
        name for name, parameter in inspect.signature(certkey.audit).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    assert keywords == list(certkey.OPTIONS)


def test_the_readme_example_runs(tmp_path):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Python", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert len(example.strip().splitlines()) <= 12, "the README's Python example stays short"
    (tmp_path / "response.json").write_bytes((BUNDLES / "good.json").read_bytes())
    run = subprocess.run(
        [sys.executable, "-c", example], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "sound" in run.stdout
