//! The report an audit returns.

use serde::Serialize;

use crate::catalog::CheckId;
use crate::catalog::Severity;
use crate::certs::CertSummary;
use crate::finding::Finding;
use crate::keys::KeySummary;
use crate::member::{Member, Role};
use crate::response::api_error::ApiError;
use crate::stacks::Stack;

/// The version of the report's serialized shape. It changes only when a member is removed or
/// changes meaning; new members may appear without a change.
pub const SCHEMA_VERSION: u32 = 1;

/// The result of auditing one certkey response.
///
/// Serializes (with serde) as
/// `{"schema_version", "ok", "audited_at", "findings": [...], "certificates": [...],
/// "keys": [...], "identities": [...]?, "api_error"?}`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    schema_version: u32,
    ok: bool,
    audited_at: String,
    findings: Vec<Finding>,
    certificates: Vec<CertSummary>,
    keys: Vec<KeySummary>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    identities: Vec<Identity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_error: Option<ApiError>,
}

/// What each TLS stack is predicted to do with one identity of the bundle: the source (a TLS
/// client) or a target (a TLS server), with its certificate, its key and the CA.
///
/// Serializes as `{"role", "stacks": [{"stack", "accepts", "reason"?, "field"?}, ...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Identity {
    /// `source`, `target_mgmt` or `target_data`.
    pub role: Role,
    /// One verdict per stack, in [`Stack::ALL`]'s order.
    pub stacks: Vec<StackVerdict>,
}

/// One stack's predicted verdict on an identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StackVerdict {
    /// The stack.
    pub stack: Stack,
    /// Whether no finding on the identity is one this stack refuses.
    pub accepts: bool,
    /// The first finding the stack refuses, when it refuses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<CheckId>,
    /// The member that finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<Member>,
}

/// Each identity's verdicts from the findings (in report order, so the first reason is the
/// first member's).
fn identities(findings: &[Finding]) -> Vec<Identity> {
    Role::WITH_KEYS
        .into_iter()
        .map(|role| {
            let about = |finding: &&Finding| {
                finding
                    .member()
                    .is_some_and(|member| member == Member::Ca || member.role() == role)
            };
            let stacks = Stack::ALL
                .into_iter()
                .map(|stack| {
                    let refusal = findings
                        .iter()
                        .filter(about)
                        .find(|finding| finding.refused_by().contains(stack));
                    StackVerdict {
                        stack,
                        accepts: refusal.is_none(),
                        reason: refusal.map(Finding::id),
                        field: refusal.and_then(Finding::member),
                    }
                })
                .collect();
            Identity { role, stacks }
        })
        .collect()
}

impl Report {
    /// The report; `bundle` says the input was a bundle (not an error body or unusable
    /// input), whose identities the stacks are predicted for.
    pub(crate) fn new(
        audited_at: String,
        findings: Vec<Finding>,
        certificates: Vec<CertSummary>,
        keys: Vec<KeySummary>,
        api_error: Option<ApiError>,
        bundle: bool,
    ) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            ok: !findings.iter().any(|f| f.severity() == Severity::Error),
            audited_at,
            identities: if bundle {
                identities(&findings)
            } else {
                Vec::new()
            },
            findings,
            certificates,
            keys,
            api_error,
        }
    }

    /// The report for an input over the policy's size cap, for callers that stop reading at
    /// the cap (as they should) and so never hold the whole input. `len` is its length when
    /// known (a file's), `None` for a stream cut off at the cap.
    ///
    /// ```
    /// use certkey::{CheckId, Policy, Report};
    ///
    /// let policy = Policy::default().with_max_input_len(1024);
    /// let report = Report::oversized_input(Some(1 << 30), &policy);
    /// assert!(report.has(CheckId::ResponseTooLarge) && !report.is_ok());
    /// ```
    pub fn oversized_input(len: Option<u64>, policy: &crate::Policy) -> Self {
        let mut findings = crate::finding::Findings::under(policy);
        crate::response::too_large(len, policy, &mut findings);
        let audit_time = time::OffsetDateTime::from(policy.effective_audit_time());
        Self::new(
            crate::text::rfc3339(audit_time),
            findings.into_vec(),
            Vec::new(),
            Vec::new(),
            None,
            false,
        )
    }

    /// True when no finding is an error: the bundle can be relied on as far as checked.
    pub fn is_ok(&self) -> bool {
        self.ok
    }

    /// Every finding, response-level ones first, then member by member in the order of
    /// [`Member::ALL`](crate::Member::ALL).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The findings of one severity.
    pub fn findings_of(&self, severity: Severity) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.severity() == severity)
    }

    /// Whether any finding has this id.
    pub fn has(&self, id: CheckId) -> bool {
        self.findings.iter().any(|f| f.id() == id)
    }

    /// A summary of every certificate that parsed, in member order.
    pub fn certificates(&self) -> &[CertSummary] {
        &self.certificates
    }

    /// A summary of every private key that parsed, in role order.
    pub fn keys(&self) -> &[KeySummary] {
        &self.keys
    }

    /// For the source and each target, every TLS stack's predicted verdict (see
    /// [`Stack`]); empty when the input is no bundle.
    ///
    /// ```
    /// use certkey::{audit, Policy};
    ///
    /// // An error body holds no identity.
    /// let report = audit(br#"{"error_code": "SMS.0203", "error_msg": "expired"}"#, &Policy::default());
    /// assert!(report.identities().is_empty());
    /// ```
    pub fn identities(&self) -> &[Identity] {
        &self.identities
    }

    /// The API's error, when the response is an error body.
    pub fn api_error(&self) -> Option<&ApiError> {
        self.api_error.as_ref()
    }

    /// The audit time, RFC 3339.
    pub fn audited_at(&self) -> &str {
        &self.audited_at
    }
}
