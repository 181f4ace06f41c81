//! The response layer: from raw bytes to the seven members' text, or a typed API error.
//!
//! Ids: `response.too_large`, `response.malformed`, `response.api_error`, `field.duplicate`,
//! `response.not_a_bundle` (with `saved`, which names the everyday ways a response is saved wrong),
//! `ca.supplied_differs`, `field.unknown`, `field.missing`, `field.type`, `field.empty`, `field.too_large`,
//! `field.redacted`, `ca.absent`.
//!
//! The order of the checks is deliberate: the size cap before anything else, then UTF-8, then
//! a linear scan that bounds nesting depth, and only then JSON parsing. The parser borrows
//! each member's raw JSON text from the input (no copy of key material is made there) and
//! this module unescapes it once, straight into a wiped-on-drop buffer.

pub(crate) mod api_error;
mod saved;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::catalog::CheckId;
use crate::finding::{Field, Finding, Findings};
use crate::member::{CaSource, Member, MemberMap};
use crate::policy::Policy;
use crate::response::api_error::{is_error_member, ApiError};
use crate::secret::SecretText;
use crate::text::Untrusted;

/// The API's maximum length of a member, in characters (inclusive).
pub const MEMBER_MAX_CHARS: usize = 1_048_576;

/// The deepest nesting of arrays and objects accepted. The API's deepest shape (an error
/// body's `details` array of objects) has three levels.
pub const MAX_NESTING: usize = 64;

/// The most members a response object may have. The API documents seven (five in an error
/// body); the bound keeps the work on undocumented ones small.
pub const MAX_MEMBERS: usize = 256;

/// How many characters of an unknown member's name are quoted.
const NAME_MAX_CHARS: usize = 64;

/// What the response layer made of the input.
pub(crate) enum Ingested {
    /// A certkey bundle. Members that are absent or unusable (wrong type, empty, too large,
    /// redacted) are `None`; their findings are already recorded.
    Bundle {
        /// Each member's text.
        members: Box<MemberMap<Option<SecretText>>>,
        /// Where the CA comes from: the response's `ca`, the caller's, or none.
        ca_source: Option<CaSource>,
    },
    /// One of the API's error bodies.
    ApiError(ApiError),
    /// Nothing usable: too large or not a JSON object.
    Unusable,
}

/// Runs every check of the "Response" section and returns what later stages work on.
pub(crate) fn ingest(input: &[u8], policy: &Policy, findings: &mut Findings) -> Ingested {
    let text = match object_text(input, policy) {
        Ok(text) => text,
        Err(finding) => {
            findings.push(finding);
            return Ingested::Unusable;
        }
    };
    let entries = match parse_entries(text) {
        Ok(entries) => entries,
        Err(e) => {
            findings.push(malformed(describe_json_error(&e)));
            return Ingested::Unusable;
        }
    };

    // Member name -> indices of its copies, in input order. Sorted by name, so findings do
    // not depend on the order of members.
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, (name, _)) in entries.iter().enumerate() {
        by_name.entry(name.as_ref()).or_default().push(index);
    }
    report_duplicates(&by_name, findings);

    if !by_name.keys().any(|name| Member::from_name(name).is_some()) {
        if by_name.keys().any(|name| is_error_member(name)) {
            return api_error(&entries, &by_name, findings);
        }
        findings.push(saved::not_a_bundle(&entries));
        return Ingested::Unusable;
    }
    let mut members: Box<MemberMap<Option<SecretText>>> = Box::default();
    for (name, copies) in &by_name {
        let Some(member) = Member::from_name(name) else {
            findings.push(Finding::new(
                CheckId::FieldUnknown,
                Some(field_of(name)),
                format!(
                    "the member \"{}\" is not documented by the API; it is ignored",
                    Untrusted::new(name).quoted(NAME_MAX_CHARS)
                ),
            ));
            continue;
        };
        let last = copies[copies.len() - 1];
        members[member] = member_text(member, entries[last].1, findings);
    }
    let ca_source = if by_name.contains_key(Member::Ca.name()) {
        compare_supplied_ca(members[Member::Ca].as_ref(), policy, findings);
        Some(CaSource::Response)
    } else {
        None
    };
    let supplied = fill_absent(&by_name, &mut members, policy, findings);
    Ingested::Bundle {
        members,
        ca_source: ca_source.or(supplied),
    }
}

