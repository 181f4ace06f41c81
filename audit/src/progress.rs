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
        if !self.shown {
            return;
        }
        if let Some(count) = self.to_draw(done) {
            let _ = write!(std::io::stderr(), "\raudited {count}/{}", self.total);
        }
    }

    /// The count to draw once `done` inputs are done (as one thread saw it): on every 1% or
    /// so and at the end, and only if larger than the count drawn last, which threads that
    /// finished later may have drawn first.
    fn to_draw(&self, done: usize) -> Option<usize> {
        if !(done.is_multiple_of((self.total / 100).max(1)) || done == self.total) {
            return None;
        }
        let mut drawn = self.drawn.lock().unwrap_or_else(|e| e.into_inner());
        (done > *drawn).then(|| {
            *drawn = done;
            done
        })
    }

    /// Clears the line, for good.
    pub fn finish(&self) {
        self.clear();
    }

    /// Clears the line while records are written to a terminal; [`Progress::redraw`] draws
    /// it again.
    pub fn clear(&self) {
        if self.shown {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }

    /// Draws the count last drawn again, after [`Progress::clear`].
    pub fn redraw(&self) {
        if self.shown {
            let drawn = *self.drawn.lock().unwrap_or_else(|e| e.into_inner());
            let _ = write!(std::io::stderr(), "\raudited {drawn}/{}", self.total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_drawn_only_moves_forward() {
        let progress = Progress::new(1000);
        // Every tenth input, as threads report them out of order.
        assert_eq!(progress.to_draw(207), None);
        assert_eq!(progress.to_draw(210), Some(210));
        assert_eq!(progress.to_draw(200), None);
        assert_eq!(progress.to_draw(210), None);
        assert_eq!(progress.to_draw(220), Some(220));
        assert_eq!(progress.to_draw(1000), Some(1000));
        let few = Progress::new(7);
        assert_eq!(few.to_draw(3), Some(3));
        assert_eq!(few.to_draw(7), Some(7));
    }
}
