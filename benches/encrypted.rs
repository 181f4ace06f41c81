//! Encrypted keys: the whole audit of bundles whose key OpenSSL encrypted, with the passphrase,
//! against the plain bundle; and the worst case the default KDF bounds allow for one key.
//!
//! cargo bench --bench encrypted

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, SystemTime};

use certkey::harness::{encrypted_key, EncryptedForm};
use certkey::{audit, Auditor, CheckId, KdfLimits, Policy};
use criterion::{criterion_group, criterion_main, Criterion};
use pkcs8::der::asn1::OctetStringRef;
use pkcs8::der::Encode;
use pkcs8::pkcs5::pbes2::{self, Kdf, Pbkdf2Params, ScryptParams};
use pkcs8::pkcs5::EncryptionScheme;
use pkcs8::EncryptedPrivateKeyInfoRef;

const PASSPHRASE: &[u8] = b"fixture-passphrase";

fn bundle(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/bundles")
            .join(name),
    )
    .unwrap()
}

/// An EncryptedPrivateKeyInfo with these KDF parameters (its ciphertext is not a key: the
/// cost measured is the key derivation, which comes first whatever the data).
fn with_kdf(kdf: Kdf) -> Vec<u8> {
    let scheme = EncryptionScheme::Pbes2(pbes2::Parameters {
        kdf,
        encryption: pbes2::EncryptionScheme::Aes256Cbc { iv: [7; 16] },
    });
    let data = [0x5a; 1232];
    EncryptedPrivateKeyInfoRef {
        encryption_algorithm: scheme,
        encrypted_data: OctetStringRef::new(&data).unwrap(),
    }
    .to_der()
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000);
    let policy = Policy::default().with_at(at).with_passphrase(PASSPHRASE);
    let mut group = c.benchmark_group("encrypted bundle");
    group.sample_size(20);
    for (name, file) in [
        ("plain (good.json)", "good.json"),
        (
            "PBKDF2-SHA256 2048, AES-256-CBC",
            "encrypted-pkey-aes256.json",
        ),
        (
            "PBKDF2-SHA1 2048, AES-128-CBC",
            "encrypted-pkcs8-aes128-sha1.json",
        ),
        (
            "PBKDF2-SHA256 2048, DES-EDE3-CBC",
            "encrypted-pkcs8-des3.json",
        ),
        (
            "scrypt N=16384 r=8 p=1, AES-256-CBC",
            "encrypted-pkcs8-scrypt.json",
        ),
        ("legacy AES-128-CBC", "encrypted-legacy-aes128.json"),
        ("legacy DES-EDE3-CBC", "encrypted-legacy-des3.json"),
    ] {
        let input = bundle(file);
        let report = audit(&input, &policy);
        assert!(report.is_ok(), "{name}: {:#?}", report.findings());
        group.bench_function(name, |b| {
            let mut auditor = Auditor::new();
            b.iter(|| auditor.audit(black_box(&input), &policy))
        });
    }
    group.finish();

    // The most work the default bounds let a response ask for (all its keys together).
    let mut group = c.benchmark_group("kdf at the default bounds");
    group.sample_size(10);
    let salt = pbes2::Salt::new([1u8; 16]).unwrap();
    let cases = [
        (
            "PBKDF2-SHA256 1,000,000",
            with_kdf(Kdf::Pbkdf2(Pbkdf2Params {
                salt,
                iteration_count: certkey::DEFAULT_MAX_PBKDF2_ITERATIONS,
                key_length: None,
                prf: pbes2::Pbkdf2Prf::HmacWithSha256,
            })),
        ),
        (
            "PBKDF2-SHA1 1,000,000",
            with_kdf(Kdf::Pbkdf2(Pbkdf2Params {
                salt,
                iteration_count: certkey::DEFAULT_MAX_PBKDF2_ITERATIONS,
                key_length: None,
                prf: pbes2::Pbkdf2Prf::HmacWithSha1,
            })),
        ),
        (
            "PBKDF2-SHA224 1,000,000",
            with_kdf(Kdf::Pbkdf2(Pbkdf2Params {
                salt,
                iteration_count: certkey::DEFAULT_MAX_PBKDF2_ITERATIONS,
                key_length: None,
                prf: pbes2::Pbkdf2Prf::HmacWithSha224,
            })),
        ),
        (
            "PBKDF2-SHA512 1,000,000",
            with_kdf(Kdf::Pbkdf2(Pbkdf2Params {
                salt,
                iteration_count: certkey::DEFAULT_MAX_PBKDF2_ITERATIONS,
                key_length: None,
                prf: pbes2::Pbkdf2Prf::HmacWithSha512,
            })),
        ),
        (
            "scrypt N=2^17 r=8 p=1 (128 MiB)",
            with_kdf(Kdf::Scrypt(ScryptParams {
                salt,
                cost_parameter: 1 << 17,
                block_size: 8,
                parallelization: 1,
                key_length: None,
            })),
        ),
    ];
    for (name, der) in cases {
        let findings = encrypted_key(
            EncryptedForm::Pkcs8,
            None,
            &der,
            PASSPHRASE,
            KdfLimits::default(),
        );
        assert!(
            findings
                .iter()
                .any(|f| f.id() == CheckId::KeyPassphraseWrong),
            "{name}: the derivation must run to the end: {findings:?}"
        );
        group.bench_function(name, |b| {
            b.iter(|| {
                encrypted_key(
                    EncryptedForm::Pkcs8,
                    None,
                    black_box(&der),
                    PASSPHRASE,
                    KdfLimits::default(),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
