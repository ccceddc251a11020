//! Search over the maps the principal may see.

use crate::backend::{Conn as _, Dialect, Value, read_conn};
use crate::principal::{Principal, PrincipalKind};
use crate::types::{MatchedIn, SearchHit};
use crate::{Result, Store, text};

use super::rows;

/// Longest query accepted (longer ones are cut).
const MAX_QUERY_CHARS: usize = 200;

impl Store {
    /// Maps whose title, slug, journey id or latest YAML contains `query` (case-insensitive,
    /// `%` and `_` match themselves), among those the principal may see; best field first
    /// (title, then id, then content), then most recently updated; at most `limit`.
    /// An empty query returns nothing. Case folding is SQL `LOWER`'s: every letter on PostgreSQL,
    /// ASCII letters only on SQLite (there an `É` in a title is found by `É`, not by `é`).
    pub async fn search_maps(
        &self,
        principal: &Principal,
        query: &str,
        limit: i64,
    ) -> Result<Vec<SearchHit>> {
        let query: String = query.trim().chars().take(MAX_QUERY_CHARS).collect();
        if query.is_empty() || query.contains('\0') {
            // No map holds a NUL (the store refuses them), so nothing could match.
            return Ok(Vec::new());
        }
        // Who may see what: a member sees the maps of their workspaces (the membership join);
        // a share link sees its one map. The same rule as `policy::can` for ViewMap.
        let (user, only_map) = match &principal.kind {
            PrincipalKind::User { user } | PrincipalKind::ApiToken { user, .. } => {
                (Some(user.0), None)
            }
            PrincipalKind::ShareLink { map, .. } => {
                // Go through the live check (revoked or expired links see nothing).
                if self.map(principal, *map).await.is_err() {
                    return Ok(Vec::new());
                }
                (None, Some(map.0))
            }
        };
        let sql = format!(
            "SELECT {}, v.yaml, \
               CAST(CASE WHEN LOWER(m.title) LIKE $3 ESCAPE '\\' THEN 0 \
                    WHEN LOWER(m.slug) LIKE $3 ESCAPE '\\' OR LOWER(COALESCE(m.journey_id, '')) LIKE $3 ESCAPE '\\' THEN 1 \
                    ELSE 2 END AS BIGINT) AS rank \
             FROM maps m JOIN map_versions v ON v.map_id = m.id AND v.number = m.latest_version \
             WHERE (($1 IS NOT NULL AND EXISTS (SELECT 1 FROM memberships ms \
                        WHERE ms.workspace_id = m.workspace_id AND ms.user_id = $1)) \
                    OR ($2 IS NOT NULL AND m.id = $2)) \
               AND (LOWER(m.title) LIKE $3 ESCAPE '\\' OR LOWER(m.slug) LIKE $3 ESCAPE '\\' \
                    OR LOWER(COALESCE(m.journey_id, '')) LIKE $3 ESCAPE '\\' OR LOWER(v.yaml) LIKE $3 ESCAPE '\\') \
             ORDER BY rank, m.updated_at DESC, m.id DESC LIMIT $4",
            rows::MAP_COLUMNS
        );
        read_conn!(&self.backend, conn => {
            let pattern = text::like_contains(&query, conn.dialect() == Dialect::Postgres);
            let args = [
                Value::OptI64(user),
                Value::OptI64(only_map),
                Value::Str(&pattern),
                Value::I64(limit.clamp(0, 500)),
            ];
            let found = conn.fetch_all(&sql, &args).await?;
            found
                .iter()
                .map(|row| {
                    let rank = row.i64("rank")?;
                    let matched_in = match rank {
                        0 => MatchedIn::Title,
                        1 => MatchedIn::Id,
                        _ => MatchedIn::Content,
                    };
                    let snippet = match matched_in {
                        MatchedIn::Content => text::snippet(&row.string("yaml")?, &query),
                        _ => None,
                    };
                    Ok(SearchHit { map: rows::map(row)?, matched_in, snippet })
                })
                .collect()
        })
    }
}
