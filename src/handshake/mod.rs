//! The handshake rehearsal (feature `handshake`): a real mutual-TLS handshake with rustls
//! between the source identity (the client) and each target identity (the server), on
//! loopback, as the migration will make it.
//!
//! Ids: `handshake.ok`, `handshake.failed`, `handshake.skipped`.
//!
//! The rehearsal loads the members as certkey read them. Where certkey read past what some
//! stacks' loaders refuse (`pem.escaped_newlines`, `pem.layout`, `pem.wrong_label`,
//! `key.nonstandard`), those findings are errors and the rehearsal is skipped; when asked to
//! run anyway, a success says that it loaded the members as certkey repaired them.
//!
//! Both ends run on the calling thread over a pair of non-blocking loopback sockets, so a
//! rehearsal leaves no thread behind, and every loop iteration checks one deadline.

use std::sync::Arc;
use std::time::Duration;

use rustls::sign::CertifiedKey;
use rustls::SupportedProtocolVersion;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;

use crate::catalog::{CheckId, Severity};
use crate::certs::Curve;
use crate::finding::{Field, Finding, Findings};
use crate::judge::Judge;
use crate::keys::KeyAlgorithm;
use crate::member::{Member, Role};
use crate::pem::PemBlock;
use crate::policy::Rehearsal;
use crate::text::Untrusted;

mod signing;
mod transport;
mod verify;
mod words;

use signing::signing_key;
use transport::{handshake, Peers};
use words::Failure;

/// How long one handshake (one protocol version, one target) may take, data exchange
/// included. A loopback handshake takes about a millisecond; this bound only matters when
/// something is wrong, and keeps a hostile bundle from stalling the caller.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(2);

/// What the client sends and the server echoes once the handshake is complete.
const PING: &[u8] = b"certkey rehearsal: source to target\n";

/// How many characters of an error text from the TLS stack a message quotes.
const ERROR_MAX_CHARS: usize = 200;

/// A party to the rehearsal (the source or a target): one identity of the bundle, as the
/// rehearsal needs it.
pub(crate) struct Party<'a> {
    pub(crate) cert_der: &'a [u8],
    pub(crate) cert: &'a X509Certificate<'a>,
    pub(crate) key: &'a PemBlock,
    /// The member holding the key, for messages.
    pub(crate) key_member: Member,
    /// The key's algorithm.
    pub(crate) algorithm: KeyAlgorithm,
}

