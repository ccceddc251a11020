//! One map: its page (the picture, discussion, activity), the picture itself, exports, settings.
//!
//! The picture is the renderer's own self-contained page (`trailmap render`), served at its own
//! URL with the renderer's CSP as a response header and shown in an `<iframe sandbox>` without
//! scripts, so nothing in a map can run in the workspace's origin.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trailmap_model::analysis::Analysis as AnalysisModel;
use trailmap_render::RenderOptions;
use trailmap_store::{
    Action, AnalysisId, AnalysisStatus, MapChanges, MapId, MapState, Principal, Role,
};

use super::layout::{Viewer, csrf_field, notice, page, when};
use super::may;
use super::workspace::state_badge;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::form::Fields;
use crate::maps;
use crate::state::AppState;

/// A map and the viewer's role in its workspace.
pub(crate) struct MapCtx {
    pub(crate) map: trailmap_store::Map,
    pub(crate) role: Option<Role>,
    pub(crate) workspace_slug: String,
    pub(crate) workspace_name: String,
}

impl MapCtx {
    pub(crate) async fn load(
        state: &AppState,
        principal: &Principal,
        id: MapId,
    ) -> Result<MapCtx, AppError> {
        let map = state.store().map(principal, id).await?;
        let (role, slug, name) = match state.store().workspace(principal, map.workspace).await {
            Ok(m) => (Some(m.role), m.workspace.slug, m.workspace.name),
            Err(_) => (None, String::new(), String::new()),
        };
        Ok(MapCtx {
            map,
            role,
            workspace_slug: slug,
            workspace_name: name,
        })
    }

    pub(crate) fn may(&self, principal: &Principal, action: Action) -> bool {
        may(principal, self.role, action, &self.map)
    }

    pub(crate) fn require(&self, principal: &Principal, action: Action) -> Result<(), AppError> {
        if self.may(principal, action) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "as {} of this workspace you cannot do this",
                self.role.map_or("a visitor", Role::as_str)
            )))
        }
    }

    pub(crate) fn url(&self, rest: &str) -> String {
        format!("/m/{}{rest}", self.map.id)
    }
}

