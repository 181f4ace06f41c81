//! The certificate layer: parsing each certificate member and summarizing it.
//!
//! Ids: `cert.malformed`. The other certificate checks are in this folder: `validity`
//! (`cert.expired`, …), `strength` (`cert.weak_*`, `cert.version`, `cert.duplicate_serial`),
//! `ca` (`ca.*`), `chain` (`chain.untrusted`, with `signature`, the signature verifiers it
//! uses), `constraints` (`chain.untrusted` for the subject's names), `purpose`
//! (`chain.usage`),
//! `shared` (`cert.shared`).

pub(crate) mod ca;
mod canonical;
pub(crate) mod chain;
pub(crate) mod constraints;
pub(crate) mod names;
pub(crate) mod profile;
mod public_key;
pub(crate) mod purpose;
pub(crate) mod shared;
pub(crate) mod signature;
pub(crate) mod strength;
pub(crate) mod validity;

pub(crate) use public_key::{CertPublicKey, Curve};

use base64ct::{Base64, Encoding};
use ring::digest::{digest, SHA256};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use x509_parser::error::X509Error;
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};

use crate::catalog::CheckId;
use crate::der;
use crate::finding::{Field, Finding, Findings};
use crate::member::{Member, Role};
use crate::refusals::Fact;
use crate::stacks::Stacks;
use crate::text;
use crate::text::Untrusted;

/// How many characters of a subject or issuer name are kept.
const NAME_MAX_CHARS: usize = 256;

/// How many characters of a subject or issuer name a finding quotes.
const BUNDLE_NAME_MAX_CHARS: usize = 120;

/// A certificate of the bundle: the member holding it, its DER, its parsed form and its
/// public key, read once for every check that needs it.
pub(crate) struct BundleCert<'a> {
    pub(crate) member: Member,
    pub(crate) der: &'a [u8],
    pub(crate) parsed: &'a X509Certificate<'a>,
    pub(crate) key: CertPublicKey<'a>,
}

impl<'a> BundleCert<'a> {
    /// The certificate `member` holds, with its public key read.
    pub(crate) fn new(member: Member, der: &'a [u8], parsed: &'a X509Certificate<'a>) -> Self {
        Self {
            member,
            der,
            parsed,
            key: CertPublicKey::from_spki(parsed.public_key()),
        }
    }

    pub(crate) fn subject(&self) -> String {
        Untrusted::new(&self.parsed.subject().to_string()).quoted(BUNDLE_NAME_MAX_CHARS)
    }

    pub(crate) fn issuer(&self) -> String {
        Untrusted::new(&self.parsed.issuer().to_string()).quoted(BUNDLE_NAME_MAX_CHARS)
    }

    pub(crate) fn is_self_issued(&self) -> bool {
        self.parsed.subject().as_raw() == self.parsed.issuer().as_raw()
    }

    /// Whether this certificate names `ca` as its issuer, byte for byte or as OpenSSL
    /// compares names: whether `ca` is on its chain for some stack (a leaf another CA issued
    /// is `chain.untrusted`, and nothing else of the CA applies to it).
    pub(crate) fn names_as_issuer(&self, ca: &BundleCert<'_>) -> bool {
        canonical::same(self.parsed.issuer(), ca.parsed.subject())
    }
}

/// What the report says about one certificate of the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CertSummary {
    /// The member holding it.
    pub member: Member,
    /// The identity it belongs to.
    pub role: Role,
    /// The subject name, RFC 4514 style, quoted as all text from the input is (control and
    /// invisible characters removed, key-shaped data withheld).
    pub subject: String,
    /// The issuer name, RFC 4514 style, quoted as the subject is.
    pub issuer: String,
    /// The serial number, as colon-separated hex bytes.
    pub serial: String,
    /// notBefore, RFC 3339.
    pub not_before: String,
    /// notAfter, RFC 3339.
    pub not_after: String,
    /// Whole days from the audit time to notAfter (negative once expired).
    pub days_left: i64,
    /// The public key's algorithm and size, e.g. `RSA 2048`, `EC P-256`, `Ed25519`.
    pub key: String,
    /// SHA-256 of the whole certificate (DER), as colon-separated uppercase hex bytes: the
    /// form `openssl x509 -fingerprint -sha256` prints.
    pub sha256_fingerprint: String,
    /// SHA-256 of the SubjectPublicKeyInfo, base64: the `pin-sha256` form pinning configs take.
    pub spki_sha256: String,
    /// The subjectAltName entries, in order: DNS names as they are, IP addresses in their
    /// usual notation, others as `email:…`, `URI:…` or their kind; quoted as the subject is,
    /// at most 16 (then `… N more`). Empty when the extension is absent.
    pub subject_alt_names: Vec<String>,
    /// The extendedKeyUsage purposes (`serverAuth`, `clientAuth`, …, or an OID), or `None`
    /// when the extension is absent (any purpose).
    pub extended_key_usage: Option<Vec<String>>,
}

impl CertSummary {
    /// Withholds what `secrets` finds in the summary's quoted text: the names and purposes.
    pub(crate) fn screen(&mut self, secrets: &crate::text::Secrets<'_>) {
        secrets.screen(&mut self.subject);
        secrets.screen(&mut self.issuer);
        self.subject_alt_names
            .iter_mut()
            .chain(self.extended_key_usage.iter_mut().flatten())
            .for_each(|text| secrets.screen(text));
    }
}

