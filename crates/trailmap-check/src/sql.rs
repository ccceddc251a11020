//! SQL boolean expressions in maps: `match`, `feedback`, persona `rule`s and `outcomes`.
//!
//! They are parsed with `sqlparser`, the parser DataFusion (the evidence engine's base) uses,
//! so an expression that passes `trailmap check` is one the engine can plan. A problem is
//! reported at its position *inside* the expression, which [`crate::expr_pos`] then maps to
//! the file's line and column.

use std::ops::ControlFlow;

use sqlparser::ast::{BinaryOperator, Expr, Spanned, UnaryOperator, Value};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;
use trailmap_diag::Code;

use crate::codes;

/// A problem inside an expression, at byte range `start..end` of the expression text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExprProblem {
    pub(crate) code: Code,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

/// A valid boolean expression and the columns it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BooleanExpr {
    pub(crate) columns: Vec<String>,
    /// Byte ranges of `"double-quoted"` names used as values to compare with: in SQL they are
    /// columns, but authors nearly always mean a text (`event = "order_placed"`).
    pub(crate) quoted_values: Vec<(usize, usize, String)>,
}

/// Expressions longer than this many SQL tokens are refused before a tree is built: the tree
/// is as deep as the expression is long (`a AND b AND c ...` nests to the left), and walking or
/// dropping a very deep tree overflows the stack. No journey map needs more.
pub(crate) const MAX_TOKENS: usize = 1_000;