/// The heading and tabs of every map page.
pub(crate) fn map_header(ctx: &MapCtx, principal: &Principal, current: &str) -> Markup {
    let mut tabs: Vec<(&str, String)> =
        vec![("Map", ctx.url("")), ("History", ctx.url("/history"))];
    if ctx.may(principal, Action::EditMap) {
        tabs.push(("Structure", ctx.url("/structure")));
        tabs.push(("Source", ctx.url("/source")));
    } else {
        tabs.push(("Source", ctx.url("/source")));
    }
    tabs.push(("Discussion", ctx.url("/comments")));
    tabs.push(("Evidence", ctx.url("/evidence")));
    tabs.push(("Compare", ctx.url("/compare")));
    tabs.push(("Export", ctx.url("/export")));
    if ctx.may(principal, Action::ManageShareLinks) {
        tabs.push(("Share", ctx.url("/share")));
    }
    if ctx.may(principal, Action::EditMap) {
        tabs.push(("Settings", ctx.url("/settings")));
    }
    html! {
        p.muted { a href=(format!("/w/{}", ctx.workspace_slug)) { (ctx.workspace_name) } " ›" }
        h1 { (ctx.map.title) " " (state_badge(ctx.map.state)) " " span.badge.role { "version " (ctx.map.latest_version) } }
        nav aria-label="Map" {
            ul.tabs {
                @for (label, href) in tabs {
                    li { a href=(href) aria-current=[(label == current).then_some("page")] { (label) } }
                }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct ViewQuery {
    #[serde(default, deserialize_with = "crate::form::empty_as_none")]
    pub(crate) version: Option<i64>,
    /// Set after a save or restore, to say so on the page.
    #[serde(default, deserialize_with = "crate::form::empty_as_none")]
    pub(crate) saved: Option<i64>,
    #[serde(default, deserialize_with = "crate::form::empty_as_none")]
    pub(crate) restored: Option<i64>,
    #[serde(default, deserialize_with = "crate::form::empty_as_none")]
    pub(crate) analysis: Option<i64>,
    pub(crate) persona: Option<String>,
}

impl ViewQuery {
    pub(crate) fn query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(v) = self.version {
            parts.push(format!("version={v}"));
        }
        if let Some(a) = self.analysis {
            parts.push(format!("analysis={a}"));
        }
        if let Some(p) = self.persona.as_deref().filter(|p| !p.is_empty()) {
            parts.push(format!("persona={}", super::layout::url_encode(p)));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

pub(crate) async fn view(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    Query(q): Query<ViewQuery>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    let version = maps::version_or_latest(&state, &who.principal, id, q.version).await?;
    let model = maps::model_of(&version).ok();
    let analyses = state.store().list_analyses(&who.principal, id).await?;
    let comments = state
        .store()
        .list_comments(&who.principal, id, None, false)
        .await?;
    let activity = state.store().map_activity(&who.principal, id, 15).await?;
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let frame = format!("{}{}", ctx.url("/render"), q.query_string());
    let body = html! {
        (map_header(&ctx, &who.principal, "Map"))
        @if let Some(n) = q.saved { (notice("ok", html! { "Saved as version " (n) "." })) }
        @if let Some(n) = q.restored { (notice("ok", html! { "Restored as version " (n) "." })) }
        @if q.version.is_some_and(|v| v != ctx.map.latest_version) {
            (notice("warn", html! { "You are looking at version " (version.info.number) ", not the latest (" (ctx.map.latest_version) "). " a href=(ctx.url("")) { "Show the latest" } }))
        }
        form.row method="get" action=(ctx.url("")) aria-label="What to draw" {
            @if let Some(v) = q.version { input type="hidden" name="version" value=(v); }
            @if let Some(model) = &model {
                @if !model.personas.is_empty() {
                    div {
                        label for="persona" { "Persona" }
                        select #persona name="persona" {
                            option value="" { "Everyone" }
                            @for p in &model.personas {
                                option value=(p.id) selected[q.persona.as_deref() == Some(p.id.as_str())] { (p.name) }
                            }
                        }
                    }
                }
            }
            div {
                label for="analysis" { "Measured figures" }
                select #analysis name="analysis" {
                    option value="" { "None (the designed map)" }
                    @for a in analyses.iter().filter(|a| a.status == AnalysisStatus::Done) {
                        option value=(a.id) selected[q.analysis == Some(a.id.0)] { (a.name) " (" (when(a.created_at)) ")" }
                    }
                }
            }
            div.shrink { button type="submit" { "Show" } }
        }
        div.layout {
            div {
                iframe.map src=(frame) title=(format!("The journey map {}", ctx.map.title)) sandbox="" loading="lazy" {}
                p { a href=(frame) target="_blank" rel="noopener" { "Open the map on its own page" } " (prints on A3/A4 landscape)." }
            }
            aside aria-label="Discussion and activity" {
                h2 { "Open threads (" (comments.iter().filter(|c| c.parent.is_none()).count()) ")" }
                (super::comments::thread_list(&ctx, &who, &comments, model.as_ref(), false))
                @if ctx.may(&who.principal, Action::Comment) {
                    (super::comments::comment_form(&ctx, &who.csrf, model.as_ref(), None, Some(version.info.number), None))
                }
                h2 { "Activity" }
                (super::workspace::activity_list(&activity, false))
            }
        }
    };
    Ok(page(&viewer, &ctx.map.title, true, body).into_response())
}

/// The renderer's page for a version, with measured figures and a persona when asked.
pub(crate) async fn rendered_html(
    state: &AppState,
    principal: &Principal,
    id: MapId,
    q: &ViewQuery,
) -> Result<String, AppError> {
    let version = maps::version_or_latest(state, principal, id, q.version).await?;
    let model = maps::model_of(&version)?;
    let evidence = match q.analysis {
        Some(a) => Some(load_analysis(state, principal, id, AnalysisId(a)).await?),
        None => None,
    };
    let persona = q
        .persona
        .clone()
        .filter(|p| !p.is_empty() && model.persona(p).is_some());
    let options = RenderOptions {
        persona,
        lanes: None,
        evidence,
        today: Some(today()),
    };
    Ok(trailmap_render::html::render(&model, &options))
}

pub(crate) fn today() -> trailmap_render::Date {
    use chrono::Datelike;
    let now = chrono::Utc::now().date_naive();
    trailmap_render::Date::new(now.year(), now.month(), now.day()).expect("chrono gives real dates")
}

/// An attached analysis's result, parsed (it was validated when attached).
pub(crate) async fn load_analysis(
    state: &AppState,
    principal: &Principal,
    map: MapId,
    id: AnalysisId,
) -> Result<AnalysisModel, AppError> {
    let analysis = state.store().analysis(principal, id).await?;
    if analysis.info.map != map {
        return Err(AppError::NotFound("analysis"));
    }
    let text = analysis
        .result_json
        .ok_or_else(|| AppError::bad("analysis", "this analysis has no result yet"))?;
    crate::pages::evidence::parse_result(&text).map_err(|m| AppError::bad("analysis", m))
}

/// The policy for the renderer's page: its own, plus "only our pages may frame it".
const RENDER_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox";

/// An HTML document made by the renderer, with its CSP.
pub(crate) fn rendered_response(html: String) -> Response {
    let mut response = (StatusCode::OK, axum::response::Html(html)).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(RENDER_CSP),
    );
    response
}

pub(crate) async fn render(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    Query(q): Query<ViewQuery>,
) -> Result<Response, AppError> {
    Ok(rendered_response(
        rendered_html(&state, &who.principal, id, &q).await?,
    ))
}

/// Export formats.
pub(crate) const FORMATS: [(&str, &str); 7] = [
    ("yaml", "YAML, the map file itself"),
    ("html", "HTML, the visual map as one self-contained page"),
    ("svg", "SVG, the visual map as a picture"),
    (
        "png",
        "PNG, a screenshot of the visual map (needs Chromium on the server)",
    ),
    ("mermaid", "Mermaid journey diagram"),
    ("json", "JSON, the normalised map"),
    ("csv", "CSV, one row per step"),
];

/// A version in an export format: (content type, file name, bytes).
pub(crate) async fn export_bytes(
    state: &AppState,
    principal: &Principal,
    map: &trailmap_store::Map,
    format: &str,
    version: Option<i64>,
) -> Result<(&'static str, String, Vec<u8>), AppError> {
    let v = maps::version_or_latest(state, principal, map.id, version).await?;
    let stem = format!("{}-v{}", map.slug, v.info.number);
    if format == "yaml" {
        return Ok((
            "application/yaml; charset=utf-8",
            format!("{stem}.yaml"),
            v.yaml.into_bytes(),
        ));
    }
    let model = maps::model_of(&v)?;
    let options = RenderOptions {
        persona: None,
        lanes: None,
        evidence: None,
        today: Some(today()),
    };
    Ok(match format {
        "html" => (
            "text/html; charset=utf-8",
            format!("{stem}.html"),
            trailmap_render::html::render(&model, &options).into_bytes(),
        ),
        "svg" => (
            "image/svg+xml",
            format!("{stem}.svg"),
            trailmap_render::svg::render(&model, &options).into_bytes(),
        ),
        "mermaid" => (
            "text/plain; charset=utf-8",
            format!("{stem}.mmd"),
            trailmap_export::mermaid::to_mermaid(&model).into_bytes(),
        ),
        "json" => (
            "application/json",
            format!("{stem}.json"),
            trailmap_export::json::to_json(&model).into_bytes(),
        ),
        "csv" => (
            "text/csv; charset=utf-8",
            format!("{stem}.csv"),
            trailmap_export::csv::to_csv(&model).into_bytes(),
        ),
        "png" => {
            let html = trailmap_render::html::render(&model, &options);
            let bytes = tokio::task::spawn_blocking(move || crate::png::html_to_png(&html))
                .await
                .map_err(|e| AppError::Internal(format!("the PNG task failed: {e}")))?
                .map_err(|e| match e {
                    crate::png::PngError::NoBrowser => AppError::Unavailable(e.to_string()),
                    other => AppError::Internal(other.to_string()),
                })?;
            ("image/png", format!("{stem}.png"), bytes)
        }
        _ => return Err(AppError::NotFound("export format")),
    })
}

/// A download response. HTML and SVG exports go out as attachments with the renderer's CSP, so
/// they never run as pages of this site.
pub(crate) fn download(content_type: &'static str, file_name: &str, bytes: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(RENDER_CSP),
    );
    response
}

#[derive(Deserialize)]
pub(crate) struct VersionQuery {
    #[serde(default, deserialize_with = "crate::form::empty_as_none")]
    pub(crate) version: Option<i64>,
}

pub(crate) async fn export(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, format)): Path<(MapId, String)>,
    Query(q): Query<VersionQuery>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    let (content_type, name, bytes) =
        export_bytes(&state, &who.principal, &ctx.map, &format, q.version).await?;
    Ok(download(content_type, &name, bytes))
}

