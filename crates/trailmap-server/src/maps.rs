//! What the pages and the API share about maps: checking YAML text the way `trailmap check`
//! does (with a future map's `based_on` read from the workspace), saving it as a version with
//! its base, and the renderings of a stored version.

use std::collections::HashMap;

use trailmap_check::{CheckOptions, Checked, Loader};
use trailmap_diag::SourceFile;
use trailmap_diag::render::Color;
use trailmap_model::Map as Model;
use trailmap_store::{
    MapId, Principal, SaveVersion, StoreError, Version, VersionInfo, WorkspaceId,
};

use crate::error::AppError;
use crate::state::AppState;

/// The largest map text accepted, as in the CLI.
pub(crate) const MAX_MAP_BYTES: usize = 8 * 1024 * 1024;

/// A checked text: its source (for line:column) and what the checker found.
pub(crate) struct CheckedText {
    pub(crate) file: SourceFile,
    pub(crate) checked: Checked,
}

impl CheckedText {
    pub(crate) fn errors(&self) -> usize {
        self.checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .count()
    }

    /// Each diagnostic as the CLI prints it: `file:line:col` header, the line, a caret.
    pub(crate) fn human(&self) -> Vec<(bool, String)> {
        self.checked
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.is_error(),
                    trailmap_diag::render::human::render(&self.file, d, Color::Never),
                )
            })
            .collect()
    }

    /// Each diagnostic in the CLI's `--format json` shape.
    pub(crate) fn json(&self) -> serde_json::Value {
        let list: Vec<_> = self
            .checked
            .diagnostics
            .iter()
            .map(|d| trailmap_diag::render::json::to_json(&self.file, d))
            .collect();
        serde_json::to_value(list).unwrap_or_default()
    }
}

/// `based_on` files, read from the workspace before checking (the checker's loader is sync).
struct Prefetched(HashMap<String, String>);

impl Loader for Prefetched {
    fn read(&self, relative_path: &str) -> std::io::Result<String> {
        self.0.get(relative_path).cloned().ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!(
                    "no map `{}` in this workspace (based_on names a map by its file name or slug)",
                    slug_of_file(relative_path)
                ),
            )
        })
    }
}

/// `checkout-current.yaml` → `checkout-current`: a `based_on` file name names a map by slug.
pub(crate) fn slug_of_file(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
        .unwrap_or(name);
    slugify(stem)
}

/// A store slug (`[a-z0-9-]{1,80}`) made from any text.
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out.trim_end_matches('-').chars().take(80).collect();
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "map".to_owned()
    } else {
        out
    }
}

/// Checks map text as `trailmap check` would; `name` is what line:column messages call the file.
pub(crate) async fn check_text(
    state: &AppState,
    principal: &Principal,
    workspace: WorkspaceId,
    name: &str,
    text: String,
) -> CheckedText {
    let mut files = HashMap::new();
    if let Some(based_on) = trailmap_check::parse(&text)
        .map
        .and_then(|m| m.journey.based_on)
        && let Some(yaml) = based_on_text(state, principal, workspace, &based_on).await
    {
        files.insert(based_on, yaml);
    }
    let options = CheckOptions {
        today: Some(chrono::Utc::now().date_naive()),
    };
    let checked = trailmap_check::check(&text, &options, Some(&Prefetched(files)));
    CheckedText {
        file: SourceFile::new(name.to_owned(), text),
        checked,
    }
}

async fn based_on_text(
    state: &AppState,
    principal: &Principal,
    workspace: WorkspaceId,
    based_on: &str,
) -> Option<String> {
    let store = state.store();
    let slug = slug_of_file(based_on);
    let map = match store.map_by_slug(principal, workspace, &slug).await {
        Ok(map) => map,
        Err(_) => store
            .list_maps(principal, Some(workspace))
            .await
            .ok()?
            .into_iter()
            .find(|m| m.journey_id.as_deref().map(slugify).as_deref() == Some(slug.as_str()))?,
    };
    store
        .latest_version(principal, map.id)
        .await
        .ok()
        .map(|v| v.yaml)
}

/// What saving text as a new version came to.
pub(crate) enum Saved {
    /// The new version.
    Version(Box<Version>),
    /// The text has errors; nothing was saved.
    Invalid(Box<CheckedText>),
    /// The base was not the latest; nothing was saved.
    Conflict(Box<VersionInfo>),
}

/// Checks `text` and saves it as the version after `base`, unless it has errors or `base` is
/// no longer the latest.
pub(crate) async fn save_text(
    state: &AppState,
    principal: &Principal,
    map: &trailmap_store::Map,
    base: i64,
    text: String,
    message: String,
) -> Result<Saved, AppError> {
    if text.len() > MAX_MAP_BYTES {
        return Err(AppError::bad(
            "yaml",
            format!("a map is at most {} MB", MAX_MAP_BYTES / (1024 * 1024)),
        ));
    }
    let checked = check_text(
        state,
        principal,
        map.workspace,
        &format!("{}.yaml", map.slug),
        text,
    )
    .await;
    let Some(model) = checked
        .checked
        .map
        .as_ref()
        .filter(|_| checked.errors() == 0)
    else {
        return Ok(Saved::Invalid(Box::new(checked)));
    };
    let journey_id = Some(model.journey.id.clone());
    let save = SaveVersion {
        base_version: base,
        yaml: checked.file.text().to_owned(),
        message,
        journey_id,
    };
    match state.store().save_version(principal, map.id, save).await {
        Ok(version) => Ok(Saved::Version(Box::new(version))),
        Err(StoreError::Conflict { latest }) => Ok(Saved::Conflict(latest)),
        Err(e) => Err(e.into()),
    }
}

/// A stored version's text as a checked model. Stored versions were checked when saved, but a
/// newer checker may refuse an old text; that is reported, not hidden.
pub(crate) fn model_of(version: &Version) -> Result<Model, AppError> {
    trailmap_check::parse(&version.yaml).map.ok_or_else(|| {
        AppError::bad(
            "",
            format!(
                "version {} no longer passes the checker; open it in the source editor to fix it",
                version.info.number
            ),
        )
    })
}

/// A version by number, or the latest when `number` is `None`.
pub(crate) async fn version_or_latest(
    state: &AppState,
    principal: &Principal,
    map: MapId,
    number: Option<i64>,
) -> Result<Version, AppError> {
    Ok(match number {
        Some(n) => state.store().version(principal, map, n).await?,
        None => state.store().latest_version(principal, map).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_file_names_and_titles() {
        assert_eq!(
            slug_of_file("online-retail-purchase.yaml"),
            "online-retail-purchase"
        );
        assert_eq!(slug_of_file("../maps/Check_Out.yml"), "check-out");
        assert_eq!(slugify("  Größe & Co. "), "gr-e-co");
        assert_eq!(slugify("!!!"), "map");
    }
}