/// The most subjectAltName entries (and unnamed purposes) a certificate summary lists.
const MAX_LISTED: usize = 16;

/// The subjectAltName entries of `cert`, as [`CertSummary::subject_alt_names`] lists them.
fn alt_names(cert: &X509Certificate<'_>) -> Vec<String> {
    match cert.subject_alternative_name() {
        Ok(Some(san)) => list_alt_names(&san.value.general_names),
        _ => Vec::new(),
    }
}

/// At most [`MAX_LISTED`] names, then how many more there are.
fn list_alt_names(all: &[x509_parser::extensions::GeneralName<'_>]) -> Vec<String> {
    let mut names: Vec<String> = all.iter().take(MAX_LISTED).map(alt_name).collect();
    if all.len() > MAX_LISTED {
        names.push(format!("… {} more", all.len() - MAX_LISTED));
    }
    names
}

/// One subjectAltName entry in words: a DNS name as it is, an IP address in its usual
/// notation, `email:…`, `URI:…`, or the kind of entry.
fn alt_name(name: &x509_parser::extensions::GeneralName<'_>) -> String {
    use x509_parser::extensions::GeneralName;
    match name {
        GeneralName::DNSName(dns) => Untrusted::new(dns).quoted(BUNDLE_NAME_MAX_CHARS),
        GeneralName::IPAddress(bytes) => match <[u8; 4]>::try_from(*bytes) {
            Ok(v4) => std::net::Ipv4Addr::from(v4).to_string(),
            Err(_) => match <[u8; 16]>::try_from(*bytes) {
                Ok(v6) => std::net::Ipv6Addr::from(v6).to_string(),
                Err(_) => format!("IP address of {} bytes", bytes.len()),
            },
        },
        GeneralName::RFC822Name(mail) => format!(
            "email:{}",
            Untrusted::new(mail).quoted(BUNDLE_NAME_MAX_CHARS)
        ),
        GeneralName::URI(uri) => {
            format!("URI:{}", Untrusted::new(uri).quoted(BUNDLE_NAME_MAX_CHARS))
        }
        GeneralName::DirectoryName(_) => "directory name".to_owned(),
        GeneralName::RegisteredID(_) => "registered ID".to_owned(),
        _ => "other name".to_owned(),
    }
}

/// The extendedKeyUsage purposes of `cert`, as [`CertSummary::extended_key_usage`] lists
/// them.
fn key_purposes(cert: &X509Certificate<'_>) -> Option<Vec<String>> {
    match cert.extended_key_usage() {
        Ok(Some(eku)) => Some(purposes(eku.value)),
        _ => None,
    }
}

/// The purposes named, in a fixed order, then at most [`MAX_LISTED`] others by OID.
pub(crate) fn purposes(eku: &x509_parser::extensions::ExtendedKeyUsage<'_>) -> Vec<String> {
    let mut purposes: Vec<String> = [
        (eku.server_auth, "serverAuth"),
        (eku.client_auth, "clientAuth"),
        (eku.code_signing, "codeSigning"),
        (eku.email_protection, "emailProtection"),
        (eku.time_stamping, "timeStamping"),
        (eku.ocsp_signing, "OCSPSigning"),
        (eku.any, "anyExtendedKeyUsage"),
    ]
    .into_iter()
    .filter(|(flag, _)| *flag)
    .map(|(_, name)| name.to_owned())
    .collect();
    purposes.extend(
        eku.other
            .iter()
            .take(MAX_LISTED)
            .map(|oid| crate::oids::quoted(&crate::oids::dotted(oid))),
    );
    purposes
}

/// Parses a certificate member's DER, or reports `cert.malformed`.
pub(crate) fn parse<'a>(
    member: Member,
    der: &'a [u8],
    findings: &mut Findings,
) -> Option<X509Certificate<'a>> {
    match X509Certificate::from_der(der) {
        Ok((rest, _)) if !rest.is_empty() => {
            findings.push(malformed(
                member,
                format!(
                    "{} has {} bytes after the end of its certificate",
                    member.name(),
                    rest.len()
                ),
            ));
            None
        }
        Ok((_, cert)) => {
            match strict_outer_structure(der) {
                Ok(()) => {
                    // Kept for the other checks in both cases: they see what else is wrong.
                    if let Err(refused) = strict_public_key(cert.public_key().raw, member) {
                        findings.push(
                            malformed(member, format!("{}'s public key {}", member.name(), refused.why))
                                .with_hint("the service must issue a certificate whose key TLS stacks can read")
                                .refused_only_by(refused.stacks),
                        );
                    }
                    if let Some(name) = unreadable_extension(&cert) {
                        findings.push(
                            malformed(
                                member,
                                format!(
                                    "{}'s {name} extension is not the DER its definition requires (RFC 5280): TLS stacks refuse a certificate whose extensions they cannot read",
                                    member.name()
                                ),
                            )
                            .with_hint("the service must issue a certificate whose extensions are well formed"),
                        );
                    }
                    Some(cert)
                }
                Err(why) => {
                    findings.push(malformed(member, format!("{} {why}", member.name())));
                    None
                }
            }
        }
        Err(e) => {
            findings.push(malformed(
                member,
                format!(
                    "{}'s CERTIFICATE block does not hold an X.509 certificate: {}",
                    member.name(),
                    describe_parse_error(&e)
                ),
            ));
            None
        }
    }
}

