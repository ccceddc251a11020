//! Lint rules: warnings about maps that are valid but weaker than they should be.
//!
//! Each rule is one function named after its code's name; its doc comment is the rule's
//! documentation (see `codes.rs` for the one-line summary and the stable code).

use chrono::NaiveDate;
use trailmap_diag::Diagnostic;
use trailmap_model::Duration;

use crate::codes;
use crate::context::{Ctx, yaml_path as path};

/// Evidence older than this is stale unless the map's `lint.stale_after` says otherwise.
pub const DEFAULT_STALE_AFTER: Duration = Duration::from_days(365);

pub(crate) fn run(ctx: &mut Ctx<'_>, today: Option<NaiveDate>) {
    step_without_department(ctx);
    handoff_without_backstage(ctx);
    touchpoint_without_initiator(ctx);
    step_without_match(ctx);
    moment_of_truth_without_opportunity(ctx);
    if let Some(today) = today {
        stale_evidence(ctx, today);
    }
    persona_without_rule(ctx);
}

/// A step with no `department` has nobody accountable for it. Journey maps exist to get
/// departments to own the customer's experience together, so every step names its owner.
fn step_without_department(ctx: &mut Ctx<'_>) {
    for s in ctx.map.steps() {
        if s.step.department.is_none() && !ctx.map.departments.is_empty() {
            let span = ctx.span(&path!["stages", s.stage_idx, "steps", s.step_idx, "id"]);
            let ids: Vec<&str> = ctx.map.departments.iter().map(|d| d.id.as_str()).collect();
            ctx.push(
                Diagnostic::warning(
                    codes::STEP_WITHOUT_DEPARTMENT,
                    span,
                    format!("step `{}` has no owning department", s.step.id),
                )
                .with_label("who owns this step?")
                .with_help(format!("add `department:` with one of: {}", ids.join(", "))),
            );
        } else if s.step.department.is_none() {
            let span = ctx.span(&path!["stages", s.stage_idx, "steps", s.step_idx, "id"]);
            ctx.push(
                Diagnostic::warning(
                    codes::STEP_WITHOUT_DEPARTMENT,
                    span,
                    format!("step `{}` has no owning department", s.step.id),
                )
                .with_label("who owns this step?")
                .with_help("define the map's `departments:` and add `department:` to each step"),
            );
        }
    }
}

/// When the owning department changes from one step to the next, the customer is handed over.
/// Handoffs are where journeys break, so the step that receives one says in its backstage lane
/// what happens behind the scenes (the ticket, the data passed on, the system involved).
///
/// "The step before" is the nearest earlier step (in map order, with an owner) taken by at
/// least one of the same personas: a phone order after an online payment step is no handoff
/// when no persona takes both.
fn handoff_without_backstage(ctx: &mut Ctx<'_>) {
    let steps: Vec<_> = ctx.map.steps().collect();
    for (idx, s) in steps.iter().enumerate() {
        let Some(department) = s.step.department.as_deref() else {
            continue;
        };
        if s.step.business.backstage.is_some() {
            continue;
        }
        let previous = steps[..idx].iter().rev().find(|earlier| {
            earlier.step.department.is_some()
                && shares_persona(&earlier.step.personas, &s.step.personas)
        });
        let Some(previous) = previous.and_then(|p| p.step.department.as_deref()) else {
            continue;
        };
        if previous != department {
            let span = ctx.span(&path![
                "stages",
                s.stage_idx,
                "steps",
                s.step_idx,
                "department"
            ]);
            ctx.push(
                Diagnostic::warning(
                    codes::HANDOFF_WITHOUT_BACKSTAGE,
                    span,
                    format!("step `{}` hands the customer from `{previous}` to `{department}` with no backstage entry", s.step.id),
                )
                .with_label("handoff")
                .with_help("add `business: {backstage: ...}` saying what happens behind the scenes at this handoff"),
            );
        }
    }
}

/// Whether two steps' persona lists share a persona (an empty list means every persona).
fn shares_persona(a: &[String], b: &[String]) -> bool {
    a.is_empty() || b.is_empty() || a.iter().any(|p| b.contains(p))
}

/// Customers start about two thirds of all contacts; a map that does not say who starts each
/// touchpoint cannot show whether the company reaches out or only reacts.
fn touchpoint_without_initiator(ctx: &mut Ctx<'_>) {
    for s in ctx.map.steps() {
        for (k, touchpoint) in s.step.touchpoints.iter().enumerate() {
            if touchpoint.initiator.is_none() {
                let span = ctx.span(&path![
                    "stages",
                    s.stage_idx,
                    "steps",
                    s.step_idx,
                    "touchpoints",
                    k
                ]);
                ctx.push(
                    Diagnostic::warning(
                        codes::TOUCHPOINT_WITHOUT_INITIATOR,
                        span,
                        format!(
                            "this {} touchpoint does not say who starts it",
                            touchpoint.channel.as_str()
                        ),
                    )
                    .with_label("customer or company?")
                    .with_help("add `initiator: customer` or `initiator: company`"),
                );
            }
        }
    }
}

