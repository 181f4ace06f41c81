//! Raw bytes through the whole audit, with the report invariants asserted.
#![no_main]

#[path = "slow.rs"]
mod slow;

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = slow::bounded(|| certkey::audit(data, &common::policy()));
    common::check_report(&report);
});
