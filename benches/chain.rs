//! The chain stage: CA profile, validity, strength, usage and webpki verification of one leaf;
//! and one RSA-2048 signature verification alone, by ring and by RustCrypto's rsa.
//!
//! cargo bench --bench chain

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, SystemTime};

use base64ct::{Base64, Encoding};
use certkey::harness::chain;
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

    // The cost of one RSA-2048 PKCS#1 SHA-256 verification, the part of the chain stage no
    // change here can remove: ring parses the key and computes its Montgomery constants on
    // every call (its API has no prepared public key). RustCrypto's rsa, with a key prepared
    // once, for comparison: slower, because ring's arithmetic is assembly.
    let ca = x509_parser::parse_x509_certificate(&ca).unwrap().1;
    let leaf = der("pki/source.crt.pem");
    let leaf = x509_parser::parse_x509_certificate(&leaf).unwrap().1;
    let key = ca.public_key().subject_public_key.data.to_vec();
    let tbs = leaf.tbs_certificate.as_ref();
    let signature = leaf.signature_value.data.as_ref();
    let mut alone = c.benchmark_group("rsa2048 verification");
    alone.bench_function("ring", |b| {
        b.iter(|| {
            ring::signature::UnparsedPublicKey::new(
                &ring::signature::RSA_PKCS1_2048_8192_SHA256,
                black_box(&key),
            )
            .verify(black_box(tbs), signature)
            .unwrap()
        })
    });
    {
        use rsa::pkcs1::DecodeRsaPublicKey;
        use rsa::signature::Verifier;
        let prepared = rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha256>::new(
            rsa::PublicKey::from_pkcs1_der(&key).unwrap(),
        );
        let signature = rsa::pkcs1v15::Signature::try_from(signature).unwrap();
        alone.bench_function("RustCrypto rsa, key prepared once", |b| {
            b.iter(|| prepared.verify(black_box(tbs), &signature).unwrap())
        });
    }
    alone.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
