//! Properties of the key layer: nothing panics on any input, and whenever a key is reported
//! as consistent and matching, an independent implementation (ring's own PKCS#1/PKCS#8
//! parsers) loads it and finds the certificate's public key in it.

mod common;

use base64ct::{Base64, Encoding};
use certkey::harness::{key_pair, KeyLabel};
use proptest::prelude::*;
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RsaKeyPair};

fn pem_der(file: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(common::testdata().join("keys").join(file)).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    Base64::decode_vec(&body).unwrap()
}

/// The certificate's subject public key bits (what ring's `public_key()` returns).
fn cert_public_key(cert_der: &[u8]) -> Vec<u8> {
    use x509_parser::prelude::FromDer;
    let (_, cert) = x509_parser::certificate::X509Certificate::from_der(cert_der).unwrap();
    cert.public_key().subject_public_key.data.to_vec()
}

/// ring's reading of a key: its public key, or `None` when ring refuses the bytes.
fn ring_public_key(name: &str, der: &[u8]) -> Option<Vec<u8>> {
    let rng = SystemRandom::new();
    match name {
        "rsa2048-pkcs1" => RsaKeyPair::from_der(der)
            .ok()
            .map(|k| k.public().as_ref().to_vec()),
        "rsa2048-pkcs8" => RsaKeyPair::from_pkcs8(der)
            .ok()
            .map(|k| k.public().as_ref().to_vec()),
        "ec-p256-pkcs8" => {
            EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_ASN1_SIGNING, der, &rng)
                .ok()
                .map(|k| k.public_key().as_ref().to_vec())
        }
        "ed25519-pkcs8-v1" => Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
            .ok()
            .map(|k| k.public_key().as_ref().to_vec()),
        other => panic!("{other}"),
    }
}

fn label_of(name: &str) -> KeyLabel {
    if name.ends_with("pkcs1") {
        KeyLabel::Pkcs1
    } else {
        KeyLabel::Pkcs8
    }
}

const NAMES: [&str; 4] = [
    "rsa2048-pkcs1",
    "rsa2048-pkcs8",
    "ec-p256-pkcs8",
    "ed25519-pkcs8-v1",
];

#[test]
fn the_unmodified_keys_match_for_both_implementations() {
    for name in NAMES {
        let key = pem_der(&format!("{name}.key.pem"));
        let cert = pem_der(&format!("{name}.crt.pem"));
        let (findings, matched) = key_pair(label_of(name), &key, Some(&cert), false);
        assert!(findings.is_empty(), "{name}: {findings:?}");
        assert_eq!(matched, Some(true), "{name}");
        assert_eq!(
            ring_public_key(name, &key),
            Some(cert_public_key(&cert)),
            "{name}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn a_key_reported_matching_is_the_certificates_key_for_ring_too(
        which in 0..NAMES.len(),
        position in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let name = NAMES[which];
        let mut key = pem_der(&format!("{name}.key.pem"));
        let cert = pem_der(&format!("{name}.crt.pem"));
        let at = position.index(key.len());
        key[at] = byte;
        let (findings, matched) = key_pair(label_of(name), &key, Some(&cert), false);
        if findings.is_empty() && matched == Some(true) {
            prop_assert_eq!(ring_public_key(name, &key), Some(cert_public_key(&cert)), "{} byte {}", name, at);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_key_layer(
        key in proptest::collection::vec(any::<u8>(), 0..600),
        label in 0..3u8,
        with_cert in any::<bool>(),
    ) {
        let cert = pem_der("rsa2048-pkcs1.crt.pem");
        let label = [KeyLabel::Pkcs1, KeyLabel::Pkcs8, KeyLabel::Sec1][usize::from(label)];
        let (_, matched) = key_pair(label, &key, with_cert.then_some(cert.as_slice()), false);
        prop_assert_ne!(matched, Some(true));
    }

    #[test]
    fn der_shaped_noise_never_panics_the_key_layer(
        body in proptest::collection::vec(any::<u8>(), 0..300),
        tag in prop::sample::select(vec![0x30u8, 0x02, 0x04, 0xa0, 0xa1]),
    ) {
        // A SEQUENCE of a version and an arbitrary TLV: reaches past the first tag check.
        let mut inner = vec![0x02, 0x01, 0x00, tag];
        inner.push(body.len().min(127) as u8);
        inner.extend_from_slice(&body[..body.len().min(127)]);
        let mut key = vec![0x30, inner.len() as u8];
        key.extend_from_slice(&inner);
        for label in [KeyLabel::Pkcs1, KeyLabel::Pkcs8, KeyLabel::Sec1] {
            let _ = key_pair(label, &key, None, false);
        }
    }
}

/// Found by the property above: a PKCS#8 RSA key whose rsaEncryption parameters are not NULL
/// (here an empty BOOLEAN) was accepted, while ring (and so rustls) refuses it.
#[test]
fn rsa_encryption_parameters_other_than_null_are_malformed() {
    let mut key = pem_der("rsa2048-pkcs8.key.pem");
    let cert = pem_der("rsa2048-pkcs8.crt.pem");
    // SEQUENCE, version, SEQUENCE { OID rsaEncryption, NULL }: the NULL's tag is at byte 20.
    assert_eq!(&key[20..22], [0x05, 0x00]);
    key[20] = 0x01;
    let (findings, matched) = key_pair(KeyLabel::Pkcs8, &key, Some(&cert), false);
    assert_eq!(matched, None);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].id(), certkey::CheckId::KeyMalformed);
    assert!(ring_public_key("rsa2048-pkcs8", &key).is_none());
}
