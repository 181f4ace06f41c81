//! The options of an audit, in one place: [`OPTIONS`] names each, says what it takes, its
//! default and its form in each front end; [`Policy`] holds them (a `with_NAME` method and a
//! reader `NAME()` each), and [`Policy::from_json`] (and serde) reads them by name, as the C
//! ABI's `policy_json` and Python's keyword arguments give them. `docs/OPTIONS.md` is
//! [`OPTIONS`] rendered (`tests/options_doc.rs` fails when it is stale).
//!
//! Adding an option: a row in [`OPTIONS`], a field with its `with_NAME` method and reader in
//! [`Policy`], its arm in `Policy::set`, and its flag in `certkey-audit` and keyword in the
//! Python package; the tests fail until every front end has it.

use core::fmt;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::catalog::{CheckId, Profile};
use crate::policy::Policy;

/// One option: its name in every front end, what it takes, its default and its form on the
/// command line and in Python.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct OptionInfo {
    /// The name: the JSON key, the Python keyword, the Rust `with_NAME` method.
    pub name: &'static str,
    /// What it takes, as JSON.
    pub takes: &'static str,
    /// The default, as text, read off `Policy::default()`.
    pub default: fn() -> String,
    /// What it does.
    pub meaning: &'static str,
    /// The `certkey-audit` flag (and its value) that sets it, as Markdown.
    pub flag: &'static str,
    /// How Python's keyword argument differs from the JSON forms, if it does, as Markdown.
    pub python: &'static str,
}

/// A number with thousands separated by commas: `1,000,000`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A size in bytes, in the largest binary unit that divides it: `128 MiB`.
fn size(bytes: u64) -> String {
    for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{} {unit} ({} bytes)", bytes >> shift, grouped(bytes));
        }
    }
    format!("{} bytes", grouped(bytes))
}

/// Every option, in the order the docs list them.
pub const OPTIONS: &[OptionInfo] = &[
    OptionInfo {
        name: "at",
        takes: "a date (`2026-06-01`, its midnight UTC), an RFC 3339 time, or Unix seconds",
        default: || "now".to_owned(),
        meaning: "the audit time, from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z",
        flag: "`--at TIME`",
        python: "also an aware `datetime`",
    },
    OptionInfo {
        name: "profile",
        takes: "`\"strict\"` or `\"legacy\"`",
        default: || format!("`\"{}\"`", profile_name(Policy::default().profile())),
        meaning: "`legacy` makes weak keys, weak signatures and pre-v3 certificates warnings",
        flag: "`--profile strict` or `legacy`",
        python: "",
    },
    OptionInfo {
        name: "deep",
        takes: "`true` or `false`",
        default: || Policy::default().deep().to_string(),
        meaning: "also test RSA factors for primality and sign with every key (proof of possession)",
        flag: "`--deep`",
        python: "",
    },
    OptionInfo {
        name: "strict",
        takes: "`true` or `false`",
        default: || Policy::default().strict().to_string(),
        meaning: "warnings fail the audit too",
        flag: "`--strict`",
        python: "",
    },
    OptionInfo {
        name: "warn_within",
        takes: "a duration (`30d`, `12h`, `90m`, `3600s`) or seconds",
        default: || format!("{} days", Policy::default().warn_within().as_secs() / 86_400),
        meaning: "warn about certificates that expire within this window after the audit time",
        flag: "`--warn-within DURATION`",
        python: "also a `timedelta`",
    },
    OptionInfo {
        name: "allow",
        takes: "finding ids, a list or one comma-separated string",
        default: || "none".to_owned(),
        meaning: "findings with these ids are reported, marked allowed, and never fail the audit",
        flag: "`--allow ID,…`, `--allow-file FILE`",
        python: "",
    },
    OptionInfo {
        name: "stacks",
        takes: "TLS stack ids or family names, a list or one comma-separated string",
        default: || {
            format!("`{}`", Policy::default().stacks()).replace(", ", ",")
        },
        meaning: "the TLS stacks whose refusals count: what only others refuse is a warning",
        flag: "`--stacks LIST`",
        python: "",
    },
    OptionInfo {
        name: "ca_pem",
        takes: "PEM text",
        default: || "none".to_owned(),
        meaning: "the CA certificate for a response without `ca` (wiped on drop)",
        flag: "`--ca FILE` (the file's text)",
        python: "",
    },
    OptionInfo {
        name: "passphrase",
        takes: "text",
        default: || "none".to_owned(),
        meaning: "the task's passphrase, to decrypt encrypted keys (wiped on drop, never shown)",
        flag: "`--passphrase-file FILE` or `--passphrase-env VAR` (never on the command line)",
        python: "`bytes` or `bytearray`, not `str`",
    },
    OptionInfo {
        name: "max_input_len",
        takes: "a whole number of bytes",
        default: || size(Policy::default().max_input_len() as u64),
        meaning: "a larger response is refused unread (`response.too_large`)",
        flag: "`--max-input-len SIZE` (`16MiB`, `512KiB`, `1000000`)",
        python: "",
    },
    OptionInfo {
        name: "max_pbkdf2_iterations",
        takes: "a whole number, at most 4,294,967,295",
        default: || grouped(Policy::default().max_pbkdf2_iterations().into()),
        meaning: "the PBKDF2 iterations a response's encrypted keys may ask for, all together",
        flag: "`--max-pbkdf2-iterations N`",
        python: "",
    },
    OptionInfo {
        name: "max_scrypt_bytes",
        takes: "a whole number of bytes (128·N·r·p)",
        default: || size(Policy::default().max_scrypt_bytes()),
        meaning: "the scrypt work a response's encrypted keys may ask for, all together",
        flag: "`--max-scrypt-bytes SIZE`",
        python: "",
    },
    OptionInfo {
        name: "handshake",
        takes: "`\"off\"`, `\"when_sound\"` or `\"always\"` (cargo feature `handshake`)",
        default: || "`\"off\"`".to_owned(),
        meaning: "rehearse the mutual-TLS handshake with each target on loopback (rustls): where static checks found no error in the members it uses, or always",
        flag: "`--handshake`, `--handshake=always`",
        python: "not taken: the package is built without the rehearsal",
    },
];

