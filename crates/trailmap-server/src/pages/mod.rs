//! The HTML pages, one module per screen.

pub(crate) mod account;
pub(crate) mod auth;
pub(crate) mod comments;
pub(crate) mod evidence;
pub(crate) mod history;
pub(crate) mod layout;
pub(crate) mod map;
pub(crate) mod members;
pub(crate) mod share;
pub(crate) mod source;
pub(crate) mod structure;
pub(crate) mod workspace;

use trailmap_store::policy::{Standing, Via};
use trailmap_store::{Action, Principal, PrincipalKind, Resource, Role};

/// The principal's standing for [`trailmap_store::policy::can`], given its role in the
/// workspace at hand: pages use it to decide which buttons to show (the store enforces).
pub(crate) fn standing(principal: &Principal, role: Option<Role>) -> Standing {
    let via = match principal.kind() {
        PrincipalKind::User { .. } => Via::Session,
        PrincipalKind::ApiToken { .. } => Via::ApiToken,
        PrincipalKind::ShareLink { map, .. } => Via::ShareLink(*map),
    };
    Standing {
        via,
        site_admin: principal.is_site_admin(),
        role: if matches!(via, Via::ShareLink(_)) {
            None
        } else {
            role
        },
    }
}

/// Whether the principal may do `action` on the map.
pub(crate) fn may(
    principal: &Principal,
    role: Option<Role>,
    action: Action,
    map: &trailmap_store::Map,
) -> bool {
    trailmap_store::policy::can(
        &standing(principal, role),
        action,
        &Resource::Map {
            workspace: map.workspace,
            map: map.id,
        },
    )
}
