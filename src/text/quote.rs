//! Quoting text taken from the input: member names, PEM labels and headers, API error bodies,
//! certificate names, OIDs, a TLS stack's error text.
//!
//! Such text reaches output only through [`Untrusted`] (or [`UntrustedString`]), whose every
//! printable form (`Display`, `Debug`, [`Untrusted::quoted`]) is [`quote`]. Quoting works on
//! the text as a reader would see it, in this order:
//!
//! 1. **Normalise.** Invisible characters (Unicode format characters and default-ignorable
//!    code points: zero-width spaces and joiners, bidirectional controls, the byte-order mark,
//!    variation selectors, tags, soft hyphens, fillers) are removed, and so are combining marks
//!    on an ASCII letter or digit; fullwidth ASCII becomes ASCII; control characters and line
//!    or paragraph separators become a space (a run of them one space); other spaces become
//!    an ASCII space. Text split by invisible characters is thus judged as it is displayed:
//!    whole.
//! 2. **Withhold key-shaped data**, replaced by a note of its length:
//!    - a run of base64 (`A–Z a–z 0–9 + /`, and `=` as padding) of 20 characters or more that
//!      does not read as words: words in camel case, each pronounceable, or a path of
//!      lowercase words and numbers between `+` and `/`. So every 20-character window of a
//!      key that holds a digit, a `+` or a `/` is withheld wherever it is placed; one of
//!      letters only can read as words (2 of the 45,819 windows of the fixtures' keys do,
//!      `tests/leaks.rs`), and the report's last screen withholds those of the response's own
//!      keys ([`screen`](super::screen));
//!    - a run of base64 holding 16 or more key-shaped characters: pieces (between `+`, `/`
//!      and `=`) of four characters or more that are not plain words (letters only, as words
//!      of three letters or more, or acronyms) nor numbers;
//!    - a chain of runs separated by one to three other characters (spaces, line breaks,
//!      punctuation) whose key-shaped pieces add up to 16 or more characters and outweigh its
//!      plain words: base64 cut into short lines or words;
//!    - six or more pieces of one to three characters, one separator apart, that make such a
//!      run when joined: text spelt out (`M I I E`, `\x30\x82`);
//!    - a chain of hexadecimal words separated by spaces, colons, dashes, commas and the like
//!      (`30 82 04 a4`, `00:c3:a1:…`, `0x30, 0x82`) holding 12 hex digits or more with both
//!      letters and digits, or 16 decimal digits or more (12 when the separators are colons):
//!      DER or key integers dumped as hex (`openssl rsa -text`) or in decimal. A UUID
//!      (8-4-4-4-12) is kept: it is a task or request id.
//! 3. **Cut** to the caller's length, marked with an ellipsis. Detection looks a little past
//!    the cut, so data that straddles it is judged whole.
//!
//! Certkey's own messages are built from lengths, positions, labels and public values it
//! formats itself; they do not pass through here.

use core::fmt;
use core::ops::Range;
use std::borrow::Cow;

/// How many characters a quote keeps when the caller gives no length.
pub(crate) const DEFAULT_MAX_CHARS: usize = 120;

/// How far past the cut detection looks, so that data straddling the cut is judged whole.
const LOOKAHEAD: usize = 96;

/// The shortest run (or chain) of base64-like characters withheld.
const MIN_DATA_CHARS: usize = 16;
/// The length of the key windows no output shows: a run of base64 this long is withheld
/// unless it reads as words ([`reads_as_words`]).
const WINDOW_CHARS: usize = 20;
/// The shortest piece of a chain that counts as key-shaped.
const MIN_PIECE_CHARS: usize = 4;
/// The most characters between two pieces of one chain.
const MAX_GAP_CHARS: usize = 3;
/// The fewest hex digits withheld (with letters and digits both present). A 20-character
/// window of colon-separated hex holds at least 13.
const MIN_HEX_DIGITS: usize = 12;
/// The fewest decimal digits withheld.
const MIN_DECIMAL_DIGITS: usize = 16;
/// The most characters between two words of a hex chain.
const MAX_HEX_GAP_CHARS: usize = 8;

/// Text taken from the input. It prints only as [`quote`] makes it; the text itself is
/// available for matching and parsing through [`Untrusted::unquoted`], which must never
/// reach output.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Untrusted<'a>(&'a str);

impl<'a> Untrusted<'a> {
    /// Marks `text` as taken from the input.
    pub(crate) const fn new(text: &'a str) -> Self {
        Self(text)
    }

    /// The text fit to print, at most `max_chars` characters (see the module's rules).
    pub(crate) fn quoted(self, max_chars: usize) -> String {
        quote(self.0, max_chars)
    }

    /// The text itself, for comparisons and parsing. Never print it.
    pub(crate) const fn unquoted(self) -> &'a str {
        self.0
    }
}

impl fmt::Display for Untrusted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&quote(self.0, DEFAULT_MAX_CHARS))
    }
}

impl fmt::Debug for Untrusted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Untrusted({:?})", quote(self.0, DEFAULT_MAX_CHARS))
    }
}

/// An owned [`Untrusted`], for text kept beyond the input's lifetime.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct UntrustedString(String);

