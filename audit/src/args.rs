//! The command line.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use certkey::{Policy, Profile};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use zeroize::Zeroizing;

const EXAMPLES: &str = "\
Examples:
  certkey-audit task-42.json                  audit one response
  certkey-audit responses/                    every *.json in a folder (--recursive to descend)
  certkey-audit --format json a.json b.json   one JSON object per input, one per line
  curl -s ... | certkey-audit                 audit what arrives on stdin
  certkey-audit --at 2026-12-01T00:00:00Z --warn-within 14d task-42.json
                                              audit as of the migration date
  certkey-audit --ca ca.pem task-42.json      a CA for responses without enable_ca_cert
  certkey-audit --handshake task-42.json      also shake hands as the migration will (rustls,
                                              on loopback)
  certkey-audit --passphrase-file passphrase.json task-42.json
                                              decrypt encrypted keys with the task's passphrase
                                              (the API's answer, or a file holding it alone)
  certkey-audit --report fleet.html responses/
                                              also one HTML page for the whole folder: what
                                              fails, what expires when, what each stack refuses
  certkey-audit --format sarif responses/ > certkey.sarif
                                              SARIF 2.1.0 for code-scanning dashboards
  certkey-audit --allow ca.absent task-42.json
                                              accept a known condition (still reported)
  certkey-audit explain key.mismatch          what a finding means and how to fix it
  certkey-audit explain key --format json     every key.* check, as JSON

Every input gets one record (text block, JSON line or SARIF artifact), unreadable ones
included (input.unreadable), and its `ok` is the verdict under the options given.
Exit status: 0 every input is ok, 1 some input is not (with --strict, a warning is enough;
an unreadable input is not ok), 2 usage error (nothing audited) or output that could not be
written. A closed output (`| head`) is no failure: the exit status is still the verdict.";

/// `--version`: the version, the target and the glibc the build runs with, and its features.
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\ntarget: ",
    env!("CERTKEY_TARGET"),
    ", ",
    env!("CERTKEY_GLIBC"),
    "\nfeatures: ",
    env!("CERTKEY_FEATURES"),
);

