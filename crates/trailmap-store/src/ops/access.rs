//! Looking up a principal's standing and applying [`crate::policy::can`].

use crate::error::StoreError;
use crate::policy::{Action, Resource};
use crate::principal::Principal;
use crate::{Result, Store};

impl Store {
    /// True if `principal` may do `action` on `resource`, by [`crate::policy::can`] with the
    /// principal's current role in the resource's workspace.
    pub async fn can(
        &self,
        principal: &Principal,
        action: Action,
        resource: Resource,
    ) -> Result<bool> {
        let _ = (principal, action, resource);
        Err(StoreError::Unsupported("can"))
    }
}
