//! A workspace's members and invitations (owners manage them; members see who is there).

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use trailmap_store::{Action, InvitationId, Resource, Role, UserId, now_millis};

use super::layout::{Viewer, csrf_field, notice, page, when};
use super::workspace::tabs;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::form::Fields;
use crate::state::AppState;

fn role_select(id: &str, name: &str, selected: Role) -> maud::Markup {
    html! {
        select id=(id) name=(name) {
            @for r in Role::ALL { option value=(r.as_str()) selected[r == selected] { (r.as_str()) } }
        }
    }
}

async fn body(
    state: &AppState,
    who: &SignedIn,
    slug: &str,
    new_link: Option<String>,
) -> Result<maud::Markup, AppError> {
    let store = state.store();
    let ws = store.workspace_by_slug(&who.principal, slug).await?;
    let members = store.list_members(&who.principal, ws.workspace.id).await?;
    let is_owner = store
        .can(
            &who.principal,
            Action::ManageMembers,
            Resource::Workspace(ws.workspace.id),
        )
        .await?;
    let invitations = if is_owner {
        store
            .list_invitations(&who.principal, ws.workspace.id)
            .await?
    } else {
        Vec::new()
    };
    let base = format!("/w/{slug}");
    let now = now_millis();
    Ok(html! {
        h1 { (ws.workspace.name) }
        (tabs(&ws, "Members"))
        @if let Some(url) = &new_link {
            (notice("ok", html! { p { "Send this invitation link to the person you invite. It is shown only once." } p.secret { (url) } }))
        }
        table {
            caption { "Members" }
            thead { tr { th scope="col" { "Name" } th scope="col" { "Handle" } th scope="col" { "Role" } th scope="col" { "Joined" } @if is_owner { th scope="col" { span.visually-hidden { "Actions" } } } } }
            tbody {
                @for m in &members {
                    tr id=(format!("user-{}", m.user.handle)) {
                        td { (m.user.display_name) }
                        td { "@" (m.user.handle) }
                        td {
                            @if is_owner {
                                form.row method="post" action=(format!("{base}/members/{}/role", m.user.id)) {
                                    (csrf_field(&who.csrf))
                                    label.visually-hidden for=(format!("role-{}", m.user.id)) { "Role of " (m.user.display_name) }
                                    (role_select(&format!("role-{}", m.user.id), "role", m.role))
                                    button.small.secondary.shrink type="submit" { "Change" }
                                }
                            } @else { (m.role.as_str()) }
                        }
                        td { (when(m.joined_at)) }
                        @if is_owner {
                            td {
                                form method="post" action=(format!("{base}/members/{}/remove", m.user.id)) {
                                    (csrf_field(&who.csrf))
                                    button.small.danger type="submit" aria-label=(format!("Remove {}", m.user.display_name)) { "Remove" }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if is_owner {
            form.card method="post" action=(format!("{base}/invitations")) {
                (csrf_field(&who.csrf))
                h2 { "Invite someone" }
                div.row {
                    div {
                        label for="inv-email" { "Email (optional)" }
                        p.hint #inv-email-hint { "If given, only this address can use the invitation." }
                        input #inv-email type="email" name="email" aria-describedby="inv-email-hint";
                    }
                    div { label for="inv-role" { "Role" } (role_select("inv-role", "role", Role::Editor)) }
                    div {
                        label for="inv-days" { "Valid for" }
                        select #inv-days name="expires_days" { option value="1" { "1 day" } option value="7" selected { "7 days" } option value="30" { "30 days" } }
                    }
                }
                p.hint { "Owners manage members and can delete maps; editors change maps and share them; commenters discuss; viewers read." }
                div.actions { button type="submit" { "Make an invitation link" } }
            }
            @if !invitations.is_empty() {
                table {
                    caption { "Invitations" }
                    thead { tr { th scope="col" { "For" } th scope="col" { "Role" } th scope="col" { "Expires" } th scope="col" { "State" } th scope="col" { span.visually-hidden { "Actions" } } } }
                    tbody {
                        @for i in &invitations {
                            @let open = i.accepted_by.is_none() && i.revoked_at.is_none() && i.expires_at > now;
                            tr {
                                td { (i.email.as_deref().unwrap_or("anyone with the link")) }
                                td { (i.role.as_str()) }
                                td { (when(i.expires_at)) }
                                td { @if i.accepted_by.is_some() { "accepted" } @else if i.revoked_at.is_some() { "revoked" } @else if open { "open" } @else { "expired" } }
                                td {
                                    @if open {
                                        form method="post" action=(format!("{base}/invitations/{}/revoke", i.id)) {
                                            (csrf_field(&who.csrf))
                                            button.small.danger type="submit" { "Revoke" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

pub(crate) async fn members_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let body = body(&state, &who, &slug, None).await?;
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    Ok(page(&viewer, "Members", false, body).into_response())
}

pub(crate) async fn invite(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let ws = state
        .store()
        .workspace_by_slug(&who.principal, &slug)
        .await?;
    let role = form
        .get("role")
        .and_then(Role::parse)
        .ok_or_else(|| AppError::bad("role", "owner, editor, commenter or viewer"))?;
    let expires_at =
        super::share::expiry(form.text("expires_days").or_else(|| Some("7".to_owned())))?
            .unwrap_or_else(now_millis);
    let email = form.text("email");
    let (_, secret) = state
        .store()
        .create_invitation(
            &who.principal,
            ws.workspace.id,
            email.as_deref(),
            role,
            expires_at,
        )
        .await?;
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.secure_cookies() {
        "https"
    } else {
        "http"
    };
    let url = format!("{scheme}://{host}/signup?invite={}", secret.expose());
    let body = body(&state, &who, &slug, Some(url)).await?;
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    Ok(page(&viewer, "Members", false, body).into_response())
}

pub(crate) async fn revoke_invitation(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, id)): Path<(String, InvitationId)>,
    _form: axum::Form<Fields>,
) -> Result<Response, AppError> {
    let ws = state
        .store()
        .workspace_by_slug(&who.principal, &slug)
        .await?;
    let invitations = state
        .store()
        .list_invitations(&who.principal, ws.workspace.id)
        .await?;
    if !invitations.iter().any(|i| i.id == id) {
        return Err(AppError::NotFound("invitation"));
    }
    state.store().revoke_invitation(&who.principal, id).await?;
    Ok(Redirect::to(&format!("/w/{slug}/members")).into_response())
}

pub(crate) async fn set_role(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, user)): Path<(String, UserId)>,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let ws = state
        .store()
        .workspace_by_slug(&who.principal, &slug)
        .await?;
    let role = form
        .get("role")
        .and_then(Role::parse)
        .ok_or_else(|| AppError::bad("role", "owner, editor, commenter or viewer"))?;
    state
        .store()
        .set_member_role(&who.principal, ws.workspace.id, user, role)
        .await?;
    Ok(Redirect::to(&format!("/w/{slug}/members")).into_response())
}

pub(crate) async fn remove(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, user)): Path<(String, UserId)>,
    _form: axum::Form<Fields>,
) -> Result<Response, AppError> {
    let ws = state
        .store()
        .workspace_by_slug(&who.principal, &slug)
        .await?;
    state
        .store()
        .remove_member(&who.principal, ws.workspace.id, user)
        .await?;
    let to = if user == who.user.id {
        "/".to_owned()
    } else {
        format!("/w/{slug}/members")
    };
    Ok(Redirect::to(&to).into_response())
}
