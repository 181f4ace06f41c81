//! `--report FILE.html`: the fleet page.
//!
//! Every figure the page shows is compared with the audit's own JSON records of the same run
//! (`--format json` beside `--report`), recomputed here from the records alone: the counts,
//! the findings by id, the stack matrix, every certificate on the timeline (as a mark, or in
//! a weekly bar), and the table, filtered and sorted through its own controls.
//!
//! The page is opened in headless Chromium (`tests/browser/page.py`, over the DevTools
//! protocol): it must load with no console message and no request but its own file, and a
//! screenshot of each page is written under `target/tmp/report-page/` for people to look at.
//! Without Chromium (or Python's `cryptography`, which writes the generated fleets) those
//! tests pass with a notice, unless `CERTKEY_STACKS=required` (CI), where they fail.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::common::{required, testdata, AT};

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-page");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn certkey_audit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_certkey-audit"))
        .args(args)
        .output()
        .unwrap()
}

/// Whether `what` is there; a notice (or, under `CERTKEY_STACKS=required`, a failure) if not.
fn available(what: &str, present: bool) -> bool {
    if !present {
        assert!(!required(), "CERTKEY_STACKS=required but {what} is missing");
        eprintln!("report_page: {what} is missing, the page is not checked in a browser");
    }
    present
}

