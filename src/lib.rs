//! Offline audit of certkey responses: the certificate bundles a block-level server
//! migration's agent downloads (`GET /v3/tasks/{task_id}/certkey`) before it opens a
//! mutual-TLS connection to the target server.
//!
//! [`audit`] takes the response bytes as downloaded and returns a [`Report`]: every problem
//! found, as a [`Finding`] with a stable id from the [`CATALOG`], and a summary of each
//! certificate.
//!
//! ```
//! use certkey::{audit, Policy};
//!
//! let report = audit(br#"{"error_code": "SMS.9004", "error_msg": "denied"}"#, &Policy::default());
//! assert!(!report.is_ok());
//! assert_eq!(report.findings()[0].id().as_str(), "response.api_error");
//! ```
//!
//! [`load`] runs the same audit and, when the report is ok, hands over the audited
//! certificates and keys typed for rustls. A [`Policy`] holds the options of an audit, which
//! every front end takes by the same names ([`options::OPTIONS`]); [`Policy::from_json`]
//! reads them as the Python package and the C ABI (workspace members `python/` and `ffi/`)
//! give them.
//!
//! # What is checked
//! The stages run in order, each on what the previous one accepted:
//! 1. the response ([`response`](crate::CheckId::ResponseMalformed) ids): size cap, UTF-8,
//!    nesting depth, JSON, duplicate and unknown members, types, lengths, placeholders, and
//!    the API's error bodies;
//! 2. PEM: block structure, labels, extra blocks and text, escaping, encryption;
//! 3. certificates: X.509 parsing and a summary of each;
//! 4. certificates against the audit time, their strength, the CA's profile, and every leaf's
//!    chain to the CA (rustls-webpki), with weak-but-valid signatures told apart;
//! 5. private keys: PKCS#1, PKCS#8 and SEC1 parsing, consistency (RSA, ECDSA P-256/P-384/P-521,
//!    Ed25519), the match with the role's certificate, and keys or certificates shared by roles;
//! 6. opt-in, with the cargo feature `handshake`: a rehearsal of the migration's mutual-TLS
//!    handshake between the source and each target with rustls on loopback
//!    (`Policy::with_handshake`).
//!
//! # Secrets
//! Private-key text and bytes live only in buffers wiped on drop, and no finding, report or
//! `Debug` output ever contains them. Input is bounded: the size cap is enforced before any
//! parsing and nesting depth before any recursion.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod catalog;
mod certs;
mod der;
mod finding;
#[cfg(feature = "handshake")]
mod handshake;
#[doc(hidden)]
pub mod harness;
mod judge;
mod keys;
mod load;
mod member;
mod oids;
pub mod options;
mod pem;
mod pipeline;
mod policy;
mod quiet;
mod refusals;
mod report;
mod response;
mod secret;
mod stacks;
mod text;

pub use catalog::{Check, CheckId, ParseCheckIdError, Profile, Severity, CATALOG};
pub use certs::CertSummary;
pub use finding::{Field, Finding};
#[cfg(feature = "handshake")]
pub use handshake::HANDSHAKE_TIMEOUT;
pub use keys::decrypt::{KdfLimits, DEFAULT_MAX_PBKDF2_ITERATIONS, DEFAULT_MAX_SCRYPT_BYTES};
pub use keys::{KeyEncoding, KeySummary};
pub use load::{Credential, VerifiedBundle};
pub use member::{CaSource, Member, MemberKind, Role};
pub use options::{OptionError, OptionErrorKind};
#[cfg(feature = "handshake")]
pub use policy::Rehearsal;
pub use policy::{Policy, DEFAULT_MAX_INPUT_LEN, DEFAULT_WARN_WITHIN};
pub use quiet::catch_quietly;
pub use report::{Identity, Report, StackVerdict, CERTKEY_VERSION, SCHEMA_VERSION};
pub use response::api_error::{ApiError, ApiErrorDetail};
pub use response::{MAX_MEMBERS, MAX_NESTING, MEMBER_MAX_CHARS};
pub use stacks::{ParseStacksError, Stack, Stacks};

