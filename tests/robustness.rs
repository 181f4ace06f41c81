//! Hostile and damaged input: never a panic, never ok, and the findings do not depend on how
//! the response is laid out.

mod common;

use certkey::{audit, CheckId, Finding, Report, MEMBER_MAX_CHARS};
use proptest::prelude::*;

fn ids(report: &Report) -> Vec<(CheckId, Option<String>)> {
    report
        .findings()
        .iter()
        .map(|f: &Finding| (f.id(), f.field().map(|f| f.name().to_owned())))
        .collect()
}

fn good() -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_slice(&common::bundle("good.json")).unwrap()
}

#[test]
fn every_truncation_of_a_good_bundle_is_refused() {
    let input = common::bundle("good.json");
    assert!(audit(&input, &common::policy()).is_ok());
    for len in (0..input.len()).step_by(7).chain([input.len() - 1]) {
        let report = audit(&input[..len], &common::policy());
        assert!(!report.is_ok(), "a prefix of {len} bytes was ok");
        assert!(
            report.has(CheckId::ResponseMalformed),
            "prefix of {len} bytes"
        );
    }
}

#[test]
fn sixteen_mebibytes_of_open_brackets_are_malformed() {
    let input = vec![b'['; certkey::DEFAULT_MAX_INPUT_LEN];
    let report = audit(&input, &common::policy());
    assert!(report.has(CheckId::ResponseMalformed));
    let input = "{\"a\":".repeat(certkey::DEFAULT_MAX_INPUT_LEN / 5);
    assert!(audit(input.as_bytes(), &common::policy()).has(CheckId::ResponseMalformed));
}

#[test]
fn one_byte_over_the_input_cap_is_refused_unparsed() {
    let input = vec![b' '; certkey::DEFAULT_MAX_INPUT_LEN + 1];
    let report = audit(&input, &common::policy());
    assert_eq!(ids(&report), [(CheckId::ResponseTooLarge, None)]);
}

#[test]
fn seven_members_of_a_mebibyte_of_junk_are_each_malformed_pem() {
    // Exactly the API's maximum of characters each, with multi-byte ones and line breaks.
    let junk: String = "jünk\\n".repeat(MEMBER_MAX_CHARS / 5);
    let members: Vec<String> = certkey::Member::ALL
        .iter()
        .map(|m| format!("\"{}\": \"{junk}\"", m.name()))
        .collect();
    let input = format!("{{{}}}", members.join(","));
    let report = audit(input.as_bytes(), &common::policy());
    assert_eq!(report.findings().len(), 7, "{:?}", ids(&report));
    assert!(report
        .findings()
        .iter()
        .all(|f| f.id() == CheckId::PemMalformed));
}

#[test]
fn a_mebibyte_of_markers_run_together_is_read_in_one_pass() {
    // Markers with their line breaks lost, by the thousand: restoring the line breaks looks at
    // each byte a bounded number of times, and what it restores is judged once.
    for (pattern, expected) in [
        ("-----BEGIN CERTIFICATE-----QUJD", CheckId::PemMalformed),
        ("QUJD-----END CERTIFICATE-----", CheckId::PemMalformed),
        (
            "-----BEGIN CERTIFICATE-----QUJD-----END CERTIFICATE-----",
            CheckId::PemMultipleBlocks,
        ),
        ("-----BEGIN -----END ", CheckId::PemMalformed),
    ] {
        let mut bundle = good();
        let many = pattern.repeat(MEMBER_MAX_CHARS / pattern.len());
        bundle.insert("target_data_cert".into(), many.into());
        let report = audit(&serde_json::to_vec(&bundle).unwrap(), &common::policy());
        let about: Vec<CheckId> = report
            .findings()
            .iter()
            .filter(|f| f.member() == Some(certkey::Member::TargetDataCert))
            .map(|f| f.id())
            .collect();
        assert!(about.contains(&expected), "{pattern}: {about:?}");
        assert!(report.findings().iter().all(|f| f.message().len() < 600));
    }
}

