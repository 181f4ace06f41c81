//! DER bytes through key parsing, consistency and matching, against a fixed certificate of
//! each algorithm (or none).
#![no_main]

#[path = "slow.rs"]
mod slow;

use certkey::harness::{key_pair, KeyLabel};
use libfuzzer_sys::fuzz_target;

/// The certificates of the rsa2048, ec-p256 and ed25519 key fixtures, as DER.
static CERTS: [&[u8]; 3] = [
    include_bytes!("../certs/rsa2048.der"),
    include_bytes!("../certs/ec-p256.der"),
    include_bytes!("../certs/ed25519.der"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, der)) = data.split_first() else {
        return;
    };
    let label = [KeyLabel::Pkcs1, KeyLabel::Pkcs8, KeyLabel::Sec1][usize::from(selector & 3) % 3];
    let cert = match (selector >> 2) % 4 {
        3 => None,
        index => Some(CERTS[usize::from(index)]),
    };
    let deep = selector & 0x80 != 0 && der.len() < 2048;
    // Deep mode tests primes for primality: milliseconds to a second for the largest, by
    // design (bounded at 4096 bits), so only the default checks are held to the bound.
    let (findings, matched) = if deep {
        key_pair(label, der, cert, deep)
    } else {
        slow::bounded(|| key_pair(label, der, cert, deep))
    };
    if matched == Some(true) {
        assert!(cert.is_some());
    }
    if cert.is_none() {
        assert_eq!(matched, None);
    }
    for finding in &findings {
        assert!(!finding.message().is_empty());
    }
});
