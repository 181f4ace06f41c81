//! The check catalog: every finding id certkey can report, with its metadata.
//!
//! This table is the single source of truth for ids, severities (the default profile's and
//! the `legacy` profile's) and explanations. Findings, `certkey-audit explain` and
//! `docs/CHECKS.md` all read it, so they cannot disagree. Ids are a public contract: they are
//! never renamed, only added.
//!
//! # Adding a check
//!
//! 1. An entry in the `catalog!` table below: the variant, the dotted id (its area first:
//!    `input`, `response`, `field`, `pem`, `key`, `cert`, `ca`, `chain`, `handshake`), the severity
//!    (and `legacy:` if that profile relaxes it), the TLS stacks that refuse what it detects
//!    (measured with `tests/stacks.rs`, never guessed), summary, explanation, source and fix.
//! 2. The finding, made in the module of its area (`src/response/`, `src/pem/`,
//!    `src/keys/`, `src/certs/`, `src/handshake/`), whose header (`//!`) names the id; the
//!    stages are wired in `src/pipeline.rs`.
//! 3. A fixture that produces it, made by `testdata/generate.py` (OpenSSL or Python's
//!    `cryptography`, never certkey), and its row in `testdata/expected.tsv`.
//! 4. `CERTKEY_BLESS=1 cargo test --test catalog_doc` to render `docs/CHECKS.md` again.
//!
//! `tests/fixtures.rs` fails until some fixture produces every id; `tests/catalog_doc.rs`
//! fails while a module's header or `docs/CHECKS.md` is stale.
//!
//! # Adding a stack, or a stack version
//!
//! What each stack refuses is in one module, `src/refusals.rs`: each check's default (its
//! `refused_by` in this catalog, the stacks that refuse every finding of the check) and the
//! facts a check reports where the stacks differ ("an EC key without its public key"). A stack
//! is a variant of `Stack` (`src/stacks.rs`), its column in that module's two tables, and its
//! runner in the differential harness (`tests/stacks/`), which measures every fixture against
//! both; checks and this catalog do not change. `src/refusals.rs` says it step by step.

use core::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::stacks::Stacks;

/// How serious a finding is. A report with any [`Severity::Error`] is not ok.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,
    /// Works today, but is a risk or a smell.
    Warning,
    /// The bundle will not work as it is.
    Error,
}

impl Severity {
    /// The lowercase name used in reports: `error`, `warning` or `info`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How strictly certificate strength and form are judged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Profile {
    /// Weak keys, weak signatures and pre-v3 certificates are errors.
    #[default]
    Strict,
    /// For operators who cannot change what the service issues (older API versions handed
    /// out self-signed RSA-1024 v1 certificates signed with SHA-1): the checks whose
    /// [`Check::legacy_severity`] differs (weak keys, weak signatures, pre-v3 certificates)
    /// become warnings. Everything else is unchanged.
    Legacy,
}

/// One entry of the catalog: a check, its stable id and what a person needs to act on it.
///
/// Serializes with its fields' names (`certkey-audit explain --format json` prints them).
#[derive(Debug, Clone, Copy, Serialize)]
#[non_exhaustive]
pub struct Check {
    /// The stable identifier.
    pub id: CheckId,
    /// The severity a finding of this check has under the default (strict) profile and the
    /// default stacks ([`Stacks::COUNTED_BY_DEFAULT`](crate::Stacks::COUNTED_BY_DEFAULT)).
    pub severity: Severity,
    /// The severity under the `legacy` profile ([`Profile::Legacy`]): the same as
    /// [`severity`](Self::severity) except for the few checks that profile relaxes.
    pub legacy_severity: Severity,
    /// The TLS stacks that refuse what this check detects (a finding may name fewer: see
    /// [`Finding::refused_by`](crate::Finding::refused_by)). Empty for what no stack looks
    /// at: the response's own shape, and risks that work today.
    pub refused_by: Stacks,
    /// Whether the stacks decide the severity: a finding is an error when a stack the
    /// policy counts refuses it ([`Policy::with_stacks`](crate::Policy::with_stacks)), and
    /// else a warning. [`severity`](Self::severity) is then the severity under the default
    /// stacks. True for every check with stacks, except `ca.absent` (the agent may hold the
    /// CA itself).
    pub severity_from_stacks: bool,
    /// One line: what the finding means.
    pub summary: &'static str,
    /// Why it matters, in a few sentences.
    pub explanation: &'static str,
    /// Where the rule comes from (a specification, the API's documentation, …).
    pub source: &'static str,
    /// How to fix what it reports.
    pub fix: &'static str,
}

/// The legacy column: the severity given after `legacy:`, or else the default one.
macro_rules! legacy_or {
    ($default:ident) => {
        Severity::$default
    };
    ($default:ident $legacy:ident) => {
        Severity::$legacy
    };
}

/// Whether the stacks decide the severity: when some stack refuses, unless the entry says
/// `severity: fixed`.
macro_rules! from_stacks {
    ($id:expr) => {
        !crate::refusals::by_check($id).is_empty()
    };
    ($id:expr, fixed) => {
        false
    };
}

macro_rules! catalog {
    ($(
        $variant:ident = $id:literal, $severity:ident $(, legacy: $legacy:ident)?,
        $(severity: $fixed:ident,)?
        summary: $summary:literal,
        explanation: $explanation:literal,
        source: $source:literal,
        fix: $fix:literal;
    )*) => {
        /// The stable id of a check, such as `key.mismatch`.
        ///
        /// Its string form ([`CheckId::as_str`]) is what reports, agents and CI pipelines match on.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum CheckId {
            $(
                #[doc = concat!("`", $id, "`: ", $summary)]
                $variant,
            )*
        }

        impl CheckId {
            /// The dotted id, e.g. `"pem.wrong_label"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $id,)*
                }
            }
        }

        /// Every check certkey performs, in catalog order.
        pub static CATALOG: &[Check] = &[
            $(
                Check {
                    id: CheckId::$variant,
                    severity: Severity::$severity,
                    legacy_severity: legacy_or!($severity $($legacy)?),
                    refused_by: crate::refusals::by_check(CheckId::$variant),
                    severity_from_stacks: from_stacks!(CheckId::$variant $(, $fixed)?),
                    summary: $summary,
                    explanation: $explanation,
                    source: $source,
                    fix: $fix,
                },
            )*
        ];
    };
}

