//! Text layout for SVG, which cannot wrap text by itself: width estimates, wrapping, and
//! truncation with an ellipsis.
//!
//! We cannot measure glyphs (no font files, no IO), so widths are estimated per character
//! from the proportions of common sans-serif fonts, erring wide: a line we think fits must
//! really fit, even in DejaVu Sans, the widest usual fallback. The price is a little unused
//! space at the end of some lines.

/// A text style: font size in user units, and whether it is bold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Font {
    pub(crate) size: f64,
    pub(crate) bold: bool,
}

impl Font {
    pub(crate) const fn new(size: f64) -> Font {
        Font { size, bold: false }
    }

    pub(crate) const fn bold(size: f64) -> Font {
        Font { size, bold: true }
    }

    /// The distance between baselines.
    pub(crate) fn line_height(self) -> f64 {
        (self.size * 1.38).round()
    }
}

/// Text broken into lines that fit a width.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Wrapped {
    pub(crate) lines: Vec<String>,
    /// Whether text was cut to respect the line limit (the last line ends with `…`).
    pub(crate) truncated: bool,
}

impl Wrapped {
    pub(crate) fn height(&self, font: Font) -> f64 {
        self.lines.len() as f64 * font.line_height()
    }
}

/// Estimated advance of one grapheme cluster, in ems.
fn cluster_em(cluster: &str) -> f64 {
    let Some(c) = cluster.chars().next() else {
        return 0.0;
    };
    match c {
        ' ' => 0.32,
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | '`' | 'I' => 0.34,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '"' => 0.45,
        'm' | 'w' => 0.92,
        'M' | 'W' | '@' | '%' => 1.0,
        'A'..='Z' => 0.74,
        '0'..='9' => 0.64,
        c if c.is_ascii() => 0.62,
        // Hebrew, Arabic and other alphabetic scripts run about as wide as Latin.
        '\u{0080}'..='\u{10ff}' => 0.68,
        // Emoji and pictographs are drawn square and a little wide.
        '\u{1f000}'..='\u{1faff}' | '\u{2600}'..='\u{27bf}' => 1.25,
        // CJK, Hangul, fullwidth forms and everything else we know less about: one em.
        _ => 1.05,
    }
}

/// Whether `c` continues the grapheme cluster before it rather than starting a new one.
fn joins_previous(c: char, previous: Option<char>) -> bool {
    matches!(c,
        '\u{200d}'                      // zero-width joiner
        | '\u{fe00}'..='\u{fe0f}'       // variation selectors
        | '\u{0300}'..='\u{036f}'       // combining diacritics
        | '\u{0591}'..='\u{05c7}'       // Hebrew points
        | '\u{064b}'..='\u{065f}'       // Arabic marks
        | '\u{1f3fb}'..='\u{1f3ff}'     // skin tones
        | '\u{e0020}'..='\u{e007f}'     // tag sequences
    ) || previous == Some('\u{200d}')
}

