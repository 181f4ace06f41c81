//! The chain verdict agrees with `openssl verify` on every fixture whose CA and leaves parse
//! (including those strict readers refuse in part, `cert.malformed`):
//! a leaf is `chain.untrusted` exactly when OpenSSL refuses it. Validity is left out on both
//! sides (`-no_check_time`; certkey reports it as `cert.expired` and `cert.not_yet_valid`),
//! and the CA is a trust anchor whatever it is (`-partial_chain`), as certkey uses it.
//! Deliberate differences are listed and asserted.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use certkey::{audit, CheckId, Member};

/// (fixture, leaf member, certkey refuses it, OpenSSL refuses it, why).
const DOCUMENTED_DIFFERENCES: &[(&str, &str, bool, bool, &str)] = &[
    (
        "chain-leaf-is-a-ca.json",
        "cert",
        true,
        false,
        "a CA certificate in a leaf's place: OpenSSL verify has no purpose to refuse it for; webpki (and so rustls) refuses it",
    ),
    (
        "ca-without-key-cert-sign.json",
        "cert",
        false,
        true,
        "OpenSSL refuses every leaf of a CA whose keyUsage lacks keyCertSign; certkey reports that once, as ca.no_cert_sign",
    ),
    (
        "ca-without-key-cert-sign.json",
        "target_mgmt_cert",
        false,
        true,
        "as above",
    ),
    (
        "ca-without-key-cert-sign.json",
        "target_data_cert",
        false,
        true,
        "as above",
    ),
    (
        "ca-duplicate-extension.json",
        "cert",
        false,
        true,
        "OpenSSL refuses every leaf of a CA that repeats an extension; certkey reports that once, as cert.malformed on the CA, and still verifies the leaves",
    ),
    (
        "ca-duplicate-extension.json",
        "target_mgmt_cert",
        false,
        true,
        "as above",
    ),
    (
        "ca-duplicate-extension.json",
        "target_data_cert",
        false,
        true,
        "as above",
    ),
    (
        "ca-duplicate-extension-leaf-is-a-ca.json",
        "target_mgmt_cert",
        false,
        true,
        "as for ca-duplicate-extension.json",
    ),
    (
        "ca-duplicate-extension-leaf-is-a-ca.json",
        "target_data_cert",
        false,
        true,
        "as for ca-duplicate-extension.json",
    ),
    (
        "ca-over-64k-leaf-is-a-ca.json",
        "cert",
        true,
        false,
        "a CA certificate in a leaf's place, as chain-leaf-is-a-ca.json (the CA over 64 KiB is cert.malformed)",
    ),
    (
        "ca-spki-rsa-params-absent.json",
        "cert",
        true,
        false,
        "OpenSSL reads an rsaEncryption key without NULL parameters; rustls-webpki (and Go) do not, so no leaf verifies to that CA in rustls",
    ),
    (
        "ca-spki-rsa-params-absent.json",
        "target_mgmt_cert",
        true,
        false,
        "as above",
    ),
    (
        "ca-spki-rsa-params-absent.json",
        "target_data_cert",
        true,
        false,
        "as above",
    ),
    (
        "ca-critical-subject-key-identifier.json",
        "cert",
        false,
        true,
        "OpenSSL refuses every leaf of a CA with a critical subjectKeyIdentifier; certkey reports that once, as cert.critical_extension on ca (tests/stacks.rs compares it with each stack)",
    ),
    (
        "ca-critical-subject-key-identifier.json",
        "target_mgmt_cert",
        false,
        true,
        "as above",
    ),
    (
        "ca-critical-subject-key-identifier.json",
        "target_data_cert",
        false,
        true,
        "as above",
    ),
    (
        "ca-unknown-critical-extension.json",
        "cert",
        false,
        true,
        "OpenSSL refuses every leaf of a CA with an unknown critical extension; certkey reports that once, as cert.critical_extension on ca",
    ),
    (
        "ca-unknown-critical-extension.json",
        "target_mgmt_cert",
        false,
        true,
        "as above",
    ),
    (
        "ca-unknown-critical-extension.json",
        "target_data_cert",
        false,
        true,
        "as above",
    ),
    (
        "cert-signature-algorithm-mismatch.json",
        "cert",
        false,
        true,
        "the signature algorithm inside tbsCertificate differs from the outer one: certkey reports it as cert.malformed, which every stack refuses, not as chain.untrusted",
    ),
    (
        "cert-ec-explicit-parameters.json",
        "cert",
        false,
        true,
        "the leaf's key has explicit EC parameters: certkey reports it as cert.malformed (which OpenSSL refuses, as tests/stacks.rs shows), not as chain.untrusted",
    ),
    (
        "ca-duplicate-subject-key-identifier.json",
        "cert",
        false,
        true,
        "as for ca-duplicate-extension.json (an extension webpki does not read, so the finding is certkey's own)",
    ),
    (
        "ca-duplicate-subject-key-identifier.json",
        "target_mgmt_cert",
        false,
        true,
        "as above",
    ),
    (
        "ca-duplicate-subject-key-identifier.json",
        "target_data_cert",
        false,
        true,
        "as above",
    ),
    (
        "chain-issuer-name-canonically-equal.json",
        "cert",
        true,
        false,
        "the leaf's issuer is the CA's subject only in OpenSSL's canonical form: OpenSSL chains it, Go, rustls and pyca do not, and chain.untrusted names those three",
    ),
    (
        "chain-issuer-name-canonically-equal.json",
        "target_mgmt_cert",
        true,
        false,
        "as above",
    ),
    (
        "chain-issuer-name-canonically-equal.json",
        "target_data_cert",
        true,
        false,
        "as above",
    ),
    (
        "names-ca-permits-dns-leading-period.json",
        "cert",
        true,
        false,
        "a DNS name constraint with a leading period: OpenSSL reads it as \"below this domain\"; pyca refuses it as malformed, and chain.untrusted names pyca only",
    ),
    (
        "names-ca-permits-dns-leading-period.json",
        "target_mgmt_cert",
        true,
        false,
        "as above",
    ),
    (
        "names-ca-permits-dns-leading-period.json",
        "target_data_cert",
        true,
        false,
        "as above",
    ),
];

