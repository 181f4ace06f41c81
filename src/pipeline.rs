//! The audit's stages after ingestion, and what each hands to the next: the members' PEM
//! decoded ([`Decoded`]), the certificates parsed from it ([`Parsed`]), the keys checked
//! ([`CheckedKeys`]). [`audit`](crate::audit) runs them in order; [`harness`](crate::harness)
//! runs them on single inputs for fuzzing and benchmarks.

use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;

use crate::certs::ca::{self, CaMemory};
use crate::certs::{
    self, chain, constraints, names, profile, purpose, strength, validity, BundleCert, CertSummary,
};
use crate::finding::Findings;
use crate::keys::decrypt::{self, KdfLimits};
use crate::keys::{self, KeyAlgorithm, KeySummary};
use crate::member::{CaSource, Member, MemberKind, MemberMap, Role};
use crate::pem::{self, PemBlock};
use crate::policy::Policy;
use crate::secret::SecretText;

/// Every member's PEM block, decoded to DER and, for an encrypted key, decrypted.
#[derive(Default)]
pub(crate) struct Decoded {
    /// The block of each member that has a usable one.
    pub(crate) blocks: MemberMap<Option<PemBlock>>,
    /// How each decrypted key was encrypted, for its summary.
    pub(crate) schemes: MemberMap<Option<String>>,
    /// Each encrypted key's block as the response held it, opened or not: its DER is what the
    /// member's base64 wrote.
    pub(crate) encrypted: MemberMap<Option<PemBlock>>,
}

impl Decoded {
    /// The DER of every private key, as the response wrote it (encrypted or not) and as it
    /// was decrypted: what no report text may show a window of.
    pub(crate) fn private_key_ders(&self) -> Vec<&[u8]> {
        Member::ALL
            .into_iter()
            .filter(|member| member.kind() == MemberKind::PrivateKey)
            .flat_map(|member| [&self.blocks[member], &self.encrypted[member]])
            .filter_map(|block| Some(block.as_ref()?.der.as_slice()))
            .collect()
    }
}

/// PEM, then decryption: `pem.*`, and `key.encrypted`, `key.passphrase_wrong`,
/// `key.encryption_unsupported`. Each member's text is dropped (and wiped) once decoded: only
/// its DER is needed further, and peak memory stays near the input's size.
pub(crate) fn decode(
    members: &mut MemberMap<Option<SecretText>>,
    passphrase: Option<&[u8]>,
    kdf_limits: KdfLimits,
    findings: &mut Findings,
) -> Decoded {
    let mut decoded = Decoded::default();
    // What the response's keys may spend on key derivation, all together.
    let mut budget = kdf_limits;
    for member in Member::ALL {
        let Some(text) = members[member].take() else {
            continue;
        };
        let block = pem::decode_member(member, &text, findings);
        drop(text);
        let Some(block) = block else {
            continue;
        };
        if block.encryption.is_none() {
            decoded.blocks[member] = Some(block);
            continue;
        }
        if let Some(opened) = decrypt::open(member, &block, passphrase, &mut budget, findings) {
            decoded.blocks[member] = Some(opened.block);
            decoded.schemes[member] = Some(opened.scheme);
        }
        decoded.encrypted[member] = Some(block);
    }
    decoded
}

/// A decoded block, decrypted when it is encrypted (with how it was encrypted); `None` when
/// it cannot be decrypted, which is reported.
pub(crate) fn open(
    member: Member,
    block: PemBlock,
    passphrase: Option<&[u8]>,
    budget: &mut KdfLimits,
    findings: &mut Findings,
) -> Option<(PemBlock, Option<String>)> {
    if block.encryption.is_none() {
        return Some((block, None));
    }
    decrypt::open(member, &block, passphrase, budget, findings)
        .map(|opened| (opened.block, Some(opened.scheme)))
}

/// The certificates of a [`Decoded`], parsed; they borrow its DER.
pub(crate) struct Parsed<'a> {
    pub(crate) decoded: &'a Decoded,
    certs: MemberMap<Option<X509Certificate<'a>>>,
}

impl<'a> Parsed<'a> {
    /// Every certificate that parsed, in member order, each with its public key read.
    pub(crate) fn certs(&self) -> Vec<BundleCert<'_>> {
        Member::ALL
            .into_iter()
            .filter_map(|member| {
                Some(BundleCert::new(
                    member,
                    self.decoded.blocks[member].as_ref()?.der.as_slice(),
                    self.certs[member].as_ref()?,
                ))
            })
            .collect()
    }
}

/// The report's summary of every certificate, the CA's as `memory` remembers it.
pub(crate) fn summaries<'a>(
    certs: &[BundleCert<'a>],
    audit_time: OffsetDateTime,
    memory: &mut CaMemory,
) -> Vec<CertSummary> {
    let mut names = certs::QuotedNames::default();
    certs
        .iter()
        .map(|c| certs::summarize_remembered(c, audit_time, &mut names, memory))
        .collect()
}

