//! The chain: `chain.untrusted` (each leaf verified to the CA with rustls-webpki, "signed by
//! the CA, but weakly" told apart from "not signed by the CA"), and
//! `cert.malformed` for a CA webpki cannot use as a trust anchor.
//!
//! webpki is the engine, with the signature algorithms rustls accepts. Where it refuses only
//! because a signature uses SHA-1 or an RSA key under 2048 bits, it runs again with legacy
//! RSA verifiers added, so every other rule of path validation still applies; the weakness is
//! reported by the strength checks. A CA webpki cannot use is an error, and the leaves are
//! still verified in full, to an anchor built from the CA's subject and public key.

use std::time::Duration;

use pkcs8::der::asn1::AnyRef;
use pkcs8::der::Decode;
use rustls_pki_types::{
    CertificateDer, Der, SignatureVerificationAlgorithm, TrustAnchor, UnixTime,
};
use time::OffsetDateTime;
use webpki::{
    anchor_from_trusted_cert, EndEntityCert, ExtendedKeyUsageValidator, KeyPurposeIdIter,
};
use x509_parser::certificate::X509Certificate;
use x509_parser::x509::X509Version;

use crate::catalog::CheckId;
use crate::certs::signature::{verify_signature, SignatureError, RUSTLS_ALGORITHMS, WITH_LEGACY};
use crate::certs::{canonical, BundleCert};
use crate::finding::{Field, Finding, Findings};
use crate::member::CaSource;
use crate::oids;
use crate::refusals::Fact;
use crate::stacks::Stacks;

/// webpki reads no DER value whose content is this long or longer (its
/// `read_tag_and_get_value_limited`, with a limit of two length bytes).
const WEBPKI_CONTENT_LIMIT: usize = 0xffff;

/// Whether webpki refuses a certificate for its size alone.
fn over_webpki_size_limit(der: &[u8]) -> bool {
    AnyRef::from_der(der).is_ok_and(|outer| outer.value().len() >= WEBPKI_CONTENT_LIMIT)
}

/// Accepts any extendedKeyUsage webpki can read: usage is judged by `purpose::check`, so that
/// a chain that fails only for usage is `chain.usage`, not `chain.untrusted`. A purpose that
/// is not an OID is webpki's error, as it is in rustls' own validator (x509-parser reads past
/// it).
struct AnyUsage;

impl ExtendedKeyUsageValidator for AnyUsage {
    fn validate(&self, purposes: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        for purpose in purposes {
            purpose?;
        }
        Ok(())
    }
}

