//! Encrypted private keys: PKCS#8 `ENCRYPTED PRIVATE KEY` (PBES2) and the legacy PEM form
//! (`Proc-Type: 4,ENCRYPTED` + `DEK-Info`), decrypted in memory with the task's passphrase.
//!
//! Ids: `key.encrypted`, `key.passphrase_wrong`, `key.encryption_unsupported`, and
//! `key.malformed` for an encrypted structure that is itself broken.
//!
//! Decryption is RustCrypto's (pkcs5 for PBES2; aes, des, cbc and md-5 for the legacy form),
//! into buffers wiped on drop. Key-derivation parameters are bounded before any work is done.
//! No message says anything about the plaintext, the key or the passphrase beyond "it did not
//! decrypt", and the scheme's public parameters.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipherDecrypt, BlockModeDecrypt, KeyInit, KeyIvInit};
use md5::{Digest, Md5};
use pkcs8::der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef};
use pkcs8::der::Decode;
use pkcs8::pkcs5::pbes2::{self, Kdf, Pbkdf2Prf};
use pkcs8::pkcs5::{self, EncryptionScheme};
use pkcs8::AlgorithmIdentifierRef;
use zeroize::Zeroizing;

use crate::catalog::CheckId;
use crate::finding::{Field, Finding, Findings};
use crate::member::Member;
use crate::oids;
use crate::pem::{BlockLabel, Encryption, PemBlock};
use crate::secret::SecretBytes;
use crate::text::Untrusted;

/// The default bound on PBKDF2 iterations in one response, all its keys together: at most
/// about 0.6 s of work (HMAC-SHA512, the slowest PRF). OpenSSL's default is 2,048 iterations
/// a key; three keys of 300,000 fit.
pub const DEFAULT_MAX_PBKDF2_ITERATIONS: u32 = 1_000_000;

/// The default bound on scrypt's work in one response, all its keys together, in bytes
/// (128·N·r·p; the memory of one derivation is 128·N·r): 128 MiB, about 0.4 s.
/// OpenSSL's default (N = 16384, r = 8, p = 1) is 16 MiB a key.
pub const DEFAULT_MAX_SCRYPT_BYTES: u64 = 128 << 20;

/// Bounds on the key-derivation work the encrypted keys of one response may ask for, all
/// together: a key whose derivation would go beyond what is left is
/// `key.encryption_unsupported`, refused before any work is done. A response has three keys,
/// so the bounds are what one audit may spend, not each key.
///
/// ```
/// let limits = certkey::KdfLimits::new(10_000, 1 << 20);
/// assert_eq!(limits.max_pbkdf2_iterations, 10_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct KdfLimits {
    /// The most PBKDF2 iterations allowed, summed over the response's keys.
    pub max_pbkdf2_iterations: u32,
    /// The most scrypt work allowed, in bytes (128·N·r·p), summed over the response's keys.
    pub max_scrypt_bytes: u64,
}

impl KdfLimits {
    /// Bounds of `max_pbkdf2_iterations` PBKDF2 iterations and `max_scrypt_bytes` of scrypt
    /// work, each summed over a response's keys.
    pub const fn new(max_pbkdf2_iterations: u32, max_scrypt_bytes: u64) -> Self {
        Self {
            max_pbkdf2_iterations,
            max_scrypt_bytes,
        }
    }
}

impl Default for KdfLimits {
    fn default() -> Self {
        Self {
            max_pbkdf2_iterations: DEFAULT_MAX_PBKDF2_ITERATIONS,
            max_scrypt_bytes: DEFAULT_MAX_SCRYPT_BYTES,
        }
    }
}

/// How many characters of a cipher name from a `DEK-Info` header a message quotes.
const NAME_MAX_CHARS: usize = 40;

/// A decrypted key, and how it was encrypted (for the key's summary).
pub(crate) struct Opened {
    pub(crate) block: PemBlock,
    pub(crate) scheme: String,
}

