//! Cross-role findings: one key pair or one certificate used by two roles.

use crate::catalog::CheckId;
use crate::chain::BundleCert;
use crate::finding::{Field, Finding, Findings, Member};

/// `key.shared`: two roles whose keys have the same identity (a digest of the private
/// components). Reported on the later role's key.
pub(crate) fn report_shared_keys(identities: &[(Member, [u8; 32])], findings: &mut Findings) {
    for (later, (member, identity)) in identities.iter().enumerate() {
        if let Some((first, _)) = identities[..later].iter().find(|(_, id)| id == identity) {
            findings.push(Finding::new(
                CheckId::KeyShared,
                Some(Field::Member(*member)),
                format!(
                    "{} is the same key pair as {}: one compromised server exposes both identities",
                    member.name(),
                    first.name()
                ),
            ));
        }
    }
}

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
