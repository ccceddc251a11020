//! Checks that need the whole map: ids, references, expressions, shares, KPI targets, dates.

use std::collections::HashMap;

use trailmap_diag::{Diagnostic, Span};
use trailmap_model::Metric;

use crate::context::{Ctx, yaml_path as path};
use crate::yaml::{NodeKind, PathPart};
use crate::{codes, expr_pos, sql, suggest};

pub(crate) fn run(ctx: &mut Ctx<'_>) {
    duplicate_ids(ctx);
    references(ctx);
    expressions(ctx);
    persona_shares(ctx);
    kpis(ctx);
    dates(ctx);
    lint_allow(ctx);
}

fn duplicate_ids(ctx: &mut Ctx<'_>) {
    let map = ctx.map;
    let personas: Vec<(String, Vec<PathPart<'_>>)> = map
        .personas
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), path!["personas", i, "id"].to_vec()))
        .collect();
    report_duplicates(ctx, "persona", &personas);
    let departments: Vec<_> = map
        .departments
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.clone(), path!["departments", i, "id"].to_vec()))
        .collect();
    report_duplicates(ctx, "department", &departments);
    let stages: Vec<_> = map
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), path!["stages", i, "id"].to_vec()))
        .collect();
    report_duplicates(ctx, "stage", &stages);
    let steps: Vec<_> = map
        .steps()
        .map(|s| {
            (
                s.step.id.clone(),
                path!["stages", s.stage_idx, "steps", s.step_idx, "id"].to_vec(),
            )
        })
        .collect();
    report_duplicates(ctx, "step", &steps);
}

fn report_duplicates(ctx: &mut Ctx<'_>, what: &str, ids: &[(String, Vec<PathPart<'_>>)]) {
    let mut first: HashMap<&str, Span> = HashMap::new();
    for (id, path) in ids {
        if id.is_empty() {
            continue;
        }
        let span = ctx.span(path);
        match first.get(id.as_str()) {
            Some(&earlier) => ctx.push(
                Diagnostic::error(
                    codes::DUPLICATE_ID,
                    span,
                    format!("{what} id `{id}` is used twice"),
                )
                .with_label("second use")
                .with_secondary(earlier, "first used here")
                .with_help(format!("give each {what} its own id, e.g. `{id}-2`")),
            ),
            None => {
                first.insert(id, span);
            }
        }
    }
}

fn references(ctx: &mut Ctx<'_>) {
    let map = ctx.map;
    let persona_ids: Vec<&str> = map.personas.iter().map(|p| p.id.as_str()).collect();
    let department_ids: Vec<&str> = map.departments.iter().map(|d| d.id.as_str()).collect();
    let outcome_names: Vec<&str> = map.outcomes.keys().map(String::as_str).collect();
    for s in map.steps() {
        let (si, ti) = (s.stage_idx, s.step_idx);
        for (k, persona) in s.step.personas.iter().enumerate() {
            check_ref(
                ctx,
                persona,
                &persona_ids,
                &path!["stages", si, "steps", ti, "personas", k],
                "persona",
                codes::UNKNOWN_PERSONA,
            );
        }
        if let Some(department) = &s.step.department {
            check_ref(
                ctx,
                department,
                &department_ids,
                &path!["stages", si, "steps", ti, "department"],
                "department",
                codes::UNKNOWN_DEPARTMENT,
            );
        }
        for (k, touchpoint) in s.step.touchpoints.iter().enumerate() {
            if let Some(department) = &touchpoint.department {
                check_ref(
                    ctx,
                    department,
                    &department_ids,
                    &path!["stages", si, "steps", ti, "touchpoints", k, "department"],
                    "department",
                    codes::UNKNOWN_DEPARTMENT,
                );
            }
        }
        for (k, pain_point) in s.step.pain_points.iter().enumerate() {
            if let Some(persona) = &pain_point.persona {
                check_ref(
                    ctx,
                    persona,
                    &persona_ids,
                    &path!["stages", si, "steps", ti, "pain_points", k, "persona"],
                    "persona",
                    codes::UNKNOWN_PERSONA,
                );
            }
        }
        for (k, kpi) in s.step.kpis.iter().enumerate() {
            if let Some(outcome) = &kpi.outcome {
                check_ref(
                    ctx,
                    outcome,
                    &outcome_names,
                    &path!["stages", si, "steps", ti, "kpis", k, "outcome"],
                    "outcome",
                    codes::UNKNOWN_OUTCOME,
                );
            }
        }
    }
}

