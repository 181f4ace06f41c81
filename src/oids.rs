//! Every object identifier certkey matches or names, in dotted form, with the names its
//! messages use. An OID read from input that no table knows is quoted ([`quoted`]): it is
//! input, and printed as all input is.

use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry::Oid;

use crate::text::Untrusted;

/// How many characters of an unknown OID are quoted.
const MAX_CHARS: usize = 64;

// --- Public-key algorithms and curves (RFC 3279, RFC 4055, RFC 5480, RFC 8410) ----------

/// rsaEncryption.
pub(crate) const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
/// id-RSASSA-PSS, as a key algorithm.
pub(crate) const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
/// id-ecPublicKey.
pub(crate) const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
/// id-Ed25519.
pub(crate) const ED25519: &str = "1.3.101.112";
/// secp256r1 (P-256).
pub(crate) const P256: &str = "1.2.840.10045.3.1.7";
/// secp384r1 (P-384).
pub(crate) const P384: &str = "1.3.132.0.34";
/// secp521r1 (P-521).
pub(crate) const P521: &str = "1.3.132.0.35";

/// Names of key algorithms and curves certkey recognises but does not check.
pub(crate) const UNSUPPORTED_KEYS: &[(&str, &str)] = &[
    ("1.2.840.10040.4.1", "DSA"),
    ("1.3.101.113", "Ed448"),
    ("1.3.101.110", "X25519"),
    ("1.3.101.111", "X448"),
    ("1.2.840.113549.1.3.1", "Diffie-Hellman"),
    ("1.2.840.10046.2.1", "X9.42 Diffie-Hellman"),
    (RSASSA_PSS, "RSA-PSS"),
    ("1.3.132.1.12", "ECDH"),
    ("1.2.156.10197.1.301", "the SM2 curve"),
    ("1.3.132.0.10", "the secp256k1 curve"),
    ("1.3.132.0.33", "the P-224 curve"),
    ("1.2.840.10045.3.1.1", "the P-192 curve"),
    ("1.3.36.3.3.2.8.1.1.7", "the brainpoolP256r1 curve"),
    ("1.3.36.3.3.2.8.1.1.11", "the brainpoolP384r1 curve"),
    ("1.3.36.3.3.2.8.1.1.13", "the brainpoolP512r1 curve"),
];

// --- Signature algorithms -------------------------------------------------------------

/// Signature algorithms by OID: (OID, name, strong).
pub(crate) const SIGNATURE_ALGORITHMS: &[(&str, &str, bool)] = &[
    ("1.2.840.113549.1.1.2", "md2WithRSAEncryption", false),
    ("1.2.840.113549.1.1.4", "md5WithRSAEncryption", false),
    ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption", false),
    ("1.3.14.3.2.29", "sha1WithRSASignature", false),
    ("1.2.840.10045.4.1", "ecdsa-with-SHA1", false),
    ("1.2.840.10040.4.3", "dsa-with-SHA1", false),
    ("1.2.840.113549.1.1.11", "sha256WithRSAEncryption", true),
    ("1.2.840.113549.1.1.12", "sha384WithRSAEncryption", true),
    ("1.2.840.113549.1.1.13", "sha512WithRSAEncryption", true),
    ("1.2.840.113549.1.1.10", "RSASSA-PSS", true),
    ("1.2.840.10045.4.3.2", "ecdsa-with-SHA256", true),
    ("1.2.840.10045.4.3.3", "ecdsa-with-SHA384", true),
    ("1.2.840.10045.4.3.4", "ecdsa-with-SHA512", true),
    ("1.3.101.112", "Ed25519", true),
    ("1.3.101.113", "Ed448", true),
];

/// `oid` in dotted form, exactly as `Oid::to_id_string` writes it (the same arcs, from the
/// same iterator, or its own hex form when an arc does not fit in 64 bits), in one buffer
/// rather than one string per arc: OIDs are matched several times per certificate.
pub(crate) fn dotted(oid: &Oid<'_>) -> String {
    let Some(arcs) = oid.iter() else {
        return oid.to_id_string();
    };
    let mut out = String::with_capacity(oid.as_bytes().len() * 3);
    for (index, arc) in arcs.enumerate() {
        if index > 0 {
            out.push('.');
        }
        push_decimal(&mut out, arc);
    }
    out
}

/// Appends `n` in decimal, as `u64`'s `Display` writes it.
fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&digit| char::from(digit)));
}