/// Opens an encrypted key block with the passphrase, or reports why it cannot:
/// `key.encrypted` (no passphrase), `key.passphrase_wrong`, `key.encryption_unsupported`,
/// `key.malformed` (the encrypted structure itself is broken). The work a derivation may do
/// comes out of `budget`, which the caller shares between a response's keys.
pub(crate) fn open(
    member: Member,
    block: &PemBlock,
    passphrase: Option<&[u8]>,
    budget: &mut KdfLimits,
    findings: &mut Findings,
) -> Option<Opened> {
    let encryption = block.encryption.as_ref()?;
    let Some(passphrase) = passphrase else {
        let form = match encryption {
            Encryption::Pkcs8 => "an ENCRYPTED PRIVATE KEY block",
            Encryption::Legacy { .. } => "a Proc-Type: 4,ENCRYPTED header",
        };
        findings.push(
            Finding::new(
                CheckId::KeyEncrypted,
                Some(Field::Member(member)),
                format!(
                    "{} is encrypted ({form}) and no passphrase was given, so it cannot be checked against its certificate",
                    member.name()
                ),
            ),
        );
        return None;
    };
    let result = match encryption {
        Encryption::Pkcs8 => open_pkcs8(block.der.as_slice(), passphrase, budget),
        Encryption::Legacy { dek_info } => open_legacy(
            block.label,
            dek_info.as_ref().map(|value| value.as_untrusted()),
            block.der.as_slice(),
            passphrase,
        ),
    };
    match result {
        Ok(opened) => Some(opened),
        Err(refusal) => {
            findings.push(refusal.finding(member));
            None
        }
    }
}

