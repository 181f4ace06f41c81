//! The PEM layer: from a member's text to the DER of its (first) block, with diagnostics.
//!
//! Ids: `pem.malformed`, `pem.escaped_newlines`, `pem.layout`, `pem.wrong_label`,
//! `pem.multiple_blocks`, `pem.trailing_data`; and, where a key block's label alone says certkey cannot read it,
//! `key.unsupported` (a `DSA PRIVATE KEY` block) and `key.encryption_unsupported`
//! (two layers of encryption); `cert.malformed` for a later CERTIFICATE block that holds no
//! certificate (a stack that reads the member as a file loads every block).
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
//!
//! The submodules: `scan` splits the text into blocks line by line, `base64` decodes a body,
//! [`layout`] knows what each stack's loader reads; this module repairs, judges labels and
//! reports.

mod base64;
mod layout;
mod scan;

use self::base64::{decode_base64, decode_public_base64, with_missing_padding};
use layout::Problem;
use scan::{scan, Malformed, RawBlock, Scan};

use crate::catalog::CheckId;
use crate::der;
use crate::finding::{Field, Finding, Findings};
use crate::member::{Member, MemberKind};
use crate::secret::{SecretBytes, SecretText};
use crate::text::UntrustedString;

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

/// Runs every check of the "PEM" section on a member's text and returns its first block when
/// it has the right type and decodes.
///
/// The text is repaired first where a copying mistake is certain (JSON escaped twice, a byte
/// order mark, old Mac line ends, lost line breaks), so that what it holds is still checked;
/// each repair is a finding.
pub(crate) fn decode_member(
    member: Member,
    text: &SecretText,
    findings: &mut Findings,
) -> Option<PemBlock> {
    let mut problems = Vec::new();
    // Each repaired copy lives here, wiped on drop; `text` is the latest.
    let (unescaped, line_ends_repaired, line_breaks_restored);
    let mut text = text.as_str();
    // Most text has no backslash at all: one memchr pass settles it.
    if text.contains('\\') && (text.contains("\\n") || text.contains("\\r")) {
        findings.push(Finding::new(
            CheckId::PemEscapedNewlines,
            Some(Field::Member(member)),
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
    if text.contains('\r') && !text.contains('\n') {
        problems.push(Problem::CarriageReturnLineEnds);
        line_ends_repaired = with_line_feeds(text);
        text = line_ends_repaired.as_str();
    }
    let check_later = (member.kind() == MemberKind::Certificate).then_some(later_certificate as _);
    let scanned = match scan(text, check_later) {
        Err(malformed) if malformed.runs_together => {
            let (restored, lost) = layout::restore_line_breaks(text);
            problems.push(lost);
            line_breaks_restored = restored;
            scan(line_breaks_restored.as_str(), check_later)
        }
        scanned => scanned,
    };
    let mut scan = match scanned {
        Ok(scan) => scan,
        Err(malformed) => {
            findings.push(pem_malformed(member, &malformed));
            return None;
        }
    };
    problems.append(&mut scan.problems);
    let Some(first) = scan.first.as_ref() else {
        findings.push(no_block(member));
        return None;
    };
    report_blocks(member, &scan, first, findings);
    if let Some((line, why)) = scan.later_refused {
        findings.push(later_block_finding(member, line, why));
    }
    let block = judge_label(member, first, findings).and_then(|judged| {
        decode_first(
            member,
            first,
            scan.first_base64,
            judged,
            &mut problems,
            findings,
        )
    });
    if !problems.is_empty() {
        findings.push(layout_finding(member, &problems));
    }
    block
}

/// Why a later CERTIFICATE block's base64 holds no certificate, if it does not.
fn later_certificate(base64: &SecretBytes) -> Option<&'static str> {
    use x509_parser::prelude::{FromDer, X509Certificate};

    match decode_public_base64(base64) {
        None => Some("its base64 does not decode"),
        Some(der) if X509Certificate::from_der(der.as_slice()).is_ok() => None,
        Some(_) => Some("its DER is no X.509 certificate"),
    }
}

/// `cert.malformed` for a CERTIFICATE block after the first that holds no certificate, on
/// `line`: OpenSSL loads every block of a CA file (each a trusted CA) and of a certificate
/// chain file (the chain a leaf is sent with), and fails on such a block.
fn later_block_finding(member: Member, line: usize, why: &str) -> Finding {
    let (fact, loads) = if member == Member::Ca {
        (
            crate::refusals::Fact::LaterBlockNotACertificateInCa,
            "a TLS stack that reads the CA file loads every block in it as a trusted CA",
        )
    } else {
        (
            crate::refusals::Fact::LaterBlockNotACertificateInLeaf,
            "a TLS stack that reads the certificate file loads every block in it, as the chain it sends with the certificate",
        )
    };
    Finding::new(
        CheckId::CertMalformed,
        Some(Field::Member(member)),
        format!(
            "{}'s CERTIFICATE block on line {line} holds no certificate ({why}): {loads}, and fails on it",
            member.name()
        ),
    )
    .with_hint("remove the block, or replace it with the certificate it was meant to hold")
    .refused_only_by(fact.refused_by())
}

/// The text with each carriage return made a line feed.
fn with_line_feeds(text: &str) -> SecretText {
    let mut repaired = SecretText::with_capacity(text.len());
    for c in text.chars() {
        repaired.push(if c == '\r' { '\n' } else { c });
    }
    repaired
}

/// `pem.malformed` for a member with no BEGIN line at all.
fn no_block(member: Member) -> Finding {
    let expected = match member.kind() {
        MemberKind::Certificate => "-----BEGIN CERTIFICATE-----",
        MemberKind::PrivateKey => {
            "-----BEGIN RSA PRIVATE KEY----- (or PRIVATE KEY, EC PRIVATE KEY)"
        }
    };
    Finding::new(
        CheckId::PemMalformed,
        Some(Field::Member(member)),
        format!(
            "{} holds no PEM block: no line {expected} was found",
            member.name()
        ),
    )
    .with_hint("the member must hold PEM text, not raw base64 or DER")
}

/// `pem.multiple_blocks` and `pem.trailing_data`: what the member holds besides its first
/// block.
fn report_blocks(member: Member, scan: &Scan<'_>, first: &RawBlock<'_>, findings: &mut Findings) {
    let field = || Some(Field::Member(member));
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
                "certkey audits the first; a TLS stack that reads the member as a file loads the others too (each is checked to be a certificate)",
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
}

/// Decodes the first block's base64 (`judged`: what its label says it holds), adding the
/// padding a copy lost when that makes it one whole SEQUENCE, and refusing DER cut short.
fn decode_first(
    member: Member,
    first: &RawBlock<'_>,
    mut base64: SecretBytes,
    (label, encryption): (BlockLabel, Option<Encryption>),
    problems: &mut Vec<Problem>,
    findings: &mut Findings,
) -> Option<PemBlock> {
    // Quoted only for a message: quoting is work the common path does not need.
    let shown = || first.label.quoted(LABEL_MAX_CHARS);
    let malformed = |reason: String| {
        pem_malformed(
            member,
            &Malformed {
                line: first.begin_line,
                reason,
                runs_together: false,
            },
        )
    };
    let undecodable = || {
        malformed(format!(
            "the base64 body of the {} block does not decode: its length or padding is wrong",
            shown()
        ))
    };
    if let Some(padded) = with_missing_padding(&base64) {
        base64 = padded;
        problems.push(Problem::MissingPadding);
    }
    let decoded = if is_public(label, encryption.as_ref()) {
        decode_public_base64(&base64)
    } else {
        decode_base64(base64)
    };
    let Some(der) = decoded else {
        if problems.last() == Some(&Problem::MissingPadding) {
            problems.pop();
        }
        findings.push(undecodable());
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
        findings.push(undecodable());
        return None;
    }
    Some(PemBlock {
        label,
        der,
        encryption,
    })
}

/// Whether a block is public, and so may be decoded by the faster table-driven decoder: a
/// certificate, unencrypted. Every key, encrypted or not, takes the constant-time one.
fn is_public(label: BlockLabel, encryption: Option<&Encryption>) -> bool {
    label == BlockLabel::Certificate && encryption.is_none()
}

/// The one finding about the ways a member's text departs from what every loader reads.
fn layout_finding(member: Member, problems: &[Problem]) -> Finding {
    let described: Vec<String> = if problems.len() == 1 {
        vec![problems[0].describe()]
    } else {
        problems
            .iter()
            .map(|problem| format!("{} ({})", problem.describe(), problem.refused_by()))
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

    #[test]
    fn only_an_unencrypted_certificate_is_decoded_as_public() {
        let legacy = Encryption::Legacy { dek_info: None };
        for label in [
            BlockLabel::Certificate,
            BlockLabel::RsaPrivateKey,
            BlockLabel::PrivateKey,
            BlockLabel::EcPrivateKey,
        ] {
            let certificate = label == BlockLabel::Certificate;
            assert_eq!(is_public(label, None), certificate, "{label:?}");
            assert!(!is_public(label, Some(&Encryption::Pkcs8)), "{label:?}");
            assert!(!is_public(label, Some(&legacy)), "{label:?}");
        }
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
            let scan = scan(&text, None).ok().unwrap();
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
        let scan = scan("-----BEGIN A-----\nQU JD\nR\tA==\n-----END A-----\n", None)
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
        let error = scan("-----BEGIN A-----\n\nX-Y: z\n-----END A-----", None)
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
            let scan = scan(&text, None).ok().expect(headers);
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
        let scan = scan(&encrypted, None).ok().unwrap();
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
        let problems = |text: &str| scan(text, None).ok().expect(text).problems;
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
            let scan = scan(&text, None).ok().unwrap();
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
        let headed = scan(
            "-----BEGIN A-----\nComment: a\nOther: b\n\nQUJD\n-----END A-----",
            None,
        )
        .ok()
        .unwrap();
        assert_eq!(headed.problems, [header("Comment")]);
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
    fn second_escaping_is_undone() {
        let repaired = undo_second_escaping("\"a\\nb\\r\\nc\\/d\\\\e\\x\"");
        assert_eq!(repaired.as_str(), "a\nb\r\nc/d\\e\\x");
    }

    #[test]
    fn blocks_headers_and_outside_text_are_found() {
        let text = "junk\n-----BEGIN A-----\nQUJD\n-----END A-----\n\n-----BEGIN B-----\nRA==\n-----END B-----\nmore";
        let scan = scan(text, None).ok().unwrap();
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
    fn a_begin_line_holding_an_end_marker_still_decodes() {
        let scan = scan(
            "-----BEGIN A -----END-----\nQUJD\nRA==\n-----END A -----END-----\n",
            None,
        )
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
            let error = scan(text, None).err().expect(text);
            assert_eq!(error.line, line, "{text}: {}", error.reason);
        }
    }
}