/// What x509-parser lets pass and strict DER readers (webpki, OpenSSL) refuse, in the parts of
/// a certificate outside its tbsCertificate: those are not covered by the signature, and a
/// trust anchor's are checked by no one else. RFC 5280 section 4.1.1: the certificate is
/// `SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }`, and
/// signatureAlgorithm equals the signature field inside tbsCertificate.
fn strict_outer_structure(der: &[u8]) -> Result<(), &'static str> {
    use pkcs8::der::asn1::AnyRef;
    use pkcs8::der::{Decode, SliceReader, Tag, Tagged};

    let not_der = "is not strict DER: its outer SEQUENCE does not hold exactly a tbsCertificate, a signatureAlgorithm and a signatureValue";
    let (tbs, algorithm, signature) = AnyRef::from_der(der)
        .and_then(|certificate| {
            certificate.sequence(|reader| {
                let tbs = AnyRef::decode(reader)?;
                let algorithm = AnyRef::decode(reader)?;
                let signature = AnyRef::decode(reader)?;
                Ok((tbs, algorithm, signature))
            })
        })
        .map_err(|_| not_der)?;
    if tbs.tag() != Tag::Sequence || algorithm.tag() != Tag::Sequence {
        return Err(not_der);
    }
    if signature.tag() != Tag::BitString || der::whole_bytes(signature.value()).is_none() {
        return Err("has a signatureValue that is not a BIT STRING of whole bytes");
    }
    // Inside tbsCertificate: an optional [0] version, the serial number, then the signature
    // algorithm.
    let inner = SliceReader::new(tbs.value())
        .and_then(|mut reader| {
            let mut field = AnyRef::decode(&mut reader)?;
            if field.tag().is_context_specific() {
                field = AnyRef::decode(&mut reader)?;
            }
            let _serial = field;
            AnyRef::decode(&mut reader)
        })
        .map_err(|_| not_der)?;
    if inner != algorithm {
        return Err("has a signatureAlgorithm that differs from the signature algorithm inside its tbsCertificate (RFC 5280 section 4.1.1.2 requires them to be equal)");
    }
    Ok(())
}

/// What x509-parser reads and strict readers refuse in a SubjectPublicKeyInfo: rsaEncryption
/// without NULL parameters (RFC 3279 section 2.3.1; rustls and Go refuse it), an RSAPublicKey
/// that is not DER (a negative or zero-padded INTEGER: OpenSSL, Go, pyca and rustls refuse
/// it), an RSA exponent no TLS stack verifies with (even, below 3, or over ring's 33 bits),
/// Ed25519 with parameters or of the wrong
/// length (RFC 8410), and a key BIT STRING of partial bytes.
/// Why a public key is refused, and by which stacks.
struct Refused {
    why: String,
    stacks: Stacks,
}

impl Refused {
    fn all(why: String) -> Self {
        Self::by(why, Stacks::ALL)
    }

    fn by(why: String, stacks: Stacks) -> Self {
        Self { why, stacks }
    }
}

/// The stacks that refuse the public key of `member`'s certificate (`spki`), read strictly:
/// none when every stack reads it.
pub(crate) fn key_refused_by(spki: &[u8], member: Member) -> Stacks {
    strict_public_key(spki, member).map_or_else(|refused| refused.stacks, |()| Stacks::NONE)
}

