//! The contract a pipeline relies on: one record per input, `ok` = the verdict under the
//! options = the exit code, output that validates against the committed schemas
//! (`docs/report.schema.json`, SARIF 2.1.0), allow-lists, and the catalog as data.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::common::{bundle, command, records, root, run, scratch, stdout, AT};

fn ids(record: &Value) -> Vec<&str> {
    record["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect()
}

fn schema_validator(path: &Path) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{} is not a valid schema: {e}", path.display()))
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

#[test]
fn strict_makes_a_warning_fail_in_the_json_the_text_the_sarif_and_the_exit_code() {
    let no_ca = bundle("no-ca.json");
    // Without --strict, a warning passes.
    let output = run(&["--at", AT, "--format", "json", &no_ca]);
    assert_eq!(output.status.code(), Some(0));
    let record = &records(&output)[0];
    assert_eq!(
        (record["ok"].as_bool(), record["strict"].as_bool()),
        (Some(true), Some(false))
    );

    let output = run(&["--at", AT, "--strict", "--format", "json", &no_ca]);
    assert_eq!(output.status.code(), Some(1));
    let record = &records(&output)[0];
    assert_eq!(
        (record["ok"].as_bool(), record["strict"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(ids(record), ["ca.absent"]);

    let output = run(&["--at", AT, "--strict", &no_ca]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("no-ca.json: FAILED (0 errors, 1 warning, strict: warnings fail)"),
        "{text}"
    );
    assert!(
        text.ends_with("1 input: 0 ok, 1 failed — 0 errors, 1 warning\n"),
        "{text}"
    );

    let output = run(&["--at", AT, "--strict", "--format", "sarif", &no_ca]);
    assert_eq!(output.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(log["runs"][0]["artifacts"][0]["properties"]["ok"], false);
    assert_eq!(
        log["runs"][0]["invocations"][0]["properties"]["strict"],
        true
    );

    // Information never fails, strict or not.
    let output = run(&[
        "--at",
        AT,
        "--strict",
        "--format",
        "json",
        &bundle("good-unknown-members.json"),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(records(&output)[0]["ok"], true);
}

#[test]
fn every_input_has_one_record_in_input_order_unreadable_ones_included() {
    let dir = scratch("records");
    let missing = dir.join("missing.json").to_string_lossy().into_owned();
    let dangling = dir.join("dangling.json");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("nowhere.json"), &dangling).unwrap();
    #[cfg(not(unix))]
    std::fs::write(&dangling, b"").unwrap();
    let dangling = dangling.to_string_lossy().into_owned();
    let inputs = [
        missing.clone(),
        bundle("good.json"),
        dangling.clone(),
        bundle("cert-expired.json"),
    ];
    let args = |format: &'static str| {
        let mut args = vec!["--at", AT, "--format", format];
        args.extend(inputs.iter().map(String::as_str));
        args
    };

    let output = run(&args("json"));
    // Unreadable inputs are not ok: exit 1, not 2, which is for usage errors.
    assert_eq!(output.status.code(), Some(1));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = records(&output);
    let sources: Vec<&str> = lines
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        inputs.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let oks: Vec<bool> = lines.iter().map(|r| r["ok"].as_bool().unwrap()).collect();
    assert_eq!(oks, [false, true, false, false]);
    for unreadable in [&lines[0], &lines[2]] {
        assert_eq!(ids(unreadable), ["input.unreadable"]);
        let finding = &unreadable["findings"][0];
        assert_eq!(finding["severity"], "error");
        assert_eq!(finding["field"], Value::Null);
        #[cfg(unix)]
        assert_eq!(
            finding["message"],
            "the input could not be read: No such file or directory (os error 2)"
        );
        assert!(unreadable.get("identities").is_none());
    }
    assert!(ids(&lines[3]).contains(&"cert.expired"));

    let output = run(&args("text"));
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains(&format!(
            "error[input.unreadable]: the input could not be read: No such file or directory (os error 2)\n  --> {missing}\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("{dangling}: FAILED (1 error, 0 warnings)")),
        "{text}"
    );
    assert!(text.contains("4 inputs: 1 ok, 3 failed"), "{text}");

    let output = run(&args("sarif"));
    assert_eq!(output.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    let artifacts = log["runs"][0]["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), 4);
    let oks: Vec<bool> = artifacts
        .iter()
        .map(|a| a["properties"]["ok"].as_bool().unwrap())
        .collect();
    assert_eq!(oks, [false, true, false, false]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn only_usage_errors_exit_two_and_they_write_nothing_to_stdout() {
    let good = bundle("good.json");
    let missing_list = root().join("no-such-allow-list.txt");
    let missing_list = missing_list.to_string_lossy();
    for args in [
        &["--format", "yaml", &good][..],
        &["--no-such-flag", &good],
        &["--at", "yesterday", &good],
        &[],
        &["--format", "sarif"],
        &["--allow", "ca.absnet", &good],
        &["--allow", "ca.absent,", &good],
        &["--allow-file", &missing_list, &good],
        &["explain", "no.such_id"],
        &["explain", "keys"],
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?}");
    }
    let output = run(&["--allow", "ca.absnet", &good]);
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("--allow: no finding has the id `ca.absnet`"),
        "{said}"
    );
}

/// `| head -1`: the reader goes away with most of the output unwritten; the verdict stands.
#[cfg(unix)]
#[test]
fn a_closed_output_keeps_the_verdict_in_every_format() {
    let dir = scratch("head");
    for i in 0..50 {
        std::fs::copy(bundle("good.json"), dir.join(format!("{i:02}.json"))).unwrap();
    }
    let folder = dir.to_string_lossy().into_owned();
    for (format, expected) in [("text", 0), ("json", 0), ("sarif", 0)] {
        let mut child = command(&["--at", AT, "--format", format, &folder])
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        assert_eq!(child.wait().unwrap().code(), Some(expected), "{format}");
    }
    // A failing folder still fails when the output is cut short.
    std::fs::copy(bundle("cert-expired.json"), dir.join("99.json")).unwrap();
    let mut child = command(&["--at", AT, &folder]).spawn().unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The policies under which every fixture's record is validated: together they make every
/// optional member appear (deep checks, opened encrypted keys, allowed findings, the
/// rehearsal's findings).
const POLICIES: &[&[&str]] = &[
    &[],
    &[
        "--strict",
        "--allow",
        "ca.absent,chain.untrusted",
        "--profile",
        "legacy",
    ],
    &[
        "--deep",
        "--passphrase-file",
        "testdata/passphrase.txt",
        "--stacks",
        "go,pyca",
        "--ca",
        "testdata/pki/ca.crt.pem",
    ],
];

#[test]
fn every_record_of_every_fixture_validates_against_the_committed_schema() {
    let validator = schema_validator(&root().join("docs/report.schema.json"));
    let mut seen = std::collections::BTreeSet::new();
    for policy in POLICIES {
        let mut args = vec!["--at", AT, "--format", "json"];
        args.extend_from_slice(policy);
        args.extend([
            "testdata/bundles",
            "testdata/regressions",
            "-r",
            "no-such-file.json",
        ]);
        let output = run(&args);
        let lines = records(&output);
        assert!(lines.len() > 215, "{policy:?}: {}", lines.len());
        for record in &lines {
            assert_valid(&validator, record, record["source"].as_str().unwrap());
            assert_eq!(record["certkey_version"], certkey::CERTKEY_VERSION);
            collect_members(record, "", &mut seen);
            assert_reads_back(record);
        }
        // The exit code is the records' verdict.
        let all_ok = lines.iter().all(|r| r["ok"] == true);
        assert_eq!(output.status.code(), Some(if all_ok { 0 } else { 1 }));
    }
    // The rehearsal's findings, and an input over the cap, on a few inputs.
    for extra in [
        &["--max-input-len", "3000", "testdata/bundles/good-p256.json"][..],
        &[],
    ] {
        let mut args = vec!["--at", AT, "--format", "json", "--handshake"];
        args.extend_from_slice(extra);
        args.push("testdata/bundles/good.json");
        for record in records(&run(&args)) {
            assert_valid(&validator, &record, &format!("{args:?}"));
            collect_members(&record, "", &mut seen);
            assert_reads_back(&record);
        }
    }
    // Every member the schema describes was seen at least once, so none of it is guessed.
    for member in [
        "/source",
        "/schema_version",
        "/certkey_version",
        "/ok",
        "/strict",
        "/audited_at",
        "/findings/hint",
        "/findings/refused_by",
        "/findings/allowed",
        "/keys/deep_check",
        "/keys/encryption",
        "/identities/stacks/reason",
        "/identities/stacks/field",
        "/api_error/encoded_authorization_message",
        "/api_error/error_param",
        "/api_error/details/error_code",
        "/ca_source",
        "/ca_file",
        "/certificates/subject_alt_names",
        "/certificates/extended_key_usage",
    ] {
        assert!(seen.contains(member), "no record had {member}: {seen:?}");
    }
}

/// The record reads back into the library's `Report` (the record's own `source` and
/// `ca_file` aside), which serializes to the same JSON: no member is lost or changed.
fn assert_reads_back(record: &Value) {
    let report: certkey::Report = serde_json::from_value(record.clone())
        .unwrap_or_else(|e| panic!("{}: {e}", record["source"]));
    let mut expected = record.clone();
    let members = expected.as_object_mut().unwrap();
    members.remove("source");
    members.remove("ca_file");
    assert_eq!(serde_json::to_value(&report).unwrap(), expected);
    assert_eq!(report.is_ok(), record["ok"] == true);
}

/// Every object member's path, arrays flattened (`/findings/hint`).
fn collect_members(value: &Value, at: &str, seen: &mut std::collections::BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (name, inner) in map {
                let path = format!("{at}/{name}");
                collect_members(inner, &path, seen);
                seen.insert(path);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_members(item, at, seen)),
        _ => {}
    }
}

#[test]
fn the_schema_names_exactly_the_catalog_s_ids_and_the_stacks() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/report.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let listed = |definition: &str| -> Vec<String> {
        schema["$defs"][definition]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    let names =
        |names: Vec<&str>| -> Vec<String> { names.into_iter().map(str::to_owned).collect() };
    assert_eq!(
        listed("check_id"),
        names(certkey::CATALOG.iter().map(|c| c.id.as_str()).collect())
    );
    assert_eq!(
        listed("stack"),
        names(certkey::Stack::ALL.iter().map(|s| s.name()).collect())
    );
    assert_eq!(
        listed("member"),
        names(certkey::Member::ALL.iter().map(|m| m.name()).collect())
    );
    assert_eq!(
        schema["properties"]["schema_version"]["const"],
        certkey::SCHEMA_VERSION
    );
}

#[test]
fn the_schema_refuses_what_the_record_must_not_be() {
    let validator = schema_validator(&root().join("docs/report.schema.json"));
    let output = run(&[
        "--at",
        AT,
        "--format",
        "json",
        &bundle("chain-lookalike-ca.json"),
    ]);
    let good = records(&output).remove(0);
    assert_valid(&validator, &good, "as printed");
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut record = good.clone();
        edit(&mut record);
        validator.is_valid(&record)
    };
    assert!(!broken(&|r| r["ok"] = "yes".into()));
    assert!(!broken(
        &|r| r["findings"][0]["id"] = "chain.untrustworthy".into()
    ));
    assert!(!broken(&|r| r["findings"][0]["severity"] = "fatal".into()));
    assert!(!broken(&|r| r["undocumented"] = 1.into()));
    assert!(!broken(&|r| {
        r.as_object_mut().unwrap().remove("certkey_version");
    }));
    assert!(!broken(&|r| r["audited_at"] = "2026-06-01 00:00:00".into()));
    // A refusing verdict names its reason; an accepting one names none.
    assert!(!broken(&|r| {
        r["identities"][0]["stacks"][0]
            .as_object_mut()
            .unwrap()
            .remove("reason");
    }));
    assert!(!broken(
        &|r| r["identities"][1]["stacks"][0]["reason"] = "chain.untrusted".into()
    ));
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema_and_holds_every_finding() {
    let validator = schema_validator(&root().join("audit/tests/schemas/sarif-schema-2.1.0.json"));
    let inputs = [
        "testdata/bundles",
        "no-such-file.json",
        "testdata/bundles/no-ca.json",
    ];
    for policy in POLICIES {
        let mut args = vec!["--at", AT];
        args.extend_from_slice(policy);
        args.extend_from_slice(&inputs);
        let mut sarif_args = args.clone();
        sarif_args.extend(["--format", "sarif"]);
        let output = run(&sarif_args);
        let log: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_valid(&validator, &log, &format!("SARIF under {policy:?}"));
        let mut json_args = args.clone();
        json_args.extend(["--format", "json"]);
        let json = run(&json_args);
        assert_eq!(output.status.code(), json.status.code());
        let lines = records(&json);

        assert_eq!(log["version"], "2.1.0");
        let runs = log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        let catalog: Vec<&str> = certkey::CATALOG.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(rule_ids, catalog);
        // One artifact per input; an input named twice (no-ca.json, in the folder and by
        // name) is one artifact, its findings reported once.
        let artifacts = run["artifacts"].as_array().unwrap();
        let mut named: Vec<&str> = Vec::new();
        let mut expected = Vec::new();
        for record in &lines {
            let source = record["source"].as_str().unwrap();
            if named.contains(&source) {
                continue;
            }
            let index = named.len();
            named.push(source);
            assert_eq!(artifacts[index]["location"]["uri"], source);
            assert_eq!(artifacts[index]["properties"]["ok"], record["ok"]);
            for finding in record["findings"].as_array().unwrap() {
                expected.push((index, finding));
            }
        }
        assert_eq!(artifacts.len(), named.len());
        assert_eq!(named.len() + 1, lines.len());

        // Every finding of every input is a result, in order, at its input and member.
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), expected.len());
        for (result, (index, finding)) in results.iter().zip(expected) {
            assert_eq!(result["ruleId"], finding["id"]);
            let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
            assert_eq!(rule["id"], finding["id"]);
            let level = match finding["severity"].as_str().unwrap() {
                "info" => "note",
                other => other,
            };
            assert_eq!(result["level"], level);
            assert_eq!(result["message"]["text"], finding["message"]);
            let location = &result["locations"][0];
            assert_eq!(
                location["physicalLocation"]["artifactLocation"]["index"],
                index
            );
            let uri = location["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert_eq!(uri, named[index], "relative paths are kept");
            match finding["field"].as_str() {
                Some(field) if !field.contains(['/', '~']) => assert_eq!(
                    location["logicalLocations"][0]["fullyQualifiedName"],
                    format!("/{field}")
                ),
                Some(_) => {}
                None => assert!(location.get("logicalLocations").is_none()),
            }
            assert_eq!(
                result.get("suppressions").is_some(),
                finding.get("allowed").is_some(),
                "{finding}"
            );
        }
    }
}

#[test]
fn an_allowed_finding_stays_marked_and_never_fails() {
    let lookalike = bundle("chain-lookalike-ca.json");
    let output = run(&["--at", AT, "--format", "json", &lookalike]);
    assert_eq!(output.status.code(), Some(1));
    let before = records(&output).remove(0);

    // An error, allowed in any case.
    let output = run(&[
        "--at",
        AT,
        "--format",
        "json",
        "--allow",
        "Chain.Untrusted",
        &lookalike,
    ]);
    assert_eq!(output.status.code(), Some(0));
    let after = records(&output).remove(0);
    assert_eq!(after["ok"], true);
    assert_eq!(ids(&after), ids(&before));
    assert_eq!(after["findings"][0]["allowed"], true);
    assert_eq!(after["findings"][0]["severity"], "error");
    // What the stacks are predicted to do does not change.
    assert_eq!(after["identities"], before["identities"]);

    let output = run(&["--at", AT, "--allow", "chain.untrusted", &lookalike]);
    let text = stdout(&output);
    assert!(
        text.contains("error[chain.untrusted] (allowed): "),
        "{text}"
    );
    assert!(
        text.contains(": ok (0 errors, 0 warnings, 1 allowed)"),
        "{text}"
    );

    // From a file, with comments, beside --allow; other findings still fail.
    let dir = scratch("allow");
    let list = dir.join("allowed.txt");
    std::fs::write(
        &list,
        "# accepted for the 2026 migration\nCA.ABSENT   # the agent holds the CA\n\n",
    )
    .unwrap();
    let list = list.to_string_lossy().into_owned();
    let no_ca = bundle("no-ca.json");
    let output = run(&[
        "--at",
        AT,
        "--strict",
        "--format",
        "json",
        "--allow-file",
        &list,
        &no_ca,
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(records(&output)[0]["findings"][0]["allowed"], true);
    let output = run(&["--at", AT, "--allow-file", &list, &no_ca, &lookalike]);
    assert_eq!(output.status.code(), Some(1));
    // A finding not allowed has no `allowed` member.
    let output = run(&[
        "--at",
        AT,
        "--format",
        "json",
        "--allow",
        "ca.absent",
        &lookalike,
    ]);
    assert!(records(&output)[0]["findings"][0].get("allowed").is_none());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_prints_the_catalog_as_data() {
    let output = run(&["explain", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let entries: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(entries.len(), certkey::CATALOG.len());
    for (entry, check) in entries.iter().zip(certkey::CATALOG) {
        assert_eq!(entry["id"], check.id.as_str());
        assert_eq!(entry["severity"], check.severity.as_str());
        assert_eq!(entry["legacy_severity"], check.legacy_severity.as_str());
        assert_eq!(entry["summary"], check.summary);
        // The catalog's texts, their mentions of options worded as this command's flags.
        for (name, text) in [("explanation", check.explanation), ("fix", check.fix)] {
            let shown = entry[name].as_str().unwrap();
            if text.contains("` option") {
                assert!(
                    !shown.contains("` option") && shown.contains("--"),
                    "{shown}"
                );
            } else {
                assert_eq!(shown, text);
            }
        }
        assert_eq!(entry["source"], check.source);
        let stacks: Vec<&str> = check.refused_by.iter().map(|s| s.name()).collect();
        assert_eq!(entry["refused_by"], serde_json::json!(stacks));
    }

    // Several ids, any case, printed in catalog order.
    let output = run(&[
        "explain",
        "--format",
        "json",
        "KEY.MISMATCH",
        "response.too_large",
    ]);
    let entries: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let named: Vec<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(named, ["response.too_large", "key.mismatch"]);
    let output = run(&["explain", "Key.Mismatch", "ca.absent"]);
    let text = stdout(&output);
    assert!(text.starts_with("ca.absent (warning)\n"), "{text}");
    assert!(text.contains("\n---\n\nkey.mismatch (error)\n"), "{text}");

    // An area lists its ids.
    let key_ids: Vec<&str> = certkey::CATALOG
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| id.starts_with("key."))
        .collect();
    assert!(key_ids.len() > 5);
    for area in ["key", "KEY."] {
        let output = run(&["explain", area]);
        assert_eq!(output.status.code(), Some(0));
        let listed: Vec<String> = stdout(&output)
            .lines()
            .map(|l| l.split_whitespace().next().unwrap().to_owned())
            .collect();
        assert_eq!(listed, key_ids, "{area}");
    }
}

#[test]
fn the_version_is_in_every_record_and_the_sarif_driver() {
    // -V is the one line scripts read; --version adds the target, glibc and features.
    let output = run(&["-V"]);
    let version = stdout(&output);
    assert_eq!(
        version.trim(),
        format!("certkey-audit {}", env!("CARGO_PKG_VERSION"))
    );
    let output = run(&["--at", AT, "--format", "sarif", &bundle("good.json")]);
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        driver["properties"]["certkey_version"],
        certkey::CERTKEY_VERSION
    );
}