/// The CA as a trust anchor for rustls-webpki.
///
/// When webpki cannot use the certificate (it refuses duplicate extensions, certificates
/// over 64 KiB, broken DER), that is `cert.malformed` on `ca`, and the anchor is built from
/// the subject, public key and name constraints x509-parser read, so that every leaf is still
/// verified in full: a CA the chain engine cannot use never means checking less.
pub(crate) fn anchor(ca: &BundleCert<'_>, findings: &mut Findings) -> Option<TrustAnchor<'static>> {
    let der = CertificateDer::from(ca.der);
    let error = match anchor_from_trusted_cert(&der) {
        Ok(anchor) => return Some(anchor.to_owned()),
        Err(error) => error,
    };
    // Over 64 KiB, only rustls refuses it (tests/stacks.rs); other refusals, every stack.
    let oversized = over_webpki_size_limit(ca.der);
    let refused_by = if oversized {
        Fact::CaOverWebpkiSizeLimit.refused_by()
    } else {
        Stacks::ALL
    };
    findings.push(
        Finding::new(
            CheckId::CertMalformed,
            Some(Field::Member(ca.member)),
            format!(
                "rustls-webpki cannot use the ca certificate as a trust anchor ({}); certkey still verifies the leaves to its subject and public key",
                webpki_error_name(&error)
            ),
        )
        .with_hint(if oversized {
            "rustls reads certificates of at most 64 KiB; the service must issue a smaller CA"
        } else if error == webpki::Error::ExtensionValueInvalid {
            "the certificate repeats an extension (RFC 5280 section 4.2 forbids it); the service must issue a corrected CA"
        } else {
            "the service must issue a CA certificate TLS stacks can read"
        })
        .refused_only_by(refused_by),
    );
    let name_constraints = ca
        .parsed
        .extensions()
        .iter()
        .find(|extension| oids::dotted(&extension.oid) == oids::NAME_CONSTRAINTS)
        .map(|extension| contents(extension.value));
    Some(TrustAnchor {
        subject: Der::from(contents(ca.parsed.subject().as_raw())?),
        subject_public_key_info: Der::from(contents(ca.parsed.public_key().raw)?),
        name_constraints: match name_constraints {
            Some(value) => Some(Der::from(value?)),
            None => None,
        },
    })
}

/// The contents of a DER element (a name's, a key's), as a trust anchor holds them.
fn contents(tlv: &[u8]) -> Option<Vec<u8>> {
    AnyRef::from_der(tlv).ok().map(|any| any.value().to_vec())
}

/// `chain.untrusted`: verifies the leaf to the CA (which came from `ca_source`), and when that
/// fails says why in terms a person can act on.
pub(crate) fn check_leaf(
    leaf: &BundleCert<'_>,
    ca: &BundleCert<'_>,
    anchor: &TrustAnchor<'_>,
    audit_time: OffsetDateTime,
    ca_source: Option<CaSource>,
    findings: &mut Findings,
) {
    if let Err(Refusal {
        reason,
        hint,
        stacks,
    }) = verdict(leaf, ca, anchor, audit_time)
    {
        // A CA the caller supplied is the first suspect, not the response.
        let hint = if ca_source == Some(CaSource::Supplied) {
            SUPPLIED_CA_HINT
        } else {
            hint
        };
        findings.push(
            Finding::new(
                CheckId::ChainUntrusted,
                Some(Field::Member(leaf.member)),
                format!("{} does not verify to the CA: {reason}", leaf.member.name()),
            )
            .with_hint(hint)
            .refused_only_by(stacks),
        );
    }
}

/// The help for a leaf that does not verify to a CA the caller supplied.
const SUPPLIED_CA_HINT: &str = "the CA was supplied to the auditor (the `ca_pem` option), not taken from the response: check that the file holds this task's CA certificate before suspecting the leaf";

/// Why a leaf does not verify, what to do, and the stacks that refuse it for that reason.
struct Refusal {
    reason: String,
    hint: &'static str,
    stacks: Stacks,
}

impl Refusal {
    /// A refusal every stack makes.
    fn new(reason: impl Into<String>, hint: &'static str) -> Self {
        Self {
            reason: reason.into(),
            hint,
            stacks: Stacks::ALL,
        }
    }

    fn only_by(mut self, stacks: Stacks) -> Self {
        self.stacks = stacks;
        self
    }
}

const HINT_OTHER_ISSUER: &str =
    "the leaf was issued by another CA; ca and the leaf may come from different tasks";
const HINT_NOT_SIGNED: &str = "the leaf was not issued by this CA; download the response again, and check that ca and the leaf come from the same task";

fn verdict(
    leaf: &BundleCert<'_>,
    ca: &BundleCert<'_>,
    anchor: &TrustAnchor<'_>,
    audit_time: OffsetDateTime,
) -> Result<(), Refusal> {
    let leaf_der = CertificateDer::from(leaf.der);
    let end_entity = match EndEntityCert::try_from(&leaf_der) {
        Ok(end_entity) => end_entity,
        // webpki reads v3 certificates only; a v1 or v2 leaf (cert.version) is judged by its
        // issuer and signature, the only parts of path validation that apply to it. A leaf
        // x509-parser reads as v3 has a version field webpki cannot read: refused below.
        Err(webpki::Error::UnsupportedCertVersion) if leaf.parsed.version() != X509Version::V3 => {
            return old_version_verdict(leaf, ca)
        }
        Err(e) => {
            return Err(Refusal::new(
                format!(
                    "rustls-webpki cannot read the certificate ({})",
                    webpki_error_name(&e)
                ),
                "the certificate is not one a TLS stack will load",
            ))
        }
    };
    let issuer = leaf.parsed.issuer();
    if issuer.as_raw() != ca.parsed.subject().as_raw()
        && canonical::equal(issuer, ca.parsed.subject()) == Some(true)
    {
        // The names differ in bytes and agree as OpenSSL compares them: verify to an anchor
        // named as the leaf names its issuer, so that every other rule still applies.
        let renamed = TrustAnchor {
            subject: Der::from(contents(issuer.as_raw()).unwrap_or_default()),
            ..anchor.clone()
        };
        verify_to(&end_entity, leaf, ca, renamed, audit_time)?;
        return Err(Refusal::new(
            format!(
                "its issuer \"{}\" is the CA \"{}\" only as OpenSSL compares names (string types, case and spaces aside), not byte for byte",
                leaf.issuer(),
                ca.subject()
            ),
            "the service must write the leaves' issuer exactly as the CA's subject is written",
        )
        .only_by(Fact::IssuerNameEqualOnlyCanonically.refused_by()));
    }
    verify_to(&end_entity, leaf, ca, anchor.clone(), audit_time)
}

/// [`verdict`]'s verification of `end_entity` to `anchor`, with rustls' algorithms and then,
/// where only the signature is refused, the legacy ones.
fn verify_to(
    end_entity: &EndEntityCert<'_>,
    leaf: &BundleCert<'_>,
    ca: &BundleCert<'_>,
    anchor: TrustAnchor<'_>,
    audit_time: OffsetDateTime,
) -> Result<(), Refusal> {
    let anchors = [anchor];
    let verify = |algorithms: &[&dyn SignatureVerificationAlgorithm], time: OffsetDateTime| {
        let seconds = u64::try_from(time.unix_timestamp()).unwrap_or(0);
        end_entity
            .verify_for_usage(
                algorithms,
                &anchors,
                &[],
                UnixTime::since_unix_epoch(Duration::from_secs(seconds)),
                AnyUsage,
                None,
                None,
            )
            .map(|_| ())
    };
    let mut moment = audit_time;
    let mut result = verify(RUSTLS_ALGORITHMS, moment);
    if matches!(
        result,
        Err(webpki::Error::CertExpired { .. } | webpki::Error::CertNotValidYet { .. })
    ) {
        // Validity is reported by cert.expired and cert.not_yet_valid; verify the rest at a
        // moment when both certificates are valid.
        moment = common_validity_moment(leaf.parsed, ca.parsed).ok_or_else(|| {
            Refusal::new(
                "the leaf and the CA are never valid at the same time",
                "the leaf's validity must lie within the CA's",
            )
        })?;
        result = verify(RUSTLS_ALGORITHMS, moment);
    }
    if result.as_ref().is_err_and(is_signature_refusal) {
        // Refused for the signature: if a legacy verifier accepts it, the signature is the
        // CA's, made with SHA-1 or an RSA key under 2048 bits, which cert.weak_signature and
        // cert.weak_key report. Every other rule still applies in this second run.
        result = verify(&WITH_LEGACY, moment);
    }
    result.map_err(|error| explain(&error, leaf, ca))
}

fn is_signature_refusal(error: &webpki::Error) -> bool {
    #[allow(deprecated)]
    let refused = matches!(
        error,
        webpki::Error::InvalidSignatureForPublicKey
            | webpki::Error::UnsupportedSignatureAlgorithm
            | webpki::Error::UnsupportedSignatureAlgorithmContext(_)
            | webpki::Error::UnsupportedSignatureAlgorithmForPublicKey
            | webpki::Error::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
    );
    refused
}

/// webpki's refusal in words.
fn explain(error: &webpki::Error, leaf: &BundleCert<'_>, ca: &BundleCert<'_>) -> Refusal {
    #[allow(deprecated)]
    match error {
        // webpki looks for the issuer among the anchors by name: unknown means no name
        // matched (a name that matches leads to a signature check, and its error).
        webpki::Error::UnknownIssuer => other_issuer(leaf, ca),
        // OpenSSL as shipped and Go use a certificate with cA=TRUE as a leaf (tests/stacks.rs).
        webpki::Error::CaUsedAsEndEntity => Refusal::new(
            "it is a CA certificate (basicConstraints cA=TRUE), not a leaf",
            "a CA certificate sits where the role's own certificate belongs",
        )
        .only_by(Fact::CaCertificateAsLeaf.refused_by()),
        webpki::Error::InvalidSignatureForPublicKey => {
            Refusal::new(
                "it is signed by a different key than the CA's, although its issuer name is the CA's",
                HINT_NOT_SIGNED,
            )
        }
        webpki::Error::UnsupportedSignatureAlgorithm
        | webpki::Error::UnsupportedSignatureAlgorithmContext(_) => Refusal::new(
            format!(
                "it is signed with {}, with parameters rustls does not accept (it takes PKCS#1 v1.5 and PSS with SHA-256/384/512, PSS only with MGF1 of the same hash and a salt of the hash's length, ECDSA P-256/P-384 and Ed25519)",
                oids::signature_algorithm(leaf.parsed).0
            ),
            "the service must sign certificates with an algorithm TLS stacks accept",
        ),
        webpki::Error::UnsupportedSignatureAlgorithmForPublicKey
        | webpki::Error::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => Refusal::new(
            format!(
                "its {} signature cannot be verified with the CA's public key ({}), as rustls reads it",
                oids::signature_algorithm(leaf.parsed).0,
                ca.key.name()
            ),
            "the CA's key and the leaf's signature algorithm must agree, in encodings TLS stacks accept",
        )
        // A CA key some stacks cannot read (cert.malformed): those refuse its signatures, and
        // the others verify them.
        .only_by(
            Some(crate::certs::key_refused_by(ca.parsed.public_key().raw, ca.member))
                .filter(|stacks| !stacks.is_empty())
                .unwrap_or(Stacks::ALL),
        ),
        webpki::Error::EndEntityUsedAsCa => Refusal::new(
            "the CA is marked as an end entity (basicConstraints cA=FALSE)",
            "the ca member may hold a leaf instead of the CA",
        ),
        webpki::Error::PathLenConstraintViolated => Refusal::new(
            "the CA's pathLenConstraint forbids this path",
            "the CA may not issue this leaf",
        ),
        webpki::Error::NameConstraintViolation => Refusal::new(
            "the leaf's names break the CA's name constraints",
            "the CA may not issue certificates for these names",
        ),
        other => Refusal::new(
            format!("rustls-webpki refuses the chain ({})", webpki_error_name(other)),
            "the chain is not one a TLS stack will accept",
        ),
    }
}

fn other_issuer(leaf: &BundleCert<'_>, ca: &BundleCert<'_>) -> Refusal {
    Refusal::new(
        format!(
            "it is issued by \"{}\", not by the CA \"{}\"",
            leaf.issuer(),
            ca.subject()
        ),
        HINT_OTHER_ISSUER,
    )
}

/// The name of a webpki error's variant, without the data some variants carry (algorithm
/// identifiers, names and purposes from the certificate, which are input).
fn webpki_error_name(error: &webpki::Error) -> String {
    let debug = format!("{error:?}");
    debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
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

/// A v1 or v2 leaf, which webpki does not read: issued by the CA's name, and signed by its key
/// (with the same algorithms as a v3 leaf, legacy ones included). Such a leaf has no
/// extensions, so no other rule of path validation applies; `cert.version` reports it.
fn old_version_verdict(leaf: &BundleCert<'_>, ca: &BundleCert<'_>) -> Result<(), Refusal> {
    if leaf.parsed.issuer().as_raw() != ca.parsed.subject().as_raw() {
        return Err(other_issuer(leaf, ca));
    }
    match verify_signature(leaf.der, ca.parsed) {
        Ok(()) => Ok(()),
        Err(SignatureError::Unsupported) => Err(Refusal::new(
            format!(
                "it is signed with {}, which certkey cannot verify with the CA's key",
                oids::signature_algorithm(leaf.parsed).0
            ),
            HINT_NOT_SIGNED,
        )),
        Err(SignatureError::Invalid) => Err(Refusal::new(
            "it is signed by a different key than the CA's, although its issuer name is the CA's",
            HINT_NOT_SIGNED,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A SEQUENCE with `len` (256 or more) bytes of content, in DER.
    fn sequence(len: usize) -> Vec<u8> {
        let bytes = u32::try_from(len).unwrap().to_be_bytes();
        let mut der = match len {
            ..=0xffff => vec![0x30, 0x82, bytes[2], bytes[3]],
            _ => vec![0x30, 0x83, bytes[1], bytes[2], bytes[3]],
        };
        der.resize(der.len() + len, 0x00);
        der
    }

    #[test]
    fn webpki_refuses_content_of_0xffff_bytes_and_more() {
        assert!(!over_webpki_size_limit(&sequence(0xfffe)));
        assert!(over_webpki_size_limit(&sequence(0xffff)));
        assert!(over_webpki_size_limit(&sequence(0x1_0000)));
        assert!(!over_webpki_size_limit(&[0x30, 0x00]));
    }
}
