//! The names a leaf certificate answers to: `cert.san`, `cert.subject`.
//!
//! A TLS client that checks the server's name matches it against the subjectAltName alone
//! (RFC 6125; Go since 1.15, rustls, pyca and OpenSSL's host checks never fall back to the
//! common name). What each stack refuses was measured by `tests/stacks.rs`: pyca's server
//! verifier always checks a name, and refuses a certificate with no DNS name or IP address
//! to match; OpenSSL with X509_STRICT refuses an empty subjectAltName, and an empty subject
//! whose subjectAltName is not critical (as pyca does); Go refuses a DNS name with bytes
//! outside ASCII. An IP address written as a DNS name, an underscore, and a common name
//! missing from the DNS names are refused by none: profile rules, warnings.

use x509_parser::extensions::GeneralName;
use x509_parser::x509::X509Version;

use crate::catalog::CheckId;
use crate::certs::BundleCert;
use crate::finding::{Field, Finding, Findings};
use crate::member::Role;
use crate::refusals::Fact;
use crate::stacks::Stacks;
use crate::text::quote;

/// `cert.san` and `cert.subject` for a leaf. The source is a TLS client, whose names no
/// server checks: only a target needs a name to match.
pub(crate) fn check(leaf: &BundleCert<'_>, findings: &mut Findings) {
    let name = leaf.member.name();
    let is_target = leaf.member.role() != Role::Source;
    let san = match leaf.parsed.subject_alternative_name() {
        Ok(san) => san,
        // An unreadable extension is cert.malformed.
        Err(_) => return,
    };
    let push = |findings: &mut Findings, message: String, stacks: Stacks| {
        findings.push(
            Finding::new(CheckId::CertSan, Some(Field::Member(leaf.member)), message)
                .refused_only_by(stacks),
        );
    };

    let subject_empty = leaf.parsed.subject().iter_attributes().next().is_none();
    if subject_empty && !san.as_ref().is_some_and(|san| san.critical) {
        findings.push(Finding::new(
            CheckId::CertSubject,
            Some(Field::Member(leaf.member)),
            format!("{name} has an empty subject and no critical subjectAltName to name it"),
        ));
    }

    let names = san
        .as_ref()
        .map_or(&[][..], |san| &san.value.general_names[..]);
    let hosts = names
        .iter()
        .filter(|name| matches!(name, GeneralName::DNSName(_) | GeneralName::IPAddress(_)))
        .count();
    if san.is_some() && names.is_empty() {
        let stacks = if is_target {
            Fact::SanEmptyOnServer
        } else {
            Fact::SanEmptyOnClient
        }
        .refused_by();
        push(
            findings,
            format!("{name} has a subjectAltName extension that holds no name (RFC 5280 requires at least one)"),
            stacks,
        );
    } else if hosts == 0 && is_target {
        push(
            findings,
            format!(
                "{name} has no DNS name or IP address in a subjectAltName: a client that checks the {} server's name cannot match it",
                leaf.member.role().as_str()
            ),
            Fact::SanNoHostOnServer.refused_by(),
        );
    } else if san.is_none() && !is_target && leaf.parsed.version() == X509Version::V3 {
        // Version 1 and 2 carry no extensions: that is cert.version's to report.
        push(
            findings,
            format!("{name} has no subjectAltName extension: the CA/Browser Forum profile wants one in a client's certificate too"),
            Fact::SanAbsentOnClient.refused_by(),
        );
    }

    let dns_names: Vec<&str> = names
        .iter()
        .filter_map(|name| match name {
            GeneralName::DNSName(dns) => Some(*dns),
            _ => None,
        })
        .collect();
    if let Some(dns) = dns_names.iter().find(|dns| !dns.is_ascii()) {
        push(
            findings,
            format!(
                "{name}'s subjectAltName has the DNS name \"{}\", with characters outside ASCII (an internationalized name must be written in its xn-- form)",
                quote(dns, 80)
            ),
            Fact::SanDnsNotAscii.refused_by(),
        );
    } else if let Some(dns) = dns_names
        .iter()
        .find(|dns| dns.parse::<std::net::IpAddr>().is_ok())
    {
        push(
            findings,
            format!(
                "{name}'s subjectAltName has the IP address {dns} written as a DNS name: clients that connect by address match IP address entries only"
            ),
            Fact::SanUnusual.refused_by(),
        );
    } else if let Some((dns, bad)) = dns_names.iter().find_map(|dns| {
        let host = dns.strip_prefix("*.").unwrap_or(dns);
        host.chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
            .map(|bad| (dns, bad))
    }) {
        push(
            findings,
            format!(
                "{name}'s subjectAltName has the DNS name \"{}\", with {bad:?}, which a host name cannot hold (letters, digits, hyphens and dots only)",
                quote(dns, 80)
            ),
            Fact::SanUnusual.refused_by(),
        );
    }

    // The CA/Browser Forum: a common name, when present, repeats one of the names.
    if !dns_names.is_empty() {
        let ips = names.iter().filter_map(|name| match name {
            GeneralName::IPAddress(bytes) => ip_text(bytes),
            _ => None,
        });
        let listed = Listed::new(&dns_names, ips);
        let unlisted = leaf
            .parsed
            .subject()
            .iter_common_name()
            .filter_map(|cn| cn.as_str().ok())
            .find_map(|cn| match listed.holds(cn) {
                Held::Exactly => None,
                other => Some((cn, other)),
            });
        if let Some((cn, held)) = unlisted {
            let how = match held {
                Held::InOtherCase => "is among its subjectAltName's names only in another case",
                Held::InOtherNotation => {
                    "is among its subjectAltName's IP addresses only written another way"
                }
                Held::Exactly | Held::No => "is not among its subjectAltName's names",
            };
            push(
                findings,
                format!(
                    "{name}'s common name \"{}\" {how} (the CA/Browser Forum wants it repeated exactly)",
                    quote(cn, 80)
                ),
                Fact::SanUnusual.refused_by(),
            );
        }
    }
}

