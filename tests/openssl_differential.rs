//! The key layer's prediction for OpenSSL agrees with OpenSSL's own verdict on every key
//! fixture: `openssl pkey -check` (the key is consistent) plus a comparison of `openssl pkey
//! -pubout` with the certificate's `openssl x509 -pubkey` (the key is the certificate's).
//! certkey predicts that OpenSSL refuses a key when a finding about it names OpenSSL among the
//! stacks that refuse it (a key only rustls refuses, such as a P-521 one, is OpenSSL's to
//! load), or finds it inconsistent (`-check` tests every relation). Where they deliberately differ, the difference is listed below with its reason, and
//! asserted, so the list cannot go stale.

mod common;

use std::path::Path;
use std::process::Command;

use certkey::{audit, CheckId, Member, Severity, Stack};

/// Fixtures where certkey's prediction for OpenSSL and the OpenSSL command line deliberately
/// disagree: (name, certkey says OpenSSL loads it, the command line does, why).
const DOCUMENTED_DIFFERENCES: &[(&str, bool, bool, &str)] = &[
    (
        "rsa-pkcs1-under-pkcs8-label",
        false,
        true,
        "pem.wrong_label: the command line's decoders read a key by its content; OpenSSL's TLS loader (PEM_read_bio_PrivateKey, under SSL_CTX_use_PrivateKey_file and Python's load_cert_chain) reads a PRIVATE KEY block as PKCS#8 only, and tests/stacks.rs measures that loader",
    ),
    (
        "ec-pkcs8-under-rsa-label",
        false,
        true,
        "pem.wrong_label: as above, the command line reads the EC key by its content; OpenSSL's TLS loader reads an RSA PRIVATE KEY block as an RSA key only (PKCS#1, or PKCS#8 of rsaEncryption)",
    ),
];

/// The keys certkey reports as `key.nonstandard`, which OpenSSL loads: ring refuses each.
#[test]
fn ring_refuses_the_nonstandard_keys_openssl_accepts() {
    let keys = common::testdata().join("keys");
    for name in ["rsa-unbalanced-primes", "rsa-e3", "rsa-small-d"] {
        let pem = std::fs::read_to_string(keys.join(format!("{name}.key.pem"))).unwrap();
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        assert!(
            ring::signature::RsaKeyPair::from_der(&base64_decode(&body)).is_err(),
            "{name}: ring loads it"
        );
    }
    // And one FIPS-shaped key of the same size, so that the refusal above is the shape's.
    let pem = std::fs::read_to_string(keys.join("rsa2048-pkcs1.key.pem")).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    assert!(ring::signature::RsaKeyPair::from_der(&base64_decode(&body)).is_ok());
}

/// Keys of algorithms certkey reports as `key.unsupported`: OpenSSL checks them, certkey does not.
const UNSUPPORTED: &[&str] = &["ed448-pkcs8", "secp256k1-sec1", "x25519-pkcs8"];

fn openssl(args: &[&str]) -> (bool, Vec<u8>) {
    let output = Command::new("openssl")
        .args(args)
        .output()
        .expect("the openssl command line tool is needed for this test");
    (output.status.success(), output.stdout)
}

/// OpenSSL's verdict: the key loads and passes `-check`, and its public key is the certificate's.
fn openssl_verdict(key: &Path, cert: &Path) -> bool {
    let key = key.to_str().unwrap();
    let (valid, stdout) = openssl(&["pkey", "-in", key, "-check", "-noout"]);
    if !valid || !String::from_utf8_lossy(&stdout).contains("Key is valid") {
        return false;
    }
    let (read_key, key_public) = openssl(&["pkey", "-in", key, "-pubout"]);
    let (read_cert, cert_public) =
        openssl(&["x509", "-in", cert.to_str().unwrap(), "-pubkey", "-noout"]);
    read_key && read_cert && key_public == cert_public
}

