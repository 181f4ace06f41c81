//! No key material reaches any output of the library: every fixture and every regression,
//! under every policy that changes what is said, through the report's JSON, its `Debug`, every
//! finding's `Display` and hint, and the policy's `Debug`; and keys hidden in every way the
//! quoting rules cover (split by invisible characters, dumped as hex or decimal, cut into
//! short pieces), in every place text is quoted from (error bodies, member names, PEM labels
//! and headers, the DEK-Info cipher name).
//!
//! A leak is any 20-character window of any key under `testdata/`, in base64, hex or decimal
//! (`common::leak`), or of any data-shaped run of the input itself.

mod common;

use certkey::{audit, Policy, Profile, Report};
use common::leak::{self, KeyWindows};
use proptest::prelude::*;

const PASSPHRASE: &[u8] = b"fixture-passphrase";

fn windows() -> &'static KeyWindows {
    static WINDOWS: std::sync::OnceLock<KeyWindows> = std::sync::OnceLock::new();
    WINDOWS.get_or_init(|| KeyWindows::of_testdata(&common::testdata()))
}

/// Every output the library gives of one audit.
fn outputs(report: &Report, policy: &Policy) -> Vec<(&'static str, String)> {
    let mut outputs = vec![
        ("JSON", serde_json::to_string(report).unwrap()),
        ("Debug", format!("{report:?}")),
        ("policy Debug", format!("{policy:?}")),
    ];
    for finding in report.findings() {
        outputs.push(("Display", finding.to_string()));
        if let Some(hint) = finding.hint() {
            outputs.push(("hint", hint.to_owned()));
        }
    }
    outputs
}

/// The input's own data: runs of 20 or more base64 characters, once invisible characters
/// are taken out, that hold a digit or a sign (not prose). None may come back.
fn input_windows(input: &[u8]) -> KeyWindows {
    let mut own = KeyWindows::empty();
    let text: String = String::from_utf8_lossy(input)
        .chars()
        .filter(|c| !leak::INVISIBLE.contains(c))
        .collect();
    let mut run = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_alphanumeric() || matches!(c, '+' | '/') {
            run.push(c);
            continue;
        }
        if run.len() >= leak::WINDOW
            && run
                .chars()
                .any(|c| c.is_ascii_digit() || c == '+' || c == '/')
        {
            own.add_form(&run);
        }
        run.clear();
    }
    own
}

fn assert_no_leak(input: &[u8], policy: &Policy, what: &str) {
    let report = audit(input, policy);
    let own = input_windows(input);
    for (output, text) in outputs(&report, policy) {
        windows().assert_clean(&text, &format!("{what}: {output}"));
        own.assert_clean(&text, &format!("{what}: {output} (the input's own data)"));
    }
}

fn policies() -> Vec<(&'static str, Policy)> {
    let ca_with_key = [
        std::fs::read_to_string(common::testdata().join("pki/ca.crt.pem")).unwrap(),
        std::fs::read_to_string(common::testdata().join("pki/ca.key.pem")).unwrap(),
    ]
    .concat();
    #[cfg_attr(not(feature = "handshake"), allow(unused_mut))]
    let mut policies = vec![
        ("default", common::policy()),
        ("deep", common::policy().with_deep(true)),
        ("legacy", common::policy().with_profile(Profile::Legacy)),
        ("passphrase", common::policy().with_passphrase(PASSPHRASE)),
        (
            "wrong passphrase",
            common::policy().with_passphrase(b"wrong"),
        ),
        (
            "CA file with its key",
            common::policy().with_ca_pem(ca_with_key),
        ),
    ];
    #[cfg(feature = "handshake")]
    policies.push((
        "handshake",
        common::policy().with_handshake(certkey::Rehearsal::Always),
    ));
    policies
}

#[test]
fn the_key_collection_finds_every_kind_of_key() {
    // Guards the tests below against passing vacuously.
    let windows = windows();
    assert!(windows.key_count() >= 60, "{} keys", windows.key_count());
    let key = std::fs::read_to_string(common::testdata().join("pki/source.key.pem")).unwrap();
    let line = key.lines().nth(3).unwrap();
    assert!(windows.find(line).is_some());
    let der = leak::base64_decode(
        &key.lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>(),
    )
    .unwrap();
    assert!(windows
        .find(&leak::hex(&der[100..120], false, ":"))
        .is_some());
    assert!(windows.find(&leak::hex(&der[200..220], true, "")).is_some());
    // The hex dump and the invisible-character reproducers hold keys of their own.
    let before = KeyWindows::of_testdata(&common::testdata().join("pki")).key_count();
    assert!(before >= 4);
}

