//! The YAML source editor, its live check, and the conflict page every save can lead to.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use trailmap_store::{Action, MapId, Principal, VersionInfo};

use super::layout::{Viewer, csrf_field, notice, page, when};
use super::map::{MapCtx, VersionQuery, map_header};
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::form::Fields;
use crate::linediff;
use crate::maps::{self, CheckedText, Saved};
use crate::state::AppState;

/// The checker's findings, each as the CLI prints it (file:line:column, the line, a caret).
pub(crate) fn diagnostics_list(checked: &CheckedText) -> Markup {
    let items = checked.human();
    let errors = checked.errors();
    html! {
        div #diagnostics role="status" aria-live="polite" {
            @if items.is_empty() {
                ul.diagnostics { li.clean { "No problems found." } }
            } @else {
                p { strong { (errors) " error(s)" } ", " (items.len() - errors) " warning(s)" }
                ul.diagnostics {
                    @for (is_error, text) in &items {
                        li class=(if *is_error { "error" } else { "warning" }) { (text) }
                    }
                }
            }
        }
    }
}

fn editor(
    ctx: &MapCtx,
    who: &SignedIn,
    text: &str,
    base: i64,
    message: &str,
    can_edit: bool,
    checked: Option<&CheckedText>,
) -> Markup {
    let inner_comments = crate::yaml_write::has_inner_comments(text);
    html! {
        form method="post" action=(ctx.url("/source")) {
            (csrf_field(&who.csrf))
            input type="hidden" name="base" value=(base);
            label for="yaml" { "The map's YAML (version " (base) ")" }
            p.hint #yaml-hint { "Checked as you type, exactly as " code { "trailmap check" } " does. Saving makes a new version; nothing is overwritten." }
            textarea.source #yaml name="yaml" spellcheck="false" aria-describedby="yaml-hint diagnostics" readonly[!can_edit]
                hx-post=[can_edit.then(|| ctx.url("/check"))] hx-trigger="input changed delay:600ms" hx-target="#diagnostics" hx-swap="outerHTML" {
                (text)
            }
            @match checked {
                Some(checked) => (diagnostics_list(checked)),
                None => div #diagnostics role="status" aria-live="polite" {},
            }
            @if can_edit {
                label for="message" { "What changed (optional)" }
                input #message type="text" name="message" value=(message) maxlength="500";
                div.actions {
                    button type="submit" { "Check and save as version " (base + 1) }
                    button.secondary type="submit" formaction=(ctx.url("/check")) { "Check only" }
                }
                @if inner_comments {
                    p.hint { "Comments in this file are kept here; the structured editor rewrites the file and keeps only the comments at its top." }
                }
            }
        }
    }
}

pub(crate) async fn source_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    Query(q): Query<VersionQuery>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    let version = maps::version_or_latest(&state, &who.principal, id, q.version).await?;
    let can_edit = ctx.may(&who.principal, Action::EditMap);
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let body = html! {
        (map_header(&ctx, &who.principal, "Source"))
        @if version.info.number != ctx.map.latest_version {
            (notice("warn", html! { "This is version " (version.info.number) ". Saving it makes it the latest again (like Restore)." }))
        }
        (editor(&ctx, &who, &version.yaml, ctx.map.latest_version, "", can_edit, None))
    };
    Ok(page(&viewer, "Source", true, body).into_response())
}

/// The live check: the diagnostics fragment for htmx, or a whole page without JavaScript.
pub(crate) async fn check(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    headers: axum::http::HeaderMap,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    let text = form.get("yaml").unwrap_or("").to_owned();
    if text.len() > maps::MAX_MAP_BYTES {
        return Err(AppError::bad("yaml", "the text is too large to check"));
    }
    let checked = maps::check_text(
        &state,
        &who.principal,
        ctx.map.workspace,
        &format!("{}.yaml", ctx.map.slug),
        text.clone(),
    )
    .await;
    if headers.contains_key("hx-request") {
        return Ok(diagnostics_list(&checked)
            .into_string()
            .into_response_html());
    }
    let base = form
        .get("base")
        .and_then(|b| b.parse().ok())
        .unwrap_or(ctx.map.latest_version);
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let can_edit = ctx.may(&who.principal, Action::EditMap);
    let body = html! {
        (map_header(&ctx, &who.principal, "Source"))
        (editor(&ctx, &who, &text, base, form.get("message").unwrap_or(""), can_edit, Some(&checked)))
    };
    Ok(page(&viewer, "Source", true, body).into_response())
}

trait HtmlFragment {
    fn into_response_html(self) -> Response;
}

impl HtmlFragment for String {
    fn into_response_html(self) -> Response {
        axum::response::Html(self).into_response()
    }
}

pub(crate) fn parse_base(form: &Fields) -> Result<i64, AppError> {
    form.get("base")
        .and_then(|b| b.trim().parse::<i64>().ok())
        .filter(|b| *b >= 1)
        .ok_or_else(|| {
            AppError::bad(
                "base",
                "the form must say which version it started from (`base`)",
            )
        })
}

