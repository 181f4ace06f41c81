//! `cert.shared`: one certificate in two members.

use crate::catalog::CheckId;
use crate::certs::BundleCert;
use crate::finding::{Field, Finding, Findings};

/// `cert.shared`: two members (the CA included) holding byte-for-byte the same certificate.
/// Reported on the later member.
pub(crate) fn report_shared_certificates(certs: &[BundleCert<'_>], findings: &mut Findings) {
    for (later, cert) in certs.iter().enumerate() {
        if let Some(first) = certs[..later].iter().find(|other| other.der == cert.der) {
            findings.push(Finding::new(
                CheckId::CertShared,
                Some(Field::Member(cert.member)),
                format!(
                    "{} is the very same certificate as {}",
                    cert.member.name(),
                    first.member.name()
                ),
            ));
        }
    }
}
