//! A rehearsal leaves no thread and no socket behind. Alone in its test binary, so that no
//! other test opens or closes anything meanwhile.
#![cfg(all(feature = "handshake", target_os = "linux"))]

mod common;

use certkey::{audit, Rehearsal};

fn count(dir: &str) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

#[test]
fn rehearsals_leave_no_thread_or_socket_behind() {
    let input = common::bundle("good.json");
    let policy = common::policy().with_handshake(Rehearsal::Always);
    // A first run loads what stays loaded (ring's tables, the random source).
    assert!(audit(&input, &policy).has(certkey::CheckId::HandshakeOk));
    let threads = count("/proc/self/task");
    let descriptors = count("/proc/self/fd");
    for _ in 0..10 {
        let report = audit(&input, &policy);
        assert!(report.has(certkey::CheckId::HandshakeOk));
        assert!(!report.has(certkey::CheckId::HandshakeFailed));
    }
    assert_eq!(count("/proc/self/task"), threads, "threads left behind");
    assert_eq!(
        count("/proc/self/fd"),
        descriptors,
        "descriptors left behind"
    );
}
