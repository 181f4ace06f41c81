//! The PEM layer: from a member's text to the DER of its (first) block, with diagnostics.
//!
//! Ids: `pem.malformed`, `pem.escaped_newlines`, `pem.layout`, `pem.wrong_label`,
//! `pem.multiple_blocks`, `pem.trailing_data`; and, where a key block's label alone says certkey cannot read it,
//! `key.unsupported` (a `DSA PRIVATE KEY` block) and `key.encryption_unsupported`
//! (two layers of encryption).
//!
//! Lenient PEM readers skip what they do not understand: blocks of other types, text around
//! blocks, headers. That leniency is exactly what hides a swapped member or a truncated
//! download until the TLS handshake, so this module scans the text itself and reports what it
//! skips. Text that certkey can read but some stacks' loaders cannot (indented, run
//! together, blank lines in the body: [`layout`]) is repaired, checked for what it holds, and
//! reported naming the stacks that refuse it. Base64 is decoded by `base64ct` (constant time,
//! into a buffer wiped on drop), but for blocks labelled CERTIFICATE, which are public and
//! decoded by data-encoding; the base64 text of any block is only ever gathered into such a
//! buffer too.

mod layout;

use base64ct::{Base64, Encoding};

use layout::Problem;

use crate::catalog::CheckId;
use crate::der;
use crate::finding::{Field, Finding, Findings};
use crate::member::{Member, MemberKind};
use crate::secret::{SecretBytes, SecretText};
use crate::text::{Untrusted, UntrustedString};

/// How many characters of a PEM label are quoted.
const LABEL_MAX_CHARS: usize = 40;
/// How many block labels a `pem.multiple_blocks` message lists.
const LABELS_LISTED: usize = 4;

/// The type of a decoded block, as its label says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockLabel {
    /// `CERTIFICATE`: an X.509 certificate.
    Certificate,
    /// `RSA PRIVATE KEY`: a PKCS#1 RSA key.
    RsaPrivateKey,
    /// `PRIVATE KEY`: a PKCS#8 key.
    PrivateKey,
    /// `EC PRIVATE KEY`: a SEC1 EC key.
    EcPrivateKey,
}

/// The first block of a member, decoded.
#[derive(Debug)]
pub(crate) struct PemBlock {
    /// For an encrypted key, the label of the key once decrypted.
    pub(crate) label: BlockLabel,
    pub(crate) der: SecretBytes,
    /// How the block is encrypted, when it is.
    pub(crate) encryption: Option<Encryption>,
}

/// The two ways a PEM private key can be encrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Encryption {
    /// `ENCRYPTED PRIVATE KEY`: a PKCS#8 `EncryptedPrivateKeyInfo`.
    Pkcs8,
    /// `Proc-Type: 4,ENCRYPTED` with the value of the `DEK-Info` header, if there is one
    /// (RFC 1421 as OpenSSL writes it).
    Legacy { dek_info: Option<UntrustedString> },
}

/// A block as the scan found it: its label, where it starts, how much base64 it holds and
/// whether a header says it is encrypted.
struct RawBlock<'a> {
    label: Untrusted<'a>,
    begin_line: usize,
    base64_len: usize,
    encrypted_header: bool,
    dek_info: Option<Untrusted<'a>>,
}

/// Why the text is not well-formed PEM, with the line it was found on.
struct Malformed {
    line: usize,
    reason: String,
    /// The line runs a BEGIN or END marker together with other text: the line breaks were
    /// lost, and restoring them may make the text readable.
    runs_together: bool,
}

