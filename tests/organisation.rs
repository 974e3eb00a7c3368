//! Sign-in through the organisation's OpenID provider, as the app's webview drives it:
//! the plugin's commands on Tauri's mock runtime with the app's capability file, a real
//! vault file, and a real provider on loopback (`tests/oidc/provider.mjs`). The test
//! plays the system browser: the plugin hands it the provider's page, and it signs in
//! over HTTP and follows the redirect to the app's loopback listener, as a person's
//! browser would.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

#[path = "oidc/play.rs"]
mod play;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tauri::test::{MockRuntime, mock_builder};
use tauri::{App, WebviewWindow, WebviewWindowBuilder};
use tauri_plugin_latchkey::organisation::Browser;
use tauri_plugin_latchkey::testing::{first_admin, invoke, open_vault};
use tempfile::TempDir;
use vault::{AuditEvent, AuditQuery, FixedClock, Outcome};

const ADMIN: (&str, &str) = ("admin@clinic.example", "granite owl above the ferry");
const PEOPLE: &str = r#"{
  "mina": {"email": "mina@clinic.example", "name": "Mina Park", "groups": ["desk-admins"]},
  "jo": {"email": "jo@clinic.example", "name": "Jo Lee", "groups": []}
}"#;
const JO_PASSWORD: &str = "pencil case by the till";

/// What the person in the browser does with the provider's page.
#[derive(Debug, Clone)]
enum Visit {
    /// Signs in as this login and comes back.
    SignIn(&'static str),
    /// Signs in, but the address back carries another `state` (a forged redirect).
    ForgedState(&'static str),
    /// Signs in, but comes back to another path on the listener's port.
    WrongPath(&'static str),
    /// Signs in and comes back with the code an earlier sign-in used.
    Replay(&'static str),
    /// Never comes back.
    Away,
}

/// The system browser, played: each page the plugin opens is visited on a thread of its
/// own, as the plan says.
#[derive(Debug, Default)]
struct PlayedBrowser {
    plan: Mutex<Option<Visit>>,
    /// The address of the last completed redirect: its code was used.
    last_back: Arc<Mutex<Option<url::Url>>>,
    /// The provider's page, when it refused to sign the person in.
    refusal: Arc<Mutex<Option<String>>>,
}

impl PlayedBrowser {
    fn will(&self, visit: Visit) {
        *self.plan.lock().unwrap() = Some(visit);
    }
}

impl Browser for PlayedBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        let visit = self.plan.lock().unwrap().clone().expect("a planned visit");
        let start = url::Url::parse(url).map_err(|e| e.to_string())?;
        let last_back = Arc::clone(&self.last_back);
        let refusals = Arc::clone(&self.refusal);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let login = match visit {
                    Visit::Away => return,
                    Visit::SignIn(login)
                    | Visit::ForgedState(login)
                    | Visit::WrongPath(login)
                    | Visit::Replay(login) => login,
                };
                let mut back = match play::play_browser(&start, login).await {
                    Ok(back) => back,
                    Err(page) => {
                        // The provider refused the person and shows its page: they
                        // never come back to the app.
                        *refusals.lock().unwrap() = Some(page);
                        return;
                    }
                };
                match visit {
                    Visit::ForgedState(_) => set_query(&mut back, "state", "forged-state"),
                    Visit::WrongPath(_) => back.set_path("/elsewhere"),
                    Visit::Replay(_) => {
                        let used = last_back.lock().unwrap().clone().expect("an earlier code");
                        let code = query(&used, "code");
                        set_query(&mut back, "code", &code);
                    }
                    Visit::SignIn(_) | Visit::Away => {}
                }
                *last_back.lock().unwrap() = Some(back.clone());
                play::arrive(back).await;
            });
        });
        Ok(())
    }
}

fn query(url: &url::Url, name: &str) -> String {
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
        .unwrap()
}

