//! YAML text to a tree of nodes that remember where they came from.
//!
//! `serde_yaml`-style deserializers forget positions once parsing succeeds, and the checker
//! needs the exact span of every key and value to point at semantic problems (an unknown
//! persona id, a bad expression inside a string). So we build our own small tree from the
//! event stream of `saphyr-parser`, a YAML 1.2 parser that reports a span for every event.
//!
//! Hostile input is bounded here: nesting deeper than [`MAX_DEPTH`] and alias expansion beyond
//! [`MAX_ALIAS_NODES`] nodes (the "billion laughs" attack) are errors, never a stack overflow or
//! an out-of-memory.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};
use trailmap_diag::{Diagnostic, Span};

use crate::codes;

/// Maps and lists nest at most this deep; a journey map needs about eight levels.
pub(crate) const MAX_DEPTH: usize = 64;
/// Aliases may copy at most this many nodes in all.
pub(crate) const MAX_ALIAS_NODES: usize = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    pub(crate) span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NodeKind {
    Scalar { value: String, style: Style },
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub(crate) key: Node,
    pub(crate) value: Node,
}

/// How a scalar was written, which decides its type (plain `12` is a number, `"12"` a string)
/// and how its characters map back to the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

impl Node {
    /// The key's text, when this node is a scalar.
    pub(crate) fn as_scalar(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The value under `key`, when this node is a mapping that has it. When a key is repeated
    /// (an error reported on its own), the last one counts, as it does in the typed map.
    pub(crate) fn get(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .rev()
                .find(|e| e.key.as_scalar() == Some(key)),
            _ => None,
        }
    }