/// Runs every check of the "PEM" section on a member's text and returns its first block when
/// it has the right type and decodes.
pub(crate) fn decode_member(
    member: Member,
    text: &SecretText,
    findings: &mut Findings,
) -> Option<PemBlock> {
    let field = || Some(Field::Member(member));
    let mut problems = Vec::new();
    let unescaped;
    let mut text = text.as_str();
    // Most text has no backslash at all: one memchr pass settles it.
    if text.contains('\\') && (text.contains("\\n") || text.contains("\\r")) {
        findings.push(Finding::new(
            CheckId::PemEscapedNewlines,
            field(),
            format!(
                "{} holds literal \\n sequences where line breaks belong: the JSON was escaped twice",
                member.name()
            ),
        ));
        unescaped = undo_second_escaping(text);
        text = unescaped.as_str();
    }
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        problems.push(Problem::ByteOrderMark);
        text = rest;
    }
    let line_ends_repaired;
    if text.contains('\r') && !text.contains('\n') {
        problems.push(Problem::CarriageReturnLineEnds);
        let mut repaired = SecretText::with_capacity(text.len());
        for c in text.chars() {
            repaired.push(if c == '\r' { '\n' } else { c });
        }
        line_ends_repaired = repaired;
        text = line_ends_repaired.as_str();
    }

    let line_breaks_restored;
    let scan = match scan(text) {
        Err(malformed) if malformed.runs_together => {
            let (restored, lost) = layout::restore_line_breaks(text);
            problems.push(lost);
            line_breaks_restored = restored;
            scan(line_breaks_restored.as_str())
        }
        scanned => scanned,
    };
    let mut scan = match scan {
        Ok(scan) => scan,
        Err(malformed) => {
            findings.push(pem_malformed(member, &malformed));
            return None;
        }
    };
    problems.append(&mut scan.problems);
    let Some(first) = scan.first.as_ref() else {
        let expected = match member.kind() {
            MemberKind::Certificate => "-----BEGIN CERTIFICATE-----",
            MemberKind::PrivateKey => {
                "-----BEGIN RSA PRIVATE KEY----- (or PRIVATE KEY, EC PRIVATE KEY)"
            }
        };
        findings.push(
            Finding::new(
                CheckId::PemMalformed,
                field(),
                format!(
                    "{} holds no PEM block: no line {expected} was found",
                    member.name()
                ),
            )
            .with_hint("the member must hold PEM text, not raw base64 or DER"),
        );
        return None;
    };

    if scan.count == 2 && scan.second_repeats_first {
        // Every loader takes the first of two equal blocks: nothing is ambiguous.
        findings.push(
            Finding::new(
                CheckId::PemMultipleBlocks,
                field(),
                format!(
                    "{} holds the same {} block twice: it was pasted twice; every loader takes the first",
                    member.name(),
                    first.label.quoted(LABEL_MAX_CHARS)
                ),
            )
            .with_hint("remove the second copy"),
        );
    } else if scan.count > 1 {
        let mut labels: Vec<String> = scan
            .labels
            .iter()
            .map(|label| label.quoted(LABEL_MAX_CHARS))
            .collect();
        if scan.count > LABELS_LISTED {
            labels.push("…".to_owned());
        }
        let (severity, consequence) = match member.kind() {
            MemberKind::Certificate => (
                crate::Severity::Warning,
                "the first is taken as the certificate and the others are ignored",
            ),
            MemberKind::PrivateKey => (
                crate::Severity::Error,
                "a key member must hold exactly one private key",
            ),
        };
        findings.push(
            Finding::new(
                CheckId::PemMultipleBlocks,
                field(),
                format!(
                    "{} holds {} PEM blocks ({}); {consequence}",
                    member.name(),
                    scan.count,
                    labels.join(", ")
                ),
            )
            .with_severity(severity),
        );
    }

    if let Some(line) = scan.outside_text_line {
        findings.push(
            Finding::new(
                CheckId::PemTrailingData,
                field(),
                format!(
                    "{} has {} line{} of text outside its PEM block{} (the first on line {line})",
                    member.name(),
                    scan.outside_text_lines,
                    if scan.outside_text_lines == 1 { "" } else { "s" },
                    if scan.count == 1 { "" } else { "s" },
                ),
            )
            .with_hint("PEM readers usually skip such text, but it means something was pasted into the member"),
        );
    }

    let judged = judge_label(member, first, findings);
    let begin_line = first.begin_line;
    // Quoted only for a message: quoting is work the common path does not need.
    let shown = || first.label.quoted(LABEL_MAX_CHARS);
    let block = judged.and_then(|(label, encryption)| {
        let mut base64 = scan.first_base64;
        if let Some(padded) = with_missing_padding(&base64) {
            base64 = padded;
            problems.push(Problem::MissingPadding);
        }
        let malformed = |reason: String| {
            pem_malformed(
                member,
                &Malformed {
                    line: begin_line,
                    reason,
                    runs_together: false,
                },
            )
        };
        let decoded = if label == BlockLabel::Certificate && encryption.is_none() {
            decode_public_base64(&base64)
        } else {
            decode_base64(base64)
        };
        let Some(der) = decoded else {
            if problems.last() == Some(&Problem::MissingPadding) {
                problems.pop();
            }
            findings.push(malformed(format!(
                "the base64 body of the {} block does not decode: its length or padding is wrong",
                shown()
            )));
            return None;
        };
        // Ciphertext under legacy encryption is no DER; everything else is one SEQUENCE.
        let legacy = matches!(encryption, Some(Encryption::Legacy { .. }));
        if let Some(announced) = der::shortfall(der.as_slice()).filter(|_| !legacy) {
            findings.push(
                malformed(format!(
                    "the {} block is cut short: its DER announces {announced} bytes, its base64 holds {}",
                    shown(),
                    der.as_slice().len()
                ))
                .with_hint("part of the block was lost when it was copied: copy the whole block again from the original response"),
            );
            return None;
        }
        if problems.last() == Some(&Problem::MissingPadding)
            && !legacy
            && !der::is_one_sequence(der.as_slice())
        {
            // Padding added to a body that lost a character elsewhere: no missing pad.
            problems.pop();
            findings.push(malformed(format!(
                "the base64 body of the {} block does not decode: its length or padding is wrong",
                shown()
            )));
            return None;
        }
        Some(PemBlock {
            label,
            der,
            encryption,
        })
    });
    if !problems.is_empty() {
        findings.push(layout_finding(member, &problems));
    }
    block
}

