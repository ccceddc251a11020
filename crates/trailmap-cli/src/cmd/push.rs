//! `trailmap push MAP --server URL --token T [--map-id ID] [--workspace WS]`: upload a map file
//! as a new version, based on the version it was last pulled or pushed at.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use trailmap_diag::render::Color;

use crate::remote::{Client, ServerArgs, SyncEntry, load_entry, save_entry};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "The version a file is based on is remembered in .trailmap-sync.json beside it \
                        (written by pull and push). If the map changed on the server since, nothing \
                        is overwritten: push fails with exit 1; pull, merge, and push again.\n\n\
                        Exit codes: 0 pushed (or nothing to push); 1 the map has errors or changed \
                        on the server; 2 usage, network or server error."
)]
pub(crate) struct PushArgs {
    /// The map file to upload.
    #[arg(value_name = "MAP")]
    map: PathBuf,
    #[command(flatten)]
    server: ServerArgs,
    /// The server's map to push to; default: the one recorded for this file, else a new map.
    #[arg(long, value_name = "ID")]
    map_id: Option<i64>,
    /// The workspace a new map goes to (its slug).
    #[arg(long, value_name = "WS", default_value = "default")]
    workspace: String,
    /// The version this file is based on, when there is no record of it.
    #[arg(long, value_name = "N")]
    base: Option<i64>,
    /// The version's message.
    #[arg(
        long,
        short,
        value_name = "TEXT",
        default_value = "Pushed with trailmap push"
    )]
    message: String,
}

pub(crate) fn run(args: &PushArgs, color: Color) -> anyhow::Result<ExitCode> {
    let (file, checked) =
        crate::load::check_file(&args.map, &trailmap_check::CheckOptions::default())?;
    if checked.has_errors() {
        for d in checked.diagnostics.iter().filter(|d| d.is_error()) {
            eprint!("{}", trailmap_diag::render::human::render(&file, d, color));
        }
        eprintln!(
            "trailmap: `{}` has errors; nothing was pushed",
            args.map.display()
        );
        return Ok(ExitCode::from(1));
    }
    let yaml = file.text().to_owned();
    let client = Client::new(&args.server)?;
    let recorded = load_entry(&args.map)?.filter(|e| e.server == client.server());
    let map_id = args.map_id.or(recorded.as_ref().map(|e| e.map));
    let Some(map_id) = map_id else {
        let answer = client.post(
            &format!("/api/v1/workspaces/{}/maps", args.workspace),
            &serde_json::json!({ "yaml": yaml, "file_name": args.map.file_name().map(|n| n.to_string_lossy()) }),
        )?;
        return finish_create(args, &client, &answer);
    };
    let base = match (args.base, recorded.as_ref().filter(|e| e.map == map_id)) {
        (Some(base), _) => base,
        (None, Some(entry)) => entry.version,
        (None, None) => bail!(
            "there is no record of which version of map {map_id} `{}` is based on; \
             pull it first, or pass --base N",
            args.map.display()
        ),
    };
    let latest = client.get(&format!("/api/v1/maps/{map_id}/versions/{base}"))?;
    if latest.status == 200 && latest.body["yaml"].as_str() == Some(yaml.as_str()) {
        let map = client.get(&format!("/api/v1/maps/{map_id}"))?;
        if map.body["latest_version"].as_i64() == Some(base) {
            println!("map {map_id} is already at this text (version {base}); nothing to push");
            return Ok(ExitCode::SUCCESS);
        }
    }
    let answer = client.post(
        &format!("/api/v1/maps/{map_id}/versions"),
        &serde_json::json!({ "base_version": base, "yaml": yaml, "message": args.message }),
    )?;
    match answer.status {
        201 => {
            let version = answer.body["number"].as_i64().unwrap_or(base + 1);
            save_entry(
                &args.map,
                SyncEntry {
                    server: client.server().to_owned(),
                    map: map_id,
                    version,
                },
            )?;
            println!(
                "pushed `{}` as version {version} of map {map_id}",
                args.map.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        409 => {
            let latest = answer.body["error"]["latest_version"].as_i64().unwrap_or(0);
            eprintln!(
                "trailmap: the map changed on the server: it is at version {latest}, and `{}` is based on version {base}. \
                 Nothing was overwritten. Pull it (trailmap pull {map_id} -o OTHER.yaml), merge, and push again.",
                args.map.display()
            );
            Ok(ExitCode::from(1))
        }
        422 => {
            print_server_diagnostics(&answer);
            Ok(ExitCode::from(1))
        }
        _ => bail!("the server refused the push: {}", answer.message()),
    }
}

fn finish_create(
    args: &PushArgs,
    client: &Client,
    answer: &crate::remote::Answer,
) -> anyhow::Result<ExitCode> {
    match answer.status {
        201 => {
            let id = answer.body["id"].as_i64().unwrap_or(0);
            save_entry(
                &args.map,
                SyncEntry {
                    server: client.server().to_owned(),
                    map: id,
                    version: 1,
                },
            )?;
            println!(
                "created map {id} in workspace `{}` from `{}` (version 1)",
                args.workspace,
                args.map.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        409 if answer.code() == "already_exists" => bail!(
            "{}; push to it with --map-id ID (see the map's page), or pull it first",
            answer.message()
        ),
        422 => {
            print_server_diagnostics(answer);
            Ok(ExitCode::from(1))
        }
        _ => bail!("the server refused the map: {}", answer.message()),
    }
}

fn print_server_diagnostics(answer: &crate::remote::Answer) {
    if let Some(list) = answer.body["error"]["diagnostics"].as_array() {
        for d in list {
            eprintln!(
                "{}:{}:{}: {}[{}]: {}",
                d["file"].as_str().unwrap_or("map"),
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap_or("error"),
                d["code"].as_str().unwrap_or(""),
                d["message"].as_str().unwrap_or("")
            );
        }
    }
    eprintln!("trailmap: the server refused the map: {}", answer.message());
}
