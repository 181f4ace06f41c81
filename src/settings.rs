//! A [`Policy`] as data: the options by name, as the bindings take them (Python's keyword
//! arguments, the C ABI's `policy_json`), with the command line's forms of times, durations
//! and lists.

use core::fmt;
use std::time::{Duration, SystemTime};

use serde_json::Value;
use zeroize::Zeroizing;

use crate::catalog::{CheckId, Profile};
use crate::keys::decrypt::KdfLimits;
use crate::policy::Policy;
use crate::stacks::Stacks;

/// The options of a [`Policy`], by the names every binding uses.
///
/// | name | value | default |
/// |---|---|---|
/// | `at` | the audit time: a date (`2026-06-01`, its midnight UTC), an RFC 3339 time, or Unix seconds | now |
/// | `profile` | `"strict"` or `"legacy"` | `"strict"` |
/// | `deep` | deep key checks (primality, proof of possession) | `false` |
/// | `strict` | warnings fail the audit | `false` |
/// | `warn_within` | the expiry warning window: `"30d"`, `"12h"`, `"90m"`, `"3600s"`, or seconds | 30 days |
/// | `allow` | finding ids that never fail the audit (a list, or one comma-separated string) | none |
/// | `stacks` | the TLS stacks whose refusals count (a list, or `"openssl,go"`) | `openssl`, `python`, `go`, `rustls` (pyca's is opt-in) |
/// | `ca_pem` | the CA certificate, PEM, for a response without `ca` | none |
/// | `passphrase` | the task's passphrase for encrypted keys | none |
/// | `max_input_len` | the size cap, in bytes | 16 MiB |
/// | `max_pbkdf2_iterations`, `max_scrypt_bytes` | the bounds on key-derivation work | 10,000,000; 1 GiB |
/// | `handshake` | `"off"`, `"when_sound"` or `"always"` (feature `handshake`) | `"off"` |
///
/// A name not in the table, or a value of the wrong type, is an error: a misspelt option must
/// not silently audit under the defaults.
///
/// ```
/// use certkey::{Profile, Settings};
///
/// let settings = Settings::from_json(r#"{"at": "2026-06-01T00:00:00Z", "profile": "legacy"}"#)?;
/// assert_eq!(settings.profile, Profile::Legacy);
/// let policy = settings.to_policy();
/// assert!(policy.audit_time().is_some());
///
/// let err = Settings::from_json(r#"{"profil": "legacy"}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown option `profil`"));
/// # Ok::<(), certkey::SettingsError>(())
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct Settings {
    /// `at`: the audit time; `None` is the time of the audit.
    pub at: Option<SystemTime>,
    /// `profile`.
    pub profile: Profile,
    /// `deep`.
    pub deep: bool,
    /// `strict`.
    pub strict: bool,
    /// `warn_within`; `None` is [`DEFAULT_EXPIRY_WARNING`](crate::DEFAULT_EXPIRY_WARNING).
    pub warn_within: Option<Duration>,
    /// `allow`.
    pub allow: Vec<CheckId>,
    /// `stacks`; `None` counts [`Stacks::COUNTED_BY_DEFAULT`].
    pub stacks: Option<Stacks>,
    /// `ca_pem`, wiped on drop (a CA file may hold more than the certificate).
    pub ca_pem: Option<Zeroizing<String>>,
    /// `passphrase`, wiped on drop.
    pub passphrase: Option<Zeroizing<Vec<u8>>>,
    /// `max_input_len`; `None` is [`DEFAULT_MAX_INPUT_LEN`](crate::DEFAULT_MAX_INPUT_LEN).
    pub max_input_len: Option<usize>,
    /// `max_pbkdf2_iterations`; `None` is the default bound.
    pub max_pbkdf2_iterations: Option<u32>,
    /// `max_scrypt_bytes`; `None` is the default bound.
    pub max_scrypt_bytes: Option<u64>,
    /// `handshake` (feature `handshake`).
    #[cfg(feature = "handshake")]
    pub handshake: crate::handshake::Rehearsal,
}

