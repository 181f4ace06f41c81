//! `docs/OPTIONS.md` is the table of options (`certkey::options::OPTIONS`) rendered: this test
//! renders it again and fails when the file is stale (`CERTKEY_BLESS=1 cargo test --test
//! options_doc` rewrites it). The defaults in it come from the code's own defaults, so the
//! document cannot say another.

mod common;

use std::fmt::Write as _;

use certkey::options::OPTIONS;

fn render() -> String {
    let mut doc = String::from(
        "# Options\n\n\
         <!-- Generated from certkey::options::OPTIONS by tests/options_doc.rs: \
         `CERTKEY_BLESS=1 cargo test --test options_doc` writes it again. -->\n\n\
         Every front end takes the same options by the same names: the C ABI's `policy_json` and \
         `certkey::Policy::from_json` (or serde) as a JSON object, Python's `certkey.audit` as \
         keyword arguments, Rust as `Policy::with_NAME` methods, and `certkey-audit` as the flags \
         below. An unknown option, a value of the wrong type and a value that means nothing are \
         errors, never a silent default (Python: `TypeError`, `ValueError`; C: \
         `CERTKEY_INVALID_POLICY` with a message); `null` (Python: `None`) is the default.\n\n\
         | option | takes | default | what it does | `certkey-audit` | Python |\n\
         |---|---|---|---|---|---|\n",
    );
    for option in OPTIONS {
        let python = match option.python {
            "" => "the same",
            differs => differs,
        };
        writeln!(
            doc,
            "| `{}` | {} | {} | {} | {} | {} |",
            option.name,
            option.takes,
            (option.default)(),
            option.meaning,
            option.flag,
            python
        )
        .unwrap();
    }
    doc
}

#[test]
fn the_options_document_is_the_table_rendered() {
    common::assert_generated("docs/OPTIONS.md", &render(), "options_doc");
}

/// Each option's name is one `Policy::from_json` reads, and a value of its documented kind
/// gives another policy than the default: the table lists what the code takes.
#[test]
fn every_option_in_the_table_is_read_and_every_name_read_is_in_the_table() {
    let default = format!("{:?}", certkey::Policy::default());
    for option in OPTIONS {
        if option.name == "handshake" && !cfg!(feature = "handshake") {
            continue;
        }
        let value = match option.name {
            "at" => "\"2026-06-01\"",
            "profile" => "\"legacy\"",
            "deep" | "strict" => "true",
            "warn_within" => "\"7d\"",
            "allow" => "\"ca.absent\"",
            "stacks" => "\"go\"",
            "ca_pem" => "\"PEM\"",
            "passphrase" => "\"pw\"",
            "handshake" => "\"always\"",
            _ => "1",
        };
        let json = format!("{{\"{}\": {value}}}", option.name);
        let policy = certkey::Policy::from_json(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_ne!(format!("{policy:?}"), default, "{json}");
    }
    // A name not in the table is refused, and the refusal lists the table's names.
    let e = certkey::Policy::from_json(r#"{"max_input": 1}"#).unwrap_err();
    let names: Vec<&str> = OPTIONS.iter().map(|option| option.name).collect();
    assert!(
        e.to_string()
            .ends_with(&format!("(the options: {})", names.join(", "))),
        "{e}"
    );
}
