//! SQL boolean expressions (`match`, `feedback`, persona `rule`s, outcomes) evaluated over Arrow
//! record batches with Arrow's compute kernels: one kernel call per operator per batch, never a
//! per-row interpreter.
//!
//! The dialect is what `trailmap check` accepts (parsed by `sqlparser`): comparisons, AND, OR,
//! NOT, IN, BETWEEN, LIKE/ILIKE, IS [NOT] NULL, IS [NOT] TRUE/FALSE, CAST, and the functions
//! `lower`, `upper`, `length`, `starts_with`, `ends_with`, `contains`, `coalesce`. Semantics
//! follow SQL: NULL compares to nothing, AND/OR are three-valued, and a row matches only when
//! the expression is TRUE.
//!
//! Types are coerced the way DuckDB does for the cases maps use: a text column compared with a
//! number is read as a number (values that are not numbers become NULL); a number column
//! compared with a text literal parses the literal; otherwise both sides become text.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanArray, Datum, Float64Array, Int64Array, NullArray, Scalar, StringArray,
};
use arrow::compute::kernels::{boolean, cmp};
use arrow::datatypes::DataType;
use arrow::record_batch::RecordBatch;
use sqlparser::ast::{
    BinaryOperator, CastKind, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, UnaryOperator,
    Value,
};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;

use crate::error::{EngineError, ExprSite};

/// The longest expression, in SQL tokens, that is evaluated (the same limit as `trailmap check`).
pub const MAX_TOKENS: usize = 1_000;

/// A parsed SQL boolean expression, ready to evaluate on batches.
#[derive(Debug, Clone)]
pub struct Predicate {
    expr: Expr,
    columns: Vec<String>,
    site: ExprSite,
}

/// An intermediate value: a column-shaped array, or a literal not yet broadcast.
#[derive(Debug, Clone)]
enum Val {
    Array(ArrayRef),
    Lit(Lit),
}

#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

impl Predicate {
    pub fn parse(text: &str, site: ExprSite) -> Result<Predicate, EngineError> {
        let error = |message: String| EngineError::Expression {
            site: site.clone(),
            message,
        };
        let dialect = GenericDialect {};
        // A long `a AND b AND ...` is a deep tree; refuse it before building it (as `trailmap
        // check` does) so evaluating or dropping it cannot overflow the stack.
        let tokens = sqlparser::tokenizer::Tokenizer::new(&dialect, text)
            .tokenize()
            .map_err(|e| error(e.to_string()))?;
        let n_tokens = tokens
            .iter()
            .filter(|t| !matches!(t, sqlparser::tokenizer::Token::Whitespace(_)))
            .count();
        if n_tokens > MAX_TOKENS {
            return Err(error(format!(
                "the expression is too long ({n_tokens} SQL tokens; at most {MAX_TOKENS})"
            )));
        }
        let mut parser = Parser::new(&dialect)
            .try_with_sql(text)
            .map_err(|e| error(e.to_string()))?;
        let expr = parser.parse_expr().map_err(|e| error(e.to_string()))?;
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
            std::ops::ControlFlow::<()>::Continue(())
        });
        columns.sort();
        columns.dedup();
        Ok(Predicate {
            expr,
            columns,
            site,
        })
    }

    /// The columns the expression reads, sorted, without duplicates.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    pub fn site(&self) -> &ExprSite {
        &self.site
    }

    /// Evaluates on every row of `batch`. NULL results are `false`: a row matches only when the
    /// expression is TRUE.
    pub fn evaluate(&self, batch: &RecordBatch) -> Result<BooleanArray, EngineError> {
        let n = batch.num_rows();
        let value = eval(&self.expr, batch).map_err(|message| EngineError::Expression {
            site: self.site.clone(),
            message,
        })?;
        let array = broadcast(value, n).map_err(|message| EngineError::Expression {
            site: self.site.clone(),
            message,
        })?;
        let bools = match array.data_type() {
            DataType::Boolean => array
                .as_any()
                .downcast_ref::<BooleanArray>()
                .cloned()
                .unwrap_or_else(|| BooleanArray::from(vec![false; n])),
            DataType::Null => BooleanArray::from(vec![false; n]),
            other => {
                return Err(EngineError::Expression {
                    site: self.site.clone(),
                    message: format!("the expression gives {other} values, not true/false"),
                });
            }
        };
        // NULL → false, so callers can use the values directly.
        Ok(match bools.nulls() {
            Some(nulls) => BooleanArray::new(bools.values() & nulls.inner(), None),
            None => bools,
        })
    }
}

