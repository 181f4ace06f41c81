//! The key layer: parsing each private key, proving it consistent, and proving it is the
//! private half of its certificate's public key.
//!
//! Ids: `key.malformed`, `key.unsupported`, `key.inconsistent`, `key.nonstandard`,
//! `key.mismatch`, `key.deep_skipped`, `key.shared`; and `pem.wrong_label` for a key whose
//! label is not its encoding's (read by its content, as Go reads it). This module parses every encoding and
//! hands the key to its algorithm's module (`rsa`, `ec`, `ed25519`), which checks its
//! consistency, its match with the certificate and, in deep mode, proves possession,
//! reporting through [`KeyFindings`]; decryption is in `decrypt`.
//!
//! Matching compares whole public keys (RSA n *and* e, the full EC point, the Ed25519 key),
//! and consistency covers the private components too, so that a key whose public half is
//! right but whose private half is damaged is caught here rather than mid-migration.

pub(crate) mod decrypt;
mod ec;
mod ed25519;
mod rsa;

use pkcs1::RsaPrivateKeyRef;
use pkcs8::der::asn1::{ObjectIdentifier, OctetStringRef};
use pkcs8::der::Decode;
use pkcs8::PrivateKeyInfoRef;
use ring::digest::{Context, SHA256};
use serde::{Deserialize, Serialize};

use crate::catalog::CheckId;
use crate::der::strip_zeros;
use crate::finding::{Field, Finding, Findings};
use crate::member::{Member, Role};
use crate::oids;
use crate::pem::{BlockLabel, PemBlock};
use crate::refusals::Fact;
use crate::stacks::Stacks;

use crate::certs::{CertPublicKey, Curve};

/// What deep mode signs to prove possession of a key.
const PROOF_MESSAGE: &[u8] = b"certkey proof of possession";

const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::RSA_ENCRYPTION);
const OID_RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::RSASSA_PSS);
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::EC_PUBLIC_KEY);
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::ED25519);
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::P256);
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::P384);
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap(oids::P521);

/// How a private key was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum KeyEncoding {
    /// PKCS#1 `RSAPrivateKey` (`RSA PRIVATE KEY`).
    #[serde(rename = "PKCS#1")]
    Pkcs1,
    /// PKCS#8 v1 `PrivateKeyInfo` (`PRIVATE KEY`).
    #[serde(rename = "PKCS#8")]
    Pkcs8,
    /// PKCS#8 v2 `OneAsymmetricKey`, with the public key embedded (`PRIVATE KEY`).
    #[serde(rename = "PKCS#8 v2")]
    Pkcs8V2,
    /// SEC1 `ECPrivateKey` (`EC PRIVATE KEY`).
    #[serde(rename = "SEC1")]
    Sec1,
}

/// What the report says about one private key that could be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KeySummary {
    /// The member holding it.
    pub member: Member,
    /// The identity it belongs to.
    pub role: Role,
    /// How it was encoded.
    pub encoding: KeyEncoding,
    /// The algorithm and size, e.g. `RSA 2048`, `EC P-256`, `Ed25519`.
    pub algorithm: String,
    /// Whether the key agrees with itself (`key.inconsistent` when not).
    pub consistent: bool,
    /// Whether it is the private half of its certificate's public key; `None` when the role
    /// has no usable certificate to compare with.
    pub matches_certificate: Option<bool>,
    /// Deep mode only: whether primality of the RSA factors held and a signature made with
    /// the key verified with the certificate's key; `None` when not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deep_check: Option<bool>,
    /// How the key was encrypted, when it arrived encrypted and the passphrase opened it, e.g.
    /// `PBES2 (PBKDF2-HMAC-SHA256, 2048 iterations; AES-256-CBC)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<String>,
}

fn curve_of_oid(oid: &ObjectIdentifier) -> Result<Curve, String> {
    match *oid {
        OID_P256 => Ok(Curve::P256),
        OID_P384 => Ok(Curve::P384),
        OID_P521 => Ok(Curve::P521),
        other => Err(oids::unsupported_key(&other.to_string())),
    }
}

