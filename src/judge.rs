//! The judgement: what an audit's findings mean under a policy, decided in one step once the
//! checks are done (and again by [`Report::rejudged`](crate::Report::rejudged), without
//! auditing again).
//!
//! A check reports what it found: its finding at the check's severity (or one the finding's
//! details decide) and the stacks that refuse it. The judgement then, for each finding,
//! 1. decides the severity of a check about what stacks refuse
//!    ([`Check::severity_from_stacks`](crate::Check::severity_from_stacks)) from the stacks
//!    the policy counts: an error when a counted stack refuses it, else a warning, with words
//!    that say which stacks refuse it unless every stack that could does;
//! 2. relaxes what the profile relaxes ([`Check::severity_under`](crate::Check::severity_under)),
//!    with advice that names what still refuses it;
//! 3. points advice about a supplied CA at the file it came from;
//! 4. marks the ids the policy allows.
//!
//! A severity a check set from its details (not the catalog's) is kept: the judgement decides
//! only what the catalog leaves to it.

use crate::catalog::{CheckId, Profile, Severity};
use crate::finding::Finding;
use crate::member::{CaSource, Member};
use crate::policy::Policy;
use crate::refusals::judging_member;
use crate::stacks::Stacks;

/// The help for findings about a CA the caller supplied.
const SUPPLIED_CA_HINT: &str = "this CA was supplied to the auditor (the `ca_pem` option), not taken from the response: check that the file holds this task's CA certificate, in PEM";

/// The judging options of a policy, and where the audited CA came from.
pub(crate) struct Judge<'a> {
    profile: Profile,
    counted: Stacks,
    allow: &'a [CheckId],
    strict: bool,
    ca_source: Option<CaSource>,
}

impl<'a> Judge<'a> {
    /// Judges under `policy`'s profile, stacks, allowed ids and strictness, for an audit
    /// whose CA came from `ca_source`.
    pub(crate) fn new(policy: &'a Policy, ca_source: Option<CaSource>) -> Self {
        Self {
            profile: policy.profile(),
            counted: policy.stacks(),
            allow: policy.allow(),
            strict: policy.strict(),
            ca_source,
        }
    }

    /// Whether reports are judged strictly (warnings fail).
    pub(crate) fn strict(&self) -> bool {
        self.strict
    }

    /// `reported`, as a check reported it, judged.
    pub(crate) fn judge(&self, reported: &Finding) -> Finding {
        let mut finding = reported.clone();
        let check = finding.id().check();
        if finding.severity == check.severity {
            if check.severity_from_stacks {
                self.judge_by_stacks(&mut finding);
            }
            // The legacy profile relaxes a few checks even where counted stacks refuse:
            // accepting that risk is what the profile is for.
            let relaxed = check.severity_under(self.profile);
            if relaxed != check.severity && relaxed < finding.severity {
                finding.severity = relaxed;
                // The strict profile's advice ("the service must issue stronger ones") is
                // not what an operator who chose this profile can act on.
                finding.hint = Some(legacy_hint(finding.refused_by()));
            }
        }
        if self.ca_source == Some(CaSource::Supplied) && finding.member() == Some(Member::Ca) {
            // Advice about the response's ca ("download again", "the members look swapped")
            // would send the operator to the wrong file. (A leaf that does not verify to a
            // supplied CA gets its own words where it is checked.)
            finding.hint = Some(SUPPLIED_CA_HINT.to_owned());
        }
        finding.allowed = self.allow.binary_search(&finding.id()).is_ok();
        finding
    }

    /// The severity `reported` is judged to have.
    #[cfg(feature = "handshake")]
    pub(crate) fn severity(&self, reported: &Finding) -> Severity {
        self.judge(reported).severity()
    }