/// Why a key was not opened.
#[derive(Debug)]
enum Refusal {
    /// The passphrase does not decrypt it (or the ciphertext is damaged: indistinguishable).
    Wrong(&'static str),
    /// A scheme, cipher or KDF certkey does not decrypt, or parameters beyond the bounds.
    Unsupported(String),
    /// The encrypted structure is not well formed.
    Malformed(String),
}

impl Refusal {
    fn finding(self, member: Member) -> Finding {
        let field = Some(Field::Member(member));
        let name = member.name();
        match self {
            Self::Wrong(detail) => Finding::new(
                CheckId::KeyPassphraseWrong,
                field,
                format!("the passphrase given does not decrypt {name}: {detail}"),
            ),
            Self::Unsupported(what) => Finding::new(
                CheckId::KeyEncryptionUnsupported,
                field,
                format!("{name} is encrypted with {what}"),
            ),
            Self::Malformed(what) => Finding::new(
                CheckId::KeyMalformed,
                field,
                format!("{name} is not a readable encrypted key: {what}"),
            ),
        }
    }
}

// --- PKCS#8 ---------------------------------------------------------------------------

fn name_of(oid: &ObjectIdentifier) -> String {
    oids::name_in(oids::PBE_NAMES, &oid.to_string())
}

fn open_pkcs8(der: &[u8], passphrase: &[u8], budget: &mut KdfLimits) -> Result<Opened, Refusal> {
    // A generic reading first, to name whatever the key uses even when it is unsupported.
    let (algorithm, data) = AnyRef::from_der(der)
        .and_then(|any| {
            any.sequence(|reader| {
                let algorithm = AlgorithmIdentifierRef::decode(reader)?;
                let data = <&OctetStringRef>::decode(reader)?;
                Ok((algorithm, data))
            })
        })
        .map_err(|e| {
            Refusal::Malformed(format!(
                "its DER is not a PKCS#8 EncryptedPrivateKeyInfo ({})",
                e.kind()
            ))
        })?;
    let outer = name_of(&algorithm.oid);
    if algorithm.oid.to_string() != oids::PBES2 {
        return Err(Refusal::Unsupported(format!(
            "{outer}, which certkey does not decrypt (it decrypts PBES2, as OpenSSL writes by default)"
        )));
    }
    let scheme = match EncryptionScheme::try_from(algorithm) {
        Ok(EncryptionScheme::Pbes2(parameters)) => parameters,
        Ok(_) => return Err(Refusal::Unsupported(outer)),
        Err(e) => {
            return Err(Refusal::Unsupported(format!(
                "PBES2 ({}), which certkey does not decrypt ({e})",
                describe_pbes2(algorithm.parameters),
            )))
        }
    };
    let description = describe(&scheme);
    check_bounds(&scheme.kdf, budget).map_err(|why| {
        Refusal::Unsupported(format!("{description}, refused before any work: {why}"))
    })?;

    let block_len = match scheme.encryption {
        pbes2::EncryptionScheme::Aes128Gcm { .. } | pbes2::EncryptionScheme::Aes256Gcm { .. } => 1,
        pbes2::EncryptionScheme::DesEde3Cbc { .. } => 8,
        _ => 16,
    };
    let ciphertext = data.as_bytes();
    if ciphertext.is_empty() || ciphertext.len() % block_len != 0 {
        return Err(Refusal::Malformed(format!(
            "its encrypted data ({} bytes) is not a whole number of {block_len}-byte cipher blocks",
            ciphertext.len()
        )));
    }
    let mut buffer = SecretBytes::with_capacity(ciphertext.len());
    buffer.extend_within_capacity(ciphertext);
    let plain_len = match scheme.decrypt_in_place(passphrase, buffer.as_mut_slice()) {
        Ok(plain) => plain.len(),
        Err(pkcs5::Error::DecryptFailed) => {
            return Err(Refusal::Wrong("the padding after decryption is invalid"))
        }
        Err(e) => {
            return Err(Refusal::Unsupported(format!(
                "{description}, whose parameters certkey cannot use ({e})"
            )))
        }
    };
    buffer.truncate(plain_len);
    if pkcs8::PrivateKeyInfoRef::from_der(buffer.as_slice()).is_err() {
        return Err(Refusal::Wrong(
            "what it decrypts to is not a PKCS#8 private key",
        ));
    }
    Ok(Opened {
        block: PemBlock {
            label: BlockLabel::PrivateKey,
            der: buffer,
            encryption: None,
        },
        scheme: description,
    })
}

/// Names the KDF and cipher of PBES2 parameters that pkcs5 does not read.
fn describe_pbes2(parameters: Option<AnyRef<'_>>) -> String {
    let names = parameters.and_then(|any| {
        any.sequence(|reader| {
            let kdf = AlgorithmIdentifierRef::decode(reader)?;
            let cipher = AlgorithmIdentifierRef::decode(reader)?;
            Ok::<_, pkcs8::der::Error>((name_of(&kdf.oid), name_of(&cipher.oid)))
        })
        .ok()
    });
    match names {
        Some((kdf, cipher)) => format!("{kdf}, {cipher}"),
        None => "unreadable parameters".to_owned(),
    }
}

/// `PBES2 (PBKDF2-HMAC-SHA256, 2048 iterations; AES-256-CBC)`.
fn describe(scheme: &pbes2::Parameters) -> String {
    let kdf = match &scheme.kdf {
        Kdf::Pbkdf2(params) => {
            let prf = match params.prf {
                Pbkdf2Prf::HmacWithSha1 => "HMAC-SHA1",
                Pbkdf2Prf::HmacWithSha224 => "HMAC-SHA224",
                Pbkdf2Prf::HmacWithSha256 => "HMAC-SHA256",
                Pbkdf2Prf::HmacWithSha384 => "HMAC-SHA384",
                Pbkdf2Prf::HmacWithSha512 => "HMAC-SHA512",
                _ => "HMAC",
            };
            format!(
                "PBKDF2-{prf}, {} iterations",
                thousands(u128::from(params.iteration_count))
            )
        }
        Kdf::Scrypt(params) => format!(
            "scrypt, N={} r={} p={}",
            params.cost_parameter, params.block_size, params.parallelization
        ),
        _ => "another KDF".to_owned(),
    };
    let cipher = match scheme.encryption {
        pbes2::EncryptionScheme::Aes128Cbc { .. } => "AES-128-CBC",
        pbes2::EncryptionScheme::Aes192Cbc { .. } => "AES-192-CBC",
        pbes2::EncryptionScheme::Aes256Cbc { .. } => "AES-256-CBC",
        pbes2::EncryptionScheme::Aes128Gcm { .. } => "AES-128-GCM",
        pbes2::EncryptionScheme::Aes256Gcm { .. } => "AES-256-GCM",
        pbes2::EncryptionScheme::DesEde3Cbc { .. } => "DES-EDE3-CBC",
        _ => "another cipher",
    };
    format!("PBES2 ({kdf}; {cipher})")
}

/// Refuses key-derivation parameters that would stall the caller or cannot be right, and
/// takes the work of those it accepts out of `budget` (what is left for the response).
fn check_bounds(kdf: &Kdf, budget: &mut KdfLimits) -> Result<(), String> {
    match kdf {
        Kdf::Pbkdf2(params) => match params.iteration_count {
            0 => Err("an iteration count of 0 is invalid".to_owned()),
            n if n > budget.max_pbkdf2_iterations => Err(format!(
                "{} PBKDF2 iterations exceed what is left of certkey's bound for the response ({} iterations, all its keys together)",
                thousands(u128::from(n)),
                thousands(u128::from(budget.max_pbkdf2_iterations))
            )),
            n => {
                budget.max_pbkdf2_iterations -= n;
                Ok(())
            }
        },
        Kdf::Scrypt(params) => {
            let n = params.cost_parameter;
            let r = u64::from(params.block_size);
            let p = u64::from(params.parallelization);
            if n < 2 || !n.is_power_of_two() || r == 0 || p == 0 {
                return Err(format!(
                    "scrypt N={n} r={r} p={p} is invalid (N must be a power of two above 1; r and p at least 1)"
                ));
            }
            let memory = 128u128 * u128::from(n) * u128::from(r);
            let work = memory * u128::from(p);
            if work > u128::from(budget.max_scrypt_bytes) {
                return Err(format!(
                    "scrypt N={n} r={r} p={p} needs {} MiB of memory and {} MiB of work, beyond what is left of certkey's bound for the response ({} MiB, all its keys together)",
                    thousands(memory >> 20),
                    thousands(work >> 20),
                    budget.max_scrypt_bytes >> 20
                ));
            }
            // At most the budget, so it fits in a u64.
            budget.max_scrypt_bytes -= work as u64;
            Ok(())
        }
        // A KDF pkcs5 reads but certkey cannot bound is not run.
        _ => Err("certkey cannot bound its work".to_owned()),
    }
}

// --- Legacy PEM encryption -------------------------------------------------------------

/// The ciphers of OpenSSL's legacy PEM encryption that certkey decrypts.
#[derive(Debug, Clone, Copy)]
enum LegacyCipher {
    Aes128,
    Aes192,
    Aes256,
    DesEde3,
}

impl LegacyCipher {
    fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_uppercase().as_str() {
            "AES-128-CBC" => Some(Self::Aes128),
            "AES-192-CBC" => Some(Self::Aes192),
            "AES-256-CBC" => Some(Self::Aes256),
            "DES-EDE3-CBC" => Some(Self::DesEde3),
            _ => None,
        }
    }

