//! `--format sarif`: one SARIF 2.1.0 log for the whole run, for code-scanning dashboards.
//!
//! One run; the tool's rules are the catalog, in catalog order (so a result's `ruleIndex` is
//! its check's place in `CATALOG`); every input is an artifact, with its verdict; each finding
//! is a result located at its input (`physicalLocation`) and its member, as a JSON pointer
//! (`logicalLocations`, `/cert`), the form SARIF 2.1.0 §3.33.5 gives for a JSON document.
//! Allowed findings carry an external suppression, as dashboards expect of accepted ones.

use std::io::{self, Write};

use certkey::{Finding, Report, Severity, CATALOG};
use serde_json::{json, Map, Value};

use crate::args::in_flags;
use crate::input::Source;

/// The SARIF level of a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Writes the log for `reports`, one per source, in the same order.
pub fn write(out: &mut dyn Write, sources: &[Source], reports: &[Report]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(sources, reports)).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

fn log(sources: &[Source], reports: &[Report]) -> Value {
    let rules: Vec<Value> = CATALOG
        .iter()
        .map(|check| {
            json!({
                "id": check.id.as_str(),
                "shortDescription": {"text": check.summary},
                "fullDescription": {"text": in_flags(check.explanation)},
                "help": {"text": in_flags(check.fix)},
                "defaultConfiguration": {"level": level(check.severity)},
                "properties": {
                    "legacy_severity": check.legacy_severity,
                    "refused_by": check.refused_by,
                    "source": check.source,
                },
            })
        })
        .collect();
    // SARIF's artifacts are unique: an input named twice (a file in a folder and by its
    // name) is one artifact, its findings reported once. Told apart by their paths' bytes
    // (standard input by none).
    let mut named = std::collections::HashSet::new();
    let mut artifacts = Vec::new();
    let mut results = Vec::new();
    for (source, report) in sources.iter().zip(reports) {
        if !named.insert(source.path()) {
            continue;
        }
        let index = artifacts.len();
        artifacts.push(json!({
            "location": artifact_location(source, None),
            "properties": {
                "ok": report.is_ok(),
                "audited_at": report.audited_at(),
            },
        }));
        results.extend(
            report
                .findings()
                .iter()
                .map(|finding| result(finding, source, index)),
        );
    }
    let strict = reports.first().is_some_and(Report::is_strict);
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "certkey-audit",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
                "properties": {"certkey_version": certkey::CERTKEY_VERSION},
            }},
            "invocations": [{
                "executionSuccessful": true,
                "properties": {"strict": strict},
            }],
            "artifacts": artifacts,
            "results": results,
        }],
    })
}

fn result(finding: &Finding, source: &Source, artifact: usize) -> Value {
    let rule_index = CATALOG
        .iter()
        .position(|check| check.id == finding.id())
        .unwrap_or_default();
    let mut location = Map::new();
    location.insert(
        "physicalLocation".into(),
        json!({"artifactLocation": artifact_location(source, Some(artifact))}),
    );
    if let Some(field) = finding.field() {
        location.insert(
            "logicalLocations".into(),
            json!([{
                "name": field.name(),
                "fullyQualifiedName": json_pointer(field.name()),
                "kind": "property",
            }]),
        );
    }
    let mut result = json!({
        "ruleId": finding.id().as_str(),
        "ruleIndex": rule_index,
        "level": level(finding.severity()),
        "message": {"text": finding.message()},
        "locations": [location],
    });
    let mut properties = Map::new();
    if let Some(hint) = finding.hint() {
        properties.insert("hint".into(), hint.into());
    }
    if !finding.refused_by().is_empty() {
        properties.insert("refused_by".into(), json!(finding.refused_by()));
    }
    if !properties.is_empty() {
        result["properties"] = Value::Object(properties);
    }
    if finding.is_allowed() {
        result["suppressions"] = json!([{
            "kind": "external",
            "justification": "allowed by the audit's policy (--allow)",
        }]);
    }
    result
}

/// Where an input is: its path as a URI reference (relative paths stay relative, absolute
/// ones become `file://` URIs); standard input has no URI, only a description.
fn artifact_location(source: &Source, index: Option<usize>) -> Value {
    let mut location = match source.path() {
        Some(path) => json!({"uri": uri(path.as_os_str().as_encoded_bytes())}),
        None => json!({"description": {"text": source.json_name().0}}),
    };
    if let Some(index) = index {
        location["index"] = index.into();
    }
    location
}

/// A path's bytes as a URI reference: every byte but RFC 3986's unreserved ones and `/`
/// percent-encoded (bytes that are not UTF-8 too, so the name reads back exactly), an absolute
/// path under `file://`; on Windows, `\\` separators as `/`.
fn uri(path: &[u8]) -> String {
    #[cfg(windows)]
    let path: Vec<u8> = path
        .iter()
        .map(|&b| if b == b'\\' { b'/' } else { b })
        .collect();
    let mut encoded = String::with_capacity(path.len() + 8);
    if path.starts_with(b"/") {
        encoded.push_str("file://");
    }
    for &byte in path.iter() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The JSON pointer (RFC 6901) of a top-level member.
fn json_pointer(name: &str) -> String {
    format!("/{}", name.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri(b"testdata/bundles/good.json"),
            "testdata/bundles/good.json"
        );
        assert_eq!(uri(b"/tmp/a b%.json"), "file:///tmp/a%20b%25.json");
        assert_eq!(uri("zürich.json".as_bytes()), "z%C3%BCrich.json");
        // Bytes that are not UTF-8 are encoded as they are: the name reads back exactly.
        assert_eq!(uri(b"bad\xff.json"), "bad%FF.json");
        #[cfg(windows)]
        assert_eq!(uri(br"dir\task #1.json"), "dir/task%20%231.json");
        #[cfg(not(windows))]
        assert_eq!(uri(br"dir\task #1.json"), "dir%5Ctask%20%231.json");
    }

    #[test]
    fn member_names_become_json_pointers() {
        assert_eq!(json_pointer("cert"), "/cert");
        assert_eq!(json_pointer("a/b~c"), "/a~1b~0c");
    }
}
