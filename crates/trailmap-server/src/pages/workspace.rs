//! The workspace dashboard: its maps (listed and searched), importing a map, its activity.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trailmap_store::{
    Action, Activity, MapState, MatchedIn, NewMap, Resource, StoreError, WorkspaceMembership,
};

use super::layout::{Viewer, csrf_field, notice, page, when};
use super::standing;
use crate::auth::{Auth, SignedIn};
use crate::error::AppError;
use crate::form::Fields;
use crate::maps::{self, CheckedText};
use crate::state::AppState;
use crate::upload;

/// `/`: the signed-in user's workspaces (straight into the only one, if there is one).
pub(crate) async fn home(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let Some(principal) = &auth.principal else {
        let to = if state.store().user_count().await? == 0 {
            "/signup"
        } else {
            "/login"
        };
        return Ok(Redirect::to(to).into_response());
    };
    let workspaces = state.store().list_workspaces(principal).await?;
    if let [only] = workspaces.as_slice() {
        return Ok(Redirect::to(&format!("/w/{}", only.workspace.slug)).into_response());
    }
    let viewer = Viewer {
        user: auth.user.as_ref(),
        csrf: &auth.csrf,
    };
    let body = html! {
        h1 { "Your workspaces" }
        @if workspaces.is_empty() {
            p { "You are not a member of any workspace yet. Ask an owner for an invitation, or create one on your " a href="/account" { "account page" } "." }
        }
        ul {
            @for m in &workspaces {
                li { a href=(format!("/w/{}", m.workspace.slug)) { (m.workspace.name) } " " span.badge.role { (m.role.as_str()) } }
            }
        }
    };
    Ok(page(&viewer, "Workspaces", false, body).into_response())
}

