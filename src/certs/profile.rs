//! RFC 5280 profile rules that OpenSSL enforces under `X509_V_FLAG_X509_STRICT`, which Python
//! 3.13's `ssl.create_default_context()` sets (`check_extensions` in OpenSSL's
//! `crypto/x509/x509_vfy.c`, for every certificate of a chain longer than one):
//! `ca.key_identifier`, `cert.key_identifier`, `ca.key_usage`, `cert.key_usage`,
//! `ca.basic_constraints`, `cert.basic_constraints`, `cert.issuer`; and the other rules about extensions the
//! stacks enforce (`tests/stacks.rs` measured each): `cert.critical_extension`,
//! `cert.name_constraints`, `cert.authority_info_access`, and a certificate that repeats an
//! extension (`cert.malformed`; the CA's repeat of one webpki reads is found there, in
//! `chain.rs`).

use rustls_pki_types::CertificateDer;
use x509_parser::x509::X509Version;

use crate::catalog::CheckId;
use crate::certs::BundleCert;
use crate::finding::{Field, Finding, Findings};
use crate::member::Member;
use crate::oids;
use crate::refusals::Fact;
use crate::stacks::Stacks;

/// The extensions the stacks process when critical (RFC 5280 section 4.2): every stack
/// processes the first five; OpenSSL and Go the policy extensions, which webpki refuses when
/// critical in a leaf (chain.untrusted).
const PROCESSED_WHEN_CRITICAL: &[&str] = &[
    oids::BASIC_CONSTRAINTS,
    oids::KEY_USAGE,
    oids::EXTENDED_KEY_USAGE,
    oids::SUBJECT_ALT_NAME,
    oids::NAME_CONSTRAINTS,
    "2.5.29.32", // certificatePolicies
    "2.5.29.33", // policyMappings
    "2.5.29.36", // policyConstraints
    "2.5.29.54", // inhibitAnyPolicy
];

