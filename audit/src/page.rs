//! `--report FILE.html`: the fleet page, one self-contained HTML file.
//!
//! The data is a [`Fleet`]; this module lays it out (the timeline's geometry,
//! the table's cells) and hands it to `templates/report.html`, which escapes every value.
//! The page loads nothing: its Content-Security-Policy forbids every fetch, and its one
//! inline script is allowed by its SHA-256 alone.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::fleet::{CertState, Fleet, FleetCert};
use askama::Template;
use certkey::{CheckId, Role};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Up to this many bundles, the timeline draws each distinct certificate; beyond, a
/// histogram by week.
pub const MARKS_UP_TO: usize = 50;

/// The findings table lists this many ids, and the rest on request.
const TOP_CHECKS: usize = 10;

/// The page's script: sorting and filtering the table. Constant, so its hash is too.
const SCRIPT: &str = include_str!("../templates/report.js");

/// The timeline's geometry, in SVG user units.
const WIDTH: f64 = 960.0;
/// Where the lanes' labels end and the "expired" column starts.
const LABELS: f64 = 112.0;
/// The "expired" column's width.
const EXPIRED: f64 = 56.0;
/// The time axis, from the audit time (`PLOT_START`) to the end of the domain.
const PLOT_START: f64 = LABELS + EXPIRED + 12.0;
const PLOT_END: f64 = LATER_START - 12.0;
/// The "later" column, for CA certificates that outlive every leaf.
const LATER_START: f64 = WIDTH - LATER;
const LATER: f64 = 56.0;
const TOP: f64 = 24.0;

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    csp: String,
    script: &'static str,
    version: &'a str,
    audited_at: String,
    warn_within: String,
    bundles: usize,
    ok: usize,
    failed: usize,
    /// Bundles with a certificate expired or not yet valid at the audit time.
    invalid_now: usize,
    /// Bundles with a certificate in the warning window.
    expiring: usize,
    /// How many ids the findings table shows before "more".
    top_checks: usize,
    checks: Vec<CheckRow>,
    catalog: Vec<CatalogEntry>,
    stacks: Vec<StackRow>,
    roles: Vec<&'static str>,
    timeline: Timeline,
    rows: Vec<BundleRow>,
}

struct CheckRow {
    id: &'static str,
    severity: &'static str,
    summary: &'static str,
    bundles: usize,
    failing: usize,
    /// The bar's width, percent of the most widespread id's.
    bar: u32,
}

struct CatalogEntry {
    id: &'static str,
    severity: &'static str,
    summary: &'static str,
    explanation: std::borrow::Cow<'static, str>,
    fix: std::borrow::Cow<'static, str>,
}

struct StackRow {
    name: &'static str,
    description: &'static str,
    /// Bundles refused for each identity, then for any.
    cells: Vec<Cell>,
    top_reason: Option<&'static str>,
}

struct Cell {
    count: usize,
    /// 0 (none) to 4 (every bundle), for the cell's shade.
    heat: u8,
}

struct BundleRow {
    source: String,
    ok: bool,
    errors: usize,
    warnings: usize,
    expiry: String,
    /// The sort key of the expiry column: days left, or a large number without one.
    expiry_days: i64,
    failing: Vec<&'static str>,
    ids: String,
}

struct Timeline {
    width: f64,
    height: f64,
    /// The lanes' top.
    top: f64,
    expired_x: f64,
    expired_width: f64,
    later_width: f64,
    lanes: Vec<Lane>,
    ticks: Vec<Tick>,
    warn_x: f64,
    later_x: f64,
    has_later: bool,
    warn_width: f64,
    now_x: f64,
    axis_y: f64,
    /// `marks` or `weeks`: what the lanes hold.
    kind: &'static str,
    marks: Vec<Mark>,
    bars: Vec<Bar>,
    empty: bool,
}

struct Lane {
    label: &'static str,
    y: f64,
    height: f64,
}

struct Tick {
    x: f64,
    label: String,
}

struct Mark {
    role: &'static str,
    state: &'static str,
    x: f64,
    y: f64,
    count: usize,
    title: String,
}

struct Bar {
    role: &'static str,
    /// `expired`, `later`, or the week's number counted from the audit time.
    bucket: String,
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    count: usize,
    not_yet_valid: usize,
    title: String,
}

