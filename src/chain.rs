//! The chain layer: each leaf verified to the CA with rustls-webpki, the CA's own profile
//! (which `anchor_from_trusted_cert` does not check), and a signature check of its own that
//! tells "signed by the CA, but weakly" from "not signed by the CA" where webpki refuses
//! for algorithm or version reasons.

use std::time::Duration;

use ring::signature as ring_sig;
use rustls_pki_types::{CertificateDer, UnixTime};
use time::OffsetDateTime;
use webpki::{
    anchor_from_trusted_cert, EndEntityCert, ExtendedKeyUsageValidator, KeyPurposeIdIter,
};
use x509_parser::certificate::X509Certificate;
use x509_parser::error::X509Error;
use x509_parser::oid_registry::{
    OID_PKCS1_SHA1WITHRSA, OID_PKCS1_SHA256WITHRSA, OID_PKCS1_SHA512WITHRSA, OID_SHA1_WITH_RSA,
};
use x509_parser::x509::X509Version;

use crate::catalog::CheckId;
use crate::finding::{Field, Finding, Findings, Member, Role};
use crate::sanitize::printable;

const NAME_MAX_CHARS: usize = 120;

/// A certificate of the bundle: the member holding it, its DER and its parsed form.
#[derive(Clone, Copy)]
pub(crate) struct BundleCert<'a> {
    pub(crate) member: Member,
    pub(crate) der: &'a [u8],
    pub(crate) parsed: &'a X509Certificate<'a>,
}

impl BundleCert<'_> {
    fn subject(&self) -> String {
        printable(&self.parsed.subject().to_string(), NAME_MAX_CHARS)
    }

    fn is_self_issued(&self) -> bool {
        self.parsed.subject().as_raw() == self.parsed.issuer().as_raw()
    }
}

/// `ca.not_ca`, `ca.no_cert_sign` and `ca.not_self_signed`.
pub(crate) fn check_ca(ca: &BundleCert<'_>, findings: &mut Findings) {
    let field = || Some(Field::Member(ca.member));
    let cert = ca.parsed;
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
    let self_signed = ca.is_self_issued() && verify_signature(cert, cert).is_ok();
    if !self_signed {
        findings.push(Finding::new(
            CheckId::CaNotSelfSigned,
            field(),
            format!(
                "the ca certificate is not self-signed (issuer \"{}\"); it is used as the trust anchor all the same",
                printable(&cert.issuer().to_string(), NAME_MAX_CHARS)
            ),
        ));
    }
}

/// The purpose a role's certificate needs: the source is the TLS client, the targets serve.
fn purpose(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Source => ("1.3.6.1.5.5.7.3.2", "clientAuth"),
        _ => ("1.3.6.1.5.5.7.3.1", "serverAuth"),
    }
}

/// `chain.usage`: the leaf's extendedKeyUsage is present and lacks its role's purpose.
pub(crate) fn check_usage(leaf: &BundleCert<'_>, findings: &mut Findings) {
    let (oid, name) = purpose(leaf.member.role());
    let Ok(Some(eku)) = leaf.parsed.extended_key_usage() else {
        return;
    };
    let eku = eku.value;
    let has = match name {
        "clientAuth" => eku.client_auth,
        _ => eku.server_auth,
    } || eku.other.iter().any(|o| o.to_id_string() == oid);
    if !has {
        let mut present = Vec::new();
        for (flag, label) in [
            (eku.server_auth, "serverAuth"),
            (eku.client_auth, "clientAuth"),
            (eku.code_signing, "codeSigning"),
            (eku.email_protection, "emailProtection"),
            (eku.time_stamping, "timeStamping"),
            (eku.ocsp_signing, "OCSPSigning"),
            (eku.any, "anyExtendedKeyUsage"),
        ] {
            if flag {
                present.push(label.to_owned());
            }
        }
        present.extend(eku.other.iter().map(|o| o.to_id_string()));
        findings.push(
            Finding::new(
                CheckId::ChainUsage,
                Some(Field::Member(leaf.member)),
                format!(
                    "{}'s extendedKeyUsage ({}) lacks {name}, which the {} role needs",
                    leaf.member.name(),
                    if present.is_empty() { "empty".to_owned() } else { present.join(", ") },
                    leaf.member.role().as_str()
                ),
            )
            .with_hint("strict TLS stacks (rustls among them) refuse a certificate used outside its extendedKeyUsage"),
        );
    }
}