    /// The node at `path` (keys and list indices) below this one.
    pub(crate) fn at(&self, path: &[PathPart<'_>]) -> Option<&Node> {
        let mut node = self;
        for part in path {
            node = match (part, &node.kind) {
                (PathPart::Key(key), NodeKind::Map(_)) => &node.get(key)?.value,
                (PathPart::Index(idx), NodeKind::Seq(items)) => items.get(*idx)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The key node of the last path part, when it is a key (for "unknown key" style spans).
    pub(crate) fn key_at(&self, path: &[PathPart<'_>]) -> Option<&Node> {
        let (last, parent) = path.split_last()?;
        match last {
            PathPart::Key(key) => Some(&self.at(parent)?.get(key)?.key),
            PathPart::Index(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathPart<'a> {
    Key(&'a str),
    Index(usize),
}

/// Converts the parser's character indices to byte offsets.
///
/// The parser reports positions in characters. For ASCII text they are byte offsets already;
/// otherwise a cursor walks the text from the last position asked for, which is cheap because
/// the parser's positions mostly move forward (a table of every character's offset would cost
/// eight bytes per character of the file).
struct Offsets<'t> {
    text: &'t str,
    ascii: bool,
    char_idx: usize,
    byte_idx: usize,
}

impl<'t> Offsets<'t> {
    fn new(text: &'t str) -> Offsets<'t> {
        Offsets {
            text,
            ascii: text.is_ascii(),
            char_idx: 0,
            byte_idx: 0,
        }
    }

    fn byte(&mut self, char_idx: usize) -> usize {
        if self.ascii {
            return char_idx.min(self.text.len());
        }
        if char_idx < self.char_idx / 2 {
            // Far back: starting over is quicker than walking back.
            self.char_idx = 0;
            self.byte_idx = 0;
        }
        while self.char_idx < char_idx {
            match self.text[self.byte_idx..].chars().next() {
                Some(ch) => {
                    self.byte_idx += ch.len_utf8();
                    self.char_idx += 1;
                }
                None => break,
            }
        }
        while self.char_idx > char_idx {
            match self.text[..self.byte_idx].chars().next_back() {
                Some(ch) => {
                    self.byte_idx -= ch.len_utf8();
                    self.char_idx -= 1;
                }
                None => break,
            }
        }
        self.byte_idx
    }

    fn span(&mut self, span: saphyr_parser::Span) -> Span {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        Span::new(start, end)
    }
}

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<Entry>,
        pending_key: Option<Node>,
    },
}

/// Parses `text` into one document's root node. `Err` holds the syntax error; other problems
/// found while building the tree (duplicate keys, non-scalar keys) are pushed to `diagnostics`.
pub(crate) fn parse(
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Option<Node>, Diagnostic> {
    let mut offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut alias_budget = MAX_ALIAS_NODES;
    let mut root: Option<Node> = None;
    let mut n_documents = 0;

    while let Some(next) = parser.next_event() {
        let (event, raw_span) = next.map_err(|e| syntax_error(text, &mut offsets, &e))?;
        let span = offsets.span(raw_span);
        let node = match event {
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                n_documents += 1;
                if n_documents > 1 {
                    return Err(Diagnostic::error(
                        codes::YAML_SYNTAX,
                        span,
                        "a map file holds one document, but a second one starts here",
                    )
                    .with_help("put each journey in a file of its own"));
                }
                continue;
            }
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => continue,
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Diagnostic::error(
                        codes::YAML_SYNTAX,
                        span,
                        format!("lists and mappings nest more than {MAX_DEPTH} levels deep here"),
                    ));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        start: span,
                        anchor,
                        items: Vec::new(),
                    }
                } else {
                    Frame::Map {
                        start: span,
                        anchor,
                        entries: Vec::new(),
                        pending_key: None,
                    }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = stack.pop() else { continue };
                let (node, anchor) = close(frame, span, diagnostics, text);
                if anchor != 0 {
                    anchors.insert(anchor, node.clone());
                }
                node
            }
            Event::Scalar(value, style, anchor, _tag) => {
                let node = Node {
                    kind: NodeKind::Scalar {
                        value: value.into_owned(),
                        style: match style {
                            ScalarStyle::Plain => Style::Plain,
                            ScalarStyle::SingleQuoted => Style::SingleQuoted,
                            ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                            ScalarStyle::Literal => Style::Literal,
                            ScalarStyle::Folded => Style::Folded,
                        },
                    },
                    span,
                };
                if anchor != 0 {
                    anchors.insert(anchor, node.clone());
                }
                node
            }
            Event::Alias(anchor) => {
                let Some(target) = anchors.get(&anchor) else {
                    return Err(Diagnostic::error(codes::YAML_SYNTAX, span, "unknown alias"));
                };
                let size = count_nodes(target);
                if size > alias_budget {
                    return Err(Diagnostic::error(
                        codes::YAML_SYNTAX,
                        span,
                        format!("aliases expand to more than {MAX_ALIAS_NODES} values"),
                    )
                    .with_help(
                        "a map file does not need this many aliases; write the values out",
                    ));
                }
                alias_budget -= size;
                let mut copy = target.clone();
                copy.span = span;
                copy
            }
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    if !matches!(node.kind, NodeKind::Scalar { .. }) {
                        diagnostics.push(Diagnostic::error(
                            codes::WRONG_TYPE,
                            node.span,
                            "a key must be a plain name, not a list or mapping",
                        ));
                    }
                    *pending_key = Some(node);
                }
                Some(key) => entries.push(Entry { key, value: node }),
            },
        }
    }
    Ok(root)
}

fn count_nodes(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Scalar { .. } => 1,
        NodeKind::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        NodeKind::Map(entries) => {
            1 + entries
                .iter()
                .map(|e| count_nodes(&e.key) + count_nodes(&e.value))
                .sum::<usize>()
        }
    }
}

/// Finishes a list or mapping. Its span runs from its first to its last character: block
/// collections have empty start and end events, so their extent comes from their children.
fn close(frame: Frame, end: Span, diagnostics: &mut Vec<Diagnostic>, text: &str) -> (Node, usize) {
    match frame {
        Frame::Seq {
            start,
            anchor,
            items,
        } => {
            let span = extent(start, end, items.last().map(|n| n.span), text);
            (
                Node {
                    kind: NodeKind::Seq(items),
                    span,
                },
                anchor,
            )
        }
        Frame::Map {
            start,
            anchor,
            entries,
            ..
        } => {
            let start = entries
                .first()
                .map_or(start, |e| if start.is_empty() { e.key.span } else { start });
            let span = extent(start, end, entries.last().map(|e| e.value.span), text);
            report_duplicate_keys(&entries, diagnostics);
            (
                Node {
                    kind: NodeKind::Map(entries),
                    span,
                },
                anchor,
            )
        }
    }
}

fn extent(start: Span, end: Span, last_child: Option<Span>, text: &str) -> Span {
    let flow = text
        .as_bytes()
        .get(start.start)
        .is_some_and(|b| matches!(b, b'[' | b'{'));
    let end = if flow || last_child.is_none() {
        end.end.max(start.end)
    } else {
        last_child.map_or(start.end, |s| s.end)
    };
    Span::new(start.start, end.max(start.start))
}

fn report_duplicate_keys(entries: &[Entry], diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for entry in entries {
        let Some(key) = entry.key.as_scalar() else {
            continue;
        };
        if let Some(first) = seen.get(key) {
            diagnostics.push(
                Diagnostic::error(
                    codes::DUPLICATE_KEY,
                    entry.key.span,
                    format!("key `{key}` appears twice in this mapping"),
                )
                .with_label("second definition")
                .with_secondary(*first, "first defined here")
                .with_help("remove one of them; YAML keeps only one value per key"),
            );
        } else {
            seen.insert(key, entry.key.span);
        }
    }
}

fn syntax_error(text: &str, offsets: &mut Offsets<'_>, error: &ScanError) -> Diagnostic {
    let mut offset = offsets.byte(error.marker().index()).min(text.len());
    let info = error.info();
    if info.contains("tab") {
        // The scanner reports the character after the indentation; point at the tab itself.
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        if let Some(tab) = text[line_start..offset].find('\t') {
            offset = line_start + tab;
        }
    }
    let at = text.get(offset..).and_then(|rest| rest.chars().next());
    let help = if at == Some('\t') || info.contains("tab") {
        Some("YAML indents with spaces, not tabs".to_owned())
    } else if info.contains("mapping values are not allowed") {
        Some("a text that holds `: ` must be quoted, e.g. \"Note: like this\"; or check the indentation".to_owned())
    } else if info.contains("did not find expected key") || info.contains("block mapping") {
        Some("check the indentation: keys of one mapping line up in the same column".to_owned())
    } else if info.contains("unclosed quote") || info.contains("quoted scalar") {
        Some("close the quote; inside double quotes write a quote as \\\"".to_owned())
    } else {
        None
    };
    let mut message = info.to_owned();
    if let Some(first) = message.get(..1) {
        let first = first.to_lowercase();
        message.replace_range(..1, &first);
    }
    Diagnostic::error(
        codes::YAML_SYNTAX,
        Span::new(offset, offset + at.map_or(0, char::len_utf8)),
        format!("invalid YAML: {message}"),
    )
    .with_help_opt(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Node {
        let mut diagnostics = Vec::new();
        let node = parse(text, &mut diagnostics).unwrap().unwrap();
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        node
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let text = "a: x\nb:\n  - c: 'q'\n";
        let root = tree(text);
        let value = root
            .at(&[PathPart::Key("b"), PathPart::Index(0), PathPart::Key("c")])
            .unwrap();
        assert_eq!(&text[value.span.start..value.span.end], "'q'");
        let key = root.key_at(&[PathPart::Key("b")]).unwrap();
        assert_eq!(&text[key.span.start..key.span.end], "b");
        let list = root.at(&[PathPart::Key("b")]).unwrap();
        assert_eq!(&text[list.span.start..list.span.end], "- c: 'q'");
    }

    #[test]
    fn non_ascii_offsets_are_bytes() {
        let text = "näme: ünïcode\nb: x\n";
        let root = tree(text);
        let value = root.at(&[PathPart::Key("b")]).unwrap();
        assert_eq!(&text[value.span.start..value.span.end], "x");
    }

    #[test]
    fn duplicate_keys_are_reported() {
        let mut diagnostics = Vec::new();
        parse("a: 1\na: 2\n", &mut diagnostics).unwrap();
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].span, Span::new(5, 6));
    }

    #[test]
    fn hostile_nesting_and_aliases_are_bounded() {
        let deep = "[".repeat(10_000);
        assert!(parse(&deep, &mut Vec::new()).is_err());
        let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_owned()
            } else {
                format!("l{}", i - 1)
            };
            laughs.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(parse(&laughs, &mut Vec::new()).is_err());
    }

    #[test]
    fn second_document_is_an_error() {
        assert!(parse("a: 1\n---\nb: 2\n", &mut Vec::new()).is_err());
    }
}
