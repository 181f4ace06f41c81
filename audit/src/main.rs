//! `certkey-audit`: audits certkey responses (server-migration certificate bundles) offline.
//!
//! The binary only reads arguments and inputs, runs the audits in parallel and prints; every
//! check lives in the `certkey` library.

mod args;
mod destination;
mod explain;
mod fleet;
mod input;
mod output;
mod page;
mod passphrase;
mod progress;
mod render;
mod sarif;

use std::io::{self, Write};
use std::process::ExitCode;

use certkey::{Auditor, Report};
use rayon::prelude::*;

use args::{Args, Command, Format};
use output::{note, Written};

thread_local! {
    /// Each worker's auditor, which remembers the last CA from one bundle to the next: a
    /// folder's bundles share one.
    static AUDITOR: std::cell::RefCell<Auditor> = std::cell::RefCell::new(Auditor::new());
}

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
    /// The `--ca` file's name, as JSON records give it, and whether it is escaped.
    ca_file: Option<(&'a str, bool)>,
    /// The `--ca` file's name, as text shows it.
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
                (Format::Text, false) => {
                    render::text(out, &source.shown(), report, self.style, self.ca_shown)
                }
                // Quiet: a line for each input that is not ok, so the summary's count has
                // names.
                (Format::Text, true) if !report.is_ok() => {
                    render::verdict_line(out, &source.shown(), report, self.style)
                }
                (Format::Text, true) => Ok(()),
                _ => render::json_line(out, source.json_name(), report, self.ca_file),
            });
        }
        written
    }
}

/// The one place exit codes are decided: 0 every input ok, 1 some input not ok, 2 nothing
/// could be audited as asked (bad arguments, nothing to audit) or the output could not be
/// written.
fn main() -> ExitCode {
    let args = match args::parse() {
        Ok(args) => args,
        Err(error) => return usage(&error),
    };
    match run(&args) {
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

/// The most characters of a line of clap's message kept.
const USAGE_LINE_MAX_CHARS: usize = 400;

/// clap's answer to arguments it cannot take. Help and the version are printed as clap prints
/// them (they hold nothing that was typed); an error has each line quoted as certkey quotes
/// its input, since clap repeats what was typed (a passphrase given to the wrong option, say):
/// key-shaped text withheld, control characters gone.
fn usage(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        error.exit();
    }
    let rendered = error.render().to_string();
    let mut stderr = io::stderr().lock();
    for line in rendered.lines() {
        // A closed stderr loses the message; the exit code still tells.
        let _ = writeln!(stderr, "{}", certkey::quote(line, USAGE_LINE_MAX_CHARS));
    }
    ExitCode::from(2)
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
                clap_complete::generate(*shell, &mut args::command(), "certkey-audit", out);
                Ok(())
            })
            .map(|()| Ending::Passed)
            .map_err(Trouble::new)
        }
        Some(Command::Man) => {
            return output::generated(|out| clap_mangen::Man::new(args::command()).render(out))
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
    // The page's path is checked before anything is audited.
    let destination = match &args.report {
        Some(path) => {
            let read: Vec<&std::path::Path> = sources
                .iter()
                .filter_map(input::Source::path)
                .chain(args.ca.as_deref())
                .chain(args.passphrase_file.as_deref())
                .chain(args.allow_file.as_deref())
                .collect();
            let reads_stdin = sources.contains(&input::Source::Stdin);
            Some(destination::check(path, &read, reads_stdin).map_err(Trouble::new)?)
        }
        None => None,
    };

    // Audited in parallel, printed in input order: one report per input, an input that
    // cannot be read included. Inputs go in chunks, each written before the next is
    // audited, so that memory holds one chunk's reports, not a whole folder's (the fleet
    // page and SARIF's single log keep them all).
    let keep = args.report.is_some() || args.format == Format::Sarif;
    let mut kept: Vec<Report> = Vec::with_capacity(if keep { sources.len() } else { 0 });
    let progress = progress::Progress::new(sources.len());
    let mut tally = render::Tally::default();
    let ca_file = args.ca.as_deref().map(input::json_name);
    let ca_shown = args.ca.as_deref().map(input::shown);
    let style = render::Style::detect(policy.warn_within());
    let records = Records {
        format: args.format,
        quiet: args.quiet,
        style,
        ca_file: ca_file
            .as_ref()
            .map(|(name, escaped)| (name.as_ref(), *escaped)),
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
                    Ok(input::Input::Bytes(bytes)) => {
                        AUDITOR.with_borrow_mut(|auditor| auditor.audit(&bytes, &policy))
                    }
                    Ok(input::Input::Oversized(len)) => Report::oversized_input(len, &policy),
                    Err(e) => Report::unreadable_input(&e.to_string(), &policy),
                }
                // The library names options as every front end does; here, as flags.
                .reworded(args::flag);
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
    if let (Some(destination), Some(path)) = (&destination, &args.report) {
        write_report(destination, &sources, &kept, policy.warn_within()).map_err(|e| {
            Trouble::new(format!(
                "cannot write the report {}: {e}",
                input::shown(path)
            ))
        })?;
    }
    if tally.failed() > 0 {
        Ok(Ending::Failed)
    } else {
        Ok(Ending::Passed)
    }
}

/// Writes the fleet page for `reports` to `destination`.
fn write_report(
    destination: &destination::Destination,
    sources: &[input::Source],
    reports: &[Report],
    warn_within: std::time::Duration,
) -> io::Result<()> {
    let names: Vec<_> = sources.iter().map(|source| source.json_name().0).collect();
    let fleet = fleet::Fleet::from_reports(
        names.iter().map(|name| name.as_ref()).zip(reports),
        warn_within,
    );
    let shown: Vec<String> = sources.iter().map(input::Source::shown).collect();
    destination.write(|mut out| page::write(&mut out, &fleet, &shown))
}
