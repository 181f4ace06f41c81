//! RSA private keys: the consistency checks OpenSSL's `RSA_check_key` makes, primality aside,
//! with constant-time arithmetic (crypto-bigint) on every size up to [`MAX_MODULUS_BITS`].
//!
//! Ids: `key.inconsistent`, `key.nonstandard`, `key.mismatch`, `key.deep_skipped` (through
//! the key layer's `KeyFindings`, but `key.nonstandard`).

use crypto_bigint::{BoxedUint, ConcatenatingMul, Integer, NonZero, Resize};
use pkcs1::RsaPrivateKeyRef;
use zeroize::Zeroizing;

use crate::der::{bit_length, strip_zeros};

use super::{CertPublicKey, KeyAlgorithm, KeyFindings, KeySummary};
use crate::catalog::CheckId;
use crate::finding::Finding;
use crate::member::Member;
use crate::refusals::Fact;
use crate::stacks::Stacks;

/// The largest modulus checked; larger keys are reported as unsupported, so that a hostile
/// key cannot make the arithmetic arbitrarily slow.
pub(crate) const MAX_MODULUS_BITS: u32 = 16_384;

/// The largest prime deep mode tests for primality (RSA-8192's): a larger one would let a
/// hostile response ask for seconds of work per key.
pub(crate) const MAX_DEEP_PRIME_BITS: u32 = 4096;

/// Where a consistent key leaves the shape FIPS 186-5 (appendix A.1.1) gives RSA keys and
/// that ring checks when it loads one (NIST SP 800-56B rev. 2, 6.4.1.4.3): each prime half
/// the modulus's length, e above 2^16, d longer than half the modulus. `None` for a key in
/// that shape; for consistent keys only. The words name lengths only, never a value.
pub(crate) fn nonstandard(key: &RsaPrivateKeyRef<'_>) -> Option<String> {
    let half = modulus_bits(key).div_ceil(2);
    let (p, q) = (
        bit_length(key.prime1.as_bytes()),
        bit_length(key.prime2.as_bytes()),
    );
    if p != half || q != half {
        return Some(format!(
            "its primes are {p} and {q} bits long, where FIPS 186-5 has each half the modulus ({half} bits)"
        ));
    }
    // ring (rsa.rs, keypair.rs) signs with moduli of at most 4096 bits, made of primes whose
    // length is a multiple of 512 bits: moduli of 2048, 3072 or 4096 bits.
    let bits = modulus_bits(key);
    if bits > 4096 {
        return Some(format!(
            "its modulus is {bits} bits long, where ring signs with moduli of at most 4096 bits"
        ));
    }
    if !half.is_multiple_of(512) {
        return Some(format!(
            "its primes are {half} bits long, where ring signs only with primes of a multiple of 512 bits (moduli of 2048, 3072 or 4096 bits)"
        ));
    }
    // Only consistent keys get here, and a consistent key's e is odd: e ≤ 2^16 is e < 2^16,
    // fewer than three bytes.
    if strip_zeros(key.public_exponent.as_bytes()).len() < 3 {
        return Some(
            "its public exponent e is 65536 or less, where FIPS 186-5 requires e > 2^16".to_owned(),
        );
    }
    if bit_length(key.private_exponent.as_bytes()) <= half {
        return Some(format!(
            "its private exponent d is no longer than half the modulus ({half} bits), where FIPS 186-5 requires d > 2^{half}"
        ));
    }
    None
}

/// The relation of RFC 8017 section 3.2 that a key breaks, in words that name no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Inconsistency {
    ExponentEven,
    ExponentTooSmall,
    ExponentNotBelowModulus,
    ComponentTooLarge(&'static str),
    FactorTooSmall,
    ModulusNotProduct,
    PrivateExponentMismatchP,
    PrivateExponentMismatchQ,
    ExponentNotInverseModP,
    ExponentNotInverseModQ,
    CoefficientNotBelowP,
    CoefficientNotInverse,
}

impl Inconsistency {
    /// The stacks that refuse a key breaking this relation (`tests/stacks.rs` measures the
    /// ones with a fixture). OpenSSL checks a CRT signature and recomputes it from d when it
    /// is wrong, so only a wrong d fails its handshakes; Go's key parser checks n = p·q and d;
    /// ring (rustls) checks every relation. Relations without a fixture keep the catalog's
    /// stacks.
    pub(crate) fn refused_by(self) -> Stacks {
        match self {
            Self::ModulusNotProduct => Fact::KeyRsaModulusNotProduct.refused_by(),
            Self::PrivateExponentMismatchP
            | Self::PrivateExponentMismatchQ
            | Self::CoefficientNotBelowP
            | Self::CoefficientNotInverse => Fact::KeyRsaCrtValues.refused_by(),
            _ => Stacks::ALL,
        }
    }