    /// An error when a counted stack refuses what `finding` reports, else a warning; the
    /// message names the refusing stacks unless every stack that could refuse does.
    fn judge_by_stacks(&self, finding: &mut Finding) {
        let refused_by = finding.refused_by();
        if refused_by.intersection(self.counted).is_empty() {
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
            let judging = judging_member(finding.member());
            if refused_by != judging {
                finding.message = format!(
                    "{}; {} {} it",
                    finding.message,
                    refused_by.in_words(),
                    refuse(refused_by)
                );
                // Another version or provider of a refusing library that accepts it: what an
                // agent on that one runs into differs, and the message says so.
                let kin = judging
                    .intersection(self.counted)
                    .filter(|stack| refused_by.iter().any(|r| r.family() == stack.family()))
                    .without_all(refused_by);
                if !kin.is_empty() {
                    finding.message = format!(
                        "{}; {} {} it",
                        finding.message,
                        kin.in_words(),
                        if kin.is_plural() { "accept" } else { "accepts" }
                    );
                }
            }
        }
    }
}

/// Whether a judged finding fails an audit, strict or not: an error does, a warning only when
/// strict, an information never; an allowed one never does.
pub(crate) fn fails(judged: &Finding, strict: bool) -> bool {
    let fails = match judged.severity() {
        Severity::Error => true,
        Severity::Warning => strict,
        Severity::Info => false,
    };
    fails && !judged.is_allowed()
}

