//! Writing without panicking: `println!` and `eprintln!` panic when the stream is closed
//! (`certkey-audit ... | head -1`, or a parent that closed stderr), which would end the run
//! with exit code 101 instead of its verdict.

use std::io::{self, Write};

/// A message on stderr, prefixed with the program's name. A closed stderr loses it silently:
/// the exit code still tells.
pub fn note(message: &str) {
    let _ = writeln!(io::stderr().lock(), "certkey-audit: {message}");
}

/// The state of the standard output while writing reports.
#[derive(Debug)]
pub enum Written {
    /// Everything so far was written.
    Open,
    /// The reader went away (a broken pipe): not a failure of the audit, nothing more is
    /// written.
    Closed,
    /// Writing failed otherwise (a full disk): exit 2.
    Failed(io::Error),
}

impl Written {
    /// The state after one more write's result.
    pub fn then(self, result: io::Result<()>) -> Self {
        match (self, result) {
            (Self::Open, Ok(())) => Self::Open,
            (Self::Open, Err(e)) if e.kind() == io::ErrorKind::BrokenPipe => Self::Closed,
            (Self::Open, Err(e)) => Self::Failed(e),
            (state, _) => state,
        }
    }

    /// Whether nothing more can be written.
    pub fn is_closed(&self) -> bool {
        !matches!(self, Self::Open)
    }
}

/// Writes generated text (a completion script, the manual page) to stdout: a closed stdout is
/// no error, a failed write is the message for stderr.
pub fn generated(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), String> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let result = write(&mut out).and_then(|()| out.flush());
    match Written::Open.then(result) {
        Written::Failed(e) => Err(format!("cannot write the output: {e}")),
        Written::Open | Written::Closed => Ok(()),
    }
}
