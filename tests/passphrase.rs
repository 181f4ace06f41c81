//! Encrypted private keys, made by the OpenSSL CLI, audited with the task's passphrase: the
//! right one gives exactly the findings of the plain key, a wrong one `key.passphrase_wrong`,
//! none `key.encrypted`; and neither the passphrase nor the key reaches any output.

mod common;

use certkey::{audit, CheckId, Member, Report};

const PASSPHRASE: &[u8] = b"fixture-passphrase";
const WRONG: &[u8] = b"wrong-passphrase";

/// Each encrypted fixture, the plain bundle its key was encrypted from, and the key's member.
const ENCRYPTED: &[(&str, &str, Member)] = &[
    (
        "encrypted-pkey-aes256.json",
        "good.json",
        Member::PrivateKey,
    ),
    (
        "encrypted-pkcs8-aes128-sha1.json",
        "good.json",
        Member::PrivateKey,
    ),
    (
        "encrypted-pkcs8-aes192.json",
        "good.json",
        Member::PrivateKey,
    ),
    (
        "encrypted-pkcs8-aes256.json",
        "good.json",
        Member::PrivateKey,
    ),
    (
        "encrypted-pkcs8-scrypt.json",
        "good.json",
        Member::PrivateKey,
    ),
    ("encrypted-pkcs8-des3.json", "good.json", Member::PrivateKey),
    (
        "encrypted-pkcs8-p256.json",
        "good-p256.json",
        Member::PrivateKey,
    ),
    (
        "encrypted-pkcs8-ed25519.json",
        "good-ed25519.json",
        Member::PrivateKey,
    ),
    (
        "encrypted-pkcs8-target.json",
        "good.json",
        Member::TargetMgmtPrivateKey,
    ),
    (
        "encrypted-pkcs8-mismatch.json",
        "key-rsa-mismatch.json",
        Member::PrivateKey,
    ),
    (
        "encrypted-legacy-aes128.json",
        "good.json",
        Member::PrivateKey,
    ),
    (
        "encrypted-legacy-aes192.json",
        "good.json",
        Member::PrivateKey,
    ),
    (
        "encrypted-legacy-aes256.json",
        "good.json",
        Member::PrivateKey,
    ),
    (
        "encrypted-legacy-des3.json",
        "good.json",
        Member::PrivateKey,
    ),
    (
        "encrypted-legacy-ec.json",
        "good-p256.json",
        Member::PrivateKey,
    ),
];

fn with(passphrase: Option<&[u8]>, name: &str) -> Report {
    let mut policy = common::policy();
    if let Some(passphrase) = passphrase {
        policy = policy.with_passphrase(passphrase);
    }
    audit(&common::bundle(name), &policy)
}

/// Findings in full: id, severity, member, message and hint.
fn described(report: &Report) -> Vec<String> {
    report
        .findings()
        .iter()
        .map(|f| {
            format!(
                "{} {} {:?} {} {:?}",
                f.severity(),
                f.id(),
                f.member(),
                f.message(),
                f.hint()
            )
        })
        .collect()
}

#[test]
fn the_right_passphrase_gives_exactly_the_findings_of_the_plain_key() {
    for &(encrypted, plain, member) in ENCRYPTED {
        let opened = with(Some(PASSPHRASE), encrypted);
        let reference = with(None, plain);
        assert_eq!(described(&opened), described(&reference), "{encrypted}");
        assert_eq!(opened.is_ok(), reference.is_ok(), "{encrypted}");
        // The key summaries agree too; only the encrypted key says how it was encrypted.
        assert_eq!(opened.keys().len(), reference.keys().len());
        for (key, plain_key) in opened.keys().iter().zip(reference.keys()) {
            assert_eq!(key.algorithm, plain_key.algorithm, "{encrypted}");
            assert_eq!(key.consistent, plain_key.consistent, "{encrypted}");
            assert_eq!(
                key.matches_certificate, plain_key.matches_certificate,
                "{encrypted}"
            );
            assert_eq!(
                key.encryption.is_some(),
                key.member == member,
                "{encrypted}"
            );
        }
    }
}

#[test]
fn a_wrong_passphrase_is_passphrase_wrong_and_nothing_else_about_the_key() {
    for &(encrypted, _, member) in ENCRYPTED {
        let report = with(Some(WRONG), encrypted);
        let about_key: Vec<CheckId> = report
            .findings()
            .iter()
            .filter(|f| f.member() == Some(member))
            .map(|f| f.id())
            .collect();
        assert_eq!(about_key, [CheckId::KeyPassphraseWrong], "{encrypted}");
        assert!(!report.is_ok());
        // The key was not opened, so no summary claims anything about it.
        assert!(
            report.keys().iter().all(|k| k.member != member),
            "{encrypted}"
        );
    }
}