impl UntrustedString {
    /// Marks `text` as taken from the input.
    pub(crate) fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The borrowed form.
    pub(crate) fn as_untrusted(&self) -> Untrusted<'_> {
        Untrusted(&self.0)
    }
}

impl fmt::Display for UntrustedString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.as_untrusted(), f)
    }
}

impl fmt::Debug for UntrustedString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.as_untrusted(), f)
    }
}

/// `text` fit to print: normalised, key-shaped data withheld, cut to `max_chars` characters.
///
/// Reads only as far into `text` as it needs: its work and memory are bounded by `max_chars`
/// (plus the invisible characters it skips), whatever the length of `text`.
pub(crate) fn quote(text: &str, max_chars: usize) -> String {
    let (chars, cut) = normalise(text, max_chars.saturating_add(LOOKAHEAD));
    let withheld = withheld_spans(&chars);
    let mut out = String::with_capacity(max_chars.min(chars.len()) + 16);
    let mut shown = 0;
    let mut index = 0;
    let mut spans = withheld.iter().peekable();
    while index < chars.len() && shown < max_chars {
        if let Some(span) = spans.next_if(|span| span.start == index) {
            let note = withheld_note(span, cut && span.end == chars.len());
            shown += note.chars().count();
            out.push_str(&note);
            index = span.end;
            continue;
        }
        // The characters up to the next withheld span, as many as the length leaves room for.
        let next = spans.peek().map_or(chars.len(), |span| span.start);
        let shown_here = (next - index).min(max_chars - shown);
        out.extend(&chars[index..index + shown_here]);
        shown += shown_here;
        index += shown_here;
    }
    if index < chars.len() || cut {
        out.push('…');
    }
    out
}

/// `text` whole, with what could change how it shows written as escapes (`\r`, `\u{1b}`,
/// `\u{202e}`): control characters, line and paragraph separators, and the invisible
/// characters [`quote`] removes. For names that must be shown as they are, such as file names;
/// other text is the same, backslashes included.
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    let hidden =
        |c: char| c.is_control() || is_invisible(c) || matches!(c, '\u{2028}' | '\u{2029}');
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// What stands in for a withheld span: its length, with `+` when the text goes on past it.
fn withheld_note(span: &Range<usize>, goes_on: bool) -> String {
    let more = if goes_on { "+" } else { "" };
    format!("[{}{more} characters withheld]", span.len())
}

/// The normalised characters of `text`, at most `limit` of them, and whether more followed.
fn normalise(text: &str, limit: usize) -> (Vec<char>, bool) {
    let mut chars = Vec::with_capacity(limit.min(text.len()));
    let mut after_control = false;
    for c in text.chars() {
        let c = if c.is_ascii_graphic() || c == ' ' {
            // Printable ASCII stays as it is (what `normalised` makes of it, sooner).
            after_control = false;
            c
        } else {
            match normalised(c, chars.last().copied(), &mut after_control) {
                Some(c) => c,
                None => continue,
            }
        };
        if chars.len() == limit {
            return (chars, true);
        }
        chars.push(c);
    }
    (chars, false)
}

/// What `c` becomes after `last` (the last character kept), or `None` when it is dropped:
/// invisible characters and combining marks on an ASCII letter or digit go, a run of control
/// characters and line or paragraph separators becomes one space, fullwidth ASCII becomes
/// ASCII and other spaces an ASCII space. `after_control` says whether the last character
/// read was a control character.
fn normalised(c: char, last: Option<char>, after_control: &mut bool) -> Option<char> {
    if is_invisible(c) || (is_combining_mark(c) && last.is_some_and(|l| l.is_ascii_alphanumeric()))
    {
        return None;
    }
    if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
        if *after_control {
            return None;
        }
        *after_control = true;
        return Some(' ');
    }
    *after_control = false;
    Some(match c {
        // Fullwidth ASCII (U+FF01–U+FF5E) is ASCII to a reader.
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => {
            ' '
        }
        c => c,
    })
}

