//! Versions: the history list, the diff between any two (the same diff as `trailmap diff`,
//! plus the YAML lines), restoring an old version as a new one, and current/future side by side.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use trailmap_store::{Action, MapId, Principal, StoreError};

use super::layout::{Viewer, csrf_field, notice, page, when};
use super::map::{MapCtx, map_header, rendered_response};
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::form::Fields;
use crate::linediff;
use crate::maps;
use crate::state::AppState;

pub(crate) async fn history(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    let versions = state.store().list_versions(&who.principal, id).await?;
    let can_edit = ctx.may(&who.principal, Action::EditMap);
    let latest = ctx.map.latest_version;
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let body = html! {
        (map_header(&ctx, &who.principal, "History"))
        form method="get" action=(ctx.url("/diff")) {
            table {
                caption { "Every save is a version. Pick two to compare." }
                thead { tr {
                    th scope="col" { "From" } th scope="col" { "To" } th scope="col" { "Version" } th scope="col" { "Saved by" }
                    th scope="col" { "When" } th scope="col" { "Message" } th scope="col" { span.visually-hidden { "Actions" } }
                } }
                tbody {
                    @for (i, v) in versions.iter().enumerate() {
                        tr {
                            td { input type="radio" name="from" value=(v.number) checked[i == 1] aria-label=(format!("Compare from version {}", v.number)); }
                            td { input type="radio" name="to" value=(v.number) checked[i == 0] aria-label=(format!("Compare to version {}", v.number)); }
                            td { a href=(ctx.url(&format!("?version={}", v.number))) { (v.number) } @if v.number == latest { " " span.badge { "latest" } } }
                            td { @match &v.author { Some(a) => (a.display_name), None => span.muted { "—" } } }
                            td { (when(v.created_at)) }
                            td { (v.message) @if let Some(from) = v.restored_from { " " span.muted { "(restored version " (from) ")" } } }
                            td {
                                a href=(ctx.url(&format!("/source?version={}", v.number))) { "YAML" }
                                @if can_edit && v.number != latest {
                                    " "
                                    button.small.secondary type="submit" form=(format!("restore-{}", v.number)) { "Restore" }
                                }
                            }
                        }
                    }
                }
            }
            div.actions { button type="submit" { "Compare the two versions" } }
        }
        // The restore forms sit outside the compare form (forms cannot nest); their buttons
        // point at them with `form=`.
        @if can_edit {
            @for v in versions.iter().filter(|v| v.number != latest) {
                form #(format!("restore-{}", v.number)) method="post" action=(ctx.url("/restore")) {
                    (csrf_field(&who.csrf))
                    input type="hidden" name="base" value=(latest);
                    input type="hidden" name="number" value=(v.number);
                }
            }
        }
    };
    Ok(page(&viewer, "History", false, body).into_response())
}

#[derive(Deserialize)]
pub(crate) struct Pair {
    from: i64,
    to: i64,
}

/// The map diff (steps added, removed, moved, renamed; pain points; emotion) and the line diff.
pub(crate) async fn versions_diff(
    state: &AppState,
    principal: &Principal,
    map: MapId,
    from: i64,
    to: i64,
) -> Result<(trailmap_render::diff::MapDiff, String), AppError> {
    let a = state.store().version(principal, map, from).await?;
    let b = state.store().version(principal, map, to).await?;
    let (lines, _) = linediff::map_text_diff(&a.yaml, &b.yaml, 3);
    let diff = trailmap_render::diff::compare(&maps::model_of(&a)?, &maps::model_of(&b)?);
    Ok((diff, lines))
}

pub(crate) async fn diff(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    Query(pair): Query<Pair>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    let (diff, lines) = versions_diff(&state, &who.principal, id, pair.from, pair.to).await?;
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    // The renderer's diff speaks of "current" and "future" maps; for two versions of one map
    // its first line (the two names and states) would mislead, so it is left out.
    let journey: String = trailmap_render::diff::text(&diff)
        .lines()
        .skip(1)
        .collect::<Vec<_>>()
        .join("\n");
    let changed = lines.lines().filter(|l| l.starts_with(['+', '-'])).count();
    let body = html! {
        (map_header(&ctx, &who.principal, "History"))
        h2 { "Version " (pair.from) " → version " (pair.to) }
        pre.block aria-label="What changed in the journey" { (journey) }
        details open[changed <= 200] {
            summary { "Lines of the file (" (changed) " changed)" }
            pre.block aria-label="Line changes" { (lines) }
        }
    };
    Ok(page(&viewer, "Diff", true, body).into_response())
}

pub(crate) async fn diff_frame(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    Query(pair): Query<Pair>,
) -> Result<Response, AppError> {
    let (diff, _) = versions_diff(&state, &who.principal, id, pair.from, pair.to).await?;
    Ok(rendered_response(trailmap_render::diff::html(&diff)))
}

