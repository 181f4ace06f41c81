//! Many reports in one summary: the data behind `--report`'s page.
//!
//! A [`Fleet`] is built from reports alone (reports read back from `certkey-audit --format
//! json` records do as well as fresh ones), and serializes with serde. It holds what an
//! operator asks of a folder of responses: which bundles fail and why, which finding is most
//! common, what each TLS stack would refuse, and when every certificate expires. It makes no
//! finding: a certificate's state is read from the findings `cert.expired`,
//! `cert.not_yet_valid` and `cert.expires_soon` about it.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use certkey::{CheckId, Member, Report, Role, Severity, Stack, Stacks};

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
    /// Its certificate that expires first, when any parsed (the first in member order among
    /// equals).
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
    #[cfg(test)]
    const fn total(&self) -> usize {
        self.ca + self.source + self.target_mgmt + self.target_data
    }
}

/// `ids` with `id` added unless present.
fn push_once(ids: &mut Vec<CheckId>, id: CheckId) {
    if !ids.contains(&id) {
        ids.push(id);
    }
}

/// The ids that say where a certificate stands against the audit time, the most serious
/// first: expired, not yet valid, expiring within the warning window. A certificate with none
/// is valid beyond the window.
const STANDING: [CheckId; 3] = [
    CheckId::CertExpired,
    CheckId::CertNotYetValid,
    CheckId::CertExpiresSoon,
];

