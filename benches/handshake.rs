//! The handshake rehearsal's cost per bundle: the whole audit with and without it, so the
//! difference is what `--handshake` adds (two targets, TLS 1.3 and TLS 1.2 each: four
//! mutual-TLS handshakes over loopback sockets, with a few bytes each way).
//!
//! cargo bench --bench handshake --features handshake

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, SystemTime};

use certkey::{audit, Auditor, CheckId, Policy, Rehearsal};
use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000);
    let mut group = c.benchmark_group("handshake");
    group.sample_size(30);
    for (name, file) in [
        ("rsa2048", "good.json"),
        ("p256", "good-p256.json"),
        ("ed25519", "good-ed25519.json"),
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/bundles")
            .join(file);
        let input = std::fs::read(path).unwrap();
        let plain = Policy::default().with_at(at);
        let rehearsed = plain.clone().with_handshake(Rehearsal::WhenSound);
        let report = audit(&input, &rehearsed);
        assert_eq!(
            report
                .findings()
                .iter()
                .filter(|f| f.id() == CheckId::HandshakeOk)
                .count(),
            2,
            "{name}: {:#?}",
            report.findings()
        );
        group.bench_function(format!("{name} audit"), |b| {
            let mut auditor = Auditor::new();
            b.iter(|| auditor.audit(black_box(&input), &plain))
        });
        group.bench_function(format!("{name} audit + rehearsal"), |b| {
            let mut auditor = Auditor::new();
            b.iter(|| auditor.audit(black_box(&input), &rehearsed))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
