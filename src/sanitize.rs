//! Making untrusted text safe to print: member names, API error messages, certificate names.
//!
//! Everything quoted from a response passes through here, so that a hostile response cannot
//! move the cursor, recolour a terminal, reorder text with bidirectional controls or flood
//! the output.

/// Returns `text` fit to print: control characters (line breaks, escapes) become a space,
/// runs of them one space; bidirectional-formatting and zero-width characters are removed; at
/// most `max_chars` characters are kept (an ellipsis marks a cut).
pub(crate) fn printable(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    let mut kept = 0;
    let mut after_control = false;
    for c in text.chars() {
        if is_invisible(c) {
            continue;
        }
        let c = if c.is_control() {
            if after_control {
                continue;
            }
            after_control = true;
            ' '
        } else {
            after_control = false;
            c
        };
        if kept == max_chars {
            out.push('…');
            break;
        }
        out.push(c);
        kept += 1;
    }
    out
}

/// Like [`printable`], for text quoted from a response (error messages, member names), where
/// nothing vouches for the content: runs that look like base64 data (16 characters or more
/// of the base64 alphabet, mixing upper and lower case with digits, `+` or `/`) are replaced
/// by a note of their length, so that key material pasted into such text is never echoed.
pub(crate) fn quoted(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    let mut run_start = None;
    let flush = |out: &mut String, run: &str| {
        if looks_like_base64_data(run) {
            out.push_str(&format!("[{} characters of base64 withheld]", run.len()));
        } else {
            out.push_str(run);
        }
    };
    for (index, c) in text.char_indices() {
        let in_alphabet = c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=');
        match (in_alphabet, run_start) {
            (true, None) => run_start = Some(index),
            (false, Some(start)) => {
                flush(&mut out, &text[start..index]);
                run_start = None;
                out.push(c);
            }
            (false, None) => out.push(c),
            (true, Some(_)) => {}
        }
    }
    if let Some(start) = run_start {
        flush(&mut out, &text[start..]);
    }
    printable(&out, max_chars)
}

fn looks_like_base64_data(run: &str) -> bool {
    run.len() >= 16
        && run.bytes().any(|b| b.is_ascii_uppercase())
        && run.bytes().any(|b| b.is_ascii_lowercase())
        && run
            .bytes()
            .any(|b| b.is_ascii_digit() || b == b'+' || b == b'/')
}

fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200b}'..='\u{200f}' // zero-width characters and directional marks
        | '\u{202a}'..='\u{202e}' // bidirectional embeddings and overrides
        | '\u{2066}'..='\u{2069}' // bidirectional isolates
        | '\u{feff}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_one_space_and_bidi_characters_go() {
        assert_eq!(
            printable("a\x1b[31mb\r\nc\u{202e}d\u{2066}", 100),
            "a [31mb cd"
        );
    }

    #[test]
    fn base64_runs_are_withheld_and_prose_is_kept() {
        assert_eq!(
            quoted("key MIIEpAIBAAKCAQEAyR7TS01U+/ here", 100),
            "key [26 characters of base64 withheld] here"
        );
        assert_eq!(
            quoted(
                "Internationalization of SMS.9004 task 3f2c0c0e-0000-4000",
                100
            ),
            "Internationalization of SMS.9004 task 3f2c0c0e-0000-4000"
        );
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(printable("abcdef", 3), "abc…");
        assert_eq!(printable("abc", 3), "abc");
        assert_eq!(printable("ééé", 2), "éé…");
    }
}
