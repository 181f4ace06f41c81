//! How a response was saved wrong: the everyday mistakes that turn a good download into
//! something else, each named with its fix instead of a parser's complaint.
//!
//! Ids: `response.malformed` (text in another encoding, HTTP headers before the body, a bare
//! PEM file, a JSON array), `response.not_a_bundle` (an object holding no member of a
//! response: empty, or the bundle wrapped under another key).
//!
//! Nothing here quotes the input beyond a PEM label or an HTTP status line, both cut short and
//! quoted as all input is: a bare key file is named by its label only.

use crate::catalog::CheckId;
use crate::finding::Finding;
use crate::member::Member;
use crate::text::Untrusted;

/// What the start of the input says about its encoding, when it is UTF-16 or UTF-32 (with a
/// byte-order mark, or without one, read from the NUL bytes around the first characters).
pub(crate) fn other_encoding(input: &[u8]) -> Option<Finding> {
    let (encoding, bom) = match input {
        [0xff, 0xfe, 0, 0, ..] => ("UTF-32 (little-endian)", true),
        [0, 0, 0xfe, 0xff, ..] => ("UTF-32 (big-endian)", true),
        [0xff, 0xfe, ..] => ("UTF-16 (little-endian)", true),
        [0xfe, 0xff, ..] => ("UTF-16 (big-endian)", true),
        [a, 0, 0, 0, ..] if *a != 0 => ("UTF-32 (little-endian)", false),
        [0, 0, 0, a, ..] if *a != 0 => ("UTF-32 (big-endian)", false),
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => ("UTF-16 (little-endian)", false),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => ("UTF-16 (big-endian)", false),
        _ => return None,
    };
    let mark = if bom {
        "with a byte-order mark"
    } else {
        "without a byte-order mark"
    };
    Some(
        Finding::new(
            CheckId::ResponseMalformed,
            None,
            format!(
                "the response is text in {encoding}, {mark}, not UTF-8: as PowerShell's `>` and `Out-File` save text; the API sends UTF-8, and agents read UTF-8"
            ),
        )
        .with_hint(
            "save the body as it arrives: `curl -s -o task.json URL`, or in PowerShell `Invoke-WebRequest URL -OutFile task.json` (not `>`); to convert the saved file: `iconv -f UTF-16 -t UTF-8`",
        ),
    )
}

/// What text that is not JSON is, when it is something people save by mistake: HTTP headers
/// before the body (`curl -i`), or a PEM file instead of the response.
pub(crate) fn not_json(text: &str) -> Option<Finding> {
    let text = text.trim_start_matches([' ', '\t', '\r', '\n']);
    if text.starts_with("HTTP/") {
        let status = text.lines().next().unwrap_or_default();
        return Some(
            Finding::new(
                CheckId::ResponseMalformed,
                None,
                format!(
                    "the file starts with HTTP response headers (\"{}\"), as `curl -i` and `curl -D -` save them: the response is what follows them",
                    Untrusted::new(status).quoted(40)
                ),
            )
            .with_hint("save the body only: `curl -s -o task.json URL` (without -i)"),
        );
    }
    if let Some(rest) = text.strip_prefix("-----BEGIN ") {
        let label = rest.split("-----").next().unwrap_or_default();
        let what = if label.contains("PRIVATE KEY") {
            "a private key"
        } else if label.contains("CERTIFICATE") {
            "a certificate"
        } else {
            "PEM text"
        };
        return Some(
            Finding::new(
                CheckId::ResponseMalformed,
                None,
                format!(
                    "the file is {what} in PEM (\"-----BEGIN {}-----\"), not a certkey response: the response is a JSON object whose members hold such PEM text",
                    Untrusted::new(label).quoted(40)
                ),
            )
            .with_hint(
                "audit the response as the API returned it (GET /v3/tasks/{task_id}/certkey); a CA certificate is given to the auditor with the `ca_pem` option beside a response without ca",
            ),
        );
    }
    None
}

/// The hint for a JSON array where the response belongs.
pub(crate) const ARRAY_HINT: &str = "a certkey response is one JSON object; if the array holds responses, audit each element on its own (e.g. `jq -c '.[]' file`)";

