//! The members of a certkey response: the seven documented ones, the identity each belongs
//! to, [`MemberMap`], a value per member, which the audit's stages hand on, and where the
//! CA member came from ([`CaSource`]).

use core::fmt;
use core::ops::{Index, IndexMut};

use serde::{Deserialize, Serialize};

/// Whether a member holds a certificate or a private key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberKind {
    /// A `CERTIFICATE` PEM block.
    Certificate,
    /// A private-key PEM block.
    PrivateKey,
}

/// Which identity a member belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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

/// A value for each of the seven members, indexed by [`Member`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MemberMap<T>([T; 7]);

impl<T> MemberMap<T> {
    /// The map of `f(member)` for every member.
    pub(crate) fn from_fn(mut f: impl FnMut(Member) -> T) -> Self {
        Self(Member::ALL.map(&mut f))
    }
}

impl<T: Default> Default for MemberMap<T> {
    fn default() -> Self {
        Self(Default::default())
    }
}

impl<T> Index<Member> for MemberMap<T> {
    type Output = T;

    fn index(&self, member: Member) -> &T {
        &self.0[member.index()]
    }
}

impl<T> IndexMut<Member> for MemberMap<T> {
    fn index_mut(&mut self, member: Member) -> &mut T {
        &mut self.0[member.index()]
    }
}

/// Where the audited CA came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum CaSource {
    /// The response's own `ca` member (which wins over a supplied one).
    Response,
    /// The CA the caller supplied ([`Policy::with_ca_pem`](crate::Policy::with_ca_pem)), for a
    /// response without `ca`.
    Supplied,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_displays_as_its_name() {
        for member in Member::ALL {
            assert_eq!(member.to_string(), member.name());
        }
        assert_eq!(Member::TargetMgmtCert.to_string(), "target_mgmt_cert");
    }
}
