//! The CA's name constraints on what OpenSSL checks beyond the subjectAltName, which
//! rustls-webpki (the chain engine) does not: `chain.untrusted`.
//!
//! OpenSSL's `NAME_CONSTRAINTS_check` and `NAME_CONSTRAINTS_check_CN`
//! (`crypto/x509/v3_ncons.c`, run by `check_name_constraints` in `x509_vfy.c` for every
//! certificate under a constrained one, the trust anchor's constraints included):
//!
//! - each emailAddress attribute of the subject is matched against the rfc822Name subtrees
//!   (it must be an IA5String);
//! - each common name that looks like a host name (`cn2dnsid`: letters, digits, `_`, and
//!   inner `-` and `.`, with at least one dot) is matched against the DNS subtrees, when the
//!   leaf has no DNS name in its subjectAltName.
//!
//! A name of a type some subtrees constrain must match one of them, and no excluded subtree
//! of its type. Go, rustls and pyca check the subjectAltName only (measured by
//! `tests/stacks.rs`). And pyca reads each DNS constraint as a host name, refusing a chain
//! whose DNS names meet one that is not.
//!
//! The work is bounded as OpenSSL bounds it: over `NAME_CHECK_MAX` (2^20) names times
//! constraints, OpenSSL refuses the chain without comparing (and so does this check); below
//! it, each comparison costs at most the shorter of the two names.

use x509_parser::extensions::{GeneralName, GeneralSubtree};

use crate::catalog::CheckId;
use crate::certs::BundleCert;
use crate::finding::{Field, Finding, Findings};
use crate::refusals::Fact;
use crate::text::quote;

/// OpenSSL's `NAME_CHECK_MAX`: the most names times constraints it compares.
const NAME_CHECK_MAX: usize = 1 << 20;

/// pkcs-9 emailAddress.
const EMAIL_ADDRESS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];
/// The tag of an IA5String.
const IA5_STRING: u32 = 22;

/// How many characters of a name a finding quotes.
const NAME_MAX_CHARS: usize = 80;

/// A name's verdict under a set of constraints.
enum Breach {
    Permitted,
    Excluded,
    /// An address with no `@`, or a NUL in a local part.
    Syntax,
    /// A subject emailAddress that is not an IA5String: refused under any constraints.
    NotIa5String,
}

/// `chain.untrusted` for a leaf whose subject breaks `ca`'s name constraints where only
/// OpenSSL looks, or whose DNS names meet a DNS constraint pyca cannot read.
pub(crate) fn check(leaf: &BundleCert<'_>, ca: &BundleCert<'_>, findings: &mut Findings) {
    let Ok(Some(constraints)) = ca.parsed.name_constraints() else {
        return;
    };
    if !leaf.names_as_issuer(ca) {
        return;
    }
    let permitted = constraints
        .value
        .permitted_subtrees
        .as_deref()
        .unwrap_or(&[]);
    let excluded = constraints
        .value
        .excluded_subtrees
        .as_deref()
        .unwrap_or(&[]);
    let san = leaf.parsed.subject_alternative_name().ok().flatten();
    let san_names = san.map_or(&[][..], |san| &san.value.general_names[..]);
    let has_dns_name = san_names
        .iter()
        .any(|name| matches!(name, GeneralName::DNSName(_)));
    if has_dns_name {
        check_dns_constraint_syntax(leaf, permitted.iter().chain(excluded), findings);
    }
    let subject = leaf.parsed.subject();
    // OpenSSL refuses outright when names times constraints exceed its limit (and checks no
    // name then); below it, the comparisons here are bounded by the same product.
    let names = subject.iter_attributes().count() + san_names.len();
    let constraint_count = permitted.len() + excluded.len();
    if over_openssl_limit(names, constraint_count) {
        findings.push(
            Finding::new(
                CheckId::ChainUntrusted,
                Some(Field::Member(leaf.member)),
                format!(
                    "{}'s {names} names (subject attributes and subjectAltNames) times the CA's {constraint_count} name constraints exceed the {NAME_CHECK_MAX} comparisons OpenSSL makes: it refuses the chain without checking them",
                    leaf.member.name()
                ),
            )
            .with_hint("the service must issue a leaf with fewer names, or a CA with fewer constraints")
            .refused_only_by(Fact::NameChecksOverOpenSslLimit.refused_by()),
        );
        return;
    }
    let mut breach = None;
    for attribute in subject.iter_attributes() {
        if attribute.attr_type().as_bytes() != EMAIL_ADDRESS {
            continue;
        }
        let value = attribute.attr_value();
        let result = if value.tag().0 == IA5_STRING {
            matches(value.data, permitted, excluded, Kind::Email)
        } else {
            Err(Breach::NotIa5String)
        };
        if let Err(why) = result {
            breach = Some(("emailAddress", value.data, why));
            break;
        }
    }
    if breach.is_none() && !has_dns_name {
        for cn in subject.iter_common_name() {
            let Some(host) = host_name(cn.attr_value().tag().0, cn.attr_value().data) else {
                continue;
            };
            if let Err(why) = matches(host, permitted, excluded, Kind::Dns) {
                breach = Some(("common name", host, why));
                break;
            }
        }
    }
    let Some((what, value, why)) = breach else {
        return;
    };
    let value = quote(&String::from_utf8_lossy(value), NAME_MAX_CHARS);
    let reason = match why {
        Breach::Permitted => "outside the CA's permitted subtrees",
        Breach::Excluded => "inside one of the CA's excluded subtrees",
        Breach::Syntax => "no address OpenSSL can match against the CA's constraints",
        Breach::NotIa5String => "not an IA5String, which OpenSSL requires of a subject email address under any name constraints",
    };
    let detail = if what == "common name" {
        "; OpenSSL checks a common name that looks like a host name when the certificate has no DNS name in its subjectAltName"
    } else {
        "; OpenSSL checks the subject's email addresses against the CA's name constraints"
    };
    findings.push(
        Finding::new(
            CheckId::ChainUntrusted,
            Some(Field::Member(leaf.member)),
            format!(
                "{}'s subject {what} \"{value}\" is {reason}{detail}",
                leaf.member.name()
            ),
        )
        .with_hint("the CA may not issue certificates for these names: the service must issue names within its constraints, or put the host's name in the subjectAltName")
        .refused_only_by(Fact::SubjectOutsideNameConstraints.refused_by()),
    );
}