fn check_ref(
    ctx: &mut Ctx<'_>,
    id: &str,
    known: &[&str],
    at: &[PathPart<'_>],
    what: &str,
    code: trailmap_diag::Code,
) {
    if id.is_empty() || known.contains(&id) {
        return;
    }
    let help = if known.is_empty() {
        Some(format!(
            "the map defines no {what}s yet: add one under `{what}s:`"
        ))
    } else {
        suggest::help(id, known, &format!("the map's {what}s are"))
    };
    ctx.push(
        Diagnostic::error(code, ctx.span(at), format!("unknown {what} `{id}`"))
            .with_label(format!("no {what} is called `{id}`"))
            .with_help_opt(help),
    );
}

fn expressions(ctx: &mut Ctx<'_>) {
    let map = ctx.map;
    for (i, persona) in map.personas.iter().enumerate() {
        if let Some(rule) = &persona.rule {
            check_expr(ctx, rule, &path!["personas", i, "rule"]);
        }
    }
    for s in map.steps() {
        let (si, ti) = (s.stage_idx, s.step_idx);
        if let Some(matcher) = &s.step.matcher {
            check_expr(ctx, matcher, &path!["stages", si, "steps", ti, "match"]);
        }
        if let Some(feedback) = &s.step.feedback {
            check_expr(ctx, feedback, &path!["stages", si, "steps", ti, "feedback"]);
        }
    }
    for (name, expr) in &map.outcomes {
        check_expr(ctx, expr, &path!["outcomes", name.as_str()]);
    }
}

fn check_expr(ctx: &mut Ctx<'_>, expr: &str, at: &[PathPart<'_>]) {
    let to_file = |ctx: &Ctx<'_>, start: usize, end: usize| match ctx.node(at) {
        Some(node) => match &node.kind {
            NodeKind::Scalar { value, style } => {
                expr_pos::map_range(ctx.text, node.span, *style, value, start, end)
            }
            _ => node.span,
        },
        None => ctx.span(at),
    };
    match sql::parse_boolean(expr) {
        Ok(parsed) => {
            for (start, end, name) in parsed.quoted_values {
                let span = to_file(ctx, start, end);
                ctx.push(
                    Diagnostic::warning(
                        codes::DOUBLE_QUOTED_VALUE,
                        span,
                        format!("\"{name}\" in double quotes is a column name in SQL, not a text"),
                    )
                    .with_label("a column, not a text")
                    .with_help(format!("write text in single quotes: '{name}'")),
                );
            }
        }
        Err(problem) => {
            let span = to_file(ctx, problem.start, problem.end);
            ctx.push(
                Diagnostic::error(problem.code, span, problem.message)
                    .with_label("here")
                    .with_help_opt(problem.help),
            );
        }
    }
}

fn persona_shares(ctx: &mut Ctx<'_>) {
    let total: f64 = ctx.map.personas.iter().filter_map(|p| p.share).sum();
    if total > 1.0 + 1e-9 {
        let parts = ctx
            .map
            .personas
            .iter()
            .filter_map(|p| Some(format!("{} {}", p.id, p.share?)))
            .collect::<Vec<_>>()
            .join(" + ");
        let span = ctx.key_span(&path!["personas"]);
        ctx.push(
            Diagnostic::error(
                codes::SHARES_OVER_ONE,
                span,
                format!(
                    "the personas' shares add up to {}, more than 1",
                    round(total)
                ),
            )
            .with_label(parts)
            .with_help(
                "a share is a fraction of the whole customer base; together they can be at most 1",
            ),
        );
    }
}

fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn kpis(ctx: &mut Ctx<'_>) {
    let map = ctx.map;
    for s in map.steps() {
        for (k, kpi) in s.step.kpis.iter().enumerate() {
            let at = path!["stages", s.stage_idx, "steps", s.step_idx, "kpis", k];
            let (min, max) = kpi.metric.range();
            if !(min..=max).contains(&kpi.target) {
                let range = if max.is_infinite() {
                    format!("at least {min}")
                } else {
                    format!("from {min} to {max}")
                };
                let mut target_path = at.to_vec();
                target_path.push(PathPart::Key("target"));
                let help = match kpi.metric {
                    Metric::Conversion
                    | Metric::DropOff
                    | Metric::RepeatContact
                    | Metric::Outcome
                        if kpi.target > 1.0 && kpi.target <= 100.0 =>
                    {
                        Some(format!(
                            "rates are fractions: write {} for {}%",
                            kpi.target / 100.0,
                            kpi.target
                        ))
                    }
                    Metric::TimeToNext => Some("time_to_next targets are in seconds".to_owned()),
                    _ => None,
                };
                ctx.push(
                    Diagnostic::error(
                        codes::OUT_OF_RANGE,
                        ctx.span(&target_path),
                        format!(
                            "a `{}` target must be {range}, found {}",
                            kpi.metric.as_str(),
                            kpi.target
                        ),
                    )
                    .with_label("out of range")
                    .with_help_opt(help),
                );
            }
            if kpi.metric == Metric::Outcome && kpi.outcome.is_none() {
                let mut metric_path = at.to_vec();
                metric_path.push(PathPart::Key("metric"));
                let names: Vec<&str> = map.outcomes.keys().map(String::as_str).collect();
                ctx.push(
                    Diagnostic::error(
                        codes::MISSING_KEY,
                        ctx.span(&metric_path),
                        "an `outcome` KPI must name its outcome",
                    )
                    .with_label("which outcome?")
                    .with_help(if names.is_empty() {
                        "add `outcome: churn` (and define `churn` under the map's `outcomes:`)"
                            .to_owned()
                    } else {
                        format!("add `outcome: {}`", names[0])
                    }),
                );
            }
            if kpi.metric == Metric::Outcome && kpi.direction.is_none() {
                let mut metric_path = at.to_vec();
                metric_path.push(PathPart::Key("metric"));
                ctx.push(
                    Diagnostic::error(
                        codes::MISSING_KEY,
                        ctx.span(&metric_path),
                        "an `outcome` KPI must say whether the rate should be at least or at most the target",
                    )
                    .with_label("which direction?")
                    .with_help("add `direction: at_most` (e.g. churn) or `direction: at_least` (e.g. renewal)"),
                );
            }
        }
    }
}

fn dates(ctx: &mut Ctx<'_>) {
    let map = ctx.map;
    for s in map.steps() {
        let base = path!["stages", s.stage_idx, "steps", s.step_idx];
        if let Some(verified) = s.step.evidence.as_ref().and_then(|e| e.verified.as_deref()) {
            let mut at = base.to_vec();
            at.extend(path!["evidence", "verified"]);
            check_date(ctx, verified, &at);
        }
        for (k, pain_point) in s.step.pain_points.iter().enumerate() {
            if let Some(verified) = pain_point
                .evidence
                .as_ref()
                .and_then(|e| e.verified.as_deref())
            {
                let mut at = base.to_vec();
                at.extend(path!["pain_points", k, "evidence", "verified"]);
                check_date(ctx, verified, &at);
            }
        }
    }
}

fn check_date(ctx: &mut Ctx<'_>, text: &str, at: &[PathPart<'_>]) {
    if crate::parse_date(text).is_none() {
        ctx.push(
            Diagnostic::error(
                codes::INVALID_FORMAT,
                ctx.span(at),
                format!("`{text}` is not a date on the calendar"),
            )
            .with_label("no such day")
            .with_help("write dates as YYYY-MM-DD, e.g. 2026-09-01"),
        );
    }
}

fn lint_allow(ctx: &mut Ctx<'_>) {
    let names: Vec<&str> = codes::ALL
        .iter()
        .filter(|(_, severity, _)| *severity == trailmap_diag::Severity::Warning)
        .map(|(code, _, _)| code.name)
        .collect();
    for (i, rule) in ctx.map.lint.allow.iter().enumerate() {
        let known = codes::find(rule)
            .is_some_and(|(_, severity, _)| severity == trailmap_diag::Severity::Warning);
        if !known {
            ctx.push(
                Diagnostic::error(
                    codes::UNKNOWN_RULE,
                    ctx.span(&path!["lint", "allow", i]),
                    format!("no lint rule is called `{rule}`"),
                )
                .with_label("unknown rule")
                .with_help_opt(suggest::help(rule, &names, "the lint rules are")),
            );
        }
    }
}
