//! The option surface: a policy as the bindings take it (`Policy::from_json`, the C ABI's
//! `policy_json`), from raw text or from options of every name with values of every type and
//! shape, then an audit of the documented bundle under it. Beyond no panic (an audit time or a
//! window at any extreme included): the passphrase given as `passphrase` is never repeated, by
//! a refused policy's message, a `Debug` or the report. (A value given to another option is
//! quoted as input is, as its message shows what was wrong with it.)
#![no_main]

#[path = "common.rs"]
mod common;
#[path = "slow.rs"]
mod slow;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

static GOOD: &[u8] = include_bytes!("../../testdata/bundles/good.json");

/// A passphrase no other text holds.
const SECRET: &str = "Hunter2-fuzz-passphrase";

#[derive(Debug, Arbitrary)]
enum Input {
    /// Text given as policy_json.
    Raw(String),
    /// An object of options.
    Options(Vec<(Name, Shape)>),
    /// A bare value where the object belongs.
    Bare(Shape),
}

#[derive(Debug, Arbitrary)]
enum Name {
    Known(u8),
    Other(String),
}

#[derive(Debug, Arbitrary)]
enum Shape {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Text(String),
    /// A form an option takes, at an edge: a time, a duration, a list.
    Form(u8),
    /// The passphrase itself, wherever it goes.
    Secret,
    List(Vec<String>),
    Object,
}

fn value(shape: &Shape) -> Value {
    const FORMS: [&str; 12] = [
        "2026-06-01",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-23:59",
        "1969-12-31T23:59:59Z",
        "0000-01-01",
        "18446744073709551615d",
        "0s",
        "30d",
        "openssl,go",
        "ca.absent,KEY.MISMATCH",
        "always",
        "legacy",
    ];
    match shape {
        Shape::Null => Value::Null,
        Shape::Bool(b) => json!(b),
        Shape::Unsigned(n) => json!(n),
        Shape::Signed(n) => json!(n),
        Shape::Float(f) => json!(f),
        Shape::Text(text) => json!(text),
        Shape::Form(i) => json!(FORMS[usize::from(*i) % FORMS.len()]),
        Shape::Secret => json!(SECRET),
        Shape::List(items) => json!(items),
        Shape::Object => json!({"passphrase": SECRET}),
    }
}

/// Whether the passphrase is, if anywhere, only the value of `passphrase`.
fn secret_only_as_passphrase(input: &Input) -> bool {
    match input {
        Input::Raw(text) => !text.contains(SECRET),
        Input::Bare(shape) => !matches!(shape, Shape::Secret | Shape::Object),
        Input::Options(options) => options.iter().all(|(name, shape)| match (name, shape) {
            (Name::Known(i), Shape::Secret) => {
                let options = certkey::options::OPTIONS;
                options[usize::from(*i) % options.len()].name == "passphrase"
            }
            (Name::Other(name), _) if name.contains(SECRET) => false,
            (_, Shape::Secret | Shape::Object) => false,
            (_, Shape::Text(text)) => !text.contains(SECRET),
            (_, Shape::List(items)) => !items.iter().any(|item| item.contains(SECRET)),
            _ => true,
        }),
    }
}

fuzz_target!(|input: Input| {
    let guarded = secret_only_as_passphrase(&input);
    let text = match &input {
        Input::Raw(text) => text.clone(),
        Input::Bare(shape) => value(shape).to_string(),
        Input::Options(options) => {
            let object: serde_json::Map<String, Value> = options
                .iter()
                .map(|(name, shape)| {
                    let name = match name {
                        Name::Known(i) => {
                            let options = certkey::options::OPTIONS;
                            options[usize::from(*i) % options.len()].name.to_owned()
                        }
                        Name::Other(name) => name.clone(),
                    };
                    (name, value(shape))
                })
                .collect();
            Value::Object(object).to_string()
        }
    };
    let shown = match certkey::Policy::from_json(&text) {
        Err(e) => e.to_string(),
        Ok(policy) => {
            // Deep mode's primality tests cost what the bundle's RSA keys do, by design, not
            // what the options are (about 260 ms for the documented bundle under the
            // sanitizer): as in the key target, only the default checks are held to the bound.
            let report = if policy.deep() {
                certkey::audit(GOOD, &policy)
            } else {
                slow::bounded(|| certkey::audit(GOOD, &policy))
            };
            format!("{policy:?} {}", common::check_report(&report))
        }
    };
    if guarded {
        assert!(!shown.contains(SECRET), "{shown}");
    }
});