impl Check {
    /// The severity of this check's findings under `profile` (the `legacy` profile is the
    /// one place a check's severity depends on the policy).
    pub const fn severity_under(&self, profile: Profile) -> Severity {
        match profile {
            Profile::Strict => self.severity,
            Profile::Legacy => self.legacy_severity,
        }
    }
}

impl CheckId {
    /// The catalog entry of this id.
    pub fn check(self) -> &'static Check {
        // The enum and the table are generated from one list, in the same order.
        &CATALOG[self as usize]
    }

    /// Looks an id up by its dotted name.
    ///
    /// ```
    /// use certkey::CheckId;
    /// assert_eq!(CheckId::from_name("field.missing"), Some(CheckId::FieldMissing));
    /// assert_eq!(CheckId::from_name("no.such_id"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        CATALOG.iter().map(|c| c.id).find(|id| id.as_str() == name)
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CheckId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Reads an id by its dotted name, in any ASCII case, as the command line's `--allow` and
/// `explain` take it.
///
/// ```
/// use certkey::CheckId;
/// let id: CheckId = "Key.Mismatch".parse().unwrap();
/// assert_eq!(id, CheckId::KeyMismatch);
/// let err = "key.missmatch".parse::<CheckId>().unwrap_err();
/// assert_eq!(err.to_string(), "unknown check id `key.missmatch`");
/// ```
impl core::str::FromStr for CheckId {
    type Err = ParseCheckIdError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        CATALOG
            .iter()
            .map(|c| c.id)
            .find(|id| id.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| ParseCheckIdError(crate::quote(name, 60)))
    }
}

/// A name that is no check id of the [`CATALOG`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseCheckIdError(String);

impl fmt::Display for ParseCheckIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown check id `{}`", self.0)
    }
}

impl std::error::Error for ParseCheckIdError {}

/// Reads an id by its exact dotted name, as reports write it.
impl<'de> Deserialize<'de> for CheckId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(ParseCheckIdError(crate::quote(&name, 60))))
    }
}

