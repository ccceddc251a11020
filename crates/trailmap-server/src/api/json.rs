//! The API's JSON shapes of the store's rows (documented in `openapi.json`'s components).

use serde_json::{Value, json};
use trailmap_store::{
    Activity, AnalysisInfo, ApiToken, Comment, Invitation, Map, Member, Mention, SearchHit,
    ShareLink, User, UserSummary, VersionInfo, Workspace, WorkspaceMembership,
};

use crate::pages::layout::when;

fn time(millis: i64) -> Value {
    Value::String(chrono::DateTime::from_timestamp_millis(millis).map_or_else(
        || when(millis),
        |t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    ))
}

fn opt_time(millis: Option<i64>) -> Value {
    millis.map_or(Value::Null, time)
}

pub(crate) fn user(u: &User) -> Value {
    json!({ "id": u.id, "email": u.email, "handle": u.handle, "display_name": u.display_name, "site_admin": u.site_admin, "created_at": time(u.created_at) })
}

pub(crate) fn summary(u: &UserSummary) -> Value {
    json!({ "id": u.id, "handle": u.handle, "display_name": u.display_name })
}

fn opt_summary(u: Option<&UserSummary>) -> Value {
    u.map_or(Value::Null, summary)
}

pub(crate) fn workspace(w: &Workspace) -> Value {
    json!({ "id": w.id, "slug": w.slug, "name": w.name, "created_at": time(w.created_at) })
}

pub(crate) fn membership(m: &WorkspaceMembership) -> Value {
    let mut v = workspace(&m.workspace);
    v["role"] = m.role.as_str().into();
    v
}

pub(crate) fn member(m: &Member) -> Value {
    json!({ "user": summary(&m.user), "role": m.role.as_str(), "joined_at": time(m.joined_at) })
}

pub(crate) fn invitation(i: &Invitation) -> Value {
    json!({
        "id": i.id, "workspace": i.workspace, "email": i.email, "role": i.role.as_str(),
        "created_at": time(i.created_at), "expires_at": time(i.expires_at),
        "accepted": i.accepted_by.is_some(), "revoked": i.revoked_at.is_some(),
    })
}

pub(crate) fn map(m: &Map) -> Value {
    json!({
        "id": m.id, "workspace": m.workspace, "slug": m.slug, "title": m.title, "state": m.state.as_str(),
        "journey_id": m.journey_id, "counterpart": m.counterpart, "latest_version": m.latest_version,
        "created_at": time(m.created_at), "updated_at": time(m.updated_at),
    })
}

pub(crate) fn version(v: &VersionInfo) -> Value {
    json!({
        "map": v.map, "number": v.number, "author": opt_summary(v.author.as_ref()), "message": v.message,
        "restored_from": v.restored_from, "size_bytes": v.size_bytes, "created_at": time(v.created_at),
    })
}

pub(crate) fn comment(c: &Comment) -> Value {
    json!({
        "id": c.id, "map": c.map, "version": c.version, "target": c.target, "parent": c.parent,
        "author": opt_summary(c.author.as_ref()), "body": c.body,
        "mentions": c.mentions.iter().map(summary).collect::<Vec<_>>(),
        "resolved": c.resolved, "created_at": time(c.created_at),
    })
}

pub(crate) fn mention(m: &Mention) -> Value {
    json!({
        "comment": m.comment, "map": m.map, "map_title": m.map_title, "target": m.target,
        "by": opt_summary(m.by.as_ref()), "body": m.body, "created_at": time(m.created_at),
    })
}

pub(crate) fn activity(a: &Activity) -> Value {
    json!({
        "id": a.id, "workspace": a.workspace, "map": a.map, "actor": opt_summary(a.actor.as_ref()),
        "kind": a.kind.as_str(), "detail": a.detail, "created_at": time(a.created_at),
    })
}

pub(crate) fn share_link(l: &ShareLink) -> Value {
    json!({
        "id": l.id, "map": l.map, "created_at": time(l.created_at), "expires_at": opt_time(l.expires_at),
        "revoked": l.revoked_at.is_some(), "last_used_at": opt_time(l.last_used_at),
    })
}

pub(crate) fn api_token(t: &ApiToken) -> Value {
    json!({
        "id": t.id, "name": t.name, "created_at": time(t.created_at),
        "last_used_at": opt_time(t.last_used_at), "revoked": t.revoked_at.is_some(),
    })
}

pub(crate) fn analysis(a: &AnalysisInfo) -> Value {
    json!({
        "id": a.id, "map": a.map, "version": a.version, "name": a.name, "status": a.status.as_str(),
        "progress": a.progress, "error": a.error, "created_at": time(a.created_at), "updated_at": time(a.updated_at),
    })
}

pub(crate) fn hit(h: &SearchHit) -> Value {
    json!({
        "map": map(&h.map),
        "matched_in": match h.matched_in { trailmap_store::MatchedIn::Title => "title", trailmap_store::MatchedIn::Id => "id", trailmap_store::MatchedIn::Content => "content" },
        "snippet": h.snippet,
    })
}