/// Parses each certificate member: `cert.malformed`.
pub(crate) fn parse<'a>(decoded: &'a Decoded, findings: &mut Findings) -> Parsed<'a> {
    let certs = MemberMap::from_fn(|member| match (&decoded.blocks[member], member.kind()) {
        (Some(block), MemberKind::Certificate) => {
            certs::parse(member, block.der.as_slice(), findings)
        }
        _ => None,
    });
    Parsed { decoded, certs }
}

/// Validity, strength, the CA's profile (its self-signature as `memory` remembers it) and
/// every leaf's chain to it: `cert.*` (but `cert.malformed` and `cert.shared`), `ca.*`,
/// `chain.*`.
pub(crate) fn check_certificates(
    certs: &[BundleCert<'_>],
    policy: &Policy,
    audit_time: OffsetDateTime,
    ca_source: Option<CaSource>,
    memory: &mut CaMemory,
    findings: &mut Findings,
) {
    let ca = certs.iter().find(|c| c.member == Member::Ca);
    for cert in certs {
        validity::check(
            cert.member,
            cert.parsed,
            audit_time,
            policy.warn_within(),
            findings,
        );
        strength::check(cert, cert.member == Member::Ca, findings);
        profile::check(cert, findings);
    }
    strength::check_serials(certs, findings);
    let anchor = ca.and_then(|ca| {
        ca::check(ca, memory, findings);
        chain::anchor(ca, findings).map(|anchor| (ca, anchor))
    });
    for leaf in certs.iter().filter(|c| c.member != Member::Ca) {
        purpose::check(leaf, ca, findings);
        names::check(leaf, findings);
        if let Some((ca, anchor)) = &anchor {
            chain::check_leaf(leaf, ca, anchor, audit_time, ca_source, findings);
            constraints::check(leaf, ca, findings);
        }
    }
}

/// The keys that could be read, checked.
#[derive(Default)]
pub(crate) struct CheckedKeys {
    /// The report's summary of each key, in role order.
    pub(crate) summaries: Vec<KeySummary>,
    /// Each key's identity (a digest of its private components, never shown), to find keys
    /// two roles share.
    pub(crate) identities: Vec<(Member, [u8; 32])>,
    /// Each key's algorithm, by role.
    pub(crate) algorithms: Vec<(Role, KeyAlgorithm)>,
}

/// Each role's key, against its certificate: `key.malformed`, `key.unsupported`,
/// `key.inconsistent`, `key.nonstandard`, `key.mismatch`, `key.deep_skipped`.
pub(crate) fn check_keys(
    parsed: &Parsed<'_>,
    certs: &[BundleCert<'_>],
    deep: bool,
    findings: &mut Findings,
) -> CheckedKeys {
    let mut checked = CheckedKeys::default();
    for role in Role::WITH_KEYS {
        let Some(key_member) = role.key_member() else {
            continue;
        };
        let Some(block) = &parsed.decoded.blocks[key_member] else {
            continue;
        };
        let cert_member = role.cert_member();
        let cert = certs
            .iter()
            .find(|cert| cert.member == cert_member)
            .map(|cert| (cert_member, &cert.key));
        if let Some(mut key) = keys::check(key_member, block, cert, deep, findings) {
            key.summary
                .encryption
                .clone_from(&parsed.decoded.schemes[key_member]);
            checked.identities.push((key_member, key.identity));
            checked.algorithms.push((role, key.algorithm));
            checked.summaries.push(key.summary);
        }
    }
    checked
}

/// What two members share: `key.shared`, `cert.shared`.
pub(crate) fn check_shared(certs: &[BundleCert<'_>], keys: &CheckedKeys, findings: &mut Findings) {
    keys::report_shared_keys(&keys.identities, findings);
    certs::shared::report_shared_certificates(certs, findings);
}

/// The handshake rehearsal: `handshake.*`.
#[cfg(feature = "handshake")]
pub(crate) fn rehearse(
    parsed: &Parsed<'_>,
    certs: &[BundleCert<'_>],
    keys: &CheckedKeys,
    policy: &Policy,
    audit_time: OffsetDateTime,
    findings: &mut Findings,
) {
    use crate::handshake;

    let identity = |role: Role| {
        let cert = certs.iter().find(|c| c.member == role.cert_member())?;
        let key_member = role.key_member()?;
        Some(handshake::Party {
            cert_der: cert.der,
            cert: cert.parsed,
            key: parsed.decoded.blocks[key_member].as_ref()?,
            key_member,
            algorithm: keys.algorithms.iter().find(|(r, _)| *r == role)?.1,
        })
    };
    let bundle = handshake::Bundle {
        ca_der: certs
            .iter()
            .find(|c| c.member == Member::Ca)
            .map(|ca| ca.der),
        source: identity(Role::Source),
        targets: [
            (Role::TargetMgmt, identity(Role::TargetMgmt)),
            (Role::TargetData, identity(Role::TargetData)),
        ],
    };
    let now = u64::try_from(audit_time.unix_timestamp()).unwrap_or(0);
    handshake::rehearse(
        policy.handshake(),
        // What the static checks found so far, judged as the report will judge it (but for
        // words about a supplied CA, which do not change a severity).
        &crate::judge::Judge::new(policy, None),
        &bundle,
        rustls_pki_types::UnixTime::since_unix_epoch(std::time::Duration::from_secs(now)),
        findings,
    );
}
