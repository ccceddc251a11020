//! `trailmap serve`, `push` and `pull` end to end: the real binary on a random loopback port.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

struct Server {
    child: Child,
    url: String,
    _dir: TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("trailmap-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn start(name: &str) -> Server {
    let dir = TempDir::new(name);
    let mut child = Command::new(env!("CARGO_BIN_EXE_trailmap"))
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir.0.join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("trailmap serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .trim_end_matches('/')
        .to_owned();
    Server {
        child,
        url,
        _dir: dir,
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

fn field(body: &str, marker: &str, len: usize) -> String {
    let at = body
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {body}"))
        + marker.len();
    body[at..at + len].to_owned()
}

fn cookie(response: &ureq::http::Response<ureq::Body>, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no {name} cookie"))
}

/// Signs up the first user through the pages and makes an API token.
fn token(server: &Server) -> String {
    let agent = agent();
    let mut page = agent.get(&format!("{}/signup", server.url)).call().unwrap();
    let pre = cookie(&page, "trailmap_csrf");
    let csrf = field(
        &page.body_mut().read_to_string().unwrap(),
        "name=\"_csrf\" value=\"",
        64,
    );
    let form = format!(
        "_csrf={csrf}&display_name=Ana&handle=ana&email=ana%40example.org&password=correct+horse"
    );
    let signed = agent
        .post(&format!("{}/signup", server.url))
        .header("Cookie", &pre)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(form)
        .unwrap();
    assert_eq!(signed.status(), 303);
    let session = cookie(&signed, "trailmap_session");
    let mut account = agent
        .get(&format!("{}/account", server.url))
        .header("Cookie", &session)
        .call()
        .unwrap();
    let csrf = field(
        &account.body_mut().read_to_string().unwrap(),
        "name=\"_csrf\" value=\"",
        64,
    );
    let mut made = agent
        .post(&format!("{}/account/tokens", server.url))
        .header("Cookie", &session)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(format!("_csrf={csrf}&name=test"))
        .unwrap();
    field(
        &made.body_mut().read_to_string().unwrap(),
        "copy it now): ",
        64,
    )
}

fn trailmap(server: &Server, token: &str, args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_trailmap"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("TRAILMAP_SERVER", &server.url)
        .env("TRAILMAP_TOKEN", token)
        .output()
        .unwrap()
}

#[test]
fn push_and_pull_round_trip_and_a_stale_push_is_refused() {
    let server = start("push-pull");
    let token = token(&server);
    let work = TempDir::new("push-pull-work");
    let original =
        std::fs::read_to_string(common::root().join("examples/online-retail-purchase.yaml"))
            .unwrap();
    std::fs::write(work.0.join("retail.yaml"), &original).unwrap();

    // A new map: push creates it.
    let out = trailmap(&server, &token, &["push", "retail.yaml"], &work.0);
    assert_eq!(common::code(&out), 0, "{}", common::stderr(&out));
    assert!(common::stdout(&out).contains("created map 1"));

    // Pull into another folder: the same bytes.
    std::fs::create_dir_all(work.0.join("other")).unwrap();
    let out = trailmap(
        &server,
        &token,
        &["pull", "1", "-o", "other/retail.yaml"],
        &work.0,
    );
    assert_eq!(common::code(&out), 0, "{}", common::stderr(&out));
    assert_eq!(
        std::fs::read_to_string(work.0.join("other/retail.yaml")).unwrap(),
        original
    );

    // The other copy changes and is pushed as version 2.
    let changed = original.replacen("name: Fernway online purchase", "name: Fernway (pushed)", 1);
    std::fs::write(work.0.join("other/retail.yaml"), &changed).unwrap();
    let out = trailmap(
        &server,
        &token,
        &["push", "other/retail.yaml", "-m", "renamed"],
        &work.0,
    );
    assert_eq!(common::code(&out), 0, "{}", common::stderr(&out));
    assert!(common::stdout(&out).contains("version 2"));

    // The first copy, still based on version 1, changes too: its push is a conflict, exit 1.
    let mine = original.replacen("name: Fernway online purchase", "name: Fernway (mine)", 1);
    std::fs::write(work.0.join("retail.yaml"), &mine).unwrap();
    let out = trailmap(&server, &token, &["push", "retail.yaml"], &work.0);
    assert_eq!(common::code(&out), 1);
    assert!(
        common::stderr(&out).contains("changed on the server"),
        "{}",
        common::stderr(&out)
    );
    // Nothing was overwritten.
    let out = trailmap(&server, &token, &["pull", "1", "-o", "check.yaml"], &work.0);
    assert_eq!(common::code(&out), 0);
    assert_eq!(
        std::fs::read_to_string(work.0.join("check.yaml")).unwrap(),
        changed
    );

    // A map with errors is not pushed.
    std::fs::write(
        work.0.join("broken.yaml"),
        original.replacen("emotion:", "emoton:", 1),
    )
    .unwrap();
    let out = trailmap(&server, &token, &["push", "broken.yaml"], &work.0);
    assert_eq!(common::code(&out), 1);
    assert!(common::stderr(&out).contains("unknown key `emoton`"));

    // A wrong token is a clear error, exit 2.
    let out = trailmap(
        &server,
        &"0".repeat(64),
        &["pull", "1", "-o", "x.yaml"],
        &work.0,
    );
    assert_eq!(common::code(&out), 2);
    assert!(
        common::stderr(&out).contains("refused the token"),
        "{}",
        common::stderr(&out)
    );
}

#[test]
fn serve_prints_its_url_and_answers() {
    let server = start("serve");
    let mut health = agent()
        .get(&format!("{}/healthz", server.url))
        .call()
        .unwrap();
    assert_eq!(health.body_mut().read_to_string().unwrap(), "ok\n");
    let out = common::trailmap(&["serve", "--help"]);
    assert_eq!(common::code(&out), 0);
    assert!(common::stdout(&out).contains("--database"));
}

#[cfg(unix)]
#[test]
fn serve_exits_cleanly_on_sigterm() {
    let mut server = start("sigterm");
    let pid = server.child.id().to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
    let exit = server.child.wait().unwrap();
    assert_eq!(exit.code(), Some(0), "{exit:?}");
}
