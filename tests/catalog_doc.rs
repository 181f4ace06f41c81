//! `docs/CHECKS.md` is the catalog (`certkey::CATALOG`) rendered, with the module that makes
//! each finding: this test renders it again and fails when the file is stale
//! (`CERTKEY_BLESS=1 cargo test --test catalog_doc` rewrites it). It also holds every module to
//! naming, in its header, the ids it makes.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use certkey::{CheckId, Profile, CATALOG};

/// The source files under `src/`, relative to the crate's root.
fn sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let mut folders = vec![root.join("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path.strip_prefix(root).unwrap().to_owned());
            }
        }
    }
    found.sort();
    found
}

/// The modules that make each id: those whose code (not comments, not unit tests) names its
/// `CheckId` variant, the catalog itself aside.
fn makers() -> BTreeMap<CheckId, Vec<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut makers: BTreeMap<CheckId, Vec<String>> = BTreeMap::new();
    for path in sources() {
        let name = path.to_string_lossy().replace('\\', "/");
        if name == "src/catalog.rs" {
            continue;
        }
        let text = std::fs::read_to_string(root.join(&path)).unwrap();
        let code: String = text
            .lines()
            .take_while(|line| *line != "#[cfg(test)]")
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for check in CATALOG {
            let variant = format!("CheckId::{:?}", check.id);
            let named = code.match_indices(&variant).any(|(at, _)| {
                !code[at + variant.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
            });
            if named {
                makers.entry(check.id).or_default().push(name.clone());
            }
        }
    }
    makers
}

#[test]
fn every_module_names_the_ids_it_makes_in_its_header() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (id, modules) in makers() {
        for module in modules {
            let text = std::fs::read_to_string(root.join(&module)).unwrap();
            let header: String = text
                .lines()
                .take_while(|line| line.starts_with("//!"))
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                header.contains(&format!("`{id}`")),
                "{module} makes {id}, but its header (//!) does not name it"
            );
        }
    }
}

fn render() -> String {
    let makers = makers();
    let mut doc = String::from(
        "# The checks\n\
         \n\
         <!-- Generated from `CATALOG` (src/catalog.rs) by tests/catalog_doc.rs: edit the catalog,\n\
         then run `CERTKEY_BLESS=1 cargo test --test catalog_doc`. -->\n\
         \n\
         Every finding certkey reports has one of these ids. Ids are a public contract: they are\n\
         never renamed, only added. `certkey-audit explain ID` prints one entry. The severity is\n\
         the default (`strict`) profile's; the `legacy` profile (`--profile legacy`,\n\
         `Profile::Legacy`) changes only the severities its column shows. \"Refused by\" names\n\
         the TLS stacks that refuse what the check detects, as `tests/stacks.rs` measures them\n\
         (`openssl`: OpenSSL 3.0 as shipped; `python`: OpenSSL 3.0 with X509_STRICT, Python\n\
         3.13's default; `go`: Go 1.23; `rustls`: rustls 0.23 with ring; `pyca`:\n\
         pyca/cryptography 48's verifier); a finding may name\n\
         fewer where its details decide. Where stacks refuse, they decide the severity (all but\n\
         `ca.absent`): a finding is an error when a stack the policy counts refuses it, and else\n\
         a warning that names the stacks. The severity shown is the one under the stacks counted\n\
         by default (`openssl`, `python`, `go`, `rustls`); `--stack LIST` (`Policy::with_stacks`)\n\
         counts others.\n\
         \n\
         | id | severity | legacy profile | refused by | what it means | made in |\n\
         |---|---|---|---|---|---|\n",
    );
    for check in CATALOG {
        let legacy = check.severity_under(Profile::Legacy);
        let legacy = if legacy == check.severity {
            "same".to_owned()
        } else {
            legacy.to_string()
        };
        writeln!(
            doc,
            "| [`{id}`](#{anchor}) | {severity} | {legacy} | {refused} | {summary} | {made} |",
            id = check.id,
            refused = check.refused_by,
            anchor = check.id.as_str().replace('.', ""),
            severity = check.severity,
            summary = check.summary,
            made = makers
                .get(&check.id)
                .map(|modules| modules
                    .iter()
                    .map(|m| format!("[`{m}`](../{m})"))
                    .collect::<Vec<_>>()
                    .join(", "))
                .unwrap_or_default(),
        )
        .unwrap();
    }
    for check in CATALOG {
        writeln!(
            doc,
            "\n## {id}\n\n{severity}: {summary}.\n\n{explanation}\n\n**Refused by.** {refused}.\n\n**Fix.** {fix}\n\n**Source.** {source}",
            id = check.id,
            refused = check.refused_by,
            severity = check.severity,
            summary = check.summary,
            explanation = check.explanation,
            fix = check.fix,
            source = check.source,
        )
        .unwrap();
    }
    doc
}

#[test]
fn the_catalog_document_is_the_catalog_rendered() {
    common::assert_generated("docs/CHECKS.md", &render(), "catalog_doc");
}
