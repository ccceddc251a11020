//! Who may do what: the one place access is decided.
//!
//! [`can`] is a pure function of the principal's [`Standing`] towards a resource, the
//! [`Action`] and the [`Resource`]. The store looks the standing up (the principal's role in
//! the resource's workspace) and calls [`can`] before every read or write; list and search
//! queries filter by the same rule in SQL (membership join), and the conformance tests check
//! the two agree.
//!
//! The role matrix (rows: who, columns: what; `Map*` actions are on one map):
//!
//! | action              | owner | editor | commenter | viewer | share link (that map) | outsider |
//! |---------------------|:-----:|:------:|:---------:|:------:|:---------------------:|:--------:|
//! | ViewWorkspace       |   y   |   y    |     y     |   y    |                       |          |
//! | CreateMap           |   y   |   y    |           |        |                       |          |
//! | ViewMap             |   y   |   y    |     y     |   y    |           y           |          |
//! | EditMap             |   y   |   y    |           |        |                       |          |
//! | Comment             |   y   |   y    |     y     |        |                       |          |
//! | ResolveComment      |   y   |   y    |     y     |        |                       |          |
//! | AttachAnalysis      |   y   |   y    |           |        |                       |          |
//! | ManageShareLinks    |   y   |   y    |           |        |                       |          |
//! | DeleteMap           |   y   |        |           |        |                       |          |
//! | ManageMembers       |   y   |        |           |        |                       |          |
//! | ManageWorkspace     |   y   |        |           |        |                       |          |
//!
//! Site-level actions ([`Resource::Site`]): `CreateWorkspace` and `ManageOwnAccount` for any
//! signed-in user (session or API token); `ManageApiTokens` only with a session (a token cannot
//! mint tokens); `ManageUsers` only for the site admin. A share link can do nothing at site level.
//!
//! The site admin has no implicit access to workspaces it is not a member of: being admin is
//! about accounts, not content. (The first user is admin *and* owner of the default workspace.)

use crate::ids::{MapId, WorkspaceId};

/// A member's role in one workspace, from most to least powerful.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including members, deleting maps and the workspace itself.
    Owner,
    /// Create and edit maps, attach analyses, make share links, comment.
    Editor,
    /// Read and comment (and resolve comments).
    Commenter,
    /// Read only.
    Viewer,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 4] = [Role::Owner, Role::Editor, Role::Commenter, Role::Viewer];

    /// The lowercase name stored in the database and used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Editor => "editor",
            Role::Commenter => "commenter",
            Role::Viewer => "viewer",
        }
    }

    /// Parses [`Role::as_str`]'s output; `None` for anything else.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// True if this role is at least as powerful as `other`.
    pub fn at_least(self, other: Role) -> bool {
        // Declared most powerful first, so "at least" is "not greater in declaration order".
        self <= other
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something a principal wants to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// See a workspace, its members and its list of maps.
    ViewWorkspace,
    /// Create or import a map in a workspace.
    CreateMap,
    /// Read a map: its versions, diffs, exports, comments, activity and analyses.
    ViewMap,
    /// Save or restore a version, change the title, state or counterpart.
    EditMap,
    /// Add a comment or a reply.
    Comment,
    /// Resolve or reopen a comment.
    ResolveComment,
    /// Upload an analysis or start a background analyze run.
    AttachAnalysis,
    /// Create, list and revoke share links of a map.
    ManageShareLinks,
    /// Delete a map with all its versions and comments.
    DeleteMap,
    /// Invite people, change roles, remove members.
    ManageMembers,
    /// Rename the workspace.
    ManageWorkspace,
    /// Create a new workspace (site level).
    CreateWorkspace,
    /// Change one's own password and name (site level).
    ManageOwnAccount,
    /// Create, list and revoke one's own API tokens (site level; needs a session).
    ManageApiTokens,
    /// List every user account (site level).
    ManageUsers,
}

impl Action {
    /// Every action, for table-driven tests.
    pub const ALL: [Action; 15] = [
        Action::ViewWorkspace,
        Action::CreateMap,
        Action::ViewMap,
        Action::EditMap,
        Action::Comment,
        Action::ResolveComment,
        Action::AttachAnalysis,
        Action::ManageShareLinks,
        Action::DeleteMap,
        Action::ManageMembers,
        Action::ManageWorkspace,
        Action::CreateWorkspace,
        Action::ManageOwnAccount,
        Action::ManageApiTokens,
        Action::ManageUsers,
    ];

