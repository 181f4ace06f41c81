//! The chain stage: CA profile, validity, strength, usage and webpki verification of one leaf.
//!
//! cargo bench --bench chain

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, SystemTime};

use base64ct::{Base64, Encoding};
use certkey::stages::chain;
use criterion::{criterion_group, criterion_main, Criterion};

fn der(file: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(file);
    let text = std::fs::read_to_string(path).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    Base64::decode_vec(&body).unwrap()
}

fn bench(c: &mut Criterion) {
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000);
    let ca = der("pki/ca.crt.pem");
    let mut group = c.benchmark_group("chain");
    for (name, leaf) in [
        ("rsa2048 leaf", "pki/source.crt.pem"),
        ("p256 leaf", "keys/ec-p256-sec1.crt.pem"),
        ("ed25519 leaf", "keys/ed25519-pkcs8-v1.crt.pem"),
    ] {
        let leaf = der(leaf);
        assert!(chain(&ca, &leaf, at).is_empty(), "{name}");
        group.bench_function(name, |b| {
            b.iter(|| chain(black_box(&ca), black_box(&leaf), at))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
