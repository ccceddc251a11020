//! Comments on a step or card, replies, @mentions, resolve and reopen.

use std::collections::HashMap;

use crate::backend::{Conn, ConnExt, Row, Value, read_conn, write_tx};
use crate::error::StoreError;
use crate::ids::{CommentId, MapId, UserId};
use crate::policy::{self, Action, Resource};
use crate::principal::{Principal, PrincipalKind};
use crate::time::now_millis;
use crate::types::{ActivityKind, Comment, Map, Mention, NewComment, UserSummary};
use crate::{Result, Store, text};

use super::access::{acting_user, authorize_map, standing};
use super::{feed, rows};

/// Longest comment body, in characters.
const MAX_BODY_CHARS: usize = 10_000;

impl Store {
    /// Adds a comment or reply (commenter). `@handle`s of workspace members in the body are
    /// stored as mentions (unknown handles and non-members are ignored). Writes the activity
    /// entry in the same transaction.
    pub async fn add_comment(
        &self,
        principal: &Principal,
        map: MapId,
        new: NewComment,
    ) -> Result<Comment> {
        let actor = acting_user(principal, Action::Comment)?;
        let body = text::check_text("body", &new.body, MAX_BODY_CHARS)?;
        let target = new.target.trim();
        if target.chars().count() > 200 || target.contains('\0') {
            return Err(StoreError::invalid(
                "target",
                "must be a step or card id of at most 200 characters",
            ));
        }
        write_tx!(&self.backend, conn => {
            let found = authorize_map(conn, principal, map, Action::Comment).await?;
            let (parent, target) = match new.parent {
                None => (None, target.to_owned()),
                Some(parent) => {
                    let parent = comment_row(conn, parent).await?;
                    if parent.map != map {
                        return Err(StoreError::not_found("comment"));
                    }
                    // Threads are one level deep: a reply to a reply joins the root's thread.
                    let root = match parent.parent {
                        Some(root) => comment_row(conn, root).await?,
                        None => parent,
                    };
                    (Some(root.id), root.target)
                }
            };
            if let Some(v) = new.version
                && !(1..=found.latest_version).contains(&v)
            {
                return Err(StoreError::invalid("version", format!("map has versions 1 to {}", found.latest_version)));
            }
            let id = conn
                .fetch_one(
                    "comment",
                    "INSERT INTO comments (map_id, version, target, parent_id, author_id, body, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    &[
                        Value::I64(map.0),
                        Value::OptI64(new.version),
                        Value::Str(&target),
                        Value::OptI64(parent.map(|p| p.0)),
                        Value::I64(actor.0),
                        Value::Str(body),
                        Value::I64(now_millis()),
                    ],
                )
                .await?
                .i64("id")?;
            let id = CommentId(id);
            for handle in text::mentions(body) {
                conn.execute(
                    "INSERT INTO mentions (comment_id, user_id) SELECT $1, u.id FROM users u \
                     JOIN memberships ms ON ms.user_id = u.id AND ms.workspace_id = $2 WHERE u.handle = $3",
                    &[Value::I64(id.0), Value::I64(found.workspace.0), Value::Str(&handle)],
                )
                .await?;
            }
            let (kind, on) = if parent.is_some() { (ActivityKind::Replied, "reply") } else { (ActivityKind::Commented, "on") };
            let place = if target.is_empty() { "the map".to_owned() } else { target.clone() };
            let detail = format!("{on} {place}: {}", text::excerpt(body, 120));
            feed::record(conn, found.workspace, Some(map), Some(actor), kind, &detail).await?;
            let added = comment_row(conn, id).await?;
            with_mentions(conn, added).await
        })
    }

    /// A map's comments in thread order (each root oldest first, followed by its replies),
    /// optionally only those on one target; resolved threads only with `include_resolved`.
    pub async fn list_comments(
        &self,
        principal: &Principal,
        map: MapId,
        target: Option<&str>,
        include_resolved: bool,
    ) -> Result<Vec<Comment>> {
        read_conn!(&self.backend, conn => {
            authorize_map(conn, principal, map, Action::ViewMap).await?;
            if target.is_some_and(|t| t.contains('\0')) {
                // No target holds a NUL (the store refuses them).
                return Ok(Vec::new());
            }
            let sql = format!(
                "SELECT {} FROM comments c LEFT JOIN users a ON a.id = c.author_id \
                 WHERE c.map_id = $1 AND ($2 IS NULL OR c.target = $2) ORDER BY c.id",
                rows::COMMENT_COLUMNS
            );
            let all: Vec<Comment> = conn
                .fetch_all(&sql, &[Value::I64(map.0), Value::OptStr(target)])
                .await?
                .iter()
                .map(rows::comment)
                .collect::<Result<_>>()?;
            let mut mentions = mentions_of_map(conn, map).await?;
            let (roots, replies): (Vec<Comment>, Vec<Comment>) = all.into_iter().partition(|c| c.parent.is_none());
            let mut out = Vec::new();
            for root in roots {
                if root.resolved && !include_resolved {
                    continue;
                }
                let id = root.id;
                out.push(root);
                out.extend(replies.iter().filter(|r| r.parent == Some(id)).cloned());
            }
            for c in &mut out {
                c.mentions = mentions.remove(&c.id).unwrap_or_default();
            }
            Ok(out)
        })
    }

    /// One comment.
    pub async fn comment(&self, principal: &Principal, id: CommentId) -> Result<Comment> {
        read_conn!(&self.backend, conn => {
            let found = comment_row(conn, id).await?;
            authorize_map(conn, principal, found.map, Action::ViewMap).await.map_err(hide_as_comment)?;
            with_mentions(conn, found).await
        })
    }

    /// Resolves (`true`) or reopens (`false`) a thread (commenter). On a reply it acts on the
    /// reply's root.
    pub async fn set_comment_resolved(
        &self,
        principal: &Principal,
        id: CommentId,
        resolved: bool,
    ) -> Result<Comment> {
        let actor = acting_user(principal, Action::ResolveComment)?;
        write_tx!(&self.backend, conn => {
            let found = comment_row(conn, id).await?;
            let map = authorize_map(conn, principal, found.map, Action::ResolveComment).await.map_err(hide_as_comment)?;
            let root = found.parent.unwrap_or(found.id);
            let (by, at) = if resolved { (Some(actor.0), Some(now_millis())) } else { (None, None) };
            conn.execute(
                "UPDATE comments SET resolved = $1, resolved_by = $2, resolved_at = $3 WHERE id = $4",
                &[Value::Bool(resolved), Value::OptI64(by), Value::OptI64(at), Value::I64(root.0)],
            )
            .await?;
            let root = comment_row(conn, root).await?;
            let kind = if resolved { ActivityKind::CommentResolved } else { ActivityKind::CommentReopened };
            let detail = format!("{}: {}", place(&root.target), text::excerpt(&root.body, 120));
            feed::record(conn, map.workspace, Some(map.id), Some(actor), kind, &detail).await?;
            with_mentions(conn, root).await
        })
    }

    /// Deletes one's own comment (or any, for a workspace owner), with its replies.
    pub async fn delete_comment(&self, principal: &Principal, id: CommentId) -> Result<()> {
        let actor = acting_user(principal, Action::Comment)?;
        write_tx!(&self.backend, conn => {
            let found = comment_row(conn, id).await?;
            let map: Map = authorize_map(conn, principal, found.map, Action::ViewMap).await.map_err(hide_as_comment)?;
            let resource = Resource::Map { workspace: map.workspace, map: map.id };
            let standing = standing(conn, principal, &resource).await?;
            let own = found.author.as_ref().is_some_and(|a| a.id == actor)
                && policy::can(&standing, Action::Comment, &resource);
            if !own && !policy::can(&standing, Action::DeleteMap, &resource) {
                return Err(StoreError::Forbidden { action: Action::Comment });
            }
            conn.execute("DELETE FROM comments WHERE id = $1", &[Value::I64(id.0)]).await?;
            Ok(())
        })
    }

    /// Comments that mention the acting user, newest first, only on maps they can still see.
    pub async fn my_mentions(&self, principal: &Principal, limit: i64) -> Result<Vec<Mention>> {
        let (PrincipalKind::User { user } | PrincipalKind::ApiToken { user, .. }) = principal.kind
        else {
            return Ok(Vec::new());
        };
        read_conn!(&self.backend, conn => {
            let found = conn
                .fetch_all(
                    "SELECT c.id AS c_id, c.map_id AS c_map_id, m.title AS m_title, c.target AS c_target, \
                     c.body AS c_body, c.created_at AS c_created_at, \
                     a.id AS a_id, a.handle AS a_handle, a.display_name AS a_name \
                     FROM mentions mn JOIN comments c ON c.id = mn.comment_id \
                     JOIN maps m ON m.id = c.map_id \
                     JOIN memberships ms ON ms.workspace_id = m.workspace_id AND ms.user_id = $1 \
                     LEFT JOIN users a ON a.id = c.author_id \
                     WHERE mn.user_id = $1 ORDER BY c.id DESC LIMIT $2",
                    &[Value::I64(user.0), Value::I64(limit.clamp(0, 1000))],
                )
                .await?;
            found
                .iter()
                .map(|row| {
                    Ok(Mention {
                        comment: CommentId(row.i64("c_id")?),
                        map: MapId(row.i64("c_map_id")?),
                        map_title: row.string("m_title")?,
                        target: row.string("c_target")?,
                        by: rows::summary(row, "a")?,
                        body: row.string("c_body")?,
                        created_at: row.i64("c_created_at")?,
                    })
                })
                .collect()
        })
    }
}

