//! The rows the store hands out and the inputs it takes.

use crate::ids::{
    ActivityId, AnalysisId, ApiTokenId, CommentId, InvitationId, MapId, ShareLinkId, UserId,
    WorkspaceId,
};
use crate::policy::Role;
use crate::principal::Principal;
use crate::time::UnixMillis;

/// A secret shown once (a session, API, share-link or invitation token). Its `Debug` does not
/// print it, so it cannot end up in a log by accident. The store keeps only its SHA-256.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub(crate) String);

impl Secret {
    /// The token text (64 lowercase hex characters), to put in a cookie, URL or header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// A user account (never with its password hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Row id.
    pub id: UserId,
    /// Login name, stored lowercased; unique.
    pub email: String,
    /// The `@handle` used in mentions: `[a-z0-9_.-]`, 1 to 40 characters, unique.
    pub handle: String,
    /// Name shown to others.
    pub display_name: String,
    /// The site admin (the first user to sign up).
    pub site_admin: bool,
    /// When the account was made.
    pub created_at: UnixMillis,
}

/// Who someone is, as shown next to a comment or in a member list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserSummary {
    /// Row id.
    pub id: UserId,
    /// `@handle`.
    pub handle: String,
    /// Name shown to others.
    pub display_name: String,
}

/// Sign-up form input.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// Login email (trimmed, lowercased; must contain `@`).
    pub email: String,
    /// `@handle` for mentions (lowercased; `[a-z0-9_.-]{1,40}`).
    pub handle: String,
    /// Name shown to others (1 to 100 characters after trimming).
    pub display_name: String,
    /// At least 8 characters; hashed with argon2id, never stored.
    pub password: String,
}

/// What [`crate::Store::sign_up`] made.
#[derive(Clone, Debug)]
pub struct SignedUp {
    /// The new account.
    pub user: User,
    /// The new user as a principal, to start a session with.
    pub principal: Principal,
    /// The workspace the user joined: the new default workspace for the first user (as owner),
    /// or the invitation's workspace (with its role).
    pub workspace: Option<WorkspaceMembership>,
}

/// A session cookie's value and when it stops working.
#[derive(Clone, Debug)]
pub struct IssuedSession {
    /// The cookie value.
    pub token: Secret,
    /// When it expires.
    pub expires_at: UnixMillis,
}

/// A workspace: a team's maps and members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workspace {
    /// Row id.
    pub id: WorkspaceId,
    /// URL name, unique: `[a-z0-9-]{1,60}`.
    pub slug: String,
    /// Name shown to people.
    pub name: String,
    /// When it was made.
    pub created_at: UnixMillis,
}

/// A workspace together with the acting user's role in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceMembership {
    /// The workspace.
    pub workspace: Workspace,
    /// The user's role there.
    pub role: Role,
}

/// A member of a workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// Who.
    pub user: UserSummary,
    /// Their role.
    pub role: Role,
    /// When they joined.
    pub joined_at: UnixMillis,
}

/// An invitation to join a workspace with a role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    /// Row id.
    pub id: InvitationId,
    /// The workspace to join.
    pub workspace: WorkspaceId,
    /// If set, only this email may accept it.
    pub email: Option<String>,
    /// The role given on acceptance.
    pub role: Role,
    /// Who invited.
    pub invited_by: UserId,
    /// When it was made.
    pub created_at: UnixMillis,
    /// When it stops working.
    pub expires_at: UnixMillis,
    /// Who accepted it (an invitation works once).
    pub accepted_by: Option<UserId>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<UnixMillis>,
}

/// Whether a map shows how things are now or how they should become.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MapState {
    /// The journey as it is today.
    Current,
    /// The journey as it should be.
    Future,
}

impl MapState {
    /// `"current"` or `"future"`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            MapState::Current => "current",
            MapState::Future => "future",
        }
    }

    /// Parses [`MapState::as_str`]'s output.
    pub fn parse(s: &str) -> Option<MapState> {
        match s {
            "current" => Some(MapState::Current),
            "future" => Some(MapState::Future),
            _ => None,
        }
    }
}