pub(crate) async fn save(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    ctx.require(&who.principal, Action::EditMap)?;
    let base = parse_base(&form)?;
    let text = form.get("yaml").unwrap_or("").to_owned();
    let message = form
        .text("message")
        .unwrap_or_else(|| "Edited the YAML source".to_owned());
    match maps::save_text(
        &state,
        &who.principal,
        &ctx.map,
        base,
        text.clone(),
        message.clone(),
    )
    .await?
    {
        Saved::Version(version) => {
            Ok(Redirect::to(&format!("/m/{id}?saved={}", version.info.number)).into_response())
        }
        Saved::Invalid(checked) => {
            let viewer = Viewer {
                user: Some(&who.user),
                csrf: &who.csrf,
            };
            let body = html! {
                (map_header(&ctx, &who.principal, "Source"))
                (notice("error", html! { "Not saved: the map has errors. Fix them and save again." }))
                (editor(&ctx, &who, &text, base, &message, true, Some(&checked)))
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&viewer, "Source", true, body),
            )
                .into_response())
        }
        Saved::Conflict(latest) => {
            conflict_page(
                &state,
                &who,
                &ctx,
                base,
                &latest,
                &text,
                Resubmit::Source { message },
            )
            .await
        }
    }
}

/// How the conflict page offers to apply the user's change again.
pub(crate) enum Resubmit {
    /// The source editor: the user's full text, to merge by hand.
    Source { message: String },
    /// A structured edit: the same form again, now based on the latest version.
    Form {
        action: String,
        fields: Fields,
        overlaps: Vec<&'static str>,
    },
}

/// "Someone saved first": what they changed, what you changed, and how to go on. Nothing of
/// either change is lost: theirs is saved, yours is on this page.
pub(crate) async fn conflict_page(
    state: &AppState,
    who: &SignedIn,
    ctx: &MapCtx,
    base: i64,
    latest: &VersionInfo,
    mine: &str,
    resubmit: Resubmit,
) -> Result<Response, AppError> {
    let principal: &Principal = &who.principal;
    let base_version = state.store().version(principal, ctx.map.id, base).await?;
    let latest_version = state
        .store()
        .version(principal, ctx.map.id, latest.number)
        .await?;
    let (theirs_text, _) = linediff::map_text_diff(&base_version.yaml, &latest_version.yaml, 2);
    let (mine_text, _) = linediff::map_text_diff(&base_version.yaml, mine, 2);
    let journey_diff = match (
        maps::model_of(&base_version),
        maps::model_of(&latest_version),
    ) {
        (Ok(a), Ok(b)) => Some(trailmap_render::diff::text(
            &trailmap_render::diff::compare(&a, &b),
        )),
        _ => None,
    };
    let author = latest
        .author
        .as_ref()
        .map_or("someone", |a| a.display_name.as_str());
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let tab = if matches!(resubmit, Resubmit::Form { .. }) {
        "Structure"
    } else {
        "Source"
    };
    let line_diff = |label: &str, text: &str| {
        let changed = text.lines().filter(|l| l.starts_with(['+', '-'])).count();
        html! {
            details open[changed <= 80] {
                summary { (label) " (" (changed) " changed lines)" }
                pre.block aria-label=(label) { (text) }
            }
        }
    };
    let body = html! {
        (map_header(ctx, principal, tab))
        (notice("error", html! {
            h2 { "Not saved: the map changed while you were editing" }
            p { "You started from version " (base) ". Meanwhile " strong { (author) } " saved version " (latest.number)
                " (" (when(latest.created_at)) (if latest.message.is_empty() { String::new() } else { format!(": {}", latest.message) }) "). "
                "Nothing was overwritten: their version is saved, and your change is below." }
        }))
        @match resubmit {
            Resubmit::Form { action, fields, overlaps } => {
                form.card method="post" action=(action) {
                    (csrf_field(&who.csrf))
                    input type="hidden" name="base" value=(latest.number);
                    @for (k, v) in fields.without(&["base", "_csrf"]) {
                        input type="hidden" name=(k) value=(v);
                    }
                    @if overlaps.is_empty() {
                        p { "Apply only what you changed to version " (latest.number) "; their changes stay." }
                    } @else {
                        (notice("warn", html! { "You both changed: " strong { (overlaps.join(", ")) } ". Reapplying sets these to your values; the rest of their change stays." }))
                    }
                    div.actions {
                        button type="submit" { "Reapply my change on version " (latest.number) }
                        a.button.secondary href=(ctx.url("/structure")) { "Discard mine and open the latest" }
                    }
                }
            }
            Resubmit::Source { message } => {
                form.card method="post" action=(ctx.url("/source")) {
                    (csrf_field(&who.csrf))
                    input type="hidden" name="base" value=(latest.number);
                    p { "Your text is below. Merge their changes into it (see below), then save it as version " (latest.number + 1) "." }
                    label for="yaml" { "Your YAML" }
                    textarea.source #yaml name="yaml" spellcheck="false" hx-post=(ctx.url("/check")) hx-trigger="input changed delay:600ms" hx-target="#diagnostics" hx-swap="outerHTML" { (mine) }
                    div #diagnostics role="status" aria-live="polite" {}
                    label for="message" { "What changed" }
                    input #message type="text" name="message" value=(message);
                    div.actions {
                        button type="submit" { "Save my merged text" }
                        a.button.secondary href=(ctx.url("/source")) { "Discard mine and open the latest" }
                    }
                }
            }
        }
        h2 { "What they changed (version " (base) " → " (latest.number) ")" }
        @if let Some(text) = &journey_diff { pre.block aria-label="Their changes to the journey" { (text.lines().skip(1).collect::<Vec<_>>().join("\n")) } }
        (line_diff("Their line changes", &theirs_text))
        h2 { "What you changed (from version " (base) ")" }
        (line_diff("Your line changes", &mine_text))
    };
    Ok((StatusCode::CONFLICT, page(&viewer, "Conflict", true, body)).into_response())
}
