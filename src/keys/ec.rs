//! ECDSA private keys: the scalar is in range and its public point is the one given.
//!
//! Ids: `key.inconsistent`, `key.mismatch`, `key.deep_skipped` (through the key layer's
//! `KeyFindings`), and `key.unsupported` for a compressed point it cannot compare.
//!
//! P-256 and P-384 are checked by ring (`EcdsaKeyPair::from_private_key_and_public_key`
//! validates the scalar and compares scalar·G with the point), P-521 by RustCrypto's p521.

use ring::rand::SystemRandom;
use ring::signature::{
    self, EcdsaKeyPair, EcdsaSigningAlgorithm, ECDSA_P256_SHA256_ASN1_SIGNING,
    ECDSA_P384_SHA384_ASN1_SIGNING,
};
use zeroize::Zeroizing;

use super::{CertPublicKey, Curve, KeyAlgorithm, KeyFindings, KeySummary};
use crate::catalog::CheckId;
use crate::finding::Finding;
use crate::member::Member;

/// ring's signing algorithm for the curve; P-521 is checked by RustCrypto's p521.
fn ring_algorithm(curve: Curve) -> Option<&'static EcdsaSigningAlgorithm> {
    match curve {
        Curve::P256 => Some(&ECDSA_P256_SHA256_ASN1_SIGNING),
        Curve::P384 => Some(&ECDSA_P384_SHA384_ASN1_SIGNING),
        Curve::P521 => None,
    }
}

/// How a scalar relates to a public point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pairing {
    /// The point is scalar·G.
    Pairs,
    /// The scalar is 0 or not below the group order.
    ScalarOutOfRange,
    /// The point is not scalar·G (or not a point of the curve).
    DoesNotPair,
    /// The point is not in a form that can be compared (compressed, on P-256/P-384).
    UnsupportedPoint,
}

/// Whether `point` (SEC1-encoded) is `scalar`·G on `curve`.
pub(crate) fn pair(curve: Curve, scalar: &[u8], point: &[u8]) -> Pairing {
    let Some(scalar) = fixed_length_scalar(curve, scalar) else {
        return Pairing::ScalarOutOfRange;
    };
    match ring_algorithm(curve) {
        Some(algorithm) => {
            let uncompressed = point.len() == 1 + 2 * curve.scalar_len() && point[0] == 0x04;
            if !uncompressed {
                let compressed = point.len() == 1 + curve.scalar_len()
                    && matches!(point.first(), Some(0x02 | 0x03));
                return if compressed {
                    Pairing::UnsupportedPoint
                } else {
                    Pairing::DoesNotPair
                };
            }
            // ring first validates the scalar, then compares scalar·G with the point.
            match EcdsaKeyPair::from_private_key_and_public_key(
                algorithm,
                &scalar,
                point,
                &SystemRandom::new(),
            ) {
                Ok(_) => Pairing::Pairs,
                Err(rejected) if rejected.to_string() == "InvalidComponent" => {
                    Pairing::ScalarOutOfRange
                }
                Err(_) => Pairing::DoesNotPair,
            }
        }
        None => {
            let Ok(secret) = p521::SecretKey::from_slice(&scalar) else {
                return Pairing::ScalarOutOfRange;
            };
            match p521::PublicKey::from_sec1_bytes(point) {
                Ok(public) if public == secret.public_key() => Pairing::Pairs,
                _ => Pairing::DoesNotPair,
            }
        }
    }
}

/// A signature made with the key verifies with `point` (the deep mode's proof of
/// possession). `None` where the curve has no signer here (P-521).
pub(crate) fn proves_possession(curve: Curve, scalar: &[u8], point: &[u8]) -> Option<bool> {
    let (signing, verifying): (_, &'static dyn signature::VerificationAlgorithm) = match curve {
        Curve::P256 => (
            &ECDSA_P256_SHA256_ASN1_SIGNING,
            &signature::ECDSA_P256_SHA256_ASN1,
        ),
        Curve::P384 => (
            &ECDSA_P384_SHA384_ASN1_SIGNING,
            &signature::ECDSA_P384_SHA384_ASN1,
        ),
        Curve::P521 => return None,
    };
    let scalar = fixed_length_scalar(curve, scalar)?;
    let rng = SystemRandom::new();
    let Ok(pair) = EcdsaKeyPair::from_private_key_and_public_key(signing, &scalar, point, &rng)
    else {
        return Some(false);
    };
    let Ok(signed) = pair.sign(&rng, super::PROOF_MESSAGE) else {
        return Some(false);
    };
    Some(
        signature::UnparsedPublicKey::new(verifying, point)
            .verify(super::PROOF_MESSAGE, signed.as_ref())
            .is_ok(),
    )
}

/// The scalar as exactly the curve's length (SEC1 fixes it; some encoders drop leading
/// zeros). `None` when it is longer than any scalar of the curve.
fn fixed_length_scalar(curve: Curve, scalar: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let len = curve.scalar_len();
    let significant = &scalar[scalar.iter().take_while(|&&b| b == 0).count()..];
    if significant.len() > len {
        return None;
    }
    let mut fixed = Zeroizing::new(vec![0u8; len]);
    fixed[len - significant.len()..].copy_from_slice(significant);
    Some(fixed)
}

