//! Shared by the fuzz targets: the pinned audit time and the report invariants.

#![allow(dead_code)] // each target uses its own subset

use std::time::{Duration, SystemTime};

use certkey::{Policy, Report, Severity};

pub fn policy() -> Policy {
    Policy::default().with_at(SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000))
}

/// What every report must satisfy, whatever the input: the verdict agrees with the
/// findings, an ok report has every key consistent and matching its certificate (unless the
/// policy allowed a finding: the operator accepted something), and the report serializes. A
/// finding fails the report when it is not allowed and is an error, or a warning under a
/// strict policy.
pub fn check_report(report: &Report) -> String {
    let fails = report.findings().iter().any(|f| {
        !f.is_allowed()
            && (f.severity() == Severity::Error
                || (report.is_strict() && f.severity() == Severity::Warning))
    });
    assert_eq!(report.is_ok(), !fails);
    if report.is_ok() && !report.findings().iter().any(|f| f.is_allowed()) {
        for key in report.keys() {
            assert!(key.consistent, "ok with an inconsistent key");
            assert_eq!(key.matches_certificate, Some(true), "ok with an unmatched key");
        }
        assert_eq!(report.keys().len(), 3, "ok without three keys");
    }
    serde_json::to_string(report).expect("a report always serializes")
}
