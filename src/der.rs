//! DER read by hand, in the few places a parser's view is too coarse: the length a block's
//! DER announces (to tell a truncated copy), the sign of an INTEGER (a negative modulus or
//! serial is what some stacks refuse), a BIT STRING's unused-bits byte, a short OID.
//!
//! Everything else is read by `der` (RustCrypto) and x509-parser. These functions take the
//! bytes those parsers hand over and never index past them: each returns `None` (or `false`)
//! on anything short or unexpected.

/// The tag of a SEQUENCE.
const SEQUENCE: u8 = 0x30;
/// The tag of an OBJECT IDENTIFIER.
#[cfg(any(feature = "handshake", test))]
const OBJECT_IDENTIFIER: u8 = 0x06;

/// The tag of a BIT STRING.
const BIT_STRING: u8 = 0x03;

/// An empty SEQUENCE, whole (tag and length).
pub(crate) const EMPTY_SEQUENCE: &[u8] = &[SEQUENCE, 0x00];

/// The total length (header and contents) a SEQUENCE at the start of `der` announces, in
/// short or long form with up to four length bytes.
pub(crate) fn sequence_len(der: &[u8]) -> Option<usize> {
    let (&tag, rest) = der.split_first()?;
    if tag != SEQUENCE {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    if first < 0x80 {
        return Some(2 + usize::from(first));
    }
    let count = usize::from(first & 0x7f);
    if count == 0 || count > 4 || rest.len() < count {
        return None;
    }
    let mut big_endian = [0u8; 4];
    big_endian[4 - count..].copy_from_slice(&rest[..count]);
    usize::try_from(u32::from_be_bytes(big_endian))
        .ok()?
        .checked_add(2 + count)
}

/// Whether `der` starts with a SEQUENCE's tag (where an OID or NULL might stand instead).
pub(crate) fn starts_sequence(der: &[u8]) -> bool {
    der.first() == Some(&SEQUENCE)
}

/// The length a SEQUENCE at the start of `der` announces, when `der` holds less: the DER
/// was cut short.
pub(crate) fn shortfall(der: &[u8]) -> Option<usize> {
    let announced = sequence_len(der)?;
    (announced > der.len()).then_some(announced)
}

/// Whether `der` is exactly one SEQUENCE, as a certificate or a key is.
pub(crate) fn is_one_sequence(der: &[u8]) -> bool {
    sequence_len(der) == Some(der.len())
}

/// The bytes of a BIT STRING, given its contents, when it has no unused bits (a signature
/// or a public key is whole bytes).
pub(crate) fn whole_bytes(bit_string: &[u8]) -> Option<&[u8]> {
    match bit_string.split_first() {
        Some((0, bytes)) => Some(bytes),
        _ => None,
    }
}

/// The first octet of the bits of the BIT STRING `der` is (tag and short-form length), as
/// OpenSSL reads flags from one: 0 when it holds no bits; `None` when `der` is no such BIT
/// STRING.
pub(crate) fn first_flags_octet(der: &[u8]) -> Option<u8> {
    match der {
        [BIT_STRING, len, contents @ ..] if usize::from(*len) == contents.len() => match contents {
            [] => None,
            [_unused] => Some(0),
            [_unused, first, ..] => Some(*first),
        },
        _ => None,
    }
}

/// Whether an INTEGER, given its contents, is negative: its first bit is set. DER writes a
/// positive number whose first byte is 0x80 or more with a leading zero byte.
pub(crate) fn is_negative(integer: &[u8]) -> bool {
    integer.first().is_some_and(|first| first & 0x80 != 0)
}

/// A big-endian unsigned integer without its leading zero bytes.
pub(crate) fn strip_zeros(bytes: &[u8]) -> &[u8] {
    &bytes[bytes.iter().take_while(|&&b| b == 0).count()..]
}

/// The bit length of a big-endian unsigned integer.
pub(crate) fn bit_length(bytes: &[u8]) -> u32 {
    let bytes = strip_zeros(bytes);
    match bytes.first() {
        Some(first) => (bytes.len() as u32) * 8 - first.leading_zeros(),
        None => 0,
    }
}

/// The contents of the OBJECT IDENTIFIER `der` starts with (short-form length, as every OID
/// certkey names has), ignoring what follows it.
#[cfg(any(feature = "handshake", test))]
pub(crate) fn oid_contents(der: &[u8]) -> Option<&[u8]> {
    match der {
        [OBJECT_IDENTIFIER, len, rest @ ..] if *len < 0x80 => rest.get(..usize::from(*len)),
        _ => None,
    }
}

/// A DER element, for building test inputs (contents under 64 KiB).
#[cfg(test)]
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match content.len() {
        len @ 0..=0x7f => out.push(len as u8),
        len @ 0x80..=0xff => out.extend([0x81, len as u8]),
        len => out.extend([0x82, (len >> 8) as u8, len as u8]),
    }
    out.extend_from_slice(content);
    out
}

