//! `chain.usage`: whether the certificates of a leaf's chain may be used for its role's TLS
//! purpose, as each stack decides it.
//!
//! The source is the TLS client; the targets serve. What each stack checks, from its sources
//! and measured by `tests/stacks.rs`:
//!
//! - **The leaf's extendedKeyUsage** must list the role's purpose (clientAuth or serverAuth),
//!   in every stack. Only Go takes anyExtendedKeyUsage instead.
//! - **The leaf's keyUsage** (OpenSSL's `check_purpose_ssl_client` and `_server`,
//!   `crypto/x509/v3_purp.c`): a client's must have digitalSignature or keyAgreement, a
//!   server's digitalSignature, keyEncipherment or keyAgreement.
//! - **The leaf's Netscape certificate type** (the same functions): when present, it must
//!   have the role's SSL bit.
//! - **The CA's extendedKeyUsage**: OpenSSL (its purpose check runs on every certificate of
//!   the chain, the trust anchor included), Go (`checkChainForKeyUsage`) and pyca refuse a
//!   chain through a CA whose extendedKeyUsage lacks the purpose; rustls takes nothing of a
//!   trust anchor but its subject and key. Go and pyca take anyExtendedKeyUsage; OpenSSL
//!   does not.

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::ExtendedKeyUsage;

use crate::catalog::CheckId;
use crate::certs::BundleCert;
use crate::der;
use crate::finding::{Field, Finding, Findings};
use crate::member::Role;
use crate::oids;
use crate::refusals::Fact;
use crate::stacks::Stacks;

/// keyUsage bits as OpenSSL numbers them (`KU_*`: the first octet of the BIT STRING).
const DIGITAL_SIGNATURE: u8 = 0x80;
const KEY_ENCIPHERMENT: u8 = 0x20;
const KEY_AGREEMENT: u8 = 0x08;

/// netscape-cert-type (2.16.840.1.113730.1.1), the OID's contents: the extension OpenSSL's
/// purpose check reads.
const NETSCAPE_CERT_TYPE: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x01, 0x01];

/// Netscape certificate type bits (`NS_SSL_CLIENT`, `NS_SSL_SERVER`).
const NS_SSL_CLIENT: u8 = 0x80;
const NS_SSL_SERVER: u8 = 0x40;

/// What a role's certificate must be good for.
struct Purpose {
    /// The extendedKeyUsage purpose.
    oid: &'static str,
    name: &'static str,
    /// The keyUsage bits of which the leaf needs one, and their names.
    key_usage: u8,
    key_usage_names: &'static str,
    /// The Netscape certificate type bit.
    netscape: u8,
    netscape_name: &'static str,
}

impl Purpose {
    const fn of(role: Role) -> Self {
        match role {
            Role::Source => Self {
                oid: oids::CLIENT_AUTH,
                name: "clientAuth",
                key_usage: DIGITAL_SIGNATURE | KEY_AGREEMENT,
                key_usage_names: "digitalSignature or keyAgreement",
                netscape: NS_SSL_CLIENT,
                netscape_name: "SSL client",
            },
            _ => Self {
                oid: oids::SERVER_AUTH,
                name: "serverAuth",
                key_usage: DIGITAL_SIGNATURE | KEY_ENCIPHERMENT | KEY_AGREEMENT,
                key_usage_names: "digitalSignature, keyEncipherment or keyAgreement",
                netscape: NS_SSL_SERVER,
                netscape_name: "SSL server",
            },
        }
    }

    /// Whether an extendedKeyUsage lists the purpose itself.
    fn listed_in(&self, eku: &ExtendedKeyUsage<'_>) -> bool {
        (if self.oid == oids::CLIENT_AUTH {
            eku.client_auth
        } else {
            eku.server_auth
        }) || eku.other.iter().any(|oid| oids::dotted(oid) == self.oid)
    }
}