/// The one finding about the ways a member's text departs from what every loader reads.
fn layout_finding(member: Member, problems: &[Problem]) -> Finding {
    let described: Vec<String> = if problems.len() == 1 {
        vec![problems[0].describe()]
    } else {
        problems
            .iter()
            .map(|problem| {
                let names: Vec<&str> = problem.refused_by().iter().map(|s| s.name()).collect();
                format!("{} ({})", problem.describe(), names.join(", "))
            })
            .collect()
    };
    Finding::new(
        CheckId::PemLayout,
        Some(Field::Member(member)),
        format!(
            "{}'s PEM text is laid out as some TLS loaders do not read it: {}; certkey read past it to check what the text holds",
            member.name(),
            described.join("; ")
        ),
    )
    .refused_only_by(layout::refused_by(problems))
    .with_hint(
        problems
            .iter()
            .map(Problem::fix)
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// The base64 text with the `=` padding it lacks, when it lacks only that: no `=` anywhere,
/// and a length two or three past a multiple of four.
fn with_missing_padding(base64: &SecretBytes) -> Option<SecretBytes> {
    let text = base64.as_slice();
    let missing = match text.len() % 4 {
        2 => 2,
        3 => 1,
        _ => return None,
    };
    if text.contains(&b'=') {
        return None;
    }
    let mut padded = SecretBytes::with_capacity(text.len() + missing);
    padded.extend_within_capacity(text);
    padded.extend_within_capacity(&b"=="[..missing]);
    Some(padded)
}

fn pem_malformed(member: Member, malformed: &Malformed) -> Finding {
    Finding::new(
        CheckId::PemMalformed,
        Some(Field::Member(member)),
        format!(
            "{} is not well-formed PEM: {} (line {})",
            member.name(),
            malformed.reason,
            malformed.line
        ),
    )
}

/// Checks that the first block's type fits the member, and says what it is when it does (for
/// an encrypted key: what it will be once decrypted, and how it is encrypted).
fn judge_label(
    member: Member,
    block: &RawBlock<'_>,
    findings: &mut Findings,
) -> Option<(BlockLabel, Option<Encryption>)> {
    let field = || Some(Field::Member(member));
    let legacy = block.encrypted_header.then(|| Encryption::Legacy {
        dek_info: block
            .dek_info
            .map(|value| UntrustedString::new(value.unquoted())),
    });
    match (member.kind(), block.label.unquoted()) {
        (MemberKind::Certificate, "CERTIFICATE") => Some((BlockLabel::Certificate, None)),
        (MemberKind::PrivateKey, "ENCRYPTED PRIVATE KEY") if block.encrypted_header => {
            findings.push(Finding::new(
                CheckId::KeyEncryptionUnsupported,
                field(),
                format!(
                    "{} is an ENCRYPTED PRIVATE KEY inside legacy PEM encryption (a Proc-Type: 4,ENCRYPTED header): two layers, which no TLS stack reads",
                    member.name()
                ),
            ));
            None
        }
        (MemberKind::PrivateKey, "ENCRYPTED PRIVATE KEY") => {
            Some((BlockLabel::PrivateKey, Some(Encryption::Pkcs8)))
        }
        (MemberKind::PrivateKey, "RSA PRIVATE KEY") => Some((BlockLabel::RsaPrivateKey, legacy)),
        (MemberKind::PrivateKey, "PRIVATE KEY") => Some((BlockLabel::PrivateKey, legacy)),
        (MemberKind::PrivateKey, "EC PRIVATE KEY") => Some((BlockLabel::EcPrivateKey, legacy)),
        (MemberKind::PrivateKey, "DSA PRIVATE KEY") => {
            findings.push(Finding::new(
                CheckId::KeyUnsupported,
                field(),
                format!(
                    "{} is a DSA key, an algorithm certkey does not check (TLS 1.3 does not allow it)",
                    member.name()
                ),
            ));
            None
        }
        (kind, label) => {
            let (wanted, hint) = match kind {
                MemberKind::Certificate => (
                    "a CERTIFICATE block",
                    if label.ends_with("PRIVATE KEY") {
                        "a private key sits where a certificate belongs: the members look swapped"
                    } else {
                        "put the certificate itself in this member"
                    },
                ),
                MemberKind::PrivateKey => (
                    "a private key (RSA PRIVATE KEY, PRIVATE KEY or EC PRIVATE KEY)",
                    if label == "CERTIFICATE" {
                        "a certificate sits where a private key belongs: the members look swapped"
                    } else if label == "OPENSSH PRIVATE KEY" {
                        "this is OpenSSH's own key format; TLS stacks need PKCS#1, PKCS#8 or SEC1"
                    } else {
                        "put the private key itself in this member"
                    },
                ),
            };
            findings.push(
                Finding::new(
                    CheckId::PemWrongLabel,
                    field(),
                    format!(
                        "{} holds a block labelled {}, but it must hold {wanted}",
                        member.name(),
                        block.label.quoted(LABEL_MAX_CHARS)
                    ),
                )
                .with_hint(hint),
            );
            None
        }
    }
}

/// What a scan of a member's text found.
struct Scan<'a> {
    /// The first block, the only one decoded.
    first: Option<RawBlock<'a>>,
    /// How many blocks there are, and the labels of the first few (the rest are only
    /// counted, so that a member of many tiny blocks costs no memory per block).
    count: usize,
    labels: Vec<Untrusted<'a>>,
    /// The base64 text of the first block (the only one decoded).
    first_base64: SecretBytes,
    /// Whether the second block's base64 is the first's (the block was pasted twice).
    second_repeats_first: bool,
    /// The line of the first non-blank text outside any block.
    outside_text_line: Option<usize>,
    outside_text_lines: usize,
    /// How the first block's layout departs from what every loader reads.
    problems: Vec<Problem>,
}

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
/// it. CRLF line ends and blank lines are normal; text outside blocks is counted, not refused;
/// what some loaders refuse (indentation, blank lines in the body, headers) is noted for the
/// first block.
fn scan(text: &str) -> Result<Scan<'_>, Malformed> {
    let mut first = None;
    let mut count = 0;
    let mut labels = Vec::new();
    let mut first_base64 = SecretBytes::with_capacity(0);
    let mut second_repeats_first = false;
    let mut outside_text_line = None;
    let mut outside_text_lines = 0;
    let mut open: Option<RawBlock<'_>> = None;
    let mut in_headers = false;
    let mut offset = 0;
    let mut seen = LayoutSeen::default();
    // How much of the second block's base64 equals the first's (None once they differ), to
    // tell a block pasted twice.
    let mut second_matched = Some(0);

    for (index, raw_line) in text.split('\n').enumerate() {
        let number = index + 1;
        let line_start = offset;
        offset += raw_line.len() + 1;
        let line = raw_line.trim_matches(BLANKS);
        let indent = raw_line.len() - raw_line.trim_start_matches([' ', '\t']).len();
        let malformed = |reason: String| Malformed {
            line: number,
            reason,
            runs_together: layout::runs_together(line),
        };

        if let Some(rest) = line.strip_prefix("-----BEGIN") {
            if layout::runs_together(line) {
                return Err(malformed(
                    "the BEGIN line runs together with the text after it".to_owned(),
                ));
            }
            let label = encapsulation_label(rest)
                .ok_or_else(|| malformed("the BEGIN line is incomplete".to_owned()))?;
            if let Some(block) = &open {
                return Err(malformed(format!(
                    "a new BEGIN line comes before the END line of the {} block begun on line {}",
                    block.label.quoted(LABEL_MAX_CHARS),
                    block.begin_line
                )));
            }
            if count == 0 {
                // Sized once, up to the next END line: the buffer never reallocates.
                // The body ends at the first "-----END" after this line: any line holding
                // one either ends the block or is refused, so no more base64 than that fits.
                let rest = text.get(line_start + raw_line.len()..).unwrap_or_default();
                let body = memchr::memmem::find(rest.as_bytes(), b"-----END").unwrap_or(rest.len());
                first_base64 = SecretBytes::with_capacity(body);
                seen.begin_indent = indent;
                let trailing = &raw_line[raw_line.trim_end_matches(BLANKS).len()..];
                seen.tab_after_begin = trailing.contains('\t');
            }
            open = Some(RawBlock {
                label,
                begin_line: number,
                base64_len: 0,
                encrypted_header: false,
                dek_info: None,
            });
            in_headers = true;
            continue;
        }
        if let Some(rest) = line.strip_prefix("-----END") {
            let label = encapsulation_label(rest)
                .ok_or_else(|| malformed("the END line is incomplete".to_owned()))?;
            let Some(block) = open.take() else {
                return Err(malformed(format!(
                    "an END {} line has no BEGIN line before it",
                    label.quoted(LABEL_MAX_CHARS)
                )));
            };
            if block.label != label {
                return Err(malformed(format!(
                    "the block begun as {} on line {} ends as {}",
                    block.label.quoted(LABEL_MAX_CHARS),
                    block.begin_line,
                    label.quoted(LABEL_MAX_CHARS)
                )));
            }
            if block.base64_len == 0 {
                return Err(malformed(format!(
                    "the {} block is empty",
                    block.label.quoted(LABEL_MAX_CHARS)
                )));
            }
            if labels.len() < LABELS_LISTED {
                labels.push(block.label);
            }
            count += 1;
            if count == 1 {
                seen.end_indented = indent > 0;
            } else if count == 2 {
                second_repeats_first = block.label == labels[0]
                    && second_matched == Some(first_base64.as_slice().len());
            }
            if first.is_none() {
                first = Some(block);
            }
            continue;
        }

        let Some(block) = open.as_mut() else {
            if !line.is_empty() {
                outside_text_lines += 1;
                outside_text_line.get_or_insert(number);
                if layout::runs_together(line) {
                    return Err(malformed(
                        "a BEGIN or END line runs together with other text".to_owned(),
                    ));
                }
            }
            continue;
        };
        let is_first = count == 0;
        if line.is_empty() {
            in_headers = false;
            if is_first {
                seen.after_blank = true;
                if block.base64_len == 0 {
                    seen.blanks_before_body += 1;
                } else {
                    seen.blanks_in_body += 1;
                    seen.first_blank_in_body.get_or_insert(number);
                }
            }
            continue;
        }
        if is_first {
            seen.inner_lines += 1;
            seen.indented_inner_lines += usize::from(indent > 0);
        }
        if in_headers && block.base64_len == 0 {
            if let Some((name, value)) = line.split_once(':') {
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
                continue;
            }
        }
        in_headers = false;
        let body = line.as_bytes();
        if is_first {
            seen.body_line(number, raw_line);
        }
        if body.iter().all(|&b| is_base64(b)) {
            block.base64_len += body.len();
            if is_first {
                first_base64.extend_within_capacity(body);
            } else if count == 1 {
                second_matched = matched_prefix(first_base64.as_slice(), second_matched, body);
            }
            continue;
        }
        // Rare: blanks inside the line, or a byte that is not base64.
        for (column, &byte) in body.iter().enumerate() {
            if is_base64(byte) {
                block.base64_len += 1;
                if is_first {
                    first_base64.extend_within_capacity(&[byte]);
                } else if count == 1 {
                    second_matched =
                        matched_prefix(first_base64.as_slice(), second_matched, &[byte]);
                }
            } else if byte != b' ' && byte != b'\t' {
                // The byte itself is not quoted: in a key member it would be key text.
                return Err(malformed(format!(
                    "column {} of the {} block's body is not a base64 character",
                    column + 1,
                    block.label.quoted(LABEL_MAX_CHARS)
                )));
            }
        }
    }

    if let Some(block) = open {
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
        first,
        count,
        labels,
        first_base64,
        second_repeats_first,
        outside_text_line,
        outside_text_lines,
        problems: seen.into_problems(),
    })
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

