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
            .find(|cn| !listed.holds(cn));
        if let Some(cn) = unlisted {
            push(
                findings,
                format!(
                    "{name}'s common name \"{}\" is not among its subjectAltName's names",
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
    dns_names: Vec<&'a str>,
    ips: Vec<String>,
}

impl<'a> Listed<'a> {
    fn new(dns_names: &[&'a str], ips: impl Iterator<Item = String>) -> Self {
        let mut dns_names = dns_names.to_vec();
        dns_names.sort_unstable_by(|a, b| ascii_folded(a).cmp(ascii_folded(b)));
        let mut ips: Vec<String> = ips.collect();
        ips.sort_unstable();
        Self { dns_names, ips }
    }

    /// Whether `cn` is one of the DNS names (in any ASCII case) or an IP address's text.
    fn holds(&self, cn: &str) -> bool {
        self.dns_names
            .binary_search_by(|dns| ascii_folded(dns).cmp(ascii_folded(cn)))
            .is_ok()
            || self.ips.binary_search_by(|ip| ip.as_str().cmp(cn)).is_ok()
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
    fn common_names_are_found_in_any_ascii_case_and_as_ip_addresses() {
        let dns = ["b.certkey.test", "A.certkey.test", "c.certkey.test"];
        let ips = ["10.0.0.1".to_owned(), "::1".to_owned()];
        let listed = Listed::new(&dns, ips.into_iter());
        for cn in [
            "a.certkey.test",
            "B.CERTKEY.TEST",
            "c.certkey.test",
            "10.0.0.1",
            "::1",
        ] {
            assert!(listed.holds(cn), "{cn}");
        }
        for cn in [
            "d.certkey.test",
            "a.certkey.tes",
            "10.0.0.2",
            "",
            "é.certkey.test",
        ] {
            assert!(!listed.holds(cn), "{cn}");
        }
        // Only ASCII letters fold: a DNS name with another letter matches itself only.
        let listed = Listed::new(&["é.certkey.test"], std::iter::empty());
        assert!(listed.holds("é.certkey.test") && !listed.holds("É.certkey.test"));
    }
}
