//! certkey's verdict against the TLS stacks a migration runs, on every fixture.
//!
//! `tests/stacks/run.py` gives each identity of each fixture (the source as a TLS client, the
//! targets as TLS servers) to the real stacks, one per [`Stack`]: OpenSSL 3.0 as a TLS
//! context uses it as shipped, OpenSSL 3.5 and 4.0 in a mutual-TLS handshake through pyOpenSSL
//! (the OpenSSL that `cryptography` wheels bundle: `tests/stacks/pyopenssl.py`), Python's
//! `ssl` as 3.13 configures it (X509_STRICT, security level 2) on OpenSSL 3.0, and that
//! configuration through pyOpenSSL on 3.5 and 4.0, Go 1.23's and 1.24's
//! `crypto/x509` and `crypto/tls`, rustls with ring and with aws-lc-rs
//! (`tests/stacks/rustls`, a crate of its own, so that the library's tree holds no
//! aws-lc-rs), and pyca/cryptography 48's and 51's verifier (certificates only: it loads no
//! key).
//!
//! certkey predicts each stack's verdict on each identity in the report
//! ([`certkey::Report::identities`]): a stack refuses an identity when a finding on the
//! identity's certificate, its key or the CA names it among those refusing
//! ([`certkey::Finding::refused_by`]). Every (fixture, identity, stack) where the prediction differs
//! from the stack's verdict is listed in `tests/stacks/differences.tsv` with the reason, and the list is asserted both
//! ways: an unlisted difference fails, and so does a listed one that no longer occurs.
//! `CERTKEY_BLESS=1` rewrites the list (keeping the reasons of rows that remain; new rows need
//! one before the test passes).
//!
//! Needs the versions certkey's words name (`Stack::description`): the `openssl` command and
//! python3's `ssl` on OpenSSL 3.0, python3 with `cryptography` 48, Go 1.23 (`$GO`, `go` on
//! PATH, or Debian's `/usr/lib/go-1.23/bin/go`); in folders of `$CERTKEY_STACKS_DIR` (by
//! default `~/.cache/certkey-stacks`), pyOpenSSL with the `cryptography` wheels that bundle
//! OpenSSL 3.5 and 4.0, `cryptography` 51 and Go 1.24; `faketime`, and cargo, which builds
//! `tests/stacks/rustls` at the versions its `Cargo.lock` pins; `tests/stacks/install.sh`
//! installs them on Debian. Without them, or with other versions, the test says so and
//! passes, unless
//! `CERTKEY_STACKS=required` (as CI sets it); `CERTKEY_STACKS=skip` leaves the comparison out
//! (mutation testing does, as the harness takes a minute a run).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use certkey::{audit, Role, Stack};

const DIFFERENCES: &str = "tests/stacks/differences.tsv";
const TABLE: &str = "docs/STACKS.md";

/// (fixture, role, stack) → accepts?
type Verdicts = BTreeMap<(String, String, String), bool>;

