//! Ed25519 private keys: the public key is derived from the seed (by ring) and compared.

use ring::signature::{self, Ed25519KeyPair, KeyPair};

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
