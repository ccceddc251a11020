//! Search over the maps the principal may see.

use crate::error::StoreError;
use crate::principal::Principal;
use crate::types::SearchHit;
use crate::{Result, Store};

impl Store {
    /// Maps whose title, slug, journey id or latest YAML contains `query` (case-insensitive,
    /// `%` and `_` match themselves), among those the principal may see; best field first
    /// (title, then id, then content), then most recently updated; at most `limit`.
    /// An empty query returns nothing.
    pub async fn search_maps(
        &self,
        principal: &Principal,
        query: &str,
        limit: i64,
    ) -> Result<Vec<SearchHit>> {
        let _ = (principal, query, limit);
        Err(StoreError::Unsupported("search_maps"))
    }
}
