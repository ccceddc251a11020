//! What every semantic check and lint rule works with: the typed map, the positioned tree it
//! came from, and the list of diagnostics to add to.

use trailmap_diag::{Diagnostic, Span};
use trailmap_model::Map;

use crate::yaml::{Node, PathPart};

pub(crate) struct Ctx<'a> {
    pub(crate) text: &'a str,
    pub(crate) root: &'a Node,
    pub(crate) map: &'a Map,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'a> From<&'a str> for PathPart<'a> {
    fn from(key: &'a str) -> Self {
        PathPart::Key(key)
    }
}

impl From<usize> for PathPart<'_> {
    fn from(idx: usize) -> Self {
        PathPart::Index(idx)
    }
}

/// A path into the map, e.g. `yaml_path!["stages", 0, "steps", 2, "department"]`.
macro_rules! yaml_path {
    ($($part:expr),* $(,)?) => {
        [$($crate::yaml::PathPart::from($part)),*]
    };
}
pub(crate) use yaml_path;

impl Ctx<'_> {
    /// The span of the value at `path`, or of its nearest ancestor that exists in the file
    /// (a defaulted value has no node of its own).
    pub(crate) fn span(&self, path: &[PathPart<'_>]) -> Span {
        for len in (0..=path.len()).rev() {
            if let Some(node) = self.root.at(&path[..len]) {
                return node.span;
            }
        }
        self.root.span
    }

    /// The span of the key at the end of `path`, or of the value when there is no key.
    pub(crate) fn key_span(&self, path: &[PathPart<'_>]) -> Span {
        self.root
            .key_at(path)
            .map_or_else(|| self.span(path), |k| k.span)
    }

    pub(crate) fn node(&self, path: &[PathPart<'_>]) -> Option<&Node> {
        self.root.at(path)
    }

    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}
