//! Diagnostics as data, and the ways Trailmap prints them.
//!
//! A [`Diagnostic`] says what is wrong (a stable [`Code`], a [`Severity`], a message), exactly
//! where (a primary [`Span`] and optional secondary [`Label`]s, byte ranges into one file), and
//! how to fix it (`help`). It does not know line numbers: [`LineIndex`] computes a one-based
//! line and column (counted in characters) only when a diagnostic is rendered.
//!
//! Rendering is separate from producing: [`render::human`] (a source snippet with carets, like
//! rustc), [`render::short`] (one grep-able line per problem) and [`render::json`] (stable
//! objects for tools) all take the same diagnostics.

mod diagnostic;
mod line_index;
pub mod render;

pub use diagnostic::{Code, Diagnostic, Label, Severity, Span};
pub use line_index::{LineCol, LineIndex};

/// A named text that diagnostics point into.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    text: String,
    line_index: LineIndex,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        let line_index = LineIndex::new(&text);
        SourceFile {
            name: name.into(),
            text,
            line_index,
        }
    }

    /// The name shown in diagnostics (usually the path as the user typed it).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.line_index
    }

    /// The line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.line_index.line_col(&self.text, offset)
    }
}