#[test]
fn many_blocks_in_one_member_are_counted_not_stored() {
    let block = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n";
    let mut bundle = good();
    let cert = bundle["cert"].as_str().unwrap().to_owned();
    let cert_lines = cert.lines().count();
    let many = cert + "\n" + &block.repeat((MEMBER_MAX_CHARS - 2000) / block.len());
    bundle.insert("cert".into(), many.into());
    let report = audit(&serde_json::to_vec(&bundle).unwrap(), &common::policy());
    // The first of the later blocks holds no certificate: a stack that reads the member as
    // a file fails on it. Each is checked as it ends and dropped, so none is stored.
    assert_eq!(
        ids(&report),
        [
            (CheckId::PemMultipleBlocks, Some("cert".to_owned())),
            (CheckId::CertMalformed, Some("cert".to_owned()))
        ]
    );
    assert!(report.findings()[0].message().len() < 300);
    assert!(
        report.findings()[1].message().contains(&format!(
            "block on line {} holds no certificate",
            cert_lines + 1
        )),
        "{}",
        report.findings()[1].message()
    );
}

#[test]
fn member_length_counts_characters_not_bytes() {
    for (len, too_large) in [(MEMBER_MAX_CHARS, false), (MEMBER_MAX_CHARS + 1, true)] {
        let mut bundle = good();
        bundle.insert("cert".into(), "é".repeat(len).into());
        let report = audit(&serde_json::to_vec(&bundle).unwrap(), &common::policy());
        assert_eq!(report.has(CheckId::FieldTooLarge), too_large, "{len}");
        assert_eq!(report.has(CheckId::PemMalformed), !too_large, "{len}");
    }
}

#[test]
fn error_bodies_with_huge_arrays_are_read_in_bounded_memory() {
    let params = vec!["\"p\""; 1_000_000].join(",");
    let input = format!(
        r#"{{"error_code": "SMS.9004", "error_msg": "x", "error_param": [{params}], "details": [{params}]}}"#
    );
    let report = audit(input.as_bytes(), &common::policy());
    let error = report.api_error().expect("an API error");
    assert_eq!(error.error_param.len(), 20);
    assert_eq!(error.details.len(), 20);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic_and_are_never_ok(input in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let report = audit(&input, &common::policy());
        prop_assert!(!report.is_ok());
    }

    #[test]
    fn arbitrary_json_objects_never_panic(
        members in proptest::collection::btree_map("[a-z_]{1,24}", any_json(), 0..12)
    ) {
        let input = serde_json::to_vec(&members).unwrap();
        let report = audit(&input, &common::policy());
        // Without all six role members, a response is never ok.
        prop_assert!(!report.is_ok());
    }

    #[test]
    fn member_order_and_outer_whitespace_never_change_the_findings(
        seed in any::<u64>(),
        fixture in prop::sample::select(vec!["good.json", "no-ca.json", "text-around-block.json", "chain-in-cert-member.json", "key-in-cert-member.json", "good-unknown-members.json"]),
        indent in "[ \t\r\n]{0,4}",
    ) {
        let original = common::bundle(fixture);
        let bundle: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&original).unwrap();
        let mut entries: Vec<_> = bundle.into_iter().collect();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..entries.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            entries.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let body: Vec<String> = entries
            .iter()
            .map(|(k, v)| format!("{indent}{}{indent}:{indent}{}", serde_json::to_string(k).unwrap(), serde_json::to_string(v).unwrap()))
            .collect();
        let shuffled = format!("{indent}{{{}}}{indent}", body.join(","));
        let expected = audit(&original, &common::policy());
        let actual = audit(shuffled.as_bytes(), &common::policy());
        prop_assert_eq!(ids(&expected), ids(&actual));
    }

    #[test]
    fn a_changed_base64_character_in_a_key_or_leaf_is_never_ok(
        member in prop::sample::select(vec!["cert", "private_key", "target_mgmt_cert", "target_mgmt_private_key", "target_data_cert", "target_data_private_key", "ca"]),
        position in any::<prop::sample::Index>(),
        replacement in any::<prop::sample::Index>(),
    ) {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut bundle = good();
        let text = bundle[member].as_str().unwrap().to_owned();
        // Positions of base64 characters in the body (not in the BEGIN and END lines).
        let mut body_positions = Vec::new();
        let mut offset = 0;
        for line in text.split('\n') {
            if !line.starts_with("-----") {
                body_positions.extend((offset..offset + line.len()).filter(|&i| text.as_bytes()[i] != b'='));
            }
            offset += line.len() + 1;
        }
        let at = body_positions[position.index(body_positions.len())];
        let old = text.as_bytes()[at];
        let candidates: Vec<u8> = ALPHABET.iter().copied().filter(|&c| c != old).collect();
        let new = candidates[replacement.index(candidates.len())];
        let mut changed = text.into_bytes();
        changed[at] = new;
        bundle.insert(member.into(), String::from_utf8(changed).unwrap().into());
        let report = audit(&serde_json::to_vec(&bundle).unwrap(), &common::policy());
        if member == "ca" {
            // A trust anchor's own signature is never checked: a changed signature byte leaves
            // a CA that still anchors every leaf, and is only not self-signed any more.
            if report.is_ok() {
                prop_assert_eq!(ids(&report), [(CheckId::CaNotSelfSigned, Some("ca".to_owned()))]);
            }
        } else {
            prop_assert!(!report.is_ok(), "{} changed at {} is ok", member, at);
        }
    }

    #[test]
    fn single_byte_changes_never_panic(position in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut input = common::bundle("good.json");
        let at = position.index(input.len());
        input[at] = byte;
        let _ = audit(&input, &common::policy());
    }
}

