//! The API's error bodies (status 400, 401, 403, 404 and 500), parsed into a typed value.

use core::fmt;
use core::marker::PhantomData;
use std::borrow::Cow;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::text::Untrusted;

/// The documented maximum lengths, used as caps on what is kept and printed.
const CODE_MAX: usize = 255;
const MESSAGE_MAX: usize = 1024;
const AUTHORIZATION_MESSAGE_MAX: usize = 65_535;
/// The documented maximum number of `error_param` and `details` items.
const ITEMS_MAX: usize = 20;

/// An error body returned by the certkey API instead of a bundle.
///
/// Every string is fit to print as it is: quoted as all text from the input is (invisible and
/// control characters removed, key-shaped data such as base64, hex or decimal dumps withheld)
/// and cut to the API's documented maximum length. Key material pasted into an error body is
/// never echoed; an `encoded_authorization_message` that looks like data is then only
/// described: read it from the response itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiError {
    /// `error_code`, e.g. `SMS.9004`.
    pub error_code: String,
    /// `error_msg`.
    pub error_msg: String,
    /// `encoded_authorization_message` (403 only): the encoded reason an authorization failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoded_authorization_message: Option<String>,
    /// `error_param` (403 only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_param: Vec<String>,
    /// `details` (403 only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ApiErrorDetail>,
}

/// One item of an error body's `details` array.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiErrorDetail {
    /// The SMS error code.
    pub error_code: String,
    /// The SMS error message.
    pub error_msg: String,
}

/// The members that make a JSON object an error body.
pub(crate) fn is_error_member(name: &str) -> bool {
    matches!(
        name,
        "error_code" | "error_msg" | "encoded_authorization_message" | "error_param" | "details"
    )
}

impl ApiError {
    /// Withholds what `secrets` finds in the body's quoted text.
    pub(crate) fn screen(&mut self, secrets: &crate::text::Secrets<'_>) {
        [&mut self.error_code, &mut self.error_msg]
            .into_iter()
            .chain(self.encoded_authorization_message.as_mut())
            .chain(self.error_param.iter_mut())
            .chain(
                self.details
                    .iter_mut()
                    .flat_map(|detail| [&mut detail.error_code, &mut detail.error_msg]),
            )
            .for_each(|text| secrets.screen(text));
    }

    /// Builds the typed error from the body's members (name, raw JSON text of the value).
    ///
    /// Values are read leniently and in bounded memory: strings are kept (cut to the API's
    /// limits), anything else where a string belongs is noted by its type, and arrays keep
    /// their first 20 items while the rest is skipped without being stored.
    pub(crate) fn from_members<'a>(members: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let mut error = ApiError {
            error_code: String::new(),
            error_msg: String::new(),
            encoded_authorization_message: None,
            error_param: Vec::new(),
            details: Vec::new(),
        };
        for (name, raw) in members {
            match name {
                "error_code" => error.error_code = text(raw, CODE_MAX),
                "error_msg" => error.error_msg = text(raw, MESSAGE_MAX),
                "encoded_authorization_message" => {
                    error.encoded_authorization_message =
                        Some(text(raw, AUTHORIZATION_MESSAGE_MAX));
                }
                "error_param" => {
                    error.error_param = parse::<Items<Lenient<'_>>>(raw)
                        .0
                        .into_iter()
                        .map(|item| item.into_text(MESSAGE_MAX))
                        .collect();
                }
                "details" => {
                    error.details = parse::<Items<Lenient<'_>>>(raw)
                        .0
                        .into_iter()
                        .map(Lenient::into_detail)
                        .collect();
                }
                _ => {}
            }
        }
        error
    }

    /// The 403 shape carries an authorization message: the caller lacks a permission.
    pub(crate) fn is_authorization_failure(&self) -> bool {
        self.encoded_authorization_message.is_some()
    }
}

/// Parses a value that serde_json has already validated (its nesting is bounded too).
fn parse<'de, T: Deserialize<'de> + Default>(raw: &'de str) -> T {
    serde_json::from_str(raw).unwrap_or_default()
}

