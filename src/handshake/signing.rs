//! The identities' keys as rustls signing keys (ring), from the decoded blocks.

use std::sync::Arc;

use pkcs8::der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef};
use pkcs8::der::Encode;
use rustls_pki_types::{PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer};

use super::Party;
use crate::certs::Curve;
use crate::keys::KeyAlgorithm;
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
    identity: &Party<'_>,
) -> Result<Arc<dyn rustls::sign::SigningKey>, String> {
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
            match &rebuilt {
                Some(der) => PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(der.as_slice())),
                None => return Err(refusal(identity)),
            }
        }
        None => match identity.key.label {
            BlockLabel::RsaPrivateKey => PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(der)),
            _ => PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(der)),
        },
    };
    rustls::crypto::ring::sign::any_supported_type(&key).map_err(|_| refusal(identity))
}

/// Why ring would not load the identity's key.
fn refusal(identity: &Party<'_>) -> String {
    let why = match identity.algorithm {
        KeyAlgorithm::Rsa { .. } => {
            "ring refuses an RSA key whose components disagree, or that is not in FIPS 186's shape (see key.inconsistent and key.nonstandard)"
        }
        KeyAlgorithm::Ed25519 => "ring refuses an Ed25519 key whose embedded public key is not its seed's",
        KeyAlgorithm::Ec(_) => "ring refuses an EC scalar out of range or not paired with the public point (the certificate's, when the key embeds none)",
    };
    format!(
        "rustls (ring) refuses to load {} as an {} signing key: {why}",
        identity.key_member.name(),
        identity.algorithm
    )
}

/// `PrivateKeyInfo { 0, { id-ecPublicKey, curve }, OCTET STRING { ECPrivateKey { 1, scalar,
/// [1] point } } }`, encoded by the `sec1` and `pkcs8` crates into buffers wiped on drop.
/// `None` only for a scalar or point too long for DER, which parsing never lets through.
pub(super) fn ec_pkcs8(curve: Curve, scalar: &[u8], point: &[u8]) -> Option<SecretBytes> {
    const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::EC_PUBLIC_KEY);
    const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::P256);
    const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::P384);
    const P521: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::P521);
    let curve_oid = match curve {
        Curve::P256 => &P256,
        Curve::P384 => &P384,
        Curve::P521 => &P521,
    };
    let ec_private_key = encode(&sec1::EcPrivateKey {
        private_key: scalar,
        parameters: None,
        public_key: Some(point),
    })?;
    encode(&pkcs8::PrivateKeyInfoRef {
        algorithm: pkcs8::AlgorithmIdentifierRef {
            oid: EC_PUBLIC_KEY,
            parameters: Some(AnyRef::from(curve_oid)),
        },
        private_key: OctetStringRef::new(ec_private_key.as_slice()).ok()?,
        public_key: None,
    })
}

/// `value`'s DER, written straight into a buffer of its exact length.
fn encode(value: &impl Encode) -> Option<SecretBytes> {
    let len = usize::try_from(value.encoded_len().ok()?).ok()?;
    let mut out = SecretBytes::zeroed(len);
    value.encode_to_slice(out.as_mut_slice()).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use rustls_pki_types::pem::PemObject;

    use super::*;

    /// The rebuilt key is byte for byte the PKCS#8 that OpenSSL writes (through Python's
    /// `cryptography`) for the same scalar and point, on every curve.
    #[test]
    fn rebuilds_the_pkcs8_openssl_writes() {
        for (file, curve) in [
            ("ec-p256-pkcs8.key.pem", Curve::P256),
            ("ec-p384-pkcs8.key.pem", Curve::P384),
            ("ec-p521-pkcs8.key.pem", Curve::P521),
        ] {
            let path = format!("{}/testdata/keys/{file}", env!("CARGO_MANIFEST_DIR"));
            let written = PrivatePkcs8KeyDer::from_pem_file(&path).unwrap();
            let der = written.secret_pkcs8_der();
            let parts = crate::keys::ec_parts(BlockLabel::PrivateKey, der, Some(curve)).unwrap();
            let rebuilt = ec_pkcs8(parts.curve, parts.scalar, parts.embedded.unwrap()).unwrap();
            assert_eq!(rebuilt.as_slice(), der, "{file}");
        }
    }
}
