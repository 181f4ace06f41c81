//! What the binary's tests share: the binary, the fixtures, scratch folders, its output read.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// The audit time every test pins.
pub const AT: &str = "2026-06-01T00:00:00Z";

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `testdata/`.
pub fn testdata() -> PathBuf {
    root().join("testdata")
}

/// `testdata/bundles/`.
pub fn bundles() -> PathBuf {
    testdata().join("bundles")
}

/// The path of the fixture `name`.
pub fn bundle(name: &str) -> String {
    bundles().join(name).to_string_lossy().into_owned()
}

/// The binary with `args`, run from the repository's root, colour left to its own choice
/// (`NO_COLOR` removed), no input, its output captured.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_certkey-audit"));
    command
        .current_dir(root())
        .env_remove("NO_COLOR")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs [`command`].
pub fn run(args: &[&str]) -> Output {
    command(args).output().unwrap()
}

/// Standard output, as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Standard error, as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The JSON records of `--format json`, one per line.
pub fn records(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect()
}

/// A new, empty folder of its own for each call (tests run in parallel in one process).
pub fn scratch(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "certkey-audit-test-{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Whether CI requires every external tool (`CERTKEY_STACKS=required`): a missing one fails
/// the test instead of skipping it.
pub fn required() -> bool {
    std::env::var("CERTKEY_STACKS").is_ok_and(|v| v == "required")
}
