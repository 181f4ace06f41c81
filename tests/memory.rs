//! Peak memory of an audit stays within a small multiple of the input, for the most hostile
//! inputs up to the size cap. Measured with a counting allocator (this test binary only).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use certkey::{audit, MEMBER_MAX_CHARS};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(now, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as a new allocation before the old one is freed, as it may be.
        let now = CURRENT.fetch_add(new_size, Ordering::SeqCst) + new_size;
        PEAK.fetch_max(now, Ordering::SeqCst);
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes allocated at the peak of one audit, above what was live before it.
fn peak_of_audit(input: &[u8]) -> (usize, certkey::Report) {
    let before = CURRENT.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let report = audit(input, &common::policy());
    (PEAK.load(Ordering::SeqCst) - before, report)
}

fn pem_lines(chars: usize) -> String {
    let line = "MIIDPTCCAiWgAwIBAgIULANXKvL+y3Kp2UdmkVBqrPHLMgIwDQYJKoZIhvcNAQEL\n";
    line.repeat(chars / line.len())
}

// One test function, so that no other test allocates while the counters run.
#[test]
fn hostile_inputs_up_to_the_cap_peak_under_twice_their_size() {
    let cap = certkey::DEFAULT_MAX_INPUT_LEN;
    let junk = "jünk\\n".repeat(MEMBER_MAX_CHARS / 5);
    let seven_junk_members = format!(
        "{{{}}}",
        certkey::Member::ALL
            .iter()
            .map(|m| format!("\"{}\": \"{junk}\"", m.name()))
            .collect::<Vec<_>>()
            .join(",")
    );
    let pem_body = pem_lines(MEMBER_MAX_CHARS - 60);
    let valid_looking_pem = serde_json::json!({
        "cert": format!("-----BEGIN CERTIFICATE-----\n{pem_body}-----END CERTIFICATE-----"),
        "private_key": format!("-----BEGIN PRIVATE KEY-----\n{pem_body}-----END PRIVATE KEY-----"),
    })
    .to_string();
    let small_blocks = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n"
        .repeat(MEMBER_MAX_CHARS / 60);
    let many_blocks =
        serde_json::json!({ "cert": small_blocks, "target_mgmt_cert": small_blocks }).to_string();
    let params = vec!["\"p\""; cap / 5].join(",");
    let huge_error_body = format!(r#"{{"error_code": "E", "error_param": [{params}]}}"#);
    let big_unknown_members = serde_json::json!({
        "a": "x".repeat(cap / 3),
        "b": vec![1u8; cap / 8],
        "c": "\\n".repeat(cap / 8),
    })
    .to_string();

    let error_msg = |text: String| format!(r#"{{"error_code": "x", "error_msg": "{text}"}}"#);
    let cases: [(&str, Vec<u8>); 10] = [
        ("16 MiB of [", vec![b'['; cap]),
        ("16 MiB of {\"a\":", "{\"a\":".repeat(cap / 5).into_bytes()),
        (
            "a string of 16 MiB",
            format!("\"{}\"", "x".repeat(cap - 2)).into_bytes(),
        ),
        (
            "seven members of 1 MiB of junk",
            seven_junk_members.into_bytes(),
        ),
        ("1 MiB of valid-looking PEM", valid_looking_pem.into_bytes()),
        ("1 MiB of tiny PEM blocks", many_blocks.into_bytes()),
        (
            "an error body with a huge array",
            huge_error_body.into_bytes(),
        ),
        (
            "undocumented members up to the cap",
            big_unknown_members.into_bytes(),
        ),
        (
            "an error message of 16 MiB",
            error_msg("é".repeat(cap / 2 - 20)).into_bytes(),
        ),
        (
            "an error message of 16 MiB of escapes",
            error_msg("\\u00e9".repeat(cap / 6 - 10)).into_bytes(),
        ),
    ];
    for (name, input) in cases {
        assert!(input.len() <= cap, "{name}: {} bytes", input.len());
        let (peak, report) = peak_of_audit(&input);
        assert!(!report.is_ok(), "{name}");
        assert!(
            peak <= 2 * input.len(),
            "{name}: peak {peak} bytes for {} bytes of input",
            input.len()
        );
        eprintln!("{name}: {} bytes in, peak {peak} bytes", input.len());
    }
}
