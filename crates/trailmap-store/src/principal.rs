//! Who is acting. Only the store makes a [`Principal`] (from a session, an API token or a
//! share link secret, or for a user just signed in), so a caller cannot forge one.

use crate::ids::{ApiTokenId, MapId, ShareLinkId, UserId};
use crate::policy::Via;

/// The acting party of a store call, as authenticated by the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub(crate) kind: PrincipalKind,
    pub(crate) site_admin: bool,
    /// The hash of the session token it came from, so "log out my other sessions" can keep this one.
    pub(crate) session_hash: Option<String>,
}

/// How a [`Principal`] authenticated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    /// A user with a browser session (or just signed in).
    User {
        /// The user.
        user: UserId,
    },
    /// An API token acting for its user, with the user's roles.
    ApiToken {
        /// The token.
        token: ApiTokenId,
        /// The user it acts for.
        user: UserId,
    },
    /// A read-only share link: may read one map and nothing else.
    ShareLink {
        /// The link.
        link: ShareLinkId,
        /// The only map it opens.
        map: MapId,
    },
}

impl Principal {
    pub(crate) fn user(user: UserId, site_admin: bool) -> Principal {
        Principal {
            kind: PrincipalKind::User { user },
            site_admin,
            session_hash: None,
        }
    }

    /// How this principal authenticated.
    pub fn kind(&self) -> &PrincipalKind {
        &self.kind
    }

    /// The user acting (directly or through an API token); `None` for a share link.
    pub fn user_id(&self) -> Option<UserId> {
        match self.kind {
            PrincipalKind::User { user } | PrincipalKind::ApiToken { user, .. } => Some(user),
            PrincipalKind::ShareLink { .. } => None,
        }
    }

    /// True for the site admin (as of when the principal was authenticated).
    pub fn is_site_admin(&self) -> bool {
        self.site_admin
    }

    pub(crate) fn via(&self) -> Via {
        match self.kind {
            PrincipalKind::User { .. } => Via::Session,
            PrincipalKind::ApiToken { .. } => Via::ApiToken,
            PrincipalKind::ShareLink { map, .. } => Via::ShareLink(map),
        }
    }
}
