//! `certkey-audit explain [ID]`: the catalog, from the library's one table.

use std::process::ExitCode;

use certkey::{CheckId, CATALOG};

pub fn run(id: Option<&str>) -> ExitCode {
    let Some(id) = id else {
        let width = CATALOG
            .iter()
            .map(|c| c.id.as_str().len())
            .max()
            .unwrap_or(0);
        for check in CATALOG {
            println!(
                "{:width$}  {:7}  {}",
                check.id.as_str(),
                check.severity.as_str(),
                check.summary
            );
        }
        return ExitCode::SUCCESS;
    };
    let Some(check) = CheckId::from_name(id).map(CheckId::check) else {
        eprintln!(
            "certkey-audit: no finding has the id {id:?}; `certkey-audit explain` lists them"
        );
        return ExitCode::from(2);
    };
    println!("{} ({})", check.id, check.severity);
    println!();
    println!("{}", check.summary);
    println!();
    println!("{}", check.explanation);
    println!();
    println!("Source: {}", check.source);
    println!("Fix: {}", check.fix);
    ExitCode::SUCCESS
}