    pub(crate) fn describe(self) -> String {
        match self {
            Self::ExponentEven => "the public exponent e is even".to_owned(),
            Self::ExponentTooSmall => "the public exponent e is below 3".to_owned(),
            Self::ExponentNotBelowModulus => "the public exponent e is not below n".to_owned(),
            Self::ComponentTooLarge(name) => format!("{name} is longer than the modulus n"),
            Self::FactorTooSmall => "a prime factor (p or q) is 0 or 1".to_owned(),
            Self::ModulusNotProduct => {
                "n is not p·q: the primes do not belong to this modulus".to_owned()
            }
            Self::PrivateExponentMismatchP => "dP is not d mod (p−1)".to_owned(),
            Self::PrivateExponentMismatchQ => "dQ is not d mod (q−1)".to_owned(),
            Self::ExponentNotInverseModP => {
                "d·e is not 1 mod (p−1): the private exponent d does not invert e".to_owned()
            }
            Self::ExponentNotInverseModQ => {
                "d·e is not 1 mod (q−1): the private exponent d does not invert e".to_owned()
            }
            Self::CoefficientNotBelowP => "the CRT coefficient qInv is not below p".to_owned(),
            Self::CoefficientNotInverse => {
                "qInv·q is not 1 mod p: the CRT coefficient qInv is wrong".to_owned()
            }
        }
    }
}

/// The bit length of the modulus (leading zero bytes and bits not counted).
pub(crate) fn modulus_bits(key: &RsaPrivateKeyRef<'_>) -> u32 {
    bit_length(key.modulus.as_bytes())
}

/// Checks every relation between the components of a two-prime RSA key:
/// e odd and ≥ 3, e < n; n = p·q; dP = d mod (p−1), dQ = d mod (q−1);
/// e·dP ≡ 1 (mod p−1) and e·dQ ≡ 1 (mod q−1) (together: d·e ≡ 1 mod λ(n));
/// qInv < p and qInv·q ≡ 1 (mod p).
///
/// The caller has checked that the modulus is at most [`MAX_MODULUS_BITS`] long.
pub(crate) fn check_consistency(key: &RsaPrivateKeyRef<'_>) -> Result<(), Inconsistency> {
    let n_bits = modulus_bits(key);
    // Each value gets the precision of its own length (whole 64-bit limbs): the work of
    // constant-time division grows with the operands' precision, and p−1 is half of n.
    // Every private value, and everything computed from one, is wiped when dropped.
    let parse = |name: &'static str, bytes: &[u8]| {
        let bits = bit_length(bytes);
        if bits > n_bits {
            return Err(Inconsistency::ComponentTooLarge(name));
        }
        BoxedUint::from_be_slice(strip_zeros(bytes), precision_for(bits))
            .map(Zeroizing::new)
            .map_err(|_| Inconsistency::ComponentTooLarge(name))
    };
    let n = parse("n", key.modulus.as_bytes())?;
    let e = parse("e", key.public_exponent.as_bytes())?;
    let d = parse("d", key.private_exponent.as_bytes())?;
    let p = parse("p", key.prime1.as_bytes())?;
    let q = parse("q", key.prime2.as_bytes())?;
    let dp = parse("dP", key.exponent1.as_bytes())?;
    let dq = parse("dQ", key.exponent2.as_bytes())?;
    let qinv = parse("qInv", key.coefficient.as_bytes())?;
    let small = |value: u64| BoxedUint::from(value);

    if !bool::from(e.is_odd()) {
        return Err(Inconsistency::ExponentEven);
    }
    if less(&e, &small(3)) {
        return Err(Inconsistency::ExponentTooSmall);
    }
    if !less(&e, &n) {
        return Err(Inconsistency::ExponentNotBelowModulus);
    }
    if less(&p, &small(2)) || less(&q, &small(2)) {
        return Err(Inconsistency::FactorTooSmall);
    }
    if !equal(&Zeroizing::new(p.concatenating_mul(&*q)), &n) {
        return Err(Inconsistency::ModulusNotProduct);
    }

    let p1 = non_zero(p.wrapping_sub(BoxedUint::one_with_precision(p.bits_precision())))?;
    let q1 = non_zero(q.wrapping_sub(BoxedUint::one_with_precision(q.bits_precision())))?;
    if !equal(&Zeroizing::new(d.rem(&*p1)), &dp) {
        return Err(Inconsistency::PrivateExponentMismatchP);
    }
    if !equal(&Zeroizing::new(d.rem(&*q1)), &dq) {
        return Err(Inconsistency::PrivateExponentMismatchQ);
    }
    if !bool::from(Zeroizing::new(e.concatenating_mul(&*dp).rem(&*p1)).is_one()) {
        return Err(Inconsistency::ExponentNotInverseModP);
    }
    if !bool::from(Zeroizing::new(e.concatenating_mul(&*dq).rem(&*q1)).is_one()) {
        return Err(Inconsistency::ExponentNotInverseModQ);
    }
    if !less(&qinv, &p) {
        return Err(Inconsistency::CoefficientNotBelowP);
    }
    let p = non_zero((*p).clone())?;
    if !bool::from(Zeroizing::new(qinv.concatenating_mul(&*q).rem(&*p)).is_one()) {
        return Err(Inconsistency::CoefficientNotInverse);
    }
    Ok(())
}

