//! The certkey-audit binary's tests, in one test binary sharing `common`.

mod common;
#[path = "../../tests/common/leak.rs"]
mod leak;

mod cli;
mod contract;
mod growth;
mod hardening;
mod operator;
mod report_page;
