//! The work an audit does grows linearly with its input, for the worst-case shape of each
//! stage (`testdata/shapes.py`): extensions, subjectAltNames, common names against names,
//! subject attributes, purposes, PEM blocks and lines, JSON members, nesting and escapes,
//! error bodies. Each shape is audited by the binary at n, 2n and 4n, and the work is counted
//! in instructions by valgrind's callgrind, which counts the same for the same binary and input
//! whatever else the machine is doing. What grows by a constant step from n to 2n grows by
//! twice that step from 2n to 4n when the work is linear (four times when it is quadratic):
//! the test asserts at most 2.5 times, with the constant costs (start-up, the rest of the
//! bundle) cancelled out.
//!
//! The name constraints of a CA against a leaf's names are n x m comparisons by nature;
//! rustls-webpki stops at 250,000 (its budget, as in every rustls), and certkey's check of
//! common names against them at OpenSSL's limit of 2^20 names times constraints: the test
//! shows the work past each bound stays flat.
//!
//! Needs valgrind and Python's `cryptography`; without them the test passes with a notice,
//! unless `CERTKEY_STACKS=required` (CI), where it fails.

use std::path::Path;
use std::process::Command;

use crate::common::required;

/// The shapes and the n each is audited at (then 2n and 4n): large enough that each step
/// is millions of instructions, small enough that every certificate stays within the 64 KiB
/// rustls-webpki reads, so the same work is done at every size.
const LINEAR: &[(&str, usize)] = &[
    ("extensions", 1000),
    ("extensions_repeated", 1000),
    ("san_dns", 250),
    ("common_names", 150),
    ("subject_attributes", 300),
    ("eku_purposes", 1000),
    ("pem_blocks", 10),
    ("pem_tiny_blocks", 500),
    ("pem_outside_lines", 500),
    ("pem_short_lines", 2000),
    ("json_members", 4000),
    ("json_nesting", 50),
    ("json_escapes", 5000),
    ("error_params", 2000),
    ("error_msg_invisible", 50_000),
    ("error_msg_text", 400_000),
];

/// At and past a bound, at n and 2n: webpki's budget (250,000 comparisons a leaf: 500
/// subtrees x 500 names); OpenSSL's limit of 2^20 names times constraints, which certkey's
/// check of common names against DNS constraints stops at too (1,000 x 1,001 is within it).
const BOUNDED: &[(&str, usize, &str)] = &[
    ("name_constraints", 600, "webpki's budget"),
    ("subject_name_constraints", 1000, "OpenSSL's limit"),
];

/// Whether `program --version` runs; a notice (or, when required, a failure) if not.
fn available(program: &str, args: &[&str]) -> bool {
    let ok = Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !required(),
            "CERTKEY_STACKS=required but {program} is missing"
        );
        eprintln!("growth: {program} is missing; the work is not counted");
    }
    ok
}

/// Writes `shape` at each size into `dir` (one Python run for all).
fn write_shapes(dir: &Path, sizes: &[(&str, usize)]) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/shapes.py");
    let mut command = Command::new("python3");
    command.arg(script).arg(dir);
    for (shape, n) in sizes {
        command.arg(shape).arg(n.to_string());
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "shapes.py: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The instructions one audit of `file` takes, as callgrind counts them. One worker thread,
/// so that no idle thread's spinning is counted.
fn instructions(file: &Path) -> u64 {
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(env!("CARGO_BIN_EXE_certkey-audit"))
        .args(["--at", "2026-06-01", "--format", "json"])
        .arg(file)
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}: {stderr}",
        file.display()
    );
    stderr
        .lines()
        .find_map(|line| line.split("Collected : ").nth(1))
        .and_then(|count| count.trim().parse().ok())
        .unwrap_or_else(|| panic!("no count from callgrind: {stderr}"))
}

#[test]
fn work_grows_linearly_with_every_stages_worst_shape() {
    if !available("valgrind", &["--version"])
        || !available("python3", &["-c", "import cryptography"])
    {
        return;
    }
    let dir = std::env::temp_dir().join(format!("certkey-growth-{}", std::process::id()));
    let mut sizes: Vec<(&str, usize)> = LINEAR
        .iter()
        .flat_map(|&(shape, n)| [(shape, n), (shape, 2 * n), (shape, 4 * n)])
        .collect();
    sizes.extend(
        BOUNDED
            .iter()
            .flat_map(|&(shape, n, _)| [(shape, n), (shape, 2 * n)]),
    );
    write_shapes(&dir, &sizes);
    let count = |shape: &str, n: usize| instructions(&dir.join(format!("{shape}-{n}.json")));

    let mut failures = Vec::new();
    for &(shape, n) in LINEAR {
        let [one, two, four] = [n, 2 * n, 4 * n].map(|n| count(shape, n));
        let (first, second) = (two.saturating_sub(one), four.saturating_sub(two));
        let ratio = second as f64 / first.max(1) as f64;
        eprintln!("{shape:>20}: n={n:<7} {one:>11} {two:>11} {four:>11} instructions; step ratio {ratio:.2}");
        // A step of under a million instructions is within the noise of start-up.
        if first < 1_000_000 || ratio > 2.5 {
            failures.push(format!(
                "{shape}: steps of {first} then {second} instructions"
            ));
        }
    }
    for &(shape, n, bound) in BOUNDED {
        let [at_bound, past_bound] = [n, 2 * n].map(|n| count(shape, n));
        eprintln!("{shape:>20}: n={n:<7} {at_bound:>11} {past_bound:>11} instructions ({bound})");
        if past_bound as f64 > 1.25 * at_bound as f64 {
            failures.push(format!(
                "{shape}: {at_bound} instructions at n={n}, {past_bound} at 2n: not bounded"
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "work that is not linear: {failures:#?}"
    );
}
