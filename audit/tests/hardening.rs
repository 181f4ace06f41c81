//! The binary against the security review's reproducers and their classes: no key material
//! in any output (text, JSON lines, SARIF, the fleet page, stderr), every file read bounded
//! and regular, folders walked once, names escaped, closed streams survived; exit codes 0, 1
//! or 2 only.
//!
//! Runs that could hang (a FIFO, a link loop) are watched: a run that has not ended after a
//! minute is killed and the test fails. That guards against a hang; it measures nothing.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{command, scratch, testdata, AT};
use crate::leak;

fn path(relative: &str) -> String {
    testdata().join(relative).to_string_lossy().into_owned()
}

/// Runs the binary, killing it (and failing) if it has not ended after a minute. Its output
/// is read as it comes, so a full pipe never stalls it.
fn run_watched(mut command: Command) -> Output {
    let mut child = command.spawn().unwrap();
    let drain = |stream: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut stream) = stream {
                let _ = stream.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!(
                "certkey-audit {:?} did not end",
                command.get_args().collect::<Vec<_>>()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

fn run(args: &[&str]) -> Output {
    run_watched(command(args))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn no_output_of_any_fixture_or_reproducer_holds_key_material() {
    let windows = leak::KeyWindows::of_testdata(&testdata());
    assert!(windows.key_count() >= 60);
    let redteam = path("regressions/redteam");
    let passphrases = [path("passphrase.txt"), path("regressions/redteam/pass.txt")];
    for folder in [path("bundles"), redteam.clone()] {
        for format in ["text", "json", "sarif"] {
            for passphrase in &passphrases {
                // The library's leak test covers deep mode and the rehearsal; the binary
                // adds its own text, the file names and stderr.
                let output = run(&[
                    "--at",
                    AT,
                    "--format",
                    format,
                    "--passphrase-file",
                    passphrase,
                    &folder,
                ]);
                assert_eq!(output.status.code(), Some(1), "{:?}", output.status);
                windows.assert_clean(&text(&output), &format!("{folder} as {format}"));
            }
        }
        // The fleet page (--report), from the same inputs.
        for passphrase in &passphrases {
            let page = scratch("report").join("fleet.html");
            let output = run(&[
                "--at",
                AT,
                "--quiet",
                "--passphrase-file",
                passphrase,
                "--report",
                page.to_str().unwrap(),
                &folder,
            ]);
            assert_eq!(output.status.code(), Some(1), "{:?}", output.status);
            let html = std::fs::read_to_string(&page).unwrap();
            assert!(html.contains("certkey fleet report"));
            windows.assert_clean(&html, &format!("{folder}'s fleet page"));
        }
    }
    // A CA file that holds the CA's private key too.
    let output = run(&[
        "--at",
        AT,
        "--ca",
        &path("regressions/redteam/ca-certfirst.pem"),
        &path("bundles/no-ca.json"),
    ]);
    windows.assert_clean(&text(&output), "--ca with the CA's key");
}

#[test]
fn the_passphrase_given_to_passphrase_env_is_never_repeated() {
    for slip in [
        "Tr0ub4dor&3-task-passphrase",
        "CORRECTHORSEBATTERY",
        "hunter2 hunter2",
    ] {
        let output = run(&["--passphrase-env", slip, &path("bundles/good.json")]);
        assert_eq!(output.status.code(), Some(2));
        let said = text(&output);
        assert!(!said.contains(slip), "{said}");
        assert!(said.contains("--passphrase-env"), "{said}");
    }
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_found_in_a_folder_is_never_read() {
    let dir = scratch("fifo");
    std::fs::copy(testdata().join("bundles/good.json"), dir.join("a.json")).unwrap();
    mkfifo(&dir.join("b.json"));
    let dir_text = dir.to_string_lossy().into_owned();
    // An input that is not ok, with its record, never opened for reading (no writer is
    // waited for: the run ends).
    let output = run(&["--at", AT, &dir_text]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let said = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        said.contains(
            "error[input.unreadable]: the input could not be read: not a regular file (a FIFO)"
        ),
        "{said}"
    );
    assert!(said.contains("b.json: FAILED"), "{said}");
    assert!(said.contains("2 inputs: 1 ok, 1 failed"), "{said}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `script` with bash, the binary as `$B`, from the project's root.
#[cfg(unix)]
fn bash(script: &str) -> Output {
    let mut command = Command::new("bash");
    command
        .args(["-c", script])
        .env("B", env!("CARGO_BIN_EXE_certkey-audit"))
        .current_dir(testdata().join(".."))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    run_watched(command)
}

#[cfg(unix)]
#[test]
fn every_path_option_reads_process_substitution() {
    // The usual way to hand a file, or a secret, to a tool without writing it to disk.
    for (script, code, said) in [
        (
            r#"$B --at 2026-06-01 <(cat testdata/bundles/good.json)"#,
            0,
            "ok (0 errors, 0 warnings)",
        ),
        (
            r#"$B --at 2026-06-01 --ca <(cat testdata/pki/ca.crt.pem) testdata/bundles/no-ca.json"#,
            0,
            "ok (0 errors, 0 warnings)",
        ),
        (
            r#"$B --at 2026-06-01 --passphrase-file <(cat testdata/passphrase.txt) testdata/bundles/encrypted-legacy.json"#,
            0,
            "ok (0 errors, 0 warnings)",
        ),
        (
            r#"$B --at 2026-06-01 --allow-file <(echo ca.absent) --strict testdata/bundles/no-ca.json"#,
            0,
            "ok (0 errors, 0 warnings, 1 allowed)",
        ),
        (
            r#"$B --at 2026-06-01 --format json < <(cat testdata/bundles/good.json) -"#,
            0,
            "\"source\":\"<stdin>\"",
        ),
    ] {
        let output = bash(script);
        assert_eq!(
            output.status.code(),
            Some(code),
            "{script}: {}",
            text(&output)
        );
        assert!(text(&output).contains(said), "{script}: {}", text(&output));
    }
    // A named FIFO is read once its writer comes, as every Unix tool reads one.
    let dir = scratch("named-fifo");
    let fifo = dir.join("task.json");
    mkfifo(&fifo);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            std::fs::write(
                fifo,
                std::fs::read(testdata().join("bundles/good.json")).unwrap(),
            )
        })
    };
    let output = run(&["--at", AT, &fifo.to_string_lossy()]);
    writer.join().unwrap().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn devices_a_path_names_are_read_bounded() {
    // An endless device is cut at the cap: a usage error for the options' files, a record
    // that is not ok for an input.
    for (args, said) in [
        (
            vec!["--ca", "/dev/zero"],
            "the CA file /dev/zero is over 4 MiB",
        ),
        (
            vec!["--passphrase-file", "/dev/zero"],
            "the passphrase file /dev/zero is over 64 KiB",
        ),
        (
            vec!["--allow-file", "/dev/zero"],
            "the allow-list /dev/zero is over 64 KiB",
        ),
    ] {
        let no_ca = path("bundles/no-ca.json");
        let mut args = args;
        args.push(&no_ca);
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(text(&output).contains(said), "{args:?}: {}", text(&output));
    }
    let output = run(&["--max-input-len", "1MiB", "/dev/zero"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("error[response.too_large]"),
        "{}",
        text(&output)
    );
}

#[test]
fn an_oversized_ca_file_is_refused() {
    let dir = scratch("big-ca");
    let big = dir.join("ca.pem");
    std::fs::write(&big, vec![b'A'; 4 * 1_048_576 + 1]).unwrap();
    let output = run(&["--ca", &big.to_string_lossy(), &path("bundles/no-ca.json")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("is over 4 MiB"), "{}", text(&output));
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn links_back_to_a_folder_are_followed_once() {
    let dir = scratch("links");
    std::fs::copy(testdata().join("bundles/good.json"), dir.join("a.json")).unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::copy(testdata().join("bundles/good.json"), dir.join("sub/b.json")).unwrap();
    for (link, target) in [
        ("x", "."),
        ("y", "."),
        ("sub/up", ".."),
        ("sub/self", "../sub"),
    ] {
        std::os::unix::fs::symlink(target, dir.join(link)).unwrap();
    }
    let output = run(&["--at", AT, "--format", "json", "-r", &dir.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let audited: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["source"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(audited.len(), 2, "{audited:?}");
    assert!(
        audited[0].ends_with("a.json") && audited[1].ends_with("b.json"),
        "{audited:?}"
    );
    // Said once, however many links lead back.
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "certkey-audit: 4 folders were reached again through links: each folder is listed once\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn control_characters_in_file_names_are_escaped_in_text() {
    let dir = scratch("names");
    let name = "task-7.json: ok (0 errors, 0 warnings)\x1b[8m\rx.json";
    std::fs::copy(
        testdata().join("bundles/chain-lookalike-ca.json"),
        dir.join(name),
    )
    .unwrap();
    let output = run(&["--at", AT, &dir.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(1));
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(!out.contains('\x1b') && !out.contains('\r'), "{out:?}");
    assert!(out.contains("\\u{1b}[8m\\rx.json: FAILED"), "{out}");
    // JSON keeps the name exact (serde_json escapes control characters).
    let output = run(&["--at", AT, "--format", "json", &dir.to_string_lossy()]);
    let line: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(line["source"].as_str().unwrap().ends_with(name));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A stream whose reader has gone: stdout (`| head`) or stderr. The pipe's read end is
/// closed as soon as the child starts.
#[cfg(unix)]
fn run_with_closed(args: &[&str], closed: &str) -> Option<i32> {
    let mut command = command(args);
    match closed {
        "stdout" => command.stdout(Stdio::piped()).stderr(Stdio::null()),
        _ => command.stderr(Stdio::piped()).stdout(Stdio::null()),
    };
    let mut child = command.spawn().unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{args:?} did not end"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn closed_streams_end_the_run_with_its_verdict_not_a_panic() {
    let good = path("bundles/good.json");
    let bad = path("bundles/key-in-cert-member.json");
    let folder = path("bundles");
    for (args, closed, expected) in [
        (vec!["--at", AT, good.as_str()], "stdout", 0),
        (vec!["--at", AT, bad.as_str()], "stdout", 1),
        (
            vec!["--at", AT, "--format", "json", folder.as_str()],
            "stdout",
            1,
        ),
        (vec!["explain"], "stdout", 0),
        (vec!["explain", "key.mismatch"], "stdout", 0),
        (vec!["/nonexistent.json"], "stdout", 1),
        (vec!["--format", "sarif", folder.as_str()], "stdout", 1),
        (vec!["--no-such-flag"], "stderr", 2),
        (
            vec!["--passphrase-env", "CERTKEY_UNSET_VARIABLE", good.as_str()],
            "stderr",
            2,
        ),
        (vec!["explain", "no.such"], "stderr", 2),
    ] {
        assert_eq!(
            run_with_closed(&args, closed),
            Some(expected),
            "{args:?} with {closed} closed"
        );
    }
}

/// `| head -1` on a folder of good bundles: the first line is written, the rest is not, and
/// the verdict is the audit's.
#[cfg(unix)]
#[test]
fn reading_only_the_first_line_keeps_the_verdict() {
    let dir = scratch("head");
    for i in 0..50 {
        std::fs::copy(
            testdata().join("bundles/good.json"),
            dir.join(format!("{i:02}.json")),
        )
        .unwrap();
    }
    let mut child = command(&["--at", AT, "--format", "json", &dir.to_string_lossy()])
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The pipe is closed here, with most of the output unread.
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A line of a fixture's private key, 64 characters of its base64.
fn key_line() -> String {
    std::fs::read_to_string(testdata().join("pki/source.key.pem"))
        .unwrap()
        .lines()
        .nth(3)
        .unwrap()
        .to_owned()
}

#[test]
fn no_value_given_to_an_option_is_echoed_unquoted() {
    // Key text given to every option that takes a value, and as a subcommand's argument: clap's
    // messages and certkey's own quote it, withholding it.
    let key = key_line();
    let good = path("bundles/good.json");
    let windows = leak::KeyWindows::of_testdata(&testdata());
    for args in [
        vec!["--stacks", &key, &good],
        vec!["--at", &key, &good],
        vec!["--warn-within", &key, &good],
        vec!["--max-input-len", &key, &good],
        vec!["--format", &key, &good],
        vec!["--profile", &key, &good],
        vec!["--allow", &key, &good],
        vec!["explain", &key],
        vec!["explain", "--format", &key],
        vec!["completions", &key],
    ] {
        let mut args = args;
        let handshake = format!("--handshake={key}");
        let flag = format!("--{key}");
        for extra in [None, Some(handshake.as_str()), Some(flag.as_str())] {
            if let Some(extra) = extra {
                args = vec![extra, &good];
            }
            let output = run(&args);
            assert_eq!(output.status.code(), Some(2), "{args:?}");
            let said = text(&output);
            windows.assert_clean(&said, &format!("{args:?}"));
            assert!(said.contains("withheld"), "{args:?}: {said}");
        }
    }
}

#[test]
fn an_allow_list_that_is_not_one_has_no_line_shown() {
    let dir = scratch("allow-file");
    let key = key_line();
    for (name, content) in [
        ("passphrase.txt", "Hunter2-Task-Passphrase\n".to_owned()),
        ("key-base64.txt", format!("{key}\n{key}\n")),
        (
            "passphrase.json",
            "{\"passphrase\": \"Hunter2-Task-Passphrase\"}\n".to_owned(),
        ),
        ("dotted.txt", "correct.horse-battery\n".to_owned()),
    ] {
        let file = dir.join(name);
        std::fs::write(&file, &content).unwrap();
        let output = run(&[
            "--allow-file",
            &file.to_string_lossy(),
            &path("bundles/good.json"),
        ]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        let said = text(&output);
        assert!(said.contains(":1: not a finding id"), "{name}: {said}");
        assert!(
            !said.contains("Hunter2") && !said.contains(&key[..20]),
            "{name}: {said}"
        );
        assert!(!said.contains("horse"), "{name}: {said}");
    }
    // A line shaped as an id of the catalog's areas is shown: it is a typo to fix.
    let file = dir.join("typo.txt");
    std::fs::write(&file, "# accepted\nca.absent\nkey.missmatch\n").unwrap();
    let said = text(&run(&[
        "--allow-file",
        &file.to_string_lossy(),
        &path("bundles/good.json"),
    ]));
    assert!(
        said.contains("typo.txt:3: no finding has the id `key.missmatch`"),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_passphrase_file_is_not_named() {
    let output = run(&[
        "--passphrase-file",
        "Hunter2-Task-Passphrase",
        &path("bundles/good.json"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let said = text(&output);
    assert!(said.contains("--passphrase-file names no file"), "{said}");
    assert!(!said.contains("Hunter2"), "{said}");
}

#[test]
fn an_audit_time_past_the_year_9999_is_a_usage_error() {
    for at in [
        "9999-12-31T23:59:59-23:59",
        "10000-01-01",
        "1969-12-31T23:59:59Z",
    ] {
        let output = run(&["--at", at, &path("bundles/good.json")]);
        assert_eq!(output.status.code(), Some(2), "{at}: {}", text(&output));
        assert!(
            text(&output).contains("must lie from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z")
                || text(&output).contains("not a date"),
            "{at}: {}",
            text(&output)
        );
    }
    let output = run(&[
        "--at",
        "9999-12-31T23:59:59Z",
        "--format",
        "json",
        &path("bundles/good.json"),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(text(&output).contains("\"audited_at\":\"9999-12-31T23:59:59Z\""));
}

#[cfg(unix)]
#[test]
fn the_report_goes_to_a_new_or_regular_file_never_an_input_a_fifo_or_a_link_target() {
    let dir = scratch("report-path");
    let task = dir.join("task.json");
    std::fs::copy(testdata().join("bundles/good.json"), &task).unwrap();
    let good = std::fs::read(&task).unwrap();
    let fifo = dir.join("page.fifo");
    mkfifo(&fifo);
    let precious = dir.join("precious.txt");
    std::fs::write(&precious, "precious\n").unwrap();
    let link = dir.join("link.html");
    std::os::unix::fs::symlink(&precious, &link).unwrap();
    let link_to_task = dir.join("task-link.html");
    std::os::unix::fs::symlink(&task, &link_to_task).unwrap();
    let task_text = task.to_string_lossy().into_owned();
    let passphrase = path("passphrase.txt");

    // Refused before anything is audited, with nothing written: a FIFO (no hang), a folder,
    // a device, an input (by the same path, through a link, or as an option's file).
    for (report, extra) in [
        (fifo.to_string_lossy().into_owned(), None),
        (dir.to_string_lossy().into_owned(), None),
        ("/dev/null".to_owned(), None),
        (task_text.clone(), None),
        (link_to_task.to_string_lossy().into_owned(), None),
        (passphrase.clone(), Some("--passphrase-file")),
    ] {
        let mut args = vec!["--at", AT, "--report", &report];
        if let Some(option) = extra {
            args.extend([option, &passphrase]);
        }
        args.push(&task_text);
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2), "{report}: {}", text(&output));
        assert!(output.stdout.is_empty(), "{report}");
        assert!(
            text(&output).contains("--report"),
            "{report}: {}",
            text(&output)
        );
    }
    assert_eq!(
        std::fs::read(&task).unwrap(),
        good,
        "the input is untouched"
    );

    // A link at the path is replaced by the page, its target untouched.
    let output = run(&[
        "--at",
        AT,
        "--quiet",
        "--report",
        &link.to_string_lossy(),
        &task_text,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "precious\n");
    let page = std::fs::symlink_metadata(&link).unwrap();
    assert!(page.is_file(), "the link is now the page itself");
    assert!(std::fs::read_to_string(&link)
        .unwrap()
        .contains("certkey fleet report"));
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_folder_named_json_is_a_record_unless_descended_into() {
    let dir = scratch("json-folders");
    std::fs::copy(testdata().join("bundles/good.json"), dir.join("a.json")).unwrap();
    std::fs::create_dir(dir.join("sub.json")).unwrap();
    std::fs::copy(
        testdata().join("bundles/good.json"),
        dir.join("sub.json/b.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink(".", dir.join("loop.json")).unwrap();
    let folder = dir.to_string_lossy().into_owned();
    let output = run(&["--at", AT, &folder]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let said = text(&output);
    for name in ["sub.json", "loop.json"] {
        assert!(
            said.contains(&format!("{name}: FAILED")),
            "{name} is not a record: {said}"
        );
    }
    assert!(
        said.contains("a folder, not a file (--recursive descends into it)"),
        "{said}"
    );
    assert!(said.contains("3 inputs: 1 ok, 2 failed"), "{said}");
    // Descending: the folder's files are audited, the link back is said once.
    let output = run(&["--at", AT, "-r", &folder]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        text(&output).contains("2 inputs: 2 ok, 0 failed"),
        "{}",
        text(&output)
    );
    assert!(text(&output).contains("1 folder was reached again through links"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_told_apart_in_every_format() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("not-utf8");
    // Two files whose names a lossy conversion makes the same, and one with a backslash.
    let names: [&[u8]; 3] = [b"bad\xff.json", b"bad\xfe.json", b"bad\\xff.json"];
    for name in names {
        std::fs::copy(
            testdata().join("bundles/good.json"),
            dir.join(OsStr::from_bytes(name)),
        )
        .unwrap();
    }
    let folder = dir.to_string_lossy().into_owned();
    let output = run(&["--at", AT, "--format", "json", &folder]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let records: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    // The records are the schema's, escaped names included.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(testdata().join("../docs/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for record in &records {
        assert!(validator.is_valid(record), "{record}");
    }
    let sources: Vec<(String, bool)> = records
        .iter()
        .map(|r| {
            let source = r["source"].as_str().unwrap();
            (
                source[source.rfind('/').unwrap() + 1..].to_owned(),
                r["source_escaped"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    // Sorted by their bytes. A UTF-8 name is as it is (its backslash too); the others are
    // escaped and say so, so the first and the last are told apart.
    assert_eq!(
        sources,
        [
            ("bad\\xff.json".to_owned(), false),
            ("bad\\xfe.json".to_owned(), true),
            ("bad\\xff.json".to_owned(), true),
        ]
    );
    let output = run(&["--at", AT, &folder]);
    let said = text(&output);
    assert!(
        said.contains("bad\\xfe.json: ok") && said.contains("bad\\xff.json: ok"),
        "{said}"
    );
    let output = run(&["--at", AT, "--format", "sarif", &folder]);
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let uris: Vec<String> = log["runs"][0]["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            a["location"]["uri"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(uris, ["bad%5Cxff.json", "bad%FE.json", "bad%FF.json"]);
    // Named on the command line too: the name is no usage error.
    let named = dir.join(OsStr::from_bytes(b"bad\xff.json"));
    let output = Command::new(env!("CARGO_BIN_EXE_certkey-audit"))
        .args(["--at", AT])
        .arg(&named)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let _ = std::fs::remove_dir_all(&dir);
}
