//! Structure-aware: a valid bundle, changed member by member (replaced, cut, spliced,
//! re-escaped, dropped, retyped, duplicated). Beyond the report invariants: no line of the
//! bundle's private keys ever appears in the serialized report.
#![no_main]

#[path = "common.rs"]
mod common;

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
    let key_lines: Vec<String> = MEMBERS
        .iter()
        .filter(|m| m.ends_with("private_key"))
        .flat_map(|m| good[*m].as_str().unwrap().lines())
        .filter(|l| l.len() >= 16 && !l.starts_with("-----"))
        .map(str::to_owned)
        .collect();

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
        }
    }

    let body: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}: {}", serde_json::to_string(k).unwrap(), v))
        .collect();
    let input = format!("{{{}}}", body.join(",\n"));
    let report = certkey::audit(input.as_bytes(), &common::policy());
    let json = common::check_report(&report);
    for line in &key_lines {
        assert!(!json.contains(line.as_str()), "a private key line reached the report");
    }
});
