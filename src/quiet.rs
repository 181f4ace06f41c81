//! Panics kept inside: for the bindings, which run in another program's process.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Whether this thread is running work given to [`catch_quietly`].
    static INSIDE: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work` and returns what it returns, or `None` if it panicked, with nothing written to
/// the process's stderr: for a binding (the C ABI, the Python package) that must answer its
/// caller with an error and never print in the host program.
///
/// No input or option makes certkey panic (the fuzz targets and property tests look for one);
/// this keeps a bug, should one exist, from reaching the host's stderr or unwinding into C.
/// The panic's message is dropped, not returned: it could quote the input.
///
/// The first call installs a panic hook that stays silent for panics of work run here and
/// hands every other panic to the hook that was in place before, so the host's own panics are
/// reported as they were.
///
/// ```
/// assert_eq!(certkey::catch_quietly(|| 1 + 1), Some(2));
/// assert_eq!(certkey::catch_quietly(|| -> u8 { panic!("a bug") }), None);
/// ```
pub fn catch_quietly<T>(work: impl FnOnce() -> T) -> Option<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let earlier = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !INSIDE.with(Cell::get) {
                earlier(info);
            }
        }));
    });
    let was_inside = INSIDE.with(|inside| inside.replace(true));
    // The work's state is dropped on a panic, never looked at again.
    let result = catch_unwind(AssertUnwindSafe(work)).ok();
    INSIDE.with(|inside| inside.set(was_inside));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_inside_are_caught_and_the_flag_is_restored() {
        assert_eq!(
            catch_quietly(|| catch_quietly(|| -> u8 { panic!("inner") })),
            Some(None)
        );
        assert!(!INSIDE.with(Cell::get));
        assert_eq!(catch_quietly(|| "done"), Some("done"));
    }
}
