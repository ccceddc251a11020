//! Versions: save with optimistic concurrency, restore, history.

use crate::error::StoreError;
use crate::ids::MapId;
use crate::principal::Principal;
use crate::types::{SaveVersion, Version, VersionInfo};
use crate::{Result, Store};

impl Store {
    /// Saves a new version (editor), numbered `base_version + 1`.
    ///
    /// Succeeds only if `save.base_version` is the map's latest version; otherwise nothing is
    /// written and the result is [`StoreError::Conflict`] carrying the latest version. The check
    /// and the write are one transaction (a compare-and-set on the map row plus
    /// `UNIQUE(map_id, number)`), so of any number of concurrent saves on one base exactly one
    /// succeeds. When this returns `Ok`, the version is on disk.
    pub async fn save_version(
        &self,
        principal: &Principal,
        map: MapId,
        save: SaveVersion,
    ) -> Result<Version> {
        let _ = (principal, map, save);
        Err(StoreError::Unsupported("save_version"))
    }

    /// Restores version `number` as a new version whose text is that one's (editor), with the
    /// same base-version check as [`Store::save_version`]. History is never rewritten.
    pub async fn restore_version(
        &self,
        principal: &Principal,
        map: MapId,
        base_version: i64,
        number: i64,
    ) -> Result<Version> {
        let _ = (principal, map, base_version, number);
        Err(StoreError::Unsupported("restore_version"))
    }

    /// A map's versions, newest first, without their text.
    pub async fn list_versions(
        &self,
        principal: &Principal,
        map: MapId,
    ) -> Result<Vec<VersionInfo>> {
        let _ = (principal, map);
        Err(StoreError::Unsupported("list_versions"))
    }

    /// One version with its text ([`StoreError::NotFound`] for a number that does not exist).
    pub async fn version(&self, principal: &Principal, map: MapId, number: i64) -> Result<Version> {
        let _ = (principal, map, number);
        Err(StoreError::Unsupported("version"))
    }

    /// The latest version with its text.
    pub async fn latest_version(&self, principal: &Principal, map: MapId) -> Result<Version> {
        let _ = (principal, map);
        Err(StoreError::Unsupported("latest_version"))
    }
}