fn text(raw: &str, max_chars: usize) -> String {
    parse::<Lenient<'_>>(raw).into_text(max_chars)
}

/// How many characters of a string with JSON escapes are kept for quoting (the longest
/// documented string, and some): quoting never reads further.
const KEPT_CHARS: usize = AUTHORIZATION_MESSAGE_MAX + 1024;

/// A value where the API puts a string (or, in `details`, an object of two strings): what
/// was found, with anything else skipped without being stored. A string is borrowed from the
/// input when it has no escapes, so an error body costs no copy of its size.
#[derive(Default)]
enum Lenient<'de> {
    #[default]
    Absent,
    Text(Cow<'de, str>),
    /// An object's `error_code` and `error_msg`.
    Object(Box<(Lenient<'de>, Lenient<'de>)>),
    Other(&'static str),
}

impl Lenient<'_> {
    fn into_text(self, max_chars: usize) -> String {
        match self {
            Self::Absent => String::new(),
            Self::Text(text) => Untrusted::new(&text).quoted(max_chars),
            Self::Object(_) => "(an object)".to_owned(),
            Self::Other(kind) => format!("({kind})"),
        }
    }

    fn into_detail(self) -> ApiErrorDetail {
        let (code, message) = match self {
            Self::Object(fields) => *fields,
            _ => (Self::Absent, Self::Absent),
        };
        ApiErrorDetail {
            error_code: code.into_text(CODE_MAX),
            error_msg: message.into_text(MESSAGE_MAX),
        }
    }
}

