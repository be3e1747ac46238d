//! The site in a real headless chromium driven through chromedriver
//! (`fantoccini`): operation count, live search, a lifecycle cell, the release
//! picker, no JavaScript console errors, first paint, and screenshots at desktop
//! and phone widths written to a temporary folder for a human to look at.
//!
//! Skipped with a message when chromium or chromedriver is missing, unless
//! `DOCKMATRIX_REQUIRE_BROWSER=1` (CI sets it).

use crate::common;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dockmatrix_core::analysis::Matrix;
use dockmatrix_core::corpus::{Corpus, CorpusOptions};
use dockmatrix_core::pipeline::{load_models, matrix_from};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// Writes the site for the real corpus into `dir` and returns the matrix.
fn write_site(dir: &Path) -> Matrix {
    let corpus = Corpus::open(&CorpusOptions {
        dir: Some(common::corpus_dir()),
        no_verify: false,
    })
    .unwrap();
    let models = load_models(&corpus).unwrap();
    let matrix = matrix_from(&corpus, &models).unwrap();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for f in
        dockmatrix_gen::site::generate(&repo, &matrix, &corpus.sources, &common::served_index())
            .unwrap()
    {
        let path = dir.join(f.path.strip_prefix("site").unwrap());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, f.contents).unwrap();
    }
    matrix
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// chromedriver on a free local port, killed on drop.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver(program: &Path) -> Driver {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(program)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let driver = Driver { child, port };
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not listen"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    driver
}

/// chromedriver's browser console log (`POST /session/{id}/se/log`).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"type": "browser"}).to_string()),
        )
    }
}

/// Console entries at level SEVERE since the last call.
async fn console_errors(c: &Client) -> Vec<String> {
    let log = c.issue_cmd(BrowserLog).await.unwrap();
    log.as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].to_string())
        .collect()
}

async fn visible_rows(c: &Client) -> Vec<String> {
    let rows = c
        .find_all(Locator::Css("tr[data-op]:not([hidden])"))
        .await
        .unwrap();
    let mut out = Vec::new();
    for r in rows {
        out.push(r.attr("data-op").await.unwrap().unwrap_or_default());
    }
    out
}

async fn screenshot(c: &Client, dir: &Path, name: &str) {
    for (label, w, h) in [("desktop", 1280, 900), ("phone", 390, 844)] {
        c.set_window_size(w, h).await.unwrap();
        let png = c.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("{name}-{label}.png")), png).unwrap();
    }
    c.set_window_size(1280, 900).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn site_in_headless_chromium() {
    let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]);
    let driver_program = find_program(&["chromedriver"]);
    let (Some(chromium), Some(driver_program)) = (chromium, driver_program) else {
        dockmatrix_testkit::require_or_skip(
            dockmatrix_testkit::REQUIRE_BROWSER,
            "site_in_headless_chromium",
            "chromium and chromedriver are not on PATH (apt-get install chromium chromium-driver)",
        );
        return;
    };
    let site = tempfile::tempdir().unwrap();
    let matrix = write_site(site.path());
    let shots = std::env::temp_dir().join("dockmatrix-site-screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    let driver = start_driver(&driver_program);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,900"],
        }),
    );
    caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .unwrap();
    let url = |page: &str| format!("file://{}/{page}", site.path().display());
    let mut errors: Vec<String> = Vec::new();

    // Index: one row per operation of the matrix.
    c.goto(&url("index.html")).await.unwrap();
    let rows = visible_rows(&c).await;
    assert_eq!(rows.len(), matrix.operations.len());
    let paint: Value = c
        .execute(
            "return performance.getEntriesByType('paint').map(e => [e.name, e.startTime]);",
            vec![],
        )
        .await
        .unwrap();
    eprintln!("index paint timings (ms): {paint}");
    screenshot(&c, &shots, "index").await;
    errors.extend(console_errors(&c).await);

    // Search as you type: a path fragment, then a query parameter name.
    let search = c.find(Locator::Id("search")).await.unwrap();
    search.send_keys("/volumes").await.unwrap();
    let expected: Vec<String> = matrix
        .operations
        .iter()
        .map(|o| o.display())
        .filter(|d| d.to_lowercase().contains("/volumes"))
        .collect();
    let mut shown = visible_rows(&c).await;
    shown.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(shown, want);
    search.clear().await.unwrap();
    search.send_keys("signal").await.unwrap();
    let shown = visible_rows(&c).await;
    assert!(shown.contains(&"POST /containers/{id}/stop".to_string()));
    assert!(!shown.contains(&"GET /version".to_string()));
    assert!(shown.len() < matrix.operations.len());
    let count = c.find(Locator::Id("search-count")).await.unwrap();
    assert_eq!(
        count.text().await.unwrap(),
        format!("{} operations", shown.len())
    );

    // An operation page: `signal` of POST /containers/{id}/stop present from 1.42.
    c.goto(&url("ops/post-containers-id-stop.html"))
        .await
        .unwrap();
    let cell = c
        .find(Locator::Css(
            r#"tr[data-item="signal"] [data-state="present"]"#,
        ))
        .await
        .unwrap();
    assert_eq!(
        cell.attr("data-from").await.unwrap().as_deref(),
        Some("1.42")
    );
    let newest = matrix.newest().unwrap().to_string();
    assert_eq!(cell.attr("data-to").await.unwrap(), Some(newest));
    screenshot(&c, &shots, "operation").await;
    errors.extend(console_errors(&c).await);

    // The release view: pick Docker 20.10 in the select.
    c.goto(&url("releases.html")).await.unwrap();
    c.find(Locator::Css(r#"#pick option[data-docker="20.10"]"#))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let missing = c.find_all(Locator::Css("#missing li")).await.unwrap();
    let mut missing_ops = Vec::new();
    for li in missing {
        missing_ops.push(li.attr("data-op").await.unwrap().unwrap_or_default());
    }
    assert!(missing_ops.contains(&"PUT /volumes/{name}".to_string()));
    assert!(!missing_ops.contains(&"GET /containers/json".to_string()));
    let summary = c.find(Locator::Id("pick-summary")).await.unwrap();
    assert!(summary
        .text()
        .await
        .unwrap()
        .starts_with("Docker 20.10 serves API 1.41"));
    screenshot(&c, &shots, "releases").await;
    errors.extend(console_errors(&c).await);

    // The remaining page kinds load without console errors too.
    for page in [
        "usage.html",
        "api/1.42.html",
        "ops/get-containers-id-json.html",
    ] {
        c.goto(&url(page)).await.unwrap();
        errors.extend(console_errors(&c).await);
    }
    c.close().await.unwrap();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    eprintln!("screenshots in {}", shots.display());
}
