//! Findings: what an audit reports, and the members of a response they are about.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::catalog::{CheckId, Profile, Severity};
use crate::member::{Member, MemberKind};
use crate::policy::Policy;
use crate::stacks::Stacks;

/// The verb for `stacks` as its subject.
fn refuse(stacks: Stacks) -> &'static str {
    if stacks.iter().count() == 1 {
        "refuses"
    } else {
        "refuse"
    }
}

/// What a finding is about: a documented member, another member by name, or the whole response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// One of the seven documented members.
    Member(Member),
    /// A member the API does not document, by its (sanitized, length-capped) name.
    Other(String),
}

impl Field {
    /// The member name as it appears in the response.
    pub fn name(&self) -> &str {
        match self {
            Self::Member(member) => member.name(),
            Self::Other(name) => name,
        }
    }
}

impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Reads a member's name: a documented member's is [`Field::Member`].
impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(match Member::from_name(&name) {
            Some(member) => Self::Member(member),
            None => Self::Other(name),
        })
    }
}

/// One problem (or notable fact) found in a response.
///
/// Messages never contain private-key material: they are built from lengths, positions,
/// labels and public certificate data only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    id: CheckId,
    severity: Severity,
    field: Option<Field>,
    message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
    #[serde(default, skip_serializing_if = "no_stack")]
    refused_by: Stacks,
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    allowed: bool,
}

fn no_stack(stacks: &Stacks) -> bool {
    stacks.is_empty()
}

impl Finding {
    /// A finding with the catalog's default severity.
    pub(crate) fn new(id: CheckId, field: Option<Field>, message: impl Into<String>) -> Self {
        Self {
            id,
            severity: id.check().severity,
            field,
            message: message.into(),
            hint: None,
            refused_by: id.check().refused_by,
            allowed: false,
        }
    }

    /// Narrows the catalog's stacks to those that refuse what this finding reports (for
    /// checks whose details decide, such as which weak key).
    pub(crate) fn refused_only_by(mut self, stacks: Stacks) -> Self {
        self.refused_by = self.refused_by.intersection(stacks);
        self
    }

    /// Adds words to the end of the message.
    #[cfg(feature = "handshake")]
    pub(crate) fn with_addendum(mut self, words: &str) -> Self {
        self.message.push_str(words);
        self
    }

    /// Withholds what `secrets` finds in the finding's text.
    pub(crate) fn screen(&mut self, secrets: &crate::text::Secrets<'_>) {
        secrets.screen(&mut self.message);
        if let Some(hint) = &mut self.hint {
            secrets.screen(hint);
        }
        if let Some(Field::Other(name)) = &mut self.field {
            secrets.screen(name);
        }
    }

    /// Adds a hint.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Overrides the catalog's default severity (for checks whose severity depends on context).
    pub(crate) fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The TLS stacks that refuse what this finding reports: the catalog's
    /// [`Check::refused_by`](crate::Check::refused_by), narrowed where the finding's details
    /// decide. pyca's verifier, which loads no key, is never among those refusing a key.
    pub fn refused_by(&self) -> Stacks {
        self.refused_by
    }

    /// Whether the policy allows this finding's id
    /// ([`Policy::with_allow`](crate::Policy::with_allow)): it is reported, and never
    /// fails the audit.
    pub fn is_allowed(&self) -> bool {
        self.allowed
    }

    /// The check's stable id.
    pub fn id(&self) -> CheckId {
        self.id
    }

    /// How serious it is.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The member it is about, or `None` for the whole response.
    pub fn field(&self) -> Option<&Field> {
        self.field.as_ref()
    }

    /// The documented member it is about, if any.
    pub fn member(&self) -> Option<Member> {
        match self.field {
            Some(Field::Member(member)) => Some(member),
            _ => None,
        }
    }

    /// One sentence saying what is wrong, with the numbers.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What to do about it, when there is more to say than the catalog's fix.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// What to do about it: the finding's own [`hint`](Self::hint) when it has one, or else
    /// its check's [`fix`](crate::Check::fix) from the catalog.
    pub fn help(&self) -> &str {
        self.hint().unwrap_or(self.id.check().fix)
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity, self.id, self.message)
    }
}