/// Shows the options, never the CA's text or the passphrase.
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Settings");
        debug
            .field("at", &self.at)
            .field("profile", &self.profile)
            .field("deep", &self.deep)
            .field("strict", &self.strict)
            .field("warn_within", &self.warn_within)
            .field("allow", &self.allow)
            .field("stacks", &self.stacks)
            .field(
                "ca_pem",
                &self
                    .ca_pem
                    .as_ref()
                    .map(|pem| format!("<{} bytes>", pem.len())),
            )
            .field("passphrase", &self.passphrase.as_ref().map(|_| ".."))
            .field("max_input_len", &self.max_input_len)
            .field("max_pbkdf2_iterations", &self.max_pbkdf2_iterations)
            .field("max_scrypt_bytes", &self.max_scrypt_bytes);
        #[cfg(feature = "handshake")]
        debug.field("handshake", &self.handshake);
        debug.finish()
    }
}

/// An option that is unknown, of the wrong type, or out of range; its message names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError {
    message: String,
    kind: SettingsErrorKind,
}

/// What was wrong with an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SettingsErrorKind {
    /// The settings are not a JSON object, or an option's value has the wrong type (Python
    /// raises `TypeError`).
    Type,
    /// An unknown option, or a value of the right type that means nothing (Python raises
    /// `ValueError`).
    Value,
}

impl SettingsError {
    pub(crate) fn value(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            kind: SettingsErrorKind::Value,
        }
    }

    fn of_type(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            kind: SettingsErrorKind::Type,
        }
    }

    /// Whether a type or a value was wrong.
    pub fn kind(&self) -> SettingsErrorKind {
        self.kind
    }
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SettingsError {}

