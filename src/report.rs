//! The report an audit returns; and the one finding made without auditing anything,
//! `input.unreadable`, for an input its caller could not read.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::catalog::CheckId;
use crate::catalog::Severity;
use crate::certs::CertSummary;
use crate::finding::Finding;
use crate::judge::Judge;
use crate::keys::KeySummary;
use crate::member::{CaSource, Member, Role};
use crate::response::api_error::ApiError;
use crate::stacks::Stack;

/// The version of the report's serialized shape. It changes only when a member is removed or
/// changes meaning (3: the stack ids `pyca` and `python-3.13` became `pyca-48` and
/// `python-3.13-openssl-3.0`); new members, and new stack ids,
/// may appear without a change.
pub const SCHEMA_VERSION: u32 = 3;

/// The version of certkey that made a report, as each report records it.
pub const CERTKEY_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The result of auditing one certkey response.
///
/// Serializes (with serde) as
/// `{"schema_version", "certkey_version", "ok", "strict", "audited_at", "findings": [...],
/// "certificates": [...], "keys": [...], "identities": [...]?, "api_error"?}`, the shape
/// `docs/report.schema.json` describes. It deserializes from that shape too, so a program can
/// read `certkey-audit --format json`'s records back into this type (members it does not
/// know, such as the record's `source`, are ignored).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    schema_version: u32,
    certkey_version: Cow<'static, str>,
    ok: bool,
    strict: bool,
    audited_at: String,
    findings: Vec<Finding>,
    certificates: Vec<CertSummary>,
    keys: Vec<KeySummary>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    identities: Vec<Identity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    api_error: Option<ApiError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ca_source: Option<CaSource>,
    /// The findings as the checks reported them, before judgement: what
    /// [`Report::rejudged`] judges again. Not serialized: a report read back holds its
    /// judged findings only.
    #[serde(skip)]
    reported: Option<Vec<Finding>>,
}

/// What each TLS stack is predicted to do with one identity of the bundle: the source (a TLS
/// client) or a target (a TLS server), with its certificate, its key and the CA.
///
/// Serializes as `{"role", "stacks": [{"stack", "accepts", "reason"?, "field"?}, ...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Identity {
    /// `source`, `target_mgmt` or `target_data`.
    pub role: Role,
    /// One verdict per stack, in [`Stack::ALL`]'s order.
    pub stacks: Vec<StackVerdict>,
}