/// The option named `name`.
pub fn option(name: &str) -> Option<&'static OptionInfo> {
    OPTIONS.iter().find(|option| option.name == name)
}

/// Rewords the mentions of options in a text certkey wrote (a finding's message or help, a
/// check's explanation or fix) for a front end whose users set options otherwise.
///
/// certkey's texts name options the same way for every front end: "the `NAME` option", or
/// "the `NAME` option set to `VALUE`", by their [`OPTIONS`] names, which are the JSON keys,
/// the Python keywords and the Rust `with_NAME` methods. `word` gets each mentioned option and
/// its value (if any) and returns the words that replace the mention; a command line, say,
/// its flag. Text that is not such a mention, or names no option, is left as it is.
///
/// ```
/// let text = "rehearse anyway with the `handshake` option set to `always`";
/// let flags = certkey::options::reword(text, |option, value| match value {
///     Some(value) => format!("--{}={value}", option.name),
///     None => format!("--{}", option.name),
/// });
/// assert_eq!(flags, "rehearse anyway with --handshake=always");
/// ```
pub fn reword(
    text: &str,
    mut word: impl FnMut(&OptionInfo, Option<&str>) -> String,
) -> std::borrow::Cow<'_, str> {
    const OPEN: &str = "the `";
    const CLOSE: &str = "` option";
    const SET_TO: &str = " set to `";
    if !text.contains(CLOSE) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let mention = after.split_once(CLOSE).and_then(|(name, tail)| {
            let info = option(name)?;
            let (value, tail) = match tail.strip_prefix(SET_TO).and_then(|t| t.split_once('`')) {
                Some((value, tail)) => (Some(value), tail),
                None => (None, tail),
            };
            Some((info, value, tail))
        });
        match mention {
            Some((info, value, tail)) => {
                out.push_str(&rest[..start]);
                out.push_str(&word(info, value));
                rest = tail;
            }
            None => {
                out.push_str(&rest[..start + OPEN.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// An option that is unknown, of the wrong type, or out of range; its message names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError {
    message: String,
    kind: OptionErrorKind,
}

/// What was wrong with an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OptionErrorKind {
    /// The settings are not a JSON object, or an option's value has the wrong type (Python
    /// raises `TypeError`).
    Type,
    /// An unknown option, or a value of the right type that means nothing (Python raises
    /// `ValueError`).
    Value,
}

impl OptionError {
    pub(crate) fn value(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            kind: OptionErrorKind::Value,
        }
    }

    fn of_type(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            kind: OptionErrorKind::Type,
        }
    }

    /// Whether a type or a value was wrong.
    pub fn kind(&self) -> OptionErrorKind {
        self.kind
    }
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OptionError {}

/// Reads a time: a date (`2026-12-01`: its midnight, UTC) or an RFC 3339 time
/// (`2026-12-01T09:30:00Z`), as `--at` and `at` take it.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// let at = certkey::options::parse_time("2026-06-01").unwrap();
/// assert_eq!(at, SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000));
/// assert!(certkey::options::parse_time("June 1st").is_err());
/// ```
pub fn parse_time(text: &str) -> Result<SystemTime, OptionError> {
    let date = time::macros::format_description!("[year]-[month]-[day]");
    let moment = match time::Date::parse(text, &date) {
        Ok(day) => day.midnight().assume_utc(),
        Err(_) => time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            .map_err(|e| {
                OptionError::value(format!(
                    "not a date such as 2026-12-01 or an RFC 3339 time such as 2026-12-01T09:30:00Z: `{}` ({e})",
                    crate::quote(text, 40)
                ))
            })?,
    };
    // An offset can carry the last day of year 9999 past it in UTC: the seconds, not the
    // calendar, are checked.
    audit_time_from_unix(moment.unix_timestamp())
}

/// The audit time `seconds` after the Unix epoch (before it, when negative), if certkey can
/// audit as of it: from 1970-01-01T00:00:00Z (TLS stacks' clocks are Unix time) to
/// 9999-12-31T23:59:59Z (the last second an X.509 time can name).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// let at = certkey::options::audit_time_from_unix(1_780_272_000).unwrap();
/// assert_eq!(at, SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000));
/// assert!(certkey::options::audit_time_from_unix(253_402_300_800).is_err());
/// assert!(certkey::options::audit_time_from_unix(-1).is_err());
/// ```
pub fn audit_time_from_unix(seconds: i64) -> Result<SystemTime, OptionError> {
    u64::try_from(seconds)
        .ok()
        .filter(|&seconds| seconds <= crate::policy::LATEST_AUDIT_TIME)
        .map(|seconds| SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
        .ok_or_else(|| OptionError::value(AUDIT_TIME_RANGE))
}

/// Checks that certkey can audit as of `time`, as [`audit_time_from_unix`] does; whole
/// seconds or not.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use certkey::options::check_audit_time;
/// let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000);
/// assert_eq!(check_audit_time(at), Ok(at));
/// assert!(check_audit_time(at + Duration::from_secs(1 << 40)).is_err());
/// ```
pub fn check_audit_time(time: SystemTime) -> Result<SystemTime, OptionError> {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(since) if since.as_secs() <= crate::policy::LATEST_AUDIT_TIME => Ok(time),
        _ => Err(OptionError::value(AUDIT_TIME_RANGE)),
    }
}

/// What [`check_audit_time`] says of a time out of range.
const AUDIT_TIME_RANGE: &str =
    "the audit time must lie from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z";

/// Reads a duration: `30d`, `12h`, `90m`, `3600s` (a bare number is seconds), as
/// `--warn-within` and `warn_within` take it.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(certkey::options::parse_duration("7d").unwrap(), Duration::from_secs(604_800));
/// assert!(certkey::options::parse_duration("7 weeks").is_err());
/// ```
pub fn parse_duration(text: &str) -> Result<Duration, OptionError> {
    let wrong = || {
        OptionError::value(format!(
            "not a duration such as 30d, 12h, 90m or 3600s: `{}`",
            crate::quote(text, 40)
        ))
    };
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(end);
    let value: u64 = number.parse().map_err(|_| wrong())?;
    let seconds = match unit {
        "d" => value.checked_mul(86_400),
        "h" => value.checked_mul(3_600),
        "m" => value.checked_mul(60),
        "s" | "" => Some(value),
        _ => None,
    }
    .ok_or_else(wrong)?;
    Ok(Duration::from_secs(seconds))
}

/// Reads a list of finding ids, comma-separated, in any ASCII case.
///
/// ```
/// use certkey::CheckId;
/// let ids = certkey::options::parse_ids("cert.expires_soon, CA.ABSENT").unwrap();
/// assert_eq!(ids, [CheckId::CertExpiresSoon, CheckId::CaAbsent]);
/// ```
pub fn parse_ids(list: &str) -> Result<Vec<CheckId>, OptionError> {
    list.split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| {
            name.parse()
                .map_err(|e: crate::ParseCheckIdError| OptionError::value(e.to_string()))
        })
        .collect()
}

