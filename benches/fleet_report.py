#!/usr/bin/env python3
"""The cost of `--report`: a generated fleet audited with and without the fleet page.

    python3 benches/fleet_report.py [COUNT] [RUNS]

Generates COUNT responses (10,000 by default; audit/tests/browser/fleet.py, kept under
target/bench-fleet-COUNT), builds the release binary, then times RUNS runs (5) of
`certkey-audit --quiet --at 2026-06-01 FOLDER`, without and with `--report`, and prints the
median wall time and CPU time (user + system, every thread) of each, the difference, and the
page's size. Whole processes, as an operator runs them: reading the files is included.
"""

import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    status = subprocess.run(args, stdout=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert status in (0, 1), f"{args}: exit {status}"
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    folder = os.path.join(ROOT, "target", f"bench-fleet-{count}")
    if not os.path.exists(os.path.join(folder, ".complete")):
        subprocess.run(
            [sys.executable, os.path.join(ROOT, "audit/tests/browser/fleet.py"), folder, str(count)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        open(os.path.join(folder, ".complete"), "w").close()
    subprocess.run(
        ["cargo", "build", "--release", "--locked", "--bin", "certkey-audit"], check=True, cwd=ROOT
    )
    binary = os.path.join(ROOT, "target", "release", "certkey-audit")
    page = os.path.join(ROOT, "target", f"bench-fleet-{count}.html")
    base = [binary, "--quiet", "--at", "2026-06-01", folder]
    results = {}
    for name, args in (("audit", base), ("audit + --report", base[:1] + ["--report", page] + base[1:])):
        samples = [timed(args) for _ in range(runs)]
        results[name] = (
            statistics.median(s[0] for s in samples),
            statistics.median(s[1] for s in samples),
        )
    size = os.path.getsize(page)
    print(f"{count} bundles, median of {runs} runs, {os.cpu_count()} cores")
    for name, (wall, cpu) in results.items():
        print(f"  {name:<18} wall {wall:6.2f} s   CPU {cpu:6.2f} s ({cpu / count * 1e6:5.0f} µs a bundle)")
    (w0, c0), (w1, c1) = results.values()
    print(f"  the page costs     wall {w1 - w0:+6.2f} s   CPU {c1 - c0:+6.2f} s")
    print(f"  page size          {size / 1e6:.2f} MB ({size / count:.0f} bytes a bundle)")


if __name__ == "__main__":
    main()
