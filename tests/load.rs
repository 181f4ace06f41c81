//! `certkey::load`: the material handed over is exactly what the response holds (decoded by
//! an independent PEM reader, or decrypted by the OpenSSL CLI), only an ok audit hands it over,
//! and, with rustls, it configures a client and a server that complete a mutual-TLS handshake.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use certkey::{load, Role};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

fn member(response: &[u8], name: &str) -> String {
    let json: serde_json::Value = serde_json::from_slice(response).unwrap();
    json[name].as_str().unwrap().to_owned()
}

#[test]
fn an_ok_bundle_hands_over_exactly_the_members_it_audited() {
    let response = common::bundle("good.json");
    let bundle = load(&response, &common::policy()).unwrap();
    assert!(bundle.report().is_ok());
    assert_eq!(
        serde_json::to_value(bundle.report()).unwrap(),
        serde_json::to_value(certkey::audit(&response, &common::policy())).unwrap(),
        "the report handed over is the audit's"
    );
    for (role, cert, key) in [
        (Role::Source, "cert", "private_key"),
        (
            Role::TargetMgmt,
            "target_mgmt_cert",
            "target_mgmt_private_key",
        ),
        (
            Role::TargetData,
            "target_data_cert",
            "target_data_private_key",
        ),
    ] {
        let credential = bundle.credential(role).unwrap();
        assert_eq!(credential.role(), role);
        let expected_cert =
            CertificateDer::from_pem_slice(member(&response, cert).as_bytes()).unwrap();
        assert_eq!(credential.cert(), &expected_cert, "{cert}");
        assert_eq!(credential.cert_chain(), [expected_cert], "{cert}");
        let expected_key =
            PrivateKeyDer::from_pem_slice(member(&response, key).as_bytes()).unwrap();
        assert!(credential.key() == &expected_key, "{key} differs");
    }
    assert!(bundle.credential(Role::Ca).is_none());
    let ca = CertificateDer::from_pem_slice(member(&response, "ca").as_bytes()).unwrap();
    assert_eq!(bundle.ca(), Some(&ca));
    let anchor = bundle.trust_anchor().unwrap();
    assert_eq!(
        anchor.subject.as_ref(),
        webpki::anchor_from_trusted_cert(&ca)
            .unwrap()
            .subject
            .as_ref()
    );
}

