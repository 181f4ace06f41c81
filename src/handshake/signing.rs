//! The identities' keys as rustls signing keys (ring), from the decoded blocks.

use std::sync::Arc;

use pkcs8::der::asn1::ObjectIdentifier;
use rustls_pki_types::{PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer};

use super::Identity;
use crate::keys::{Curve, KeyAlgorithm};
use crate::oids;
use crate::pem::BlockLabel;
use crate::secret::SecretBytes;

/// A signing key for rustls, loaded from a key block.
///
/// EC keys are handed over as PKCS#8 rebuilt in a buffer wiped on drop: ring requires the
/// public point inside the key, which SEC1 and PKCS#8 make optional, so a key without one
/// gets its certificate's point (ring then checks that the scalar pairs with it). rustls
/// itself would wrap a SEC1 key in a plain `Vec`.
pub(super) fn signing_key(
    identity: &Identity<'_>,
) -> Result<Arc<dyn rustls::sign::SigningKey>, String> {
    let member = identity.key_member;
    let der = identity.key.der.as_slice();
    let cert_point = &identity.cert.public_key().subject_public_key.data;
    let cert_curve = match identity.algorithm {
        KeyAlgorithm::Ec(curve) => Some(curve),
        _ => None,
    };
    let rebuilt;
    let key = match crate::keys::ec_parts(identity.key.label, der, cert_curve) {
        Some(ec) => {
            rebuilt = ec_pkcs8(ec.curve, ec.scalar, ec.embedded.unwrap_or(cert_point));
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(rebuilt.as_slice()))
        }
        None => match identity.key.label {
            BlockLabel::RsaPrivateKey => PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(der)),
            _ => PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(der)),
        },
    };
    rustls::crypto::ring::sign::any_supported_type(&key).map_err(|_| {
        let why = match identity.algorithm {
            KeyAlgorithm::Rsa { .. } => {
                "ring refuses an RSA key whose components disagree, or that is not in FIPS 186's shape (see key.inconsistent and key.nonstandard)"
            }
            KeyAlgorithm::Ed25519 => {
                "ring refuses an Ed25519 key whose embedded public key is not its seed's"
            }
            KeyAlgorithm::Ec(_) => "ring refuses an EC scalar out of range or not paired with the public point (the certificate's, when the key embeds none)",
        };
        format!(
            "rustls (ring) refuses to load {} as an {} signing key: {why}",
            member.name(),
            identity.algorithm
        )
    })
}

/// `PrivateKeyInfo { 0, { id-ecPublicKey, curve }, OCTET STRING { ECPrivateKey { 1, scalar,
/// [1] point } } }`.
pub(super) fn ec_pkcs8(curve: Curve, scalar: &[u8], point: &[u8]) -> SecretBytes {
    const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::EC_PUBLIC_KEY);
    const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::P256);
    const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::P384);
    const P521: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::P521);
    let curve_oid = match curve {
        Curve::P256 => P256.as_bytes(),
        Curve::P384 => P384.as_bytes(),
        Curve::P521 => P521.as_bytes(),
    };
    let ec_public_key = EC_PUBLIC_KEY.as_bytes();
    let bits_len = tlv_len(1 + point.len());
    let ec_key_len = 3 + tlv_len(scalar.len()) + tlv_len(bits_len);
    let algorithm_len = tlv_len(ec_public_key.len()) + tlv_len(curve_oid.len());
    let body_len = 3 + tlv_len(algorithm_len) + tlv_len(tlv_len(ec_key_len));
    let mut out = SecretBytes::with_capacity(tlv_len(body_len));
    push_header(&mut out, 0x30, body_len);
    out.extend_within_capacity(&[0x02, 0x01, 0x00]);
    push_header(&mut out, 0x30, algorithm_len);
    push_header(&mut out, 0x06, ec_public_key.len());
    out.extend_within_capacity(ec_public_key);
    push_header(&mut out, 0x06, curve_oid.len());
    out.extend_within_capacity(curve_oid);
    push_header(&mut out, 0x04, tlv_len(ec_key_len));
    push_header(&mut out, 0x30, ec_key_len);
    out.extend_within_capacity(&[0x02, 0x01, 0x01]);
    push_header(&mut out, 0x04, scalar.len());
    out.extend_within_capacity(scalar);
    push_header(&mut out, 0xa1, bits_len);
    push_header(&mut out, 0x03, 1 + point.len());
    out.extend_within_capacity(&[0x00]);
    out.extend_within_capacity(point);
    out
}

/// The length of a DER element with `len` bytes of content (content under 16 MiB).
pub(super) fn tlv_len(len: usize) -> usize {
    len + match len {
        0..=0x7f => 2,
        0x80..=0xff => 3,
        0x100..=0xffff => 4,
        _ => 5,
    }
}

pub(super) fn push_header(out: &mut SecretBytes, tag: u8, len: usize) {
    let bytes = u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes();
    match tlv_len(len) - len {
        2 => out.extend_within_capacity(&[tag, bytes[3]]),
        3 => out.extend_within_capacity(&[tag, 0x81, bytes[3]]),
        4 => out.extend_within_capacity(&[tag, 0x82, bytes[2], bytes[3]]),
        _ => out.extend_within_capacity(&[tag, 0x83, bytes[1], bytes[2], bytes[3]]),
    }
}
