//! The structured editor: stages and steps as plain forms (every button works without
//! JavaScript), each submitting one operation of `edit.rs` with the version it started from.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use trailmap_model::{Channel, Map as Model, OpportunityStatus, Step};
use trailmap_store::{Action, MapId};

use super::layout::{Viewer, csrf_field, notice, page};
use super::map::{MapCtx, map_header};
use super::source::{Resubmit, conflict_page, diagnostics_list, parse_base};
use crate::auth::SignedIn;
use crate::edit::{self, SPARE_ROWS};
use crate::error::AppError;
use crate::form::Fields;
use crate::maps::{self, Saved};
use crate::state::AppState;

fn op_button(
    ctx: &MapCtx,
    csrf: &str,
    base: i64,
    fields: &[(&str, &str)],
    label: &str,
    aria: &str,
    class: &str,
) -> Markup {
    html! {
        form.inline-form method="post" action=(ctx.url("/edit")) {
            (csrf_field(csrf))
            input type="hidden" name="base" value=(base);
            @for (k, v) in fields { input type="hidden" name=(k) value=(v); }
            button type="submit" class=(class) aria-label=(aria) { (label) }
        }
    }
}

pub(crate) async fn structure_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    ctx.require(&who.principal, Action::EditMap)?;
    let version = state.store().latest_version(&who.principal, id).await?;
    let model = maps::model_of(&version)?;
    let base = version.info.number;
    let csrf = who.csrf.as_str();
    let viewer = Viewer {
        user: Some(&who.user),
        csrf,
    };
    let body = html! {
        (map_header(&ctx, &who.principal, "Structure"))
        @if crate::yaml_write::has_inner_comments(&version.yaml) {
            (notice("warn", html! { "This map's file has comments inside it. Changes made here rewrite the file in its normal layout and keep only the comments at its top; use the Source tab to keep them." }))
        }
        p { "Editing version " (base) ". Every change is checked and saved as a new version." }
        @for (si, stage) in model.stages.iter().enumerate() {
            section.stage aria-labelledby=(format!("stage-{}", stage.id)) {
                header {
                    h2 #(format!("stage-{}", stage.id)) { (si + 1) ". " (stage.name) }
                    (op_button(&ctx, csrf, base, &[("op", "stage-move"), ("stage", &stage.id), ("direction", "up")], "↑", &format!("Move stage {} left", stage.name), "small secondary"))
                    (op_button(&ctx, csrf, base, &[("op", "stage-move"), ("stage", &stage.id), ("direction", "down")], "↓", &format!("Move stage {} right", stage.name), "small secondary"))
                    (op_button(&ctx, csrf, base, &[("op", "stage-delete"), ("stage", &stage.id)], "Delete", &format!("Delete stage {}", stage.name), "small danger"))
                }
                details {
                    summary { "Edit stage " (stage.name) }
                    form method="post" action=(ctx.url("/edit")) {
                        (csrf_field(csrf))
                        input type="hidden" name="base" value=(base);
                        input type="hidden" name="op" value="stage-edit";
                        input type="hidden" name="stage" value=(stage.id);
                        label for=(format!("sn-{}", stage.id)) { "Name" }
                        input id=(format!("sn-{}", stage.id)) type="text" name="name" value=(stage.name) required;
                        label for=(format!("sd-{}", stage.id)) { "Description" }
                        textarea id=(format!("sd-{}", stage.id)) name="description" { (stage.description.as_deref().unwrap_or("")) }
                        div.actions { button type="submit" { "Save stage" } }
                    }
                }
                ol.steps {
                    @for step in &stage.steps {
                        li {
                            span.name {
                                a href=(ctx.url(&format!("/structure/step/{}", step.id))) { (step.name) }
                                " " span.muted { (step.id) }
                                @if step.moment_of_truth { " " span.badge { "moment of truth" } }
                                @if let Some(e) = step.customer.emotion { " " span.muted { "emotion " (e) } }
                            }
                            (op_button(&ctx, csrf, base, &[("op", "step-move"), ("step", &step.id), ("direction", "up")], "↑", &format!("Move step {} up", step.name), "small secondary"))
                            (op_button(&ctx, csrf, base, &[("op", "step-move"), ("step", &step.id), ("direction", "down")], "↓", &format!("Move step {} down", step.name), "small secondary"))
                            (op_button(&ctx, csrf, base, &[("op", "step-delete"), ("step", &step.id)], "Delete", &format!("Delete step {}", step.name), "small danger"))
                            a href=(ctx.url(&format!("/comments?target={}", step.id))) aria-label=(format!("Discuss step {}", step.name)) { "Discuss" }
                        }
                    }
                }
                form.row.add-step method="post" action=(ctx.url("/edit")) {
                    (csrf_field(csrf))
                    input type="hidden" name="base" value=(base);
                    input type="hidden" name="op" value="step-add";
                    input type="hidden" name="stage" value=(stage.id);
                    div {
                        label for=(format!("ns-{}", stage.id)) { "New step in " (stage.name) }
                        input id=(format!("ns-{}", stage.id)) type="text" name="name" required placeholder="What the customer does";
                    }
                    div.shrink { button type="submit" { "Add step" } }
                }
            }
        }
        form.card method="post" action=(ctx.url("/edit")) {
            (csrf_field(csrf))
            input type="hidden" name="base" value=(base);
            input type="hidden" name="op" value="stage-add";
            h2 { "Add a stage" }
            div.row {
                div { label for="new-stage" { "Stage name" } input #new-stage type="text" name="name" required; }
                div { label for="new-stage-step" { "Its first step" } input #new-stage-step type="text" name="step_name" required; }
                div {
                    label for="after" { "After" }
                    select #after name="after" {
                        @for stage in &model.stages { option value=(stage.id) selected[stage.id == model.stages.last().map_or("", |s| s.id.as_str())] { (stage.name) } }
                    }
                }
            }
            div.actions { button type="submit" { "Add stage" } }
        }
    };
    Ok(page(&viewer, "Structure", false, body).into_response())
}

