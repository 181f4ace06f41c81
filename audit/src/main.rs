//! `certkey-audit`: audits certkey responses (server-migration certificate bundles) offline.
//!
//! The binary only reads arguments and inputs, runs the audits in parallel and prints; every
//! check lives in the `certkey` library.

mod args;
mod explain;
mod input;
mod output;
mod page;
mod passphrase;
mod progress;
mod render;
mod sarif;

use std::io::{self, Write};
use std::process::ExitCode;

use certkey::{audit, Report};
use clap::{CommandFactory, Parser};
use rayon::prelude::*;

use args::{Args, Command, Format};
use output::{note, Written};

/// How a run that did what was asked ends.
enum Ending {
    /// Every input is ok under the policy in force, or the catalog was printed.
    Passed,
    /// Some input is not ok (unreadable inputs included).
    Failed,
}

/// Why a run could not do what was asked, in messages for stderr.
struct Trouble(Vec<String>);

impl Trouble {
    fn new(message: impl Into<String>) -> Self {
        Self(vec![message.into()])
    }
}

/// How many inputs are audited together before their records are written: enough to keep
/// both cores busy, few enough that memory holds a handful of reports, whatever the number
/// of inputs.
const CHUNK: usize = 128;

/// How the records of `--format text` and `json` are written.
struct Records<'a> {
    format: Format,
    quiet: bool,
    style: render::Style,
    ca_file: Option<&'a str>,
    ca_shown: Option<&'a str>,
}

impl Records<'_> {
    /// Writes one record per source, in order, while the output stays open.
    fn write(
        &self,
        out: &mut dyn Write,
        mut written: Written,
        sources: &[input::Source],
        reports: &[Report],
    ) -> Written {
        for (source, report) in sources.iter().zip(reports) {
            if written.is_closed() {
                break;
            }
            written = written.then(match (self.format, self.quiet) {
                (Format::Text, false) => render::text(
                    out,
                    &input::escaped(source.display_name()),
                    report,
                    self.style,
                    self.ca_shown,
                ),
                // Quiet: a line for each input that is not ok, so the summary's count has
                // names.
                (Format::Text, true) if !report.is_ok() => render::verdict_line(
                    out,
                    &input::escaped(source.display_name()),
                    report,
                    self.style,
                ),
                (Format::Text, true) => Ok(()),
                _ => render::json_line(out, source.display_name(), report, self.ca_file),
            });
        }
        written
    }
}

/// The one place exit codes are decided: 0 every input ok, 1 some input not ok, 2 nothing
/// could be audited as asked (bad arguments, nothing to audit) or the output could not be
/// written.
fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(Ending::Passed) => ExitCode::SUCCESS,
        Ok(Ending::Failed) => ExitCode::from(1),
        Err(Trouble(messages)) => {
            for message in &messages {
                note(message);
            }
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<Ending, Trouble> {
    match &args.command {
        Some(Command::Explain { ids, format }) => {
            return explain::run(ids, *format)
                .map(|()| Ending::Passed)
                .map_err(Trouble::new)
        }
        Some(Command::Completions { shell }) => {
            return output::generated(|out| {
                clap_complete::generate(*shell, &mut Args::command(), "certkey-audit", out);
                Ok(())
            })
            .map(|()| Ending::Passed)
            .map_err(Trouble::new)
        }
        Some(Command::Man) => {
            return output::generated(|out| clap_mangen::Man::new(Args::command()).render(out))
                .map(|()| Ending::Passed)
                .map_err(Trouble::new)
        }
        None => {}
    }
    let policy = args.policy().map_err(Trouble::new)?;

    let input::Expanded { sources, notes } = input::expand(&args.paths, args.recursive);
    for message in &notes {
        note(message);
    }
    if sources.is_empty() {
        return Err(Trouble::new(
            "no input: name response files or folders, or pipe one in (see --help)",
        ));
    }

    // Audited in parallel, printed in input order: one report per input, an input that
    // cannot be read included. Inputs go in chunks, each written before the next is
    // audited, so that memory holds one chunk's reports, not a whole folder's (the fleet
    // page and SARIF's single log keep them all).
    let keep = args.report.is_some() || args.format == Format::Sarif;
    let mut kept: Vec<Report> = Vec::with_capacity(if keep { sources.len() } else { 0 });
    let progress = progress::Progress::new(sources.len());
    let mut tally = render::Tally::default();
    let ca_file = args
        .ca
        .as_ref()
        .map(|path| path.to_string_lossy().into_owned());
    let ca_shown = ca_file.as_deref().map(input::escaped);
    let style = render::Style::detect(args.warn_within);
    let records = Records {
        format: args.format,
        quiet: args.quiet,
        style,
        ca_file: ca_file.as_deref(),
        ca_shown: ca_shown.as_deref(),
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut written = Written::Open;
    for (chunk, part) in sources.chunks(CHUNK).enumerate() {
        let reports: Vec<Report> = part
            .par_iter()
            .map(|source| {
                let report = match input::read(source, policy.max_input_len()) {
                    Ok(input::Input::Bytes(bytes)) => audit(&bytes, &policy),
                    Ok(input::Input::Oversized(len)) => Report::oversized_input(len, &policy),
                    Err(e) => Report::unreadable_input(&e.to_string(), &policy),
                };
                progress.tick();
                report
            })
            .collect();
        for report in &reports {
            tally.add(report);
        }
        // Once stdout is closed (`| head`), nothing more is written, and the exit code is
        // the verdict of everything audited.
        if args.format != Format::Sarif && !written.is_closed() {
            // The progress line steps aside while a chunk's records are written.
            progress.clear();
            written = records.write(&mut out, written, part, &reports);
            if chunk * CHUNK + part.len() < sources.len() && !written.is_closed() {
                written = written.then(out.flush());
                progress.redraw();
            }
        }
        if let Written::Failed(e) = &written {
            progress.finish();
            return Err(Trouble::new(format!("cannot write the output: {e}")));
        }
        if keep {
            kept.extend(reports);
        }
    }
    progress.finish();

    written = match args.format {
        Format::Sarif => written.then(sarif::write(&mut out, &sources, &kept)),
        Format::Text if !written.is_closed() => {
            written.then(render::summary(&mut out, &tally, style))
        }
        _ => written,
    };
    let written = if written.is_closed() {
        written
    } else {
        written.then(out.flush())
    };
    if let Written::Failed(e) = &written {
        return Err(Trouble::new(format!("cannot write the output: {e}")));
    }
    if let Some(path) = &args.report {
        write_report(path, &sources, &kept, args.warn_within).map_err(|e| {
            Trouble::new(format!(
                "cannot write the report {}: {e}",
                input::escaped(&path.to_string_lossy())
            ))
        })?;
    }
    if tally.failed() > 0 {
        Ok(Ending::Failed)
    } else {
        Ok(Ending::Passed)
    }
}

/// Writes the fleet page for `reports` to `path`.
fn write_report(
    path: &std::path::Path,
    sources: &[input::Source],
    reports: &[Report],
    warn_within: std::time::Duration,
) -> io::Result<()> {
    let fleet = certkey::fleet::Fleet::from_reports(
        sources.iter().map(input::Source::display_name).zip(reports),
        warn_within,
    );
    let shown: Vec<String> = sources
        .iter()
        .map(|source| input::escaped(source.display_name()).into_owned())
        .collect();
    let mut out = io::BufWriter::new(std::fs::File::create(path)?);
    page::write(&mut out, &fleet, &shown)?;
    out.flush()
}