use finding::Findings;
use response::Ingested;

/// Text from an untrusted source (a response, a file), fit to print as certkey prints what it
/// quotes: invisible characters removed, control characters made spaces, key-shaped data
/// (base64, hex or decimal dumps) withheld and replaced by its length, the whole cut to
/// `max_chars` characters. This is the one path by which certkey's reports quote their input;
/// a program printing such text itself can use it too.
///
/// ```
/// let quoted = certkey::quote("denied: MIIEpAIBAAKCAQEAyR7TS01U\u{200b}+/ was sent", 80);
/// assert_eq!(quoted, "denied: [26 characters withheld] was sent");
/// ```
pub fn quote(text: &str, max_chars: usize) -> String {
    text::quote(text, max_chars)
}

/// A name from an untrusted source (a file name, a path) shown whole but safe to print: control
/// characters, line separators and the invisible characters [`quote`] removes (zero-width,
/// bidirectional and other formatting characters) written as escapes, `\r`, `\u{1b}`,
/// `\u{202e}`, so that a name cannot move the cursor, recolour or reorder what is printed.
/// Unlike [`quote`], nothing is withheld or cut: a name must identify what it names.
///
/// ```
/// assert_eq!(certkey::escape("task\u{202e}nosj.json"), "task\\u{202e}nosj.json");
/// assert_eq!(certkey::escape("task-42.json"), "task-42.json");
/// ```
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    text::escape(text)
}

/// Audits one certkey response (the body as downloaded) under `policy`.
///
/// Never panics and never fails: whatever the input, the problems are findings in the report.
/// Each call starts afresh; an [`Auditor`] remembers the last CA from one audit to the next.
pub fn audit(input: &[u8], policy: &Policy) -> Report {
    Auditor::new().audit(input, policy)
}

/// Audits responses one after another, remembering what the next audit may reuse: the last
/// CA's self-signature verdict and its summary, keyed by the CA's whole DER. The bundles of a
/// folder, and an agent's repeated preflights, share one CA, and each audit after the first
/// is spared its verification (an eighth of a documented bundle's audit: `cargo bench --bench
/// audit -- good.json`). Reports are exactly [`audit`]'s.
///
/// The memory is the caller's value: one auditor per thread (it is `Send`, not shared),
/// dropped when the caller is done. It holds a CA certificate and its summary, public data
/// only.
///
/// ```
/// use certkey::{Auditor, Policy};
///
/// let at = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_780_272_000);
/// let policy = Policy::default().with_at(at);
/// let mut auditor = Auditor::new();
/// for name in ["good.json", "good-unknown-members.json"] {
///     let response = std::fs::read(format!("testdata/bundles/{name}"))?;
///     assert_eq!(auditor.audit(&response, &policy).is_ok(), certkey::audit(&response, &policy).is_ok());
/// }
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct Auditor {
    ca: certs::ca::CaMemory,
}

/// An auditor moves to the thread that uses it.
const _: () = {
    const fn is_send<T: Send>() {}
    is_send::<Auditor>();
};

impl Auditor {
    /// An auditor that remembers nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Audits one response, as [`audit`] does.
    pub fn audit(&mut self, input: &[u8], policy: &Policy) -> Report {
        self.run(input, policy).0
    }

    /// Audits one response and hands over what it audited, as [`load`] does.
    #[allow(clippy::result_large_err)] // the report is the answer, as `audit` returns it
    pub fn load(&mut self, input: &[u8], policy: &Policy) -> Result<VerifiedBundle, Report> {
        match self.run(input, policy) {
            (report, Some(decoded)) if report.is_ok() => VerifiedBundle::new(report, decoded),
            (report, _) => Err(report),
        }
    }
}