fn step_of<'a>(model: &'a Model, id: &str) -> Result<&'a Step, AppError> {
    model
        .step(id)
        .map(|s| s.step)
        .ok_or(AppError::NotFound("step"))
}

fn text_input(id: &str, label: &str, value: Option<&str>, hint: Option<&str>) -> Markup {
    html! {
        label for=(id) { (label) }
        @if let Some(hint) = hint { p.hint id=(format!("{id}-hint")) { (hint) } }
        input id=(id) type="text" name=(id) value=(value.unwrap_or("")) aria-describedby=[hint.map(|_| format!("{id}-hint"))];
    }
}

fn text_area(id: &str, label: &str, value: Option<&str>) -> Markup {
    html! {
        label for=(id) { (label) }
        textarea id=(id) name=(id) rows="2" { (value.unwrap_or("")) }
    }
}

pub(crate) async fn step_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, step_id)): Path<(MapId, String)>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    ctx.require(&who.principal, Action::EditMap)?;
    let version = state.store().latest_version(&who.principal, id).await?;
    let model = maps::model_of(&version)?;
    let step = step_of(&model, &step_id)?;
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let body = html! {
        (map_header(&ctx, &who.principal, "Structure"))
        p { a href=(ctx.url("/structure")) { "← All stages and steps" } }
        h2 { "Step " (step.name) " " span.muted { (step.id) } }
        (step_form(&ctx, &who.csrf, version.info.number, &model, step))
    };
    Ok(page(&viewer, &format!("Edit {}", step.name), false, body).into_response())
}

