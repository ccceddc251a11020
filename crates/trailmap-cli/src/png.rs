//! PNG pictures of HTML pages. The Chromium driver lives in `trailmap_server::png`, shared
//! with the workspace's PNG export; this writes its bytes to a file.

use std::path::Path;

/// Renders `html` to a PNG file at `out`, as wide and tall as the page.
pub(crate) fn html_to_png(html: &str, out: &Path) -> anyhow::Result<()> {
    let bytes = trailmap_server::png::html_to_png(html)?;
    crate::output::write_atomic(out, &bytes)
}