#[test]
fn certkey_and_the_stacks_agree_or_the_difference_is_listed() {
    let Some(go) = tools() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bundles: Vec<PathBuf> = common::bundle_names()
        .iter()
        .map(|name| common::testdata().join("bundles").join(name))
        .collect();
    let run = Command::new("python3")
        .arg(root.join("tests/stacks/run.py"))
        .arg("--at")
        .arg(common::AUDIT_TIME_RFC3339)
        .args(&bundles)
        .env("GO", go)
        .output()
        .expect("python3 runs");
    assert!(
        run.status.success(),
        "tests/stacks/run.py failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stacks = parse_verdicts(&String::from_utf8(run.stdout).unwrap());
    assert!(
        stacks.len() > 1_000,
        "the stacks judged only {} identities",
        stacks.len()
    );

    let mut differences = BTreeMap::new();
    let mut reports = BTreeMap::new();
    for ((file, role, stack), accepts) in &stacks {
        let report = reports
            .entry(file.clone())
            .or_insert_with(|| audit(&common::bundle(file), &common::policy()));
        let role = role_named(role);
        let predicted_by = stand_ins(stack);
        // No identities: the response is no usable bundle, so nothing in it is used.
        let certkey_accepts = report
            .identities()
            .iter()
            .find(|identity| identity.role == role)
            .is_some_and(|identity| {
                identity
                    .stacks
                    .iter()
                    .filter(|verdict| predicted_by.contains(&verdict.stack))
                    .all(|verdict| verdict.accepts)
            });
        if certkey_accepts != *accepts {
            differences.insert(
                (file.clone(), role.as_str().to_owned(), stack.clone()),
                (certkey_accepts, *accepts),
            );
        }
    }

    let table = stacks_table(&stacks, &reports, &differences);
    let table_path = root.join(TABLE);
    let path = root.join(DIFFERENCES);
    let listed = read_differences(&path);
    if std::env::var_os("CERTKEY_BLESS").is_some() {
        write_differences(&path, &differences, &listed);
        std::fs::write(&table_path, table).unwrap();
        return;
    }
    assert!(
        std::fs::read_to_string(&table_path).is_ok_and(|text| text == table),
        "{TABLE} is not what the stacks did (CERTKEY_BLESS=1 rewrites it)"
    );
    let mut unlisted = Vec::new();
    for (key, (certkey, stack)) in &differences {
        match listed.get(key) {
            Some((row, _)) if *row == row_of(key, *certkey, *stack) => {}
            _ => unlisted.push(row_of(key, *certkey, *stack)),
        }
    }
    let gone: Vec<_> = listed
        .keys()
        .filter(|key| !differences.contains_key(*key))
        .collect();
    let unexplained: Vec<_> = listed
        .values()
        .filter(|(_, why)| why.trim().is_empty())
        .map(|(row, _)| row)
        .collect();
    assert!(
        unlisted.is_empty() && gone.is_empty() && unexplained.is_empty(),
        "certkey and the stacks differ where {DIFFERENCES} does not say so:\n{}\n\
         listed differences that no longer occur: {gone:?}\n\
         listed without a reason: {unexplained:?}\n\
         (CERTKEY_BLESS=1 rewrites the list; give each new row its reason)",
        unlisted.join("\n"),
    );
}

/// `docs/STACKS.md`: for each fixture the stacks ran, certkey's findings and what each stack
/// did (refused some identity of it, or accepted them all), marked where certkey predicted
/// otherwise for some identity (the rows of differences.tsv).
fn stacks_table(
    stacks: &Verdicts,
    reports: &BTreeMap<String, certkey::Report>,
    differences: &BTreeMap<(String, String, String), (bool, bool)>,
) -> String {
    let mut text = String::from(
        "# What each TLS stack does with each fixture\n\n\
         <!-- Generated by tests/stacks.rs from the stacks' own verdicts: run\n\
         `CERTKEY_BLESS=1 cargo test --workspace --test stacks` with the tools of\n\
         tests/stacks/install.sh. -->\n\n\
         Every fixture of `testdata/bundles/` that has a `ca`, audited at 2026-06-01T00:00:00Z\n\
         and given to the real stacks by `tests/stacks.rs`: OpenSSL 3.0 as shipped\n\
         (`openssl-3.0`), OpenSSL 3.5 and 4.0 as shipped, in a mutual-TLS handshake through\n\
         pyOpenSSL (`openssl-3.5`, `openssl-4.0`: security level 2, the default from 3.2 on),\n\
         Python 3.13's default context (X509_STRICT) on OpenSSL 3.0 (`python-3.13-openssl-3.0`,\n\
         Python's own `ssl`), 3.5 and 4.0 (`python-3.13-openssl-3.5`, `-4.0`, through pyOpenSSL), Go 1.23 (`go-1.23`) and 1.24 (`go-1.24`, its module at `go 1.24`),\n\
         rustls 0.23 with ring (`rustls-ring`) and with aws-lc-rs, its default provider\n\
         (`rustls-aws-lc-rs`), and pyca/cryptography 48's and 51's verifier (`pyca-48`,\n\
         `pyca-51`). The lines between (OpenSSL 3.1, 3.2 and 3.4, as shipped and in Python's\n\
         configuration) are measured too and predicted from the stacks around them (3.1 as\n\
         3.0; 3.2 and 3.4 refuse what 3.0 or 3.5 refuses); they have no column. ✗: the stack refuses the source or a target; ✓: it accepts all\n\
         three. † marks a stack whose\n\
         verdict certkey does not predict for some identity; `tests/stacks/differences.tsv`\n\
         says why. The findings are certkey's under the default policy (errors and warnings;\n\
         `~` before a warning). Each stack reads the members' text with its own loaders (OpenSSL's TLS\n\
         context loaders, Go's `tls.X509KeyPair`, rustls-pki-types and each provider, pyca's\n\
         `load_pem_x509_certificate`), so the `pem-*` and `key-*` rows are also what each makes\n\
         of PEM layouts and key encodings; pyca loads no key.\n\n\
         | fixture | certkey's findings |",
    );
    for stack in Stack::ALL {
        text.push_str(&format!(" {} |", stack.name()));
    }
    text.push_str("\n|---|---|");
    text.push_str(&"---|".repeat(Stack::ALL.len()));
    text.push('\n');
    let files: BTreeSet<&String> = stacks.keys().map(|(file, _, _)| file).collect();
    for file in files {
        let mut seen = BTreeSet::new();
        let ids: Vec<String> = reports[file]
            .findings()
            .iter()
            .filter(|f| f.severity() != certkey::Severity::Info)
            .filter(|f| seen.insert((f.id(), f.severity())))
            .map(|f| {
                let warning = if f.severity() == certkey::Severity::Warning {
                    "~"
                } else {
                    ""
                };
                format!("{warning}`{}`", f.id())
            })
            .collect();
        let ids = if ids.is_empty() {
            "none".to_owned()
        } else {
            ids.join(" ")
        };
        text.push_str(&format!("| {file} | {ids} |"));
        for stack in Stack::ALL {
            let name = stack.name();
            let judged: Vec<bool> = stacks
                .iter()
                .filter(|((f, _, s), _)| f == file && s == name)
                .map(|(_, accepts)| *accepts)
                .collect();
            let cell = if judged.is_empty() {
                " |".to_owned()
            } else {
                let mark = if judged.iter().all(|a| *a) {
                    "✓"
                } else {
                    "✗"
                };
                let differs = differences.keys().any(|(f, _, s)| f == file && s == name);
                format!(" {mark}{} |", if differs { "†" } else { "" })
            };
            text.push_str(&cell);
        }
        text.push('\n');
    }
    text
}

/// The Go toolchain, once every tool the harness runs is here; `None` (the test passes with
/// a notice) when one is missing and `CERTKEY_STACKS` is not `required`.
fn tools() -> Option<String> {
    if std::env::var("CERTKEY_STACKS").is_ok_and(|v| v == "skip") {
        eprintln!("stacks: not compared (CERTKEY_STACKS=skip)");
        return None;
    }
    let go = std::env::var("GO").ok().or_else(|| {
        ["go", "/usr/lib/go-1.23/bin/go"]
            .into_iter()
            .find(|go| runs(go, &["version"]))
            .map(str::to_owned)
    });
    let missing: Vec<&str> = [
        ("go", go.is_some()),
        ("cargo", runs("cargo", &["--version"])),
        ("openssl", runs("openssl", &["version"])),
        ("faketime", runs("faketime", &["--version"])),
        (
            "python3 with cryptography.x509.verification",
            runs("python3", &["-c", "import cryptography.x509.verification"]),
        ),
    ]
    .into_iter()
    .filter(|(_, present)| !present)
    .map(|(tool, _)| tool)
    .collect();
    let required = std::env::var("CERTKEY_STACKS").is_ok_and(|v| v == "required");
    if !missing.is_empty() {
        assert!(
            !required,
            "CERTKEY_STACKS=required but missing: {missing:?}"
        );
        eprintln!(
            "stacks: not compared, missing {missing:?} (tests/stacks/install.sh installs them)"
        );
        return None;
    }
    let go = go?;
    let other: Vec<String> = versions(&go)
        .into_iter()
        .filter(|(_, found, modelled)| !found.starts_with(modelled))
        .map(|(what, found, modelled)| format!("{what}: {found:?}, not {modelled}"))
        .collect();
    if other.is_empty() {
        return Some(go);
    }
    // What certkey says of a stack is known of the version measured: another version's
    // verdicts would be differences with no reason listed, or none where there are some.
    assert!(
        !required,
        "CERTKEY_STACKS=required but the harness has other versions than certkey models: {other:?}"
    );
    eprintln!("stacks: not compared, other versions than certkey models: {other:?}");
    None
}

/// The versions of the stacks the harness would run: (what, found, the prefix certkey's
/// words name, `Stack::description`).
fn versions(go: &str) -> Vec<(&'static str, String, &'static str)> {
    let output = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
            .unwrap_or_default()
    };
    let go_version = output(go, &["version"]);
    vec![
        ("openssl", output("openssl", &["version"]), "OpenSSL 3.0."),
        (
            "python3's ssl",
            output("python3", &["-c", "import ssl; print(ssl.OPENSSL_VERSION)"]),
            "OpenSSL 3.0.",
        ),
        (
            "go",
            go_version
                .split_whitespace()
                .nth(2)
                .unwrap_or_default()
                .to_owned(),
            "go1.23.",
        ),
        (
            "cryptography",
            output(
                "python3",
                &["-c", "import cryptography; print(cryptography.__version__)"],
            ),
            "48.",
        ),
        (
            "go in the go-1.24 folder",
            output(
                &stacks_dir()
                    .join("go-1.24/usr/lib/go-1.24/bin/go")
                    .to_string_lossy(),
                &["env", "GOVERSION"],
            ),
            "go1.24.",
        ),
        (
            "cryptography in the pyca-51 folder",
            in_folder(
                "pyca-51",
                "import cryptography; print(cryptography.__version__)",
            ),
            "51.",
        ),
        (
            "pyOpenSSL in the openssl-3.5 folder",
            in_folder("openssl-3.5", OPENSSL_VERSION),
            "OpenSSL 3.5.",
        ),
        (
            "pyOpenSSL in the openssl-4.0 folder",
            in_folder("openssl-4.0", OPENSSL_VERSION),
            "OpenSSL 4.0.",
        ),
        (
            "pyOpenSSL in the openssl-3.1 folder",
            in_folder("openssl-3.1", OPENSSL_VERSION),
            "OpenSSL 3.1.",
        ),
        (
            "pyOpenSSL in the openssl-3.2 folder",
            in_folder("openssl-3.2", OPENSSL_VERSION),
            "OpenSSL 3.2.",
        ),
        (
            "pyOpenSSL in the openssl-3.4 folder",
            in_folder("openssl-3.4", OPENSSL_VERSION),
            "OpenSSL 3.4.",
        ),
    ]
}

