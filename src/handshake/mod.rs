//! The handshake rehearsal (feature `handshake`): a real mutual-TLS handshake with rustls
//! between the source identity (the client) and each target identity (the server), on
//! loopback, as the migration will make it.
//!
//! Ids: `handshake.ok`, `handshake.failed`, `handshake.skipped`.
//!
//! Both ends run on the calling thread over a pair of non-blocking loopback sockets, so a
//! rehearsal leaves no thread behind, and every loop iteration checks one deadline.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{verify_server_cert_signed_by_trust_anchor, verify_server_name};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::server::{ParsedCertificate, WebPkiClientVerifier};
use rustls::sign::{CertifiedKey, SingleCertAndKey};
use rustls::time_provider::TimeProvider;
use rustls::{
    CertificateError, ClientConfig, ClientConnection, Connection, DigitallySignedStruct,
    DistinguishedName, Error as TlsError, ExtendedKeyPurpose, RootCertStore, ServerConfig,
    ServerConnection, SignatureScheme, SupportedProtocolVersion,
};
use rustls_pki_types::{
    CertificateDer, PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime,
};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;

use crate::catalog::{CheckId, Severity};
use crate::finding::{Field, Finding, Findings};
use crate::keys::{self, Curve};
use crate::member::{Member, Role};
use crate::pem::{BlockLabel, PemBlock};
use crate::secret::SecretBytes;
use crate::text::{self, Untrusted};

/// How long one handshake (one protocol version, one target) may take, data exchange
/// included. A loopback handshake takes about a millisecond; this bound only matters when
/// something is wrong, and keeps a hostile bundle from stalling the caller.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(2);

/// What the client sends and the server echoes once the handshake is complete.
const PING: &[u8] = b"certkey rehearsal: source to target\n";

/// How many characters of an error text from the TLS stack a message quotes.
const ERROR_MAX_CHARS: usize = 200;

/// When to rehearse the handshake.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rehearsal {
    /// Never (the default).
    #[default]
    Off,
    /// For each target whose members (and the source's and the CA's) have no error finding;
    /// the others get `handshake.skipped`, since static checks already say it would fail.
    WhenSound,
    /// For each target that can be set up at all, whatever the static checks found: to see
    /// how a real TLS stack fails on a bundle already known to be bad.
    Always,
}

/// One identity of the bundle, as the rehearsal needs it.
pub(crate) struct Identity<'a> {
    pub(crate) cert_der: &'a [u8],
    pub(crate) cert: &'a X509Certificate<'a>,
    pub(crate) key: &'a PemBlock,
    /// The member holding the key, for messages.
    pub(crate) key_member: Member,
    /// The key's algorithm, as the key summary names it (`RSA 2048`, `EC P-256`, …).
    pub(crate) algorithm: &'a str,
}