#[test]
fn no_fixture_or_regression_leaks_through_any_output_under_any_policy() {
    let mut files = Vec::new();
    for folder in ["bundles", "regressions", "regressions/redteam"] {
        for entry in std::fs::read_dir(common::testdata().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 150);
    let policies = policies();
    for path in &files {
        let input = std::fs::read(path).unwrap();
        let own = input_windows(&input);
        for (name, policy) in &policies {
            let report = audit(&input, policy);
            for (output, text) in outputs(&report, policy) {
                let what = format!("{} ({name}): {output}", path.display());
                windows().assert_clean(&text, &what);
                own.assert_clean(&text, &format!("{what} (the input's own data)"));
            }
        }
    }
}

/// Keys, as text a response could carry them in.
fn key_texts() -> Vec<(String, Vec<u8>)> {
    [
        "pki/source.key.pem",
        "keys/ec-p256-sec1.key.pem",
        "keys/ed25519-pkcs8-v1.key.pem",
    ]
    .iter()
    .map(|file| {
        let pem = std::fs::read_to_string(common::testdata().join(file)).unwrap();
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = leak::base64_decode(&body).unwrap();
        (pem, der)
    })
    .collect()
}

/// The ways a key is written out: its base64 (whole, and as PEM), hex, colon-hex as
/// `openssl rsa -text` prints it, decimal of its longest integer, a C array.
fn disguises(pem: &str, der: &[u8]) -> Vec<String> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let colon_lines: Vec<String> = der
        .chunks(15)
        .map(|chunk| format!("    {}:", leak::hex(chunk, false, ":")))
        .collect();
    vec![
        body.clone(),
        pem.to_owned(),
        leak::hex(der, false, ""),
        leak::hex(der, true, ""),
        format!("privateExponent:\n{}", colon_lines.join("\n")),
        leak::hex(der, false, " "),
        leak::decimal(&der[der.len() / 2..]),
        der.iter()
            .map(|b| format!("0x{b:02x}"))
            .collect::<Vec<_>>()
            .join(", "),
        body.as_bytes()
            .chunks(8)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
    ]
}