#[test]
fn no_passphrase_is_key_encrypted_with_the_way_to_get_one() {
    for &(encrypted, _, member) in ENCRYPTED {
        let report = with(None, encrypted);
        let finding = report
            .findings()
            .iter()
            .find(|f| f.member() == Some(member))
            .unwrap();
        assert_eq!(finding.id(), CheckId::KeyEncrypted, "{encrypted}");
        let help = finding.help();
        assert!(
            help.contains("GET /v3/tasks/{task_id}/passphrase"),
            "{help}"
        );
        assert!(help.contains("the `passphrase` option"), "{help}");
    }
}

#[test]
fn unsupported_schemes_and_hostile_parameters_are_named_and_refused_before_any_work() {
    let cases = [
        ("encrypted-pkcs12-pbe.json", "PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC"),
        ("encrypted-pkcs8-camellia.json", "PBES2 (PBKDF2, CAMELLIA-128-CBC)"),
        ("encrypted-legacy-camellia.json", "the cipher \"CAMELLIA-128-CBC\""),
        (
            "encrypted-hostile-pbkdf2.json",
            "refused before any work: 4,000,000,000 PBKDF2 iterations exceed what is left of certkey's bound for the response (1,000,000 iterations",
        ),
        (
            "encrypted-hostile-scrypt.json",
            "refused before any work: scrypt N=16777216 r=8 p=1 needs 16,384 MiB of memory",
        ),
    ];
    for (name, named) in cases {
        let report = with(Some(PASSPHRASE), name);
        let finding = &report.findings()[0];
        assert_eq!(report.findings().len(), 1, "{name}");
        assert_eq!(finding.id(), CheckId::KeyEncryptionUnsupported, "{name}");
        assert!(finding.message().contains(named), "{name}: {finding}");
    }
}

#[test]
fn neither_passphrase_nor_key_reaches_any_output() {
    let key_lines = common::private_key_lines();
    let names: Vec<String> = common::bundle_names()
        .into_iter()
        .filter(|n| n.starts_with("encrypted"))
        .collect();
    assert!(names.len() >= ENCRYPTED.len());
    for name in &names {
        for passphrase in [None, Some(PASSPHRASE), Some(WRONG)] {
            let report = with(passphrase, name);
            let mut outputs = vec![
                serde_json::to_string(&report).unwrap(),
                format!("{report:?}"),
            ];
            outputs.extend(
                report
                    .findings()
                    .iter()
                    .map(|f| format!("{f} {:?}", f.hint())),
            );
            for output in &outputs {
                assert!(!output.contains("fixture-passphrase"), "{name}: {output}");
                assert!(!output.contains("wrong-passphrase"), "{name}: {output}");
                for line in &key_lines {
                    assert!(
                        !output.contains(line.as_str()),
                        "{name}: a key line in the output"
                    );
                }
            }
        }
    }
    let policy = common::policy().with_passphrase(PASSPHRASE);
    assert!(!format!("{policy:?}").contains("fixture-passphrase"));
}

#[test]
fn a_damaged_ciphertext_never_passes() {
    // One base64 character in the middle of the encrypted body changed, the passphrase right:
    // CBC garbles two blocks of the plaintext, which is then refused one way or another.
    let text = String::from_utf8(common::bundle("encrypted-pkcs8-aes256.json")).unwrap();
    let mut bundle: serde_json::Value = serde_json::from_str(&text).unwrap();
    let key = bundle["private_key"].as_str().unwrap().to_owned();
    for line_number in [1, 10, 18] {
        let line = key.lines().nth(line_number).unwrap();
        let mut changed = line.to_owned();
        let replacement = if changed.starts_with('A') { "B" } else { "A" };
        changed.replace_range(0..1, replacement);
        bundle["private_key"] = serde_json::Value::String(key.replacen(line, &changed, 1));
        let report = audit(
            bundle.to_string().as_bytes(),
            &common::policy().with_passphrase(PASSPHRASE),
        );
        assert!(!report.is_ok(), "line {line_number}");
        let refused = report.findings().iter().any(|f| {
            f.member() == Some(Member::PrivateKey)
                && matches!(
                    f.id(),
                    CheckId::KeyPassphraseWrong
                        | CheckId::KeyMalformed
                        | CheckId::KeyInconsistent
                        | CheckId::KeyMismatch
                        | CheckId::KeyEncryptionUnsupported
                )
        });
        assert!(refused, "line {line_number}: {:#?}", report.findings());
    }
}