/// The identities in lane order, with their labels.
const LANES: [(Role, &str); 4] = [
    (Role::Ca, "CA"),
    (Role::Source, "source"),
    (Role::TargetMgmt, "target mgmt"),
    (Role::TargetData, "target data"),
];

fn lane_index(role: Role) -> usize {
    LANES.iter().position(|(r, _)| *r == role).unwrap_or(0)
}

/// Writes the page for `fleet` to `out`; `shown` gives each bundle's name as the page shows
/// it (escaped for display).
pub fn write(out: &mut impl Write, fleet: &Fleet, shown: &[String]) -> io::Result<()> {
    let page = layout(fleet, shown);
    let html = page.render().map_err(io::Error::other)?;
    out.write_all(html.as_bytes())
}

/// The date `days` after `at`, `YYYY-MM-DD`.
fn date_after(at: OffsetDateTime, days: i64) -> String {
    let date = (at + time::Duration::days(days)).date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The first 10 characters of an RFC 3339 time: its date.
fn date_of(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

/// The warning window as `--warn-within` takes it: `30 days`, `12 h`, `90 min`, `45 s`.
fn window_in_words(seconds: u64) -> String {
    match seconds {
        s if s % 86_400 == 0 => format!("{} days", s / 86_400),
        s if s % 3_600 == 0 => format!("{} h", s / 3_600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

fn days_in_words(days: i64) -> String {
    match days {
        d if d < 0 => format!("expired {} d ago", -d),
        d => format!("{d} d left"),
    }
}

fn layout<'a>(fleet: &'a Fleet, shown: &[String]) -> Page<'a> {
    let at = fleet
        .audited_at
        .as_deref()
        .and_then(|at| OffsetDateTime::parse(at, &Rfc3339).ok())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let warn_days = i64::try_from(fleet.warn_within_seconds / 86_400).unwrap_or(i64::MAX);
    let widest = fleet
        .checks
        .iter()
        .map(|c| c.bundles)
        .max()
        .unwrap_or(1)
        .max(1);
    let checks = fleet
        .checks
        .iter()
        .map(|c| CheckRow {
            id: c.id.as_str(),
            severity: c.severity.as_str(),
            summary: c.id.check().summary,
            bundles: c.bundles,
            failing: c.failing,
            bar: u32::try_from(c.bundles * 100 / widest).unwrap_or(100),
        })
        .collect();
    let mut catalog: Vec<CatalogEntry> = fleet
        .checks
        .iter()
        .map(|c| {
            let check = c.id.check();
            CatalogEntry {
                id: check.id.as_str(),
                // As the fleet's findings had it (the profile can lower it).
                severity: c.severity.as_str(),
                summary: check.summary,
                explanation: crate::args::in_flags(check.explanation),
                fix: crate::args::in_flags(check.fix),
            }
        })
        .collect();
    catalog.sort_by_key(|e| e.id);
    let bundles = fleet.bundles.len();
    let heat = |count: usize| -> u8 {
        match count {
            0 => 0,
            n if n * 4 <= bundles => 1,
            n if n * 2 <= bundles => 2,
            n if n < bundles => 3,
            _ => 4,
        }
    };
    let stacks = fleet
        .stacks
        .iter()
        .map(|s| StackRow {
            name: s.stack.name(),
            description: s.stack.description(),
            cells: s
                .by_role
                .iter()
                .map(|r| r.bundles)
                .chain([s.refused])
                .map(|count| Cell {
                    count,
                    heat: heat(count),
                })
                .collect(),
            top_reason: s.top_reason.map(CheckId::as_str),
        })
        .collect();
    let rows = fleet
        .bundles
        .iter()
        .enumerate()
        .map(|(i, b)| BundleRow {
            source: shown.get(i).cloned().unwrap_or_else(|| b.source.clone()),
            ok: b.ok,
            errors: b.errors,
            warnings: b.warnings,
            expiry: b.earliest_expiry.as_ref().map_or_else(String::new, |e| {
                format!("{} ({})", date_of(&e.not_after), days_in_words(e.days_left))
            }),
            expiry_days: b.earliest_expiry.as_ref().map_or(i64::MAX, |e| e.days_left),
            failing: b.failing.iter().map(|id| id.as_str()).collect(),
            ids: b
                .ids
                .iter()
                .map(|id| id.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        })
        .collect();
    let digest = ring::digest::digest(&ring::digest::SHA256, SCRIPT.as_bytes());
    let script_hash = {
        use base64ct::Encoding;
        base64ct::Base64::encode_string(digest.as_ref())
    };
    Page {
        csp: format!(
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; \
             base-uri 'none'; form-action 'none'"
        ),
        script: SCRIPT,
        version: &fleet.certkey_version,
        audited_at: fleet.audited_at.clone().unwrap_or_default(),
        warn_within: window_in_words(fleet.warn_within_seconds),
        bundles,
        ok: fleet.ok(),
        failed: fleet.failed(),
        invalid_now: bundles_with(fleet, |s| {
            matches!(s, CertState::Expired | CertState::NotYetValid)
        }),
        expiring: bundles_with(fleet, |s| s == CertState::ExpiresSoon),
        top_checks: TOP_CHECKS,
        checks,
        catalog,
        stacks,
        roles: vec!["source", "target mgmt", "target data", "any"],
        timeline: timeline(fleet, at, warn_days),
        rows,
    }
}

/// How many bundles have a certificate in a state `wanted` accepts.
fn bundles_with(fleet: &Fleet, wanted: impl Fn(CertState) -> bool) -> usize {
    let mut bundles: Vec<usize> = fleet
        .certificates
        .iter()
        .filter(|c| wanted(c.state))
        .map(|c| c.bundle)
        .collect();
    bundles.dedup();
    bundles.len()
}

/// The axis's ticks for a domain of at least `last` days from `at`: the first day of every
/// `step`th month (at most 8 ticks), as (days from `at`, date); and the domain's length in
/// days, up to the last tick.
fn ticks(at: OffsetDateTime, last: i64) -> (Vec<(i64, String)>, i64) {
    let start = at.date();
    let months = last / 30 + 1;
    let step = [1, 2, 3, 6, 12, 24, 60, 120, 240]
        .into_iter()
        .find(|step| months / step < 8)
        .unwrap_or(months / 7 + 1);
    // Months counted from January of year 0, so that stepping is plain arithmetic.
    let mut month = i64::from(start.year()) * 12 + i64::from(u8::from(start.month())) - 1;
    if start.day() != 1 || at.time() != time::Time::MIDNIGHT {
        month += 1;
    }
    if step >= 12 {
        // Yearly steps fall on the 1st of January.
        month = (month + 11) / 12 * 12;
    }
    let mut ticks = Vec::new();
    loop {
        let year = i32::try_from(month.div_euclid(12))
            .unwrap_or(9999)
            .min(9999);
        let Some(date) = u8::try_from(month.rem_euclid(12) + 1)
            .ok()
            .and_then(|m| time::Month::try_from(m).ok())
            .and_then(|m| time::Date::from_calendar_date(year, m, 1).ok())
        else {
            break;
        };
        let days = (date - start).whole_days();
        ticks.push((days, date.to_string()));
        if days >= last || ticks.len() > 12 || year == 9999 {
            return (ticks, days.max(1));
        }
        month += step;
    }
    let span = ticks.last().map_or(last, |t| t.0).max(1);
    (ticks, span)
}

/// `v` to a tenth: coordinates need no more, and the page stays small.
fn r1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn timeline(fleet: &Fleet, at: OffsetDateTime, warn_days: i64) -> Timeline {
    let marks_mode = fleet.bundles.len() <= MARKS_UP_TO;
    let lane_height = if marks_mode { 40.0 } else { 56.0 };
    let lanes: Vec<Lane> = LANES
        .iter()
        .enumerate()
        .map(|(i, (_, label))| Lane {
            label,
            y: TOP + lane_height * i as f64,
            height: lane_height,
        })
        .collect();
    let axis_y = TOP + lane_height * LANES.len() as f64;
    // The domain: from the audit time to the last leaf's notAfter (a CA that outlives every
    // leaf goes in the "later" column), at least twice the warning window and 60 days, up to
    // the next tick.
    let valid = |c: &&FleetCert| c.state != CertState::Expired;
    let last = fleet
        .certificates
        .iter()
        .filter(valid)
        .filter(|c| c.role() != Role::Ca)
        .map(|c| c.days_left)
        .max()
        .or_else(|| {
            fleet
                .certificates
                .iter()
                .filter(valid)
                .map(|c| c.days_left)
                .max()
        })
        .unwrap_or(0)
        .max(warn_days.saturating_mul(2))
        .max(60);
    let (ticks_at, span) = ticks(at, last);
    let x = |days: i64| {
        PLOT_START + (days.clamp(0, span) as f64) / (span as f64) * (PLOT_END - PLOT_START)
    };
    let later = |days: i64| days > span;
    let ticks = ticks_at
        .into_iter()
        .map(|(days, label)| Tick {
            x: r1(x(days)),
            label,
        })
        .collect();

    let mut marks = Vec::new();
    let mut bars = Vec::new();
    if marks_mode {
        // One mark per distinct certificate and identity (a CA shared by every bundle is one
        // mark), with how many bundles hold it.
        let mut distinct: BTreeMap<(usize, &str), Vec<&FleetCert>> = BTreeMap::new();
        for cert in &fleet.certificates {
            distinct
                .entry((lane_index(cert.role()), &cert.sha256_fingerprint))
                .or_default()
                .push(cert);
        }
        let mut per_lane = [0usize; 4];
        let mut expired_per_lane = [0usize; 4];
        let mut later_per_lane = [0usize; 4];
        for ((lane, _), certs) in distinct {
            let first = certs[0];
            let state = certs
                .iter()
                .map(|c| c.state)
                .min_by_key(|s| match s {
                    CertState::Expired => 0,
                    CertState::NotYetValid => 1,
                    CertState::ExpiresSoon => 2,
                    _ => 3,
                })
                .unwrap_or(first.state);
            let lane_top = lanes[lane].y;
            let (mx, slot) = if state == CertState::Expired {
                expired_per_lane[lane] += 1;
                (LABELS + EXPIRED / 2.0, expired_per_lane[lane] - 1)
            } else if later(first.days_left) {
                later_per_lane[lane] += 1;
                (LATER_START + LATER / 2.0, later_per_lane[lane] - 1)
            } else {
                per_lane[lane] += 1;
                (x(first.days_left), per_lane[lane] - 1)
            };
            // Staggered over three rows, so marks of close dates stay apart.
            let y = lane_top + lane_height / 2.0 + ((slot % 3) as f64 - 1.0) * 9.0;
            let holders = if certs.len() == 1 {
                "1 bundle".to_owned()
            } else {
                format!("{} bundles", certs.len())
            };
            marks.push(Mark {
                role: LANES[lane].0.as_str(),
                state: state.as_str(),
                x: r1(mx),
                y: r1(y),
                count: certs.len(),
                title: format!(
                    "{} ({}): notAfter {}, {}; {}",
                    first.subject,
                    first.member,
                    first.not_after,
                    state_in_words(state, first.days_left),
                    holders
                ),
            });
        }
    } else {
        let weeks = fleet.expiry_weeks();
        // Not-yet-valid certificates by identity and week (the weeks count all identities).
        let mut not_yet_valid: BTreeMap<(Role, i64), usize> = BTreeMap::new();
        for cert in fleet
            .certificates
            .iter()
            .filter(|c| c.state == CertState::NotYetValid)
        {
            *not_yet_valid
                .entry((cert.role(), cert.days_left.max(0).div_euclid(7)))
                .or_default() += 1;
        }
        for (lane, (role, label)) in LANES.iter().enumerate() {
            let count_where = |keep: &dyn Fn(i64) -> bool| -> usize {
                weeks
                    .iter()
                    .filter(|w| keep(w.week))
                    .map(|w| w.of(*role))
                    .sum()
            };
            let expired = count_where(&|week| week < 0);
            let beyond = count_where(&|week| week >= 0 && later(week * 7));
            let shown: Vec<_> = weeks
                .iter()
                .filter(|w| w.week >= 0 && !later(w.week * 7) && w.of(*role) > 0)
                .collect();
            let max = shown
                .iter()
                .map(|w| w.of(*role))
                .chain([expired, beyond])
                .max()
                .unwrap_or(1)
                .max(1);
            let bottom = lanes[lane].y + lane_height - 2.0;
            let full = lane_height - 10.0;
            let height = |count: usize| r1((count as f64 / max as f64 * full).max(2.0));
            let mut bar = |bucket: String, left: f64, width: f64, count: usize, nyv, title| {
                bars.push(Bar {
                    role: role.as_str(),
                    bucket,
                    x: r1(left),
                    y: r1(bottom - height(count)),
                    width: r1(width),
                    height: height(count),
                    count,
                    not_yet_valid: nyv,
                    title,
                });
            };
            if expired > 0 {
                bar(
                    "expired".to_owned(),
                    LABELS + 8.0,
                    EXPIRED - 16.0,
                    expired,
                    0,
                    format!("{expired} expired {label} certificates"),
                );
            }
            for week in shown {
                let count = week.of(*role);
                let start = week.week * 7;
                let left = x(start);
                bar(
                    week.week.to_string(),
                    left,
                    (x(start + 7) - left - 0.5).max(1.5),
                    count,
                    not_yet_valid.get(&(*role, week.week)).copied().unwrap_or(0),
                    format!(
                        "{count} {label} certificates expire in the week of {}",
                        date_after(at, start)
                    ),
                );
            }
            if beyond > 0 {
                bar(
                    "later".to_owned(),
                    LATER_START + 8.0,
                    LATER - 16.0,
                    beyond,
                    0,
                    format!("{beyond} {label} certificates expire later"),
                );
            }
        }
    }
    Timeline {
        width: WIDTH,
        height: axis_y + 34.0,
        top: TOP,
        expired_x: LABELS,
        expired_width: EXPIRED,
        later_width: LATER,
        warn_x: r1(x(0)),
        warn_width: r1(x(warn_days) - x(0)),
        now_x: r1(x(0)),
        later_x: LATER_START,
        has_later: fleet
            .certificates
            .iter()
            .any(|c| c.state != CertState::Expired && later(c.days_left)),
        axis_y,
        lanes,
        ticks,
        kind: if marks_mode { "marks" } else { "weeks" },
        empty: fleet.certificates.is_empty(),
        marks,
        bars,
    }
}

fn state_in_words(state: CertState, days_left: i64) -> String {
    match state {
        CertState::Expired => "expired".to_owned(),
        CertState::NotYetValid => format!("not yet valid; {}", days_in_words(days_left)),
        CertState::ExpiresSoon => format!("expires soon; {}", days_in_words(days_left)),
        _ => days_in_words(days_left),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_is_said_as_it_is_given() {
        assert_eq!(window_in_words(30 * 86_400), "30 days");
        assert_eq!(window_in_words(12 * 3_600), "12 h");
        assert_eq!(window_in_words(90 * 60), "90 min");
        assert_eq!(window_in_words(45), "45 s");
    }

    #[test]
    fn ticks_fall_on_firsts_of_months_and_cover_the_domain() {
        let at = OffsetDateTime::parse("2026-06-01T00:00:00Z", &Rfc3339).unwrap();
        let mid_month = OffsetDateTime::parse("2026-06-17T09:30:00Z", &Rfc3339).unwrap();
        for (from, last) in [(at, 60), (at, 700), (mid_month, 3650), (mid_month, 45)] {
            let (ticks, span) = ticks(from, last);
            assert!((2..=13).contains(&ticks.len()), "{ticks:?}");
            assert!(
                ticks.iter().all(|(_, date)| date.ends_with("-01")),
                "{ticks:?}"
            );
            assert!(ticks.windows(2).all(|w| w[0].0 < w[1].0));
            assert!(ticks[0].0 >= 0 && span >= last && span == ticks.last().unwrap().0);
            // Each tick's offset is the days from the audit date to the tick's date.
            for (days, date) in &ticks {
                assert_eq!(&date_after(from, *days), date);
            }
        }
        // Yearly steps land on the 1st of January.
        let (ticks, _) = ticks(at, 3650);
        assert!(
            ticks.iter().all(|(_, date)| date.ends_with("-01-01")),
            "{ticks:?}"
        );
    }
}
