//! Raw bytes through the whole audit, with the report invariants asserted.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = certkey::audit(data, &common::policy());
    common::check_report(&report);
});