/// Unicode format characters (general category Cf) and default-ignorable code points: they
/// are invisible, so a reader sees the text around them joined.
fn is_invisible(c: char) -> bool {
    const RANGES: &[(char, char)] = &[
        ('\u{ad}', '\u{ad}'),
        ('\u{34f}', '\u{34f}'),
        ('\u{600}', '\u{605}'),
        ('\u{61c}', '\u{61c}'),
        ('\u{6dd}', '\u{6dd}'),
        ('\u{70f}', '\u{70f}'),
        ('\u{890}', '\u{891}'),
        ('\u{8e2}', '\u{8e2}'),
        ('\u{115f}', '\u{1160}'),
        ('\u{17b4}', '\u{17b5}'),
        ('\u{180b}', '\u{180f}'),
        ('\u{200b}', '\u{200f}'),
        ('\u{202a}', '\u{202e}'),
        ('\u{2060}', '\u{206f}'),
        ('\u{3164}', '\u{3164}'),
        ('\u{fe00}', '\u{fe0f}'),
        ('\u{feff}', '\u{feff}'),
        ('\u{ffa0}', '\u{ffa0}'),
        ('\u{fff0}', '\u{fffb}'),
        ('\u{110bd}', '\u{110bd}'),
        ('\u{110cd}', '\u{110cd}'),
        ('\u{13430}', '\u{1343f}'),
        ('\u{1bca0}', '\u{1bca3}'),
        ('\u{1d173}', '\u{1d17a}'),
        ('\u{e0000}', '\u{e0fff}'),
    ];
    // Everything below U+00AD is visible or a control character.
    c >= '\u{ad}'
        && RANGES
            .binary_search_by(|&(low, high)| {
                if high < c {
                    core::cmp::Ordering::Less
                } else if low > c {
                    core::cmp::Ordering::Greater
                } else {
                    core::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

/// The combining diacritical marks blocks: marks that decorate the letter before them.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36f}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{fe20}'..='\u{fe2f}')
}

/// The spans of `chars` to withhold, sorted and disjoint.
fn withheld_spans(chars: &[char]) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    base64_spans(chars, &mut spans);
    hex_spans(chars, &mut spans);
    spans.sort_by_key(|span| span.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

fn is_base64_digit(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/')
}

/// Maximal runs of base64: base64 digits, and `=` only as the padding that ends a run (so
/// that `O=certkey` in a distinguished name is two runs, not one).
fn base64_runs(chars: &[char]) -> impl Iterator<Item = Range<usize>> + '_ {
    runs(chars, is_base64_digit).map(|run| {
        let padding = chars[run.end..].iter().take_while(|&&c| c == '=').count();
        let ends_here = !chars
            .get(run.end + padding)
            .copied()
            .is_some_and(is_base64_digit);
        run.start..if ends_here {
            run.end + padding
        } else {
            run.end
        }
    })
}

/// Maximal runs of items (characters, bytes) satisfying `belongs`, as ranges.
pub(super) fn runs<'a, T: Copy>(
    items: &'a [T],
    belongs: impl Fn(T) -> bool + 'a,
) -> impl Iterator<Item = Range<usize>> + 'a {
    let mut index = 0;
    core::iter::from_fn(move || {
        while index < items.len() && !belongs(items[index]) {
            index += 1;
        }
        if index == items.len() {
            return None;
        }
        let start = index;
        while index < items.len() && belongs(items[index]) {
            index += 1;
        }
        Some(start..index)
    })
}

/// How a piece of a base64 run reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// Shaped like key data: not a plain word, four characters or more.
    Data,
    /// A plain word of four characters or more.
    Word,
    /// Too short to tell, or digits only (numbers are judged by [`hex_spans`]).
    Neutral,
}

fn classify(piece: &[char]) -> Piece {
    if piece.len() < MIN_PIECE_CHARS || piece.iter().all(char::is_ascii_digit) {
        Piece::Neutral
    } else if is_plain_word(piece) {
        Piece::Word
    } else {
        Piece::Data
    }
}

/// How many characters of a base64 run are key-shaped, and how many are plain words. The run
/// is read in pieces between its `+`, `/` and `=` signs, so that a path or a list such as
/// `client/server/agent` reads as the words it is made of.
fn weigh(run: &[char]) -> (usize, usize) {
    let (mut data, mut words) = (0, 0);
    for piece in run.split(|&c| matches!(c, '+' | '/' | '=')) {
        match classify(piece) {
            Piece::Data => data += piece.len(),
            Piece::Word => words += piece.len(),
            Piece::Neutral => {}
        }
    }
    (data, words)
}

/// Letters only, reading as words: each a lowercase word or a capitalised one of three
/// letters or more, or an acronym of two capitals or more (`IllegalArgumentException`,
/// `SSLHandshakeException`, `internationalization`, `CERTIFICATE`). Random base64 rarely
/// reads so: most 16-character windows of a key have a digit, a sign, or a short word.
fn is_plain_word(run: &[char]) -> bool {
    reads_as(run, |capitals| capitals >= 2, |word| word.len() >= 3)
}

/// Whether `run`, letters only, reads as words: cut where a reader cuts it, into acronyms
/// (capitals; in `SSLHandshake` all but the last, which begins the word after) and words (a
/// capital or none, then lowercase letters), each acronym's length `acronym` takes and each
/// word `word` takes.
fn reads_as(run: &[char], acronym: impl Fn(usize) -> bool, word: impl Fn(&[char]) -> bool) -> bool {
    if !run.iter().all(char::is_ascii_alphabetic) {
        return false;
    }
    let mut index = 0;
    while index < run.len() {
        let capitals = run[index..]
            .iter()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        let lowers = run[index + capitals..]
            .iter()
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        let (len, ok) = match (capitals, lowers) {
            // An acronym, to the end of the run.
            (_, 0) => (capitals, acronym(capitals)),
            // A lowercase or capitalised word.
            (0 | 1, _) => (
                capitals + lowers,
                word(&run[index..index + capitals + lowers]),
            ),
            // "SSLHandshake": an acronym, then a word from its last capital on.
            _ => (capitals - 1, acronym(capitals - 1)),
        };
        if !ok {
            return false;
        }
        index += len;
    }
    true
}

