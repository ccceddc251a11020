//! What a map's SQL expressions ask of a row: `match`, `feedback`, persona `rule`s, `outcomes`.
//!
//! An expression is parsed with `sqlparser` (GenericDialect, as `trailmap check` does) and turned
//! into disjunctive normal form: a list of [`Branch`]es, any of which makes the expression true,
//! each a conjunction of simple [`Constraint`]s on one column (`col = 'lit'`, `col IN (...)`,
//! `col BETWEEN a AND b`, `col >= n`, `col IS NOT NULL`, `col LIKE 'p%'`, and their negations).
//! `NOT` is pushed down to the constraints. A generator satisfies an expression by picking one
//! branch and satisfying each of its constraints.
//!
//! Parts it does not understand (functions, arithmetic, comparisons between columns) are left
//! out, which makes the expression looser than written, and are reported in
//! [`Dnf::not_understood`] so the user learns that generated rows may not satisfy them.

use sqlparser::ast::{BinaryOperator, Expr, Ident, UnaryOperator, Value};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;

/// Expressions that expand to more branches than this keep only the first ones.
const MAX_BRANCHES: usize = 256;

/// A literal an expression compares a column with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Str(String),
    /// A number, and whether it was written as an integer.
    Num(f64, bool),
    Bool(bool),
}

/// One end of a numeric range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bound {
    pub(crate) value: f64,
    pub(crate) inclusive: bool,
}

/// What one constraint asks of its column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Pred {
    Eq(Lit),
    Ne(Lit),
    In(Vec<Lit>),
    NotIn(Vec<Lit>),
    /// A numeric range; a missing end is unbounded.
    Range {
        lo: Option<Bound>,
        hi: Option<Bound>,
    },
    IsNull,
    NotNull,
    /// SQL `LIKE` (and `ILIKE`, treated alike): `%` any text, `_` one character.
    Like {
        pattern: String,
        negated: bool,
    },
}

/// A condition on one column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Constraint {
    pub(crate) column: String,
    pub(crate) pred: Pred,
}

/// Constraints that must all hold.
pub(crate) type Branch = Vec<Constraint>;

/// An expression as branches, any of which makes it true. No branch at all means never true.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Dnf {
    pub(crate) branches: Vec<Branch>,
    /// The parts of the expression that were left out, as SQL text.
    pub(crate) not_understood: Vec<String>,
}

impl Dnf {
    /// Every column the expression constrains, with the literals it is compared with.
    pub(crate) fn literals(&self) -> impl Iterator<Item = (&str, &Lit)> {
        self.branches
            .iter()
            .flatten()
            .flat_map(|c| pred_literals(&c.pred).map(move |l| (c.column.as_str(), l)))
    }

    /// Every column the expression names.
    pub(crate) fn columns(&self) -> impl Iterator<Item = &str> {
        self.branches.iter().flatten().map(|c| c.column.as_str())
    }
}

fn pred_literals(pred: &Pred) -> Box<dyn Iterator<Item = &Lit> + '_> {
    match pred {
        Pred::Eq(l) | Pred::Ne(l) => Box::new(std::iter::once(l)),
        Pred::In(ls) | Pred::NotIn(ls) => Box::new(ls.iter()),
        Pred::Range { .. } | Pred::IsNull | Pred::NotNull | Pred::Like { .. } => {
            Box::new(std::iter::empty())
        }
    }
}

/// Parses an expression into branches. A text that does not parse (the checker rejects such
/// maps) gives the always-true expression with the whole text reported as not understood.
pub(crate) fn parse(text: &str) -> Dnf {
    let dialect = GenericDialect {};
    let expr = Parser::new(&dialect)
        .try_with_sql(text)
        .and_then(|mut parser| parser.parse_expr());
    let Ok(expr) = expr else {
        return Dnf {
            branches: vec![Vec::new()],
            not_understood: vec![text.to_owned()],
        };
    };
    let mut not_understood = Vec::new();
    let branches = dnf(&expr, false, &mut not_understood);
    Dnf {
        branches,
        not_understood,
    }
}

