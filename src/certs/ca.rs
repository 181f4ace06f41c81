//! The CA's own profile, which `anchor_from_trusted_cert` does not check: `ca.not_ca`,
//! `ca.no_cert_sign`, `ca.not_self_signed`, `ca.key_algorithm`.

use x509_parser::x509::X509Version;

use crate::catalog::CheckId;
use crate::certs::chain::{verify_signature, SignatureError};
use crate::certs::BundleCert;
use crate::finding::{Field, Finding, Findings};

/// `ca.not_ca`, `ca.no_cert_sign`, `ca.not_self_signed` and `ca.key_algorithm`.
pub(crate) fn check(ca: &BundleCert<'_>, findings: &mut Findings) {
    let field = || Some(Field::Member(ca.member));
    let cert = ca.parsed;
    // pyca's verifier checks the algorithm of each key that verifies a signature (the CA's)
    // against the CA/Browser Forum's list: RSA and ECDSA only (tests/stacks.rs).
    if matches!(
        crate::keys::CertPublicKey::from_spki(cert.public_key()),
        crate::keys::CertPublicKey::Ed25519(_)
    ) {
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
    let self_signed = ca.is_self_issued()
        && !matches!(verify_signature(ca.der, cert), Err(SignatureError::Invalid));
    if !self_signed {
        findings.push(Finding::new(
            CheckId::CaNotSelfSigned,
            field(),
            format!(
                "the ca certificate is not self-signed (issuer \"{}\"); it is used as the trust anchor all the same",
                ca.issuer()
            ),
        ));
    }
}
