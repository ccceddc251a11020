//! Positions inside a YAML scalar's value, mapped back to the file.
//!
//! A `match: "event = 'a' AND x"` problem at byte 16 of the *value* must be shown at the right
//! column of the *file*, although quotes, escapes (`\"`, `''`) and folded lines make the value
//! and its source text differ. We align the two greedily: each character of the value is the
//! next equal character of the source, and source characters that produce nothing in the value
//! (the opening quote, an escape's backslash, indentation of a continuation line) are skipped.
//! Where the alignment fails (an escape like `\n` whose source differs from its value), the
//! position falls back to the scalar's start, which is still the right line.

use trailmap_diag::Span;

use crate::yaml::Style;

/// The file span of `value[start..end]`, for a scalar written as `text[scalar.start..scalar.end]`.
pub(crate) fn map_range(
    text: &str,
    scalar: Span,
    style: Style,
    value: &str,
    start: usize,
    end: usize,
) -> Span {
    let source = text.get(scalar.start..scalar.end).unwrap_or_default();
    let skip = usize::from(matches!(style, Style::SingleQuoted | Style::DoubleQuoted));
    let begin = map_offset(source, skip, value, start).map(|o| scalar.start + o);
    let finish = if end > start {
        // Map the last character of the range and extend past it.
        let last = value[..end]
            .char_indices()
            .next_back()
            .map_or(start, |(i, _)| i);
        map_offset(source, skip, value, last).map(|o| {
            let ch_len = source[o..].chars().next().map_or(0, char::len_utf8);
            scalar.start + o + ch_len
        })
    } else {
        begin
    };
    match (begin, finish) {
        (Some(b), Some(f)) if f >= b => Span::new(b, f),
        (Some(b), _) => Span::new(b, b),
        _ => scalar,
    }
}

fn map_offset(source: &str, skip_bytes: usize, value: &str, target: usize) -> Option<usize> {
    let mut source_chars = source.char_indices().skip(skip_bytes).peekable();
    for (value_idx, value_ch) in value.char_indices() {
        loop {
            let (source_idx, source_ch) = source_chars.next()?;
            if source_ch == value_ch {
                if value_idx == target {
                    return Some(source_idx);
                }
                break;
            }
        }
    }
    // `target` is the end of the value.
    let (source_idx, _) = source_chars.next()?;
    (target == value.len()).then_some(source_idx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, style: Style, value: &str, needle: &str) -> String {
        let start = text
            .find(['"', '\''])
            .filter(|_| style != Style::Plain)
            .unwrap_or(text.find(": ").unwrap() + 2);
        let scalar = Span::new(start, text.len());
        let at = value.find(needle).unwrap();
        let span = map_range(text, scalar, style, value, at, at + needle.len());
        text[span.start..span.end].to_owned()
    }

    #[test]
    fn plain_and_quoted() {
        assert_eq!(
            check(
                "match: event = x AND y",
                Style::Plain,
                "event = x AND y",
                "AND"
            ),
            "AND"
        );
        assert_eq!(
            check(
                "match: \"event = 'a' AND b\"",
                Style::DoubleQuoted,
                "event = 'a' AND b",
                "AND"
            ),
            "AND"
        );
        assert_eq!(
            check(
                "match: 'event = ''a'' AND b'",
                Style::SingleQuoted,
                "event = 'a' AND b",
                "AND"
            ),
            "AND"
        );
        assert_eq!(
            check(
                "match: \"x = \\\"q\\\" AND b\"",
                Style::DoubleQuoted,
                "x = \"q\" AND b",
                "AND"
            ),
            "AND"
        );
    }

    #[test]
    fn folded_lines() {
        let text = "match: >\n      event = 'a'\n      AND bad\n";
        let start = text.find("event").unwrap();
        let value = "event = 'a' AND bad\n";
        let at = value.find("bad").unwrap();
        let span = map_range(
            text,
            Span::new(start, text.len()),
            Style::Folded,
            value,
            at,
            at + 3,
        );
        assert_eq!(&text[span.start..span.end], "bad");
    }
}
