//! Versions: save with optimistic concurrency, restore, history.

use crate::backend::{Conn, ConnExt, Value, read_conn, write_tx};
use crate::error::StoreError;
use crate::ids::{MapId, UserId};
use crate::policy::Action;
use crate::principal::Principal;
use crate::time::now_millis;
use crate::types::{ActivityKind, Map, SaveVersion, Version, VersionInfo};
use crate::{Result, Store, text};

use super::access::{acting_user, authorize_map};
use super::{feed, maps, rows};

/// Largest YAML text accepted for one version.
pub(crate) const MAX_YAML_BYTES: usize = 5 * 1024 * 1024;

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
        let actor = acting_user(principal, Action::EditMap)?;
        check_yaml(&save.yaml)?;
        check_message(&save.message)?;
        let journey_id = maps::clean_journey_id(save.journey_id.as_deref())?;
        let result = write_tx!(&self.backend, conn => {
            let found = authorize_map(conn, principal, map, Action::EditMap).await?;
            let next = advance(conn, &found, save.base_version, journey_id).await?;
            insert_version(conn, map, next, &save.yaml, actor, &save.message, None).await?;
            let detail = format!("v{next} {}", text::excerpt(&save.message, 120));
            feed::record(conn, found.workspace, Some(map), Some(actor), ActivityKind::VersionSaved, detail.trim_end())
                .await?;
            version_row(conn, map, next).await
        });
        self.conflict_if_taken(principal, map, result).await
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
        let actor = acting_user(principal, Action::EditMap)?;
        let result = write_tx!(&self.backend, conn => {
            let found = authorize_map(conn, principal, map, Action::EditMap).await?;
            let old = version_row(conn, map, number).await?;
            let next = advance(conn, &found, base_version, None).await?;
            let message = format!("Restored version {number}");
            insert_version(conn, map, next, &old.yaml, actor, &message, Some(number)).await?;
            let detail = format!("v{next} from v{number}");
            feed::record(conn, found.workspace, Some(map), Some(actor), ActivityKind::VersionRestored, &detail).await?;
            version_row(conn, map, next).await
        });
        self.conflict_if_taken(principal, map, result).await
    }

    /// A map's versions, newest first, without their text.
    pub async fn list_versions(
        &self,
        principal: &Principal,
        map: MapId,
    ) -> Result<Vec<VersionInfo>> {
        read_conn!(&self.backend, conn => {
            authorize_map(conn, principal, map, Action::ViewMap).await?;
            let sql = format!(
                "SELECT {} FROM map_versions v LEFT JOIN users a ON a.id = v.author_id \
                 WHERE v.map_id = $1 ORDER BY v.number DESC",
                rows::VERSION_COLUMNS
            );
            conn.fetch_all(&sql, &[Value::I64(map.0)]).await?.iter().map(rows::version_info).collect()
        })
    }

    /// One version with its text ([`StoreError::NotFound`] for a number that does not exist).
    pub async fn version(&self, principal: &Principal, map: MapId, number: i64) -> Result<Version> {
        read_conn!(&self.backend, conn => {
            authorize_map(conn, principal, map, Action::ViewMap).await?;
            version_row(conn, map, number).await
        })
    }

    /// The latest version with its text.
    pub async fn latest_version(&self, principal: &Principal, map: MapId) -> Result<Version> {
        read_conn!(&self.backend, conn => {
            let found = authorize_map(conn, principal, map, Action::ViewMap).await?;
            version_row(conn, map, found.latest_version).await
        })
    }

    /// A UNIQUE violation on `(map_id, number)` means another save took the number between our
    /// compare-and-set and insert (it cannot happen with the row lock, but the constraint is
    /// the last word): report it as the conflict it is, read after our rollback.
    async fn conflict_if_taken(
        &self,
        principal: &Principal,
        map: MapId,
        result: Result<Version>,
    ) -> Result<Version> {
        match result {
            Err(e) if crate::backend::is_unique_violation(&e) => {
                let latest = read_conn!(&self.backend, conn => {
                    let found = authorize_map(conn, principal, map, Action::ViewMap).await?;
                    Ok(version_row(conn, map, found.latest_version).await?.info)
                })?;
                Err(StoreError::Conflict {
                    latest: Box::new(latest),
                })
            }
            other => other,
        }
    }
}

/// A save message: may be empty; at most 2,000 characters; no NUL.
pub(crate) fn check_message(message: &str) -> Result<()> {
    if message.chars().count() > 2000 {
        return Err(StoreError::invalid(
            "message",
            "must be at most 2000 characters",
        ));
    }
    if message.contains('\0') {
        return Err(StoreError::invalid(
            "message",
            "must not contain NUL characters",
        ));
    }
    Ok(())
}

pub(crate) fn check_yaml(yaml: &str) -> Result<()> {
    if yaml.len() > MAX_YAML_BYTES {
        return Err(StoreError::invalid(
            "yaml",
            format!("is larger than {} MiB", MAX_YAML_BYTES / (1024 * 1024)),
        ));
    }
    if yaml.contains('\0') {
        return Err(StoreError::invalid(
            "yaml",
            "must not contain NUL characters",
        ));
    }
    Ok(())
}

/// The compare-and-set: moves the map's latest version from `base` to `base + 1`, or returns
/// [`StoreError::Conflict`] with the latest version if `base` is not the latest. On PostgreSQL
/// the UPDATE takes the row lock, so a concurrent save on the same base waits for this
/// transaction and then finds `latest_version` changed; on SQLite writers are serialized.
async fn advance<C: Conn>(
    conn: &mut C,
    map: &Map,
    base: i64,
    journey_id: Option<&str>,
) -> Result<i64> {
    let changed = conn
        .execute(
            "UPDATE maps SET latest_version = latest_version + 1, updated_at = $1, \
             journey_id = COALESCE($2, journey_id) WHERE id = $3 AND latest_version = $4",
            &[
                Value::I64(now_millis()),
                Value::OptStr(journey_id),
                Value::I64(map.id.0),
                Value::I64(base),
            ],
        )
        .await?;
    if changed == 0 {
        let latest = maps::map_by_id(conn, map.id).await?.latest_version;
        let info = version_row(conn, map.id, latest).await?.info;
        return Err(StoreError::Conflict {
            latest: Box::new(info),
        });
    }
    Ok(base + 1)
}

pub(crate) async fn insert_version<C: Conn>(
    conn: &mut C,
    map: MapId,
    number: i64,
    yaml: &str,
    author: UserId,
    message: &str,
    restored_from: Option<i64>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO map_versions (map_id, number, yaml, author_id, message, restored_from, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            Value::I64(map.0),
            Value::I64(number),
            Value::Str(yaml),
            Value::I64(author.0),
            Value::Str(message.trim()),
            Value::OptI64(restored_from),
            Value::I64(now_millis()),
        ],
    )
    .await?;
    Ok(())
}

pub(crate) async fn version_row<C: Conn>(conn: &mut C, map: MapId, number: i64) -> Result<Version> {
    let sql = format!(
        "SELECT {}, v.yaml FROM map_versions v LEFT JOIN users a ON a.id = v.author_id \
         WHERE v.map_id = $1 AND v.number = $2",
        rows::VERSION_COLUMNS
    );
    let row = conn
        .fetch_one("version", &sql, &[Value::I64(map.0), Value::I64(number)])
        .await?;
    Ok(Version {
        info: rows::version_info(&row)?,
        yaml: row.string("yaml")?,
    })
}