/// The input as the text of one JSON object, within the size and nesting bounds; or the one
/// finding that says why it is not (`response.too_large`, `response.malformed`, or a
/// diagnosis of a response saved the wrong way), in the order the module's doc gives.
fn object_text<'a>(input: &'a [u8], policy: &Policy) -> Result<&'a str, Finding> {
    if input.len() > policy.max_input_len() {
        return Err(too_large_finding(Some(input.len() as u64), policy));
    }
    // A byte-order mark is not JSON, but editors on some systems add one; it hides nothing.
    let input = input.strip_prefix(b"\xef\xbb\xbf").unwrap_or(input);
    if let Some(finding) = saved::other_encoding(input) {
        return Err(finding);
    }
    let text = std::str::from_utf8(input).map_err(|e| {
        malformed(format!(
            "the response is not valid UTF-8: the bytes at offset {} do not form a character",
            e.valid_up_to()
        ))
    })?;
    check_shape(text.as_bytes()).map_err(|error| match error {
        ShapeError::TooDeep { offset } => malformed(format!(
            "the response nests arrays and objects deeper than {MAX_NESTING} levels (at byte offset {offset})"
        )),
        ShapeError::TooManyMembers { offset } => malformed(format!(
            "the response object has more than {MAX_MEMBERS} members (at byte offset {offset}); a certkey response has 7"
        )),
    })?;
    match text
        .trim_start_matches([' ', '\t', '\r', '\n'])
        .bytes()
        .next()
    {
        Some(b'{') => Ok(text),
        first => Err(saved::not_json(text).unwrap_or_else(|| {
            let finding = malformed(format!(
                "the response is {}, not a JSON object",
                describe_start(first)
            ));
            if first == Some(b'[') {
                finding.with_hint(saved::ARRAY_HINT)
            } else {
                finding
            }
        })),
    }
}

/// `field.duplicate`: a member name that appears more than once.
fn report_duplicates(by_name: &BTreeMap<&str, Vec<usize>>, findings: &mut Findings) {
    for (name, copies) in by_name {
        if copies.len() > 1 {
            findings.push(
                Finding::new(
                    CheckId::FieldDuplicate,
                    Some(field_of(name)),
                    format!(
                        "the member \"{}\" appears {} times; JSON parsers disagree on which copy counts",
                        Untrusted::new(name).quoted(NAME_MAX_CHARS),
                        copies.len()
                    ),
                )
                .with_hint("the last copy is the one audited, as most parsers keep it; keep exactly one"),
            );
        }
    }
}

/// `ca.supplied_differs`: the caller supplied a CA, and the response's own `ca` (which is
/// the one audited) is another.
fn compare_supplied_ca(own: Option<&SecretText>, policy: &Policy, findings: &mut Findings) {
    let Some(supplied) = policy.ca_pem() else {
        return;
    };
    let own = own.map_or("", |text| text.as_str());
    let bare = |text: &str| text.split_ascii_whitespace().collect::<String>();
    if bare(own) != bare(supplied) {
        findings.push(
            Finding::new(
                CheckId::CaSuppliedDiffers,
                Some(Field::Member(Member::Ca)),
                "a CA was supplied to the auditor, and the response has a different ca member of its own: the response's is audited, the supplied one ignored",
            ),
        );
    }
}

