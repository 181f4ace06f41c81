//! The audit's stages one by one, on the documented bundle shape (RSA-2048 with a CA):
//! response (JSON), PEM (one member), X.509 (one certificate); and, beside them, quoting a
//! leaf's subject for the report. The key and chain stages have their own benchmarks
//! (benches/keys.rs, benches/chain.rs).
//!
//! cargo bench --bench stages

use std::hint::black_box;
use std::path::Path;

use base64ct::{Base64, Encoding};
use certkey::harness::{certificate, pem_member, response};
use certkey::Member;
use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let bundle = std::fs::read(root.join("bundles/good.json")).unwrap();
    let members: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bundle).unwrap();
    let cert_text = members["cert"].as_str().unwrap().to_owned();
    let key_text = members["private_key"].as_str().unwrap().to_owned();
    let body: String = cert_text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let cert_der = Base64::decode_vec(&body).unwrap();

    let mut group = c.benchmark_group("stage");
    assert!(response(&bundle).is_empty());
    group.bench_function("response (whole bundle JSON)", |b| {
        b.iter(|| response(black_box(&bundle)))
    });
    group.bench_function("pem (certificate member)", |b| {
        b.iter(|| pem_member(Member::Cert, black_box(&cert_text)))
    });
    group.bench_function("pem (RSA-2048 key member)", |b| {
        b.iter(|| pem_member(Member::PrivateKey, black_box(&key_text)))
    });
    assert!(certificate(&cert_der));
    group.bench_function("x509 (one certificate)", |b| {
        b.iter(|| certificate(black_box(&cert_der)))
    });
    // Not a part of the floor: the report's quoting of each leaf's subject and DNS name.
    group.bench_function("quote (a leaf's subject)", |b| {
        b.iter(|| certkey::quote(black_box("CN=source-00001.certkey.test"), 256))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