/// The EC key's checks: its scalar and embedded point (`key.inconsistent`), the match with
/// its certificate (`key.mismatch`) and, in deep mode, a proof of possession. `None` when the
/// key cannot be compared at all (`key.unsupported`).
pub(super) fn check(
    curve: &Curve,
    scalar: &&[u8],
    embedded: &Option<&[u8]>,
    cert: Option<(Member, &CertPublicKey<'_>)>,
    deep: bool,
    summary: &mut KeySummary,
    report: &mut KeyFindings<'_>,
) -> Option<(KeyAlgorithm, [u8; 32])> {
    let algorithm = KeyAlgorithm::Ec(*curve);
    let identity = super::digest_of(b"ec", scalar);
    if let Some(point) = embedded {
        match pair(*curve, scalar, point) {
            Pairing::Pairs => {}
            Pairing::ScalarOutOfRange => {
                summary.consistent = false;
                report.inconsistent(format!(
                    "the private scalar is 0 or not below the order of {}",
                    curve.name()
                ));
            }
            Pairing::DoesNotPair | Pairing::UnsupportedPoint => {
                summary.consistent = false;
                report.inconsistent(
                    "the embedded public point is not the private scalar times the generator"
                        .to_owned(),
                );
            }
        }
    }
    if let Some((cert_member, cert)) = cert {
        let matched = match cert {
            CertPublicKey::Ec {
                curve: Ok(cert_curve),
                point,
            } if cert_curve == curve => match (embedded, summary.consistent) {
                // A consistent key's embedded point is its public half.
                (Some(embedded), true) => {
                    if embedded == point {
                        true
                    } else {
                        report.mismatch(
                            cert_member,
                            format!(
                                "the key's public point starts 0x{}…, the certificate's 0x{}…",
                                crate::text::hex_prefix(embedded),
                                crate::text::hex_prefix(point)
                            ),
                        );
                        false
                    }
                }
                // An inconsistent key is reported as such; its public half is
                // compared as given.
                (Some(embedded), false) => *embedded == *point,
                (None, _) => match pair(*curve, scalar, point) {
                    Pairing::Pairs => true,
                    Pairing::ScalarOutOfRange => {
                        summary.consistent = false;
                        report.inconsistent(format!(
                            "the private scalar is 0 or not below the order of {}",
                            curve.name()
                        ));
                        false
                    }
                    Pairing::DoesNotPair => {
                        report.mismatch(
                            cert_member,
                            "the private scalar times the generator is not the certificate's point"
                                .to_owned(),
                        );
                        false
                    }
                    Pairing::UnsupportedPoint => {
                        report.push(Finding::new(
                            CheckId::KeyUnsupported,
                            report.field(),
                            format!(
                                "{} has a compressed EC point, which certkey cannot compare with a key that embeds none",
                                cert_member.name()
                            ),
                        ));
                        return None;
                    }
                },
            },
            other => {
                report.other_algorithm(cert_member, algorithm, other);
                false
            }
        };
        summary.matches_certificate = Some(matched);
        if deep && matched && summary.consistent {
            if let CertPublicKey::Ec { point, .. } = cert {
                summary.deep_check = proves_possession(*curve, scalar, point);
                report.failed_proof(summary.deep_check);
                if summary.deep_check.is_none() {
                    report.deep_skipped(&[format!(
                        "the proof of possession (ring does not sign with {})",
                        curve.name()
                    )]);
                }
            }
        }
    }
    Some((algorithm, identity))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_point_of_the_compressed_form_is_called_compressed() {
        let scalar = [7u8; 32];
        let mut compressed = vec![0x02];
        compressed.extend([9u8; 32]);
        assert_eq!(
            pair(Curve::P256, &scalar, &compressed),
            Pairing::UnsupportedPoint
        );
        // The compressed length with another first byte, and a compressed first byte at the
        // uncompressed length, are no points at all.
        compressed[0] = 0x04;
        assert_eq!(
            pair(Curve::P256, &scalar, &compressed),
            Pairing::DoesNotPair
        );
        let mut long = vec![0x02];
        long.extend([9u8; 64]);
        assert_eq!(pair(Curve::P256, &scalar, &long), Pairing::DoesNotPair);
        assert_eq!(pair(Curve::P256, &scalar, &[]), Pairing::DoesNotPair);
    }

    #[test]
    fn a_p521_point_must_be_its_scalar_times_the_generator() {
        use p521::elliptic_curve::sec1::ToSec1Point;

        let scalar = |value: u8| {
            let mut bytes = vec![0u8; 66];
            bytes[65] = value;
            bytes
        };
        let point = |value: u8| {
            p521::SecretKey::from_slice(&scalar(value))
                .unwrap()
                .public_key()
                .to_sec1_point(false)
                .as_bytes()
                .to_vec()
        };
        assert_eq!(pair(Curve::P521, &scalar(2), &point(2)), Pairing::Pairs);
        assert_eq!(
            pair(Curve::P521, &scalar(2), &point(3)),
            Pairing::DoesNotPair
        );
        assert_eq!(
            pair(Curve::P521, &scalar(0), &point(3)),
            Pairing::ScalarOutOfRange
        );
    }
}
