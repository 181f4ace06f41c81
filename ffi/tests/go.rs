//! The Go example (`examples/go`, cgo against the static library) gets the library's report
//! for every row of the fixture table, and its exit code is the verdict.
//!
//! It needs Go (`$GO`, `go` or Debian's `/usr/lib/go-1.23/bin/go`) and a C compiler; without
//! Go the test passes with a notice, unless `CERTKEY_STACKS=required` (CI), where every test
//! that runs an outside toolchain must run.

mod common;

use common::{build_dir, library_dir, root};

use std::process::Command;

fn go() -> Option<String> {
    let go = std::env::var("GO")
        .ok()
        .into_iter()
        .chain(["go", "/usr/lib/go-1.23/bin/go"].map(str::to_owned));
    let found = go.into_iter().find(|go| {
        Command::new(go)
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            std::env::var("CERTKEY_STACKS").map_or(true, |v| v != "required"),
            "CERTKEY_STACKS=required but Go is missing"
        );
        eprintln!("go: not found, the Go example is not run");
    }
    found
}

#[test]
fn the_go_example_gets_the_library_s_report_for_every_fixture_row() {
    let Some(go) = go() else { return };
    let scratch = build_dir().join("ffi-go-test");
    std::fs::create_dir_all(&scratch).unwrap();
    let program = scratch.join("preflight");
    // Go does not track the C library it links (CGO_LDFLAGS names its folder, not its bytes):
    // it would take an earlier build's program for up to date, linked to an earlier library.
    match std::fs::remove_file(&program) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => panic!("{program:?}: {e}"),
        _ => {}
    }
    let built = Command::new(&go)
        .args(["build", "-o"])
        .arg(&program)
        .arg(".")
        .current_dir(root().join("ffi/examples/go"))
        .env("GOTOOLCHAIN", "local")
        .env("CGO_ENABLED", "1")
        .env("CGO_LDFLAGS", format!("-L{}", library_dir().display()))
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "go build failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );

    let cases = common::cases();
    assert!(cases.len() > 200);
    for case in &cases {
        let output = Command::new(&program)
            .arg("-json")
            .arg("-policy")
            .arg(&case.policy_json)
            .arg(&case.path)
            .output()
            .unwrap();
        let expected = if case.report.is_ok() { 0 } else { 1 };
        assert_eq!(output.status.code(), Some(expected), "{}", case.row);
        let got: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(
            got,
            serde_json::to_value(&case.report).unwrap(),
            "{}",
            case.row
        );
    }

    // The text form, on the README's sample, names the failing finding; a bad policy exits 2.
    let bundles = root().join("testdata/bundles");
    let output = Command::new(&program)
        .arg("-policy")
        .arg(r#"{"at": "2026-06-01"}"#)
        .arg(bundles.join("good.json"))
        .arg(bundles.join("key-in-cert-member.json"))
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("good.json: the certkey bundle is sound\n"),
        "{text}"
    );
    assert!(
        text.contains("key-in-cert-member.json: pem.wrong_label in cert: "),
        "{text}"
    );
    let output = Command::new(&program)
        .arg("-policy")
        .arg(r#"{"profile": "lax"}"#)
        .arg(bundles.join("good.json"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown profile `lax`"));
}

#[test]
fn the_readme_shows_the_go_example_s_preflight() {
    common::assert_readme_shows(
        "Go",
        "ffi/examples/go/main.go",
        "// preflight audits",
        "func main()",
    );
}
