//! API: the caller, workspaces, members, invitations, comments, mentions, share links, tokens.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use trailmap_store::{
    ApiTokenId, CommentId, InvitationId, MapId, NewComment, Role, ShareLinkId, UserId, now_millis,
};

use super::extract::{Body, Id, Params};
use super::json;
use crate::auth::ApiCaller;
use crate::error::{ApiError, AppError};
use crate::state::AppState;

type ApiResult = Result<Response, ApiError>;

fn ok(value: Value) -> ApiResult {
    Ok(Json(value).into_response())
}

fn created(value: Value) -> ApiResult {
    Ok((StatusCode::CREATED, Json(value)).into_response())
}

fn no_content() -> ApiResult {
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn me(who: ApiCaller) -> ApiResult {
    ok(json::user(&who.user))
}

pub(crate) async fn workspaces(State(state): State<AppState>, who: ApiCaller) -> ApiResult {
    let list = state.store().list_workspaces(&who.principal).await?;
    ok(json!({ "workspaces": list.iter().map(json::membership).collect::<Vec<_>>() }))
}

#[derive(Deserialize)]
pub(crate) struct NewWorkspace {
    slug: String,
    name: String,
}

pub(crate) async fn create_workspace(
    State(state): State<AppState>,
    who: ApiCaller,
    Body(body): Body<NewWorkspace>,
) -> ApiResult {
    let ws = state
        .store()
        .create_workspace(&who.principal, &body.slug, &body.name)
        .await?;
    created(json::workspace(&ws))
}

pub(crate) async fn workspace(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(ws): Id<String>,
) -> ApiResult {
    ok(json::membership(
        &state.store().workspace_by_slug(&who.principal, &ws).await?,
    ))
}

pub(crate) async fn members(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(ws): Id<String>,
) -> ApiResult {
    let ws = state.store().workspace_by_slug(&who.principal, &ws).await?;
    let list = state
        .store()
        .list_members(&who.principal, ws.workspace.id)
        .await?;
    ok(json!({ "members": list.iter().map(json::member).collect::<Vec<_>>() }))
}

#[derive(Deserialize)]
pub(crate) struct RoleBody {
    role: String,
}

fn role(text: &str) -> Result<Role, AppError> {
    Role::parse(text).ok_or_else(|| AppError::bad("role", "owner, editor, commenter or viewer"))
}

pub(crate) async fn set_role(
    State(state): State<AppState>,
    who: ApiCaller,
    Id((ws, user)): Id<(String, UserId)>,
    Body(body): Body<RoleBody>,
) -> ApiResult {
    let ws = state.store().workspace_by_slug(&who.principal, &ws).await?;
    let member = state
        .store()
        .set_member_role(&who.principal, ws.workspace.id, user, role(&body.role)?)
        .await?;
    ok(json::member(&member))
}

pub(crate) async fn remove_member(
    State(state): State<AppState>,
    who: ApiCaller,
    Id((ws, user)): Id<(String, UserId)>,
) -> ApiResult {
    let ws = state.store().workspace_by_slug(&who.principal, &ws).await?;
    state
        .store()
        .remove_member(&who.principal, ws.workspace.id, user)
        .await?;
    no_content()
}

pub(crate) async fn invitations(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(ws): Id<String>,
) -> ApiResult {
    let ws = state.store().workspace_by_slug(&who.principal, &ws).await?;
    let list = state
        .store()
        .list_invitations(&who.principal, ws.workspace.id)
        .await?;
    ok(json!({ "invitations": list.iter().map(json::invitation).collect::<Vec<_>>() }))
}

#[derive(Deserialize)]
pub(crate) struct InviteBody {
    email: Option<String>,
    role: String,
    expires_days: Option<i64>,
}

pub(crate) async fn invite(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(ws): Id<String>,
    Body(body): Body<InviteBody>,
) -> ApiResult {
    let ws = state.store().workspace_by_slug(&who.principal, &ws).await?;
    let days = body.expires_days.unwrap_or(7);
    if !(1..=365).contains(&days) {
        return Err(AppError::bad("expires_days", "from 1 to 365").into());
    }
    let expires_at = now_millis() + days * 24 * 3600 * 1000;
    let (invitation, secret) = state
        .store()
        .create_invitation(
            &who.principal,
            ws.workspace.id,
            body.email.as_deref(),
            role(&body.role)?,
            expires_at,
        )
        .await?;
    created(
        json!({ "invitation": json::invitation(&invitation), "token": secret.expose(), "path": format!("/signup?invite={}", secret.expose()) }),
    )
}

pub(crate) async fn revoke_invitation(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<InvitationId>,
) -> ApiResult {
    state.store().revoke_invitation(&who.principal, id).await?;
    no_content()
}

pub(crate) async fn workspace_activity(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(ws): Id<String>,
) -> ApiResult {
    let ws = state.store().workspace_by_slug(&who.principal, &ws).await?;
    let entries = state
        .store()
        .workspace_activity(&who.principal, ws.workspace.id, 200)
        .await?;
    ok(json!({ "activity": entries.iter().map(json::activity).collect::<Vec<_>>() }))
}

#[derive(Deserialize)]
pub(crate) struct CommentQuery {
    target: Option<String>,
    #[serde(default)]
    include_resolved: bool,
}

pub(crate) async fn comments(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
    Params(q): Params<CommentQuery>,
) -> ApiResult {
    let list = state
        .store()
        .list_comments(&who.principal, id, q.target.as_deref(), q.include_resolved)
        .await?;
    ok(json!({ "comments": list.iter().map(json::comment).collect::<Vec<_>>() }))
}

#[derive(Deserialize)]
pub(crate) struct CommentBody {
    #[serde(default)]
    target: String,
    body: String,
    parent: Option<CommentId>,
    version: Option<i64>,
}

pub(crate) async fn add_comment(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
    Body(body): Body<CommentBody>,
) -> ApiResult {
    let new = NewComment {
        target: body.target,
        body: body.body,
        parent: body.parent,
        version: body.version,
    };
    created(json::comment(
        &state.store().add_comment(&who.principal, id, new).await?,
    ))
}

#[derive(Deserialize)]
pub(crate) struct ResolveBody {
    resolved: bool,
}

pub(crate) async fn resolve_comment(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<CommentId>,
    Body(body): Body<ResolveBody>,
) -> ApiResult {
    ok(json::comment(
        &state
            .store()
            .set_comment_resolved(&who.principal, id, body.resolved)
            .await?,
    ))
}

pub(crate) async fn delete_comment(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<CommentId>,
) -> ApiResult {
    state.store().delete_comment(&who.principal, id).await?;
    no_content()
}

pub(crate) async fn mentions(State(state): State<AppState>, who: ApiCaller) -> ApiResult {
    let list = state.store().my_mentions(&who.principal, 200).await?;
    ok(json!({ "mentions": list.iter().map(json::mention).collect::<Vec<_>>() }))
}

pub(crate) async fn share_links(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
) -> ApiResult {
    let list = state.store().list_share_links(&who.principal, id).await?;
    ok(json!({ "share_links": list.iter().map(json::share_link).collect::<Vec<_>>() }))
}

#[derive(Deserialize)]
pub(crate) struct ShareBody {
    expires_days: Option<i64>,
}

pub(crate) async fn create_share_link(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<MapId>,
    Body(body): Body<ShareBody>,
) -> ApiResult {
    let expires_at = crate::pages::share::expiry(body.expires_days.map(|d| d.to_string()))?;
    let (link, secret) = state
        .store()
        .create_share_link(&who.principal, id, expires_at)
        .await?;
    created(
        json!({ "share_link": json::share_link(&link), "token": secret.expose(), "path": format!("/s/{}", secret.expose()) }),
    )
}

pub(crate) async fn revoke_share_link(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<ShareLinkId>,
) -> ApiResult {
    state.store().revoke_share_link(&who.principal, id).await?;
    no_content()
}

pub(crate) async fn tokens(State(state): State<AppState>, who: ApiCaller) -> ApiResult {
    let list = state.store().list_api_tokens(&who.principal).await?;
    ok(json!({ "tokens": list.iter().map(json::api_token).collect::<Vec<_>>() }))
}

#[derive(Deserialize)]
pub(crate) struct TokenBody {
    name: String,
}

pub(crate) async fn create_token(
    State(state): State<AppState>,
    who: ApiCaller,
    Body(body): Body<TokenBody>,
) -> ApiResult {
    if !who.is_session() {
        return Err(AppError::Forbidden(
            "an API token cannot make API tokens; sign in and make one on your account page"
                .to_owned(),
        )
        .into());
    }
    let (token, secret) = state
        .store()
        .create_api_token(&who.principal, &body.name)
        .await?;
    created(json!({ "token": json::api_token(&token), "secret": secret.expose() }))
}

pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    who: ApiCaller,
    Id(id): Id<ApiTokenId>,
) -> ApiResult {
    state.store().revoke_api_token(&who.principal, id).await?;
    no_content()
}
