//! Current and future maps: a future map names, in `based_on`, the current map it improves.

use trailmap_diag::Diagnostic;
use trailmap_model::{JourneyState, Map};

use crate::context::{Ctx, yaml_path as path};
use crate::{Loader, codes, suggest};

pub(crate) fn run(ctx: &mut Ctx<'_>, loader: Option<&dyn Loader>) {
    let journey = &ctx.map.journey;
    match (journey.state, journey.based_on.as_deref()) {
        (JourneyState::Future, None) => {
            let span = ctx.span(&path!["journey", "state"]);
            ctx.push(
                Diagnostic::error(
                    codes::BASED_ON,
                    span,
                    "a future map must name the current map it improves",
                )
                .with_label("future map")
                .with_help(
                    "add `based_on: current.yaml` under `journey:` (a path relative to this file)",
                ),
            );
        }
        (JourneyState::Current, Some(_)) => {
            let span = ctx.key_span(&path!["journey", "based_on"]);
            ctx.push(
                Diagnostic::warning(codes::CURRENT_WITH_BASED_ON, span, "a current map does not improve on another map")
                    .with_label("ignored")
                    .with_help("set `state: future` if this map shows the journey as it should be, or remove `based_on`"),
            );
        }
        (JourneyState::Future, Some(based_on)) => {
            if let Some(loader) = loader
                && let Some(current) = load_current(ctx, loader, based_on)
            {
                replaced_steps(ctx, &current, based_on);
            }
        }
        (JourneyState::Current, None) => {}
    }
}

fn load_current(ctx: &mut Ctx<'_>, loader: &dyn Loader, based_on: &str) -> Option<Map> {
    let span = ctx.span(&path!["journey", "based_on"]);
    let text = match loader.read(based_on) {
        Ok(text) => text,
        Err(error) => {
            ctx.push(
                Diagnostic::error(
                    codes::BASED_ON,
                    span,
                    format!("cannot read `{based_on}`: {error}"),
                )
                .with_label("not found")
                .with_help("`based_on` is a path relative to this map's file"),
            );
            return None;
        }
    };
    let checked = crate::check_structure(&text);
    let Some(current) = checked.map else {
        ctx.push(
            Diagnostic::error(
                codes::BASED_ON,
                span,
                format!("`{based_on}` is not a valid map"),
            )
            .with_label("has errors")
            .with_help(format!("run `trailmap check {based_on}` and fix it first")),
        );
        return None;
    };
    if current.journey.state != JourneyState::Current {
        ctx.push(
            Diagnostic::error(
                codes::BASED_ON,
                span,
                format!(
                    "`{based_on}` is a {} map, not a current map",
                    current.journey.state.as_str()
                ),
            )
            .with_label("must be a current map")
            .with_help(
                "a future map improves on the map of the journey as it is today (`state: current`)",
            ),
        );
        return None;
    }
    Some(current)
}

fn replaced_steps(ctx: &mut Ctx<'_>, current: &Map, based_on: &str) {
    let known: Vec<&str> = current.steps().map(|s| s.step.id.as_str()).collect();
    for s in ctx.map.steps() {
        for (k, id) in s.step.replaces.iter().enumerate() {
            if known.contains(&id.as_str()) {
                continue;
            }
            let span = ctx.span(&path![
                "stages",
                s.stage_idx,
                "steps",
                s.step_idx,
                "replaces",
                k
            ]);
            ctx.push(
                Diagnostic::error(
                    codes::UNKNOWN_STEP,
                    span,
                    format!("`{based_on}` has no step `{id}`"),
                )
                .with_label("unknown step")
                .with_help_opt(suggest::help(id, &known, "its steps are")),
            );
        }
    }
}
