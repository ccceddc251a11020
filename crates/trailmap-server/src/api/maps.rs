//! API: maps, versions, structured edits, diffs, exports, analyses, search, check.

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use trailmap_store::{AnalysisId, MapChanges, MapId, MapState, StoreError};

use super::extract::{Body, Id, Params};
use super::json;
use crate::auth::ApiCaller;
use crate::error::{ApiError, AppError};
use crate::form::Fields;
use crate::maps::{self as shared, CheckedText, Saved};
use crate::pages::structure::{Edited, apply_edit};
use crate::pages::workspace::{Created, create_from_text};
use crate::state::AppState;

type ApiResult = Result<Response, ApiError>;

fn ok(value: Value) -> ApiResult {
    Ok(Json(value).into_response())
}

fn created(value: Value) -> ApiResult {
    Ok((StatusCode::CREATED, Json(value)).into_response())
}

/// `422 {"error": {"code": "invalid_map", "message", "diagnostics": [...]}}`.
fn invalid_map(checked: &CheckedText) -> Response {
    let body = json!({ "error": {
        "code": "invalid_map",
        "message": format!("the map has {} error(s)", checked.errors()),
        "diagnostics": checked.json(),
    }});
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

fn conflict(latest: &trailmap_store::VersionInfo) -> Response {
    AppError::Store(StoreError::Conflict {
        latest: Box::new(latest.clone()),
    })
    .into_json_response()
}

pub(crate) async fn list(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(ws): Id<String>,
) -> ApiResult {
    let ws = state.store().workspace_by_slug(&who.principal, &ws).await?;
    let maps = state
        .store()
        .list_maps(&who.principal, Some(ws.workspace.id))
        .await?;
    ok(json!({ "maps": maps.iter().map(json::map).collect::<Vec<_>>() }))
}

#[derive(Deserialize)]
pub(crate) struct NewMapBody {
    yaml: String,
    slug: Option<String>,
    title: Option<String>,
    /// The file name, for line:column messages and the version message.
    file_name: Option<String>,
}

pub(crate) async fn create(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(ws): Id<String>,
    Body(body): Body<NewMapBody>,
) -> ApiResult {
    let ws = state.store().workspace_by_slug(&who.principal, &ws).await?;
    let name = body.file_name.unwrap_or_else(|| "map.yaml".to_owned());
    match create_from_text(
        &state,
        &who.principal,
        ws.workspace.id,
        &name,
        body.yaml,
        body.slug,
        body.title,
    )
    .await?
    {
        Created::Map(map) => created(json::map(&map)),
        Created::Invalid(checked) => Ok(invalid_map(&checked)),
        Created::Taken(slug) => Err(AppError::Store(StoreError::AlreadyExists {
            what: "map",
            field: "slug",
        })
        .with_field_message(
            "slug",
            format!("a map with slug `{slug}` already exists in this workspace"),
        )
        .into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct SearchQuery {
    q: String,
    limit: Option<i64>,
}

pub(crate) async fn search(
    State(state): State<AppState>,
    who: ApiCaller,
    Params(q): Params<SearchQuery>,
) -> ApiResult {
    let hits = state
        .store()
        .search_maps(&who.principal, &q.q, q.limit.unwrap_or(50).clamp(1, 200))
        .await?;
    ok(json!({ "hits": hits.iter().map(json::hit).collect::<Vec<_>>() }))
}

#[derive(Deserialize)]
pub(crate) struct CheckBody {
    yaml: String,
    /// Check against this workspace's maps (a future map's `based_on`).
    workspace: Option<String>,
    file_name: Option<String>,
}

pub(crate) async fn check(
    State(state): State<AppState>,
    who: ApiCaller,
    Body(body): Body<CheckBody>,
) -> ApiResult {
    if body.yaml.len() > shared::MAX_MAP_BYTES {
        return Err(AppError::bad("yaml", "the text is too large to check").into());
    }
    let name = body.file_name.unwrap_or_else(|| "map.yaml".to_owned());
    let checked = match body.workspace {
        Some(ws) => {
            let ws = state.store().workspace_by_slug(&who.principal, &ws).await?;
            shared::check_text(&state, &who.principal, ws.workspace.id, &name, body.yaml).await
        }
        None => CheckedText {
            checked: trailmap_check::parse(&body.yaml),
            file: trailmap_diag::SourceFile::new(name, body.yaml),
        },
    };
    let errors = checked.errors();
    ok(
        json!({ "errors": errors, "warnings": checked.checked.diagnostics.len() - errors, "diagnostics": checked.json() }),
    )
}

pub(crate) async fn get(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
) -> ApiResult {
    ok(json::map(&state.store().map(&who.principal, id).await?))
}

#[derive(Deserialize)]
pub(crate) struct MapPatch {
    title: Option<String>,
    state: Option<String>,
    /// A map id, or `null` to remove the counterpart; absent leaves it.
    #[serde(default, deserialize_with = "some_value")]
    counterpart: Option<Option<MapId>>,
}

fn some_value<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<MapId>>, D::Error> {
    Option::<MapId>::deserialize(d).map(Some)
}

pub(crate) async fn update(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
    Body(patch): Body<MapPatch>,
) -> ApiResult {
    let map_state = match patch.state.as_deref() {
        None => None,
        Some(s) => {
            Some(MapState::parse(s).ok_or_else(|| AppError::bad("state", "current or future"))?)
        }
    };
    let changes = MapChanges {
        title: patch.title,
        state: map_state,
        counterpart: patch.counterpart,
    };
    ok(json::map(
        &state
            .store()
            .update_map(&who.principal, id, changes)
            .await?,
    ))
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
) -> ApiResult {
    state.store().delete_map(&who.principal, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn versions(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
) -> ApiResult {
    let versions = state.store().list_versions(&who.principal, id).await?;
    ok(json!({ "versions": versions.iter().map(json::version).collect::<Vec<_>>() }))
}

#[derive(Deserialize)]
pub(crate) struct SaveBody {
    base_version: i64,
    yaml: String,
    #[serde(default)]
    message: String,
}

pub(crate) async fn save(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
    Body(body): Body<SaveBody>,
) -> ApiResult {
    let map = state.store().map(&who.principal, id).await?;
    let message = if body.message.trim().is_empty() {
        "Saved through the API".to_owned()
    } else {
        body.message
    };
    match shared::save_text(
        &state,
        &who.principal,
        &map,
        body.base_version,
        body.yaml,
        message,
    )
    .await?
    {
        Saved::Version(v) => created(version_json(&v)),
        Saved::Invalid(checked) => Ok(invalid_map(&checked)),
        Saved::Conflict(latest) => Ok(conflict(&latest)),
    }
}

fn version_json(v: &trailmap_store::Version) -> Value {
    let mut out = json::version(&v.info);
    out["yaml"] = v.yaml.clone().into();
    out
}

pub(crate) async fn version(
    State(state): State<AppState>,
    who: ApiCaller,
    Id((id, number)): Id<(MapId, i64)>,
) -> ApiResult {
    ok(version_json(
        &state.store().version(&who.principal, id, number).await?,
    ))
}

#[derive(Deserialize)]
pub(crate) struct RestoreBody {
    base_version: i64,
}

pub(crate) async fn restore(
    State(state): State<AppState>,
    who: ApiCaller,
    Id((id, number)): Id<(MapId, i64)>,
    Body(body): Body<RestoreBody>,
) -> ApiResult {
    match state
        .store()
        .restore_version(&who.principal, id, body.base_version, number)
        .await
    {
        Ok(v) => created(version_json(&v)),
        Err(StoreError::Conflict { latest }) => Ok(conflict(&latest)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct DiffQuery {
    from: i64,
    to: i64,
}

pub(crate) async fn diff(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
    Params(q): Params<DiffQuery>,
) -> ApiResult {
    let (diff, lines) =
        crate::pages::history::versions_diff(&state, &who.principal, id, q.from, q.to).await?;
    let mut value: Value =
        serde_json::from_str(&diff.to_json()).map_err(|e| AppError::Internal(e.to_string()))?;
    value["lines"] = lines.into();
    ok(value)
}

pub(crate) async fn edit(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
    Body(body): Body<Value>,
) -> ApiResult {
    let base = body
        .get("base_version")
        .and_then(Value::as_i64)
        .ok_or_else(|| {
            AppError::bad(
                "base_version",
                "the version the edit is based on is required",
            )
        })?;
    let mut object = body.clone();
    if let Some(o) = object.as_object_mut() {
        o.remove("base_version");
    }
    let fields = Fields::from_json(&object).ok_or_else(|| {
        AppError::bad(
            "body",
            "an object of text, number or boolean fields (the structured editor's form fields)",
        )
    })?;
    let map = state.store().map(&who.principal, id).await?;
    match apply_edit(&state, &who.principal, &map, base, &fields).await? {
        Edited::Saved(v) => created(version_json(&v)),
        Edited::Refused(e) => Err(AppError::bad(&e.field, e.message).into()),
        Edited::Invalid(checked) => Ok(invalid_map(&checked)),
        Edited::Conflict(latest, _) => Ok(conflict(&latest)),
    }
}

#[derive(Deserialize)]
pub(crate) struct VersionParam {
    version: Option<i64>,
}

pub(crate) async fn export(
    State(state): State<AppState>,
    who: ApiCaller,
    Id((id, format)): Id<(MapId, String)>,
    Params(q): Params<VersionParam>,
) -> ApiResult {
    let map = state.store().map(&who.principal, id).await?;
    let (content_type, name, bytes) =
        crate::pages::map::export_bytes(&state, &who.principal, &map, &format, q.version).await?;
    Ok(crate::pages::map::download(content_type, &name, bytes))
}

pub(crate) async fn activity(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
) -> ApiResult {
    let entries = state.store().map_activity(&who.principal, id, 200).await?;
    ok(json!({ "activity": entries.iter().map(json::activity).collect::<Vec<_>>() }))
}

pub(crate) async fn analyses(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
) -> ApiResult {
    let list = state.store().list_analyses(&who.principal, id).await?;
    ok(json!({ "analyses": list.iter().map(json::analysis).collect::<Vec<_>>() }))
}

#[derive(Deserialize)]
pub(crate) struct AttachBody {
    name: String,
    /// The result.json: an object, or its text.
    result: Value,
    version: Option<i64>,
}

pub(crate) async fn attach_analysis(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
    Body(body): Body<AttachBody>,
) -> ApiResult {
    let text = match body.result {
        Value::String(s) => s,
        other => serde_json::to_string(&other).map_err(|e| AppError::Internal(e.to_string()))?,
    };
    crate::pages::evidence::parse_result(&text).map_err(|m| AppError::bad("result", m))?;
    let info = state
        .store()
        .attach_analysis(&who.principal, id, &body.name, body.version, &text)
        .await?;
    created(json::analysis(&info))
}

pub(crate) async fn run_analysis(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
    multipart: Multipart,
) -> ApiResult {
    let (fields, files) = crate::upload::read(multipart).await?;
    let name = fields.text("name").unwrap_or_else(|| "Events".to_owned());
    let info = crate::pages::evidence::queue(&state, &who.principal, id, &name, files).await?;
    Ok((StatusCode::ACCEPTED, Json(json::analysis(&info))).into_response())
}

pub(crate) async fn analysis(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<AnalysisId>,
) -> ApiResult {
    let a = state.store().analysis(&who.principal, id).await?;
    let mut out = json::analysis(&a.info);
    out["result"] = match &a.result_json {
        Some(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        None => Value::Null,
    };
    ok(out)
}

pub(crate) async fn delete_analysis(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<AnalysisId>,
) -> ApiResult {
    state.store().delete_analysis(&who.principal, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
