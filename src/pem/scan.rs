//! The scan: a member's text split into blocks, line by line, as RFC 7468 (and RFC 1421's
//! headers) lay them out.
//!
//! CRLF line ends and blank lines are normal; text outside blocks is counted, not refused;
//! what some loaders refuse (indentation, blank lines in the body, headers) is noted for the
//! first block as [`Problem`]s. Only the first block's base64 is gathered (into a wiped
//! buffer sized once); the others are counted, and the second compared with the first to
//! tell a block pasted twice.

use super::base64::is_base64;
use super::layout::{self, Problem};
use super::{LABELS_LISTED, LABEL_MAX_CHARS};
use crate::secret::SecretBytes;
use crate::text::{Untrusted, UntrustedString};

/// A block as the scan found it: its label, where it starts, how much base64 it holds and
/// whether a header says it is encrypted.
pub(super) struct RawBlock<'a> {
    pub(super) label: Untrusted<'a>,
    pub(super) begin_line: usize,
    base64_len: usize,
    pub(super) encrypted_header: bool,
    pub(super) dek_info: Option<Untrusted<'a>>,
}

/// Why the text is not well-formed PEM, with the line it was found on.
pub(super) struct Malformed {
    pub(super) line: usize,
    pub(super) reason: String,
    /// The line runs a BEGIN or END marker together with other text: the line breaks were
    /// lost, and restoring them may make the text readable.
    pub(super) runs_together: bool,
}

/// What a scan of a member's text found.
pub(super) struct Scan<'a> {
    /// The first block, the only one decoded.
    pub(super) first: Option<RawBlock<'a>>,
    /// How many blocks there are, and the labels of the first few (the rest are only
    /// counted, so that a member of many tiny blocks costs no memory per block).
    pub(super) count: usize,
    pub(super) labels: Vec<Untrusted<'a>>,
    /// The base64 text of the first block (the only one decoded).
    pub(super) first_base64: SecretBytes,
    /// Whether the second block's base64 is the first's (the block was pasted twice).
    pub(super) second_repeats_first: bool,
    /// The line of the first non-blank text outside any block.
    pub(super) outside_text_line: Option<usize>,
    pub(super) outside_text_lines: usize,
    /// How the first block's layout departs from what every loader reads.
    pub(super) problems: Vec<Problem>,
    /// The first later block labelled CERTIFICATE that the scan's check refused, with its
    /// BEGIN line and why (each is checked as it ends, and dropped: none is kept).
    pub(super) later_refused: Option<(usize, &'static str)>,
}

/// A check of a later CERTIFICATE block's base64: why it holds no certificate, if it does
/// not.
pub(super) type LaterCheck = fn(&SecretBytes) -> Option<&'static str>;

/// The first block's layout, as the scan goes: what [`layout::Problem`]s are made of.
#[derive(Default)]
struct LayoutSeen {
    begin_indent: usize,
    tab_after_begin: bool,
    end_indented: bool,
    /// Non-blank lines between BEGIN and END, and how many of them are indented.
    inner_lines: usize,
    indented_inner_lines: usize,
    body_lines: usize,
    blanks_before_body: usize,
    blanks_in_body: usize,
    first_blank_in_body: Option<usize>,
    /// OpenSSL's rule once a blank line was seen: 64-character lines, only the last shorter.
    after_blank: bool,
    short_line_seen: bool,
    line_length_broken: Option<usize>,
    header: Option<UntrustedString>,
}

impl LayoutSeen {
    fn body_line(&mut self, number: usize, raw_line: &str) {
        self.body_lines += 1;
        if self.after_blank && self.line_length_broken.is_none() {
            let length = raw_line.trim_end_matches(BLANKS).chars().count();
            if self.short_line_seen || length > 64 {
                self.line_length_broken = Some(number);
            }
            self.short_line_seen |= length < 64;
        }
    }

