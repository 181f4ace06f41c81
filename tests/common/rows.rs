//! The rows of testdata/expected.tsv, and each row's options as settings (the bindings'
//! form of a policy). Shared with the C ABI's tests (`ffi/tests/`), which include this file.

use std::path::Path;

/// One row of the table.
pub struct Row {
    pub line: usize,
    pub fixture: String,
    pub options: String,
    pub expected: Vec<String>,
}

pub fn rows(testdata: &Path) -> Vec<Row> {
    let table = std::fs::read_to_string(testdata.join("expected.tsv")).unwrap();
    table
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
        .map(|(index, line)| {
            let columns: Vec<&str> = line.split('\t').collect();
            assert_eq!(columns.len(), 3, "expected.tsv line {}: {line}", index + 1);
            let mut expected: Vec<String> = match columns[2] {
                "-" => Vec::new(),
                list => list.split(' ').map(str::to_owned).collect(),
            };
            expected.sort();
            Row {
                line: index + 1,
                fixture: columns[0].to_owned(),
                options: columns[1].to_owned(),
                expected,
            }
        })
        .collect()
}

/// A row's options as settings, audited at the pinned time:
/// `{"at": "2026-06-01T00:00:00Z", "deep": true, ...}`.
pub fn settings_for(testdata: &Path, options: &str, input: &[u8]) -> serde_json::Value {
    let mut settings = serde_json::json!({ "at": "2026-06-01T00:00:00Z" });
    for option in options.split(',').filter(|o| *o != "-") {
        let (name, value) = match option.split_once('=') {
            Some(("max_input", "size")) => ("max_input_len", input.len().into()),
            Some(("max_input", "size-1")) => ("max_input_len", (input.len() - 1).into()),
            None if option == "deep" => ("deep", true.into()),
            Some(("ca", file)) => (
                "ca_pem",
                std::fs::read_to_string(testdata.join(file)).unwrap().into(),
            ),
            Some(("passphrase", passphrase)) => ("passphrase", passphrase.into()),
            Some(("profile", profile)) => ("profile", profile.into()),
            Some(("stacks", list)) => ("stacks", list.split('+').collect::<Vec<_>>().into()),
            None if option == "handshake" => ("handshake", "when_sound".into()),
            Some(("handshake", when)) => ("handshake", when.into()),
            _ => panic!("unknown option {option}"),
        };
        settings[name] = value;
    }
    settings
}
