//! `trailmap serve [--database URL] [--bind ADDR] [--data-dir DIR]`: the shared workspace.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use trailmap_server::{CookiePolicy, ServerConfig};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  trailmap serve                                   # ./trailmap-data/trailmap.db on http://127.0.0.1:8080\n  trailmap serve --bind 127.0.0.1:0                # any free port; the URL is printed\n  trailmap serve --database postgres://tm@db/tm --bind 0.0.0.0:8080 --secure-cookies\n\nThe first person to sign up becomes the administrator; others join by invitation.\nCtrl-C or SIGTERM stops the server after the requests in flight."
)]
pub(crate) struct ServeArgs {
    /// The database: a SQLite file path (or sqlite://PATH), or postgres://USER:PASS@HOST/DB.
    #[arg(
        long,
        value_name = "URL",
        long_help = "The database: a SQLite file path (or sqlite://PATH), created if missing, or \
                     postgres://USER:PASSWORD@HOST:PORT/DB for a shared PostgreSQL server. \
                     Default: trailmap.db in the data folder. Also read from TRAILMAP_DATABASE."
    )]
    database: Option<String>,
    /// Where to listen; port 0 picks a free port (the URL is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// The folder for the default SQLite database.
    #[arg(long, value_name = "DIR", default_value = "trailmap-data")]
    data_dir: PathBuf,
    /// Mark cookies Secure (the server is behind HTTPS). Default: Secure unless listening on loopback.
    #[arg(long, conflicts_with = "insecure_cookies")]
    secure_cookies: bool,
    /// Never mark cookies Secure (plain HTTP on a trusted network; browsers drop Secure cookies over http).
    #[arg(long)]
    insecure_cookies: bool,
}

pub(crate) fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let database = match args.database.clone().or_else(|| {
        std::env::var("TRAILMAP_DATABASE")
            .ok()
            .filter(|d| !d.is_empty())
    }) {
        Some(url) => url,
        None => {
            std::fs::create_dir_all(&args.data_dir)
                .with_context(|| format!("cannot create `{}`", args.data_dir.display()))?;
            args.data_dir.join("trailmap.db").display().to_string()
        }
    };
    let mut config = ServerConfig::new(database.clone());
    config.bind = args.bind;
    config.cookies = if args.secure_cookies {
        CookiePolicy::Secure
    } else if args.insecure_cookies {
        CookiePolicy::Insecure
    } else {
        CookiePolicy::Auto
    };
    let secure = config.secure_cookies();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let bound = trailmap_server::bind(config).await?;
        let shutdown = shutdown_signal()?;
        let shown = if database.starts_with("postgres") { "a PostgreSQL database".to_owned() } else { format!("`{database}`") };
        println!("trailmap serve: listening on http://{}/ (database {shown})", bound.addr);
        if secure {
            eprintln!("trailmap serve: cookies are Secure: open the workspace through HTTPS (or pass --insecure-cookies on a trusted network)");
        }
        bound.serve(shutdown).await?;
        eprintln!("trailmap serve: stopped");
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Completes on Ctrl-C or SIGTERM. The handlers are installed when this is called, before the
/// URL is printed, so a script that stops the server right after reading the URL is obeyed.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt()).context("cannot listen for Ctrl-C")?;
        let mut terminate = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