/// A journey map (its text lives in its versions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Map {
    /// Row id.
    pub id: MapId,
    /// Its workspace.
    pub workspace: WorkspaceId,
    /// URL name, unique in the workspace: `[a-z0-9-]{1,80}`.
    pub slug: String,
    /// Title shown to people.
    pub title: String,
    /// Current or future.
    pub state: MapState,
    /// The `journey.id` of the latest version's YAML, as given by the caller when saving.
    pub journey_id: Option<String>,
    /// The map it is shown side by side with (a future map's current one, or the reverse).
    pub counterpart: Option<MapId>,
    /// The latest version number (1 or more).
    pub latest_version: i64,
    /// Who made it.
    pub created_by: Option<UserId>,
    /// When it was made.
    pub created_at: UnixMillis,
    /// When it last changed (a save, a restore, a rename).
    pub updated_at: UnixMillis,
}

/// Input for [`crate::Store::create_map`]: the map and its version 1.
#[derive(Clone, Debug)]
pub struct NewMap {
    /// URL name, unique in the workspace.
    pub slug: String,
    /// Title shown to people.
    pub title: String,
    /// Current or future.
    pub state: MapState,
    /// The YAML's `journey.id`, if known (the caller has checked the YAML; the store does not parse it).
    pub journey_id: Option<String>,
    /// Version 1's YAML text.
    pub yaml: String,
    /// Version 1's message ("Imported from checkout.yaml").
    pub message: String,
}

/// Changes to a map's metadata; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct MapChanges {
    /// New title.
    pub title: Option<String>,
    /// New state.
    pub state: Option<MapState>,
    /// New counterpart: `Some(None)` removes it. It must be in the same workspace.
    pub counterpart: Option<Option<MapId>>,
}

/// Input for [`crate::Store::save_version`].
#[derive(Clone, Debug)]
pub struct SaveVersion {
    /// The version the editor started from; must be the latest or the save is a conflict.
    pub base_version: i64,
    /// The new YAML text.
    pub yaml: String,
    /// What changed, in the author's words (may be empty).
    pub message: String,
    /// The new text's `journey.id`, if the caller knows it; `None` keeps the old one.
    pub journey_id: Option<String>,
}

/// One version of a map, without its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionInfo {
    /// The map.
    pub map: MapId,
    /// 1, 2, 3...: dense per map, never reused.
    pub number: i64,
    /// Who saved it (`None` if that account is gone).
    pub author: Option<UserSummary>,
    /// The save message.
    pub message: String,
    /// Set when this version restored an older one: that one's number.
    pub restored_from: Option<i64>,
    /// Length of the YAML text in bytes.
    pub size_bytes: i64,
    /// When it was saved.
    pub created_at: UnixMillis,
}

/// One version of a map with its YAML text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// Number, author, message, time.
    pub info: VersionInfo,
    /// The text exactly as saved.
    pub yaml: String,
}

/// A comment or a reply on a step or card of a map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Row id.
    pub id: CommentId,
    /// The map.
    pub map: MapId,
    /// The version it was written against, if given.
    pub version: Option<i64>,
    /// What it is about: a step or card id from the YAML (e.g. `"checkout.pay"`), or `""` for
    /// the whole map. Replies carry their parent's target.
    pub target: String,
    /// The comment it replies to (replies to replies are attached to the thread's root).
    pub parent: Option<CommentId>,
    /// Who wrote it (`None` if that account is gone).
    pub author: Option<UserSummary>,
    /// The text as written (plain text; escaping is the renderer's job).
    pub body: String,
    /// Members named with `@handle` in the body.
    pub mentions: Vec<UserSummary>,
    /// Resolved threads are hidden by default; only a root comment is resolved.
    pub resolved: bool,
    /// Who resolved it, when resolved.
    pub resolved_by: Option<UserId>,
    /// When it was written.
    pub created_at: UnixMillis,
}

