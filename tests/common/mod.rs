//! Helpers shared by the integration tests: fixture paths, the pinned audit time, and the
//! private-key text of every fixture.

#![allow(dead_code)] // each test crate uses its own subset

pub mod leak;
pub mod rows;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use certkey::Policy;

/// Every fixture is audited at 2026-06-01T00:00:00Z, inside the certificates' validity.
pub const AUDIT_TIME_RFC3339: &str = "2026-06-01T00:00:00Z";

pub fn audit_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000)
}

pub fn policy() -> Policy {
    Policy::default().with_at(audit_time())
}

pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

pub fn bundle(name: &str) -> Vec<u8> {
    let path = testdata().join("bundles").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every fixture file under testdata/bundles/, sorted by name.
pub fn bundle_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(testdata().join("bundles"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// The base64 lines of every private key the fixtures hold: those under testdata/pki/ and
/// every key block inside the bundles, escaped or not. Lines shorter than 16 characters
/// (the tail of a block) are left out: they could match by chance.
pub fn private_key_lines() -> Vec<String> {
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(testdata().join("pki")).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".key.pem") {
            texts.push(std::fs::read_to_string(path).unwrap());
        }
    }
    for name in bundle_names() {
        let text = String::from_utf8_lossy(&bundle(name.as_str())).into_owned();
        texts.push(
            text.replace("\\\\n", "\n")
                .replace("\\n", "\n")
                .replace("\\r", "\r"),
        );
    }
    let mut lines = Vec::new();
    for text in texts {
        let mut in_key = false;
        for line in text.lines() {
            let line = line.trim().trim_matches('"');
            if line.starts_with("-----BEGIN") && line.contains("PRIVATE KEY") {
                in_key = true;
            } else if line.starts_with("-----END") {
                in_key = false;
            } else if in_key && line.len() >= 16 && !line.contains(':') && !line.contains('*') {
                lines.push(line.to_owned());
            }
        }
    }
    lines.sort();
    lines.dedup();
    lines
}

/// Holds a generated document to its committed file: with `CERTKEY_BLESS` set, writes
/// `rendered` to `relative` (from the crate's root) first; then fails, naming `test`, when the
/// file differs.
pub fn assert_generated(relative: &str, rendered: &str, test: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    if std::env::var_os("CERTKEY_BLESS").is_some() {
        std::fs::write(&path, rendered).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "{relative} is stale: run `CERTKEY_BLESS=1 cargo test --test {test}`"
    );
}

/// Fails unless `text` (a finding's, a check's) speaks to every front end: options named as
/// "the `NAME` option" with names from `certkey::options::OPTIONS`, never as one front end's
/// flag, function or method.
pub fn assert_front_end_neutral(text: &str, what: &str) {
    for front_end_only in ["certkey-audit", "Policy::", "Rehearsal::", "library:"] {
        assert!(!text.contains(front_end_only), "{what}: {text}");
    }
    let flag = text
        .as_bytes()
        .windows(3)
        .any(|w| w[0] == b'-' && w[1] == b'-' && w[2].is_ascii_lowercase());
    assert!(!flag, "{what} names a flag: {text}");
    let mut rest = text;
    while let Some((_, after)) = rest.split_once("the `") {
        if let Some((name, _)) = after.split_once("` option") {
            if !name.contains('`') {
                assert!(
                    certkey::options::option(name).is_some(),
                    "{what} names no option: {name}"
                );
            }
        }
        rest = after;
    }
}
