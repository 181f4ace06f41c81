//! Which TLS stacks refuse what: everything certkey knows of the stacks, in two tables.
//!
//! - [`by_check`]: the stacks that refuse every finding of a check (the catalog's
//!   `refused_by`, shown in `docs/CHECKS.md`).
//! - [`Fact::refused_by`]: where stacks differ on what a check found, the check reports a
//!   [`Fact`] ("an EC key without its public key"), and this table says which stacks refuse it.
//!
//! Every entry is measured by the differential harness on the fixtures that show it
//! (`tests/stacks.rs`, `tests/stacks/`, `docs/STACKS.md`): a fixture per fact, named in its
//! comment. Checks name no stack themselves.
//!
//! # Adding a stack
//! 1. A variant in [`Stack`] (`src/stacks.rs`): its id, its family, its words, whether it is
//!    counted by default. A new version or configuration of a library is a stack of its own
//!    (`rustls-aws-lc-rs` next to `rustls-ring`), in its library's family.
//! 2. Its column here: in [`by_check`], the checks it refuses; in [`Fact::refused_by`], the
//!    facts it refuses.
//! 3. Its runner in the harness (`tests/stacks/`), so that `tests/stacks.rs` measures every
//!    fixture against it and fails where these tables say otherwise; then `docs/STACKS.md`
//!    and `docs/CHECKS.md` (`CERTKEY_BLESS=1 cargo test --test catalog_doc`) get its column.
//!
//! No check and no catalog entry changes: checks report facts, not stacks.

use crate::catalog::CheckId;
use crate::member::{Member, MemberKind};
use crate::stacks::{Stack, Stacks};

/// The stacks that refuse every finding of a check; a finding that reports a [`Fact`] names
/// the fact's stacks instead. This is the catalog's [`refused_by`](crate::Check::refused_by),
/// and a check that some stack refuses takes its severity from the counted stacks (unless
/// its catalog entry says `severity: fixed`).
pub(crate) const fn by_check(id: CheckId) -> Stacks {
    use CheckId as C;
    use Stack::{OpenSsl35, OpenSsl40, PythonOpenSsl30, PythonOpenSsl35, RustlsRing};
    match id {
        // Nothing a stack refuses: the input or the auditor itself, lints, what a stack
        // accepts but an operator should know, and the rehearsal's own outcome.
        C::InputUnreadable
        | C::ResponseTooLarge
        | C::ResponseApiError
        | C::FieldDuplicate
        | C::FieldUnknown
        | C::FieldTooLarge
        | C::CaSuppliedDiffers
        | C::PemMultipleBlocks
        | C::PemTrailingData
        | C::CertExpiresSoon
        | C::CertDuplicateSerial
        | C::CertAuthorityInfoAccess
        | C::CertRsaModulus
        | C::KeyShared
        | C::CertShared
        | C::KeyDeepSkipped
        | C::HandshakeOk
        | C::HandshakeSkipped => Stacks::NONE,
        // Every stack: no usable member, or a certificate no verifier accepts.
        C::ResponseMalformed
        | C::ResponseNotABundle
        | C::FieldMissing
        | C::FieldType
        | C::FieldEmpty
        | C::FieldRedacted
        | C::CaAbsent
        | C::PemMalformed
        | C::PemEscapedNewlines
        | C::PemLayout
        | C::PemWrongLabel
        | C::CertMalformed
        | C::CertExpired
        | C::CertNotYetValid
        | C::CertWeakSignature
        | C::ChainUntrusted
        | C::CertCriticalExtension
        | C::ChainUsage => Stacks::ALL,
        C::CertWeakKey => Stacks::union_all(&[
            Stacks::of(&[OpenSsl35, OpenSsl40]),
            Stacks::PYTHON,
            Stacks::GO,
            Stacks::RUSTLS,
            Stacks::PYCA,
        ]),
        C::CertVersion => Stacks::union_all(&[Stacks::PYTHON, Stacks::RUSTLS, Stacks::PYCA]),
        C::CaNotCa | C::CertSan => Stacks::union_all(&[Stacks::PYTHON, Stacks::GO, Stacks::PYCA]),
        C::CaNoCertSign => {
            Stacks::union_all(&[Stacks::OPENSSL, Stacks::PYTHON, Stacks::GO, Stacks::PYCA])
        }
        C::CaKeyIdentifier | C::CertBasicConstraints => Stacks::PYTHON,
        // X509_STRICT from OpenSSL 4.0 on no longer asks these.
        C::CaBasicConstraints | C::CertSubject => Stacks::union_all(&[
            Stacks::of(&[PythonOpenSsl30, PythonOpenSsl35]),
            Stacks::PYCA,
        ]),
        C::CaKeyUsage | C::CertKeyIdentifier | C::CertKeyUsage | C::CertIssuer => {
            Stacks::union_all(&[Stacks::PYTHON, Stacks::PYCA])
        }
        C::CaNotSelfSigned => Stacks::OPENSSL,
        C::CaKeyAlgorithm | C::CertNameConstraints => Stacks::PYCA,
        C::CertSerial => Stacks::union_all(&[Stacks::GO, Stacks::PYCA]),
        // Every stack that loads keys (pyca's verifier loads none).
        C::KeyEncrypted
        | C::KeyPassphraseWrong
        | C::KeyEncryptionUnsupported
        | C::KeyMalformed
        | C::KeyInconsistent
        | C::KeyMismatch
        | C::KeyUnsupported => Stacks::KEY_LOADERS,
        C::KeyNonstandard => Stacks::union_all(&[Stacks::OPENSSL, Stacks::PYTHON, Stacks::RUSTLS]),
        // The rehearsal runs rustls with ring.
        C::HandshakeFailed => Stacks::of(&[RustlsRing]),
    }
}