/// The members the response does not have: the caller's CA stands in for an absent `ca`
/// (and the CA's source is returned); otherwise `ca.absent` or `field.missing`.
fn fill_absent(
    by_name: &BTreeMap<&str, Vec<usize>>,
    members: &mut MemberMap<Option<SecretText>>,
    policy: &Policy,
    findings: &mut Findings,
) -> Option<CaSource> {
    let mut ca_source = None;
    for member in Member::ALL {
        if by_name.contains_key(member.name()) {
            continue;
        }
        if member.is_optional() {
            if let Some(ca) = policy.ca_pem() {
                // The CA the caller supplied stands in for the absent member.
                let mut text = SecretText::with_capacity(ca.len());
                text.push_str(ca);
                members[member] = Some(text);
                ca_source = Some(CaSource::Supplied);
                continue;
            }
            findings.push(
                Finding::new(
                    CheckId::CaAbsent,
                    Some(Field::Member(member)),
                    "the response has no ca member, so nothing shows that the three certificates come from the CA both ends trust; chain checks are skipped",
                )
            );
        } else {
            findings.push(Finding::new(
                CheckId::FieldMissing,
                Some(Field::Member(member)),
                format!(
                    "the response has no {} member ({} of the {} identity)",
                    member.name(),
                    describe_kind(member),
                    member.role().as_str()
                ),
            ));
        }
    }
    ca_source
}

/// Reports `response.too_large` for an input of `len` bytes (`None`: a stream, cut off).
pub(crate) fn too_large(len: Option<u64>, policy: &Policy, findings: &mut Findings) {
    findings.push(too_large_finding(len, policy));
}

/// `response.too_large` for an input of `len` bytes (`None`: a stream, cut off).
fn too_large_finding(len: Option<u64>, policy: &Policy) -> Finding {
    let size = match len {
        Some(len) => format!("{len} bytes"),
        None => "larger than that".to_owned(),
    };
    Finding::new(
        CheckId::ResponseTooLarge,
        None,
        format!(
            "the input is over the cap of {} bytes ({size}); it was not parsed",
            policy.max_input_len()
        ),
    )
    .with_hint(
        "a certkey response is normally a few kilobytes: check that this is the response body",
    )
}

fn malformed(message: String) -> Finding {
    Finding::new(CheckId::ResponseMalformed, None, message)
}

fn field_of(name: &str) -> Field {
    match Member::from_name(name) {
        Some(member) => Field::Member(member),
        None => Field::Other(Untrusted::new(name).quoted(NAME_MAX_CHARS)),
    }
}

fn describe_kind(member: Member) -> &'static str {
    match member.kind() {
        crate::member::MemberKind::Certificate => "the certificate",
        crate::member::MemberKind::PrivateKey => "the private key",
    }
}

fn describe_start(first: Option<u8>) -> &'static str {
    match first {
        None => "empty",
        Some(b'[') => "a JSON array",
        Some(b'"') => "a JSON string",
        Some(b'-' | b'0'..=b'9') => "a JSON number",
        Some(b't' | b'f') => "a JSON boolean",
        Some(b'n') => "JSON null",
        Some(b'<') => "markup (HTML or XML, perhaps an error page)",
        Some(b'-'..=b'~') => "text that is not JSON",
        Some(_) => "data that is not JSON",
    }
}

/// Words for a parser error. Syntax and end-of-input errors from serde_json name the position
/// and the kind of token expected, never the input's content.
fn describe_json_error(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Eof => format!(
            "the response ends before its JSON object does (line {}, column {}): the download was probably truncated",
            e.line(),
            e.column()
        ),
        serde_json::error::Category::Syntax => format!("the response is not valid JSON: {e}"),
        serde_json::error::Category::Data | serde_json::error::Category::Io => format!(
            "the response is not a well-formed JSON object (line {}, column {})",
            e.line(),
            e.column()
        ),
    }
}

/// Why the input's shape is refused before parsing.
#[derive(Debug, PartialEq, Eq)]
enum ShapeError {
    /// Arrays and objects nest deeper than [`MAX_NESTING`].
    TooDeep { offset: usize },
    /// The top-level object has more than [`MAX_MEMBERS`] members.
    TooManyMembers { offset: usize },
}

