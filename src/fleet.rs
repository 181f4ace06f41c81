//! Many reports in one summary: the data behind `certkey-audit --report`'s page, for anyone
//! who audits a fleet of migration tasks and wants to render or query it themselves.
//!
//! A [`Fleet`] is built from reports alone (reports read back from `certkey-audit --format
//! json` records do as well as fresh ones), and serializes with serde. It holds what an
//! operator asks of a folder of responses: which bundles fail and why, which finding is most
//! common, what each TLS stack would refuse, and when every certificate expires.
//!
//! ```
//! use certkey::{audit, fleet::Fleet, Policy};
//! use std::time::Duration;
//!
//! let policy = Policy::default();
//! let broken = audit(br#"{"error_code": "SMS.0203", "error_msg": "expired"}"#, &policy);
//! let fleet = Fleet::from_reports([("task-42.json", &broken)], Duration::from_secs(30 * 86_400));
//! assert_eq!((fleet.bundles.len(), fleet.failed()), (1, 1));
//! assert_eq!(fleet.checks[0].id.as_str(), "response.api_error");
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::catalog::{CheckId, Severity};
use crate::member::{Member, Role};
use crate::report::Report;
use crate::stacks::{Stack, Stacks};

/// A fleet of audited bundles, summarized. Every member is public data: the reports hold no
/// key material, and neither does this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Fleet {
    /// The version of certkey that built the summary.
    pub certkey_version: String,
    /// The earliest audit time among the reports (RFC 3339), or `None` without reports.
    pub audited_at: Option<String>,
    /// The expiry warning window the audits used, in seconds.
    pub warn_within_seconds: u64,
    /// One row per report, in the order given.
    pub bundles: Vec<FleetBundle>,
    /// One row per finding id present, the most widespread first.
    pub checks: Vec<CheckTally>,
    /// One row per stack, in [`Stack::ALL`]'s order; empty when no report holds an identity
    /// (no bundle was audited as one).
    pub stacks: Vec<StackTally>,
    /// Every certificate that parsed, bundle by bundle, in member order.
    pub certificates: Vec<FleetCert>,
}

/// One audited bundle, as the fleet's table lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FleetBundle {
    /// Where the response came from (a file name), as the caller gave it.
    pub source: String,
    /// The report's verdict.
    pub ok: bool,
    /// How many error findings it has (allowed ones included).
    pub errors: usize,
    /// How many warnings it has (allowed ones included).
    pub warnings: usize,
    /// The ids of the findings that fail it, once each, in report order.
    pub failing: Vec<CheckId>,
    /// The ids of all its findings, once each, in report order.
    pub ids: Vec<CheckId>,
    /// Its certificate that expires first, when any parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earliest_expiry: Option<Expiry>,
    /// The stacks predicted to refuse at least one of its identities.
    pub refused_by: Stacks,
}

/// When a bundle's first certificate expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Expiry {
    /// The member holding the certificate.
    pub member: Member,
    /// Its notAfter, RFC 3339.
    pub not_after: String,
    /// Whole days from the audit time to notAfter (negative once expired).
    pub days_left: i64,
}

/// How many bundles have findings of one id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CheckTally {
    /// The id.
    pub id: CheckId,
    /// The severity its findings had (the most severe, should the profile have varied).
    pub severity: Severity,
    /// How many bundles have at least one finding of this id.
    pub bundles: usize,
    /// How many of those it fails (not allowed, and an error, or a warning under `strict`).
    pub failing: usize,
}

/// How many bundles a stack is predicted to refuse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StackTally {
    /// The stack.
    pub stack: Stack,
    /// How many bundles it refuses for at least one identity.
    pub refused: usize,
    /// How many bundles it refuses for each identity: source, target_mgmt, target_data.
    pub by_role: Vec<RoleTally>,
    /// The reason it gives most often (its first refused finding per identity), if it refuses
    /// any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_reason: Option<CheckId>,
}

/// A count of bundles for one identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoleTally {
    /// The identity.
    pub role: Role,
    /// How many bundles.
    pub bundles: usize,
}

/// Where a certificate stands at the audit time, as its findings say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CertState {
    /// `cert.expired`.
    Expired,
    /// `cert.not_yet_valid`.
    NotYetValid,
    /// `cert.expires_soon`: valid, but within the warning window.
    ExpiresSoon,
    /// Valid beyond the warning window.
    Valid,
}

impl CertState {
    /// The name used in serialized data: `expired`, `not_yet_valid`, `expires_soon`, `valid`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::ExpiresSoon => "expires_soon",
            Self::Valid => "valid",
        }
    }
}

