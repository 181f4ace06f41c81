//! Certificate signatures as rustls verifies them, and as it would with legacy RSA added.
//!
//! webpki is given [`RUSTLS_ALGORITHMS`] first; where it refuses a signature only because it
//! uses SHA-1 or an RSA key under 2048 bits, the chain runs again with [`WITH_LEGACY`], whose
//! RSA PKCS#1 v1.5 verifiers (RustCrypto's `rsa`) take keys from 1024 bits. The weakness is
//! reported by the strength checks; every other rule of path validation still applies.
//! [`verify_signature`] checks one signature outside webpki, for a v1 or v2 leaf that webpki
//! does not read.

use std::marker::PhantomData;
use std::sync::LazyLock;

use pkcs8::der::asn1::AnyRef;
use pkcs8::der::Decode;
use rustls_pki_types::{
    alg_id, AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm,
};
use x509_parser::certificate::X509Certificate;

use crate::der;

/// The signature algorithms rustls (0.23, ring provider) accepts in certificates.
pub(crate) static RUSTLS_ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[
    webpki::ring::ECDSA_P256_SHA256,
    webpki::ring::ECDSA_P256_SHA384,
    webpki::ring::ECDSA_P384_SHA256,
    webpki::ring::ECDSA_P384_SHA384,
    webpki::ring::ED25519,
    webpki::ring::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
    webpki::ring::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
    webpki::ring::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
    webpki::ring::RSA_PKCS1_2048_8192_SHA256,
    webpki::ring::RSA_PKCS1_2048_8192_SHA384,
    webpki::ring::RSA_PKCS1_2048_8192_SHA512,
    webpki::ring::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
    webpki::ring::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
    webpki::ring::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
];

/// The legacy algorithms a weak-but-valid signature uses: PKCS#1 v1.5 with SHA-1, and with
/// SHA-256, SHA-384 or SHA-512 from RSA keys of 1024 bits up. ECDSA with SHA-1 stays refused
/// (neither ring nor rustls verify it).
static LEGACY: &[&dyn SignatureVerificationAlgorithm] = &[
    &LegacyRsa::<sha1::Sha1> {
        // sha1WithRSAEncryption, NULL parameters.
        signature: AlgorithmIdentifier::from_slice(&[
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05, 0x05, 0x00,
        ]),
        hash: PhantomData,
    },
    &LegacyRsa::<sha1::Sha1> {
        // sha1WithRSASignature (OIW), NULL parameters.
        signature: AlgorithmIdentifier::from_slice(&[
            0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1d, 0x05, 0x00,
        ]),
        hash: PhantomData,
    },
    &LegacyRsa::<rsa::sha2::Sha256> {
        signature: alg_id::RSA_PKCS1_SHA256,
        hash: PhantomData,
    },
    &LegacyRsa::<rsa::sha2::Sha384> {
        signature: alg_id::RSA_PKCS1_SHA384,
        hash: PhantomData,
    },
    &LegacyRsa::<rsa::sha2::Sha512> {
        signature: alg_id::RSA_PKCS1_SHA512,
        hash: PhantomData,
    },
];

/// The legacy algorithms, then rustls'. webpki uses the first algorithm whose identifiers
/// match, so for PKCS#1 v1.5 the legacy verifier (1024 bits up) stands in for rustls' (2048
/// bits up).
pub(crate) static WITH_LEGACY: LazyLock<Vec<&'static dyn SignatureVerificationAlgorithm>> =
    LazyLock::new(|| LEGACY.iter().chain(RUSTLS_ALGORITHMS).copied().collect());

/// An RSA PKCS#1 v1.5 verifier for keys of 1024 to 16384 bits with hash `D`, for one exact
/// signature AlgorithmIdentifier, with an rsaEncryption key whose parameters are NULL
/// (RustCrypto's rsa, which reads the RSAPublicKey as strictly as ring).
#[derive(Debug)]
struct LegacyRsa<D> {
    signature: AlgorithmIdentifier,
    hash: PhantomData<fn() -> D>,
}

impl<D> SignatureVerificationAlgorithm for LegacyRsa<D>
where
    D: rsa::sha2::Digest
        + pkcs8::der::oid::AssociatedOid
        + core::fmt::Debug
        + Send
        + Sync
        + 'static,
{
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        use rsa::pkcs1::DecodeRsaPublicKey;
        use rsa::signature::Verifier;
        let key = rsa::PublicKey::from_pkcs1_der(public_key).map_err(|_| InvalidSignature)?;
        let signature =
            rsa::pkcs1v15::Signature::try_from(signature).map_err(|_| InvalidSignature)?;
        rsa::pkcs1v15::VerifyingKey::<D>::new(key)
            .verify(message, &signature)
            .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::RSA_ENCRYPTION
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.signature
    }
}

/// Why [`verify_signature`] refuses a signature.
pub(crate) enum SignatureError {
    /// No algorithm here takes this signature AlgorithmIdentifier with this issuer key.
    Unsupported,
    /// The signature does not verify with the issuer's key.
    Invalid,
}

/// Verifies the signature of the certificate `child_der` with `issuer`'s public key: with
/// rustls' algorithms, then the legacy ones, each matched exactly on both AlgorithmIdentifiers
/// as webpki matches them. Unsupported when none matches; invalid when every one that matches
/// refuses it.
pub(crate) fn verify_signature(
    child_der: &[u8],
    issuer: &X509Certificate<'_>,
) -> Result<(), SignatureError> {
    let (tbs, algorithm, signature) = signed_parts(child_der).ok_or(SignatureError::Invalid)?;
    let (key_algorithm, key) =
        spki_parts(issuer.public_key().raw).ok_or(SignatureError::Unsupported)?;
    let mut matching = RUSTLS_ALGORITHMS.iter().chain(LEGACY).filter(|alg| {
        alg.signature_alg_id().as_ref() == algorithm
            && alg.public_key_alg_id().as_ref() == key_algorithm
    });
    let first = matching.next().ok_or(SignatureError::Unsupported)?;
    let verifies = |alg: &&&dyn SignatureVerificationAlgorithm| {
        alg.verify_signature(key, tbs, signature).is_ok()
    };
    if verifies(&first) || matching.any(|alg| verifies(&alg)) {
        Ok(())
    } else {
        Err(SignatureError::Invalid)
    }
}

/// A certificate's tbsCertificate (whole), the contents of its signatureAlgorithm, and its
/// signature's bytes.
fn signed_parts(der: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let certificate = AnyRef::from_der(der).ok()?;
    let mut reader = pkcs8::der::SliceReader::new(certificate.value()).ok()?;
    let tbs = pkcs8::der::Reader::tlv_bytes(&mut reader).ok()?;
    let algorithm = AnyRef::decode(&mut reader).ok()?;
    let signature = AnyRef::decode(&mut reader).ok()?;
    Some((tbs, algorithm.value(), der::whole_bytes(signature.value())?))
}

/// A SubjectPublicKeyInfo's algorithm (contents) and public key bytes.
fn spki_parts(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let spki = AnyRef::from_der(der).ok()?;
    let mut reader = pkcs8::der::SliceReader::new(spki.value()).ok()?;
    let algorithm = AnyRef::decode(&mut reader).ok()?;
    let key = AnyRef::decode(&mut reader).ok()?;
    Some((algorithm.value(), der::whole_bytes(key.value())?))
}