/// Something a check found that some stacks refuse and others accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fact {
    // PEM text (`pem.layout`, `pem.wrong_label`): each stack's PEM and key loaders.
    /// A byte-order mark before the text (`pem-byte-order-mark`).
    PemByteOrderMark,
    /// CR LF or CR line ends (`pem-cr-line-ends`).
    PemCarriageReturns,
    /// The line breaks after an END line lost.
    PemLineBreaksLostAfterEnd,
    /// Line breaks lost elsewhere, or indented lines (`pem-body-on-one-line`, `pem-body-lines-indented`).
    PemLineBreaksLostOrIndented,
    /// A tab after the BEGIN line (`pem-tab-after-begin`).
    PemTabAfterBegin,
    /// A blank line inside the body (`pem-blank-line-in-body`).
    PemBlankLineInBody,
    /// Blank lines before the body, or line lengths that change after one.
    PemBlankLinesBeforeBody,
    /// RFC 1421 headers in a block that is not encrypted (`pem-header`).
    PemHeader,
    /// Base64 without its `=` padding (`pem-missing-padding`).
    PemMissingPadding,
    /// A PKCS#8 RSA key under the `RSA PRIVATE KEY` label (`key-rsa-pkcs8-under-rsa-label`).
    KeyLabelPkcs8ForRsaKey,
    /// A PKCS#8 EC key under the `EC PRIVATE KEY` label, which aws-lc-rs reads
    /// (`key-ec-pkcs8-under-ec-label`).
    KeyLabelPkcs8ForEcKey,
    /// A key under a label that names another encoding (`key-ec-pkcs8-under-ec-label`).
    KeyLabelOtherEncoding,

    // Keys (`key.nonstandard`, `key.inconsistent`).
    /// A PKCS#8 v2 key, which carries its public key (`key-ed25519-pkcs8-v2`).
    KeyPkcs8V2,
    /// A P-521 key (`key-ec-p521-*`).
    KeyEcP521,
    /// An EC key without the optional public key (`key-ec-p256-sec1-no-public-key`).
    KeyEcWithoutPublicKey,
    /// An RSA key with e ≠ 65537, or primes of unequal length (`key-rsa-e3`,
    /// `key-rsa-unbalanced-primes`).
    KeyRsaNotFips,
    /// An RSA key whose n is not p·q (`key-rsa-wrong-p`).
    KeyRsaModulusNotProduct,
    /// An RSA key whose CRT values (dp, dq, qinv) are wrong (`key-rsa-wrong-dp`,
    /// `key-rsa-wrong-qinv`).
    KeyRsaCrtValues,
    /// An Ed25519 key whose embedded public key its seed does not derive
    /// (`key-ed25519-v2-wrong-public-key`).
    KeyEd25519WrongPublicKey,

    // Certificates' keys (`cert.malformed`, `cert.weak_key`): each stack's SPKI parser.
    /// rsaEncryption without its NULL parameters (`leaf-spki-rsa-params-absent`).
    CertRsaParametersAbsent,
    /// A negative RSA modulus or exponent (`leaf-rsa-modulus-negative`).
    CertRsaNegativeInteger,
    /// An RSA exponent of over 33 bits.
    CertRsaExponentOver33Bits,
    /// Explicit EC parameters instead of a named curve (`cert-ec-explicit-parameters`).
    CertEcExplicitParameters,
    /// An RSA key under 2048 bits.
    CertRsaUnder2048Bits,
    /// An EC key on a curve TLS does not use (`cert-secp256k1`).
    CertEcOtherCurve,

    // Certificates (`cert.version`, `cert.serial`, `cert.san`, `cert.expired`).
    /// An X.509 v1 or v2 certificate without extensions.
    CertVersionBelow3,
    /// An X.509 v1 or v2 certificate that carries extensions (`cert-v1-with-extensions`).
    CertVersionBelow3WithExtensions,
    /// A negative serial number (`cert-serial-negative`).
    CertSerialNegative,
    /// A zero serial, or one of over 20 octets (`cert-serial-zero`, `cert-serial-21-octets`).
    CertSerialUnusual,
    /// A subjectAltName extension with no name, on the source.
    SanEmptyOnClient,
    /// A subjectAltName extension with no name, on a target.
    SanEmptyOnServer,
    /// A target without a DNS name or IP address in its subjectAltName.
    SanNoHostOnServer,
    /// A DNS name with characters outside ASCII (`cert-san-non-ascii`).
    SanDnsNotAscii,
    /// An IP address written as a DNS name, and the other name forms only worth a warning.
    SanUnusual,
    /// A notAfter equal to the audit time, to the second (`cert-not-after-is-audit-time`).
    CertNotAfterIsAuditTime,
    /// A source without a subjectAltName extension (`cert-source-without-san`).
    SanAbsentOnClient,
    /// A later CERTIFICATE block of `ca` that holds no certificate
    /// (`pem-ca-second-block-public-key`).
    LaterBlockNotACertificateInCa,
    /// A later CERTIFICATE block of a leaf's member that holds no certificate
    /// (`pem-target-second-block-truncated`).
    LaterBlockNotACertificateInLeaf,

    // Purpose (`chain.usage`).
    /// A leaf whose extendedKeyUsage has anyExtendedKeyUsage, not its role's purpose
    /// (`usage-source-any-eku`).
    LeafEkuAnyInsteadOfPurpose,
    /// A leaf whose keyUsage has no bit its role can use
    /// (`usage-source-key-usage-encipherment`, `usage-target-key-usage-non-repudiation`).
    LeafKeyUsageNotForRole,
    /// A leaf whose Netscape certificate type lacks its role's SSL bit
    /// (`usage-source-netscape-type-email`, `usage-target-netscape-type-client`).
    LeafNetscapeTypeNotForRole,
    /// A CA whose extendedKeyUsage lacks the role's purpose (`usage-ca-eku-client-only`,
    /// `usage-ca-eku-email-only`).
    CaEkuNotForRole,
    /// A CA whose extendedKeyUsage has anyExtendedKeyUsage, not the role's purpose
    /// (`usage-ca-eku-any`).
    CaEkuAnyInsteadOfPurpose,

    // The chain (`chain.untrusted`).
    /// A CA certificate of over 64 KiB (webpki's limit on a trust anchor).
    CaOverWebpkiSizeLimit,
    /// A CA certificate (cA=TRUE) where a leaf belongs.
    CaCertificateAsLeaf,
    /// A CA that repeats an extension rustls-webpki does not read
    /// (`ca-duplicate-subject-key-identifier`).
    CaRepeatsExtension,
    /// A leaf's common name (when it has no DNS name) or subject emailAddress outside the
    /// CA's name constraints (`names-ca-permits-dns-source-cn-outside`,
    /// `names-ca-excludes-dns-target-cn`, `names-ca-permits-email-source-subject-outside`).
    SubjectOutsideNameConstraints,
    /// A leaf whose issuer equals the CA's subject only as OpenSSL compares names
    /// (`chain-issuer-name-canonically-equal`).
    IssuerNameEqualOnlyCanonically,
    /// A DNS name constraint that is no host name, met by a leaf's DNS names
    /// (`names-ca-permits-dns-leading-period`).
    DnsConstraintNotAHostName,
    /// More names times name constraints than OpenSSL compares
    /// (`names-ca-constraints-times-subject-over-openssl-limit`).
    NameChecksOverOpenSslLimit,
}

