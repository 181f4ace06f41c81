//! Buffers for text and bytes that may hold private-key material.
//!
//! They are wiped when dropped, never grow (growing a `Vec` copies it and frees the old copy
//! unwiped), and their `Debug` output says how long they are, never what they hold.

use core::fmt;

use zeroize::Zeroize;

/// Wipes the whole allocation of `bytes`, its spare capacity included, and leaves it that
/// long. zeroize's own `Vec` impl writes one byte at a time (about a cycle a byte, over the
/// 17 KB or so of text and DER a documented-shape bundle holds); its slice impl writes them
/// all at once, behind an optimization barrier, which is what this uses.
pub(crate) fn wipe(bytes: &mut Vec<u8>) {
    bytes.resize(bytes.capacity(), 0);
    bytes.as_mut_slice().zeroize();
}

/// Text that may hold private-key material: a member's value after JSON unescaping.
pub(crate) struct SecretText(String);

impl Drop for SecretText {
    fn drop(&mut self) {
        wipe(&mut core::mem::take(&mut self.0).into_bytes());
    }
}

impl SecretText {
    /// An empty buffer that can take `capacity` bytes without reallocating.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self(String::with_capacity(capacity))
    }

    /// Appends text. Callers size the buffer up front; should it ever have to grow, the old
    /// contents are wiped before they are freed.
    #[inline]
    pub(crate) fn push_str(&mut self, s: &str) {
        let needed = self.0.len() + s.len();
        if needed > self.0.capacity() {
            self.grow(needed);
        }
        self.0.push_str(s);
    }

    /// Appends a character, as [`SecretText::push_str`] does.
    #[inline]
    pub(crate) fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    /// Moves the contents to a buffer of at least `needed` bytes; the old one is wiped.
    #[cold]
    fn grow(&mut self, needed: usize) {
        let mut bigger = Self::with_capacity(needed.max(self.0.capacity() * 2));
        bigger.0.push_str(&self.0);
        *self = bigger;
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretText({} bytes)", self.0.len())
    }
}

/// Bytes that may hold private-key material: a decoded PEM body.
pub(crate) struct SecretBytes(Vec<u8>);

impl Drop for SecretBytes {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

impl SecretBytes {
    /// An empty buffer that can take `capacity` bytes without reallocating.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self(Vec::with_capacity(capacity))
    }

    /// A buffer of `len` zero bytes, to be written in place.
    pub(crate) fn zeroed(len: usize) -> Self {
        Self(vec![0; len])
    }

    /// Appends bytes. Callers size the buffer up front; should it ever have to grow, the old
    /// contents are wiped before they are freed.
    pub(crate) fn extend_within_capacity(&mut self, bytes: &[u8]) {
        if self.0.len() + bytes.len() > self.0.capacity() {
            let mut bigger = Self::with_capacity((self.0.len() + bytes.len()) * 2);
            bigger.0.extend_from_slice(&self.0);
            *self = bigger;
        }
        self.0.extend_from_slice(bytes);
    }

    /// Shortens the buffer to `len` bytes; the bytes cut off are wiped first.
    pub(crate) fn truncate(&mut self, len: usize) {
        if len < self.0.len() {
            self.0[len..].zeroize();
            self.0.truncate(len);
        }
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, moved out without a copy: the caller takes over wiping them (by wrapping
    /// them at once in a type that wipes on drop).
    pub(crate) fn into_vec(mut self) -> Vec<u8> {
        core::mem::take(&mut self.0)
    }

    /// What the buffer holds without reallocating (for tests of its sizing).
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        self.0.capacity()
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.0
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes({} bytes)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_shows_length_not_contents() {
        let mut text = SecretText::with_capacity(8);
        for c in "hunter2".chars() {
            text.push(c);
        }
        let shown = format!("{text:?}");
        assert_eq!(shown, "SecretText(7 bytes)");

        let mut bytes = SecretBytes::with_capacity(4);
        bytes.extend_within_capacity(b"\x01\x02\x03");
        assert_eq!(format!("{bytes:?}"), "SecretBytes(3 bytes)");
    }

    #[test]
    fn text_grows_when_undersized_and_keeps_its_contents() {
        let mut text = SecretText::with_capacity(1);
        for c in "é and more text than fits".chars() {
            text.push(c);
        }
        assert_eq!(text.as_str(), "é and more text than fits");
    }

    #[test]
    fn wipe_zeroes_the_whole_allocation() {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(&[0xa5; 64]);
        // The tail is cut off but still in the allocation.
        bytes.truncate(10);
        let capacity = bytes.capacity();
        wipe(&mut bytes);
        assert_eq!(bytes.len(), capacity);
        assert!(bytes.iter().all(|&b| b == 0));
        assert_eq!(bytes.capacity(), capacity, "wiped in place, not moved");
    }

    #[test]
    fn truncate_keeps_the_prefix() {
        let mut bytes = SecretBytes::with_capacity(4);
        bytes.extend_within_capacity(b"abcd");
        bytes.truncate(2);
        assert_eq!(bytes.as_slice(), b"ab");
    }
}
