//! The two verifiers: rustls' own chain, name and signature checks, run one by one so
//! that the step that refused is known, at the audit time.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{verify_server_cert_signed_by_trust_anchor, verify_server_name};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::server::ParsedCertificate;
use rustls::time_provider::TimeProvider;
use rustls::{
    DigitallySignedStruct, DistinguishedName, Error as TlsError, RootCertStore, SignatureScheme,
};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};

use super::words::{Step, StepLog};

/// The clock both ends use: the audit time, so that a rehearsal of a fixture never rots and
/// "will it work on the migration date?" can be asked.
#[derive(Debug)]
pub(super) struct FixedTime(pub(super) UnixTime);

impl TimeProvider for FixedTime {
    fn current_time(&self) -> Option<UnixTime> {
        Some(self.0)
    }
}

/// The client's verifier of the target: rustls' own chain, name and signature checks, run
/// one by one to know which refused; without a name when the certificate offers none.
#[derive(Debug)]
pub(super) struct TargetVerifier {
    pub(super) roots: Arc<RootCertStore>,
    pub(super) provider: Arc<CryptoProvider>,
    pub(super) check_name: bool,
    pub(super) steps: StepLog,
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
pub(super) struct SourceVerifier {
    pub(super) inner: Arc<dyn ClientCertVerifier>,
    pub(super) steps: StepLog,
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
