//! rustls' verdict on identities, for certkey's differential harness against the TLS stacks.
//!
//! Reads one JSON job per line on stdin (`{"id", "ca", "leaf", "key", "purpose", "at_seconds"}`: PEM
//! text, `"server"` or `"client"`, seconds since the Unix epoch) and writes one JSON verdict
//! per line and provider on stdout (`{"id", "stack", "verdict": "accepts"|"refuses",
//! "reason"}`), for `rustls-ring` and `rustls-aws-lc-rs`. A job is what an agent or a target
//! built on rustls 0.23 does with the identity: the first PEM block of each member read by
//! rustls-pki-types; the CA made a trust anchor; the leaf verified to it at the time for its
//! purpose (clientAuth for a client, serverAuth for a server) with no name; the key loaded
//! and matched with the certificate (`CertifiedKey::from_der`, as `with_single_cert` does);
//! and a signature made with it in the scheme a TLS 1.3 peer would pick, verified with the
//! certificate's key.

use std::io::{BufRead, Write};

use rustls::crypto::CryptoProvider;
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, UnixTime};

#[derive(serde::Deserialize)]
struct Job {
    id: String,
    ca: String,
    leaf: String,
    key: String,
    purpose: String,
    at_seconds: u64,
}

#[derive(serde::Serialize)]
struct Verdict<'a> {
    id: &'a str,
    stack: &'a str,
    verdict: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    reason: &'a str,
}

fn main() {
    let providers = [
        ("rustls-ring", rustls::crypto::ring::default_provider()),
        (
            "rustls-aws-lc-rs",
            rustls::crypto::aws_lc_rs::default_provider(),
        ),
    ];
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        let job: Job = serde_json::from_str(&line).expect("a job");
        for (stack, provider) in &providers {
            let result = identity(&job, provider);
            let verdict = Verdict {
                id: &job.id,
                stack,
                verdict: if result.is_ok() { "accepts" } else { "refuses" },
                reason: result.as_ref().err().map_or("", String::as_str),
            };
            serde_json::to_writer(&mut out, &verdict).expect("stdout");
            out.write_all(b"\n").expect("stdout");
        }
    }
    out.flush().expect("stdout");
}

fn identity(job: &Job, provider: &CryptoProvider) -> Result<(), String> {
    let algorithms = provider.signature_verification_algorithms;
    let at = UnixTime::since_unix_epoch(std::time::Duration::from_secs(job.at_seconds));
    let ca = CertificateDer::from_pem_slice(job.ca.as_bytes()).map_err(|e| format!("ca: {e:?}"))?;
    let leaf =
        CertificateDer::from_pem_slice(job.leaf.as_bytes()).map_err(|e| format!("cert: {e:?}"))?;
    let key =
        PrivateKeyDer::from_pem_slice(job.key.as_bytes()).map_err(|e| format!("key: {e:?}"))?;
    let anchor = webpki::anchor_from_trusted_cert(&ca).map_err(|e| format!("anchor: {e:?}"))?;
    let end_entity = webpki::EndEntityCert::try_from(&leaf).map_err(|e| format!("leaf: {e:?}"))?;
    let usage = if job.purpose == "client" {
        webpki::KeyUsage::client_auth()
    } else {
        webpki::KeyUsage::server_auth()
    };
    end_entity
        .verify_for_usage(algorithms.all, &[anchor], &[], at, usage, None, None)
        .map_err(|e| format!("chain: {e:?}"))?;
    let certified = CertifiedKey::from_der(vec![leaf.clone()], key, provider)
        .map_err(|e| format!("key: {e}"))?;
    let signer = certified
        .key
        .choose_scheme(&algorithms.supported_schemes())
        .ok_or("key: no signature scheme")?;
    let message = b"certkey: a TLS 1.3 CertificateVerify";
    let signature = signer.sign(message).map_err(|e| format!("sign: {e}"))?;
    let (_, verifiers) = algorithms
        .mapping
        .iter()
        .find(|(scheme, _)| *scheme == signer.scheme())
        .ok_or("sign: an unknown scheme")?;
    verifiers
        .iter()
        .any(|alg| {
            end_entity
                .verify_signature(*alg, message, &signature)
                .is_ok()
        })
        .then_some(())
        .ok_or_else(|| "sign: the signature does not verify".to_owned())
}
