//! The worst-case shape of each stage at its largest (`testdata/shapes.py --largest`: members of
//! the API's 1,048,576 characters, responses up to the 16 MiB input cap, certificates within
//! the 64 KiB rustls-webpki reads), audited whole: the time an audit can take, per KiB of input.
//! `audit/tests/growth.rs` shows the same shapes grow linearly.
//!
//! cargo bench --bench shapes

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use certkey::{audit, Auditor, Policy};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let policy =
        Policy::default().with_at(SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000));
    let dir = std::env::temp_dir().join(format!("certkey-shapes-{}", std::process::id()));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new("python3")
        .arg(root.join("testdata/shapes.py"))
        .arg(&dir)
        .arg("--largest")
        .status()
        .expect("python3 runs testdata/shapes.py");
    assert!(status.success(), "testdata/shapes.py --largest failed");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();

    let mut group = c.benchmark_group("shapes");
    group.sample_size(10);
    for file in files {
        let input = std::fs::read(&file).unwrap();
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        // Every shape is something to report: none of them is a sound bundle.
        assert!(!audit(&input, &policy).findings().is_empty(), "{name}");
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_function(name, |b| {
            let mut auditor = Auditor::new();
            b.iter(|| auditor.audit(black_box(&input), &policy))
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
