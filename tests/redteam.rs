//! The security review's reproducers (`testdata/regressions/redteam/`), replayed: each gets
//! the verdict its class calls for. That no key material from them reaches any output is
//! proven by `tests/leaks.rs`, and by the binary's tests for what only the binary does.

mod common;

use certkey::{audit, CheckId, Member, Policy, Report, Severity};

fn reproducer(name: &str) -> Vec<u8> {
    std::fs::read(common::testdata().join("regressions/redteam").join(name)).unwrap()
}

fn errors(report: &Report) -> Vec<(CheckId, Option<Member>)> {
    let mut errors: Vec<_> = report
        .findings_of(Severity::Error)
        .map(|f| (f.id(), f.member()))
        .collect();
    errors.sort();
    errors
}

/// What each false "ok" now gets: its class's finding, on the member it is about.
#[test]
fn every_false_ok_is_refused_for_its_cause() {
    use CheckId::*;
    use Member::*;
    type Errors = &'static [(CheckId, Option<Member>)];
    let cases: &[(&str, Errors)] = &[
        // A negative modulus: no stack reads the key; nothing to match the private key with.
        (
            "leaf-rsa-modulus-neg.json",
            &[(CertMalformed, Some(TargetMgmtCert))],
        ),
        (
            "leaf-spki-rsa-params-absent.json",
            &[(CertMalformed, Some(TargetMgmtCert))],
        ),
        (
            "ca-spki-rsa-params-absent.json",
            &[
                (CertMalformed, Some(Ca)),
                (ChainUntrusted, Some(Cert)),
                (ChainUntrusted, Some(TargetMgmtCert)),
                (ChainUntrusted, Some(TargetDataCert)),
            ],
        ),
        // A CA webpki cannot use is an error, and the leaves are still verified in full.
        ("ca-duplicate-keyusage.json", &[(CertMalformed, Some(Ca))]),
        (
            "ca-duplicate-keyusage-leaf-is-a-ca.json",
            // The reproducer's leaf that is a CA also names no issuer key.
            &[
                (CertMalformed, Some(Ca)),
                (ChainUntrusted, Some(Cert)),
                (CertKeyIdentifier, Some(Cert)),
            ],
        ),
        // The reproducer's oversized CA also names no key of its own.
        (
            "ca-over-64k.json",
            &[(CertMalformed, Some(Ca)), (CaKeyIdentifier, Some(Ca))],
        ),
        (
            "ca-over-64k-leaf-is-a-ca.json",
            // The reproducer's CA names no key of its own, its leaf that is a CA no issuer key.
            &[
                (CertMalformed, Some(Ca)),
                (CaKeyIdentifier, Some(Ca)),
                (ChainUntrusted, Some(Cert)),
                (CertKeyIdentifier, Some(Cert)),
            ],
        ),
        (
            "leaf-pss-declared-mgf1-sha384.json",
            &[
                (ChainUntrusted, Some(Cert)),
                (ChainUntrusted, Some(TargetMgmtCert)),
                (ChainUntrusted, Some(TargetDataCert)),
            ],
        ),
        (
            "leaf-pss-sha256-params-absent.json",
            &[
                (ChainUntrusted, Some(Cert)),
                (ChainUntrusted, Some(TargetMgmtCert)),
                (ChainUntrusted, Some(TargetDataCert)),
            ],
        ),
        (
            "rsa-2048-unbalanced-primes.json",
            // The reproducer's target certificate also names no issuer key.
            &[
                (KeyNonstandard, Some(TargetMgmtPrivateKey)),
                (CertKeyIdentifier, Some(TargetMgmtCert)),
            ],
        ),
    ];
    for (name, expected) in cases {
        let report = audit(&reproducer(name), &common::policy());
        assert!(!report.is_ok(), "{name} is ok");
        let mut expected = expected.to_vec();
        expected.sort();
        assert_eq!(errors(&report), expected, "{name}");
    }
}

/// The leaf that is a CA is refused as webpki refuses it, whatever is wrong with the CA.
#[test]
fn a_leaf_that_is_a_ca_is_refused_under_a_ca_webpki_cannot_use() {
    for name in [
        "ca-duplicate-keyusage-leaf-is-a-ca.json",
        "ca-over-64k-leaf-is-a-ca.json",
    ] {
        let report = audit(&reproducer(name), &common::policy());
        let untrusted = report
            .findings()
            .iter()
            .find(|f| f.id() == CheckId::ChainUntrusted)
            .unwrap_or_else(|| panic!("{name}: no chain.untrusted"));
        assert!(
            untrusted.message().contains("CA certificate"),
            "{untrusted}"
        );
    }
}