/// Reads a profile's name, `strict` or `legacy`.
pub fn parse_profile(name: &str) -> Result<Profile, OptionError> {
    match name {
        "strict" => Ok(Profile::Strict),
        "legacy" => Ok(Profile::Legacy),
        _ => Err(OptionError::value(format!(
            "unknown profile `{}` (the profiles: strict, legacy)",
            crate::quote(name, 40)
        ))),
    }
}

/// A profile's name, as [`parse_profile`] reads it.
pub fn profile_name(profile: Profile) -> &'static str {
    match profile {
        Profile::Strict => "strict",
        Profile::Legacy => "legacy",
    }
}

/// Reads when to rehearse the handshake: `off`, `when_sound` or `always`.
#[cfg(feature = "handshake")]
pub fn parse_rehearsal(name: &str) -> Result<crate::policy::Rehearsal, OptionError> {
    use crate::policy::Rehearsal;
    match name {
        "off" => Ok(Rehearsal::Off),
        "when_sound" => Ok(Rehearsal::WhenSound),
        "always" => Ok(Rehearsal::Always),
        _ => Err(OptionError::value(format!(
            "unknown handshake rehearsal `{}` (off, when_sound or always)",
            crate::quote(name, 40)
        ))),
    }
}

impl Policy {
    /// The policy with the rehearsal `name` (`off`, `when_sound`, `always`), in a build with
    /// the `handshake` feature; in one without, an error that says so. (One function for both
    /// builds, so that each build's tests test all of it.)
    fn with_handshake_named(self, name: &str) -> Result<Self, OptionError> {
        #[cfg(feature = "handshake")]
        return Ok(self.with_handshake(parse_rehearsal(name)?));
        #[cfg(not(feature = "handshake"))]
        {
            let _ = (self, name);
            Err(OptionError::value(
                "the option `handshake` needs a build of certkey with the cargo feature `handshake`",
            ))
        }
    }