    /// The least powerful role that may do this in a workspace; `None` for site-level actions.
    pub fn minimum_role(self) -> Option<Role> {
        match self {
            Action::ViewWorkspace | Action::ViewMap => Some(Role::Viewer),
            Action::Comment | Action::ResolveComment => Some(Role::Commenter),
            Action::CreateMap
            | Action::EditMap
            | Action::AttachAnalysis
            | Action::ManageShareLinks => Some(Role::Editor),
            Action::DeleteMap | Action::ManageMembers | Action::ManageWorkspace => {
                Some(Role::Owner)
            }
            Action::CreateWorkspace
            | Action::ManageOwnAccount
            | Action::ManageApiTokens
            | Action::ManageUsers => None,
        }
    }
}

/// What an action is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resource {
    /// The whole site (accounts, workspaces to create).
    Site,
    /// One workspace.
    Workspace(WorkspaceId),
    /// One map, in its workspace.
    Map {
        /// The map's workspace.
        workspace: WorkspaceId,
        /// The map.
        map: MapId,
    },
}

/// How the principal authenticated, as far as the policy cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// A browser session of a user.
    Session,
    /// An API token acting for its user.
    ApiToken,
    /// A read-only share link for one map.
    ShareLink(MapId),
}

/// Everything [`can`] needs to know about the principal relative to one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    /// How the principal authenticated.
    pub via: Via,
    /// The user is the site admin (never true for a share link).
    pub site_admin: bool,
    /// The user's role in the resource's workspace, if a member (always `None` for a share link
    /// and for [`Resource::Site`]).
    pub role: Option<Role>,
}

/// True if a principal with `standing` may do `action` on `resource`.
///
/// An action that does not fit the resource (a map action on a workspace, a site action on a
/// map) is always refused.
pub fn can(standing: &Standing, action: Action, resource: &Resource) -> bool {
    match (resource, action.minimum_role()) {
        (Resource::Site, None) => match standing.via {
            Via::ShareLink(_) => false,
            Via::ApiToken => {
                matches!(action, Action::CreateWorkspace | Action::ManageOwnAccount)
                    || (action == Action::ManageUsers && standing.site_admin)
            }
            Via::Session => match action {
                Action::ManageUsers => standing.site_admin,
                _ => true,
            },
        },
        (Resource::Site, Some(_)) | (_, None) => false,
        (Resource::Workspace(_), Some(minimum)) => {
            let workspace_action = matches!(
                action,
                Action::ViewWorkspace
                    | Action::CreateMap
                    | Action::ManageMembers
                    | Action::ManageWorkspace
            );
            workspace_action && member_may(standing, minimum)
        }
        (Resource::Map { map, .. }, Some(minimum)) => {
            let map_action = !matches!(
                action,
                Action::ViewWorkspace
                    | Action::CreateMap
                    | Action::ManageMembers
                    | Action::ManageWorkspace
            );
            if !map_action {
                return false;
            }
            match standing.via {
                Via::ShareLink(link_map) => link_map == *map && action == Action::ViewMap,
                Via::Session | Via::ApiToken => member_may(standing, minimum),
            }
        }
    }
}