    fn key_len(self) -> usize {
        match self {
            Self::Aes128 => 16,
            Self::Aes192 | Self::DesEde3 => 24,
            Self::Aes256 => 32,
        }
    }

    fn block_len(self) -> usize {
        match self {
            Self::DesEde3 => 8,
            _ => 16,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Aes128 => "AES-128-CBC",
            Self::Aes192 => "AES-192-CBC",
            Self::Aes256 => "AES-256-CBC",
            Self::DesEde3 => "DES-EDE3-CBC",
        }
    }
}

fn open_legacy(
    label: BlockLabel,
    dek_info: Option<Untrusted<'_>>,
    der: &[u8],
    passphrase: &[u8],
) -> Result<Opened, Refusal> {
    let Some(dek_info) = dek_info else {
        return Err(Refusal::Malformed(
            "its Proc-Type header says ENCRYPTED, but no DEK-Info header names the cipher"
                .to_owned(),
        ));
    };
    let dek_info = dek_info.unquoted();
    let (name, iv_hex) = dek_info.split_once(',').unwrap_or((dek_info, ""));
    let name = name.trim();
    let Some(cipher) = LegacyCipher::from_name(name) else {
        return Err(Refusal::Unsupported(format!(
            "legacy PEM encryption with the cipher \"{}\", which certkey does not decrypt (it decrypts AES-128/192/256-CBC and DES-EDE3-CBC)",
            Untrusted::new(name).quoted(NAME_MAX_CHARS)
        )));
    };
    let iv = decode_hex(iv_hex.trim())
        .filter(|iv| iv.len() == cipher.block_len())
        .ok_or_else(|| {
            Refusal::Malformed(format!(
                "its DEK-Info IV is not {} hexadecimal digits",
                cipher.block_len() * 2
            ))
        })?;
    if der.is_empty() || !der.len().is_multiple_of(cipher.block_len()) {
        return Err(Refusal::Malformed(format!(
            "its encrypted data ({} bytes) is not a whole number of {}-byte cipher blocks",
            der.len(),
            cipher.block_len()
        )));
    }
    let key = bytes_to_key(passphrase, &iv[..8], cipher.key_len());
    let mut buffer = SecretBytes::with_capacity(der.len());
    buffer.extend_within_capacity(der);
    let plain_len = match cipher {
        LegacyCipher::Aes128 => cbc_decrypt::<aes::Aes128>(&key, &iv, buffer.as_mut_slice()),
        LegacyCipher::Aes192 => cbc_decrypt::<aes::Aes192>(&key, &iv, buffer.as_mut_slice()),
        LegacyCipher::Aes256 => cbc_decrypt::<aes::Aes256>(&key, &iv, buffer.as_mut_slice()),
        LegacyCipher::DesEde3 => cbc_decrypt::<des::TdesEde3>(&key, &iv, buffer.as_mut_slice()),
    }
    .ok_or(Refusal::Wrong("the padding after decryption is invalid"))?;
    buffer.truncate(plain_len);
    let parses = match label {
        BlockLabel::RsaPrivateKey => pkcs1::RsaPrivateKeyRef::from_der(buffer.as_slice()).is_ok(),
        BlockLabel::EcPrivateKey => sec1::EcPrivateKey::from_der(buffer.as_slice()).is_ok(),
        BlockLabel::PrivateKey => pkcs8::PrivateKeyInfoRef::from_der(buffer.as_slice()).is_ok(),
        BlockLabel::Certificate => false,
    };
    if !parses {
        return Err(Refusal::Wrong(
            "what it decrypts to is not the private key its label announces",
        ));
    }
    Ok(Opened {
        block: PemBlock {
            label,
            der: buffer,
            encryption: None,
        },
        scheme: format!(
            "legacy PEM encryption ({}, key from MD5 as OpenSSL's EVP_BytesToKey)",
            cipher.name()
        ),
    })
}