/// A private key's components, borrowed from its (wiped-on-drop) DER.
enum Material<'a> {
    Rsa {
        key: RsaPrivateKeyRef<'a>,
        /// The PKCS#1 DER, for ring's signer in deep mode.
        pkcs1: &'a [u8],
    },
    Ec {
        curve: Curve,
        scalar: &'a [u8],
        embedded: Option<&'a [u8]>,
    },
    Ed25519 {
        seed: &'a [u8],
        embedded: Option<&'a [u8]>,
    },
}

enum Parsed<'a> {
    Key(Material<'a>, KeyEncoding),
    Unsupported(String),
    Malformed(String),
}

/// An EC key's curve, scalar and embedded public point (for the handshake rehearsal, which
/// hands the key to rustls in one normalized form).
#[cfg(feature = "handshake")]
pub(crate) struct EcParts<'a> {
    pub(crate) curve: Curve,
    pub(crate) scalar: &'a [u8],
    pub(crate) embedded: Option<&'a [u8]>,
}

/// The parts of `der` when it is an EC key.
#[cfg(feature = "handshake")]
pub(crate) fn ec_parts(
    label: BlockLabel,
    der: &[u8],
    cert_curve: Option<Curve>,
) -> Option<EcParts<'_>> {
    match parse(label, der, cert_curve) {
        Parsed::Key(
            Material::Ec {
                curve,
                scalar,
                embedded,
            },
            _,
        ) => Some(EcParts {
            curve,
            scalar,
            embedded,
        }),
        _ => None,
    }
}

/// The result of checking one key: its summary, and an identity (a digest of its private
/// components, never shown) to find keys shared between roles.
pub(crate) struct KeyCheck {
    pub(crate) summary: KeySummary,
    pub(crate) algorithm: KeyAlgorithm,
    pub(crate) identity: [u8; 32],
}

/// A private key's algorithm and size: what the summary names (`RSA 2048`, `EC P-256`,
/// `Ed25519`) and what the handshake rehearsal asks of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyAlgorithm {
    Rsa { bits: u32 },
    Ec(Curve),
    Ed25519,
}

impl core::fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Rsa { bits } => write!(f, "RSA {bits}"),
            Self::Ec(curve) => write!(f, "EC {}", curve.name()),
            Self::Ed25519 => f.write_str("Ed25519"),
        }
    }
}

/// Runs every check of the "Private keys" section on one role's key.
pub(crate) fn check(
    member: Member,
    block: &PemBlock,
    cert: Option<(Member, &CertPublicKey<'_>)>,
    deep: bool,
    findings: &mut Findings,
) -> Option<KeyCheck> {
    let field = || Some(Field::Member(member));
    let mut report = KeyFindings { member, findings };
    // A certificate key TLS stacks cannot read is reported by cert.malformed; nothing can
    // match it.
    let cert = cert.filter(|(_, key)| !matches!(key, CertPublicKey::Malformed(_)));
    let cert_curve = match cert {
        Some((_, CertPublicKey::Ec { curve: Ok(c), .. })) => Some(*c),
        _ => None,
    };
    let der = block.der.as_slice();
    let (parsed, read_as) = match parse(block.label, der, cert_curve) {
        Parsed::Malformed(why) => match by_content(block.label, der, cert_curve) {
            Some((label, parsed)) => (parsed, Some(label)),
            None => (Parsed::Malformed(why), None),
        },
        parsed => (parsed, None),
    };
    let (material, encoding) = match parsed {
        Parsed::Key(material, encoding) => (material, encoding),
        Parsed::Unsupported(what) => {
            report.findings.push(Finding::new(
                CheckId::KeyUnsupported,
                field(),
                format!("{} is {what}, which certkey cannot check", member.name()),
            ));
            return None;
        }
        Parsed::Malformed(why) => {
            report.findings.push(Finding::new(
                CheckId::KeyMalformed,
                field(),
                format!("{} is not a readable private key: {why}", member.name()),
            ));
            return None;
        }
    };

    if let Some(content) = read_as {
        report.push(mislabelled(member, block.label, content, &material));
    }
    for (why, stacks) in loading_limits(&material, encoding) {
        report.push(
            Finding::new(
                CheckId::KeyNonstandard,
                field(),
                format!("{} {why}", member.name()),
            )
            .refused_only_by(stacks)
            .with_hint("issue the key as every stack loads it: PKCS#8 v1 or PKCS#1, an EC key with its public key, on P-256 or P-384"),
        );
    }

    let mut summary = KeySummary {
        member,
        role: member.role(),
        encoding,
        algorithm: String::new(),
        consistent: true,
        matches_certificate: None,
        deep_check: None,
        encryption: None,
    };
    let (algorithm, identity) = match &material {
        Material::Rsa { key, pkcs1 } => {
            rsa::check(key, pkcs1, cert, deep, &mut summary, &mut report)
        }
        Material::Ec {
            curve,
            scalar,
            embedded,
        } => ec::check(
            curve,
            scalar,
            embedded,
            cert,
            deep,
            &mut summary,
            &mut report,
        )?,
        Material::Ed25519 { seed, embedded } => {
            ed25519::check(seed, embedded, cert, deep, &mut summary, &mut report)?
        }
    };
    summary.algorithm = algorithm.to_string();
    Some(KeyCheck {
        summary,
        algorithm,
        identity,
    })
}

/// What the algorithm modules report through: findings about one key member, in the words
/// every algorithm shares.
pub(crate) struct KeyFindings<'f> {
    member: Member,
    findings: &'f mut Findings,
}