pub(crate) async fn export_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let body = html! {
        (map_header(&ctx, &who.principal, "Export"))
        p { "Downloads of the latest version (" (ctx.map.latest_version) "). Older versions: see History." }
        ul {
            @for (format, label) in FORMATS {
                li { a href=(ctx.url(&format!("/export/{format}"))) download { (label) } }
            }
        }
        p.muted { "From a terminal: " code { "trailmap pull " (ctx.map.id) " --server URL --token TOKEN -o " (ctx.map.slug) ".yaml" } }
    };
    Ok(page(&viewer, "Export", false, body).into_response())
}

pub(crate) async fn settings_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    ctx.require(&who.principal, Action::EditMap)?;
    let others: Vec<_> = state
        .store()
        .list_maps(&who.principal, Some(ctx.map.workspace))
        .await?
        .into_iter()
        .filter(|m| m.id != ctx.map.id)
        .collect();
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let body = html! {
        (map_header(&ctx, &who.principal, "Settings"))
        form.card method="post" action=(ctx.url("/settings")) {
            (csrf_field(&who.csrf))
            label for="title" { "Title" }
            input #title type="text" name="title" value=(ctx.map.title) required maxlength="200";
            fieldset {
                legend { "State" }
                label.inline { input type="radio" name="state" value="current" checked[ctx.map.state == MapState::Current]; "Current: the journey as it is" }
                label.inline { input type="radio" name="state" value="future" checked[ctx.map.state == MapState::Future]; "Future: the journey as it should be" }
            }
            label for="counterpart" { "Compare with" }
            p.hint #counterpart-hint { "The map shown beside this one on the Compare tab (a future map's current one, or the reverse)." }
            select #counterpart name="counterpart" aria-describedby="counterpart-hint" {
                option value="" { "None" }
                @for m in &others {
                    option value=(m.id) selected[ctx.map.counterpart == Some(m.id)] { (m.title) " (" (m.state.as_str()) ")" }
                }
            }
            div.actions { button type="submit" { "Save settings" } }
        }
        @if ctx.may(&who.principal, Action::DeleteMap) {
            form.card method="post" action=(ctx.url("/delete")) {
                (csrf_field(&who.csrf))
                h2 { "Delete this map" }
                p { "Deletes every version, comment, share link and analysis of the map. This cannot be undone." }
                label.inline { input type="checkbox" name="confirm" required; "I understand" }
                div.actions { button.danger type="submit" { "Delete the map" } }
            }
        }
    };
    Ok(page(&viewer, "Settings", false, body).into_response())
}

pub(crate) async fn settings(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let changes = MapChanges {
        title: form.text("title"),
        state: form.get("state").and_then(MapState::parse),
        counterpart: Some(match form.text("counterpart") {
            Some(c) => Some(
                c.parse::<MapId>()
                    .map_err(|_| AppError::bad("counterpart", "not a map id"))?,
            ),
            None => None,
        }),
    };
    state
        .store()
        .update_map(&who.principal, id, changes)
        .await?;
    Ok(Redirect::to(&format!("/m/{id}")).into_response())
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    if !form.checked("confirm") {
        return Err(AppError::bad("confirm", "tick the box to confirm"));
    }
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    state.store().delete_map(&who.principal, id).await?;
    Ok(Redirect::to(&format!("/w/{}", ctx.workspace_slug)).into_response())
}
