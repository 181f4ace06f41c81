//! Finding key material in output: every private key under `testdata/` (PEM files, and key
//! blocks or DER hex dumps inside fixtures and regressions, however they are hidden), in
//! every form a key is written in, cut into 20-character windows. A text leaks when it holds
//! any such window.
//!
//! Forms: the DER in base64, in hex (lower and upper case; plain, colon- and space-separated),
//! and every integer and octet string of 16 bytes or more inside it (RSA n, d, p, q, dP, dQ,
//! qInv; an EC scalar; an Ed25519 seed; a public point) in hex (plain and colon-separated, as
//! `openssl rsa -text` prints them) and in decimal.
//!
//! Shared by the library's and the binary's tests (`#[path]`); it depends on serde_json only.

#![allow(dead_code)] // each test crate uses its own subset

use std::collections::HashSet;
use std::path::Path;

/// The length of a window.
pub const WINDOW: usize = 20;

/// The 20-character windows of every known key, by hash.
pub struct KeyWindows {
    windows: HashSet<u64>,
    keys: HashSet<Vec<u8>>,
}

impl KeyWindows {
    /// No key yet.
    pub fn empty() -> Self {
        Self {
            windows: HashSet::new(),
            keys: HashSet::new(),
        }
    }

    /// Adds the windows of one written form (text) of some secret.
    pub fn add_form(&mut self, form: &str) {
        for window in form.as_bytes().windows(WINDOW) {
            self.windows.insert(fnv(window));
        }
    }

    /// Every private key found under `testdata`.
    pub fn of_testdata(testdata: &Path) -> Self {
        let mut found = Self::empty();
        let mut pending = vec![testdata.to_path_buf()];
        while let Some(path) = pending.pop() {
            if path.is_dir() {
                for entry in std::fs::read_dir(&path).unwrap() {
                    pending.push(entry.unwrap().path());
                }
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            found.add_text(&String::from_utf8_lossy(&bytes));
        }
        found
    }

    /// How many distinct keys are known.
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }

    /// Adds the keys found in `text`: a JSON document's strings (and member names), or the
    /// text itself.
    pub fn add_text(&mut self, text: &str) {
        let mut strings = Vec::new();
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
            collect_strings(&value, &mut strings);
        }
        strings.push(text.to_owned());
        for string in strings {
            let visible: String = string.chars().filter(|&c| !is_invisible(c)).collect();
            let unescaped = visible.replace("\\r", "").replace("\\n", "\n");
            for der in pem_key_blocks(&unescaped) {
                self.add_der(&der);
            }
            for der in hex_der_dumps(&unescaped) {
                self.add_der(&der);
            }
        }
    }

    /// Adds one key's DER in all its forms.
    pub fn add_der(&mut self, der: &[u8]) {
        if der.len() < 16 || !self.keys.insert(der.to_vec()) {
            return;
        }
        let mut forms = vec![
            base64(der),
            hex(der, false, ""),
            hex(der, true, ""),
            hex(der, false, ":"),
            hex(der, true, ":"),
            hex(der, false, " "),
        ];
        let mut values = Vec::new();
        der_values(der, &mut values, 0);
        for value in values {
            let value = strip_zeros(&value);
            if value.len() < 16 {
                continue;
            }
            forms.push(hex(value, false, ""));
            forms.push(hex(value, true, ""));
            forms.push(hex(value, false, ":"));
            let mut padded = vec![0u8];
            padded.extend_from_slice(value);
            forms.push(hex(&padded, false, ":"));
            forms.push(decimal(value));
        }
        for form in forms {
            self.add_form(&form);
        }
    }

    /// The first window of a known key that `haystack` holds, if any.
    pub fn find(&self, haystack: &str) -> Option<String> {
        haystack
            .as_bytes()
            .windows(WINDOW)
            .find(|window| self.windows.contains(&fnv(window)))
            .map(|window| String::from_utf8_lossy(window).into_owned())
    }

    /// Panics, naming `what`, if `haystack` holds a window of a known key.
    pub fn assert_clean(&self, haystack: &str, what: &str) {
        if let Some(window) = self.find(haystack) {
            panic!("{what} holds key material: {window:?}");
        }
    }
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(map) => {
            for (name, v) in map {
                out.push(name.clone());
                collect_strings(v, out);
            }
        }
        _ => {}
    }
}

/// Invisible characters a key may be hidden behind (format characters and
/// default-ignorables), listed here independently of the code under test.
pub const INVISIBLE: &[char] = &[
    '\u{ad}',
    '\u{34f}',
    '\u{61c}',
    '\u{115f}',
    '\u{180e}',
    '\u{200b}',
    '\u{200c}',
    '\u{200d}',
    '\u{200e}',
    '\u{200f}',
    '\u{202a}',
    '\u{202b}',
    '\u{202c}',
    '\u{202d}',
    '\u{202e}',
    '\u{2060}',
    '\u{2061}',
    '\u{2062}',
    '\u{2063}',
    '\u{2064}',
    '\u{2066}',
    '\u{2067}',
    '\u{2068}',
    '\u{2069}',
    '\u{3164}',
    '\u{fe0f}',
    '\u{feff}',
    '\u{ffa0}',
    '\u{e0001}',
    '\u{e0041}',
    '\u{e0100}',
];

