//! Escaping of user text for HTML and SVG/XML, in text and in quoted-attribute contexts.
//!
//! One escaper serves every context we write: it replaces `&`, `<`, `>`, `"` and `'`, which is
//! enough for element content and for attribute values in double or single quotes, in both HTML
//! and XML. It also replaces characters that XML forbids (C0 controls other than tab, newline
//! and carriage return, and the non-characters U+FFFE/U+FFFF) with U+FFFD, because a single
//! such character would make a standalone SVG file ill-formed and unreadable.
//!
//! We never write user text into a script, a style sheet, a URL or an unquoted attribute, so
//! no other context needs an escaper.

use std::fmt;

/// User text, escaped when displayed. `write!(out, "<p>{}</p>", Esc(text))`.
#[derive(Clone, Copy)]
pub(crate) struct Esc<'a>(pub(crate) &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut start = 0;
        for (idx, c) in text.char_indices() {
            let replacement = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '\t' | '\n' | '\r' => continue,
                c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{fffe}' || c == '\u{ffff}' => {
                    "\u{fffd}"
                }
                _ => continue,
            };
            f.write_str(&text[start..idx])?;
            f.write_str(replacement)?;
            start = idx + c.len_utf8();
        }
        f.write_str(&text[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escape(text: &str) -> String {
        Esc(text).to_string()
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(
            escape(r#""><img src=x onerror=alert(1)>"#),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
    }

    #[test]
    fn keeps_unicode_and_whitespace() {
        let text = "שלום עולם 👩‍👩‍👧 café\tline\nnext";
        assert_eq!(escape(text), text);
    }

    #[test]
    fn replaces_characters_xml_forbids() {
        assert_eq!(
            escape("a\u{1}b\u{0}c\u{7f}\u{ffff}"),
            "a\u{fffd}b\u{fffd}c\u{fffd}\u{fffd}"
        );
    }
}
