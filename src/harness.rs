//! Entry points into single stages of the audit, for fuzz targets and benchmarks.
//!
//! Each returns its findings as the checks report them, before the audit's judgement (see
//! [`Report::rejudged`](crate::Report::rejudged)): at their checks' own severities, without
//! words about the stacks the policy counts.
//!
//! Not part of the stable API: use [`audit`](crate::audit).

use crate::finding::{Finding, Findings};
use crate::member::Member;
use crate::pem::{BlockLabel, Encryption, PemBlock};
use crate::pipeline::{self, Decoded};
use crate::secret::{SecretBytes, SecretText};

/// The encodings a key block can carry, by PEM label.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum KeyLabel {
    /// `RSA PRIVATE KEY` (PKCS#1).
    Pkcs1,
    /// `PRIVATE KEY` (PKCS#8).
    Pkcs8,
    /// `EC PRIVATE KEY` (SEC1).
    Sec1,
}

/// How an encrypted key block is encrypted, for [`encrypted_key`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum EncryptedForm {
    /// `ENCRYPTED PRIVATE KEY` (PKCS#8 `EncryptedPrivateKeyInfo`).
    Pkcs8,
    /// Legacy PEM encryption of a block with this label.
    Legacy(KeyLabel),
}

/// Decrypts one encrypted key block with `passphrase` under `limits`, then runs the key layer
/// on what it decrypts to (without a certificate). Returns the findings.
pub fn encrypted_key(
    form: EncryptedForm,
    dek_info: Option<&str>,
    der: &[u8],
    passphrase: &[u8],
    limits: crate::KdfLimits,
) -> Vec<Finding> {
    let mut secret = SecretBytes::with_capacity(der.len());
    secret.extend_within_capacity(der);
    let (label, encryption) = match form {
        EncryptedForm::Pkcs8 => (BlockLabel::PrivateKey, Encryption::Pkcs8),
        EncryptedForm::Legacy(label) => (
            block_label(label),
            Encryption::Legacy {
                dek_info: dek_info.map(crate::text::UntrustedString::new),
            },
        ),
    };
    let block = PemBlock {
        label,
        der: secret,
        encryption: Some(encryption),
    };
    let mut findings = Findings::default();
    let mut budget = limits;
    let mut decoded = Decoded::default();
    let member = Member::PrivateKey;
    decoded.blocks[member] =
        pipeline::open(member, block, Some(passphrase), &mut budget, &mut findings)
            .map(|(block, _)| block);
    let parsed = pipeline::parse(&decoded, &mut findings);
    let _ = pipeline::check_keys(&parsed, &parsed.certs(), false, &mut findings);
    findings.into_vec()
}

/// [`encrypted_key`] on the `encrypted` fuzz target's input form: a selector byte (0: PKCS#8;
/// 1-3: legacy PEM encryption of an RSA, PKCS#8 or EC key), then, for the legacy forms, the
/// DEK-Info value up to a line break; then the DER. Shared by the fuzz target and the
/// replay of its regressions.
pub fn encrypted_key_input(
    data: &[u8],
    passphrase: &[u8],
    limits: crate::KdfLimits,
) -> Vec<Finding> {
    let Some((&selector, rest)) = data.split_first() else {
        return Vec::new();
    };
    match selector % 4 {
        0 => encrypted_key(EncryptedForm::Pkcs8, None, rest, passphrase, limits),
        n => {
            let label = [KeyLabel::Pkcs1, KeyLabel::Pkcs8, KeyLabel::Sec1][usize::from(n - 1)];
            let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            let dek_info = String::from_utf8_lossy(&rest[..end]);
            let der = rest.get(end + 1..).unwrap_or_default();
            encrypted_key(
                EncryptedForm::Legacy(label),
                Some(&dek_info),
                der,
                passphrase,
                limits,
            )
        }
    }
}

/// A certificate block holding `der`.
fn certificate_block(der: &[u8]) -> PemBlock {
    let mut secret = SecretBytes::with_capacity(der.len());
    secret.extend_within_capacity(der);
    PemBlock {
        label: BlockLabel::Certificate,
        der: secret,
        encryption: None,
    }
}

