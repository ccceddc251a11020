//! The rule reference (`docs/rules.md`), generated from the code registry so it cannot drift.

use std::fmt::Write;

use crate::codes;

/// Markdown listing every diagnostic code, its name, severity and meaning.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Checker rules\n\n\
         Generated from `crates/trailmap-check/src/codes.rs` by `trailmap rules`; a test fails when this file drifts.\n\
         Errors make a map invalid (`trailmap check` exits 1).\n\
         Warnings are lint rules: `--deny warnings` turns them into failures, and a map silences one with `lint: {allow: [name]}`.\n\n\
         | code | name | severity | what it means |\n|---|---|---|---|\n",
    );
    for (code, severity, doc) in codes::ALL {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} |",
            code.id, code.name, severity, doc
        );
    }
    out
}
