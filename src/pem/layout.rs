//! What each TLS stack's PEM loader accepts: the ways a block's text can depart from the
//! layout every loader reads, which certkey repairs (to check what the text holds) and
//! reports, naming the stacks whose loaders refuse it.
//!
//! The loaders, as their sources read and `tests/stacks.rs` measures them:
//! - OpenSSL (`crypto/pem/pem_lib.c`, what `SSL_CTX_use_certificate_chain_file` and Python's
//!   `load_cert_chain` use): BEGIN and END lines start in the first column; a UTF-8
//!   byte-order mark is skipped; a first blank line ends the "headers" and every later body
//!   line must then be 64 characters, only the last shorter; a second blank line is an error;
//!   headers other than legacy encryption's are refused; base64 needs its `=` padding.
//! - Go (`encoding/pem`): BEGIN at the start of the text or of a line, END at the start of a
//!   line; blank lines and headers are skipped; padding is required.
//! - rustls (`rustls-pki-types`' PEM reader): lines end at LF or CR; BEGIN and END in the first
//!   column, nothing but spaces after BEGIN's dashes; any byte of the body that is neither
//!   base64 nor whitespace (a header's colon) is refused; padding may be missing.
//! - pyca (the `pem` crate): markers anywhere, whitespace skipped; the first empty line after
//!   the body has begun splits "headers" from the data, so the certificate is cut in two.
//!
//! Ids: `pem.layout` (made in `mod.rs`, from the problems listed here).

use crate::refusals::Fact;
use crate::stacks::Stacks;
use crate::text::UntrustedString;

/// How many characters of a header's name are quoted.
const HEADER_NAME_MAX_CHARS: usize = 40;

/// One way a member's text departs from the layout every loader reads. certkey reads past
/// each (the checks that follow see what the text holds); the stacks named refuse it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// The text begins with a UTF-8 byte-order mark.
    ByteOrderMark,
    /// Lines end with a carriage return alone.
    CarriageReturnLineEnds,
    /// The BEGIN line, the base64 and the END line run together: the line breaks were lost,
    /// or (`spaces`) replaced by spaces. `after_end_only`: only text after an END line runs
    /// on (two blocks pasted without a line break between them), which rustls reads.
    LineBreaksLost { spaces: bool, after_end_only: bool },
    /// The BEGIN or END line does not start in the first column: `columns` blanks before
    /// BEGIN, `every_line` when the block's every line is indented (YAML, a here-document).
    Indented { columns: usize, every_line: bool },
    /// A tab (or other whitespace than spaces) after the BEGIN line's dashes.
    TabAfterBegin,
    /// Blank lines after the base64 began (`line`: the first), or `doubled`: a blank line
    /// after every line.
    BlankLineInBody { line: usize, doubled: bool },
    /// More than one blank line between the BEGIN line and the base64.
    BlankLinesBeforeBody,
    /// After the block's first blank line (after BEGIN, or after headers), OpenSSL reads the
    /// body as 64-character lines: `line` is the first that is longer, or that follows a
    /// shorter one.
    LineLengthAfterBlank { line: usize },
    /// A header line (`Name: value`) that is not legacy encryption's.
    Header { name: UntrustedString },
    /// The base64 lacks its final `=` padding.
    MissingPadding,
}

impl Problem {
    /// The stacks whose PEM loaders refuse text with this problem.
    pub(crate) fn refused_by(&self) -> Stacks {
        self.fact().refused_by()
    }

