//! `certkey-audit explain [ID]`: the catalog, from the library's one table.

use std::io::{self, Write};
use std::process::ExitCode;

use certkey::{CheckId, CATALOG};

use crate::output::{note, Written};

pub fn run(id: Option<&str>) -> ExitCode {
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
                note(&format!(
                    "no finding has the id {id:?}; `certkey-audit explain` lists them"
                ));
                return ExitCode::from(2);
            }
        },
    };
    match Written::Open.then(written.and_then(|()| out.flush())) {
        Written::Failed(e) => {
            note(&format!("cannot write the output: {e}"));
            ExitCode::from(2)
        }
        // A closed stdout (`| head`) is no error.
        Written::Open | Written::Closed => ExitCode::SUCCESS,
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
