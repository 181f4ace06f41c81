//! `certkey-audit`: audits certkey responses (server-migration certificate bundles) offline.
//!
//! The binary only reads arguments and inputs, runs the audits in parallel and prints; every
//! check lives in the `certkey` library.

mod args;
mod explain;
mod input;
mod output;
mod passphrase;
mod progress;
mod render;

use std::io::{self, Write};
use std::process::ExitCode;

use certkey::{audit, Report};
use clap::Parser;
use rayon::prelude::*;

use args::{Args, Command, Format};
use output::{note, Written};

/// How a run that did what was asked ends.
enum Ending {
    /// Every input passed (with `--strict`, without warnings too), or the catalog was printed.
    Passed,
    /// Some input failed its audit.
    Failed,
}

/// Why a run could not do what was asked, in messages for stderr.
struct Trouble(Vec<String>);

impl Trouble {
    fn new(message: impl Into<String>) -> Self {
        Self(vec![message.into()])
    }
}

/// The one place exit codes are decided: 0 passed, 1 failed, 2 could not do what was asked
/// (bad arguments, unreadable input, output that cannot be written).
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
    if let Some(Command::Explain { id }) = &args.command {
        return explain::run(id.as_deref())
            .map(|()| Ending::Passed)
            .map_err(Trouble::new);
    }
    let policy = args.policy().map_err(Trouble::new)?;

    let input::Expanded {
        sources,
        errors: mut unreadable,
        notes,
    } = input::expand(&args.paths, args.recursive);
    for message in &notes {
        note(message);
    }
    if sources.is_empty() && unreadable.is_empty() {
        return Err(Trouble::new(
            "no input: name response files or folders, or pipe one in (see --help)",
        ));
    }

    // Audited in parallel, printed in input order.
    let progress = progress::Progress::new(sources.len());
    let results: Vec<Result<Report, String>> = sources
        .par_iter()
        .map(|source| {
            let result = match input::read(source, policy.max_input_len()) {
                Ok(input::Input::Bytes(bytes)) => Ok(audit(&bytes, &policy)),
                Ok(input::Input::Oversized(len)) => Ok(Report::oversized_input(len, &policy)),
                Err(e) => Err(format!(
                    "cannot read {}: {e}",
                    input::escaped(source.display_name())
                )),
            };
            progress.tick();
            result
        })
        .collect();
    progress.finish();

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let style = render::Style::detect();
    let mut tally = render::Tally::default();
    // Once stdout is closed (`| head`), nothing more is written, and the exit code is the
    // verdict of what was audited.
    let mut written = Written::Open;
    for (source, result) in sources.iter().zip(&results) {
        let report = match result {
            Ok(report) => report,
            Err(message) => {
                unreadable.push(message.clone());
                continue;
            }
        };
        tally.add(report);
        if written.is_closed() {
            continue;
        }
        written = written.then(match (args.format, args.quiet) {
            (Format::Json, _) => render::json_line(&mut out, source.display_name(), report),
            (Format::Text, false) => render::text(
                &mut out,
                &input::escaped(source.display_name()),
                report,
                style,
            ),
            (Format::Text, true) => Ok(()),
        });
    }
    if args.format == Format::Text && tally.inputs() > 0 && !written.is_closed() {
        written = written.then(render::summary(&mut out, &tally, style));
    }
    if !written.is_closed() {
        written = written.then(out.flush());
    }
    if let Written::Failed(e) = &written {
        return Err(Trouble::new(format!("cannot write the output: {e}")));
    }
    if !unreadable.is_empty() {
        Err(Trouble(unreadable))
    } else if tally.failed() > 0 || (args.strict && tally.warnings() > 0) {
        Ok(Ending::Failed)
    } else {
        Ok(Ending::Passed)
    }
}
