//! Findings: what an audit reports, and the members of a response they are about.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::catalog::{CheckId, Severity};
use crate::member::Member;
use crate::stacks::Stacks;

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
/// A check reports a finding at its check's severity (or one its details decide), with the
/// stacks that refuse what it found; the audit's judgement ([`Report`](crate::Report))
/// then sets its severity under the policy, says which stacks refuse it, and marks it
/// allowed or not.
///
/// Messages never contain private-key material: they are built from lengths, positions,
/// labels and public certificate data only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    id: CheckId,
    pub(crate) severity: Severity,
    field: Option<Field>,
    pub(crate) message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) hint: Option<String>,
    #[serde(default, skip_serializing_if = "no_stack")]
    refused_by: Stacks,
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub(crate) allowed: bool,
}

fn no_stack(stacks: &Stacks) -> bool {
    stacks.is_empty()
}

impl Finding {
    /// A finding with the catalog's default severity, refused by the catalog's stacks that
    /// judge its member ([`refusals::judging_member`](crate::refusals::judging_member)).
    pub(crate) fn new(id: CheckId, field: Option<Field>, message: impl Into<String>) -> Self {
        let mut finding = Self {
            id,
            severity: id.check().severity,
            field,
            message: message.into(),
            hint: None,
            refused_by: id.check().refused_by,
            allowed: false,
        };
        finding.refused_by = finding
            .refused_by
            .intersection(crate::refusals::judging_member(finding.member()));
        finding
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

/// Findings as the checks report them, in the order the stages produce them: not yet
/// judged ([`crate::judge`]).
#[derive(Debug, Default)]
pub(crate) struct Findings {
    found: Vec<Finding>,
}

impl Findings {
    /// Records a finding.
    pub(crate) fn push(&mut self, finding: Finding) {
        self.found.push(finding);
    }

    /// The findings so far.
    #[cfg(any(test, feature = "handshake"))]
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Finding> {
        self.found.iter()
    }

    /// The findings, in the order they were reported.
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

    #[test]
    fn reports_list_the_response_then_members_in_order_then_other_names() {
        let first = Member::ALL[0];
        let last = *Member::ALL.last().unwrap();
        let finding = |field: Option<Field>, message: &str| {
            Finding::new(CheckId::FieldUnknown, field, message)
        };
        let mut findings = Findings::default();
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
}
