//! Where `--report` writes its page. The path is checked before anything is audited: not a
//! folder, a FIFO, a device or a socket, and not one of the inputs (a response, `--ca`,
//! `--passphrase-file`, `--allow-file`, or standard input). The page is written to a new file
//! in the same folder and renamed over the path, so it appears whole or not at all, and a
//! symbolic link at the path is replaced, never followed into the file it points to.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::input;

/// A path checked for writing.
pub struct Destination {
    path: PathBuf,
}

/// Checks `path` as the destination of a file, against the files the run reads (`inputs`,
/// and standard input when `reads_stdin`). The message names the path, shown as text shows
/// paths.
pub fn check(path: &Path, inputs: &[&Path], reads_stdin: bool) -> Result<Destination, String> {
    let shown = input::shown(path);
    let refuse =
        |why: &str| format!("--report {shown}: {why}; give the path of a new or regular file");
    match std::fs::symlink_metadata(path) {
        Ok(link) if link.is_dir() => return Err(refuse("it is a folder")),
        Ok(link) if !link.is_file() && !link.file_type().is_symlink() => {
            return Err(refuse(&format!(
                "it is {}",
                input::describe_kind(link.file_type())
            )))
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("--report {shown}: {e}")),
    }
    // The file the path leads to (through a link) must not be one the run reads.
    if let Ok(target) = input::identity(path) {
        let is_input = inputs
            .iter()
            .any(|input| input::identity(input).is_ok_and(|id| id == target))
            || (reads_stdin && input::stdin_identity().is_some_and(|id| id == target));
        if is_input {
            return Err(refuse(
                "it is one of the inputs, which the page would replace",
            ));
        }
    }
    Ok(Destination {
        path: path.to_path_buf(),
    })
}

impl Destination {
    /// Writes the file with `write`: into a new file beside the destination, synced, then
    /// renamed over it. On failure the new file is removed and the destination left as it
    /// was.
    pub fn write(&self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
        let (temporary, file) = self.create_temporary()?;
        let written = (|| {
            let mut out = io::BufWriter::new(file);
            write(&mut out)?;
            let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
            file.sync_all()?;
            std::fs::rename(&temporary, &self.path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        written
    }

    /// A new file in the destination's folder, named after it and this process.
    fn create_temporary(&self) -> io::Result<(PathBuf, File)> {
        let folder = match self.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        let mut attempt = 0;
        loop {
            let temporary = folder.join(format!(".{name}.{}-{attempt}.tmp", std::process::id()));
            match File::options()
                .write(true)
                .create_new(true)
                .open(&temporary)
            {
                Ok(file) => return Ok((temporary, file)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }
}
