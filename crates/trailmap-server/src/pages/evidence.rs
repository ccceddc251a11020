//! Evidence: analyses attached to a map, either an uploaded `result.json` of `trailmap analyze`
//! (validated against the model type) or event files analysed in the background, with progress.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use trailmap_model::analysis::{Analysis as AnalysisModel, RESULT_VERSION};
use trailmap_store::{Action, AnalysisId, AnalysisInfo, AnalysisInput, AnalysisStatus, MapId};

use super::layout::{Viewer, csrf_field, notice, page, when};
use super::map::{MapCtx, map_header};
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::form::Fields;
use crate::jobs::{CUSTOMERS_INPUT, MAP_INPUT};
use crate::state::AppState;
use crate::upload;

/// Reads a `result.json` as the CLI's `render --evidence` does: JSON syntax with line and
/// column, then the `version`, then the shape.
pub(crate) fn parse_result(text: &str) -> Result<AnalysisModel, String> {
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| {
        let message = e.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.as_str(), |i| &message[..i])
            .to_owned();
        format!(
            "not valid JSON: {message} at line {}, column {}",
            e.line(),
            e.column()
        )
    })?;
    if !text.trim_start().starts_with('{') {
        return Err("not a result.json of `trailmap analyze`: it is not a JSON object".to_owned());
    }
    #[derive(serde::Deserialize)]
    struct Versioned {
        version: Option<serde_json::Value>,
    }
    let versioned: Versioned = serde_json::from_str(text)
        .map_err(|e| format!("not a result.json of `trailmap analyze`: {e}"))?;
    match versioned.version {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(u64::from(RESULT_VERSION)) => {}
        Some(other) => {
            return Err(format!(
                "result.json version {other}; this server reads version {RESULT_VERSION} (run `trailmap analyze` again)"
            ));
        }
        None => {
            return Err(
                "it has no `version`: is it the result.json written by `trailmap analyze`?"
                    .to_owned(),
            );
        }
    }
    serde_json::from_str(text).map_err(|e| format!("not a result.json of `trailmap analyze`: {e}"))
}

fn status_line(ctx: &MapCtx, a: &AnalysisInfo) -> Markup {
    let polling = matches!(a.status, AnalysisStatus::Queued | AnalysisStatus::Running);
    html! {
        div id=(format!("analysis-{}", a.id)) role="status" aria-live="polite"
            hx-get=[polling.then(|| ctx.url(&format!("/analyses/{}/status", a.id)))] hx-trigger="every 1s" hx-swap="outerHTML" {
            @match a.status {
                AnalysisStatus::Queued => { "Queued. " a href=(ctx.url("/evidence")) { "Refresh" } }
                AnalysisStatus::Running => {
                    label for=(format!("progress-{}", a.id)) { "Running: " (format!("{:.0}", a.progress * 100.0)) "%" }
                    progress id=(format!("progress-{}", a.id)) max="100" value=(format!("{:.0}", a.progress * 100.0)) {}
                    // Without JavaScript the page does not update itself.
                    a href=(ctx.url("/evidence")) { "Refresh" }
                }
                AnalysisStatus::Done => {
                    "Done. " a href=(ctx.url(&format!("?analysis={}", a.id))) { "Show the map with these figures" }
                }
                AnalysisStatus::Failed => { strong { "Failed: " } (a.error.as_deref().unwrap_or("unknown error")) }
            }
        }
    }
}

pub(crate) async fn evidence_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    let analyses = state.store().list_analyses(&who.principal, id).await?;
    let can_attach = ctx.may(&who.principal, Action::AttachAnalysis);
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    Ok(page(
        &viewer,
        "Evidence",
        false,
        evidence_body(&ctx, &who, &analyses, can_attach, None),
    )
    .into_response())
}

