//! `trailmap export-xes MAP --events PATH... -o out.xes`: events mapped to the map's steps, as
//! an IEEE 1849 XES log that process-mining tools open.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use trailmap_diag::render::Color;

use crate::cmd::case_log::{self, ByArg, LogArgs};

#[derive(Debug, clap::Args)]
#[command(
    long_about = "Write customer events as an IEEE 1849 XES event log for process-mining tools (pm4py, \
                  ProM, Disco, Celonis). Each customer is a trace; each event becomes the first step of the \
                  map, in map order, whose `match` it satisfies (concept:name = the step id; step_name and \
                  stage as attributes); events matching no step are left out. Events carry time:timestamp, \
                  lifecycle:transition = complete and, when the data has one, org:resource (from \
                  --resource-col, else an org:resource, resource or channel column). Traces carry the \
                  persona (with --customers) and one outcome_<id> boolean per outcome of the map. \
                  Output ending in .gz is gzipped.\n\n\
                  Exit codes: 0 written; 2 usage, IO, data or map error."
)]
pub(crate) struct ExportXesArgs {
    /// The map whose steps the events are mapped to.
    #[arg(value_name = "MAP")]
    map: PathBuf,
    #[command(flatten)]
    log: LogArgs,
    /// Where to write the log (.xes or .xes.gz); `-` for stdout.
    #[arg(long, short, value_name = "FILE")]
    output: PathBuf,
    /// What concept:name is: the step (default) or the original event name.
    #[arg(long, value_enum, default_value_t = ByArg::Step, value_name = "WHAT")]
    by: ByArg,
    /// The column written as org:resource. Default: the first of org:resource, resource,
    /// channel the data has.
    #[arg(long, value_name = "COLUMN")]
    resource_col: Option<String>,
}

pub(crate) fn run(args: &ExportXesArgs, color: Color) -> anyhow::Result<ExitCode> {
    let map = crate::load::load_map(&args.map, color)?;
    let mut options = args.log.options(Some(&map), args.by.by())?;
    options.resource_cols = match &args.resource_col {
        Some(column) => vec![column.clone()],
        None => ["org:resource", "resource", "channel"]
            .map(String::from)
            .to_vec(),
    };
    let started = Instant::now();
    let log = case_log::read(Some((&map, &args.map)), &options, color)?;
    let by_step = args.by == ByArg::Step;
    let step_map = by_step.then_some(&map);
    if args.output == Path::new("-") {
        let stdout = std::io::stdout().lock();
        trailmap_paths::xes_export::write_xes(&log, step_map, BufWriter::new(stdout))?;
    } else {
        write_file(&args.output, |out| {
            trailmap_paths::xes_export::write_xes(&log, step_map, out)
        })?;
    }
    eprintln!(
        "wrote {} events of {} cases ({} rows read, {} matching no step left out) in {:.2}s to {}",
        log.events.len(),
        log.cases.len(),
        log.rows_read,
        log.rows_dropped,
        started.elapsed().as_secs_f64(),
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Streams into a temporary file next to `path` and renames it into place, so an interrupted
/// run never leaves half a log where a good one was. A `.gz` name is gzipped.
fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .with_context(|| format!("`{}` is not a file path", path.display()))?;
    let tmp = dir.join(format!(".{}.trailmap-tmp", name.to_string_lossy()));
    let result = (|| -> std::io::Result<()> {
        let file = BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
        if name.to_string_lossy().to_lowercase().ends_with(".gz") {
            let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
            write(&mut gz)?;
            gz.finish()?.into_inner().map_err(|e| e.into_error())?;
        } else {
            let mut file = file;
            write(&mut file)?;
            file.into_inner().map_err(|e| e.into_error())?;
        }
        Ok(())
    })();
    if let Err(error) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(error).with_context(|| format!("cannot write `{}`", path.display()));
    }
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(())
}