/// The branches of `expr`, or of `NOT expr` when `negated`.
fn dnf(expr: &Expr, negated: bool, skipped: &mut Vec<String>) -> Vec<Branch> {
    match expr {
        Expr::Nested(inner) => dnf(inner, negated, skipped),
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => dnf(expr, !negated, skipped),
        Expr::BinaryOp { left, op, right } => match op {
            BinaryOperator::And | BinaryOperator::Or => {
                let l = dnf(left, negated, skipped);
                let r = dnf(right, negated, skipped);
                // De Morgan: under NOT, AND becomes OR and OR becomes AND.
                if (*op == BinaryOperator::And) != negated {
                    product(l, r)
                } else {
                    union(l, r)
                }
            }
            _ => match comparison(left, op, right, negated) {
                Some(constraint) => vec![vec![constraint]],
                None => unknown(expr, skipped),
            },
        },
        Expr::InList {
            expr: inner,
            list,
            negated: not_in,
        } => {
            let (Some(column), Some(values)) = (column_of(inner), literals_of(list)) else {
                return unknown(expr, skipped);
            };
            let pred = if *not_in != negated {
                Pred::NotIn(values)
            } else {
                Pred::In(values)
            };
            vec![vec![Constraint { column, pred }]]
        }
        Expr::Between {
            expr: inner,
            negated: not_between,
            low,
            high,
        } => {
            let (Some(column), Some(Lit::Num(lo, _)), Some(Lit::Num(hi, _))) =
                (column_of(inner), literal_of(low), literal_of(high))
            else {
                return unknown(expr, skipped);
            };
            if *not_between != negated {
                let below = Constraint {
                    column: column.clone(),
                    pred: range(None, Some((lo, false))),
                };
                let above = Constraint {
                    column,
                    pred: range(Some((hi, false)), None),
                };
                vec![vec![below], vec![above]]
            } else {
                vec![vec![Constraint {
                    column,
                    pred: range(Some((lo, true)), Some((hi, true))),
                }]]
            }
        }
        Expr::IsNull(inner) | Expr::IsNotNull(inner) => {
            let Some(column) = column_of(inner) else {
                return unknown(expr, skipped);
            };
            let is_null = matches!(expr, Expr::IsNull(_)) != negated;
            let pred = if is_null { Pred::IsNull } else { Pred::NotNull };
            vec![vec![Constraint { column, pred }]]
        }
        Expr::IsTrue(inner) | Expr::IsFalse(inner) => {
            let Some(column) = column_of(inner) else {
                return unknown(expr, skipped);
            };
            let value = matches!(expr, Expr::IsTrue(_)) != negated;
            vec![vec![Constraint {
                column,
                pred: Pred::Eq(Lit::Bool(value)),
            }]]
        }
        Expr::Like {
            negated: not_like,
            any: false,
            expr: inner,
            pattern,
            ..
        }
        | Expr::ILike {
            negated: not_like,
            any: false,
            expr: inner,
            pattern,
            ..
        } => {
            let (Some(column), Some(Lit::Str(pattern))) = (column_of(inner), literal_of(pattern))
            else {
                return unknown(expr, skipped);
            };
            vec![vec![Constraint {
                column,
                pred: Pred::Like {
                    pattern,
                    negated: *not_like != negated,
                },
            }]]
        }
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => match column_of(expr) {
            // A bare boolean column.
            Some(column) => vec![vec![Constraint {
                column,
                pred: Pred::Eq(Lit::Bool(!negated)),
            }]],
            None => unknown(expr, skipped),
        },
        Expr::Value(v) => match &v.value {
            Value::Boolean(b) if *b != negated => vec![Vec::new()],
            Value::Boolean(_) => Vec::new(),
            _ => unknown(expr, skipped),
        },
        _ => unknown(expr, skipped),
    }
}

/// A part that is left out: it holds for every row, as far as generation is concerned.
fn unknown(expr: &Expr, skipped: &mut Vec<String>) -> Vec<Branch> {
    skipped.push(expr.to_string());
    vec![Vec::new()]
}

fn union(mut l: Vec<Branch>, r: Vec<Branch>) -> Vec<Branch> {
    l.extend(r);
    l.truncate(MAX_BRANCHES);
    l
}

fn product(l: Vec<Branch>, r: Vec<Branch>) -> Vec<Branch> {
    let mut out = Vec::with_capacity((l.len() * r.len()).min(MAX_BRANCHES));
    'outer: for a in &l {
        for b in &r {
            if out.len() == MAX_BRANCHES {
                break 'outer;
            }
            let mut branch = a.clone();
            branch.extend(b.iter().cloned());
            out.push(branch);
        }
    }
    out
}

fn range(lo: Option<(f64, bool)>, hi: Option<(f64, bool)>) -> Pred {
    let bound = |(value, inclusive)| Bound { value, inclusive };
    Pred::Range {
        lo: lo.map(bound),
        hi: hi.map(bound),
    }
}

