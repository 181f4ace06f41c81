//! Cryptographic strength and form: `cert.weak_key`, `cert.weak_signature`, `cert.version`,
//! `cert.duplicate_serial`. The `legacy` profile relaxes the first three: see the catalog's
//! `legacy_severity`.

use x509_parser::certificate::X509Certificate;
use x509_parser::x509::X509Version;

use crate::catalog::CheckId;
use crate::chain::BundleCert;
use crate::finding::{Field, Finding, Findings};
use crate::key::{bit_length, CertPublicKey};
use crate::sanitize::Untrusted;

/// Signature algorithms by OID: (OID, name, strong).
const SIGNATURE_ALGORITHMS: &[(&str, &str, bool)] = &[
    ("1.2.840.113549.1.1.2", "md2WithRSAEncryption", false),
    ("1.2.840.113549.1.1.4", "md5WithRSAEncryption", false),
    ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption", false),
    ("1.3.14.3.2.29", "sha1WithRSASignature", false),
    ("1.2.840.10045.4.1", "ecdsa-with-SHA1", false),
    ("1.2.840.10040.4.3", "dsa-with-SHA1", false),
    ("1.2.840.113549.1.1.11", "sha256WithRSAEncryption", true),
    ("1.2.840.113549.1.1.12", "sha384WithRSAEncryption", true),
    ("1.2.840.113549.1.1.13", "sha512WithRSAEncryption", true),
    ("1.2.840.113549.1.1.10", "RSASSA-PSS", true),
    ("1.2.840.10045.4.3.2", "ecdsa-with-SHA256", true),
    ("1.2.840.10045.4.3.3", "ecdsa-with-SHA384", true),
    ("1.2.840.10045.4.3.4", "ecdsa-with-SHA512", true),
    ("1.3.101.112", "Ed25519", true),
    ("1.3.101.113", "Ed448", true),
];

/// The signature algorithm's name (or OID) and whether it is strong; `None` for an OID not
/// in the table (unidentified).
pub(crate) fn signature_algorithm(cert: &X509Certificate<'_>) -> (String, Option<bool>) {
    let oid = cert.signature_algorithm.algorithm.to_id_string();
    match SIGNATURE_ALGORITHMS
        .iter()
        .find(|(known, _, _)| *known == oid)
    {
        Some((_, name, strong)) => ((*name).to_owned(), Some(*strong)),
        None => (Untrusted::new(&oid).quoted(64), None),
    }
}

/// `cert.weak_key`, `cert.weak_signature` and `cert.version` for one certificate.
pub(crate) fn check(cert: &BundleCert<'_>, is_anchor: bool, findings: &mut Findings) {
    let field = || Some(Field::Member(cert.member));
    let name = cert.member.name();
    let parsed = cert.parsed;

    let weak_key = match CertPublicKey::from_spki(parsed.public_key()) {
        CertPublicKey::Rsa { n, .. } => {
            let bits = bit_length(n);
            (bits < 2048).then(|| format!("an RSA key of {bits} bits (under 2048)"))
        }
        CertPublicKey::Ec {
            curve: Err(curve), ..
        } => Some(format!("an EC key on {curve} (not P-256, P-384 or P-521)")),
        _ => None,
    };
    if let Some(what) = weak_key {
        findings.push(
            Finding::new(CheckId::CertWeakKey, field(), format!("{name} has {what}"))
                .with_hint("TLS stacks refuse such keys (rustls and ring need RSA of 2048 bits or more); the service must issue stronger ones"),
        );
    }

    // A trust anchor's own signature is never checked (RFC 5280 section 6.1): a self-signed
    // CA signed with SHA-1 is no weakness.
    let self_signed_anchor = is_anchor && parsed.subject().as_raw() == parsed.issuer().as_raw();
    if !self_signed_anchor {
        let (algorithm, strong) = signature_algorithm(parsed);
        let problem = match strong {
            Some(true) => None,
            Some(false) => Some(format!(
                "{name} is signed with {algorithm}: MD5 and SHA-1 signatures are not accepted by current TLS stacks"
            )),
            None => Some(format!(
                "{name} is signed with an algorithm certkey cannot identify ({algorithm})"
            )),
        };
        if let Some(message) = problem {
            findings.push(
                Finding::new(CheckId::CertWeakSignature, field(), message)
                    .with_hint("the service must sign with SHA-256 or better"),
            );
        }
    }

    if parsed.version() != X509Version::V3 {
        findings.push(
            Finding::new(
                CheckId::CertVersion,
                field(),
                format!(
                    "{name} is an X.509 v{} certificate, not v3",
                    parsed.version().0 + 1
                ),
            )
            .with_hint("v1 and v2 certificates carry no extensions (no basicConstraints, no key usage); rustls and webpki refuse them"),
        );
    }
}

/// `cert.duplicate_serial`: two different certificates with the same issuer and serial.
/// Reported on the later member.
pub(crate) fn check_serials(certs: &[BundleCert<'_>], findings: &mut Findings) {
    for (later, cert) in certs.iter().enumerate() {
        let clash = certs[..later].iter().find(|earlier| {
            earlier.der != cert.der
                && earlier.parsed.issuer().as_raw() == cert.parsed.issuer().as_raw()
                && earlier.parsed.raw_serial() == cert.parsed.raw_serial()
        });
        if let Some(earlier) = clash {
            findings.push(
                Finding::new(
                    CheckId::CertDuplicateSerial,
                    Some(Field::Member(cert.member)),
                    format!(
                        "{} and {} are different certificates with the same issuer and serial number",
                        cert.member.name(),
                        earlier.member.name()
                    ),
                )
                .with_hint("an issuer must never reuse a serial number (RFC 5280 section 4.1.2.2); TLS stacks and revocation may confuse the two"),
            );
        }
    }
}