fn block_label(label: KeyLabel) -> BlockLabel {
    match label {
        KeyLabel::Pkcs1 => BlockLabel::RsaPrivateKey,
        KeyLabel::Pkcs8 => BlockLabel::PrivateKey,
        KeyLabel::Sec1 => BlockLabel::EcPrivateKey,
    }
}

/// Runs the PEM layer on one member's text.
pub fn pem_member(member: Member, text: &str) -> Vec<Finding> {
    let mut secret = SecretText::with_capacity(text.len());
    secret.push_str(text);
    let mut findings = Findings::default();
    let _ = crate::pem::decode_member(member, &secret, &mut findings);
    findings.into_vec()
}

/// Runs the key layer on one key's DER, against a certificate's DER when given (as the
/// source identity). Returns the findings and whether the key matched.
pub fn key_pair(
    label: KeyLabel,
    key_der: &[u8],
    cert_der: Option<&[u8]>,
    deep: bool,
) -> (Vec<Finding>, Option<bool>) {
    let mut der = SecretBytes::with_capacity(key_der.len());
    der.extend_within_capacity(key_der);
    let block = PemBlock {
        label: block_label(label),
        der,
        encryption: None,
    };
    let mut decoded = Decoded::default();
    decoded.blocks[Member::PrivateKey] = Some(block);
    decoded.blocks[Member::Cert] = cert_der.map(certificate_block);
    let mut findings = Findings::default();
    let parsed = pipeline::parse(&decoded, &mut findings);
    let checked = pipeline::check_keys(&parsed, &parsed.certs(), deep, &mut findings);
    let matched = checked
        .summaries
        .first()
        .and_then(|key| key.matches_certificate);
    (findings.into_vec(), matched)
}

/// Runs the chain stage on one leaf (as the source certificate) and a CA, both DER: the CA's
/// profile, validity and strength of both, usage, and the leaf's chain to the CA.
pub fn chain(ca_der: &[u8], leaf_der: &[u8], audit_time: std::time::SystemTime) -> Vec<Finding> {
    let mut decoded = Decoded::default();
    decoded.blocks[Member::Ca] = Some(certificate_block(ca_der));
    decoded.blocks[Member::Cert] = Some(certificate_block(leaf_der));
    let mut findings = Findings::default();
    let parsed = pipeline::parse(&decoded, &mut findings);
    let certs = parsed.certs();
    if certs.len() == 2 {
        let policy = crate::Policy::default();
        let audit_time = crate::policy::audit_moment(audit_time);
        let mut memory = crate::certs::ca::CaMemory::default();
        pipeline::check_certificates(
            &certs,
            &policy,
            audit_time,
            None,
            &mut memory,
            &mut findings,
        );
    }
    findings.into_vec()
}

/// Runs the response layer alone (size cap, UTF-8, shape, JSON, members) and returns its
/// findings.
pub fn response(input: &[u8]) -> Vec<Finding> {
    let mut findings = Findings::default();
    let _ = crate::response::ingest(input, &crate::Policy::default(), &mut findings);
    findings.into_vec()
}

/// Parses one certificate's DER as the certificate stage does; true when it parses.
pub fn certificate(der: &[u8]) -> bool {
    let mut findings = Findings::default();
    crate::certs::parse(Member::Cert, der, &mut findings).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `encrypted_key` decrypts and checks the key it is given: OpenSSL's PKCS#8 encryption
    /// of a good key opens with the fixtures' passphrase and is found sound; with another
    /// passphrase it is `key.passphrase_wrong`.
    #[test]
    fn an_encrypted_key_is_opened_and_checked() {
        use base64ct::{Base64, Encoding};
        let bundle = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/bundles/encrypted-pkcs8.json"
        ))
        .unwrap();
        let bundle: serde_json::Value = serde_json::from_slice(&bundle).unwrap();
        let body: String = bundle["private_key"]
            .as_str()
            .unwrap()
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        let der = Base64::decode_vec(&body).unwrap();
        let open = |passphrase: &[u8]| {
            encrypted_key(
                EncryptedForm::Pkcs8,
                None,
                &der,
                passphrase,
                crate::KdfLimits::default(),
            )
            .iter()
            .map(Finding::id)
            .collect::<Vec<_>>()
        };
        assert_eq!(open(b"fixture-passphrase"), []);
        assert_eq!(
            open(b"another passphrase"),
            [crate::CheckId::KeyPassphraseWrong]
        );
    }
}