/// Bounds nesting depth and the number of top-level members in one linear pass that knows
/// just enough JSON to skip strings, so that no later stage works in proportion to either.
fn check_shape(input: &[u8]) -> Result<(), ShapeError> {
    let mut depth = 0usize;
    let mut members = 0usize;
    let mut offset = 0;
    while let Some(&byte) = input.get(offset) {
        match byte {
            b'"' => {
                // Jump from escape to escape to the closing quote. An unterminated string
                // ends the scan; the parser reports it.
                offset += 1;
                loop {
                    let rest = input.get(offset..).unwrap_or_default();
                    let Some(next) = memchr::memchr2(b'"', b'\\', rest) else {
                        return Ok(());
                    };
                    offset += next;
                    if input[offset] == b'"' {
                        break;
                    }
                    offset += 2;
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(ShapeError::TooDeep { offset });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            // A comma directly inside the top-level value separates its members.
            b',' if depth == 1 => {
                members += 1;
                if members >= MAX_MEMBERS {
                    return Err(ShapeError::TooManyMembers { offset });
                }
            }
            _ => {}
        }
        offset += 1;
    }
    Ok(())
}

/// One top-level member: its name and its value's raw JSON text, borrowed from the input.
type Entry<'a> = (Cow<'a, str>, &'a RawValue);

fn parse_entries(text: &str) -> Result<Vec<Entry<'_>>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let entries = EntriesSeed.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(entries)
}

/// Collects every member of the top-level object, duplicates included (serde_json's own maps
/// keep one copy silently).
struct EntriesSeed;

impl<'de> DeserializeSeed<'de> for EntriesSeed {
    type Value = Vec<Entry<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(EntriesVisitor)
    }
}

struct EntriesVisitor;

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = Vec<Entry<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(name) = map.next_key_seed(NameSeed)? {
            let value: &'de RawValue = map.next_value()?;
            entries.push((name, value));
        }
        Ok(entries)
    }
}

/// A member name, borrowed when it has no escapes.
struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(NameVisitor)
    }
}

struct NameVisitor;

impl<'de> Visitor<'de> for NameVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

