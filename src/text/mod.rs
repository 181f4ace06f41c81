//! Text certkey prints: quoting untrusted input ([`quote`]), and the forms reports give
//! times (RFC 3339), spans of time and bytes (hex).

mod quote;
mod screen;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub(crate) use quote::{escape, quote, Untrusted, UntrustedString};
pub(crate) use screen::Secrets;

/// A moment as RFC 3339, or as Unix time should formatting ever fail.
pub(crate) fn rfc3339(time: OffsetDateTime) -> String {
    time.format(&Rfc3339)
        .unwrap_or_else(|_| format!("{} (unix time)", time.unix_timestamp()))
}

/// A span of time in the two largest units that say it: `3d 4h`, `6h 0m`, `12m 5s`.
pub(crate) fn span(duration: time::Duration) -> String {
    let seconds = duration.whole_seconds().unsigned_abs();
    let (days, hours, minutes, secs) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
        seconds % 60,
    );
    if days > 0 {
        format!("{days}d {hours}h")
    } else if hours > 0 {
        format!("{hours}h {minutes}m")
    } else {
        format!("{minutes}m {secs}s")
    }
}

/// Bytes as colon-separated hex pairs, `0A:BC` (or `0a:bc`): serials and fingerprints.
pub(crate) fn hex_bytes(bytes: &[u8], upper: bool) -> String {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut out = Vec::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(b':');
        }
        out.extend([digits[usize::from(b >> 4)], digits[usize::from(b & 0x0f)]]);
    }
    // Hex digits and colons only: always UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// The first four bytes of a public value, as hex: enough to tell two values apart.
pub(crate) fn hex_prefix(bytes: &[u8]) -> String {
    bytes.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_bytes_are_colon_separated() {
        assert_eq!(hex_bytes(&[0x0a, 0xbc], true), "0A:BC");
        assert_eq!(hex_bytes(&[0x0a, 0xbc], false), "0a:bc");
        assert_eq!(hex_bytes(&[], false), "");
        assert_eq!(hex_prefix(&[0x0a, 0xbc, 1, 2, 3]), "0abc0102");
    }

    #[test]
    fn spans_use_the_two_largest_units() {
        assert_eq!(span(time::Duration::seconds(6 * 3600)), "6h 0m");
        assert_eq!(
            span(time::Duration::seconds(3 * 86_400 + 4 * 3600 + 59)),
            "3d 4h"
        );
        assert_eq!(span(time::Duration::seconds(725)), "12m 5s");
        assert_eq!(span(time::Duration::seconds(-90)), "1m 30s");
    }

    #[test]
    fn times_are_rfc_3339_in_utc() {
        assert_eq!(
            rfc3339(OffsetDateTime::from_unix_timestamp(1_780_000_000).unwrap()),
            "2026-05-28T20:26:40Z"
        );
    }
}
