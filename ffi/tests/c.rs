//! A C program compiled with `cc` against the shared library and the committed header calls
//! certkey's C ABI on every row of the fixture table (testdata/expected.tsv, its options as
//! `policy_json`); each report it prints is the library's report for that row, as JSON (the
//! record `certkey-audit --format json` writes, without its `source`), and each status the
//! report's verdict.

mod common;

use common::{build_dir, library_dir, root};

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// How a C program links certkey.
#[derive(Clone, Copy)]
enum Link {
    /// `libcertkey_ffi.a`, into the program.
    Static,
    /// `libcertkey_ffi.so`, loaded at run time (found through the program's rpath).
    Shared,
}

/// Compiles `source` with the header and the library into `output`.
fn compile_c(source: &Path, output: &Path, link: Link) {
    let status = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".to_owned()))
        .args([
            "-std=c11",
            "-D_POSIX_C_SOURCE=200809L",
            "-Wall",
            "-Wextra",
            "-Werror",
        ])
        .arg(format!(
            "-DCERTKEY_EXPECTED_VERSION=\"{}\"",
            certkey::CERTKEY_VERSION
        ))
        .arg("-I")
        .arg(root().join("ffi/include"))
        .arg(source)
        .args(match link {
            Link::Static => vec![library_dir().join("libcertkey_ffi.a").display().to_string()],
            Link::Shared => vec![
                library_dir()
                    .join("libcertkey_ffi.so")
                    .display()
                    .to_string(),
                format!("-Wl,-rpath,{}", library_dir().display()),
            ],
        })
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(output)
        .status()
        .expect("a C compiler (cc)");
    assert!(status.success(), "cc failed on {}", source.display());
}

#[test]
fn a_c_program_gets_the_library_s_report_for_every_fixture_row() {
    let scratch = build_dir().join("ffi-c-test");
    std::fs::create_dir_all(&scratch).unwrap();
    let program = scratch.join("audit_each");
    compile_c(
        &root().join("ffi/tests/c/audit_each.c"),
        &program,
        Link::Shared,
    );

    let cases = common::cases();
    assert!(cases.len() > 200);
    let manifest: String = cases
        .iter()
        .map(|case| format!("{}\t{}\n", case.path.display(), case.policy_json))
        .collect();

    let mut child = Command::new(&program)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(manifest.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "the C program failed (an assert?)");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), cases.len());
    for (line, case) in lines.iter().zip(&cases) {
        let (status, json) = line.split_once('\t').unwrap();
        let expected = if case.report.is_ok() { "0" } else { "1" };
        assert_eq!(status, expected, "{}", case.row);
        let got: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            got,
            serde_json::to_value(&case.report).unwrap(),
            "{}",
            case.row
        );
    }
}

#[test]
fn the_c_example_exits_with_the_verdict() {
    let scratch = build_dir().join("ffi-c-test");
    std::fs::create_dir_all(&scratch).unwrap();
    let program = scratch.join("preflight");
    compile_c(
        &root().join("ffi/examples/c/preflight.c"),
        &program,
        Link::Static,
    );
    let bundles = root().join("testdata/bundles");
    let at = r#"{"at": "2026-06-01"}"#;
    for (fixture, policy, code, says) in [
        ("good.json", at, 0, ""),
        (
            "key-in-cert-member.json",
            at,
            1,
            "the certkey bundle is not sound: {",
        ),
        (
            "good.json",
            r#"{"at": "June"}"#,
            2,
            "certkey: policy_json: not a date",
        ),
    ] {
        let output = Command::new(&program)
            .arg(bundles.join(fixture))
            .arg(policy)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{fixture}: {stderr}");
        assert!(stderr.starts_with(says), "{fixture}: {stderr}");
    }
}

#[test]
fn the_readme_shows_the_c_example_s_preflight() {
    common::assert_readme_shows(
        "C",
        "ffi/examples/c/preflight.c",
        "static int preflight(",
        "int main(",
    );
}