/// `response.not_a_bundle` for an object with none of a response's members and no error
/// member: `entries` are its members (name, raw JSON value).
pub(crate) fn not_a_bundle(entries: &[super::Entry<'_>]) -> Finding {
    if entries.is_empty() {
        return Finding::new(
            CheckId::ResponseNotABundle,
            None,
            "the response is an empty JSON object: it holds none of the seven members",
        )
        .with_hint("download the response again (GET /v3/tasks/{task_id}/certkey) and save the body as it arrives");
    }
    // The bundle under another key, as a tool or a person wrapping it would put it.
    let wrapper = entries.iter().find(|(_, value)| {
        value.get().starts_with('{')
            && super::parse_entries(value.get()).is_ok_and(|inner| {
                inner
                    .iter()
                    .any(|(name, _)| Member::from_name(name).is_some())
            })
    });
    if let Some((name, _)) = wrapper {
        let name = Untrusted::new(name).quoted(super::NAME_MAX_CHARS);
        return Finding::new(
            CheckId::ResponseNotABundle,
            None,
            format!(
                "the response holds none of the seven members itself: they are one level down, in the object under \"{name}\" (the bundle is wrapped)"
            ),
        )
        .with_hint(format!(
            "pass the object under \"{name}\", as the API returns it: `jq '.[\"{name}\"]' file > task.json`"
        ));
    }
    let mut names: Vec<String> = entries
        .iter()
        .take(3)
        .map(|(name, _)| format!("\"{}\"", Untrusted::new(name).quoted(super::NAME_MAX_CHARS)))
        .collect();
    if entries.len() > 3 {
        names.push(format!("{} more", entries.len() - 3));
    }
    Finding::new(
        CheckId::ResponseNotABundle,
        None,
        format!(
            "the response is a JSON object with none of the seven members (cert, private_key, target_mgmt_cert, target_mgmt_private_key, target_data_cert, target_data_private_key, ca); it has {}",
            names.join(", ")
        ),
    )
    .with_hint("check that the file is the certkey response (GET /v3/tasks/{task_id}/certkey), not another API's answer")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut bytes = if bom { vec![0xff, 0xfe] } else { Vec::new() };
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn other_encodings_are_named() {
        let said = |input: &[u8]| other_encoding(input).map(|f| f.message().to_owned());
        let json = "{\"cert\": \"x\"}";
        assert!(said(&utf16le(json, true))
            .unwrap()
            .contains("UTF-16 (little-endian), with a byte-order mark"));
        assert!(said(&utf16le(json, false))
            .unwrap()
            .contains("UTF-16 (little-endian), without a byte-order mark"));
        let be: Vec<u8> = json.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(said(&be).unwrap().contains("UTF-16 (big-endian), without"));
        let mut be_bom = vec![0xfe, 0xff];
        be_bom.extend(&be);
        assert!(said(&be_bom)
            .unwrap()
            .contains("UTF-16 (big-endian), with a"));
        let le32: Vec<u8> = json
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        assert!(said(&le32)
            .unwrap()
            .contains("UTF-32 (little-endian), without"));
        let mut le32_bom = vec![0xff, 0xfe, 0, 0];
        le32_bom.extend(&le32);
        assert!(said(&le32_bom)
            .unwrap()
            .contains("UTF-32 (little-endian), with a"));
        let be32: Vec<u8> = json
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        assert!(said(&be32)
            .unwrap()
            .contains("UTF-32 (big-endian), without"));
        let mut be32_bom = vec![0, 0, 0xfe, 0xff];
        be32_bom.extend(&be32);
        assert!(said(&be32_bom)
            .unwrap()
            .contains("UTF-32 (big-endian), with a"));
        // UTF-8, short input and NUL bytes alone are not taken for another encoding.
        for plain in [
            json.as_bytes(),
            b"{}",
            b"",
            b"\0\0\0\0",
            b"{\"a\0",
            b"\0\0",
            // NUL bytes where neither UTF-16 nor UTF-32 puts them.
            b"\0\0{\0",
            b"\0{\0\0",
        ] {
            assert_eq!(said(plain), None, "{plain:?}");
        }
    }

    #[test]
    fn headers_and_pem_files_are_named_by_their_first_line_only() {
        let finding =
            not_json("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}").unwrap();
        assert!(
            finding.message().contains("(\"HTTP/1.1 200 OK\")"),
            "{}",
            finding.message()
        );
        assert!(finding.help().contains("curl -s -o"));
        let key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAyR7TS01Uabcdefgh\n-----END RSA PRIVATE KEY-----\n";
        let finding = not_json(key).unwrap();
        assert!(finding
            .message()
            .starts_with("the file is a private key in PEM (\"-----BEGIN RSA PRIVATE KEY-----\")"));
        assert!(!finding.message().contains("MIIE"));
        let cert = not_json("\n-----BEGIN CERTIFICATE-----\nMIIB\n").unwrap();
        assert!(cert
            .message()
            .starts_with("the file is a certificate in PEM"));
        assert!(cert.help().contains("the `ca_pem` option"));
        assert!(not_json("-----BEGIN DH PARAMETERS-----")
            .unwrap()
            .message()
            .starts_with("the file is PEM text in PEM"));
        for other in ["hello", "-1", "HTTP", "<html>"] {
            assert!(not_json(other).is_none(), "{other}");
        }
    }

    #[test]
    fn an_object_without_members_says_what_it_holds() {
        let entries = |text: &'static str| super::super::parse_entries(text).unwrap();
        let empty = not_a_bundle(&entries("{}"));
        assert_eq!(empty.id(), CheckId::ResponseNotABundle);
        assert!(empty.message().contains("an empty JSON object"));
        let wrapped = not_a_bundle(&entries(
            r#"{"task": 7, "certkey": {"cert": "x", "ca": "y"}}"#,
        ));
        assert!(
            wrapped
                .message()
                .contains("in the object under \"certkey\""),
            "{}",
            wrapped.message()
        );
        assert_eq!(
            wrapped.help(),
            "pass the object under \"certkey\", as the API returns it: `jq '.[\"certkey\"]' file > task.json`"
        );
        // Three members are all named.
        let three = not_a_bundle(&entries(r#"{"a": 1, "b": 2, "c": 3}"#));
        assert!(
            three.message().ends_with("it has \"a\", \"b\", \"c\""),
            "{}",
            three.message()
        );
        // An object under another key that holds no member is no wrapped bundle.
        let other = not_a_bundle(&entries(r#"{"a": {"b": 1}, "c": 2, "d": 3, "e": 4}"#));
        assert!(
            other
                .message()
                .ends_with("it has \"a\", \"c\", \"d\", 1 more"),
            "{}",
            other.message()
        );
    }
}
