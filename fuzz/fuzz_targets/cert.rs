//! DER bytes through certificate parsing, validity, strength, the CA profile and the chain,
//! as a leaf under the fixtures' CA and as a CA over the fixtures' leaf.
#![no_main]

#[path = "slow.rs"]
mod slow;

use std::time::{Duration, SystemTime};

use certkey::harness::chain;
use libfuzzer_sys::fuzz_target;

static CA: &[u8] = include_bytes!("../certs/ca.der");
static LEAF: &[u8] = include_bytes!("../certs/rsa2048.der");

fuzz_target!(|data: &[u8]| {
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000);
    slow::bounded(|| {
        let _ = chain(CA, data, at);
        let _ = chain(data, LEAF, at);
    });
});
