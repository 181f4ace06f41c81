//! `certkey-audit explain [ID]...`: the catalog, from the library's one table, as text or
//! JSON.

use std::io::{self, Write};

use certkey::{Check, CATALOG};

use crate::args::{self, ExplainFormat};
use crate::output::Written;

/// Prints the catalog entries `ids` name (every entry when there is none); the error is the
/// message for stderr.
pub fn run(ids: &[String], format: ExplainFormat) -> Result<(), String> {
    let (checks, exact) = select(ids)?;
    let mut out = io::stdout().lock();
    let written = match format {
        ExplainFormat::Json => serde_json::to_writer_pretty(&mut out, &in_flags(&checks))
            .map_err(io::Error::from)
            .and_then(|()| out.write_all(b"\n")),
        // Ids named one by one: their entries in full; an area or the whole catalog: a list.
        ExplainFormat::Text if exact => entries(&mut out, &checks),
        ExplainFormat::Text => list(&mut out, &checks),
    };
    match Written::Open.then(written.and_then(|()| out.flush())) {
        Written::Failed(e) => Err(format!("cannot write the output: {e}")),
        // A closed stdout (`| head`) is no error.
        Written::Open | Written::Closed => Ok(()),
    }
}

/// The entries `names` name, in catalog order, each once: an id in any case (`KEY.MISMATCH`),
/// or an area (`key`, `key.`) for every id in it; and whether every name was an id. A name
/// matching nothing is an error.
fn select(names: &[String]) -> Result<(Vec<&'static Check>, bool), String> {
    if names.is_empty() {
        return Ok((CATALOG.iter().collect(), false));
    }
    let mut wanted = vec![false; CATALOG.len()];
    let mut exact = true;
    for name in names {
        let name = name.trim().to_ascii_lowercase();
        let area = format!("{}.", name.trim_end_matches('.'));
        let mut found = false;
        for (index, check) in CATALOG.iter().enumerate() {
            let id = check.id.as_str();
            if id == name {
                wanted[index] = true;
                found = true;
            } else if id.starts_with(&area) {
                wanted[index] = true;
                found = true;
                exact = false;
            }
        }
        if !found {
            return Err(format!(
                "no finding has the id `{}` and no id starts with `{}`; `certkey-audit explain` lists them",
                certkey::quote(&name, 64),
                certkey::quote(&area, 64)
            ));
        }
    }
    let checks = CATALOG
        .iter()
        .zip(wanted)
        .filter_map(|(check, wanted)| wanted.then_some(check))
        .collect();
    Ok((checks, exact))
}

/// The entries as JSON, their texts' mentions of options worded as flags.
fn in_flags(checks: &[&Check]) -> serde_json::Value {
    let mut entries = serde_json::json!(checks);
    for entry in entries.as_array_mut().into_iter().flatten() {
        for text in ["explanation", "fix"] {
            if let Some(serde_json::Value::String(words)) = entry.get_mut(text) {
                *words = args::in_flags(words).into_owned();
            }
        }
    }
    entries
}

/// Each entry in full, separated by blank lines.
fn entries(out: &mut dyn Write, checks: &[&Check]) -> io::Result<()> {
    for (index, check) in checks.iter().enumerate() {
        if index > 0 {
            writeln!(out, "\n---\n")?;
        }
        writeln!(
            out,
            "{} ({})\n\n{}\n\n{}\n\nSource: {}\nFix: {}",
            check.id,
            check.severity,
            check.summary,
            args::in_flags(check.explanation),
            check.source,
            args::in_flags(check.fix)
        )?;
    }
    Ok(())
}

/// One line per entry: id, severity, summary.
fn list(out: &mut dyn Write, checks: &[&Check]) -> io::Result<()> {
    let width = checks
        .iter()
        .map(|c| c.id.as_str().len())
        .max()
        .unwrap_or(0);
    for check in checks {
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