/// Everything a rehearsal can use: the CA, and each role's identity when it is usable.
pub(crate) struct Bundle<'a> {
    pub(crate) ca_der: Option<&'a [u8]>,
    pub(crate) source: Option<Identity<'a>>,
    pub(crate) targets: [(Role, Option<Identity<'a>>); 2],
}

/// Rehearses the handshake with each target and reports `handshake.ok`, `handshake.failed`
/// or `handshake.skipped` for it.
pub(crate) fn rehearse(
    mode: Rehearsal,
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
                skipped(format!("{} missing or unreadable", missing.join(", "))).with_hint(
                    "give a CA with --ca (library: Policy::with_ca_pem) when the response has none",
                ),
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
        if mode == Rehearsal::WhenSound {
            let involved = [
                Member::Ca,
                Member::Cert,
                Member::PrivateKey,
                role.cert_member(),
                role.key_member().unwrap_or(Member::Ca),
            ];
            let mut errors: Vec<&str> = findings
                .iter()
                .filter(|f| f.severity() == Severity::Error)
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
                    .with_hint(
                        "rehearse anyway with --handshake=always (library: Rehearsal::Always)",
                    ),
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
        match rehearse_target(role, ca, keys, target, now) {
            Ok(report) => findings.push(report),
            Err(Unavailable(why)) => findings.push(skipped(why)),
        }
    }
}

/// A certificate and its signing key, as rustls takes them; or why rustls refuses the key.
fn certified_key(identity: &Identity<'_>) -> Result<Arc<CertifiedKey>, String> {
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
    target: &Identity<'_>,
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
fn provider_can_sign(algorithm: &str) -> bool {
    let rsa_bits = algorithm
        .strip_prefix("RSA ")
        .and_then(|bits| bits.parse::<u32>().ok());
    rsa_bits.is_some_and(|bits| (2048..=4096).contains(&bits))
        || algorithm == "EC P-256"
        || algorithm == "EC P-384"
        || algorithm == "Ed25519"
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

/// Which side of the connection refused, and at which step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The source, as the TLS client.
    Client,
    /// The target, as the TLS server.
    Server,
}

/// The verification step a verifier was in when it refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Step {
    /// No verifier refused (the failure came from elsewhere).
    None,
    /// The certificate's chain to the CA.
    Chain,
    /// The server name.
    Name,
    /// The handshake signature made with the peer's key.
    Signature,
}

/// The step at which a verifier refused, if it did: both verifiers record it the same way.
#[derive(Debug)]
struct StepLog(AtomicU8);

impl StepLog {
    fn new() -> Self {
        Self(AtomicU8::new(Step::None as u8))
    }

    /// Passes `result` on, noting `step` when it is a refusal.
    fn fail<T>(&self, step: Step, result: Result<T, TlsError>) -> Result<T, TlsError> {
        if result.is_err() {
            self.0.store(step as u8, Ordering::Relaxed);
        }
        result
    }

    fn last(&self) -> Step {
        match self.0.load(Ordering::Relaxed) {
            1 => Step::Chain,
            2 => Step::Name,
            3 => Step::Signature,
            _ => Step::None,
        }
    }
}

enum Failure {
    /// Loopback sockets could not be set up.
    Unavailable(String),
    /// rustls refused the configuration: a key it cannot load, a CA it cannot use as anchor.
    Setup(String),
    /// The handshake or the data exchange failed on one side.
    Tls {
        side: Side,
        step: Step,
        error: TlsError,
    },
    /// A socket error in the middle of the exchange.
    Io(String),
    /// The deadline passed.
    Timeout,
    /// The data arrived changed.
    Garbled,
}

impl Failure {
    fn describe(&self, role: Role) -> String {
        let target_cert = role.cert_member().name();
        match self {
            Self::Unavailable(why) | Self::Setup(why) | Self::Io(why) => why.clone(),
            Self::Timeout => format!(
                "it did not complete within {} s",
                HANDSHAKE_TIMEOUT.as_secs()
            ),
            Self::Garbled => "the application data arrived changed".to_owned(),
            Self::Tls { side, step, error } => {
                let (refuser, refused_cert, refused_key) = match side {
                    Side::Client => (
                        "the source (TLS client)",
                        target_cert,
                        role.key_member().map_or("", Member::name),
                    ),
                    Side::Server => ("the target (TLS server)", "cert", "private_key"),
                };
                let own_key = match side {
                    Side::Client => "private_key",
                    Side::Server => role.key_member().map_or("", Member::name),
                };
                let reason = describe_error(error);
                match (*step, error) {
                    (_, TlsError::AlertReceived(alert)) => {
                        format!("{refuser} received the alert {alert:?} from its peer")
                    }
                    (Step::None, TlsError::General(text)) if text.contains("signing failed") => {
                        format!("{refuser} could not sign with {own_key}: ring refuses to sign with a key that disagrees with itself")
                    }
                    (Step::Chain, TlsError::InvalidCertificate(CertificateError::BadSignature)) => {
                        format!("{refuser} refused {refused_cert}: its signature does not verify with the ca's public key (another CA under the same name may have issued it)")
                    }
                    (Step::Chain, _) => format!("{refuser} refused {refused_cert}: {reason}"),
                    (Step::Name, _) => format!(
                        "{refuser} refused {refused_cert} for the server name: {reason}"
                    ),
                    (Step::Signature, _) => format!(
                        "{refuser} refused the handshake signature made with {refused_key}: it does not verify with {refused_cert}'s public key ({reason})"
                    ),
                    _ => format!("{refuser} failed: {reason}"),
                }
            }
        }
    }

    fn hint(&self) -> &'static str {
        match self {
            Self::Tls {
                step: Step::Signature,
                ..
            } => "the private key does not belong to the certificate; download the response again",
            Self::Tls {
                step: Step::Chain, ..
            } => "the agent's TLS stack will refuse this certificate the same way; see the static findings for the cause",
            Self::Timeout => "a loopback handshake takes milliseconds; run again on a less loaded machine",
            _ => "the agent's TLS stack will fail the same way",
        }
    }
}

