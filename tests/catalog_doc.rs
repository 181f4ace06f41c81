//! `docs/CHECKS.md` is the catalog (`certkey::CATALOG`) rendered: this test renders it again
//! and fails when the file is stale. `CERTKEY_BLESS=1 cargo test --test catalog_doc` rewrites it.

use std::fmt::Write as _;
use std::path::Path;

use certkey::{Profile, CATALOG};

fn render() -> String {
    let mut doc = String::from(
        "# The checks\n\
         \n\
         <!-- Generated from `CATALOG` (src/catalog.rs) by tests/catalog_doc.rs: edit the catalog,\n\
         then run `CERTKEY_BLESS=1 cargo test --test catalog_doc`. -->\n\
         \n\
         Every finding certkey reports has one of these ids. Ids are a public contract: they are\n\
         never renamed, only added. `certkey-audit explain ID` prints one entry. The severity is\n\
         the default (`strict`) profile's; the `legacy` profile (`--profile legacy`,\n\
         `Profile::Legacy`) changes only the severities its column shows.\n\
         \n\
         | id | severity | legacy profile | what it means |\n\
         |---|---|---|---|\n",
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
            "| [`{id}`](#{anchor}) | {severity} | {legacy} | {summary} |",
            id = check.id,
            anchor = check.id.as_str().replace('.', ""),
            severity = check.severity,
            summary = check.summary,
        )
        .unwrap();
    }
    for check in CATALOG {
        writeln!(
            doc,
            "\n## {id}\n\n{severity}: {summary}.\n\n{explanation}\n\n**Fix.** {fix}\n\n**Source.** {source}",
            id = check.id,
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
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/CHECKS.md");
    let rendered = render();
    if std::env::var_os("CERTKEY_BLESS").is_some() {
        std::fs::write(&path, &rendered).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "docs/CHECKS.md is not the catalog rendered: run `CERTKEY_BLESS=1 cargo test --test catalog_doc`"
    );
}
