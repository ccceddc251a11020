//! `trailmap render MAP -o OUT [--persona ID] [--lanes a,b] [--format html|svg|png]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use trailmap_diag::render::Color;
use trailmap_render::{Lane, RenderOptions};

#[derive(Debug, clap::Args)]
pub(crate) struct RenderArgs {
    /// The map to draw. It must have no errors.
    #[arg(value_name = "MAP")]
    map: PathBuf,
    /// Write the picture to this file; its extension picks the format (.html, .svg, .png).
    #[arg(
        long,
        short,
        value_name = "OUT",
        long_help = "Write the picture to this file. Its extension picks the format: .html (one \
                     self-contained page that works offline and prints on A3/A4 landscape), .svg \
                     (a standalone picture for slides) or .png (needs Debian's chromium package). \
                     Without it, HTML or SVG goes to stdout."
    )]
    output: Option<PathBuf>,
    /// Draw only this persona's journey (a persona id from the map).
    #[arg(
        long,
        value_name = "ID",
        long_help = "Draw only this persona's journey: the steps that list no persona or list this \
                     one, and the pain points that name no persona or this one. Only this persona's \
                     card is drawn."
    )]
    persona: Option<String>,
    /// The lanes (rows) to draw, comma-separated, e.g. `does,feels,emotion,pain-points`.
    #[arg(
        long,
        value_name = "LANES",
        value_parser = parse_lanes,
        long_help = "The lanes (rows) to draw, comma-separated; they are drawn in the map's usual \
                     order. Lanes: does, goal, thinks, feels, emotion, touchpoints, frontstage, \
                     backstage, department, employee, pain-points, opportunities, kpis. Lanes with \
                     nothing in them are left out either way."
    )]
    lanes: Option<LaneList>,
    /// The format; by default taken from OUT's extension, else html.
    #[arg(long, value_enum)]
    format: Option<Format>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One self-contained HTML page: inline CSS and SVG, no script, no request.
    Html,
    /// A standalone SVG picture.
    Svg,
    /// A PNG screenshot of the HTML page, taken by headless Chromium.
    Png,
}

/// The validated `--lanes` list.
#[derive(Debug, Clone)]
struct LaneList(Vec<Lane>);

fn parse_lanes(text: &str) -> Result<LaneList, trailmap_render::ParseLaneError> {
    Lane::parse_list(text).map(LaneList)
}

fn format_of(path: &Path) -> Option<Format> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => Some(Format::Html),
        "svg" => Some(Format::Svg),
        "png" => Some(Format::Png),
        _ => None,
    }
}

pub(crate) fn run(args: &RenderArgs, color: Color) -> anyhow::Result<ExitCode> {
    let format = match (args.format, args.output.as_deref()) {
        (Some(format), _) => format,
        (None, Some(path)) if path != Path::new("-") => match format_of(path) {
            Some(format) => format,
            None => bail!(
                "cannot tell the format from `{}`; name the file .html, .svg or .png, or pass --format",
                path.display()
            ),
        },
        (None, _) => Format::Html,
    };
    let map = crate::load::load_map(&args.map, color)?;
    if let Some(persona) = &args.persona
        && map.persona(persona).is_none()
    {
        let known: Vec<&str> = map.personas.iter().map(|p| p.id.as_str()).collect();
        if known.is_empty() {
            bail!(
                "`{}` has no personas, so there is no persona `{persona}` to draw",
                args.map.display()
            );
        }
        bail!(
            "`{}` has no persona `{persona}`; its personas are: {}",
            args.map.display(),
            known.join(", ")
        );
    }
    let options = RenderOptions {
        persona: args.persona.clone(),
        lanes: args.lanes.as_ref().map(|l| l.0.clone()),
    };
    match format {
        Format::Html => crate::output::write_output(
            args.output.as_deref(),
            &trailmap_render::html::render(&map, &options),
        )?,
        Format::Svg => crate::output::write_output(
            args.output.as_deref(),
            &trailmap_render::svg::render(&map, &options),
        )?,
        Format::Png => {
            let Some(out) = args.output.as_deref().filter(|p| *p != Path::new("-")) else {
                bail!("a PNG needs a file: pass -o map.png");
            };
            crate::png::html_to_png(&trailmap_render::html::render(&map, &options), out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
