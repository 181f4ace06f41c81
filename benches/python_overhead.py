#!/usr/bin/env python3
"""What the Python package adds to an audit: `certkey.audit(data)` per call against the same
audit in Rust alone (in the same process and build), and Python's `cryptography` doing the same
checks (benches/compare_python.py), on one bundle. For docs/PERFORMANCE.md.

    python3 benches/python_overhead.py [BUNDLE.json] [ITERATIONS]

Needs the package installed from a release build (`pip install ./python`). Each figure is the
best of 7 runs of ITERATIONS calls (the least disturbed by the rest of the machine).
"""

import datetime
import os
import sys
import time

import certkey
from certkey import _certkey

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_python  # noqa: E402

AT = "2026-06-01T00:00:00Z"
AT_SECONDS = 1_780_272_000


def best(run, iterations, repeats=7):
    times = []
    for _ in range(repeats):
        times.append(run(iterations) / iterations)
    return min(times)


def timed_python(data, iterations):
    start = time.perf_counter()
    for _ in range(iterations):
        certkey.audit(data, at=AT)
    return time.perf_counter() - start


def timed_pyca(data, iterations):
    at = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
    start = time.perf_counter()
    for _ in range(iterations):
        compare_python.audit(data, at)
    return time.perf_counter() - start


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "testdata/bundles/good.json"
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    data = open(path, "rb").read()
    report = certkey.audit(data, at=AT)
    assert report.ok, report.findings
    native = best(lambda n: _certkey._bench_native(data, AT_SECONDS, n), iterations)
    python = best(lambda n: timed_python(data, n), iterations)
    with_findings = best(lambda n: timed_findings(data, n), iterations)
    pyca = best(lambda n: timed_pyca(data, n), max(1, iterations // 400), repeats=3)
    print(f"bundle: {path}")
    print(f"Rust alone (the same audit, no Python objects): {native * 1e6:8.1f} µs")
    print(f"certkey.audit(data, at=...):                     {python * 1e6:8.1f} µs "
          f"(+{(python / native - 1) * 100:.1f} %)")
    print(f"... and reading report.findings:                 {with_findings * 1e6:8.1f} µs "
          f"(+{(with_findings / native - 1) * 100:.1f} %)")
    print(f"Python cryptography, the same checks (strict):   {pyca * 1e6:8.1f} µs "
          f"({pyca / python:.0f}x certkey.audit)")


def timed_findings(data, iterations):
    start = time.perf_counter()
    for _ in range(iterations):
        certkey.audit(data, at=AT).findings
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