/// certkey's prediction for OpenSSL on the same key and certificate, audited as the source
/// identity, in deep mode (OpenSSL's `-check` tests primality too): whether no finding about
/// the key names OpenSSL among the stacks that refuse it; and the key's errors.
fn certkey_verdict(name: &str) -> (bool, Vec<CheckId>) {
    let report = audit(
        &common::bundle(&format!("key-{name}.json")),
        &common::policy().with_deep(true),
    );
    let about_key = || {
        report
            .findings()
            .iter()
            .filter(|f| f.member() == Some(Member::PrivateKey))
    };
    let key_errors: Vec<CheckId> = about_key()
        .filter(|f| f.severity() == Severity::Error)
        .map(|f| f.id())
        .collect();
    // `-check` tests every relation between the components, as key.inconsistent does, even
    // those OpenSSL's TLS loader tolerates (it verifies each CRT signature and recomputes it).
    let openssl_loads = about_key()
        .all(|f| !f.refused_by().contains(Stack::OpenSsl30) && f.id() != CheckId::KeyInconsistent);
    (openssl_loads, key_errors)
}

#[test]
fn certkey_and_openssl_agree_on_every_key_fixture() {
    let keys = common::testdata().join("keys");
    let mut names: Vec<String> = std::fs::read_dir(&keys)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".key.pem").map(str::to_owned)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 30, "only {} key fixtures", names.len());

    let mut compared = 0;
    for name in &names {
        let (ours, errors) = certkey_verdict(name);
        if UNSUPPORTED.contains(&name.as_str()) {
            assert_eq!(errors, [CheckId::KeyUnsupported], "{name}");
            continue;
        }
        let theirs = openssl_verdict(
            &keys.join(format!("{name}.key.pem")),
            &keys.join(format!("{name}.crt.pem")),
        );
        match DOCUMENTED_DIFFERENCES.iter().find(|d| d.0 == name) {
            Some((_, expected_ours, expected_theirs, why)) => {
                assert_eq!(
                    (ours, theirs),
                    (*expected_ours, *expected_theirs),
                    "{name}: the documented difference no longer holds ({why})"
                );
            }
            None => {
                assert_eq!(
                    ours, theirs,
                    "{name}: certkey says {ours} ({errors:?}), OpenSSL says {theirs}"
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 25, "only {compared} fixtures compared");
}

/// Primality is deep mode's: without it, a key whose every relation holds but whose p is
/// composite is accepted, as every tool that skips primality accepts it.
#[test]
fn a_composite_factor_is_found_by_deep_mode_only() {
    let input = common::bundle("key-rsa-composite-p.json");
    assert!(audit(&input, &common::policy()).is_ok());
    let deep = audit(&input, &common::policy().with_deep(true));
    let finding = deep
        .findings()
        .iter()
        .find(|f| f.id() == CheckId::KeyInconsistent)
        .expect("deep mode finds the composite factor");
    assert!(
        finding.message().contains("p is not prime"),
        "{}",
        finding.message()
    );
}

/// An independent reading of the hand-built PKCS#8 v2 fixture: ring (which writes this
/// format) loads it, and its public key is the certificate's.
#[test]
fn ring_reads_the_hand_built_pkcs8_v2_fixture() {
    use ring::signature::{Ed25519KeyPair, KeyPair};
    let keys = common::testdata().join("keys");
    let pem = std::fs::read_to_string(keys.join("ed25519-pkcs8-v2.key.pem")).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64_decode(&body);
    let pair = Ed25519KeyPair::from_pkcs8(&der).expect("ring reads RFC 8410 v2 keys");
    let (_, cert_public) = openssl(&[
        "x509",
        "-in",
        keys.join("ed25519-pkcs8-v2.crt.pem").to_str().unwrap(),
        "-pubkey",
        "-noout",
    ]);
    let cert_public: String = String::from_utf8(cert_public)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let spki = base64_decode(&cert_public);
    assert!(spki.ends_with(pair.public_key().as_ref()));
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64ct::{Base64, Encoding};
    Base64::decode_vec(text).expect("base64")
}