impl KeyFindings<'_> {
    fn field(&self) -> Option<Field> {
        Some(Field::Member(self.member))
    }

    /// `key.inconsistent`: the key disagrees with itself.
    fn inconsistent(&mut self, why: String) {
        self.inconsistent_for(why, Stacks::ALL);
    }

    /// `key.inconsistent` refused only by `stacks` (of the catalog's): which stacks load and
    /// sign with a key depends on the relation it breaks.
    fn inconsistent_for(&mut self, why: String, stacks: Stacks) {
        let finding = Finding::new(
            CheckId::KeyInconsistent,
            self.field(),
            format!("{} disagrees with itself: {why}", self.member.name()),
        )
        .with_hint("the key was damaged or assembled from parts of different keys; download the response again")
        .refused_only_by(stacks);
        self.findings.push(finding);
    }

    /// `key.mismatch`: the key is not the private half of `cert_member`'s public key.
    fn mismatch(&mut self, cert_member: Member, detail: String) {
        let finding = Finding::new(
            CheckId::KeyMismatch,
            self.field(),
            format!(
                "{} is not the private key of {}",
                self.member.name(),
                cert_member.name()
            ),
        )
        .with_hint(format!(
            "{detail}; the response may mix the keys of two tasks"
        ));
        self.findings.push(finding);
    }

    /// `key.mismatch`: the certificate holds a key of another algorithm.
    fn other_algorithm(
        &mut self,
        cert_member: Member,
        key: KeyAlgorithm,
        cert: &CertPublicKey<'_>,
    ) {
        self.mismatch(
            cert_member,
            format!(
                "the key is {key}, the certificate holds {}",
                cert.describe()
            ),
        );
    }

    /// `key.deep_skipped`: what deep mode did not run.
    fn deep_skipped(&mut self, skipped: &[String]) {
        let finding = Finding::new(
            CheckId::KeyDeepSkipped,
            self.field(),
            format!(
                "deep mode did not run {} on {}; its summary shows no deep_check",
                skipped.join(" nor "),
                self.member.name()
            ),
        );
        self.findings.push(finding);
    }

    /// Deep mode's proof of possession failed: the key signs, but not as its certificate's
    /// key.
    fn failed_proof(&mut self, proved: Option<bool>) {
        if proved == Some(false) {
            self.inconsistent(
                "a signature made with the key does not verify with the certificate's public key"
                    .to_owned(),
            );
        }
    }

    /// Any other finding about the key.
    fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }
}

