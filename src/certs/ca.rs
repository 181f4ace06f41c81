//! The CA's own profile, which `anchor_from_trusted_cert` does not check: `ca.not_ca`,
//! `ca.no_cert_sign`, `ca.not_self_signed`, `ca.key_algorithm`.

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::x509::X509Version;

use crate::catalog::CheckId;
use crate::certs::signature::{verify_signature, SignatureError};
use crate::certs::{canonical, BundleCert};
use crate::der;
use crate::finding::{Field, Finding, Findings};

/// `ca.not_ca`, `ca.no_cert_sign`, `ca.not_self_signed` and `ca.key_algorithm`.
pub(crate) fn check(ca: &BundleCert<'_>, memory: &mut CaMemory, findings: &mut Findings) {
    let field = || Some(Field::Member(ca.member));
    let cert = ca.parsed;
    // pyca's verifier checks the algorithm of each key that verifies a signature (the CA's)
    // against the CA/Browser Forum's list: RSA and ECDSA only (tests/stacks.rs).
    if matches!(ca.key, crate::certs::CertPublicKey::Ed25519(_)) {
        findings.push(Finding::new(
            CheckId::CaKeyAlgorithm,
            field(),
            "the ca certificate's key is Ed25519, which the CA/Browser Forum profile does not allow",
        ));
    }
    // A v1 CA has no extensions at all; RFC 5280 lets a trust anchor be v1 (cert.version).
    if cert.version() == X509Version::V3 {
        let is_ca = matches!(cert.basic_constraints(), Ok(Some(bc)) if bc.value.ca);
        if !is_ca {
            let detail = match cert.basic_constraints() {
                Ok(Some(_)) => "its basicConstraints say cA=FALSE",
                Ok(None) => "it has no basicConstraints extension",
                Err(_) => "its basicConstraints extension is unreadable",
            };
            findings.push(
                Finding::new(
                    CheckId::CaNotCa,
                    field(),
                    format!("the ca certificate is not a CA certificate: {detail}"),
                )
                .with_hint("TLS stacks refuse to chain to it; the ca member may hold a leaf instead of the CA"),
            );
        }
    }
    if let Ok(Some(key_usage)) = cert.key_usage() {
        if !key_usage.value.key_cert_sign() {
            findings.push(Finding::new(
                CheckId::CaNoCertSign,
                field(),
                "the ca certificate's keyUsage does not include keyCertSign, so it may not sign certificates",
            ));
        }
    }
    // A self-signature certkey cannot check (an algorithm or key encoding nothing here
    // verifies) proves nothing either way: only a signature that fails is reported.
    let self_signed = ca.is_self_issued() && !self_signature_fails(ca, memory);
    if !self_signed {
        findings.push(Finding::new(
            CheckId::CaNotSelfSigned,
            field(),
            format!(
                "the ca certificate is not self-signed (issuer \"{}\"); it is used as the trust anchor all the same",
                ca.issuer()
            ),
        ));
    } else if let Some(other) = authority_key_identifier_mismatch(cert) {
        findings.push(Finding::new(
            CheckId::CaNotSelfSigned,
            field(),
            format!(
                "the ca certificate's authorityKeyIdentifier names {other} than its own, so OpenSSL does not take it for self-signed and looks for its issuer; it is used as the trust anchor all the same"
            ),
        ));
    }
}