fn evidence_body(
    ctx: &MapCtx,
    who: &SignedIn,
    analyses: &[AnalysisInfo],
    can_attach: bool,
    error: Option<&str>,
) -> Markup {
    html! {
        (map_header(ctx, &who.principal, "Evidence"))
        @if let Some(error) = error { (notice("error", html! { (error) })) }
        p { "What the data measured on this map: reach and drop-off per step, timing, feedback, outcomes. See " code { "trailmap analyze" } "." }
        @if analyses.is_empty() { p.muted { "No analysis attached yet." } }
        @else {
            table {
                caption.visually-hidden { "Analyses of this map" }
                thead { tr { th scope="col" { "Name" } th scope="col" { "Version" } th scope="col" { "Added" } th scope="col" { "Status" } th scope="col" { span.visually-hidden { "Actions" } } } }
                tbody {
                    @for a in analyses {
                        tr {
                            td { (a.name) }
                            td { @if let Some(v) = a.version { (v) } }
                            td { (when(a.created_at)) }
                            td { (status_line(ctx, a)) }
                            td {
                                @if can_attach {
                                    form method="post" action=(ctx.url(&format!("/analyses/{}/delete", a.id))) {
                                        (csrf_field(&who.csrf))
                                        button.small.danger type="submit" aria-label=(format!("Delete analysis {}", a.name)) { "Delete" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if can_attach {
            div.side-by-side {
                form.card method="post" action=(ctx.url("/analyses")) enctype="multipart/form-data" {
                    (csrf_field(&who.csrf))
                    h2 { "Upload a result.json" }
                    p.hint { "The output of " code { "trailmap analyze MAP --events ... -o result.json" } "." }
                    label for="up-name" { "Name" }
                    input #up-name type="text" name="name" placeholder="e.g. March events" required;
                    label for="result" { "result.json" }
                    input #result type="file" name="result" accept=".json,application/json" required;
                    div.actions { button type="submit" { "Attach" } }
                }
                form.card method="post" action=(ctx.url("/analyses/run")) enctype="multipart/form-data" {
                    (csrf_field(&who.csrf))
                    h2 { "Analyse event files" }
                    p.hint { "CSV, JSON Lines or Parquet (gzipped or not), read with the columns the map's " code { "data" } " section names. Runs in the background against the latest version." }
                    label for="run-name" { "Name" }
                    input #run-name type="text" name="name" placeholder="e.g. Q3 events" required;
                    label for="events" { "Event files" }
                    input #events type="file" name="events" multiple required;
                    label for="customers" { "Customers file (optional, for personas)" }
                    input #customers type="file" name="customers";
                    div.actions { button type="submit" { "Start the analysis" } }
                }
            }
        }
    }
}

async fn fail(
    state: &AppState,
    who: &SignedIn,
    ctx: &MapCtx,
    message: String,
) -> Result<Response, AppError> {
    let analyses = state
        .store()
        .list_analyses(&who.principal, ctx.map.id)
        .await?;
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let body = evidence_body(ctx, who, &analyses, true, Some(&message));
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        page(&viewer, "Evidence", false, body),
    )
        .into_response())
}

pub(crate) async fn upload(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    ctx.require(&who.principal, Action::AttachAnalysis)?;
    let (fields, files) = upload::read(multipart).await?;
    let name = fields
        .text("name")
        .unwrap_or_else(|| "result.json".to_owned());
    let Some(file) = files.iter().find(|f| f.field == "result") else {
        return fail(
            &state,
            &who,
            &ctx,
            "Choose the result.json to upload.".to_owned(),
        )
        .await;
    };
    let text = match upload::text_of(file) {
        Ok(text) => text,
        Err(e) => return fail(&state, &who, &ctx, e.message()).await,
    };
    if let Err(message) = parse_result(&text) {
        return fail(
            &state,
            &who,
            &ctx,
            format!("`{}` is {message}", file.file_name),
        )
        .await;
    }
    state
        .store()
        .attach_analysis(
            &who.principal,
            id,
            &name,
            Some(ctx.map.latest_version),
            &text,
        )
        .await?;
    Ok(Redirect::to(&ctx.url("/evidence")).into_response())
}

/// Queues a background analysis of uploaded event files against the latest version.
pub(crate) async fn queue(
    state: &AppState,
    principal: &trailmap_store::Principal,
    map: MapId,
    name: &str,
    fields_files: Vec<upload::Upload>,
) -> Result<AnalysisInfo, AppError> {
    let latest = state.store().latest_version(principal, map).await?;
    let mut inputs = vec![AnalysisInput {
        name: format!("{MAP_INPUT}map.yaml"),
        bytes: latest.yaml.into_bytes(),
    }];
    let mut events = 0;
    for f in fields_files {
        match f.field.as_str() {
            "customers" => inputs.push(AnalysisInput {
                name: format!("{CUSTOMERS_INPUT}{}", f.file_name),
                bytes: f.bytes,
            }),
            _ => {
                events += 1;
                inputs.push(AnalysisInput {
                    name: f.file_name,
                    bytes: f.bytes,
                });
            }
        }
    }
    if events == 0 {
        return Err(AppError::bad("events", "upload at least one event file"));
    }
    let info = state
        .store()
        .queue_analysis(principal, map, name, Some(latest.info.number), inputs)
        .await?;
    state.jobs().notify_one();
    Ok(info)
}

pub(crate) async fn run(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    ctx.require(&who.principal, Action::AttachAnalysis)?;
    let (fields, files) = upload::read(multipart).await?;
    let name = fields.text("name").unwrap_or_else(|| "Events".to_owned());
    queue(&state, &who.principal, id, &name, files).await?;
    Ok(Redirect::to(&ctx.url("/evidence")).into_response())
}

pub(crate) async fn status(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, analysis)): Path<(MapId, AnalysisId)>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    let a = state.store().analysis(&who.principal, analysis).await?;
    if a.info.map != id {
        return Err(AppError::NotFound("analysis"));
    }
    Ok(axum::response::Html(status_line(&ctx, &a.info).into_string()).into_response())
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, analysis)): Path<(MapId, AnalysisId)>,
    _form: axum::Form<Fields>,
) -> Result<Response, AppError> {
    let a = state.store().analysis(&who.principal, analysis).await?;
    if a.info.map != id {
        return Err(AppError::NotFound("analysis"));
    }
    state
        .store()
        .delete_analysis(&who.principal, analysis)
        .await?;
    Ok(Redirect::to(&format!("/m/{id}/evidence")).into_response())
}