    /// Reads a policy from a JSON object of options by name (`{}` is the defaults); see
    /// [`OPTIONS`]. An unknown option, a value of the wrong type (`null` is the default) and
    /// a value that means nothing are errors, which never quote a value (it may be a
    /// passphrase).
    ///
    /// A passphrase written with JSON escapes passes through the JSON parser's scratch
    /// buffer, which is not wiped; written without escapes, its only copy is the one the
    /// policy wipes on drop.
    ///
    /// ```
    /// use certkey::{Policy, Profile};
    ///
    /// let policy = Policy::from_json(r#"{"at": "2026-06-01T00:00:00Z", "profile": "legacy"}"#)?;
    /// assert_eq!(policy.profile(), Profile::Legacy);
    /// assert!(policy.at().is_some());
    ///
    /// let err = Policy::from_json(r#"{"profil": "legacy"}"#).unwrap_err();
    /// assert!(err.to_string().contains("unknown option `profil`"));
    /// # Ok::<(), certkey::OptionError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Self, OptionError> {
        // Read as any JSON value first: the parser's syntax errors name a position only,
        // where a typed read's would quote the value (a passphrase given alone, say).
        match serde_json::from_str::<Value>(json) {
            Ok(value) => Self::from_value(value),
            Err(e) => Err(OptionError::of_type(format!(
                "the settings are not a JSON object: not JSON at line {} column {}",
                e.line(),
                e.column()
            ))),
        }
    }

    /// Reads a policy from a JSON value, an object of options by name, as
    /// [`Policy::from_json`] reads its text.
    pub fn from_value(value: Value) -> Result<Self, OptionError> {
        match value {
            Value::Object(object) => Self::from_options(object),
            other => Err(OptionError::of_type(format!(
                "the settings are {}, not a JSON object of options",
                kind_of(&other)
            ))),
        }
    }

    /// Reads a policy from options by name, as [`Policy::from_json`] reads a JSON object.
    pub fn from_options(options: Map<String, Value>) -> Result<Self, OptionError> {
        let mut policy = Policy::default();
        for (name, value) in options {
            policy = policy.set(&name, value)?;
        }
        Ok(policy)
    }

    /// Sets the option `name` from a JSON value (`null` keeps the default).
    fn set(self, name: &str, value: Value) -> Result<Self, OptionError> {
        let expected = |what: &str, value: &Value| {
            OptionError::of_type(format!(
                "the option `{name}` takes {what}, not {}",
                kind_of(value)
            ))
        };
        let string = |value: Value| match value {
            Value::String(text) => Ok(text),
            other => Err(expected("a string", &other)),
        };
        let flag = |value: Value| match value {
            Value::Bool(flag) => Ok(flag),
            other => Err(expected("true or false", &other)),
        };
        let count = |value: &Value| match value {
            Value::Number(n) => n.as_u64().ok_or_else(|| {
                OptionError::value(format!(
                    "the option `{name}` takes a whole number of at least 0, not {}",
                    crate::quote(&n.to_string(), 40)
                ))
            }),
            other => Err(expected("a whole number", other)),
        };
        // A string, or a list of strings joined with commas.
        let list = |value: Value| match value {
            Value::String(text) => Ok(text),
            Value::Array(items) => items
                .into_iter()
                .map(string)
                .collect::<Result<Vec<_>, _>>()
                .map(|items| items.join(",")),
            other => Err(expected("a list of strings", &other)),
        };
        if value.is_null() {
            return match option(name) {
                Some(_) => Ok(self),
                None => Err(unknown(name)),
            };
        }
        Ok(match name {
            "at" => self.with_at(match value {
                Value::String(text) => parse_time(&text)?,
                Value::Number(n) if n.is_f64() => {
                    return Err(OptionError::value(
                        "the option `at` takes whole Unix seconds, a date or an RFC 3339 time",
                    ))
                }
                Value::Number(n) => match n.as_i64() {
                    Some(seconds) => audit_time_from_unix(seconds)?,
                    None => return Err(OptionError::value(AUDIT_TIME_RANGE)),
                },
                other => return Err(expected("a date, an RFC 3339 time or Unix seconds", &other)),
            }),
            "profile" => self.with_profile(parse_profile(&string(value)?)?),
            "deep" => self.with_deep(flag(value)?),
            "strict" => self.with_strict(flag(value)?),
            "warn_within" => self.with_warn_within(match value {
                Value::String(text) => parse_duration(&text)?,
                other => Duration::from_secs(count(&other)?),
            }),
            "allow" => self.with_allow(parse_ids(&list(value)?)?),
            "stacks" => self.with_stacks(
                list(value)?
                    .parse()
                    .map_err(|e: crate::ParseStacksError| OptionError::value(e.to_string()))?,
            ),
            "ca_pem" => self.with_ca_pem(Zeroizing::new(string(value)?).as_str()),
            "passphrase" => {
                let passphrase = Zeroizing::new(string(value)?.into_bytes());
                self.with_passphrase(&passphrase)
            }
            "max_input_len" => {
                self.with_max_input_len(usize::try_from(count(&value)?).unwrap_or(usize::MAX))
            }
            "max_pbkdf2_iterations" => {
                self.with_max_pbkdf2_iterations(u32::try_from(count(&value)?).map_err(|_| {
                    OptionError::value(format!("the option `{name}` is at most {}", u32::MAX))
                })?)
            }
            "max_scrypt_bytes" => self.with_max_scrypt_bytes(count(&value)?),
            "handshake" => self.with_handshake_named(&string(value)?)?,
            _ => return Err(unknown(name)),
        })
    }
}