fn step_form(ctx: &MapCtx, csrf: &str, base: i64, model: &Model, step: &Step) -> Markup {
    let emotion = step
        .customer
        .emotion
        .map(|e| e.to_string())
        .unwrap_or_default();
    html! {
        form method="post" action=(ctx.url("/edit")) {
            (csrf_field(csrf))
            input type="hidden" name="base" value=(base);
            input type="hidden" name="op" value="step-edit";
            input type="hidden" name="step" value=(step.id);
            input type="hidden" name="lanes" value="1";
            label for="name" { "Name" }
            input #name type="text" name="name" value=(step.name) required;
            (text_area("description", "Description", step.description.as_deref()))
            fieldset {
                legend { "Customer" }
                (text_input("does", "Does", step.customer.does.as_deref(), None))
                (text_input("goal", "Goal", step.customer.goal.as_deref(), None))
                (text_input("thinks", "Thinks", step.customer.thinks.as_deref(), None))
                (text_input("feels", "Feels", step.customer.feels.as_deref(), None))
                label for="emotion" { "Emotion" }
                select #emotion name="emotion" {
                    option value="" selected[emotion.is_empty()] { "Not set" }
                    @for (v, label) in [("2", "+2 very positive"), ("1", "+1 positive"), ("0", "0 neutral"), ("-1", "−1 negative"), ("-2", "−2 very negative")] {
                        option value=(v) selected[emotion == v] { (label) }
                    }
                }
                label.inline { input type="checkbox" name="moment_of_truth" checked[step.moment_of_truth]; "Moment of truth: this step makes or breaks the relationship" }
            }
            fieldset {
                legend { "Business" }
                (text_input("frontstage", "Front stage (seen by the customer)", step.business.frontstage.as_deref(), None))
                (text_input("backstage", "Backstage (not seen)", step.business.backstage.as_deref(), None))
                label for="department" { "Department" }
                select #department name="department" {
                    option value="" { "None" }
                    @for d in &model.departments { option value=(d.id) selected[step.department.as_deref() == Some(d.id.as_str())] { (d.name) } }
                }
            }
            fieldset {
                legend { "Employee" }
                (text_input("employee_does", "Does", step.employee.does.as_deref(), None))
                (text_input("employee_feels", "Feels", step.employee.feels.as_deref(), None))
                (text_input("employee_tools", "Tools", step.employee.tools.as_deref(), None))
            }
            fieldset {
                legend { "Touchpoints" }
                p.hint { "Leave the channel empty to remove a row." }
                @for i in 0..step.touchpoints.len() + SPARE_ROWS {
                    @let tp = step.touchpoints.get(i);
                    div.row {
                        div {
                            label for=(format!("tp_channel_{i}")) { "Channel " (i + 1) }
                            select id=(format!("tp_channel_{i}")) name=(format!("tp_channel_{i}")) {
                                option value="" { "—" }
                                @for c in Channel::ALL { option value=(c.as_str()) selected[tp.is_some_and(|t| t.channel == c)] { (c.label()) } }
                            }
                        }
                        div {
                            label for=(format!("tp_name_{i}")) { "What happens" }
                            input id=(format!("tp_name_{i}")) type="text" name=(format!("tp_name_{i}")) value=(tp.and_then(|t| t.name.as_deref()).unwrap_or(""));
                        }
                        div {
                            label for=(format!("tp_initiator_{i}")) { "Started by" }
                            select id=(format!("tp_initiator_{i}")) name=(format!("tp_initiator_{i}")) {
                                @let ini = tp.and_then(|t| t.initiator).map(|i| i.as_str());
                                option value="" { "—" }
                                option value="customer" selected[ini == Some("customer")] { "Customer" }
                                option value="company" selected[ini == Some("company")] { "Company" }
                            }
                        }
                    }
                }
            }
            fieldset {
                legend { "Pain points" }
                p.hint { "Leave the text empty to remove a row. Severity: 1 minor … 5 the customer leaves." }
                @for i in 0..step.pain_points.len() + SPARE_ROWS {
                    @let pp = step.pain_points.get(i);
                    div.row {
                        div {
                            label for=(format!("pp_text_{i}")) { "Pain point " (i + 1) }
                            input id=(format!("pp_text_{i}")) type="text" name=(format!("pp_text_{i}")) value=(pp.map_or("", |p| p.text.as_str()));
                        }
                        div.shrink {
                            label for=(format!("pp_severity_{i}")) { "Severity" }
                            select id=(format!("pp_severity_{i}")) name=(format!("pp_severity_{i}")) {
                                @for s in 1..=5u8 { option value=(s) selected[pp.map_or(3, |p| p.severity) == s] { (s) } }
                            }
                        }
                        div.shrink {
                            label for=(format!("pp_persona_{i}")) { "Persona" }
                            select id=(format!("pp_persona_{i}")) name=(format!("pp_persona_{i}")) {
                                option value="" { "All" }
                                @for p in &model.personas { option value=(p.id) selected[pp.and_then(|x| x.persona.as_deref()) == Some(p.id.as_str())] { (p.name) } }
                            }
                        }
                    }
                }
            }
            fieldset {
                legend { "Opportunities" }
                p.hint { "Leave the text empty to remove a row." }
                @for i in 0..step.opportunities.len() + SPARE_ROWS {
                    @let op = step.opportunities.get(i);
                    div.row {
                        div {
                            label for=(format!("op_text_{i}")) { "Opportunity " (i + 1) }
                            input id=(format!("op_text_{i}")) type="text" name=(format!("op_text_{i}")) value=(op.map_or("", |o| o.text.as_str()));
                        }
                        div {
                            label for=(format!("op_owner_{i}")) { "Owner" }
                            input id=(format!("op_owner_{i}")) type="text" name=(format!("op_owner_{i}")) value=(op.and_then(|o| o.owner.as_deref()).unwrap_or(""));
                        }
                        div.shrink {
                            label for=(format!("op_status_{i}")) { "Status" }
                            select id=(format!("op_status_{i}")) name=(format!("op_status_{i}")) {
                                @for s in [OpportunityStatus::Idea, OpportunityStatus::Planned, OpportunityStatus::Doing, OpportunityStatus::Done] {
                                    option value=(s.as_str()) selected[op.map_or(OpportunityStatus::Idea, |o| o.status) == s] { (s.as_str()) }
                                }
                            }
                        }
                    }
                }
            }
            label for="message" { "What changed (optional)" }
            input #message type="text" name="message";
            div.actions { button type="submit" { "Check and save" } a.button.secondary href=(ctx.url("/structure")) { "Cancel" } }
        }
    }
}