/// Whether OpenSSL refuses to compare `names` names with `constraints` constraints
/// (`name_count > 0 && constraint_count > NAME_CHECK_MAX / name_count`, which is their
/// product over the limit).
fn over_openssl_limit(names: usize, constraints: usize) -> bool {
    names.saturating_mul(constraints) > NAME_CHECK_MAX
}

/// pyca's verifier reads each DNS constraint as a host name when it checks a DNS name
/// against it (`DNSConstraint::new`), and refuses the chain when one is not (a leading
/// period, an empty label, a character outside letters, digits and hyphens); Go 1.23 and
/// OpenSSL take a leading period as "below this domain" (`names-ca-permits-dns-leading-period`).
fn check_dns_constraint_syntax<'a>(
    leaf: &BundleCert<'_>,
    mut subtrees: impl Iterator<Item = &'a GeneralSubtree<'a>>,
    findings: &mut Findings,
) {
    let malformed = subtrees.find_map(|subtree| match subtree.base {
        GeneralName::DNSName(base) if !is_host_name(base) => Some(base),
        _ => None,
    });
    if let Some(base) = malformed {
        findings.push(
            Finding::new(
                CheckId::ChainUntrusted,
                Some(Field::Member(leaf.member)),
                format!(
                    "the CA's name constraints hold the DNS name \"{}\", which is no host name (a leading period, an empty label, or a character other than letters, digits and hyphens): a verifier that reads constraints as host names cannot check {}'s DNS names against it",
                    quote(base, NAME_MAX_CHARS),
                    leaf.member.name()
                ),
            )
            .with_hint("the service's CA must write DNS name constraints as host names (certkey.test, not .certkey.test)")
            .refused_only_by(Fact::DnsConstraintNotAHostName.refused_by()),
        );
    }
}

/// pyca's `DNSName::new`: at most 253 characters, in labels of 1 to 63 letters, digits and
/// hyphens that neither start nor end with a hyphen.
fn is_host_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[derive(Clone, Copy)]
enum Kind {
    Dns,
    Email,
}

/// OpenSSL's `nc_match` for one name: some permitted subtree of its kind must match it (if
/// there is any), and no excluded one.
fn matches(
    name: &[u8],
    permitted: &[GeneralSubtree<'_>],
    excluded: &[GeneralSubtree<'_>],
    kind: Kind,
) -> Result<(), Breach> {
    let mut of_kind = false;
    let mut matched = false;
    for subtree in permitted {
        let Some(base) = base_of(subtree, kind) else {
            continue;
        };
        of_kind = true;
        if !matched {
            matched = within(name, base, kind)?;
        }
    }
    if of_kind && !matched {
        return Err(Breach::Permitted);
    }
    for subtree in excluded {
        if let Some(base) = base_of(subtree, kind) {
            if within(name, base, kind)? {
                return Err(Breach::Excluded);
            }
        }
    }
    Ok(())
}

fn base_of<'a>(subtree: &GeneralSubtree<'a>, kind: Kind) -> Option<&'a [u8]> {
    match (kind, &subtree.base) {
        (Kind::Dns, GeneralName::DNSName(base)) | (Kind::Email, GeneralName::RFC822Name(base)) => {
            Some(base.as_bytes())
        }
        _ => None,
    }
}

