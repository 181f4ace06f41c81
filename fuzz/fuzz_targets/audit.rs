//! Raw bytes through the whole audit. Beyond "no panic": the verdict agrees with the
//! findings, and the report always serializes.
#![no_main]

use std::time::{Duration, SystemTime};

use certkey::{audit, Policy, Severity};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let policy = Policy::default()
        .with_audit_time(SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000));
    let report = audit(data, &policy);
    let has_error = report.findings().iter().any(|f| f.severity() == Severity::Error);
    assert_eq!(report.is_ok(), !has_error);
    serde_json::to_string(&report).expect("a report always serializes");
});