/// A rustls error in words.
fn describe_error(error: &TlsError) -> String {
    let text = match error {
        TlsError::InvalidCertificate(cert) => match cert {
            CertificateError::Expired => "the certificate has expired".to_owned(),
            CertificateError::ExpiredContext { time, not_after } => format!(
                "the certificate expired at {}, {} before the audit time (the rehearsal's clock)",
                unix_rfc3339(*not_after),
                text::span(seconds(time.as_secs().saturating_sub(not_after.as_secs())))
            ),
            CertificateError::NotValidYet => "the certificate is not valid yet".to_owned(),
            CertificateError::NotValidYetContext { time, not_before } => format!(
                "the certificate is valid only from {}, {} after the audit time (the rehearsal's clock)",
                unix_rfc3339(*not_before),
                text::span(seconds(not_before.as_secs().saturating_sub(time.as_secs())))
            ),
            CertificateError::UnknownIssuer => {
                "it was not issued by the ca (unknown issuer)".to_owned()
            }
            CertificateError::BadSignature => "a signature does not verify".to_owned(),
            CertificateError::NotValidForName => "the name is not in its subjectAltName".to_owned(),
            CertificateError::NotValidForNameContext { expected, presented } => format!(
                "{} is not among its names ({})",
                server_name_text(expected),
                presented.join(", ")
            ),
            CertificateError::InvalidPurpose => {
                "its extendedKeyUsage does not allow this use".to_owned()
            }
            CertificateError::InvalidPurposeContext { required, presented } => format!(
                "its extendedKeyUsage lacks {} (it has {})",
                purpose_name(required),
                if presented.is_empty() {
                    "none".to_owned()
                } else {
                    presented.iter().map(purpose_name).collect::<Vec<_>>().join(", ")
                }
            ),
            CertificateError::UnhandledCriticalExtension => {
                "it has a critical extension the TLS stack does not know".to_owned()
            }
            CertificateError::BadEncoding => "it is not DER the TLS stack can read".to_owned(),
            CertificateError::UnsupportedSignatureAlgorithmContext {
                signature_algorithm_id,
                ..
            } => format!(
                "it is signed with {}, which the TLS stack does not accept",
                algorithm_name(signature_algorithm_id)
            ),
            CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext {
                signature_algorithm_id,
                public_key_algorithm_id,
            } => format!(
                "a {} signature cannot come from its {} key",
                algorithm_name(signature_algorithm_id),
                algorithm_name(public_key_algorithm_id)
            ),
            CertificateError::Other(other) => match other.to_string().as_str() {
                "CaUsedAsEndEntity" => "it is a CA certificate (basicConstraints cA=TRUE), used as an end-entity certificate".to_owned(),
                "UnsupportedCertVersion" => "it is not an X.509 v3 certificate".to_owned(),
                "RequiredEkuNotFound" => "its extendedKeyUsage lacks the purpose this use needs".to_owned(),
                text => text.to_owned(),
            },
            other => format!("{other:?}"),
        },
        TlsError::NoCertificatesPresented => "the peer sent no certificate".to_owned(),
        TlsError::PeerIncompatible(why) => format!("the peers are incompatible: {why:?}"),
        other => other.to_string(),
    };
    Untrusted::new(&text).quoted(ERROR_MAX_CHARS)
}

/// The name of a signature algorithm, from the DER of its AlgorithmIdentifier's contents.
fn algorithm_name(der: &[u8]) -> String {
    use x509_parser::der_parser::oid::Oid;
    let oid = match der {
        [0x06, len, rest @ ..] if usize::from(*len) <= rest.len() && *len < 0x80 => {
            Oid::new(rest[..usize::from(*len)].into())
        }
        _ => return "an unreadable algorithm".to_owned(),
    };
    match x509_parser::objects::oid2sn(&oid, x509_parser::objects::oid_registry()) {
        Ok(name) => name.to_owned(),
        Err(_) => format!("the algorithm {oid}"),
    }
}

