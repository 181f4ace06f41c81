//! Encrypted key blocks decrypted with the fixtures' passphrase: PKCS#8 PBES2 parameters and
//! legacy DEK-Info headers of any shape. Key-derivation work is bounded tighter than by
//! default (PBKDF2 10,000 iterations, scrypt 1 MiB) so that an input runs in milliseconds; the
//! default bounds' worst case is measured by `cargo bench --bench encrypted`.
//!
//! Input: a selector byte (0: PKCS#8; 1-3: legacy PEM encryption of an RSA, PKCS#8 or EC key),
//! then, for the legacy forms, the DEK-Info value up to a line break; then the DER.
#![no_main]

#[path = "slow.rs"]
mod slow;

use certkey::harness::encrypted_key_input;
use certkey::{CheckId, KdfLimits, Member};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = KdfLimits::new(10_000, 1 << 20);
    let findings = slow::bounded(|| encrypted_key_input(data, b"fixture-passphrase", limits));
    for finding in &findings {
        assert_eq!(finding.member(), Some(Member::PrivateKey));
        // The passphrase is never quoted.
        assert!(!finding.message().contains("fixture-passphrase"));
    }
    // Decryption either fails with one finding, or the key layer ran on a decrypted key.
    let refusals = findings
        .iter()
        .filter(|f| {
            matches!(
                f.id(),
                CheckId::KeyPassphraseWrong | CheckId::KeyEncryptionUnsupported | CheckId::KeyEncrypted
            )
        })
        .count();
    assert!(refusals <= 1);
});