fn api_error(
    entries: &[Entry<'_>],
    by_name: &BTreeMap<&str, Vec<usize>>,
    findings: &mut Findings,
) -> Ingested {
    let members = by_name
        .iter()
        .filter(|(name, _)| is_error_member(name))
        .map(|(name, copies)| (*name, entries[copies[copies.len() - 1]].1.get()));
    let error = ApiError::from_members(members);

    let quoted_code = if error.error_code.is_empty() {
        "(no error_code)".to_owned()
    } else {
        error.error_code.clone()
    };
    let quoted_message = if error.error_msg.is_empty() {
        "(no error_msg)".to_owned()
    } else {
        error.error_msg.clone()
    };
    let hint = if error.is_authorization_failure() {
        "the account lacks a permission (the API needs sms:server:getCert); encoded_authorization_message holds the encoded reason: grant the permission, then download the certkey response again"
    } else {
        "this is an error response, not a certificate bundle: fix what it reports (token, task id, service state), then download the certkey response again"
    };
    findings.push(
        Finding::new(
            CheckId::ResponseApiError,
            None,
            format!("the service returned an error instead of certificates: {quoted_code}: {quoted_message}"),
        )
        .with_hint(hint),
    );
    Ingested::ApiError(error)
}

/// Checks one documented member's value and returns its unescaped text when it is usable.
fn member_text(member: Member, raw: &RawValue, findings: &mut Findings) -> Option<SecretText> {
    let field = Some(Field::Member(member));
    let raw = raw.get();
    if !raw.starts_with('"') {
        findings.push(Finding::new(
            CheckId::FieldType,
            field,
            format!(
                "{} is {}, not a string of PEM text",
                member.name(),
                describe_start(raw.bytes().next())
            ),
        ));
        return None;
    }
    let text = match unescape(raw) {
        Ok(text) => text,
        Err(UnpairedSurrogate) => {
            findings.push(Finding::new(
                CheckId::ResponseMalformed,
                field,
                format!(
                    "{} holds a \\u escape of an unpaired UTF-16 surrogate, which is not a character",
                    member.name()
                ),
            ));
            return None;
        }
    };
    let chars = text.as_str().chars().count();
    if chars == 0 {
        findings.push(Finding::new(
            CheckId::FieldEmpty,
            field,
            format!(
                "{} is the empty string (the API's minimum length is 1)",
                member.name()
            ),
        ));
        return None;
    }
    if chars > MEMBER_MAX_CHARS {
        findings.push(Finding::new(
            CheckId::FieldTooLarge,
            field,
            format!(
                "{} is {chars} characters long, over the API's maximum of {MEMBER_MAX_CHARS}",
                member.name()
            ),
        ));
        return None;
    }
    if is_placeholder(text.as_str()) {
        findings.push(
            Finding::new(
                CheckId::FieldRedacted,
                field,
                format!(
                    "{} is the documentation's placeholder (a PEM block of asterisks), not {}",
                    member.name(),
                    match member.kind() {
                        crate::member::MemberKind::Certificate => "a certificate",
                        crate::member::MemberKind::PrivateKey => "a private key",
                    }
                ),
            )
            .with_hint(
                "use the response downloaded for the task, not the API documentation's example",
            ),
        );
        return None;
    }
    Some(text)
}

/// The documentation shows every member as `-----BEGIN X-----\n****…\n-----END X-----`.
/// Also recognised: the asterisks alone, and the same with literal `\n` sequences.
fn is_placeholder(text: &str) -> bool {
    let mut stars = 0usize;
    for line in text.split(['\n', '\r']).flat_map(|l| l.split("\\n")) {
        let line = line.trim();
        if line.is_empty() || (line.starts_with("-----") && line.ends_with("-----")) {
            continue;
        }
        if line.bytes().all(|b| b == b'*') {
            stars += line.len();
        } else {
            return false;
        }
    }
    stars > 0
}

/// A `\uD800`–`\uDFFF` escape that is not half of a surrogate pair.
#[derive(Debug)]
struct UnpairedSurrogate;

/// Unescapes a JSON string literal (with its quotes) that serde_json has already validated,
/// into a buffer sized up front: the unescaped text is never longer than the literal.
fn unescape(literal: &str) -> Result<SecretText, UnpairedSurrogate> {
    let body = &literal[1..literal.len() - 1];
    let mut out = SecretText::with_capacity(body.len());
    let mut rest = body;
    while let Some(backslash) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(&rest[..backslash]);
        let escape = &rest[backslash + 1..];
        let (c, used) = match escape.as_bytes().first() {
            Some(b'n') => ('\n', 1),
            Some(b'r') => ('\r', 1),
            Some(b't') => ('\t', 1),
            Some(b'b') => ('\u{8}', 1),
            Some(b'f') => ('\u{c}', 1),
            Some(b'u') => {
                let high = hex4(&escape[1..]).ok_or(UnpairedSurrogate)?;
                match high {
                    0xD800..=0xDBFF => {
                        let low = escape
                            .get(5..7)
                            .filter(|s| *s == "\\u")
                            .and_then(|_| hex4(&escape[7..]))
                            .filter(|low| (0xDC00..=0xDFFF).contains(low))
                            .ok_or(UnpairedSurrogate)?;
                        let scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        (char::from_u32(scalar).ok_or(UnpairedSurrogate)?, 11)
                    }
                    // A lone low surrogate (0xDC00–0xDFFF) is no char: from_u32 refuses it.
                    _ => (char::from_u32(high).ok_or(UnpairedSurrogate)?, 5),
                }
            }
            // `"`, `\` and `/` stand for themselves; serde_json has rejected anything else.
            Some(&b) => (char::from(b), 1),
            None => break,
        };
        out.push(c);
        rest = &escape[used..];
    }
    out.push_str(rest);
    Ok(out)
}

