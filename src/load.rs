//! The audited material, handed over: [`load`](crate::load) audits a response and, when the
//! report is ok, gives its certificates and keys typed for rustls, from the very bytes the
//! audit checked.

use core::fmt;

use rustls_pki_types::{
    CertificateDer, PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer, PrivateSec1KeyDer,
    TrustAnchor,
};
use zeroize::Zeroizing;

use crate::member::{Member, Role};
use crate::pem::{BlockLabel, PemBlock};
use crate::pipeline::Decoded;
use crate::report::Report;

/// One identity of the bundle: its certificate and its private key, as audited.
pub struct Credential {
    role: Role,
    cert: CertificateDer<'static>,
    key: Zeroizing<PrivateKeyDer<'static>>,
}

impl Credential {
    /// `source`, `target_mgmt` or `target_data`.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The certificate chain to present: the leaf alone (the CA is the peer's trust anchor,
    /// [`VerifiedBundle::trust_anchor`]), as rustls's `with_client_auth_cert` and
    /// `with_single_cert` take it.
    pub fn cert_chain(&self) -> Vec<CertificateDer<'static>> {
        vec![self.cert.clone()]
    }

    /// The certificate.
    pub fn cert(&self) -> &CertificateDer<'static> {
        &self.cert
    }

    /// The private key. certkey's copy is wiped on drop; a copy made for rustls
    /// ([`PrivateKeyDer::clone_key`]) is the caller's (rustls keeps its own parsed form).
    pub fn key(&self) -> &PrivateKeyDer<'static> {
        &self.key
    }
}

/// Shows the role and sizes, never the key.
impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("role", &self.role)
            .field("cert", &format_args!("<{} bytes>", self.cert.len()))
            .field(
                "key",
                &format_args!("<{} bytes>", self.key.secret_der().len()),
            )
            .finish()
    }
}

/// A response whose audit was ok, with the material it audited: the three identities and the
/// CA, typed for rustls, and the report (which may still hold warnings and information).
#[derive(Debug)]
pub struct VerifiedBundle {
    report: Report,
    ca: Option<CertificateDer<'static>>,
    source: Credential,
    target_mgmt: Credential,
    target_data: Credential,
}

impl VerifiedBundle {
    /// The audit's report; [`Report::is_ok`] holds.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The CA certificate: the response's `ca`, or the one the policy supplied
    /// ([`Report::ca_source`] says which); `None` when there was none (`ca.absent`).
    pub fn ca(&self) -> Option<&CertificateDer<'static>> {
        self.ca.as_ref()
    }

    /// The CA as a trust anchor, as rustls's `RootCertStore` takes it (`roots.extend(...)`).
    pub fn trust_anchor(&self) -> Option<TrustAnchor<'static>> {
        let ca = self.ca.as_ref()?;
        webpki::anchor_from_trusted_cert(ca)
            .ok()
            .map(|anchor| anchor.to_owned())
    }

    /// The source's identity (the TLS client).
    pub fn source(&self) -> &Credential {
        &self.source
    }

    /// The target's management identity (a TLS server).
    pub fn target_mgmt(&self) -> &Credential {
        &self.target_mgmt
    }

    /// The target's data identity (a TLS server).
    pub fn target_data(&self) -> &Credential {
        &self.target_data
    }

    /// The identity of `role`; `None` for [`Role::Ca`], which has no key.
    pub fn credential(&self, role: Role) -> Option<&Credential> {
        match role {
            Role::Ca => None,
            Role::Source => Some(&self.source),
            Role::TargetMgmt => Some(&self.target_mgmt),
            Role::TargetData => Some(&self.target_data),
        }
    }

    /// The bundle, from an ok report and what the audit decoded; the report back when a
    /// member is missing or holds the wrong kind of block (which only an allow-list lets pass).
    #[allow(clippy::result_large_err)] // as `load`
    pub(crate) fn new(report: Report, mut decoded: Decoded) -> Result<Self, Report> {
        let mut take = |role: Role| -> Option<Credential> {
            let cert = decoded.blocks[role.cert_member()].take()?;
            let key = decoded.blocks[role.key_member()?].take()?;
            Some(Credential {
                role,
                cert: certificate(cert)?,
                key: private_key(key)?,
            })
        };
        let (Some(source), Some(target_mgmt), Some(target_data)) = (
            take(Role::Source),
            take(Role::TargetMgmt),
            take(Role::TargetData),
        ) else {
            return Err(report);
        };
        let ca = match decoded.blocks[Member::Ca].take() {
            None => None,
            Some(block) => match certificate(block) {
                Some(ca) => Some(ca),
                None => return Err(report),
            },
        };
        Ok(Self {
            report,
            ca,
            source,
            target_mgmt,
            target_data,
        })
    }
}

fn certificate(block: PemBlock) -> Option<CertificateDer<'static>> {
    match block.label {
        BlockLabel::Certificate => Some(CertificateDer::from(block.der.into_vec())),
        _ => None,
    }
}

fn private_key(block: PemBlock) -> Option<Zeroizing<PrivateKeyDer<'static>>> {
    let key = match block.label {
        BlockLabel::Certificate => return None,
        BlockLabel::RsaPrivateKey => PrivatePkcs1KeyDer::from(block.der.into_vec()).into(),
        BlockLabel::PrivateKey => PrivatePkcs8KeyDer::from(block.der.into_vec()).into(),
        BlockLabel::EcPrivateKey => PrivateSec1KeyDer::from(block.der.into_vec()).into(),
    };
    Some(Zeroizing::new(key))
}
