//! No private-key material reaches a report: not its JSON, not its `Debug` output, not a
//! finding's `Display`, whatever the fixture and whatever went wrong with it.

mod common;

use certkey::audit;

fn assert_no_key_line(haystack: &str, what: &str, lines: &[String]) {
    for line in lines {
        assert!(
            !haystack.contains(line.as_str()),
            "{what} contains a line of a private key"
        );
    }
}

#[test]
fn key_lines_are_collected_from_the_fixtures() {
    // Guards the test below: if the collection broke, it would pass vacuously.
    let lines = common::private_key_lines();
    assert!(lines.len() > 100, "only {} key lines found", lines.len());
}

#[test]
fn no_line_of_any_private_key_appears_in_any_report() {
    let lines = common::private_key_lines();
    for name in common::bundle_names() {
        let policy = common::policy();
        // The handshake rehearsal quotes TLS errors: it runs on every fixture too.
        #[cfg(feature = "handshake")]
        let policy = policy.with_handshake(certkey::Rehearsal::Always);
        let report = audit(&common::bundle(&name), &policy);
        let json = serde_json::to_string(&report).unwrap();
        assert_no_key_line(&json, &format!("{name}: JSON report"), &lines);
        assert_no_key_line(&format!("{report:?}"), &format!("{name}: Debug"), &lines);
        for finding in report.findings() {
            assert_no_key_line(&finding.to_string(), &format!("{name}: finding"), &lines);
            if let Some(hint) = finding.hint() {
                assert_no_key_line(hint, &format!("{name}: hint"), &lines);
            }
        }
    }
}

#[test]
fn a_key_pasted_anywhere_is_never_quoted() {
    // A key where a certificate belongs, as a member name, in an error body and as text
    // around a block: each is reported, and none is quoted.
    let key = std::fs::read_to_string(common::testdata().join("pki/source.key.pem")).unwrap();
    let cert = std::fs::read_to_string(common::testdata().join("pki/source.crt.pem")).unwrap();
    let body_line = key.lines().nth(5).unwrap().to_owned();
    let inputs = [
        serde_json::json!({ "cert": key }),
        serde_json::json!({ key.clone(): "x" }),
        serde_json::json!({ "error_code": key, "error_msg": key }),
        serde_json::json!({ "cert": format!("{body_line}\n{cert}") }),
        serde_json::json!({ "private_key": key.replace("\n", "\\n") }),
        serde_json::json!({ "private_key": key.replacen('A', "*", 1) }),
        serde_json::json!(key),
    ];
    for input in inputs {
        let report = audit(input.to_string().as_bytes(), &common::policy());
        let json = serde_json::to_string(&report).unwrap();
        assert!(!json.contains(&body_line), "quoted in {json}");
        assert!(!format!("{report:?}").contains(&body_line));
    }
}
