//! The committed `include/certkey.h` is exactly what cbindgen generates from `src/lib.rs`, so
//! the C declarations can never drift from the Rust definitions. `CERTKEY_BLESS=1` rewrites it.

use std::path::Path;

#[test]
fn the_committed_header_is_cbindgen_s_output() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen reads src/lib.rs")
        .write(&mut generated);
    let path = crate_dir.join("include/certkey.h");
    if std::env::var_os("CERTKEY_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/certkey.h is not cbindgen's output; regenerate it with \
         CERTKEY_BLESS=1 cargo test -p certkey-ffi --test header\n--- generated:\n{}",
        String::from_utf8_lossy(&generated)
    );
}
