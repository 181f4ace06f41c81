//! Audits every fixture under testdata/bundles/ and compares the findings with the table in
//! testdata/expected.tsv, and what chosen findings say with testdata/messages.tsv.

mod common;

use std::collections::BTreeSet;

use certkey::{audit, Severity};

use common::rows::{rows, settings_for};

/// The policy a row's options describe (see the header of expected.tsv).
fn policy_for(options: &str, input: &[u8], row: &str) -> certkey::Policy {
    let mut policy = common::policy();
    for option in options.split(',').filter(|o| *o != "-") {
        match option.split_once('=') {
            Some(("max_input", "size")) => policy = policy.with_max_input_len(input.len()),
            Some(("max_input", "size-1")) => policy = policy.with_max_input_len(input.len() - 1),
            None if option == "deep" => policy = policy.with_deep(true),
            Some(("ca", file)) => {
                let pem = std::fs::read_to_string(common::testdata().join(file)).unwrap();
                policy = policy.with_ca_pem(pem);
            }
            Some(("passphrase", passphrase)) => {
                policy = policy.with_passphrase(passphrase.as_bytes())
            }
            Some(("profile", "legacy")) => policy = policy.with_profile(certkey::Profile::Legacy),
            Some(("stacks", list)) => {
                policy = policy.with_stacks(
                    list.replace('+', ",")
                        .parse()
                        .unwrap_or_else(|e| panic!("{row}: {e}")),
                )
            }
            #[cfg(feature = "handshake")]
            None if option == "handshake" => {
                policy = policy.with_handshake(certkey::Rehearsal::WhenSound)
            }
            #[cfg(feature = "handshake")]
            Some(("handshake", "always")) => {
                policy = policy.with_handshake(certkey::Rehearsal::Always)
            }
            _ => panic!("{row}: unknown option {option}"),
        }
    }
    policy
}

/// The advice speaks to every front end: no finding on any fixture, and no check in the
/// catalog, names one front end's flag or function (the command line words options its own
/// way, `certkey::options::reword`).
#[test]
fn advice_names_options_for_every_front_end() {
    for check in certkey::CATALOG {
        for text in [check.summary, check.explanation, check.fix] {
            common::assert_front_end_neutral(text, check.id.as_str());
        }
    }
    let mut mentions = 0;
    for row in rows(&common::testdata()) {
        if !cfg!(feature = "handshake") && row.options.contains("handshake") {
            continue;
        }
        let input = common::bundle(&row.fixture);
        let name = format!("expected.tsv line {}", row.line);
        let report = audit(&input, &policy_for(&row.options, &input, &name));
        for finding in report.findings() {
            for text in [finding.message(), finding.help()] {
                common::assert_front_end_neutral(text, &name);
                mentions += usize::from(text.contains("` option"));
            }
        }
    }
    assert!(
        mentions > 0,
        "no finding mentions an option: the test proves nothing"
    );
}

/// One auditor, which remembers the last CA, reports on every fixture exactly what a fresh
/// audit does: the fixtures in table order change CA often (and back), with CAs that are
/// broken, expired, not self-signed or absent.
#[test]
fn an_auditor_reports_what_a_fresh_audit_does() {
    let mut auditor = certkey::Auditor::new();
    for pass in 0..2 {
        for row in rows(&common::testdata()) {
            if !cfg!(feature = "handshake") && row.options.contains("handshake") {
                continue;
            }
            let input = common::bundle(&row.fixture);
            let name = format!("expected.tsv line {}, pass {pass}", row.line);
            let policy = policy_for(&row.options, &input, &name);
            assert_eq!(
                serde_json::to_value(auditor.audit(&input, &policy)).unwrap(),
                serde_json::to_value(audit(&input, &policy)).unwrap(),
                "{name}"
            );
        }
    }
}

/// Re-judging a report under other judging options gives what an audit under them gives, on
/// every fixture (without the rehearsal, whose skipping depends on the judgement it ran under).
#[test]
fn a_report_rejudged_is_the_audit_under_the_other_options() {
    use certkey::{CheckId, Profile, Stack, Stacks};
    let judgings: [fn(certkey::Policy) -> certkey::Policy; 5] = [
        |p| p.with_profile(Profile::Legacy),
        |p| p.with_stacks(Stacks::of(&[Stack::Go123])),
        |p| {
            p.with_stacks(Stacks::of(&[Stack::OpenSsl30, Stack::Pyca48]))
                .with_strict(true)
        },
        |p| {
            p.with_allow([
                CheckId::CaAbsent,
                CheckId::CertExpired,
                CheckId::KeyMismatch,
            ])
        },
        |p| {
            p.with_profile(Profile::Legacy)
                .with_stacks(Stacks::NONE)
                .with_strict(true)
        },
    ];
    let mut changed = 0;
    for row in rows(&common::testdata()) {
        if row.options.contains("handshake") {
            continue;
        }
        let input = common::bundle(&row.fixture);
        let name = format!("expected.tsv line {}", row.line);
        let policy = policy_for(&row.options, &input, &name);
        let report = audit(&input, &policy);
        for (i, judging) in judgings.iter().enumerate() {
            let other = judging(policy.clone());
            let rejudged = serde_json::to_value(report.rejudged(&other).unwrap()).unwrap();
            let audited = serde_json::to_value(audit(&input, &other)).unwrap();
            assert_eq!(rejudged, audited, "{name}, judging {i}");
            changed += usize::from(rejudged != serde_json::to_value(&report).unwrap());
        }
    }
    // The judgings do change reports: the comparison is not of equals by construction.
    assert!(changed > 100, "{changed} reports changed");
}