type R<T> = Result<T, String>;

fn eval(expr: &Expr, batch: &RecordBatch) -> R<Val> {
    match expr {
        Expr::Nested(inner) => eval(inner, batch),
        Expr::Identifier(ident) => Ok(Val::Array(column(batch, &ident.value))),
        Expr::CompoundIdentifier(parts) => {
            let name = parts
                .iter()
                .map(|p| p.value.as_str())
                .collect::<Vec<_>>()
                .join(".");
            Ok(Val::Array(column(batch, &name)))
        }
        Expr::Value(value) => Ok(Val::Lit(literal(&value.value)?)),
        Expr::UnaryOp { op, expr: inner } => match op {
            UnaryOperator::Not => Ok(Val::Array(Arc::new(
                boolean::not(&as_bool(eval(inner, batch)?, batch.num_rows())?).map_err(s)?,
            ))),
            UnaryOperator::Minus => match eval(inner, batch)? {
                Val::Lit(Lit::Int(i)) => Ok(Val::Lit(Lit::Int(-i))),
                Val::Lit(Lit::Float(f)) => Ok(Val::Lit(Lit::Float(-f))),
                _ => Err("`-` is supported on numbers written in the expression only".to_owned()),
            },
            UnaryOperator::Plus => eval(inner, batch),
            other => Err(format!("operator `{other}` is not supported")),
        },
        Expr::BinaryOp { left, op, right } => {
            let n = batch.num_rows();
            match op {
                BinaryOperator::And => {
                    let (l, r) = (
                        as_bool(eval(left, batch)?, n)?,
                        as_bool(eval(right, batch)?, n)?,
                    );
                    Ok(Val::Array(Arc::new(
                        boolean::and_kleene(&l, &r).map_err(s)?,
                    )))
                }
                BinaryOperator::Or => {
                    let (l, r) = (
                        as_bool(eval(left, batch)?, n)?,
                        as_bool(eval(right, batch)?, n)?,
                    );
                    Ok(Val::Array(Arc::new(boolean::or_kleene(&l, &r).map_err(s)?)))
                }
                BinaryOperator::Eq
                | BinaryOperator::NotEq
                | BinaryOperator::Lt
                | BinaryOperator::LtEq
                | BinaryOperator::Gt
                | BinaryOperator::GtEq => compare(op, eval(left, batch)?, eval(right, batch)?, n),
                other => Err(format!(
                    "operator `{other}` is not supported in map expressions"
                )),
            }
        }
        Expr::IsNull(inner) => null_test(eval(inner, batch)?, batch.num_rows(), true),
        Expr::IsNotNull(inner) => null_test(eval(inner, batch)?, batch.num_rows(), false),
        Expr::IsTrue(inner)
        | Expr::IsNotTrue(inner)
        | Expr::IsFalse(inner)
        | Expr::IsNotFalse(inner) => {
            let n = batch.num_rows();
            let values = as_bool(eval(inner, batch)?, n)?;
            let want = matches!(expr, Expr::IsTrue(_) | Expr::IsNotTrue(_));
            let negate = matches!(expr, Expr::IsNotTrue(_) | Expr::IsNotFalse(_));
            let out: BooleanArray = values
                .iter()
                .map(|v| Some((v == Some(want)) != negate))
                .collect();
            Ok(Val::Array(Arc::new(out)))
        }
        Expr::InList {
            expr: inner,
            list,
            negated,
        } => {
            let n = batch.num_rows();
            let left = eval(inner, batch)?;
            let mut acc: Option<BooleanArray> = None;
            for item in list {
                let one = as_bool(
                    compare(&BinaryOperator::Eq, left.clone(), eval(item, batch)?, n)?,
                    n,
                )?;
                acc = Some(match acc {
                    None => one,
                    Some(prev) => boolean::or_kleene(&prev, &one).map_err(s)?,
                });
            }
            let acc = acc.unwrap_or_else(|| BooleanArray::from(vec![false; n]));
            Ok(Val::Array(Arc::new(if *negated {
                boolean::not(&acc).map_err(s)?
            } else {
                acc
            })))
        }
        Expr::Between {
            expr: inner,
            negated,
            low,
            high,
        } => {
            let n = batch.num_rows();
            let value = eval(inner, batch)?;
            let above = as_bool(
                compare(&BinaryOperator::GtEq, value.clone(), eval(low, batch)?, n)?,
                n,
            )?;
            let below = as_bool(
                compare(&BinaryOperator::LtEq, value, eval(high, batch)?, n)?,
                n,
            )?;
            let both = boolean::and_kleene(&above, &below).map_err(s)?;
            Ok(Val::Array(Arc::new(if *negated {
                boolean::not(&both).map_err(s)?
            } else {
                both
            })))
        }
        Expr::Like {
            negated,
            expr: inner,
            pattern,
            escape_char,
            ..
        }
        | Expr::ILike {
            negated,
            expr: inner,
            pattern,
            escape_char,
            ..
        } => {
            if escape_char.is_some() {
                return Err("LIKE ... ESCAPE is not supported".to_owned());
            }
            let n = batch.num_rows();
            let text = to_text(broadcast(eval(inner, batch)?, n)?)?;
            let pattern = match eval(pattern, batch)? {
                Val::Lit(Lit::Str(p)) => p,
                _ => return Err("a LIKE pattern must be a text in single quotes".to_owned()),
            };
            let pattern = Scalar::new(StringArray::from(vec![pattern]));
            let insensitive = matches!(expr, Expr::ILike { .. });
            let out = match (insensitive, *negated) {
                (false, false) => arrow::compute::kernels::comparison::like(&text, &pattern),
                (false, true) => arrow::compute::kernels::comparison::nlike(&text, &pattern),
                (true, false) => arrow::compute::kernels::comparison::ilike(&text, &pattern),
                (true, true) => arrow::compute::kernels::comparison::nilike(&text, &pattern),
            }
            .map_err(s)?;
            Ok(Val::Array(Arc::new(out)))
        }
        Expr::Cast {
            kind,
            expr: inner,
            data_type,
            ..
        } => {
            let target = match data_type.to_string().to_lowercase().as_str() {
                "text" | "varchar" | "string" | "char" => DataType::Utf8,
                "int" | "integer" | "bigint" | "smallint" => DataType::Int64,
                "double" | "float" | "real" | "numeric" | "decimal" | "double precision" => {
                    DataType::Float64
                }
                "boolean" | "bool" => DataType::Boolean,
                other => return Err(format!("CAST to {other} is not supported")),
            };
            let _ = kind == &CastKind::Cast;
            let array = broadcast(eval(inner, batch)?, batch.num_rows())?;
            Ok(Val::Array(
                arrow::compute::cast(&array, &target).map_err(s)?,
            ))
        }
        Expr::Function(function) => call(function, batch),
        other => Err(format!("`{other}` is not supported in map expressions")),
    }
}

