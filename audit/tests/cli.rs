//! Runs the built certkey-audit binary: its exit codes, formats, inputs and output hygiene.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::{bundle, bundles, records, stdout, AT};

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, stdin)
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_certkey-audit"))
        .current_dir(dir)
        .env_remove("NO_COLOR")
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

#[test]
fn a_good_bundle_exits_zero_and_lists_its_certificates() {
    let output = run(&["--at", AT, &bundle("good.json")], None);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(
        text.contains("good.json: ok (0 errors, 0 warnings)"),
        "{text}"
    );
    for role in ["ca", "source", "target_mgmt", "target_data"] {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("  {role} "))),
            "{role}: {text}"
        );
    }
    assert_eq!(text.matches("key matches").count(), 3, "{text}");
    assert!(text.contains("CN=target-data.certkey.test"), "{text}");
    assert!(
        text.ends_with("1 input: 1 ok, 0 failed — 0 errors, 0 warnings\n"),
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
    let lines = records(&output);
    assert_eq!(lines.len(), names.len());
    for (line, path) in lines.iter().zip(&paths) {
        assert_eq!(line["source"], path.as_str());
        assert_eq!(line["schema_version"], 3);
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
        let lines = records(&output);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["source"], "<stdin>");
        assert_eq!(lines[0]["ok"], true);
    }
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
    let line = &records(&output)[0];
    assert_eq!(line["audited_at"], "2046-01-01T00:00:00Z");
    assert_eq!(line["certificates"][0]["days_left"], -365);
}