fn strict_public_key(spki: &[u8], member: Member) -> Result<(), Refused> {
    use pkcs8::der::asn1::{AnyRef, UintRef};
    use pkcs8::der::{Decode, Reader, SliceReader, Tag, Tagged};

    let not_der = || Refused::all("is not a DER SubjectPublicKeyInfo".to_owned());
    let (algorithm, key) = AnyRef::from_der(spki)
        .and_then(|info| {
            info.sequence(|reader| Ok((AnyRef::decode(reader)?, AnyRef::decode(reader)?)))
        })
        .map_err(|_| not_der())?;
    let Some(key) = der::whole_bytes(key.value()).filter(|_| key.tag() == Tag::BitString) else {
        return Err(Refused::all(
            "is not a BIT STRING of whole bytes".to_owned(),
        ));
    };
    const RSA_ENCRYPTION: &[u8] = &[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
    ];
    const ED25519: &[u8] = &[0x06, 0x03, 0x2b, 0x65, 0x70];
    const EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    // The OID, then everything after it as the parameters: two NULLs are not NULL.
    let oid = SliceReader::new(algorithm.value())
        .and_then(|mut reader| reader.tlv_bytes())
        .map_err(|_| not_der())?;
    let parameters = Some(&algorithm.value()[oid.len()..]).filter(|rest| !rest.is_empty());
    match oid {
        RSA_ENCRYPTION => {
            match parameters {
                Some([0x05, 0x00]) => {}
                None => return Err(Refused::by(
                    "has an rsaEncryption algorithm without the NULL parameters RFC 3279 requires"
                        .to_owned(),
                    Fact::CertRsaParametersAbsent.refused_by_key_of(member),
                )),
                Some(_) => {
                    return Err(Refused::all(
                        "has rsaEncryption parameters that are not NULL (RFC 3279 requires NULL)"
                            .to_owned(),
                    ))
                }
            }
            let integers = AnyRef::from_der(key)
                .and_then(|sequence| {
                    sequence
                        .sequence(|reader| Ok((AnyRef::decode(reader)?, AnyRef::decode(reader)?)))
                })
                .map_err(|_| {
                    Refused::all(
                        "is not a DER RSAPublicKey (a SEQUENCE of the modulus and the exponent)"
                            .to_owned(),
                    )
                })?;
            for (name, integer) in [("modulus n", integers.0), ("exponent e", integers.1)] {
                if integer.tag() != Tag::Integer {
                    return Err(Refused::all(format!(
                        "has an RSA {name} that is not an INTEGER"
                    )));
                }
                if der::is_negative(integer.value()) {
                    return Err(Refused::by(format!("has a negative RSA {name}: its INTEGER lacks the leading zero byte DER needs"), Fact::CertRsaNegativeInteger.refused_by()));
                }
                if UintRef::try_from(integer).is_err() {
                    return Err(Refused::all(format!(
                        "has an RSA {name} that is not a minimal DER INTEGER"
                    )));
                }
            }
            let exponent = UintRef::try_from(integers.1).map_err(|_| not_der())?;
            let e = exponent.as_bytes();
            if e.last().is_none_or(|last| last & 1 == 0) || (e.len() == 1 && e[0] < 3) {
                return Err(Refused::all(
                    "has an RSA exponent e that is even or below 3: no TLS stack verifies with it"
                        .to_owned(),
                ));
            }
            // ring's bound on e is 2^33 − 1; Go reads at most 63 bits.
            if e.len() > 5 || (e.len() == 5 && e[0] > 1) {
                return Err(Refused::by(
                    "has an RSA exponent e of over 33 bits (ring's bound; Go's is 31 bits)"
                        .to_owned(),
                    Fact::CertRsaExponentOver33Bits.refused_by(),
                ));
            }
        }
        // RFC 5480 section 2.1.1: a named curve only. OpenSSL (even as shipped), Go and
        // rustls refuse explicit parameters (tests/stacks.rs); pyca in the key that verifies.
        EC_PUBLIC_KEY if parameters.is_some_and(der::starts_sequence) => {
            return Err(Refused::by(
                "has explicit EC parameters, where RFC 5480 allows a named curve only".to_owned(),
                Fact::CertEcExplicitParameters.refused_by_key_of(member),
            ));
        }
        ED25519 => {
            if parameters.is_some() {
                return Err(Refused::all(
                    "has Ed25519 parameters, which RFC 8410 forbids".to_owned(),
                ));
            }
            if key.len() != 32 {
                return Err(Refused::all(format!(
                    "is an Ed25519 key of {} bytes, not 32",
                    key.len()
                )));
            }
        }
        _ => {}
    }
    Ok(())
}

/// The name of the first extension of a kind x509-parser knows whose value does not parse
/// (rustls-webpki reads basicConstraints, keyUsage, extendedKeyUsage, subjectAltName, name
/// constraints and CRL distribution points; OpenSSL most of the others, and marks a
/// certificate with an unreadable one invalid).
fn unreadable_extension(cert: &X509Certificate<'_>) -> Option<String> {
    let extension = cert
        .extensions()
        .iter()
        .find(|extension| extension.parsed_extension().error().is_some())?;
    let oid = crate::oids::dotted(&extension.oid);
    Some(crate::oids::name_in(crate::oids::EXTENSIONS, &oid))
}

/// Summarizes a parsed certificate for the report.
pub(crate) fn summarize<'a>(
    bundle_cert: &BundleCert<'a>,
    audit_time: OffsetDateTime,
    names: &mut QuotedNames<'a>,
) -> CertSummary {
    let BundleCert {
        member,
        der,
        parsed: cert,
        ref key,
    } = *bundle_cert;
    let validity = cert.validity();
    let not_before = validity.not_before.to_datetime();
    let not_after = validity.not_after.to_datetime();
    CertSummary {
        member,
        role: member.role(),
        subject: names.quoted(cert.subject()),
        issuer: names.quoted(cert.issuer()),
        serial: text::hex_bytes(cert.raw_serial(), false),
        not_before: text::rfc3339(not_before),
        not_after: text::rfc3339(not_after),
        days_left: days_left(cert, audit_time),
        key: key.name(),
        sha256_fingerprint: text::hex_bytes(digest(&SHA256, der).as_ref(), true),
        spki_sha256: Base64::encode_string(digest(&SHA256, cert.public_key().raw).as_ref()),
        subject_alt_names: alt_names(cert),
        extended_key_usage: key_purposes(cert),
    }
}

/// [`summarize`], with the CA's summary taken from `memory` when the CA is the one it
/// remembers (and remembered there when not).
pub(crate) fn summarize_remembered<'a>(
    cert: &BundleCert<'a>,
    audit_time: OffsetDateTime,
    names: &mut QuotedNames<'a>,
    memory: &mut ca::CaMemory,
) -> CertSummary {
    if cert.member != Member::Ca {
        return summarize(cert, audit_time, names);
    }
    let remembered = memory
        .summary
        .as_ref()
        .filter(|(seen, _)| **seen == *cert.der)
        .map(|(_, summary)| summary.clone());
    if let Some(mut summary) = remembered {
        summary.days_left = days_left(cert.parsed, audit_time);
        // The CA's subject is each leaf's issuer.
        names.remember(cert.parsed.subject(), &summary.subject);
        return summary;
    }
    let summary = summarize(cert, audit_time, names);
    memory.summary = Some((cert.der.into(), summary.clone()));
    summary
}

/// Whole days from `audit_time` to the end of `cert`'s validity (negative once expired).
fn days_left(cert: &X509Certificate<'_>, audit_time: OffsetDateTime) -> i64 {
    (cert.validity().not_after.to_datetime() - audit_time).whole_days()
}

