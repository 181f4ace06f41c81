//! Offline audit of certkey responses: the certificate bundles a block-level server
//! migration's agent downloads (`GET /v3/tasks/{task_id}/certkey`) before it opens a
//! mutual-TLS connection to the target server.
//!
//! [`audit`] takes the response bytes as downloaded and returns a [`Report`]: every problem
//! found, as a [`Finding`] with a stable id from the [`CATALOG`], and a summary of each
//! certificate.
//!
//! ```
//! use certkey::{audit, Policy};
//!
//! let report = audit(br#"{"error_code": "SMS.9004", "error_msg": "denied"}"#, &Policy::default());
//! assert!(!report.is_ok());
//! assert_eq!(report.findings()[0].id().as_str(), "response.api_error");
//! ```
//!
//! # What is checked
//! The stages run in order, each on what the previous one accepted:
//! 1. the response ([`response`](crate::CheckId::ResponseMalformed) ids): size cap, UTF-8,
//!    nesting depth, JSON, duplicate and unknown members, types, lengths, placeholders, and
//!    the API's error bodies;
//! 2. PEM: block structure, labels, extra blocks and text, escaping, encryption;
//! 3. certificates: X.509 parsing and a summary of each;
//! 4. certificates against the audit time, their strength, the CA's profile, and every leaf's
//!    chain to the CA (rustls-webpki), with weak-but-valid signatures told apart;
//! 5. private keys: PKCS#1, PKCS#8 and SEC1 parsing, consistency (RSA, ECDSA P-256/P-384/P-521,
//!    Ed25519), the match with the role's certificate, and keys or certificates shared by roles;
//! 6. opt-in, with the cargo feature `handshake`: a rehearsal of the migration's mutual-TLS
//!    handshake between the source and each target with rustls on loopback
//!    (`Policy::with_handshake`).
//!
//! # Secrets
//! Private-key text and bytes live only in buffers wiped on drop, and no finding, report or
//! `Debug` output ever contains them. Input is bounded: the size cap is enforced before any
//! parsing and nesting depth before any recursion.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api_error;
mod catalog;
mod cert;
mod chain;
mod decrypt;
mod finding;
#[cfg(feature = "handshake")]
mod handshake;
mod key;
mod pem;
mod policy;
mod report;
mod response;
mod sanitize;
mod secret;
mod shared;
#[doc(hidden)]
pub mod stages;
mod strength;
mod validity;

pub use api_error::{ApiError, ApiErrorDetail};
pub use catalog::Severity;
pub use catalog::{Check, CheckId, CATALOG};
pub use cert::CertSummary;
pub use decrypt::{KdfLimits, DEFAULT_MAX_PBKDF2_ITERATIONS, DEFAULT_MAX_SCRYPT_BYTES};
pub use finding::{Field, Finding, Member, MemberKind, Role};
#[cfg(feature = "handshake")]
pub use handshake::{Rehearsal, HANDSHAKE_TIMEOUT};
pub use key::{KeyEncoding, KeySummary};
pub use policy::{Policy, Profile, DEFAULT_EXPIRY_WARNING, DEFAULT_MAX_INPUT_LEN};
pub use report::{Report, SCHEMA_VERSION};
pub use response::{MAX_MEMBERS, MAX_NESTING, MEMBER_MAX_CHARS};

use response::Ingested;
use time::OffsetDateTime;

/// Text from an untrusted source (a response, a file), fit to print as certkey prints what it
/// quotes: invisible characters removed, control characters made spaces, key-shaped data
/// (base64, hex or decimal dumps) withheld and replaced by its length, the whole cut to
/// `max_chars` characters. This is the one path by which certkey's reports quote their input;
/// a program printing such text itself can use it too.
///
/// ```
/// let quoted = certkey::quote("denied: MIIEpAIBAAKCAQEAyR7TS01U\u{200b}+/ was sent", 80);
/// assert_eq!(quoted, "denied: [26 characters withheld] was sent");
/// ```
pub fn quote(text: &str, max_chars: usize) -> String {
    sanitize::quote(text, max_chars)
}