impl Fact {
    /// The stacks that refuse what the fact says, as measured.
    pub(crate) const fn refused_by(self) -> Stacks {
        use Stack::{
            Go124, OpenSsl30, OpenSsl35, OpenSsl40, Pyca51, PythonOpenSsl30, PythonOpenSsl35,
            PythonOpenSsl40, RustlsRing,
        };
        match self {
            Self::PemByteOrderMark => Stacks::union_all(&[Stacks::GO, Stacks::RUSTLS]),
            Self::PemCarriageReturns | Self::PemLineBreaksLostAfterEnd => {
                Stacks::union_all(&[Stacks::OPENSSL, Stacks::PYTHON, Stacks::GO])
            }
            Self::PemLineBreaksLostOrIndented => {
                Stacks::union_all(&[Stacks::OPENSSL, Stacks::PYTHON, Stacks::GO, Stacks::RUSTLS])
            }
            Self::PemTabAfterBegin => Stacks::RUSTLS,
            Self::PemBlankLineInBody => {
                Stacks::union_all(&[Stacks::OPENSSL, Stacks::PYTHON, Stacks::PYCA])
            }
            Self::PemBlankLinesBeforeBody => Stacks::union_all(&[Stacks::OPENSSL, Stacks::PYTHON]),
            Self::PemHeader => {
                Stacks::union_all(&[Stacks::OPENSSL, Stacks::PYTHON, Stacks::RUSTLS])
            }
            Self::PemMissingPadding => {
                Stacks::union_all(&[Stacks::OPENSSL, Stacks::PYTHON, Stacks::GO, Stacks::PYCA])
            }
            Self::KeyLabelPkcs8ForRsaKey => Stacks::RUSTLS,
            Self::KeyLabelPkcs8ForEcKey => Stacks::of(&[RustlsRing]),
            Self::KeyLabelOtherEncoding => {
                Stacks::union_all(&[Stacks::OPENSSL, Stacks::PYTHON, Stacks::RUSTLS])
            }
            // OpenSSL reads PKCS#8 v2 (OneAsymmetricKey) from 3.5 on.
            Self::KeyPkcs8V2 => Stacks::of(&[OpenSsl30, PythonOpenSsl30]),
            // ring's key loaders only: aws-lc-rs loads these keys and signs with them.
            Self::KeyEcP521 | Self::KeyEcWithoutPublicKey | Self::KeyRsaNotFips => {
                Stacks::of(&[RustlsRing])
            }
            // Go validates the CRT values from 1.24 on (GODEBUG x509rsacrt=0).
            Self::KeyRsaCrtValues => Stacks::union_all(&[Stacks::of(&[Go124]), Stacks::RUSTLS]),
            Self::KeyEd25519WrongPublicKey => Stacks::RUSTLS,
            Self::KeyRsaModulusNotProduct => Stacks::union_all(&[Stacks::GO, Stacks::RUSTLS]),
            Self::CertRsaParametersAbsent | Self::CertRsaExponentOver33Bits => {
                Stacks::union_all(&[Stacks::GO, Stacks::RUSTLS])
            }
            // OpenSSL's decoder refuses it from 4.0 on (measured on the modulus).
            Self::CertRsaNegativeInteger => Stacks::union_all(&[
                Stacks::of(&[OpenSsl40, PythonOpenSsl40]),
                Stacks::GO,
                Stacks::RUSTLS,
            ]),
            Self::CertEcExplicitParameters => {
                Stacks::union_all(&[Stacks::OPENSSL, Stacks::PYTHON, Stacks::GO, Stacks::RUSTLS])
            }
            // Security level 2: Python's, and OpenSSL's default from 3.2 on.
            Self::CertRsaUnder2048Bits => Stacks::union_all(&[
                Stacks::of(&[OpenSsl35, OpenSsl40]),
                Stacks::PYTHON,
                Stacks::RUSTLS,
            ]),
            Self::CertEcOtherCurve => Stacks::union_all(&[
                Stacks::of(&[OpenSsl35, OpenSsl40]),
                Stacks::PYTHON,
                Stacks::GO,
                Stacks::RUSTLS,
            ]),
            Self::CertVersionBelow3 => Stacks::union_all(&[Stacks::RUSTLS, Stacks::PYCA]),
            Self::CertVersionBelow3WithExtensions => {
                Stacks::union_all(&[Stacks::PYTHON, Stacks::RUSTLS, Stacks::PYCA])
            }
            Self::CertSerialNegative => Stacks::union_all(&[Stacks::GO, Stacks::PYCA]),
            Self::CertSerialUnusual | Self::SanUnusual => Stacks::NONE,
            // pyca's client verifier refuses it from 51 on.
            Self::SanEmptyOnClient => Stacks::union_all(&[Stacks::PYTHON, Stacks::of(&[Pyca51])]),
            Self::SanEmptyOnServer => Stacks::union_all(&[Stacks::PYTHON, Stacks::PYCA]),
            Self::SanNoHostOnServer => Stacks::PYCA,
            Self::SanDnsNotAscii => Stacks::GO,
            // OpenSSL 4.0 counts a certificate valid through its notAfter second.
            Self::CertNotAfterIsAuditTime => {
                Stacks::of(&[OpenSsl30, OpenSsl35, PythonOpenSsl30, PythonOpenSsl35])
            }
            Self::CaOverWebpkiSizeLimit => Stacks::RUSTLS,
            Self::CaCertificateAsLeaf => {
                Stacks::union_all(&[Stacks::PYTHON, Stacks::RUSTLS, Stacks::PYCA])
            }
            Self::SanAbsentOnClient => Stacks::PYCA,
            Self::LaterBlockNotACertificateInCa
            | Self::LeafKeyUsageNotForRole
            | Self::LeafNetscapeTypeNotForRole
            | Self::CaEkuAnyInsteadOfPurpose
            | Self::SubjectOutsideNameConstraints
            | Self::NameChecksOverOpenSslLimit => {
                Stacks::union_all(&[Stacks::OPENSSL, Stacks::PYTHON])
            }
            Self::LaterBlockNotACertificateInLeaf => {
                Stacks::union_all(&[Stacks::OPENSSL, Stacks::PYTHON, Stacks::GO])
            }
            Self::LeafEkuAnyInsteadOfPurpose => Stacks::union_all(&[
                Stacks::OPENSSL,
                Stacks::PYTHON,
                Stacks::RUSTLS,
                Stacks::PYCA,
            ]),
            Self::CaEkuNotForRole => {
                Stacks::union_all(&[Stacks::OPENSSL, Stacks::PYTHON, Stacks::GO, Stacks::PYCA])
            }
            Self::IssuerNameEqualOnlyCanonically => {
                Stacks::union_all(&[Stacks::GO, Stacks::RUSTLS, Stacks::PYCA])
            }
            Self::CaRepeatsExtension => {
                Stacks::union_all(&[Stacks::OPENSSL, Stacks::PYTHON, Stacks::GO, Stacks::PYCA])
            }
            Self::DnsConstraintNotAHostName => Stacks::PYCA,
        }
    }