/// The subjectAltName's DNS names (in any ASCII case) and IP addresses, to look common names
/// up in: sorted, so that a subject of many common names against many names takes n log n
/// steps, not n x n.
struct Listed<'a> {
    /// Sorted as written, and in ASCII-folded order.
    dns_names: Vec<&'a str>,
    folded: Vec<&'a str>,
    ips: Vec<String>,
}

/// How a common name is among the subjectAltName's names.
#[derive(Debug, PartialEq, Eq)]
enum Held {
    /// As a DNS name or an IP address's text, byte for byte.
    Exactly,
    /// As a DNS name in another ASCII case.
    InOtherCase,
    /// As the text of an IP address written another way (`2001:DB8::1` for 2001:db8::1).
    InOtherNotation,
    No,
}

impl<'a> Listed<'a> {
    fn new(dns_names: &[&'a str], ips: impl Iterator<Item = String>) -> Self {
        let mut folded = dns_names.to_vec();
        folded.sort_unstable_by(|a, b| ascii_folded(a).cmp(ascii_folded(b)));
        let mut dns_names = dns_names.to_vec();
        dns_names.sort_unstable();
        let mut ips: Vec<String> = ips.collect();
        ips.sort_unstable();
        Self {
            dns_names,
            folded,
            ips,
        }
    }

    /// How `cn` is among the DNS names or the IP addresses' texts.
    fn holds(&self, cn: &str) -> Held {
        let ip = |text: &str| {
            self.ips
                .binary_search_by(|ip| ip.as_str().cmp(text))
                .is_ok()
        };
        if self.dns_names.binary_search(&cn).is_ok() || ip(cn) {
            Held::Exactly
        } else if self
            .folded
            .binary_search_by(|dns| ascii_folded(dns).cmp(ascii_folded(cn)))
            .is_ok()
        {
            Held::InOtherCase
        } else if cn
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| ip(&address.to_string()))
        {
            Held::InOtherNotation
        } else {
            Held::No
        }
    }
}

/// `text`'s bytes with ASCII letters in lowercase, for ordering as `eq_ignore_ascii_case`
/// compares.
fn ascii_folded(text: &str) -> impl Iterator<Item = u8> + '_ {
    text.bytes().map(|b| b.to_ascii_lowercase())
}

/// An IP address entry as text (4 or 16 bytes), to compare with a common name.
fn ip_text(bytes: &[u8]) -> Option<String> {
    match bytes.len() {
        4 => Some(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(bytes).ok()?).to_string()),
        16 => Some(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(bytes).ok()?).to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_names_are_found_as_written_in_another_case_or_notation() {
        let dns = ["b.certkey.test", "A.certkey.test", "c.certkey.test"];
        let ips = ["10.0.0.1".to_owned(), "2001:db8::1".to_owned()];
        let listed = Listed::new(&dns, ips.into_iter());
        for cn in [
            "A.certkey.test",
            "c.certkey.test",
            "10.0.0.1",
            "2001:db8::1",
        ] {
            assert_eq!(listed.holds(cn), Held::Exactly, "{cn}");
        }
        for cn in ["a.certkey.test", "B.CERTKEY.TEST"] {
            assert_eq!(listed.holds(cn), Held::InOtherCase, "{cn}");
        }
        for cn in ["2001:DB8::1", "2001:db8:0:0:0:0:0:1"] {
            assert_eq!(listed.holds(cn), Held::InOtherNotation, "{cn}");
        }
        for cn in [
            "d.certkey.test",
            "a.certkey.tes",
            "10.0.0.2",
            "",
            "é.certkey.test",
        ] {
            assert_eq!(listed.holds(cn), Held::No, "{cn}");
        }
        // Only ASCII letters fold: a DNS name with another letter matches itself only.
        let listed = Listed::new(&["é.certkey.test"], std::iter::empty());
        assert_eq!(listed.holds("é.certkey.test"), Held::Exactly);
        assert_eq!(listed.holds("É.certkey.test"), Held::No);
    }
}