/// The key identifiers of a v3 certificate: a CA names its own key (`ca.key_identifier`,
/// RFC 5280 section 4.2.1.2), a leaf that is not self-issued names its issuer's
/// (`cert.key_identifier`, section 4.2.1.1). Pre-v3 certificates have no extensions to hold
/// them (that is `cert.version`).
pub(crate) fn check(cert: &BundleCert<'_>, findings: &mut Findings) {
    let parsed = cert.parsed;
    // RFC 5280 section 4.1.2.4: the issuer is a non-empty name.
    if parsed.issuer().iter_attributes().next().is_none() {
        findings.push(Finding::new(
            CheckId::CertIssuer,
            Some(Field::Member(cert.member)),
            format!("{}'s issuer name is empty", cert.member.name()),
        ));
    }
    if parsed.version() != X509Version::V3 {
        return;
    }
    // Each extension's OID in dotted form, made once.
    let ids: Vec<String> = parsed
        .extensions()
        .iter()
        .map(|extension| crate::oids::dotted(&extension.oid))
        .collect();
    let has = |oid: &str| ids.iter().any(|id| id == oid);
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
    if !is_ca
        && basic
            .as_ref()
            .is_some_and(|bc| bc.value.path_len_constraint.is_some())
    {
        findings.push(Finding::new(
            CheckId::CertBasicConstraints,
            field(),
            format!("{name}'s basicConstraints has a pathLenConstraint although it is no CA (cA is not TRUE)"),
        ));
    }
    if !is_ca && has(oids::NAME_CONSTRAINTS) {
        findings.push(Finding::new(
            CheckId::CertNameConstraints,
            field(),
            format!("{name} has nameConstraints although it is no CA (cA is not TRUE)"),
        ));
    }
    extensions(cert, &ids, findings);
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

/// Each extension's form: critical ones the stacks do not process (`cert.critical_extension`),
/// an empty authorityInfoAccess (`cert.authority_info_access`), and in a leaf, an extension
/// repeated (`cert.malformed`). `ids` are the extensions' OIDs, in order.
fn extensions(cert: &BundleCert<'_>, ids: &[String], findings: &mut Findings) {
    let name = cert.member.name();
    let field = || Some(Field::Member(cert.member));
    let all = cert.parsed.extensions();
    let readers = crate::refusals::judging_certificate(cert.member);
    if let Some((oid, _)) = ids.iter().zip(all).find(|(oid, extension)| {
        extension.critical && !PROCESSED_WHEN_CRITICAL.contains(&oid.as_str())
    }) {
        let why = match oid.as_str() {
            oids::AUTHORITY_KEY_IDENTIFIER | oids::SUBJECT_KEY_IDENTIFIER => "RFC 5280 forbids it",
            _ => "TLS stacks refuse a critical extension they do not process",
        };
        findings.push(
            Finding::new(
                CheckId::CertCriticalExtension,
                field(),
                format!(
                    "{name} has the {} marked critical: {why}",
                    extension_name(oid)
                ),
            )
            .refused_only_by(readers),
        );
    }
    if ids.iter().zip(all).any(|(oid, extension)| {
        oid == oids::AUTHORITY_INFO_ACCESS && extension.value == crate::der::EMPTY_SEQUENCE
    }) {
        findings.push(Finding::new(
            CheckId::CertAuthorityInfoAccess,
            field(),
            format!("{name}'s authorityInfoAccess extension lists no access method (RFC 5280 requires one or more)"),
        ));
    }
    if let Some(oid) = first_repeated(ids) {
        // The CA's repeat of an extension webpki reads is found where webpki reads it
        // (chain.rs, refused by every stack); webpki takes nothing else of a trust anchor.
        let stacks = if cert.member != Member::Ca {
            Some(Stacks::ALL)
        } else if webpki::anchor_from_trusted_cert(&CertificateDer::from(cert.der)).is_ok() {
            Some(Fact::CaRepeatsExtension.refused_by())
        } else {
            None
        };
        if let Some(stacks) = stacks {
            findings.push(
                Finding::new(
                    CheckId::CertMalformed,
                    field(),
                    format!(
                        "{name} repeats the {}, which RFC 5280 section 4.2 forbids",
                        extension_name(oid)
                    ),
                )
                .with_hint("TLS stacks refuse a certificate with an extension twice; the service must issue a corrected certificate")
                .refused_only_by(stacks),
            );
        }
    }
}

/// The first of `ids` (in order) equal to one before it. Sorted, not compared each with every
/// earlier one: a certificate may hold tens of thousands of extensions, and the pairs would
/// take minutes.
fn first_repeated(ids: &[String]) -> Option<&String> {
    let mut sorted: Vec<(&str, usize)> = ids.iter().map(String::as_str).zip(0..).collect();
    sorted.sort_unstable();
    // Within a run of equal OIDs, sorted by position, the second is the first repeat.
    sorted
        .windows(2)
        .filter(|pair| pair[0].0 == pair[1].0)
        .map(|pair| pair[1].1)
        .min()
        .map(|index| &ids[index])
}

/// "keyUsage extension", or "unknown extension 1.2.3" (quoted as input is).
fn extension_name(oid: &str) -> String {
    oids::EXTENSIONS
        .iter()
        .find(|(known, _)| *known == oid)
        .map_or_else(
            || format!("unknown extension {}", oids::quoted(oid)),
            |(_, name)| format!("{name} extension"),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_repeat_is_the_earliest_second_occurrence() {
        let ids = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let first = |list: &[&str]| first_repeated(&ids(list)).cloned();
        assert_eq!(
            first(&["2.5.29.15", "2.5.29.19", "2.5.29.15", "2.5.29.19"]),
            Some("2.5.29.15".to_owned())
        );
        assert_eq!(first(&["b", "a", "a", "b"]), Some("a".to_owned()));
        assert_eq!(first(&["b", "a", "c", "b", "a"]), Some("b".to_owned()));
        assert_eq!(first(&["a", "b", "c"]), None);
        assert_eq!(first(&[]), None);
    }
}
