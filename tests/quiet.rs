//! `catch_quietly` keeps a panic of its work from the process's panic hook, and hands every
//! other panic to the hook that was there before (here a counting one, as a host program's).
//! One test function: the hook is the process's.

use std::sync::atomic::{AtomicUsize, Ordering};

static REPORTED: AtomicUsize = AtomicUsize::new(0);

#[test]
fn only_panics_outside_reach_the_hosts_hook() {
    std::panic::set_hook(Box::new(|_| {
        REPORTED.fetch_add(1, Ordering::SeqCst);
    }));
    assert_eq!(certkey::catch_quietly(|| -> u8 { panic!("inside") }), None);
    assert_eq!(
        REPORTED.load(Ordering::SeqCst),
        0,
        "a panic inside was reported"
    );
    assert!(std::panic::catch_unwind(|| panic!("outside")).is_err());
    assert_eq!(
        REPORTED.load(Ordering::SeqCst),
        1,
        "a panic outside was not reported"
    );
    // Work on another thread is outside, whatever this thread is doing.
    certkey::catch_quietly(|| {
        let other = std::thread::spawn(|| panic!("another thread"));
        assert!(other.join().is_err());
    });
    assert_eq!(REPORTED.load(Ordering::SeqCst), 2);
}