/// Accepts any extendedKeyUsage: usage is judged by [`check_usage`], so that a chain that
/// fails only for usage is `chain.usage`, not `chain.untrusted`.
struct AnyUsage;

impl ExtendedKeyUsageValidator for AnyUsage {
    fn validate(&self, _: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        Ok(())
    }
}

/// `chain.untrusted`: verifies the leaf to the CA, and when webpki refuses, finds out why in
/// terms a person can act on, and whether the refusal is only a weakness reported elsewhere.
pub(crate) fn check_leaf(
    leaf: &BundleCert<'_>,
    ca: &BundleCert<'_>,
    audit_time: OffsetDateTime,
    findings: &mut Findings,
) {
    let untrusted = |reason: String, hint: &str| {
        Finding::new(
            CheckId::ChainUntrusted,
            Some(Field::Member(leaf.member)),
            format!("{} does not verify to the CA: {reason}", leaf.member.name()),
        )
        .with_hint(hint.to_owned())
    };

    match webpki_verdict(leaf, ca, audit_time) {
        Ok(()) => {}
        Err(Refusal::Weakness) => {
            // Algorithm, key size or version: the signature itself is checked here instead.
            if let Err(reason) = legacy_verdict(leaf, ca) {
                findings.push(untrusted(reason, "the leaf was not issued by this CA; download the response again, and check that ca and the leaf come from the same task"));
            }
        }
        Err(Refusal::Reason(reason, hint)) => findings.push(untrusted(reason, hint)),
    }
}

enum Refusal {
    /// webpki refused for the signature algorithm, key size or certificate version only.
    Weakness,
    /// A reason in words, and a hint.
    Reason(String, &'static str),
}

fn webpki_verdict(
    leaf: &BundleCert<'_>,
    ca: &BundleCert<'_>,
    audit_time: OffsetDateTime,
) -> Result<(), Refusal> {
    let ca_der = CertificateDer::from(ca.der);
    let anchor = match anchor_from_trusted_cert(&ca_der) {
        Ok(anchor) => anchor,
        // A v1 CA, or one whose extensions webpki cannot read: judged by its signature.
        Err(_) => return Err(Refusal::Weakness),
    };
    let leaf_der = CertificateDer::from(leaf.der);
    let end_entity = match EndEntityCert::try_from(&leaf_der) {
        Ok(end_entity) => end_entity,
        Err(webpki::Error::UnsupportedCertVersion) => return Err(Refusal::Weakness),
        Err(e) => {
            return Err(Refusal::Reason(
                format!("webpki cannot read the certificate ({e:?})"),
                "the certificate is not one a TLS stack will load",
            ))
        }
    };
    let anchors = [anchor];
    let verify_at = |time: OffsetDateTime| {
        let seconds = u64::try_from(time.unix_timestamp()).unwrap_or(0);
        end_entity.verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &anchors,
            &[],
            UnixTime::since_unix_epoch(Duration::from_secs(seconds)),
            AnyUsage,
            None,
            None,
        )
    };
    let mut result = verify_at(audit_time);
    if matches!(
        result,
        Err(webpki::Error::CertExpired { .. } | webpki::Error::CertNotValidYet { .. })
    ) {
        // Validity is reported by cert.expired and cert.not_yet_valid; verify the rest at a
        // moment when both certificates are valid.
        match common_validity_moment(leaf.parsed, ca.parsed) {
            Some(moment) => result = verify_at(moment),
            None => {
                return Err(Refusal::Reason(
                    "the leaf and the CA are never valid at the same time".to_owned(),
                    "the leaf's validity must lie within the CA's",
                ))
            }
        }
    }
    let error = match result {
        Ok(_) => return Ok(()),
        Err(error) => error,
    };
    let names_match = leaf.parsed.issuer().as_raw() == ca.parsed.subject().as_raw();
    Err(match error {
        webpki::Error::UnknownIssuer if !names_match => Refusal::Reason(
            format!(
                "it is issued by \"{}\", not by the CA \"{}\"",
                printable(&leaf.parsed.issuer().to_string(), NAME_MAX_CHARS),
                ca.subject()
            ),
            "the leaf was issued by another CA; ca and the leaf may come from different tasks",
        ),
        webpki::Error::CaUsedAsEndEntity => Refusal::Reason(
            "it is a CA certificate (basicConstraints cA=TRUE), not a leaf".to_owned(),
            "a CA certificate sits where the role's own certificate belongs",
        ),
        webpki::Error::UnknownIssuer
        | webpki::Error::InvalidSignatureForPublicKey
        | webpki::Error::UnsupportedSignatureAlgorithmContext(_)
        | webpki::Error::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
        | webpki::Error::UnsupportedCertVersion
        | webpki::Error::SignatureAlgorithmMismatch => Refusal::Weakness,
        webpki::Error::EndEntityUsedAsCa => Refusal::Reason(
            "the CA is marked as an end entity (basicConstraints cA=FALSE)".to_owned(),
            "the ca member may hold a leaf instead of the CA",
        ),
        webpki::Error::PathLenConstraintViolated => Refusal::Reason(
            "the CA's pathLenConstraint forbids this path".to_owned(),
            "the CA may not issue this leaf",
        ),
        webpki::Error::NameConstraintViolation => Refusal::Reason(
            "the leaf's names break the CA's name constraints".to_owned(),
            "the CA may not issue certificates for these names",
        ),
        other => Refusal::Reason(
            format!("webpki refuses the chain ({other:?})"),
            "the chain is not one a TLS stack will accept",
        ),
    })
}

