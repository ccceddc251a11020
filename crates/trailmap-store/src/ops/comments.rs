//! Comments on a step or card, replies, @mentions, resolve and reopen.

use crate::error::StoreError;
use crate::ids::{CommentId, MapId};
use crate::principal::Principal;
use crate::types::{Comment, Mention, NewComment};
use crate::{Result, Store};

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
        let _ = (principal, map, new);
        Err(StoreError::Unsupported("add_comment"))
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
        let _ = (principal, map, target, include_resolved);
        Err(StoreError::Unsupported("list_comments"))
    }

    /// One comment.
    pub async fn comment(&self, principal: &Principal, id: CommentId) -> Result<Comment> {
        let _ = (principal, id);
        Err(StoreError::Unsupported("comment"))
    }

    /// Resolves (`true`) or reopens (`false`) a thread (commenter). On a reply it acts on the
    /// reply's root.
    pub async fn set_comment_resolved(
        &self,
        principal: &Principal,
        id: CommentId,
        resolved: bool,
    ) -> Result<Comment> {
        let _ = (principal, id, resolved);
        Err(StoreError::Unsupported("set_comment_resolved"))
    }

    /// Deletes one's own comment (or any, for a workspace owner), with its replies.
    pub async fn delete_comment(&self, principal: &Principal, id: CommentId) -> Result<()> {
        let _ = (principal, id);
        Err(StoreError::Unsupported("delete_comment"))
    }

    /// Comments that mention the acting user, newest first, only on maps they can still see.
    pub async fn my_mentions(&self, principal: &Principal, limit: i64) -> Result<Vec<Mention>> {
        let _ = (principal, limit);
        Err(StoreError::Unsupported("my_mentions"))
    }
}