/// The workspace tabs shown above every workspace page.
pub(crate) fn tabs(ws: &WorkspaceMembership, current: &str) -> Markup {
    let base = format!("/w/{}", ws.workspace.slug);
    let items = [
        ("Maps", base.clone()),
        ("Activity", format!("{base}/activity")),
        ("Members", format!("{base}/members")),
    ];
    html! {
        nav aria-label="Workspace" {
            ul.tabs {
                @for (label, href) in items {
                    li { a href=(href) aria-current=[(label == current).then_some("page")] { (label) } }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct Search {
    q: Option<String>,
}

pub(crate) async fn dashboard(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Query(search): Query<Search>,
) -> Result<Response, AppError> {
    let store = state.store();
    let ws = store.workspace_by_slug(&who.principal, &slug).await?;
    let query = search.q.unwrap_or_default();
    let query = query.trim();
    let can_create = trailmap_store::policy::can(
        &standing(&who.principal, Some(ws.role)),
        Action::CreateMap,
        &Resource::Workspace(ws.workspace.id),
    );
    let list = if query.is_empty() {
        let maps = store
            .list_maps(&who.principal, Some(ws.workspace.id))
            .await?;
        html! {
            @if maps.is_empty() {
                p { "No maps yet." @if can_create { " " a href=(format!("/w/{slug}/import")) { "Import your first map" } "." } }
            } @else {
                table {
                    caption.visually-hidden { "Maps in this workspace" }
                    thead { tr { th scope="col" { "Map" } th scope="col" { "State" } th scope="col" { "Version" } th scope="col" { "Updated" } } }
                    tbody {
                        @for m in &maps {
                            tr {
                                td { a href=(format!("/m/{}", m.id)) { (m.title) } br; span.muted { (m.slug) } }
                                td { (state_badge(m.state)) }
                                td { (m.latest_version) }
                                td { (when(m.updated_at)) }
                            }
                        }
                    }
                }
            }
        }
    } else {
        let hits = store.search_maps(&who.principal, query, 50).await?;
        // Search covers every workspace the user is in; this page shows this one's hits.
        let hits: Vec<_> = hits
            .into_iter()
            .filter(|h| h.map.workspace == ws.workspace.id)
            .collect();
        html! {
            p role="status" { (hits.len()) " map(s) match " strong { (query) } "." }
            ul {
                @for hit in &hits {
                    li {
                        a href=(format!("/m/{}", hit.map.id)) { (hit.map.title) } " " (state_badge(hit.map.state))
                        " " span.muted { "matched in " (match hit.matched_in { MatchedIn::Title => "title", MatchedIn::Id => "id", MatchedIn::Content => "content" }) }
                        @if let Some(snippet) = &hit.snippet { br; code { (snippet) } }
                    }
                }
            }
        }
    };
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let body = html! {
        h1 { (ws.workspace.name) " " span.badge.role { "you: " (ws.role.as_str()) } }
        (tabs(&ws, "Maps"))
        div.row {
            form method="get" action=(format!("/w/{slug}")) role="search" {
                label for="q" { "Search maps" }
                div.row {
                    input #q type="search" name="q" value=(query) placeholder="title, id or text in the map";
                    button.shrink type="submit" { "Search" }
                }
            }
            @if can_create {
                div.shrink { a.button href=(format!("/w/{slug}/import")) { "Import a map" } }
            }
        }
        (list)
    };
    Ok(page(&viewer, &ws.workspace.name, false, body).into_response())
}

pub(crate) fn state_badge(state: MapState) -> Markup {
    html! { span class=(format!("badge {}", state.as_str())) { (state.as_str()) } }
}

fn import_form(
    slug: &str,
    csrf: &str,
    values: &Fields,
    problems: Option<&CheckedText>,
    error: Option<&str>,
) -> Markup {
    html! {
        @if let Some(error) = error { (notice("error", html! { (error) })) }
        @if let Some(checked) = problems { (super::source::diagnostics_list(checked)) }
        form method="post" action=(format!("/w/{slug}/import")) enctype="multipart/form-data" {
            (csrf_field(csrf))
            label for="file" { "A map file (.yaml)" }
            input #file type="file" name="file" accept=".yaml,.yml,text/yaml";
            label for="yaml" { "…or paste the YAML" }
            textarea.source #yaml name="yaml" spellcheck="false" { (values.get("yaml").unwrap_or("")) }
            div.row {
                div {
                    label for="title" { "Title" }
                    p.hint #title-hint { "Default: the journey's name." }
                    input #title type="text" name="title" value=(values.get("title").unwrap_or("")) aria-describedby="title-hint";
                }
                div {
                    label for="slug" { "Short name in URLs" }
                    p.hint #slug-hint { "Default: the journey's id." }
                    input #slug type="text" name="slug" value=(values.get("slug").unwrap_or("")) aria-describedby="slug-hint" pattern="[a-z0-9\\-]+";
                }
            }
            div.actions { button type="submit" { "Check and import" } }
        }
    }
}

pub(crate) async fn import_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let ws = state
        .store()
        .workspace_by_slug(&who.principal, &slug)
        .await?;
    require(&state, &who, &ws, Action::CreateMap).await?;
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let body = html! {
        h1 { "Import a map into " (ws.workspace.name) }
        p { "The map is checked exactly as " code { "trailmap check" } " checks it; a map with errors is not imported, and each error shows its line and column." }
        (import_form(&slug, &who.csrf, &Fields::default(), None, None))
    };
    Ok(page(&viewer, "Import a map", false, body).into_response())
}

async fn require(
    state: &AppState,
    who: &SignedIn,
    ws: &WorkspaceMembership,
    action: Action,
) -> Result<(), AppError> {
    if state
        .store()
        .can(&who.principal, action, Resource::Workspace(ws.workspace.id))
        .await?
    {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "as {} of this workspace you cannot do this",
            ws.role.as_str()
        )))
    }
}

pub(crate) async fn import(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let ws = state
        .store()
        .workspace_by_slug(&who.principal, &slug)
        .await?;
    require(&state, &who, &ws, Action::CreateMap).await?;
    let (fields, files) = upload::read(multipart).await?;
    let (name, text) = match files.iter().find(|f| f.field == "file") {
        Some(file) => (file.file_name.clone(), upload::text_of(file)?),
        None => (
            "pasted.yaml".to_owned(),
            fields.get("yaml").unwrap_or("").to_owned(),
        ),
    };
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let fail = |status: StatusCode,
                problems: Option<&CheckedText>,
                error: Option<&str>,
                fields: &Fields| {
        let body = html! {
            h1 { "Import a map into " (ws.workspace.name) }
            (import_form(&slug, &who.csrf, fields, problems, error))
        };
        (status, page(&viewer, "Import a map", false, body)).into_response()
    };
    if text.trim().is_empty() {
        return Ok(fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some("Choose a file or paste the map's YAML."),
            &fields,
        ));
    }
    let mut echo = fields.clone();
    echo.0.retain(|(k, _)| k != "yaml");
    echo.0.push(("yaml".to_owned(), text.clone()));
    match create_from_text(
        &state,
        &who.principal,
        ws.workspace.id,
        &name,
        text,
        fields.text("slug"),
        fields.text("title"),
    )
    .await?
    {
        Created::Map(map) => Ok(Redirect::to(&format!("/m/{}", map.id)).into_response()),
        Created::Invalid(checked) => Ok(fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&checked),
            Some("The map has errors and was not imported."),
            &echo,
        )),
        Created::Taken(slug) => Ok(fail(
            StatusCode::CONFLICT,
            None,
            Some(&format!(
                "A map named `{slug}` already exists here; choose another short name."
            )),
            &echo,
        )),
    }
}

