//! The binary as an operator meets it: folders as people keep them, `-q`, dates, completions
//! and the manual page.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{bundle, run, scratch, stderr, stdout, AT};

fn sources(output: &Output) -> Vec<String> {
    stdout(output)
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            record["source"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn a_folder_s_json_files_are_found_whatever_the_case_of_their_extension() {
    let dir = scratch("case");
    std::fs::copy(bundle("good.json"), dir.join("a.JSON")).unwrap();
    std::fs::copy(bundle("good.json"), dir.join("b.Json")).unwrap();
    std::fs::copy(bundle("good.json"), dir.join("c.json")).unwrap();
    std::fs::write(dir.join("readme.txt"), "not a response").unwrap();
    std::fs::write(dir.join("json"), "not a response either").unwrap();
    let output = run(&["--at", AT, "--format", "json", &dir.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let names: Vec<String> = sources(&output)
        .iter()
        .map(|s| {
            Path::new(s)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names, ["a.JSON", "b.Json", "c.json"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn each_file_is_audited_once_and_the_skips_are_said_once() {
    let dir = scratch("once");
    std::fs::copy(bundle("good.json"), dir.join("a.json")).unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    for (link, target) in [
        ("b.json", "a.json"),
        ("sub/c.json", "../a.json"),
        ("sub/d.json", "../a.json"),
        ("back", "."),
        ("sub/loop", ".."),
    ] {
        std::os::unix::fs::symlink(target, dir.join(link)).unwrap();
    }
    let folder = dir.to_string_lossy().into_owned();
    let output = run(&["--at", AT, "--format", "json", "-r", &folder]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(sources(&output), [dir.join("a.json").to_string_lossy()]);
    let said = stderr(&output);
    assert_eq!(
        said,
        "certkey-audit: 2 folders were reached again through links: each folder is listed once\n\
         certkey-audit: 3 files found in folders were already an input (by another path or a link): each file is audited once\n",
    );
    // A file named on the command line is an input however often it is named: one record
    // per named input.
    let a = dir.join("a.json").to_string_lossy().into_owned();
    let output = run(&["--at", AT, "--format", "json", &a, &a, &folder]);
    assert_eq!(sources(&output), [a.clone(), a.clone()]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn at_takes_a_date_as_its_midnight_utc() {
    let good = bundle("good.json");
    let by_date = run(&["--at", "2026-06-01", "--format", "json", &good]);
    let by_time = run(&["--at", AT, "--format", "json", &good]);
    assert_eq!(by_date.status.code(), Some(0));
    assert_eq!(stdout(&by_date), stdout(&by_time));
    assert!(stdout(&by_date).contains("\"audited_at\":\"2026-06-01T00:00:00Z\""));
    let output = run(&["--at", "2026-06-31", &good]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not a date such as 2026-12-01"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn completions_and_the_manual_page_come_from_the_parser() {
    for (shell, marker) in [
        ("bash", "complete -F _certkey__audit"),
        ("zsh", "#compdef certkey-audit"),
        ("fish", "complete -c certkey-audit"),
        ("elvish", "certkey-audit"),
        ("powershell", "certkey-audit"),
    ] {
        let output = run(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        assert!(script.contains(marker), "{shell}: {script}");
        // Long options as each shell spells them (fish: `-l allow-file`).
        for option in [
            "strict",
            "allow-file",
            "passphrase-file",
            "explain",
            "sarif",
        ] {
            assert!(script.contains(option), "{shell} lacks {option}");
        }
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));

    let output = run(&["man"]);
    assert_eq!(output.status.code(), Some(0));
    let page = stdout(&output);
    assert!(page.contains(".TH certkey-audit 1"), "{page}");
    for part in ["\\-\\-allow", "\\-\\-strict", "Exit status", "explain"] {
        assert!(page.contains(part), "the manual page lacks {part}");
    }
}

#[test]
fn files_saved_the_wrong_way_get_the_cause_and_the_fix() {
    for (name, said, fix) in [
        (
            "saved-utf16-powershell.json",
            "UTF-16 (little-endian), with a byte-order mark",
            "-OutFile",
        ),
        (
            "saved-curl-i.json",
            "HTTP response headers",
            "curl -s -o task.json",
        ),
        (
            "saved-wrapped.json",
            "under \"certkey\" (the bundle is wrapped)",
            "jq '.[\"certkey\"]'",
        ),
        (
            "empty-object.json",
            "an empty JSON object",
            "download the response again",
        ),
        ("saved-bare-key.json", "a private key in PEM", "--ca FILE"),
        ("not-an-object.json", "a JSON array", "audit each element"),
    ] {
        let output = run(&["--at", AT, &bundle(name)]);
        assert_eq!(output.status.code(), Some(1), "{name}");
        let text = stdout(&output);
        // One finding: the cause, not a missing member for each of the seven.
        assert_eq!(text.matches("error[").count(), 1, "{name}: {text}");
        assert!(text.contains(said), "{name}: {text}");
        assert!(text.contains(fix), "{name}: {text}");
    }
}

/// Dates on a terminal: red for expired or not yet valid, yellow within the warning window.
#[test]
fn expiry_is_coloured_as_operators_read_it() {
    let coloured = |name: &str, window: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_certkey-audit"))
            .args(["--at", AT, "--warn-within", window, &bundle(name)])
            .env("CLICOLOR_FORCE", "1")
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        let text = stdout(&output);
        text.lines()
            .find(|line| line.starts_with("  source ") && !line.contains("stacks:"))
            .unwrap()
            .to_owned()
    };
    assert!(coloured("cert-expired.json", "30d").contains("\x1b[31mexpired "));
    assert!(coloured("cert-not-yet-valid.json", "30d").contains("\x1b[31mnot yet valid"));
    assert!(coloured("cert-expires-soon.json", "30d").contains("\x1b[33mexpires in 12 days"));
    // Outside the window: no colour on the date.
    let line = coloured("cert-expires-soon.json", "7d");
    assert!(line.contains("  expires in 12 days "), "{line:?}");
    assert!(coloured("good.json", "30d").contains("  expires in 6789 days "));
    // NO_COLOR wins.
    let output = Command::new(env!("CARGO_BIN_EXE_certkey-audit"))
        .args(["--at", AT, &bundle("cert-expired.json")])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&output).contains('\x1b'));
}

/// The table names each certificate's subjectAltNames and purposes, compactly.
#[test]
fn the_certificate_table_shows_names_and_purposes() {
    let output = run(&["--at", AT, &bundle("target-ip-address.json")]);
    let text = stdout(&output);
    assert!(
        text.contains("\n               names: 192.0.2.10; usage: serverAuth\n"),
        "{text}"
    );
    assert!(
        text.contains("\n               names: source.certkey.test; usage: clientAuth\n"),
        "{text}"
    );
}

/// Findings about a CA given with `--ca` point at that file, and the record says which CA
/// was audited; a response's own `ca` wins, with a warning when the two differ.
#[test]
fn a_supplied_ca_is_named_as_the_file_it_came_from() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let leaf_as_ca = root.join("testdata/pki/target_mgmt.crt.pem");
    let leaf_as_ca = leaf_as_ca.to_string_lossy();
    let no_ca = bundle("no-ca.json");
    let output = run(&["--at", AT, "--ca", &leaf_as_ca, &no_ca]);
    let text = stdout(&output);
    assert!(
        text.contains("error[ca.not_ca]: the ca certificate is not a CA certificate"),
        "{text}"
    );
    assert!(
        text.contains(&format!("  --> {leaf_as_ca} (--ca), for {no_ca}\n")),
        "{text}"
    );
    assert!(!text.contains(&format!("--> {no_ca}: ca")), "{text}");
    assert!(
        text.contains("this CA was supplied to the auditor"),
        "{text}"
    );

    // A key file given as the CA: the file is named, not the response's members.
    let key = root.join("testdata/pki/ca.key.pem");
    let key = key.to_string_lossy();
    let output = run(&["--at", AT, "--ca", &key, &no_ca]);
    let text = stdout(&output);
    assert!(
        text.contains("error[pem.wrong_label]: ca holds a block labelled RSA PRIVATE KEY"),
        "{text}"
    );
    assert!(
        text.contains(&format!("  --> {key} (--ca), for {no_ca}\n")),
        "{text}"
    );
    assert!(!text.contains("swapped"), "{text}");
    assert!(!text.contains("MII"), "no key text: {text}");

    let good = bundle("good.json");
    let output = run(&[
        "--at",
        AT,
        "--format",
        "json",
        "--ca",
        &leaf_as_ca,
        &no_ca,
        &good,
    ]);
    let records: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(records[0]["ca_source"], "supplied");
    assert_eq!(records[0]["ca_file"], leaf_as_ca.as_ref());
    assert_eq!(records[1]["ca_source"], "response");
    assert!(records[1].get("ca_file").is_none());
    assert_eq!(records[1]["findings"][0]["id"], "ca.supplied_differs");
    assert_eq!(records[1]["ok"], true);
}