/// Parses `text` as one SQL boolean expression.
pub(crate) fn parse_boolean(text: &str) -> Result<BooleanExpr, ExprProblem> {
    if text.trim().is_empty() {
        return Err(ExprProblem {
            code: codes::INVALID_EXPRESSION,
            start: 0,
            end: text.len(),
            message: "the expression is empty".to_owned(),
            help: Some("write a SQL condition, e.g. `event = 'order_placed'`".to_owned()),
        });
    }
    let dialect = GenericDialect {};
    let tokens = sqlparser::tokenizer::Tokenizer::new(&dialect, text)
        .tokenize()
        .map_err(|e| parser_problem(text, &ParserError::TokenizerError(e.to_string())))?;
    let n_tokens = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .count();
    if n_tokens > MAX_TOKENS {
        return Err(ExprProblem {
            code: codes::INVALID_EXPRESSION,
            start: 0,
            end: text.len(),
            message: format!(
                "the expression is too long ({n_tokens} SQL tokens; at most {MAX_TOKENS})"
            ),
            help: Some("use `IN (...)` for a list of values, or split the step".to_owned()),
        });
    }
    let mut parser = Parser::new(&dialect)
        .try_with_sql(text)
        .map_err(|e| parser_problem(text, &e))?;
    let expr = parser.parse_expr().map_err(|e| parser_problem(text, &e))?;
    let next = parser.peek_token();
    if next.token != Token::EOF {
        let start = offset_of(text, next.span.start.line, next.span.start.column);
        let end = offset_of(text, next.span.end.line, next.span.end.column).max(start + 1);
        return Err(ExprProblem {
            code: codes::INVALID_EXPRESSION,
            start,
            end: end.min(text.len()),
            message: format!(
                "unexpected `{}` after the end of the expression",
                next.token
            ),
            help: Some(
                "join conditions with AND or OR; put text values in single quotes".to_owned(),
            ),
        });
    }
    reject_subqueries(text, &expr)?;
    check_boolean(text, &expr)?;
    let mut columns = Vec::new();
    let _ = sqlparser::ast::visit_expressions(&expr, |e| {
        match e {
            Expr::Identifier(ident) => columns.push(ident.value.clone()),
            Expr::CompoundIdentifier(parts) => columns.push(
                parts
                    .iter()
                    .map(|p| p.value.as_str())
                    .collect::<Vec<_>>()
                    .join("."),
            ),
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    columns.sort();
    columns.dedup();
    let mut quoted_values = Vec::new();
    let _ = sqlparser::ast::visit_expressions(&expr, |e| {
        let compared: Vec<&Expr> = match e {
            Expr::BinaryOp {
                right,
                op:
                    BinaryOperator::Eq
                    | BinaryOperator::NotEq
                    | BinaryOperator::Lt
                    | BinaryOperator::LtEq
                    | BinaryOperator::Gt
                    | BinaryOperator::GtEq,
                ..
            } => vec![right.as_ref()],
            Expr::InList { list, .. } => list.iter().collect(),
            _ => Vec::new(),
        };
        for value in compared {
            if let Expr::Identifier(ident) = value
                && ident.quote_style == Some('"')
            {
                let span = value.span();
                let start = offset_of(text, span.start.line, span.start.column);
                let end = offset_of(text, span.end.line, span.end.column).max(start);
                quoted_values.push((start, end, ident.value.clone()));
            }
        }
        ControlFlow::<()>::Continue(())
    });
    Ok(BooleanExpr {
        columns,
        quoted_values,
    })
}

fn reject_subqueries(text: &str, expr: &Expr) -> Result<(), ExprProblem> {
    let mut problem = None;
    let _ = sqlparser::ast::visit_expressions(expr, |e| {
        if matches!(
            e,
            Expr::Subquery(_) | Expr::InSubquery { .. } | Expr::Exists { .. }
        ) {
            problem = Some(problem_at(
                text,
                e,
                "subqueries are not supported in map expressions",
                Some(
                    "an expression tests one event (or one customer): compare its columns directly",
                ),
                codes::INVALID_EXPRESSION,
            ));
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    problem.map_or(Ok(()), Err)
}

/// Whether the expression can be true or false: a comparison, a logical combination, a test,
/// or something that may hold a boolean (a column, a function call, CASE).
fn check_boolean(text: &str, expr: &Expr) -> Result<(), ExprProblem> {
    match expr {
        Expr::Nested(inner) => check_boolean(text, inner),
        Expr::BinaryOp { left, op, right } => match op {
            BinaryOperator::And | BinaryOperator::Or | BinaryOperator::Xor => {
                check_boolean(text, left)?;
                check_boolean(text, right)
            }
            BinaryOperator::Eq
            | BinaryOperator::NotEq
            | BinaryOperator::Lt
            | BinaryOperator::LtEq
            | BinaryOperator::Gt
            | BinaryOperator::GtEq
            | BinaryOperator::Spaceship
            | BinaryOperator::PGRegexMatch
            | BinaryOperator::PGRegexIMatch
            | BinaryOperator::PGRegexNotMatch
            | BinaryOperator::PGRegexNotIMatch
            | BinaryOperator::PGLikeMatch
            | BinaryOperator::PGILikeMatch
            | BinaryOperator::PGNotLikeMatch
            | BinaryOperator::PGNotILikeMatch => Ok(()),
            other => Err(problem_at(
                text,
                expr,
                &format!("`{other}` computes a value, not true or false"),
                Some("compare the result, e.g. `order_value * 2 > 100`"),
                codes::NOT_BOOLEAN,
            )),
        },
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr: inner,
        } => check_boolean(text, inner),
        Expr::Value(value) => match &value.value {
            Value::Boolean(_) => Ok(()),
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Err(problem_at(
                text,
                expr,
                "a text on its own is not a condition",
                Some(&format!("compare a column with it, e.g. `event = '{s}'`")),
                codes::NOT_BOOLEAN,
            )),
            _ => Err(problem_at(
                text,
                expr,
                "a value on its own is not a condition",
                Some("compare a column with it, e.g. `nps >= 9`"),
                codes::NOT_BOOLEAN,
            )),
        },
        Expr::IsFalse(_)
        | Expr::IsNotFalse(_)
        | Expr::IsTrue(_)
        | Expr::IsNotTrue(_)
        | Expr::IsNull(_)
        | Expr::IsNotNull(_)
        | Expr::IsUnknown(_)
        | Expr::IsNotUnknown(_)
        | Expr::IsDistinctFrom(..)
        | Expr::IsNotDistinctFrom(..)
        | Expr::InList { .. }
        | Expr::Between { .. }
        | Expr::Like { .. }
        | Expr::ILike { .. }
        | Expr::SimilarTo { .. }
        | Expr::RLike { .. }
        | Expr::AnyOp { .. }
        | Expr::AllOp { .. }
        // These may hold a boolean; only the data can tell.
        | Expr::Identifier(_)
        | Expr::CompoundIdentifier(_)
        | Expr::Function(_)
        | Expr::Case { .. }
        | Expr::Cast { .. } => Ok(()),
        _ => Err(problem_at(
            text,
            expr,
            "this is not a true/false condition",
            Some("a map expression is a condition such as `event = 'order_placed' AND channel = 'web'`"),
            codes::NOT_BOOLEAN,
        )),
    }
}

fn problem_at(
    text: &str,
    expr: &Expr,
    message: &str,
    help: Option<&str>,
    code: Code,
) -> ExprProblem {
    let span = expr.span();
    let (start, end) = if span.start.line == 0 {
        (0, text.len())
    } else {
        let start = offset_of(text, span.start.line, span.start.column);
        let end = offset_of(text, span.end.line, span.end.column);
        (start, end.max(start))
    };
    ExprProblem {
        code,
        start,
        end,
        message: message.to_owned(),
        help: help.map(str::to_owned),
    }
}

/// The byte offset of a one-based line and character column in `text`.
fn offset_of(text: &str, line: u64, column: u64) -> usize {
    let mut offset = 0;
    for (idx, line_text) in text.split_inclusive('\n').enumerate() {
        if idx as u64 + 1 == line {
            let within = line_text
                .char_indices()
                .nth(column.saturating_sub(1) as usize)
                .map_or(line_text.trim_end_matches('\n').len(), |(i, _)| i);
            return offset + within;
        }
        offset += line_text.len();
    }
    text.len()
}

/// sqlparser reports positions only inside its error text (" at Line: L, Column: C"); this is
/// the one place that reads them back out.
fn parser_problem(text: &str, error: &ParserError) -> ExprProblem {
    let raw = match error {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m.clone(),
        ParserError::RecursionLimitExceeded => {
            return ExprProblem {
                code: codes::INVALID_EXPRESSION,
                start: 0,
                end: text.len(),
                message: "the expression nests too deeply".to_owned(),
                help: None,
            };
        }
    };
    let (message, position) = match raw.rfind(" at Line: ") {
        Some(at) => (raw[..at].to_owned(), Some(&raw[at + " at Line: ".len()..])),
        None => (raw.clone(), None),
    };
    let start = position
        .and_then(|p| {
            let (line, column) = p.split_once(", Column: ")?;
            Some(offset_of(
                text,
                line.trim().parse().ok()?,
                column.trim().parse().ok()?,
            ))
        })
        .unwrap_or(text.len());
    let end = text[start..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(text.len(), |(i, _)| start + i)
        .max(start);
    let message = message
        .replace("Expected: ", "expected ")
        .replace(", found: ", ", found ");
    let help = if message.contains("Unterminated string literal") {
        Some("close the text with a single quote; write a quote inside a text as ''".to_owned())
    } else if text.contains('"') && !text.contains('\'') {
        Some("in SQL, text values go in single quotes: `event = 'order_placed'`".to_owned())
    } else if message.contains("found EOF") {
        Some("the expression ends too early".to_owned())
    } else {
        None
    };
    ExprProblem {
        code: codes::INVALID_EXPRESSION,
        start: start.min(text.len()),
        end,
        message: format!("invalid SQL expression: {}", lowercase_first(&message)),
        help,
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> (String, &str) {
        let p = parse_boolean(text).unwrap_err();
        (p.message, &text[p.start..p.end])
    }

    #[test]
    fn accepts_conditions_and_lists_columns() {
        let e = parse_boolean("event = 'ad_click' AND (channel = 'social' OR nps >= 9)").unwrap();
        assert_eq!(e.columns, ["channel", "event", "nps"]);
        let e = parse_boolean("event = \"paid\" OR event IN ('a', \"b\")").unwrap();
        let quoted: Vec<&str> = e
            .quoted_values
            .iter()
            .map(|(_, _, name)| name.as_str())
            .collect();
        assert_eq!(quoted, ["paid", "b"]);
        for ok in [
            "event IN ('a', 'b')",
            "age BETWEEN 25 AND 40",
            "text LIKE '%late%'",
            "nps IS NOT NULL",
            "NOT is_trial",
            "starts_with(event, 'page_')",
            "true",
        ] {
            parse_boolean(ok).unwrap_or_else(|e| panic!("{ok}: {e:?}"));
        }
    }

    #[test]
    fn points_inside_the_expression() {
        let (message, at) = problem("event = = 'a'");
        assert!(
            message.starts_with("invalid SQL expression: expected an expression"),
            "{message}"
        );
        assert_eq!(at, "=");
        let (message, at) = problem("event = 'a' channel = 'web'");
        assert!(message.contains("unexpected `channel`"), "{message}");
        assert_eq!(at, "channel");
    }

    #[test]
    fn rejects_values_that_are_not_conditions() {
        let (message, at) = problem("event = 'a' AND 'b'");
        assert_eq!(message, "a text on its own is not a condition");
        assert_eq!(at, "'b'");
        let (message, _) = problem("order_value + 1");
        assert!(message.contains("computes a value"), "{message}");
        let (message, _) = problem("event IN (SELECT x FROM y)");
        assert!(message.contains("subqueries"), "{message}");
        assert!(parse_boolean("  ").is_err());
        assert!(parse_boolean("event = 'unterminated").is_err());
    }
}