#[test]
fn a_bundle_that_is_not_ok_hands_over_nothing_but_its_report() {
    for name in [
        "key-in-cert-member.json",
        "api-error-403.json",
        "missing-member.json",
    ] {
        let response = common::bundle(name);
        let report = load(&response, &common::policy()).unwrap_err();
        assert!(!report.is_ok(), "{name}");
        assert_eq!(
            serde_json::to_value(&report).unwrap(),
            serde_json::to_value(certkey::audit(&response, &common::policy())).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn an_allowed_missing_member_leaves_nothing_to_hand_over() {
    let response = common::bundle("missing-member.json");
    let policy = common::policy().with_allow([certkey::CheckId::FieldMissing]);
    let report = load(&response, &policy).unwrap_err();
    assert!(report.is_ok(), "the policy allowed the finding");
    assert!(report.has(certkey::CheckId::FieldMissing));
}

#[test]
fn a_response_without_ca_hands_over_the_supplied_one_or_none() {
    let good = common::bundle("good.json");
    let mut json: serde_json::Value = serde_json::from_slice(&good).unwrap();
    let ca_pem = json.as_object_mut().unwrap().remove("ca").unwrap();
    let without_ca = serde_json::to_vec(&json).unwrap();

    let bundle = load(&without_ca, &common::policy()).unwrap();
    assert!(bundle.report().has(certkey::CheckId::CaAbsent));
    assert!(bundle.ca().is_none() && bundle.trust_anchor().is_none());

    let ca_pem = ca_pem.as_str().unwrap();
    let bundle = load(&without_ca, &common::policy().with_ca_pem(ca_pem)).unwrap();
    assert_eq!(
        bundle.report().ca_source(),
        Some(certkey::CaSource::Supplied)
    );
    assert_eq!(
        bundle.ca(),
        Some(&CertificateDer::from_pem_slice(ca_pem.as_bytes()).unwrap())
    );
}

/// The OpenSSL CLI's decryption of a PEM key, as PKCS#8 DER.
fn openssl_decrypt(pem: &str, passphrase: &str) -> Vec<u8> {
    let mut child = Command::new("openssl")
        .args(["pkcs8", "-topk8", "-nocrypt", "-outform", "DER", "-passin"])
        .arg(format!("pass:{passphrase}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the openssl CLI");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(pem.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    output.stdout
}

#[test]
fn an_encrypted_key_is_handed_over_decrypted() {
    let response = common::bundle("encrypted-pkey-aes256.json");
    let policy = common::policy().with_passphrase(b"fixture-passphrase");
    let bundle = load(&response, &policy).unwrap();
    let key = bundle.source().key();
    assert!(matches!(key, PrivateKeyDer::Pkcs8(_)));
    // Compared without showing either (a failing assertion would print the key).
    assert!(
        key.secret_der()
            == openssl_decrypt(&member(&response, "private_key"), "fixture-passphrase"),
        "the key handed over is not the one OpenSSL decrypts"
    );
    // Without the passphrase, nothing.
    assert!(load(&response, &common::policy()).is_err());
}

#[test]
fn debug_shows_no_key_material() {
    let response = common::bundle("good.json");
    let bundle = load(&response, &common::policy()).unwrap();
    let shown = format!("{bundle:?}");
    assert!(shown.contains("Credential") && shown.contains("bytes"));
    let lines = common::private_key_lines();
    assert!(!lines.is_empty());
    for line in lines {
        assert!(!shown.contains(&line), "Debug shows key text");
    }
    for role in Role::WITH_KEYS {
        let der = bundle.credential(role).unwrap().key().secret_der();
        let hex: String = der[..16].iter().map(|b| format!("{b:02x}")).collect();
        assert!(!shown.to_ascii_lowercase().contains(&hex));
        assert!(!shown.contains(&format!("{:?}", &der[..8])));
    }
}

/// rustls, configured from the hand-over alone, completes the migration's mutual-TLS
/// handshake between the source (client) and each target (server), in memory.
#[cfg(feature = "handshake")]
mod with_rustls {
    use std::sync::Arc;

    use super::*;

    fn handshake(bundle: &certkey::VerifiedBundle, target: Role) -> Result<(), rustls::Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(bundle.trust_anchor());
        let roots = Arc::new(roots);

        let source = bundle.source();
        let client = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots.clone())
            .with_client_auth_cert(source.cert_chain(), source.key().clone_key())?;
        let server_identity = bundle.credential(target).unwrap();
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(roots, provider.clone())
                .build()
                .map_err(|e| rustls::Error::General(e.to_string()))?;
        let server = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_client_cert_verifier(verifier)
            .with_single_cert(
                server_identity.cert_chain(),
                server_identity.key().clone_key(),
            )?;

        // The name the source dials: the target certificate's first DNS name or IP address.
        let name = x509_name(server_identity.cert());
        let mut client = rustls::ClientConnection::new(Arc::new(client), name)?;
        let mut server = rustls::ServerConnection::new(Arc::new(server))?;
        for _ in 0..10 {
            let mut wire = Vec::new();
            client.write_tls(&mut wire).unwrap();
            server.read_tls(&mut wire.as_slice()).unwrap();
            server.process_new_packets()?;
            let mut wire = Vec::new();
            server.write_tls(&mut wire).unwrap();
            client.read_tls(&mut wire.as_slice()).unwrap();
            client.process_new_packets()?;
            if !client.is_handshaking() && !server.is_handshaking() {
                assert!(server
                    .peer_certificates()
                    .is_some_and(|chain| chain[0] == *source.cert()));
                return Ok(());
            }
        }
        panic!("the handshake did not finish");
    }

    fn x509_name(cert: &CertificateDer<'_>) -> rustls_pki_types::ServerName<'static> {
        use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};
        let (_, parsed) = X509Certificate::from_der(cert).unwrap();
        let san = parsed.subject_alternative_name().unwrap().unwrap();
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(dns) => {
                    return rustls_pki_types::ServerName::try_from(dns.to_string()).unwrap()
                }
                GeneralName::IPAddress(ip) if ip.len() == 4 => {
                    let ip: [u8; 4] = (*ip).try_into().unwrap();
                    return rustls_pki_types::ServerName::IpAddress(
                        std::net::IpAddr::from(ip).into(),
                    );
                }
                _ => {}
            }
        }
        panic!("the target certificate names no host")
    }

    #[test]
    fn the_handed_over_material_completes_a_mutual_tls_handshake() {
        for (name, policy) in [
            ("good.json", common::policy()),
            (
                "encrypted-pkey-aes256.json",
                common::policy().with_passphrase(b"fixture-passphrase"),
            ),
        ] {
            let bundle = load(&common::bundle(name), &policy).unwrap();
            for target in [Role::TargetMgmt, Role::TargetData] {
                handshake(&bundle, target).unwrap_or_else(|e| panic!("{name}, {target:?}: {e}"));
            }
        }
    }

    #[test]
    fn the_handshake_fails_when_the_material_does_not_belong_together() {
        // Control: the source's certificate with the target's key is refused by rustls.
        let response = common::bundle("good.json");
        let bundle = load(&response, &common::policy()).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let result = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                bundle.source().cert_chain(),
                bundle.target_mgmt().key().clone_key(),
            );
        assert!(result.is_err());
    }
}