fn s(error: arrow::error::ArrowError) -> String {
    error.to_string()
}

/// The batch's column `name` (exact, else case-insensitive); a batch without it (a JSON Lines
/// batch where no row has the key) reads as all NULL.
fn column(batch: &RecordBatch, name: &str) -> ArrayRef {
    crate::scan::raw_column(batch, name)
        .unwrap_or_else(|| Arc::new(NullArray::new(batch.num_rows())))
}

fn literal(value: &Value) -> R<Lit> {
    Ok(match value {
        Value::Null => Lit::Null,
        Value::Boolean(b) => Lit::Bool(*b),
        Value::Number(text, _) => match text.parse::<i64>() {
            Ok(i) => Lit::Int(i),
            Err(_) => Lit::Float(
                text.parse::<f64>()
                    .map_err(|_| format!("`{text}` is not a number"))?,
            ),
        },
        Value::SingleQuotedString(text) | Value::DoubleQuotedString(text) => Lit::Str(text.clone()),
        other => return Err(format!("the value `{other}` is not supported")),
    })
}

fn lit_array(lit: &Lit, n: usize) -> ArrayRef {
    match lit {
        Lit::Null => Arc::new(NullArray::new(n)),
        Lit::Bool(b) => Arc::new(BooleanArray::from(vec![*b; n])),
        Lit::Int(i) => Arc::new(Int64Array::from(vec![*i; n])),
        Lit::Float(f) => Arc::new(Float64Array::from(vec![*f; n])),
        Lit::Str(text) => Arc::new(StringArray::from(vec![text.as_str(); n])),
    }
}