    /// What the problem is, for the table of what stacks refuse.
    fn fact(&self) -> Fact {
        match self {
            Self::ByteOrderMark => Fact::PemByteOrderMark,
            Self::CarriageReturnLineEnds => Fact::PemCarriageReturns,
            Self::LineBreaksLost {
                after_end_only: true,
                ..
            } => Fact::PemLineBreaksLostAfterEnd,
            Self::LineBreaksLost { .. } | Self::Indented { .. } => {
                Fact::PemLineBreaksLostOrIndented
            }
            Self::TabAfterBegin => Fact::PemTabAfterBegin,
            Self::BlankLineInBody { .. } => Fact::PemBlankLineInBody,
            Self::BlankLinesBeforeBody | Self::LineLengthAfterBlank { .. } => {
                Fact::PemBlankLinesBeforeBody
            }
            Self::Header { .. } => Fact::PemHeader,
            Self::MissingPadding => Fact::PemMissingPadding,
        }
    }

    /// What happened to the text, in words.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::ByteOrderMark => "it begins with a byte-order mark (U+FEFF)".to_owned(),
            Self::CarriageReturnLineEnds => {
                "its lines end with a carriage return alone (CR), not LF or CRLF".to_owned()
            }
            Self::LineBreaksLost {
                after_end_only: true,
                ..
            } => "an END line runs on into the text after it: the line break after it was lost".to_owned(),
            Self::LineBreaksLost { spaces: false, .. } => {
                "its line breaks were lost: the BEGIN line, the base64 and the END line run together"
                    .to_owned()
            }
            Self::LineBreaksLost { spaces: true, .. } => {
                "its line breaks were replaced by spaces: the BEGIN line, the base64 and the END line run together on one line"
                    .to_owned()
            }
            Self::Indented {
                columns,
                every_line: true,
            } => format!(
                "every line is indented ({columns} character{} before BEGIN), as YAML or a here-document indents text",
                plural(*columns)
            ),
            Self::Indented {
                columns: 0,
                every_line: false,
            } => "its END line is indented".to_owned(),
            Self::Indented { columns, .. } => format!(
                "its BEGIN line is indented ({columns} character{})",
                plural(*columns)
            ),
            Self::TabAfterBegin => "its BEGIN line ends with a tab".to_owned(),
            Self::BlankLineInBody {
                doubled: true,
                line: _,
            } => "its line breaks are doubled: a blank line follows every line".to_owned(),
            Self::BlankLineInBody { line, .. } => {
                format!("a blank line interrupts the base64 (line {line})")
            }
            Self::BlankLinesBeforeBody => {
                "more than one blank line comes between the BEGIN line and the base64".to_owned()
            }
            Self::LineLengthAfterBlank { line } => format!(
                "after its first blank line, the base64 lines are not all 64 characters long, as OpenSSL then reads them (line {line})"
            ),
            Self::Header { name } => format!(
                "the block has a \"{}\" header, which RFC 7468 does not allow",
                name.as_untrusted().quoted(HEADER_NAME_MAX_CHARS)
            ),
            Self::MissingPadding => "its base64 lacks the final = padding".to_owned(),
        }
    }

    /// How to fix the text.
    pub(crate) fn fix(&self) -> &'static str {
        match self {
            Self::ByteOrderMark => "save the text without a byte-order mark",
            Self::CarriageReturnLineEnds => "convert the line ends to LF",
            Self::LineBreaksLost { .. } => {
                "restore the line breaks: the BEGIN line, the base64 in lines of 64 characters, and the END line, each on its own line"
            }
            Self::Indented { .. } => {
                "remove the indentation: the BEGIN and END lines must start in the first column"
            }
            Self::TabAfterBegin => "remove the whitespace after the BEGIN line's dashes",
            Self::BlankLineInBody { .. } | Self::BlankLinesBeforeBody => {
                "remove the blank lines inside the block"
            }
            Self::LineLengthAfterBlank { .. } => {
                "remove the blank line, or wrap the base64 at 64 characters"
            }
            Self::Header { .. } => "remove the header lines",
            Self::MissingPadding => {
                "restore the = padding at the end of the base64 (something re-encoded or trimmed the text)"
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The stacks that refuse any of `problems`.
pub(crate) fn refused_by(problems: &[Problem]) -> Stacks {
    problems.iter().fold(Stacks::NONE, |stacks, problem| {
        stacks.union(problem.refused_by())
    })
}

/// Whether a line of text runs a PEM marker together with other text: the line breaks
/// around a BEGIN or END line were lost. `line` is trimmed of blanks.
pub(crate) fn runs_together(line: &str) -> bool {
    let marker = line
        .strip_prefix("-----BEGIN ")
        .or_else(|| line.strip_prefix("-----END "));
    match marker {
        // A BEGIN or END line that holds another marker, or goes on past its closing dashes.
        Some(rest) => {
            rest.contains("-----BEGIN ")
                || rest.contains("-----END ")
                || (rest.contains("-----") && !rest.ends_with("-----"))
        }
        // Text before a marker.
        None => line.contains("-----BEGIN ") || line.contains("-----END "),
    }
}

/// Puts the lost line breaks back around every BEGIN and END marker of `text`: a line
/// break before each marker that does not start a line, and after each marker's closing
/// dashes when text follows. Returns the text and what was lost: whether spaces stood where
/// the line breaks were, and whether only line breaks after END lines were missing.
pub(crate) fn restore_line_breaks(text: &str) -> (crate::secret::SecretText, Problem) {
    let mut out = crate::secret::SecretText::with_capacity(text.len() + 64);
    let mut spaces = false;
    let mut after_end_only = true;
    // The next BEGIN and END markers at or after `at`, each searched for again only once
    // passed: every byte is searched at most once per marker, whatever the text.
    let mut at = 0;
    let mut next_begin = text.find("-----BEGIN ");
    let mut next_end = text.find("-----END ");
    loop {
        let from = |marker: &str| text[at..].find(marker).map(|found| at + found);
        if next_begin.is_some_and(|found| found < at) {
            next_begin = from("-----BEGIN ");
        }
        if next_end.is_some_and(|found| found < at) {
            next_end = from("-----END ");
        }
        let Some(marker_at) = [next_begin, next_end].into_iter().flatten().min() else {
            out.push_str(&text[at..]);
            return (
                out,
                Problem::LineBreaksLost {
                    spaces,
                    after_end_only,
                },
            );
        };
        let before = &text[at..marker_at];
        out.push_str(before);
        if !before.is_empty() && !before.ends_with('\n') {
            spaces |= before.ends_with(' ');
            after_end_only = false;
            out.push('\n');
        }
        let keyword = if next_begin == Some(marker_at) {
            "-----BEGIN ".len()
        } else {
            "-----END ".len()
        };
        // The marker runs to the first "-----" after its keyword.
        let marker_on = &text[marker_at..];
        let end = marker_on[keyword..]
            .find("-----")
            .map_or(marker_on.len(), |close| keyword + close + "-----".len());
        let (marker, after) = marker_on.split_at(end);
        out.push_str(marker);
        if !after.is_empty() && !after.starts_with(['\n', '\r']) {
            spaces |= after.starts_with(' ');
            after_end_only &= keyword == "-----END ".len();
            out.push('\n');
        }
        at = marker_at + end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_that_run_markers_together_are_found() {
        for line in [
            "-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----",
            "-----BEGIN CERTIFICATE----- MIIB -----END CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----MIIB",
            "MIIB==-----END CERTIFICATE-----",
            "MIIB -----END CERTIFICATE-----",
            "note -----BEGIN CERTIFICATE-----",
            "-----END CERTIFICATE----- note",
            "-----END CERTIFICATE----------BEGIN CERTIFICATE-----",
        ] {
            assert!(runs_together(line), "{line}");
        }
        for line in [
            "-----BEGIN CERTIFICATE-----",
            "-----END CERTIFICATE-----",
            "-----BEGIN A -----END-----",
            "MIIB",
            "-----BEGIN CERTIFICATE",
            "",
        ] {
            assert!(!runs_together(line), "{line}");
        }
    }

    #[test]
    fn line_breaks_are_restored_around_markers() {
        let lost = |spaces, after_end_only| Problem::LineBreaksLost {
            spaces,
            after_end_only,
        };
        let (text, problem) =
            restore_line_breaks("-----BEGIN A-----QUJD-----END A-----\n-----BEGIN B-----\n");
        assert_eq!(
            text.as_str(),
            "-----BEGIN A-----\nQUJD\n-----END A-----\n-----BEGIN B-----\n"
        );
        assert_eq!(problem, lost(false, false));
        let (text, problem) = restore_line_breaks("-----BEGIN A----- QU JD -----END A-----");
        assert_eq!(text.as_str(), "-----BEGIN A-----\n QU JD \n-----END A-----");
        assert_eq!(problem, lost(true, false));
        // A space before the END marker alone, or after the BEGIN marker alone.
        let (_, problem) = restore_line_breaks("-----BEGIN A-----\nQUJD -----END A-----");
        assert_eq!(problem, lost(true, false));
        let (_, problem) = restore_line_breaks("-----BEGIN A----- QUJD\n-----END A-----");
        assert_eq!(problem, lost(true, false));
        // Only the line break after BEGIN lost: not an END line run on.
        let (_, problem) = restore_line_breaks("-----BEGIN A-----QUJD\n-----END A-----");
        assert_eq!(problem, lost(false, false));
        // Two blocks pasted with no line break between them: only the END line runs on.
        let (text, problem) =
            restore_line_breaks("-----BEGIN A-----\nQUJD\n-----END A----------BEGIN A-----\n");
        assert_eq!(
            text.as_str(),
            "-----BEGIN A-----\nQUJD\n-----END A-----\n-----BEGIN A-----\n"
        );
        assert_eq!(problem, lost(false, true));
        assert_eq!(
            Problem::LineBreaksLost {
                spaces: false,
                after_end_only: true
            }
            .refused_by(),
            Stacks::OPENSSL.union(Stacks::PYTHON).union(Stacks::GO)
        );
        // An unclosed marker is kept whole.
        let (text, _) = restore_line_breaks("x-----END A");
        assert_eq!(text.as_str(), "x\n-----END A");
    }

    #[test]
    fn every_problem_is_refused_by_some_loader_and_says_how_to_fix_it() {
        let problems = [
            Problem::ByteOrderMark,
            Problem::CarriageReturnLineEnds,
            Problem::LineBreaksLost {
                spaces: false,
                after_end_only: false,
            },
            Problem::LineBreaksLost {
                spaces: true,
                after_end_only: false,
            },
            Problem::LineBreaksLost {
                spaces: false,
                after_end_only: true,
            },
            Problem::Indented {
                columns: 2,
                every_line: true,
            },
            Problem::Indented {
                columns: 1,
                every_line: false,
            },
            Problem::Indented {
                columns: 0,
                every_line: false,
            },
            Problem::TabAfterBegin,
            Problem::BlankLineInBody {
                line: 3,
                doubled: false,
            },
            Problem::BlankLineInBody {
                line: 3,
                doubled: true,
            },
            Problem::BlankLinesBeforeBody,
            Problem::LineLengthAfterBlank { line: 4 },
            Problem::Header {
                name: UntrustedString::new("Comment"),
            },
            Problem::MissingPadding,
        ];
        let mut descriptions = std::collections::HashSet::new();
        for problem in &problems {
            assert!(!problem.refused_by().is_empty(), "{problem:?}");
            assert!(descriptions.insert(problem.describe()), "{problem:?}");
            assert!(!problem.fix().is_empty());
        }
        assert_eq!(refused_by(&problems), Stacks::ALL);
        assert_eq!(refused_by(&[]), Stacks::NONE);
        assert_eq!(
            refused_by(&[Problem::ByteOrderMark, Problem::TabAfterBegin]),
            Stacks::GO.union(Stacks::RUSTLS)
        );
        assert!(problems[5].describe().contains("2 characters before BEGIN"));
        assert!(problems[6].describe().contains("1 character)"));
    }
}