catalog! {
    InputUnreadable = "input.unreadable", Error,
        summary: "the input could not be read",
        explanation: "A file named as an input is missing, a dangling link or not readable (permission denied, an I/O error); a *.json found in a folder is not a regular file (a FIFO, a device, a socket, or a folder when the walk does not descend: never opened for reading); or a folder named as an input cannot be listed. Nothing in it was audited, so nothing in it can be relied on: it fails like any other input, as a record of its own, so that a pipeline counting records or reading verdicts cannot miss it.",
        source: "certkey policy",
        fix: "Check the path and its permissions, and that whatever saves the response has finished writing it; the message gives the operating system's reason.";
    ResponseTooLarge = "response.too_large", Error,
        summary: "the input is larger than the size cap",
        explanation: "A certkey response holds seven members of at most 1,048,576 characters each, so a genuine one is well under the cap (16 MiB by default). Larger input is refused before any parsing, so that a hostile or runaway download cannot make the auditor allocate or work in proportion to it.",
        source: "certkey policy; the API's member limits (GET /v3/tasks/{task_id}/certkey)",
        fix: "Check that the file is the certkey response itself and not a concatenation or an archive; raise the cap only if you know why the response is that large.";
    ResponseMalformed = "response.malformed", Error,
        summary: "the input is not a JSON object",
        explanation: "The response must be one JSON object (RFC 8259) in UTF-8. Invalid JSON or UTF-8, a truncated download, another top-level type or nesting deeper than the auditor accepts all make it unusable: an agent cannot read its certificates.",
        source: "RFC 8259; the API's response schema",
        fix: "Download the response again and save the body unmodified (no shell quoting, no re-encoding, no added text).";
    ResponseNotABundle = "response.not_a_bundle", Error,
        summary: "the JSON object holds none of a response's members",
        explanation: "A certkey response is an object with the members cert, private_key, target_mgmt_cert, target_mgmt_private_key, target_data_cert, target_data_private_key and, with enable_ca_cert=true, ca; or an error body. An object with none of them (empty, another API's answer, or the bundle wrapped under another key by whatever saved it) gives an agent nothing to connect with. It is one finding naming what the object holds, not a missing member for each.",
        source: "the API's response schema",
        fix: "Pass the certkey response itself, as the API returns it: if the bundle is wrapped under another key, the object under that key.";
    ResponseApiError = "response.api_error", Error,
        summary: "the body is one of the API's error responses",
        explanation: "The service answered with an error body (error_code, error_msg and, for 403, encoded_authorization_message, error_param and details) instead of the certificates. The agent has nothing to connect with until the cause is fixed.",
        source: "the API's error responses for status 400, 401, 403, 404 and 500",
        fix: "Act on the quoted error code and message (permissions, token, task id), then download the certkey response again.";
    FieldDuplicate = "field.duplicate", Error,
        summary: "a member name appears more than once",
        explanation: "RFC 8259 leaves duplicate names undefined: some parsers keep the first copy, others the last. The auditor and the agent could then look at different certificates or keys.",
        source: "RFC 8259 section 4; RFC 7493 (I-JSON) section 2.3",
        fix: "Keep exactly one copy of the member; find out what produced the second one.";
    FieldUnknown = "field.unknown", Info,
        summary: "a member the API does not document",
        explanation: "The documented members are ca, cert, private_key, target_mgmt_cert, target_mgmt_private_key, target_data_cert and target_data_private_key. Others are tolerated for forward compatibility and ignored.",
        source: "the API's response schema",
        fix: "Nothing to do, unless the name is a misspelling of a documented member.";
    FieldMissing = "field.missing", Error,
        summary: "one of the six role members is absent",
        explanation: "The source identity (cert, private_key) and both target identities (target_mgmt_cert, target_mgmt_private_key, target_data_cert, target_data_private_key) are all needed for the mutual-TLS connection.",
        source: "the API's response schema",
        fix: "Download the response again; if the member is still absent, the task may not be set up for block-level migration.";
    FieldType = "field.type", Error,
        summary: "a member is not a string",
        explanation: "Every documented member is a string of PEM text; null, numbers, booleans, arrays and objects cannot hold a certificate or a key.",
        source: "the API's response schema",
        fix: "Download the response again and save it unmodified.";
    FieldEmpty = "field.empty", Error,
        summary: "a member is the empty string",
        explanation: "The API documents a minimum length of 1 for every member; an empty one holds no certificate or key.",
        source: "the API's response schema (Minimum: 1)",
        fix: "Download the response again.";
    FieldTooLarge = "field.too_large", Error,
        summary: "a member is longer than 1,048,576 characters",
        explanation: "The API documents a maximum of 1,048,576 characters for every member; exactly 1,048,576 is allowed. Longer text did not come from the service as documented.",
        source: "the API's response schema (Maximum: 1048576)",
        fix: "Check what added to the member; download the response again.";
    FieldRedacted = "field.redacted", Error,
        summary: "the member is the documentation's placeholder, not data",
        explanation: "The API's documentation shows each member as a PEM block of asterisks. A response holding that placeholder was copied from the documentation or redacted, and has no certificate or key in it.",
        source: "the API's example response",
        fix: "Use the real response downloaded for the task.";
    CaAbsent = "ca.absent", Warning,
        severity: fixed,
        summary: "the response has no ca member; chain checks are skipped",
        explanation: "The API includes the CA certificate only when called with enable_ca_cert=true. Without it, nothing can show that the three leaves were issued by the CA both ends will trust.",
        source: "the API's query parameter enable_ca_cert",
        fix: "Download the response with enable_ca_cert=true, or supply the CA to the auditor.";
    CaSuppliedDiffers = "ca.supplied_differs", Warning,
        summary: "a CA was supplied, and the response has a different ca of its own",
        explanation: "The response's own ca member is what the agent receives, so it is the one audited, and the CA supplied to the auditor (the `ca_pem` option) is ignored. That the two differ means one of them is not this task's CA: whatever was concluded with the supplied one says nothing about this response.",
        source: "certkey policy",
        fix: "Supply a CA only for responses without their own (downloaded without enable_ca_cert=true), or find out which of the two is this task's CA.";
    PemMalformed = "pem.malformed", Error,
        summary: "no complete PEM block, bad base64, or BEGIN/END labels that disagree",
        explanation: "Each member must hold PEM text (RFC 7468): a BEGIN line, base64 lines and a matching END line. A missing END line usually means a truncated download.",
        source: "RFC 7468",
        fix: "Download the response again and save it unmodified.";
    PemEscapedNewlines = "pem.escaped_newlines", Error,
        summary: "the PEM text holds literal \\n sequences instead of line breaks",
        explanation: "The member's text contains backslash-n where line breaks belong: the JSON was escaped twice (for example a JSON string embedded in another JSON string, or a shell that re-quoted it). PEM readers reject such text.",
        source: "RFC 8259 (string escapes); RFC 7468",
        fix: "Decode the JSON once more, or save the body as the service sent it. The auditor checks the repaired text too, so the other findings still apply.";
    PemLayout = "pem.layout", Error,
        summary: "PEM text certkey can read but some TLS stacks' loaders refuse: indented or run-together lines, blank lines in the body, a byte-order mark, CR line ends, headers, missing padding",
        explanation: "The PEM readers of the stacks differ. OpenSSL (and so Python's ssl) wants BEGIN and END in the first column, no blank line inside the base64 and no header but legacy encryption's; Go's encoding/pem wants BEGIN and END at the start of a line, the base64 padded, and no byte-order mark; rustls-pki-types refuses headers, a byte-order mark and a tab after BEGIN; pyca cuts a certificate in two at a blank line. Each mistake of copying PEM text (the line breaks lost or replaced by spaces, doubled, indented by YAML or a here-document) is named, certkey reads past it to check what the text holds, and the message names the stacks whose loaders refuse it: the agent or target built on them fails to load the member before any handshake.",
        source: "RFC 7468; OpenSSL crypto/pem/pem_lib.c; Go encoding/pem; rustls-pki-types src/pem.rs; the pem crate (pyca); measured by tests/stacks.rs",
        fix: "Restore the text as the service sent it: the BEGIN line, the base64 in lines of 64 characters and the END line, each starting in the first column, with no blank lines, headers or indentation.";
    PemWrongLabel = "pem.wrong_label", Error,
        summary: "the block type does not fit the member, or a key's label does not fit its encoding",
        explanation: "Certificate members (cert, target_mgmt_cert, target_data_cert, ca) must hold a CERTIFICATE block; key members a private key (RSA PRIVATE KEY, PRIVATE KEY or EC PRIVATE KEY). Anything else means members were swapped or mixed up. A key under a label that does not fit its encoding (a PKCS#8 key labelled RSA PRIVATE KEY, a PKCS#1 key labelled PRIVATE KEY) is read by its content, and the message names the stacks that read keys by their label: rustls always (but aws-lc-rs reads a PKCS#8 EC key under EC PRIVATE KEY), OpenSSL's TLS loader (and Python's) unless the label names the key's algorithm and the body is PKCS#8; Go reads any of them.",
        source: "RFC 7468 (labels); OpenSSL's PEM_read_bio_PrivateKey; Go crypto/tls X509KeyPair; rustls-pki-types",
        fix: "Put each certificate and key in its own member, as the service returns them; give a key the label of its encoding (PKCS#1: RSA PRIVATE KEY, PKCS#8: PRIVATE KEY, SEC1: EC PRIVATE KEY).";
    PemMultipleBlocks = "pem.multiple_blocks", Warning,
        summary: "more than one PEM block in a member",
        explanation: "In a certificate member the first block is taken as the certificate and the rest are ignored (a warning). In a key member it is an error: the agent cannot know which key to use. One block pasted twice is a warning in either: every loader takes the first copy.",
        source: "RFC 7468; the API's response schema",
        fix: "Keep one block per member: the leaf certificate, or its one private key.";
    PemTrailingData = "pem.trailing_data", Warning,
        summary: "text outside the PEM blocks",
        explanation: "RFC 7468 lets parsers ignore text around blocks, and most do, but text there usually means something was pasted or logged into the member.",
        source: "RFC 7468 section 5",
        fix: "Remove the text around the block.";
    CertMalformed = "cert.malformed", Error,
        summary: "the certificate, or a part of it, is not what strict X.509 readers accept",
        explanation: "The CERTIFICATE block decodes, but its bytes are not one well-formed X.509 certificate (RFC 5280), or a part TLS stacks read strictly is not: a public key that is not DER (a negative RSA modulus, rsaEncryption without NULL parameters, an RSA exponent ring refuses), an extension whose value does not parse, or, for the CA, anything rustls-webpki cannot read as a trust anchor (a repeated extension, over 64 KiB). Lenient readers may take such a certificate; rustls, Go or OpenSSL refuse it, and the message says which part.",
        source: "RFC 5280; RFC 3279 (RSA keys); rustls-webpki",
        fix: "Download the response again; if it persists, the service issued a broken certificate.";
    CertExpired = "cert.expired", Error,
        summary: "notAfter is before the audit time",
        explanation: "An expired certificate is refused by every TLS stack: the handshake fails as soon as the peer checks it. rustls alone does not look at the dates of its trust anchor (the ca member); OpenSSL, Go and pyca refuse every chain to an expired CA.",
        source: "RFC 5280 section 4.1.2.5",
        fix: "Download a fresh certkey response for the task.";
    CertNotYetValid = "cert.not_yet_valid", Error,
        summary: "notBefore is after the audit time",
        explanation: "A certificate is refused until its notBefore. A notBefore a few hours or minutes after the audit time almost always means clock skew between the source server and the service that issued the certificate.",
        source: "RFC 5280 section 4.1.2.5",
        fix: "Check the clocks (NTP) of the source server and of the machine running the audit; wait until notBefore if the clocks are right.";
    CertExpiresSoon = "cert.expires_soon", Warning,
        summary: "notAfter falls within the warning window",
        explanation: "The certificate is valid now but expires within the warning window after the audit time (30 days by default, as cfssl and certigo warn): a long migration may outlive it.",
        source: "certkey policy; cfssl and certigo defaults",
        fix: "Make sure the migration finishes before notAfter, or download a fresh response nearer the time.";
    CertWeakKey = "cert.weak_key", Error, legacy: Warning,
        summary: "an RSA key under 2048 bits, or an EC curve other than P-256, P-384, P-521",
        explanation: "Current TLS stacks refuse RSA keys under 2048 bits: rustls, and OpenSSL at security level 2, its default from 3.2 on and Python's setting; OpenSSL 3.0 as shipped (level 1) and Go accept them. Most support only the NIST curves P-256, P-384 and P-521. The `legacy` profile makes this a warning.",
        source: "NIST SP 800-131A; CA/Browser Forum Baseline Requirements section 6.1.5",
        fix: "The service must issue RSA-2048 (or larger) or P-256/P-384 keys; with the legacy profile, accept the risk knowingly.";
    CertWeakSignature = "cert.weak_signature", Error, legacy: Warning,
        summary: "signed with MD5 or SHA-1, or with an algorithm that cannot be identified",
        explanation: "MD5 and SHA-1 signatures are forgeable (chosen-prefix collisions) and refused by current TLS stacks. A weak signature that the CA did make is reported as this finding, not as chain.untrusted. A self-signed CA's own signature is never checked, so it is not judged. The `legacy` profile makes this a warning.",
        source: "RFC 9155 (SHA-1 in TLS 1.2); RFC 6151 (MD5); CA/Browser Forum Baseline Requirements section 7.1.3",
        fix: "The service must sign with SHA-256 or better; with the legacy profile, accept the risk knowingly.";
    CertVersion = "cert.version", Error, legacy: Warning,
        summary: "not an X.509 v3 certificate",
        explanation: "v1 and v2 certificates carry no extensions, so nothing says whether they may act as a CA or for which purpose. rustls (webpki) and pyca's verifier refuse them; OpenSSL with X509_STRICT (Python 3.13's default) refuses one that carries extensions anyway, which only v3 may. RFC 5280 lets a trust anchor be v1. The `legacy` profile makes this a warning.",
        source: "RFC 5280 section 4.1.2.1",
        fix: "The service must issue v3 certificates; with the legacy profile, accept the risk knowingly.";
    CertDuplicateSerial = "cert.duplicate_serial", Error,
        summary: "two different certificates share issuer and serial number",
        explanation: "An issuer must give every certificate a unique serial number. Two different certificates with the same issuer and serial confuse revocation and some TLS stacks (NSS refuses them outright).",
        source: "RFC 5280 section 4.1.2.2",
        fix: "The service must issue certificates with unique serial numbers; download the response again.";
    CaNotCa = "ca.not_ca", Error,
        summary: "a v3 CA certificate without basicConstraints cA=TRUE",
        explanation: "A v3 certificate may issue certificates only when its basicConstraints extension says cA=TRUE; TLS stacks refuse a chain through anything else, except rustls, which takes a trust anchor's subject and key and nothing else of it. A v1 CA has no extensions at all; RFC 5280 lets a trust anchor be v1, which is cert.version, not this.",
        source: "RFC 5280 sections 4.2.1.9 and 6.1.4",
        fix: "Check that the ca member holds the CA certificate and not a leaf; otherwise the service must issue a proper CA.";
    CaNoCertSign = "ca.no_cert_sign", Error,
        summary: "the CA's keyUsage is present without keyCertSign",
        explanation: "When a CA certificate has a keyUsage extension, it must include keyCertSign for the CA to sign certificates. OpenSSL, Go and pyca refuse every chain to such a CA; rustls does not look at a trust anchor's extensions.",
        source: "RFC 5280 section 4.2.1.3",
        fix: "The service must issue a CA certificate whose keyUsage includes keyCertSign.";
    CaKeyIdentifier = "ca.key_identifier", Error,
        summary: "the CA certificate has no subjectKeyIdentifier",
        explanation: "RFC 5280 requires a subjectKeyIdentifier in every CA certificate, so that the certificates it issues can name its key. OpenSSL checks it under X509_V_FLAG_X509_STRICT, which Python 3.13's ssl.create_default_context() sets: a Python agent or target refuses every chain to such a CA.",
        source: "RFC 5280 section 4.2.1.2; OpenSSL crypto/x509/x509_vfy.c (check_extensions, X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER)",
        fix: "The service must issue a CA certificate with a subjectKeyIdentifier (the SHA-1 of its public key, RFC 5280's method 1).";
    CaBasicConstraints = "ca.basic_constraints", Error,
        summary: "the CA certificate's basicConstraints is not critical",
        explanation: "RFC 5280 requires a CA certificate's basicConstraints to be marked critical, so that a validator that does not understand it refuses the certificate instead of trusting it as a CA. OpenSSL 3 checks it under X509_V_FLAG_X509_STRICT, which Python 3.13's ssl.create_default_context() sets, and pyca's verifier always does: both refuse every chain to such a CA. OpenSSL 4.0's X509_STRICT no longer checks it. Go, rustls and OpenSSL as shipped accept it.",
        source: "RFC 5280 section 4.2.1.9; OpenSSL 3.0 crypto/x509/x509_vfy.c (X509_V_ERR_CA_BCONS_NOT_CRITICAL)",
        fix: "The service must issue a CA certificate whose basicConstraints (cA TRUE) is critical.";
    CaKeyUsage = "ca.key_usage", Error,
        summary: "the CA certificate has no keyUsage",
        explanation: "RFC 5280 requires a keyUsage (with keyCertSign) in a CA certificate whose key verifies certificate signatures. OpenSSL checks it under X509_V_FLAG_X509_STRICT, which Python 3.13's ssl.create_default_context() sets, and pyca's verifier always does: both refuse every chain to such a CA. Go and rustls accept it.",
        source: "RFC 5280 section 4.2.1.3; OpenSSL crypto/x509/x509_vfy.c (check_extensions, X509_V_ERR_CA_CERT_MISSING_KEY_USAGE)",
        fix: "The service must issue a CA certificate with a critical keyUsage of keyCertSign (and cRLSign).";
    CaNotSelfSigned = "ca.not_self_signed", Error,
        summary: "the CA is not self-signed",
        explanation: "The ca member is used as the trust anchor whatever it is; a CA that is not self-signed is an intermediate, and the root above it is not in the response. OpenSSL as shipped builds a chain up to a self-signed root and refuses this one (unable to get issuer certificate) unless the program sets X509_V_FLAG_PARTIAL_CHAIN, as Python 3.13 does; Go, rustls and pyca trust the CA as it is.",
        source: "RFC 5280 section 6.1 (trust anchors); OpenSSL crypto/x509/x509_vfy.c (X509_V_FLAG_PARTIAL_CHAIN)",
        fix: "The service must return its self-signed root as ca; or, when no agent or target runs OpenSSL without partial chains, leave OpenSSL out of the counted stacks (the `stacks` option set to `python,go,rustls`).";
    CaKeyAlgorithm = "ca.key_algorithm", Warning,
        summary: "the CA's key is of an algorithm some TLS stacks do not verify with (Ed25519)",
        explanation: "pyca's verifier follows the CA/Browser Forum profile, which allows RSA and ECDSA (P-256, P-384, P-521) keys only, and checks the algorithm of every key that verifies a signature: it refuses every chain to an Ed25519 CA. OpenSSL, Go and rustls verify Ed25519 signatures, so with the default stacks this is a warning.",
        source: "CA/Browser Forum Baseline Requirements 6.1.5; pyca/cryptography src/rust/cryptography-x509-verification (permitted public key algorithms)",
        fix: "Nothing to do unless a peer runs pyca's verifier; otherwise the service must issue an RSA or ECDSA CA.";
    ChainUntrusted = "chain.untrusted", Error,
        summary: "the leaf does not verify to the CA",
        explanation: "Each of cert, target_mgmt_cert and target_data_cert must be issued (signed) by the ca certificate, or the other end refuses it. The message gives the verifier's reason in words: another issuer, another key under the CA's name, a CA certificate in a leaf's place, or an algorithm nothing can verify. A weak but valid signature by the CA is cert.weak_signature instead, and expiry is cert.expired.",
        source: "RFC 5280 section 6 (path validation); rustls-webpki",
        fix: "Download the response again; ca and the leaves must come from the same task.";
    CertKeyIdentifier = "cert.key_identifier", Error,
        summary: "a leaf certificate has no authorityKeyIdentifier",
        explanation: "RFC 5280 requires an authorityKeyIdentifier in every certificate a CA issues (self-signed ones excepted), naming the key that signed it. OpenSSL checks it under X509_V_FLAG_X509_STRICT, which Python 3.13's ssl.create_default_context() sets, and pyca's verifier always does: both refuse such a leaf.",
        source: "RFC 5280 section 4.2.1.1; OpenSSL crypto/x509/x509_vfy.c (check_extensions, X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER)",
        fix: "The service must issue leaf certificates with an authorityKeyIdentifier naming the CA's key (its subjectKeyIdentifier).";
    CertKeyUsage = "cert.key_usage", Error,
        summary: "a leaf's keyUsage asserts keyCertSign although the certificate is no CA",
        explanation: "RFC 5280 allows keyCertSign only in a certificate whose basicConstraints says cA. OpenSSL checks it under X509_V_FLAG_X509_STRICT, which Python 3.13's ssl.create_default_context() sets, and pyca's verifier always does: both refuse such a leaf. Go and rustls accept it.",
        source: "RFC 5280 section 4.2.1.3; OpenSSL crypto/x509/x509_vfy.c (check_extensions, X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA)",
        fix: "The service must issue leaf certificates whose keyUsage is digitalSignature (and keyEncipherment for RSA), without keyCertSign.";
    CertSan = "cert.san", Error,
        summary: "a leaf's subjectAltName is missing, empty, or holds a DNS name that is no host name",
        explanation: "A TLS client that checks the server's name matches it against the subjectAltName only (RFC 6125; Go since 1.15, rustls, pyca and OpenSSL's host checks ignore the common name). What each stack refuses differs, and the finding names them: a target with no DNS name or IP address at all, pyca's server verifier (which always checks a name); an empty subjectAltName extension, OpenSSL with X509_STRICT, and pyca's client verifier from 51 on for the source; a DNS name with bytes outside ASCII, Go. A DNS name that is an IP address or holds an underscore, and a common name that is not among the names exactly (or only in another case, or as an IP address written another way), break the profile (RFC 5280, the CA/Browser Forum) but no stack modelled refuses them: warnings.",
        source: "RFC 5280 section 4.2.1.6; RFC 1034 section 3.5; RFC 6125 section 6.4.4; CA/Browser Forum Baseline Requirements 7.1.2.7.12 and 7.1.4.3; OpenSSL crypto/x509/x509_vfy.c (X509_V_ERR_EMPTY_SUBJECT_ALT_NAME); Go crypto/x509 parser.go",
        fix: "The service must issue leaf certificates whose subjectAltName holds the host's DNS name (letters, digits, hyphens) or its IP address as an IP address, with the common name among them.";
    CertSubject = "cert.subject", Error,
        summary: "a certificate has an empty subject and no critical subjectAltName",
        explanation: "A certificate may leave its subject empty only if its subjectAltName names it and is marked critical. OpenSSL 3 checks it under X509_V_FLAG_X509_STRICT, which Python 3.13's ssl.create_default_context() sets, and pyca's verifier always does: both refuse it. OpenSSL 4.0's X509_STRICT no longer checks it.",
        source: "RFC 5280 section 4.1.2.6 and 4.2.1.6; OpenSSL crypto/x509/x509_vfy.c (X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL)",
        fix: "The service must issue certificates with a subject name (or a critical subjectAltName).";
    CertIssuer = "cert.issuer", Error,
        summary: "a certificate's issuer name is empty",
        explanation: "RFC 5280 requires the issuer field to hold a non-empty name; a CA with an empty subject issues certificates with an empty issuer. OpenSSL checks it under X509_V_FLAG_X509_STRICT, which Python 3.13's ssl.create_default_context() sets, and pyca's verifier always does: both refuse it. Go, rustls and OpenSSL as shipped match the empty names and accept it.",
        source: "RFC 5280 section 4.1.2.4; OpenSSL crypto/x509/x509_vfy.c (X509_V_ERR_ISSUER_NAME_EMPTY)",
        fix: "The service must issue its CA with a subject name (say, its organization and a common name).";
    CertCriticalExtension = "cert.critical_extension", Error,
        summary: "a certificate has a critical extension the TLS stacks do not process",
        explanation: "A validator must refuse a certificate with a critical extension it does not process (RFC 5280 section 4.2). The stacks process basicConstraints, keyUsage, extendedKeyUsage, subjectAltName and nameConstraints; OpenSSL and Go also the policy extensions, which certkey leaves to the chain check. RFC 5280 forbids marking authorityKeyIdentifier or subjectKeyIdentifier critical, and OpenSSL, Go, rustls and pyca refuse them so. In the ca certificate, rustls does not look: webpki uses a trust anchor's subject and key only.",
        source: "RFC 5280 section 4.2, 4.2.1.1 and 4.2.1.2; OpenSSL crypto/x509/v3_purp.c (X509_supported_extension); Go crypto/x509 (UnhandledCriticalExtension); rustls-webpki (UnsupportedCriticalExtension)",
        fix: "The service must issue certificates whose critical extensions are only those TLS stacks process, and whose key identifiers are not critical.";
    CertSerial = "cert.serial", Error,
        summary: "a serial number that is not positive, or longer than 20 octets",
        explanation: "RFC 5280 requires a positive serial number of at most 20 octets. Go (since 1.23) and pyca's verifier refuse a negative one; a zero or longer one breaks the profile, but no stack modelled refuses it: a warning.",
        source: "RFC 5280 section 4.1.2.2; Go crypto/x509 (x509negativeserial)",
        fix: "The service must issue serial numbers of 1 to 20 octets that are positive (for example 159 random bits).";
    CertBasicConstraints = "cert.basic_constraints", Error,
        summary: "a certificate that is no CA has a pathLenConstraint",
        explanation: "RFC 5280 allows a pathLenConstraint only when cA is TRUE. OpenSSL checks it under X509_V_FLAG_X509_STRICT, which Python 3.13's ssl.create_default_context() sets: a Python agent or target refuses such a certificate.",
        source: "RFC 5280 section 4.2.1.9; OpenSSL crypto/x509/x509_vfy.c (X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA)",
        fix: "The service must issue leaf certificates whose basicConstraints has no pathLenConstraint.";
    CertNameConstraints = "cert.name_constraints", Warning,
        summary: "a certificate that is no CA has nameConstraints",
        explanation: "nameConstraints belong in CA certificates only (RFC 5280 section 4.2.1.10). pyca's verifier refuses a leaf that has them; OpenSSL, Go and rustls ignore them in a leaf, so by default this is a warning.",
        source: "RFC 5280 section 4.2.1.10",
        fix: "The service must issue leaf certificates without nameConstraints.";
    CertAuthorityInfoAccess = "cert.authority_info_access", Warning,
        summary: "an authorityInfoAccess extension that lists no access method",
        explanation: "RFC 5280 defines authorityInfoAccess as a SEQUENCE of one or more access descriptions; an empty one is malformed, and profile linters flag it. No stack modelled refuses it.",
        source: "RFC 5280 section 4.2.2.1",
        fix: "The service must leave the extension out, or list the CA's issuer or OCSP address in it.";
    CertRsaModulus = "cert.rsa_modulus", Warning,
        summary: "an RSA modulus whose length is not a multiple of 8 bits",
        explanation: "Key generators make RSA moduli of whole bytes (2048, 3072, 4096 bits); another length is harmless to the TLS stacks modelled, which accept it, but it is a sign of a hand-made or unusual key, and the CA/Browser Forum requires the modulus size in bits to be divisible by 8.",
        source: "CA/Browser Forum Baseline Requirements 6.1.5",
        fix: "The service must issue RSA keys of 2048, 3072 or 4096 bits.";
    ChainUsage = "chain.usage", Error,
        summary: "a certificate of a leaf's chain may not be used for the role's TLS purpose",
        explanation: "The source certificate is used by the TLS client, the target certificates by TLS servers. A leaf's extendedKeyUsage, when present, must list clientAuth or serverAuth: every stack refuses a certificate used outside it (only Go takes anyExtendedKeyUsage instead). OpenSSL's purpose check, which Python's ssl runs too, asks more: the leaf's keyUsage must allow the role (digitalSignature or keyAgreement for a client; digitalSignature, keyEncipherment or keyAgreement for a server), its Netscape certificate type, when present, the role's SSL bit, and every certificate of the chain, the CA included, the purpose in its extendedKeyUsage (anyExtendedKeyUsage does not do). Go and pyca check the CA's extendedKeyUsage too; rustls takes nothing of a trust anchor but its subject and key. The finding names the stacks that refuse what it found.",
        source: "RFC 5280 sections 4.2.1.3 and 4.2.1.12; OpenSSL crypto/x509/v3_purp.c (check_purpose_ssl_client, check_purpose_ssl_server); Go crypto/x509 verify.go (checkChainForKeyUsage)",
        fix: "The service must issue leaves whose extendedKeyUsage lists the role's purpose and whose keyUsage allows it (digitalSignature), and a CA without an extendedKeyUsage or with one that lists both serverAuth and clientAuth.";
    KeyEncrypted = "key.encrypted", Error,
        summary: "the private key is encrypted and no passphrase was given",
        explanation: "The key arrives as ENCRYPTED PRIVATE KEY (PKCS#8) or with a Proc-Type: 4,ENCRYPTED header. It cannot be checked against its certificate without the passphrase, and the agent needs it too.",
        source: "RFC 5958; RFC 1421 (legacy PEM encryption)",
        fix: "Get the task's passphrase (GET /v3/tasks/{task_id}/passphrase) and give it to the auditor with the `passphrase` option.";
    KeyPassphraseWrong = "key.passphrase_wrong", Error,
        summary: "a passphrase was given and does not decrypt the key",
        explanation: "Decrypting the key with the passphrase given left invalid padding, or bytes that are not a private key. Either the passphrase is not this task's, or the encrypted key is damaged: the two cannot be told apart, by design of the encryption. Nothing about the key or the passphrase is revealed.",
        source: "RFC 8018 (PBES2); RFC 1421 and OpenSSL's PEM encryption",
        fix: "Fetch the passphrase of the same task (GET /v3/tasks/{task_id}/passphrase) and try again; if it persists, download the certkey response again.";
    KeyEncryptionUnsupported = "key.encryption_unsupported", Error,
        summary: "the key's encryption scheme or KDF is not supported, or its parameters exceed safe bounds",
        explanation: "certkey decrypts PKCS#8 PBES2 (PBKDF2 with HMAC-SHA1/SHA-2, or scrypt; AES-128/192/256-CBC or GCM, DES-EDE3-CBC) and legacy PEM encryption (AES-128/192/256-CBC, DES-EDE3-CBC). Other schemes (PBES1, PKCS#12 PBE, single DES, Camellia, …) are named and not decrypted. Key derivation is bounded per response, all its keys together (by default 1,000,000 PBKDF2 iterations and 128 MiB of scrypt work): a key whose parameters would go beyond what is left is refused before any work is done, so a hostile response cannot stall the agent.",
        source: "RFC 8018; RFC 7914 (scrypt); certkey's bounds",
        fix: "Have the key re-encrypted with PBES2 (openssl pkcs8 -topk8 -v2 aes-256-cbc) and sane parameters.";
    KeyMalformed = "key.malformed", Error,
        summary: "the key's DER does not parse as PKCS#1, PKCS#8 or SEC1",
        explanation: "The private-key block decodes from base64, but its bytes are not a well-formed RSAPrivateKey (PKCS#1), PrivateKeyInfo/OneAsymmetricKey (PKCS#8) or ECPrivateKey (SEC1). No TLS stack will load it.",
        source: "RFC 8017 appendix A.1.2; RFC 5958; RFC 5915; RFC 8410",
        fix: "Download the response again; if it persists, the service issued a broken key.";
    KeyInconsistent = "key.inconsistent", Error,
        summary: "the key disagrees with itself",
        explanation: "The key's components do not fit together. RSA: n is not p·q, d·e is not 1 modulo p−1 and q−1 (so not modulo λ(n)), dP, dQ or qInv is wrong, or e is even or below 3. EC: the scalar is out of range, or the embedded public point is not scalar·G. Ed25519: the embedded public key is not the one the seed derives. Such a key can match its certificate's public key and still fail to sign, which peer tools that compare public halves only do not notice. Which stacks refuse it differs, and the finding names them: rustls refuses every such key, Go from 1.24 on one whose CRT values are wrong (its GODEBUG x509rsacrt, in a program whose module says go 1.24 or later), OpenSSL and Go 1.23 one whose n is not p·q. These are the checks OpenSSL's RSA_check_key makes, primality aside (deep mode adds primality and a signature round trip).",
        source: "RFC 8017 section 3.2 (RSA private key); SEC 1 v2 section 3.2.1 (EC key pairs); RFC 8032 section 5.1.5 (Ed25519)",
        fix: "Download the response again; a key that stays inconsistent was damaged or assembled from two keys, and the service must issue a new one.";
    KeyMismatch = "key.mismatch", Error,
        summary: "the key's public half is not the public key of the role's certificate",
        explanation: "Each role's private key must be the private half of the public key in that role's certificate (whole key: RSA n and e, the full EC point, the Ed25519 key). Otherwise the TLS handshake fails when the peer checks the signature.",
        source: "RFC 8446 section 4.4.3 (CertificateVerify); RFC 5280 (SubjectPublicKeyInfo)",
        fix: "Download the response again; keys and certificates of different tasks or identities may have been mixed.";
    KeyShared = "key.shared", Warning,
        summary: "two roles use the same key pair",
        explanation: "The source and the targets are meant to have their own key pairs. Sharing one means a compromise of either server exposes both identities.",
        source: "certkey policy (separation of identities)",
        fix: "Ask for a response with a distinct key per identity.";
    CertShared = "cert.shared", Warning,
        summary: "two roles carry the very same certificate",
        explanation: "The same certificate in two roles (or as both a leaf and the CA) means the identities cannot be told apart, and usually that a member was copied into another.",
        source: "certkey policy (separation of identities)",
        fix: "Check that each member holds its own certificate.";
    KeyNonstandard = "key.nonstandard", Error,
        summary: "a consistent key in an encoding or of a shape some TLS stacks refuse to load",
        explanation: "Encodings: OpenSSL's PKCS#8 reader before 3.5 (3.0, and Python's ssl on it) has no field for the public key that PKCS#8 v2 (RFC 5958's OneAsymmetricKey) may carry, and refuses such a key (3.5 and 4.0 read it); ring (one of rustls' two crypto providers) loads an EC key only with its public key inside, and has no P-521; aws-lc-rs (rustls' default provider) loads both. Shapes: an RSA key's components may fit together, but not in the shape FIPS 186-5 gives RSA keys and ring enforces when it loads a private key: two primes each half the modulus's length, a public exponent e above 2^16, a private exponent d longer than half the modulus; and ring's own rule, primes whose length is a multiple of 512 bits (moduli of 2048, 3072, 4096 … bits: a 2052-bit key is refused). OpenSSL, Go and aws-lc-rs load such a key; an agent or target built on rustls with ring cannot use it, and the handshake never starts. A very small d or very unequal primes also weaken the key.",
        source: "RFC 5958; OpenSSL crypto/asn1/p8_pkey.c; ring src/ec/suite_b.rs; FIPS 186-5 appendix A.1.1; NIST SP 800-56B rev. 2 section 6.4.1.4.3 (key-pair validation, as ring implements it); ring src/rsa/keypair.rs (PrivatePrime::new)",
        fix: "Issue keys every stack loads: PKCS#8 v1 or PKCS#1 (no PKCS#8 v2), EC keys with their public key and on P-256 or P-384, RSA keys generated to FIPS 186 (openssl genpkey, Go, pyca and ring all do: e = 65537 and two primes of equal length).";
    KeyDeepSkipped = "key.deep_skipped", Info,
        summary: "deep mode could not run all its checks on this key, and why",
        explanation: "Deep mode tests the primality of RSA factors and signs with each key to verify the signature with its certificate (proof of possession). Primality is not tested for primes over 4096 bits (RSA over 8192 bits), to bound the work a hostile response can ask for; ring signs with RSA keys of 2048 to 4096 bits in the shape FIPS 186 gives them, ECDSA P-256 and P-384, and Ed25519 only. The key's summary then shows no deep_check.",
        source: "certkey's deep mode and its work bound",
        fix: "Nothing to fix in the bundle for this alone; the default checks (consistency and the match with the certificate) still ran.";
    KeyUnsupported = "key.unsupported", Error,
        summary: "a key of an algorithm the auditor cannot check",
        explanation: "The key is well formed but of an algorithm (for example DSA) that certkey does not check. It is reported as unsupported, never as a mismatch.",
        source: "certkey's supported algorithms: RSA, ECDSA P-256/P-384, Ed25519",
        fix: "Use an RSA, ECDSA or Ed25519 key; the migration's TLS stacks expect those.";
    HandshakeFailed = "handshake.failed", Error,
        summary: "a real mutual-TLS handshake between the source and a target failed",
        explanation: "Opt-in rehearsal: a rustls server presenting the target identity and requiring a client certificate from the CA, and a rustls client presenting the source identity and trusting the CA, shake hands on loopback (TLS 1.3, then TLS 1.2) and exchange a few bytes. The message says which side refused what, with the TLS stack's reason; the migration's agent will fail the same way.",
        source: "RFC 8446 (TLS 1.3), RFC 5246 (TLS 1.2); rustls",
        fix: "Fix what the static findings report for the members named; if there are none, the message names the step the TLS stack refused.";
    HandshakeOk = "handshake.ok", Info,
        summary: "the rehearsed mutual-TLS handshake with a target succeeded",
        explanation: "Opt-in rehearsal: the source and the target identity completed a mutual-TLS handshake on loopback and data crossed both ways. The message gives the protocol versions, cipher suites and key exchange, and the server name verified.",
        source: "RFC 8446 (TLS 1.3), RFC 5246 (TLS 1.2); rustls",
        fix: "Nothing to fix.";
    HandshakeSkipped = "handshake.skipped", Info,
        summary: "the handshake rehearsal with a target was not run, and why",
        explanation: "A rehearsal was asked for but not run for this target: a member it needs is missing or unreadable, the TLS provider cannot sign with the key's algorithm (P-521 with ring), loopback sockets are unavailable, or static checks already found errors in the members it uses (a handshake would only fail; ask for it anyway to see how).",
        source: "certkey (the rehearsal is opt-in)",
        fix: "Fix the errors the static checks report, or rehearse anyway (the `handshake` option set to `always`).";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_maps_to_its_own_catalog_entry() {
        for (index, check) in CATALOG.iter().enumerate() {
            assert_eq!(check.id as usize, index);
            assert_eq!(check.id.check().id, check.id);
            assert_eq!(CheckId::from_name(check.id.as_str()), Some(check.id));
        }
    }

    #[test]
    fn ids_have_the_area_dot_name_form_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for check in CATALOG {
            let id = check.id.as_str();
            let (area, name) = id.split_once('.').expect("area.name");
            assert!(!area.is_empty() && !name.is_empty(), "{id}");
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'),
                "{id}"
            );
            assert!(seen.insert(id), "duplicate id {id}");
        }
    }

    #[test]
    fn severities_decided_by_stacks_are_those_of_the_default_stacks() {
        let mut fixed = Vec::new();
        for check in CATALOG {
            if !check.severity_from_stacks {
                if !check.refused_by.is_empty() {
                    fixed.push(check.id);
                }
                continue;
            }
            let counted = check.refused_by.intersection(Stacks::COUNTED_BY_DEFAULT);
            let expected = if counted.is_empty() {
                Severity::Warning
            } else {
                Severity::Error
            };
            assert_eq!(check.severity, expected, "{}", check.id);
            assert!(check.legacy_severity <= check.severity, "{}", check.id);
        }
        assert_eq!(fixed, [CheckId::CaAbsent]);
    }
}