/// Decodes a key block's DER according to its label.
fn parse(label: BlockLabel, der: &[u8], cert_curve: Option<Curve>) -> Parsed<'_> {
    match label {
        BlockLabel::RsaPrivateKey => match RsaPrivateKeyRef::from_der(der) {
            Ok(key) => rsa_material(key, der, KeyEncoding::Pkcs1),
            Err(e) => Parsed::Malformed(with_other_encoding_hint(
                format!(
                    "its DER is not a PKCS#1 RSAPrivateKey ({})",
                    describe_der_error(&e)
                ),
                der,
            )),
        },
        BlockLabel::PrivateKey => match PrivateKeyInfoRef::from_der(der) {
            Ok(info) => parse_pkcs8(&info),
            Err(e) => Parsed::Malformed(with_other_encoding_hint(
                format!(
                    "its DER is not a PKCS#8 PrivateKeyInfo ({})",
                    describe_der_error(&e)
                ),
                der,
            )),
        },
        BlockLabel::EcPrivateKey => match sec1::EcPrivateKey::from_der(der) {
            Ok(key) => {
                let curve = match key.parameters.as_ref().and_then(|p| p.named_curve()) {
                    Some(oid) => curve_of_oid(&oid),
                    None => cert_curve.ok_or_else(|| "an EC key with no named curve".to_owned()),
                };
                match curve {
                    Ok(curve) => Parsed::Key(
                        Material::Ec {
                            curve,
                            scalar: key.private_key,
                            embedded: key.public_key,
                        },
                        KeyEncoding::Sec1,
                    ),
                    Err(name) => Parsed::Unsupported(format!("an EC key on {name}")),
                }
            }
            Err(e) => Parsed::Malformed(with_other_encoding_hint(
                format!(
                    "its DER is not a SEC1 ECPrivateKey ({})",
                    describe_der_error(&e)
                ),
                der,
            )),
        },
        BlockLabel::Certificate => Parsed::Malformed("it is a certificate".to_owned()),
    }
}

/// A key that does not parse as its label says, read as the first other encoding it parses
/// as (Go's `X509KeyPair` reads keys so, by their content): that encoding's label, and the key.
fn by_content(
    label: BlockLabel,
    der: &[u8],
    cert_curve: Option<Curve>,
) -> Option<(BlockLabel, Parsed<'_>)> {
    [
        BlockLabel::RsaPrivateKey,
        BlockLabel::PrivateKey,
        BlockLabel::EcPrivateKey,
    ]
    .into_iter()
    .filter(|other| *other != label)
    .map(|other| (other, parse(other, der, cert_curve)))
    .find(|(_, parsed)| matches!(parsed, Parsed::Key(..)))
}

/// The finding for a key whose label is not its encoding's: the stacks that read keys by their
/// label refuse it. OpenSSL's TLS loader (`PEM_read_bio_PrivateKey`) reads a PKCS#8 body under
/// the label of its own algorithm; rustls reads each label as one encoding; Go reads any.
fn mislabelled(
    member: Member,
    label: BlockLabel,
    content: BlockLabel,
    material: &Material<'_>,
) -> Finding {
    let stacks = match (content, label, material) {
        (BlockLabel::PrivateKey, BlockLabel::RsaPrivateKey, Material::Rsa { .. }) => {
            Fact::KeyLabelPkcs8ForRsaKey
        }
        (BlockLabel::PrivateKey, BlockLabel::EcPrivateKey, Material::Ec { .. }) => {
            Fact::KeyLabelPkcs8ForEcKey
        }
        _ => Fact::KeyLabelOtherEncoding,
    }
    .refused_by();
    Finding::new(
        CheckId::PemWrongLabel,
        Some(Field::Member(member)),
        format!(
            "{} is a {} key under the {} label; certkey read it by its content, as Go does",
            member.name(),
            encoding_name(content),
            label_name(label)
        ),
    )
    .refused_only_by(stacks)
    .with_hint(format!("label it {}", label_name(content)))
}