/// The distinguished names of a bundle's summaries, quoted once each: a bundle's names
/// repeat (each leaf's issuer is the CA's subject), and the same DER is the same text.
#[derive(Default)]
pub(crate) struct QuotedNames<'a>(Vec<(&'a [u8], String)>);

impl<'a> QuotedNames<'a> {
    /// Takes `quoted` as `name`'s quoted text, unless the name is already known.
    fn remember(&mut self, name: &'a X509Name<'a>, quoted: &str) {
        let der = name.as_raw();
        if !self.0.iter().any(|(seen, _)| *seen == der) {
            self.0.push((der, quoted.to_owned()));
        }
    }

    fn quoted(&mut self, name: &'a X509Name<'a>) -> String {
        let der = name.as_raw();
        if let Some((_, quoted)) = self.0.iter().find(|(seen, _)| *seen == der) {
            return quoted.clone();
        }
        let quoted = Untrusted::new(&name.to_string()).quoted(NAME_MAX_CHARS);
        self.0.push((der, quoted.clone()));
        quoted
    }
}

fn describe_parse_error(e: &x509_parser::nom::Err<X509Error>) -> String {
    match e {
        x509_parser::nom::Err::Incomplete(_) => "its DER encoding is cut short".to_owned(),
        x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => match e {
            X509Error::Der(_) | X509Error::NomError(_) | X509Error::Generic => {
                "its DER encoding is broken or cut short".to_owned()
            }
            other => Untrusted::new(&other.to_string()).quoted(120),
        },
    }
}