/// What a self-issued certificate's authorityKeyIdentifier names that is not the certificate
/// itself, as OpenSSL's `X509_check_akid` compares them (`crypto/x509/v3_purp.c`): a key
/// identifier other than its subjectKeyIdentifier, a serial number other than its own, or
/// an issuer directory name other than its issuer. OpenSSL then does not set the
/// self-signed flag, and looks for an issuer that is not there (`ca-authority-key-*`).
fn authority_key_identifier_mismatch(cert: &X509Certificate<'_>) -> Option<&'static str> {
    let (mut aki, mut ski) = (None, None);
    for extension in cert.extensions() {
        match extension.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(value) => aki = Some(value),
            ParsedExtension::SubjectKeyIdentifier(value) => ski = Some(value.0),
            _ => {}
        }
    }
    let aki = aki?;
    if let (Some(named), Some(own)) = (&aki.key_identifier, ski) {
        if named.0 != own {
            return Some("another key");
        }
    }
    if aki
        .authority_cert_serial
        .is_some_and(|serial| der::strip_zeros(serial) != der::strip_zeros(cert.raw_serial()))
    {
        return Some("another serial number");
    }
    let directory = aki
        .authority_cert_issuer
        .iter()
        .flatten()
        .find_map(|name| match name {
            GeneralName::DirectoryName(name) => Some(name),
            _ => None,
        });
    if directory.is_some_and(|name| !canonical::same(name, cert.issuer())) {
        return Some("another issuer");
    }
    None
}

/// What an [`Auditor`](crate::Auditor) remembers of the last CA it audited, compared byte
/// for byte: the bundles of a folder, and an agent's repeated preflights, share one CA, and
/// what is remembered is a function of its DER alone.
#[derive(Debug, Default)]
pub(crate) struct CaMemory {
    /// The CA's whole DER and whether its self-signature failed: a CA seen last time is not
    /// verified again (one RSA-2048 verification, about 16 µs, per bundle).
    self_signature: Option<(Box<[u8]>, bool)>,
    /// The CA's whole DER and its summary, which is a function of the DER but for
    /// `days_left`, computed again for each audit.
    pub(crate) summary: Option<(Box<[u8]>, crate::certs::CertSummary)>,
    /// How many self-signatures were verified (not remembered), for the tests.
    #[cfg(test)]
    pub(crate) verified: usize,
}

/// Whether the CA's self-signature fails to verify with its own key (an algorithm nothing
/// here verifies is not a failure), as `memory` remembers it for the same CA.
fn self_signature_fails(ca: &BundleCert<'_>, memory: &mut CaMemory) -> bool {
    match &memory.self_signature {
        Some((der, fails)) if **der == *ca.der => *fails,
        _ => {
            #[cfg(test)]
            {
                memory.verified += 1;
            }
            let fails = matches!(
                verify_signature(ca.der, ca.parsed),
                Err(SignatureError::Invalid)
            );
            memory.self_signature = Some((ca.der.into(), fails));
            fails
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CheckId;
    use crate::member::Member;

    /// The good bundle's CA, as DER.
    fn good_ca() -> Vec<u8> {
        let pem = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/pki/ca.crt.pem"
        ))
        .unwrap();
        x509_parser::pem::parse_x509_pem(&pem).unwrap().1.contents
    }

    fn not_self_signed(der: &[u8], memory: &mut CaMemory) -> bool {
        let (_, parsed) = x509_parser::parse_x509_certificate(der).unwrap();
        let ca = BundleCert::new(Member::Ca, der, &parsed);
        let mut findings = Findings::default();
        check(&ca, memory, &mut findings);
        findings
            .into_vec()
            .iter()
            .any(|finding| finding.id() == CheckId::CaNotSelfSigned)
    }

    #[test]
    fn a_remembered_self_signature_is_that_very_certificate_s() {
        let good = good_ca();
        // The same certificate with the last byte of its signature changed: self-issued,
        // but its own key no longer verifies it.
        let mut forged = good.clone();
        *forged.last_mut().unwrap() ^= 0x01;
        let mut memory = CaMemory::default();
        for _ in 0..2 {
            assert!(!not_self_signed(&good, &mut memory));
            assert!(
                !not_self_signed(&good, &mut memory),
                "the remembered verdict"
            );
            assert!(not_self_signed(&forged, &mut memory));
            assert!(
                not_self_signed(&forged, &mut memory),
                "the remembered verdict"
            );
        }
        // Verified when the CA changes, remembered when it repeats.
        assert_eq!(memory.verified, 4);
        // Another memory remembers nothing.
        let mut fresh = CaMemory::default();
        assert!(!not_self_signed(&good, &mut fresh));
        assert_eq!(fresh.verified, 1);
    }
}
