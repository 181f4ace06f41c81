//! The rehearsal in words: which side refused at which step, and rustls' errors said as
//! the static findings say things.

use std::sync::atomic::{AtomicU8, Ordering};

use rustls::{CertificateError, Error as TlsError, ExtendedKeyPurpose};
use rustls_pki_types::UnixTime;

use crate::member::{Member, Role};
use crate::text::{self, Untrusted};

use super::{server_name_text, ERROR_MAX_CHARS, HANDSHAKE_TIMEOUT};

/// Which side of the connection refused, and at which step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// The source, as the TLS client.
    Client,
    /// The target, as the TLS server.
    Server,
}

/// The verification step a verifier was in when it refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(super) enum Step {
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
pub(super) struct StepLog(AtomicU8);

impl StepLog {
    pub(super) fn new() -> Self {
        Self(AtomicU8::new(Step::None as u8))
    }

    /// Passes `result` on, noting `step` when it is a refusal.
    pub(super) fn fail<T>(&self, step: Step, result: Result<T, TlsError>) -> Result<T, TlsError> {
        if result.is_err() {
            self.0.store(step as u8, Ordering::Relaxed);
        }
        result
    }

    pub(super) fn last(&self) -> Step {
        match self.0.load(Ordering::Relaxed) {
            1 => Step::Chain,
            2 => Step::Name,
            3 => Step::Signature,
            _ => Step::None,
        }
    }
}

pub(super) enum Failure {
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
    pub(super) fn describe(&self, role: Role) -> String {
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

    pub(super) fn hint(&self) -> &'static str {
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
pub(super) fn describe_error(error: &TlsError) -> String {
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
pub(super) fn algorithm_name(der: &[u8]) -> String {
    use x509_parser::der_parser::oid::Oid;
    let Some(oid) = crate::der::oid_contents(der).map(|contents| Oid::new(contents.into())) else {
        return "an unreadable algorithm".to_owned();
    };
    match x509_parser::objects::oid2sn(&oid, x509_parser::objects::oid_registry()) {
        Ok(name) => name.to_owned(),
        Err(_) => format!("the algorithm {oid}"),
    }
}

pub(super) fn purpose_name(purpose: &ExtendedKeyPurpose) -> String {
    match purpose {
        ExtendedKeyPurpose::ClientAuth => "clientAuth".to_owned(),
        ExtendedKeyPurpose::ServerAuth => "serverAuth".to_owned(),
        other => other.to_string(),
    }
}

pub(super) fn seconds(seconds: u64) -> time::Duration {
    time::Duration::seconds(i64::try_from(seconds).unwrap_or(i64::MAX))
}

pub(super) fn unix_rfc3339(time: UnixTime) -> String {
    i64::try_from(time.as_secs())
        .ok()
        .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
        .map_or_else(|| format!("{} (Unix)", time.as_secs()), text::rfc3339)
}
