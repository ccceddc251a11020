//! Talking to a `trailmap serve` workspace for `push` and `pull`: a small JSON-over-HTTP
//! client (ureq, without TLS: see the README), and the sync record that remembers which server
//! version a local file was last in step with.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

/// Where the server is and who we are there.
#[derive(Debug, clap::Args)]
pub(crate) struct ServerArgs {
    /// The workspace server, e.g. http://127.0.0.1:8080 (or TRAILMAP_SERVER).
    #[arg(long, value_name = "URL", env = "TRAILMAP_SERVER")]
    server: String,
    /// An API token from your account page (or TRAILMAP_TOKEN, which keeps it out of shell history).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "TRAILMAP_TOKEN",
        hide_env_values = true
    )]
    token: String,
}

/// An answer: status and parsed JSON body.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: serde_json::Value,
}

impl Answer {
    /// The server's error message, from `{"error": {"message"}}`.
    pub(crate) fn message(&self) -> String {
        self.body["error"]["message"]
            .as_str()
            .map_or_else(|| format!("HTTP {}", self.status), str::to_owned)
    }

    pub(crate) fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

pub(crate) struct Client {
    agent: ureq::Agent,
    base: String,
    token: String,
}

impl Client {
    pub(crate) fn new(args: &ServerArgs) -> anyhow::Result<Client> {
        let base = args.server.trim_end_matches('/').to_owned();
        if base.starts_with("https://") {
            bail!(
                "this trailmap talks plain HTTP only (it is built without TLS); reach the server through \
                 http:// on a trusted network or an SSH tunnel (ssh -L 8080:localhost:8080 HOST)"
            );
        }
        if !base.starts_with("http://") {
            bail!("--server must be an http:// URL, like http://127.0.0.1:8080");
        }
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(std::time::Duration::from_secs(120)))
            .build()
            .into();
        Ok(Client {
            agent,
            base,
            token: args.token.clone(),
        })
    }

    pub(crate) fn server(&self) -> &str {
        &self.base
    }

    fn finish(
        &self,
        result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> anyhow::Result<Answer> {
        let mut response =
            result.map_err(|e| anyhow::anyhow!("cannot reach {}: {e}", self.base))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_string()
            .with_context(|| format!("cannot read the answer of {}", self.base))?;
        let body = if text.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&text).with_context(|| {
                format!(
                    "{} did not answer with JSON (HTTP {status}); is it a trailmap server?",
                    self.base
                )
            })?
        };
        if status == 401 {
            bail!(
                "the server refused the token: {}",
                Answer { status, body }.message()
            );
        }
        Ok(Answer { status, body })
    }

    pub(crate) fn get(&self, path: &str) -> anyhow::Result<Answer> {
        let result = self
            .agent
            .get(&format!("{}{path}", self.base))
            .header("Authorization", &format!("Bearer {}", self.token))
            .call();
        self.finish(result)
    }

    pub(crate) fn post(&self, path: &str, body: &serde_json::Value) -> anyhow::Result<Answer> {
        let result = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Authorization", &format!("Bearer {}", self.token))
            .header("Content-Type", "application/json")
            .send(body.to_string());
        self.finish(result)
    }
}

/// The sync record: `.trailmap-sync.json` beside the map files, one entry per file name.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct SyncRecord {
    #[serde(default)]
    pub(crate) files: BTreeMap<String, SyncEntry>,
}

/// What a file was last in step with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SyncEntry {
    pub(crate) server: String,
    pub(crate) map: i64,
    pub(crate) version: i64,
}

pub(crate) const SYNC_FILE: &str = ".trailmap-sync.json";

fn record_path(map_file: &Path) -> PathBuf {
    map_file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(SYNC_FILE)
}

fn key(map_file: &Path) -> String {
    map_file.file_name().map_or_else(
        || map_file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

pub(crate) fn load_entry(map_file: &Path) -> anyhow::Result<Option<SyncEntry>> {
    let path = record_path(map_file);
    let record: SyncRecord = match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).with_context(|| {
            format!(
                "`{}` is not a sync record; delete it and pull again",
                path.display()
            )
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    Ok(record.files.get(&key(map_file)).cloned())
}

pub(crate) fn save_entry(map_file: &Path, entry: SyncEntry) -> anyhow::Result<()> {
    let path = record_path(map_file);
    let mut record: SyncRecord = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    record.files.insert(key(map_file), entry);
    let mut text = serde_json::to_string_pretty(&record)?;
    text.push('\n');
    crate::output::write_atomic(&path, text.as_bytes())
}