/// The state of the certificate in `member`, from the report's findings about it.
fn cert_state(report: &Report, member: Member) -> CertState {
    let [expired, not_yet_valid, expiring] = STANDING;
    let about = |id| {
        report
            .findings()
            .iter()
            .any(|f| f.id() == id && f.member() == Some(member))
    };
    if about(expired) {
        CertState::Expired
    } else if about(not_yet_valid) {
        CertState::NotYetValid
    } else if about(expiring) {
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
            certkey_version: certkey::CERTKEY_VERSION.to_owned(),
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
            for finding in report.findings() {
                push_once(&mut bundle.ids, finding.id());
                let entry = checks
                    .entry(finding.id())
                    .or_insert((finding.severity(), 0, 0));
                entry.0 = entry.0.max(finding.severity());
            }
            // As the report's verdict judged them: its policy's strictness and allow-list.
            for finding in report.failing() {
                push_once(&mut bundle.failing, finding.id());
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

#[cfg(test)]
mod tests {
    use super::*;
    use certkey::{audit, Policy};

    const WINDOW: Duration = Duration::from_secs(30 * 86_400);

    fn policy() -> Policy {
        let at = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000);
        Policy::default().with_at(at)
    }

    fn reports(names: &[&str], policy: &Policy) -> Vec<(String, Report)> {
        names
            .iter()
            .map(|name| {
                let path = format!("{}/../testdata/bundles/{name}", env!("CARGO_MANIFEST_DIR"));
                let bytes = std::fs::read(path).unwrap();
                ((*name).to_owned(), audit(&bytes, policy))
            })
            .collect()
    }

    fn fleet(reports: &[(String, Report)]) -> Fleet {
        Fleet::from_reports(reports.iter().map(|(s, r)| (s, r)), WINDOW)
    }

    const NAMES: [&str; 7] = [
        "good.json",
        "cert-expired.json",
        "api-error-403.json",
        "key-rsa-mismatch.json",
        "no-ca.json",
        "cert-expires-soon.json",
        "cert-not-yet-valid.json",
    ];

    fn tally(fleet: &Fleet, id: CheckId) -> (usize, usize) {
        let check = fleet.checks.iter().find(|c| c.id == id).unwrap();
        (check.bundles, check.failing)
    }

    #[test]
    fn bundles_ids_and_verdicts_are_counted_per_bundle() {
        let reports = reports(&NAMES, &policy());
        let fleet = fleet(&reports);
        assert_eq!(fleet.bundles.len(), 7);
        // good, no-ca (a warning) and expires-soon (a warning) are ok.
        assert_eq!((fleet.ok(), fleet.failed()), (3, 4));
        assert_eq!(fleet.audited_at.as_deref(), Some("2026-06-01T00:00:00Z"));
        assert_eq!(fleet.warn_within_seconds, 30 * 86_400);
        assert_eq!(tally(&fleet, CheckId::CertExpired), (1, 1));
        assert_eq!(tally(&fleet, CheckId::CaAbsent), (1, 0));
        assert_eq!(tally(&fleet, CheckId::CertExpiresSoon), (1, 0));
        assert_eq!(tally(&fleet, CheckId::KeyMismatch), (1, 1));
        let bundle = |name: &str| fleet.bundles.iter().find(|b| b.source == name).unwrap();
        assert_eq!(bundle("cert-expired.json").failing, [CheckId::CertExpired]);
        assert_eq!(bundle("no-ca.json").ids, [CheckId::CaAbsent]);
        assert!(bundle("no-ca.json").failing.is_empty() && bundle("no-ca.json").ok);
        assert_eq!(bundle("api-error-403.json").earliest_expiry, None);
        assert_eq!(bundle("api-error-403.json").refused_by, Stacks::NONE);
        assert_eq!(bundle("good.json").refused_by, Stacks::NONE);
        assert!(bundle("cert-expired.json")
            .refused_by
            .contains(Stack::Go123));
        // The most widespread first, the most severe among equals.
        let order: Vec<(usize, Severity)> = fleet
            .checks
            .iter()
            .map(|c| (c.bundles, c.severity))
            .collect();
        assert!(order
            .windows(2)
            .all(|w| w[0].0 > w[1].0 || (w[0].0 == w[1].0 && w[0].1 >= w[1].1)));
        // Under strict, a warning fails its bundle.
        let strict = self::reports(&["no-ca.json", "good.json"], &policy().with_strict(true));
        assert_eq!(tally(&self::fleet(&strict), CheckId::CaAbsent), (1, 1));
    }

    #[test]
    fn an_allowed_finding_is_counted_but_fails_nothing() {
        let allowed = policy().with_allow([CheckId::CertExpired]);
        let fleet = fleet(&reports(&["cert-expired.json"], &allowed));
        assert_eq!(tally(&fleet, CheckId::CertExpired), (1, 0));
        assert!(fleet.bundles[0].ok && fleet.bundles[0].failing.is_empty());
        assert_eq!(fleet.bundles[0].errors, 1);
    }

    #[test]
    fn each_certificate_has_its_state_and_each_bundle_its_first_expiry() {
        let reports = reports(&NAMES, &policy());
        let fleet = fleet(&reports);
        let states = |name: &str| -> Vec<(Member, CertState)> {
            let index = fleet.bundles.iter().position(|b| b.source == name).unwrap();
            fleet
                .certificates
                .iter()
                .filter(|c| c.bundle == index)
                .map(|c| (c.member, c.state))
                .collect()
        };
        assert!(states("good.json").iter().all(|s| s.1 == CertState::Valid));
        assert_eq!(states("good.json").len(), 4);
        assert_eq!(states("no-ca.json").len(), 3);
        assert!(states("cert-expired.json").contains(&(Member::Cert, CertState::Expired)));
        assert!(states("cert-expired.json").contains(&(Member::Ca, CertState::Valid)));
        assert!(states("cert-expires-soon.json").contains(&(Member::Cert, CertState::ExpiresSoon)));
        assert!(states("cert-not-yet-valid.json").contains(&(Member::Cert, CertState::NotYetValid)));
        let expired = &fleet.bundles[1];
        let first = expired.earliest_expiry.as_ref().unwrap();
        assert_eq!(first.member, Member::Cert);
        assert!(first.days_left < 0);
        let min = reports[1]
            .1
            .certificates()
            .iter()
            .map(|c| c.days_left)
            .min();
        assert_eq!(Some(first.days_left), min);
    }

    #[test]
    fn weeks_hold_every_certificate_and_the_expired_ones_before_week_0() {
        let reports = reports(&NAMES, &policy());
        let fleet = fleet(&reports);
        let weeks = fleet.expiry_weeks();
        let total: usize = weeks.iter().map(WeekTally::total).sum();
        assert_eq!(total, fleet.certificates.len());
        let expired: usize = weeks
            .iter()
            .filter(|w| w.week < 0)
            .map(WeekTally::total)
            .sum();
        let wanted = fleet
            .certificates
            .iter()
            .filter(|c| c.state == CertState::Expired)
            .count();
        assert_eq!((expired, wanted), (1, 1));
        assert!(weeks.windows(2).all(|w| w[0].week < w[1].week));
        let not_yet_valid: usize = weeks.iter().map(|w| w.not_yet_valid).sum();
        assert_eq!(not_yet_valid, 1);
        let cas: usize = weeks.iter().map(|w| w.of(Role::Ca)).sum();
        assert_eq!(cas, 5, "every bundle but the error body and no-ca.json");
        // A certificate expiring in 3 days is in week 0; in 10 days, week 1.
        let soon = fleet
            .certificates
            .iter()
            .find(|c| c.state == CertState::ExpiresSoon)
            .unwrap();
        let week = weeks
            .iter()
            .find(|w| w.week == soon.days_left.div_euclid(7))
            .unwrap();
        assert!(week.of(Role::Source) >= 1);
    }

    #[test]
    fn stacks_are_tallied_per_identity_and_any() {
        let reports = reports(&NAMES, &policy());
        let fleet = fleet(&reports);
        assert_eq!(fleet.stacks.len(), Stack::ALL.len());
        let go = fleet
            .stacks
            .iter()
            .find(|s| s.stack == Stack::Go123)
            .unwrap();
        // Refused by Go: the expired, mismatched, not-yet-valid and CA-less bundles (the
        // expiring one is still accepted).
        let refused: Vec<&str> = fleet
            .bundles
            .iter()
            .filter(|b| b.refused_by.contains(Stack::Go123))
            .map(|b| b.source.as_str())
            .collect();
        assert_eq!(go.refused, refused.len());
        assert!(refused.contains(&"key-rsa-mismatch.json") && !refused.contains(&"good.json"));
        let source = go.by_role.iter().find(|r| r.role == Role::Source).unwrap();
        assert_eq!(source.bundles, refused.len());
        // pyca loads no key: the mismatch is not its refusal.
        let pyca = fleet
            .stacks
            .iter()
            .find(|s| s.stack == Stack::Pyca48)
            .unwrap();
        assert_eq!(pyca.refused, go.refused - 1);
        assert!(go.top_reason.is_some());
        // Error bodies alone predict nothing.
        let bodies = self::reports(&["api-error-403.json"], &policy());
        assert!(self::fleet(&bodies).stacks.is_empty());
    }

    #[test]
    fn the_fleet_s_time_is_its_earliest_audit_and_ties_keep_member_order() {
        let later = policy().with_at(
            std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000 + 86_400),
        );
        let mut mixed = reports(&["good.json"], &later);
        mixed.extend(reports(&["good.json"], &policy()));
        mixed.extend(reports(&["good.json"], &later));
        let fleet = fleet(&mixed);
        assert_eq!(fleet.audited_at.as_deref(), Some("2026-06-01T00:00:00Z"));
        // Every certificate of good.json expires at the same time: the first member is the
        // earliest expiry.
        let days: Vec<i64> = mixed[0]
            .1
            .certificates()
            .iter()
            .map(|c| c.days_left)
            .collect();
        assert!(days.windows(2).all(|w| w[0] == w[1]), "{days:?}");
        let first = fleet.bundles[0].earliest_expiry.as_ref().unwrap();
        assert_eq!(first.member, Member::Ca);
    }

    #[test]
    fn a_stack_s_top_reason_is_its_most_frequent_one() {
        // Go refuses two sources for key.mismatch and one for cert.expired, which comes first
        // in the catalog: the count decides, not the order.
        assert!(CheckId::CertExpired < CheckId::KeyMismatch);
        let names = [
            "key-rsa-mismatch.json",
            "cert-expired.json",
            "key-rsa-mismatch.json",
        ];
        let fleet = fleet(&reports(&names, &policy()));
        let go = fleet
            .stacks
            .iter()
            .find(|s| s.stack == Stack::Go123)
            .unwrap();
        assert_eq!(go.top_reason, Some(CheckId::KeyMismatch));
        assert_eq!(go.refused, 3);
    }

    #[test]
    fn a_certificate_expired_less_than_a_day_ago_is_in_an_expired_week() {
        let fleet = fleet(&reports(&["cert-expired-a-second-ago.json"], &policy()));
        let cert = fleet
            .certificates
            .iter()
            .find(|c| c.member == Member::Cert)
            .unwrap();
        assert_eq!((cert.state, cert.days_left), (CertState::Expired, 0));
        let weeks = fleet.expiry_weeks();
        let expired: usize = weeks
            .iter()
            .filter(|w| w.week < 0)
            .map(|w| w.of(Role::Source))
            .sum();
        assert_eq!(expired, 1);
        assert!(weeks.iter().all(|w| w.week != 0));
    }

    #[test]
    fn a_state_s_name_is_its_serialized_form() {
        for state in [
            CertState::Expired,
            CertState::NotYetValid,
            CertState::ExpiresSoon,
            CertState::Valid,
        ] {
            let json = serde_json::to_value(state).unwrap();
            assert_eq!(json, state.as_str());
        }
    }

    #[test]
    fn a_fleet_reads_back_from_its_json() {
        let reports = reports(&NAMES, &policy());
        let fleet = fleet(&reports);
        let json = serde_json::to_string(&fleet).unwrap();
        let read: Fleet = serde_json::from_str(&json).unwrap();
        assert_eq!(read, fleet);
        assert!(json.contains(r#""state":"not_yet_valid""#));
        assert!(Fleet::from_reports(Vec::<(&str, &Report)>::new(), WINDOW)
            .audited_at
            .is_none());
    }
}
