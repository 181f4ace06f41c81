//! Base64 for PEM bodies: the constant-time decoder for anything that may be a key, the
//! table-driven one for certificates (public), and the padding a copied body may have lost.
//!
//! A key's base64 is only ever gathered into, and decoded within, a [`SecretBytes`] buffer,
//! wiped on drop; decoding happens in place, so a block never costs a second buffer.

use base64ct::{Base64, Encoding};

use crate::secret::SecretBytes;

/// Whether `byte` is a base64 character or its padding, `=`.
pub(super) fn is_base64(byte: u8) -> bool {
    BASE64_ALPHABET[usize::from(byte)]
}

/// The base64 alphabet and its padding character, as a lookup table.
static BASE64_ALPHABET: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=';
        byte += 1;
    }
    table
};

/// Decodes the base64 in place: the DER takes the buffer's first bytes and the rest is
/// wiped, so a block never costs a second buffer of its size.
///
/// base64ct's in-place decoder does not check that the unused bits of the last character are
/// zero (its `decode` does): the last four characters are decoded apart to check it, so that
/// one DER has one base64 text, as strict readers require.
pub(super) fn decode_base64(mut base64: SecretBytes) -> Option<SecretBytes> {
    let last = base64.as_slice().len().checked_sub(4)?;
    let mut tail = zeroize::Zeroizing::new([0u8; 3]);
    Base64::decode(&base64.as_slice()[last..], tail.as_mut_slice()).ok()?;
    let len = Base64::decode_in_place(base64.as_mut_slice()).ok()?.len();
    base64.truncate(len);
    Some(base64)
}

/// Decodes the base64 of a block labelled CERTIFICATE, which is public, with data-encoding's
/// table-driven decoder rather than the constant-time one. It accepts exactly what
/// [`decode_base64`] accepts (a property test compares the two): a padded body in the
/// standard alphabet, at least four characters, with padding only in its last four and the
/// unused bits of its last character zero.
pub(super) fn decode_public_base64(base64: &SecretBytes) -> Option<SecretBytes> {
    let input = base64.as_slice();
    let last = input.len().checked_sub(4)?;
    // data-encoding also reads a concatenation of padded encodings (`AAA=AAAA`); base64ct,
    // Go and OpenSSL's strict readers take padding only at the end.
    if memchr::memchr(b'=', &input[..last]).is_some() {
        return None;
    }
    let mut der = SecretBytes::zeroed(data_encoding::BASE64.decode_len(input.len()).ok()?);
    let len = data_encoding::BASE64
        .decode_mut(input, der.as_mut_slice())
        .ok()?;
    der.truncate(len);
    Some(der)
}

/// The base64 text with the `=` padding it lacks, when it lacks only that: no `=` anywhere,
/// and a length two or three past a multiple of four.
pub(super) fn with_missing_padding(base64: &SecretBytes) -> Option<SecretBytes> {
    let text = base64.as_slice();
    let missing = match text.len() % 4 {
        2 => 2,
        3 => 1,
        _ => return None,
    };
    if text.contains(&b'=') {
        return None;
    }
    let mut padded = SecretBytes::with_capacity(text.len() + missing);
    padded.extend_within_capacity(text);
    padded.extend_within_capacity(&b"=="[..missing]);
    Some(padded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn secret(text: &[u8]) -> SecretBytes {
        let mut bytes = SecretBytes::with_capacity(text.len());
        bytes.extend_within_capacity(text);
        bytes
    }

    /// Both decoders on `text`: the same verdict, the same bytes.
    fn decoders_agree(text: &[u8]) -> Result<(), TestCaseError> {
        let constant_time = decode_base64(secret(text)).map(|der| der.as_slice().to_vec());
        let public = decode_public_base64(&secret(text)).map(|der| der.as_slice().to_vec());
        prop_assert_eq!(constant_time, public, "{:?}", String::from_utf8_lossy(text));
        Ok(())
    }

    proptest! {
        /// Text of base64 characters, padding and a few others, in any order.
        #[test]
        fn the_public_decoder_accepts_what_the_constant_time_one_does(
            text in proptest::collection::vec(
                proptest::sample::select(b"AQgw+/09az=-_ \n\x80".to_vec()), 0..40)
        ) {
            decoders_agree(&text)?;
        }

        /// Real encodings of any bytes, with one character of the last four changed.
        #[test]
        fn the_decoders_agree_near_the_end_of_real_base64(
            bytes in proptest::collection::vec(any::<u8>(), 0..40),
            from_end in 1usize..=4,
            with in proptest::sample::select(b"AQgw+/=9".to_vec()),
        ) {
            let mut text = Base64::encode_string(&bytes).into_bytes();
            decoders_agree(&text)?;
            if let Some(at) = text.len().checked_sub(from_end) {
                text[at] = with;
                decoders_agree(&text)?;
            }
        }
    }

    proptest! {
        /// Two real encodings one after the other: padding inside the text is refused by
        /// both decoders (data-encoding alone would read the two as one).
        #[test]
        fn the_decoders_agree_on_two_encodings_joined(
            first in proptest::collection::vec(any::<u8>(), 1..20),
            second in proptest::collection::vec(any::<u8>(), 1..20),
        ) {
            let text = Base64::encode_string(&first) + &Base64::encode_string(&second);
            decoders_agree(text.as_bytes())?;
        }
    }

    #[test]
    fn padding_inside_the_body_is_refused_by_both_decoders() {
        for text in [&b"AAA=AAAA"[..], b"AA==AAAA", b"AAAAAA==AAAA"] {
            assert!(decode_public_base64(&secret(text)).is_none());
            assert!(decode_base64(secret(text)).is_none());
        }
        // Padding at the end stays readable.
        assert_eq!(
            decode_public_base64(&secret(b"AAAAAA==")).map(|der| der.as_slice().to_vec()),
            Some(vec![0; 4])
        );
    }

    #[test]
    fn missing_padding_is_added_only_where_it_can_be_missing() {
        let padded = |text: &[u8]| {
            let mut base64 = SecretBytes::with_capacity(text.len());
            base64.extend_within_capacity(text);
            with_missing_padding(&base64).map(|p| p.as_slice().to_vec())
        };
        assert_eq!(padded(b"QUJDREU").as_deref(), Some(&b"QUJDREU="[..]));
        assert_eq!(padded(b"QUJDRA").as_deref(), Some(&b"QUJDRA=="[..]));
        assert_eq!(padded(b"QUJD"), None);
        assert_eq!(padded(b"QUJDR"), None);
        assert_eq!(padded(b"QU=DRA"), None);
    }

    #[test]
    fn base64_with_unused_bits_set_is_refused() {
        let base64 = |text: &[u8]| {
            let mut buffer = SecretBytes::with_capacity(text.len());
            buffer.extend_within_capacity(text);
            decode_base64(buffer).map(|der| der.as_slice().to_vec())
        };
        assert_eq!(base64(b"QUJDRA==").as_deref(), Some(&b"ABCD"[..]));
        assert_eq!(base64(b"QUJDRB=="), None);
        assert_eq!(base64(b"QUJDREU="), Some(b"ABCDE".to_vec()));
        assert_eq!(base64(b"QUJDREV="), None);
        assert_eq!(base64(b"QU"), None);
    }
}
