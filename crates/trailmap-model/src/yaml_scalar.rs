//! How Trailmap writes a string as a YAML scalar when it writes a map file (the structured
//! editor, `trailmap draft`): the double-quoted form, which every YAML 1.2 reader reads back
//! as exactly the same text, whatever the text holds.

use std::fmt::Write as _;

/// Characters that YAML cannot hold literally (outside `c-printable`), or that some readers take
/// as line breaks or a byte-order mark; written as `\uXXXX` escapes.
pub fn needs_escape(c: char) -> bool {
    let code = c as u32;
    match c {
        '\t' | '\n' => false,
        '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => true,
        _ => {
            code < 0x20
                || (0x7f..=0x9f).contains(&code)
                || (0xd800..=0xdfff).contains(&code)
                || code == 0xfffe
                || code == 0xffff
        }
    }
}

/// Appends `text` as a double-quoted scalar: `"` and `\` escaped, newlines, tabs and carriage
/// returns as `\n`, `\t`, `\r`, and every character of [`needs_escape`] as `\uXXXX`.
pub fn push_double_quoted(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `text` as a double-quoted scalar (see [`push_double_quoted`]).
pub fn double_quoted(text: &str) -> String {
    let mut out = String::new();
    push_double_quoted(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::double_quoted;

    #[test]
    fn quotes_escape_what_yaml_cannot_hold() {
        assert_eq!(double_quoted("plain"), "\"plain\"");
        assert_eq!(double_quoted("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(double_quoted("l1\nl2\tx\r"), r#""l1\nl2\tx\r""#);
        assert_eq!(
            double_quoted("\u{0}\u{7f}\u{85}\u{2028}\u{feff}"),
            r#""\u0000\u007f\u0085\u2028\ufeff""#
        );
        // Everything else printable stays as it is.
        assert_eq!(double_quoted("é ✓ 😀 #: - ?"), "\"é ✓ 😀 #: - ?\"");
    }
}