/// A step without `match` can never be proven by data: `trailmap analyze` has no way to tell
/// which events are evidence that a customer took it.
fn step_without_match(ctx: &mut Ctx<'_>) {
    for s in ctx.map.steps() {
        if s.step.matcher.is_none() {
            let span = ctx.span(&path!["stages", s.stage_idx, "steps", s.step_idx, "id"]);
            ctx.push(
                Diagnostic::warning(codes::STEP_WITHOUT_MATCH, span, format!("step `{}` has no `match` expression", s.step.id))
                    .with_label("no data can be evidence for this step")
                    .with_help("add `match: \"event = '...'\"` naming the events that show a customer took this step"),
            );
        }
    }
}

/// A moment of truth that hurts (it has a pain point) and has no opportunity is the most
/// expensive gap a map can show: the step that makes or breaks the relationship, known to be
/// broken, with no plan.
fn moment_of_truth_without_opportunity(ctx: &mut Ctx<'_>) {
    for s in ctx.map.steps() {
        if s.step.moment_of_truth
            && !s.step.pain_points.is_empty()
            && s.step.opportunities.is_empty()
        {
            let span = ctx.key_span(&path![
                "stages",
                s.stage_idx,
                "steps",
                s.step_idx,
                "moment_of_truth"
            ]);
            ctx.push(
                Diagnostic::warning(
                    codes::MOMENT_OF_TRUTH_WITHOUT_OPPORTUNITY,
                    span,
                    format!(
                        "moment of truth `{}` has {} pain point(s) and no opportunity",
                        s.step.id,
                        s.step.pain_points.len()
                    ),
                )
                .with_label("known to hurt, no plan")
                .with_help("add `opportunities: [{text: ..., owner: ..., status: idea}]`"),
            );
        }
    }
}

/// Evidence is only as good as its last check. A card verified longer ago than `lint.stale_after`
/// (default 365 days) is reported so the team re-checks it against research or data.
fn stale_evidence(ctx: &mut Ctx<'_>, today: NaiveDate) {
    let stale_after = ctx.map.lint.stale_after.unwrap_or(DEFAULT_STALE_AFTER);
    let max_days = (stale_after.seconds() / 86_400) as i64;
    for s in ctx.map.steps() {
        let base = path!["stages", s.stage_idx, "steps", s.step_idx];
        let mut cards: Vec<(Option<&str>, Vec<crate::yaml::PathPart<'_>>)> = Vec::new();
        if let Some(evidence) = &s.step.evidence {
            let mut at = base.to_vec();
            at.extend(path!["evidence", "verified"]);
            cards.push((evidence.verified.as_deref(), at));
        }
        for (k, pain_point) in s.step.pain_points.iter().enumerate() {
            if let Some(evidence) = &pain_point.evidence {
                let mut at = base.to_vec();
                at.extend(path!["pain_points", k, "evidence", "verified"]);
                cards.push((evidence.verified.as_deref(), at));
            }
        }
        for (verified, at) in cards {
            let Some(date) = verified.and_then(crate::parse_date) else {
                continue;
            };
            let age = (today - date).num_days();
            if age > max_days {
                ctx.push(
                    Diagnostic::warning(
                        codes::STALE_EVIDENCE,
                        ctx.span(&at),
                        format!(
                            "evidence was last verified {age} days ago (stale after {max_days})"
                        ),
                    )
                    .with_label("stale")
                    .with_help("check it again against research or data and update `verified:`"),
                );
            }
        }
    }
}

/// A persona without a `rule` exists only on paper: evidence runs cannot tell which customers
/// belong to it, so none of its figures can be measured.
fn persona_without_rule(ctx: &mut Ctx<'_>) {
    for (i, persona) in ctx.map.personas.iter().enumerate() {
        if persona.rule.is_none() {
            let span = ctx.span(&path!["personas", i, "id"]);
            ctx.push(
                Diagnostic::warning(codes::PERSONA_WITHOUT_RULE, span, format!("persona `{}` has no `rule`", persona.id))
                    .with_label("customers cannot be assigned to this persona")
                    .with_help("add `rule:` with a SQL condition over customer attributes, e.g. \"age BETWEEN 25 AND 40\""),
            );
        }
    }
}
