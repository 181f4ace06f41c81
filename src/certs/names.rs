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
use crate::stacks::{Stack, Stacks};
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
            Stacks::of(&[Stack::Python, Stack::Pyca])
        } else {
            Stacks::of(&[Stack::Python])
        };
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
            Stacks::of(&[Stack::Pyca]),
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
            Stacks::of(&[Stack::Go]),
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
            Stacks::NONE,
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
            Stacks::NONE,
        );
    }

    // The CA/Browser Forum: a common name, when present, repeats one of the names.
    if !dns_names.is_empty() {
        let ips: Vec<String> = names
            .iter()
            .filter_map(|name| match name {
                GeneralName::IPAddress(bytes) => ip_text(bytes),
                _ => None,
            })
            .collect();
        for common_name in leaf.parsed.subject().iter_common_name() {
            let Ok(cn) = common_name.as_str() else {
                continue;
            };
            let listed = dns_names.iter().any(|dns| dns.eq_ignore_ascii_case(cn))
                || ips.iter().any(|ip| ip == cn);
            if !listed {
                push(
                    findings,
                    format!(
                        "{name}'s common name \"{}\" is not among its subjectAltName's names",
                        quote(cn, 80)
                    ),
                    Stacks::NONE,
                );
                break;
            }
        }
    }
}

/// An IP address entry as text (4 or 16 bytes), to compare with a common name.
fn ip_text(bytes: &[u8]) -> Option<String> {
    match bytes.len() {
        4 => Some(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(bytes).ok()?).to_string()),
        16 => Some(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(bytes).ok()?).to_string()),
        _ => None,
    }
}