/// One stack's predicted verdict on an identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StackVerdict {
    /// The stack.
    pub stack: Stack,
    /// Whether no finding on the identity is one this stack refuses.
    pub accepts: bool,
    /// The first finding the stack refuses, when it refuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<CheckId>,
    /// The member that finding is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    /// The report of an audit at `audit_time` (the time its checks used) whose CA came from
    /// `ca_source`, its findings (in report order, as the checks reported them) judged under
    /// `policy`; `bundle` says the input was a bundle (not an error body or unusable input),
    /// whose identities the stacks are predicted for.
    #[allow(clippy::too_many_arguments)] // one per member of the report
    pub(crate) fn new(
        policy: &crate::Policy,
        audit_time: time::OffsetDateTime,
        reported: Vec<Finding>,
        certificates: Vec<CertSummary>,
        keys: Vec<KeySummary>,
        api_error: Option<ApiError>,
        bundle: bool,
        ca_source: Option<CaSource>,
    ) -> Self {
        let mut report = Self {
            schema_version: SCHEMA_VERSION,
            certkey_version: Cow::Borrowed(CERTKEY_VERSION),
            ok: true,
            strict: false,
            audited_at: crate::text::rfc3339(audit_time),
            identities: if bundle {
                identities(&reported)
            } else {
                Vec::new()
            },
            findings: Vec::new(),
            certificates,
            keys,
            api_error,
            ca_source,
            reported: None,
        };
        report.judge(&reported, policy);
        report.reported = Some(reported);
        report
    }

    /// Judges `reported` under `policy`: the findings, the verdict and its strictness.
    fn judge(&mut self, reported: &[Finding], policy: &crate::Policy) {
        let judge = Judge::new(policy, self.ca_source);
        self.findings = reported.iter().map(|f| judge.judge(f)).collect();
        self.strict = judge.strict();
        let ok = self.failing().next().is_none();
        self.ok = ok;
    }

    /// The same audit judged under `policy`'s judging options instead: its
    /// [profile](crate::Policy::with_profile), [stacks](crate::Policy::with_stacks),
    /// [allowed ids](crate::Policy::with_allow) and [strictness](crate::Policy::with_strict).
    /// The findings' severities, words and allowed marks and the verdict are decided again.
    /// What was checked is not: the options that decide that (the audit time, the CA, the
    /// passphrase, the limits, deep mode, the rehearsal) stay the original audit's, whatever
    /// `policy` says, and so does whether a rehearsal `when_sound` ran. One audit answers for
    /// several sets of agents, or several allow-lists, at the cost of one.
    ///
    /// `None` for a report read back from its serialized form, which holds judged findings
    /// only.
    ///
    /// ```
    /// use certkey::{audit, CheckId, Policy};
    ///
    /// let at = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_780_272_000);
    /// let response = std::fs::read("testdata/bundles/no-ca.json")?;
    /// let report = audit(&response, &Policy::default().with_at(at));
    /// assert!(report.is_ok()); // ca.absent is a warning
    ///
    /// let strict = report.rejudged(&Policy::default().with_strict(true)).unwrap();
    /// assert!(!strict.is_ok());
    /// let allowed = Policy::default().with_strict(true).with_allow([CheckId::CaAbsent]);
    /// assert!(report.rejudged(&allowed).unwrap().is_ok());
    ///
    /// let read: certkey::Report = serde_json::from_str(&serde_json::to_string(&report)?)?;
    /// assert!(read.rejudged(&Policy::default()).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rejudged(&self, policy: &crate::Policy) -> Option<Report> {
        let reported = self.reported.as_ref()?;
        let mut report = self.clone();
        report.judge(reported, policy);
        Some(report)
    }

    /// The report with its findings' mentions of options reworded by `word`, as
    /// [`options::reword`](crate::options::reword) rewords a text: for a front end that
    /// speaks of options its own way (a command line's flags). The checks' own texts in the
    /// [`CATALOG`](crate::CATALOG), which [`Finding::help`] falls back on, are the front
    /// end's to reword where it shows them.
    pub fn reworded(
        mut self,
        mut word: impl FnMut(&crate::options::OptionInfo, Option<&str>) -> String,
    ) -> Self {
        let mut reword = |text: &mut String| {
            if let std::borrow::Cow::Owned(new) = crate::options::reword(text, &mut word) {
                *text = new;
            }
        };
        let reported = self.reported.iter_mut().flatten();
        for finding in self.findings.iter_mut().chain(reported) {
            reword(&mut finding.message);
            if let Some(hint) = &mut finding.hint {
                reword(hint);
            }
        }
        self
    }

    /// Where the audited CA came from: the response's `ca`, the caller's, or `None` when
    /// there was none (or no bundle).
    pub fn ca_source(&self) -> Option<CaSource> {
        self.ca_source
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
        let mut findings = crate::finding::Findings::default();
        crate::response::too_large(len, policy, &mut findings);
        Self::without_input(policy, findings)
    }

    /// The report of an input that was not audited: its findings only.
    fn without_input(policy: &crate::Policy, findings: crate::finding::Findings) -> Self {
        Self::new(
            policy,
            policy.effective_audit_time(),
            findings.in_report_order(),
            Vec::new(),
            Vec::new(),
            None,
            false,
            None,
        )
    }

    /// The report for an input that could not be read at all (`input.unreadable`), for
    /// callers that read inputs themselves: `reason` is why, such as the operating system's
    /// error.
    ///
    /// ```
    /// use certkey::{CheckId, Policy, Report};
    ///
    /// let error = std::fs::read("no/such/response.json").unwrap_err();
    /// let report = Report::unreadable_input(&error.to_string(), &Policy::default());
    /// assert!(report.has(CheckId::InputUnreadable) && !report.is_ok());
    /// ```
    pub fn unreadable_input(reason: &str, policy: &crate::Policy) -> Self {
        let mut findings = crate::finding::Findings::default();
        findings.push(Finding::new(
            CheckId::InputUnreadable,
            None,
            format!(
                "the input could not be read: {}",
                crate::text::quote(reason, 200)
            ),
        ));
        Self::without_input(policy, findings)
    }

    /// The verdict under the policy in force: true when no finding fails the audit (no
    /// error, and with [`Policy::with_strict`](crate::Policy::with_strict) no warning either;
    /// [allowed](crate::Policy::with_allow) findings never fail it). The bundle can be
    /// relied on as far as checked.
    pub fn is_ok(&self) -> bool {
        self.ok
    }

    /// The findings that fail the audit: errors, and warnings too when it was strict, but
    /// for the [allowed](crate::Policy::with_allow) ones. None when the report is ok.
    ///
    /// ```
    /// use certkey::{audit, CheckId, Policy};
    ///
    /// let no_ca = std::fs::read("testdata/bundles/no-ca.json")?;
    /// let at = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_780_272_000);
    /// let strict = Policy::default().with_at(at).with_strict(true);
    /// let failing: Vec<CheckId> = audit(&no_ca, &strict).failing().map(|f| f.id()).collect();
    /// assert_eq!(failing, [CheckId::CaAbsent]);
    /// assert_eq!(audit(&no_ca, &strict.with_allow([CheckId::CaAbsent])).failing().count(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn failing(&self) -> impl Iterator<Item = &Finding> {
        let strict = self.strict;
        self.findings
            .iter()
            .filter(move |f| crate::judge::fails(f, strict))
    }

    /// Whether the audit was strict (warnings fail it).
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// The version of certkey that made the report.
    pub fn certkey_version(&self) -> &str {
        &self.certkey_version
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Findings;
    use crate::Policy;

    fn report(policy: &Policy, ids: &[CheckId]) -> Report {
        let mut findings = Findings::default();
        for &id in ids {
            findings.push(Finding::new(id, None, "words"));
        }
        Report::without_input(policy, findings)
    }

    #[test]
    fn a_report_reads_back_and_refuses_what_no_report_holds() {
        let policy = Policy::default().with_allow([CheckId::CaAbsent]);
        let written = report(&policy, &[CheckId::CaAbsent, CheckId::KeyMismatch]);
        let json = serde_json::to_string(&written).unwrap();
        let read: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&read).unwrap(), json);
        assert!(!read.is_ok() && read.has(CheckId::KeyMismatch));
        assert!(read.findings()[0].is_allowed());
        // Members it does not know are ignored; ids and stacks it does not know are refused.
        let with_source = json.replacen('{', r#"{"source":"task.json","#, 1);
        assert!(serde_json::from_str::<Report>(&with_source).is_ok());
        let unknown = json.replace("key.mismatch", "key.missmatch");
        let e = serde_json::from_str::<Report>(&unknown).unwrap_err();
        assert!(
            e.to_string().contains("unknown check id `key.missmatch`"),
            "{e}"
        );
        let bad_stack = r#"{"stack": "gnutls", "accepts": true}"#;
        let e = serde_json::from_str::<StackVerdict>(bad_stack).unwrap_err();
        assert!(e.to_string().contains("unknown stack `gnutls`"), "{e}");
    }

    #[test]
    fn the_verdict_is_the_policy_s() {
        let lenient = Policy::default();
        let strict = Policy::default().with_strict(true);
        // ca.absent is a warning, field.unknown an information, key.mismatch an error.
        assert!(report(&lenient, &[CheckId::CaAbsent, CheckId::FieldUnknown]).is_ok());
        assert!(!report(&strict, &[CheckId::CaAbsent]).is_ok());
        assert!(report(&strict, &[CheckId::FieldUnknown]).is_ok());
        assert!(!report(&lenient, &[CheckId::FieldUnknown, CheckId::KeyMismatch]).is_ok());
        let allowed = strict
            .clone()
            .with_allow([CheckId::CaAbsent, CheckId::KeyMismatch]);
        assert!(report(&allowed, &[CheckId::CaAbsent, CheckId::KeyMismatch]).is_ok());
        assert!(!report(&allowed, &[CheckId::KeyMismatch, CheckId::FieldDuplicate]).is_ok());

        let shown = serde_json::to_value(report(&strict, &[CheckId::CaAbsent])).unwrap();
        assert_eq!(shown["ok"], false);
        assert_eq!(shown["strict"], true);
        assert_eq!(shown["certkey_version"], env!("CARGO_PKG_VERSION"));
        assert!(report(&strict, &[]).is_strict() && !report(&lenient, &[]).is_strict());
        assert_eq!(report(&lenient, &[]).certkey_version(), CERTKEY_VERSION);
    }

    #[test]
    fn the_report_says_where_the_ca_came_from() {
        let read = |name: &str| {
            std::fs::read(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
        };
        let ca = String::from_utf8(read("pki/ca.crt.pem")).unwrap();
        let at = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_780_272_000);
        let policy = Policy::default().with_at(at);
        let supplied = policy.clone().with_ca_pem(ca);
        let source = |name: &str, policy: &Policy| crate::audit(&read(name), policy).ca_source();
        assert_eq!(
            source("bundles/good.json", &policy),
            Some(CaSource::Response)
        );
        assert_eq!(
            source("bundles/good.json", &supplied),
            Some(CaSource::Response)
        );
        assert_eq!(
            source("bundles/no-ca.json", &supplied),
            Some(CaSource::Supplied)
        );
        assert_eq!(source("bundles/no-ca.json", &policy), None);
        assert_eq!(source("bundles/api-error-403.json", &supplied), None);
        let shown =
            serde_json::to_value(crate::audit(&read("bundles/no-ca.json"), &supplied)).unwrap();
        assert_eq!(shown["ca_source"], "supplied");
    }

    #[test]
    fn an_unreadable_input_is_one_error_quoting_the_reason() {
        let report =
            Report::unreadable_input("Permission denied (os error 13)", &Policy::default());
        assert!(!report.is_ok());
        assert_eq!(report.findings().len(), 1);
        let finding = &report.findings()[0];
        assert_eq!(finding.id(), CheckId::InputUnreadable);
        assert_eq!(finding.severity(), Severity::Error);
        assert_eq!(finding.field(), None);
        assert_eq!(
            finding.message(),
            "the input could not be read: Permission denied (os error 13)"
        );
        assert!(report.identities().is_empty() && report.certificates().is_empty());
        // Allowed, even that passes: the operator's decision, recorded in the report.
        let allowed = Policy::default().with_allow([CheckId::InputUnreadable]);
        assert!(Report::unreadable_input("gone", &allowed).is_ok());
    }
}
