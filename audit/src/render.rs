//! Printing reports: rustc-style text for people, JSON lines for machines.

use std::io::{self, IsTerminal, Write};

use certkey::{Identity, Report, Role, Severity};
use serde::Serialize;

/// Whether to colour text output (on a terminal or with `CLICOLOR_FORCE` set, never with
/// `NO_COLOR` set), and
/// the expiry warning window, in which dates are shown in yellow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    colour: bool,
    warn_within: std::time::Duration,
}

impl Style {
    pub fn detect(warn_within: std::time::Duration) -> Self {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
        Self {
            colour: !set("NO_COLOR") && (set("CLICOLOR_FORCE") || io::stdout().is_terminal()),
            warn_within,
        }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn severity(self, severity: Severity) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, severity.as_str())
    }
}

/// Counts over all inputs, for the closing summary line and the exit code.
#[derive(Debug, Default)]
pub struct Tally {
    inputs: usize,
    failed: usize,
    counts: Counts,
}

impl Tally {
    pub fn add(&mut self, report: &Report) {
        self.inputs += 1;
        if !report.is_ok() {
            self.failed += 1;
        }
        let counts = Counts::of(report);
        self.counts.errors += counts.errors;
        self.counts.warnings += counts.warnings;
        self.counts.allowed += counts.allowed;
    }

    /// Inputs that are not ok under the policy in force.
    pub fn failed(&self) -> usize {
        self.failed
    }
}

/// Errors and warnings (allowed ones aside), and allowed findings.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    errors: usize,
    warnings: usize,
    allowed: usize,
}

impl Counts {
    fn of(report: &Report) -> Self {
        let mut counts = Self::default();
        for finding in report.findings() {
            match (finding.is_allowed(), finding.severity()) {
                (true, Severity::Error | Severity::Warning) => counts.allowed += 1,
                (false, Severity::Error) => counts.errors += 1,
                (false, Severity::Warning) => counts.warnings += 1,
                (_, Severity::Info) => {}
            }
        }
        counts
    }
}

impl std::fmt::Display for Counts {
    /// `2 errors, 1 warning`, and `, 1 allowed` when some are.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning")
        )?;
        if self.allowed > 0 {
            write!(f, ", {} allowed", self.allowed)?;
        }
        Ok(())
    }
}

/// One JSON object per input: the source, then the report's members, and the CA file when
/// the audited CA came from `--ca`.
#[derive(Serialize)]
struct Line<'a> {
    source: &'a str,
    /// The source's name has its bytes that are not UTF-8 as `\xNN` and its backslashes
    /// doubled (absent when it is the name itself).
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    source_escaped: bool,
    #[serde(flatten)]
    report: &'a Report,
    #[serde(skip_serializing_if = "Option::is_none")]
    ca_file: Option<&'a str>,
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    ca_file_escaped: bool,
}

/// The `--ca` file, when the report audited it (a response's own `ca` wins).
fn supplied<'a>(report: &Report, ca_file: Option<(&'a str, bool)>) -> Option<(&'a str, bool)> {
    ca_file.filter(|_| report.ca_source() == Some(certkey::CaSource::Supplied))
}

