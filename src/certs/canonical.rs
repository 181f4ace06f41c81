//! Names as OpenSSL compares them (`X509_NAME_cmp`, over the canonical encoding
//! `x509_name_canon` makes, `crypto/x509/x_name.c`).
//!
//! Go, rustls and pyca find a certificate's issuer by comparing the encoded names byte for
//! byte. OpenSSL (and so Python) compares a canonical form: each string value of a type in
//! `ASN1_MASK_CANON` (UTF8String, BMPString, UniversalString, PrintableString, T61String,
//! IA5String, VisibleString) as UTF-8, with leading and trailing white space removed, runs of
//! white space made one space and ASCII letters made lower case; other values as they are. A
//! CA subject in PrintableString and a leaf's issuer in UTF8String of other case chain there
//! and nowhere else (`chain-issuer-name-canonically-equal`).

use x509_parser::x509::X509Name;

/// ASN.1 universal tags of the string types OpenSSL canonicalizes.
const UTF8_STRING: u32 = 12;
const PRINTABLE_STRING: u32 = 19;
const T61_STRING: u32 = 20;
const IA5_STRING: u32 = 22;
const VISIBLE_STRING: u32 = 26;
const UNIVERSAL_STRING: u32 = 28;
const BMP_STRING: u32 = 30;

/// One attribute in canonical form: its type, and its value canonicalized or, for a type
/// OpenSSL leaves alone, its tag and bytes.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Attribute<'a> {
    oid: &'a [u8],
    value: Value<'a>,
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Value<'a> {
    Canonical(Vec<u8>),
    Other(u32, &'a [u8]),
}

/// Whether two names are equal as OpenSSL compares them. `None` when a string value cannot
/// be converted to UTF-8 (OpenSSL fails the comparison then too).
pub(crate) fn equal(a: &X509Name<'_>, b: &X509Name<'_>) -> Option<bool> {
    Some(canonical(a)? == canonical(b)?)
}

/// Whether two names are the same to some stack: byte for byte (Go, rustls, pyca), or as
/// OpenSSL compares them.
pub(crate) fn same(a: &X509Name<'_>, b: &X509Name<'_>) -> bool {
    a.as_raw() == b.as_raw() || equal(a, b) == Some(true)
}