fn label_name(label: BlockLabel) -> &'static str {
    match label {
        BlockLabel::RsaPrivateKey => "RSA PRIVATE KEY",
        BlockLabel::PrivateKey => "PRIVATE KEY",
        BlockLabel::EcPrivateKey => "EC PRIVATE KEY",
        BlockLabel::Certificate => "CERTIFICATE",
    }
}

fn encoding_name(label: BlockLabel) -> &'static str {
    match label {
        BlockLabel::RsaPrivateKey => "PKCS#1",
        BlockLabel::PrivateKey => "PKCS#8",
        BlockLabel::EcPrivateKey => "SEC1",
        BlockLabel::Certificate => "certificate",
    }
}

/// What some stacks cannot load in a key that is otherwise sound, and which stacks: OpenSSL's
/// PKCS#8 reader has no field for PKCS#8 v2's public key (`crypto/asn1/p8_pkey.c`); ring loads
/// an EC key only with its public key inside, and has no P-521; aws-lc-rs loads both.
fn loading_limits(material: &Material<'_>, encoding: KeyEncoding) -> Vec<(&'static str, Stacks)> {
    let mut limits = Vec::new();
    if encoding == KeyEncoding::Pkcs8V2 {
        limits.push((
            "is PKCS#8 v2 (it carries its public key, RFC 5958), which OpenSSL's key reader refuses before 3.5",
            Fact::KeyPkcs8V2.refused_by(),
        ));
    }
    if let Material::Ec {
        curve, embedded, ..
    } = material
    {
        if *curve == Curve::P521 {
            limits.push((
                "is a P-521 key, a curve ring does not load keys of",
                Fact::KeyEcP521.refused_by(),
            ));
        } else if embedded.is_none() {
            limits.push((
                "is an EC key without its public key, which ring does not load",
                Fact::KeyEcWithoutPublicKey.refused_by(),
            ));
        }
    }
    limits
}

fn rsa_material<'a>(
    key: RsaPrivateKeyRef<'a>,
    pkcs1: &'a [u8],
    encoding: KeyEncoding,
) -> Parsed<'a> {
    if key.other_prime_infos.is_some() {
        return Parsed::Unsupported("a multi-prime RSA key".to_owned());
    }
    let bits = rsa::modulus_bits(&key);
    if bits > rsa::MAX_MODULUS_BITS {
        return Parsed::Unsupported(format!(
            "an RSA key of {bits} bits (certkey checks up to {})",
            rsa::MAX_MODULUS_BITS
        ));
    }
    Parsed::Key(Material::Rsa { key, pkcs1 }, encoding)
}

