//! `certkey-audit`: audits certkey responses (server-migration certificate bundles) offline.
//!
//! The binary only reads arguments and inputs and prints; every check lives in the `certkey`
//! library.

mod input;
mod render;

#[cfg(not(unix))]
use std::io::IsTerminal;
use std::io::{self, Write};
use std::process::ExitCode;
use std::time::SystemTime;

use certkey::{audit, Policy, Report};
use clap::{Parser, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  certkey-audit task-42.json                  audit one response
  certkey-audit --format json a.json b.json   one JSON object per input, one per line
  curl -s ... | certkey-audit -               audit what arrives on stdin
  certkey-audit --at 2026-12-01T00:00:00Z x.json
                                              audit as of the migration date

Exit status: 0 every input is ok, 1 some input is not, 2 usage error or unreadable input.";

/// Audits certkey responses (GET /v3/tasks/{task_id}/certkey) before a migration relies on them.
#[derive(Debug, Parser)]
#[command(version, after_help = EXAMPLES)]
struct Args {
    /// Output format: text for people, json for one JSON object per input per line.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Audit as of this time (RFC 3339, e.g. 2026-12-01T00:00:00Z) instead of now.
    #[arg(long, value_name = "RFC3339", value_parser = parse_rfc3339)]
    at: Option<SystemTime>,

    /// Response files to audit; `-` reads standard input (the default when it is piped).
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn parse_rfc3339(text: &str) -> Result<SystemTime, String> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(SystemTime::from)
        .map_err(|e| format!("not an RFC 3339 time such as 2026-12-01T00:00:00Z ({e})"))
}

fn main() -> ExitCode {
    let mut args = Args::parse();
    if args.paths.is_empty() {
        if !stdin_is_piped() {
            eprintln!("certkey-audit: no input: name response files, or pipe one in (see --help)");
            return ExitCode::from(2);
        }
        args.paths.push("-".to_owned());
    }

    let mut policy = Policy::default();
    if let Some(at) = args.at {
        policy = policy.with_audit_time(at);
    }

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut tally = render::Tally::default();
    let mut unreadable = false;
    for path in &args.paths {
        let report = match input::read(path, policy.max_input_len()) {
            Ok(input::Input::Bytes(bytes)) => audit(&bytes, &policy),
            Ok(input::Input::Oversized(len)) => Report::oversized_input(len, &policy),
            Err(e) => {
                // Flush first, so that stdout and stderr interleave in input order.
                let _ = out.flush();
                eprintln!("certkey-audit: cannot read {path}: {e}");
                unreadable = true;
                continue;
            }
        };
        let source = if path == "-" {
            "<stdin>"
        } else {
            path.as_str()
        };
        tally.add(&report);
        let written = match args.format {
            Format::Text => render::text(&mut out, source, &report),
            Format::Json => render::json_line(&mut out, source, &report),
        };
        if let Err(e) = written {
            return output_failed(e);
        }
    }
    if args.format == Format::Text && tally.inputs() > 0 {
        if let Err(e) = render::summary(&mut out, &tally) {
            return output_failed(e);
        }
    }
    if let Err(e) = out.flush() {
        return output_failed(e);
    }

    if unreadable {
        ExitCode::from(2)
    } else if tally.failed() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
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
        std::fs::File::from(fd).metadata().is_ok_and(|m| {
            let kind = m.file_type();
            kind.is_fifo() || kind.is_socket() || kind.is_file()
        })
    }
    #[cfg(not(unix))]
    {
        !io::stdin().is_terminal()
    }
}

fn output_failed(e: io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::from(1);
    }
    eprintln!("certkey-audit: cannot write the output: {e}");
    ExitCode::from(2)
}