/// What a structured edit came to, for the page and the API.
pub(crate) enum Edited {
    Saved(Box<trailmap_store::Version>),
    Refused(edit::EditError),
    Invalid(Box<crate::maps::CheckedText>),
    Conflict(Box<trailmap_store::VersionInfo>, String),
}

/// Applies one structured edit to version `base` and saves the result.
pub(crate) async fn apply_edit(
    state: &AppState,
    who: &trailmap_store::Principal,
    map: &trailmap_store::Map,
    base: i64,
    form: &Fields,
) -> Result<Edited, AppError> {
    let version = match state.store().version(who, map.id, base).await {
        Ok(v) => v,
        Err(trailmap_store::StoreError::NotFound { .. }) => {
            return Err(AppError::bad(
                "base",
                format!("the map has no version {base}"),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let mut model = maps::model_of(&version)?;
    let summary = match edit::apply(&mut model, form) {
        Ok(summary) => summary,
        Err(e) => return Ok(Edited::Refused(e)),
    };
    let text =
        crate::yaml_write::map_to_yaml(&model, &crate::yaml_write::leading_comments(&version.yaml));
    let message = form.text("message").unwrap_or(summary);
    Ok(
        match maps::save_text(state, who, map, base, text.clone(), message).await? {
            Saved::Version(v) => Edited::Saved(v),
            Saved::Invalid(c) => Edited::Invalid(c),
            Saved::Conflict(latest) => Edited::Conflict(latest, text),
        },
    )
}

pub(crate) async fn edit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    ctx.require(&who.principal, Action::EditMap)?;
    let base = parse_base(&form)?;
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let back = match form.get("op") {
        Some("step-edit") => form.get("step").map_or_else(
            || ctx.url("/structure"),
            |s| ctx.url(&format!("/structure/step/{s}")),
        ),
        _ => ctx.url("/structure"),
    };
    match apply_edit(&state, &who.principal, &ctx.map, base, &form).await? {
        Edited::Saved(_) => {
            let to = if form.get("op") == Some("step-edit") {
                back
            } else {
                ctx.url("/structure")
            };
            Ok(Redirect::to(&to).into_response())
        }
        Edited::Refused(e) => {
            let body = html! {
                (map_header(&ctx, &who.principal, "Structure"))
                (notice("error", html! { "Not changed: " (e.message) " (field " code { (e.field) } ")" }))
                p { a href=(back) { "Back" } }
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&viewer, "Not changed", false, body),
            )
                .into_response())
        }
        Edited::Invalid(checked) => {
            let body = html! {
                (map_header(&ctx, &who.principal, "Structure"))
                (notice("error", html! { "Not saved: after this change the map would have errors." }))
                (diagnostics_list(&checked))
                p { a href=(back) { "Back" } }
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&viewer, "Not saved", false, body),
            )
                .into_response())
        }
        Edited::Conflict(latest, text) => {
            let base_model =
                maps::model_of(&state.store().version(&who.principal, id, base).await?)?;
            let latest_model = maps::model_of(
                &state
                    .store()
                    .version(&who.principal, id, latest.number)
                    .await?,
            )?;
            let replay = edit::replay(&base_model, &latest_model, &form);
            let resubmit = Resubmit::Form {
                action: ctx.url("/edit"),
                fields: replay.fields,
                overlaps: replay.overlaps,
            };
            conflict_page(&state, &who, &ctx, base, &latest, &text, resubmit).await
        }
    }
}
