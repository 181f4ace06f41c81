//! The API's error bodies (status 400, 401, 403, 404 and 500), parsed into a typed value.

use serde::Serialize;
use serde_json::Value;

use crate::sanitize::quoted;

/// The documented maximum lengths, used as caps on what is kept and printed.
const CODE_MAX: usize = 255;
const MESSAGE_MAX: usize = 1024;
const AUTHORIZATION_MESSAGE_MAX: usize = 65_535;
/// The documented maximum number of `error_param` and `details` items.
const ITEMS_MAX: usize = 20;

/// An error body returned by the certkey API instead of a bundle.
///
/// Every string is fit to print as it is: control characters are replaced, the text is cut to
/// the API's documented maximum length, and runs that look like base64 data are withheld (so
/// key material pasted into an error body is never echoed; an `encoded_authorization_message`
/// is then only described: read it from the response itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ApiError {
    /// `error_code`, e.g. `SMS.9004`.
    pub error_code: String,
    /// `error_msg`.
    pub error_msg: String,
    /// `encoded_authorization_message` (403 only): the encoded reason an authorization failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoded_authorization_message: Option<String>,
    /// `error_param` (403 only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub error_param: Vec<String>,
    /// `details` (403 only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ApiErrorDetail>,
}

/// One item of an error body's `details` array.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    /// Builds the typed error from the body's members (`name`, parsed value).
    pub(crate) fn from_members<'a>(members: impl Iterator<Item = (&'a str, Value)>) -> Self {
        let mut error = ApiError {
            error_code: String::new(),
            error_msg: String::new(),
            encoded_authorization_message: None,
            error_param: Vec::new(),
            details: Vec::new(),
        };
        for (name, value) in members {
            match name {
                "error_code" => error.error_code = text(&value, CODE_MAX),
                "error_msg" => error.error_msg = text(&value, MESSAGE_MAX),
                "encoded_authorization_message" => {
                    error.encoded_authorization_message =
                        Some(text(&value, AUTHORIZATION_MESSAGE_MAX));
                }
                "error_param" => {
                    error.error_param = items(&value).map(|item| text(item, MESSAGE_MAX)).collect();
                }
                "details" => {
                    error.details = items(&value)
                        .map(|item| ApiErrorDetail {
                            error_code: text(
                                item.get("error_code").unwrap_or(&Value::Null),
                                CODE_MAX,
                            ),
                            error_msg: text(
                                item.get("error_msg").unwrap_or(&Value::Null),
                                MESSAGE_MAX,
                            ),
                        })
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

/// A string member as printable text; any other JSON value by its compact JSON text.
fn text(value: &Value, max_chars: usize) -> String {
    match value {
        Value::String(s) => quoted(s, max_chars),
        Value::Null => String::new(),
        other => quoted(&other.to_string(), max_chars),
    }
}

fn items(value: &Value) -> impl Iterator<Item = &Value> {
    value
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .take(ITEMS_MAX)
}