fn purpose_name(purpose: &ExtendedKeyPurpose) -> String {
    match purpose {
        ExtendedKeyPurpose::ClientAuth => "clientAuth".to_owned(),
        ExtendedKeyPurpose::ServerAuth => "serverAuth".to_owned(),
        other => other.to_string(),
    }
}

fn seconds(seconds: u64) -> time::Duration {
    time::Duration::seconds(i64::try_from(seconds).unwrap_or(i64::MAX))
}

fn unix_rfc3339(time: UnixTime) -> String {
    i64::try_from(time.as_secs())
        .ok()
        .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
        .map_or_else(|| format!("{} (Unix)", time.as_secs()), text::rfc3339)
}

/// The clock both ends use: the audit time, so that a rehearsal of a fixture never rots and
/// "will it work on the migration date?" can be asked.
#[derive(Debug)]
struct FixedTime(UnixTime);

impl TimeProvider for FixedTime {
    fn current_time(&self) -> Option<UnixTime> {
        Some(self.0)
    }
}

/// The client's verifier of the target: rustls' own chain, name and signature checks, run
/// one by one to know which refused; without a name when the certificate offers none.
#[derive(Debug)]
struct TargetVerifier {
    roots: Arc<RootCertStore>,
    provider: Arc<CryptoProvider>,
    check_name: bool,
    steps: StepLog,
}

