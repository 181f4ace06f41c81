//! No private-key material is left in memory an audit frees. A scanning allocator (this test
//! binary only) hands out zeroed blocks and, while an audit runs, looks through every block
//! freed for pieces of the bundle's private keys: a line of each key member's text, as it
//! stands after JSON unescaping, and a run of its DER from the private part (RSA's exponents
//! and primes, an EC scalar, an Ed25519 seed).
//!
//! It proves the wiping of what certkey holds: the unescaped member text, the decoded DER,
//! every buffer it copies either into. Values a crate computes from the key in its own
//! representation (crypto-bigint's limbs, for one) are not byte runs of the DER, and the
//! security properties in docs/DESIGN.md say which of those are freed unwiped.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use base64ct::{Base64, Encoding};
use certkey::audit;

struct Scanning;

thread_local! {
    /// Whether this thread's frees are scanned: only the audit's thread is, so that another
    /// test running meanwhile (this binary's helpers have their own) is not.
    static SCANNING: Cell<bool> = const { Cell::new(false) };
}
static SCANNED: AtomicUsize = AtomicUsize::new(0);
static FOUND: AtomicUsize = AtomicUsize::new(0);
/// The pieces looked for, set while no scan runs.
static NEEDLES: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

// SAFETY: every call is forwarded to the system allocator. Blocks are handed out zeroed, so
// every byte of a block is initialized when it is read back in `dealloc`, before it is freed.
unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if SCANNING.get() {
            // SAFETY: the block is live until `System.dealloc` below, and initialized.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            // `try_lock`: the needles are only read while a scan runs; nothing else holds
            // the lock then, and an allocation made under it cannot come back here.
            if let Ok(needles) = NEEDLES.try_lock() {
                SCANNED.fetch_add(1, Ordering::SeqCst);
                if needles.iter().any(|needle| contains(block, needle)) {
                    FOUND.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
        unsafe { System.dealloc(ptr, layout) }
    }
    // `realloc` is GlobalAlloc's own: a new block, a copy, then `dealloc` of the old one,
    // which is scanned like any other.
}

#[global_allocator]
static ALLOCATOR: Scanning = Scanning;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, _)) = needle.split_first() else {
        return false;
    };
    haystack.len() >= needle.len()
        && (0..=haystack.len() - needle.len())
            .any(|at| haystack[at] == first && haystack[at..at + needle.len()] == *needle)
}

/// A line of the key's base64 and a run of its DER, both from its private part.
fn pieces_of_key(pem: &str) -> [Vec<u8>; 2] {
    let label = pem.lines().next().unwrap();
    let lines: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = Base64::decode_vec(&lines.concat()).unwrap();
    // Where the private part lies: an EC key's scalar follows its version (SEC1), an
    // Ed25519 key's seed is the last 32 bytes of its 48 (PKCS#8 v1), and an RSA key's
    // private exponent and primes fill everything after the first quarter.
    let (private, line) = match label {
        "-----BEGIN EC PRIVATE KEY-----" => (7..39, 0),
        "-----BEGIN PRIVATE KEY-----" if der.len() == 48 => (16..48, 0),
        _ => {
            let at = der.len() * 6 / 10;
            (at..at + 32, lines.len() * 6 / 10)
        }
    };
    [lines[line].as_bytes().to_vec(), der[private].to_vec()]
}

/// Audits `bundle` with the scan on, and says how many freed blocks held a piece of a key.
fn found_in_freed_memory(bundle: &[u8]) -> usize {
    let json: serde_json::Value = serde_json::from_slice(bundle).unwrap();
    let pieces: Vec<Vec<u8>> = certkey::Member::ALL
        .iter()
        .filter(|member| member.name().ends_with("private_key"))
        .flat_map(|member| pieces_of_key(json[member.name()].as_str().unwrap()))
        .collect();
    assert_eq!(pieces.len(), 6, "two pieces of each of three keys");
    let policy = common::policy();
    *NEEDLES.lock().unwrap() = pieces;
    FOUND.store(0, Ordering::SeqCst);
    SCANNED.store(0, Ordering::SeqCst);
    SCANNING.set(true);
    let report = audit(bundle, &policy);
    SCANNING.set(false);
    assert!(report.is_ok(), "{:?}", report.findings());
    drop(report);
    assert!(
        SCANNED.load(Ordering::SeqCst) > 100,
        "the scan ran over the audit's frees"
    );
    FOUND.load(Ordering::SeqCst)
}

#[test]
fn no_piece_of_a_key_is_left_in_freed_memory() {
    // The scan finds what it looks for: a copy of a key's text freed unwiped.
    let good = common::bundle("good.json");
    let json: serde_json::Value = serde_json::from_slice(&good).unwrap();
    let [line, _] = pieces_of_key(json["private_key"].as_str().unwrap());
    *NEEDLES.lock().unwrap() = vec![line.clone()];
    FOUND.store(0, Ordering::SeqCst);
    SCANNING.set(true);
    drop(std::hint::black_box(line.clone()));
    SCANNING.set(false);
    assert_eq!(FOUND.load(Ordering::SeqCst), 1);

    for name in [
        "good.json",
        "good-rsa4096.json",
        "good-p256.json",
        "good-ed25519.json",
    ] {
        let found = found_in_freed_memory(&common::bundle(name));
        assert_eq!(
            found, 0,
            "{name}: {found} freed blocks held a piece of a key"
        );
    }
}