/// Decrypts `buffer` in place; the plaintext's length, or `None` when the padding is wrong.
fn cbc_decrypt<C>(key: &[u8], iv: &[u8], buffer: &mut [u8]) -> Option<usize>
where
    C: BlockCipherDecrypt + KeyInit,
{
    cbc::Decryptor::<C>::new_from_slices(key, iv)
        .ok()?
        .decrypt_padded::<Pkcs7>(buffer)
        .ok()
        .map(<[u8]>::len)
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one iteration, as its PEM encryption derives keys:
/// D₁ = MD5(passphrase ‖ salt), Dᵢ = MD5(Dᵢ₋₁ ‖ passphrase ‖ salt), the key their concatenation.
fn bytes_to_key(passphrase: &[u8], salt: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut key = Zeroizing::new(Vec::with_capacity(len + 16));
    let mut previous = Zeroizing::new([0u8; 16]);
    let mut first = true;
    while key.len() < len {
        let mut md5 = Md5::new();
        if !first {
            md5.update(previous.as_slice());
        }
        md5.update(passphrase);
        md5.update(salt);
        previous.copy_from_slice(&md5.finalize());
        key.extend_from_slice(previous.as_slice());
        first = false;
    }
    key.truncate(len);
    key
}

/// `4000000000` as `4,000,000,000`.
fn thousands(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() * 4 / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 64 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pkcs8::der::Encode;

    fn pbkdf2(prf: Pbkdf2Prf) -> Kdf {
        Kdf::Pbkdf2(pbes2::Pbkdf2Params {
            salt: (&[1u8; 8][..]).try_into().unwrap(),
            iteration_count: 2048,
            key_length: None,
            prf,
        })
    }

    #[test]
    fn schemes_are_described_by_kdf_and_cipher() {
        let cbc = pbes2::EncryptionScheme::Aes256Cbc { iv: [0; 16] };
        for (prf, name) in [
            (Pbkdf2Prf::HmacWithSha1, "HMAC-SHA1"),
            (Pbkdf2Prf::HmacWithSha224, "HMAC-SHA224"),
            (Pbkdf2Prf::HmacWithSha256, "HMAC-SHA256"),
            (Pbkdf2Prf::HmacWithSha384, "HMAC-SHA384"),
            (Pbkdf2Prf::HmacWithSha512, "HMAC-SHA512"),
        ] {
            let scheme = pbes2::Parameters {
                kdf: pbkdf2(prf),
                encryption: cbc,
            };
            assert_eq!(
                describe(&scheme),
                format!("PBES2 (PBKDF2-{name}, 2,048 iterations; AES-256-CBC)")
            );
        }
        for (encryption, name) in [
            (
                pbes2::EncryptionScheme::Aes128Cbc { iv: [0; 16] },
                "AES-128-CBC",
            ),
            (
                pbes2::EncryptionScheme::Aes192Cbc { iv: [0; 16] },
                "AES-192-CBC",
            ),
            (
                pbes2::EncryptionScheme::Aes128Gcm { nonce: [0; 12] },
                "AES-128-GCM",
            ),
            (
                pbes2::EncryptionScheme::Aes256Gcm { nonce: [0; 12] },
                "AES-256-GCM",
            ),
            (
                pbes2::EncryptionScheme::DesEde3Cbc { iv: [0; 8] },
                "DES-EDE3-CBC",
            ),
        ] {
            let scheme = pbes2::Parameters {
                kdf: Kdf::Scrypt(pbes2::ScryptParams {
                    salt: (&[1u8; 8][..]).try_into().unwrap(),
                    cost_parameter: 16384,
                    block_size: 8,
                    parallelization: 1,
                    key_length: None,
                }),
                encryption,
            };
            assert_eq!(
                describe(&scheme),
                format!("PBES2 (scrypt, N=16384 r=8 p=1; {name})")
            );
        }
    }

    /// An EncryptedPrivateKeyInfo of `ciphertext` under `scheme`.
    fn encrypted_key_info(scheme: &pbes2::Parameters, ciphertext: &[u8]) -> Vec<u8> {
        use crate::der::tlv;
        let algorithm = EncryptionScheme::from(scheme.clone()).to_der().unwrap();
        tlv(0x30, &[algorithm, tlv(0x04, ciphertext)].concat())
    }

    #[test]
    fn gcm_takes_any_length_and_cbc_whole_blocks() {
        // An Ed25519 PKCS#8 v2 key (83 bytes: a length no cipher block divides).
        let mut plain = vec![
            0x30, 0x51, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
        ];
        plain.extend([0x04, 0x22, 0x04, 0x20]);
        plain.extend([7u8; 32]);
        plain.extend([0x81, 0x21, 0x00]);
        plain.extend([9u8; 32]);
        assert_eq!(plain.len(), 83);
        let passphrase = b"fixture-passphrase";
        let gcm = pbes2::Parameters {
            kdf: pbkdf2(Pbkdf2Prf::HmacWithSha256),
            encryption: pbes2::EncryptionScheme::Aes256Gcm { nonce: [3; 12] },
        };
        let sealed = gcm.encrypt(passphrase, &plain).unwrap();
        assert_eq!(sealed.len() % 16, 3);
        let der = encrypted_key_info(&gcm, &sealed);
        let opened = match open_pkcs8(&der, passphrase, &mut KdfLimits::default()) {
            Ok(opened) => opened,
            Err(Refusal::Wrong(why)) => panic!("wrong: {why}"),
            Err(Refusal::Unsupported(why) | Refusal::Malformed(why)) => panic!("{why}"),
        };
        assert_eq!(opened.block.der.as_slice(), plain);
        assert_eq!(
            opened.scheme,
            "PBES2 (PBKDF2-HMAC-SHA256, 2,048 iterations; AES-256-GCM)"
        );

        let cbc = pbes2::Parameters {
            kdf: pbkdf2(Pbkdf2Prf::HmacWithSha256),
            encryption: pbes2::EncryptionScheme::Aes128Cbc { iv: [3; 16] },
        };
        let mut sealed = cbc.encrypt(passphrase, &plain).unwrap();
        sealed.push(0);
        let der = encrypted_key_info(&cbc, &sealed);
        match open_pkcs8(&der, passphrase, &mut KdfLimits::default()) {
            Err(Refusal::Malformed(why)) => assert!(
                why.contains("(97 bytes) is not a whole number of 16-byte cipher blocks"),
                "{why}"
            ),
            _ => panic!("a CBC ciphertext of 97 bytes is malformed"),
        }
    }

    #[test]
    fn bytes_to_key_matches_openssl() {
        // The key OpenSSL derives, from
        // `openssl enc -aes-256-cbc -pass pass:fixture-passphrase -S 0001020304050607 -P -md md5`.
        let expected = "154C4495170B31C985B72B424C87FE1747350EE04934F9C0ED6EEEC8C05D9F13";
        let key = bytes_to_key(b"fixture-passphrase", &[0, 1, 2, 3, 4, 5, 6, 7], 32);
        assert_eq!(key.as_slice(), decode_hex(expected).unwrap());
        // Shorter keys are its prefix (AES-128 takes 16 bytes, DES-EDE3 and AES-192 24).
        let short = bytes_to_key(b"fixture-passphrase", &[0, 1, 2, 3, 4, 5, 6, 7], 24);
        assert_eq!(short.as_slice(), &key[..24]);
    }

    #[test]
    fn legacy_ciphers_are_named_as_dek_info_names_them() {
        for cipher in [
            LegacyCipher::Aes128,
            LegacyCipher::Aes192,
            LegacyCipher::Aes256,
            LegacyCipher::DesEde3,
        ] {
            let name = cipher.name();
            assert!(
                matches!(LegacyCipher::from_name(&name.to_ascii_lowercase()), Some(c) if c.name() == name),
                "{name}"
            );
        }
    }

    #[test]
    fn legacy_ciphertext_must_be_whole_blocks() {
        let dek_info = Untrusted::new("AES-128-CBC,00112233445566778899AABBCCDDEEFF");
        for len in [17, 15] {
            match open_legacy(
                BlockLabel::RsaPrivateKey,
                Some(dek_info),
                &vec![0; len],
                b"pw",
            ) {
                Err(Refusal::Malformed(why)) => assert!(
                    why.contains(&format!("({len} bytes) is not a whole number of 16-byte")),
                    "{why}"
                ),
                _ => panic!("{len} bytes of AES-CBC are malformed"),
            }
        }
    }

    #[test]
    fn hex_is_decoded_in_pairs_up_to_32_bytes() {
        assert_eq!(decode_hex("00ff10"), Some(vec![0, 0xff, 0x10]));
        assert_eq!(decode_hex("0"), None);
        assert_eq!(decode_hex("0g"), None);
        assert_eq!(decode_hex(&"ab".repeat(32)), Some(vec![0xab; 32]));
        // An IV is at most 16 bytes: longer hex is refused before it is decoded.
        assert_eq!(decode_hex(&"ab".repeat(33)), None);
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(4_000_000_000), "4,000,000,000");
    }

    #[test]
    fn scrypt_and_pbkdf2_bounds() {
        let pbkdf2 = |n| {
            Kdf::Pbkdf2(pbes2::Pbkdf2Params {
                salt: (&[1u8; 8][..]).try_into().unwrap(),
                iteration_count: n,
                key_length: None,
                prf: Pbkdf2Prf::HmacWithSha256,
            })
        };
        let fresh = KdfLimits::default;
        let max = DEFAULT_MAX_PBKDF2_ITERATIONS;
        assert!(check_bounds(&pbkdf2(2048), &mut fresh()).is_ok());
        assert!(check_bounds(&pbkdf2(max), &mut fresh()).is_ok());
        assert!(check_bounds(&pbkdf2(max + 1), &mut fresh()).is_err());
        assert!(check_bounds(&pbkdf2(0), &mut fresh()).is_err());
        let tight = || KdfLimits {
            max_pbkdf2_iterations: 1000,
            max_scrypt_bytes: 1 << 20,
        };
        assert!(check_bounds(&pbkdf2(2048), &mut tight()).is_err());
        // The bound is shared: what one key spends, the next cannot.
        let mut budget = fresh();
        assert!(check_bounds(&pbkdf2(max - 2048), &mut budget).is_ok());
        assert!(check_bounds(&pbkdf2(2048), &mut budget).is_ok());
        assert_eq!(budget.max_pbkdf2_iterations, 0);
        assert!(check_bounds(&pbkdf2(1), &mut budget).is_err());
        let scrypt = |n, r, p| {
            Kdf::Scrypt(pbes2::ScryptParams {
                salt: (&[1u8; 8][..]).try_into().unwrap(),
                cost_parameter: n,
                block_size: r,
                parallelization: p,
                key_length: None,
            })
        };
        assert!(check_bounds(&scrypt(16384, 8, 1), &mut fresh()).is_ok());
        assert!(check_bounds(&scrypt(1 << 17, 8, 1), &mut fresh()).is_ok()); // exactly 128 MiB
        assert!(check_bounds(&scrypt(1 << 17, 8, 2), &mut fresh()).is_err());
        assert!(check_bounds(&scrypt(1 << 18, 8, 1), &mut fresh()).is_err());
        assert!(check_bounds(&scrypt(u64::MAX, u16::MAX, u16::MAX), &mut fresh()).is_err());
        assert!(check_bounds(&scrypt(0, 8, 1), &mut fresh()).is_err());
        // N = 1 is a power of two, but scrypt needs N > 1; N = 2 is the smallest.
        assert!(check_bounds(&scrypt(1, 8, 1), &mut fresh()).is_err());
        assert!(check_bounds(&scrypt(2, 8, 1), &mut fresh()).is_ok());
        assert!(check_bounds(&scrypt(1000, 8, 1), &mut fresh()).is_err());
        assert!(check_bounds(&scrypt(16384, 0, 1), &mut fresh()).is_err());
        assert!(check_bounds(&scrypt(16384, 8, 1), &mut tight()).is_err());
        let mut budget = fresh();
        for _ in 0..8 {
            assert!(check_bounds(&scrypt(16384, 8, 1), &mut budget).is_ok());
        }
        assert!(check_bounds(&scrypt(16384, 8, 1), &mut budget).is_err());
    }
}