#[test]
fn an_input_over_the_cap_is_refused_without_reading_it() {
    let big = vec![b' '; certkey::DEFAULT_MAX_INPUT_LEN + 1];
    let output = run(&["--format", "json", "-"], Some(&big));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        records(&output)[0]["findings"][0]["id"],
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
        // The rehearsal quotes TLS errors: it runs on every fixture too.
        if cfg!(feature = "handshake") {
            args.push("--handshake=always");
        }
        // Encrypted keys are decrypted: their plaintext must not show either.
        let passphrase = bundles().join("../passphrase.json");
        let passphrase = passphrase.to_string_lossy().into_owned();
        args.extend(["--passphrase-file", passphrase.as_str()]);
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

fn ids(line: &serde_json::Value) -> Vec<String> {
    line["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("certkey-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn copy(&self, fixture: &str, as_name: &str) {
        let target = self.0.join(as_name);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(bundles().join(fixture), target).unwrap();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_folder_is_every_json_file_in_it_and_recursive_descends() {
    let scratch = Scratch::new("folder");
    scratch.copy("redacted.json", "b-redacted.json");
    scratch.copy("good.json", "a-good.json");
    scratch.copy("no-ca.json", "sub/c-no-ca.json");
    std::fs::write(scratch.0.join("notes.txt"), "not a response").unwrap();
    let dir = scratch.0.to_str().unwrap();

    let output = run(&["--format", "json", "--at", AT, dir], None);
    assert_eq!(output.status.code(), Some(1));
    let lines = records(&output);
    let sources: Vec<&str> = lines
        .iter()
        .map(|l| l["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert!(sources[0].ends_with("a-good.json") && sources[1].ends_with("b-redacted.json"));

    let output = run(&["--format", "json", "--at", AT, "--recursive", dir], None);
    let lines = records(&output);
    assert_eq!(lines.len(), 3);
    assert!(lines[2]["source"]
        .as_str()
        .unwrap()
        .ends_with("c-no-ca.json"));
    assert_eq!(ids(&lines[2]), ["ca.absent"]);
}

#[test]
fn many_inputs_are_printed_in_input_order() {
    // Over two hundred inputs: more than one of the chunks the binary audits and writes at a
    // time.
    let names: Vec<String> = {
        let mut names: Vec<String> = std::fs::read_dir(bundles())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| !n.starts_with("member-"))
            .collect();
        names.sort();
        names
    };
    assert!(names.len() > 200, "{} fixtures", names.len());
    let records = |paths: &[String]| {
        let mut args = vec!["--format", "json", "--at", AT];
        args.extend(paths.iter().map(String::as_str));
        records(&run(&args, None))
    };
    let forward: Vec<String> = names.iter().map(|n| bundle(n)).collect();
    let backward: Vec<String> = forward.iter().rev().cloned().collect();
    let (first, second) = (records(&forward), records(&backward));
    for (records, paths) in [(&first, &forward), (&second, &backward)] {
        let sources: Vec<&str> = records
            .iter()
            .map(|l| l["source"].as_str().unwrap())
            .collect();
        assert_eq!(sources, *paths);
    }
    // Each input's record is its own, wherever it stands in the input.
    let mut reversed: Vec<&serde_json::Value> = second.iter().collect();
    reversed.reverse();
    for (a, b) in first.iter().zip(reversed) {
        assert_eq!(a, b);
    }
}

#[test]
fn strict_fails_on_warnings_too() {
    let no_ca = bundle("no-ca.json");
    assert_eq!(run(&["--at", AT, &no_ca], None).status.code(), Some(0));
    assert_eq!(
        run(&["--at", AT, "--strict", &no_ca], None).status.code(),
        Some(1)
    );
    let good = bundle("good.json");
    assert_eq!(
        run(&["--at", AT, "--strict", &good], None).status.code(),
        Some(0)
    );
}

#[test]
fn warn_within_sets_the_expiry_window() {
    // The fixture's certificate expires 12 days after the audit time.
    let soon = bundle("cert-expires-soon.json");
    let default = records(&run(&["--format", "json", "--at", AT, &soon], None));
    assert_eq!(ids(&default[0]), ["cert.expires_soon"]);
    let narrow = records(&run(
        &["--format", "json", "--at", AT, "--warn-within", "7d", &soon],
        None,
    ));
    assert!(ids(&narrow[0]).is_empty());
    let wide = records(&run(
        &[
            "--format",
            "json",
            "--at",
            AT,
            "--warn-within",
            "300h",
            &soon,
        ],
        None,
    ));
    assert_eq!(ids(&wide[0]), ["cert.expires_soon"]);
    assert_eq!(
        run(&["--warn-within", "soon", &soon], None).status.code(),
        Some(2)
    );
}

/// Runs with `--format json --at AT` and the given arguments: the exit code and the lines.
fn json_run(args: &[&str]) -> (Option<i32>, Vec<serde_json::Value>) {
    let mut all = vec!["--format", "json", "--at", AT];
    all.extend_from_slice(args);
    let output = run(&all, None);
    (output.status.code(), records(&output))
}

#[test]
fn ca_supplies_the_trust_anchor_for_responses_without_one() {
    let no_ca = bundle("no-ca.json");
    let pki = bundles().join("../pki");
    let right = pki.join("ca.crt.pem");
    let (code, lines) = json_run(&["--ca", right.to_str().unwrap(), &no_ca]);
    assert_eq!(code, Some(0));
    assert!(ids(&lines[0]).is_empty());

    let wrong = pki.join("source.crt.pem");
    let (code, lines) = json_run(&["--ca", wrong.to_str().unwrap(), &no_ca]);
    assert_eq!(code, Some(1));
    assert!(ids(&lines[0]).contains(&"chain.untrusted".to_owned()));

    let missing = pki.join("no-such-ca.pem");
    let output = run(&["--ca", missing.to_str().unwrap(), &no_ca], None);
    assert_eq!(output.status.code(), Some(2));
}

#[cfg(feature = "handshake")]
#[test]
fn handshake_rehearses_when_sound_and_always_when_asked() {
    let (code, lines) = json_run(&["--handshake", &bundle("good.json")]);
    assert_eq!(code, Some(0));
    assert_eq!(ids(&lines[0]), ["handshake.ok", "handshake.ok"]);

    // Static checks find no error; rustls refuses (a composite prime, which only deep mode
    // finds): the rehearsal fails the bundle.
    let (code, lines) = json_run(&["--handshake", &bundle("key-rsa-composite-p.json")]);
    assert_eq!(code, Some(1));
    assert_eq!(ids(&lines[0]), ["handshake.failed", "handshake.failed"]);
    // A static error skips the rehearsal unless it is asked for always.
    let (code, lines) = json_run(&["--handshake", &bundle("usage-source-server-only.json")]);
    assert_eq!(code, Some(1));
    assert_eq!(
        ids(&lines[0]),
        ["chain.usage", "handshake.skipped", "handshake.skipped"]
    );
    let server_only = bundle("usage-source-server-only.json");
    let (code, lines) = json_run(&["--handshake=always", &server_only]);
    assert_eq!(code, Some(1));
    assert_eq!(
        ids(&lines[0]),
        ["chain.usage", "handshake.failed", "handshake.failed"]
    );

    let expired = bundle("target-expired.json");
    let (_, lines) = json_run(&["--handshake", &expired]);
    assert_eq!(
        ids(&lines[0]),
        ["cert.expired", "handshake.skipped", "handshake.ok"]
    );
    let (_, lines) = json_run(&["--handshake=always", &expired]);
    assert_eq!(
        ids(&lines[0]),
        ["cert.expired", "handshake.failed", "handshake.ok"]
    );

    // Off unless asked.
    let (_, lines) = json_run(&[&bundle("good.json")]);
    assert!(ids(&lines[0]).is_empty());
    assert_eq!(
        run(&["--handshake=sometimes", &bundle("good.json")], None)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn passphrases_come_from_a_file_raw_or_json_or_from_the_environment() {
    let testdata = bundles().join("..");
    let encrypted = bundle("encrypted-pkcs8-scrypt.json");
    let (code, lines) = json_run(&[&encrypted]);
    assert_eq!(code, Some(1));
    assert_eq!(ids(&lines[0]), ["key.encrypted"]);

    for file in ["passphrase.json", "passphrase.txt"] {
        let path = testdata.join(file);
        let (code, lines) = json_run(&["--passphrase-file", path.to_str().unwrap(), &encrypted]);
        assert_eq!(code, Some(0), "{file}");
        assert!(ids(&lines[0]).is_empty(), "{file}");
        assert!(lines[0]["keys"][0]["encryption"]
            .as_str()
            .unwrap()
            .starts_with("PBES2 (scrypt"));
    }

    let scratch = Scratch::new("passphrase");
    let wrong = scratch.0.join("wrong.txt");
    std::fs::write(&wrong, "not-the-passphrase\n").unwrap();
    let output = run(
        &[
            "--at",
            AT,
            "--passphrase-file",
            wrong.to_str().unwrap(),
            &encrypted,
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("error[key.passphrase_wrong]"), "{text}");
    assert!(!text.contains("not-the-passphrase"), "{text}");

    let error_body = scratch.0.join("error.json");
    std::fs::write(
        &error_body,
        r#"{"error_code": "SMS.9004", "error_msg": "denied"}"#,
    )
    .unwrap();
    let output = run(
        &[
            "--passphrase-file",
            error_body.to_str().unwrap(),
            &encrypted,
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("SMS.9004"));

    let output = Command::new(env!("CARGO_BIN_EXE_certkey-audit"))
        .args([
            "--format",
            "json",
            "--at",
            AT,
            "--passphrase-env",
            "CERTKEY_TEST_PASSPHRASE",
            &encrypted,
        ])
        .env("CERTKEY_TEST_PASSPHRASE", "fixture-passphrase")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let output = run(
        &[
            "--passphrase-env",
            "CERTKEY_TEST_UNSET_VARIABLE",
            &encrypted,
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    // There is no plain --passphrase argument.
    let output = run(&["--passphrase", "fixture-passphrase", &encrypted], None);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn profile_deep_and_max_input_reach_the_policy() {
    let legacy = bundle("legacy.json");
    assert_eq!(run(&["--at", AT, &legacy], None).status.code(), Some(1));
    assert_eq!(
        run(&["--at", AT, "--profile", "legacy", &legacy], None)
            .status
            .code(),
        Some(0)
    );
    let composite = bundle("key-rsa-composite-p.json");
    assert_eq!(run(&["--at", AT, &composite], None).status.code(), Some(0));
    assert_eq!(
        run(&["--at", AT, "--deep", &composite], None).status.code(),
        Some(1)
    );
    let output = run(
        &[
            "--format",
            "json",
            "--max-input-len",
            "1KiB",
            &bundle("good.json"),
        ],
        None,
    );
    assert_eq!(ids(&records(&output)[0]), ["response.too_large"]);
}

#[test]
fn stack_sets_the_counted_stacks() {
    // Only OpenSSL 3 with X509_STRICT (Python's default context) and pyca refuse a CA whose
    // basicConstraints is not critical.
    let not_critical = bundle("ca-basic-constraints-not-critical.json");
    let severity = |args: &[&str]| {
        let mut all = args.to_vec();
        all.push(&not_critical);
        let (code, lines) = json_run(&all);
        let finding = &lines[0]["findings"][0];
        assert_eq!(finding["id"], "ca.basic_constraints");
        assert_eq!(
            finding["refused_by"],
            serde_json::json!([
                "python-3.13-openssl-3.0",
                "python-3.13-openssl-3.5",
                "pyca-48",
                "pyca-51"
            ])
        );
        (code, finding["severity"].as_str().unwrap().to_owned())
    };
    assert_eq!(severity(&[]), (Some(1), "error".to_owned()));
    assert_eq!(
        severity(&["--stacks", "openssl,go,rustls"]),
        (Some(0), "warning".to_owned())
    );
    assert_eq!(
        severity(&["--stacks", "go,pyca"]),
        (Some(1), "error".to_owned())
    );
    // OpenSSL 4.0's X509_STRICT no longer asks it.
    assert_eq!(
        severity(&["--stacks", "python-3.13-openssl-4.0"]),
        (Some(0), "warning".to_owned())
    );

    for (list, says) in [
        ("java", "java is not modelled"),
        ("go,gnutls", "unknown stack `gnutls`"),
        ("", "no stack named"),
    ] {
        let output = run(&["--stacks", list, &not_critical], None);
        assert_eq!(output.status.code(), Some(2), "{list}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{list}: {stderr}");
    }
}

#[test]
fn quiet_prints_the_inputs_that_fail_and_the_summary_line() {
    let output = run(
        &[
            "--quiet",
            "--at",
            AT,
            &bundle("good.json"),
            &bundle("redacted.json"),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    // The inputs that are not ok are named, so the count has names.
    assert_eq!(
        stdout(&output),
        format!(
            "{}: FAILED (7 errors, 0 warnings)\n2 inputs: 1 ok, 1 failed — 7 errors, 0 warnings\n",
            bundle("redacted.json")
        )
    );
}

#[test]
fn explain_prints_a_catalog_entry_and_lists_every_id() {
    let output = run(&["explain", "key.mismatch"], None);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let check = certkey::CheckId::KeyMismatch.check();
    assert!(text.starts_with("key.mismatch (error)\n"), "{text}");
    for part in [check.summary, check.explanation, check.source, check.fix] {
        assert!(text.contains(part), "{text}");
    }

    let output = run(&["explain"], None);
    assert_eq!(output.status.code(), Some(0));
    let listed: Vec<String> = stdout(&output)
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .collect();
    let catalog: Vec<String> = certkey::CATALOG
        .iter()
        .map(|c| c.id.as_str().to_owned())
        .collect();
    assert_eq!(listed, catalog);

    assert_eq!(run(&["explain", "no.such_id"], None).status.code(), Some(2));
}

#[test]
fn piped_output_has_no_colour() {
    let output = run(&["--at", AT, &bundle("redacted.json")], None);
    assert!(!stdout(&output).contains('\x1b'));
}

#[test]
fn the_text_output_of_a_failing_bundle_matches_its_golden_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for name in ["chain-lookalike-ca", "cert-not-yet-valid"] {
        let output = run_in(
            &root,
            &["--at", AT, &format!("testdata/bundles/{name}.json")],
            None,
        );
        let golden =
            std::fs::read_to_string(root.join(format!("testdata/golden/{name}.txt"))).unwrap();
        assert_eq!(stdout(&output), golden, "{name}");
    }
}

#[test]
fn version_and_help_work() {
    let output = run(&["--version"], None);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("certkey-audit "));
    let output = run(&["--help"], None);
    assert!(stdout(&output).contains("Exit status"));
}

#[test]
fn the_version_names_the_target_the_glibc_and_the_features() {
    let output = run(&["--version"], None);
    assert_eq!(output.status.code(), Some(0));
    let said = stdout(&output);
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(
        lines[0],
        concat!("certkey-audit ", env!("CARGO_PKG_VERSION"))
    );
    assert!(
        lines[1].starts_with("target: ") && lines[1].contains("-linux-"),
        "{said}"
    );
    // A build by scripts/dist.sh names its floor; this one is the build machine's.
    assert!(lines[1].contains("glibc"), "{said}");
    let features = if cfg!(feature = "handshake") {
        "features: handshake (the --handshake rehearsal, with rustls)"
    } else {
        "features: none (built without the handshake rehearsal)"
    };
    assert_eq!(lines[2], features);
    // -V stays one line, as scripts read it.
    let short = stdout(&run(&["-V"], None));
    assert_eq!(short.trim_end(), lines[0]);
}
