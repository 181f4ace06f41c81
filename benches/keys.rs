//! The key layer per algorithm: parse, consistency and match against the certificate.
//!
//! cargo bench --bench keys

use std::hint::black_box;
use std::path::Path;

use base64ct::{Base64, Encoding};
use certkey::harness::{key_pair, KeyLabel};
use certkey::CheckId;
use criterion::{criterion_group, criterion_main, Criterion};

/// The DER of the first PEM block of a file under testdata/keys/, and its label.
fn der(file: &str) -> (String, Vec<u8>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/keys")
        .join(file);
    let text = std::fs::read_to_string(path).unwrap();
    let label = text.lines().next().unwrap();
    let label = label
        .trim_start_matches("-----BEGIN ")
        .trim_end_matches("-----");
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    (label.to_owned(), Base64::decode_vec(&body).unwrap())
}

/// The keys of `key_match` that ring does not load (`key.nonstandard`).
const NONSTANDARD: [&str; 3] = [
    "rsa8192-pkcs1",
    "ec-p256-sec1-no-public-key",
    "ec-p521-sec1",
];

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("key_match");
    for name in [
        "rsa1024-pkcs1",
        "rsa2048-pkcs1",
        "rsa2048-pkcs8",
        "rsa3072-pkcs1",
        "rsa4096-pkcs8",
        "rsa8192-pkcs1",
        "ec-p256-sec1",
        "ec-p256-sec1-no-public-key",
        "ec-p384-sec1",
        "ec-p521-sec1",
        "ed25519-pkcs8-v1",
    ] {
        let (label, key) = der(&format!("{name}.key.pem"));
        let (_, cert) = der(&format!("{name}.crt.pem"));
        let label = match label.as_str() {
            "RSA PRIVATE KEY" => KeyLabel::Pkcs1,
            "PRIVATE KEY" => KeyLabel::Pkcs8,
            "EC PRIVATE KEY" => KeyLabel::Sec1,
            other => panic!("{other}"),
        };
        let (findings, matched) = key_pair(label, &key, Some(&cert), false);
        // Keys outside the shape ring loads (an RSA-8192 modulus, an EC key without its
        // public key, P-521) are consistent and matched, and key.nonstandard says so.
        let expected: &[CheckId] = if NONSTANDARD.contains(&name) {
            &[CheckId::KeyNonstandard]
        } else {
            &[]
        };
        let ids: Vec<CheckId> = findings.iter().map(|f| f.id()).collect();
        assert!(
            ids == expected && matched == Some(true),
            "{name}: {findings:?}"
        );
        group.bench_function(name, |b| {
            b.iter(|| key_pair(label, black_box(&key), Some(black_box(&cert)), false))
        });
    }
    group.finish();

    // The key alone: no certificate to parse and match, as the floor of an audit counts the
    // certificates' parsing once, under X.509.
    let mut alone = c.benchmark_group("key_alone");
    let (_, key) = der("rsa2048-pkcs1.key.pem");
    let (findings, matched) = key_pair(KeyLabel::Pkcs1, &key, None, false);
    assert!(findings.is_empty() && matched.is_none(), "{findings:?}");
    alone.bench_function("rsa2048-pkcs1", |b| {
        b.iter(|| key_pair(KeyLabel::Pkcs1, black_box(&key), None, false))
    });
    alone.finish();

    let mut deep = c.benchmark_group("key_match_deep");
    deep.sample_size(10);
    for name in ["rsa2048-pkcs1", "ec-p256-sec1", "ed25519-pkcs8-v1"] {
        let (label, key) = der(&format!("{name}.key.pem"));
        let (_, cert) = der(&format!("{name}.crt.pem"));
        let label = match label.as_str() {
            "RSA PRIVATE KEY" => KeyLabel::Pkcs1,
            "PRIVATE KEY" => KeyLabel::Pkcs8,
            _ => KeyLabel::Sec1,
        };
        deep.bench_function(name, |b| {
            b.iter(|| key_pair(label, black_box(&key), Some(black_box(&cert)), true))
        });
    }
    deep.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