/// Findings collected while auditing, in the order the stages produce them, under one
/// policy. No check decides its finding's severity: a finding at its check's default
/// severity gets it here, from the stacks the policy counts (for checks about what stacks
/// refuse, [`Check::severity_from_stacks`](crate::Check::severity_from_stacks)) and then
/// the profile ([`Check::severity_under`](crate::Check::severity_under)).
#[derive(Debug, Default)]
pub(crate) struct Findings {
    profile: Profile,
    counted: Stacks,
    allowed: Vec<CheckId>,
    ca_source: Option<crate::report::CaSource>,
    found: Vec<Finding>,
}

impl Findings {
    /// No findings yet, to be collected under `policy`'s profile and stacks.
    pub(crate) fn under(policy: &Policy) -> Self {
        Self {
            profile: policy.profile(),
            counted: policy.stacks(),
            allowed: policy.allow().to_vec(),
            ca_source: None,
            found: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, mut finding: Finding) {
        let check = finding.id.check();
        let applicable = if finding
            .member()
            .is_some_and(|member| member.kind() == MemberKind::PrivateKey)
        {
            Stacks::KEY_LOADERS
        } else {
            Stacks::ALL
        };
        finding.refused_by = finding.refused_by.intersection(applicable);
        if finding.severity == check.severity {
            if check.severity_from_stacks {
                self.judge_by_stacks(&mut finding, applicable);
            }
            // The legacy profile relaxes a few checks even where counted stacks refuse:
            // accepting that risk is what the profile is for.
            if check.severity_under(self.profile) != check.severity {
                let relaxed = check.severity_under(self.profile);
                if relaxed < finding.severity {
                    finding.severity = relaxed;
                    // The strict profile's advice ("the service must issue stronger ones")
                    // is not what an operator who chose this profile can act on.
                    finding.hint = Some(legacy_hint(finding.refused_by));
                }
            }
        }
        if self.ca_source == Some(crate::report::CaSource::Supplied)
            && finding.member() == Some(Member::Ca)
        {
            // Advice about the response's ca ("download again", "the members look
            // swapped") would send the operator to the wrong file. (A leaf that does not
            // verify to a supplied CA gets its own words where it is judged.)
            finding.hint = Some(SUPPLIED_CA_HINT.to_owned());
        }
        finding.allowed = self.allowed.binary_search(&finding.id).is_ok();
        self.found.push(finding);
    }

    /// Records where the CA comes from: the response's `ca`, or the caller's.
    pub(crate) fn set_ca_source(&mut self, source: crate::report::CaSource) {
        self.ca_source = Some(source);
    }

    /// Where the CA came from, once ingestion has said.
    pub(crate) fn ca_source(&self) -> Option<crate::report::CaSource> {
        self.ca_source
    }

    /// An error when a counted stack refuses what `finding` reports, else a warning; the
    /// message names the refusing stacks unless every stack that could refuse does.
    fn judge_by_stacks(&self, finding: &mut Finding, applicable: Stacks) {
        let refused_by = finding.refused_by;
        let counted = refused_by.intersection(self.counted);
        if counted.is_empty() {
            finding.severity = Severity::Warning;
            finding.message = if refused_by.is_empty() {
                format!(
                    "{}; no TLS stack refuses it, so it is a warning",
                    finding.message
                )
            } else {
                format!(
                    "{}; only {} {} it, which this audit does not count",
                    finding.message,
                    refused_by.in_words(),
                    refuse(refused_by)
                )
            };
        } else {
            finding.severity = Severity::Error;
            if refused_by != applicable {
                finding.message = format!(
                    "{}; {} {} it",
                    finding.message,
                    refused_by.in_words(),
                    refuse(refused_by)
                );
            }
        }
    }

    #[cfg(feature = "handshake")]
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Finding> {
        self.found.iter()
    }

    pub(crate) fn into_vec(self) -> Vec<Finding> {
        self.found
    }

    /// The findings in the order reports list them: response-level findings first, then
    /// member by member, then undocumented members by name. The order never depends on the
    /// order of members in the input.
    pub(crate) fn in_report_order(self) -> Vec<Finding> {
        let mut findings = self.found;
        findings.sort_by(|a, b| field_order(a).cmp(&field_order(b)));
        findings
    }
}

/// The help for findings about a CA the caller supplied.
const SUPPLIED_CA_HINT: &str = "this CA was supplied to the auditor (certkey-audit --ca FILE; Policy::with_ca_pem), not taken from the response: check that the file holds this task's CA certificate, in PEM";

/// The help for a finding the legacy profile relaxed: what still refuses it, and when to
/// act.
fn legacy_hint(refused_by: Stacks) -> String {
    let stacks = if refused_by.is_empty() {
        String::new()
    } else {
        format!(
            ", but {} still {} it: the agent and its targets must run none of them",
            refused_by.in_words(),
            refuse(refused_by)
        )
    };
    format!(
        "accepted as a warning by the legacy profile{stacks}; replace the certificates once the service can issue ones the strict profile passes"
    )
}

fn field_order(finding: &Finding) -> (usize, &str) {
    match finding.field() {
        None => (0, ""),
        Some(Field::Member(member)) => (1 + member.index(), ""),
        Some(Field::Other(name)) => (1 + Member::ALL.len(), name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stacks::Stack;

    fn collected(policy: &Policy, finding: Finding) -> Finding {
        let mut findings = Findings::under(policy);
        findings.push(finding);
        findings.into_vec().remove(0)
    }

    fn ca_not_critical() -> Finding {
        Finding::new(
            CheckId::CaBasicConstraints,
            Some(Field::Member(Member::Ca)),
            "ca's basicConstraints is not critical",
        )
    }

    #[test]
    fn the_legacy_profile_s_warnings_say_what_still_refuses_them() {
        let weak = || {
            Finding::new(
                CheckId::CertWeakKey,
                Some(Field::Member(Member::Cert)),
                "cert has an RSA key of 1024 bits",
            )
            .with_hint("the service must issue stronger ones")
            .refused_only_by(Stacks::of(&[Stack::Rustls]))
        };
        let legacy = Policy::default().with_profile(Profile::Legacy);
        let finding = collected(&legacy, weak());
        assert_eq!(finding.severity(), Severity::Warning);
        assert_eq!(
            finding.help(),
            "accepted as a warning by the legacy profile, but rustls still refuses it: the agent and its targets must run none of them; replace the certificates once the service can issue ones the strict profile passes"
        );
        // Strict: the finding's own advice stands.
        let finding = collected(&Policy::default(), weak());
        assert_eq!(finding.severity(), Severity::Error);
        assert_eq!(finding.help(), "the service must issue stronger ones");
        // A warning already (only an uncounted stack refuses it): nothing for the profile to
        // relax, and the finding's advice stands.
        let go = Policy::default()
            .with_profile(Profile::Legacy)
            .with_stacks(Stacks::of(&[Stack::Go]));
        let finding = collected(&go, weak());
        assert_eq!(finding.severity(), Severity::Warning);
        assert_eq!(finding.help(), "the service must issue stronger ones");
        // What the legacy profile does not relax keeps its advice.
        let finding = collected(&legacy, ca_not_critical().with_hint("make it critical"));
        assert_eq!(finding.help(), "make it critical");
    }

    #[test]
    fn allowed_ids_are_marked_and_serialized_only_when_allowed() {
        let policy = Policy::default().with_allow([CheckId::CaBasicConstraints]);
        let finding = collected(&policy, ca_not_critical());
        assert!(finding.is_allowed());
        assert_eq!(finding.severity(), Severity::Error);
        let json = serde_json::to_value(&finding).unwrap();
        assert_eq!(json["allowed"], true);
        let other = Policy::default().with_allow([CheckId::CaAbsent]);
        let finding = collected(&other, ca_not_critical());
        assert!(!finding.is_allowed());
        assert!(serde_json::to_value(&finding)
            .unwrap()
            .get("allowed")
            .is_none());
    }

    #[test]
    fn a_counted_stack_that_refuses_makes_an_error_and_is_named() {
        let finding = collected(&Policy::default(), ca_not_critical());
        assert_eq!(finding.severity(), Severity::Error);
        assert!(finding
            .to_string()
            .starts_with("error[ca.basic_constraints]: ca's basicConstraints is not critical;"));
        assert_eq!(
            finding.refused_by(),
            Stacks::of(&[Stack::Python, Stack::Pyca])
        );
        assert_eq!(
            finding.message(),
            "ca's basicConstraints is not critical; OpenSSL with X509_STRICT (Python 3.13's default) and pyca/cryptography's verifier refuse it"
        );
        // One stack: the verb agrees.
        let go = Policy::default().with_stacks(Stacks::of(&[Stack::Go, Stack::Pyca]));
        let finding = collected(
            &go,
            ca_not_critical().refused_only_by(Stacks::of(&[Stack::Pyca])),
        );
        assert_eq!(finding.severity(), Severity::Error);
        assert!(
            finding
                .message()
                .ends_with("; pyca/cryptography's verifier refuses it"),
            "{}",
            finding.message()
        );
    }

    #[test]
    fn refusals_by_uncounted_stacks_or_none_are_warnings_that_say_so() {
        let openssl = Policy::default().with_stacks(Stacks::of(&[Stack::OpenSsl]));
        let finding = collected(&openssl, ca_not_critical());
        assert_eq!(finding.severity(), Severity::Warning);
        assert!(finding.message().ends_with(
            "; only OpenSSL with X509_STRICT (Python 3.13's default) and pyca/cryptography's verifier refuse it, which this audit does not count"
        ), "{}", finding.message());
        let finding = collected(
            &Policy::default(),
            ca_not_critical().refused_only_by(Stacks::NONE),
        );
        assert_eq!(finding.severity(), Severity::Warning);
        assert!(finding
            .message()
            .ends_with("; no TLS stack refuses it, so it is a warning"));
    }

    #[test]
    fn what_every_stack_refuses_is_not_named_and_keys_are_not_pycas() {
        let expired = Finding::new(
            CheckId::CertExpired,
            Some(Field::Member(Member::Cert)),
            "cert expired",
        );
        let finding = collected(&Policy::default(), expired);
        assert_eq!(
            (finding.severity(), finding.message()),
            (Severity::Error, "cert expired")
        );
        let mismatch = Finding::new(
            CheckId::KeyMismatch,
            Some(Field::Member(Member::PrivateKey)),
            "private_key is not cert's key",
        );
        let finding = collected(&Policy::default(), mismatch);
        assert_eq!(finding.refused_by(), Stacks::KEY_LOADERS);
        assert_eq!(finding.message(), "private_key is not cert's key");
    }

    #[test]
    fn legacy_relaxes_its_checks_and_fixed_severities_stay() {
        let weak = || {
            Finding::new(
                CheckId::CertWeakKey,
                Some(Field::Member(Member::Cert)),
                "cert has an RSA key of 1024 bits",
            )
            .refused_only_by(Stacks::of(&[Stack::Python, Stack::Rustls]))
        };
        let legacy = Policy::default().with_profile(Profile::Legacy);
        assert_eq!(collected(&legacy, weak()).severity(), Severity::Warning);
        assert_eq!(
            collected(&Policy::default(), weak()).severity(),
            Severity::Error
        );
        // ca.absent's severity is its own, though every stack needs a CA.
        let absent = Finding::new(CheckId::CaAbsent, Some(Field::Member(Member::Ca)), "no ca");
        let finding = collected(&Policy::default(), absent);
        assert_eq!(
            (finding.severity(), finding.message()),
            (Severity::Warning, "no ca")
        );
        // A severity a check sets itself is kept.
        let set = collected(
            &Policy::default(),
            ca_not_critical().with_severity(Severity::Info),
        );
        assert_eq!(set.severity(), Severity::Info);
    }

    #[test]
    fn reports_list_the_response_then_members_in_order_then_other_names() {
        let first = Member::ALL[0];
        let last = *Member::ALL.last().unwrap();
        let finding = |field: Option<Field>, message: &str| {
            Finding::new(CheckId::FieldUnknown, field, message)
        };
        let mut findings = Findings::under(&Policy::default());
        for pushed in [
            // A member may be named "" ({"": …}): still after every documented one.
            finding(Some(Field::Other(String::new())), "empty name"),
            finding(Some(Field::Other("zeta".into())), "zeta"),
            finding(Some(Field::Other("alpha".into())), "alpha"),
            finding(Some(Field::Member(last)), "last"),
            finding(Some(Field::Member(first)), "first"),
            finding(None, "response"),
            finding(Some(Field::Member(first)), "first again"),
        ] {
            findings.push(pushed);
        }
        let order: Vec<String> = findings
            .in_report_order()
            .iter()
            .map(|f| f.message().to_owned())
            .collect();
        assert_eq!(
            order,
            [
                "response",
                "first",
                "first again",
                "last",
                "empty name",
                "alpha",
                "zeta"
            ]
        );
    }

    #[test]
    fn json_names_the_refusing_stacks_only_when_there_are_some() {
        let finding = collected(&Policy::default(), ca_not_critical());
        let json = serde_json::to_value(&finding).unwrap();
        assert_eq!(json["refused_by"], serde_json::json!(["python", "pyca"]));
        let shared = Finding::new(CheckId::KeyShared, None, "shared");
        let json = serde_json::to_value(collected(&Policy::default(), shared)).unwrap();
        assert!(json.get("refused_by").is_none(), "{json}");
    }
}
