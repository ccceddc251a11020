//! PNG pictures of HTML pages, taken by Debian's headless Chromium (used by `trailmap render
//! -o map.png` and the workspace's PNG export).
//!
//! Rasterising the map ourselves would mean a text-layout engine and fonts in the binary;
//! a browser already lays the page out exactly as people see it. The cost is a runtime
//! dependency, found here and named in the error when missing.
//!
//! Chromium's `--screenshot` captures only the window, so the page is measured first: a copy
//! with a small script that widens the body to the map's natural width and writes the page's
//! size into the title is loaded with `--dump-dom`; then the real page (without the script)
//! is shot at exactly that size.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Why a PNG could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    /// No Chromium on this machine.
    #[error(
        "cannot write a PNG: Chromium was not found; install Debian's chromium package \
         (`apt-get install chromium`), or write .html or .svg instead"
    )]
    NoBrowser,
    /// The page is larger than Chromium can capture.
    #[error(
        "the map is {width}×{height} pixels, more than Chromium can capture ({MAX_SIDE} a side); \
         pick fewer lanes (--lanes), one persona (--persona), or write .html or .svg instead"
    )]
    TooLarge {
        /// Measured width.
        width: u32,
        /// Measured height.
        height: u32,
    },
    /// Chromium ran but failed, or a temporary file could not be written.
    #[error("{0}")]
    Failed(String),
}

fn failed(context: &str, e: impl std::fmt::Display) -> PngError {
    PngError::Failed(format!("{context}: {e}"))
}

/// The browsers we know how to drive, most likely first.
const BROWSERS: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];
/// Chromium refuses or clips screenshots beyond this many pixels a side.
const MAX_SIDE: u32 = 16_384;
/// How long one browser run may take before we give up on it.
const TIMEOUT: Duration = Duration::from_secs(90);

/// Measures the page and reports its size in the title. Runs only in the measuring copy.
const MEASURE_SCRIPT: &str = "<script>(function(){var w=1280;var ts=document.querySelectorAll('table');\
for(var i=0;i<ts.length;i++){var r=ts[i].getBoundingClientRect();if(r.width>0){w=Math.max(w,Math.ceil(r.width+2*(r.left+window.scrollX)));}}\
document.body.style.width=w+'px';var h=Math.ceil(document.documentElement.scrollHeight);\
document.title='TRAILMAP-SIZE '+w+' '+h;})();</script>";

/// Renders `html` to PNG bytes, as wide and tall as the page. Blocks for the browser's run
/// (seconds): call it off the async runtime.
pub fn html_to_png(html: &str) -> Result<Vec<u8>, PngError> {
    let browser = find_browser().ok_or(PngError::NoBrowser)?;
    let work = TempDir::new()?;
    let measure_page = work.path.join("measure.html");
    std::fs::write(&measure_page, measuring_copy(html))
        .map_err(|e| failed(&format!("cannot write `{}`", measure_page.display()), e))?;
    let dom_path = work.path.join("dom.html");
    run_browser(
        &browser,
        &work,
        &["--window-size=1280,1000", "--dump-dom"],
        &measure_page,
        Some(&dom_path),
    )?;
    let dom = std::fs::read_to_string(&dom_path).unwrap_or_default();
    let (width, height) = parse_size(&dom).ok_or_else(|| {
        PngError::Failed(
            "Chromium did not report the page's size; this is a bug, please report it".to_owned(),
        )
    })?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(PngError::TooLarge { width, height });
    }

    let page = work.path.join("map.html");
    std::fs::write(&page, html)
        .map_err(|e| failed(&format!("cannot write `{}`", page.display()), e))?;
    let shot = work.path.join("map.png");
    let window = format!("--window-size={width},{height}");
    let screenshot = format!("--screenshot={}", shot.display());
    run_browser(
        &browser,
        &work,
        &[&window, "--hide-scrollbars", &screenshot],
        &page,
        None,
    )?;
    std::fs::read(&shot).map_err(|e| failed("Chromium did not write a screenshot", e))
}

/// The page with a measuring script and without the policy that would block it.
fn measuring_copy(html: &str) -> String {
    let mut copy: String = html
        .lines()
        .filter(|line| !line.contains("http-equiv=\"Content-Security-Policy\""))
        .collect::<Vec<_>>()
        .join("\n");
    match copy.rfind("</body>") {
        Some(at) => copy.insert_str(at, MEASURE_SCRIPT),
        None => copy.push_str(MEASURE_SCRIPT),
    }
    copy
}

fn parse_size(dom: &str) -> Option<(u32, u32)> {
    let start = dom.find("TRAILMAP-SIZE ")? + "TRAILMAP-SIZE ".len();
    let rest = &dom[start..];
    let end = rest.find('<')?;
    let mut numbers = rest[..end].split_whitespace().map(str::parse::<u32>);
    match (numbers.next(), numbers.next()) {
        (Some(Ok(w)), Some(Ok(h))) if w > 0 && h > 0 => Some((w, h)),
        _ => None,
    }
}

fn find_browser() -> Option<PathBuf> {
    let debian = Path::new("/usr/bin/chromium");
    if debian.is_file() {
        return Some(debian.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| BROWSERS.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs the browser on `page` with a private profile and no network chatter, with a timeout.
fn run_browser(
    browser: &Path,
    work: &TempDir,
    extra: &[&str],
    page: &Path,
    stdout_to: Option<&Path>,
) -> Result<(), PngError> {
    let stderr_path = work.path.join("browser.log");
    let stderr =
        File::create(&stderr_path).map_err(|e| failed("cannot create a temporary file", e))?;
    let stdout = match stdout_to {
        Some(path) => Stdio::from(
            File::create(path).map_err(|e| failed("cannot create a temporary file", e))?,
        ),
        None => Stdio::null(),
    };
    let profile = work.path.join("profile");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::from(stderr))
        .spawn()
        .map_err(|e| failed(&format!("cannot start `{}`", browser.display()), e))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child
            .try_wait()
            .map_err(|e| failed("cannot wait for Chromium", e))?
        {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(PngError::Failed(format!(
                "Chromium took more than {} seconds and was stopped",
                TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    if !status.success() {
        let log = std::fs::read_to_string(&stderr_path).unwrap_or_default();
        let tail: Vec<&str> = log
            .lines()
            .rev()
            .take(5)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return Err(PngError::Failed(format!(
            "Chromium failed ({status}):\n{}",
            tail.join("\n")
        )));
    }
    Ok(())
}

/// A private folder for one conversion, removed when dropped.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new() -> Result<TempDir, PngError> {
        // The workspace may take several PNGs at once: a random part keeps their folders apart.
        let path = std::env::temp_dir().join(format!(
            "trailmap-png-{}-{}",
            std::process::id(),
            crate::auth::csrf::random_token()
        ));
        std::fs::create_dir_all(&path)
            .map_err(|e| failed(&format!("cannot create `{}`", path.display()), e))?;
        Ok(TempDir { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_measured_size() {
        assert_eq!(
            parse_size("<title>TRAILMAP-SIZE 1920 3400</title>"),
            Some((1920, 3400))
        );
        assert_eq!(parse_size("<title>Map</title>"), None);
        assert_eq!(parse_size("<title>TRAILMAP-SIZE 0 10</title>"), None);
    }

    #[test]
    fn the_measuring_copy_drops_the_policy_and_adds_the_script() {
        let page = "<head>\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">\n</head><body>x</body>";
        let copy = measuring_copy(page);
        assert!(!copy.contains("Content-Security-Policy"));
        assert!(copy.contains("TRAILMAP-SIZE") && copy.ends_with("</script></body>"));
    }
}