/// The precision (whole 64-bit limbs, at least one) for a value of `bits` bits.
fn precision_for(bits: u32) -> u32 {
    bits.max(1).div_ceil(64) * 64
}

/// `a == b`, whatever their precisions.
fn equal(a: &BoxedUint, b: &BoxedUint) -> bool {
    let bits = a.bits_precision().max(b.bits_precision());
    *Zeroizing::new(a.resize_unchecked(bits)) == *Zeroizing::new(b.resize_unchecked(bits))
}

/// `a < b`, whatever their precisions.
fn less(a: &BoxedUint, b: &BoxedUint) -> bool {
    let bits = a.bits_precision().max(b.bits_precision());
    *Zeroizing::new(a.resize_unchecked(bits)) < *Zeroizing::new(b.resize_unchecked(bits))
}

/// A divisor, known to be non-zero by the checks before it.
fn non_zero(value: BoxedUint) -> Result<Zeroizing<NonZero<BoxedUint>>, Inconsistency> {
    Option::from(NonZero::new(value))
        .map(Zeroizing::new)
        .ok_or(Inconsistency::FactorTooSmall)
}

/// Whether a factor is prime: the Baillie–PSW test (Miller–Rabin to base 2 plus a strong
/// Lucas test) of crypto-primes, with no known counterexample.
pub(crate) fn is_prime(factor: &[u8]) -> bool {
    let factor = strip_zeros(factor);
    let precision = precision_for(factor.len() as u32 * 8);
    match BoxedUint::from_be_slice(factor, precision) {
        Ok(n) => crypto_primes::is_prime(crypto_primes::Flavor::Any, &*Zeroizing::new(n)),
        Err(_) => false,
    }
}

/// Whether a signature made by ring with the key verifies with the certificate's
/// RSAPublicKey. `None` when ring does not take the key (it signs with 2048 to 4096-bit keys
/// only).
pub(crate) fn proves_possession(pkcs1: &[u8], public_key_der: &[u8]) -> Option<bool> {
    use ring::signature::{self, RsaKeyPair};
    let pair = RsaKeyPair::from_der(pkcs1).ok()?;
    let rng = ring::rand::SystemRandom::new();
    let mut signed = vec![0u8; pair.public().modulus_len()];
    pair.sign(
        &signature::RSA_PKCS1_SHA256,
        &rng,
        super::PROOF_MESSAGE,
        &mut signed,
    )
    .ok()?;
    Some(
        signature::UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, public_key_der)
            .verify(super::PROOF_MESSAGE, &signed)
            .is_ok(),
    )
}

