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
    /// A path named on the command line, as given: read whatever it is (a regular file, or
    /// a FIFO, a character device or a socket such as `<(…)` makes), bounded.
    Named(PathBuf),
    /// A `*.json` file found in a folder: read only if it is a regular file.
    Found(PathBuf),
    /// What cannot be read, known before reading: a folder that cannot be listed, or a
    /// `*.json` in a folder that is not a regular file. Its path, and why.
    Unreadable(PathBuf, String),
}

/// The name records give standard input.
const STDIN: &str = "<stdin>";

impl Source {
    /// The path, for a file or a folder (none for stdin).
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::Stdin => None,
            Self::Named(path) | Self::Found(path) | Self::Unreadable(path, _) => Some(path),
        }
    }

    /// The name JSON records give it ([`json_name`]), and whether it is escaped.
    pub fn json_name(&self) -> (Cow<'_, str>, bool) {
        self.path().map_or((Cow::Borrowed(STDIN), false), json_name)
    }

    /// The name text and the page show ([`shown`]).
    pub fn shown(&self) -> String {
        self.path().map_or_else(|| STDIN.to_owned(), shown)
    }
}

/// A path's name as JSON records give it: the path itself when it is UTF-8, and `false`;
/// otherwise the path with each byte that is not UTF-8 written `\xNN` and each backslash
/// `\\`, and `true`: two paths never have the same name, and the escaped one reads back.
pub fn json_name(path: &Path) -> (Cow<'_, str>, bool) {
    if let Some(text) = path.to_str() {
        return (Cow::Borrowed(text), false);
    }
    let mut name = String::new();
    for chunk in path.as_os_str().as_encoded_bytes().utf8_chunks() {
        name.push_str(&chunk.valid().replace('\\', "\\\\"));
        for byte in chunk.invalid() {
            name.push_str(&format!("\\x{byte:02x}"));
        }
    }
    (Cow::Owned(name), true)
}

/// A path fit for a terminal or a page: what could move the cursor, recolour or reorder the
/// text written as escapes ([`certkey::escape`]), and each byte that is not UTF-8 as `\xNN`.
pub fn shown(path: &Path) -> String {
    let mut shown = String::new();
    for chunk in path.as_os_str().as_encoded_bytes().utf8_chunks() {
        shown.push_str(&certkey::escape(chunk.valid()));
        for byte in chunk.invalid() {
            shown.push_str(&format!("\\x{byte:02x}"));
        }
    }
    shown
}

/// The inputs the paths name, in order: files as given, folders as their `*.json` files
/// (sorted by name; descending into sub-folders with `recursive`, each folder once however
/// many links lead to it), `-` as stdin. With no paths, stdin when it is piped. A folder that
/// cannot be listed, and a `*.json` in a folder that is not a regular file (a FIFO, a device,
/// or a folder when not descending), are inputs too ([`Source::Unreadable`]): each gets its
/// record. Returns the inputs and what was skipped (notes, each said once: folders reached
/// again through links, files found again).
///
/// Each file is audited once: a file a folder lists that is already an input (the same file
/// by another path or through a link, by device and inode) is skipped. Paths named on the
/// command line are always inputs, even twice.
pub fn expand(paths: &[PathBuf], recursive: bool) -> Expanded {
    let mut expanded = Expanded::default();
    if paths.is_empty() {
        if stdin_is_piped() {
            expanded.sources.push(Source::Stdin);
        }
        return expanded;
    }
    let mut seen = Seen::default();
    for path in paths {
        if path.as_os_str() == "-" {
            expanded.sources.push(Source::Stdin);
            continue;
        }
        let metadata = std::fs::metadata(path);
        if metadata.as_ref().is_ok_and(|m| m.is_dir()) {
            walk(path, recursive, &mut seen, &mut expanded);
        } else {
            if let Ok(identity) = metadata.and_then(|m| identity_of(path, &m)) {
                seen.files.insert(identity);
            }
            expanded.sources.push(Source::Named(path.clone()));
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
                    dir,
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
                    dir,
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
            let is_dir = kind.as_ref().is_ok_and(|k| k.is_dir());
            if is_dir && recursive {
                subfolders.push(path);
                continue;
            }
            if path
                .extension()
                .is_none_or(|e| !e.eq_ignore_ascii_case("json"))
            {
                continue;
            }
            match kind {
                // A folder named *.json, when not descending: said, not skipped in silence.
                Ok(_) if is_dir => found.sources.push(Source::Unreadable(
                    path,
                    "a folder, not a file (--recursive descends into it)".to_owned(),
                )),
                Ok(kind) if !kind.is_file() => found.sources.push(Source::Unreadable(
                    path,
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
                    found.sources.push(Source::Found(path));
                }
            }
        }
        // Reversed onto the stack, so the first sub-folder is listed next.
        pending.extend(subfolders.into_iter().rev());
    }
}

/// A file's or folder's device and inode (through links).
pub fn identity(path: &Path) -> io::Result<(u64, u64)> {
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

/// What a file that is not a regular one is, in words: `a FIFO`, `a device`, `a socket`,
/// `a folder`.
pub fn describe_kind(kind: std::fs::FileType) -> &'static str {
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

/// Standard input's device and inode, when it has them.
pub fn stdin_identity() -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::MetadataExt;
        let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
        let metadata = File::from(fd).metadata().ok()?;
        Some((metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        None
    }
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
        Source::Stdin => read_bounded(&mut io::stdin().lock(), cap, STREAM_BUFFER, None),
        Source::Named(path) => read_named(path, cap),
        Source::Found(path) => {
            let (file, len) = open_regular(path)?;
            read_file(file, len, cap)
        }
        Source::Unreadable(_, reason) => Err(io::Error::other(reason.clone())),
    }
}

/// The first buffer for a stream of unknown length.
const STREAM_BUFFER: usize = 64 * 1024;

/// Reads a path the user named (an input, `--ca`, `--passphrase-file`, `--allow-file`): a
/// regular file of at most `cap` bytes (more is `Input::Oversized`, unread), or a stream
/// (a FIFO, a character device, what `<(…)` makes) read to its end or to `cap + 1` bytes. A
/// FIFO's open waits for its writer, as every Unix tool's does.
pub fn read_named(path: &Path, cap: usize) -> io::Result<Input> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOCTTY);
    }
    let mut file = options.open(path)?;
    let metadata = file.metadata()?;
    if metadata.is_dir() {
        return Err(io::Error::other("a folder, not a file"));
    }
    if metadata.is_file() {
        return read_file(file, metadata.len(), cap);
    }
    read_bounded(&mut file, cap, STREAM_BUFFER, None)
}

/// Reads an open regular file of `len` bytes, if at most `cap` (more is `Input::Oversized`,
/// unread).
fn read_file(mut file: File, len: u64, cap: usize) -> io::Result<Input> {
    if len > cap as u64 {
        return Ok(Input::Oversized(Some(len)));
    }
    let hint = usize::try_from(len).unwrap_or(cap);
    read_bounded(&mut file, cap, hint + 1, Some(len))
}

/// Opens `path` if it is a regular file, and gives its length. The file is opened without
/// blocking and its type checked on the open file, so a FIFO, a device or a socket found in a
/// folder (a `*.json` FIFO) is refused at once, with no window for a swap between the check
/// and the read.
fn open_regular(path: &Path) -> io::Result<(File, u64)> {
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
