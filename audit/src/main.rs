//! `certkey-audit`: audits certkey responses (server-migration certificate bundles) offline.
//!
//! The binary only reads arguments and inputs, runs the audits in parallel and prints; every
//! check lives in the `certkey` library.

mod args;
mod explain;
mod input;
mod passphrase;
mod progress;
mod render;

use std::io::{self, Write};
use std::process::ExitCode;

use certkey::{audit, Report};
use clap::Parser;
use rayon::prelude::*;

use args::{Args, Command, Format};

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(Command::Explain { id }) = &args.command {
        return explain::run(id.as_deref());
    }
    let policy = match args.policy() {
        Ok(policy) => policy,
        Err(message) => {
            eprintln!("certkey-audit: {message}");
            return ExitCode::from(2);
        }
    };

    let (sources, mut unreadable) = input::expand(&args.paths, args.recursive);
    if sources.is_empty() && unreadable.is_empty() {
        eprintln!(
            "certkey-audit: no input: name response files or folders, or pipe one in (see --help)"
        );
        return ExitCode::from(2);
    }

    // Audited in parallel, printed in input order.
    let progress = progress::Progress::new(sources.len());
    let results: Vec<Result<Report, String>> = sources
        .par_iter()
        .map(|source| {
            let result = match input::read(source, policy.max_input_len()) {
                Ok(input::Input::Bytes(bytes)) => Ok(audit(&bytes, &policy)),
                Ok(input::Input::Oversized(len)) => Ok(Report::oversized_input(len, &policy)),
                Err(e) => Err(format!("cannot read {}: {e}", source.display_name())),
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
    for (source, result) in sources.iter().zip(&results) {
        let report = match result {
            Ok(report) => report,
            Err(message) => {
                unreadable.push(message.clone());
                continue;
            }
        };
        tally.add(report);
        let written = match (args.format, args.quiet) {
            (Format::Json, _) => render::json_line(&mut out, source.display_name(), report),
            (Format::Text, false) => render::text(&mut out, source.display_name(), report, style),
            (Format::Text, true) => Ok(()),
        };
        if let Err(e) = written {
            return output_failed(e);
        }
    }
    if args.format == Format::Text && tally.inputs() > 0 {
        if let Err(e) = render::summary(&mut out, &tally, style) {
            return output_failed(e);
        }
    }
    if let Err(e) = out.flush() {
        return output_failed(e);
    }
    for message in &unreadable {
        eprintln!("certkey-audit: {message}");
    }

    if !unreadable.is_empty() {
        ExitCode::from(2)
    } else if tally.failed() > 0 || (args.strict && tally.warnings() > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn output_failed(e: io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::from(1);
    }
    eprintln!("certkey-audit: cannot write the output: {e}");
    ExitCode::from(2)
}
