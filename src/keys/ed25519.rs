//! Ed25519 private keys: the public key is derived from the seed (by ring) and compared.
//!
//! Ids: `key.inconsistent`, `key.mismatch` (through the key layer's `KeyFindings`), and
//! `key.malformed` for a seed that is not 32 bytes.

use ring::signature::{self, Ed25519KeyPair, KeyPair};

use super::{CertPublicKey, KeyAlgorithm, KeyFindings, KeySummary};
use crate::catalog::CheckId;
use crate::finding::Finding;
use crate::member::Member;
use crate::refusals::Fact;

/// The public key of a 32-byte seed, or `None` when the seed is not 32 bytes.
pub(crate) fn public_key(seed: &[u8]) -> Option<[u8; 32]> {
    let pair = Ed25519KeyPair::from_seed_unchecked(seed).ok()?;
    pair.public_key().as_ref().try_into().ok()
}

/// A signature made with the seed verifies with `public` (the deep mode's proof of possession).
pub(crate) fn proves_possession(seed: &[u8], public: &[u8]) -> bool {
    let Ok(pair) = Ed25519KeyPair::from_seed_unchecked(seed) else {
        return false;
    };
    let signed = pair.sign(super::PROOF_MESSAGE);
    signature::UnparsedPublicKey::new(&signature::ED25519, public)
        .verify(super::PROOF_MESSAGE, signed.as_ref())
        .is_ok()
}

/// The Ed25519 key's checks: its embedded public key (`key.inconsistent`), the match with
/// its certificate (`key.mismatch`) and, in deep mode, a proof of possession. `None` for a
/// seed that is not 32 bytes (`key.malformed`).
pub(super) fn check(
    seed: &&[u8],
    embedded: &Option<&[u8]>,
    cert: Option<(Member, &CertPublicKey<'_>)>,
    deep: bool,
    summary: &mut KeySummary,
    report: &mut KeyFindings<'_>,
) -> Option<(KeyAlgorithm, [u8; 32])> {
    let algorithm = KeyAlgorithm::Ed25519;
    let identity = super::digest_of(b"ed25519", seed);
    let Some(derived) = public_key(seed) else {
        report.push(Finding::new(
            CheckId::KeyMalformed,
            report.field(),
            format!(
                "{} is not a readable private key: an Ed25519 seed must be 32 bytes, this one is {}",
                report.member.name(),
                seed.len()
            ),
        ));
        return None;
    };
    if let Some(embedded) = embedded {
        if *embedded != derived {
            summary.consistent = false;
            // Go signs with the seed and ignores the embedded key; ring refuses the key.
            report.inconsistent_for(
                "the embedded public key is not the one its seed derives".to_owned(),
                Fact::KeyEd25519WrongPublicKey.refused_by(),
            );
        }
    }
    if let Some((cert_member, cert)) = cert {
        let matched = match cert {
            CertPublicKey::Ed25519(public) => {
                if *public == derived {
                    true
                } else {
                    report.mismatch(
                        cert_member,
                        format!(
                            "the key's public key starts 0x{}…, the certificate's 0x{}…",
                            crate::text::hex_prefix(&derived),
                            crate::text::hex_prefix(public)
                        ),
                    );
                    false
                }
            }
            other => {
                report.other_algorithm(cert_member, algorithm, other);
                false
            }
        };
        summary.matches_certificate = Some(matched);
        if deep && matched && summary.consistent {
            if let CertPublicKey::Ed25519(public) = cert {
                summary.deep_check = Some(proves_possession(seed, public));
                report.failed_proof(summary.deep_check);
            }
        }
    }
    Some((algorithm, identity))
}
