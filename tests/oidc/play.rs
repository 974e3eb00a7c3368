//! The test side of organisation sign-in, shared by the protocol tests
//! (`crates/oidc/tests`) and the app's (`tests/organisation.rs`): a real OpenID provider
//! on loopback (`tests/oidc/provider.mjs`, the `oidc-provider` npm package), and a
//! person's browser, played over HTTP.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// How long the provider may take to start.
const START_WAIT: Duration = Duration::from_secs(20);

/// The provider process; it ends when the test drops it (its standard input closes).
pub struct Provider {
    /// Its issuer URL, `http://127.0.0.1:PORT`.
    pub issuer: String,
    _child: Child,
}

/// A provider whose people are read from `people` (the JSON of `provider.mjs`) at every
/// sign-in, so that a test can change them while it runs. `root` is the repository.
pub async fn start_provider(root: &Path, people: &Path) -> Provider {
    let script = root.join("tests/oidc/provider.mjs");
    assert!(
        root.join("node_modules/oidc-provider").exists(),
        "oidc-provider is not installed: run `make test` (or `npm ci`) first"
    );
    let mut child = Command::new("node")
        .arg(&script)
        .current_dir(root)
        .env("LATCHKEY_OIDC_PEOPLE_FILE", people)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs the test provider");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    tokio::time::timeout(START_WAIT, BufReader::new(stdout).read_line(&mut line))
        .await
        .expect("the provider starts")
        .unwrap();
    let started: serde_json::Value = serde_json::from_str(&line).unwrap();
    Provider {
        issuer: started["issuer"].as_str().unwrap().to_owned(),
        _child: child,
    }
}

/// The person's browser: it keeps the provider's cookies and signs in as `login`
/// (the test provider takes any password), agrees to share the details, and returns the
/// address the provider finally sends it to; or the page it stopped at, when the
/// provider shows one without a form (it refused the person).
pub async fn play_browser(start: &url::Url, login: &str) -> Result<url::Url, String> {
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut next = start.clone();
    for _ in 0..12 {
        let response = browser.get(next.clone()).send().await.unwrap();
        if response.status().is_redirection() {
            let location = response.headers()["location"].to_str().unwrap().to_owned();
            let target = next.join(&location).unwrap();
            if target.port() != next.port() || target.host() != next.host() {
                return Ok(target);
            }
            next = target;
            continue;
        }
        let status = response.status();
        let page = response.text().await.unwrap();
        let Some(action) = page
            .split("action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(str::to_owned)
        else {
            return Err(format!("{status}: {page}"));
        };
        let form: Vec<(&str, &str)> = if page.contains("value=\"login\"") {
            vec![
                ("prompt", "login"),
                ("login", login),
                ("password", "any password"),
            ]
        } else {
            vec![("prompt", "consent")]
        };
        let posted = browser.post(&action).form(&form).send().await.unwrap();
        assert!(posted.status().is_redirection(), "{}", posted.status());
        let location = posted.headers()["location"].to_str().unwrap().to_owned();
        next = next.join(&location).unwrap();
    }
    panic!("the provider never sent the browser back");
}

/// Sends the browser to `url` (the loopback listener) and returns nothing useful: the
/// listener's side is what the test checks.
pub async fn arrive(url: url::Url) {
    let _ = reqwest::Client::new().get(url).send().await;
}
