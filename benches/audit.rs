//! Whole-audit benchmarks: the documented bundle shape and hostile inputs at the limits.
//!
//! cargo bench --bench audit

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, SystemTime};

use certkey::{audit, Auditor, Policy, MEMBER_MAX_CHARS};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/bundles")
            .join(name),
    )
    .unwrap()
}

fn policy() -> Policy {
    Policy::default().with_at(SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000))
}

fn bench(c: &mut Criterion) {
    let policy = policy();
    let mut group = c.benchmark_group("audit");
    for name in [
        "good.json",
        "good-rsa4096.json",
        "good-p256.json",
        "good-ed25519.json",
        "redacted.json",
        "api-error-403.json",
        "truncated.json",
    ] {
        let input = fixture(name);
        assert_eq!(audit(&input, &policy).is_ok(), name.starts_with("good"));
        group.throughput(Throughput::Bytes(input.len() as u64));
        // As the binary audits a folder: one auditor per worker, which remembers the CA.
        let mut auditor = Auditor::new();
        group.bench_function(name, |b| {
            b.iter(|| auditor.audit(black_box(&input), &policy))
        });
    }
    // A bundle whose CA the auditor has not seen before (`audit`, a fresh auditor each
    // time): the CA's self-signature is verified (in a folder, only the first bundle of
    // each CA pays it).
    let input = fixture("good.json");
    group.bench_function("good.json, its CA not remembered", |b| {
        b.iter(|| audit(black_box(&input), &policy))
    });
    group.finish();

    let mut hostile = c.benchmark_group("hostile");
    hostile.sample_size(20);
    let junk = "jünk\\n".repeat(MEMBER_MAX_CHARS / 5);
    let seven_junk_members = format!(
        "{{{}}}",
        certkey::Member::ALL
            .iter()
            .map(|m| format!("\"{}\": \"{junk}\"", m.name()))
            .collect::<Vec<_>>()
            .join(",")
    );
    let line = "MIIDPTCCAiWgAwIBAgIULANXKvL+y3Kp2UdmkVBqrPHLMgIwDQYJKoZIhvcNAQEL\n";
    let valid_looking_pem = serde_json::json!({
        "cert": format!(
            "-----BEGIN CERTIFICATE-----\n{}-----END CERTIFICATE-----",
            line.repeat((MEMBER_MAX_CHARS - 60) / line.len())
        ),
    })
    .to_string();
    let cases = [
        ("16 MiB of [", vec![b'['; certkey::DEFAULT_MAX_INPUT_LEN]),
        (
            "seven 1 MiB members of junk",
            seven_junk_members.into_bytes(),
        ),
        ("1 MiB of valid-looking PEM", valid_looking_pem.into_bytes()),
        ("member-at-limit.json", fixture("member-at-limit.json")),
    ];
    for (name, input) in cases {
        hostile.throughput(Throughput::Bytes(input.len() as u64));
        hostile.bench_function(name, |b| b.iter(|| audit(black_box(&input), &policy)));
    }
    hostile.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