/// Reads a time: a date (`2026-12-01`: its midnight, UTC) or an RFC 3339 time
/// (`2026-12-01T09:30:00Z`), as `--at` and `at` take it.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// let at = certkey::settings::parse_time("2026-06-01").unwrap();
/// assert_eq!(at, SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000));
/// assert!(certkey::settings::parse_time("June 1st").is_err());
/// ```
pub fn parse_time(text: &str) -> Result<SystemTime, SettingsError> {
    let date = time::macros::format_description!("[year]-[month]-[day]");
    let moment = match time::Date::parse(text, &date) {
        Ok(day) => day.midnight().assume_utc(),
        Err(_) => time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            .map_err(|e| {
                SettingsError::value(format!(
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
/// let at = certkey::settings::audit_time_from_unix(1_780_272_000).unwrap();
/// assert_eq!(at, SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000));
/// assert!(certkey::settings::audit_time_from_unix(253_402_300_800).is_err());
/// assert!(certkey::settings::audit_time_from_unix(-1).is_err());
/// ```
pub fn audit_time_from_unix(seconds: i64) -> Result<SystemTime, SettingsError> {
    u64::try_from(seconds)
        .ok()
        .filter(|&seconds| seconds <= crate::policy::LATEST_AUDIT_TIME)
        .map(|seconds| SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
        .ok_or_else(|| SettingsError::value(AUDIT_TIME_RANGE))
}

/// Checks that certkey can audit as of `time`, as [`audit_time_from_unix`] does; whole
/// seconds or not.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use certkey::settings::check_audit_time;
/// let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000);
/// assert_eq!(check_audit_time(at), Ok(at));
/// assert!(check_audit_time(at + Duration::from_secs(1 << 40)).is_err());
/// ```
pub fn check_audit_time(time: SystemTime) -> Result<SystemTime, SettingsError> {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(since) if since.as_secs() <= crate::policy::LATEST_AUDIT_TIME => Ok(time),
        _ => Err(SettingsError::value(AUDIT_TIME_RANGE)),
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
/// assert_eq!(certkey::settings::parse_duration("7d").unwrap(), Duration::from_secs(604_800));
/// assert!(certkey::settings::parse_duration("7 weeks").is_err());
/// ```
pub fn parse_duration(text: &str) -> Result<Duration, SettingsError> {
    let wrong = || {
        SettingsError::value(format!(
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
/// let ids = certkey::settings::parse_ids("cert.expires_soon, CA.ABSENT").unwrap();
/// assert_eq!(ids, [CheckId::CertExpiresSoon, CheckId::CaAbsent]);
/// ```
pub fn parse_ids(list: &str) -> Result<Vec<CheckId>, SettingsError> {
    list.split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| {
            name.parse()
                .map_err(|e: crate::ParseCheckIdError| SettingsError::value(e.to_string()))
        })
        .collect()
}

/// Reads a profile's name, `strict` or `legacy`.
pub fn parse_profile(name: &str) -> Result<Profile, SettingsError> {
    match name {
        "strict" => Ok(Profile::Strict),
        "legacy" => Ok(Profile::Legacy),
        _ => Err(SettingsError::value(format!(
            "unknown profile `{}` (the profiles: strict, legacy)",
            crate::quote(name, 40)
        ))),
    }
}

/// Reads when to rehearse the handshake: `off`, `when_sound` or `always`.
#[cfg(feature = "handshake")]
pub fn parse_rehearsal(name: &str) -> Result<crate::handshake::Rehearsal, SettingsError> {
    use crate::handshake::Rehearsal;
    match name {
        "off" => Ok(Rehearsal::Off),
        "when_sound" => Ok(Rehearsal::WhenSound),
        "always" => Ok(Rehearsal::Always),
        _ => Err(SettingsError::value(format!(
            "unknown handshake rehearsal `{}` (off, when_sound or always)",
            crate::quote(name, 40)
        ))),
    }
}

impl Settings {
    /// Reads settings from a JSON object (`{}` is the defaults).
    ///
    /// A passphrase written with JSON escapes passes through the JSON parser's scratch
    /// buffer, which is not wiped; written without escapes, its only copy is the one these
    /// settings wipe on drop.
    pub fn from_json(json: &str) -> Result<Self, SettingsError> {
        // Read as any JSON value first: the parser's syntax errors name a position only,
        // where a typed read's would quote the value (a passphrase given alone, say).
        let object = match serde_json::from_str::<Value>(json) {
            Ok(Value::Object(object)) => object,
            Ok(other) => {
                return Err(SettingsError::of_type(format!(
                    "the settings are {}, not a JSON object of options",
                    kind_of(&other)
                )))
            }
            Err(e) => {
                return Err(SettingsError::of_type(format!(
                    "the settings are not a JSON object: not JSON at line {} column {}",
                    e.line(),
                    e.column()
                )))
            }
        };
        let mut settings = Settings::default();
        for (name, value) in object {
            settings.set(&name, value)?;
        }
        Ok(settings)
    }

    /// Sets the option `name` from a JSON value (`null` is the default).
    fn set(&mut self, name: &str, value: Value) -> Result<(), SettingsError> {
        let expected = |what: &str, value: &Value| {
            SettingsError::of_type(format!(
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
            Value::Null => Ok(false),
            other => Err(expected("true or false", &other)),
        };
        let count = |value: &Value| match value {
            Value::Number(n) => n.as_u64().ok_or_else(|| {
                SettingsError::value(format!(
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
            return match name {
                _ if OPTIONS.contains(&name) => Ok(()),
                _ => Err(unknown(name)),
            };
        }
        match name {
            "at" => {
                self.at = Some(match value {
                    Value::String(text) => parse_time(&text)?,
                    Value::Number(n) if n.is_f64() => {
                        return Err(SettingsError::value(
                            "the option `at` takes whole Unix seconds, a date or an RFC 3339 time",
                        ))
                    }
                    Value::Number(n) => match n.as_i64() {
                        Some(seconds) => audit_time_from_unix(seconds)?,
                        None => return Err(SettingsError::value(AUDIT_TIME_RANGE)),
                    },
                    other => {
                        return Err(expected("a date, an RFC 3339 time or Unix seconds", &other))
                    }
                })
            }
            "profile" => self.profile = parse_profile(&string(value)?)?,
            "deep" => self.deep = flag(value)?,
            "strict" => self.strict = flag(value)?,
            "warn_within" => {
                self.warn_within = Some(match value {
                    Value::String(text) => parse_duration(&text)?,
                    other => Duration::from_secs(count(&other)?),
                })
            }
            "allow" => self.allow = parse_ids(&list(value)?)?,
            "stacks" => {
                self.stacks = Some(
                    list(value)?
                        .parse()
                        .map_err(|e: crate::ParseStacksError| SettingsError::value(e.to_string()))?,
                )
            }
            "ca_pem" => self.ca_pem = Some(Zeroizing::new(string(value)?)),
            "passphrase" => self.passphrase = Some(Zeroizing::new(string(value)?.into_bytes())),
            "max_input_len" => {
                self.max_input_len = Some(usize::try_from(count(&value)?).unwrap_or(usize::MAX))
            }
            "max_pbkdf2_iterations" => {
                self.max_pbkdf2_iterations =
                    Some(u32::try_from(count(&value)?).map_err(|_| {
                        SettingsError::value(format!("the option `{name}` is at most {}", u32::MAX))
                    })?)
            }
            "max_scrypt_bytes" => self.max_scrypt_bytes = Some(count(&value)?),
            #[cfg(feature = "handshake")]
            "handshake" => self.handshake = parse_rehearsal(&string(value)?)?,
            #[cfg(not(feature = "handshake"))]
            "handshake" => {
                return Err(SettingsError::value(
                    "the option `handshake` needs a build of certkey with the cargo feature `handshake`",
                ))
            }
            _ => return Err(unknown(name)),
        }
        Ok(())
    }

    /// The policy these settings describe.
    pub fn to_policy(&self) -> Policy {
        let mut policy = Policy::default()
            .with_profile(self.profile)
            .with_deep(self.deep)
            .with_strict(self.strict)
            .with_allowed(self.allow.iter().copied());
        if let Some(at) = self.at {
            policy = policy.with_audit_time(at);
        }
        if let Some(window) = self.warn_within {
            policy = policy.with_expiry_warning(window);
        }
        if let Some(stacks) = self.stacks {
            policy = policy.with_stacks(stacks);
        }
        if let Some(pem) = &self.ca_pem {
            policy = policy.with_ca_pem(pem.as_str());
        }
        if let Some(passphrase) = &self.passphrase {
            policy = policy.with_passphrase(passphrase);
        }
        if let Some(len) = self.max_input_len {
            policy = policy.with_max_input_len(len);
        }
        if self.max_pbkdf2_iterations.is_some() || self.max_scrypt_bytes.is_some() {
            let default = KdfLimits::default();
            policy = policy.with_kdf_limits(KdfLimits::new(
                self.max_pbkdf2_iterations
                    .unwrap_or(default.max_pbkdf2_iterations),
                self.max_scrypt_bytes.unwrap_or(default.max_scrypt_bytes),
            ));
        }
        #[cfg(feature = "handshake")]
        {
            policy = policy.with_handshake(self.handshake);
        }
        policy
    }
}

fn unknown(name: &str) -> SettingsError {
    SettingsError::value(format!(
        "unknown option `{}` (the options: {})",
        crate::quote(name, 40),
        OPTIONS.join(", ")
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

/// Every option's name.
pub const OPTIONS: [&str; 13] = [
    "at",
    "profile",
    "deep",
    "strict",
    "warn_within",
    "allow",
    "stacks",
    "ca_pem",
    "passphrase",
    "max_input_len",
    "max_pbkdf2_iterations",
    "max_scrypt_bytes",
    "handshake",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stacks::Stack;

    fn error(json: &str) -> SettingsError {
        Settings::from_json(json).unwrap_err()
    }

    #[test]
    fn every_option_reaches_the_policy() {
        let settings = Settings::from_json(
            r#"{"at": 1780272000, "profile": "legacy", "deep": true, "strict": true,
                "warn_within": "7d", "allow": ["cert.expires_soon", "CA.absent"],
                "stacks": "go, rustls", "ca_pem": "PEM", "passphrase": "secret",
                "max_input_len": 4096, "max_pbkdf2_iterations": 1000, "max_scrypt_bytes": 2048}"#,
        )
        .unwrap();
        let policy = settings.to_policy();
        assert_eq!(
            policy.audit_time(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000))
        );
        assert_eq!(policy.profile(), Profile::Legacy);
        assert!(policy.deep() && policy.strict());
        assert_eq!(policy.expiry_warning(), Duration::from_secs(7 * 86_400));
        assert_eq!(
            policy.allowed(),
            [CheckId::CaAbsent, CheckId::CertExpiresSoon]
        );
        assert_eq!(policy.stacks(), Stacks::of(&[Stack::Go, Stack::Rustls]));
        assert_eq!(policy.ca_pem(), Some("PEM"));
        assert_eq!(policy.passphrase(), Some(&b"secret"[..]));
        assert_eq!(policy.max_input_len(), 4096);
        assert_eq!(policy.kdf_limits(), KdfLimits::new(1000, 2048));
        // Seconds for the window, one bound alone (the other keeps its default).
        let settings =
            Settings::from_json(r#"{"warn_within": 60, "max_scrypt_bytes": 1}"#).unwrap();
        let policy = settings.to_policy();
        assert_eq!(policy.expiry_warning(), Duration::from_secs(60));
        assert_eq!(
            policy.kdf_limits(),
            KdfLimits::new(KdfLimits::default().max_pbkdf2_iterations, 1)
        );
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
            assert_eq!(e.kind(), SettingsErrorKind::Value, "{json}");
            assert!(e.to_string().contains("must lie from 1970"), "{json}: {e}");
        }
        assert!(error(r#"{"at": 1.5}"#)
            .to_string()
            .contains("whole Unix seconds"));
        let settings = Settings::from_json(r#"{"at": 253402300799}"#).unwrap();
        assert_eq!(settings.at, Some(latest));
    }

    #[test]
    fn empty_and_null_options_are_the_defaults() {
        let defaults = format!("{:?}", Policy::default());
        assert_eq!(
            format!("{:?}", Settings::from_json("{}").unwrap().to_policy()),
            defaults
        );
        let nulls = format!(
            "{{{}}}",
            OPTIONS
                .iter()
                .map(|name| format!("\"{name}\": null"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        assert_eq!(
            format!("{:?}", Settings::from_json(&nulls).unwrap().to_policy()),
            defaults
        );
    }

    #[test]
    fn a_wrong_type_is_a_type_error_and_a_wrong_value_a_value_error() {
        for (json, kind, words) in [
            ("[]", SettingsErrorKind::Type, "not a JSON object"),
            ("{", SettingsErrorKind::Type, "not a JSON object"),
            (
                r#"{"deep": "yes"}"#,
                SettingsErrorKind::Type,
                "`deep` takes true or false, not a string",
            ),
            (
                r#"{"profile": 1}"#,
                SettingsErrorKind::Type,
                "`profile` takes a string, not a number",
            ),
            (
                r#"{"allow": [1]}"#,
                SettingsErrorKind::Type,
                "`allow` takes a string, not a number",
            ),
            (
                r#"{"stacks": {}}"#,
                SettingsErrorKind::Type,
                "`stacks` takes a list of strings, not an object",
            ),
            (
                r#"{"at": true}"#,
                SettingsErrorKind::Type,
                "`at` takes a date, an RFC 3339 time or Unix seconds",
            ),
            (
                r#"{"max_input_len": "1MiB"}"#,
                SettingsErrorKind::Type,
                "`max_input_len` takes a whole number",
            ),
            (
                r#"{"profil": "legacy"}"#,
                SettingsErrorKind::Value,
                "unknown option `profil` (the options: at, profile",
            ),
            (
                r#"{"profil": null}"#,
                SettingsErrorKind::Value,
                "unknown option `profil`",
            ),
            (
                r#"{"profile": "lax"}"#,
                SettingsErrorKind::Value,
                "unknown profile `lax`",
            ),
            (
                r#"{"at": "June"}"#,
                SettingsErrorKind::Value,
                "not a date such as 2026-12-01",
            ),
            (
                r#"{"warn_within": "3w"}"#,
                SettingsErrorKind::Value,
                "not a duration",
            ),
            (
                r#"{"allow": "key.missmatch"}"#,
                SettingsErrorKind::Value,
                "unknown check id `key.missmatch`",
            ),
            (
                r#"{"stacks": ["java"]}"#,
                SettingsErrorKind::Value,
                "java is not modelled",
            ),
            (
                r#"{"max_input_len": -1}"#,
                SettingsErrorKind::Value,
                "at least 0, not -1",
            ),
            (
                r#"{"max_pbkdf2_iterations": 4294967296}"#,
                SettingsErrorKind::Value,
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
        let result = Settings::from_json(r#"{"handshake": "when_sound"}"#);
        #[cfg(feature = "handshake")]
        {
            let policy = result.unwrap().to_policy();
            assert_eq!(policy.handshake(), crate::Rehearsal::WhenSound);
            for (name, when) in [
                ("off", crate::Rehearsal::Off),
                ("always", crate::Rehearsal::Always),
            ] {
                let json = format!(r#"{{"handshake": "{name}"}}"#);
                let settings = Settings::from_json(&json).unwrap();
                assert_eq!(settings.to_policy().handshake(), when, "{name}");
            }
            assert_eq!(
                error(r#"{"handshake": "sometimes"}"#).kind(),
                SettingsErrorKind::Value
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
            assert_eq!(e.kind(), SettingsErrorKind::Type, "{json}");
            assert!(e.to_string().contains(said), "{json}: {e}");
            assert!(!e.to_string().contains("Hunter2"), "{json}: {e}");
        }
    }

    #[test]
    fn no_message_or_debug_shows_the_secrets() {
        let settings =
            Settings::from_json(r#"{"passphrase": "hunter2-secret", "ca_pem": "CA-TEXT-SECRET"}"#)
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
