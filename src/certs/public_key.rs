//! A certificate's public key, read once into the parts the checks compare: the key layer
//! matches private keys against it, the strength checks measure it.

use pkcs8::der::Decode;
use x509_parser::x509::SubjectPublicKeyInfo;

use crate::der::{bit_length, strip_zeros};
use crate::oids;

/// The curves whose keys are checked fully.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    /// The curve's name: `P-256`, `P-384`, `P-521`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::P256 => "P-256",
            Self::P384 => "P-384",
            Self::P521 => "P-521",
        }
    }

    /// The length of a scalar (and of each point coordinate), in bytes.
    pub(crate) fn scalar_len(self) -> usize {
        match self {
            Self::P256 => 32,
            Self::P384 => 48,
            Self::P521 => 66,
        }
    }
}

/// A certificate's public key, in the parts the key layer compares.
pub(crate) enum CertPublicKey<'a> {
    Rsa {
        n: &'a [u8],
        e: &'a [u8],
        /// The RSAPublicKey DER, for verifying a signature.
        der: &'a [u8],
    },
    Ec {
        curve: Result<Curve, String>,
        point: &'a [u8],
    },
    Ed25519(&'a [u8]),
    /// A key of this algorithm that TLS stacks cannot read (`cert.malformed` says why); a
    /// private key is not compared with it.
    Malformed(&'static str),
    Other(String),
}

impl<'a> CertPublicKey<'a> {
    pub(crate) fn from_spki(spki: &'a SubjectPublicKeyInfo<'a>) -> Self {
        let oid = oids::dotted(&spki.algorithm.algorithm);
        match oid.as_str() {
            // Read strictly, as TLS stacks read it: an RSAPublicKey that is not DER (say, a
            // negative modulus) is no key they can use, whatever its bytes say.
            oids::RSA_ENCRYPTION => {
                match pkcs1::RsaPublicKeyRef::from_der(&spki.subject_public_key.data) {
                    Ok(rsa) => Self::Rsa {
                        n: strip_zeros(rsa.modulus.as_bytes()),
                        e: strip_zeros(rsa.public_exponent.as_bytes()),
                        der: &spki.subject_public_key.data,
                    },
                    Err(_) => Self::Malformed("RSA"),
                }
            }
            // Explicit parameters (a SEQUENCE where the curve's OID belongs): cert.malformed.
            oids::EC_PUBLIC_KEY
                if spki.algorithm.parameters.as_ref().is_some_and(|p| {
                    p.header.tag() == x509_parser::der_parser::asn1_rs::Tag::Sequence
                }) =>
            {
                Self::Malformed("EC")
            }
            oids::EC_PUBLIC_KEY => {
                let curve = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|p| p.as_oid().ok())
                    .map(|oid| curve_of(&oids::dotted(&oid)))
                    .unwrap_or_else(|| Err("no named curve".to_owned()));
                Self::Ec {
                    curve,
                    point: &spki.subject_public_key.data,
                }
            }
            oids::ED25519 => Self::Ed25519(&spki.subject_public_key.data),
            other => Self::Other(oids::unsupported_key(other)),
        }
    }

    /// The algorithm and size, as summaries show it: `RSA 2048`, `EC P-256`, `Ed25519`.
    pub(crate) fn name(&self) -> String {
        match self {
            Self::Rsa { n, .. } => format!("RSA {}", bit_length(n)),
            Self::Ec {
                curve: Ok(curve), ..
            } => format!("EC {}", curve.name()),
            Self::Ec {
                curve: Err(name), ..
            } => format!("EC ({name})"),
            Self::Ed25519(_) => "Ed25519".to_owned(),
            Self::Malformed(algorithm) => format!("{algorithm} (malformed)"),
            Self::Other(name) => name.clone(),
        }
    }

    /// The key in a sentence: `an RSA 2048 key`, `a key of DSA`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Other(name) => format!("a key of {name}"),
            known => format!("an {} key", known.name()),
        }
    }
}

fn curve_of(oid: &str) -> Result<Curve, String> {
    match oid {
        oids::P256 => Ok(Curve::P256),
        oids::P384 => Ok(Curve::P384),
        oids::P521 => Ok(Curve::P521),
        other => Err(oids::unsupported_key(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_described_in_words() {
        assert_eq!(
            CertPublicKey::Other("DSA".to_owned()).describe(),
            "a key of DSA"
        );
        assert_eq!(CertPublicKey::Ed25519(&[]).describe(), "an Ed25519 key");
        assert_eq!(
            CertPublicKey::Rsa {
                n: &[1, 0],
                e: &[3],
                der: &[]
            }
            .name(),
            "RSA 9"
        );
        assert_eq!(curve_of(oids::P521), Ok(Curve::P521));
        assert_eq!(curve_of("1.3.101.113"), Err("Ed448".to_owned()));
    }
}