/// The signature algorithm's name (or OID) and whether it is strong; `None` for an OID not
/// in the table (unidentified).
pub(crate) fn signature_algorithm(cert: &X509Certificate<'_>) -> (String, Option<bool>) {
    let oid = dotted(&cert.signature_algorithm.algorithm);
    match SIGNATURE_ALGORITHMS
        .iter()
        .find(|(known, _, _)| *known == oid)
    {
        Some((_, name, strong)) => ((*name).to_owned(), Some(*strong)),
        None => (quoted(&oid), None),
    }
}

// --- Certificate extensions and key purposes (RFC 5280) --------------------------------

/// id-ce-nameConstraints.
pub(crate) const NAME_CONSTRAINTS: &str = "2.5.29.30";
/// id-ce-keyUsage.
pub(crate) const KEY_USAGE: &str = "2.5.29.15";
/// id-ce-basicConstraints.
pub(crate) const BASIC_CONSTRAINTS: &str = "2.5.29.19";
/// id-ce-extKeyUsage.
pub(crate) const EXTENDED_KEY_USAGE: &str = "2.5.29.37";
/// id-ce-subjectAltName.
pub(crate) const SUBJECT_ALT_NAME: &str = "2.5.29.17";
/// id-pe-authorityInfoAccess.
pub(crate) const AUTHORITY_INFO_ACCESS: &str = "1.3.6.1.5.5.7.1.1";
/// id-ce-subjectKeyIdentifier.
pub(crate) const SUBJECT_KEY_IDENTIFIER: &str = "2.5.29.14";
/// id-ce-authorityKeyIdentifier.
pub(crate) const AUTHORITY_KEY_IDENTIFIER: &str = "2.5.29.35";
/// id-kp-serverAuth.
pub(crate) const SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
/// id-kp-clientAuth.
pub(crate) const CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";

/// Names of the extensions x509-parser reads.
pub(crate) const EXTENSIONS: &[(&str, &str)] = &[
    (SUBJECT_KEY_IDENTIFIER, "subjectKeyIdentifier"),
    (KEY_USAGE, "keyUsage"),
    (SUBJECT_ALT_NAME, "subjectAltName"),
    ("2.5.29.18", "issuerAltName"),
    (BASIC_CONSTRAINTS, "basicConstraints"),
    (NAME_CONSTRAINTS, "nameConstraints"),
    ("2.5.29.31", "cRLDistributionPoints"),
    ("2.5.29.32", "certificatePolicies"),
    ("2.5.29.33", "policyMappings"),
    (AUTHORITY_KEY_IDENTIFIER, "authorityKeyIdentifier"),
    ("2.5.29.36", "policyConstraints"),
    (EXTENDED_KEY_USAGE, "extendedKeyUsage"),
    ("2.5.29.54", "inhibitAnyPolicy"),
    (AUTHORITY_INFO_ACCESS, "authorityInfoAccess"),
];

// --- Password-based encryption of keys (RFC 8018, RFC 7914, RFC 7292) ------------------

/// id-PBES2.
pub(crate) const PBES2: &str = "1.2.840.113549.1.5.13";
/// id-PBKDF2.
pub(crate) const PBKDF2: &str = "1.2.840.113549.1.5.12";
/// id-scrypt.
pub(crate) const SCRYPT: &str = "1.3.6.1.4.1.11591.4.11";