/// Splits text into grapheme-like clusters, enough to never cut an emoji sequence or a
/// combining mark from its base. Regional-indicator pairs (flags) stay together.
fn clusters(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut previous: Option<char> = None;
    let mut flag_half = false;
    for (idx, c) in text.char_indices() {
        let regional = ('\u{1f1e6}'..='\u{1f1ff}').contains(&c);
        let joins = idx > 0 && (joins_previous(c, previous) || (regional && flag_half));
        if idx > 0 && !joins {
            out.push(&text[start..idx]);
            start = idx;
        }
        flag_half = regional && !(joins && flag_half);
        previous = Some(c);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The estimated width of `text` in `font`.
pub(crate) fn width(text: &str, font: Font) -> f64 {
    let em: f64 = clusters(text).into_iter().map(cluster_em).sum();
    em * font.size * if font.bold { 1.07 } else { 1.0 }
}

const ELLIPSIS: &str = "\u{2026}";

/// Wraps `text` into lines no wider than `max_width`, at most `max_lines` of them. Words
/// longer than a line are broken between clusters. Whitespace runs (newlines too) count as
/// one space.
pub(crate) fn wrap(text: &str, font: Font, max_width: f64, max_lines: usize) -> Wrapped {
    let max_lines = max_lines.max(1);
    let space = width(" ", font);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_w = 0.0;
    for word in text.split_whitespace() {
        let word_w = width(word, font);
        if !line.is_empty() && line_w + space + word_w <= max_width {
            line.push(' ');
            line.push_str(word);
            line_w += space + word_w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if word_w <= max_width {
            line.push_str(word);
            line_w = word_w;
            continue;
        }
        // A word wider than the cell: break it wherever the width runs out.
        line_w = 0.0;
        for cluster in clusters(word) {
            let w = width(cluster, font);
            if !line.is_empty() && line_w + w > max_width {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            line.push_str(cluster);
            line_w += w;
        }
        if lines.len() > max_lines {
            break;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() <= max_lines {
        return Wrapped {
            lines,
            truncated: false,
        };
    }
    lines.truncate(max_lines);
    let ellipsis_w = width(ELLIPSIS, font);
    if let Some(last) = lines.last_mut() {
        let mut kept = String::new();
        let mut kept_w = 0.0;
        for cluster in clusters(last) {
            let w = width(cluster, font);
            if kept_w + w + ellipsis_w > max_width {
                break;
            }
            kept.push_str(cluster);
            kept_w += w;
        }
        *last = format!("{}{ELLIPSIS}", kept.trim_end());
    }
    Wrapped {
        lines,
        truncated: true,
    }
}

/// Whether the first strongly directional character of `text` is right-to-left, so the
/// text should be set from the right edge.
pub(crate) fn is_rtl(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(|c| {
            matches!(c, '\u{0590}'..='\u{08ff}' | '\u{fb1d}'..='\u{fdff}' | '\u{fe70}'..='\u{feff}')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Font = Font::new(13.0);

    #[test]
    fn wraps_between_words() {
        let wrapped = wrap("Reads reviews and compares delivery times", BODY, 120.0, 5);
        assert!(wrapped.lines.len() > 1 && !wrapped.truncated);
        for line in &wrapped.lines {
            assert!(width(line, BODY) <= 120.0, "{line}");
        }
        assert_eq!(
            wrapped.lines.join(" "),
            "Reads reviews and compares delivery times"
        );
    }

    #[test]
    fn truncates_with_an_ellipsis() {
        let long = "word ".repeat(400);
        let wrapped = wrap(&long, BODY, 200.0, 3);
        assert_eq!(wrapped.lines.len(), 3);
        assert!(wrapped.truncated);
        assert!(wrapped.lines[2].ends_with('\u{2026}'));
        assert!(width(&wrapped.lines[2], BODY) <= 200.0);
    }

    #[test]
    fn breaks_unbroken_strings_but_not_emoji() {
        let wrapped = wrap(&"x".repeat(2_000), BODY, 200.0, 4);
        assert!(wrapped.truncated && wrapped.lines.len() == 4);
        assert!(wrapped.lines.iter().all(|l| width(l, BODY) <= 200.0));
        let family = "👩‍👩‍👧‍👦".repeat(30);
        let wrapped = wrap(&family, BODY, 100.0, 50);
        // A family emoji is 7 chars (4 people, 3 joiners); lines never split one.
        assert!(
            wrapped.lines.iter().all(|l| l.chars().count() % 7 == 0),
            "{wrapped:?}"
        );
        for line in &wrapped.lines {
            assert!(
                !line.starts_with('\u{200d}') && !line.ends_with('\u{200d}'),
                "{line:?}"
            );
        }
        assert_eq!(clusters("🇩🇪🇫🇷"), vec!["🇩🇪", "🇫🇷"]);
        assert_eq!(clusters("é👍🏽a"), vec!["é", "👍🏽", "a"]);
    }

    #[test]
    fn finds_right_to_left_text() {
        assert!(is_rtl("שלום עולם"));
        assert!(is_rtl("  123 مرحبا"));
        assert!(!is_rtl("Hello שלום"));
    }
}