impl<'de> Deserialize<'de> for Lenient<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LenientVisitor;
        impl<'de> Visitor<'de> for LenientVisitor {
            type Value = Lenient<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Lenient<'de>, E> {
                Ok(Lenient::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Lenient<'de>, E> {
                // Quoting reads at most the documented length (and a little lookahead), far
                // less than is kept, and shows the cut itself.
                Ok(Lenient::Text(Cow::Owned(
                    v.chars().take(KEPT_CHARS).collect(),
                )))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Lenient<'de>, E> {
                Ok(Lenient::Absent)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Lenient<'de>, E> {
                Ok(Lenient::Other("a boolean"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Lenient<'de>, E> {
                Ok(Lenient::Other("a number"))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Lenient<'de>, E> {
                Ok(Lenient::Other("a number"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Lenient<'de>, E> {
                Ok(Lenient::Other("a number"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lenient<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Lenient::Other("an array"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lenient<'de>, A::Error> {
                let (mut code, mut message) = (Lenient::Absent, Lenient::Absent);
                while let Some(name) = map.next_key::<Lenient<'de>>()? {
                    match name {
                        Lenient::Text(name) if name == "error_code" => code = map.next_value()?,
                        Lenient::Text(name) if name == "error_msg" => message = map.next_value()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Lenient::Object(Box::new((code, message))))
            }
        }
        deserializer.deserialize_any(LenientVisitor)
    }
}

/// The first [`ITEMS_MAX`] items of an array (none for any other value); the rest are
/// skipped without being stored.
struct Items<T>(Vec<T>);

impl<T> Default for Items<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Items<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemsVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ItemsVisitor<T> {
            type Value = Items<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items<T>, A::Error> {
                let mut items = Vec::new();
                while items.len() < ITEMS_MAX {
                    match seq.next_element()? {
                        Some(item) => items.push(item),
                        None => return Ok(Items(items)),
                    }
                }
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Items(items))
            }
        }
        deserializer.deserialize_seq(ItemsVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_documented_error_members_make_an_error_body() {
        for name in [
            "error_code",
            "error_msg",
            "encoded_authorization_message",
            "error_param",
            "details",
        ] {
            assert!(is_error_member(name), "{name}");
        }
        for name in ["task_id", "error", "cert", "Error_code", ""] {
            assert!(!is_error_member(name), "{name}");
        }
    }

    #[test]
    fn an_escaped_authorization_message_is_kept_whole_up_to_its_documented_length() {
        // An escape makes serde_json hand over an owned string, which is kept up to a bound
        // above the longest documented string (65,535 characters): such a message is whole.
        let sentence = "access denied for this request. ";
        let body: String = sentence
            .chars()
            .cycle()
            .take(AUTHORIZATION_MESSAGE_MAX - 1)
            .collect();
        let raw = format!("\"\\u0041{body}\"");
        let error =
            ApiError::from_members([("encoded_authorization_message", raw.as_str())].into_iter());
        let message = error.encoded_authorization_message.unwrap();
        assert_eq!(message, format!("A{body}").trim_end());
    }

    #[test]
    fn an_escaped_string_longer_than_is_kept_is_shown_cut() {
        // A string longer than is kept: the quote shows the cut (at the documented length,
        // well before the kept copy's end), even when withheld data leaves it short.
        let data: String = "MIIEpAIBAAKCAQEAyR7TS01U"
            .chars()
            .cycle()
            .take(5000)
            .collect();
        let prose = |len: usize| -> String {
            "the quick brown fox jumps over the lazy dog "
                .chars()
                .cycle()
                .take(len)
                .collect()
        };
        let quoted = |body: &str| {
            // `\u0021` is `!`: an escape, so serde_json hands over an owned string.
            let raw = format!("\"\\u0021{body}\"");
            let error = ApiError::from_members(
                [("encoded_authorization_message", raw.as_str())].into_iter(),
            );
            error.encoded_authorization_message.unwrap()
        };
        let cut = quoted(&format!("{data}. {}", prose(KEPT_CHARS)));
        assert!(
            cut.starts_with("![5000 characters withheld]. the quick"),
            "{}",
            &cut[..60]
        );
        assert!(cut.ends_with('…'), "{}", &cut[cut.len() - 60..]);
        // The quote cuts at the documented length, before anything the kept copy cut.
        let chars = cut.chars().count();
        assert!(chars <= AUTHORIZATION_MESSAGE_MAX, "{chars}");
    }

    #[test]
    fn the_documented_403_body_is_read_whole() {
        let members = [
            ("error_code", r#""SMS.9004""#),
            ("error_msg", r#""denied""#),
            ("encoded_authorization_message", r#""XXXXXX""#),
            ("error_param", r#"["p1", 2, "p3"]"#),
            (
                "details",
                r#"[{"error_code": "SMS.9004", "error_msg": "no", "x": [1]}, 7]"#,
            ),
        ];
        let error = ApiError::from_members(members.into_iter());
        assert_eq!(error.error_code, "SMS.9004");
        assert_eq!(error.error_msg, "denied");
        assert_eq!(
            error.encoded_authorization_message.as_deref(),
            Some("XXXXXX")
        );
        assert_eq!(error.error_param, ["p1", "(a number)", "p3"]);
        assert_eq!(error.details.len(), 2);
        assert_eq!(error.details[0].error_code, "SMS.9004");
        assert_eq!(error.details[0].error_msg, "no");
        assert_eq!(error.details[1].error_code, "");
        assert!(error.is_authorization_failure());
    }

    #[test]
    fn arrays_keep_twenty_items_and_wrong_types_are_named() {
        let many = format!("[{}]", vec![r#""p""#; 1000].join(","));
        let members = [
            ("error_code", "404"),
            ("error_msg", r#"{"nested": ["x"]}"#),
            ("error_param", many.as_str()),
        ];
        let error = ApiError::from_members(members.into_iter());
        assert_eq!(error.error_code, "(a number)");
        assert_eq!(error.error_msg, "(an object)");
        assert_eq!(error.error_param.len(), ITEMS_MAX);
        assert!(!error.is_authorization_failure());
    }

    #[test]
    fn every_json_type_where_a_string_belongs_is_named() {
        let members = [("error_param", r#"[true, -1, 7, 1.5, [1], null, "x"]"#)];
        let error = ApiError::from_members(members.into_iter());
        assert_eq!(
            error.error_param,
            [
                "(a boolean)",
                "(a number)",
                "(a number)",
                "(a number)",
                "(an array)",
                "",
                "x"
            ]
        );
    }
}