/// Input for [`crate::Store::add_comment`].
#[derive(Clone, Debug)]
pub struct NewComment {
    /// A step or card id, or `""` for the whole map (ignored for a reply: it takes the parent's).
    pub target: String,
    /// The text (1 to 10 000 characters after trimming).
    pub body: String,
    /// Reply to this comment.
    pub parent: Option<CommentId>,
    /// The version the author was looking at.
    pub version: Option<i64>,
}

/// Someone was named in a comment: an entry in their inbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The comment.
    pub comment: CommentId,
    /// Its map.
    pub map: MapId,
    /// The map's title, for the inbox line.
    pub map_title: String,
    /// The comment's target.
    pub target: String,
    /// Who wrote the comment.
    pub by: Option<UserSummary>,
    /// The comment text.
    pub body: String,
    /// When.
    pub created_at: UnixMillis,
}

/// What an activity entry says happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActivityKind {
    /// A map was created or imported (version 1).
    MapCreated,
    /// A new version was saved.
    VersionSaved,
    /// An old version was restored as a new one.
    VersionRestored,
    /// Title, state or counterpart changed.
    MapUpdated,
    /// A map was deleted (the entry stays in the workspace feed).
    MapDeleted,
    /// A comment was written.
    Commented,
    /// A reply was written.
    Replied,
    /// A thread was resolved.
    CommentResolved,
    /// A thread was reopened.
    CommentReopened,
    /// A result.json was attached.
    AnalysisAttached,
    /// A background analyze run was queued.
    AnalysisQueued,
    /// A background analyze run finished.
    AnalysisFinished,
    /// A background analyze run failed.
    AnalysisFailed,
    /// A share link was made.
    ShareLinkCreated,
    /// A share link was revoked.
    ShareLinkRevoked,
    /// Someone joined the workspace.
    MemberJoined,
    /// A member's role changed.
    MemberRoleChanged,
    /// A member was removed.
    MemberRemoved,
    /// An invitation was made.
    InvitationCreated,
}

impl ActivityKind {
    /// Every kind, for round-trip tests.
    pub const ALL: [ActivityKind; 19] = [
        ActivityKind::MapCreated,
        ActivityKind::VersionSaved,
        ActivityKind::VersionRestored,
        ActivityKind::MapUpdated,
        ActivityKind::MapDeleted,
        ActivityKind::Commented,
        ActivityKind::Replied,
        ActivityKind::CommentResolved,
        ActivityKind::CommentReopened,
        ActivityKind::AnalysisAttached,
        ActivityKind::AnalysisQueued,
        ActivityKind::AnalysisFinished,
        ActivityKind::AnalysisFailed,
        ActivityKind::ShareLinkCreated,
        ActivityKind::ShareLinkRevoked,
        ActivityKind::MemberJoined,
        ActivityKind::MemberRoleChanged,
        ActivityKind::MemberRemoved,
        ActivityKind::InvitationCreated,
    ];

    /// The snake_case name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::MapCreated => "map_created",
            ActivityKind::VersionSaved => "version_saved",
            ActivityKind::VersionRestored => "version_restored",
            ActivityKind::MapUpdated => "map_updated",
            ActivityKind::MapDeleted => "map_deleted",
            ActivityKind::Commented => "commented",
            ActivityKind::Replied => "replied",
            ActivityKind::CommentResolved => "comment_resolved",
            ActivityKind::CommentReopened => "comment_reopened",
            ActivityKind::AnalysisAttached => "analysis_attached",
            ActivityKind::AnalysisQueued => "analysis_queued",
            ActivityKind::AnalysisFinished => "analysis_finished",
            ActivityKind::AnalysisFailed => "analysis_failed",
            ActivityKind::ShareLinkCreated => "share_link_created",
            ActivityKind::ShareLinkRevoked => "share_link_revoked",
            ActivityKind::MemberJoined => "member_joined",
            ActivityKind::MemberRoleChanged => "member_role_changed",
            ActivityKind::MemberRemoved => "member_removed",
            ActivityKind::InvitationCreated => "invitation_created",
        }
    }

    /// Parses [`ActivityKind::as_str`]'s output.
    pub fn parse(s: &str) -> Option<ActivityKind> {
        ActivityKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One entry of a map's or workspace's activity feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activity {
    /// Row id (increasing with time).
    pub id: ActivityId,
    /// The workspace.
    pub workspace: WorkspaceId,
    /// The map, if about one (`None` once the map is deleted).
    pub map: Option<MapId>,
    /// Who did it.
    pub actor: Option<UserSummary>,
    /// What happened.
    pub kind: ActivityKind,
    /// A short human line: the version number and message, the comment's first words...
    pub detail: String,
    /// When.
    pub created_at: UnixMillis,
}

/// A read-only link to one map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareLink {
    /// Row id.
    pub id: ShareLinkId,
    /// The map it opens.
    pub map: MapId,
    /// Who made it.
    pub created_by: Option<UserId>,
    /// When it was made.
    pub created_at: UnixMillis,
    /// When it stops working (`None`: until revoked).
    pub expires_at: Option<UnixMillis>,
    /// When it was revoked.
    pub revoked_at: Option<UnixMillis>,
    /// When it was last opened.
    pub last_used_at: Option<UnixMillis>,
}

