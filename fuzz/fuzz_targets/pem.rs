//! One member's text through the PEM layer, as each kind of member.
#![no_main]

#[path = "slow.rs"]
mod slow;

use certkey::harness::pem_member;
use certkey::Member;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let member = Member::ALL[usize::from(selector) % Member::ALL.len()];
    let text = String::from_utf8_lossy(rest);
    for finding in slow::bounded(|| pem_member(member, &text)) {
        assert_eq!(finding.member(), Some(member));
    }
});