fn broadcast(value: Val, n: usize) -> R<ArrayRef> {
    Ok(match value {
        Val::Array(array) => array,
        Val::Lit(lit) => lit_array(&lit, n),
    })
}

fn as_bool(value: Val, n: usize) -> R<BooleanArray> {
    let array = broadcast(value, n)?;
    match array.data_type() {
        DataType::Boolean => Ok(array
            .as_any()
            .downcast_ref::<BooleanArray>()
            .cloned()
            .expect("a Boolean array downcasts to BooleanArray")),
        DataType::Null => Ok(BooleanArray::new_null(n)),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            // A text column holding true/false (CSV): read it as booleans.
            let cast = arrow::compute::cast(&array, &DataType::Boolean).map_err(s)?;
            Ok(cast
                .as_any()
                .downcast_ref::<BooleanArray>()
                .cloned()
                .expect("cast to Boolean gives a BooleanArray"))
        }
        other => Err(format!(
            "a {other} value is used as a condition, but it is not true/false"
        )),
    }
}

fn to_text(array: ArrayRef) -> R<ArrayRef> {
    match array.data_type() {
        DataType::Utf8 => Ok(array),
        _ => arrow::compute::cast(&array, &DataType::Utf8).map_err(s),
    }
}

fn is_numeric(data_type: &DataType) -> bool {
    data_type.is_numeric()
}

fn is_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(..)
    )
}

/// Casts a text array to numbers; values that are not numbers become NULL.
fn text_to_number(array: &ArrayRef) -> R<ArrayRef> {
    let options = arrow::compute::CastOptions {
        safe: true,
        ..Default::default()
    };
    arrow::compute::cast_with_options(array, &DataType::Float64, &options).map_err(s)
}

fn compare(op: &BinaryOperator, left: Val, right: Val, n: usize) -> R<Val> {
    let (left, right) = coerce(left, right, n)?;
    let l: &dyn Datum = &left;
    let r: &dyn Datum = &right;
    let out = match op {
        BinaryOperator::Eq => cmp::eq(l, r),
        BinaryOperator::NotEq => cmp::neq(l, r),
        BinaryOperator::Lt => cmp::lt(l, r),
        BinaryOperator::LtEq => cmp::lt_eq(l, r),
        BinaryOperator::Gt => cmp::gt(l, r),
        BinaryOperator::GtEq => cmp::gt_eq(l, r),
        other => return Err(format!("operator `{other}` is not a comparison")),
    }
    .map_err(s)?;
    Ok(Val::Array(Arc::new(out)))
}

/// A side of a comparison: a full column, or a one-row scalar that Arrow broadcasts.
enum Side {
    Array(ArrayRef),
    Scalar(Scalar<ArrayRef>),
}