/// `col op literal` or `literal op col`, negated when asked.
fn comparison(left: &Expr, op: &BinaryOperator, right: &Expr, negated: bool) -> Option<Constraint> {
    let (column, lit, op) = match (column_of(left), column_of(right)) {
        (Some(column), None) => (column, literal_of(right)?, op.clone()),
        (None, Some(column)) => (column, literal_of(left)?, flip(op)?),
        _ => return None,
    };
    let op = if negated { negate(&op)? } else { op };
    let pred = match op {
        BinaryOperator::Eq => Pred::Eq(lit),
        BinaryOperator::NotEq => Pred::Ne(lit),
        BinaryOperator::Lt | BinaryOperator::LtEq | BinaryOperator::Gt | BinaryOperator::GtEq => {
            let Lit::Num(n, _) = lit else {
                return None;
            };
            match op {
                BinaryOperator::Lt => range(None, Some((n, false))),
                BinaryOperator::LtEq => range(None, Some((n, true))),
                BinaryOperator::Gt => range(Some((n, false)), None),
                _ => range(Some((n, true)), None),
            }
        }
        _ => return None,
    };
    Some(Constraint { column, pred })
}

/// The operator with its operands swapped: `3 < x` is `x > 3`.
fn flip(op: &BinaryOperator) -> Option<BinaryOperator> {
    Some(match op {
        BinaryOperator::Eq => BinaryOperator::Eq,
        BinaryOperator::NotEq => BinaryOperator::NotEq,
        BinaryOperator::Lt => BinaryOperator::Gt,
        BinaryOperator::LtEq => BinaryOperator::GtEq,
        BinaryOperator::Gt => BinaryOperator::Lt,
        BinaryOperator::GtEq => BinaryOperator::LtEq,
        _ => return None,
    })
}

fn negate(op: &BinaryOperator) -> Option<BinaryOperator> {
    Some(match op {
        BinaryOperator::Eq => BinaryOperator::NotEq,
        BinaryOperator::NotEq => BinaryOperator::Eq,
        BinaryOperator::Lt => BinaryOperator::GtEq,
        BinaryOperator::LtEq => BinaryOperator::Gt,
        BinaryOperator::Gt => BinaryOperator::LtEq,
        BinaryOperator::GtEq => BinaryOperator::Lt,
        _ => return None,
    })
}

/// The column an expression names. Unquoted names are case-insensitive in SQL (and folded to
/// lower case by DataFusion), so they are lower-cased here too.
fn column_of(expr: &Expr) -> Option<String> {
    let ident = match expr {
        Expr::Identifier(ident) => ident,
        Expr::CompoundIdentifier(parts) => parts.last()?,
        Expr::Nested(inner) => return column_of(inner),
        _ => return None,
    };
    Some(ident_name(ident))
}

fn ident_name(ident: &Ident) -> String {
    match ident.quote_style {
        Some(_) => ident.value.clone(),
        None => ident.value.to_lowercase(),
    }
}

fn literal_of(expr: &Expr) -> Option<Lit> {
    match expr {
        Expr::Nested(inner) => literal_of(inner),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => match literal_of(expr)? {
            Lit::Num(n, int) => Some(Lit::Num(-n, int)),
            _ => None,
        },
        Expr::Value(v) => match &v.value {
            Value::Number(text, _) => {
                let n: f64 = text.parse().ok()?;
                let int = !text.contains(['.', 'e', 'E']);
                Some(Lit::Num(n, int))
            }
            Value::SingleQuotedString(s)
            | Value::EscapedStringLiteral(s)
            | Value::NationalStringLiteral(s) => Some(Lit::Str(s.clone())),
            Value::Boolean(b) => Some(Lit::Bool(*b)),
            _ => None,
        },
        _ => None,
    }
}

fn literals_of(list: &[Expr]) -> Option<Vec<Lit>> {
    list.iter().map(literal_of).collect()
}