/// What pyOpenSSL says its OpenSSL is.
const OPENSSL_VERSION: &str =
    "from OpenSSL import SSL; print(SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode())";

/// `$CERTKEY_STACKS_DIR` (by default `~/.cache/certkey-stacks`), where
/// `tests/stacks/install.sh` puts the stacks the machine does not have: `cryptography` wheels
/// (with pyOpenSSL, for the OpenSSL they bundle) and Go 1.24, a folder each.
fn stacks_dir() -> PathBuf {
    std::env::var_os("CERTKEY_STACKS_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache/certkey-stacks"))
        })
        .unwrap_or_default()
}

/// What python3 prints running `code` with `folder` of [`stacks_dir`] on its path.
fn in_folder(folder: &str, code: &str) -> String {
    Command::new("python3")
        .args(["-c", code])
        .env("PYTHONPATH", stacks_dir().join(folder))
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|out| out.status.success())
}

fn parse_verdicts(jsonl: &str) -> Verdicts {
    let mut verdicts = Verdicts::new();
    for line in jsonl.lines() {
        let row: serde_json::Value = serde_json::from_str(line).expect("a JSON verdict");
        let field = |name: &str| row[name].as_str().expect(name).to_owned();
        let accepts = match field("verdict").as_str() {
            "accepts" => true,
            "refuses" => false,
            other => panic!("verdict {other:?}"),
        };
        let key = (field("file"), field("role"), field("stack"));
        assert!(
            verdicts.insert(key.clone(), accepts).is_none(),
            "two verdicts for {key:?}"
        );
    }
    verdicts
}