    fn into_problems(self) -> Vec<Problem> {
        let mut problems = Vec::new();
        if self.begin_indent > 0 || self.end_indented {
            problems.push(Problem::Indented {
                columns: self.begin_indent,
                every_line: self.begin_indent > 0
                    && self.end_indented
                    && self.indented_inner_lines == self.inner_lines,
            });
        }
        if self.tab_after_begin {
            problems.push(Problem::TabAfterBegin);
        }
        if let Some(line) = self.first_blank_in_body {
            problems.push(Problem::BlankLineInBody {
                line,
                doubled: self.body_lines >= 2
                    && self.blanks_before_body + self.blanks_in_body >= self.body_lines,
            });
        } else if self.blanks_before_body > 1 {
            problems.push(Problem::BlankLinesBeforeBody);
        } else if let Some(line) = self.line_length_broken {
            problems.push(Problem::LineLengthAfterBlank { line });
        }
        if let Some(name) = self.header {
            problems.push(Problem::Header { name });
        }
        problems
    }
}

/// The blanks a line may carry at either end.
const BLANKS: [char; 3] = [' ', '\t', '\r'];

/// Splits the text into blocks, checking the structure RFC 7468 (and RFC 1421's headers) give
/// it. The first structural error ends the scan: it is what a strict loader stops at. With
/// `check_later` (in a certificate member: never key text), each CERTIFICATE block after the
/// first is gathered and checked as it ends, until one is refused.
pub(super) fn scan(text: &str, check_later: Option<LaterCheck>) -> Result<Scan<'_>, Malformed> {
    let mut scanner = Scanner {
        text,
        offset: 0,
        found: Scan {
            first: None,
            count: 0,
            labels: Vec::new(),
            first_base64: SecretBytes::with_capacity(0),
            second_repeats_first: false,
            outside_text_line: None,
            outside_text_lines: 0,
            problems: Vec::new(),
            later_refused: None,
        },
        check_later,
        later: None,
        open: None,
        in_headers: false,
        seen: LayoutSeen::default(),
        second_matched: Some(0),
    };
    for (index, raw) in text.split('\n').enumerate() {
        scanner.line(Line::new(index + 1, raw))?;
    }
    scanner.finish()
}

/// One line of the text, with what every kind of line needs to know about it.
struct Line<'a> {
    number: usize,
    /// As written, but for its `\n`.
    raw: &'a str,
    /// Without the blanks at either end.
    trimmed: &'a str,
    /// How many spaces and tabs start it.
    indent: usize,
}

impl<'a> Line<'a> {
    fn new(number: usize, raw: &'a str) -> Self {
        Self {
            number,
            raw,
            trimmed: raw.trim_matches(BLANKS),
            indent: raw.len() - raw.trim_start_matches([' ', '\t']).len(),
        }
    }

    fn malformed(&self, reason: String) -> Malformed {
        Malformed {
            line: self.number,
            reason,
            runs_together: layout::runs_together(self.trimmed),
        }
    }
}

/// The scan as it goes: what was found so far, and the block it is inside.
struct Scanner<'a> {
    text: &'a str,
    /// Where the next line starts in `text`.
    offset: usize,
    found: Scan<'a>,
    /// The check of later CERTIFICATE blocks, and the one being gathered.
    check_later: Option<LaterCheck>,
    later: Option<SecretBytes>,
    /// The block begun and not yet ended.
    open: Option<RawBlock<'a>>,
    /// Right after a BEGIN line, where RFC 1421 headers may stand.
    in_headers: bool,
    seen: LayoutSeen,
    /// How much of the second block's base64 equals the first's (None once they differ), to
    /// tell a block pasted twice.
    second_matched: Option<usize>,
}

impl<'a> Scanner<'a> {
    fn line(&mut self, line: Line<'a>) -> Result<(), Malformed> {
        let line_start = self.offset;
        self.offset += line.raw.len() + 1;
        if let Some(rest) = line.trimmed.strip_prefix("-----BEGIN") {
            self.begin(&line, rest, line_start)
        } else if let Some(rest) = line.trimmed.strip_prefix("-----END") {
            self.end(&line, rest)
        } else if self.open.is_none() {
            self.outside(&line)
        } else {
            self.inside(&line)
        }
    }