/// The bindings take the policy's options by name (`certkey::Policy::from_json`): every row's options
/// given that way audit exactly as the Rust policy does.
#[test]
fn every_row_audits_the_same_under_its_settings() {
    for row in rows(&common::testdata()) {
        if !cfg!(feature = "handshake") && row.options.contains("handshake") {
            continue;
        }
        let input = common::bundle(&row.fixture);
        let name = format!("expected.tsv line {}", row.line);
        let policy = policy_for(&row.options, &input, &name);
        let settings = settings_for(&common::testdata(), &row.options, &input);
        let from_settings = certkey::Policy::from_json(&settings.to_string())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            serde_json::to_value(audit(&input, &from_settings)).unwrap(),
            serde_json::to_value(audit(&input, &policy)).unwrap(),
            "{name}"
        );
    }
}

fn describe(finding: &certkey::Finding) -> String {
    format!(
        "{}:{}@{}",
        finding.severity(),
        finding.id(),
        finding.field().map_or("-", |f| f.name())
    )
}

#[test]
fn every_fixture_yields_exactly_its_expected_findings() {
    let mut failures = Vec::new();
    for row in rows(&common::testdata()) {
        if !cfg!(feature = "handshake") && row.options.contains("handshake") {
            continue;
        }
        let input = common::bundle(&row.fixture);
        let policy = policy_for(
            &row.options,
            &input,
            &format!("expected.tsv line {}", row.line),
        );
        let report = audit(&input, &policy);
        let mut actual: Vec<String> = report.findings().iter().map(describe).collect();
        actual.sort();
        if actual != row.expected {
            failures.push(format!(
                "{} ({}):\n  expected {:?}\n  actual   {:?}\n  messages {:#?}",
                row.fixture,
                row.options,
                row.expected,
                actual,
                report
                    .findings()
                    .iter()
                    .map(|f| f.message())
                    .collect::<Vec<_>>()
            ));
        }
        let has_error = report
            .findings()
            .iter()
            .any(|f| f.severity() == Severity::Error);
        assert_eq!(report.is_ok(), !has_error, "{}", row.fixture);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_has_a_row_and_every_row_a_fixture() {
    let listed: BTreeSet<String> = rows(&common::testdata())
        .into_iter()
        .map(|r| r.fixture)
        .collect();
    let present: BTreeSet<String> = common::bundle_names().into_iter().collect();
    assert_eq!(listed, present);
}

#[test]
fn every_response_and_pem_id_is_proven_by_a_fixture() {
    let proven: BTreeSet<String> = rows(&common::testdata())
        .into_iter()
        .flat_map(|r| r.expected)
        .map(|f| f.split([':', '@']).nth(1).unwrap().to_owned())
        .collect();
    for check in certkey::CATALOG {
        if !cfg!(feature = "handshake") && check.id.as_str().starts_with("handshake.") {
            continue;
        }
        if check.id == certkey::CheckId::InputUnreadable {
            // Made for inputs that cannot be read, so no fixture can: audit/tests/contract.rs
            // proves it with missing files, dangling links and FIFOs.
            continue;
        }
        assert!(
            proven.contains(check.id.as_str()),
            "no fixture produces {}",
            check.id
        );
    }
}

/// What chosen findings say: the words that make a finding actionable (which issuer, which
/// reason, which bound) are behaviour too.
#[test]
fn chosen_findings_say_what_they_must() {
    let table = std::fs::read_to_string(common::testdata().join("messages.tsv")).unwrap();
    let mut checked = 0;
    for (index, line) in table.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let row = format!("messages.tsv line {}", index + 1);
        let columns: Vec<&str> = line.split('\t').collect();
        assert_eq!(columns.len(), 4, "{row}: {line}");
        let [fixture, options, finding, words] = [columns[0], columns[1], columns[2], columns[3]];
        if !cfg!(feature = "handshake") && options.contains("handshake") {
            continue;
        }
        let input = common::bundle(fixture);
        let report = audit(&input, &policy_for(options, &input, &row));
        let found = report
            .findings()
            .iter()
            .find(|f| describe(f) == finding)
            .unwrap_or_else(|| panic!("{row}: {fixture} has no {finding}"));
        let said = format!("{} {}", found.message(), found.help());
        assert!(
            said.contains(words),
            "{row}: {fixture} {finding} says {said:?}"
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} rows");
}
