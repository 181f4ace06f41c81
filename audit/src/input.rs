//! Reading inputs: bounded by the size cap, into buffers wiped on drop.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use zeroize::Zeroize;

/// What was read from one input.
pub enum Input {
    /// The whole input.
    Bytes(Wiped),
    /// The input is over the cap: its length when known (files), `None` for a stream.
    Oversized(Option<u64>),
}

/// Bytes wiped when dropped, the whole allocation at once: zeroize's `Vec` impl writes one
/// byte at a time (about 2 µs for a documented-shape response), its slice impl all of them
/// behind an optimization barrier.
pub struct Wiped(Vec<u8>);

impl Wiped {
    fn zeroed(len: usize) -> Self {
        Self(vec![0; len])
    }
}

impl Drop for Wiped {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

/// Zeroes the whole allocation of `bytes`, spare capacity included, and leaves it that long.
fn wipe(bytes: &mut Vec<u8>) {
    bytes.resize(bytes.capacity(), 0);
    bytes.as_mut_slice().zeroize();
}

impl std::ops::Deref for Wiped {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// One input to audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file, named as given (or as found in a folder).
    File(PathBuf, String),
    /// What cannot be read, known before reading: a folder that cannot be listed, or a
    /// `*.json` in a folder that is not a regular file. Its name, and why.
    Unreadable(String, String),
}

impl Source {
    /// The name reports give it: the path as given, or `<stdin>`.
    pub fn display_name(&self) -> &str {
        match self {
            Self::Stdin => "<stdin>",
            Self::File(_, name) | Self::Unreadable(name, _) => name,
        }
    }

    /// The path, for a file or a folder (none for stdin).
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::Stdin => None,
            Self::File(path, _) => Some(path),
            Self::Unreadable(name, _) => Some(Path::new(name)),
        }
    }
}

/// The inputs the paths name, in order: files as given, folders as their `*.json` files
/// (sorted by name; descending into sub-folders with `recursive`, each folder once however
/// many links lead to it), `-` as stdin. With no paths, stdin when it is piped. A folder that
/// cannot be listed, and a `*.json` in a folder that is not a regular file, are inputs too
/// ([`Source::Unreadable`]): each gets its record. Returns the inputs and what was skipped
/// (notes, each said once: folders reached again through links, files found again).
///
/// Each file is audited once: a file a folder lists that is already an input (the same file
/// by another path or through a link, by device and inode) is skipped. Paths named on the
/// command line are always inputs, even twice.
pub fn expand(paths: &[String], recursive: bool) -> Expanded {
    let mut expanded = Expanded::default();
    if paths.is_empty() {
        if stdin_is_piped() {
            expanded.sources.push(Source::Stdin);
        }
        return expanded;
    }
    let mut seen = Seen::default();
    for path in paths {
        if path == "-" {
            expanded.sources.push(Source::Stdin);
            continue;
        }
        let as_path = Path::new(path);
        let metadata = std::fs::metadata(as_path);
        if metadata.as_ref().is_ok_and(|m| m.is_dir()) {
            walk(as_path, recursive, &mut seen, &mut expanded);
        } else {
            if let Ok(identity) = metadata.and_then(|m| identity_of(as_path, &m)) {
                seen.files.insert(identity);
            }
            expanded
                .sources
                .push(Source::File(as_path.to_path_buf(), path.clone()));
        }
    }
    if seen.folders_again > 0 {
        expanded.notes.push(format!(
            "{} reached again through links: each folder is listed once",
            plural(seen.folders_again, "folder was", "folders were")
        ));
    }
    if seen.files_again > 0 {
        expanded.notes.push(format!(
            "{} already an input (by another path or a link): each file is audited once",
            plural(
                seen.files_again,
                "file found in a folder was",
                "files found in folders were"
            )
        ));
    }
    expanded
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The folders and files listed so far, by device and inode, and how many were met again.
#[derive(Default)]
struct Seen {
    folders: HashSet<(u64, u64)>,
    files: HashSet<(u64, u64)>,
    folders_again: usize,
    files_again: usize,
}

/// What [`expand`] found.
#[derive(Debug, Default)]
pub struct Expanded {
    /// The inputs to audit, in order.
    pub sources: Vec<Source>,
    /// What was skipped, and why, as messages.
    pub notes: Vec<String>,
}

/// Lists `root`'s `*.json` files (any case: `.JSON` too) depth-first, in name order. Folders
/// and files are identified by device and inode, so a symbolic link back to a folder already
/// listed (`x -> .`) is not followed again (the walk ends, whatever the links) and a file
/// reached again is not listed again.
fn walk(root: &Path, recursive: bool, seen: &mut Seen, found: &mut Expanded) {
    // A stack of folders still to list, the next on top.
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        match identity(&dir) {
            Ok(identity) if !seen.folders.insert(identity) => {
                seen.folders_again += 1;
                continue;
            }
            Ok(_) => {}
            Err(e) => {
                found.sources.push(Source::Unreadable(
                    dir.to_string_lossy().into_owned(),
                    format!("the folder cannot be listed: {e}"),
                ));
                continue;
            }
        }
        let entries = std::fs::read_dir(&dir).and_then(|entries| {
            entries
                .map(|entry| entry.map(|e| e.path()))
                .collect::<io::Result<Vec<PathBuf>>>()
        });
        let mut entries = match entries {
            Ok(entries) => entries,
            Err(e) => {
                found.sources.push(Source::Unreadable(
                    dir.to_string_lossy().into_owned(),
                    format!("the folder cannot be listed: {e}"),
                ));
                continue;
            }
        };
        entries.sort();
        let mut subfolders = Vec::new();
        for path in entries {
            // Follows symbolic links: a link to a file or a folder counts as what it leads to.
            let metadata = std::fs::metadata(&path);
            let kind = metadata.as_ref().map(|m| m.file_type());
            if kind.as_ref().is_ok_and(|k| k.is_dir()) {
                if recursive {
                    subfolders.push(path);
                }
                continue;
            }
            if path
                .extension()
                .is_none_or(|e| !e.eq_ignore_ascii_case("json"))
            {
                continue;
            }
            match kind {
                Ok(kind) if !kind.is_file() => found.sources.push(Source::Unreadable(
                    path.to_string_lossy().into_owned(),
                    format!("not a regular file ({})", describe_kind(kind)),
                )),
                _ => {
                    let identity = metadata.as_ref().ok().map(|m| identity_of(&path, m));
                    if let Some(Ok(identity)) = identity {
                        if !seen.files.insert(identity) {
                            seen.files_again += 1;
                            continue;
                        }
                    }
                    let name = path.to_string_lossy().into_owned();
                    found.sources.push(Source::File(path, name));
                }
            }
        }
        // Reversed onto the stack, so the first sub-folder is listed next.
        pending.extend(subfolders.into_iter().rev());
    }
}