/// Audits certkey responses (GET /v3/tasks/{task_id}/certkey) before a migration relies on them.
#[derive(Debug, Parser)]
#[command(
    version,
    long_version = LONG_VERSION,
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Output format: text for people, json for one JSON object per input per line (the
    /// record docs/report.schema.json describes), sarif for one SARIF 2.1.0 log.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Audit as of this time instead of now: a date (2026-12-01, midnight UTC) or an RFC 3339
    /// timestamp (2026-12-01T09:30:00Z).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub at: Option<SystemTime>,

    /// Warn about certificates expiring within this window: 30d, 12h, 90m, 3600s.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub warn_within: Option<Duration>,

    /// The CA certificate (PEM) for responses that have no `ca` member.
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,

    /// Warnings fail too: an input with a warning is not ok (in every format) and the run
    /// exits 1.
    #[arg(long)]
    pub strict: bool,

    /// Accept findings with this id (repeatable, or comma-separated): they stay in the
    /// report, marked allowed, and never fail an input. E.g. --allow ca.absent.
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub allow: Vec<String>,

    /// Accept the finding ids listed in FILE, one per line (`#` starts a comment).
    #[arg(long, value_name = "FILE")]
    pub allow_file: Option<PathBuf>,

    /// `legacy` makes weak keys, weak signatures and pre-v3 certificates warnings.
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,

    /// The TLS stacks the agent and its targets run, comma-separated: openssl-3.0,
    /// openssl-3.5, openssl-4.0 (each OpenSSL line as shipped), python-3.13-openssl-3.0, -3.5,
    /// -4.0 (Python 3.13's default context, X509_STRICT, on each OpenSSL line), go-1.23,
    /// go-1.24 (Go's crypto/tls), rustls-ring
    /// (rustls 0.23 with ring), rustls-aws-lc-rs (rustls 0.23 with aws-lc-rs, its default),
    /// pyca-48, pyca-51 (pyca/cryptography's verifier); a family name (openssl, python, go,
    /// rustls, pyca) stands for each of its stacks. What a counted stack
    /// refuses is an error; what only others refuse, a warning that names them.
    #[arg(long, visible_alias = "stack", value_name = "LIST", value_parser = parse_stacks)]
    pub stacks: Option<certkey::Stacks>,

    /// Also test RSA primes for primality and sign with every key (proof of possession).
    #[arg(long)]
    pub deep: bool,

    /// Rehearse the migration's mutual-TLS handshake with each target on loopback (rustls):
    /// `--handshake` (or `--handshake=when_sound`) where static checks found no error in the
    /// members it uses, `--handshake=always` whatever they found.
    #[cfg(feature = "handshake")]
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "when_sound"
    )]
    pub handshake: Option<HandshakeArg>,

    /// Decrypt encrypted private keys with the task's passphrase, read from FILE: the raw
    /// passphrase (its first line), or the passphrase API's JSON answer as downloaded
    /// (GET /v3/tasks/{task_id}/passphrase).
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_env")]
    pub passphrase_file: Option<PathBuf>,

    /// Decrypt encrypted private keys with the passphrase in the environment variable VAR.
    #[arg(long, value_name = "VAR")]
    pub passphrase_env: Option<String>,

    /// Print only the summary line (text) or nothing but the JSON lines; the exit code tells.
    #[arg(long, short)]
    pub quiet: bool,

    /// Refuse inputs larger than this, unread: 16MiB, 512KiB, 1000000.
    #[arg(long, visible_alias = "max-input", value_name = "SIZE", value_parser = parse_size)]
    pub max_input_len: Option<usize>,

    /// The most PBKDF2 iterations the encrypted keys of a response may ask for, all together
    /// (a key beyond what is left is refused before any work).
    #[arg(long, value_name = "N")]
    pub max_pbkdf2_iterations: Option<u32>,

    /// The most scrypt work (128·N·r·p bytes) the encrypted keys of a response may ask for,
    /// all together: 128MiB, 16MiB, 1000000.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_scrypt_bytes: Option<usize>,

    /// Also write a fleet report to FILE: one self-contained HTML page with every input's
    /// verdict, the findings by id, an expiry timeline and what each TLS stack would refuse.
    /// It loads nothing from the network and holds no key material.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Descend into sub-folders of folders given as inputs.
    #[arg(long, short)]
    pub recursive: bool,

    /// Response files or folders (every *.json inside); `-` reads standard input, which is
    /// also read when no path is given and it is a pipe or a file.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Explain finding ids (or list every id).
    Explain {
        /// Finding ids such as key.mismatch (any case), or areas such as `key` for every
        /// key.* id; none lists the whole catalog.
        ids: Vec<String>,

        /// text for people; json for the catalog entries as a JSON array.
        #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
        format: ExplainFormat,
    },
    /// Print a shell completion script: `certkey-audit completions bash >
    /// /usr/share/bash-completion/completions/certkey-audit`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `certkey-audit man > certkey-audit.1`.
    Man,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

/// When `--handshake` rehearses.
#[cfg(feature = "handshake")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HandshakeArg {
    /// Where static checks found no error in the members the handshake uses.
    #[value(name = "when_sound", alias = "auto")]
    WhenSound,
    /// Whatever static checks found.
    Always,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    Strict,
    Legacy,
}

/// The command line: [`Args`], with each option's default, from the library's table of
/// options (`certkey::options::OPTIONS`), in its help; the one source of the defaults.
pub fn command() -> clap::Command {
    Args::command().mut_args(|arg| {
        let Some(option) = certkey::options::option(arg.get_id().as_str()) else {
            return arg;
        };
        let default = (option.default)().replace(['`', '"'], "");
        if !arg.get_action().takes_values() || default == "none" {
            return arg;
        }
        let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
        arg.help(format!("{help} [default: {default}]"))
    })
}

