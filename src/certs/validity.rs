//! Validity at the audit time: `cert.expired`, `cert.not_yet_valid`, `cert.expires_soon`.
//! Every stack refuses a certificate outside its validity, except rustls for the CA: webpki
//! does not look at a trust anchor's dates (`tests/stacks.rs`).

use std::time::Duration;

use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;

use crate::catalog::CheckId;
use crate::finding::{Field, Finding, Findings};
use crate::member::{Member, Role};
use crate::refusals::Fact;
use crate::text;

/// Judges one certificate's validity window against the audit time.
pub(crate) fn check(
    member: Member,
    cert: &X509Certificate<'_>,
    audit_time: OffsetDateTime,
    warning_window: Duration,
    findings: &mut Findings,
) {
    let field = || Some(Field::Member(member));
    let not_before = cert.validity().not_before.to_datetime();
    let not_after = cert.validity().not_after.to_datetime();
    if not_before > audit_time {
        let clock = match member.role() {
            Role::Source => "check the source server's clock",
            _ => "check the clock of the machine running the audit, and the target's",
        };
        findings.push(
            Finding::new(
                CheckId::CertNotYetValid,
                field(),
                format!(
                    "{} is not valid yet: notBefore ({}) is {} after the audit time: {clock}",
                    member.name(),
                    text::rfc3339(not_before),
                    text::span(not_before - audit_time)
                ),
            )
            .with_hint("clock skew between the source server and the service is the usual cause; a TLS handshake fails until notBefore")
            .refused_only_by(crate::refusals::judging_certificate(member)),
        );
    }
    if not_after < audit_time {
        findings.push(
            Finding::new(
                CheckId::CertExpired,
                field(),
                format!(
                    "{} expired {} before the audit time (notAfter {})",
                    member.name(),
                    text::span(audit_time - not_after),
                    text::rfc3339(not_after)
                ),
            )
            .refused_only_by(crate::refusals::judging_certificate(member)),
        );
    } else if not_after == audit_time {
        // Before 4.0, OpenSSL's X509_cmp_time counts a notAfter equal to the time as past:
        // OpenSSL 3 refuses the certificate at its last second, 4.0 accepts it
        // (tests/stacks.rs).
        findings.push(
            Finding::new(
                CheckId::CertExpired,
                field(),
                format!(
                    "{} expires at the audit time, to the second (notAfter {}): RFC 5280 and OpenSSL 4.0 count that second as valid, OpenSSL 3 as expired",
                    member.name(),
                    text::rfc3339(not_after)
                ),
            )
            .refused_only_by(Fact::CertNotAfterIsAuditTime.refused_by()),
        );
    } else if not_after - audit_time <= warning_window {
        findings.push(Finding::new(
            CheckId::CertExpiresSoon,
            field(),
            format!(
                "{} expires in {} (notAfter {}), within the {} warning window",
                member.name(),
                text::span(not_after - audit_time),
                text::rfc3339(not_after),
                window_name(warning_window)
            ),
        ));
    }
}

/// `30-day`, or the span when the window is not whole days.
fn window_name(window: Duration) -> String {
    let seconds = window.as_secs();
    if seconds.is_multiple_of(86_400) {
        format!("{}-day", seconds / 86_400)
    } else {
        text::span(time::Duration::try_from(window).unwrap_or(time::Duration::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_of_whole_days_are_named_in_days() {
        assert_eq!(window_name(Duration::from_secs(30 * 86_400)), "30-day");
        assert_eq!(window_name(Duration::from_secs(12 * 3600)), "12h 0m");
        assert_eq!(window_name(Duration::from_secs(86_400 + 60)), "1d 0h");
    }
}
