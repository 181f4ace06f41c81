//! `certkey-audit explain [ID]`: the catalog, from the library's one table.

use std::io::{self, Write};

use certkey::{CheckId, CATALOG};

use crate::output::Written;

/// Prints the catalog, or one entry; the error is the message for stderr.
pub fn run(id: Option<&str>) -> Result<(), String> {
    let mut out = io::stdout().lock();
    let written = match id {
        None => list(&mut out),
        Some(id) => match CheckId::from_name(id).map(CheckId::check) {
            Some(check) => writeln!(
                out,
                "{} ({})\n\n{}\n\n{}\n\nSource: {}\nFix: {}",
                check.id, check.severity, check.summary, check.explanation, check.source, check.fix
            ),
            None => {
                return Err(format!(
                    "no finding has the id {id:?}; `certkey-audit explain` lists them"
                ))
            }
        },
    };
    match Written::Open.then(written.and_then(|()| out.flush())) {
        Written::Failed(e) => Err(format!("cannot write the output: {e}")),
        // A closed stdout (`| head`) is no error.
        Written::Open | Written::Closed => Ok(()),
    }
}

fn list(out: &mut dyn Write) -> io::Result<()> {
    let width = CATALOG
        .iter()
        .map(|c| c.id.as_str().len())
        .max()
        .unwrap_or(0);
    for check in CATALOG {
        writeln!(
            out,
            "{:width$}  {:7}  {}",
            check.id.as_str(),
            check.severity.as_str(),
            check.summary
        )?;
    }
    Ok(())
}
