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
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(printable("abcdef", 3), "abc…");
        assert_eq!(printable("abc", 3), "abc");
        assert_eq!(printable("ééé", 2), "éé…");
    }
}
