//! Findings: what an audit reports, and the members of a response they are about.

use core::fmt;

use serde::Serialize;

use crate::catalog::{CheckId, Severity};
use crate::policy::Profile;

/// Whether a member holds a certificate or a private key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberKind {
    /// A `CERTIFICATE` PEM block.
    Certificate,
    /// A private-key PEM block.
    PrivateKey,
}

/// Which identity a member belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The CA (`ca`), present only with `enable_ca_cert=true`.
    Ca,
    /// The source server (`cert`, `private_key`); the TLS client.
    Source,
    /// The target's management identity (`target_mgmt_cert`, `target_mgmt_private_key`).
    TargetMgmt,
    /// The target's data identity (`target_data_cert`, `target_data_private_key`).
    TargetData,
}

impl Role {
    /// The three identities that have a key, in report order.
    pub const WITH_KEYS: [Role; 3] = [Self::Source, Self::TargetMgmt, Self::TargetData];

    /// The member holding the role's certificate.
    pub const fn cert_member(self) -> Member {
        match self {
            Self::Ca => Member::Ca,
            Self::Source => Member::Cert,
            Self::TargetMgmt => Member::TargetMgmtCert,
            Self::TargetData => Member::TargetDataCert,
        }
    }

    /// The member holding the role's private key (the CA has none in a response).
    pub const fn key_member(self) -> Option<Member> {
        match self {
            Self::Ca => None,
            Self::Source => Some(Member::PrivateKey),
            Self::TargetMgmt => Some(Member::TargetMgmtPrivateKey),
            Self::TargetData => Some(Member::TargetDataPrivateKey),
        }
    }

    /// The name used in reports: `ca`, `source`, `target_mgmt`, `target_data`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ca => "ca",
            Self::Source => "source",
            Self::TargetMgmt => "target_mgmt",
            Self::TargetData => "target_data",
        }
    }
}

/// One of the seven documented members of a certkey response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Member {
    /// `ca`: the CA certificate.
    Ca,
    /// `cert`: the source certificate.
    Cert,
    /// `private_key`: the source private key.
    PrivateKey,
    /// `target_mgmt_cert`: the target's management certificate.
    TargetMgmtCert,
    /// `target_mgmt_private_key`: the target's management private key.
    TargetMgmtPrivateKey,
    /// `target_data_cert`: the target's data certificate.
    TargetDataCert,
    /// `target_data_private_key`: the target's data private key.
    TargetDataPrivateKey,
}

impl Member {
    /// All members, in the order reports list them (the order of the API's example).
    pub const ALL: [Member; 7] = [
        Self::Ca,
        Self::Cert,
        Self::PrivateKey,
        Self::TargetMgmtCert,
        Self::TargetMgmtPrivateKey,
        Self::TargetDataCert,
        Self::TargetDataPrivateKey,
    ];

    /// The JSON member name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Ca => "ca",
            Self::Cert => "cert",
            Self::PrivateKey => "private_key",
            Self::TargetMgmtCert => "target_mgmt_cert",
            Self::TargetMgmtPrivateKey => "target_mgmt_private_key",
            Self::TargetDataCert => "target_data_cert",
            Self::TargetDataPrivateKey => "target_data_private_key",
        }
    }

    /// The member with this JSON name, if it is a documented one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Whether the member holds a certificate or a key.
    pub const fn kind(self) -> MemberKind {
        match self {
            Self::Ca | Self::Cert | Self::TargetMgmtCert | Self::TargetDataCert => {
                MemberKind::Certificate
            }
            Self::PrivateKey | Self::TargetMgmtPrivateKey | Self::TargetDataPrivateKey => {
                MemberKind::PrivateKey
            }
        }
    }

    /// The identity the member belongs to.
    pub const fn role(self) -> Role {
        match self {
            Self::Ca => Role::Ca,
            Self::Cert | Self::PrivateKey => Role::Source,
            Self::TargetMgmtCert | Self::TargetMgmtPrivateKey => Role::TargetMgmt,
            Self::TargetDataCert | Self::TargetDataPrivateKey => Role::TargetData,
        }
    }

    /// Whether the API may omit the member (only `ca` is optional).
    pub const fn is_optional(self) -> bool {
        matches!(self, Self::Ca)
    }

    /// The position of the member in [`Member::ALL`].
    pub(crate) const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Member {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a finding is about: a documented member, another member by name, or the whole response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// One of the seven documented members.
    Member(Member),
    /// A member the API does not document, by its (sanitized, length-capped) name.
    Other(String),
}

impl Field {
    /// The member name as it appears in the response.
    pub fn name(&self) -> &str {
        match self {
            Self::Member(member) => member.name(),
            Self::Other(name) => name,
        }
    }
}

impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One problem (or notable fact) found in a response.
///
/// Messages never contain private-key material: they are built from lengths, positions,
/// labels and public certificate data only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    id: CheckId,
    severity: Severity,
    field: Option<Field>,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

impl Finding {
    /// A finding with the catalog's default severity.
    pub(crate) fn new(id: CheckId, field: Option<Field>, message: impl Into<String>) -> Self {
        Self {
            id,
            severity: id.check().severity,
            field,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Overrides the catalog's default severity (for checks whose severity depends on context).
    pub(crate) fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The check's stable id.
    pub fn id(&self) -> CheckId {
        self.id
    }

    /// How serious it is.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The member it is about, or `None` for the whole response.
    pub fn field(&self) -> Option<&Field> {
        self.field.as_ref()
    }

    /// The documented member it is about, if any.
    pub fn member(&self) -> Option<Member> {
        match self.field {
            Some(Field::Member(member)) => Some(member),
            _ => None,
        }
    }

    /// One sentence saying what is wrong, with the numbers.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What to do about it, when there is more to say than the catalog's fix.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity, self.id, self.message)
    }
}

/// Findings collected while auditing, in the order the stages produce them, under one
/// profile: a finding at its check's default severity gets the catalog's severity for that
/// profile ([`Check::severity_under`](crate::Check::severity_under)), so no check decides it.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    profile: Profile,
    found: Vec<Finding>,
}

impl Findings {
    /// No findings yet, to be collected under `profile`.
    pub(crate) fn under(profile: Profile) -> Self {
        Self {
            profile,
            found: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, mut finding: Finding) {
        let check = finding.id.check();
        if finding.severity == check.severity {
            finding.severity = check.severity_under(self.profile);
        }
        self.found.push(finding);
    }

    #[cfg(feature = "handshake")]
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Finding> {
        self.found.iter()
    }

    pub(crate) fn into_vec(self) -> Vec<Finding> {
        self.found
    }
}
