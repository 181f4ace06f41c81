//! The last look at a report's quoted text: no window of the response's own private keys is
//! shown, however it got into the text (a common name, a member name, an error message).
//!
//! [`quote`](super::quote) judges text by its shape, and a window of key base64 that reads as
//! words (letters only, in camel case) can pass it. The response's own keys are known exactly,
//! so its quoted text is checked against them once the audit is done: every run of 20 base64
//! characters or more is decoded at each of its four alignments, and a run holding 9 bytes in
//! a row of a key's DER (12 characters in step with the key's base64, which every 15 hold) is
//! withheld whole, as quote withholds data. The passphrase, of 8 bytes or more, is withheld
//! wherever it appears.
//!
//! Runs of that length are rare in quoted text (names, labels, messages), so a report usually
//! costs a scan of its text and nothing more.

use memchr::memmem;

/// The shortest run of base64 looked up in the keys: the windows no output may show are of 20
/// characters, and a window placed in text is (within) a run at least that long.
const MIN_RUN_CHARS: usize = 20;

/// The bytes of a key a run must hold to be withheld: what 12 characters decode to.
const NEEDLE_BYTES: usize = 9;

/// The shortest passphrase looked for: a shorter one would withhold common words.
const MIN_PASSPHRASE_BYTES: usize = 8;

/// What no report text may show: the DER of the response's private keys (as written, and as
/// decrypted) and the passphrase.
pub(crate) struct Secrets<'a> {
    keys: Vec<&'a [u8]>,
    passphrase: Option<&'a [u8]>,
}

impl<'a> Secrets<'a> {
    /// The secrets `keys` and `passphrase` (ignored when shorter than 8 bytes).
    pub(crate) fn new(keys: Vec<&'a [u8]>, passphrase: Option<&'a [u8]>) -> Self {
        Self {
            keys,
            passphrase: passphrase.filter(|p| p.len() >= MIN_PASSPHRASE_BYTES),
        }
    }

    /// Whether there is nothing to look for.
    pub(crate) fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.passphrase.is_none()
    }

    /// `text` with every run of key base64 and every occurrence of the passphrase withheld,
    /// each replaced by its length as quote notes it.
    pub(crate) fn screen(&self, text: &mut String) {
        // Most text has neither: one pass over it says so.
        let has_passphrase = self
            .passphrase
            .is_some_and(|passphrase| memmem::find(text.as_bytes(), passphrase).is_some());
        if !has_passphrase && (self.keys.is_empty() || !has_long_run(text.as_bytes())) {
            return;
        }
        let mut spans = Vec::new();
        if let Some(passphrase) = self.passphrase {
            spans.extend(
                memmem::find_iter(text.as_bytes(), passphrase)
                    .map(|start| start..start + passphrase.len()),
            );
        }
        if !self.keys.is_empty() {
            spans.extend(
                super::quote::runs(text.as_bytes(), is_base64)
                    .filter(|run| run.len() >= MIN_RUN_CHARS)
                    .filter(|run| self.holds_key_bytes(&text.as_bytes()[run.clone()])),
            );
        }
        if spans.is_empty() {
            return;
        }
        spans.sort_by_key(|span| span.start);
        let mut screened = String::with_capacity(text.len());
        let mut shown = 0;
        for span in spans {
            if span.start < shown {
                // Within (or overlapping) a span already withheld.
                if span.end > shown {
                    shown = span.end;
                }
                continue;
            }
            screened.push_str(&text[shown..span.start]);
            let chars = text[span.clone()].chars().count();
            screened.push_str(&format!("[{chars} characters withheld]"));
            shown = span.end;
        }
        screened.push_str(&text[shown..]);
        *text = screened;
    }

    /// Whether `run` (base64 characters) decodes, at one of its four alignments, to
    /// [`NEEDLE_BYTES`] bytes in a row of a key.
    fn holds_key_bytes(&self, run: &[u8]) -> bool {
        (0..4).any(|skip| {
            let decoded = decode_groups(&run[skip.min(run.len())..]);
            decoded.windows(NEEDLE_BYTES).any(|needle| {
                let finder = memmem::Finder::new(needle);
                self.keys.iter().any(|key| finder.find(key).is_some())
            })
        })
    }
}

fn is_base64(byte: u8) -> bool {
    BASE64[usize::from(byte)] == 1
}

