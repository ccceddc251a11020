//! Discussion: comments on the map, a step or a card (a pain point or opportunity), replies,
//! @mentions, resolve and reopen.
//!
//! A comment's target is `""` (the whole map), a step id, or `STEP/pain/N` and
//! `STEP/opportunity/N` for the N-th pain point or opportunity card of a step.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trailmap_model::Map as Model;
use trailmap_store::{Action, Comment, CommentId, MapId, NewComment};

use super::layout::{Viewer, csrf_field, page, when};
use super::map::{MapCtx, map_header};
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::form::Fields;
use crate::maps;
use crate::state::AppState;

/// Every target a comment can be about, with a label for people.
pub(crate) fn targets(model: &Model) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), "The whole map".to_owned())];
    for s in model.steps() {
        let step = s.step;
        out.push((step.id.clone(), format!("Step: {}", step.name)));
        for (i, p) in step.pain_points.iter().enumerate() {
            out.push((
                format!("{}/pain/{i}", step.id),
                format!("  Pain point of {}: {}", step.name, p.text),
            ));
        }
        for (i, o) in step.opportunities.iter().enumerate() {
            out.push((
                format!("{}/opportunity/{i}", step.id),
                format!("  Opportunity of {}: {}", step.name, o.text),
            ));
        }
    }
    out
}

fn target_label(model: Option<&Model>, target: &str) -> String {
    if target.is_empty() {
        return "the whole map".to_owned();
    }
    model
        .and_then(|m| targets(m).into_iter().find(|(t, _)| t == target))
        .map_or_else(
            || format!("{target} (no longer in the map)"),
            |(_, label)| label.trim().to_owned(),
        )
}