/// Audits one certkey response under `policy` and, when the report is ok, hands over what it
/// audited: each identity's certificate and private key and the CA, typed for rustls, from the
/// very bytes the checks ran on, so that an agent configures its TLS stack with no second
/// parse of the PEM and nothing unaudited in between.
///
/// The error is the report, when it is not ok; or, rarely, an ok report whose policy allowed
/// a missing or misplaced member ([`Policy::with_allow`]), which leaves nothing to hand over.
///
/// ```
/// # let policy = certkey::Policy::default().with_at(
/// #     std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_780_272_000));
/// let response = std::fs::read("testdata/bundles/good.json")?;
/// let bundle = match certkey::load(&response, &policy) {
///     Ok(bundle) => bundle,
///     Err(report) => panic!("not sound: {:?}", report.findings()),
/// };
/// let source = bundle.source();
/// assert_eq!(source.cert_chain().len(), 1);
/// assert!(bundle.trust_anchor().is_some());
///
/// // The source is the TLS client: it trusts the CA and presents its own certificate.
/// # #[cfg(feature = "handshake")] {
/// let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
/// let mut roots = rustls::RootCertStore::empty();
/// roots.extend(bundle.trust_anchor());
/// let config = rustls::ClientConfig::builder_with_provider(provider)
///     .with_safe_default_protocol_versions()?
///     .with_root_certificates(roots)
///     .with_client_auth_cert(source.cert_chain(), source.key().clone_key())?;
/// # drop(config);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[allow(clippy::result_large_err)] // the report is the answer, as `audit` returns it
pub fn load(input: &[u8], policy: &Policy) -> Result<VerifiedBundle, Report> {
    Auditor::new().load(input, policy)
}

impl Auditor {
    /// The audit, and what it decoded when the input was a bundle.
    fn run(&mut self, input: &[u8], policy: &Policy) -> (Report, Option<pipeline::Decoded>) {
        let audit_time = policy.effective_audit_time();
        let mut findings = Findings::default();
        let (mut certificates, mut keys, mut api_error) = (Vec::new(), Vec::new(), None);
        let (mut material, mut ca_source) = (None, None);
        match response::ingest(input, policy, &mut findings) {
            Ingested::Bundle {
                mut members,
                ca_source: source,
            } => {
                ca_source = source;
                let decoded = pipeline::decode(
                    &mut members,
                    policy.passphrase(),
                    policy.kdf_limits(),
                    &mut findings,
                );
                {
                    let parsed = pipeline::parse(&decoded, &mut findings);
                    let certs = parsed.certs();
                    pipeline::check_certificates(
                        &certs,
                        policy,
                        audit_time,
                        source,
                        &mut self.ca,
                        &mut findings,
                    );
                    let checked =
                        pipeline::check_keys(&parsed, &certs, policy.deep(), &mut findings);
                    pipeline::check_shared(&certs, &checked, &mut findings);
                    #[cfg(feature = "handshake")]
                    pipeline::rehearse(
                        &parsed,
                        &certs,
                        &checked,
                        policy,
                        audit_time,
                        &mut findings,
                    );
                    certificates = pipeline::summaries(&certs, audit_time, &mut self.ca);
                    keys = checked.summaries;
                }
                material = Some(decoded);
            }
            Ingested::ApiError(error) => api_error = Some(error),
            Ingested::Unusable => {}
        }
        let mut findings = findings.in_report_order();
        // The last look at the quoted text: nothing of the response's own keys, nor the
        // passphrase, however it got there.
        let secrets = text::Secrets::new(
            material
                .as_ref()
                .map(pipeline::Decoded::private_key_ders)
                .unwrap_or_default(),
            policy.passphrase(),
        );
        if !secrets.is_empty() {
            findings.iter_mut().for_each(|f| f.screen(&secrets));
            certificates.iter_mut().for_each(|c| c.screen(&secrets));
            if let Some(error) = &mut api_error {
                error.screen(&secrets);
            }
        }
        let report = Report::new(
            policy,
            audit_time,
            findings,
            certificates,
            keys,
            api_error,
            material.is_some(),
            ca_source,
        );
        (report, material)
    }
}

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