pub(crate) enum Created {
    Map(trailmap_store::Map),
    Invalid(Box<CheckedText>),
    Taken(String),
}

/// Checks and creates a map from YAML text (the import page and the API).
pub(crate) async fn create_from_text(
    state: &AppState,
    principal: &trailmap_store::Principal,
    workspace: trailmap_store::WorkspaceId,
    name: &str,
    text: String,
    slug: Option<String>,
    title: Option<String>,
) -> Result<Created, AppError> {
    if text.len() > maps::MAX_MAP_BYTES {
        return Err(AppError::bad(
            "yaml",
            format!(
                "a map is at most {} MB",
                maps::MAX_MAP_BYTES / (1024 * 1024)
            ),
        ));
    }
    let checked = maps::check_text(state, principal, workspace, name, text).await;
    let Some(model) = checked
        .checked
        .map
        .clone()
        .filter(|_| checked.errors() == 0)
    else {
        return Ok(Created::Invalid(Box::new(checked)));
    };
    let slug = maps::slugify(&slug.unwrap_or_else(|| model.journey.id.clone()));
    let new = NewMap {
        slug: slug.clone(),
        title: title.unwrap_or_else(|| model.journey.name.clone()),
        state: match model.journey.state {
            trailmap_model::JourneyState::Current => MapState::Current,
            trailmap_model::JourneyState::Future => MapState::Future,
        },
        journey_id: Some(model.journey.id.clone()),
        yaml: checked.file.text().to_owned(),
        message: format!("Imported from {name}"),
    };
    match state.store().create_map(principal, workspace, new).await {
        Ok((map, _)) => Ok(Created::Map(map)),
        Err(StoreError::AlreadyExists { .. }) => Ok(Created::Taken(slug)),
        Err(e) => Err(e.into()),
    }
}

/// One line of an activity feed.
pub(crate) fn activity_list(entries: &[Activity], show_map_links: bool) -> Markup {
    html! {
        @if entries.is_empty() { p.muted { "Nothing has happened yet." } }
        ul {
            @for a in entries {
                li {
                    span.muted { (when(a.created_at)) } " — "
                    @match &a.actor { Some(u) => strong { (u.display_name) }, None => "someone" }
                    " " (activity_verb(a.kind)) " "
                    @if show_map_links { @if let Some(map) = a.map { a href=(format!("/m/{map}")) { "(map " (map) ")" } " " } }
                    span { (a.detail) }
                }
            }
        }
    }
}

fn activity_verb(kind: trailmap_store::ActivityKind) -> &'static str {
    use trailmap_store::ActivityKind as K;
    match kind {
        K::MapCreated => "created the map",
        K::VersionSaved => "saved a version",
        K::VersionRestored => "restored a version",
        K::MapUpdated => "changed the map's settings",
        K::MapDeleted => "deleted a map",
        K::Commented => "commented",
        K::Replied => "replied",
        K::CommentResolved => "resolved a thread",
        K::CommentReopened => "reopened a thread",
        K::AnalysisAttached => "attached an analysis",
        K::AnalysisQueued => "started an analysis",
        K::AnalysisFinished => "— analysis finished",
        K::AnalysisFailed => "— analysis failed",
        K::ShareLinkCreated => "made a share link",
        K::ShareLinkRevoked => "revoked a share link",
        K::MemberJoined => "joined",
        K::MemberRoleChanged => "changed a member's role",
        K::MemberRemoved => "removed a member",
        K::InvitationCreated => "invited someone",
    }
}

pub(crate) async fn activity(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let ws = state
        .store()
        .workspace_by_slug(&who.principal, &slug)
        .await?;
    let entries = state
        .store()
        .workspace_activity(&who.principal, ws.workspace.id, 200)
        .await?;
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let body = html! {
        h1 { (ws.workspace.name) }
        (tabs(&ws, "Activity"))
        (activity_list(&entries, true))
    };
    Ok(page(&viewer, "Activity", false, body).into_response())
}