/// The arguments of this process, or clap's error.
pub fn parse() -> Result<Args, clap::Error> {
    Args::from_arg_matches(&command().try_get_matches()?)
}

impl Args {
    /// The audit policy the options describe.
    pub fn policy(&self) -> Result<Policy, String> {
        // An option not given keeps the library's default (certkey::options::OPTIONS).
        let mut policy = Policy::default()
            .with_deep(self.deep)
            .with_strict(self.strict)
            .with_allow(self.allowed()?);
        if let Some(window) = self.warn_within {
            policy = policy.with_warn_within(window);
        }
        if let Some(len) = self.max_input_len {
            policy = policy.with_max_input_len(len);
        }
        if let Some(iterations) = self.max_pbkdf2_iterations {
            policy = policy.with_max_pbkdf2_iterations(iterations);
        }
        if let Some(bytes) = self.max_scrypt_bytes {
            policy = policy.with_max_scrypt_bytes(bytes as u64);
        }
        if let Some(stacks) = self.stacks {
            policy = policy.with_stacks(stacks);
        }
        if let Some(profile) = self.profile {
            policy = policy.with_profile(match profile {
                ProfileArg::Strict => Profile::Strict,
                ProfileArg::Legacy => Profile::Legacy,
            });
        }
        #[cfg(feature = "handshake")]
        if let Some(when) = self.handshake {
            policy = policy.with_handshake(match when {
                HandshakeArg::WhenSound => certkey::Rehearsal::WhenSound,
                HandshakeArg::Always => certkey::Rehearsal::Always,
            });
        }
        let passphrase = match (&self.passphrase_file, &self.passphrase_env) {
            (Some(path), _) => Some(crate::passphrase::from_file(path)?),
            (None, Some(name)) => Some(crate::passphrase::from_env(name)?),
            (None, None) => None,
        };
        if let Some(passphrase) = passphrase {
            policy = policy.with_passphrase(&passphrase);
        }
        if let Some(at) = self.at {
            policy = policy.with_at(at);
        }
        if let Some(path) = &self.ca {
            policy = policy.with_ca_pem(read_ca(path)?.as_str());
        }
        Ok(policy)
    }
}

impl Args {
    /// The ids `--allow` and `--allow-file` name; an id the catalog does not have is an
    /// error (a misspelt allowance would silently allow nothing).
    fn allowed(&self) -> Result<Vec<certkey::CheckId>, String> {
        let mut ids = Vec::new();
        for name in &self.allow {
            ids.push(id_named(name).ok_or_else(|| {
                format!(
                    "--allow: no finding has the id `{}`; `certkey-audit explain` lists them",
                    certkey::quote(name, 64)
                )
            })?);
        }
        if let Some(path) = &self.allow_file {
            let shown = crate::input::shown(path);
            let text = read_allow_file(path, &shown)?;
            for (index, line) in text.lines().enumerate() {
                let name = line.split('#').next().unwrap_or_default().trim();
                if !name.is_empty() {
                    ids.push(id_named(name).ok_or_else(|| not_an_id(&shown, index + 1, name))?);
                }
            }
        }
        Ok(ids)
    }
}

/// The finding id `name` names, in any ASCII case.
/// The flag that sets an option the library's texts mention ("the `ca_pem` option"), with
/// its value when the text gives one: what an operator types.
pub fn flag(option: &certkey::options::OptionInfo, value: Option<&str>) -> String {
    match (option.name, value) {
        ("ca_pem", _) => "--ca FILE".to_owned(),
        ("passphrase", _) => "--passphrase-file FILE (the raw passphrase, or the API's JSON answer as downloaded) or --passphrase-env VAR".to_owned(),
        ("handshake", Some(value)) => format!("--handshake={value}"),
        (name, Some(value)) => format!("--{} {value}", name.replace('_', "-")),
        (name, None) => format!("--{}", name.replace('_', "-")),
    }
}