impl ServerCertVerifier for TargetVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        let cert = self
            .steps
            .fail(Step::Chain, ParsedCertificate::try_from(end_entity))?;
        self.steps.fail(
            Step::Chain,
            verify_server_cert_signed_by_trust_anchor(
                &cert,
                &self.roots,
                intermediates,
                now,
                self.provider.signature_verification_algorithms.all,
            ),
        )?;
        if self.check_name {
            self.steps
                .fail(Step::Name, verify_server_name(&cert, server_name))?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        self.steps.fail(
            Step::Signature,
            verify_tls12_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            ),
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        self.steps.fail(
            Step::Signature,
            verify_tls13_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            ),
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The target's verifier of the source: rustls' `WebPkiClientVerifier`, noting the step.
#[derive(Debug)]
struct SourceVerifier {
    inner: Arc<dyn ClientCertVerifier>,
    steps: StepLog,
}

impl ClientCertVerifier for SourceVerifier {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        self.inner.root_hint_subjects()
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, TlsError> {
        self.steps.fail(
            Step::Chain,
            self.inner
                .verify_client_cert(end_entity, intermediates, now),
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        self.steps.fail(
            Step::Signature,
            self.inner.verify_tls12_signature(message, cert, dss),
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        self.steps.fail(
            Step::Signature,
            self.inner.verify_tls13_signature(message, cert, dss),
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// A signing key for rustls, loaded from a key block.
///
/// EC keys are handed over as PKCS#8 rebuilt in a buffer wiped on drop: ring requires the
/// public point inside the key, which SEC1 and PKCS#8 make optional, so a key without one
/// gets its certificate's point (ring then checks that the scalar pairs with it). rustls
/// itself would wrap a SEC1 key in a plain `Vec`.
fn signing_key(identity: &Identity<'_>) -> Result<Arc<dyn rustls::sign::SigningKey>, String> {
    let member = identity.key_member;
    let der = identity.key.der.as_slice();
    let cert_point = &identity.cert.public_key().subject_public_key.data;
    let cert_curve = match identity.algorithm {
        "EC P-256" => Some(Curve::P256),
        "EC P-384" => Some(Curve::P384),
        _ => None,
    };
    let rebuilt;
    let key = match keys::ec_parts(identity.key.label, der, cert_curve) {
        Some(ec) => {
            rebuilt = ec_pkcs8(ec.curve, ec.scalar, ec.embedded.unwrap_or(cert_point));
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(rebuilt.as_slice()))
        }
        None => match identity.key.label {
            BlockLabel::RsaPrivateKey => PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(der)),
            _ => PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(der)),
        },
    };
    rustls::crypto::ring::sign::any_supported_type(&key).map_err(|_| {
        let why = match identity.key.label {
            _ if identity.algorithm.starts_with("RSA") => {
                "ring refuses an RSA key whose components disagree, or that is not in FIPS 186's shape (see key.inconsistent and key.nonstandard)"
            }
            _ if identity.algorithm == "Ed25519" => {
                "ring refuses an Ed25519 key whose embedded public key is not its seed's"
            }
            _ => "ring refuses an EC scalar out of range or not paired with the public point (the certificate's, when the key embeds none)",
        };
        format!(
            "rustls (ring) refuses to load {} as an {} signing key: {why}",
            member.name(),
            identity.algorithm
        )
    })
}

/// `PrivateKeyInfo { 0, { id-ecPublicKey, curve }, OCTET STRING { ECPrivateKey { 1, scalar,
/// [1] point } } }`.
fn ec_pkcs8(curve: Curve, scalar: &[u8], point: &[u8]) -> SecretBytes {
    const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    let curve_oid: &[u8] = match curve {
        Curve::P256 => &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
        Curve::P384 => &[0x2b, 0x81, 0x04, 0x00, 0x22],
        Curve::P521 => &[0x2b, 0x81, 0x04, 0x00, 0x23],
    };
    let bits_len = tlv_len(1 + point.len());
    let ec_key_len = 3 + tlv_len(scalar.len()) + tlv_len(bits_len);
    let algorithm_len = tlv_len(EC_PUBLIC_KEY.len()) + tlv_len(curve_oid.len());
    let body_len = 3 + tlv_len(algorithm_len) + tlv_len(tlv_len(ec_key_len));
    let mut out = SecretBytes::with_capacity(tlv_len(body_len));
    push_header(&mut out, 0x30, body_len);
    out.extend_within_capacity(&[0x02, 0x01, 0x00]);
    push_header(&mut out, 0x30, algorithm_len);
    push_header(&mut out, 0x06, EC_PUBLIC_KEY.len());
    out.extend_within_capacity(EC_PUBLIC_KEY);
    push_header(&mut out, 0x06, curve_oid.len());
    out.extend_within_capacity(curve_oid);
    push_header(&mut out, 0x04, tlv_len(ec_key_len));
    push_header(&mut out, 0x30, ec_key_len);
    out.extend_within_capacity(&[0x02, 0x01, 0x01]);
    push_header(&mut out, 0x04, scalar.len());
    out.extend_within_capacity(scalar);
    push_header(&mut out, 0xa1, bits_len);
    push_header(&mut out, 0x03, 1 + point.len());
    out.extend_within_capacity(&[0x00]);
    out.extend_within_capacity(point);
    out
}

/// The length of a DER element with `len` bytes of content (content under 16 MiB).
fn tlv_len(len: usize) -> usize {
    len + match len {
        0..=0x7f => 2,
        0x80..=0xff => 3,
        0x100..=0xffff => 4,
        _ => 5,
    }
}

fn push_header(out: &mut SecretBytes, tag: u8, len: usize) {
    let bytes = u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes();
    match tlv_len(len) - len {
        2 => out.extend_within_capacity(&[tag, bytes[3]]),
        3 => out.extend_within_capacity(&[tag, 0x81, bytes[3]]),
        4 => out.extend_within_capacity(&[tag, 0x82, bytes[2], bytes[3]]),
        _ => out.extend_within_capacity(&[tag, 0x83, bytes[1], bytes[2], bytes[3]]),
    }
}

/// One handshake over one protocol version, with the application data exchange.
/// What one handshake needs: the trust anchor, both identities, the name, the clock.
struct Peers<'a> {
    ca: &'a [u8],
    source_key: Arc<CertifiedKey>,
    target_key: Arc<CertifiedKey>,
    name: Option<ServerName<'static>>,
    now: UnixTime,
}

fn handshake(
    version: &'static SupportedProtocolVersion,
    peers: Peers<'_>,
) -> Result<String, Failure> {
    let Peers {
        ca,
        source_key,
        target_key,
        name,
        now,
    } = peers;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let time: Arc<dyn TimeProvider> = Arc::new(FixedTime(now));
    let mut roots = RootCertStore::empty();
    roots.add(CertificateDer::from(ca.to_vec())).map_err(|e| {
        Failure::Setup(format!(
            "rustls cannot use ca as a trust anchor ({})",
            describe_error(&e)
        ))
    })?;
    let roots = Arc::new(roots);
    let setup = |e: TlsError| Failure::Setup(describe_error(&e));

    let source_verifier = Arc::new(SourceVerifier {
        inner: WebPkiClientVerifier::builder_with_provider(roots.clone(), provider.clone())
            .build()
            .map_err(|e| Failure::Setup(format!("rustls cannot verify clients with ca: {e}")))?,
        steps: StepLog::new(),
    });
    let mut server_config = ServerConfig::builder_with_details(provider.clone(), time.clone())
        .with_protocol_versions(&[version])
        .map_err(setup)?
        .with_client_cert_verifier(source_verifier.clone())
        .with_cert_resolver(Arc::new(SingleCertAndKey::from(target_key)));
    // One connection each: nothing to resume.
    server_config.send_tls13_tickets = 0;

    let target_verifier = Arc::new(TargetVerifier {
        roots,
        provider: provider.clone(),
        check_name: name.is_some(),
        steps: StepLog::new(),
    });
    let mut client_config = ClientConfig::builder_with_details(provider, time)
        .with_protocol_versions(&[version])
        .map_err(setup)?
        .dangerous()
        .with_custom_certificate_verifier(target_verifier.clone())
        .with_client_cert_resolver(Arc::new(SingleCertAndKey::from(source_key)));
    client_config.resumption = rustls::client::Resumption::disabled();

    // Without a name in the certificate, the client still needs one to start; the
    // verifier above then checks the chain only.
    let name = name.unwrap_or_else(|| ServerName::try_from("certkey.invalid").expect("valid"));
    let mut client =
        Connection::from(ClientConnection::new(Arc::new(client_config), name).map_err(setup)?);
    let mut server =
        Connection::from(ServerConnection::new(Arc::new(server_config)).map_err(setup)?);

    let deadline = Instant::now() + HANDSHAKE_TIMEOUT;
    let (mut client_socket, mut server_socket) = loopback_pair(deadline)?;
    let result = exchange(
        &mut client,
        &mut server,
        &mut client_socket,
        &mut server_socket,
        deadline,
    );
    let step_of = |side| match side {
        Side::Client => target_verifier.steps.last(),
        Side::Server => source_verifier.steps.last(),
    };
    match result {
        Ok(()) => {
            let suite = client
                .negotiated_cipher_suite()
                .map_or_else(|| "?".to_owned(), |s| format!("{:?}", s.suite()));
            let group = client
                .negotiated_key_exchange_group()
                .map_or_else(|| "?".to_owned(), |g| format!("{:?}", g.name()));
            Ok(format!("{suite}, {group}"))
        }
        Err(Exchange::Tls(side, error)) => Err(Failure::Tls {
            side,
            step: step_of(side),
            error,
        }),
        Err(Exchange::Io(e)) => Err(Failure::Io(format!("loopback socket error: {e}"))),
        Err(Exchange::Timeout) => Err(Failure::Timeout),
        Err(Exchange::Garbled) => Err(Failure::Garbled),
    }
}

/// A connected pair of loopback sockets, both non-blocking. The listener accepts only the
/// client socket made here, never another local process that raced to the port.
fn loopback_pair(deadline: Instant) -> Result<(TcpStream, TcpStream), Failure> {
    let unavailable = |e: io::Error| Failure::Unavailable(format!("no loopback socket: {e}"));
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(unavailable)?;
    listener.set_nonblocking(true).map_err(unavailable)?;
    let address: SocketAddr = listener.local_addr().map_err(unavailable)?;
    let client = TcpStream::connect_timeout(&address, HANDSHAKE_TIMEOUT).map_err(unavailable)?;
    let client_address = client.local_addr().map_err(unavailable)?;
    let server = loop {
        if Instant::now() >= deadline {
            return Err(Failure::Timeout);
        }
        match listener.accept() {
            Ok((stream, peer)) if peer == client_address => break stream,
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_micros(50));
            }
            Err(e) => return Err(unavailable(e)),
        }
    };
    for socket in [&client, &server] {
        socket.set_nonblocking(true).map_err(unavailable)?;
        socket.set_nodelay(true).map_err(unavailable)?;
    }
    Ok((client, server))
}