fn is_base64(byte: u8) -> bool {
    BASE64_ALPHABET[usize::from(byte)]
}

/// The base64 alphabet and its padding character, as a lookup table.
static BASE64_ALPHABET: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=';
        byte += 1;
    }
    table
};

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

/// Decodes the base64 in place: the DER takes the buffer's first bytes and the rest is
/// wiped, so a block never costs a second buffer of its size.
///
/// base64ct's in-place decoder does not check that the unused bits of the last character are
/// zero (its `decode` does): the last four characters are decoded apart to check it, so that
/// one DER has one base64 text, as strict readers require.
fn decode_base64(mut base64: SecretBytes) -> Option<SecretBytes> {
    let last = base64.as_slice().len().checked_sub(4)?;
    let mut tail = zeroize::Zeroizing::new([0u8; 3]);
    Base64::decode(&base64.as_slice()[last..], tail.as_mut_slice()).ok()?;
    let len = Base64::decode_in_place(base64.as_mut_slice()).ok()?.len();
    base64.truncate(len);
    Some(base64)
}

/// Decodes the base64 of a block labelled CERTIFICATE, which is public, with data-encoding's
/// table-driven decoder rather than the constant-time one. It accepts exactly what
/// [`decode_base64`] accepts (a property test compares the two): a padded body in the
/// standard alphabet, at least four characters, with padding only in its last four and the
/// unused bits of its last character zero.
fn decode_public_base64(base64: &SecretBytes) -> Option<SecretBytes> {
    let input = base64.as_slice();
    let last = input.len().checked_sub(4)?;
    // data-encoding also reads a concatenation of padded encodings (`AAA=AAAA`); base64ct,
    // Go and OpenSSL's strict readers take padding only at the end.
    if memchr::memchr(b'=', &input[..last]).is_some() {
        return None;
    }
    let mut der = SecretBytes::zeroed(data_encoding::BASE64.decode_len(input.len()).ok()?);
    let len = data_encoding::BASE64
        .decode_mut(input, der.as_mut_slice())
        .ok()?;
    der.truncate(len);
    Some(der)
}

