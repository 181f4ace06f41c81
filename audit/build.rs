//! What `certkey-audit --version` says of the build: the target it was built for, for a
//! portable build (`scripts/dist.sh`) the oldest glibc it runs with, and its features.

fn main() {
    println!("cargo:rerun-if-env-changed=CERTKEY_GLIBC_FLOOR");
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".to_owned());
    println!("cargo:rustc-env=CERTKEY_TARGET={target}");
    let glibc = match std::env::var("CERTKEY_GLIBC_FLOOR") {
        Ok(floor) if !floor.is_empty() => format!("glibc {floor} or later"),
        _ if target.ends_with("-gnu") => {
            "glibc as new as the build machine's (scripts/dist.sh builds for older ones)".to_owned()
        }
        _ => "no glibc".to_owned(),
    };
    println!("cargo:rustc-env=CERTKEY_GLIBC={glibc}");
    let features = if std::env::var_os("CARGO_FEATURE_HANDSHAKE").is_some() {
        "handshake (the --handshake rehearsal, with rustls)"
    } else {
        "none (built without the handshake rehearsal)"
    };
    println!("cargo:rustc-env=CERTKEY_FEATURES={features}");
}