/// A file's or folder's device and inode (through links).
fn identity(path: &Path) -> io::Result<(u64, u64)> {
    identity_of(path, &std::fs::metadata(path)?)
}

/// The identity of `path`, whose metadata (through links) is `metadata`.
fn identity_of(path: &Path, metadata: &std::fs::Metadata) -> io::Result<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = path;
        Ok((metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        // Without inodes, the canonical path stands in for the identity.
        let _ = metadata;
        let canonical = std::fs::canonicalize(path)?;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        std::hash::Hash::hash(&canonical, &mut hasher);
        Ok((0, std::hash::Hasher::finish(&hasher)))
    }
}

fn describe_kind(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

/// `name` fit for a terminal: control characters and invisible formatting characters (which
/// could move the cursor, recolour or reorder what is shown) are written as escapes, e.g.
/// `\r`, `\u{1b}`, `\u{202e}`. Other text, backslashes included, is kept as it is.
pub fn escaped(name: &str) -> Cow<'_, str> {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c,
                '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
                | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
                | '\u{ffa0}' | '\u{fff0}'..='\u{fffb}' | '\u{e0000}'..='\u{e0fff}')
    };
    if !name.chars().any(hidden) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
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
    match source {
        Source::Stdin => read_bounded(&mut io::stdin().lock(), cap, 64 * 1024, None),
        Source::File(path, _) => read_file(path, cap),
        Source::Unreadable(_, reason) => Err(io::Error::other(reason.clone())),
    }
}

/// Reads a regular file of at most `cap` bytes (more is `Input::Oversized`, unread).
pub fn read_file(path: &Path, cap: usize) -> io::Result<Input> {
    let (mut file, len) = open_regular(path)?;
    if len > cap as u64 {
        return Ok(Input::Oversized(Some(len)));
    }
    let hint = usize::try_from(len).unwrap_or(cap);
    read_bounded(&mut file, cap, hint + 1, Some(len))
}

/// Opens `path` if it is a regular file, and gives its length. The file is opened without
/// blocking and its type checked on the open file, so a FIFO, a device or a socket (say a
/// `*.json` FIFO in a folder, or `--ca /dev/zero`) is refused at once, with no window for a
/// swap between the check and the read.
pub fn open_regular(path: &Path) -> io::Result<(File, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(io::Error::other(format!(
            "not a regular file ({})",
            describe_kind(metadata.file_type())
        )));
    }
    Ok((file, metadata.len()))
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
    let mut buf = Wiped::zeroed(initial.clamp(1, limit));
    let mut filled = 0;
    loop {
        if filled == buf.len() {
            if buf.len() == limit {
                // Still more after cap + 1 bytes.
                return Ok(Input::Oversized(known_len.filter(|&len| len > cap as u64)));
            }
            let mut bigger = Wiped::zeroed(buf.len().saturating_mul(2).min(limit));
            bigger.0[..filled].copy_from_slice(&buf[..filled]);
            buf = bigger;
        }
        match reader.read(&mut buf.0[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    if filled > cap {
        return Ok(Input::Oversized(None));
    }
    buf.0[filled..].zeroize();
    buf.0.truncate(filled);
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
    fn wipe_zeroes_the_whole_allocation() {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(&[0xa5; 64]);
        bytes.truncate(10);
        let capacity = bytes.capacity();
        wipe(&mut bytes);
        assert_eq!((bytes.len(), bytes.capacity()), (capacity, capacity));
        assert!(bytes.iter().all(|&b| b == 0));
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
