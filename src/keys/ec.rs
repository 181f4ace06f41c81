//! ECDSA private keys: the scalar is in range and its public point is the one given.
//!
//! P-256 and P-384 are checked by ring (`EcdsaKeyPair::from_private_key_and_public_key`
//! validates the scalar and compares scalar·G with the point), P-521 by RustCrypto's p521.

use ring::rand::SystemRandom;
use ring::signature::{
    self, EcdsaKeyPair, EcdsaSigningAlgorithm, ECDSA_P256_SHA256_ASN1_SIGNING,
    ECDSA_P384_SHA384_ASN1_SIGNING,
};
use zeroize::Zeroizing;

/// The curves whose keys are checked fully.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::P256 => "P-256",
            Self::P384 => "P-384",
            Self::P521 => "P-521",
        }
    }

    /// The length of a scalar (and of each point coordinate), in bytes.
    fn scalar_len(self) -> usize {
        match self {
            Self::P256 => 32,
            Self::P384 => 48,
            Self::P521 => 66,
        }
    }

    fn ring_algorithm(self) -> Option<&'static EcdsaSigningAlgorithm> {
        match self {
            Self::P256 => Some(&ECDSA_P256_SHA256_ASN1_SIGNING),
            Self::P384 => Some(&ECDSA_P384_SHA384_ASN1_SIGNING),
            Self::P521 => None,
        }
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
    match curve.ring_algorithm() {
        Some(algorithm) => {
            let uncompressed = point.len() == 1 + 2 * curve.scalar_len() && point[0] == 0x04;
            if !uncompressed {
                return if matches!(point.first(), Some(0x02 | 0x03)) {
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
