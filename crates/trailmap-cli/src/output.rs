//! Terminal conventions: colour choice, error printing, broken pipes, writing results.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Context;
use trailmap_diag::render::Color;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// `auto` colours only when stderr (where diagnostics go) is a terminal and `NO_COLOR` is
    /// unset or empty (<https://no-color.org>).
    pub(crate) fn resolve(self) -> Color {
        match self {
            ColorChoice::Always => Color::Always,
            ColorChoice::Never => Color::Never,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                if !no_color && std::io::stderr().is_terminal() {
                    Color::Always
                } else {
                    Color::Never
                }
            }
        }
    }
}

pub(crate) fn print_error(error: &anyhow::Error, color: Color) {
    let prefix = match color {
        Color::Always => "\x1b[1;31mtrailmap: error:\x1b[0m",
        Color::Never => "trailmap: error:",
    };
    let mut message = format!("{prefix} {error}");
    for cause in error.chain().skip(1) {
        message.push_str(&format!("\n  caused by: {cause}"));
    }
    eprintln!("{message}");
}

pub(crate) fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes `text` to stdout.
pub(crate) fn print_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename,
/// so an interrupted run never leaves a half-written file where a good one was.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .with_context(|| format!("`{}` is not a file path", path.display()))?;
    let tmp = dir.join(format!(".{}.trailmap-tmp", file_name.to_string_lossy()));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write `{}`", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(())
}

/// Writes `text` to `out`, or to stdout when there is no `out` or it is `-`.
pub(crate) fn write_output(out: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match out {
        Some(path) if path != Path::new("-") => write_atomic(path, text.as_bytes()),
        _ => print_stdout(text),
    }
}

/// What an `-o FILE` output is, by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutputKind {
    /// `.json`: the result.
    Json,
    /// `.html` or `.htm`: a page.
    Html,
    /// `.svg`: the graph.
    Svg,
}

impl OutputKind {
    fn name_says(name: &str) -> Option<OutputKind> {
        if name.ends_with(".json") {
            Some(OutputKind::Json)
        } else if name.ends_with(".html") || name.ends_with(".htm") {
            Some(OutputKind::Html)
        } else if name.ends_with(".svg") {
            Some(OutputKind::Svg)
        } else {
            None
        }
    }

    fn describe(self) -> &'static str {
        match self {
            OutputKind::Json => ".json (the result)",
            OutputKind::Html => ".html (a page)",
            OutputKind::Svg => ".svg (the graph)",
        }
    }

    /// The kind `path`'s name says, when the command writes it (`accepted`); otherwise an
    /// error that names the kinds it does write.
    pub(crate) fn of(path: &Path, accepted: &[OutputKind]) -> anyhow::Result<OutputKind> {
        let name = path.to_string_lossy().to_lowercase();
        match OutputKind::name_says(&name) {
            Some(kind) if accepted.contains(&kind) => Ok(kind),
            _ => {
                let mut kinds: Vec<&str> = accepted.iter().map(|k| k.describe()).collect();
                let last = kinds.pop().unwrap_or_default();
                let kinds = if kinds.is_empty() {
                    last.to_owned()
                } else {
                    format!("{} or {last}", kinds.join(", "))
                };
                anyhow::bail!("`{}`: name the output {kinds}", path.display())
            }
        }
    }
}
