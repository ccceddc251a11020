//! Renderings of diagnostics: one module per output format.

pub mod human;
pub mod json;
pub mod short;

/// Whether to colour the output with ANSI escapes. The caller decides (terminal, `NO_COLOR`,
/// `--color`); renderers never look at the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Never,
    Always,
}

pub(crate) struct Paint {
    color: Color,
}

impl Paint {
    pub(crate) fn new(color: Color) -> Paint {
        Paint { color }
    }

    pub(crate) fn paint(&self, style: &str, text: &str) -> String {
        match self.color {
            Color::Never => text.to_owned(),
            Color::Always => format!("\x1b[{style}m{text}\x1b[0m"),
        }
    }

    pub(crate) fn severity(&self, severity: crate::Severity, text: &str) -> String {
        match severity {
            crate::Severity::Error => self.paint("1;31", text),
            crate::Severity::Warning => self.paint("1;33", text),
        }
    }
}
