//! Diagnostics as JSON objects for tools.
//!
//! The shape is a stable wire format, kept apart from [`Diagnostic`] so the internal type can
//! change freely: `{file, line, column, end_line, end_column, severity, code, name, message,
//! help}`, with one-based lines and character columns; `help` is `null` when there is none.

use serde::Serialize;

use crate::{Diagnostic, SourceFile};

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub severity: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    pub message: &'a str,
    pub help: Option<&'a str>,
}

pub fn to_json<'a>(file: &'a SourceFile, diagnostic: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let start = file.line_col(diagnostic.span.start);
    let end = file.line_col(diagnostic.span.end);
    JsonDiagnostic {
        file: file.name(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        severity: diagnostic.severity.as_str(),
        code: diagnostic.code.id,
        name: diagnostic.code.name,
        message: &diagnostic.message,
        help: diagnostic.help.as_deref(),
    }
}
