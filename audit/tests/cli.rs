//! Runs the built certkey-audit binary: its exit codes, formats, inputs and output hygiene.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const AT: &str = "2026-06-01T00:00:00Z";

fn bundles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/bundles")
}

fn bundle(name: &str) -> String {
    bundles().join(name).to_string_lossy().into_owned()
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_certkey-audit"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect()
}

#[test]
fn a_good_bundle_exits_zero_and_lists_its_certificates() {
    let output = run(&["--at", AT, &bundle("good.json")], None);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(
        text.contains("good.json: ok (0 errors, 0 warnings)"),
        "{text}"
    );
    for member in ["ca", "cert", "target_mgmt_cert", "target_data_cert"] {
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(member)),
            "{member}: {text}"
        );
    }
    assert!(text.contains("CN=target-data.certkey.test"), "{text}");
    assert!(
        text.ends_with("1 bundle: 1 ok, 0 failed — 0 errors, 0 warnings\n"),
        "{text}"
    );
}

#[test]
fn a_failing_bundle_exits_one_with_a_rustc_style_diagnostic() {
    let path = bundle("key-in-cert-member.json");
    let output = run(&["--at", AT, &path], None);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.starts_with("error[pem.wrong_label]: cert holds a block labelled RSA PRIVATE KEY"),
        "{text}"
    );
    assert!(text.contains(&format!("  --> {path}: cert\n")), "{text}");
    assert!(text.contains("  = help: "), "{text}");
}

#[test]
fn warnings_alone_exit_zero() {
    let output = run(&["--at", AT, &bundle("no-ca.json")], None);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("warning[ca.absent]"));
}

#[test]
fn json_lines_follow_the_contract_in_input_order() {
    let names = [
        "good.json",
        "redacted.json",
        "api-error-403.json",
        "no-ca.json",
    ];
    let paths: Vec<String> = names.iter().map(|n| bundle(n)).collect();
    let mut args = vec!["--format", "json", "--at", AT];
    args.extend(paths.iter().map(String::as_str));
    let output = run(&args, None);
    assert_eq!(output.status.code(), Some(1));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), names.len());
    for (line, path) in lines.iter().zip(&paths) {
        assert_eq!(line["source"], path.as_str());
        assert_eq!(line["schema_version"], 1);
        assert!(line["ok"].is_boolean());
        for finding in line["findings"].as_array().unwrap() {
            assert!(finding["id"].is_string());
            assert!(["error", "warning", "info"].contains(&finding["severity"].as_str().unwrap()));
            assert!(finding["field"].is_string() || finding["field"].is_null());
            assert!(finding["message"].is_string());
            assert!(finding.get("hint").is_none_or(|h| h.is_string()));
        }
    }
    assert_eq!(lines[0]["ok"], true);
    assert_eq!(lines[0]["certificates"].as_array().unwrap().len(), 4);
    assert_eq!(lines[1]["ok"], false);
    assert_eq!(lines[1]["findings"].as_array().unwrap().len(), 7);
    assert_eq!(lines[2]["findings"][0]["id"], "response.api_error");
    assert_eq!(lines[2]["api_error"]["error_code"], "SMS.9004");
    assert_eq!(lines[3]["ok"], true);
    assert_eq!(lines[3]["findings"][0]["field"], "ca");
}

#[test]
fn stdin_is_read_with_a_dash_or_when_piped_without_paths() {
    let good = std::fs::read(bundle("good.json")).unwrap();
    for args in [
        &["--format", "json", "--at", AT, "-"][..],
        &["--format", "json", "--at", AT],
    ] {
        let output = run(args, Some(&good));
        assert_eq!(output.status.code(), Some(0));
        let lines = json_lines(&output);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["source"], "<stdin>");
        assert_eq!(lines[0]["ok"], true);
    }
}

#[test]
fn an_unreadable_path_exits_two_after_the_others_are_audited() {
    let missing = bundle("no-such-file.json");
    let output = run(
        &[
            "--format",
            "json",
            "--at",
            AT,
            &missing,
            &bundle("good.json"),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["ok"], true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot read {missing}")),
        "{stderr}"
    );

    let output = run(&["--at", AT, bundles().to_str().unwrap()], None);
    assert_eq!(
        output.status.code(),
        Some(2),
        "a directory is not yet an input"
    );
}

#[test]
fn usage_errors_exit_two() {
    for args in [
        &["--format", "yaml", "x.json"][..],
        &["--at", "yesterday", "x.json"],
        &["--no-such-flag"],
        &[],
    ] {
        let output = run(args, None);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn the_audit_time_comes_from_at() {
    let output = run(
        &[
            "--format",
            "json",
            "--at",
            "2046-01-01T00:00:00Z",
            &bundle("good.json"),
        ],
        None,
    );
    let line = &json_lines(&output)[0];
    assert_eq!(line["audited_at"], "2046-01-01T00:00:00Z");
    assert_eq!(line["certificates"][0]["days_left"], -365);
}

#[test]
fn an_input_over_the_cap_is_refused_without_reading_it() {
    let big = vec![b' '; certkey::DEFAULT_MAX_INPUT_LEN + 1];
    let output = run(&["--format", "json", "-"], Some(&big));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        json_lines(&output)[0]["findings"][0]["id"],
        "response.too_large"
    );
}

#[test]
fn no_output_contains_a_line_of_any_private_key() {
    let key_lines = private_key_lines();
    assert!(
        key_lines.len() > 100,
        "only {} key lines found",
        key_lines.len()
    );
    let mut paths: Vec<String> = std::fs::read_dir(bundles())
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    paths.sort();
    for format in ["text", "json"] {
        let mut args = vec!["--format", format, "--at", AT];
        args.extend(paths.iter().map(String::as_str));
        let output = run(&args, None);
        assert_eq!(output.status.code(), Some(1));
        let all = format!(
            "{}{}",
            stdout(&output),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            all.matches("{\"source\":").count(),
            if format == "json" { paths.len() } else { 0 }
        );
        for line in &key_lines {
            assert!(
                !all.contains(line.as_str()),
                "{format} output holds a key line"
            );
        }
    }
}

/// The base64 lines (16 characters or more) of every private key in testdata/.
fn private_key_lines() -> Vec<String> {
    let pki = bundles().join("../pki");
    let mut lines = Vec::new();
    for entry in std::fs::read_dir(pki).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".key.pem") {
            continue;
        }
        for line in std::fs::read_to_string(path).unwrap().lines() {
            if line.len() >= 16 && !line.starts_with("-----") && !line.contains(':') {
                lines.push(line.to_owned());
            }
        }
    }
    lines
}