pub(crate) async fn restore(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    let base = super::source::parse_base(&form)?;
    let number = form
        .get("number")
        .and_then(|n| n.parse::<i64>().ok())
        .ok_or_else(|| AppError::bad("number", "which version to restore"))?;
    match state
        .store()
        .restore_version(&who.principal, id, base, number)
        .await
    {
        Ok(v) => Ok(Redirect::to(&format!("/m/{id}?restored={}", v.info.number)).into_response()),
        Err(StoreError::Conflict { latest }) => {
            let viewer = Viewer {
                user: Some(&who.user),
                csrf: &who.csrf,
            };
            let body = html! {
                (map_header(&ctx, &who.principal, "History"))
                (notice("error", html! {
                    "Not restored: the map changed meanwhile (it is at version " (latest.number) "). "
                    "Restoring version " (number) " now would undo that change too."
                }))
                form method="post" action=(ctx.url("/restore")) {
                    (csrf_field(&who.csrf))
                    input type="hidden" name="base" value=(latest.number);
                    input type="hidden" name="number" value=(number);
                    div.actions {
                        button type="submit" { "Restore version " (number) " anyway" }
                        a.button.secondary href=(ctx.url(&format!("/diff?from={number}&to={}", latest.number))) { "Compare first" }
                    }
                }
            };
            Ok((StatusCode::CONFLICT, page(&viewer, "Conflict", false, body)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct With {
    #[serde(default, deserialize_with = "crate::form::empty_as_none")]
    with: Option<MapId>,
    #[serde(default, deserialize_with = "crate::form::empty_as_none")]
    current_analysis: Option<i64>,
    #[serde(default, deserialize_with = "crate::form::empty_as_none")]
    future_analysis: Option<i64>,
}

/// Current and future side by side: this map and its counterpart (or one picked), with the diff.
pub(crate) async fn compare(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    Query(q): Query<With>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    let others: Vec<_> = state
        .store()
        .list_maps(&who.principal, Some(ctx.map.workspace))
        .await?
        .into_iter()
        .filter(|m| m.id != id)
        .collect();
    let other_id = q.with.or(ctx.map.counterpart);
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let other = match other_id {
        Some(o) => Some(state.store().map(&who.principal, o).await?),
        None => None,
    };
    // Which is current and which future: by state, this map first when both are the same.
    let pair = other.as_ref().map(|o| {
        if ctx.map.state == trailmap_store::MapState::Future
            && o.state == trailmap_store::MapState::Current
        {
            (o.id, id)
        } else {
            (id, o.id)
        }
    });
    let done = |list: Vec<trailmap_store::AnalysisInfo>| -> Vec<trailmap_store::AnalysisInfo> {
        list.into_iter()
            .filter(|a| a.status == trailmap_store::AnalysisStatus::Done)
            .collect()
    };
    let (current_analyses, future_analyses) = match pair {
        Some((c, f)) => (
            done(state.store().list_analyses(&who.principal, c).await?),
            done(state.store().list_analyses(&who.principal, f).await?),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let measured = match (q.current_analysis, q.future_analysis) {
        (Some(a), Some(b)) => format!("&current_analysis={a}&future_analysis={b}"),
        _ => String::new(),
    };
    let analysis_select = |id: &str,
                           label: &str,
                           list: &[trailmap_store::AnalysisInfo],
                           chosen: Option<i64>| {
        html! {
            div {
                label for=(id) { (label) }
                select id=(id) name=(id) {
                    option value="" { "None" }
                    @for a in list { option value=(a.id) selected[chosen == Some(a.id.0)] { (a.name) } }
                }
            }
        }
    };
    let body = html! {
        (map_header(&ctx, &who.principal, "Compare"))
        form.row method="get" action=(ctx.url("/compare")) {
            div {
                label for="with" { "Compare with" }
                select #with name="with" {
                    @for m in &others { option value=(m.id) selected[other_id == Some(m.id)] { (m.title) " (" (m.state.as_str()) ")" } }
                }
            }
            @if pair.is_some() {
                (analysis_select("current_analysis", "Measured figures, current", &current_analyses, q.current_analysis))
                (analysis_select("future_analysis", "Measured figures, future", &future_analyses, q.future_analysis))
            }
            div.shrink { button type="submit" { "Compare" } }
        }
        @match pair {
            None => p { "Pick a map to compare with, or set this map's counterpart in its settings." },
            Some((current, future)) => {
                @let current_q = q.current_analysis.map(|a| format!("?analysis={a}")).unwrap_or_default();
                @let future_q = q.future_analysis.map(|a| format!("?analysis={a}")).unwrap_or_default();
                div.side-by-side {
                    div { h2 { "Current" } iframe.map src=(format!("/m/{current}/render{current_q}")) title="The current map" sandbox="" {} }
                    div { h2 { "Future" } iframe.map src=(format!("/m/{future}/render{future_q}")) title="The future map" sandbox="" {} }
                }
                h2 { "What the future map changes" }
                p.hint { "With measured figures picked for both maps, the change in reach, drop-off, NPS, CSAT and outcomes per step is shown too." }
                iframe.map src=(format!("/m/{current}/compare/frame?future={future}{measured}")) title="What the future map changes" sandbox="" {}
            }
        }
    };
    Ok(page(&viewer, "Compare", true, body).into_response())
}

#[derive(Deserialize)]
pub(crate) struct Future {
    future: MapId,
    #[serde(default, deserialize_with = "crate::form::empty_as_none")]
    current_analysis: Option<i64>,
    #[serde(default, deserialize_with = "crate::form::empty_as_none")]
    future_analysis: Option<i64>,
}

/// `trailmap diff CURRENT FUTURE --format html`, with measured figures when both maps have an
/// analysis picked.
pub(crate) async fn compare_frame(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    Query(q): Query<Future>,
) -> Result<Response, AppError> {
    let current = maps::model_of(&state.store().latest_version(&who.principal, id).await?)?;
    let future = maps::model_of(
        &state
            .store()
            .latest_version(&who.principal, q.future)
            .await?,
    )?;
    let diff = match (q.current_analysis, q.future_analysis) {
        (Some(a), Some(b)) => {
            let a = super::map::load_analysis(
                &state,
                &who.principal,
                id,
                trailmap_store::AnalysisId(a),
            )
            .await?;
            let b = super::map::load_analysis(
                &state,
                &who.principal,
                q.future,
                trailmap_store::AnalysisId(b),
            )
            .await?;
            trailmap_render::diff::compare_measured(&current, &future, &a, &b)
        }
        _ => trailmap_render::diff::compare(&current, &future),
    };
    Ok(rendered_response(trailmap_render::diff::html(&diff)))
}