fn place(target: &str) -> &str {
    if target.is_empty() { "the map" } else { target }
}

/// A comment on a map one may not see is a comment that does not exist.
fn hide_as_comment(e: StoreError) -> StoreError {
    match e {
        StoreError::NotFound { .. } => StoreError::not_found("comment"),
        other => other,
    }
}

async fn comment_row<C: Conn>(conn: &mut C, id: CommentId) -> Result<Comment> {
    let sql = format!(
        "SELECT {} FROM comments c LEFT JOIN users a ON a.id = c.author_id WHERE c.id = $1",
        rows::COMMENT_COLUMNS
    );
    rows::comment(&conn.fetch_one("comment", &sql, &[Value::I64(id.0)]).await?)
}

async fn with_mentions<C: Conn>(conn: &mut C, mut comment: Comment) -> Result<Comment> {
    let found = conn
        .fetch_all(
            "SELECT u.id AS u_id, u.handle AS u_handle, u.display_name AS u_name, mn.comment_id \
             FROM mentions mn JOIN users u ON u.id = mn.user_id WHERE mn.comment_id = $1 ORDER BY u.handle",
            &[Value::I64(comment.id.0)],
        )
        .await?;
    comment.mentions = found.iter().map(mentioned).collect::<Result<_>>()?;
    Ok(comment)
}

async fn mentions_of_map<C: Conn>(
    conn: &mut C,
    map: MapId,
) -> Result<HashMap<CommentId, Vec<UserSummary>>> {
    let found = conn
        .fetch_all(
            "SELECT u.id AS u_id, u.handle AS u_handle, u.display_name AS u_name, mn.comment_id \
             FROM mentions mn JOIN users u ON u.id = mn.user_id JOIN comments c ON c.id = mn.comment_id \
             WHERE c.map_id = $1 ORDER BY u.handle",
            &[Value::I64(map.0)],
        )
        .await?;
    let mut out: HashMap<CommentId, Vec<UserSummary>> = HashMap::new();
    for row in &found {
        out.entry(CommentId(row.i64("comment_id")?))
            .or_default()
            .push(mentioned(row)?);
    }
    Ok(out)
}

fn mentioned(row: &Row) -> Result<UserSummary> {
    Ok(UserSummary {
        id: UserId(row.i64("u_id")?),
        handle: row.string("u_handle")?,
        display_name: row.string("u_name")?,
    })
}
