//! The binary against the security review's reproducers and their classes: no key material
//! in any output (text, JSON lines, SARIF, the fleet page, stderr), every file read bounded
//! and regular, folders walked once, names escaped, closed streams survived; exit codes 0, 1
//! or 2 only.
//!
//! Runs that could hang (a FIFO, a link loop) are watched: a run that has not ended after a
//! minute is killed and the test fails. That guards against a hang; it measures nothing.

#[path = "../../tests/common/leak.rs"]
mod leak;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const AT: &str = "2026-06-01T00:00:00Z";

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

fn path(relative: &str) -> String {
    testdata().join(relative).to_string_lossy().into_owned()
}

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_certkey-audit"));
    command
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
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

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("certkey-hardening-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
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
fn a_fifo_is_never_read_whether_in_a_folder_named_or_given_as_ca_or_passphrase() {
    let dir = scratch("fifo");
    std::fs::copy(testdata().join("bundles/good.json"), dir.join("a.json")).unwrap();
    let fifo = dir.join("b.json");
    mkfifo(&fifo);
    let dir_text = dir.to_string_lossy().into_owned();
    let fifo_text = fifo.to_string_lossy().into_owned();

    // In a folder or named: an input that is not ok, with its record, never read.
    for input in [&dir_text, &fifo_text] {
        let output = run(&["--at", AT, input]);
        assert_eq!(output.status.code(), Some(1), "{}", text(&output));
        let said = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            said.contains(
                "error[input.unreadable]: the input could not be read: not a regular file (a FIFO)"
            ),
            "{said}"
        );
        assert!(said.contains("b.json: FAILED"), "{said}");
    }
    assert!(
        String::from_utf8_lossy(&run(&["--at", AT, &dir_text]).stdout)
            .contains("2 inputs: 1 ok, 1 failed")
    );

    // As a file the options name: a usage error.
    for args in [
        vec!["--ca", &fifo_text, &dir_text],
        vec!["--passphrase-file", &fifo_text, &dir_text],
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            text(&output).contains("not a regular file (a FIFO)"),
            "{}",
            text(&output)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn devices_are_refused_unread() {
    let output = run(&["--ca", "/dev/zero", &path("bundles/no-ca.json")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("not a regular file (a device)"),
        "{}",
        text(&output)
    );
    let output = run(&["--passphrase-file", "/dev/zero", &path("bundles/good.json")]);
    assert_eq!(output.status.code(), Some(2));
    let output = run(&["/dev/zero"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains(
            "error[input.unreadable]: the input could not be read: not a regular file (a device)"
        ),
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