fn malformed(member: Member, message: String) -> Finding {
    Finding::new(CheckId::CertMalformed, Some(Field::Member(member)), message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::der::{seq, tlv};
    use crate::stacks::Stack;

    #[test]
    fn alt_names_read_as_operators_write_them() {
        use x509_parser::extensions::GeneralName;
        use x509_parser::oid_registry::Oid;
        let pem = pki("ca.crt.pem");
        let ca = pem.parse_x509().unwrap();
        let oid = Oid::from(&[1, 2, 3, 4][..]).unwrap();
        let names = [
            GeneralName::DNSName("target.example"),
            GeneralName::IPAddress(&[192, 0, 2, 10]),
            GeneralName::IPAddress(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
            GeneralName::IPAddress(&[10, 0, 0, 0, 255, 0, 0, 0]),
            GeneralName::RFC822Name("ops@example.com"),
            GeneralName::URI("spiffe://example/agent"),
            GeneralName::DirectoryName(ca.subject().clone()),
            GeneralName::RegisteredID(oid),
            GeneralName::OtherName(Oid::from(&[1, 2][..]).unwrap(), &[]),
        ];
        assert_eq!(
            list_alt_names(&names),
            [
                "target.example",
                "192.0.2.10",
                "2001:db8::1",
                "IP address of 8 bytes",
                "email:ops@example.com",
                "URI:spiffe://example/agent",
                "directory name",
                "registered ID",
                "other name",
            ]
        );
        let many: Vec<GeneralName<'_>> = (0..MAX_LISTED + 4)
            .map(|_| GeneralName::DNSName("a.example"))
            .collect();
        let listed = list_alt_names(&many);
        assert_eq!(listed.len(), MAX_LISTED + 1);
        assert_eq!(listed[MAX_LISTED], "… 4 more");
        assert_eq!(list_alt_names(&many[..MAX_LISTED]).len(), MAX_LISTED);
    }

    #[test]
    fn purposes_are_named_in_order_then_listed_by_oid() {
        use x509_parser::extensions::ExtendedKeyUsage;
        use x509_parser::oid_registry::Oid;
        let every = ExtendedKeyUsage {
            any: true,
            server_auth: true,
            client_auth: true,
            code_signing: true,
            email_protection: true,
            time_stamping: true,
            ocsp_signing: true,
            other: vec![Oid::from(&[1, 3, 6, 1, 4, 1, 99999, 1][..]).unwrap()],
        };
        let named = purposes(&every);
        assert_eq!(
            named[..7],
            [
                "serverAuth",
                "clientAuth",
                "codeSigning",
                "emailProtection",
                "timeStamping",
                "OCSPSigning",
                "anyExtendedKeyUsage"
            ]
        );
        assert_eq!(named.len(), 8);
        assert!(named[7].contains("1.3.6.1.4.1.99999.1"), "{}", named[7]);
        let none = ExtendedKeyUsage {
            any: false,
            server_auth: false,
            client_auth: true,
            code_signing: false,
            email_protection: false,
            time_stamping: false,
            ocsp_signing: false,
            other: vec![Oid::from(&[1, 2, 3][..]).unwrap(); MAX_LISTED + 2],
        };
        let named = purposes(&none);
        assert_eq!(named[0], "clientAuth");
        assert_eq!(named.len(), 1 + MAX_LISTED);
    }

    #[test]
    fn summaries_carry_names_and_purposes() {
        let pem = pki("target_mgmt.crt.pem");
        let cert = pem.parse_x509().unwrap();
        let summary = fresh(
            Member::TargetMgmtCert,
            &cert,
            &pem.contents,
            OffsetDateTime::UNIX_EPOCH,
        );
        assert_eq!(summary.subject_alt_names, ["target-mgmt.certkey.test"]);
        assert_eq!(
            summary.extended_key_usage,
            Some(vec!["serverAuth".to_owned()])
        );
        let pem = pki("ca.crt.pem");
        let cert = pem.parse_x509().unwrap();
        let summary = fresh(Member::Ca, &cert, &pem.contents, OffsetDateTime::UNIX_EPOCH);
        assert!(summary.subject_alt_names.is_empty());
        assert_eq!(summary.extended_key_usage, None);
    }

    /// A certificate of testdata/pki/, as PEM.
    fn pki(file: &str) -> x509_parser::pem::Pem {
        let pem = std::fs::read(format!(
            "{}/testdata/pki/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        x509_parser::pem::parse_x509_pem(&pem).unwrap().1
    }

    #[test]
    fn names_quoted_once_are_each_certificate_s_own() {
        let (ca, leaf) = (pki("ca.crt.pem"), pki("source.crt.pem"));
        let (ca_cert, leaf_cert) = (ca.parse_x509().unwrap(), leaf.parse_x509().unwrap());
        let mut names = QuotedNames::default();
        let at = OffsetDateTime::UNIX_EPOCH;
        let ca = summarize(
            &BundleCert::new(Member::Ca, &ca.contents, &ca_cert),
            at,
            &mut names,
        );
        let leaf = summarize(
            &BundleCert::new(Member::Cert, &leaf.contents, &leaf_cert),
            at,
            &mut names,
        );
        assert_eq!(ca.subject, "O=certkey fixtures, CN=certkey test CA");
        assert_eq!(ca.issuer, "O=certkey fixtures, CN=certkey test CA");
        assert_eq!(leaf.subject, "O=certkey fixtures, CN=source.certkey.test");
        assert_eq!(leaf.issuer, "O=certkey fixtures, CN=certkey test CA");
        // The CA's name, quoted for its subject, is reused for the others.
        assert_eq!(names.0.len(), 2);
    }

    /// A summary made afresh, with no names quoted before.
    fn fresh(
        member: Member,
        cert: &X509Certificate<'_>,
        der: &[u8],
        at: OffsetDateTime,
    ) -> CertSummary {
        summarize(
            &BundleCert::new(member, der, cert),
            at,
            &mut QuotedNames::default(),
        )
    }

    #[test]
    fn a_remembered_ca_summary_is_the_one_made_afresh() {
        // A second CA: the P-256 bundle's.
        let other = {
            let json = std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/testdata/bundles/good-p256.json"
            ))
            .unwrap();
            let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
            let pem = json["ca"].as_str().unwrap().as_bytes().to_vec();
            x509_parser::pem::parse_x509_pem(&pem).unwrap().1
        };
        let (a, leaf) = (pki("ca.crt.pem"), pki("source.crt.pem"));
        let (a_cert, b_cert, leaf_cert) = (
            a.parse_x509().unwrap(),
            other.parse_x509().unwrap(),
            leaf.parse_x509().unwrap(),
        );
        let times = [
            OffsetDateTime::UNIX_EPOCH,
            time::macros::datetime!(2026-06-01 0:00 UTC),
            time::macros::datetime!(2090-01-01 0:00 UTC),
        ];
        let mut memory = ca::CaMemory::default();
        // The same CA again at other times, another CA, and back: each summary is the one
        // made afresh, days_left included, and the CA's one name is quoted once.
        let cases = [
            (&a, &a_cert, 0),
            (&a, &a_cert, 1),
            (&other, &b_cert, 1),
            (&a, &a_cert, 2),
            (&a, &a_cert, 0),
        ];
        for (pem, cert, at) in cases {
            let mut names = QuotedNames::default();
            let summary = summarize_remembered(
                &BundleCert::new(Member::Ca, &pem.contents, cert),
                times[at],
                &mut names,
                &mut memory,
            );
            assert_eq!(summary, fresh(Member::Ca, cert, &pem.contents, times[at]));
            assert_eq!(names.0.len(), 1);
            // A leaf summarized next gets the CA's quoted name as its issuer.
            let leaf_summary = summarize_remembered(
                &BundleCert::new(Member::Cert, &leaf.contents, &leaf_cert),
                times[at],
                &mut names,
                &mut memory,
            );
            assert_eq!(
                leaf_summary,
                fresh(Member::Cert, &leaf_cert, &leaf.contents, times[at])
            );
        }
        // A leaf summarized first has quoted the CA's name already, as its issuer: the
        // remembered CA adds no second copy.
        let mut names = QuotedNames::default();
        summarize_remembered(
            &BundleCert::new(Member::Cert, &leaf.contents, &leaf_cert),
            times[1],
            &mut names,
            &mut memory,
        );
        summarize_remembered(
            &BundleCert::new(Member::Ca, &a.contents, &a_cert),
            times[1],
            &mut names,
            &mut memory,
        );
        assert_eq!(names.0.len(), 2, "the leaf's subject and the CA's");
        // A name already known keeps its one entry and its first text.
        let mut names = QuotedNames::default();
        names.remember(a_cert.subject(), "first");
        names.remember(a_cert.subject(), "second");
        assert_eq!(names.0.len(), 1);
        assert_eq!(names.quoted(a_cert.subject()), "first");
        assert_ne!(
            fresh(Member::Ca, &a_cert, &a.contents, times[0]).days_left,
            fresh(Member::Ca, &a_cert, &a.contents, times[2]).days_left
        );

        // The remembered summary is what is given for the same DER (a marked one here), with
        // days_left computed for this audit, and its names taken as quoted.
        let mut marked = fresh(Member::Ca, &a_cert, &a.contents, times[0]);
        marked.subject = "marked".to_owned();
        marked.issuer = "marked".to_owned();
        memory.summary = Some((a.contents.clone().into(), marked));
        let mut names = QuotedNames::default();
        let given = summarize_remembered(
            &BundleCert::new(Member::Ca, &a.contents, &a_cert),
            times[1],
            &mut names,
            &mut memory,
        );
        assert_eq!(given.subject, "marked");
        assert_eq!(given.days_left, days_left(&a_cert, times[1]));
        assert_eq!(names.quoted(a_cert.subject()), "marked");
        // Only the ca member is remembered: a leaf with the same DER is summarized afresh.
        let mut marked = fresh(Member::Cert, &leaf_cert, &leaf.contents, times[0]);
        marked.subject = "marked".to_owned();
        memory.summary = Some((leaf.contents.clone().into(), marked));
        let given = summarize_remembered(
            &BundleCert::new(Member::Cert, &leaf.contents, &leaf_cert),
            times[0],
            &mut QuotedNames::default(),
            &mut memory,
        );
        assert_eq!(given.subject, "O=certkey fixtures, CN=source.certkey.test");
    }

    const RSA_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    const ED25519_OID: &[u8] = &[0x2b, 0x65, 0x70];
    const NULL: &[u8] = &[0x05, 0x00];

    /// An RSA SubjectPublicKeyInfo with these parameters and INTEGER contents.
    fn rsa_spki(parameters: &[u8], n: &[u8], e: &[u8]) -> Vec<u8> {
        let key = seq(&[tlv(0x02, n), tlv(0x02, e)]);
        let algorithm = seq(&[tlv(0x06, RSA_OID), parameters.to_vec()]);
        seq(&[algorithm, tlv(0x03, &[&[0][..], &key].concat())])
    }

    /// A 64-byte modulus with its top bit set, after DER's leading zero byte.
    fn modulus() -> Vec<u8> {
        let mut n = vec![0x00, 0xc1];
        n.resize(65, 0x5b);
        n
    }

    /// A leaf's public key read strictly: the stacks that refuse it, if any.
    fn strict(spki: &[u8]) -> Result<(), Stacks> {
        strict_public_key(spki, Member::Cert).map_err(|refused| refused.stacks)
    }

    #[test]
    fn each_refused_rsa_key_names_the_stacks_that_refuse_it() {
        let webpki_and_go = Stacks::GO.union(Stacks::RUSTLS);
        let n = modulus();
        let absent = rsa_spki(&[], &n, &[0x03]);
        assert_eq!(strict(&absent), Err(webpki_and_go));
        // pyca checks the key that verifies a signature: a CA's.
        assert_eq!(
            strict_public_key(&absent, Member::Ca).map_err(|refused| refused.stacks),
            Err(webpki_and_go.union(Stacks::PYCA))
        );
        let negative = rsa_spki(NULL, &n[1..], &[0x03]);
        assert_eq!(
            strict(&negative),
            Err(webpki_and_go.union(Stacks::of(&[Stack::OpenSsl40, Stack::PythonOpenSsl40])))
        );
        let wide = rsa_spki(NULL, &n, &[0x02, 0x00, 0x00, 0x00, 0x01]);
        assert_eq!(strict(&wide), Err(webpki_and_go));
        // Unmeasured refusals keep the catalog's stacks.
        let even = rsa_spki(NULL, &n, &[0x01, 0x00, 0x00]);
        assert_eq!(strict(&even), Err(Stacks::ALL));
    }

    #[test]
    fn rsa_keys_are_read_as_strictly_as_tls_stacks_read_them() {
        let n = modulus();
        assert_eq!(strict(&rsa_spki(NULL, &n, &[0x01, 0x00, 0x01])), Ok(()));
        assert_eq!(strict(&rsa_spki(NULL, &n, &[0x03])), Ok(()));
        // ring's largest exponent, 2^33 − 1, and the first beyond it.
        assert_eq!(
            strict(&rsa_spki(NULL, &n, &[0x01, 0xff, 0xff, 0xff, 0xff])),
            Ok(())
        );
        let refused = [
            ("absent parameters", rsa_spki(&[], &n, &[0x03])),
            (
                "two NULLs",
                rsa_spki(&[0x05, 0x00, 0x05, 0x00], &n, &[0x03]),
            ),
            ("negative modulus", rsa_spki(NULL, &n[1..], &[0x03])),
            ("zero-padded exponent", rsa_spki(NULL, &n, &[0x00, 0x03])),
            ("even exponent", rsa_spki(NULL, &n, &[0x01, 0x00, 0x00])),
            ("exponent 1", rsa_spki(NULL, &n, &[0x01])),
            (
                "34-bit exponent",
                rsa_spki(NULL, &n, &[0x02, 0x00, 0x00, 0x00, 0x01]),
            ),
            (
                "48-bit exponent",
                rsa_spki(NULL, &n, &[0x01, 0, 0, 0, 0, 0x01]),
            ),
        ];
        for (what, spki) in refused {
            assert!(strict(&spki).is_err(), "{what}");
        }
        // A key BIT STRING of partial bytes.
        let key = seq(&[tlv(0x02, &n), tlv(0x02, &[0x03])]);
        let algorithm = seq(&[tlv(0x06, RSA_OID), NULL.to_vec()]);
        let partial = seq(&[algorithm, tlv(0x03, &[&[1][..], &key].concat())]);
        assert!(strict(&partial).is_err());
    }

    #[test]
    fn ed25519_keys_have_no_parameters_and_32_bytes() {
        let spki = |parameters: &[u8], len: usize| {
            let algorithm = seq(&[tlv(0x06, ED25519_OID), parameters.to_vec()]);
            seq(&[algorithm, tlv(0x03, &[vec![0], vec![7; len]].concat())])
        };
        assert_eq!(strict(&spki(&[], 32)), Ok(()));
        assert!(strict(&spki(NULL, 32)).is_err());
        assert!(strict(&spki(&[], 31)).is_err());
        // Other algorithms are left to their own readers.
        let other = seq(&[
            seq(&[tlv(0x06, &[0x2b, 0x65, 0x71])]),
            tlv(0x03, &[0, 1, 2]),
        ]);
        assert_eq!(strict(&other), Ok(()));
    }

    /// A certificate's outer structure around `tbs` items, with `algorithm` outside.
    fn certificate(version: bool, inner: &[u8], outer: &[u8], signature: &[u8]) -> Vec<u8> {
        let mut tbs = Vec::new();
        if version {
            tbs.push(tlv(0xa0, &tlv(0x02, &[2])));
        }
        tbs.push(tlv(0x02, &[0x01]));
        tbs.push(inner.to_vec());
        seq(&[seq(&tbs), outer.to_vec(), signature.to_vec()])
    }

    #[test]
    fn the_outer_structure_is_checked_against_the_inner_algorithm() {
        let sha256_rsa = seq(&[
            tlv(
                0x06,
                &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
            ),
            NULL.to_vec(),
        ]);
        let sha1_rsa = seq(&[
            tlv(
                0x06,
                &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05],
            ),
            NULL.to_vec(),
        ]);
        let bits = tlv(0x03, &[0, 1, 2, 3]);
        for version in [true, false] {
            let sound = certificate(version, &sha256_rsa, &sha256_rsa, &bits);
            assert_eq!(strict_outer_structure(&sound), Ok(()), "{version}");
        }
        let refused = [
            (
                "algorithms differ",
                certificate(true, &sha256_rsa, &sha1_rsa, &bits),
            ),
            (
                "partial bytes",
                certificate(true, &sha256_rsa, &sha256_rsa, &tlv(0x03, &[1, 2])),
            ),
            (
                "not a BIT STRING",
                certificate(true, &sha256_rsa, &sha256_rsa, &tlv(0x04, &[0, 2])),
            ),
            (
                "outer algorithm not a SEQUENCE",
                certificate(true, &sha256_rsa, &tlv(0x05, &[]), &bits),
            ),
        ];
        for (what, der) in refused {
            assert!(strict_outer_structure(&der).is_err(), "{what}");
        }
        // A fourth element in the outer SEQUENCE, and a tbsCertificate that is no SEQUENCE.
        let mut four = certificate(true, &sha256_rsa, &sha256_rsa, &bits);
        four = seq(&[four[2..].to_vec(), tlv(0x05, &[])]);
        assert!(strict_outer_structure(&four).is_err());
        let not_tbs = seq(&[tlv(0x31, &[]), sha256_rsa.clone(), bits.clone()]);
        assert!(strict_outer_structure(&not_tbs).is_err());
    }

    /// A v3 certificate (its signature not valid: only parsing is asked of it) with one
    /// extension of this OID and value.
    fn with_extension(oid: &[u8], value: &[u8]) -> Vec<u8> {
        let algorithm = seq(&[
            tlv(
                0x06,
                &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
            ),
            NULL.to_vec(),
        ]);
        let time = tlv(0x17, b"250101000000Z");
        let name = seq(&[tlv(
            0x31,
            &seq(&[tlv(0x06, &[0x55, 0x04, 0x03]), tlv(0x0c, b"t")]),
        )]);
        let extension = seq(&[tlv(0x06, oid), tlv(0x04, value)]);
        let tbs = seq(&[
            tlv(0xa0, &tlv(0x02, &[2])),
            tlv(0x02, &[0x01]),
            algorithm.clone(),
            name.clone(),
            seq(&[time.clone(), time]),
            name,
            rsa_spki(NULL, &modulus(), &[0x03]),
            tlv(0xa3, &seq(&[extension])),
        ]);
        seq(&[tbs, algorithm, tlv(0x03, &[0, 1, 2, 3])])
    }

    #[test]
    fn an_extension_whose_value_does_not_parse_is_named() {
        const KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
        let readable = with_extension(KEY_USAGE, &tlv(0x03, &[0x05, 0xa0]));
        let (_, cert) = X509Certificate::from_der(&readable).unwrap();
        assert_eq!(unreadable_extension(&cert), None);
        let broken = with_extension(KEY_USAGE, &tlv(0x02, &[0x05]));
        let (_, cert) = X509Certificate::from_der(&broken).unwrap();
        assert_eq!(unreadable_extension(&cert).as_deref(), Some("keyUsage"));
    }

    #[test]
    fn bytes_after_a_certificate_make_it_malformed() {
        let der = pki("ca.crt.pem").contents;
        let mut findings = Findings::default();
        assert!(parse(Member::Ca, &der, &mut findings).is_some());
        assert!(findings.into_vec().is_empty());
        let mut trailing = der.clone();
        trailing.push(0);
        let mut findings = Findings::default();
        assert!(parse(Member::Ca, &trailing, &mut findings).is_none());
        let findings = findings.into_vec();
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].id(), CheckId::CertMalformed);
        assert!(
            findings[0].message().contains("1 bytes after"),
            "{}",
            findings[0].message()
        );
    }
}