/// A comment's text with its @mentions linked to the people named.
fn body_with_mentions(ctx: &MapCtx, comment: &Comment) -> Markup {
    let mut pieces: Vec<Markup> = Vec::new();
    let mut rest = comment.body.as_str();
    while let Some(at) = rest.find('@') {
        let (before, after) = rest.split_at(at);
        let handle_len = after[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
            .unwrap_or(after.len() - 1);
        let handle = after[1..1 + handle_len].trim_end_matches('.');
        let mentioned = comment
            .mentions
            .iter()
            .find(|u| u.handle.eq_ignore_ascii_case(handle));
        pieces.push(html! { (before) });
        match mentioned {
            Some(user) if !handle.is_empty() => {
                pieces.push(html! { a.mention href=(format!("/w/{}/members#user-{}", ctx.workspace_slug, user.handle)) title=(user.display_name) { "@" (handle) } });
                rest = &after[1 + handle.len()..];
            }
            _ => {
                pieces.push(html! { "@" });
                rest = &after[1..];
            }
        }
    }
    html! { @for p in pieces { (p) } (rest) }
}

/// The threads (roots with their replies), with resolve and reply controls where allowed.
pub(crate) fn thread_list(
    ctx: &MapCtx,
    who: &SignedIn,
    comments: &[Comment],
    model: Option<&Model>,
    full: bool,
) -> Markup {
    let can_resolve = ctx.may(&who.principal, Action::ResolveComment);
    let can_comment = ctx.may(&who.principal, Action::Comment);
    let back = if full {
        ctx.url("/comments")
    } else {
        ctx.url("")
    };
    html! {
        @if comments.is_empty() { p.muted { "No comments." } }
        @for c in comments {
            article class=(format!("comment{}{}", if c.parent.is_some() { " reply" } else { "" }, if c.resolved { " resolved" } else { "" })) id=(format!("comment-{}", c.id)) {
                p.meta {
                    strong { @match &c.author { Some(a) => (a.display_name), None => "a former member" } }
                    " · " (when(c.created_at))
                    @if c.parent.is_none() { " · on " (target_label(model, &c.target)) }
                    @if let Some(v) = c.version { " · version " (v) }
                    @if c.resolved { " · " strong { "resolved" } }
                }
                p { (body_with_mentions(ctx, c)) }
                @if full && c.parent.is_none() {
                    div.actions {
                        @if can_resolve {
                            form method="post" action=(ctx.url(&format!("/comments/{}/resolve", c.id))) {
                                (csrf_field(&who.csrf))
                                input type="hidden" name="resolved" value=(if c.resolved { "false" } else { "true" });
                                input type="hidden" name="back" value=(back);
                                button.small.secondary type="submit" { (if c.resolved { "Reopen" } else { "Resolve" }) }
                            }
                        }
                        @if can_comment {
                            details {
                                summary { "Reply" }
                                (comment_form(ctx, &who.csrf, model, Some(c.id), c.version, None))
                            }
                        }
                    }
                }
                @if full && c.author.as_ref().is_some_and(|a| a.id == who.user.id) {
                    form method="post" action=(ctx.url(&format!("/comments/{}/delete", c.id))) {
                        (csrf_field(&who.csrf))
                        button.small.danger type="submit" aria-label="Delete this comment" { "Delete" }
                    }
                }
            }
        }
    }
}

/// The form for a new comment (or a reply to `parent`).
pub(crate) fn comment_form(
    ctx: &MapCtx,
    csrf: &str,
    model: Option<&Model>,
    parent: Option<CommentId>,
    version: Option<i64>,
    preselect: Option<&str>,
) -> Markup {
    let id_suffix = parent.map_or_else(|| "new".to_owned(), |p| p.to_string());
    html! {
        form method="post" action=(ctx.url("/comments")) {
            (csrf_field(csrf))
            @if let Some(p) = parent { input type="hidden" name="parent" value=(p); }
            @if let Some(v) = version { input type="hidden" name="version" value=(v); }
            @if parent.is_none() {
                label for=(format!("target-{id_suffix}")) { "About" }
                select id=(format!("target-{id_suffix}")) name="target" {
                    @if let Some(model) = model {
                        @for (value, label) in targets(model) { option value=(value) selected[preselect == Some(value.as_str())] { (label) } }
                    } @else { option value="" { "The whole map" } }
                }
            }
            label for=(format!("body-{id_suffix}")) { (if parent.is_some() { "Reply" } else { "Comment" }) }
            p.hint id=(format!("hint-{id_suffix}")) { "Name a member with @handle to notify them." }
            textarea id=(format!("body-{id_suffix}")) name="body" required maxlength="10000" aria-describedby=(format!("hint-{id_suffix}")) {}
            div.actions { button type="submit" { (if parent.is_some() { "Reply" } else { "Comment" }) } }
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    resolved: Option<String>,
    target: Option<String>,
}

pub(crate) async fn comments_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    let include_resolved = q.resolved.as_deref() == Some("1");
    let target = q.target.as_deref().filter(|t| !t.is_empty());
    let comments = state
        .store()
        .list_comments(&who.principal, id, target, include_resolved)
        .await?;
    let latest = state.store().latest_version(&who.principal, id).await?;
    let model = maps::model_of(&latest).ok();
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let body = html! {
        (map_header(&ctx, &who.principal, "Discussion"))
        form.row method="get" action=(ctx.url("/comments")) {
            div {
                label for="filter-target" { "Show comments about" }
                select #filter-target name="target" {
                    option value="" { "Everything" }
                    @if let Some(model) = &model {
                        @for (value, label) in targets(model).into_iter().skip(1) { option value=(value) selected[target == Some(value.as_str())] { (label) } }
                    }
                }
            }
            div.shrink { label.inline { input type="checkbox" name="resolved" value="1" checked[include_resolved]; "Include resolved threads" } }
            div.shrink { button type="submit" { "Show" } }
        }
        (thread_list(&ctx, &who, &comments, model.as_ref(), true))
        @if ctx.may(&who.principal, Action::Comment) {
            h2 { "New comment" }
            (comment_form(&ctx, &who.csrf, model.as_ref(), None, Some(latest.info.number), target))
        }
    };
    Ok(page(&viewer, "Discussion", false, body).into_response())
}

/// Reads a comment form into the store's input.
pub(crate) fn new_comment(form: &Fields) -> Result<NewComment, AppError> {
    let parent = match form.text("parent") {
        Some(p) => Some(
            p.parse::<CommentId>()
                .map_err(|_| AppError::bad("parent", "not a comment id"))?,
        ),
        None => None,
    };
    let version = match form.text("version") {
        Some(v) => Some(
            v.parse::<i64>()
                .map_err(|_| AppError::bad("version", "not a version number"))?,
        ),
        None => None,
    };
    Ok(NewComment {
        target: form.get("target").unwrap_or("").trim().to_owned(),
        body: form.get("body").unwrap_or("").to_owned(),
        parent,
        version,
    })
}

pub(crate) async fn add(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let comment = state
        .store()
        .add_comment(&who.principal, id, new_comment(&form)?)
        .await?;
    Ok(Redirect::to(&format!("/m/{id}/comments#comment-{}", comment.id)).into_response())
}

fn back_to(form: &Fields, id: MapId) -> String {
    let fallback = format!("/m/{id}/comments");
    match form.get("back") {
        Some(b) if b.starts_with(&format!("/m/{id}")) => b.to_owned(),
        _ => fallback,
    }
}

pub(crate) async fn resolve(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, comment)): Path<(MapId, CommentId)>,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let existing = state.store().comment(&who.principal, comment).await?;
    if existing.map != id {
        return Err(AppError::NotFound("comment"));
    }
    let resolved = form.get("resolved") != Some("false");
    state
        .store()
        .set_comment_resolved(&who.principal, comment, resolved)
        .await?;
    Ok(Redirect::to(&back_to(&form, id)).into_response())
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, comment)): Path<(MapId, CommentId)>,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let existing = state.store().comment(&who.principal, comment).await?;
    if existing.map != id {
        return Err(AppError::NotFound("comment"));
    }
    state
        .store()
        .delete_comment(&who.principal, comment)
        .await?;
    Ok(Redirect::to(&back_to(&form, id)).into_response())
}