/// The name's relative distinguished names, each a sorted set of canonical attributes (as
/// DER encodes a SET OF).
fn canonical<'a>(name: &'a X509Name<'a>) -> Option<Vec<Vec<Attribute<'a>>>> {
    name.iter_rdn()
        .map(|rdn| {
            let mut set = rdn
                .iter()
                .map(|attribute| {
                    let value = attribute.attr_value();
                    let tag = value.tag().0;
                    Some(Attribute {
                        oid: attribute.attr_type().as_bytes(),
                        value: match utf8(tag, value.data) {
                            Some(text) => Value::Canonical(canon(&text?)),
                            None => Value::Other(tag, value.data),
                        },
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            set.sort_unstable();
            Some(set)
        })
        .collect()
}

/// A string value as UTF-8, as `ASN1_STRING_to_UTF8` converts it: `None` for a type OpenSSL
/// does not canonicalize, `Some(None)` for bytes that are no string of the type.
fn utf8(tag: u32, data: &[u8]) -> Option<Option<Vec<u8>>> {
    // Code units, big-endian, each one code point (BMPString is UCS-2, UniversalString
    // UCS-4, as OpenSSL reads them).
    let units = |width: usize| -> Option<Vec<u8>> {
        if !data.len().is_multiple_of(width) {
            return None;
        }
        let text: Option<String> = data
            .chunks_exact(width)
            .map(|unit| match *unit {
                [high, low] => char::from_u32(u16::from_be_bytes([high, low]).into()),
                [a, b, c, d] => char::from_u32(u32::from_be_bytes([a, b, c, d])),
                _ => None,
            })
            .collect();
        text.map(String::into_bytes)
    };
    Some(match tag {
        UTF8_STRING => core::str::from_utf8(data).ok().map(|_| data.to_vec()),
        PRINTABLE_STRING | IA5_STRING | VISIBLE_STRING => Some(data.to_vec()),
        // T61String is read as Latin-1 (each byte one code point).
        T61_STRING => Some(
            data.iter()
                .map(|&b| char::from(b))
                .collect::<String>()
                .into_bytes(),
        ),
        BMP_STRING => units(2),
        UNIVERSAL_STRING => units(4),
        _ => return None,
    })
}

/// `asn1_string_canon`: white space trimmed and collapsed, ASCII made lower case, other bytes
/// as they are.
fn canon(text: &[u8]) -> Vec<u8> {
    // ossl_isspace: space, \t, \n, \v, \f, \r.
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let start = text.iter().position(|b| !space(b)).unwrap_or(text.len());
    let end = text
        .iter()
        .rposition(|b| !space(b))
        .map_or(start, |i| i + 1);
    let mut out = Vec::with_capacity(end - start);
    let mut in_space = false;
    for &byte in &text[start..end] {
        if space(&byte) {
            if !in_space {
                out.push(b' ');
            }
            in_space = true;
        } else {
            out.push(byte.to_ascii_lowercase());
            in_space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::prelude::FromDer;

    use crate::der::{seq, tlv};

    /// A name of one RDN per (tag, value), each a commonName.
    fn name(values: &[(u8, &[u8])]) -> Vec<u8> {
        let cn = tlv(0x06, &[0x55, 0x04, 0x03]);
        let rdns: Vec<Vec<u8>> = values
            .iter()
            .map(|(tag, value)| tlv(0x31, &seq(&[cn.clone(), tlv(*tag, value)])))
            .collect();
        seq(&rdns)
    }

    fn equal_der(a: &[u8], b: &[u8]) -> Option<bool> {
        let (_, a) = X509Name::from_der(a).unwrap();
        let (_, b) = X509Name::from_der(b).unwrap();
        equal(&a, &b)
    }

    #[test]
    fn strings_compare_in_canonical_form() {
        let printable = name(&[(19, b"certkey Test CA")]);
        assert_eq!(
            equal_der(&printable, &name(&[(12, b" Certkey  test\tca ")])),
            Some(true)
        );
        // BMPString and T61String are converted before they are compared.
        let bmp: Vec<u8> = "CERTKEY TEST CA"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(equal_der(&printable, &name(&[(30, &bmp)])), Some(true));
        let universal: Vec<u8> = "certkey test ca"
            .chars()
            .flat_map(|c| u32::from(c).to_be_bytes())
            .collect();
        assert_eq!(
            equal_der(&printable, &name(&[(28, &universal)])),
            Some(true)
        );
        // Code units beyond one byte: "Ā" (U+0100) in BMPString is the UTF8String's.
        assert_eq!(
            equal_der(
                &name(&[(30, &[0x01, 0x00])]),
                &name(&[(12, "Ā".as_bytes())])
            ),
            Some(true)
        );
        assert_eq!(
            equal_der(
                &name(&[(20, b"caf\xe9")]),
                &name(&[(12, "CAF\u{e9}".as_bytes())])
            ),
            Some(true)
        );
        // A letter differs; an RDN more; a type OpenSSL leaves alone (NumericString).
        assert_eq!(
            equal_der(&printable, &name(&[(12, b"certkey Test CB")])),
            Some(false)
        );
        assert_eq!(
            equal_der(&printable, &name(&[(19, b"certkey Test CA"), (19, b"x")])),
            Some(false)
        );
        assert_eq!(
            equal_der(&name(&[(18, b"12")]), &name(&[(12, b"12")])),
            Some(false)
        );
        assert_eq!(
            equal_der(&name(&[(18, b"12")]), &name(&[(18, b"12")])),
            Some(true)
        );
        // Non-ASCII letters keep their case; an odd-length BMPString converts to nothing.
        assert_eq!(
            equal_der(
                &name(&[(12, "É".as_bytes())]),
                &name(&[(12, "é".as_bytes())])
            ),
            Some(false)
        );
        assert_eq!(equal_der(&name(&[(30, b"\x00a\x00")]), &printable), None);
    }

    #[test]
    fn canon_trims_collapses_and_lowers() {
        assert_eq!(canon(b"  A\t\r\n B  "), b"a b");
        assert_eq!(canon(b" \t "), b"");
        assert_eq!(canon(b"x"), b"x");
    }
}