fn parse_pkcs8<'a>(info: &PrivateKeyInfoRef<'a>) -> Parsed<'a> {
    let encoding = if info.public_key.is_some() {
        KeyEncoding::Pkcs8V2
    } else {
        KeyEncoding::Pkcs8
    };
    let private_key = info.private_key.as_bytes();
    let parameters = info.algorithm.parameters.as_ref();
    match info.algorithm.oid {
        // RFC 8017 appendix A.1 (and RFC 3279): rsaEncryption's parameters are NULL.
        OID_RSA if !parameters.is_some_and(|p| p.is_null()) => Parsed::Malformed(
            "the PKCS#8 rsaEncryption algorithm's parameters are not NULL".to_owned(),
        ),
        OID_RSA => match RsaPrivateKeyRef::from_der(private_key) {
            Ok(key) => rsa_material(key, private_key, encoding),
            Err(e) => Parsed::Malformed(format!(
                "the PKCS#8 key's RSAPrivateKey does not parse ({})",
                describe_der_error(&e)
            )),
        },
        OID_RSA_PSS => Parsed::Unsupported("an RSA-PSS key".to_owned()),
        OID_EC => {
            let outer = info
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            let key = match sec1::EcPrivateKey::from_der(private_key) {
                Ok(key) => key,
                Err(e) => {
                    return Parsed::Malformed(format!(
                        "the PKCS#8 key's ECPrivateKey does not parse ({})",
                        describe_der_error(&e)
                    ))
                }
            };
            let inner = key.parameters.as_ref().and_then(|p| p.named_curve());
            let oid = match (outer, inner) {
                (Some(a), Some(b)) if a != b => {
                    return Parsed::Malformed(
                        "the PKCS#8 algorithm and the ECPrivateKey name different curves"
                            .to_owned(),
                    )
                }
                (Some(oid), _) | (None, Some(oid)) => oid,
                (None, None) => {
                    return Parsed::Malformed("the EC key names no curve".to_owned());
                }
            };
            let embedded = key
                .public_key
                .or_else(|| info.public_key.as_ref().and_then(|b| b.as_bytes()));
            match curve_of_oid(&oid) {
                Ok(curve) => Parsed::Key(
                    Material::Ec {
                        curve,
                        scalar: key.private_key,
                        embedded,
                    },
                    encoding,
                ),
                Err(name) => Parsed::Unsupported(format!("an EC key on {name}")),
            }
        }
        // RFC 8410 section 3: Ed25519's parameters are absent.
        OID_ED25519 if parameters.is_some() => Parsed::Malformed(
            "the PKCS#8 Ed25519 algorithm has parameters, which RFC 8410 forbids".to_owned(),
        ),
        OID_ED25519 => {
            // RFC 8410: the private key is an OCTET STRING inside the OCTET STRING.
            match <&OctetStringRef>::from_der(private_key) {
                Ok(seed) => Parsed::Key(
                    Material::Ed25519 {
                        seed: seed.as_bytes(),
                        embedded: info.public_key.as_ref().and_then(|b| b.as_bytes()),
                    },
                    encoding,
                ),
                Err(e) => Parsed::Malformed(format!(
                    "the Ed25519 key's CurvePrivateKey does not parse ({})",
                    describe_der_error(&e)
                )),
            }
        }
        other => Parsed::Unsupported(format!(
            "a key of {}",
            oids::unsupported_key(&other.to_string())
        )),
    }
}

/// When a key does not parse as its label says, says which encoding it does parse as.
fn with_other_encoding_hint(message: String, der: &[u8]) -> String {
    let other = if RsaPrivateKeyRef::from_der(der).is_ok() {
        Some("RSA PRIVATE KEY (PKCS#1)")
    } else if PrivateKeyInfoRef::from_der(der).is_ok() {
        Some("PRIVATE KEY (PKCS#8)")
    } else if sec1::EcPrivateKey::from_der(der).is_ok() {
        Some("EC PRIVATE KEY (SEC1)")
    } else {
        None
    };
    match other {
        Some(label) => format!("{message}; it is a {label} key under the wrong PEM label"),
        None => message,
    }
}

/// Describes a DER error by its kind and position only: never by the bytes involved.
fn describe_der_error(e: &pkcs8::der::Error) -> String {
    match e.position() {
        Some(position) => format!("{} at byte {position}", e.kind()),
        None => e.kind().to_string(),
    }
}

fn digest_of(domain: &[u8], component: &[u8]) -> [u8; 32] {
    let mut context = Context::new(&SHA256);
    context.update(domain);
    context.update(strip_zeros(component));
    let mut out = [0u8; 32];
    out.copy_from_slice(context.finish().as_ref());
    out
}

