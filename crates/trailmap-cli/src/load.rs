//! Reading a map file from disk and checking it: the one way every command gets a map.

use std::path::{Path, PathBuf};

use anyhow::Context;
use trailmap_check::{CheckOptions, Checked, Loader};
use trailmap_diag::SourceFile;
use trailmap_diag::render::Color;
use trailmap_model::Map;

/// Reads a future map's `based_on` relative to the folder of the map that names it.
pub(crate) struct RelativeLoader {
    dir: PathBuf,
}

impl RelativeLoader {
    pub(crate) fn for_map(path: &Path) -> RelativeLoader {
        RelativeLoader {
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        }
    }
}

impl Loader for RelativeLoader {
    fn read(&self, relative_path: &str) -> std::io::Result<String> {
        std::fs::read_to_string(self.dir.join(relative_path))
    }
}

/// Maps larger than this are refused before reading: no real journey map comes close, and a
/// mistaken path to a multi-gigabyte log should fail fast instead of filling memory.
pub(crate) const MAX_MAP_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a file's text, with errors that name the file.
pub(crate) fn read_map_text(path: &Path) -> anyhow::Result<String> {
    let metadata =
        std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    if metadata.is_dir() {
        anyhow::bail!("`{}` is a folder, not a map file", path.display());
    }
    if metadata.len() > MAX_MAP_BYTES {
        anyhow::bail!(
            "`{}` is {} MB; a map file is at most {} MB",
            path.display(),
            metadata.len() / 1_000_000,
            MAX_MAP_BYTES / 1_000_000
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.into_bytes()[..offset]).into_owned();
        let at = SourceFile::new(path.display().to_string(), text.clone()).line_col(offset);
        anyhow::anyhow!(
            "`{}` is not UTF-8 text: invalid byte at line {}, column {}",
            path.display(),
            at.line,
            at.column
        )
    })
}

/// Checks one map file: its source and everything found in it.
pub(crate) fn check_file(
    path: &Path,
    options: &CheckOptions,
) -> anyhow::Result<(SourceFile, Checked)> {
    let text = read_map_text(path)?;
    let loader = RelativeLoader::for_map(path);
    let checked = trailmap_check::check(&text, options, Some(&loader));
    Ok((SourceFile::new(path.display().to_string(), text), checked))
}

/// Loads a map for a command that uses it (render, export, ...): errors are printed to stderr
/// as `check` would print them, and the command fails.
pub(crate) fn load_map(path: &Path, color: Color) -> anyhow::Result<Map> {
    let (file, checked) = check_file(path, &CheckOptions::default())?;
    match checked.map {
        Some(map) => Ok(map),
        None => {
            for diagnostic in checked.diagnostics.iter().filter(|d| d.is_error()) {
                eprint!(
                    "{}",
                    trailmap_diag::render::human::render(&file, diagnostic, color)
                );
            }
            let n = checked.diagnostics.iter().filter(|d| d.is_error()).count();
            anyhow::bail!(
                "`{}` has {n} error(s); fix them first (see `trailmap check`)",
                path.display()
            )
        }
    }
}