/// Deep mode on the 15,636-bit key of two Mersenne primes: primality is not tested (the
/// primes are over 4096 bits), nothing claims it was, and the unbalanced key is refused.
#[test]
fn deep_mode_bounds_its_work_and_says_what_it_skipped() {
    let report = audit(
        &reproducer("rsa-15636-mersenne-primes.json"),
        &common::policy().with_deep(true),
    );
    assert!(!report.is_ok());
    assert!(report.keys().iter().all(|k| k.deep_check.is_none()));
    let skipped: Vec<_> = report
        .findings()
        .iter()
        .filter(|f| f.id() == CheckId::KeyDeepSkipped)
        .collect();
    assert_eq!(skipped.len(), 3);
    assert!(skipped.iter().all(|f| f.message().contains("primality")));
    assert!(report.has(CheckId::KeyNonstandard));
    // The unbalanced RSA-2048 key: primality runs, the proof of possession cannot.
    let report = audit(
        &reproducer("rsa-2048-unbalanced-primes.json"),
        &common::policy().with_deep(true),
    );
    let key = report
        .keys()
        .iter()
        .find(|k| k.member == Member::TargetMgmtPrivateKey)
        .unwrap();
    assert_eq!(key.deep_check, None);
    assert!(report
        .findings()
        .iter()
        .any(|f| f.id() == CheckId::KeyDeepSkipped && f.message().contains("proof of possession")));
}

/// Key derivation the old bounds allowed (10,000,000 PBKDF2-SHA224 iterations, scrypt
/// N = 2^20) is refused before any work, as the response's bounds are shared by its keys.
#[test]
fn hostile_key_derivation_is_refused_before_any_work() {
    let passphrase =
        std::fs::read_to_string(common::testdata().join("regressions/redteam/pass.txt")).unwrap();
    let policy = common::policy().with_passphrase(passphrase.trim_end().as_bytes());
    for name in [
        "kdf-pbkdf2-sha224-10M-aes256.json",
        "kdf-scrypt-N20-r8-p1.json",
    ] {
        let report = audit(&reproducer(name), &policy);
        let unsupported = report
            .findings()
            .iter()
            .filter(|f| f.id() == CheckId::KeyEncryptionUnsupported)
            .count();
        assert_eq!(unsupported, 3, "{name}: {:?}", errors(&report));
        assert!(report
            .findings()
            .iter()
            .all(|f| f.id() != CheckId::KeyEncryptionUnsupported
                || f.message().contains("refused before any work")));
    }
}

/// Quoted text is still quoted where it holds no key: the error code, and the member name.
#[test]
fn what_is_not_key_material_is_still_quoted() {
    let report = audit(
        &reproducer("zwsp-error-msg-minimal.json"),
        &common::policy(),
    );
    assert_eq!(report.api_error().unwrap().error_code, "SMS.9004");
    assert!(report.api_error().unwrap().error_msg.contains("withheld"));
    let report = audit(&reproducer("hex-key-in-error-body.json"), &common::policy());
    let error = report.api_error().unwrap();
    assert!(
        error.error_msg.starts_with("privateExponent:"),
        "{}",
        error.error_msg
    );
    assert!(error
        .encoded_authorization_message
        .as_deref()
        .unwrap()
        .contains("withheld"));
}

/// A CA file that also holds the CA's private key: the policy's Debug shows its length only.
#[test]
fn a_policy_shows_no_text_it_holds() {
    let pem = String::from_utf8(reproducer("ca-certfirst.pem")).unwrap();
    let shown = format!(
        "{:?}",
        Policy::default()
            .with_ca_pem(pem.as_str())
            .with_passphrase(b"hidden")
    );
    assert!(
        !shown.contains("BEGIN") && !shown.contains("hidden"),
        "{shown}"
    );
    common::leak::KeyWindows::of_testdata(&common::testdata().join("regressions/redteam"))
        .assert_clean(&shown, "Policy's Debug");
}
