//! What the C ABI's tests share: the paths, and a static library built from the current
//! sources (`cargo test` builds the crate's rlib only, so the `.a` could be stale).

#![allow(dead_code)] // each test crate uses its own subset

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

/// The folder holding `libcertkey_ffi.a`, built now from the current sources (once per test
/// process), in this test's profile. It is built alone, as a C project would build it: without
/// the cargo feature `handshake`.
pub fn static_library_dir() -> &'static Path {
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