    /// A `-----BEGIN` line: a block opens.
    fn begin(
        &mut self,
        line: &Line<'a>,
        rest: &'a str,
        line_start: usize,
    ) -> Result<(), Malformed> {
        if layout::runs_together(line.trimmed) {
            return Err(
                line.malformed("the BEGIN line runs together with the text after it".to_owned())
            );
        }
        let label = encapsulation_label(rest)
            .ok_or_else(|| line.malformed("the BEGIN line is incomplete".to_owned()))?;
        if let Some(block) = &self.open {
            return Err(line.malformed(format!(
                "a new BEGIN line comes before the END line of the {} block begun on line {}",
                block.label.quoted(LABEL_MAX_CHARS),
                block.begin_line
            )));
        }
        // A buffer is sized once, up to the next END line: it never reallocates. The body
        // ends at the first "-----END" after this line: any line holding one either ends the
        // block or is refused, so no more base64 than that fits.
        let body = || {
            let after = self
                .text
                .get(line_start + line.raw.len()..)
                .unwrap_or_default();
            memchr::memmem::find(after.as_bytes(), b"-----END").unwrap_or(after.len())
        };
        if self.found.count > 0
            && self.check_later.is_some()
            && self.found.later_refused.is_none()
            && label.unquoted() == "CERTIFICATE"
        {
            self.later = Some(SecretBytes::with_capacity(body()));
        }
        if self.found.count == 0 {
            self.found.first_base64 = SecretBytes::with_capacity(body());
            self.seen.begin_indent = line.indent;
            let trailing = &line.raw[line.raw.trim_end_matches(BLANKS).len()..];
            self.seen.tab_after_begin = trailing.contains('\t');
        }
        self.open = Some(RawBlock {
            label,
            begin_line: line.number,
            base64_len: 0,
            encrypted_header: false,
            dek_info: None,
        });
        self.in_headers = true;
        Ok(())
    }

    /// A `-----END` line: the open block closes, and is counted.
    fn end(&mut self, line: &Line<'a>, rest: &'a str) -> Result<(), Malformed> {
        let label = encapsulation_label(rest)
            .ok_or_else(|| line.malformed("the END line is incomplete".to_owned()))?;
        let Some(block) = self.open.take() else {
            return Err(line.malformed(format!(
                "an END {} line has no BEGIN line before it",
                label.quoted(LABEL_MAX_CHARS)
            )));
        };
        if block.label != label {
            return Err(line.malformed(format!(
                "the block begun as {} on line {} ends as {}",
                block.label.quoted(LABEL_MAX_CHARS),
                block.begin_line,
                label.quoted(LABEL_MAX_CHARS)
            )));
        }
        if block.base64_len == 0 {
            return Err(line.malformed(format!(
                "the {} block is empty",
                block.label.quoted(LABEL_MAX_CHARS)
            )));
        }
        let found = &mut self.found;
        if found.labels.len() < LABELS_LISTED {
            found.labels.push(block.label);
        }
        found.count += 1;
        if found.count == 1 {
            self.seen.end_indented = line.indent > 0;
        } else if found.count == 2 {
            found.second_repeats_first = block.label == found.labels[0]
                && self.second_matched == Some(found.first_base64.as_slice().len());
        }
        if let (Some(base64), Some(check)) = (self.later.take(), self.check_later) {
            found.later_refused = check(&base64).map(|why| (block.begin_line, why));
        }
        if found.first.is_none() {
            found.first = Some(block);
        }
        Ok(())
    }

    /// A line outside any block: counted when it holds text.
    fn outside(&mut self, line: &Line<'a>) -> Result<(), Malformed> {
        if !line.trimmed.is_empty() {
            self.found.outside_text_lines += 1;
            self.found.outside_text_line.get_or_insert(line.number);
            if layout::runs_together(line.trimmed) {
                return Err(
                    line.malformed("a BEGIN or END line runs together with other text".to_owned())
                );
            }
        }
        Ok(())
    }

