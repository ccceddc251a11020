//! Finding a map's expressions in its file, for problems found later than `check` (an
//! expression that reads a column the data does not have is only known when data is read).

use trailmap_diag::Span;

use crate::expr_pos;
use crate::yaml::{self, Node, NodeKind, PathPart};

/// Which expression of a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExprKind {
    StepMatch,
    StepFeedback,
    PersonaRule,
    Outcome,
}

/// The span of the expression `kind` of the step, persona or outcome called `owner`; when
/// `word` is given and occurs in the expression as a whole word, the span of that word.
pub fn locate_expression(
    text: &str,
    kind: ExprKind,
    owner: &str,
    word: Option<&str>,
) -> Option<Span> {
    let root = yaml::parse(text, &mut Vec::new()).ok()??;
    let node = match kind {
        ExprKind::StepMatch | ExprKind::StepFeedback => {
            let key = if kind == ExprKind::StepMatch {
                "match"
            } else {
                "feedback"
            };
            find_in_list(&root, &[PathPart::Key("stages")], Some("steps"), owner)?
                .get(key)
                .map(|e| e.value.clone())?
        }
        ExprKind::PersonaRule => find_in_list(&root, &[PathPart::Key("personas")], None, owner)?
            .get("rule")
            .map(|e| e.value.clone())?,
        ExprKind::Outcome => root
            .at(&[PathPart::Key("outcomes"), PathPart::Key(owner)])?
            .clone(),
    };
    let NodeKind::Scalar { value, style } = &node.kind else {
        return Some(node.span);
    };
    let Some(word) = word else {
        return Some(node.span);
    };
    let at = find_word(value, word)?;
    Some(expr_pos::map_range(
        text,
        node.span,
        *style,
        value,
        at,
        at + word.len(),
    ))
}

/// The mapping with `id: owner` in the list at `path` (or, with `nested`, in the lists under
/// `nested` of each item of that list: stages → steps).
fn find_in_list(
    root: &Node,
    path: &[PathPart<'_>],
    nested: Option<&str>,
    owner: &str,
) -> Option<Node> {
    let NodeKind::Seq(items) = &root.at(path)?.kind else {
        return None;
    };
    for item in items {
        match nested {
            Some(key) => {
                let Some(entry) = item.get(key) else { continue };
                if let Some(found) = find_in_list(&entry.value, &[], None, owner) {
                    return Some(found);
                }
            }
            None => {
                if item.get("id").and_then(|e| e.value.as_scalar()) == Some(owner) {
                    return Some(item.clone());
                }
            }
        }
    }
    None
}

/// Byte offset of `word` in `text` where it stands alone (not part of a longer name).
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(found) = text[from..].find(word) {
        let at = from + found;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(is_name) && !after.is_some_and(is_name) {
            return Some(at);
        }
        from = at + word.len().max(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_column_inside_the_match() {
        let text = "stages:\n  - id: s\n    steps:\n      - id: a\n        match: \"event = 'x' AND chanel = 'web'\"\noutcomes:\n  churn: \"evt = 'c'\"\n";
        let span = locate_expression(text, ExprKind::StepMatch, "a", Some("chanel")).unwrap();
        assert_eq!(&text[span.start..span.end], "chanel");
        let span = locate_expression(text, ExprKind::Outcome, "churn", Some("evt")).unwrap();
        assert_eq!(&text[span.start..span.end], "evt");
        assert!(locate_expression(text, ExprKind::StepMatch, "nope", None).is_none());
    }
}