/// A text of the library's (a finding's, a check's) with its mentions of options worded as
/// this command's flags.
pub fn in_flags(text: &str) -> std::borrow::Cow<'_, str> {
    certkey::options::reword(text, flag)
}

fn id_named(name: &str) -> Option<certkey::CheckId> {
    certkey::CheckId::from_name(&name.trim().to_ascii_lowercase())
}

/// Why line `line` of the allow-list `shown`, `text`, is refused. The line is repeated only
/// when it is shaped as an id of one of the catalog's areas (`key.missmatch`): a file given
/// here by mistake, a passphrase file or a key, must not have its lines printed.
fn not_an_id(shown: &str, line: usize, text: &str) -> String {
    let of_an_area = text.split_once('.').is_some_and(|(area, rest)| {
        certkey::CATALOG.iter().any(|check| {
            check.id.as_str().split('.').next() == Some(area.to_ascii_lowercase().as_str())
        }) && !rest.is_empty()
            && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    if of_an_area {
        format!(
            "{shown}:{line}: no finding has the id `{}`; `certkey-audit explain` lists them",
            certkey::quote(text, 64)
        )
    } else {
        format!(
            "{shown}:{line}: not a finding id such as ca.absent (the line is not shown, in case the file is not the allow-list it should be); `certkey-audit explain` lists the ids"
        )
    }
}

/// The largest allow-list file read: far more than every id of the catalog, one per line.
const MAX_ALLOW_FILE_LEN: usize = 64 * 1024;

fn read_allow_file(path: &Path, shown: &str) -> Result<String, String> {
    match crate::input::read_named(path, MAX_ALLOW_FILE_LEN) {
        Ok(crate::input::Input::Bytes(bytes)) => String::from_utf8(bytes.to_vec())
            .map_err(|_| format!("the allow-list {shown} is not UTF-8 text")),
        Ok(crate::input::Input::Oversized(_)) => Err(format!(
            "the allow-list {shown} is over {} KiB: not a list of finding ids",
            MAX_ALLOW_FILE_LEN >> 10
        )),
        Err(e) => Err(format!("cannot read the allow-list {shown}: {e}")),
    }
}

fn parse_stacks(list: &str) -> Result<certkey::Stacks, String> {
    list.parse()
        .map_err(|e: certkey::ParseStacksError| e.to_string())
}

/// The largest CA file read: a `ca` member holds at most 1,048,576 characters, each of at
/// most four bytes.
const MAX_CA_FILE_LEN: usize = 4 * certkey::MEMBER_MAX_CHARS;

/// The CA file's text, read as inputs are: a regular file, bounded, into a buffer wiped on
/// drop (a CA file may hold the CA's private key too).
fn read_ca(path: &Path) -> Result<Zeroizing<String>, String> {
    let shown = crate::input::shown(path);
    let bytes = match crate::input::read_named(path, MAX_CA_FILE_LEN) {
        Ok(crate::input::Input::Bytes(bytes)) => bytes,
        Ok(crate::input::Input::Oversized(_)) => {
            return Err(format!(
                "the CA file {shown} is over {} MiB: not a CA certificate",
                MAX_CA_FILE_LEN >> 20
            ))
        }
        Err(e) => return Err(format!("cannot read the CA file {shown}: {e}")),
    };
    match std::str::from_utf8(&bytes) {
        Ok(text) => Ok(Zeroizing::new(text.to_owned())),
        Err(_) => Err(format!(
            "the CA file {shown} is not text (PEM): give the CA certificate in PEM"
        )),
    }
}

/// A date (`2026-12-01`: its midnight, UTC) or an RFC 3339 timestamp.
fn parse_time(text: &str) -> Result<SystemTime, String> {
    certkey::options::parse_time(text).map_err(|e| e.to_string())
}

/// `30d`, `12h`, `90m`, `3600s` (a bare number is seconds).
fn parse_duration(text: &str) -> Result<Duration, String> {
    certkey::options::parse_duration(text).map_err(|e| e.to_string())
}

/// `16MiB`, `512KiB`, `10MB`, `1000000` (a bare number is bytes).
fn parse_size(text: &str) -> Result<usize, String> {
    let (number, unit) = split_number(text);
    let wrong = || {
        format!(
            "not a size such as 16MiB, 512KiB or 1000000: `{}`",
            certkey::quote(text, 40)
        )
    };
    let value: usize = number.parse().map_err(|_| wrong())?;
    let factor: usize = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return Err(wrong()),
    };
    value
        .checked_mul(factor)
        .ok_or_else(|| format!("size too large: `{}`", certkey::quote(text, 40)))
}

fn split_number(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    text.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_option_the_library_mentions_is_worded_as_a_flag_this_command_takes() {
        let cli = command();
        let longs: Vec<&str> = cli.get_arguments().filter_map(|a| a.get_long()).collect();
        for option in certkey::options::OPTIONS {
            if option.name == "handshake" && !cfg!(feature = "handshake") {
                continue;
            }
            for words in [flag(option, None), flag(option, Some("x"))] {
                let flags: Vec<&str> = words
                    .split_whitespace()
                    .filter_map(|word| word.strip_prefix("--"))
                    .map(|flag| flag.split('=').next().unwrap())
                    .collect();
                assert!(!flags.is_empty(), "{words}");
                for flag in flags {
                    assert!(longs.contains(&flag), "{}: {words}", option.name);
                }
            }
        }
        // As the library's texts write them, worded as flags this command takes.
        let worded = in_flags(
            "leave it out (the `stacks` option set to `python,go,rustls`), give the `ca_pem` option",
        );
        assert_eq!(
            worded,
            "leave it out (--stacks python,go,rustls), give --ca FILE"
        );
        let taken = command().try_get_matches_from([
            "certkey-audit",
            "--stacks",
            "python,go,rustls",
            "x.json",
        ]);
        assert!(taken.is_ok(), "{taken:?}");
    }

    /// One or two arguments: an option with a value at an edge of what an option takes, an
    /// option, a value or any text alone (never a path that names a stream, which would wait
    /// for its writer).
    fn arguments() -> impl Strategy<Value = Vec<String>> {
        let options = prop::sample::select(vec![
            "--at",
            "--warn-within",
            "--max-input",
            "--max-input-len",
            "--max-pbkdf2-iterations",
            "--max-scrypt-bytes",
            "--stack",
            "--stacks",
            "--format",
            "--profile",
            "--allow",
            "--allow-file",
            "--ca",
            "--passphrase-file",
            "--passphrase-env",
            "--report",
            "--handshake",
            "--handshake=always",
            "--handshake=auto",
            "--strict",
            "--deep",
            "--quiet",
            "-r",
            "explain",
            "completions",
            "man",
            "-",
            "--",
        ]);
        let values = prop::sample::select(vec![
            "9999-12-31T23:59:59-23:59",
            "9999-12-31T23:59:59Z",
            "1969-12-31",
            "2026-06-01",
            "18446744073709551615",
            "18446744073709551615d",
            "99999999999999999999GiB",
            "0",
            "16MiB",
            "openssl,java",
            "",
            "ca.absent",
            "key",
            "no-such-file.json",
            "PATH",
        ]);
        let text = "[^/\\x00]{0,24}";
        prop_oneof![
            4 => (options.clone(), values.clone())
                .prop_map(|(option, value)| vec![option.to_owned(), value.to_owned()]),
            1 => (options, text).prop_map(|(option, value)| vec![option.to_owned(), value]),
            1 => values.prop_map(|value| vec![value.to_owned()]),
            1 => text.prop_map(|text| vec![text]),
        ]
    }

    proptest! {
        /// Arguments of any kind parse or are refused, and the policy of those that parse is
        /// built or refused: never a panic, and never an audit time out of the range.
        #[test]
        fn any_arguments_parse_or_are_refused_without_a_panic(
            arguments in proptest::collection::vec(arguments(), 0..5),
        ) {
            let argv = std::iter::once("certkey-audit".to_owned())
                .chain(arguments.into_iter().flatten());
            match Args::try_parse_from(argv) {
                Ok(args) => {
                    if let Ok(policy) = args.policy() {
                        if let Some(at) = policy.at() {
                            prop_assert!(certkey::options::check_audit_time(at).is_ok());
                        }
                    }
                }
                Err(error) => {
                    let rendered = error.render().to_string();
                    for line in rendered.lines() {
                        let _ = certkey::quote(line, 400);
                    }
                }
            }
        }
    }

    /// Every option of the library's table has its flag here, and a flag gives the policy
    /// the same option does in JSON (the C ABI's and Python's form).
    #[test]
    fn every_option_is_a_flag_that_sets_what_its_json_sets() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let ca = root.join("testdata/pki/ca.crt.pem");
        let ca_text = std::fs::read_to_string(&ca).unwrap();
        let passphrase = std::env::temp_dir().join(format!("certkey-args-{}", std::process::id()));
        std::fs::write(&passphrase, "fixture-passphrase\n").unwrap();
        let (ca, passphrase_path) = (ca.to_str().unwrap(), passphrase.to_str().unwrap());
        // (option, its flag and value, the same in JSON)
        let cases: Vec<(&str, Vec<&str>, serde_json::Value)> = vec![
            (
                "at",
                vec!["--at", "2026-06-01"],
                serde_json::json!("2026-06-01"),
            ),
            (
                "profile",
                vec!["--profile", "legacy"],
                serde_json::json!("legacy"),
            ),
            ("deep", vec!["--deep"], serde_json::json!(true)),
            ("strict", vec!["--strict"], serde_json::json!(true)),
            (
                "warn_within",
                vec!["--warn-within", "7d"],
                serde_json::json!(604_800),
            ),
            (
                "allow",
                vec!["--allow", "ca.absent,key.mismatch"],
                serde_json::json!(["key.mismatch", "CA.absent"]),
            ),
            (
                "stacks",
                vec!["--stacks", "go,pyca"],
                serde_json::json!(["go", "pyca"]),
            ),
            ("ca_pem", vec!["--ca", ca], serde_json::json!(ca_text)),
            (
                "passphrase",
                vec!["--passphrase-file", passphrase_path],
                serde_json::json!("fixture-passphrase"),
            ),
            (
                "max_input_len",
                vec!["--max-input-len", "1KiB"],
                serde_json::json!(1024),
            ),
            (
                "max_pbkdf2_iterations",
                vec!["--max-pbkdf2-iterations", "5000"],
                serde_json::json!(5000),
            ),
            (
                "max_scrypt_bytes",
                vec!["--max-scrypt-bytes", "1MiB"],
                serde_json::json!(1 << 20),
            ),
            #[cfg(feature = "handshake")]
            (
                "handshake",
                vec!["--handshake=always"],
                serde_json::json!("always"),
            ),
        ];
        for option in certkey::options::OPTIONS {
            if option.name == "handshake" && !cfg!(feature = "handshake") {
                continue;
            }
            let Some((_, argv, json)) = cases.iter().find(|(name, ..)| *name == option.name) else {
                panic!(
                    "the option `{}` has no case here: give it a flag",
                    option.name
                );
            };
            let flag = option
                .flag
                .trim_start_matches('`')
                .split([' ', '`'])
                .next()
                .unwrap();
            assert!(
                argv[0].starts_with(flag),
                "{}: the table says {flag}",
                option.name
            );
            let args =
                Args::try_parse_from(std::iter::once("certkey-audit").chain(argv.iter().copied()))
                    .unwrap_or_else(|e| panic!("{}: {e}", option.name));
            let from_flag = args.policy().unwrap();
            let from_json =
                Policy::from_json(&serde_json::json!({ option.name: json }).to_string()).unwrap();
            assert_eq!(
                format!("{from_flag:?}"),
                format!("{from_json:?}"),
                "{}",
                option.name
            );
            assert_ne!(
                format!("{from_flag:?}"),
                format!("{:?}", Policy::default()),
                "{}",
                option.name
            );
            assert_eq!(from_flag.has_passphrase(), from_json.has_passphrase());
        }
        std::fs::remove_file(&passphrase).unwrap();
        // The flags' former names still work.
        let mut renamed = vec![
            (["--stack", "go"], ["--stacks", "go"]),
            (["--max-input", "1KiB"], ["--max-input-len", "1KiB"]),
        ];
        if cfg!(feature = "handshake") {
            renamed.push((
                ["--handshake=auto", "--deep"],
                ["--handshake=when_sound", "--deep"],
            ));
        }
        for (old, new) in renamed {
            let policy = |argv: [&str; 2]| {
                let args = Args::try_parse_from(std::iter::once("certkey-audit").chain(argv));
                format!("{:?}", args.unwrap().policy().unwrap())
            };
            assert_eq!(policy(old), policy(new), "{old:?}");
        }
        // No flag given, the policy is the library's default.
        let none = Args::try_parse_from(["certkey-audit"])
            .unwrap()
            .policy()
            .unwrap();
        assert_eq!(format!("{none:?}"), format!("{:?}", Policy::default()));
    }

    #[test]
    fn the_help_shows_each_default_from_the_library() {
        let help = command().render_long_help().to_string();
        for (flag, default) in [
            ("--warn-within", "[default: 30 days]"),
            ("--max-pbkdf2-iterations", "[default: 1,000,000]"),
            (
                "--max-scrypt-bytes",
                "[default: 128 MiB (134,217,728 bytes)]",
            ),
            ("--stacks", "[default: openssl,python,go,rustls]"),
        ] {
            let from = help
                .find(&format!("{flag} <"))
                .unwrap_or_else(|| panic!("{flag}"));
            let next = help[from + 2..]
                .find("\n      -")
                .map_or(help.len(), |at| from + 2 + at);
            assert!(
                help[from..next].contains(default),
                "{flag}: {}",
                &help[from..next]
            );
        }
    }

    #[test]
    fn durations_take_days_hours_minutes_and_seconds() {
        assert_eq!(parse_duration("30d"), Ok(Duration::from_secs(30 * 86_400)));
        assert_eq!(parse_duration("12h"), Ok(Duration::from_secs(12 * 3_600)));
        assert_eq!(parse_duration("90m"), Ok(Duration::from_secs(90 * 60)));
        assert_eq!(parse_duration("3600"), Ok(Duration::from_secs(3_600)));
        assert!(parse_duration("3w").is_err());
        assert!(parse_duration("d").is_err());
        assert!(parse_duration("99999999999999999999d").is_err());
    }

    #[test]
    fn times_take_a_date_or_a_timestamp() {
        let midnight = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000);
        assert_eq!(parse_time("2026-06-01"), Ok(midnight));
        assert_eq!(parse_time("2026-06-01T00:00:00Z"), Ok(midnight));
        assert_eq!(
            parse_time("2026-06-01T02:00:00+02:00"),
            Ok(midnight),
            "an offset is honoured"
        );
        assert_eq!(
            parse_time("2026-06-01T00:00:01Z"),
            Ok(midnight + Duration::from_secs(1))
        );
        for bad in [
            "2026-6-1",
            "2026-06-31",
            "yesterday",
            "2026-06-01 00:00:00",
            "",
            "9999-12-31T23:59:59-23:59",
            "1969-12-31",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes_take_binary_and_decimal_units() {
        assert_eq!(parse_size("16MiB"), Ok(16 << 20));
        assert_eq!(parse_size("512KiB"), Ok(512 << 10));
        assert_eq!(parse_size("10MB"), Ok(10_000_000));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("1TB").is_err());
        assert!(parse_size("MiB").is_err());
    }
}