/// The lines between the modelled ones, measured too (`tests/stacks/run.py`), and the stacks
/// whose verdicts together predict each: it refuses what any of them refuses. OpenSSL 3.1
/// behaves as 3.0; 3.2 to 3.4 take 3.5's security level and 3.0's PKCS#8 reader; Python's
/// default context on 3.1 to 3.4 behaves as on 3.0.
const BETWEEN: [(&str, &[Stack]); 6] = [
    ("openssl-3.1", &[Stack::OpenSsl30]),
    ("openssl-3.2", &[Stack::OpenSsl30, Stack::OpenSsl35]),
    ("openssl-3.4", &[Stack::OpenSsl30, Stack::OpenSsl35]),
    ("python-3.13-openssl-3.1", &[Stack::PythonOpenSsl30]),
    ("python-3.13-openssl-3.2", &[Stack::PythonOpenSsl30]),
    ("python-3.13-openssl-3.4", &[Stack::PythonOpenSsl30]),
];

/// The stacks whose verdicts predict the measured stack `name`: itself, or its stand-ins.
fn stand_ins(name: &str) -> Vec<Stack> {
    if let Some(stack) = Stack::from_name(name) {
        return vec![stack];
    }
    BETWEEN
        .iter()
        .find(|(line, _)| *line == name)
        .map(|(_, stacks)| stacks.to_vec())
        .unwrap_or_else(|| panic!("stack {name:?}"))
}