/// One certificate of one bundle, for the expiry timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FleetCert {
    /// The bundle's index in [`Fleet::bundles`].
    pub bundle: usize,
    /// The member holding it.
    pub member: Member,
    /// The subject name, quoted as reports quote it.
    pub subject: String,
    /// notAfter, RFC 3339.
    pub not_after: String,
    /// Whole days from the audit time to notAfter (negative once expired).
    pub days_left: i64,
    /// Where it stands at the audit time.
    pub state: CertState,
    /// SHA-256 of the certificate (DER), as reports show it: the same certificate in many
    /// bundles (a CA) has the same fingerprint.
    pub sha256_fingerprint: String,
}

impl FleetCert {
    /// The identity the certificate belongs to.
    pub const fn role(&self) -> Role {
        self.member.role()
    }
}

/// The certificates whose notAfter falls in one week, by identity: a bar of the timeline's
/// histogram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WeekTally {
    /// The week, counted from the audit time: week `w` holds `days_left` from `7w` to `7w+6`.
    /// Negative weeks hold the expired certificates, and only those (a certificate expired
    /// less than a day ago is in week -1).
    pub week: i64,
    /// CA certificates.
    pub ca: usize,
    /// Source certificates.
    pub source: usize,
    /// Target management certificates.
    pub target_mgmt: usize,
    /// Target data certificates.
    pub target_data: usize,
    /// How many of them (any identity) are not yet valid.
    pub not_yet_valid: usize,
}

impl WeekTally {
    /// The certificates of `role` in the week.
    pub const fn of(&self, role: Role) -> usize {
        match role {
            Role::Ca => self.ca,
            Role::Source => self.source,
            Role::TargetMgmt => self.target_mgmt,
            Role::TargetData => self.target_data,
        }
    }

    /// Every certificate in the week.
    pub const fn total(&self) -> usize {
        self.ca + self.source + self.target_mgmt + self.target_data
    }
}

/// Whether a finding of `severity` fails a report audited with `strict`.
fn fails(severity: Severity, allowed: bool, strict: bool) -> bool {
    !allowed
        && match severity {
            Severity::Error => true,
            Severity::Warning => strict,
            Severity::Info => false,
        }
}

/// `ids` with `id` added unless present.
fn push_once(ids: &mut Vec<CheckId>, id: CheckId) {
    if !ids.contains(&id) {
        ids.push(id);
    }
}

/// The state of the certificate in `member`, from the report's findings about it.
fn cert_state(report: &Report, member: Member) -> CertState {
    let about = |id| {
        report
            .findings()
            .iter()
            .any(|f| f.id() == id && f.member() == Some(member))
    };
    if about(CheckId::CertExpired) {
        CertState::Expired
    } else if about(CheckId::CertNotYetValid) {
        CertState::NotYetValid
    } else if about(CheckId::CertExpiresSoon) {
        CertState::ExpiresSoon
    } else {
        CertState::Valid
    }
}

