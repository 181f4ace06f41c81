//! Cryptographic strength and form: `cert.weak_key`, `cert.weak_signature`, `cert.version`,
//! `cert.serial`, `cert.rsa_modulus`, `cert.duplicate_serial`. The `legacy` profile relaxes the first three: see the catalog's
//! `legacy_severity`.

use x509_parser::x509::X509Version;

use crate::catalog::CheckId;
use crate::certs::BundleCert;
use crate::certs::CertPublicKey;
use crate::der::bit_length;
use crate::finding::{Field, Finding, Findings};
use crate::oids;
use crate::refusals::Fact;
use crate::stacks::Stacks;

/// `cert.weak_key`, `cert.weak_signature` and `cert.version` for one certificate.
pub(crate) fn check(cert: &BundleCert<'_>, is_anchor: bool, findings: &mut Findings) {
    let field = || Some(Field::Member(cert.member));
    let name = cert.member.name();
    let parsed = cert.parsed;

    // Who refuses (tests/stacks.rs): RSA under 2048 bits, security level 2 (Python's, and
    // OpenSSL's default from 3.2 on) and rustls, and pyca in a CA (it checks the key that
    // verifies a signature); OpenSSL 3.0 as shipped (level 1) and Go accept it. A curve TLS
    // does not use: Go, Python, OpenSSL from 3.2 on (no TLS 1.3 signature scheme for it) and
    // rustls.

    let key = &cert.key;
    let weak_key = match key {
        CertPublicKey::Rsa { n, .. } => {
            let bits = bit_length(n);
            let stacks = Fact::CertRsaUnder2048Bits.refused_by_key_of(cert.member);
            (bits < 2048).then(|| (format!("an RSA key of {bits} bits (under 2048)"), stacks))
        }
        CertPublicKey::Ec {
            curve: Err(curve), ..
        } => Some((
            format!("an EC key on {curve} (not P-256, P-384 or P-521)"),
            Fact::CertEcOtherCurve.refused_by(),
        )),
        _ => None,
    };
    if let CertPublicKey::Rsa { n, .. } = key {
        let bits = bit_length(n);
        if !bits.is_multiple_of(8) {
            findings.push(Finding::new(
                CheckId::CertRsaModulus,
                field(),
                format!("{name} has an RSA modulus of {bits} bits, not a whole number of bytes"),
            ));
        }
    }
    serial(cert, findings);
    if let Some((what, stacks)) = weak_key {
        findings.push(
            Finding::new(CheckId::CertWeakKey, field(), format!("{name} has {what}"))
                .with_hint("TLS stacks refuse such keys (rustls and ring need RSA of 2048 bits or more); the service must issue stronger ones")
                .refused_only_by(stacks),
        );
    }

    // A trust anchor's own signature is never checked (RFC 5280 section 6.1): a self-signed
    // CA signed with SHA-1 is no weakness.
    let self_signed_anchor = is_anchor && parsed.subject().as_raw() == parsed.issuer().as_raw();
    if !self_signed_anchor {
        let (algorithm, strong) = oids::signature_algorithm(parsed);
        let problem = match strong {
            Some(true) => None,
            // No stack checks its trust anchor's own signature.
            Some(false) if is_anchor => Some(format!(
                "{name}, the trust anchor, is signed with {algorithm} (MD5 and SHA-1 signatures are forgeable)"
            )),
            Some(false) => Some(format!(
                "{name} is signed with {algorithm}: MD5 and SHA-1 signatures are not accepted by current TLS stacks"
            )),
            None => Some(format!(
                "{name} is signed with an algorithm certkey cannot identify ({algorithm})"
            )),
        };
        if let Some(message) = problem {
            // No stack checks its trust anchor's own signature (tests/stacks.rs): a weak one
            // on the CA is refused by none.
            let refused_by = if is_anchor { Stacks::NONE } else { Stacks::ALL };
            findings.push(
                Finding::new(CheckId::CertWeakSignature, field(), message)
                    .refused_only_by(refused_by),
            );
        }
    }

    if parsed.version() != X509Version::V3 {
        // OpenSSL with X509_STRICT also refuses one that carries extensions anyway, which
        // only v3 may (tests/stacks.rs); OpenSSL as shipped and Go read them.
        let (extensions, stacks) = if parsed.extensions().is_empty() {
            ("", Fact::CertVersionBelow3.refused_by())
        } else {
            (
                ", yet carries extensions, which only v3 may",
                Fact::CertVersionBelow3WithExtensions.refused_by(),
            )
        };
        findings.push(
            Finding::new(
                CheckId::CertVersion,
                field(),
                format!(
                    "{name} is an X.509 v{} certificate, not v3{extensions}",
                    parsed.version().0 + 1
                ),
            )
            .with_hint("v1 and v2 certificates carry no extensions (no basicConstraints, no key usage); rustls and webpki refuse them")
            .refused_only_by(stacks),
        );
    }
}

/// `cert.serial`: RFC 5280 section 4.1.2.2 wants a positive serial of at most 20 octets. Go
/// and pyca refuse a negative one; no stack refuses a zero or long one (`tests/stacks.rs`).
fn serial(cert: &BundleCert<'_>, findings: &mut Findings) {
    let raw = cert.parsed.raw_serial();
    let name = cert.member.name();
    let problem = if crate::der::is_negative(raw) {
        Some((
            format!("{name}'s serial number is negative"),
            Fact::CertSerialNegative.refused_by(),
        ))
    } else if raw.iter().all(|byte| *byte == 0) {
        Some((
            format!("{name}'s serial number is zero"),
            Fact::CertSerialUnusual.refused_by(),
        ))
    } else if raw.len() > 20 {
        Some((
            format!(
                "{name}'s serial number is {} octets long, over the 20 RFC 5280 allows",
                raw.len()
            ),
            Fact::CertSerialUnusual.refused_by(),
        ))
    } else {
        None
    };
    if let Some((message, stacks)) = problem {
        findings.push(
            Finding::new(
                CheckId::CertSerial,
                Some(Field::Member(cert.member)),
                message,
            )
            .refused_only_by(stacks),
        );
    }
}

/// `cert.duplicate_serial`: two different certificates with the same issuer and serial.
/// Reported on the later member.
pub(crate) fn check_serials(certs: &[BundleCert<'_>], findings: &mut Findings) {
    for (later, cert) in certs.iter().enumerate() {
        let clash = certs[..later].iter().find(|earlier| {
            earlier.der != cert.der
                && earlier.parsed.issuer().as_raw() == cert.parsed.issuer().as_raw()
                && earlier.parsed.raw_serial() == cert.parsed.raw_serial()
        });
        if let Some(earlier) = clash {
            findings.push(
                Finding::new(
                    CheckId::CertDuplicateSerial,
                    Some(Field::Member(cert.member)),
                    format!(
                        "{} and {} are different certificates with the same issuer and serial number",
                        cert.member.name(),
                        earlier.member.name()
                    ),
                )
                .with_hint("an issuer must never reuse a serial number (RFC 5280 section 4.1.2.2); TLS stacks and revocation may confuse the two"),
            );
        }
    }
}