/// An API token of a user (without its secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiToken {
    /// Row id.
    pub id: ApiTokenId,
    /// The user it acts for.
    pub user: UserId,
    /// A name to recognise it by ("CI push").
    pub name: String,
    /// When it was made.
    pub created_at: UnixMillis,
    /// When it was last used.
    pub last_used_at: Option<UnixMillis>,
    /// When it was revoked.
    pub revoked_at: Option<UnixMillis>,
}

/// Where an analysis is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnalysisStatus {
    /// Waiting for a worker.
    Queued,
    /// A worker is on it (see `progress`).
    Running,
    /// Has a result.
    Done,
    /// Stopped with an error (see `error`).
    Failed,
}

impl AnalysisStatus {
    /// The lowercase name stored.
    pub fn as_str(self) -> &'static str {
        match self {
            AnalysisStatus::Queued => "queued",
            AnalysisStatus::Running => "running",
            AnalysisStatus::Done => "done",
            AnalysisStatus::Failed => "failed",
        }
    }

    /// Parses [`AnalysisStatus::as_str`]'s output.
    pub fn parse(s: &str) -> Option<AnalysisStatus> {
        [
            AnalysisStatus::Queued,
            AnalysisStatus::Running,
            AnalysisStatus::Done,
            AnalysisStatus::Failed,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// An analysis attached to a map, without its result text.
#[derive(Clone, Debug, PartialEq)]
pub struct AnalysisInfo {
    /// Row id.
    pub id: AnalysisId,
    /// The map.
    pub map: MapId,
    /// The map version it was computed against, if known.
    pub version: Option<i64>,
    /// A name to tell analyses apart ("March events").
    pub name: String,
    /// Queued, running, done or failed.
    pub status: AnalysisStatus,
    /// 0.0 to 1.0 while running; 1.0 when done.
    pub progress: f64,
    /// Why it failed.
    pub error: Option<String>,
    /// Who attached or started it.
    pub created_by: Option<UserId>,
    /// When.
    pub created_at: UnixMillis,
    /// Last status or progress change.
    pub updated_at: UnixMillis,
}

/// An analysis with its `result.json` text (when done).
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// Status and metadata.
    pub info: AnalysisInfo,
    /// The `result.json` text, exactly as uploaded or produced.
    pub result_json: Option<String>,
}

/// A file uploaded for a background analyze run (events, customers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalysisInput {
    /// The file name as uploaded (its extension tells the reader the format).
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Where a search query matched a map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchedIn {
    /// The title.
    Title,
    /// The slug or the journey id.
    Id,
    /// The latest version's YAML text.
    Content,
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchHit {
    /// The map.
    pub map: Map,
    /// The best place the query matched (title over id over content).
    pub matched_in: MatchedIn,
    /// For a content match: the matching line of the YAML, trimmed to at most 200 characters.
    pub snippet: Option<String>,
}
