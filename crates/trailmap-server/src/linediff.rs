//! A line diff of two texts (longest common subsequence), for the YAML of two versions.
//!
//! The map diff (`trailmap_render::diff`, as `trailmap diff`) says what changed in the journey;
//! this says which lines of the file changed, which is what someone merging by hand needs.

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Line<'a> {
    Same(&'a str),
    Removed(&'a str),
    Added(&'a str),
}

/// Texts with more lines than this are not diffed line by line (the table would be too big).
const MAX_LINES: usize = 4000;

/// The lines of `a` and `b` as a diff; `None` when either is too long to diff.
pub(crate) fn diff<'a>(a: &'a str, b: &'a str) -> Option<Vec<Line<'a>>> {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    // Common head and tail first: most edits touch a few lines, so the table stays small.
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    if a_mid.len() > MAX_LINES || b_mid.len() > MAX_LINES {
        return None;
    }
    let (n, m) = (a_mid.len(), b_mid.len());
    // lcs[i][j]: length of the LCS of a_mid[i..] and b_mid[j..].
    let mut lcs = vec![0u16; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if a_mid[i] == b_mid[j] {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let mut out: Vec<Line<'a>> = a[..head].iter().map(|l| Line::Same(l)).collect();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a_mid[i] == b_mid[j] {
            out.push(Line::Same(a_mid[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
            // Removed lines first, as `diff -u` shows them.
            out.push(Line::Removed(a_mid[i]));
            i += 1;
        } else {
            out.push(Line::Added(b_mid[j]));
            j += 1;
        }
    }
    out.extend(a[a.len() - tail..].iter().map(|l| Line::Same(l)));
    Some(out)
}

/// The diff in unified style with `context` unchanged lines around each change.
pub(crate) fn unified(lines: &[Line<'_>], context: usize) -> String {
    let changed: Vec<bool> = lines.iter().map(|l| !matches!(l, Line::Same(_))).collect();
    let near = |idx: usize| {
        let lo = idx.saturating_sub(context);
        let hi = (idx + context + 1).min(lines.len());
        changed[lo..hi].iter().any(|&c| c)
    };
    let mut out = String::new();
    let mut skipped = false;
    for (idx, line) in lines.iter().enumerate() {
        if !near(idx) {
            skipped = true;
            continue;
        }
        if skipped {
            out.push_str("…\n");
            skipped = false;
        }
        let (mark, text) = match line {
            Line::Same(t) => (' ', t),
            Line::Removed(t) => ('-', t),
            Line::Added(t) => ('+', t),
        };
        out.push(mark);
        out.push(' ');
        out.push_str(text);
        out.push('\n');
    }
    if out.is_empty() {
        out.push_str("(no line changed)\n");
    }
    out
}

/// The line diff of two versions of a map for people: when both parse, their texts are first
/// written in the normal layout (`yaml_write`), so a version that only reformatted the file
/// (the structured editor's first save) shows its real changes rather than every line; the raw
/// texts are compared when that is smaller or a text does not parse. Returns the unified diff
/// and whether the normal layout was used.
pub(crate) fn map_text_diff(a: &str, b: &str, context: usize) -> (String, bool) {
    let raw = diff(a, b).map(|d| unified(&d, context));
    let normal = |t: &str| {
        trailmap_check::parse(t)
            .map
            .map(|m| crate::yaml_write::map_to_yaml(&m, ""))
    };
    let normalized = match (normal(a), normal(b)) {
        (Some(x), Some(y)) => diff(&x, &y).map(|d| unified(&d, context)),
        _ => None,
    };
    let changed = |t: &String| t.lines().filter(|l| l.starts_with(['+', '-'])).count();
    match (raw, normalized) {
        (Some(r), Some(n)) if changed(&n) < changed(&r) => (n, true),
        (Some(r), _) => (r, false),
        (None, Some(n)) => (n, true),
        (None, None) => ("(too large to compare line by line)\n".to_owned(), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_added_removed_and_kept_lines() {
        let d = diff("a\nb\nc\nd\n", "a\nx\nc\nd\ne\n").unwrap();
        assert_eq!(
            d,
            vec![
                Line::Same("a"),
                Line::Removed("b"),
                Line::Added("x"),
                Line::Same("c"),
                Line::Same("d"),
                Line::Added("e"),
            ]
        );
        let text = unified(&d, 0);
        assert_eq!(text, "…\n- b\n+ x\n…\n+ e\n");
        assert_eq!(
            unified(&diff("same\n", "same\n").unwrap(), 3),
            "(no line changed)\n"
        );
    }

    #[test]
    fn a_reformatted_map_shows_only_its_real_change() {
        let text = include_str!("../../../examples/online-retail-purchase.yaml");
        let mut map = trailmap_check::parse(text).map.unwrap();
        map.journey.name = "Renamed".to_owned();
        let rewritten = crate::yaml_write::map_to_yaml(&map, "");
        let (lines, normal) = map_text_diff(text, &rewritten, 0);
        assert!(normal);
        assert_eq!(
            lines.lines().filter(|l| l.starts_with(['+', '-'])).count(),
            2,
            "{lines}"
        );
        assert!(lines.contains("+   name: Renamed"), "{lines}");
    }
}
