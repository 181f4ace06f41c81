//! What the C ABI's tests share: the paths, and a static library built from the current
//! sources (`cargo test` builds the crate's rlib only, so the `.a` could be stale).

#![allow(dead_code)] // each test crate uses its own subset

#[path = "../../../tests/common/rows.rs"]
mod rows;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Where cargo put this test's build: `target/<profile>`.
pub fn build_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().to_owned()
}

/// The folder holding `libcertkey_ffi.a` and `libcertkey_ffi.so`, built now from the current
/// sources (once per test process), in this test's profile. It is built alone, as a C project would build it: without
/// the cargo feature `handshake`.
pub fn library_dir() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = build_dir();
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args(["build", "--quiet", "-p", "certkey-ffi", "--manifest-path"])
            .arg(root().join("Cargo.toml"));
        if dir.file_name().is_some_and(|name| name == "release") {
            cargo.arg("--release");
        }
        if let Some(target) = dir.parent() {
            cargo.arg("--target-dir").arg(target);
        }
        let status = cargo.status().expect("cargo runs");
        assert!(status.success(), "cargo build -p certkey-ffi failed");
        assert!(dir.join("libcertkey_ffi.a").is_file());
        dir
    })
}

/// The README's code block under `### {heading}` is the part of `example` from `start` up to
/// `end`, so that what the README shows is what the tests compile and run.
pub fn assert_readme_shows(heading: &str, example: &str, start: &str, end: &str) {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split_once(&format!("\n### {heading}\n"))
        .unwrap_or_else(|| panic!("the README has no section {heading}"))
        .1;
    let block = section
        .split_once("```c\n")
        .or_else(|| section.split_once("```go\n"))
        .unwrap()
        .1
        .split_once("```")
        .unwrap()
        .0;
    let source = std::fs::read_to_string(root().join(example)).unwrap();
    let from = source.find(start).unwrap();
    let to = source.find(end).unwrap();
    assert_eq!(
        block.trim_end(),
        source[from..to].trim_end(),
        "the README's {heading} example is not {example}'s"
    );
}

/// One row of the fixture table, as the C ABI takes it, with the library's answer.
pub struct Case {
    /// `expected.tsv line N`.
    pub row: String,
    /// The fixture.
    pub path: PathBuf,
    /// The row's options, as `policy_json`.
    pub policy_json: String,
    /// The library's report under those options.
    pub report: certkey::Report,
}

/// Every row of the fixture table but the rehearsal's: a library built alone has no rehearsal
/// (cargo feature `handshake`).
pub fn cases() -> Vec<Case> {
    let testdata = root().join("testdata");
    rows::rows(&testdata)
        .into_iter()
        .filter(|row| !row.options.contains("handshake"))
        .map(|row| {
            let path = testdata.join("bundles").join(&row.fixture);
            let input = std::fs::read(&path).unwrap();
            let settings = rows::settings_for(&testdata, &row.options, &input);
            let policy = certkey::Policy::from_json(&settings.to_string()).unwrap();
            Case {
                row: format!("expected.tsv line {}", row.line),
                path,
                policy_json: settings.to_string(),
                report: certkey::audit(&input, &policy),
            }
        })
        .collect()
}