/// Whether `name` lies within the subtree `base` (`nc_dns`, `nc_email`).
fn within(name: &[u8], base: &[u8], kind: Kind) -> Result<bool, Breach> {
    match kind {
        Kind::Dns => Ok(dns_within(name, base)),
        Kind::Email => email_within(name, base),
    }
}

/// `nc_dns`: an empty base matches every name; otherwise the name ends with the base, at a
/// label boundary unless the base starts with a dot, in any ASCII case.
fn dns_within(name: &[u8], base: &[u8]) -> bool {
    if base.is_empty() {
        return true;
    }
    let Some(start) = name.len().checked_sub(base.len()) else {
        return false;
    };
    if start > 0 && base[0] != b'.' && name[start - 1] != b'.' {
        return false;
    }
    name[start..].eq_ignore_ascii_case(base)
}

/// `nc_email`: a base with a local part matches that mailbox (the local part exactly, the
/// host in any case); a base starting with a dot matches every host under it; another base
/// is the host itself.
fn email_within(address: &[u8], base: &[u8]) -> Result<bool, Breach> {
    let Some(at) = address.iter().rposition(|&b| b == b'@') else {
        return Err(Breach::Syntax);
    };
    let base_at = base.iter().rposition(|&b| b == b'@');
    if base_at.is_none() && base.first() == Some(&b'.') {
        let Some(start) = address.len().checked_sub(base.len()) else {
            return Ok(false);
        };
        // The same length would make the address the base, which has no `@`.
        return Ok(address[start..].eq_ignore_ascii_case(base));
    }
    let mut base_host = base;
    if let Some(base_at) = base_at {
        if base_at > 0 {
            let local = &base[..base_at];
            if local.contains(&0) || address[..at].contains(&0) {
                return Err(Breach::Syntax);
            }
            if local != &address[..at] {
                return Ok(false);
            }
        }
        base_host = &base[base_at + 1..];
    }
    Ok(address[at + 1..].eq_ignore_ascii_case(base_host))
}