enum Exchange {
    Tls(Side, TlsError),
    Io(io::Error),
    Timeout,
    Garbled,
}

/// Drives both connections until the handshake is complete and [`PING`] has gone to the
/// server and back, or one side fails, or the deadline passes.
fn exchange(
    client: &mut Connection,
    server: &mut Connection,
    client_socket: &mut TcpStream,
    server_socket: &mut TcpStream,
    deadline: Instant,
) -> Result<(), Exchange> {
    client.writer().write_all(PING).map_err(Exchange::Io)?;
    let mut at_server = [0u8; PING.len()];
    let mut at_server_len = 0;
    let mut at_client = [0u8; PING.len()];
    let mut at_client_len = 0;
    let mut echoed = false;
    let mut idle = 0u32;
    loop {
        if Instant::now() >= deadline {
            return Err(Exchange::Timeout);
        }
        let mut progress = false;
        progress |= send(client, client_socket)?;
        progress |= send(server, server_socket)?;
        progress |= receive(server, server_socket, Side::Server)?;
        progress |= receive(client, client_socket, Side::Client)?;

        if !server.is_handshaking() && at_server_len < PING.len() {
            let n = read_plain(server.reader(), &mut at_server[at_server_len..])?;
            at_server_len += n;
            progress |= n > 0;
        }
        if at_server_len == PING.len() && !echoed {
            if at_server != PING {
                return Err(Exchange::Garbled);
            }
            server
                .writer()
                .write_all(&at_server)
                .map_err(Exchange::Io)?;
            echoed = true;
            progress = true;
        }
        if !client.is_handshaking() && at_client_len < PING.len() {
            let n = read_plain(client.reader(), &mut at_client[at_client_len..])?;
            at_client_len += n;
            progress |= n > 0;
        }
        if at_client_len == PING.len() {
            if at_client != PING {
                return Err(Exchange::Garbled);
            }
            client.send_close_notify();
            server.send_close_notify();
            let _ = send(client, client_socket);
            let _ = send(server, server_socket);
            return Ok(());
        }
        if progress {
            idle = 0;
        } else {
            // Loopback delivers at once: idleness is rare, and long idleness means trouble,
            // which should not cost a whole core until the deadline.
            idle += 1;
            if idle < 1_000 {
                std::thread::yield_now();
            } else {
                std::thread::sleep(Duration::from_micros(200));
            }
        }
    }
}