/// Audits one certkey response (the body as downloaded) under `policy`.
///
/// Never panics and never fails: whatever the input, the problems are findings in the report.
pub fn audit(input: &[u8], policy: &Policy) -> Report {
    let audit_time = OffsetDateTime::from(policy.effective_audit_time());
    let mut findings = finding::Findings::under(policy.profile());
    let mut certificates = Vec::new();
    let mut api_error = None;

    let mut keys = Vec::new();
    match response::ingest(input, policy, &mut findings) {
        Ingested::Bundle(mut members) => {
            let mut schemes: [Option<String>; 7] = Default::default();
            // What the response's keys may spend on key derivation, all together.
            let mut kdf_budget = policy.kdf_limits();
            let blocks: [Option<pem::PemBlock>; 7] = Member::ALL.map(|member| {
                // Each member's text is dropped (and wiped) once decoded: only its DER is
                // needed further, and peak memory stays near the input's size.
                let text = members[member.index()].take()?;
                let block = pem::decode_member(member, &text, &mut findings)?;
                drop(text);
                if block.encryption.is_none() {
                    return Some(block);
                }
                let opened = decrypt::open(
                    member,
                    &block,
                    policy.passphrase(),
                    &mut kdf_budget,
                    &mut findings,
                )?;
                schemes[member.index()] = Some(opened.scheme);
                Some(opened.block)
            });
            let parsed: [Option<x509_parser::certificate::X509Certificate<'_>>; 7] = Member::ALL
                .map(|member| match (&blocks[member.index()], member.kind()) {
                    (Some(block), MemberKind::Certificate) => {
                        cert::parse(member, block.der.as_slice(), &mut findings)
                    }
                    _ => None,
                });
            let bundle_certs: Vec<chain::BundleCert<'_>> = Member::ALL
                .into_iter()
                .filter_map(|member| {
                    let parsed = parsed[member.index()].as_ref()?;
                    let der = blocks[member.index()].as_ref()?.der.as_slice();
                    Some(chain::BundleCert {
                        member,
                        der,
                        parsed,
                    })
                })
                .collect();
            check_certificates(&bundle_certs, policy, audit_time, &mut findings);
            certificates.extend(
                bundle_certs
                    .iter()
                    .map(|c| cert::summarize(c.member, c.parsed, c.der, audit_time)),
            );

            let mut identities = Vec::new();
            for role in Role::WITH_KEYS {
                let Some(key_member) = role.key_member() else {
                    continue;
                };
                let Some(block) = &blocks[key_member.index()] else {
                    continue;
                };
                let cert_member = role.cert_member();
                let cert_key = parsed[cert_member.index()]
                    .as_ref()
                    .map(|cert| key::CertPublicKey::from_spki(cert.public_key()));
                let checked = key::check(
                    key_member,
                    block,
                    cert_key.as_ref().map(|k| (cert_member, k)),
                    policy.deep(),
                    &mut findings,
                );
                if let Some(mut checked) = checked {
                    checked.summary.encryption = schemes[key_member.index()].take();
                    identities.push((key_member, checked.identity));
                    keys.push(checked.summary);
                }
            }
            shared::report_shared_keys(&identities, &mut findings);
            shared::report_shared_certificates(&bundle_certs, &mut findings);

            #[cfg(feature = "handshake")]
            {
                let identity = |role: Role| {
                    let cert_member = role.cert_member();
                    let key_member = role.key_member()?;
                    Some(handshake::Identity {
                        cert_der: blocks[cert_member.index()].as_ref()?.der.as_slice(),
                        cert: parsed[cert_member.index()].as_ref()?,
                        key: blocks[key_member.index()].as_ref()?,
                        key_member,
                        algorithm: &keys.iter().find(|k| k.role == role)?.algorithm,
                    })
                };
                let bundle = handshake::Bundle {
                    ca_der: parsed[Member::Ca.index()]
                        .as_ref()
                        .and(blocks[Member::Ca.index()].as_ref())
                        .map(|b| b.der.as_slice()),
                    source: identity(Role::Source),
                    targets: [
                        (Role::TargetMgmt, identity(Role::TargetMgmt)),
                        (Role::TargetData, identity(Role::TargetData)),
                    ],
                };
                let now = u64::try_from(audit_time.unix_timestamp()).unwrap_or(0);
                handshake::rehearse(
                    policy.handshake(),
                    &bundle,
                    rustls_pki_types::UnixTime::since_unix_epoch(std::time::Duration::from_secs(
                        now,
                    )),
                    &mut findings,
                );
            }
        }
        Ingested::ApiError(error) => api_error = Some(error),
        Ingested::Unusable => {}
    }

    let mut findings = findings.into_vec();
    // Response-level findings first, then member by member, then undocumented members by
    // name: the order never depends on the order of members in the input.
    findings.sort_by(|a, b| field_order(a).cmp(&field_order(b)));
    Report::new(
        cert::rfc3339(audit_time),
        findings,
        certificates,
        keys,
        api_error,
    )
}

/// Validity, strength, the CA's profile and every leaf's chain to it.
pub(crate) fn check_certificates(
    certs: &[chain::BundleCert<'_>],
    policy: &Policy,
    audit_time: OffsetDateTime,
    findings: &mut finding::Findings,
) {
    let ca = certs.iter().find(|c| c.member == Member::Ca);
    for cert in certs {
        validity::check(
            cert.member,
            cert.parsed,
            audit_time,
            policy.expiry_warning(),
            findings,
        );
        strength::check(cert, cert.member == Member::Ca, findings);
    }
    strength::check_serials(certs, findings);
    let anchor = ca.and_then(|ca| {
        chain::check_ca(ca, findings);
        chain::anchor(ca, findings).map(|anchor| (ca, anchor))
    });
    for leaf in certs.iter().filter(|c| c.member != Member::Ca) {
        chain::check_usage(leaf, findings);
        if let Some((ca, anchor)) = &anchor {
            chain::check_leaf(leaf, ca, anchor, audit_time, findings);
        }
    }
}

/// The policy's audit time, RFC 3339.
fn audited_at(policy: &Policy) -> String {
    cert::rfc3339(OffsetDateTime::from(policy.effective_audit_time()))
}

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

fn field_order(finding: &Finding) -> (usize, &str) {
    match finding.field() {
        None => (0, ""),
        Some(Field::Member(member)) => (1 + member.index(), ""),
        Some(Field::Other(name)) => (1 + Member::ALL.len(), name),
    }
}