/// The RSA key's checks: consistency (`key.inconsistent`), FIPS 186's shape
/// (`key.nonstandard`), the match with its certificate (`key.mismatch`) and, in deep mode,
/// primality and a proof of possession.
pub(super) fn check(
    key: &RsaPrivateKeyRef<'_>,
    pkcs1: &[u8],
    cert: Option<(Member, &CertPublicKey<'_>)>,
    deep_mode: bool,
    summary: &mut KeySummary,
    report: &mut KeyFindings<'_>,
) -> (KeyAlgorithm, [u8; 32]) {
    let bits = modulus_bits(key);
    let algorithm = KeyAlgorithm::Rsa { bits };
    let identity = super::digest_of(b"rsa", key.modulus.as_bytes());
    if let Err(why) = check_consistency(key) {
        summary.consistent = false;
        report.inconsistent_for(why.describe(), why.refused_by());
    } else if let Some(why) = nonstandard(key) {
        report.push(
            Finding::new(
                CheckId::KeyNonstandard,
                report.field(),
                format!("{} is consistent, but {why}", report.member.name()),
            )
            .refused_only_by(Fact::KeyRsaNotFips.refused_by())
            .with_hint("OpenSSL, Go and rustls with aws-lc-rs load such a key, rustls with ring does not; the service must issue keys generated to FIPS 186 (e = 65537, two primes of equal length)"),
        );
    }
    if let Some((cert_member, cert)) = cert {
        let matched = match cert {
            CertPublicKey::Rsa { n, e, .. } => {
                let key_n = strip_zeros(key.modulus.as_bytes());
                let key_e = strip_zeros(key.public_exponent.as_bytes());
                if key_n != *n {
                    report.mismatch(
                        cert_member,
                        format!(
                            "the key's modulus starts 0x{}…, the certificate's 0x{}…",
                            crate::text::hex_prefix(key_n),
                            crate::text::hex_prefix(n)
                        ),
                    );
                    false
                } else if key_e != *e {
                    report.mismatch(
                        cert_member,
                        format!(
                            "the modulus is the same, but the key's public exponent is 0x{} and the certificate's 0x{}",
                            crate::text::hex_prefix(key_e),
                            crate::text::hex_prefix(e)
                        ),
                    );
                    false
                } else {
                    true
                }
            }
            other => {
                report.other_algorithm(cert_member, algorithm, other);
                false
            }
        };
        summary.matches_certificate = Some(matched);
        if deep_mode && matched && summary.consistent {
            let der = match cert {
                CertPublicKey::Rsa { der, .. } => *der,
                _ => &[],
            };
            summary.deep_check = deep(key, pkcs1, der, report);
        }
    }
    (algorithm, identity)
}

/// Deep mode for RSA: both factors prime, and a signature by ring verifies with the
/// certificate's key. `Some(true)` only when both ran and held; `Some(false)` when either
/// failed; `None`, with `key.deep_skipped` saying what did not run, otherwise.
fn deep(
    key: &RsaPrivateKeyRef<'_>,
    pkcs1: &[u8],
    cert_der: &[u8],
    report: &mut KeyFindings<'_>,
) -> Option<bool> {
    let mut skipped = Vec::new();
    let factors = [("p", key.prime1.as_bytes()), ("q", key.prime2.as_bytes())];
    if factors
        .iter()
        .any(|(_, factor)| bit_length(factor) > MAX_DEEP_PRIME_BITS)
    {
        skipped.push(format!(
            "the primality test (its primes are over {} bits, deep mode's work bound)",
            MAX_DEEP_PRIME_BITS
        ));
    } else {
        for (name, factor) in factors {
            if !is_prime(factor) {
                report.inconsistent(format!("{name} is not prime (Baillie–PSW test)"));
                return Some(false);
            }
        }
    }
    let proved = proves_possession(pkcs1, cert_der);
    report.failed_proof(proved);
    match proved {
        Some(false) => return Some(false),
        Some(true) => {}
        None => skipped.push("the proof of possession (ring signs with RSA keys of 2048 to 4096 bits, in the shape FIPS 186 gives them, only)".to_owned()),
    }
    if skipped.is_empty() {
        Some(true)
    } else {
        report.deep_skipped(&skipped);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pkcs1::der::Decode;

    /// A PKCS#1 RSAPrivateKey of small numbers: (n, e, d, p, q, dP, dQ, qInv).
    fn key_der(values: [u64; 8]) -> Vec<u8> {
        let mut body = vec![0x02, 0x01, 0x00];
        for value in values {
            let mut bytes: Vec<u8> = value
                .to_be_bytes()
                .into_iter()
                .skip_while(|&b| b == 0)
                .collect();
            if bytes.is_empty() || bytes[0] & 0x80 != 0 {
                bytes.insert(0, 0);
            }
            body.push(0x02);
            body.push(bytes.len() as u8);
            body.extend(bytes);
        }
        let mut der = vec![0x30, body.len() as u8];
        der.extend(body);
        der
    }

    fn check(values: [u64; 8]) -> Result<(), Inconsistency> {
        let der = key_der(values);
        check_consistency(&RsaPrivateKeyRef::from_der(&der).unwrap())
    }

    // p = 11, q = 17: n = 187, λ = lcm(10, 16) = 80, qInv = 17⁻¹ mod 11 = 2.
    const N: u64 = 187;

    #[test]
    fn a_consistent_key_with_e_3_holds() {
        // e = 3: d = 27 (3·27 = 81 ≡ 1 mod 80), dP = 27 mod 10 = 7, dQ = 27 mod 16 = 11.
        assert_eq!(check([N, 3, 27, 11, 17, 7, 11, 2]), Ok(()));
    }

    #[test]
    fn each_relation_alone_is_checked() {
        use Inconsistency::*;
        for (values, broken) in [
            // e = 1 fits every other relation (d = dP = dQ = 1).
            ([N, 1, 1, 11, 17, 1, 1, 2], ExponentTooSmall),
            // e = n: d = dP = dQ = 3 inverts 187 modulo 10 and 16.
            ([N, N, 3, 11, 17, 3, 3, 2], ExponentNotBelowModulus),
            ([N, 4, 27, 11, 17, 7, 11, 2], ExponentEven),
            // n + 2 is not p·q; everything else is p's and q's.
            ([N + 2, 3, 27, 11, 17, 7, 11, 2], ModulusNotProduct),
            // d + (q − 1) keeps d mod (q − 1) and changes d mod (p − 1): dP alone is wrong.
            ([N, 3, 27 + 16, 11, 17, 7, 11, 2], PrivateExponentMismatchP),
            // d + (p − 1): dQ alone is wrong.
            ([N, 3, 27 + 10, 11, 17, 7, 11, 2], PrivateExponentMismatchQ),
            // qInv + p still inverts q modulo p, but is not below p (ring refuses it).
            ([N, 3, 27, 11, 17, 7, 11, 2 + 11], CoefficientNotBelowP),
            ([N, 3, 27, 11, 17, 7, 11, 3], CoefficientNotInverse),
            // A factor of 0 is named as such, not as a product that is not n.
            ([N, 3, 27, 0, N, 7, 11, 2], FactorTooSmall),
            ([N, 3, 27, N, 0, 7, 11, 2], FactorTooSmall),
            // n = 1·n: the product holds, and the factor 1 is refused.
            ([N, 3, 27, 1, N, 7, 11, 2], FactorTooSmall),
        ] {
            assert_eq!(check(values), Err(broken), "{values:?}");
        }
    }

    #[test]
    fn each_relation_is_described_in_its_own_words() {
        use Inconsistency::*;
        let all = [
            ExponentEven,
            ExponentTooSmall,
            ExponentNotBelowModulus,
            ComponentTooLarge("dP"),
            FactorTooSmall,
            ModulusNotProduct,
            PrivateExponentMismatchP,
            PrivateExponentMismatchQ,
            ExponentNotInverseModP,
            ExponentNotInverseModQ,
            CoefficientNotBelowP,
            CoefficientNotInverse,
        ];
        let described: std::collections::HashSet<String> =
            all.iter().map(|broken| broken.describe()).collect();
        assert_eq!(described.len(), all.len(), "{described:?}");
        assert_eq!(
            ModulusNotProduct.describe(),
            "n is not p·q: the primes do not belong to this modulus"
        );
        assert_eq!(
            ComponentTooLarge("dP").describe(),
            "dP is longer than the modulus n"
        );
    }

    #[test]
    fn unreduced_crt_exponents_that_still_invert_e_are_found() {
        // dP + (p − 1) and dQ + (q − 1): e·dP ≡ 1 still holds, dP = d mod (p − 1) does not.
        // d = 27 + 80 = 107 keeps every relation of d; dP = 7 + 10 is then d mod 10 + 10.
        assert_eq!(
            check([N, 3, 27, 11, 17, 7 + 10, 11, 2]),
            Err(Inconsistency::PrivateExponentMismatchP)
        );
        assert_eq!(
            check([N, 3, 27, 11, 17, 7, 11 + 16, 2]),
            Err(Inconsistency::PrivateExponentMismatchQ)
        );
    }

    #[test]
    fn nonstandard_shapes_are_named_by_their_lengths() {
        let der = key_der([N, 3, 27, 11, 17, 7, 11, 2]);
        let why = nonstandard(&RsaPrivateKeyRef::from_der(&der).unwrap()).unwrap();
        // 187 has 8 bits; 11 and 17 have 4 and 5, not 4 each.
        assert!(why.contains("4 and 5 bits"), "{why}");
    }
}