/// Whether a run of base64 of [`WINDOW_CHARS`] or more reads as words, and may be shown: a path
/// or list of lowercase words and numbers (`/usr/local/share/certkey`, `000000000000/certkey`),
/// or, with no `+` or `/`, words in camel case (`IllegalArgumentException`). Anything else that
/// long is key-shaped: a digit beside letters, a padding `=`, a `+` or `/` between pieces other
/// than lowercase words or numbers, or letters that do not read as words.
fn reads_as_words(run: &[char]) -> bool {
    if run.last() == Some(&'=') {
        return false;
    }
    if run.iter().any(|&c| matches!(c, '+' | '/')) {
        run.split(|&c| matches!(c, '+' | '/')).all(|piece| {
            piece.iter().all(char::is_ascii_digit)
                || (piece.iter().all(char::is_ascii_lowercase)
                    && (piece.len() <= 3 || is_pronounceable(piece)))
        })
    } else {
        reads_as_camel_case(run)
    }
}

/// Letters only, in camel case: acronyms of two to five capitals, and words of three letters
/// or more, lowercase or capitalised, each pronounceable (`SSLHandshakeException`,
/// `getPeerCertificates`). Random base64 letters rarely do: their cases alternate, and their
/// runs of consonants are long.
fn reads_as_camel_case(run: &[char]) -> bool {
    reads_as(
        run,
        |capitals| (2..=5).contains(&capitals),
        |word| word.len() >= 3 && is_pronounceable(word),
    )
}

/// Whether a word of ASCII letters can be said: a vowel (`y` included) and no more than four
/// consonants in a row.
fn is_pronounceable(word: &[char]) -> bool {
    const MAX_CONSONANTS: usize = 4;
    let vowel = |c: &char| matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    word.iter().any(vowel)
        && word
            .split(vowel)
            .all(|consonants| consonants.len() <= MAX_CONSONANTS)
}

/// Runs of base64 that are key-shaped alone, and chains of runs that are key-shaped
/// together.
fn base64_spans(chars: &[char], spans: &mut Vec<Range<usize>>) {
    let runs: Vec<(Range<usize>, (usize, usize))> = base64_runs(chars)
        .map(|run| {
            let weight = weigh(&chars[run.clone()]);
            (run, weight)
        })
        .collect();
    for (run, (data, _)) in &runs {
        if *data >= MIN_DATA_CHARS
            || (run.len() >= WINDOW_CHARS && !reads_as_words(&chars[run.clone()]))
        {
            spans.push(run.clone());
        }
    }
    let mut chain_start = 0;
    while chain_start < runs.len() {
        let mut chain_end = chain_start + 1;
        while chain_end < runs.len()
            && runs[chain_end].0.start - runs[chain_end - 1].0.end <= MAX_GAP_CHARS
        {
            chain_end += 1;
        }
        let chain = &runs[chain_start..chain_end];
        let data: usize = chain.iter().map(|(_, (data, _))| data).sum();
        let words: usize = chain.iter().map(|(_, (_, words))| words).sum();
        if data >= MIN_DATA_CHARS && data >= words {
            // From the first key-shaped run to the last: plain words at the ends stay.
            let mut data_runs = chain
                .iter()
                .filter(|(_, (data, _))| *data > 0)
                .map(|(run, _)| run);
            if let Some(first) = data_runs.next() {
                let last = data_runs.next_back().unwrap_or(first);
                spans.push(first.start..last.end);
            }
        }
        chain_start = chain_end;
    }
    short_piece_spans(chars, &runs, spans);
}

/// Text spelt out in pieces of one to three characters, one separator apart (`M I I E p A`,
/// `\x30\x82\x04`): judged as the run its pieces make together. Prose of short words reads as
/// plain words once joined (`itisatodo`); data does not.
fn short_piece_spans(
    chars: &[char],
    runs: &[(Range<usize>, (usize, usize))],
    spans: &mut Vec<Range<usize>>,
) {
    const MIN_PIECES: usize = 6;
    let short = |index: usize| runs[index].0.len() < MIN_PIECE_CHARS;
    let mut start = 0;
    while start < runs.len() {
        if !short(start) {
            start += 1;
            continue;
        }
        let mut end = start + 1;
        while end < runs.len() && short(end) && runs[end].0.start - runs[end - 1].0.end == 1 {
            end += 1;
        }
        // Fewer than six pieces of at most three characters are under MIN_DATA_CHARS: the
        // weight would say so too, but only after joining them (a copy for every short word
        // of every quoted text).
        let pieces = &runs[start..end];
        if pieces.len() >= MIN_PIECES {
            let joined: Vec<char> = pieces
                .iter()
                .flat_map(|(run, _)| chars[run.clone()].iter().copied())
                .collect();
            if weigh(&joined).0 >= MIN_DATA_CHARS {
                spans.push(runs[start].0.start..runs[end - 1].0.end);
            }
        }
        start = end;
    }
}

/// A word of a hex chain: its span and its hex digits (without a `0x` prefix).
struct HexWord {
    span: Range<usize>,
    digits: Range<usize>,
}

