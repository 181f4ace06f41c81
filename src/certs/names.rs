//! The names a server certificate answers to: `cert.san`.
//!
//! A TLS client that checks the server's name matches it against the subjectAltName alone
//! (RFC 6125; Go since 1.15, rustls, pyca and OpenSSL's host checks never fall back to the
//! common name). pyca's server verifier always checks one, and refuses a certificate with no
//! DNS name or IP address to match (`tests/stacks.rs`).

use x509_parser::extensions::GeneralName;

use crate::catalog::CheckId;
use crate::certs::BundleCert;
use crate::finding::{Field, Finding, Findings};
use crate::member::Role;

/// `cert.san`: a target (TLS server) certificate with no DNS name or IP address among its
/// subjectAltNames. The source is a TLS client, whose names no server checks.
pub(crate) fn check(leaf: &BundleCert<'_>, findings: &mut Findings) {
    if leaf.member.role() == Role::Source {
        return;
    }
    let names = match leaf.parsed.subject_alternative_name() {
        Ok(Some(san)) => san
            .value
            .general_names
            .iter()
            .filter(|name| matches!(name, GeneralName::DNSName(_) | GeneralName::IPAddress(_)))
            .count(),
        // No extension; or an unreadable one, which is cert.malformed.
        Ok(None) => 0,
        Err(_) => return,
    };
    if names == 0 {
        findings.push(Finding::new(
            CheckId::CertSan,
            Some(Field::Member(leaf.member)),
            format!(
                "{} has no DNS name or IP address in a subjectAltName: a client that checks the {} server's name cannot match it",
                leaf.member.name(),
                leaf.member.role().as_str()
            ),
        ));
    }
}