impl Datum for Side {
    fn get(&self) -> (&dyn Array, bool) {
        match self {
            Side::Array(array) => array.get(),
            Side::Scalar(scalar) => scalar.get(),
        }
    }
}

fn coerce(left: Val, right: Val, n: usize) -> R<(Side, Side)> {
    match (left, right) {
        (Val::Array(a), Val::Array(b)) => {
            let (a, b) = coerce_arrays(a, b)?;
            Ok((Side::Array(a), Side::Array(b)))
        }
        (Val::Array(a), Val::Lit(lit)) => {
            let (a, lit) = coerce_array_lit(a, lit)?;
            Ok((Side::Array(a), Side::Scalar(Scalar::new(lit))))
        }
        (Val::Lit(lit), Val::Array(b)) => {
            let (b, lit) = coerce_array_lit(b, lit)?;
            Ok((Side::Scalar(Scalar::new(lit)), Side::Array(b)))
        }
        (Val::Lit(a), Val::Lit(b)) => {
            let (a, b) = coerce_arrays(lit_array(&a, n), lit_array(&b, n))?;
            Ok((Side::Array(a), Side::Array(b)))
        }
    }
}

fn coerce_arrays(a: ArrayRef, b: ArrayRef) -> R<(ArrayRef, ArrayRef)> {
    let (ta, tb) = (a.data_type().clone(), b.data_type().clone());
    if ta == tb {
        return Ok((a, b));
    }
    if ta == DataType::Null || tb == DataType::Null {
        let target = if ta == DataType::Null { tb } else { ta };
        let cast = |x: &ArrayRef| arrow::compute::cast(x, &target).map_err(s);
        return Ok((cast(&a)?, cast(&b)?));
    }
    if is_numeric(&ta) && is_numeric(&tb) {
        let cast = |x: &ArrayRef| arrow::compute::cast(x, &DataType::Float64).map_err(s);
        return Ok((cast(&a)?, cast(&b)?));
    }
    if is_numeric(&ta) && is_text(&tb) {
        return Ok((
            arrow::compute::cast(&a, &DataType::Float64).map_err(s)?,
            text_to_number(&b)?,
        ));
    }
    if is_text(&ta) && is_numeric(&tb) {
        return Ok((
            text_to_number(&a)?,
            arrow::compute::cast(&b, &DataType::Float64).map_err(s)?,
        ));
    }
    Ok((to_text(a)?, to_text(b)?))
}

/// Brings a literal to the column's type (a one-row array), casting the column when needed.
fn coerce_array_lit(array: ArrayRef, lit: Lit) -> R<(ArrayRef, ArrayRef)> {
    let data_type = array.data_type().clone();
    match (&lit, &data_type) {
        (Lit::Null, _) => Ok((array, arrow::array::new_null_array(&data_type, 1))),
        (Lit::Int(_) | Lit::Float(_), t) if is_text(t) || *t == DataType::Null => {
            let numbers = text_to_number(&array)?;
            Ok((numbers, lit_as_f64(&lit)))
        }
        (Lit::Int(_) | Lit::Float(_), t) if is_numeric(t) => {
            let numbers = arrow::compute::cast(&array, &DataType::Float64).map_err(s)?;
            Ok((numbers, lit_as_f64(&lit)))
        }
        (Lit::Str(text), t) if is_numeric(t) => {
            let value: f64 = text
                .trim()
                .parse()
                .map_err(|_| format!("cannot compare a number column with the text '{text}'"))?;
            let numbers = arrow::compute::cast(&array, &DataType::Float64).map_err(s)?;
            Ok((numbers, Arc::new(Float64Array::from(vec![value]))))
        }
        (Lit::Str(text), DataType::Timestamp(..) | DataType::Date32 | DataType::Date64) => {
            let one: ArrayRef = Arc::new(StringArray::from(vec![text.as_str()]));
            let cast = arrow::compute::cast(&one, &data_type)
                .map_err(|e| format!("'{text}' is not a time: {e}"))?;
            Ok((array, cast))
        }
        (Lit::Bool(b), DataType::Boolean) => Ok((array, Arc::new(BooleanArray::from(vec![*b])))),
        (Lit::Bool(b), t) if is_text(t) => Ok((
            arrow::compute::cast(&array, &DataType::Boolean).map_err(s)?,
            Arc::new(BooleanArray::from(vec![*b])),
        )),
        (Lit::Str(text), t) if is_text(t) => {
            let text_array = to_text(array)?;
            Ok((text_array, Arc::new(StringArray::from(vec![text.as_str()]))))
        }
        (lit, _) => {
            let one = lit_array(lit, 1);
            let (a, b) = coerce_arrays(array, one)?;
            Ok((a, b))
        }
    }
}