/// 1 for each byte that is a base64 character, 0 for the others.
static BASE64: [u8; 256] = {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        if b.is_ascii_alphanumeric() || b == b'+' || b == b'/' {
            table[byte] = 1;
        }
        byte += 1;
    }
    table
};

/// Whether `text` holds a run of [`MIN_RUN_CHARS`] base64 characters or more: one pass without
/// a branch a byte, as every text the report quotes is looked at.
fn has_long_run(text: &[u8]) -> bool {
    let (mut run, mut longest) = (0usize, 0usize);
    for &byte in text {
        run = (run + 1) * usize::from(BASE64[usize::from(byte)]);
        longest = longest.max(run);
    }
    longest >= MIN_RUN_CHARS
}

/// The bytes the whole groups of four base64 characters at the start of `run` decode to.
fn decode_groups(run: &[u8]) -> Vec<u8> {
    let value = |b: u8| -> u32 {
        match b {
            b'A'..=b'Z' => u32::from(b - b'A'),
            b'a'..=b'z' => u32::from(b - b'a') + 26,
            b'0'..=b'9' => u32::from(b - b'0') + 52,
            b'+' => 62,
            _ => 63,
        }
    };
    let mut bytes = Vec::with_capacity(run.len() / 4 * 3);
    for group in run.chunks_exact(4) {
        let bits = group.iter().fold(0u32, |bits, &b| bits << 6 | value(b));
        bytes.extend_from_slice(&bits.to_be_bytes()[1..]);
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key's DER (any bytes will do) and its base64.
    fn key() -> (Vec<u8>, String) {
        let der: Vec<u8> = (0u32..600)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let base64 = <base64ct::Base64 as base64ct::Encoding>::encode_string(&der);
        (der, base64)
    }

    #[test]
    fn every_window_of_the_key_is_withheld_wherever_it_is_placed() {
        let (der, base64) = key();
        let secrets = Secrets::new(vec![&der], None);
        for start in 0..base64.len() - 20 {
            let window = &base64[start..start + 20];
            for placed in [
                window.to_owned(),
                format!("O=rt3, CN={window}"),
                format!("the member \"x-{window}\" is not documented"),
                format!("{window}.certkey.test"),
            ] {
                let mut text = placed.clone();
                secrets.screen(&mut text);
                assert!(
                    !text.contains(&window[..16]) && !text.contains(&window[4..]),
                    "{placed} -> {text}"
                );
                assert!(text.contains("characters withheld]"), "{text}");
            }
        }
    }

    #[test]
    fn other_text_is_left_as_it_is() {
        let (der, _) = key();
        let secrets = Secrets::new(vec![&der], Some(b"fixture-passphrase"));
        for kept in [
            "O=certkey fixtures, CN=source.certkey.test",
            "cert's authorityKeyIdentifier extension is missing: IllegalArgumentException",
            "MIIEpAIBAAKCAQEAyR7TS01U+/ is another key's",
            "a passphrase",
        ] {
            let mut text = kept.to_owned();
            secrets.screen(&mut text);
            assert_eq!(text, kept);
        }
    }

    #[test]
    fn the_passphrase_is_withheld_and_a_short_one_is_not_looked_for() {
        let secrets = Secrets::new(Vec::new(), Some(b"fixture-passphrase"));
        let mut text = "denied: fixture-passphrase and fixture-passphrase!".to_owned();
        secrets.screen(&mut text);
        assert_eq!(
            text,
            "denied: [18 characters withheld] and [18 characters withheld]!"
        );
        assert!(Secrets::new(Vec::new(), Some(b"short")).is_empty());
    }

    #[test]
    fn a_long_run_is_twenty_base64_characters_in_a_row() {
        assert!(!has_long_run(b"abcdefghijklmnopqrs abcdefghijklmnopqrs"));
        assert!(has_long_run(b"x abcdefghijklmnopqr+/ x"));
        assert!(has_long_run(b"abcdefghijklmnopqrst"));
        assert!(!has_long_run("abcdefghij\u{e9}klmnopqrst".as_bytes()));
        assert!(!has_long_run(b""));
    }

    #[test]
    fn base64_decodes_in_groups_of_four() {
        assert_eq!(decode_groups(b"TWFu"), b"Man");
        assert_eq!(decode_groups(b"TWFuTW"), b"Man");
        assert_eq!(decode_groups(b"+/+/"), [0xfb, 0xff, 0xbf]);
    }
}