/// Everything a rehearsal can use: the CA, and each role's identity when it is usable.
pub(crate) struct Bundle<'a> {
    pub(crate) ca_der: Option<&'a [u8]>,
    pub(crate) source: Option<Party<'a>>,
    pub(crate) targets: [(Role, Option<Party<'a>>); 2],
}

/// Rehearses the handshake with each target and reports `handshake.ok`, `handshake.failed`
/// or `handshake.skipped` for it; `when_sound`, it skips a target whose static findings
/// `judge` finds errors in.
pub(crate) fn rehearse(
    mode: Rehearsal,
    judge: &Judge<'_>,
    bundle: &Bundle<'_>,
    now: UnixTime,
    findings: &mut Findings,
) {
    if mode == Rehearsal::Off {
        return;
    }
    // Loaded once, for both targets.
    let mut source_key = None;
    for (role, target) in &bundle.targets {
        let role = *role;
        let field = Some(Field::Member(role.cert_member()));
        let skipped = |why: String| {
            Finding::new(
                CheckId::HandshakeSkipped,
                field.clone(),
                format!("{}: handshake not rehearsed: {why}", role.as_str()),
            )
        };
        let (Some(ca), Some(source), Some(target)) = (bundle.ca_der, &bundle.source, target) else {
            let mut missing = Vec::new();
            if bundle.ca_der.is_none() {
                missing.push("ca");
            }
            if bundle.source.is_none() {
                missing.push("the source's certificate or key");
            }
            if target.is_none() {
                missing.push("the target's certificate or key");
            }
            findings.push(
                skipped(format!("{} missing or unreadable", missing.join(", ")))
                    .with_hint("give a CA with the `ca_pem` option when the response has none"),
            );
            continue;
        };
        if let Some(unsigned) = [source, target]
            .into_iter()
            .find(|identity| !provider_can_sign(identity.algorithm))
        {
            findings.push(skipped(format!(
                "{} is an {} key, and the TLS provider (rustls with ring) signs only with RSA keys of 2048 to 4096 bits, ECDSA P-256 and P-384, and Ed25519",
                unsigned.key_member.name(),
                unsigned.algorithm
            )));
            continue;
        }
        let involved = [
            Member::Ca,
            Member::Cert,
            Member::PrivateKey,
            role.cert_member(),
            role.key_member().unwrap_or(Member::Ca),
        ];
        if mode == Rehearsal::WhenSound {
            let mut errors: Vec<&str> = findings
                .iter()
                .filter(|f| judge.severity(f) == Severity::Error)
                .filter(|f| f.member().is_some_and(|m| involved.contains(&m)))
                .map(|f| f.id().as_str())
                .collect();
            errors.sort_unstable();
            errors.dedup();
            if !errors.is_empty() {
                findings.push(
                    skipped(format!(
                        "static checks already found errors that make it fail ({})",
                        errors.join(", ")
                    ))
                    .with_hint("rehearse anyway with the `handshake` option set to `always`"),
                );
                continue;
            }
        }
        let source_key = source_key.get_or_insert_with(|| certified_key(source));
        let keys = match (&*source_key, certified_key(target)) {
            (Ok(source), Ok(target)) => Ok((source.clone(), target)),
            (Err(why), _) => Err(why.clone()),
            (_, Err(why)) => Err(why),
        };
        // What the rehearsal loaded is what certkey read past: text or encodings it repaired
        // that an agent's own loader may refuse. A success must say so.
        let mut repaired: Vec<&str> = findings
            .iter()
            .filter(|f| REPAIRED.contains(&f.id()))
            .filter(|f| f.member().is_some_and(|m| involved.contains(&m)))
            .map(|f| f.id().as_str())
            .collect();
        repaired.sort_unstable();
        repaired.dedup();
        match rehearse_target(role, ca, keys, target, now) {
            Ok(report) if report.id() == CheckId::HandshakeOk && !repaired.is_empty() => {
                findings.push(report.with_addendum(&format!(
                    "; the rehearsal loaded the members as certkey repaired them ({}): stacks that refuse the text as sent will not get this far",
                    repaired.join(", ")
                )));
            }
            Ok(report) => findings.push(report),
            Err(Unavailable(why)) => findings.push(skipped(why)),
        }
    }
}

/// The findings about text or encodings that certkey reads past (repairs) while some stacks'
/// loaders refuse them: a rehearsal on the repaired members proves less.
const REPAIRED: [CheckId; 4] = [
    CheckId::PemEscapedNewlines,
    CheckId::PemLayout,
    CheckId::PemWrongLabel,
    CheckId::KeyNonstandard,
];

/// A certificate and its signing key, as rustls takes them; or why rustls refuses the key.
fn certified_key(identity: &Party<'_>) -> Result<Arc<CertifiedKey>, String> {
    Ok(Arc::new(CertifiedKey::new(
        vec![CertificateDer::from(identity.cert_der.to_vec())],
        signing_key(identity)?,
    )))
}

/// Loopback sockets could not be used: the rehearsal says nothing about the bundle.
struct Unavailable(String);

/// Rehearses TLS 1.3, then TLS 1.2, with one target; the finding reports the first failure.
fn rehearse_target(
    role: Role,
    ca: &[u8],
    keys: Result<(Arc<CertifiedKey>, Arc<CertifiedKey>), String>,
    target: &Party<'_>,
    now: UnixTime,
) -> Result<Finding, Unavailable> {
    let field = Some(Field::Member(role.cert_member()));
    let cannot_start = |why: String| {
        Finding::new(
            CheckId::HandshakeFailed,
            field.clone(),
            format!(
                "{}: the mutual-TLS handshake with the source cannot start: {why}",
                role.as_str()
            ),
        )
        .with_hint("the agent's TLS stack will refuse the same; see the static findings for the member named")
    };
    let (source_key, target_key) = match keys {
        Ok(keys) => keys,
        Err(why) => return Ok(cannot_start(why)),
    };
    let name = server_name(target.cert);
    let name_note = match &name {
        Some(name) => format!("server name {}", Untrusted::new(&server_name_text(name)).quoted(80)),
        None => format!(
            "{} has no usable subjectAltName, so the chain was verified without a server name (clients that check names will refuse it)",
            role.cert_member().name()
        ),
    };
    let versions: [(&'static SupportedProtocolVersion, &str); 2] = [
        (&rustls::version::TLS13, "TLS 1.3"),
        (&rustls::version::TLS12, "TLS 1.2"),
    ];
    let mut done = Vec::new();
    for (version, version_name) in versions {
        let peers = Peers {
            ca,
            source_key: source_key.clone(),
            target_key: target_key.clone(),
            name: name.clone(),
            now,
        };
        match handshake(version, peers) {
            Ok(outcome) => done.push(format!("{version_name} ({outcome})")),
            Err(Failure::Unavailable(why)) => return Err(Unavailable(why)),
            Err(Failure::Setup(why)) => return Ok(cannot_start(why)),
            Err(failure) => {
                let also = if done.is_empty() {
                    String::new()
                } else {
                    format!(" ({} succeeded)", done.join(", "))
                };
                return Ok(Finding::new(
                    CheckId::HandshakeFailed,
                    field,
                    format!(
                        "{}: the mutual-TLS handshake with the source failed over {version_name}{also}: {}; {name_note}",
                        role.as_str(),
                        failure.describe(role),
                    ),
                )
                .with_hint(failure.hint()));
            }
        }
    }
    Ok(Finding::new(
        CheckId::HandshakeOk,
        field,
        format!(
            "{}: mutual-TLS handshake with the source completed and data crossed both ways: {}; {name_note}",
            role.as_str(),
            done.join(", ")
        ),
    ))
}

/// Whether rustls' ring provider can sign with a key of this algorithm.
fn provider_can_sign(algorithm: KeyAlgorithm) -> bool {
    match algorithm {
        KeyAlgorithm::Rsa { bits } => (2048..=4096).contains(&bits),
        KeyAlgorithm::Ec(curve) => matches!(curve, Curve::P256 | Curve::P384),
        KeyAlgorithm::Ed25519 => true,
    }
}

/// The name the client expects: the target certificate's first usable subjectAltName (a DNS
/// name, with a wildcard's `*` replaced by a label, or an IP address).
fn server_name(cert: &X509Certificate<'_>) -> Option<ServerName<'static>> {
    let Ok(Some(san)) = cert.subject_alternative_name() else {
        return None;
    };
    san.value.general_names.iter().find_map(|name| match name {
        GeneralName::DNSName(dns) => {
            let dns = match dns.strip_prefix("*.") {
                Some(rest) => format!("rehearsal.{rest}"),
                None => (*dns).to_owned(),
            };
            ServerName::try_from(dns).ok()
        }
        GeneralName::IPAddress(bytes) => match bytes.len() {
            4 => <[u8; 4]>::try_from(*bytes)
                .ok()
                .map(|octets| ServerName::IpAddress(std::net::IpAddr::from(octets).into())),
            16 => <[u8; 16]>::try_from(*bytes)
                .ok()
                .map(|octets| ServerName::IpAddress(std::net::IpAddr::from(octets).into())),
            _ => None,
        },
        _ => None,
    })
}

fn server_name_text(name: &ServerName<'_>) -> String {
    match name {
        ServerName::DnsName(dns) => dns.as_ref().to_owned(),
        ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        _ => "?".to_owned(),
    }
}