fn hex4(s: &str) -> Option<u32> {
    let digits = s.get(..4)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(json_value: &str) -> String {
        unescape(json_value).unwrap().as_str().to_owned()
    }

    #[test]
    fn unescape_agrees_with_serde_json() {
        for case in [
            r#""plain""#,
            r#""a\nb\r\nc\t\"q\" \\ \/ \b\f""#,
            r#""\u00e9\u20ac\ud83d\ude00 end""#,
            r#""""#,
            r#""\\n is not a newline""#,
        ] {
            let expected: String = serde_json::from_str(case).unwrap();
            assert_eq!(literal(case), expected, "{case}");
        }
    }

    #[test]
    fn an_input_over_the_cap_says_how_large_when_it_is_known() {
        let policy = Policy::default().with_max_input_len(10);
        for (len, size) in [(Some(11), "(11 bytes)"), (None, "(larger than that)")] {
            let mut findings = Findings::default();
            too_large(len, &policy, &mut findings);
            let found: Vec<_> = findings.iter().collect();
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].id(), CheckId::ResponseTooLarge);
            assert!(
                found[0].message().contains("over the cap of 10 bytes")
                    && found[0].message().contains(size),
                "{}",
                found[0].message()
            );
        }
    }

    #[test]
    fn unpaired_surrogates_are_refused() {
        for case in [r#""\ud800""#, r#""\udc00x""#, r#""\ud800\u0041""#] {
            assert!(unescape(case).is_err(), "{case}");
        }
    }

    #[test]
    fn shape_scan_skips_strings_and_bounds_depth_and_members() {
        let deep = "[".repeat(MAX_NESTING) + &"]".repeat(MAX_NESTING);
        assert_eq!(check_shape(deep.as_bytes()), Ok(()));
        let deeper = format!("[{deep}]");
        assert_eq!(
            check_shape(deeper.as_bytes()),
            Err(ShapeError::TooDeep {
                offset: MAX_NESTING
            })
        );
        assert_eq!(check_shape(br#"{"a":"[[[[[[\"[[,,,,"}"#), Ok(()));
        // More brackets and commas inside a string than either bound allows outside one.
        let in_string = format!(
            r#"{{"a": "{}{}", "b": 1}}"#,
            "[".repeat(MAX_NESTING * 2),
            ",".repeat(MAX_MEMBERS * 2)
        );
        assert_eq!(check_shape(in_string.as_bytes()), Ok(()));
        for truncated in [&b"[\"\\"[..], b"[\"\\\"", b"[\"", b"\"\\u"] {
            assert_eq!(check_shape(truncated), Ok(()));
        }

        let members = |n: usize| {
            let body: Vec<String> = (0..n).map(|i| format!("\"m{i}\":[1,2]")).collect();
            format!("{{{}}}", body.join(","))
        };
        assert_eq!(check_shape(members(MAX_MEMBERS).as_bytes()), Ok(()));
        assert!(matches!(
            check_shape(members(MAX_MEMBERS + 1).as_bytes()),
            Err(ShapeError::TooManyMembers { .. })
        ));
    }

    #[test]
    fn placeholder_forms_are_recognised() {
        assert!(is_placeholder(
            "-----BEGIN CERTIFICATE-----\n****\n-----END CERTIFICATE-----"
        ));
        assert!(is_placeholder("********"));
        assert!(is_placeholder(
            "-----BEGIN RSA PRIVATE KEY-----\\n****\\n-----END RSA PRIVATE KEY-----"
        ));
        assert!(!is_placeholder(
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----"
        ));
        assert!(!is_placeholder(
            "-----BEGIN CERTIFICATE-----\nMII**\n-----END CERTIFICATE-----"
        ));
        // Only whole encapsulation lines are passed over: a line that merely starts or ends
        // with dashes is content, and not asterisks.
        assert!(!is_placeholder("-----BEGIN CERTIFICATE\n****"));
        assert!(!is_placeholder("**** -----\n****"));
    }
}