/// The verb for `stacks` as its subject.
fn refuse(stacks: Stacks) -> &'static str {
    if stacks.is_plural() {
        "refuse"
    } else {
        "refuses"
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Profile;
    use crate::finding::Field;
    use crate::stacks::Stack;

    fn collected(policy: &Policy, finding: Finding) -> Finding {
        Judge::new(policy, None).judge(&finding)
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
            .refused_only_by(Stacks::of(&[Stack::RustlsRing]))
        };
        let legacy = Policy::default().with_profile(Profile::Legacy);
        let finding = collected(&legacy, weak());
        assert_eq!(finding.severity(), Severity::Warning);
        assert_eq!(
            finding.help(),
            "accepted as a warning by the legacy profile, but rustls 0.23 with ring still refuses it: the agent and its targets must run none of them; replace the certificates once the service can issue ones the strict profile passes"
        );
        // Strict: the finding's own advice stands.
        let finding = collected(&Policy::default(), weak());
        assert_eq!(finding.severity(), Severity::Error);
        assert_eq!(finding.help(), "the service must issue stronger ones");
        // A warning already (only an uncounted stack refuses it): nothing for the profile to
        // relax, and the finding's advice stands.
        let go = Policy::default()
            .with_profile(Profile::Legacy)
            .with_stacks(Stacks::of(&[Stack::Go123]));
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
            Stacks::of(&[Stack::PythonOpenSsl30, Stack::PythonOpenSsl35]).union(Stacks::PYCA)
        );
        assert_eq!(
            finding.message(),
            "ca's basicConstraints is not critical; Python 3.13's default context on OpenSSL 3.0 and 3.5, and pyca/cryptography 48 and 51's verifier refuse it; Python 3.13's default context on OpenSSL 4.0 accepts it"
        );
        // One stack: the verb agrees.
        let go = Policy::default().with_stacks(Stacks::of(&[Stack::Go123, Stack::Pyca48]));
        let finding = collected(
            &go,
            ca_not_critical().refused_only_by(Stacks::of(&[Stack::Pyca48])),
        );
        assert_eq!(finding.severity(), Severity::Error);
        assert!(
            finding
                .message()
                .ends_with("; pyca/cryptography 48's verifier refuses it"),
            "{}",
            finding.message()
        );
    }

    #[test]
    fn an_error_says_which_counted_kin_of_a_refusing_stack_accept_it() {
        let ring_only = || {
            Finding::new(
                CheckId::KeyNonstandard,
                Some(Field::Member(Member::PrivateKey)),
                "private_key is a P-521 key",
            )
            .refused_only_by(Stacks::of(&[Stack::RustlsRing]))
        };
        let finding = collected(&Policy::default(), ring_only());
        assert_eq!(finding.severity(), Severity::Error);
        assert_eq!(
            finding.message(),
            "private_key is a P-521 key; rustls 0.23 with ring refuses it; rustls 0.23 with aws-lc-rs (its default provider) accepts it"
        );
        // Kin the audit does not count go unsaid; so do other libraries that accept it.
        let ring = Policy::default().with_stacks(Stacks::of(&[Stack::RustlsRing, Stack::Go123]));
        assert_eq!(
            collected(&ring, ring_only()).message(),
            "private_key is a P-521 key; rustls 0.23 with ring refuses it"
        );
        // Refused by the whole family: no kin accepts it.
        let rustls = collected(
            &Policy::default(),
            Finding::new(
                CheckId::KeyNonstandard,
                Some(Field::Member(Member::PrivateKey)),
                "private_key is a P-521 key",
            )
            .refused_only_by(Stacks::RUSTLS),
        );
        assert_eq!(
            rustls.message(),
            "private_key is a P-521 key; rustls 0.23 with either provider refuses it"
        );
    }

    #[test]
    fn refusals_by_uncounted_stacks_or_none_are_warnings_that_say_so() {
        let openssl = Policy::default().with_stacks(Stacks::of(&[Stack::OpenSsl30]));
        let finding = collected(&openssl, ca_not_critical());
        assert_eq!(finding.severity(), Severity::Warning);
        assert!(finding.message().ends_with(
            "; only Python 3.13's default context on OpenSSL 3.0 and 3.5, and pyca/cryptography 48 and 51's verifier refuse it, which this audit does not count"
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
            .refused_only_by(Stacks::of(&[Stack::PythonOpenSsl30, Stack::RustlsRing]))
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
    fn json_names_the_refusing_stacks_only_when_there_are_some() {
        let finding = collected(&Policy::default(), ca_not_critical());
        let json = serde_json::to_value(&finding).unwrap();
        assert_eq!(
            json["refused_by"],
            serde_json::json!([
                "python-3.13-openssl-3.0",
                "python-3.13-openssl-3.5",
                "pyca-48",
                "pyca-51"
            ])
        );
        let shared = Finding::new(CheckId::KeyShared, None, "shared");
        let json = serde_json::to_value(collected(&Policy::default(), shared)).unwrap();
        assert!(json.get("refused_by").is_none(), "{json}");
    }

    #[test]
    fn what_fails_an_audit_depends_on_severity_strictness_and_allowances() {
        use Severity::{Error, Info, Warning};
        // A finding of `id` at `severity`, a severity its check set (which the judgement keeps).
        let fails = |policy: &Policy, id: CheckId, severity| {
            let judge = Judge::new(policy, None);
            super::fails(
                &judge.judge(&Finding::new(id, None, "words").with_severity(severity)),
                policy.strict(),
            )
        };
        let id = CheckId::CaAbsent;
        let lenient = Policy::default();
        let strict = Policy::default().with_strict(true);
        assert!(!lenient.strict() && strict.strict());
        assert!(fails(&lenient, id, Error) && !fails(&lenient, id, Warning));
        assert!(!fails(&lenient, id, Info));
        assert!(fails(&strict, id, Error) && fails(&strict, id, Warning));
        assert!(!fails(&strict, id, Info));
        let allowed = strict.with_allow([CheckId::KeyMismatch, id, CheckId::FieldMissing, id]);
        assert_eq!(
            allowed.allow(),
            [
                CheckId::FieldMissing,
                CheckId::CaAbsent,
                CheckId::KeyMismatch
            ]
        );
        for severity in [Error, Warning, Info] {
            assert!(!fails(&allowed, id, severity));
        }
        assert!(fails(&allowed, CheckId::ChainUntrusted, Error));
        assert!(fails(&allowed, CheckId::ChainUntrusted, Warning));
    }
}