fn any_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        ".{0,40}".prop_map(serde_json::Value::from),
        Just(serde_json::Value::from(
            "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----"
        )),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            proptest::collection::btree_map("[a-z_]{1,8}", inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Inputs that once crashed a fuzz target, replayed on every test run through the stage the
/// target drives (the file name's prefix names the target; a structure-target input is kept
/// as the bundle it produced, under `audit-`).
#[test]
fn fuzz_regressions_replay_without_panicking() {
    use certkey::harness::{chain, key_pair, pem_member, KeyLabel};
    let dir = common::testdata().join("regressions");
    let mut replayed = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // The review's reproducers (redteam/) have their own test.
        if name.ends_with(".md") || path.is_dir() {
            continue;
        }
        let input = std::fs::read(&path).unwrap();
        let target = name.split('-').next().unwrap();
        match (target, input.split_first()) {
            ("audit", _) => {
                let report = audit(&input, &common::policy());
                let has_error = report
                    .findings()
                    .iter()
                    .any(|f| f.severity() == certkey::Severity::Error);
                assert_eq!(report.is_ok(), !has_error, "{name}");
            }
            ("pem", Some((&selector, rest))) => {
                let member = certkey::Member::ALL[usize::from(selector) % 7];
                let _ = pem_member(member, &String::from_utf8_lossy(rest));
            }
            ("key", Some((&selector, der))) => {
                let label = [KeyLabel::Pkcs1, KeyLabel::Pkcs8, KeyLabel::Sec1]
                    [usize::from(selector & 3) % 3];
                let _ = key_pair(label, der, None, false);
            }
            ("encrypted", _) => {
                let limits = certkey::KdfLimits::new(10_000, 1 << 20);
                let _ =
                    certkey::harness::encrypted_key_input(&input, b"fixture-passphrase", limits);
            }
            ("cert", _) => {
                use base64ct::{Base64, Encoding};
                let pem =
                    std::fs::read_to_string(common::testdata().join("pki/ca.crt.pem")).unwrap();
                let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
                let ca = Base64::decode_vec(&body).unwrap();
                let _ = chain(&ca, &input, common::audit_time());
                let _ = chain(&input, &ca, common::audit_time());
            }
            _ => panic!("{name}: name a regression input after its fuzz target"),
        }
        replayed += 1;
    }
    assert!(replayed > 0);
}

/// Exhaustive over the CA, where a trust anchor's own fields outside tbsCertificate are checked
/// by nothing else: every base64 character of its body changed to its neighbour in the
/// alphabet leaves a finding. (Found by the property above: a changed NULL parameter, OID tag
/// or BIT STRING tag in the outer signatureAlgorithm/signatureValue went unnoticed.)
#[test]
fn every_changed_base64_character_of_the_ca_leaves_a_finding() {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let good: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&common::bundle("good.json")).unwrap();
    let text = good["ca"].as_str().unwrap().to_owned();
    let mut offset = 0;
    let mut checked = 0;
    for line in text.split('\n') {
        if !line.starts_with("-----") {
            for at in offset..offset + line.len() {
                let old = text.as_bytes()[at];
                let Some(index) = ALPHABET.iter().position(|&c| c == old) else {
                    continue;
                };
                let mut changed = text.clone().into_bytes();
                changed[at] = ALPHABET[(index + 1) % ALPHABET.len()];
                let mut bundle = good.clone();
                bundle.insert("ca".into(), String::from_utf8(changed).unwrap().into());
                let report = audit(&serde_json::to_vec(&bundle).unwrap(), &common::policy());
                assert!(
                    !report.findings().is_empty(),
                    "the CA changed at character {at} gave no finding"
                );
                checked += 1;
            }
        }
        offset += line.len() + 1;
    }
    assert!(checked > 1000, "{checked}");
}