const LEAVES: [Member; 3] = [Member::Cert, Member::TargetMgmtCert, Member::TargetDataCert];

#[test]
fn certkey_and_openssl_verify_agree_on_every_chain() {
    let scratch = std::env::temp_dir().join(format!("certkey-chain-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let mut compared = 0;
    let mut fixtures_seen = BTreeSet::new();
    for name in common::bundle_names() {
        let input = common::bundle(&name);
        let report = audit(&input, &common::policy());
        let Ok(serde_json::Value::Object(members)) = serde_json::from_slice(&input) else {
            continue;
        };
        // Only where the CA and the leaf are certificates x509-parser reads (a certificate
        // TLS stacks refuse to read in part, cert.malformed, is still compared).
        let parsed: BTreeSet<Member> = report.certificates().iter().map(|c| c.member).collect();
        let unusable: BTreeSet<Member> = report
            .findings()
            .iter()
            .filter(|f| {
                matches!(
                    f.id().as_str().split('.').next(),
                    Some("pem" | "field" | "response")
                )
            })
            .filter_map(|f| f.member())
            .chain(
                LEAVES
                    .into_iter()
                    .chain([Member::Ca])
                    .filter(|m| !parsed.contains(m)),
            )
            .collect();
        let Some(ca) = members.get("ca").and_then(|v| v.as_str()) else {
            continue;
        };
        if unusable.contains(&Member::Ca) {
            continue;
        }
        let ca_path = scratch.join("ca.pem");
        std::fs::write(&ca_path, normalize(ca)).unwrap();
        for leaf in LEAVES {
            let Some(text) = members.get(leaf.name()).and_then(|v| v.as_str()) else {
                continue;
            };
            if unusable.contains(&leaf) {
                continue;
            }
            let leaf_path = scratch.join("leaf.pem");
            std::fs::write(&leaf_path, normalize(text)).unwrap();
            let openssl_refuses = !Command::new("openssl")
                .args(["verify", "-no_check_time", "-partial_chain", "-CAfile"])
                .arg(&ca_path)
                .arg(&leaf_path)
                .output()
                .expect("the openssl command line tool is needed for this test")
                .status
                .success();
            let certkey_refuses = report
                .findings()
                .iter()
                .any(|f| f.id() == CheckId::ChainUntrusted && f.member() == Some(leaf));
            let documented = DOCUMENTED_DIFFERENCES
                .iter()
                .find(|d| d.0 == name && d.1 == leaf.name());
            match documented {
                Some((_, _, ours, theirs, why)) => assert_eq!(
                    (certkey_refuses, openssl_refuses),
                    (*ours, *theirs),
                    "{name} {leaf}: the documented difference no longer holds ({why})"
                ),
                None => {
                    assert_eq!(
                        certkey_refuses, openssl_refuses,
                        "{name} {leaf}: certkey refuses: {certkey_refuses}, OpenSSL refuses: {openssl_refuses}"
                    );
                    compared += 1;
                }
            }
            fixtures_seen.insert(name.clone());
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(compared >= 150, "only {compared} leaves compared");
    for must in [
        "chain-lookalike-ca.json",
        "chain-other-issuer.json",
        "cert-sha1-by-lookalike-ca.json",
        "legacy.json",
        "legacy-lookalike-ca.json",
        "ca-not-self-signed.json",
        "ca-duplicate-extension.json",
        "ca-over-64k.json",
        "ca-spki-rsa-params-absent.json",
        "leaf-pss-sha256.json",
        "leaf-pss-mgf1-mismatch.json",
        "leaf-pss-params-absent.json",
        "leaf-rsa-modulus-negative.json",
    ] {
        assert!(fixtures_seen.contains(must), "{must} was not compared");
    }
}

/// The member's PEM as a file would hold it: LF line ends, no surrounding blank text.
fn normalize(text: &str) -> String {
    format!("{}\n", text.replace("\r\n", "\n").trim())
}
