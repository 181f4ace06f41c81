//! The passphrase of encrypted keys: from a file (raw, or the passphrase API's JSON answer as
//! downloaded) or from an environment variable. Never from an argument: it would land in the
//! shell's history and in `ps`.
//!
//! The passphrase lives in buffers wiped on drop, and no message quotes it or the file.

use std::path::Path;

use serde::Deserialize;
use zeroize::Zeroizing;

/// The answer of `GET /v3/tasks/{task_id}/passphrase`.
#[derive(Deserialize)]
struct PassphraseResponse {
    passphrase: Zeroizing<String>,
}

/// An error body of the same API.
#[derive(Deserialize)]
struct ErrorBody {
    error_code: String,
}

/// The largest passphrase file read: the API's answer is a few hundred bytes.
const MAX_FILE_LEN: usize = 64 * 1024;

/// Reads the passphrase from `path`: a file, or a stream such as `<(pass show task)` makes,
/// into buffers wiped on drop.
///
/// A path that names nothing is not repeated: a common slip is to give the passphrase itself.
pub fn from_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, String> {
    let shown = crate::input::shown(path);
    let bytes = match crate::input::read_named(path, MAX_FILE_LEN) {
        Ok(crate::input::Input::Bytes(bytes)) => bytes,
        Ok(crate::input::Input::Oversized(_)) => {
            return Err(format!(
                "the passphrase file {shown} is over {} KiB: not a passphrase",
                MAX_FILE_LEN / 1024
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(
                "--passphrase-file names no file (the path is not repeated here, in case it is the passphrase itself): it takes the file holding the passphrase"
                    .to_owned(),
            )
        }
        Err(e) => return Err(format!("cannot read the passphrase file {shown}: {e}")),
    };
    parse(&bytes).map_err(|why| format!("the passphrase file {shown}: {why}"))
}

/// Reads the passphrase from the environment variable `name`, as is.
///
/// A common slip is to give the passphrase itself instead of a variable's name, so `name` is
/// never repeated in a message: it may be the secret.
pub fn from_env(name: &str) -> Result<Zeroizing<Vec<u8>>, String> {
    match std::env::var_os(name) {
        Some(value) if !value.is_empty() => Ok(Zeroizing::new(value.into_encoded_bytes())),
        Some(_) => Err(
            "the environment variable named by --passphrase-env is empty (its name is not repeated here)"
                .to_owned(),
        ),
        None => Err(
            "--passphrase-env names no environment variable that is set; it takes the variable's name (e.g. --passphrase-env TASK_PASSPHRASE), not the passphrase itself (what was given is not repeated here, in case it is the passphrase)"
                .to_owned(),
        ),
    }
}

/// A file's passphrase: the `passphrase` member when the file is a JSON object (the API's
/// answer), otherwise its first line without the line break (as OpenSSL's `-passin file:`).
fn parse(bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>, String> {
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let trimmed = text.trim_ascii();
    if trimmed.starts_with(b"{") {
        // serde_json's errors can quote the input: none is shown.
        if let Ok(response) = serde_json::from_slice::<PassphraseResponse>(trimmed) {
            return Ok(Zeroizing::new(response.passphrase.as_bytes().to_vec()));
        }
        if let Ok(error) = serde_json::from_slice::<ErrorBody>(trimmed) {
            // Quoted as reports quote a response: the file may hold anything.
            let code = certkey::quote(&error.error_code, 40);
            return Err(format!(
                "it is an error answer of the passphrase API ({code}), not a passphrase"
            ));
        }
        if serde_json::from_slice::<serde::de::IgnoredAny>(trimmed).is_ok() {
            return Err(
                "it is JSON, but not the passphrase API's answer: no string member \"passphrase\""
                    .to_owned(),
            );
        }
    }
    let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.is_empty() {
        return Err("its first line is empty".to_owned());
    }
    Ok(Zeroizing::new(line.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_files_give_their_first_line() {
        assert_eq!(parse(b"secret\n").unwrap().as_slice(), b"secret");
        assert_eq!(parse(b"secret\r\nnext\n").unwrap().as_slice(), b"secret");
        assert_eq!(parse(b"secret").unwrap().as_slice(), b"secret");
        assert_eq!(
            parse(b" spaced out \n").unwrap().as_slice(),
            b" spaced out "
        );
        assert_eq!(parse(b"{not json\n").unwrap().as_slice(), b"{not json");
        assert!(parse(b"\n").is_err());
        assert!(parse(b"").is_err());
    }

    #[test]
    fn the_api_answer_gives_its_passphrase_member() {
        let answer = br#"{"task_id": "3f2c", "passphrase": "p\u00e4ss \"q\""}"#;
        assert_eq!(parse(answer).unwrap().as_slice(), "päss \"q\"".as_bytes());
        let with_bom = b"\xef\xbb\xbf {\"passphrase\": \"x\"}\n";
        assert_eq!(parse(with_bom).unwrap().as_slice(), b"x");
    }

    #[test]
    fn an_error_answer_is_quoted_as_reports_quote() {
        let key_text = "MIIEowIBAAKCAQEAqrHQ6Ci0PAgklZnh9TXigK8xLd5vU";
        let error = parse(format!(r#"{{"error_code": "{key_text}"}}"#).as_bytes()).unwrap_err();
        assert!(!error.contains(&key_text[..20]), "{error}");
        assert!(error.contains("withheld"), "{error}");
    }

    #[test]
    fn other_json_is_refused_without_quoting_it() {
        let error = parse(br#"{"error_code": "SMS.9004", "error_msg": "denied"}"#).unwrap_err();
        assert!(error.contains("SMS.9004"), "{error}");
        let other = parse(br#"{"pass": "hunter2"}"#).unwrap_err();
        assert!(!other.contains("hunter2"), "{other}");
        let typed = parse(br#"{"passphrase": 12345678}"#).unwrap_err();
        assert!(!typed.contains("12345678"), "{typed}");
    }
}
