//! Structure-aware: a valid bundle, changed member by member (replaced, cut, spliced,
//! re-escaped, dropped, retyped, duplicated, hidden behind invisible characters, dumped as
//! hex or decimal, moved into an error body, a member name or a PEM header). Beyond the
//! report invariants: no 20-character window of the bundle's private keys, in base64, hex or
//! decimal, ever appears in the serialized report, its Debug or a finding.
#![no_main]

#[path = "slow.rs"]
mod slow;

#[path = "common.rs"]
mod common;
#[path = "../../tests/common/leak.rs"]
mod leak;

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

static GOOD: &str = include_str!("../../testdata/bundles/good.json");

#[derive(Debug, Arbitrary)]
enum Change {
    Replace { member: u8, text: String },
    Truncate { member: u8, at: u16 },
    Splice { member: u8, at: u16, text: String },
    SwapWith { member: u8, other: u8 },
    EscapeNewlines { member: u8 },
    Drop { member: u8 },
    Null { member: u8 },
    Duplicate { member: u8 },
    FlipByte { member: u8, at: u16, byte: u8 },
    /// An invisible character after every `every` characters of the member.
    Hide { member: u8, every: u8, which: u8 },
    /// The member's PEM body as hex, colon-hex, spaced hex or decimal.
    Dump { member: u8, form: u8 },
    /// The member's text as an error body's message, a member name, or a PEM header name in
    /// another member.
    Move { member: u8, to: u8 },
}

/// The bundle's private keys, as windows.
fn windows() -> &'static leak::KeyWindows {
    static WINDOWS: OnceLock<leak::KeyWindows> = OnceLock::new();
    WINDOWS.get_or_init(|| {
        let mut windows = leak::KeyWindows::empty();
        windows.add_text(GOOD);
        windows
    })
}

fn pem_body(text: &str) -> String {
    text.lines().filter(|l| !l.starts_with("-----")).collect()
}

const MEMBERS: [&str; 7] = [
    "ca",
    "cert",
    "private_key",
    "target_mgmt_cert",
    "target_mgmt_private_key",
    "target_data_cert",
    "target_data_private_key",
];

fn name(index: u8) -> &'static str {
    MEMBERS[usize::from(index) % MEMBERS.len()]
}

fn cut(text: &str, at: u16) -> usize {
    let mut at = usize::from(at) % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fuzz_target!(|changes: Vec<Change>| {
    let good: serde_json::Map<String, serde_json::Value> = serde_json::from_str(GOOD).unwrap();

    let mut members: Vec<(String, serde_json::Value)> = good.into_iter().collect();
    for change in changes.into_iter().take(8) {
        let find = |members: &Vec<(String, serde_json::Value)>, index: u8| {
            members.iter().position(|(k, _)| k == name(index))
        };
        match change {
            Change::Replace { member, text } => {
                if let Some(i) = find(&members, member) {
                    members[i].1 = text.into();
                }
            }
            Change::Truncate { member, .. } | Change::Splice { member, .. }
                if find(&members, member).is_none() => {}
            Change::Truncate { member, at } => {
                let i = find(&members, member).unwrap();
                if let Some(text) = members[i].1.as_str().map(str::to_owned) {
                    members[i].1 = text[..cut(&text, at)].into();
                }
            }
            Change::Splice { member, at, text } => {
                let i = find(&members, member).unwrap();
                if let Some(old) = members[i].1.as_str().map(str::to_owned) {
                    let at = cut(&old, at);
                    members[i].1 = format!("{}{text}{}", &old[..at], &old[at..]).into();
                }
            }
            Change::SwapWith { member, other } => {
                if let (Some(i), Some(j)) = (find(&members, member), find(&members, other)) {
                    let value = members[i].1.clone();
                    members[i].1 = members[j].1.clone();
                    members[j].1 = value;
                }
            }
            Change::EscapeNewlines { member } => {
                if let Some(i) = find(&members, member) {
                    if let Some(text) = members[i].1.as_str().map(|t| t.replace('\n', "\\n")) {
                        members[i].1 = text.into();
                    }
                }
            }
            Change::Drop { member } => {
                if let Some(i) = find(&members, member) {
                    members.remove(i);
                }
            }
            Change::Null { member } => {
                if let Some(i) = find(&members, member) {
                    members[i].1 = serde_json::Value::Null;
                }
            }
            Change::Duplicate { member } => {
                if let Some(i) = find(&members, member) {
                    let copy = members[i].clone();
                    members.push(copy);
                }
            }
            Change::FlipByte { member, at, byte } => {
                if let Some(i) = find(&members, member) {
                    if let Some(text) = members[i].1.as_str() {
                        let mut bytes = text.as_bytes().to_vec();
                        if !bytes.is_empty() {
                            let at = usize::from(at) % bytes.len();
                            bytes[at] = byte;
                        }
                        members[i].1 = String::from_utf8_lossy(&bytes).into_owned().into();
                    }
                }
            }
            Change::Hide { member, every, which } => {
                if let Some(i) = find(&members, member) {
                    if let Some(text) = members[i].1.as_str() {
                        let every = usize::from(every.max(1));
                        let c = leak::INVISIBLE[usize::from(which) % leak::INVISIBLE.len()];
                        let mut hidden = String::with_capacity(text.len() * 2);
                        for (n, ch) in text.chars().enumerate() {
                            if n > 0 && n.is_multiple_of(every) {
                                hidden.push(c);
                            }
                            hidden.push(ch);
                        }
                        members[i].1 = hidden.into();
                    }
                }
            }
            Change::Dump { member, form } => {
                if let Some(i) = find(&members, member) {
                    let der = members[i].1.as_str().and_then(|t| leak::base64_decode(&pem_body(t)));
                    if let Some(der) = der {
                        members[i].1 = match form % 4 {
                            0 => leak::hex(&der, false, ""),
                            1 => leak::hex(&der, false, ":"),
                            2 => leak::hex(&der, true, " "),
                            _ => leak::decimal(&der),
                        }
                        .into();
                    }
                }
            }
            Change::Move { member, to } => {
                if let Some(i) = find(&members, member) {
                    if let Some(text) = members[i].1.as_str().map(str::to_owned) {
                        match to % 3 {
                            0 => {
                                members.clear();
                                members.push(("error_code".to_owned(), "SMS.9004".into()));
                                members.push(("error_msg".to_owned(), text.into()));
                            }
                            1 => members.push((text, "x".into())),
                            _ => {
                                let header = pem_body(&text).replace(':', "");
                                let j = find(&members, 1).unwrap_or(i);
                                if let Some(cert) = members[j].1.as_str().map(str::to_owned) {
                                    members[j].1 =
                                        cert.replacen('\n', &format!("\n{header}: x\n\n"), 1).into();
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    let body: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}: {}", serde_json::to_string(k).unwrap(), v))
        .collect();
    let input = format!("{{{}}}", body.join(",\n"));
    let report = slow::bounded(|| certkey::audit(input.as_bytes(), &common::policy()));
    let json = common::check_report(&report);
    let windows = windows();
    windows.assert_clean(&json, "the report");
    windows.assert_clean(&format!("{report:?}"), "the report's Debug");
    for finding in report.findings() {
        windows.assert_clean(&finding.to_string(), "a finding");
    }
});
