//! Printing reports: rustc-style text for people, JSON lines for machines.

use std::io::{self, Write};

use certkey::{Report, Severity};
use serde::Serialize;

/// Counts over all inputs, for the closing summary line and the exit code.
#[derive(Debug, Default)]
pub struct Tally {
    inputs: usize,
    failed: usize,
    errors: usize,
    warnings: usize,
}

impl Tally {
    pub fn add(&mut self, report: &Report) {
        self.inputs += 1;
        if !report.is_ok() {
            self.failed += 1;
        }
        self.errors += report.findings_of(Severity::Error).count();
        self.warnings += report.findings_of(Severity::Warning).count();
    }

    pub fn inputs(&self) -> usize {
        self.inputs
    }

    pub fn failed(&self) -> usize {
        self.failed
    }
}

/// One JSON object per input: the source, then the report's members.
#[derive(Serialize)]
struct Line<'a> {
    source: &'a str,
    #[serde(flatten)]
    report: &'a Report,
}

pub fn json_line(out: &mut dyn Write, source: &str, report: &Report) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &Line { source, report })?;
    out.write_all(b"\n")
}

pub fn text(out: &mut dyn Write, source: &str, report: &Report) -> io::Result<()> {
    for finding in report.findings() {
        writeln!(
            out,
            "{}[{}]: {}",
            finding.severity(),
            finding.id(),
            finding.message()
        )?;
        match finding.field() {
            Some(field) => writeln!(out, "  --> {source}: {}", field.name())?,
            None => writeln!(out, "  --> {source}")?,
        }
        if let Some(hint) = finding.hint() {
            writeln!(out, "  = help: {hint}")?;
        }
        writeln!(out)?;
    }

    let errors = report.findings_of(Severity::Error).count();
    let warnings = report.findings_of(Severity::Warning).count();
    let verdict = if report.is_ok() { "ok" } else { "FAILED" };
    writeln!(
        out,
        "{source}: {verdict} ({}, {})",
        plural(errors, "error"),
        plural(warnings, "warning")
    )?;
    let width = report
        .certificates()
        .iter()
        .map(|c| c.member.name().len())
        .max()
        .unwrap_or(0);
    for cert in report.certificates() {
        let expiry = if cert.days_left >= 0 {
            format!("expires in {}", plural(cert.days_left as usize, "day"))
        } else {
            format!(
                "expired {} ago",
                plural(cert.days_left.unsigned_abs() as usize, "day")
            )
        };
        writeln!(
            out,
            "  {:width$}  {}  {expiry}  {}",
            cert.member.name(),
            cert.subject,
            cert.key,
        )?;
    }
    writeln!(out)
}

pub fn summary(out: &mut dyn Write, tally: &Tally) -> io::Result<()> {
    writeln!(
        out,
        "{}: {} ok, {} failed — {}, {}",
        plural(tally.inputs, "bundle"),
        tally.inputs - tally.failed,
        tally.failed,
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning"),
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