/// `chain.usage` for a leaf: its extendedKeyUsage, keyUsage and Netscape certificate type,
/// and the extendedKeyUsage of `ca`, the CA its chain ends in.
pub(crate) fn check(leaf: &BundleCert<'_>, ca: Option<&BundleCert<'_>>, findings: &mut Findings) {
    let role = leaf.member.role();
    let purpose = Purpose::of(role);
    let name = leaf.member.name();
    let push = |findings: &mut Findings, message: String, stacks: Stacks| {
        findings.push(
            Finding::new(
                CheckId::ChainUsage,
                Some(Field::Member(leaf.member)),
                message,
            )
            .refused_only_by(stacks),
        );
    };

    if let Ok(Some(eku)) = leaf.parsed.extended_key_usage() {
        let eku = eku.value;
        if !purpose.listed_in(eku) {
            let stacks = if eku.any {
                Fact::LeafEkuAnyInsteadOfPurpose.refused_by()
            } else {
                Stacks::ALL
            };
            push(
                findings,
                format!(
                    "{name}'s extendedKeyUsage ({}) lacks {}, which the {} role needs",
                    listed(eku),
                    purpose.name,
                    role.as_str()
                ),
                stacks,
            );
        }
    }

    if let Some(bits) = key_usage(leaf.parsed) {
        if bits & purpose.key_usage == 0 {
            push(
                findings,
                format!(
                    "{name}'s keyUsage has none of {}, one of which the {} role needs (OpenSSL's purpose check)",
                    purpose.key_usage_names,
                    role.as_str()
                ),
                Fact::LeafKeyUsageNotForRole.refused_by(),
            );
        }
    }

    if let Some(bits) = netscape_type(leaf.parsed) {
        if bits & purpose.netscape == 0 {
            push(
                findings,
                format!(
                    "{name}'s Netscape certificate type lacks {}, which the {} role needs (OpenSSL's purpose check reads the extension when present)",
                    purpose.netscape_name,
                    role.as_str()
                ),
                Fact::LeafNetscapeTypeNotForRole.refused_by(),
            );
        }
    }

    // Only a CA the leaf names as its issuer is on its chain (a leaf another CA issued is
    // chain.untrusted).
    let ca_eku = ca
        .filter(|ca| leaf.names_as_issuer(ca))
        .and_then(|ca| ca.parsed.extended_key_usage().ok().flatten());
    if let Some(eku) = ca_eku {
        let eku = eku.value;
        if !purpose.listed_in(eku) {
            let fact = if eku.any {
                Fact::CaEkuAnyInsteadOfPurpose
            } else {
                Fact::CaEkuNotForRole
            };
            push(
                findings,
                format!(
                    "the ca's extendedKeyUsage ({}) lacks {}, which {name}'s chain needs: the purpose is checked on every certificate of the chain, the CA's included",
                    listed(eku),
                    purpose.name
                ),
                fact.refused_by(),
            );
        }
    }
}

/// The purposes an extendedKeyUsage lists, for a message.
fn listed(eku: &ExtendedKeyUsage<'_>) -> String {
    let present = crate::certs::purposes(eku);
    if present.is_empty() {
        "empty".to_owned()
    } else {
        present.join(", ")
    }
}

/// The first octet of a certificate's keyUsage, as OpenSSL reads it; `None` without the
/// extension (or with one x509-parser cannot read, which is `cert.malformed`).
fn key_usage(cert: &X509Certificate<'_>) -> Option<u8> {
    let usage = cert.key_usage().ok().flatten()?;
    // x509-parser numbers the bits from digitalSignature = 1; OpenSSL from 0x80.
    Some(((usage.value.flags & 0xff) as u8).reverse_bits())
}

/// The first octet of a certificate's Netscape certificate type, as OpenSSL reads it (an
/// empty BIT STRING is 0); `None` without the extension.
fn netscape_type(cert: &X509Certificate<'_>) -> Option<u8> {
    let extension = cert
        .extensions()
        .iter()
        .find(|extension| extension.oid.as_bytes() == NETSCAPE_CERT_TYPE)?;
    der::first_flags_octet(extension.value)
}
