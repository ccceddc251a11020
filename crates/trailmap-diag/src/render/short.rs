//! One line per problem: `path:line:col: error[CODE]: message`, for editors and grep.

use crate::{Diagnostic, SourceFile};

pub fn render(file: &SourceFile, diagnostic: &Diagnostic) -> String {
    let at = file.line_col(diagnostic.span.start);
    format!(
        "{}:{}:{}: {}[{}]: {}\n",
        file.name(),
        at.line,
        at.column,
        diagnostic.severity,
        diagnostic.code.id,
        diagnostic.message
    )
}