/// The JSON record of one input: `source` is its name as [`crate::input::json_name`] gives
/// it, with whether it is escaped; so is `ca_file`.
pub fn json_line(
    out: &mut dyn Write,
    (source, source_escaped): (std::borrow::Cow<'_, str>, bool),
    report: &Report,
    ca_file: Option<(&str, bool)>,
) -> io::Result<()> {
    let (ca_file, ca_file_escaped) = match supplied(report, ca_file) {
        Some((name, escaped)) => (Some(name), escaped),
        None => (None, false),
    };
    // Serialized into a buffer of its own and written at once: serde_json writes a record in
    // hundreds of small pieces, each a call through `dyn Write` otherwise.
    let mut line = Vec::with_capacity(4096);
    serde_json::to_writer(
        &mut line,
        &Line {
            source: &source,
            source_escaped,
            report,
            ca_file,
            ca_file_escaped,
        },
    )?;
    line.push(b'\n');
    out.write_all(&line)
}

/// An input's findings, verdict and tables; `ca_file` is the `--ca` file (shown, not the
/// response, where findings are about the CA it supplied), escaped for a terminal.
pub fn text(
    out: &mut dyn Write,
    source: &str,
    report: &Report,
    style: Style,
    ca_file: Option<&str>,
) -> io::Result<()> {
    let ca_file = ca_file.filter(|_| report.ca_source() == Some(certkey::CaSource::Supplied));
    for finding in report.findings() {
        writeln!(
            out,
            "{}{}{}: {}",
            style.severity(finding.severity()),
            style.paint("1", &format!("[{}]", finding.id())),
            if finding.is_allowed() {
                " (allowed)"
            } else {
                ""
            },
            finding.message()
        )?;
        let arrow = style.paint("1;34", "-->");
        match (finding.field(), ca_file) {
            (Some(certkey::Field::Member(certkey::Member::Ca)), Some(file)) => {
                writeln!(out, "  {arrow} {file} (--ca), for {source}")?
            }
            (Some(field), _) => writeln!(out, "  {arrow} {source}: {}", field.name())?,
            (None, _) => writeln!(out, "  {arrow} {source}")?,
        }
        writeln!(
            out,
            "  {} help: {}",
            style.paint("1;34", "="),
            crate::args::in_flags(finding.help())
        )?;
        writeln!(out)?;
    }

    verdict_line(out, source, report, style)?;
    for cert in report.certificates() {
        // RFC 3339 times in UTC, all of one form: they compare as text.
        let not_yet_valid = cert.not_before.as_str() > report.audited_at();
        let expired = cert.not_after.as_str() < report.audited_at();
        let (expiry, colour) = if not_yet_valid {
            ("not yet valid".to_owned(), Some("31"))
        } else if expired {
            let ago = plural(cert.days_left.unsigned_abs() as usize, "day");
            (format!("expired {ago} ago"), Some("31"))
        } else {
            let soon = cert.days_left.unsigned_abs() * 86_400 <= style.warn_within.as_secs();
            let left = plural(cert.days_left.unsigned_abs() as usize, "day");
            (format!("expires in {left}"), soon.then_some("33"))
        };
        // Padded before painting, so the columns stay aligned in colour.
        let expiry = format!("{expiry:22}");
        let expiry = match colour {
            Some(code) => style.paint(code, &expiry),
            None => expiry,
        };
        let key = match report.keys().iter().find(|k| k.role == cert.role) {
            Some(key) if !key.consistent => "key inconsistent",
            Some(key) => match key.matches_certificate {
                Some(true) => "key matches",
                Some(false) => "key MISMATCH",
                None => "key unchecked",
            },
            None if cert.role == Role::Ca => "",
            None => "no usable key",
        };
        writeln!(
            out,
            "  {:11}  {}  {:10}  {:16}  {}",
            cert.role.as_str(),
            expiry,
            cert.key,
            key,
            cert.subject,
        )?;
        let mut uses = Vec::new();
        if !cert.subject_alt_names.is_empty() {
            uses.push(format!("names: {}", cert.subject_alt_names.join(", ")));
        }
        if let Some(purposes) = &cert.extended_key_usage {
            uses.push(format!("usage: {}", purposes.join(", ")));
        }
        if !uses.is_empty() {
            writeln!(out, "  {:11}  {}", "", uses.join("; "))?;
        }
    }
    for identity in report.identities() {
        writeln!(
            out,
            "  {:11}  {}",
            identity.role.as_str(),
            stacks_line(identity, style)
        )?;
    }
    writeln!(out)
}

/// `task-42.json: FAILED (1 error, 0 warnings)`: an input's verdict and its counts.
pub fn verdict_line(
    out: &mut dyn Write,
    source: &str,
    report: &Report,
    style: Style,
) -> io::Result<()> {
    let verdict = if report.is_ok() {
        style.paint("1;32", "ok")
    } else {
        style.paint("1;31", "FAILED")
    };
    let strict = if report.is_strict()
        && report
            .findings_of(Severity::Warning)
            .any(|f| !f.is_allowed())
    {
        ", strict: warnings fail"
    } else {
        ""
    };
    writeln!(out, "{source}: {verdict} ({}{strict})", Counts::of(report))
}

/// `stacks: refused by openssl-3.5, openssl-4.0, python, rustls (cert.weak_key); openssl-3.0,
/// go, pyca accept`: the stacks' predicted verdicts on one identity, refusals grouped by their first
/// reason, each group named as [`certkey::Stacks`] displays (a whole family by its name).
fn stacks_line(identity: &Identity, style: Style) -> String {
    let set = |verdicts: &mut dyn Iterator<Item = &certkey::StackVerdict>| {
        verdicts.fold(certkey::Stacks::NONE, |set, v| {
            set.union(certkey::Stacks::of(&[v.stack]))
        })
    };
    let accepted = set(&mut identity.stacks.iter().filter(|v| v.accepts));
    if identity.stacks.iter().all(|v| v.accepts) {
        return style.paint("32", "stacks: every one accepts it");
    }
    let mut reasons: Vec<(String, certkey::Stacks)> = Vec::new();
    for verdict in identity.stacks.iter().filter(|v| !v.accepts) {
        let reason = verdict.reason.map(|id| id.to_string()).unwrap_or_default();
        let stack = certkey::Stacks::of(&[verdict.stack]);
        match reasons.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, stacks)) => *stacks = stacks.union(stack),
            None => reasons.push((reason, stack)),
        }
    }
    let refused: Vec<String> = reasons
        .iter()
        .map(|(reason, stacks)| format!("{stacks} ({reason})"))
        .collect();
    let mut line = style.paint("31", &format!("stacks: refused by {}", refused.join("; ")));
    if !accepted.is_empty() {
        line.push_str(&format!("; {accepted} accept"));
    }
    line
}

pub fn summary(out: &mut dyn Write, tally: &Tally, style: Style) -> io::Result<()> {
    let line = format!(
        "{}: {} ok, {} failed — {}",
        plural(tally.inputs, "input"),
        tally.inputs - tally.failed,
        tally.failed,
        tally.counts,
    );
    writeln!(out, "{}", style.paint("1", &line))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
