//! Slow inputs are failures: an input whose work takes longer than [`SLOW`] twice in a row is
//! reported as a crash, kept in `artifacts/` like any other.
//!
//! libFuzzer's own `-timeout` counts whole seconds (`campaign.sh` passes the least, 1); this
//! bound is a quarter of that. Every stage does work linear in its input, and the targets'
//! inputs are at most 64 KiB: their audits take microseconds to milliseconds, sanitizers
//! included. The second run tells a slow input from a pause of the machine.

use std::time::{Duration, Instant};

/// The longest an input's work may take.
pub const SLOW: Duration = Duration::from_millis(250);

/// Runs `work`, and panics when it takes longer than [`SLOW`], and again when run a second
/// time.
pub fn bounded<T>(mut work: impl FnMut() -> T) -> T {
    let started = Instant::now();
    let result = work();
    if started.elapsed() <= SLOW {
        return result;
    }
    let again = Instant::now();
    let result = work();
    let elapsed = again.elapsed();
    assert!(
        elapsed <= SLOW,
        "slow input: {elapsed:?} for its work, twice over {SLOW:?}"
    );
    result
}