/// A policy reads as a JSON object of options by name, as [`Policy::from_json`] reads it
/// (for a policy inside a caller's own configuration).
impl<'de> serde::Deserialize<'de> for Policy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Policy::from_value(value).map_err(serde::de::Error::custom)
    }
}

fn unknown(name: &str) -> OptionError {
    OptionError::value(format!(
        "unknown option `{}` (the options: {})",
        crate::quote(name, 40),
        OPTIONS
            .iter()
            .map(|option| option.name)
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// A JSON value's type, for messages (never the value: it may be a passphrase).
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_written_in_the_largest_unit_that_divides_them() {
        assert_eq!(size(128 << 20), "128 MiB (134,217,728 bytes)");
        assert_eq!(size(3 << 10), "3 KiB (3,072 bytes)");
        assert_eq!(size((1 << 20) + 1), "1,048,577 bytes");
        assert_eq!(size(512), "512 bytes");
        assert_eq!(size(0), "0 bytes");
    }

    #[test]
    fn reword_replaces_each_mention_of_an_option_and_leaves_the_rest() {
        let word = |option: &OptionInfo, value: Option<&str>| match value {
            Some(value) => format!("<{}={value}>", option.name),
            None => format!("<{}>", option.name),
        };
        assert_eq!(
            reword(
                "give the `ca_pem` option, or the `stacks` option set to `go`.",
                word
            ),
            "give <ca_pem>, or <stacks=go>."
        );
        // Not an option, or not a mention: left as it is.
        let other = "the `colour` option, then the `ca_pem` thing, then the `deep` option";
        assert_eq!(
            reword(other, word),
            "the `colour` option, then the `ca_pem` thing, then <deep>"
        );
        assert!(matches!(
            reword("no mention", word),
            std::borrow::Cow::Borrowed("no mention")
        ));
    }
    use crate::stacks::Stacks;

    fn error(json: &str) -> OptionError {
        Policy::from_json(json).unwrap_err()
    }

    #[test]
    fn every_option_reaches_the_policy() {
        let policy = Policy::from_json(
            r#"{"at": 1780272000, "profile": "legacy", "deep": true, "strict": true,
                "warn_within": "7d", "allow": ["cert.expires_soon", "CA.absent"],
                "stacks": "go, rustls", "ca_pem": "PEM", "passphrase": "secret",
                "max_input_len": 4096, "max_pbkdf2_iterations": 1000, "max_scrypt_bytes": 2048}"#,
        )
        .unwrap();
        assert_eq!(
            policy.at(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000))
        );
        assert_eq!(policy.profile(), Profile::Legacy);
        assert!(policy.deep() && policy.strict());
        assert_eq!(policy.warn_within(), Duration::from_secs(7 * 86_400));
        assert_eq!(
            policy.allow(),
            [CheckId::CaAbsent, CheckId::CertExpiresSoon]
        );
        assert_eq!(policy.stacks(), Stacks::GO.union(Stacks::RUSTLS));
        assert_eq!(policy.ca_pem(), Some("PEM"));
        assert_eq!(policy.passphrase(), Some(&b"secret"[..]));
        assert_eq!(policy.max_input_len(), 4096);
        assert_eq!(policy.max_pbkdf2_iterations(), 1000);
        assert_eq!(policy.max_scrypt_bytes(), 2048);
        // Seconds for the window, one bound alone (the other keeps its default).
        let policy = Policy::from_json(r#"{"warn_within": 60, "max_scrypt_bytes": 1}"#).unwrap();
        assert_eq!(policy.warn_within(), Duration::from_secs(60));
        assert_eq!(
            policy.max_pbkdf2_iterations(),
            crate::DEFAULT_MAX_PBKDF2_ITERATIONS
        );
        assert_eq!(policy.max_scrypt_bytes(), 1);
    }

    #[test]
    fn durations_profiles_and_times_read_in_every_form() {
        for (text, seconds) in [("30d", 30 * 86_400), ("12h", 12 * 3_600), ("90m", 5_400)] {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_secs(seconds)),
                "{text}"
            );
        }
        assert_eq!(parse_duration("3600s"), Ok(Duration::from_secs(3_600)));
        assert_eq!(parse_duration("3600"), Ok(Duration::from_secs(3_600)));
        for wrong in ["3w", "d", "", "-1s", "99999999999999999999d", "1d "] {
            assert!(parse_duration(wrong).is_err(), "{wrong}");
        }
        assert_eq!(parse_profile("strict"), Ok(Profile::Strict));
        assert_eq!(parse_profile("legacy"), Ok(Profile::Legacy));
        assert!(parse_profile("Strict").is_err());
        let midnight = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000);
        assert_eq!(parse_time("2026-06-01"), Ok(midnight));
        assert_eq!(parse_time("2026-06-01T02:00:00+02:00"), Ok(midnight));
    }

    #[test]
    fn audit_times_run_from_1970_to_the_end_of_9999_in_utc() {
        let latest = SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_799);
        assert_eq!(parse_time("9999-12-31T23:59:59Z"), Ok(latest));
        assert_eq!(parse_time("1970-01-01"), Ok(SystemTime::UNIX_EPOCH));
        // An offset that carries the last second past the year's end, in UTC.
        for out in [
            "9999-12-31T23:59:59-23:59",
            "1969-12-31",
            "1970-01-01T00:00:00+00:01",
        ] {
            let e = parse_time(out).unwrap_err();
            assert!(e.to_string().contains("must lie from 1970"), "{out}: {e}");
        }
        assert_eq!(check_audit_time(latest), Ok(latest));
        assert!(check_audit_time(latest + Duration::from_secs(1)).is_err());
        for json in [
            r#"{"at": 253402300800}"#,
            r#"{"at": 18446744073709551615}"#,
            r#"{"at": -1}"#,
            r#"{"at": "9999-12-31T23:59:59-23:59"}"#,
        ] {
            let e = error(json);
            assert_eq!(e.kind(), OptionErrorKind::Value, "{json}");
            assert!(e.to_string().contains("must lie from 1970"), "{json}: {e}");
        }
        assert!(error(r#"{"at": 1.5}"#)
            .to_string()
            .contains("whole Unix seconds"));
        let policy = Policy::from_json(r#"{"at": 253402300799}"#).unwrap();
        assert_eq!(policy.at(), Some(latest));
    }

    #[test]
    fn empty_and_null_options_are_the_defaults() {
        let defaults = format!("{:?}", Policy::default());
        assert_eq!(format!("{:?}", Policy::from_json("{}").unwrap()), defaults);
        let nulls = format!(
            "{{{}}}",
            OPTIONS
                .iter()
                .map(|option| format!("\"{}\": null", option.name))
                .collect::<Vec<_>>()
                .join(", ")
        );
        assert_eq!(
            format!("{:?}", Policy::from_json(&nulls).unwrap()),
            defaults
        );
    }

    #[test]
    fn a_wrong_type_is_a_type_error_and_a_wrong_value_a_value_error() {
        for (json, kind, words) in [
            ("[]", OptionErrorKind::Type, "not a JSON object"),
            ("{", OptionErrorKind::Type, "not a JSON object"),
            (
                r#"{"deep": "yes"}"#,
                OptionErrorKind::Type,
                "`deep` takes true or false, not a string",
            ),
            (
                r#"{"profile": 1}"#,
                OptionErrorKind::Type,
                "`profile` takes a string, not a number",
            ),
            (
                r#"{"allow": [1]}"#,
                OptionErrorKind::Type,
                "`allow` takes a string, not a number",
            ),
            (
                r#"{"stacks": {}}"#,
                OptionErrorKind::Type,
                "`stacks` takes a list of strings, not an object",
            ),
            (
                r#"{"at": true}"#,
                OptionErrorKind::Type,
                "`at` takes a date, an RFC 3339 time or Unix seconds",
            ),
            (
                r#"{"max_input_len": "1MiB"}"#,
                OptionErrorKind::Type,
                "`max_input_len` takes a whole number",
            ),
            (
                r#"{"profil": "legacy"}"#,
                OptionErrorKind::Value,
                "unknown option `profil` (the options: at, profile",
            ),
            (
                r#"{"profil": null}"#,
                OptionErrorKind::Value,
                "unknown option `profil`",
            ),
            (
                r#"{"profile": "lax"}"#,
                OptionErrorKind::Value,
                "unknown profile `lax`",
            ),
            (
                r#"{"at": "June"}"#,
                OptionErrorKind::Value,
                "not a date such as 2026-12-01",
            ),
            (
                r#"{"warn_within": "3w"}"#,
                OptionErrorKind::Value,
                "not a duration",
            ),
            (
                r#"{"allow": "key.missmatch"}"#,
                OptionErrorKind::Value,
                "unknown check id `key.missmatch`",
            ),
            (
                r#"{"stacks": ["java"]}"#,
                OptionErrorKind::Value,
                "java is not modelled",
            ),
            (
                r#"{"max_input_len": -1}"#,
                OptionErrorKind::Value,
                "at least 0, not -1",
            ),
            (
                r#"{"max_pbkdf2_iterations": 4294967296}"#,
                OptionErrorKind::Value,
                "at most 4294967295",
            ),
        ] {
            let e = error(json);
            assert_eq!(e.kind(), kind, "{json}: {e}");
            assert!(e.to_string().contains(words), "{json}: {e}");
        }
    }

    #[test]
    fn the_handshake_option_needs_its_feature() {
        let result = Policy::from_json(r#"{"handshake": "when_sound"}"#);
        #[cfg(feature = "handshake")]
        {
            let policy = result.unwrap();
            assert_eq!(policy.handshake(), crate::Rehearsal::WhenSound);
            for (name, when) in [
                ("off", crate::Rehearsal::Off),
                ("always", crate::Rehearsal::Always),
            ] {
                let json = format!(r#"{{"handshake": "{name}"}}"#);
                let policy = Policy::from_json(&json).unwrap();
                assert_eq!(policy.handshake(), when, "{name}");
            }
            assert_eq!(
                error(r#"{"handshake": "sometimes"}"#).kind(),
                OptionErrorKind::Value
            );
        }
        #[cfg(not(feature = "handshake"))]
        assert!(result
            .unwrap_err()
            .to_string()
            .contains("cargo feature `handshake`"));
    }

    #[test]
    fn settings_that_are_no_object_are_refused_without_their_text() {
        for (json, said) in [
            (r#""Hunter2-Task-Passphrase""#, "the settings are a string"),
            (r#"["Hunter2-Task-Passphrase"]"#, "the settings are a list"),
            (
                r#"{"passphrase": "Hunter2-Task-Passphrase""#,
                "not JSON at line 1 column 40",
            ),
            (
                r#"{"passphrase": "Hunter2-Task-Passphrase\q"}"#,
                "not JSON at line 1",
            ),
            ("Hunter2-Task-Passphrase", "not JSON at line 1 column 1"),
        ] {
            let e = error(json);
            assert_eq!(e.kind(), OptionErrorKind::Type, "{json}");
            assert!(e.to_string().contains(said), "{json}: {e}");
            assert!(!e.to_string().contains("Hunter2"), "{json}: {e}");
        }
    }

    #[test]
    fn serde_reads_a_policy_as_from_json_does() {
        #[derive(serde::Deserialize)]
        struct Config {
            policy: Policy,
        }
        let config: Config =
            serde_json::from_str(r#"{"policy": {"profile": "legacy", "warn_within": "7d"}}"#)
                .unwrap();
        let direct = Policy::from_json(r#"{"profile": "legacy", "warn_within": "7d"}"#).unwrap();
        assert_eq!(format!("{:?}", config.policy), format!("{direct:?}"));
        let e = serde_json::from_str::<Policy>(r#"{"profil": "legacy"}"#).unwrap_err();
        assert!(e.to_string().contains("unknown option `profil`"), "{e}");
        let e =
            serde_json::from_str::<Policy>(r#"{"passphrase": ["hunter2-secret"]}"#).unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }

    #[test]
    fn the_table_says_the_defaults_the_policy_has() {
        let default = |name: &str| (option(name).unwrap().default)();
        assert_eq!(default("max_pbkdf2_iterations"), "1,000,000");
        assert_eq!(default("max_scrypt_bytes"), "128 MiB (134,217,728 bytes)");
        assert_eq!(default("max_input_len"), "16 MiB (16,777,216 bytes)");
        assert_eq!(default("warn_within"), "30 days");
        assert_eq!(default("stacks"), "`openssl,python,go,rustls`");
        assert_eq!(default("profile"), "`\"strict\"`");
        assert_eq!(size(1000), "1,000 bytes");
        assert_eq!(grouped(999), "999");
        assert!(option("max_input").is_none());
    }

    #[test]
    fn no_message_or_debug_shows_the_secrets() {
        let settings =
            Policy::from_json(r#"{"passphrase": "hunter2-secret", "ca_pem": "CA-TEXT-SECRET"}"#)
                .unwrap();
        let shown = format!("{settings:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("CA-TEXT"),
            "{shown}"
        );
        assert!(shown.contains("<14 bytes>"));
        let e = error(r#"{"passphrase": ["hunter2-secret"]}"#);
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }
}
