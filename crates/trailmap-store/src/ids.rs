//! Typed row ids, so a `MapId` can never be passed where a `UserId` is meant.

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )*};
}

id_type!(
    /// A user account.
    UserId,
    /// A workspace (a team's set of maps and members).
    WorkspaceId,
    /// A journey map (its versions share this id).
    MapId,
    /// A comment or a reply.
    CommentId,
    /// A pending or accepted invitation.
    InvitationId,
    /// A read-only share link.
    ShareLinkId,
    /// An API token.
    ApiTokenId,
    /// An analysis attached to a map (uploaded or a background job).
    AnalysisId,
    /// An activity feed entry.
    ActivityId,
);
