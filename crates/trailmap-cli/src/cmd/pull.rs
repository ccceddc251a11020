//! `trailmap pull ID --server URL --token T -o FILE [--version N]`: download a map's YAML.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;

use crate::remote::{Client, ServerArgs, SyncEntry, save_entry};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Records the version in .trailmap-sync.json beside FILE, so a later \
                        `trailmap push FILE` knows what it is based on."
)]
pub(crate) struct PullArgs {
    /// The server's map id (shown in the map's URL, /m/ID).
    #[arg(value_name = "ID")]
    map_id: i64,
    #[command(flatten)]
    server: ServerArgs,
    /// Where to write the YAML.
    #[arg(long, short, value_name = "FILE")]
    output: PathBuf,
    /// A version number; default the latest.
    #[arg(long, value_name = "N")]
    version: Option<i64>,
}

pub(crate) fn run(args: &PullArgs) -> anyhow::Result<ExitCode> {
    let client = Client::new(&args.server)?;
    let number = match args.version {
        Some(n) => n,
        None => {
            let map = client.get(&format!("/api/v1/maps/{}", args.map_id))?;
            if map.status != 200 {
                bail!("cannot pull map {}: {}", args.map_id, map.message());
            }
            map.body["latest_version"].as_i64().unwrap_or(1)
        }
    };
    let version = client.get(&format!("/api/v1/maps/{}/versions/{number}", args.map_id))?;
    if version.status != 200 {
        bail!(
            "cannot pull version {number} of map {}: {}",
            args.map_id,
            version.message()
        );
    }
    let Some(yaml) = version.body["yaml"].as_str() else {
        bail!("the server's answer has no YAML");
    };
    crate::output::write_atomic(&args.output, yaml.as_bytes())?;
    save_entry(
        &args.output,
        SyncEntry {
            server: client.server().to_owned(),
            map: args.map_id,
            version: number,
        },
    )?;
    println!(
        "pulled version {number} of map {} into `{}`",
        args.map_id,
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}