/// A moment inside both certificates' validity, if there is one.
fn common_validity_moment(
    leaf: &X509Certificate<'_>,
    ca: &X509Certificate<'_>,
) -> Option<OffsetDateTime> {
    let start = leaf
        .validity()
        .not_before
        .to_datetime()
        .max(ca.validity().not_before.to_datetime());
    let end = leaf
        .validity()
        .not_after
        .to_datetime()
        .min(ca.validity().not_after.to_datetime());
    (start <= end).then_some(start)
}

/// Where webpki refused for a weakness: is the leaf signed by the CA at all? The weakness
/// itself is reported by `cert.weak_signature`, `cert.weak_key` or `cert.version`.
fn legacy_verdict(leaf: &BundleCert<'_>, ca: &BundleCert<'_>) -> Result<(), String> {
    if leaf.parsed.issuer().as_raw() != ca.parsed.subject().as_raw() {
        return Err(format!(
            "it is issued by \"{}\", not by the CA \"{}\"",
            printable(&leaf.parsed.issuer().to_string(), NAME_MAX_CHARS),
            ca.subject()
        ));
    }
    match verify_signature(leaf.parsed, ca.parsed) {
        Ok(()) => Ok(()),
        Err(SignatureError::Unsupported) => Err(format!(
            "it is signed with {}, which certkey cannot verify",
            crate::strength::signature_algorithm(leaf.parsed).0
        )),
        Err(SignatureError::Invalid) => Err(
            "it is signed by a different key than the CA's, although its issuer name is the CA's"
                .to_owned(),
        ),
    }
}

pub(crate) enum SignatureError {
    /// The algorithm is one nothing here can verify (MD5, DSA, …).
    Unsupported,
    /// The signature does not verify with the issuer's key.
    Invalid,
}

/// Verifies `child`'s signature with `issuer`'s key, accepting legacy algorithms and key
/// sizes (SHA-1, RSA from 1024 bits): x509-parser's check first, then ring's legacy RSA
/// verifiers for SHA-2 signatures by RSA keys under 2048 bits.
pub(crate) fn verify_signature(
    child: &X509Certificate<'_>,
    issuer: &X509Certificate<'_>,
) -> Result<(), SignatureError> {
    match child.verify_signature(Some(issuer.public_key())) {
        Ok(()) => return Ok(()),
        Err(X509Error::SignatureUnsupportedAlgorithm) => return Err(SignatureError::Unsupported),
        Err(_) => {}
    }
    let algorithm = &child.signature_algorithm.algorithm;
    let legacy: &dyn ring_sig::VerificationAlgorithm = if *algorithm == OID_PKCS1_SHA256WITHRSA {
        &ring_sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY
    } else if *algorithm == OID_PKCS1_SHA512WITHRSA {
        &ring_sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY
    } else if *algorithm == OID_PKCS1_SHA1WITHRSA || *algorithm == OID_SHA1_WITH_RSA {
        &ring_sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY
    } else {
        return Err(SignatureError::Invalid);
    };
    ring_sig::UnparsedPublicKey::new(legacy, &issuer.public_key().subject_public_key.data)
        .verify(child.tbs_certificate.as_ref(), &child.signature_value.data)
        .map_err(|_| SignatureError::Invalid)
}