/// SQL `LIKE` on a whole string: `%` matches any run of characters, `_` exactly one.
pub(crate) fn like(text: &str, pattern: &str) -> bool {
    let t: Vec<char> = text.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    // Iterative matching with backtracking to the last `%`.
    let (mut ti, mut pi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '_' || (p[pi] != '%' && p[pi] == t[ti])) {
            ti += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == '%' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '%' {
        pi += 1;
    }
    pi == p.len()
}

/// A text that matches a `LIKE` pattern: `%` dropped, `_` replaced by `x`.
pub(crate) fn like_example(pattern: &str) -> String {
    pattern
        .chars()
        .filter(|c| *c != '%')
        .map(|c| if c == '_' { 'x' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders branches compactly, one per line, so tests read like the SQL they check.
    fn check(sql: &str, expect: &str) {
        let dnf = parse(sql);
        let mut lines: Vec<String> = dnf
            .branches
            .iter()
            .map(|branch| {
                if branch.is_empty() {
                    return "(true)".to_owned();
                }
                branch
                    .iter()
                    .map(|c| format!("{} {}", c.column, show(&c.pred)))
                    .collect::<Vec<_>>()
                    .join(" & ")
            })
            .collect();
        for part in &dnf.not_understood {
            lines.push(format!("skipped: {part}"));
        }
        assert_eq!(lines.join("\n"), expect.trim(), "for {sql}");
    }

    fn show(pred: &Pred) -> String {
        let lit = |l: &Lit| match l {
            Lit::Str(s) => format!("'{s}'"),
            Lit::Num(n, _) => format!("{n}"),
            Lit::Bool(b) => format!("{b}"),
        };
        let list = |ls: &[Lit]| ls.iter().map(lit).collect::<Vec<_>>().join(",");
        let bound = |b: &Option<Bound>, open: &str, closed: &str| match b {
            None => String::new(),
            Some(b) => format!("{}{}", if b.inclusive { closed } else { open }, b.value),
        };
        match pred {
            Pred::Eq(l) => format!("= {}", lit(l)),
            Pred::Ne(l) => format!("<> {}", lit(l)),
            Pred::In(ls) => format!("in [{}]", list(ls)),
            Pred::NotIn(ls) => format!("not in [{}]", list(ls)),
            Pred::Range { lo, hi } => {
                format!("range {}..{}", bound(lo, "(", "["), bound(hi, ")", "]"))
            }
            Pred::IsNull => "is null".to_owned(),
            Pred::NotNull => "not null".to_owned(),
            Pred::Like { pattern, negated } => {
                format!("{}like '{pattern}'", if *negated { "not " } else { "" })
            }
        }
    }

    #[test]
    fn conjunction_of_equalities_and_lists() {
        check(
            "event IN ('search_performed', 'product_viewed') AND channel IN ('web', 'app')",
            "event in ['search_performed','product_viewed'] & channel in ['web','app']",
        );
        check(
            "event = 'ad_clicked' AND channel = 'social'",
            "event = 'ad_clicked' & channel = 'social'",
        );
    }

    #[test]
    fn ranges_between_and_flipped_comparisons() {
        check(
            "age BETWEEN 25 AND 40 AND signup_channel = 'app'",
            "age range [25..]40 & signup_channel = 'app'",
        );
        check("order_count >= 2", "order_count range [2..");
        check("2 <= order_count", "order_count range [2..");
        check("rating < 3", "rating range ..)3");
        check("team_size > -1", "team_size range (-1..");
    }

    #[test]
    fn or_gives_branches_and_and_distributes() {
        check(
            "event = 'ticket_reopened' OR (event IN ('chat_started', 'call_started') AND contact_count >= 2)",
            "event = 'ticket_reopened'\nevent in ['chat_started','call_started'] & contact_count range [2..",
        );
        check(
            "(a = 1 OR a = 2) AND (b = 'x' OR b = 'y')",
            "a = 1 & b = 'x'\na = 1 & b = 'y'\na = 2 & b = 'x'\na = 2 & b = 'y'",
        );
    }

    #[test]
    fn not_is_pushed_down() {
        check("NOT (a = 1 OR b IN ('x'))", "a <> 1 & b not in ['x']");
        check("NOT (a = 1 AND b IS NULL)", "a <> 1\nb not null");
        check("a NOT BETWEEN 1 AND 5", "a range ..)1\na range (5..");
        check("NOT a >= 3", "a range ..)3");
        check("text NOT LIKE '%late%'", "text not like '%late%'");
        check("ces IS NOT NULL", "ces not null");
    }

    #[test]
    fn unquoted_names_fold_to_lower_case() {
        check("Event = 'X'", "event = 'X'");
        check("\"Event\" = 'X'", "Event = 'X'");
        check("e.channel = 'web'", "channel = 'web'");
    }

    #[test]
    fn what_is_not_understood_is_reported_and_left_out() {
        check(
            "event = 'review_posted' AND lower(text) LIKE '%late%'",
            "event = 'review_posted'\nskipped: lower(text) LIKE '%late%'",
        );
        check("a = b", "(true)\nskipped: a = b");
        check("FALSE", "");
    }

    #[test]
    fn like_matches_sql_semantics() {
        assert!(like("order_placed", "order_%"));
        assert!(like("order_placed", "%placed"));
        assert!(like("abc", "a_c"));
        assert!(!like("abc", "a_"));
        assert!(like("", "%"));
        assert!(like("a%b", "a%b"));
        assert!(like(&like_example("%late_%"), "%late_%"));
    }
}