/// `cn2dnsid`: the common name as a DNS name, when it looks like one (checked only for the
/// string types that convert to ASCII as they are; OpenSSL converts BMPString and
/// UniversalString too, which no certificate of a bundle uses for a host name).
fn host_name(tag: u32, data: &[u8]) -> Option<&[u8]> {
    // UTF8String, PrintableString, IA5String, VisibleString, T61String: ASCII as it is.
    if !matches!(tag, 12 | 19 | 20 | 22 | 26) {
        return None;
    }
    let end = data.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    let name = &data[..end];
    // Letters, digits and `_` in labels of at least one; `-` inside a label only; at least
    // two labels. (OpenSSL's loop says it character by character: `-` and `.` never first
    // or last, and never `.` beside `.` or `-`.)
    let label_ok = |label: &[u8]| {
        !label.is_empty()
            && label.first() != Some(&b'-')
            && label.last() != Some(&b'-')
            && label
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    let mut labels = name.split(|&b| b == b'.');
    let first_ok = labels.next().is_some_and(label_ok);
    let mut rest = labels.peekable();
    let dotted = rest.peek().is_some();
    (first_ok && dotted && rest.all(label_ok)).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_are_those_openssl_takes_for_one() {
        assert_eq!(host_name(12, b"a.b"), Some(&b"a.b"[..]));
        assert_eq!(host_name(12, b"a-b_.c-d"), Some(&b"a-b_.c-d"[..]));
        assert_eq!(
            host_name(19, b"x_1.certkey-test.net\0\0"),
            Some(&b"x_1.certkey-test.net"[..])
        );
        for not_one in [
            &b"certkey"[..],
            b"source agent",
            b".a.b",
            b"a.b.",
            b"a..b",
            b"a-.b",
            b"a.-b",
            b"-a.b",
            b"a.b-",
            b"a\0.b",
            b"",
            b"\0",
        ] {
            assert_eq!(host_name(12, not_one), None, "{not_one:?}");
        }
        // A BMPString is not read.
        assert_eq!(host_name(30, b"a.b"), None);
    }

    #[test]
    fn openssl_compares_up_to_two_to_the_twenty_names_times_constraints() {
        assert!(!over_openssl_limit(1024, 1024));
        assert!(over_openssl_limit(1024, 1025));
        assert!(over_openssl_limit(1025, 1024));
        assert!(!over_openssl_limit(0, usize::MAX));
        assert!(over_openssl_limit(usize::MAX, 2));
    }

    #[test]
    fn host_names_are_those_pyca_reads_a_dns_constraint_as() {
        let longest_label = "a".repeat(63);
        for name in [
            "certkey.test",
            "a-b.c",
            "x",
            "xn--bcher-kva.test",
            &longest_label,
        ] {
            assert!(is_host_name(name), "{name}");
        }
        let (long_label, long_name) = ("a".repeat(64), ["a"; 128].join("."));
        for name in [
            ".certkey.test",
            "certkey..test",
            "certkey.test.",
            "-a.test",
            "a-.test",
            "a_b.test",
            "*.test",
            "",
            &long_label,
            &long_name,
        ] {
            assert!(!is_host_name(name), "{name}");
        }
    }

    #[test]
    fn dns_subtrees_match_at_label_boundaries_in_any_case() {
        assert!(dns_within(b"a.certkey.test", b"certkey.test"));
        assert!(dns_within(b"A.CERTKEY.test", b"certkey.TEST"));
        assert!(dns_within(b"certkey.test", b"certkey.test"));
        assert!(dns_within(b"anything", b""));
        assert!(!dns_within(b"xcertkey.test", b"certkey.test"));
        assert!(dns_within(b"a.certkey.test", b".certkey.test"));
        assert!(!dns_within(b"test", b"certkey.test"));
    }

    #[test]
    fn email_subtrees_match_mailboxes_hosts_and_domains() {
        let within = |address: &[u8], base: &[u8]| email_within(address, base).ok();
        assert_eq!(within(b"ops@certkey.test", b"certkey.test"), Some(true));
        assert_eq!(within(b"ops@CERTKEY.test", b"certkey.test"), Some(true));
        assert_eq!(within(b"ops@a.certkey.test", b"certkey.test"), Some(false));
        assert_eq!(within(b"ops@a.certkey.test", b".certkey.test"), Some(true));
        assert_eq!(within(b"ops@certkey.test", b".certkey.test"), Some(false));
        assert_eq!(within(b"ops@certkey.test", b"ops@certkey.test"), Some(true));
        assert_eq!(
            within(b"Ops@certkey.test", b"ops@certkey.test"),
            Some(false)
        );
        assert_eq!(within(b"ops@certkey.test", b"@certkey.test"), Some(true));
        assert_eq!(within(b"no-at-sign", b"certkey.test"), None);
        // A NUL in either local part is no mailbox OpenSSL compares.
        assert_eq!(within(b"o\0s@certkey.test", b"o\0s@certkey.test"), None);
        assert_eq!(within(b"o\0s@certkey.test", b"ops@certkey.test"), None);
        assert_eq!(within(b"ops@certkey.test", b"o\0s@certkey.test"), None);
    }

    #[test]
    fn a_name_must_match_a_permitted_subtree_of_its_kind_and_no_excluded_one() {
        let dns = |name: &'static str| GeneralSubtree {
            base: GeneralName::DNSName(name),
        };
        let email = |name: &'static str| GeneralSubtree {
            base: GeneralName::RFC822Name(name),
        };
        let check =
            |name: &[u8], permitted: &[GeneralSubtree<'_>], excluded: &[GeneralSubtree<'_>]| {
                match matches(name, permitted, excluded, Kind::Dns) {
                    Ok(()) => "ok",
                    Err(Breach::Permitted) => "permitted",
                    Err(Breach::Excluded) => "excluded",
                    Err(Breach::Syntax | Breach::NotIa5String) => "syntax",
                }
            };
        assert_eq!(check(b"a.certkey.test", &[dns("certkey.test")], &[]), "ok");
        assert_eq!(
            check(b"a.example.net", &[dns("certkey.test")], &[]),
            "permitted"
        );
        // Subtrees of another kind do not constrain a DNS name.
        assert_eq!(check(b"a.example.net", &[email("certkey.test")], &[]), "ok");
        assert_eq!(
            check(
                b"a.example.net",
                &[dns("certkey.test"), dns("example.net")],
                &[]
            ),
            "ok"
        );
        assert_eq!(
            check(b"a.example.net", &[], &[dns("example.net")]),
            "excluded"
        );
        assert_eq!(
            check(
                b"a.example.net",
                &[dns("example.net")],
                &[dns("a.example.net")]
            ),
            "excluded"
        );
    }
}
