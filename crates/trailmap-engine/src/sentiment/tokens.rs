//! VADER's tokenizer (`SentiText` in Python), with the Python string semantics it relies on:
//! `str.split()` whitespace, `str.strip(string.punctuation)`, `str.lower()` and `str.isupper()`.
//!
//! Every word's lowercase form is written into one shared buffer, and the buffers are reused
//! from text to text, so tokenizing allocates nothing once they have grown.

use std::ops::Range;

use super::lexicon::{Entry, Lexicons};

/// One word of the text, with everything the rules ask about it worked out once.
pub(super) struct Word {
    /// Where the word's lowercase form is in [`Words::lower`].
    lower: Range<usize>,
    /// Valence and booster increment from the lexicons, if any.
    pub(super) entry: Entry,
    /// Python's `word.isupper()` on the word as written.
    pub(super) is_upper: bool,
    /// Python's `negated([word])`: in `NEGATE`, or contains "n't".
    pub(super) is_negation: bool,
}

/// The words of a text (`SentiText.words_and_emoticons`) and `SentiText.is_cap_diff`.
#[derive(Default)]
pub(super) struct Words {
    pub(super) words: Vec<Word>,
    lower: String,
    /// Some but not all words are in ALL CAPS.
    pub(super) is_cap_diff: bool,
}

impl Words {
    /// Replaces the words with those of `text`, keeping the buffers.
    pub(super) fn fill(&mut self, text: &str, lexicons: &Lexicons) {
        self.words.clear();
        self.lower.clear();
        let mut n_upper = 0;
        for token in (PythonSplit { rest: text }) {
            let token = strip_punctuation_if_word(token);
            let start = self.lower.len();
            push_lowercase(&mut self.lower, token);
            let word_lower = self.lower.get(start..).unwrap_or("");
            let entry = lexicons.words.get(word_lower).copied().unwrap_or_default();
            let is_upper = is_python_upper(token);
            n_upper += usize::from(is_upper);
            self.words.push(Word {
                is_negation: entry.is_negation || contains_nt(word_lower),
                entry,
                is_upper,
                lower: start..self.lower.len(),
            });
        }
        self.is_cap_diff = 0 < n_upper && n_upper < self.words.len();
    }

    /// Memory kept for the next text, in bytes.
    pub(super) fn retained_bytes(&self) -> usize {
        self.words.capacity() * size_of::<Word>() + self.lower.capacity()
    }

    pub(super) fn len(&self) -> usize {
        self.words.len()
    }

    /// The lowercase form of word `idx`, or "" past the end (the rules check bounds first, as in
    /// Python, so that case never arises; it keeps an indexing slip from becoming a panic).
    pub(super) fn lower(&self, idx: usize) -> &str {
        self.words
            .get(idx)
            .and_then(|word| self.lower.get(word.lower.clone()))
            .unwrap_or("")
    }

    pub(super) fn in_lexicon(&self, idx: usize) -> bool {
        self.words
            .get(idx)
            .is_some_and(|word| word.entry.valence.is_some())
    }
}

/// Python's `text.split()`: the non-empty runs between [`is_python_space`] characters.
struct PythonSplit<'a> {
    rest: &'a str,
}

impl<'a> Iterator for PythonSplit<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let start = self.rest.len() - self.rest.trim_start_matches(is_python_space).len();
        let rest = self.rest.get(start..).unwrap_or("");
        let end = rest.find(is_python_space).unwrap_or(rest.len());
        let (token, after) = rest.split_at(end);
        self.rest = after;
        (!token.is_empty()).then_some(token)
    }
}

/// `"n't" in word`.
fn contains_nt(lower: &str) -> bool {
    lower.as_bytes().windows(3).any(|window| window == b"n't")
}

/// Python's `str.isspace()` for one character, which `str.split()` splits on: Unicode
/// `White_Space` plus the four ASCII separators U+001C..U+001F.
pub(super) fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `SentiText._strip_punc_if_word`: strips leading and trailing ASCII punctuation
/// (`string.punctuation`), unless that leaves two characters or fewer ("likely an emoticon"),
/// in which case the token is kept as it is.
fn strip_punctuation_if_word(token: &str) -> &str {
    // ASCII bytes never occur inside a multi-byte character, so trimming bytes keeps `stripped`
    // on character boundaries.
    let bytes = token.as_bytes();
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_punctuation())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_punctuation())
        .map_or(start, |idx| idx + 1);
    let stripped = token.get(start..end).unwrap_or(token);
    if stripped.chars().nth(2).is_none() {
        token
    } else {
        stripped
    }
}

/// Appends Python's `token.lower()` to `out`.
///
/// Lowercasing goes code point by code point, without the final-sigma rule Python applies to
/// 'Σ'. That only changes non-ASCII output, and every lexicon entry that can match a lowercase
/// word is ASCII, so no lookup or comparison can tell the difference.
fn push_lowercase(out: &mut String, token: &str) {
    if token.is_ascii() {
        let start = out.len();
        out.push_str(token);
        if let Some(pushed) = out.get_mut(start..) {
            pushed.make_ascii_lowercase();
        }
    } else {
        out.extend(token.chars().flat_map(char::to_lowercase));
    }
}

/// Python's `str.isupper()`: no lowercase or titlecase character, and at least one uppercase.
fn is_python_upper(token: &str) -> bool {
    if token.is_ascii() {
        let bytes = token.as_bytes();
        return !bytes.iter().any(u8::is_ascii_lowercase)
            && bytes.iter().any(u8::is_ascii_uppercase);
    }
    let mut has_upper = false;
    for c in token.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        has_upper |= c.is_uppercase();
    }
    has_upper
}

/// Unicode general category Lt, which Rust's standard library does not expose.
fn is_titlecase(c: char) -> bool {
    matches!(
        c,
        '\u{1c5}'
            | '\u{1c8}'
            | '\u{1cb}'
            | '\u{1f2}'
            | '\u{1f88}'..='\u{1f8f}'
            | '\u{1f98}'..='\u{1f9f}'
            | '\u{1fa8}'..='\u{1faf}'
            | '\u{1fbc}'
            | '\u{1fcc}'
            | '\u{1ffc}'
    )
}