    /// A line inside the open block: blank, a header, or base64.
    fn inside(&mut self, line: &Line<'a>) -> Result<(), Malformed> {
        let Some(block) = self.open.as_mut() else {
            return Ok(());
        };
        let count = self.found.count;
        let is_first = count == 0;
        let seen = &mut self.seen;
        if line.trimmed.is_empty() {
            self.in_headers = false;
            if is_first {
                seen.after_blank = true;
                if block.base64_len == 0 {
                    seen.blanks_before_body += 1;
                } else {
                    seen.blanks_in_body += 1;
                    seen.first_blank_in_body.get_or_insert(line.number);
                }
            }
            return Ok(());
        }
        if is_first {
            seen.inner_lines += 1;
            seen.indented_inner_lines += usize::from(line.indent > 0);
        }
        if self.in_headers && block.base64_len == 0 {
            if let Some((name, value)) = line.trimmed.split_once(':') {
                let name = name.trim();
                let is_key = block.label.unquoted().ends_with("PRIVATE KEY");
                if is_key && name == "Proc-Type" && value.contains("ENCRYPTED") {
                    block.encrypted_header = true;
                } else if is_key && block.encrypted_header && name == "DEK-Info" {
                    block.dek_info = Some(Untrusted::new(value.trim()));
                } else if is_first && seen.header.is_none() {
                    // Skipped, as Go's reader does; OpenSSL's and rustls' refuse it.
                    seen.header = Some(UntrustedString::new(name));
                }
                return Ok(());
            }
        }
        self.in_headers = false;
        if is_first {
            seen.body_line(line.number, line.raw);
        }
        let body = line.trimmed.as_bytes();
        let first_base64 = &mut self.found.first_base64;
        let later = &mut self.later;
        let mut take = |piece: &[u8]| {
            block.base64_len += piece.len();
            if is_first {
                first_base64.extend_within_capacity(piece);
            } else if count == 1 {
                self.second_matched =
                    matched_prefix(first_base64.as_slice(), self.second_matched, piece);
            }
            if let Some(later) = later.as_mut() {
                later.extend_within_capacity(piece);
            }
        };
        if body.iter().all(|&b| is_base64(b)) {
            take(body);
            return Ok(());
        }
        // Rare: blanks inside the line, or a byte that is not base64.
        for (column, &byte) in body.iter().enumerate() {
            if is_base64(byte) {
                take(&[byte]);
            } else if byte != b' ' && byte != b'\t' {
                // The byte itself is not quoted: in a key member it would be key text.
                return Err(line.malformed(format!(
                    "column {} of the {} block's body is not a base64 character",
                    column + 1,
                    block.label.quoted(LABEL_MAX_CHARS)
                )));
            }
        }
        Ok(())
    }

    /// The end of the text: a block still open was cut short.
    fn finish(self) -> Result<Scan<'a>, Malformed> {
        if let Some(block) = self.open {
            return Err(Malformed {
                line: block.begin_line,
                reason: format!(
                    "the {} block has no END line: the text stops inside it, as a truncated download does",
                    block.label.quoted(LABEL_MAX_CHARS)
                ),
                runs_together: false,
            });
        }
        Ok(Scan {
            problems: self.seen.into_problems(),
            ..self.found
        })
    }
}

/// How much of `first` the text matched so far (`matched`) and then `piece` match, or None
/// once they differ.
fn matched_prefix(first: &[u8], matched: Option<usize>, piece: &[u8]) -> Option<usize> {
    let matched = matched?;
    first
        .get(matched..)
        .is_some_and(|rest| rest.starts_with(piece))
        .then_some(matched + piece.len())
}

/// The label of a `-----BEGIN LABEL-----` or `-----END LABEL-----` line, given what follows
/// `-----BEGIN` or `-----END`.
fn encapsulation_label(rest: &str) -> Option<Untrusted<'_>> {
    let label = rest.strip_prefix(' ')?.strip_suffix("-----")?;
    let valid = !label.is_empty()
        && label.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
        && !label.starts_with([' ', '-'])
        && !label.ends_with([' ', '-']);
    valid.then_some(Untrusted::new(label))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_read_from_encapsulation_lines() {
        let label = |rest| encapsulation_label(rest).map(Untrusted::unquoted);
        assert_eq!(label(" CERTIFICATE-----"), Some("CERTIFICATE"));
        assert_eq!(label(" RSA PRIVATE KEY-----"), Some("RSA PRIVATE KEY"));
        assert_eq!(encapsulation_label(" CERTIFICATE----"), None);
        assert_eq!(encapsulation_label("CERTIFICATE-----"), None);
        assert_eq!(encapsulation_label(" -----"), None);
    }
}