fn member_may(standing: &Standing, minimum: Role) -> bool {
    match standing.via {
        Via::ShareLink(_) => false,
        Via::Session | Via::ApiToken => standing.role.is_some_and(|r| r.at_least(minimum)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WS: WorkspaceId = WorkspaceId(1);
    const MAP: Resource = Resource::Map {
        workspace: WS,
        map: MapId(7),
    };
    const OTHER_MAP: Resource = Resource::Map {
        workspace: WS,
        map: MapId(8),
    };

    fn member(role: Option<Role>) -> Standing {
        Standing {
            via: Via::Session,
            site_admin: false,
            role,
        }
    }

    /// The matrix in the module docs, as data: (action, [owner, editor, commenter, viewer,
    /// share link for this map, outsider]).
    const MAP_MATRIX: &[(Action, [bool; 6])] = &[
        (Action::ViewMap, [true, true, true, true, true, false]),
        (Action::EditMap, [true, true, false, false, false, false]),
        (Action::Comment, [true, true, true, false, false, false]),
        (
            Action::ResolveComment,
            [true, true, true, false, false, false],
        ),
        (
            Action::AttachAnalysis,
            [true, true, false, false, false, false],
        ),
        (
            Action::ManageShareLinks,
            [true, true, false, false, false, false],
        ),
        (Action::DeleteMap, [true, false, false, false, false, false]),
    ];

    const WORKSPACE_MATRIX: &[(Action, [bool; 6])] = &[
        (
            Action::ViewWorkspace,
            [true, true, true, true, false, false],
        ),
        (Action::CreateMap, [true, true, false, false, false, false]),
        (
            Action::ManageMembers,
            [true, false, false, false, false, false],
        ),
        (
            Action::ManageWorkspace,
            [true, false, false, false, false, false],
        ),
    ];

    fn standings() -> [Standing; 6] {
        [
            member(Some(Role::Owner)),
            member(Some(Role::Editor)),
            member(Some(Role::Commenter)),
            member(Some(Role::Viewer)),
            Standing {
                via: Via::ShareLink(MapId(7)),
                site_admin: false,
                role: None,
            },
            member(None),
        ]
    }

    #[test]
    fn map_actions_follow_the_matrix() {
        for (action, expected) in MAP_MATRIX {
            for (standing, want) in standings().iter().zip(expected) {
                assert_eq!(
                    can(standing, *action, &MAP),
                    *want,
                    "{action:?} by {standing:?}"
                );
            }
        }
    }

    #[test]
    fn workspace_actions_follow_the_matrix() {
        for (action, expected) in WORKSPACE_MATRIX {
            for (standing, want) in standings().iter().zip(expected) {
                let got = can(standing, *action, &Resource::Workspace(WS));
                assert_eq!(got, *want, "{action:?} by {standing:?}");
            }
        }
    }

    #[test]
    fn every_workspace_and_map_action_is_in_a_matrix() {
        for action in Action::ALL {
            let in_matrix = MAP_MATRIX
                .iter()
                .chain(WORKSPACE_MATRIX)
                .any(|(a, _)| *a == action);
            assert_eq!(in_matrix, action.minimum_role().is_some(), "{action:?}");
        }
    }

    #[test]
    fn an_api_token_has_its_users_role() {
        for role in Role::ALL {
            let by_token = Standing {
                via: Via::ApiToken,
                site_admin: false,
                role: Some(role),
            };
            for action in Action::ALL {
                for resource in [MAP, Resource::Workspace(WS)] {
                    assert_eq!(
                        can(&by_token, action, &resource),
                        can(&member(Some(role)), action, &resource),
                        "{action:?} on {resource:?} as {role}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_share_link_reads_only_its_own_map() {
        let link = Standing {
            via: Via::ShareLink(MapId(7)),
            site_admin: false,
            role: None,
        };
        for action in Action::ALL {
            assert_eq!(
                can(&link, action, &MAP),
                action == Action::ViewMap,
                "{action:?}"
            );
            assert!(!can(&link, action, &OTHER_MAP), "{action:?} on another map");
            assert!(
                !can(&link, action, &Resource::Workspace(WS)),
                "{action:?} on workspace"
            );
            assert!(!can(&link, action, &Resource::Site), "{action:?} on site");
        }
    }

    #[test]
    fn site_admin_grants_no_content_access() {
        let admin = Standing {
            via: Via::Session,
            site_admin: true,
            role: None,
        };
        for action in Action::ALL {
            assert!(!can(&admin, action, &MAP), "{action:?}");
            assert!(!can(&admin, action, &Resource::Workspace(WS)), "{action:?}");
        }
        assert!(can(&admin, Action::ManageUsers, &Resource::Site));
        assert!(!can(
            &member(Some(Role::Owner)),
            Action::ManageUsers,
            &Resource::Site
        ));
    }

    #[test]
    fn site_actions_need_a_user_and_tokens_need_a_session() {
        let session = member(None);
        let token = Standing {
            via: Via::ApiToken,
            site_admin: false,
            role: None,
        };
        assert!(can(&session, Action::CreateWorkspace, &Resource::Site));
        assert!(can(&token, Action::CreateWorkspace, &Resource::Site));
        assert!(can(&session, Action::ManageApiTokens, &Resource::Site));
        assert!(!can(&token, Action::ManageApiTokens, &Resource::Site));
        for action in Action::ALL
            .into_iter()
            .filter(|a| a.minimum_role().is_some())
        {
            assert!(
                !can(&member(Some(Role::Owner)), action, &Resource::Site),
                "{action:?}"
            );
        }
    }

    #[test]
    fn roles_parse_back() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("Owner"), None);
        assert!(Role::Owner.at_least(Role::Viewer));
        assert!(!Role::Viewer.at_least(Role::Commenter));
    }
}