/// A SEQUENCE of these elements, for building test inputs.
#[cfg(test)]
pub(crate) fn seq(items: &[Vec<u8>]) -> Vec<u8> {
    tlv(SEQUENCE, &items.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_flags_octet_is_read_as_openssl_reads_it() {
        assert_eq!(first_flags_octet(&[0x03, 0x02, 0x05, 0xa0]), Some(0xa0));
        assert_eq!(
            first_flags_octet(&[0x03, 0x03, 0x07, 0x80, 0x80]),
            Some(0x80)
        );
        // An empty BIT STRING holds no flag; a length that lies, or another tag, is none.
        assert_eq!(first_flags_octet(&[0x03, 0x01, 0x00]), Some(0));
        assert_eq!(first_flags_octet(&[0x03, 0x00]), None);
        assert_eq!(first_flags_octet(&[0x03, 0x03, 0x00, 0x80]), None);
        assert_eq!(first_flags_octet(&[0x04, 0x02, 0x00, 0x80]), None);
    }

    #[test]
    fn a_sequence_announces_its_length_in_short_or_long_form() {
        for (der, length) in [
            (&[0x30, 0x03, 1, 2, 3][..], Some(5)),
            (&[0x30, 0x7f], Some(2 + 0x7f)),
            (&[0x30, 0x81, 0x80], Some(3 + 0x80)),
            (&[0x30, 0x82, 0x01, 0x00], Some(4 + 0x100)),
            (&[0x30, 0x84, 0x01, 0x00, 0x00, 0x00], Some(6 + 0x0100_0000)),
            // Indefinite length, more than four length bytes, fewer than announced.
            (&[0x30, 0x80], None),
            (&[0x30, 0x85, 0, 0, 0, 0, 1], None),
            (&[0x30, 0x82, 0x01], None),
            // Not a SEQUENCE, or no length at all.
            (&[0x31, 0x03, 1, 2, 3], None),
            (&[0x30], None),
            (&[], None),
        ] {
            assert_eq!(sequence_len(der), length, "{der:02x?}");
        }
        assert!(is_one_sequence(&[0x30, 0x01, 0]));
        assert!(starts_sequence(&[0x30]) && !starts_sequence(&[0x06, 0x30]));
        assert!(!starts_sequence(&[]));
        assert!(!is_one_sequence(&[0x30, 0x01, 0, 0]));
        assert_eq!(shortfall(&[0x30, 0x02, 0]), Some(4));
        assert_eq!(shortfall(&[0x30, 0x01, 0]), None);
    }

    #[test]
    fn builders_write_short_and_long_lengths() {
        assert_eq!(tlv(0x04, &[1, 2]), [0x04, 0x02, 1, 2]);
        assert_eq!(tlv(0x04, &[0; 0x80])[..3], [0x04, 0x81, 0x80]);
        assert_eq!(tlv(0x04, &[0; 0x100])[..4], [0x04, 0x82, 0x01, 0x00]);
        assert_eq!(sequence_len(&seq(&[vec![0; 0x100]])), Some(0x104));
    }

    #[test]
    fn bit_strings_integers_and_oids() {
        assert_eq!(whole_bytes(&[0, 1, 2]), Some(&[1u8, 2][..]));
        assert_eq!(whole_bytes(&[0]), Some(&[][..]));
        assert_eq!(whole_bytes(&[1, 0x80]), None);
        assert_eq!(whole_bytes(&[]), None);
        assert!(is_negative(&[0x80]));
        assert!(is_negative(&[0xff, 0x00]));
        assert!(!is_negative(&[0x00, 0x80]));
        assert!(!is_negative(&[0x7f]));
        assert!(!is_negative(&[]));
        assert_eq!(
            oid_contents(&[0x06, 0x03, 0x2b, 0x65, 0x70, 0x05, 0x00]),
            Some(&[0x2b, 0x65, 0x70][..])
        );
        assert_eq!(oid_contents(&[0x06, 0x04, 0x2b, 0x65, 0x70]), None);
        assert_eq!(oid_contents(&[0x06, 0x81, 0x01, 0x00]), None);
        // A long-form or indefinite length is no short OID, however much follows it.
        for first in [0x80, 0x81] {
            let mut long = vec![0x06, first, 0x01];
            long.resize(300, 0x2b);
            assert_eq!(oid_contents(&long), None, "{first:#x}");
        }
        let mut longest = vec![0x06, 0x7f];
        longest.resize(2 + 0x7f, 0x2b);
        assert_eq!(oid_contents(&longest).map(<[u8]>::len), Some(0x7f));
        assert_eq!(oid_contents(&[0x05, 0x00]), None);
    }

    #[test]
    fn bit_length_ignores_leading_zeros() {
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x01, 0xff]), 9);
        assert_eq!(bit_length(&[0, 0]), 0);
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(strip_zeros(&[0, 0, 1, 0]), [1, 0]);
    }
}