impl Fleet {
    /// Summarizes `reports`, each with its source's name, audited with the expiry warning
    /// window `warn_within` (reports do not record it).
    pub fn from_reports<'a, S: AsRef<str>>(
        reports: impl IntoIterator<Item = (S, &'a Report)>,
        warn_within: Duration,
    ) -> Self {
        let mut fleet = Self {
            certkey_version: crate::report::CERTKEY_VERSION.to_owned(),
            audited_at: None,
            warn_within_seconds: warn_within.as_secs(),
            bundles: Vec::new(),
            checks: Vec::new(),
            stacks: Vec::new(),
            certificates: Vec::new(),
        };
        // By id: (most severe severity, bundles, failing).
        let mut checks: BTreeMap<CheckId, (Severity, usize, usize)> = BTreeMap::new();
        // By stack: bundles refused, by role, and reasons.
        let mut refused = [0usize; Stack::ALL.len()];
        let mut refused_by_role = [[0usize; Role::WITH_KEYS.len()]; Stack::ALL.len()];
        let mut reasons: [BTreeMap<CheckId, usize>; Stack::ALL.len()] = Default::default();
        let mut any_identity = false;

        for (index, (source, report)) in reports.into_iter().enumerate() {
            if fleet
                .audited_at
                .as_deref()
                .is_none_or(|at| report.audited_at() < at)
            {
                fleet.audited_at = Some(report.audited_at().to_owned());
            }
            let mut bundle = FleetBundle {
                source: source.as_ref().to_owned(),
                ok: report.is_ok(),
                errors: report.findings_of(Severity::Error).count(),
                warnings: report.findings_of(Severity::Warning).count(),
                failing: Vec::new(),
                ids: Vec::new(),
                earliest_expiry: None,
                refused_by: Stacks::NONE,
            };
            let strict = report.is_strict();
            for finding in report.findings() {
                push_once(&mut bundle.ids, finding.id());
                if fails(finding.severity(), finding.is_allowed(), strict) {
                    push_once(&mut bundle.failing, finding.id());
                }
                let entry = checks
                    .entry(finding.id())
                    .or_insert((finding.severity(), 0, 0));
                entry.0 = entry.0.max(finding.severity());
            }
            for id in &bundle.ids {
                if let Some(entry) = checks.get_mut(id) {
                    entry.1 += 1;
                    entry.2 += usize::from(bundle.failing.contains(id));
                }
            }
            for identity in report.identities() {
                any_identity = true;
                let Some(role_index) = Role::WITH_KEYS.iter().position(|&r| r == identity.role)
                else {
                    continue;
                };
                for verdict in identity.stacks.iter().filter(|v| !v.accepts) {
                    let stack_index = Stack::ALL
                        .iter()
                        .position(|&s| s == verdict.stack)
                        .unwrap_or_default();
                    if !bundle.refused_by.contains(verdict.stack) {
                        refused[stack_index] += 1;
                        bundle.refused_by = bundle.refused_by.union(Stacks::of(&[verdict.stack]));
                    }
                    refused_by_role[stack_index][role_index] += 1;
                    if let Some(reason) = verdict.reason {
                        *reasons[stack_index].entry(reason).or_default() += 1;
                    }
                }
            }
            for cert in report.certificates() {
                if bundle
                    .earliest_expiry
                    .as_ref()
                    .is_none_or(|e| cert.days_left < e.days_left)
                {
                    bundle.earliest_expiry = Some(Expiry {
                        member: cert.member,
                        not_after: cert.not_after.clone(),
                        days_left: cert.days_left,
                    });
                }
                fleet.certificates.push(FleetCert {
                    bundle: index,
                    member: cert.member,
                    subject: cert.subject.clone(),
                    not_after: cert.not_after.clone(),
                    days_left: cert.days_left,
                    state: cert_state(report, cert.member),
                    sha256_fingerprint: cert.sha256_fingerprint.clone(),
                });
            }
            fleet.bundles.push(bundle);
        }

        fleet.checks = checks
            .into_iter()
            .map(|(id, (severity, bundles, failing))| CheckTally {
                id,
                severity,
                bundles,
                failing,
            })
            .collect();
        // The most widespread first; then the most severe; then catalog order (stable).
        fleet.checks.sort_by_key(|c| {
            (
                core::cmp::Reverse(c.bundles),
                core::cmp::Reverse(c.severity),
            )
        });
        if any_identity {
            fleet.stacks = Stack::ALL
                .into_iter()
                .enumerate()
                .map(|(i, stack)| StackTally {
                    stack,
                    refused: refused[i],
                    by_role: Role::WITH_KEYS
                        .into_iter()
                        .zip(refused_by_role[i])
                        .map(|(role, bundles)| RoleTally { role, bundles })
                        .collect(),
                    // The most frequent; ties go to catalog order.
                    top_reason: reasons[i]
                        .iter()
                        .max_by_key(|&(id, n)| (*n, core::cmp::Reverse(*id)))
                        .map(|(id, _)| *id),
                })
                .collect();
        }
        fleet
    }

    /// How many bundles are ok.
    pub fn ok(&self) -> usize {
        self.bundles.iter().filter(|b| b.ok).count()
    }

    /// How many bundles are not ok.
    pub fn failed(&self) -> usize {
        self.bundles.len() - self.ok()
    }

    /// The certificates by the week their notAfter falls in, counted from the audit time, in
    /// week order; weeks without a certificate are left out. The timeline's histogram.
    pub fn expiry_weeks(&self) -> Vec<WeekTally> {
        let mut weeks: BTreeMap<i64, WeekTally> = BTreeMap::new();
        for cert in &self.certificates {
            // By state first, so a certificate expired hours ago (0 whole days) is counted
            // as expired, and one expiring is never.
            let week = if cert.state == CertState::Expired {
                cert.days_left.div_euclid(7).min(-1)
            } else {
                cert.days_left.max(0).div_euclid(7)
            };
            let tally = weeks.entry(week).or_insert(WeekTally {
                week,
                ..WeekTally::default()
            });
            match cert.role() {
                Role::Ca => tally.ca += 1,
                Role::Source => tally.source += 1,
                Role::TargetMgmt => tally.target_mgmt += 1,
                Role::TargetData => tally.target_data += 1,
            }
            tally.not_yet_valid += usize::from(cert.state == CertState::NotYetValid);
        }
        weeks.into_values().collect()
    }
}