/// `text` with `separator` after every `every` characters.
fn split(text: &str, separator: char, every: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i > 0 && i.is_multiple_of(every) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// Responses quoting `text` in every place certkey quotes from. Bundles hold only the
/// members each place needs, so that thousands of them audit quickly.
fn carriers(text: &str) -> Vec<(&'static str, String)> {
    let cert = std::fs::read_to_string(common::testdata().join("pki/source.crt.pem")).unwrap();
    let header_line = text.replace(['\n', ':'], "");
    let with_name = {
        let mut bundle = serde_json::json!({ "cert": cert });
        bundle[text] = serde_json::json!("x");
        bundle.to_string()
    };
    vec![
        ("error_msg", serde_json::json!({"error_code": "SMS.9004", "error_msg": text}).to_string()),
        ("error_code", serde_json::json!({"error_code": text, "error_msg": "denied"}).to_string()),
        (
            "the 403 body",
            serde_json::json!({"error_code": "SMS.9004", "error_msg": "denied",
                "encoded_authorization_message": text, "error_param": [text],
                "details": [{"error_code": text, "error_msg": text}]})
            .to_string(),
        ),
        ("a member name", with_name),
        (
            "a PEM header name",
            serde_json::json!({ "cert": cert.replacen('\n', &format!("\n{header_line}: x\n\n"), 1) })
                .to_string(),
        ),
        (
            "a PEM label",
            serde_json::json!({ "cert": format!("-----BEGIN {header_line}-----\nQUJD\n-----END {header_line}-----") })
                .to_string(),
        ),
        (
            "the DEK-Info cipher",
            serde_json::json!({ "private_key": format!("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: {header_line},00112233445566778899AABBCCDDEEFF\n\nQUJDRA==\n-----END RSA PRIVATE KEY-----") })
                .to_string(),
        ),
        ("text around a block", serde_json::json!({ "cert": format!("{text}\n{cert}") }).to_string()),
    ]
}

#[test]
fn keys_hidden_by_invisible_characters_are_never_quoted() {
    let policy = common::policy().with_passphrase(PASSPHRASE);
    for (pem, der) in key_texts() {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        for &separator in leak::INVISIBLE {
            for every in [1, 7, 15] {
                for (place, input) in carriers(&split(&body, separator, every)) {
                    assert_no_leak(
                        input.as_bytes(),
                        &policy,
                        &format!("{place}, split every {every} by {separator:?}"),
                    );
                }
            }
        }
        for disguise in disguises(&pem, &der) {
            for (place, input) in carriers(&disguise) {
                assert_no_leak(
                    input.as_bytes(),
                    &policy,
                    &format!("{place}: {}…", &disguise[..20]),
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random invisible characters at random places in a key's text, in a random carrier.
    #[test]
    fn randomly_hidden_keys_are_never_quoted(
        key in 0usize..3,
        disguise in 0usize..9,
        place in 0usize..8,
        insertions in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..40),
    ) {
        let (pem, der) = &key_texts()[key];
        let mut text: Vec<char> = disguises(pem, der)[disguise].chars().collect();
        for (at, which) in insertions {
            let c = leak::INVISIBLE[which.index(leak::INVISIBLE.len())];
            text.insert(at.index(text.len() + 1), c);
        }
        let text: String = text.into_iter().collect();
        let (name, input) = &carriers(&text)[place];
        assert_no_leak(input.as_bytes(), &common::policy().with_passphrase(PASSPHRASE), name);
    }
}

/// The base64 of every unencrypted private key under `testdata/pki` and `testdata/keys`, as one
/// line each.
fn key_bodies() -> Vec<String> {
    let mut bodies = Vec::new();
    for folder in ["pki", "keys"] {
        let mut files: Vec<_> = std::fs::read_dir(common::testdata().join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".key.pem"))
            .collect();
        files.sort();
        for file in files {
            let pem = std::fs::read_to_string(file).unwrap();
            if pem.contains("ENCRYPTED") {
                continue;
            }
            bodies.push(pem.lines().filter(|l| !l.starts_with("-----")).collect());
        }
    }
    bodies
}

/// Whether `window` has a character that letters-only text does not: a digit, `+` or `/`.
fn not_letters_only(window: &str) -> bool {
    window
        .bytes()
        .any(|b| b.is_ascii_digit() || b == b'+' || b == b'/')
}

#[test]
fn every_window_of_every_key_with_a_digit_or_a_sign_is_withheld_and_words_are_rare() {
    let (mut windows, mut letters_only, mut shown) = (0usize, 0usize, Vec::new());
    for body in key_bodies() {
        for start in 0..(body.len() + 1).saturating_sub(leak::WINDOW) {
            let window = &body[start..start + leak::WINDOW];
            if window.contains('=') {
                continue;
            }
            windows += 1;
            letters_only += usize::from(!not_letters_only(window));
            for placed in [
                window.to_owned(),
                format!("CN={window}, O=x"),
                format!("x-{window}"),
            ] {
                if certkey::quote(&placed, 200).contains(window) {
                    assert!(!not_letters_only(window), "{window} shown in {placed:?}");
                    shown.push(window.to_owned());
                }
            }
        }
    }
    shown.sort();
    shown.dedup();
    eprintln!(
        "{} windows of {} keys: {letters_only} of letters only, {} of them shown: {shown:?}",
        windows,
        key_bodies().len(),
        shown.len()
    );
    assert!(windows > 40_000);
    // Letters only that read as words in camel case: rare, and measured here.
    assert!(shown.len() * 10_000 <= windows, "{} shown", shown.len());
}

/// The documented bundle, with `window` quoted in the place numbered `place`: a member's
/// name, a PEM header's name in `ca`, the label of a second block in `cert`.
fn good_bundle_quoting(window: &str, place: usize) -> String {
    let mut bundle: serde_json::Value =
        serde_json::from_slice(&common::bundle("good.json")).unwrap();
    match place {
        0 => bundle[format!("x-{window}")] = serde_json::json!("x"),
        1 => {
            let ca =
                bundle["ca"]
                    .as_str()
                    .unwrap()
                    .replacen('\n', &format!("\n{window}: x\n\n"), 1);
            bundle["ca"] = ca.into();
        }
        _ => {
            let cert = format!(
                "{}\n-----BEGIN {window}-----\nQUJD\n-----END {window}-----\n",
                bundle["cert"].as_str().unwrap()
            );
            bundle["cert"] = cert.into();
        }
    }
    bundle.to_string()
}

/// The base64 of the documented bundle's three private keys.
fn good_key_bodies() -> Vec<String> {
    let bundle: serde_json::Value = serde_json::from_slice(&common::bundle("good.json")).unwrap();
    [
        "private_key",
        "target_mgmt_private_key",
        "target_data_private_key",
    ]
    .iter()
    .map(|member| {
        bundle[member]
            .as_str()
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect()
    })
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A window of any fixture key's base64 holding a digit, `+` or `/`, in any place certkey
    /// quotes from: never shown, whatever surrounds it.
    #[test]
    fn random_windows_of_every_key_are_never_quoted(
        key in any::<prop::sample::Index>(),
        start in any::<prop::sample::Index>(),
        len in leak::WINDOW..=40usize,
        place in 0usize..8,
        around in prop::sample::select(vec![("", ""), ("x", "y"), ("CN=", ", O=x"), ("+", "/")]),
    ) {
        let bodies = key_bodies();
        let body = &bodies[key.index(bodies.len())];
        prop_assume!(body.len() > len);
        let start = start.index(body.len() - len);
        let window = &body[start..start + len];
        prop_assume!(!window.contains('=') && not_letters_only(window));
        let text = format!("{}{window}{}", around.0, around.1);
        let (name, input) = &carriers(&text)[place];
        assert_no_leak(input.as_bytes(), &common::policy(), name);
    }

    /// A window of the response's own keys, letters only or not, in a member name, a PEM
    /// header name or a PEM label: never shown (the report's text is screened against the
    /// keys it audited).
    #[test]
    fn random_windows_of_the_bundles_own_keys_are_never_quoted(
        key in 0usize..3,
        start in any::<prop::sample::Index>(),
        len in leak::WINDOW..=40usize,
        place in 0usize..3,
    ) {
        let body = &good_key_bodies()[key];
        let start = start.index(body.len() - len);
        let window = &body[start..start + len];
        prop_assume!(!window.contains('='));
        let input = good_bundle_quoting(window, place);
        assert_no_leak(input.as_bytes(), &common::policy(), &format!("place {place}"));
    }
}

#[test]
fn the_own_keys_letters_only_windows_are_never_quoted_either() {
    // Every window of letters only of the bundle's own keys: the ones quote's shape rules
    // could show are screened out exactly.
    for body in good_key_bodies() {
        for start in 0..(body.len() + 1).saturating_sub(leak::WINDOW) {
            let window = &body[start..start + leak::WINDOW];
            if not_letters_only(window) || window.contains('=') {
                continue;
            }
            for place in 0..3 {
                let input = good_bundle_quoting(window, place);
                assert_no_leak(
                    input.as_bytes(),
                    &common::policy(),
                    &format!("{window} at {place}"),
                );
            }
        }
    }
}

#[test]
fn key_text_that_reads_as_words_is_withheld_when_it_is_the_responses_own() {
    // A key member whose base64 holds camel-case words, which quote's shape rules show: a
    // window of it quoted elsewhere in the response is still withheld, the report's text being
    // screened against the keys the response holds.
    // A SEQUENCE holding an OCTET STRING whose bytes are what the words decode to: its base64
    // is the nine header bytes' twelve characters, then the words.
    let wordy = "SunCertPathBuilderExceptionInTheHandshakeOfTheService".repeat(4);
    let wordy = &wordy[..wordy.len() / 4 * 4];
    let content = leak::base64_decode(wordy).unwrap();
    let octets = content.len() + 1;
    let [o1, o2] = u16::try_from(octets).unwrap().to_be_bytes();
    let [s1, s2] = u16::try_from(octets + 4).unwrap().to_be_bytes();
    let mut der = vec![0x30, 0x82, s1, s2, 0x04, 0x82, o1, o2, 0x00];
    der.extend_from_slice(&content);
    let body = leak::base64(&der);
    assert!(body.ends_with(wordy));
    let words = "SunCertPathBuilderException";
    assert_eq!(certkey::quote(words, 100), words, "quote alone shows it");
    let mut bundle: serde_json::Value =
        serde_json::from_slice(&common::bundle("good.json")).unwrap();
    bundle["private_key"] =
        format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n").into();
    bundle[format!("x-{words}")] = "x".into();
    let report = audit(bundle.to_string().as_bytes(), &common::policy());
    for (output, text) in outputs(&report, &common::policy()) {
        assert!(!text.contains("SunCertPathBuilder"), "{output}: {text}");
    }
    assert!(report.has(certkey::CheckId::FieldUnknown));
}

#[test]
fn the_passphrase_is_withheld_wherever_the_response_repeats_it() {
    let policy = common::policy().with_passphrase(b"Hunter2-Task-Passphrase");
    for input in [
        r#"{"error_code": "SMS.9004", "error_msg": "bad passphrase Hunter2-Task-Passphrase"}"#
            .to_owned(),
        String::from_utf8(common::bundle("good.json"))
            .unwrap()
            .replacen('{', r#"{"Hunter2-Task-Passphrase": 1,"#, 1),
    ] {
        let report = audit(input.as_bytes(), &policy);
        for (output, text) in outputs(&report, &policy) {
            assert!(!text.contains("Hunter2"), "{output}: {text}");
        }
    }
}