/// Undoes a second round of JSON string escaping: literal `\n`, `\r`, `\t`, `\/`, `\"` and
/// `\\` become what they stand for, and quotes around the whole text are dropped.
fn undo_second_escaping(text: &str) -> SecretText {
    let trimmed = text.trim();
    let inner = trimmed
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(trimmed);
    let mut out = SecretText::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(other @ ('/' | '"' | '\\')) => out.push(other),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn secret(text: &[u8]) -> SecretBytes {
        let mut bytes = SecretBytes::with_capacity(text.len());
        bytes.extend_within_capacity(text);
        bytes
    }

    /// Both decoders on `text`: the same verdict, the same bytes.
    fn decoders_agree(text: &[u8]) -> Result<(), TestCaseError> {
        let constant_time = decode_base64(secret(text)).map(|der| der.as_slice().to_vec());
        let public = decode_public_base64(&secret(text)).map(|der| der.as_slice().to_vec());
        prop_assert_eq!(constant_time, public, "{:?}", String::from_utf8_lossy(text));
        Ok(())
    }

    proptest! {
        /// Text of base64 characters, padding and a few others, in any order.
        #[test]
        fn the_public_decoder_accepts_what_the_constant_time_one_does(
            text in proptest::collection::vec(
                proptest::sample::select(b"AQgw+/09az=-_ \n\x80".to_vec()), 0..40)
        ) {
            decoders_agree(&text)?;
        }

        /// Real encodings of any bytes, with one character of the last four changed.
        #[test]
        fn the_decoders_agree_near_the_end_of_real_base64(
            bytes in proptest::collection::vec(any::<u8>(), 0..40),
            from_end in 1usize..=4,
            with in proptest::sample::select(b"AQgw+/=9".to_vec()),
        ) {
            let mut text = Base64::encode_string(&bytes).into_bytes();
            decoders_agree(&text)?;
            if let Some(at) = text.len().checked_sub(from_end) {
                text[at] = with;
                decoders_agree(&text)?;
            }
        }
    }

    proptest! {
        /// Two real encodings one after the other: padding inside the text is refused by
        /// both decoders (data-encoding alone would read the two as one).
        #[test]
        fn the_decoders_agree_on_two_encodings_joined(
            first in proptest::collection::vec(any::<u8>(), 1..20),
            second in proptest::collection::vec(any::<u8>(), 1..20),
        ) {
            let text = Base64::encode_string(&first) + &Base64::encode_string(&second);
            decoders_agree(text.as_bytes())?;
        }
    }

    #[test]
    fn padding_inside_the_body_is_refused_by_both_decoders() {
        for text in [&b"AAA=AAAA"[..], b"AA==AAAA", b"AAAAAA==AAAA"] {
            assert!(decode_public_base64(&secret(text)).is_none());
            assert!(decode_base64(secret(text)).is_none());
        }
        // Padding at the end stays readable.
        assert_eq!(
            decode_public_base64(&secret(b"AAAAAA==")).map(|der| der.as_slice().to_vec()),
            Some(vec![0; 4])
        );
    }

    /// The findings `decode_member` makes of `text` in the `ca` member.
    fn findings_of(text: &str) -> Vec<Finding> {
        findings_in(Member::Ca, text)
    }

    /// The findings `decode_member` makes of `text` in `member`.
    fn findings_in(member: Member, text: &str) -> Vec<Finding> {
        let mut secret = SecretText::with_capacity(text.len());
        secret.push_str(text);
        let mut findings = Findings::default();
        let _ = decode_member(member, &secret, &mut findings);
        // As the report words them, under the default policy.
        let policy = crate::Policy::default();
        let judge = crate::judge::Judge::new(&policy, None);
        findings.iter().map(|f| judge.judge(f)).collect()
    }

    /// The one finding of `id` among `findings`: its message and help.
    fn said(findings: &[Finding], id: CheckId) -> (String, String) {
        let found: Vec<_> = findings.iter().filter(|f| f.id() == id).collect();
        assert_eq!(found.len(), 1, "{id}: {findings:?}");
        (found[0].message().to_owned(), found[0].help().to_owned())
    }

    #[test]
    fn the_first_blocks_buffer_is_sized_once_whatever_comes_before_it() {
        // The base64 of a key is copied once: the buffer is sized, before any of it is read,
        // to the text between the BEGIN and END lines, which no more base64 than that fits
        // (a buffer that grows wipes what it held, but the copy is avoidable).
        let body = "QUJD\r\n  \nRA==\n";
        for lines in 0..=12 {
            let text = format!(
                "{}-----BEGIN A-----\n{body}-----END A-----\n",
                "before \u{e9}\n".repeat(lines)
            );
            let scan = scan(&text).ok().unwrap();
            assert_eq!(scan.outside_text_lines, lines);
            // The line break that ends the BEGIN line, and the body.
            assert_eq!(
                scan.first_base64.capacity(),
                1 + body.len(),
                "{lines} lines before"
            );
            let der = decode_base64(scan.first_base64).unwrap();
            assert_eq!(der.as_slice(), b"ABCD", "{lines} lines before");
        }
    }

    #[test]
    fn blanks_inside_body_lines_are_skipped() {
        let scan = scan("-----BEGIN A-----\nQU JD\nR\tA==\n-----END A-----\n")
            .ok()
            .unwrap();
        assert_eq!(
            decode_base64(scan.first_base64).unwrap().as_slice(),
            b"ABCD"
        );
    }

    #[test]
    fn headers_are_read_only_right_after_begin_and_only_those_of_legacy_encryption() {
        // After a blank line, a line with a colon is body text, and not base64.
        let error = scan("-----BEGIN A-----\n\nX-Y: z\n-----END A-----")
            .err()
            .unwrap();
        assert!(error.reason.contains("column 2"), "{}", error.reason);
        let key = |headers: &str| {
            format!(
                "-----BEGIN RSA PRIVATE KEY-----\n{headers}\nQUJD\n-----END RSA PRIVATE KEY-----\n"
            )
        };
        // Proc-Type without ENCRYPTED, a comment, and DEK-Info without Proc-Type: skipped, and
        // noted as the problem some loaders have with them.
        for (headers, name) in [
            ("Proc-Type: 4,MIC-ONLY\n", "Proc-Type"),
            ("Comment: hello\n", "Comment"),
            (
                "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n",
                "DEK-Info",
            ),
            ("Proc-Type: 4,ENCRYPTED\nComment: hello\n", "Comment"),
        ] {
            let text = key(headers);
            let scan = scan(&text).ok().expect(headers);
            assert_eq!(
                scan.problems,
                [Problem::Header {
                    name: UntrustedString::new(name)
                }],
                "{headers}"
            );
            assert_eq!(
                decode_base64(scan.first_base64).unwrap().as_slice(),
                b"ABC",
                "{headers}"
            );
        }
        let encrypted =
            key("Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n");
        let scan = scan(&encrypted).ok().unwrap();
        let block = scan.first.as_ref().unwrap();
        assert!(block.encrypted_header);
        assert_eq!(
            block.dek_info.as_ref().map(|dek| dek.unquoted()),
            Some("AES-128-CBC,00112233445566778899AABBCCDDEEFF")
        );
    }

    #[test]
    fn a_wrong_label_in_a_key_member_gets_the_hint_that_fits() {
        for (label, hint) in [
            (
                "CERTIFICATE",
                "a certificate sits where a private key belongs",
            ),
            ("OPENSSH PRIVATE KEY", "OpenSSH's own key format"),
            ("PUBLIC KEY", "put the private key itself in this member"),
        ] {
            let text = format!("-----BEGIN {label}-----\nQUJD\n-----END {label}-----\n");
            let (_, help) = said(
                &findings_in(Member::PrivateKey, &text),
                CheckId::PemWrongLabel,
            );
            assert!(help.contains(hint), "{label}: {help}");
        }
    }

    #[test]
    fn an_encrypted_pkcs8_key_under_legacy_encryption_is_two_layers() {
        let text = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nQUJD\n-----END ENCRYPTED PRIVATE KEY-----\n";
        let findings = findings_in(Member::PrivateKey, text);
        let (message, _) = said(&findings, CheckId::KeyEncryptionUnsupported);
        assert!(message.contains("two layers"), "{message}");
    }

    const BLOCK: &str = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n";

    #[test]
    fn only_an_escaped_line_break_is_called_one() {
        // A backslash that escapes no line break (a Windows path in a comment, say).
        let text = format!("C:\\certs\\ca.pem\n{BLOCK}");
        assert!(
            !findings_of(&text)
                .iter()
                .any(|f| f.id() == CheckId::PemEscapedNewlines),
            "{:?}",
            findings_of(&text)
        );
        let escaped = BLOCK.replace('\n', "\\n");
        assert!(findings_of(&escaped)
            .iter()
            .any(|f| f.id() == CheckId::PemEscapedNewlines));
    }

    #[test]
    fn blocks_beyond_those_listed_are_counted_and_elided() {
        let words = |count: usize| {
            let findings = findings_of(&BLOCK.repeat(count));
            let finding = findings
                .iter()
                .find(|f| f.id() == CheckId::PemMultipleBlocks)
                .expect("pem.multiple_blocks");
            finding.message().to_owned()
        };
        let listed = words(LABELS_LISTED);
        assert!(
            listed.contains(&format!("holds {LABELS_LISTED} PEM blocks")) && !listed.contains('…'),
            "{listed}"
        );
        let more = words(LABELS_LISTED + 1);
        assert!(
            more.contains(&format!("holds {} PEM blocks", LABELS_LISTED + 1))
                && more.contains(", …)"),
            "{more}"
        );
        assert_eq!(more.matches("CERTIFICATE").count(), LABELS_LISTED, "{more}");
    }

    #[test]
    fn each_layout_problem_is_told_from_its_neighbours() {
        let problems = |text: &str| scan(text).ok().expect(text).problems;
        let indented = |columns, every_line| Problem::Indented {
            columns,
            every_line,
        };
        let block = |lines: &[&str]| lines.join("\n");
        let b = "-----BEGIN A-----";
        let e = "-----END A-----";
        // Indentation: of every line, of BEGIN alone, of END alone, of all but a body line.
        assert_eq!(
            problems(&block(&[&format!("  {b}"), "  QUJD", &format!("  {e}")])),
            [indented(2, true)]
        );
        assert_eq!(
            problems(&block(&[&format!(" {b}"), "QUJD", e])),
            [indented(1, false)]
        );
        assert_eq!(
            problems(&block(&[b, "QUJD", &format!("\t{e}")])),
            [indented(0, false)]
        );
        assert_eq!(
            problems(&block(&[
                &format!("  {b}"),
                "  QUJD",
                "QUJD",
                &format!("  {e}")
            ])),
            [indented(2, false)]
        );
        assert_eq!(
            problems(&block(&[b, "  QUJD", &format!("  {e}")])),
            [indented(0, false)]
        );
        assert_eq!(problems(&block(&[b, "  QUJD", e])), []);
        // Blank lines: one inside the body, or one after every line, even with none after
        // BEGIN; two before the body.
        let blank = |line, doubled| Problem::BlankLineInBody { line, doubled };
        assert_eq!(
            problems(&block(&[b, "QUJD", "QUJD", "", "QUJD", "QUJD", "QUJD", e])),
            [blank(4, false)]
        );
        assert_eq!(
            problems(&block(&[b, "QUJD", "", "QUJD", "", "QUJD", "", e])),
            [blank(3, true)]
        );
        assert_eq!(
            problems(&block(&[b, "", "", "QUJD", e])),
            [Problem::BlankLinesBeforeBody]
        );
        // After a blank line, 64-character lines with only the last shorter: a line of 65, or
        // one after a shorter line, breaks OpenSSL's reading.
        let full = "Q".repeat(64);
        assert_eq!(problems(&block(&[b, "", &full, &full, "QUJD", e])), []);
        assert_eq!(
            problems(&block(&[b, "", &full, &"Q".repeat(65), e])),
            [Problem::LineLengthAfterBlank { line: 4 }]
        );
        assert_eq!(
            problems(&block(&[b, "", &full, "QUJD", &full, e])),
            [Problem::LineLengthAfterBlank { line: 5 }]
        );
        // Without a blank line, lines of any length.
        assert_eq!(
            problems(&block(&[b, &full, "QUJD", &"Q".repeat(100), e])),
            []
        );
    }

    #[test]
    fn a_block_pasted_twice_is_told_from_two_blocks_and_headers_are_the_first_blocks() {
        let block = "-----BEGIN A-----\nQUJD\nRA==\n-----END A-----\n";
        let twice = |second: &str| {
            let text = format!("{block}{second}");
            let scan = scan(&text).ok().unwrap();
            (scan.second_repeats_first, scan.problems)
        };
        assert!(twice(block).0);
        // The same base64, however it is laid out.
        assert!(twice("-----BEGIN A-----\nQU JD\nRA==\n-----END A-----\n").0);
        assert!(twice("-----BEGIN A-----\nQUJDRA==\n-----END A-----\n").0);
        assert!(!twice("-----BEGIN A-----\nQUJDRA==QUJD\n-----END A-----\n").0);
        assert!(!twice("-----BEGIN A-----\nQUJD\n-----END A-----\n").0);
        assert!(!twice("-----BEGIN B-----\nQUJD\nRA==\n-----END B-----\n").0);
        // Only the first block's headers are the loaders' concern, and the first of them named.
        let header = |name: &str| Problem::Header {
            name: UntrustedString::new(name),
        };
        assert_eq!(
            twice("-----BEGIN A-----\nComment: b\n\nQUJD\n-----END A-----\n").1,
            []
        );
        let headed = scan("-----BEGIN A-----\nComment: a\nOther: b\n\nQUJD\n-----END A-----")
            .ok()
            .unwrap();
        assert_eq!(headed.problems, [header("Comment")]);
    }

    #[test]
    fn missing_padding_is_added_only_where_it_can_be_missing() {
        let padded = |text: &[u8]| {
            let mut base64 = SecretBytes::with_capacity(text.len());
            base64.extend_within_capacity(text);
            with_missing_padding(&base64).map(|p| p.as_slice().to_vec())
        };
        assert_eq!(padded(b"QUJDREU").as_deref(), Some(&b"QUJDREU="[..]));
        assert_eq!(padded(b"QUJDRA").as_deref(), Some(&b"QUJDRA=="[..]));
        assert_eq!(padded(b"QUJD"), None);
        assert_eq!(padded(b"QUJDR"), None);
        assert_eq!(padded(b"QU=DRA"), None);
    }

    #[test]
    fn unpadded_base64_is_a_layout_problem_only_when_padding_makes_one_block() {
        let ids = |member, text: &str| -> Vec<CheckId> {
            findings_in(member, text).iter().map(Finding::id).collect()
        };
        // Padded, a certificate's body must be one DER SEQUENCE: "ABCD" is not, so the
        // base64 itself is wrong, and no padding problem is reported.
        let cert = "-----BEGIN CERTIFICATE-----\nQUJDRA\n-----END CERTIFICATE-----\n";
        assert_eq!(ids(Member::Cert, cert), [CheckId::PemMalformed]);
        // A SEQUENCE of one byte, unpadded: read, and the padding reported.
        let cert = "-----BEGIN CERTIFICATE-----\nMAEA\n-----END CERTIFICATE-----\n";
        assert!(ids(Member::Cert, cert).is_empty());
        let cert = "-----BEGIN CERTIFICATE-----\nMAIAAA\n-----END CERTIFICATE-----\n";
        assert_eq!(ids(Member::Cert, cert), [CheckId::PemLayout]);
        // Under legacy encryption the body is ciphertext, no SEQUENCE: padding alone decides.
        let legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\
            DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nQUJDRA\n\
            -----END RSA PRIVATE KEY-----\n";
        assert_eq!(ids(Member::PrivateKey, legacy), [CheckId::PemLayout]);
        let mut secret = SecretText::with_capacity(legacy.len());
        secret.push_str(legacy);
        let mut findings = Findings::default();
        let block = decode_member(Member::PrivateKey, &secret, &mut findings).unwrap();
        assert_eq!(block.der.as_slice(), b"ABCD");
    }

    #[test]
    fn labels_are_read_from_encapsulation_lines() {
        let label = |rest| encapsulation_label(rest).map(Untrusted::unquoted);
        assert_eq!(label(" CERTIFICATE-----"), Some("CERTIFICATE"));
        assert_eq!(label(" RSA PRIVATE KEY-----"), Some("RSA PRIVATE KEY"));
        assert_eq!(encapsulation_label(" CERTIFICATE----"), None);
        assert_eq!(encapsulation_label("CERTIFICATE-----"), None);
        assert_eq!(encapsulation_label(" -----"), None);
    }

    #[test]
    fn second_escaping_is_undone() {
        let repaired = undo_second_escaping("\"a\\nb\\r\\nc\\/d\\\\e\\x\"");
        assert_eq!(repaired.as_str(), "a\nb\r\nc/d\\e\\x");
    }

    #[test]
    fn blocks_headers_and_outside_text_are_found() {
        let text = "junk\n-----BEGIN A-----\nQUJD\n-----END A-----\n\n-----BEGIN B-----\nRA==\n-----END B-----\nmore";
        let scan = scan(text).ok().unwrap();
        assert_eq!(scan.count, 2);
        let first = scan.first.as_ref().unwrap();
        assert_eq!(first.label.unquoted(), "A");
        assert_eq!(first.begin_line, 2);
        assert_eq!(scan.labels[1].unquoted(), "B");
        assert_eq!(scan.outside_text_line, Some(1));
        assert_eq!(scan.outside_text_lines, 2);
        let der = decode_base64(scan.first_base64).unwrap();
        assert_eq!(der.as_slice(), b"ABC");
    }

    #[test]
    fn base64_with_unused_bits_set_is_refused() {
        let base64 = |text: &[u8]| {
            let mut buffer = SecretBytes::with_capacity(text.len());
            buffer.extend_within_capacity(text);
            decode_base64(buffer).map(|der| der.as_slice().to_vec())
        };
        assert_eq!(base64(b"QUJDRA==").as_deref(), Some(&b"ABCD"[..]));
        assert_eq!(base64(b"QUJDRB=="), None);
        assert_eq!(base64(b"QUJDREU="), Some(b"ABCDE".to_vec()));
        assert_eq!(base64(b"QUJDREV="), None);
        assert_eq!(base64(b"QU"), None);
    }

    #[test]
    fn a_begin_line_holding_an_end_marker_still_decodes() {
        let scan = scan("-----BEGIN A -----END-----\nQUJD\nRA==\n-----END A -----END-----\n")
            .ok()
            .unwrap();
        assert_eq!(scan.first.as_ref().unwrap().label.unquoted(), "A -----END");
        assert_eq!(
            decode_base64(scan.first_base64).unwrap().as_slice(),
            b"ABCD"
        );
    }

    #[test]
    fn structural_errors_name_their_line() {
        for (text, line) in [
            ("-----BEGIN A-----\nQUJD\n", 1),
            ("-----BEGIN A-----\nQUJD\n-----END B-----", 3),
            ("QUJD\n-----END A-----", 2),
            ("-----BEGIN A-----\nQU*D\n-----END A-----", 2),
            ("-----BEGIN A-----\n-----END A-----", 2),
        ] {
            let error = scan(text).err().expect(text);
            assert_eq!(error.line, line, "{text}: {}", error.reason);
        }
    }
}