/// Writes what the connection has queued; whether anything was written.
fn send(connection: &mut Connection, socket: &mut TcpStream) -> Result<bool, Exchange> {
    let mut wrote = false;
    while connection.wants_write() {
        match connection.write_tls(socket) {
            Ok(_) => wrote = true,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) => return Err(Exchange::Io(e)),
        }
    }
    Ok(wrote)
}

/// Reads what arrived and processes it; a TLS error is sent to the peer as an alert first.
fn receive(
    connection: &mut Connection,
    socket: &mut TcpStream,
    side: Side,
) -> Result<bool, Exchange> {
    match connection.read_tls(socket) {
        Ok(0) => Err(Exchange::Io(io::Error::new(
            ErrorKind::UnexpectedEof,
            "the peer closed the connection",
        ))),
        Ok(_) => match connection.process_new_packets() {
            Ok(_) => Ok(true),
            Err(error) => {
                let _ = send(connection, socket);
                Err(Exchange::Tls(side, error))
            }
        },
        Err(e) if e.kind() == ErrorKind::WouldBlock => Ok(false),
        Err(e) => Err(Exchange::Io(e)),
    }
}

fn read_plain(mut reader: rustls::Reader<'_>, buf: &mut [u8]) -> Result<usize, Exchange> {
    match reader.read(buf) {
        Ok(n) => Ok(n),
        Err(e) if e.kind() == ErrorKind::WouldBlock => Ok(0),
        Err(e) => Err(Exchange::Io(e)),
    }
}