fn role_named(name: &str) -> Role {
    Role::WITH_KEYS
        .into_iter()
        .find(|role| role.as_str() == name)
        .unwrap_or_else(|| panic!("role {name:?}"))
}

fn verdict_word(accepts: bool) -> &'static str {
    if accepts {
        "accepts"
    } else {
        "refuses"
    }
}

/// The first five columns of a row: fixture, role, stack, certkey's verdict, the stack's.
fn row_of(key: &(String, String, String), certkey: bool, stack: bool) -> String {
    format!(
        "{}\t{}\t{}\t{}\t{}",
        key.0,
        key.1,
        key.2,
        verdict_word(certkey),
        verdict_word(stack)
    )
}

/// The listed differences: key → (the row's first five columns, the reason).
fn read_differences(path: &Path) -> BTreeMap<(String, String, String), (String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut listed = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let columns: Vec<&str> = line.split('\t').collect();
        assert_eq!(columns.len(), 6, "{DIFFERENCES}: {line:?}");
        let key = (
            columns[0].to_owned(),
            columns[1].to_owned(),
            columns[2].to_owned(),
        );
        listed.insert(key, (columns[..5].join("\t"), columns[5].to_owned()));
    }
    listed
}

fn write_differences(
    path: &Path,
    differences: &BTreeMap<(String, String, String), (bool, bool)>,
    listed: &BTreeMap<(String, String, String), (String, String)>,
) {
    let mut text = String::from(
        "# Where certkey's verdict on an identity differs from a TLS stack's (tests/stacks.rs).\n\
         # fixture\trole\tstack\tcertkey's prediction\tthe stack's verdict\twhy\n",
    );
    let whys: BTreeSet<_> = listed.keys().collect();
    for (key, (certkey, stack)) in differences {
        let why = if whys.contains(key) {
            listed[key].1.clone()
        } else {
            String::new()
        };
        text.push_str(&format!("{}\t{why}\n", row_of(key, *certkey, *stack)));
    }
    std::fs::write(path, text).unwrap();
}

/// The report's per-identity verdicts, without the external stacks: an RSA-1024 source
/// certificate is refused at security level 2 (OpenSSL 3.5 and 4.0 as shipped, Python's
/// OpenSSL) and by rustls, for that reason, and accepted by the rest; the other identities by every stack; an unusable
/// response has no identities.
#[test]
fn each_identity_has_every_stacks_verdict_with_the_first_reason() {
    let report = audit(&common::bundle("key-rsa1024-pkcs1.json"), &common::policy());
    let identities = report.identities();
    assert_eq!(
        identities.iter().map(|i| i.role).collect::<Vec<_>>(),
        Role::WITH_KEYS
    );
    let source = &identities[0];
    assert_eq!(
        source.stacks.iter().map(|v| v.stack).collect::<Vec<_>>(),
        Stack::ALL
    );
    for verdict in &source.stacks {
        let refused = matches!(
            verdict.stack,
            Stack::OpenSsl35
                | Stack::OpenSsl40
                | Stack::PythonOpenSsl30
                | Stack::PythonOpenSsl35
                | Stack::PythonOpenSsl40
                | Stack::RustlsRing
                | Stack::RustlsAwsLcRs
        );
        assert_eq!(verdict.accepts, !refused, "{verdict:?}");
        assert_eq!(
            verdict.reason,
            refused.then_some(certkey::CheckId::CertWeakKey),
            "{verdict:?}"
        );
        assert_eq!(
            verdict.field,
            refused.then_some(certkey::Member::Cert),
            "{verdict:?}"
        );
    }
    for target in &identities[1..] {
        assert!(target.stacks.iter().all(|v| v.accepts), "{target:?}");
    }
    // A finding on the CA is every identity's.
    let report = audit(
        &common::bundle("ca-not-self-signed.json"),
        &common::policy(),
    );
    for identity in report.identities() {
        let openssl = &identity.stacks[0];
        assert_eq!(openssl.stack, Stack::OpenSsl30);
        assert_eq!(openssl.reason, Some(certkey::CheckId::CaNotSelfSigned));
        assert_eq!(openssl.field, Some(certkey::Member::Ca));
    }
    assert!(audit(b"{", &common::policy()).identities().is_empty());
    // In JSON: each verdict names its stack.
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["identities"][0]["role"], "source");
    assert_eq!(json["identities"][0]["stacks"][0]["stack"], "openssl-3.0");
    assert_eq!(json["identities"][0]["stacks"][0]["accepts"], false);
    assert_eq!(
        json["identities"][0]["stacks"][0]["reason"],
        "ca.not_self_signed"
    );
}