fn is_hex_gap(c: char) -> bool {
    matches!(
        c,
        ' ' | ':' | '-' | ',' | ';' | '_' | '\'' | '"' | '(' | ')' | '[' | ']' | '{' | '}' | '\\'
    )
}

/// Chains of hexadecimal or decimal words that are key-shaped: DER or key integers dumped as
/// hex or decimal.
fn hex_spans(chars: &[char], spans: &mut Vec<Range<usize>>) {
    let words: Vec<HexWord> = runs(chars, |c| c.is_ascii_alphanumeric())
        .filter_map(|run| {
            let text = &chars[run.clone()];
            let prefixed = text.len() > 2 && text[0] == '0' && matches!(text[1], 'x' | 'X');
            let digits = if prefixed {
                run.start + 2..run.end
            } else {
                run.clone()
            };
            chars[digits.clone()]
                .iter()
                .all(char::is_ascii_hexdigit)
                .then_some(HexWord { span: run, digits })
        })
        .collect();
    let joined = |a: &HexWord, b: &HexWord| {
        let gap = &chars[a.span.end..b.span.start];
        !gap.is_empty() && gap.len() <= MAX_HEX_GAP_CHARS && gap.iter().all(|&c| is_hex_gap(c))
    };
    // UUIDs (8-4-4-4-12, dashes) are ids, not data: they split chains.
    let mut in_uuid = vec![false; words.len()];
    for first in 0..words.len().saturating_sub(4) {
        let group = &words[first..first + 5];
        let shaped = group
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(word, len)| word.span.len() == len && word.digits == word.span)
            && group
                .windows(2)
                .all(|pair| chars[pair[0].span.end..pair[1].span.start] == ['-']);
        if shaped {
            in_uuid[first..first + 5].fill(true);
        }
    }
    let mut start = 0;
    while start < words.len() {
        if in_uuid[start] {
            start += 1;
            continue;
        }
        let mut end = start + 1;
        while end < words.len() && !in_uuid[end] && joined(&words[end - 1], &words[end]) {
            end += 1;
        }
        let chain = &words[start..end];
        let digits = || chain.iter().flat_map(|word| &chars[word.digits.clone()]);
        let hex = digits().count();
        let decimal = digits().filter(|c| c.is_ascii_digit()).count();
        let letters = hex - decimal;
        let colons = chain.len() > 1
            && chain.windows(2).all(|pair| {
                let gap = &chars[pair[0].span.end..pair[1].span.start];
                gap.contains(&':') && gap.iter().all(|&c| c == ':' || c == ' ')
            });
        let key_shaped = (letters > 0 && decimal > 0 && hex >= MIN_HEX_DIGITS)
            || (letters == 0 && decimal >= MIN_DECIMAL_DIGITS)
            || (letters == 0 && colons && decimal >= MIN_HEX_DIGITS);
        if key_shaped {
            spans.push(chain[0].span.start..chain[chain.len() - 1].span.end);
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(text: &str) -> String {
        quote(text, 1000)
    }

    /// [`normalise`] with no shortcut for printable ASCII: every character through
    /// [`normalised`].
    fn normalise_each(text: &str, limit: usize) -> (Vec<char>, bool) {
        let mut chars = Vec::new();
        let mut after_control = false;
        for c in text.chars() {
            let Some(c) = normalised(c, chars.last().copied(), &mut after_control) else {
                continue;
            };
            if chars.len() == limit {
                return (chars, true);
            }
            chars.push(c);
        }
        (chars, false)
    }

    /// [`quote`] writing the shown text a character at a time.
    fn quote_each(text: &str, max_chars: usize) -> String {
        let (chars, cut) = normalise_each(text, max_chars.saturating_add(LOOKAHEAD));
        let withheld = withheld_spans(&chars);
        let mut out = String::new();
        let (mut shown, mut index) = (0, 0);
        while index < chars.len() && shown < max_chars {
            if let Some(span) = withheld.iter().find(|span| span.start == index) {
                let note = withheld_note(span, cut && span.end == chars.len());
                shown += note.chars().count();
                out.push_str(&note);
                index = span.end;
            } else {
                out.push(chars[index]);
                shown += 1;
                index += 1;
            }
        }
        if index < chars.len() || cut {
            out.push('…');
        }
        out
    }

    /// Text mixing printable ASCII, key-shaped runs, controls, invisible, combining,
    /// fullwidth and wide characters.
    fn mixed_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[ -~]{0,12}",
            "[A-Za-z0-9+/]{8,40}",
            "[0-9a-f:]{4,30}",
            Just("\u{200b}".to_owned()),
            Just("\u{301}".to_owned()),
            Just("\u{ff21}\u{ff11}".to_owned()),
            Just("\u{3000}\u{a0}".to_owned()),
            Just("\r\n\t\x1b\x7f".to_owned()),
            Just("é漢\u{2028}".to_owned()),
        ];
        proptest::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        /// The shortcuts (printable ASCII kept whole, shown text copied up to the next
        /// withheld span) change nothing: the same characters, the same quote, at every length.
        #[test]
        fn shortcuts_quote_as_each_character_does(text in mixed_text(), max_chars in 0usize..80) {
            let limit = max_chars.saturating_add(LOOKAHEAD);
            prop_assert_eq!(normalise(&text, limit), normalise_each(&text, limit));
            prop_assert_eq!(normalise(&text, max_chars), normalise_each(&text, max_chars));
            prop_assert_eq!(quote(&text, max_chars), quote_each(&text, max_chars));
        }
    }

    #[test]
    fn escape_writes_every_character_quote_hides_as_an_escape() {
        assert_eq!(escape("task-42.json"), "task-42.json");
        assert!(matches!(escape("a\\b é.json"), Cow::Borrowed(_)));
        assert_eq!(escape("a\rb\u{1b}[31m"), "a\\rb\\u{1b}[31m");
        assert_eq!(escape("x\u{202e}y\u{2028}z"), "x\\u{202e}y\\u{2028}z");
        // The ranges one list once lacked, each escaped.
        for c in [
            '\u{600}',
            '\u{6dd}',
            '\u{70f}',
            '\u{890}',
            '\u{8e2}',
            '\u{110bd}',
            '\u{13430}',
            '\u{1bca0}',
            '\u{1d173}',
        ] {
            assert_eq!(
                escape(&format!("a{c}b")),
                format!("a{}b", c.escape_default()),
                "{c:?}"
            );
        }
    }

    proptest! {
        /// A character quote removes as invisible (or turns into a space, as a control) is one
        /// escape shows; every other character shows as it is.
        #[test]
        fn escape_and_quote_agree_on_what_is_hidden(c in any::<char>()) {
            let hidden_by_quote = is_invisible(c) || c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
            let escaped = escape(&c.to_string()).into_owned();
            prop_assert_eq!(escaped != c.to_string(), hidden_by_quote);
            prop_assert_eq!(quote(&format!("a{c}b"), 10) != format!("a{c}b"), hidden_by_quote || is_combining_mark(c) || ('\u{ff01}'..='\u{ff5e}').contains(&c) || matches!(c, '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'));
        }
    }

    #[test]
    fn runs_of_twenty_are_withheld_unless_they_read_as_words() {
        // The review's window: a `/` between a 15-character piece and a word-like one.
        assert_eq!(q("CN=PILl64f06voBL46/GTEbk"), "CN=[21 characters withheld]");
        for data in [
            "ab+cdefghijklmnopq/rs",
            "abcdefghijklmnopqrs1",
            "MIIEowIBAAKCAQEAqrHQ",
            "usr/local/share/certkey/CA",
            "abcdefghijklmnopqrst==",
            "KWYsdsifJsrZybXDUVph",
        ] {
            assert_eq!(
                q(data),
                format!("[{} characters withheld]", data.len()),
                "{data}"
            );
        }
        for words in [
            "SSLPeerUnverifiedException",
            "getPeerCertificates",
            "/usr/local/share/certkey/ca",
            "000000000000/certkey",
            "javax/net/ssl/handshake/exception",
        ] {
            assert_eq!(q(words), words);
        }
        // Each rule at its edge: 19 characters are judged by the other rules; an acronym of
        // five capitals (not six); a word of three letters with a vowel (not without); four
        // consonants in a row (not five).
        assert_eq!(q("ab/cd/ef/gh/ij/kl1x"), "ab/cd/ef/gh/ij/kl1x");
        assert_eq!(q("ab/cd/ef/gh/ij/kl1xy"), "[20 characters withheld]");
        let words = |s: &str| reads_as_words(&s.chars().collect::<Vec<_>>());
        assert!(words("ABCDEHandshakeException") && !words("ABCDEFHandshakeException"));
        assert!(words("SSLHandshakeTheException") && !words("SSLHandshakeThxException"));
        assert!(words("SSLHandshakeStrengthException") && !words("SSLHandshakeStrngthsException"));
        assert!(words("usr/lib/ssl/certs") && !words("usr/lb/ssl/crtss/x"));
    }

    #[test]
    fn separate_runs_are_withheld_separately() {
        // Runs more than MAX_GAP_CHARS apart are not one chain.
        assert_eq!(
            q("key MIIEpAIBAAKCAQEAyR7TS01U+/ -- MIIEpAIBAAKCAQEAyR7TS01U+/ end"),
            "key [26 characters withheld] -- [26 characters withheld] end"
        );
    }

    #[test]
    fn debug_shows_the_quoted_form_owned_or_borrowed() {
        let text = "DEK-Info MIIEpAIBAAKCAQEAyR7TS01U+/ \u{1b}[31m";
        let borrowed = format!("{:?}", Untrusted::new(text));
        assert_eq!(
            borrowed,
            "Untrusted(\"DEK-Info [26 characters withheld]  [31m\")"
        );
        assert_eq!(format!("{:?}", UntrustedString::new(text)), borrowed);
    }

    #[test]
    fn control_characters_become_one_space_and_invisible_ones_go() {
        assert_eq!(quote("a\x1b[31mb\r\nc\u{202e}d\u{2066}", 100), "a [31mb cd");
        assert_eq!(q("x\u{2028}y\u{a0}z\u{3000}w"), "x y z w");
        assert_eq!(q("ＡＢＣ１２３"), "ABC123");
    }

    #[test]
    fn base64_runs_are_withheld_and_prose_is_kept() {
        assert_eq!(
            q("key MIIEpAIBAAKCAQEAyR7TS01U+/ here"),
            "key [26 characters withheld] here"
        );
        for prose in [
            "Internationalization of SMS.9004 task 3f2c0c0e-0000-4000-8000-000000000000",
            "java.lang.IllegalArgumentException: SSLHandshakeException in HttpServletRequest",
            "TARGET_MGMT_PRIVATE_KEY is missing",
            "the token expired at 2026-06-01 12:00:00 (unix 1780272000000)",
            "OID 1.2.840.113549.1.1.11 is not supported",
            "-----BEGIN CERTIFICATE-----",
            "O=certkey fixtures, CN=certkey test CA",
            "GET /v3/tasks/3f2c0c0e-0000-4000-8000-000000000000/certkey: client/server/agent",
            "denied",
        ] {
            assert_eq!(q(prose), prose);
        }
    }

    #[test]
    fn text_split_by_invisible_characters_is_judged_whole() {
        let key = "na97RxBH8q5MKlrK2A3Q4MWgH0oJDutt7fQkQ58OE1qrkyOsZwa9sZxHQ7LNakgu";
        for separator in [
            '\u{200b}',
            '\u{202e}',
            '\u{feff}',
            '\u{ad}',
            '\u{2060}',
            '\u{e0041}',
        ] {
            let split: String = key
                .chars()
                .enumerate()
                .flat_map(|(i, c)| {
                    (i > 0 && i % 15 == 0)
                        .then_some(separator)
                        .into_iter()
                        .chain([c])
                })
                .collect();
            assert_eq!(q(&split), "[64 characters withheld]", "{separator:?}");
        }
        // A combining mark on a letter hides nothing either.
        assert_eq!(
            q("na97RxBH8q5MKl\u{301}rK2A3Q4MWgH0oJ"),
            "[28 characters withheld]"
        );
    }

    #[test]
    fn base64_cut_into_short_pieces_is_withheld_as_a_chain() {
        let key = "na97RxBH8q5MKlrK2A3Q4MWgH0oJDutt7fQkQ58OE1qrkyOsZwa9sZxHQ7LNakgu";
        for separator in [" ", "\n", ", ", " - ", "."] {
            let pieces: Vec<String> = key
                .as_bytes()
                .chunks(8)
                .map(|c| String::from_utf8(c.to_vec()).unwrap())
                .collect();
            let text = format!("error: {}", pieces.join(separator));
            let quoted = q(&text);
            assert!(
                quoted.starts_with("error: [") && quoted.ends_with(" withheld]"),
                "{quoted}"
            );
        }
    }

    #[test]
    fn text_spelt_out_in_short_pieces_is_withheld_and_short_words_are_not() {
        let key = "na97RxBH8q5MKlrK2A3Q4MWgH0oJDutt";
        let spelt: Vec<String> = key.chars().map(String::from).collect();
        assert_eq!(q(&spelt.join(" ")), "[63 characters withheld]");
        let escaped: String = [0x30u8, 0x82, 0x04, 0xa3, 0x02, 0x01, 0x00, 0x02, 0x82]
            .iter()
            .map(|b| format!("\\x{b:02x}"))
            .collect();
        assert!(q(&escaped).contains("withheld"), "{}", q(&escaped));
        for prose in [
            "it is as it was, a to do list of mine",
            "I am a b c d e f g h",
        ] {
            assert_eq!(q(prose), prose);
        }
    }

    #[test]
    fn hex_and_decimal_dumps_are_withheld() {
        let colon =
            "privateExponent:\n    51:d3:1b:89:ae:b9:77:6d:8f:dc:07:00:42:43:aa:\n    68:75:92:e5";
        assert_eq!(q(colon), "privateExponent:     [61 characters withheld]");
        assert_eq!(
            q("der 308204a30201000282010100aab1d0e8 end"),
            "der [32 characters withheld] end"
        );
        assert_eq!(
            q("bytes 0x30, 0x82, 0x04, 0xa3, 0x02, 0x01"),
            "bytes [34 characters withheld]"
        );
        assert_eq!(
            q("d = 12345678901234567890123"),
            "d = [23 characters withheld]"
        );
        // Twelve decimal digits in colon-separated bytes: a window of a hex dump.
        assert_eq!(q("51:77:00:42:43:68"), "[17 characters withheld]");
        // A UUID, a date and a short hex id stay.
        for kept in [
            "task 3f2c0c0e-0000-4000-8000-000000000000 not found",
            "at 2026-06-01 12:00:00",
            "trace deadbeef",
            "port 8080:8443",
        ] {
            assert_eq!(q(kept), kept);
        }
    }

    /// The hex and decimal rule alone, at each of its edges (the other rules would withhold
    /// some of these texts too, and so hide a fault of this one).
    #[test]
    #[allow(clippy::single_range_in_vec_init)] // One span, as a list of spans.
    fn hex_spans_edges() {
        let spans = |s: &str| {
            let mut spans = Vec::new();
            hex_spans(&s.chars().collect::<Vec<_>>(), &mut spans);
            spans
        };
        // No span (typed: regex-automata, linked in by a dev-dependency, makes `[]` ambiguous).
        const NONE: [core::ops::Range<usize>; 0] = [];
        // `0x`-prefixed bytes: the prefix is not a digit, and the text before is not either.
        assert_eq!(spans("0x30, 0x82, 0x04, 0xa3, 0x02, 0x01"), [0..34]);
        assert_eq!(spans("k=0xa3, 0x02, 0x01, 0x30, 0x82, 0x04"), [2..36]);
        // A bare `0x` is no word: it does not join two short chains into a long one.
        assert_eq!(spans("a1b2c3 0x d4e5f6"), NONE);
        assert_eq!(spans("a1b2c3 d4e5f6"), [0..13]);
        // Dash-separated bytes are data; only the 8-4-4-4-12 shape is a UUID.
        assert_eq!(spans("30-82-04-a3-02-01-00-02"), [0..23]);
        assert_eq!(spans("3f2c0c0e-0000-4000-8000-000000000000"), NONE);
        // Decimal digits: sixteen are a key's integer, fifteen are not; twelve are when
        // colon-separated (a hex dump without letters), not when space-separated or alone.
        assert_eq!(spans("1234567890123456"), [0..16]);
        assert_eq!(spans("123456789012345"), NONE);
        assert_eq!(spans("51:77:00:42:43:68"), [0..17]);
        assert_eq!(spans("51: 77: 00: 42: 43: 68"), [0..22]);
        assert_eq!(spans("12 34 56 78 90 12"), NONE);
        assert_eq!(spans("id 123456789012 ok"), NONE);
        // Hex needs digits and letters both: twelve letters alone are a word, not data.
        assert_eq!(spans("deadbeefcafebabe"), NONE);
        assert_eq!(spans("deadbeefcafe1"), [0..13]);
    }

    #[test]
    fn data_straddling_the_cut_is_judged_whole() {
        let text = format!("abcd {}", "Qk1+x".repeat(30));
        assert_eq!(quote(&text, 8), "abcd [99+ characters withheld]…");
        assert!(!quote(&text, 8).contains("Qk1"));
        assert_eq!(quote(&"é".repeat(10_000_000), 3), "ééé…");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(quote("abcdef", 3), "abc…");
        assert_eq!(quote("abc", 3), "abc");
        assert_eq!(quote("ééé", 2), "éé…");
    }

    #[test]
    fn plain_words_read_as_words() {
        let plain = |s: &str| is_plain_word(&s.chars().collect::<Vec<_>>());
        for word in [
            "Internationalization",
            "IllegalArgumentException",
            "SSLHandshakeException",
            "PKIXValidatorException",
            "CERTIFICATE",
            "authorizationRequired",
        ] {
            assert!(plain(word), "{word}");
        }
        for word in ["MIIEpAIBAAKCAQEA", "abCdEfGhIj", "sha256", "xY", "AbC"] {
            assert!(!plain(word), "{word}");
        }
        // Each rule at its edge: an acronym of two capitals (not one), a word of three letters
        // (not two), an acronym of two capitals before a capitalised word (not one), and the
        // word taken from the acronym's last capital on.
        for word in ["AB", "abc", "Abc", "ABCdef", "ABCde"] {
            assert!(plain(word), "{word}");
        }
        for word in ["A", "ab", "Ab", "ABcd", "abC"] {
            assert!(!plain(word), "{word}");
        }
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // One run, as a list of runs.
    fn base64_runs_take_padding_only_at_their_end() {
        let runs = |s: &str| base64_runs(&s.chars().collect::<Vec<_>>()).collect::<Vec<_>>();
        assert_eq!(runs("QUJD=="), [0..6]);
        assert_eq!(runs("QUJDRA= x"), [0..7, 8..9]);
        // `=` followed by more base64 is a separator, as in a distinguished name.
        assert_eq!(runs("O=certkey"), [0..1, 2..9]);
        assert_eq!(runs("QU==x"), [0..2, 4..5]);
        assert_eq!(runs(" ,QU"), [2..4]);
    }

    #[test]
    fn runs_are_weighed_as_data_and_words_in_pieces() {
        let weigh = |s: &str| weigh(&s.chars().collect::<Vec<_>>());
        assert_eq!(weigh("client/server/agent"), (0, 17));
        assert_eq!(weigh("MIIEpAIBAAKCAQEA"), (16, 0));
        assert_eq!(weigh("MIIEpAIBAAKCAQEA/certificate+ab=1234"), (16, 11));
    }

    #[test]
    fn untrusted_text_prints_only_quoted() {
        let text = Untrusted::new("k\u{200b}MIIEpAIBAAKCAQEAyR7T");
        assert_eq!(text.to_string(), "[21 characters withheld]");
        assert_eq!(
            format!("{text:?}"),
            "Untrusted(\"[21 characters withheld]\")"
        );
        let owned = UntrustedString::new(text.unquoted());
        assert_eq!(owned.to_string(), text.to_string());
    }
}
