//! Reading inputs: bounded by the size cap, into buffers wiped on drop.

use std::fs::File;
use std::io::{self, Read};

use zeroize::Zeroizing;

/// What was read from one input.
pub enum Input {
    /// The whole input.
    Bytes(Zeroizing<Vec<u8>>),
    /// The input is over the cap: its length when known (files), `None` for a stream.
    Oversized(Option<u64>),
}

/// Reads `path` (`-` for stdin), never more than `cap + 1` bytes.
pub fn read(path: &str, cap: usize) -> io::Result<Input> {
    if path == "-" {
        return read_bounded(&mut io::stdin().lock(), cap, 64 * 1024, None);
    }
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