/// `key.shared`: two roles whose keys have the same identity (a digest of the private
/// components). Reported on the later role's key.
pub(crate) fn report_shared_keys(identities: &[(Member, [u8; 32])], findings: &mut Findings) {
    for (later, (member, identity)) in identities.iter().enumerate() {
        if let Some((first, _)) = identities[..later].iter().find(|(_, id)| id == identity) {
            findings.push(Finding::new(
                CheckId::KeyShared,
                Some(Field::Member(*member)),
                format!(
                    "{} is the same key pair as {}: one compromised server exposes both identities",
                    member.name(),
                    first.name()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use pkcs8::der::asn1::{AnyRef, UintRef};
    use pkcs8::der::Encode;
    use pkcs8::AlgorithmIdentifierRef;

    use super::*;
    use crate::finding::Findings;
    use crate::secret::SecretBytes;

    /// The DER of a PEM file under testdata/keys.
    fn key_der(name: &str) -> Vec<u8> {
        let path = format!("{}/testdata/keys/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
        <base64ct::Base64 as base64ct::Encoding>::decode_vec(&body).unwrap()
    }

    fn info<'a>(
        oid: ObjectIdentifier,
        parameters: Option<AnyRef<'a>>,
        private_key: &'a [u8],
    ) -> PrivateKeyInfoRef<'a> {
        PrivateKeyInfoRef {
            algorithm: AlgorithmIdentifierRef { oid, parameters },
            private_key: OctetStringRef::new(private_key).unwrap(),
            public_key: None,
        }
    }

    fn malformed(parsed: Parsed<'_>) -> String {
        match parsed {
            Parsed::Malformed(why) => why,
            Parsed::Key(..) => panic!("parsed as a key"),
            Parsed::Unsupported(what) => panic!("unsupported: {what}"),
        }
    }

    #[test]
    fn pkcs8_algorithms_are_held_to_their_parameters() {
        let rsa = key_der("rsa2048-pkcs8.key.pem");
        let rsa = PrivateKeyInfoRef::from_der(&rsa).unwrap();
        let pkcs1 = rsa.private_key.as_bytes();
        assert!(matches!(
            parse_pkcs8(&info(OID_RSA, Some(AnyRef::NULL), pkcs1)),
            Parsed::Key(Material::Rsa { .. }, KeyEncoding::Pkcs8)
        ));
        assert_eq!(
            malformed(parse_pkcs8(&info(OID_RSA, None, pkcs1))),
            "the PKCS#8 rsaEncryption algorithm's parameters are not NULL"
        );
        let why = malformed(parse_pkcs8(&info(
            OID_RSA,
            Some(AnyRef::NULL),
            &[0x30, 0x03],
        )));
        assert!(
            why.starts_with("the PKCS#8 key's RSAPrivateKey does not parse (")
                && why.contains(" at byte "),
            "{why}"
        );
        assert_eq!(
            malformed(parse_pkcs8(&info(
                OID_ED25519,
                Some(AnyRef::NULL),
                &[0x04, 0x00]
            ))),
            "the PKCS#8 Ed25519 algorithm has parameters, which RFC 8410 forbids"
        );
        let dsa = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");
        assert!(matches!(
            parse_pkcs8(&info(dsa, None, &[])),
            Parsed::Unsupported(what) if what == "a key of DSA"
        ));
    }

    #[test]
    fn a_pkcs8_ec_key_names_one_curve() {
        let p256 = key_der("ec-p256-pkcs8.key.pem");
        let p256 = PrivateKeyInfoRef::from_der(&p256).unwrap();
        let inner = sec1::EcPrivateKey::from_der(p256.private_key.as_bytes()).unwrap();
        let with_curve = |curve: ObjectIdentifier| {
            sec1::EcPrivateKey {
                parameters: Some(sec1::EcParameters::NamedCurve(curve)),
                ..inner.clone()
            }
            .to_der()
            .unwrap()
        };
        let (same, other) = (with_curve(OID_P256), with_curve(OID_P384));
        let outer = Some(AnyRef::from(&OID_P256));
        assert!(matches!(
            parse_pkcs8(&info(OID_EC, outer, &same)),
            Parsed::Key(
                Material::Ec {
                    curve: Curve::P256,
                    ..
                },
                _
            )
        ));
        assert_eq!(
            malformed(parse_pkcs8(&info(OID_EC, outer, &other))),
            "the PKCS#8 algorithm and the ECPrivateKey name different curves"
        );
        // Named inside only, or nowhere.
        assert!(matches!(
            parse_pkcs8(&info(OID_EC, None, &other)),
            Parsed::Key(
                Material::Ec {
                    curve: Curve::P384,
                    ..
                },
                _
            )
        ));
        let bare = inner.to_der().unwrap();
        assert_eq!(
            malformed(parse_pkcs8(&info(OID_EC, None, &bare))),
            "the EC key names no curve"
        );
    }

    #[test]
    fn a_sec1_key_without_a_curve_takes_its_certificates() {
        let p256 = key_der("ec-p256-pkcs8.key.pem");
        let p256 = PrivateKeyInfoRef::from_der(&p256).unwrap();
        let inner = sec1::EcPrivateKey::from_der(p256.private_key.as_bytes()).unwrap();
        let bare = sec1::EcPrivateKey {
            parameters: None,
            ..inner.clone()
        }
        .to_der()
        .unwrap();
        let mut der = SecretBytes::with_capacity(bare.len());
        der.extend_within_capacity(&bare);
        let block = PemBlock {
            label: BlockLabel::EcPrivateKey,
            der,
            encryption: None,
        };
        let point = inner.public_key.unwrap();
        let cert = CertPublicKey::Ec {
            curve: Ok(Curve::P256),
            point,
        };
        let mut findings = Findings::default();
        let checked = check(
            Member::PrivateKey,
            &block,
            Some((Member::Cert, &cert)),
            false,
            &mut findings,
        )
        .expect("the key is read with its certificate's curve");
        assert_eq!(checked.algorithm, KeyAlgorithm::Ec(Curve::P256));
        assert_eq!(checked.summary.matches_certificate, Some(true));
        assert!(findings.into_vec().is_empty());
    }

    #[test]
    fn rsa_keys_are_checked_up_to_the_largest_size() {
        let at = |bits: usize| {
            let mut n = vec![0xff; bits / 8];
            n[0] = 0x80;
            n
        };
        for (bits, supported) in [
            (rsa::MAX_MODULUS_BITS as usize, true),
            (rsa::MAX_MODULUS_BITS as usize + 8, false),
        ] {
            let n = at(bits);
            let one = [1u8];
            let uint = |bytes: &'static [u8]| UintRef::new(bytes).unwrap();
            let key = RsaPrivateKeyRef {
                modulus: UintRef::new(&n).unwrap(),
                public_exponent: uint(&[3]),
                private_exponent: UintRef::new(&one).unwrap(),
                prime1: uint(&[3]),
                prime2: uint(&[5]),
                exponent1: uint(&[1]),
                exponent2: uint(&[1]),
                coefficient: uint(&[1]),
                other_prime_infos: None,
            };
            let parsed = rsa_material(key, &[], KeyEncoding::Pkcs1);
            match parsed {
                Parsed::Key(..) => assert!(supported, "{bits}"),
                Parsed::Unsupported(what) => {
                    assert!(!supported, "{bits}");
                    assert_eq!(
                        what,
                        format!("an RSA key of {bits} bits (certkey checks up to 16384)")
                    );
                }
                Parsed::Malformed(why) => panic!("{why}"),
            }
        }
    }

    #[test]
    fn a_key_under_the_wrong_label_is_named_by_what_it_is() {
        let pkcs8 = key_der("rsa2048-pkcs8.key.pem");
        let pkcs1 = PrivateKeyInfoRef::from_der(&pkcs8)
            .unwrap()
            .private_key
            .as_bytes()
            .to_vec();
        assert_eq!(
            with_other_encoding_hint("m".to_owned(), &pkcs8),
            "m; it is a PRIVATE KEY (PKCS#8) key under the wrong PEM label"
        );
        assert_eq!(
            with_other_encoding_hint("m".to_owned(), &pkcs1),
            "m; it is a RSA PRIVATE KEY (PKCS#1) key under the wrong PEM label"
        );
        assert_eq!(with_other_encoding_hint("m".to_owned(), &[0x30, 0x00]), "m");
    }

    #[test]
    fn keys_are_named_in_words() {
        assert_eq!(KeyAlgorithm::Rsa { bits: 2048 }.to_string(), "RSA 2048");
        assert_eq!(KeyAlgorithm::Ec(Curve::P384).to_string(), "EC P-384");
        assert_eq!(KeyAlgorithm::Ed25519.to_string(), "Ed25519");
        assert_eq!(oids::unsupported_key("1.3.101.113"), "Ed448");
    }
}