fn is_invisible(c: char) -> bool {
    INVISIBLE.contains(&c)
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{e0000}'..='\u{e0fff}' | '\u{fe00}'..='\u{fe0f}')
}

/// The DER of every PEM block labelled `… PRIVATE KEY` in `text` (headers skipped).
fn pem_key_blocks(text: &str) -> Vec<Vec<u8>> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(begin) = rest.find("-----BEGIN ") {
        rest = &rest[begin + 11..];
        let Some(label_end) = rest.find("-----") else {
            break;
        };
        let label = &rest[..label_end];
        rest = &rest[label_end + 5..];
        // The body ends at the next encapsulation line, whichever it is: a truncated block
        // has no END line of its own.
        let end = rest.find("-----").unwrap_or(rest.len());
        if label.ends_with("PRIVATE KEY") {
            let body: String = rest[..end]
                .lines()
                .filter(|line| !line.contains(':'))
                .flat_map(|line| line.chars())
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
                .collect();
            if let Some(der) = base64_decode(&body) {
                blocks.push(der);
            }
        }
        rest = &rest[end..];
    }
    blocks
}

/// Runs of 128 hex digits or more (whatever separates their bytes: colons, spaces, line
/// breaks) that decode to DER starting with a SEQUENCE.
fn hex_der_dumps(text: &str) -> Vec<Vec<u8>> {
    let mut dumps = Vec::new();
    let mut digits = String::new();
    let mut flush = |digits: &mut String| {
        if digits.len() >= 128 && digits.len().is_multiple_of(2) && digits.starts_with("30") {
            let bytes: Vec<u8> = (0..digits.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).unwrap())
                .collect();
            dumps.push(bytes);
        }
        digits.clear();
    };
    for c in text.chars() {
        if c.is_ascii_hexdigit() {
            digits.push(c);
        } else if !matches!(c, ':' | ' ' | '\n') {
            flush(&mut digits);
        }
    }
    flush(&mut digits);
    dumps
}

/// The contents of every INTEGER, OCTET STRING and BIT STRING in a DER tree, descending into
/// constructed values and into octet strings that hold DER (PKCS#8's inner key).
fn der_values(mut der: &[u8], out: &mut Vec<Vec<u8>>, depth: usize) {
    if depth > 8 {
        return;
    }
    while let Some((tag, content, rest)) = tlv(der) {
        match tag {
            0x02 | 0x04 => {
                out.push(content.to_vec());
                if tag == 0x04 {
                    der_values(content, out, depth + 1);
                }
            }
            0x03 if !content.is_empty() => out.push(content[1..].to_vec()),
            t if t & 0x20 != 0 => der_values(content, out, depth + 1),
            _ => {}
        }
        der = rest;
    }
}

/// The first DER element of `der`: its tag, its content and what follows it.
pub fn tlv(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let len = rest[..count]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, &rest[count..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    &bytes[bytes.iter().take_while(|&&b| b == 0).count()..]
}

pub fn hex(bytes: &[u8], upper: bool, separator: &str) -> String {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push(char::from(digits[usize::from(b >> 4)]));
        out.push(char::from(digits[usize::from(b & 0x0f)]));
    }
    out
}

/// A big-endian unsigned integer in decimal.
pub fn decimal(bytes: &[u8]) -> String {
    // Little-endian limbs of 10^9.
    let mut limbs: Vec<u32> = vec![0];
    for &byte in bytes {
        let mut carry = u64::from(byte);
        for limb in &mut limbs {
            let value = u64::from(*limb) * 256 + carry;
            *limb = (value % 1_000_000_000) as u32;
            carry = value / 1_000_000_000;
        }
        while carry > 0 {
            limbs.push((carry % 1_000_000_000) as u32);
            carry /= 1_000_000_000;
        }
    }
    let mut out = limbs.last().unwrap().to_string();
    for limb in limbs.iter().rev().skip(1) {
        out.push_str(&format!("{limb:09}"));
    }
    out
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c)? as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_round_trip() {
        assert_eq!(decimal(&[0x01, 0x00]), "256");
        assert_eq!(decimal(&[0xff; 8]), u64::MAX.to_string());
        assert_eq!(base64(b"ABCD"), "QUJDRA==");
        assert_eq!(base64_decode("QUJDRA==").unwrap(), b"ABCD");
        assert_eq!(hex(&[0x0a, 0xbc], false, ":"), "0a:bc");
    }
}
