//! Reading inputs: bounded by the size cap, into buffers wiped on drop.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

/// What was read from one input.
pub enum Input {
    /// The whole input.
    Bytes(Zeroizing<Vec<u8>>),
    /// The input is over the cap: its length when known (files), `None` for a stream.
    Oversized(Option<u64>),
}

/// One input to audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file, named as given (or as found in a folder).
    File(PathBuf, String),
}

impl Source {
    /// The name reports give it: the path as given, or `<stdin>`.
    pub fn display_name(&self) -> &str {
        match self {
            Self::Stdin => "<stdin>",
            Self::File(_, name) => name,
        }
    }
}

/// The inputs the paths name, in order: files as given, folders as their `*.json` files
/// (sorted by name; descending into sub-folders with `recursive`), `-` as stdin. With no
/// paths, stdin when it is piped. Paths that cannot be listed are returned as messages.
pub fn expand(paths: &[String], recursive: bool) -> (Vec<Source>, Vec<String>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    if paths.is_empty() {
        if stdin_is_piped() {
            sources.push(Source::Stdin);
        }
        return (sources, errors);
    }
    for path in paths {
        if path == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        let as_path = Path::new(path);
        if as_path.is_dir() {
            if let Err(e) = walk(as_path, recursive, &mut sources) {
                errors.push(format!("cannot read {path}: {e}"));
            }
        } else {
            sources.push(Source::File(as_path.to_path_buf(), path.clone()));
        }
    }
    (sources, errors)
}

fn walk(dir: &Path, recursive: bool, sources: &mut Vec<Source>) -> io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if recursive {
                walk(&path, recursive, sources)?;
            }
        } else if path.extension().is_some_and(|e| e == "json") {
            let name = path.to_string_lossy().into_owned();
            sources.push(Source::File(path, name));
        }
    }
    Ok(())
}

/// Whether standard input is a pipe, socket or file (as opposed to a terminal, or nothing
/// at all, such as /dev/null): only then is it read when no path is named.
fn stdin_is_piped() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::FileTypeExt;
        let Ok(fd) = io::stdin().as_fd().try_clone_to_owned() else {
            return false;
        };
        File::from(fd).metadata().is_ok_and(|m| {
            let kind = m.file_type();
            kind.is_fifo() || kind.is_socket() || kind.is_file()
        })
    }
    #[cfg(not(unix))]
    {
        use std::io::IsTerminal;
        !io::stdin().is_terminal()
    }
}

/// Reads one input, never more than `cap + 1` bytes.
pub fn read(source: &Source, cap: usize) -> io::Result<Input> {
    let path = match source {
        Source::Stdin => return read_bounded(&mut io::stdin().lock(), cap, 64 * 1024, None),
        Source::File(path, _) => path,
    };
    let mut file = File::open(path)?;
    let metadata = file.metadata()?;
    if metadata.is_dir() {
        return Err(io::Error::other("is a directory"));
    }
    if metadata.len() > cap as u64 {
        return Ok(Input::Oversized(Some(metadata.len())));
    }
    let hint = usize::try_from(metadata.len()).unwrap_or(cap);
    read_bounded(&mut file, cap, hint + 1, Some(metadata.len()))
}

/// Reads to the end or to `cap + 1` bytes, whichever comes first. The buffer never grows in
/// place: a bigger one is filled and the old one wiped, so no unwiped copy is left behind.
fn read_bounded(
    reader: &mut dyn Read,
    cap: usize,
    initial: usize,
    known_len: Option<u64>,
) -> io::Result<Input> {
    let limit = cap.saturating_add(1);
    let mut buf = Zeroizing::new(vec![0u8; initial.clamp(1, limit)]);
    let mut filled = 0;
    loop {
        if filled == buf.len() {
            if buf.len() == limit {
                // Still more after cap + 1 bytes.
                return Ok(Input::Oversized(known_len.filter(|&len| len > cap as u64)));
            }
            let mut bigger = Zeroizing::new(vec![0u8; buf.len().saturating_mul(2).min(limit)]);
            bigger[..filled].copy_from_slice(&buf[..filled]);
            buf = bigger;
        }
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    if filled > cap {
        return Ok(Input::Oversized(None));
    }
    zeroize::Zeroize::zeroize(&mut buf[filled..]);
    buf.truncate(filled);
    Ok(Input::Bytes(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(input: Input) -> Vec<u8> {
        match input {
            Input::Bytes(b) => b.to_vec(),
            Input::Oversized(_) => panic!("oversized"),
        }
    }

    #[test]
    fn reads_everything_up_to_the_cap_whatever_the_first_guess() {
        let data: Vec<u8> = (0..=255).cycle().take(10_000).collect();
        for initial in [1, 7, 10_000, 20_000] {
            let got = read_bounded(&mut data.as_slice(), 10_000, initial, None).unwrap();
            assert_eq!(bytes(got), data);
        }
    }

    #[test]
    fn one_byte_over_the_cap_is_oversized() {
        let data = vec![b'x'; 10_001];
        let got = read_bounded(&mut data.as_slice(), 10_000, 64, None).unwrap();
        assert!(matches!(got, Input::Oversized(None)));
    }
}
