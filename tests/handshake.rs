//! The handshake rehearsal (feature `handshake`): real rustls handshakes on loopback between
//! the source identity and each target identity, judged by what the findings say.
#![cfg(feature = "handshake")]

mod common;

use std::time::{Duration, SystemTime};

use certkey::{audit, Finding, Member, Rehearsal, Report};
use serde_json::Value;

fn rehearse(input: &[u8], when: Rehearsal) -> Report {
    audit(input, &common::policy().with_handshake(when))
}

/// The rehearsal finding about one target, and its id.
fn about(report: &Report, target_cert: Member) -> &Finding {
    let found: Vec<&Finding> = report
        .findings()
        .iter()
        .filter(|f| f.id().as_str().starts_with("handshake.") && f.member() == Some(target_cert))
        .collect();
    assert_eq!(found.len(), 1, "{:#?}", report.findings());
    found[0]
}

const TARGETS: [Member; 2] = [Member::TargetMgmtCert, Member::TargetDataCert];

/// `good.json` with members replaced.
fn good_with(changes: &[(&str, Value)]) -> Vec<u8> {
    let mut bundle: Value = serde_json::from_slice(&common::bundle("good.json")).unwrap();
    for (member, value) in changes {
        bundle[member] = value.clone();
    }
    bundle.to_string().into_bytes()
}