fn lit_as_f64(lit: &Lit) -> ArrayRef {
    let value = match lit {
        Lit::Int(i) => *i as f64,
        Lit::Float(f) => *f,
        _ => f64::NAN,
    };
    Arc::new(Float64Array::from(vec![value]))
}

fn null_test(value: Val, n: usize, want_null: bool) -> R<Val> {
    let array = broadcast(value, n)?;
    let out = if want_null {
        arrow::compute::is_null(&array)
    } else {
        arrow::compute::is_not_null(&array)
    }
    .map_err(s)?;
    Ok(Val::Array(Arc::new(out)))
}

fn call(function: &sqlparser::ast::Function, batch: &RecordBatch) -> R<Val> {
    let name = function.name.to_string().to_lowercase();
    let n = batch.num_rows();
    let args: Vec<Val> = match &function.args {
        FunctionArguments::List(list) => list
            .args
            .iter()
            .map(|arg| match arg {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => eval(e, batch),
                _ => Err(format!("`{name}` takes plain arguments")),
            })
            .collect::<R<_>>()?,
        FunctionArguments::None => Vec::new(),
        FunctionArguments::Subquery(_) => return Err("subqueries are not supported".to_owned()),
    };
    let arity = |k: usize| {
        if args.len() == k {
            Ok(())
        } else {
            Err(format!(
                "`{name}` takes {k} argument(s), not {}",
                args.len()
            ))
        }
    };
    match name.as_str() {
        "lower" | "upper" => {
            arity(1)?;
            let text = to_text(broadcast(args[0].clone(), n)?)?;
            let text = text
                .as_any()
                .downcast_ref::<StringArray>()
                .ok_or("expected text")?;
            let out: StringArray = text
                .iter()
                .map(|v| {
                    v.map(|t| {
                        if name == "lower" {
                            t.to_lowercase()
                        } else {
                            t.to_uppercase()
                        }
                    })
                })
                .collect();
            Ok(Val::Array(Arc::new(out)))
        }
        "length" | "char_length" => {
            arity(1)?;
            let text = to_text(broadcast(args[0].clone(), n)?)?;
            let text = text
                .as_any()
                .downcast_ref::<StringArray>()
                .ok_or("expected text")?;
            let out: Int64Array = text
                .iter()
                .map(|v| v.map(|t| t.chars().count() as i64))
                .collect();
            Ok(Val::Array(Arc::new(out)))
        }
        "starts_with" | "ends_with" | "contains" => {
            arity(2)?;
            let text = to_text(broadcast(args[0].clone(), n)?)?;
            let needle = to_text(broadcast(args[1].clone(), n)?)?;
            let out = match name.as_str() {
                "starts_with" => arrow::compute::kernels::comparison::starts_with(&text, &needle),
                "ends_with" => arrow::compute::kernels::comparison::ends_with(&text, &needle),
                _ => arrow::compute::kernels::comparison::contains(&text, &needle),
            }
            .map_err(s)?;
            Ok(Val::Array(Arc::new(out)))
        }
        "coalesce" => {
            if args.is_empty() {
                return Err("`coalesce` needs at least one argument".to_owned());
            }
            let mut acc = broadcast(args[0].clone(), n)?;
            for next in &args[1..] {
                let next = broadcast(next.clone(), n)?;
                let (a, b) = coerce_arrays(acc, next)?;
                let has = arrow::compute::is_not_null(&a).map_err(s)?;
                acc = arrow::compute::kernels::zip::zip(&has, &a, &b).map_err(s)?;
            }
            Ok(Val::Array(acc))
        }
        other => Err(format!(
            "function `{other}` is not supported; use lower, upper, length, starts_with, ends_with, contains or coalesce"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::datatypes::{Field, Schema};

    fn batch() -> RecordBatch {
        let schema = Schema::new(vec![
            Field::new("event", DataType::Utf8, true),
            Field::new("channel", DataType::Utf8, true),
            Field::new("nps", DataType::Int64, true),
            Field::new("score_text", DataType::Utf8, true),
        ]);
        RecordBatch::try_new(
            Arc::new(schema),
            vec![
                Arc::new(StringArray::from(vec![
                    Some("order_placed"),
                    Some("ad_click"),
                    None,
                    Some("Ad_Click"),
                ])),
                Arc::new(StringArray::from(vec![
                    Some("web"),
                    Some("social"),
                    Some("web"),
                    None,
                ])),
                Arc::new(Int64Array::from(vec![Some(9), None, Some(3), Some(10)])),
                Arc::new(StringArray::from(vec![
                    Some("9"),
                    Some("x"),
                    Some("3"),
                    None,
                ])),
            ],
        )
        .unwrap()
    }

    fn rows(text: &str) -> Vec<bool> {
        let p = Predicate::parse(text, ExprSite::Outcome { name: "t".into() }).unwrap();
        p.evaluate(&batch())
            .unwrap()
            .iter()
            .map(|v| v.unwrap())
            .collect()
    }

    #[test]
    fn sql_semantics() {
        assert_eq!(
            rows("event = 'ad_click' AND channel = 'social'"),
            [false, true, false, false]
        );
        assert_eq!(
            rows("event IN ('order_placed', 'ad_click')"),
            [true, true, false, false]
        );
        assert_eq!(
            rows("event NOT IN ('order_placed')"),
            [false, true, false, true]
        );
        assert_eq!(rows("nps >= 9"), [true, false, false, true]);
        assert_eq!(rows("nps BETWEEN 0 AND 6"), [false, false, true, false]);
        assert_eq!(rows("nps IS NULL"), [false, true, false, false]);
        assert_eq!(rows("NOT (channel = 'web')"), [false, true, false, false]);
        assert_eq!(
            rows("channel = 'web' OR nps > 5"),
            [true, false, true, true]
        );
        assert_eq!(rows("event LIKE 'ad%'"), [false, true, false, false]);
        assert_eq!(rows("event ILIKE 'ad%'"), [false, true, false, true]);
        assert_eq!(
            rows("lower(event) = 'ad_click'"),
            [false, true, false, true]
        );
        assert_eq!(
            rows("starts_with(event, 'order')"),
            [true, false, false, false]
        );
        // A text column compared with a number reads as numbers; non-numbers never match.
        assert_eq!(rows("score_text >= 5"), [true, false, false, false]);
        assert_eq!(rows("nps = '9'"), [true, false, false, false]);
        assert_eq!(rows("nps > -1 AND nps < 10"), [true, false, true, false]);
        assert_eq!(rows("missing_in_batch IS NULL"), [true, true, true, true]);
        assert_eq!(rows("true"), [true, true, true, true]);
    }

    #[test]
    fn unsupported_functions_say_what_is_supported() {
        let p =
            Predicate::parse("md5(event) = 'x'", ExprSite::Outcome { name: "t".into() }).unwrap();
        let error = p.evaluate(&batch()).unwrap_err().to_string();
        assert!(error.contains("function `md5` is not supported"), "{error}");
    }
}
