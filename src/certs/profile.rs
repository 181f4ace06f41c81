//! RFC 5280 profile rules that OpenSSL enforces under `X509_V_FLAG_X509_STRICT`, which Python
//! 3.13's `ssl.create_default_context()` sets (`check_extensions` in OpenSSL's
//! `crypto/x509/x509_vfy.c`, for every certificate of a chain longer than one):
//! `ca.key_identifier`, `cert.key_identifier`, `ca.key_usage`, `cert.key_usage`,
//! `ca.basic_constraints`.

use x509_parser::x509::X509Version;

use crate::catalog::CheckId;
use crate::certs::BundleCert;
use crate::finding::{Field, Finding, Findings};
use crate::member::Member;
use crate::oids;

/// The key identifiers of a v3 certificate: a CA names its own key (`ca.key_identifier`,
/// RFC 5280 section 4.2.1.2), a leaf that is not self-issued names its issuer's
/// (`cert.key_identifier`, section 4.2.1.1). Pre-v3 certificates have no extensions to hold
/// them (that is `cert.version`).
pub(crate) fn check(cert: &BundleCert<'_>, findings: &mut Findings) {
    let parsed = cert.parsed;
    if parsed.version() != X509Version::V3 {
        return;
    }
    let has = |oid: &str| {
        parsed
            .extensions()
            .iter()
            .any(|extension| extension.oid.to_id_string() == oid)
    };
    let name = cert.member.name();
    let field = || Some(Field::Member(cert.member));
    let basic = parsed.basic_constraints().ok().flatten();
    let is_ca = basic.as_ref().is_some_and(|bc| bc.value.ca);
    // basicConstraints (RFC 5280 section 4.2.1.9): critical in a CA.
    let critical = basic.as_ref().is_some_and(|bc| bc.critical);
    if cert.member == Member::Ca && is_ca && !critical {
        findings.push(Finding::new(
            CheckId::CaBasicConstraints,
            field(),
            format!("{name}'s basicConstraints is not critical"),
        ));
    }
    // keyUsage (RFC 5280 section 4.2.1.3): a CA has one; keyCertSign only with cA.
    if cert.member == Member::Ca && is_ca && !has(oids::KEY_USAGE) {
        findings.push(Finding::new(
            CheckId::CaKeyUsage,
            field(),
            format!("{name} has no keyUsage"),
        ));
    }
    let cert_sign = matches!(parsed.key_usage(), Ok(Some(ku)) if ku.value.key_cert_sign());
    if cert.member != Member::Ca && !is_ca && cert_sign {
        findings.push(Finding::new(
            CheckId::CertKeyUsage,
            field(),
            format!("{name}'s keyUsage asserts keyCertSign although it is no CA (cA is not TRUE)"),
        ));
    }
    if cert.member == Member::Ca {
        if is_ca && !has(oids::SUBJECT_KEY_IDENTIFIER) {
            findings.push(Finding::new(
                CheckId::CaKeyIdentifier,
                field(),
                format!("{name} has no subjectKeyIdentifier"),
            ));
        }
    } else if parsed.subject().as_raw() != parsed.issuer().as_raw()
        && !has(oids::AUTHORITY_KEY_IDENTIFIER)
    {
        findings.push(Finding::new(
            CheckId::CertKeyIdentifier,
            field(),
            format!("{name} has no authorityKeyIdentifier"),
        ));
    }
}