#[test]
fn good_bundles_rehearse_ok_with_both_targets_over_tls_13_and_12() {
    for (name, tls12_suite) in [
        ("good.json", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
        ("good-p256.json", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
        (
            "good-ed25519.json",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        ),
    ] {
        let report = rehearse(&common::bundle(name), Rehearsal::WhenSound);
        assert!(report.is_ok(), "{name}: {:#?}", report.findings());
        for (target, server_name) in TARGETS.into_iter().zip([
            "server name target-mgmt.certkey.test",
            "server name target-data.certkey.test",
        ]) {
            let finding = about(&report, target);
            assert_eq!(finding.id().as_str(), "handshake.ok", "{name}: {finding}");
            let message = finding.message();
            assert!(
                message.contains("TLS 1.3 (TLS13_AES_256_GCM_SHA384"),
                "{message}"
            );
            assert!(
                message.contains(&format!("TLS 1.2 ({tls12_suite}")),
                "{message}"
            );
            assert!(message.contains(server_name), "{message}");
        }
    }
}

#[test]
fn a_target_named_by_ip_address_is_verified_for_that_address() {
    let report = rehearse(
        &common::bundle("target-ip-address.json"),
        Rehearsal::WhenSound,
    );
    let finding = about(&report, Member::TargetMgmtCert);
    assert_eq!(finding.id().as_str(), "handshake.ok");
    assert!(
        finding.message().contains("server name 192.0.2.10"),
        "{finding}"
    );
}

#[test]
fn a_target_without_subject_alt_name_is_verified_without_a_name_and_says_so() {
    let report = rehearse(&common::bundle("target-no-san.json"), Rehearsal::WhenSound);
    let finding = about(&report, Member::TargetMgmtCert);
    assert_eq!(finding.id().as_str(), "handshake.ok");
    assert!(
        finding.message().contains(
            "has no usable subjectAltName, so the chain was verified without a server name"
        ),
        "{finding}"
    );
    // The other target has one, and is verified with it.
    let finding = about(&report, Member::TargetDataCert);
    assert!(
        finding
            .message()
            .contains("server name target-data.certkey.test"),
        "{finding}"
    );
}

#[test]
fn a_source_leaf_from_another_ca_is_refused_by_the_target_with_the_reason() {
    let report = rehearse(
        &common::bundle("chain-other-issuer.json"),
        Rehearsal::Always,
    );
    for target in TARGETS {
        let finding = about(&report, target);
        assert_eq!(finding.id().as_str(), "handshake.failed");
        assert!(
            finding
                .message()
                .contains("the target (TLS server) refused cert: it was not issued by the ca (unknown issuer)"),
            "{finding}"
        );
    }
    // Signed by a look-alike CA with the same name: the signature is what fails.
    let report = rehearse(
        &common::bundle("chain-lookalike-ca.json"),
        Rehearsal::Always,
    );
    let finding = about(&report, Member::TargetMgmtCert);
    assert!(
        finding
            .message()
            .contains("its signature does not verify with the ca's public key"),
        "{finding}"
    );
}

#[test]
fn a_target_leaf_from_another_ca_is_refused_by_the_source() {
    // The ca member holds a leaf instead of the CA: neither target chains to it.
    let report = rehearse(
        &common::bundle("chain-ca-member-holds-a-leaf.json"),
        Rehearsal::Always,
    );
    for (target, name) in TARGETS
        .into_iter()
        .zip(["target_mgmt_cert", "target_data_cert"])
    {
        let finding = about(&report, target);
        assert_eq!(finding.id().as_str(), "handshake.failed");
        let expected =
            format!("the source (TLS client) refused {name}: it was not issued by the ca");
        assert!(finding.message().contains(&expected), "{finding}");
    }
}

#[test]
fn a_source_key_that_is_not_its_certificates_fails_at_the_handshake_signature() {
    for name in [
        "key-rsa-mismatch.json",
        "key-ec-p256-mismatch.json",
        "key-ed25519-mismatch.json",
    ] {
        let report = rehearse(&common::bundle(name), Rehearsal::Always);
        let finding = about(&report, Member::TargetMgmtCert);
        assert_eq!(finding.id().as_str(), "handshake.failed", "{name}");
        assert!(
            finding.message().contains(
                "the target (TLS server) refused the handshake signature made with private_key: it does not verify with cert's public key"
            ),
            "{name}: {finding}"
        );
    }
}

#[test]
fn a_target_key_that_is_not_its_certificates_fails_at_the_handshake_signature() {
    let good: Value = serde_json::from_slice(&common::bundle("good.json")).unwrap();
    let input = good_with(&[(
        "target_mgmt_private_key",
        good["target_data_private_key"].clone(),
    )]);
    let report = rehearse(&input, Rehearsal::Always);
    let finding = about(&report, Member::TargetMgmtCert);
    assert_eq!(finding.id().as_str(), "handshake.failed");
    assert!(
        finding.message().contains(
            "the source (TLS client) refused the handshake signature made with target_mgmt_private_key: it does not verify with target_mgmt_cert's public key"
        ),
        "{finding}"
    );
    // The other target is unaffected.
    assert_eq!(
        about(&report, Member::TargetDataCert).id().as_str(),
        "handshake.ok"
    );
}

#[test]
fn an_expired_target_fails_at_the_audit_time_and_is_skipped_unless_asked() {
    let input = common::bundle("target-expired.json");
    let report = rehearse(&input, Rehearsal::Always);
    let finding = about(&report, Member::TargetMgmtCert);
    assert_eq!(finding.id().as_str(), "handshake.failed");
    assert!(
        finding.message().contains(
            "the source (TLS client) refused target_mgmt_cert: the certificate expired at 2026-05-01T00:00:00Z, 31d 0h before the audit time"
        ),
        "{finding}"
    );
    assert_eq!(
        about(&report, Member::TargetDataCert).id().as_str(),
        "handshake.ok"
    );

    let report = rehearse(&input, Rehearsal::WhenSound);
    let finding = about(&report, Member::TargetMgmtCert);
    assert_eq!(finding.id().as_str(), "handshake.skipped");
    assert!(
        finding
            .message()
            .contains("static checks already found errors that make it fail (cert.expired)"),
        "{finding}"
    );
}

#[test]
fn the_rehearsal_runs_on_the_audit_clock() {
    // The good bundle's leaves expire on 2045-01-01: audited after that, rustls refuses them.
    let after = SystemTime::UNIX_EPOCH + Duration::from_secs(2_366_841_600 + 86_400); // 2045-01-02
    let policy = certkey::Policy::default()
        .with_at(after)
        .with_handshake(Rehearsal::Always);
    let report = audit(&common::bundle("good.json"), &policy);
    let finding = about(&report, Member::TargetMgmtCert);
    assert_eq!(finding.id().as_str(), "handshake.failed");
    assert!(
        finding
            .message()
            .contains("expired at 2045-01-01T00:00:00Z"),
        "{finding}"
    );
}

#[test]
fn a_source_without_client_auth_is_refused_by_the_target_as_the_audit_predicts() {
    // chain.usage is an error, so the rehearsal runs only when asked to; rustls then refuses
    // the source for the reason the audit gives.
    let report = rehearse(
        &common::bundle("usage-source-server-only.json"),
        Rehearsal::WhenSound,
    );
    assert!(report.has(certkey::CheckId::ChainUsage) && !report.is_ok());
    assert_eq!(
        about(&report, Member::TargetMgmtCert).id().as_str(),
        "handshake.skipped"
    );
    let report = rehearse(
        &common::bundle("usage-source-server-only.json"),
        Rehearsal::Always,
    );
    for target in TARGETS {
        let finding = about(&report, target);
        assert_eq!(finding.id().as_str(), "handshake.failed");
        assert!(
            finding.message().contains("the target (TLS server) refused cert: its extendedKeyUsage lacks clientAuth (it has serverAuth)"),
            "{finding}"
        );
    }
    // A source certificate without the extension may be used for anything.
    let report = rehearse(
        &common::bundle("usage-source-without-eku.json"),
        Rehearsal::WhenSound,
    );
    assert_eq!(
        about(&report, Member::TargetMgmtCert).id().as_str(),
        "handshake.ok"
    );
}

#[test]
fn an_ec_key_without_its_public_point_rehearses_only_when_asked_and_says_it_was_repaired() {
    for fixture in [
        "key-ec-p256-sec1-no-public-key.json",
        "key-ec-p384-sec1-no-public-key.json",
    ] {
        // ring (rustls) does not load such a key: a static error, so no rehearsal by default.
        let report = rehearse(&common::bundle(fixture), Rehearsal::WhenSound);
        let finding = about(&report, Member::TargetMgmtCert);
        assert_eq!(finding.id().as_str(), "handshake.skipped", "{fixture}");
        assert!(finding.message().contains("(key.nonstandard)"), "{finding}");
        // Asked anyway, the rehearsal completes with the key as certkey normalized it, and
        // says so: an agent on rustls would not get this far.
        let report = rehearse(&common::bundle(fixture), Rehearsal::Always);
        let finding = about(&report, Member::TargetMgmtCert);
        assert_eq!(finding.id().as_str(), "handshake.ok", "{fixture}");
        assert!(
            finding.message().contains(
                "the rehearsal loaded the members as certkey repaired them (key.nonstandard)"
            ),
            "{finding}"
        );
    }
    // Without anything repaired, a success says nothing of the kind.
    let report = rehearse(&common::bundle("good.json"), Rehearsal::Always);
    let finding = about(&report, Member::TargetMgmtCert);
    assert_eq!(finding.id().as_str(), "handshake.ok");
    assert!(!finding.message().contains("repaired"), "{finding}");
}

#[test]
fn what_cannot_be_rehearsed_is_skipped_with_the_reason() {
    let cases = [
        ("no-ca.json", "ca missing or unreadable"),
        ("key-ec-p521-pkcs8.json", "private_key is an EC P-521 key, and the TLS provider (rustls with ring) signs only with"),
        ("key-rsa8192-pkcs1.json", "private_key is an RSA 8192 key"),
        ("truncated-key.json", "the target's certificate or key missing or unreadable"),
    ];
    for (name, reason) in cases {
        let report = rehearse(&common::bundle(name), Rehearsal::Always);
        let finding = about(&report, Member::TargetMgmtCert);
        assert_eq!(finding.id().as_str(), "handshake.skipped", "{name}");
        assert!(finding.message().contains(reason), "{name}: {finding}");
    }
}

#[test]
fn an_inconsistent_key_is_refused_by_the_tls_stack() {
    let report = rehearse(&common::bundle("key-rsa-wrong-p.json"), Rehearsal::Always);
    let finding = about(&report, Member::TargetMgmtCert);
    assert_eq!(finding.id().as_str(), "handshake.failed");
    assert!(
        finding.message().contains(
            "cannot start: rustls (ring) refuses to load private_key as an RSA 2048 signing key"
        ),
        "{finding}"
    );
}

#[test]
fn off_by_default() {
    let report = audit(&common::bundle("good.json"), &common::policy());
    assert!(report.findings().is_empty(), "{:#?}", report.findings());
}

#[test]
fn a_key_ring_cannot_load_is_named_with_its_own_algorithm() {
    // The source's key is EC P-256 (its scalar is zero), the targets' are RSA: the refusal
    // names the source key's algorithm, not another role's.
    let report = rehearse(
        &common::bundle("key-ec-p256-scalar-zero.json"),
        Rehearsal::Always,
    );
    for target in TARGETS {
        let finding = about(&report, target);
        assert_eq!(finding.id().as_str(), "handshake.failed");
        assert!(
            finding.message().contains(
                "rustls (ring) refuses to load private_key as an EC P-256 signing key: ring refuses an EC scalar"
            ),
            "{finding}"
        );
    }
}