fn set_query(url: &mut url::Url, name: &str, value: &str) {
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == name {
                value.into()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
}

struct Fixture {
    dir: TempDir,
    clock: Arc<FixedClock>,
    browser: Arc<PlayedBrowser>,
    provider: Option<play::Provider>,
    issuer: String,
    _app: App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
    /// Runs the provider's process.
    _runtime: tokio::runtime::Runtime,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Fixture {
    /// A vault with its first admin signed in, a provider running, and the app.
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let people = dir.path().join("people.json");
        std::fs::write(&people, PEOPLE).unwrap();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let provider = runtime.block_on(play::start_provider(&root(), &people));
        let issuer = provider.issuer.clone();
        let clock = Arc::new(FixedClock::new(now()));
        let vault = open_vault(&dir.path().join("vault.sqlite"), clock.clone()).unwrap();
        first_admin(&vault, ADMIN.0, "Desk Admin", ADMIN.1).unwrap();
        let browser = Arc::new(PlayedBrowser::default());
        let app = mock_builder()
            .plugin(
                tauri_plugin_latchkey::Builder::new()
                    .vault(vault.clone())
                    .lock_sources(Vec::new())
                    .browser(browser.clone())
                    .refresh_every(std::time::Duration::from_millis(300))
                    .build(),
            )
            .invoke_handler(latchkey_lib::commands())
            .build(latchkey_lib::context())
            .unwrap();
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        Self {
            dir,
            clock,
            browser,
            provider: Some(provider),
            issuer,
            _app: app,
            webview,
            _runtime: runtime,
        }
    }

    fn call(&self, command: &str, args: Value) -> Result<Value, Value> {
        invoke(&self.webview, &format!("plugin:latchkey|{command}"), args)
    }

    /// The admin adds the running provider: admins are those in `desk-admins`.
    fn add_provider(&self, link_by_email: bool) -> i64 {
        let setup = json!({
            "name": "Clinic ID", "issuer": self.issuer, "clientId": "latchkey-desk",
            "scopes": "email profile groups", "emailClaim": "email",
            "adminClaim": "groups", "adminValue": "desk-admins",
            "linkByEmail": link_by_email, "offlineDays": 7
        });
        let added = self
            .call(
                "save_identity_provider",
                json!({"request": {"setup": setup}}),
            )
            .unwrap();
        assert_eq!(added["setup"]["issuer"], self.issuer.as_str());
        added["id"].as_i64().unwrap()
    }

    /// A whole sign-in through the provider with `visit` in the browser.
    fn sign_in(&self, provider: i64, visit: Visit) -> Result<Value, Value> {
        self.browser.will(visit);
        let started = self.call(
            "begin_organisation_sign_in",
            json!({"request": {"providerId": provider}}),
        )?;
        assert_eq!(started["provider"], "Clinic ID");
        assert_eq!(started["browserOpened"], true);
        self.call("finish_organisation_sign_in", json!({}))
    }

    fn set_people(&self, people: &str) {
        std::fs::write(self.dir.path().join("people.json"), people).unwrap();
    }

    fn accounts(&self) -> i64 {
        let conn = rusqlite::Connection::open(self.dir.path().join("vault.sqlite")).unwrap();
        conn.query_row("SELECT count(*) FROM users", [], |row| row.get(0))
            .unwrap()
    }

    /// The audit rows of `event`, newest first, read by the admin at another instance.
    fn audit(&self, event: AuditEvent) -> Vec<vault::AuditEntry> {
        let console =
            open_vault(&self.dir.path().join("vault.sqlite"), self.clock.clone()).unwrap();
        console.login(ADMIN.0, &ADMIN.1.into()).unwrap();
        let session = console.verify_session().unwrap();
        let query = AuditQuery {
            event: Some(event),
            ..AuditQuery::default()
        };
        console
            .audit_log(&vault::require_admin(&session).unwrap(), &query)
            .unwrap()
            .items
    }

    /// The provider stops: the network to it is gone.
    fn provider_goes_away(&mut self) {
        drop(self.provider.take());
        // Give the process a moment to close its port.
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
}

/// The wall clock: the provider's tokens are checked against it.
fn now() -> i64 {
    let elapsed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(elapsed.as_secs()).unwrap()
}

fn conflict(reply: &Result<Value, Value>) -> String {
    let error = reply.as_ref().expect_err("a refusal");
    format!(
        "{}/{}",
        error["code"].as_str().unwrap_or_default(),
        error["conflict"].as_str().unwrap_or_default()
    )
}

#[test]
fn people_sign_in_through_the_provider_with_the_mapped_role() {
    let f = Fixture::new();
    let provider = f.add_provider(false);
    let listed = f.call("organisation_providers", json!({})).unwrap();
    assert_eq!(listed, json!([{"id": provider, "name": "Clinic ID"}]));

    let mina = f.sign_in(provider, Visit::SignIn("mina")).unwrap();
    assert_eq!(mina["email"], "mina@clinic.example");
    assert_eq!(mina["displayName"], "Mina Park");
    assert_eq!(mina["role"], "admin");
    assert_eq!(mina["secondFactorDue"], false);
    // Nothing of the protocol reaches the webview: the reply is the person.
    let keys: Vec<&str> = mina
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for secret in ["code", "token", "idToken", "verifier", "state", "nonce"] {
        assert!(!keys.contains(&secret), "{keys:?}");
    }
    let link = f.call("organisation_link", json!({})).unwrap();
    assert_eq!(link["provider"], "Clinic ID");
    assert_eq!(link["hasOfflinePassword"], false);
    // Mina is an admin here now: the console answers her.
    f.call("identity_providers", json!({})).unwrap();

    let jo = f.sign_in(provider, Visit::SignIn("jo")).unwrap();
    assert_eq!(jo["role"], "user");
    assert_eq!(
        f.call("identity_providers", json!({})).unwrap_err()["code"],
        "Forbidden"
    );
    // Jo again: the same account, not a new one.
    let accounts = f.accounts();
    let again = f.sign_in(provider, Visit::SignIn("jo")).unwrap();
    assert_eq!(again["id"], jo["id"]);
    assert_eq!(f.accounts(), accounts);
    let through = f
        .audit(AuditEvent::SignIn)
        .into_iter()
        .filter(|e| e.detail.as_deref() == Some("through Clinic ID"))
        .count();
    assert_eq!(through, 3);
}

#[test]
fn a_forged_or_misdirected_redirect_and_a_replayed_code_sign_nobody_in() {
    let f = Fixture::new();
    let provider = f.add_provider(false);
    f.call("logout", json!({})).unwrap();
    let accounts = f.accounts();
    let forged = f.sign_in(provider, Visit::ForgedState("jo"));
    assert_eq!(conflict(&forged), "Conflict/organisationStateMismatch");
    let misdirected = f.sign_in(provider, Visit::WrongPath("jo"));
    assert_eq!(conflict(&misdirected), "Conflict/organisationWrongPath");
    assert_eq!(f.accounts(), accounts, "nothing was created");
    assert_eq!(
        f.call("current_user", json!({})).unwrap_err()["code"],
        "NotAuthenticated"
    );

    f.sign_in(provider, Visit::SignIn("jo")).unwrap();
    f.call("logout", json!({})).unwrap();
    let replayed = f.sign_in(provider, Visit::Replay("jo"));
    assert_eq!(conflict(&replayed), "Conflict/organisationCodeRefused");
    assert_eq!(
        f.call("current_user", json!({})).unwrap_err()["code"],
        "NotAuthenticated"
    );
    // Finishing twice, or with nothing started, is refused plainly.
    assert_eq!(
        conflict(&f.call("finish_organisation_sign_in", json!({}))),
        "Conflict/noOrganisationSignIn"
    );
}

#[test]
fn a_sign_in_waiting_for_the_browser_can_be_cancelled() {
    let f = Fixture::new();
    let provider = f.add_provider(false);
    f.browser.will(Visit::Away);
    f.call(
        "begin_organisation_sign_in",
        json!({"request": {"providerId": provider}}),
    )
    .unwrap();
    let webview = f.webview.clone();
    let waiting = std::thread::spawn(move || {
        invoke(
            &webview,
            "plugin:latchkey|finish_organisation_sign_in",
            json!({}),
        )
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    f.call("cancel_organisation_sign_in", json!({})).unwrap();
    let finished = waiting.join().unwrap();
    assert_eq!(conflict(&finished), "Conflict/organisationSignInCancelled");
    // A cancel that comes before the wait ends the wait all the same.
    f.call(
        "begin_organisation_sign_in",
        json!({"request": {"providerId": provider}}),
    )
    .unwrap();
    f.call("cancel_organisation_sign_in", json!({})).unwrap();
    assert_eq!(
        conflict(&f.call("finish_organisation_sign_in", json!({}))),
        "Conflict/noOrganisationSignIn"
    );
}

#[test]
fn the_local_password_signs_in_only_while_the_provider_is_unreachable() {
    let mut f = Fixture::new();
    let provider = f.add_provider(false);
    f.sign_in(provider, Visit::SignIn("jo")).unwrap();
    f.call(
        "set_offline_password",
        json!({"request": {"newPassword": JO_PASSWORD}}),
    )
    .unwrap();
    let link = f.call("organisation_link", json!({})).unwrap();
    assert_eq!(link["hasOfflinePassword"], true);
    let password = json!({"request": {"email": "jo@clinic.example", "password": JO_PASSWORD}});
    // The provider answers: its sign-in, not the local password.
    assert_eq!(
        conflict(&f.call("login", password.clone())),
        "Conflict/useOrganisationSignIn"
    );

    // The network is gone: the password works, for seven days.
    f.provider_goes_away();
    f.clock.advance(2 * 24 * 60 * 60);
    let offline = f.call("login", password.clone()).unwrap();
    assert_eq!(offline["email"], "jo@clinic.example");
    let rows = f.audit(AuditEvent::OfflineSignIn);
    assert_eq!(rows[0].outcome, Outcome::Success);
    f.call("logout", json!({})).unwrap();
    f.clock.advance(5 * 24 * 60 * 60);
    assert_eq!(
        conflict(&f.call("login", password)),
        "Conflict/offlineWindowPassed"
    );
}

#[test]
fn a_person_disabled_at_the_provider_loses_their_session_and_their_offline_sign_in() {
    let mut f = Fixture::new();
    let provider = f.add_provider(false);
    f.sign_in(provider, Visit::SignIn("jo")).unwrap();
    f.call(
        "set_offline_password",
        json!({"request": {"newPassword": JO_PASSWORD}}),
    )
    .unwrap();
    // Jo is still accepted: the refresh checks leave the session alone.
    std::thread::sleep(std::time::Duration::from_millis(800));
    f.call("current_user", json!({})).unwrap();

    // The provider disables Jo. Within a check or two, Jo's session here ends.
    f.set_people(r#"{"jo": {"email": "jo@clinic.example", "name": "Jo Lee", "disabled": true}}"#);
    let mut ended = false;
    for _ in 0..100 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        if f.call("current_user", json!({})).unwrap_err_or_ok() == Some("NotAuthenticated".into()) {
            ended = true;
            break;
        }
    }
    assert!(ended, "the session outlived the provider's refusal");
    let revoked = f.audit(AuditEvent::SessionsRevoked);
    assert!(
        revoked[0]
            .detail
            .as_deref()
            .is_some_and(|d| d.starts_with("Clinic ID no longer accepts this person")),
        "{revoked:?}"
    );

    // A sign-in through the provider is refused at its own page; and with the provider
    // gone, the offline password is refused too.
    f.provider_goes_away();
    let password = json!({"request": {"email": "jo@clinic.example", "password": JO_PASSWORD}});
    assert_eq!(
        conflict(&f.call("login", password)),
        "Conflict/organisationRefused"
    );
}

trait ErrorCode {
    /// The error's code, or `None` for a success.
    fn unwrap_err_or_ok(self) -> Option<String>;
}

impl ErrorCode for Result<Value, Value> {
    fn unwrap_err_or_ok(self) -> Option<String> {
        self.err()
            .and_then(|e| e["code"].as_str().map(str::to_owned))
    }
}
