//! Reading a folder's files as `certkey-audit` reads them, and nothing else: the part of a
//! folder's floor that is the files themselves (`docs/PERFORMANCE.md`).
//!
//! For each file: open, its metadata from the open file, a zeroed buffer one byte longer
//! than the file, reads to the end (the last one finds nothing more), close. Over the folder
//! `benches/folder.py` generates; without it, a notice and nothing measured.
//!
//!     python3 benches/folder.py            # once, to generate the folder
//!     cargo bench --bench read_folder

use std::io::Read;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-folder-1000");
    let Ok(entries) = std::fs::read_dir(&folder) else {
        eprintln!(
            "{}: not generated (python3 benches/folder.py); nothing measured",
            folder.display()
        );
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut group = c.benchmark_group("read_folder");
    group.throughput(Throughput::Elements(files.len() as u64));
    group.bench_function("1,000 responses", |b| {
        b.iter(|| {
            let mut total = 0;
            for path in &files {
                let mut file = std::fs::File::open(path).unwrap();
                let len = file.metadata().unwrap().len() as usize;
                let mut buf = vec![0u8; len + 1];
                let mut filled = 0;
                loop {
                    match file.read(&mut buf[filled..]).unwrap() {
                        0 => break,
                        n => filled += n,
                    }
                }
                total += filled;
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
