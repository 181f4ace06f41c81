//! A progress line on stderr, only when stderr is a terminal and there are many inputs.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Inputs below this many finish too fast for a progress line to help.
const MANY: usize = 200;

pub struct Progress {
    total: usize,
    done: AtomicUsize,
    /// The count last drawn: audits finish out of order, and a count is drawn only when it
    /// is larger, so the line only moves forward.
    drawn: Mutex<usize>,
    shown: bool,
}

impl Progress {
    pub fn new(total: usize) -> Self {
        Self {
            total,
            done: AtomicUsize::new(0),
            drawn: Mutex::new(0),
            shown: total >= MANY && std::io::stderr().is_terminal(),
        }
    }

    /// Counts one input done; redraws every 1% or so.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.shown && (done.is_multiple_of((self.total / 100).max(1)) || done == self.total) {
            let mut drawn = self.drawn.lock().unwrap_or_else(|e| e.into_inner());
            if done > *drawn {
                *drawn = done;
                let _ = write!(std::io::stderr(), "\raudited {done}/{}", self.total);
            }
        }
    }

    /// Clears the line.
    pub fn finish(&self) {
        if self.shown {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
