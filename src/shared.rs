//! Cross-role findings: one key pair or one certificate used by two roles.

use x509_parser::certificate::X509Certificate;

use crate::catalog::CheckId;
use crate::finding::{Field, Finding, Findings, Member};
use crate::pem::PemBlock;

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
pub(crate) fn report_shared_certificates(
    blocks: &[Option<PemBlock>; 7],
    parsed: &[Option<X509Certificate<'_>>; 7],
    findings: &mut Findings,
) {
    let certs: Vec<(Member, &[u8])> = Member::ALL
        .into_iter()
        .filter(|m| parsed[m.index()].is_some())
        .filter_map(|m| blocks[m.index()].as_ref().map(|b| (m, b.der.as_slice())))
        .collect();
    for (later, (member, der)) in certs.iter().enumerate() {
        if let Some((first, _)) = certs[..later].iter().find(|(_, other)| other == der) {
            findings.push(Finding::new(
                CheckId::CertShared,
                Some(Field::Member(*member)),
                format!(
                    "{} is the very same certificate as {}",
                    member.name(),
                    first.name()
                ),
            ));
        }
    }
}