fn chromium() -> bool {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .any(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    available("Chromium", found)
}

/// A folder of `count` generated responses (`tests/browser/fleet.py`), made once per run.
fn generated_fleet(count: usize) -> Option<PathBuf> {
    let dir = out_dir().join(format!("fleet-{count}"));
    let done = dir.join(".complete");
    if done.exists() {
        return Some(dir);
    }
    let pyca = Command::new("python3")
        .args(["-c", "import cryptography"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !available("Python's cryptography", pyca) {
        return None;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let output = Command::new("python3")
        .arg(browser_dir().join("fleet.py"))
        .arg(&dir)
        .arg(count.to_string())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(done, b"").unwrap();
    Some(dir)
}

/// One run with `--format json --report`: the records and the page's path.
fn audit_with_report(name: &str, inputs: &[&Path]) -> (Vec<Value>, PathBuf) {
    let page = out_dir().join(format!("{name}.html"));
    let mut args = vec![
        "--at".to_owned(),
        AT.to_owned(),
        "--format".to_owned(),
        "json".to_owned(),
        "--report".to_owned(),
        page.to_string_lossy().into_owned(),
    ];
    args.extend(inputs.iter().map(|p| p.to_string_lossy().into_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = certkey_audit(&args);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let records = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    (records, page)
}

/// What the page must show, recomputed from the records.
#[derive(Debug, Default)]
struct Expected {
    sources: Vec<String>,
    ok: usize,
    /// Per id: bundles with it, bundles it fails.
    checks: BTreeMap<String, (usize, usize)>,
    /// Per stack: bundles refused for source, target_mgmt, target_data, any.
    stacks: BTreeMap<String, [usize; 4]>,
    /// Every certificate: (role, state, fingerprint, bundle).
    certs: Vec<(String, String, String, usize)>,
    /// Each bundle's earliest days_left, if it has a certificate.
    earliest: Vec<Option<i64>>,
}

fn state_of(record: &Value, member: &str) -> &'static str {
    let has = |id: &str| {
        record["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == id && f["field"] == member)
    };
    if has("cert.expired") {
        "expired"
    } else if has("cert.not_yet_valid") {
        "not_yet_valid"
    } else if has("cert.expires_soon") {
        "expires_soon"
    } else {
        "valid"
    }
}

fn expected(records: &[Value]) -> Expected {
    let mut expected = Expected::default();
    let roles = ["source", "target_mgmt", "target_data"];
    for (index, record) in records.iter().enumerate() {
        expected
            .sources
            .push(record["source"].as_str().unwrap().to_owned());
        expected.ok += usize::from(record["ok"] == true);
        let mut ids = BTreeMap::new();
        for finding in record["findings"].as_array().unwrap() {
            let failing = finding["severity"] == "error" && finding["allowed"] != true;
            let seen = ids
                .entry(finding["id"].as_str().unwrap().to_owned())
                .or_insert(false);
            *seen |= failing;
        }
        for (id, failing) in ids {
            let entry = expected.checks.entry(id).or_default();
            entry.0 += 1;
            entry.1 += usize::from(failing);
        }
        let mut refused_any = BTreeSet::new();
        for identity in record["identities"].as_array().into_iter().flatten() {
            let role = roles.iter().position(|r| identity["role"] == *r).unwrap();
            for verdict in identity["stacks"].as_array().unwrap() {
                let stack = verdict["stack"].as_str().unwrap().to_owned();
                let cells = expected.stacks.entry(stack.clone()).or_default();
                if verdict["accepts"] == false {
                    cells[role] += 1;
                    if refused_any.insert(stack) {
                        cells[3] += 1;
                    }
                }
            }
        }
        let certificates = record["certificates"].as_array().unwrap();
        for cert in certificates {
            let member = cert["member"].as_str().unwrap();
            expected.certs.push((
                cert["role"].as_str().unwrap().to_owned(),
                state_of(record, member).to_owned(),
                cert["sha256_fingerprint"].as_str().unwrap().to_owned(),
                index,
            ));
        }
        expected.earliest.push(
            certificates
                .iter()
                .map(|c| c["days_left"].as_i64().unwrap())
                .min(),
        );
    }
    expected
}

/// Opens `page` in Chromium with the probe; the visit's report.
fn visit(page: &Path) -> Value {
    let screenshot = page.with_extension("png");
    let output = Command::new("python3")
        .arg(browser_dir().join("page.py"))
        .arg(page)
        .arg(&screenshot)
        .arg("--probe")
        .arg(browser_dir().join("probe.js"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "page.py: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let visit: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(std::fs::metadata(&screenshot).unwrap().len() > 10_000);
    eprintln!("report_page: screenshot at {}", screenshot.display());
    visit
}

fn as_usize(value: &Value) -> usize {
    usize::try_from(value.as_u64().unwrap()).unwrap()
}

/// The page, as loaded and used in Chromium, against what the records say.
fn assert_page_shows(records: &[Value], page: &Path, kind: &str) {
    let expected = expected(records);
    let visit = visit(page);

    // Self-contained: nothing asked for but the page itself, nothing logged.
    let url = visit["url"].as_str().unwrap();
    let requests: Vec<&str> = visit["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(requests, [url], "the page asked for more than itself");
    assert_eq!(visit["console"], serde_json::json!([]), "console messages");

    let facts = &visit["probe"];
    let bundles = records.len();
    let counts = &facts["counts"];
    assert_eq!(as_usize(&counts["bundles"]), bundles);
    assert_eq!(as_usize(&counts["ok"]), expected.ok);
    assert_eq!(as_usize(&counts["failed"]), bundles - expected.ok);
    let bundles_in = |states: &[&str]| {
        expected
            .certs
            .iter()
            .filter(|c| states.contains(&c.1.as_str()))
            .map(|c| c.3)
            .collect::<BTreeSet<_>>()
            .len()
    };
    assert_eq!(
        as_usize(&counts["invalid_now"]),
        bundles_in(&["expired", "not_yet_valid"])
    );
    assert_eq!(as_usize(&counts["expiring"]), bundles_in(&["expires_soon"]));

    // Findings by id: every id with its counts, the most widespread first, ten shown.
    let checks = facts["checks"].as_array().unwrap();
    let shown: BTreeMap<String, (usize, usize)> = checks
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                (as_usize(&c["bundles"]), as_usize(&c["failing"])),
            )
        })
        .collect();
    assert_eq!(shown, expected.checks);
    let order: Vec<usize> = checks.iter().map(|c| as_usize(&c["bundles"])).collect();
    assert!(order.windows(2).all(|w| w[0] >= w[1]), "{order:?}");
    let visible = checks.iter().filter(|c| c["shown"] == true).count();
    assert_eq!(visible, checks.len().min(10));
    let catalog: BTreeSet<String> = facts["catalog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(catalog, expected.checks.keys().cloned().collect());
    assert_eq!(facts["broken_links"], serde_json::json!([]));

    // The stack matrix.
    let stacks: BTreeMap<String, Vec<usize>> = facts["stacks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["stack"].as_str().unwrap().to_owned(),
                s["cells"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(as_usize)
                    .collect(),
            )
        })
        .collect();
    let wanted: BTreeMap<String, Vec<usize>> = expected
        .stacks
        .iter()
        .map(|(stack, cells)| (stack.clone(), cells.to_vec()))
        .collect();
    assert_eq!(stacks, wanted);

    // The timeline: every certificate counted once, where its state says.
    let timeline = &facts["timeline"];
    assert_eq!(timeline["kind"], kind);
    let by_role_and_state = |state: Option<&str>| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for cert in &expected.certs {
            if state.is_none_or(|s| s == cert.1) {
                *counts.entry(cert.0.clone()).or_default() += 1;
            }
        }
        counts
    };
    let sum_where = |items: &Value, keep: &dyn Fn(&Value) -> bool| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for item in items.as_array().unwrap().iter().filter(|i| keep(i)) {
            *counts
                .entry(item["role"].as_str().unwrap().to_owned())
                .or_default() += as_usize(&item["count"]);
        }
        counts
    };
    if kind == "marks" {
        let marks = &timeline["marks"];
        assert_eq!(sum_where(marks, &|_| true), by_role_and_state(None));
        for state in ["expired", "not_yet_valid", "expires_soon", "valid"] {
            assert_eq!(
                sum_where(marks, &|m| m["state"] == state),
                by_role_and_state(Some(state)),
                "marks of state {state}"
            );
        }
        let distinct: BTreeSet<(&str, &str)> = expected
            .certs
            .iter()
            .map(|c| (c.0.as_str(), c.2.as_str()))
            .collect();
        assert_eq!(marks.as_array().unwrap().len(), distinct.len());
        assert!(timeline["bars"].as_array().unwrap().is_empty());
    } else {
        let bars = &timeline["bars"];
        assert_eq!(sum_where(bars, &|_| true), by_role_and_state(None));
        assert_eq!(
            sum_where(bars, &|b| b["bucket"] == "expired"),
            by_role_and_state(Some("expired"))
        );
        let not_yet_valid: usize = bars
            .as_array()
            .unwrap()
            .iter()
            .map(|b| as_usize(&b["not_yet_valid"]))
            .sum();
        assert_eq!(
            not_yet_valid,
            by_role_and_state(Some("not_yet_valid"))
                .values()
                .sum::<usize>()
        );
        assert!(timeline["marks"].as_array().unwrap().is_empty());
    }

    // The table: a row per bundle in input order, and its controls.
    let rows: Vec<&str> = facts["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(rows, expected.sources);
    let used = &facts["used"];
    if let Some((top, (with_top, _))) = checks
        .first()
        .map(|c| c["id"].as_str().unwrap())
        .map(|id| (id, expected.checks[id]))
    {
        assert_eq!(used["filter_top_id"]["id"], top);
        assert_eq!(as_usize(&used["filter_top_id"]["visible"]), with_top);
        assert_eq!(
            used["filter_top_id"]["shown"],
            format!("{with_top} of {bundles} shown")
        );
        assert_eq!(used["button_sets_filter"], top);
        assert_eq!(as_usize(&used["button_visible"]), with_top);
    }
    assert_eq!(as_usize(&used["failed_only"]), bundles - expected.ok);
    let named = expected
        .sources
        .iter()
        .filter(|s| s.to_lowercase().contains("task-0000"))
        .count();
    assert_eq!(as_usize(&used["name_filter"]), named);
    assert_eq!(as_usize(&used["all_visible"]), bundles);
    assert_eq!(used["sorted_ascending"]["aria"], "ascending");
    let days: Vec<i64> = used["sorted_ascending"]["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_f64().unwrap() as i64)
        .collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "not sorted");
    let mut wanted_days: Vec<i64> = expected
        .earliest
        .iter()
        .map(|d| d.unwrap_or(i64::MAX))
        .collect();
    wanted_days.sort_unstable();
    // i64::MAX went through a JavaScript number (f64): compare the bundles that have one.
    let with_expiry = expected.earliest.iter().flatten().count();
    assert_eq!(days[..with_expiry], wanted_days[..with_expiry]);
    assert_eq!(used["sorted_descending"]["aria"], "descending");
    if checks.len() > 10 {
        assert_eq!(used["more_checks_shown"], true);
    }
}

#[test]
fn the_fixture_folder_s_page_shows_what_the_audit_found() {
    let (records, page) = audit_with_report("fixtures", &[&testdata().join("bundles")]);
    assert!(records.len() > 200);
    if chromium() {
        assert_page_shows(&records, &page, "weeks");
    }
}

#[test]
fn a_small_fleet_gets_one_mark_per_distinct_certificate() {
    let Some(fleet) = generated_fleet(40) else {
        return;
    };
    let (records, page) = audit_with_report("fleet-40", &[&fleet]);
    assert_eq!(records.len(), 40);
    // The generated fleet holds what the timeline must tell apart.
    let states: BTreeSet<String> = expected(&records).certs.into_iter().map(|c| c.1).collect();
    assert!(
        states.len() >= 3,
        "the fleet's certificates are all {states:?}"
    );
    if chromium() {
        assert_page_shows(&records, &page, "marks");
    }
}

#[test]
fn five_thousand_bundles_make_a_weekly_histogram_that_loads_cleanly() {
    let Some(fleet) = generated_fleet(5000) else {
        return;
    };
    let (records, page) = audit_with_report("fleet-5000", &[&fleet]);
    assert_eq!(records.len(), 5000);
    // Linear and modest: well under a kilobyte a bundle.
    let size = std::fs::metadata(&page).unwrap().len();
    assert!(size < 5000 * 400, "{size} bytes");
    if chromium() {
        assert_page_shows(&records, &page, "weeks");
    }
}

/// The page's text, and its one script as it appears between the tags.
fn page_and_script(page: &Path) -> (String, String) {
    let html = std::fs::read_to_string(page).unwrap();
    let start = html.find("<script>").unwrap() + "<script>".len();
    let end = html[start..].find("</script>").unwrap() + start;
    let script = html[start..end].to_owned();
    (html, script)
}

#[test]
fn the_page_loads_nothing_and_allows_only_its_own_script() {
    let (_, page) = audit_with_report("self-contained", &[&testdata().join("bundles")]);
    let (html, script) = page_and_script(&page);
    // No reference to anything outside the file.
    for reference in [
        "src=", "<link", "@import", "url(", "http://", "https://", "//cdn",
    ] {
        assert!(!html.contains(reference), "the page holds {reference:?}");
    }
    assert_eq!(html.matches("<script").count(), 1);
    // The policy forbids every fetch and names the script by its hash.
    let csp_start = html
        .find(r#"<meta http-equiv="Content-Security-Policy" content=""#)
        .unwrap();
    let csp = &html[csp_start..];
    let csp = &csp[..csp.find('>').unwrap()];
    assert!(csp.contains("default-src &#39;none&#39;") || csp.contains("default-src 'none'"));
    let digest = ring::digest::digest(&ring::digest::SHA256, script.as_bytes());
    let hash = {
        use base64ct::Encoding;
        base64ct::Base64::encode_string(digest.as_ref())
    };
    assert!(csp.contains(&format!("sha256-{hash}")), "{csp}");
    // The same reports make the same page.
    let (_, again) = audit_with_report("self-contained-again", &[&testdata().join("bundles")]);
    assert_eq!(
        std::fs::read(&page).unwrap(),
        std::fs::read(&again).unwrap()
    );
}

#[test]
fn names_and_subjects_are_escaped_for_html() {
    let dir = out_dir().join("hostile-names");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let good = std::fs::read(testdata().join("bundles/good.json")).unwrap();
    let hostile = dir.join("<img src=x onerror=alert(1)>&amp;.json");
    std::fs::write(&hostile, &good).unwrap();
    let page = out_dir().join("hostile-names.html");
    let output = certkey_audit(&[
        "--at",
        AT,
        "-q",
        "--report",
        page.to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<img"), "a file name was written as markup");
    assert!(html.contains("&#60;img src=x onerror=alert(1)&#62;&#38;amp;.json"));
}

#[test]
fn a_report_that_cannot_be_written_ends_the_run_with_2() {
    let page = out_dir().join("no-such-folder/fleet.html");
    let good = testdata().join("bundles/good.json");
    let output = certkey_audit(&[
        "--at",
        AT,
        "--report",
        page.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot write the report"), "{stderr}");
    // The audit's own output was written first, as without --report.
    assert!(String::from_utf8_lossy(&output.stdout).contains("good.json"));
}