/// Names of the password-based schemes, ciphers and PRFs an encrypted key may name.
pub(crate) const PBE_NAMES: &[(&str, &str)] = &[
    (PBES2, "PBES2"),
    (PBKDF2, "PBKDF2"),
    (SCRYPT, "scrypt"),
    ("1.2.840.113549.1.5.1", "PBES1 pbeWithMD2AndDES-CBC"),
    ("1.2.840.113549.1.5.3", "PBES1 pbeWithMD5AndDES-CBC"),
    ("1.2.840.113549.1.5.4", "PBES1 pbeWithMD2AndRC2-CBC"),
    ("1.2.840.113549.1.5.6", "PBES1 pbeWithMD5AndRC2-CBC"),
    ("1.2.840.113549.1.5.10", "PBES1 pbeWithSHA1AndDES-CBC"),
    ("1.2.840.113549.1.5.11", "PBES1 pbeWithSHA1AndRC2-CBC"),
    ("1.2.840.113549.1.12.1.1", "PKCS#12 pbeWithSHAAnd128BitRC4"),
    ("1.2.840.113549.1.12.1.2", "PKCS#12 pbeWithSHAAnd40BitRC4"),
    (
        "1.2.840.113549.1.12.1.3",
        "PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC",
    ),
    (
        "1.2.840.113549.1.12.1.4",
        "PKCS#12 pbeWithSHAAnd2-KeyTripleDES-CBC",
    ),
    (
        "1.2.840.113549.1.12.1.5",
        "PKCS#12 pbeWithSHAAnd128BitRC2-CBC",
    ),
    (
        "1.2.840.113549.1.12.1.6",
        "PKCS#12 pbeWithSHAAnd40BitRC2-CBC",
    ),
    ("2.16.840.1.101.3.4.1.2", "AES-128-CBC"),
    ("2.16.840.1.101.3.4.1.22", "AES-192-CBC"),
    ("2.16.840.1.101.3.4.1.42", "AES-256-CBC"),
    ("2.16.840.1.101.3.4.1.6", "AES-128-GCM"),
    ("2.16.840.1.101.3.4.1.26", "AES-192-GCM"),
    ("2.16.840.1.101.3.4.1.46", "AES-256-GCM"),
    ("1.2.840.113549.3.7", "DES-EDE3-CBC"),
    ("1.3.14.3.2.7", "DES-CBC (single DES)"),
    ("1.2.840.113549.3.2", "RC2-CBC"),
    ("1.2.392.200011.61.1.1.1.2", "CAMELLIA-128-CBC"),
    ("1.2.392.200011.61.1.1.1.3", "CAMELLIA-192-CBC"),
    ("1.2.392.200011.61.1.1.1.4", "CAMELLIA-256-CBC"),
    ("1.2.410.200046.1.1.2", "ARIA-128-CBC"),
    ("1.2.410.200046.1.1.7", "ARIA-192-CBC"),
    ("1.2.410.200046.1.1.12", "ARIA-256-CBC"),
    ("1.2.156.10197.1.104.2", "SM4-CBC"),
    ("1.2.840.113549.2.7", "HMAC-SHA1"),
    ("1.2.840.113549.2.8", "HMAC-SHA224"),
    ("1.2.840.113549.2.9", "HMAC-SHA256"),
    ("1.2.840.113549.2.10", "HMAC-SHA384"),
    ("1.2.840.113549.2.11", "HMAC-SHA512"),
    ("1.2.840.113549.2.12", "HMAC-SHA512/224"),
    ("1.2.840.113549.2.13", "HMAC-SHA512/256"),
];

// --- Naming ---------------------------------------------------------------------------

/// The name `table` gives a dotted OID, or "the algorithm OID" (the OID quoted: it is input).
pub(crate) fn name_in(table: &[(&str, &str)], oid: &str) -> String {
    table.iter().find(|(known, _)| *known == oid).map_or_else(
        || format!("the algorithm {}", quoted(oid)),
        |(_, name)| (*name).to_owned(),
    )
}

/// The name of a key algorithm or curve certkey does not check, from its dotted OID (or "the
/// algorithm OID").
pub(crate) fn unsupported_key(oid: &str) -> String {
    name_in(UNSUPPORTED_KEYS, oid)
}

/// An OID from input, quoted as input is.
pub(crate) fn quoted(oid: &str) -> String {
    Untrusted::new(oid).quoted(MAX_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any bytes as an OID's contents (absolute or relative, arcs over 64 bits included).
        #[test]
        fn dotted_is_to_id_string(bytes in proptest::collection::vec(any::<u8>(), 0..24), relative: bool) {
            let oid = if relative {
                Oid::new_relative(bytes.into())
            } else {
                Oid::new(bytes.into())
            };
            prop_assert_eq!(dotted(&oid), oid.to_id_string());
        }
    }

    #[test]
    fn dotted_names_certificate_oids() {
        // rsaEncryption, and an arc over 64 bits (asn1-rs then writes hex).
        let rsa = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
        assert_eq!(dotted(&Oid::new(rsa[..].into())), RSA_ENCRYPTION);
        let huge = [
            0x2a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
        ];
        assert_eq!(
            dotted(&Oid::new(huge[..].into())),
            "2a ff ff ff ff ff ff ff ff ff 7f"
        );
    }

    #[test]
    fn decimals_are_as_display_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 113_549, u64::MAX - 1, u64::MAX] {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }

    #[test]
    fn a_known_oid_is_named_and_an_unknown_one_is_quoted() {
        assert_eq!(
            name_in(SIGNATURE_ALGORITHM_NAMES_FOR_TEST, "1.3.101.112"),
            "Ed25519"
        );
        assert_eq!(
            name_in(SIGNATURE_ALGORITHM_NAMES_FOR_TEST, "1.2.3.4"),
            "the algorithm 1.2.3.4"
        );
        // Quoted as any input is: a plain dotted OID prints as it is, control characters do not.
        assert_eq!(quoted("1.2.3.4"), "1.2.3.4");
        assert!(!quoted("1.2\u{1b}[2J.3").contains('\u{1b}'));
    }

    const SIGNATURE_ALGORITHM_NAMES_FOR_TEST: &[(&str, &str)] = &[("1.3.101.112", "Ed25519")];
}