    /// [`Fact::refused_by`] for a certificate's key in `member`: pyca's verifier too for the
    /// CA's, since pyca judges the algorithm and form of a key only where it verifies a
    /// signature, and in a bundle only the CA's does.
    pub(crate) fn refused_by_key_of(self, member: Member) -> Stacks {
        if member == Member::Ca {
            self.refused_by().union(Stacks::PYCA)
        } else {
            self.refused_by()
        }
    }
}

/// The stacks that judge what a certificate in `member` holds beyond its subject and key:
/// every one, except rustls (either provider) for the `ca` member (webpki takes a trust anchor's subject and
/// key, and nothing else of it: not its validity, its extensions or its profile).
pub(crate) fn judging_certificate(member: Member) -> Stacks {
    if member == Member::Ca {
        Stacks::ALL.without_all(Stacks::RUSTLS)
    } else {
        Stacks::ALL
    }
}

/// The stacks that can refuse what a finding about `member` reports: every stack, but for a
/// private key, those that load keys (pyca's verifier loads none).
pub(crate) fn judging_member(member: Option<Member>) -> Stacks {
    match member {
        Some(member) if member.kind() == MemberKind::PrivateKey => Stacks::KEY_LOADERS,
        _ => Stacks::ALL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CheckId;

    /// The check whose finding reports the fact.
    fn check(fact: Fact) -> CheckId {
        match fact {
            Fact::PemByteOrderMark
            | Fact::PemCarriageReturns
            | Fact::PemLineBreaksLostAfterEnd
            | Fact::PemLineBreaksLostOrIndented
            | Fact::PemTabAfterBegin
            | Fact::PemBlankLineInBody
            | Fact::PemBlankLinesBeforeBody
            | Fact::PemHeader
            | Fact::PemMissingPadding => CheckId::PemLayout,
            Fact::KeyLabelPkcs8ForRsaKey
            | Fact::KeyLabelPkcs8ForEcKey
            | Fact::KeyLabelOtherEncoding => CheckId::PemWrongLabel,
            Fact::KeyPkcs8V2
            | Fact::KeyEcP521
            | Fact::KeyEcWithoutPublicKey
            | Fact::KeyRsaNotFips => CheckId::KeyNonstandard,
            Fact::KeyRsaModulusNotProduct
            | Fact::KeyRsaCrtValues
            | Fact::KeyEd25519WrongPublicKey => CheckId::KeyInconsistent,
            Fact::CertRsaParametersAbsent
            | Fact::CertRsaNegativeInteger
            | Fact::CertRsaExponentOver33Bits
            | Fact::CertEcExplicitParameters
            | Fact::CaOverWebpkiSizeLimit => CheckId::CertMalformed,
            Fact::CertRsaUnder2048Bits | Fact::CertEcOtherCurve => CheckId::CertWeakKey,
            Fact::CertVersionBelow3 | Fact::CertVersionBelow3WithExtensions => CheckId::CertVersion,
            Fact::CertSerialNegative | Fact::CertSerialUnusual => CheckId::CertSerial,
            Fact::SanEmptyOnClient
            | Fact::SanEmptyOnServer
            | Fact::SanNoHostOnServer
            | Fact::SanDnsNotAscii
            | Fact::SanUnusual => CheckId::CertSan,
            Fact::CertNotAfterIsAuditTime => CheckId::CertExpired,
            Fact::SanAbsentOnClient => CheckId::CertSan,
            Fact::LaterBlockNotACertificateInCa
            | Fact::LaterBlockNotACertificateInLeaf
            | Fact::CaRepeatsExtension => CheckId::CertMalformed,
            Fact::LeafEkuAnyInsteadOfPurpose
            | Fact::LeafKeyUsageNotForRole
            | Fact::LeafNetscapeTypeNotForRole
            | Fact::CaEkuNotForRole
            | Fact::CaEkuAnyInsteadOfPurpose => CheckId::ChainUsage,
            Fact::CaCertificateAsLeaf
            | Fact::SubjectOutsideNameConstraints
            | Fact::IssuerNameEqualOnlyCanonically
            | Fact::DnsConstraintNotAHostName
            | Fact::NameChecksOverOpenSslLimit => CheckId::ChainUntrusted,
        }
    }

    /// Every fact, in the order of its declaration.
    const FACTS: [Fact; 50] = [
        Fact::PemByteOrderMark,
        Fact::PemCarriageReturns,
        Fact::PemLineBreaksLostAfterEnd,
        Fact::PemLineBreaksLostOrIndented,
        Fact::PemTabAfterBegin,
        Fact::PemBlankLineInBody,
        Fact::PemBlankLinesBeforeBody,
        Fact::PemHeader,
        Fact::PemMissingPadding,
        Fact::KeyLabelPkcs8ForRsaKey,
        Fact::KeyLabelPkcs8ForEcKey,
        Fact::KeyLabelOtherEncoding,
        Fact::KeyPkcs8V2,
        Fact::KeyEcP521,
        Fact::KeyEcWithoutPublicKey,
        Fact::KeyRsaNotFips,
        Fact::KeyRsaModulusNotProduct,
        Fact::KeyRsaCrtValues,
        Fact::KeyEd25519WrongPublicKey,
        Fact::CertRsaParametersAbsent,
        Fact::CertRsaNegativeInteger,
        Fact::CertRsaExponentOver33Bits,
        Fact::CertEcExplicitParameters,
        Fact::CertRsaUnder2048Bits,
        Fact::CertEcOtherCurve,
        Fact::CertVersionBelow3,
        Fact::CertVersionBelow3WithExtensions,
        Fact::CertSerialNegative,
        Fact::CertSerialUnusual,
        Fact::SanEmptyOnClient,
        Fact::SanEmptyOnServer,
        Fact::SanNoHostOnServer,
        Fact::SanDnsNotAscii,
        Fact::SanUnusual,
        Fact::CertNotAfterIsAuditTime,
        Fact::CaOverWebpkiSizeLimit,
        Fact::CaCertificateAsLeaf,
        Fact::SanAbsentOnClient,
        Fact::LaterBlockNotACertificateInCa,
        Fact::LaterBlockNotACertificateInLeaf,
        Fact::LeafEkuAnyInsteadOfPurpose,
        Fact::LeafKeyUsageNotForRole,
        Fact::LeafNetscapeTypeNotForRole,
        Fact::CaEkuNotForRole,
        Fact::CaEkuAnyInsteadOfPurpose,
        Fact::SubjectOutsideNameConstraints,
        Fact::IssuerNameEqualOnlyCanonically,
        Fact::CaRepeatsExtension,
        Fact::DnsConstraintNotAHostName,
        Fact::NameChecksOverOpenSslLimit,
    ];

    /// A fact's stacks count only within its check's (a finding is refused by the catalog's
    /// stacks narrowed to the fact's): a stack outside them would be an entry without effect.
    /// Facts some stacks refuse are refused by some, not all, of the stacks that judge them.
    #[test]
    fn each_fact_narrows_its_check_s_stacks() {
        for fact in FACTS {
            let check = check(fact).check();
            let stacks = fact.refused_by();
            assert_eq!(
                stacks.intersection(check.refused_by),
                stacks,
                "{fact:?}: {stacks} beyond {}'s {}",
                check.id,
                check.refused_by
            );
            assert_ne!(stacks, Stacks::ALL, "{fact:?} is refused by every stack");
        }
        assert!(Fact::SanUnusual.refused_by().is_empty());
        // pyca judges the key of the CA only, which verifies a signature.
        let weak = Fact::CertRsaUnder2048Bits;
        assert!(!weak.refused_by_key_of(Member::Cert).contains(Stack::Pyca48));
        assert!(weak.refused_by_key_of(Member::Ca).contains(Stack::Pyca48));
        assert_eq!(
            judging_certificate(Member::Ca),
            Stacks::OPENSSL
                .union(Stacks::GO)
                .union(Stacks::PYTHON)
                .union(Stacks::PYCA)
        );
        assert_eq!(judging_certificate(Member::TargetDataCert), Stacks::ALL);
        assert_eq!(
            judging_member(Some(Member::PrivateKey)),
            Stacks::KEY_LOADERS
        );
        assert_eq!(judging_member(Some(Member::Cert)), Stacks::ALL);
        assert_eq!(judging_member(None), Stacks::ALL);
    }
}
