//! The app's updates against a static update server on loopback: the manifest the
//! release workflow publishes (`latest.json`), packages signed with a release key made
//! for the test, and the app's real update commands on Tauri's mock runtime with a real
//! vault file. A package that does not match its signature, one signed by another key,
//! and an old package passed off as a new version are refused, audited and never
//! installed; a good one is installed over a file the test owns.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use latchkey_lib::updates::{self, UpdateSource};
use serde_json::{Value, json};
use tauri::test::{MockRuntime, mock_builder};
use tauri::{App, WebviewWindow, WebviewWindowBuilder};
use tauri_plugin_latchkey::testing::{first_admin, invoke, open_vault};
use tempfile::TempDir;
use vault::{AuditEvent, AuditQuery, FixedClock, NewAccount, Outcome, Role, Vault};

const ADMIN: (&str, &str) = ("admin@updates.example", "granite owl above the ferry");
const NEXT: &str = "99.0.0";

/// A release key: the public half as the app's configuration holds it, and a signer.
struct ReleaseKey {
    public: String,
    pair: minisign::KeyPair,
}

impl ReleaseKey {
    fn new() -> Self {
        let pair = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
        let public = STANDARD.encode(pair.pk.to_box().unwrap().to_string());
        Self { public, pair }
    }

    /// The `.sig` file the bundler writes for `bytes`, signed for `version`.
    fn sign(&self, bytes: &[u8], version: &str) -> String {
        let trusted = format!("timestamp:1796083200\tfile:latchkey.AppImage\tversion:{version}");
        let signature = minisign::sign(
            Some(&self.pair.pk),
            &self.pair.sk,
            std::io::Cursor::new(bytes),
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        STANDARD.encode(signature.to_string())
    }
}

/// A static file server on 127.0.0.1 that answers each request with the file at its
/// path, or 404.
struct Server {
    base: String,
    files: Arc<Mutex<HashMap<String, Vec<u8>>>>,
}

impl Server {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let files: Arc<Mutex<HashMap<String, Vec<u8>>>> = Arc::default();
        let served = files.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    continue;
                }
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = request.split(' ').nth(1).unwrap_or("/").to_owned();
                let file = served.lock().unwrap().get(&path).cloned();
                let reply = match file {
                    Some(body) => {
                        let mut reply = format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .into_bytes();
                        reply.extend(body);
                        reply
                    }
                    None => {
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_vec()
                    }
                };
                let _ = stream.write_all(&reply);
            }
        });
        Self { base, files }
    }

    fn put(&self, path: &str, body: impl Into<Vec<u8>>) {
        self.files.lock().unwrap().insert(path.into(), body.into());
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Publishes `package` as version `version` with `signature`, as the release
    /// workflow's `latest.json` names it for this system.
    fn publish(&self, version: &str, package: &[u8], signature: &str) {
        self.put("/latchkey.AppImage", package.to_vec());
        let os = match std::env::consts::OS {
            "macos" => "darwin",
            other => other,
        };
        let platform = format!("{os}-{}", std::env::consts::ARCH);
        let manifest = json!({
            "version": version,
            "notes": "Faster sign-in.",
            "pub_date": "2026-12-01T09:00:00Z",
            "platforms": {
                platform: {
                    "signature": signature,
                    "url": self.url("/latchkey.AppImage"),
                }
            }
        });
        self.put("/latest.json", manifest.to_string());
    }
}

/// An ELF file, as an AppImage is: the updater refuses anything else on Linux.
fn package(marker: &str) -> Vec<u8> {
    let mut bytes = std::fs::read(std::env::current_exe().unwrap()).unwrap();
    bytes.truncate(4096);
    bytes.extend(marker.as_bytes());
    bytes
}

struct Fixture {
    _dir: TempDir,
    vault: Arc<Vault>,
    clock: Arc<FixedClock>,
    _app: App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
    /// The installed "app" an update replaces.
    installed: PathBuf,
}

const INSTALLED: &[u8] = b"\x7fELF the version installed now";

fn fixture(key: &ReleaseKey, server: &Server) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(1_796_083_200));
    let vault = open_vault(&dir.path().join("vault.sqlite"), clock.clone()).unwrap();
    first_admin(&vault, ADMIN.0, "Update Admin", ADMIN.1).unwrap();
    let installed = dir.path().join("latchkey.AppImage");
    std::fs::write(&installed, INSTALLED).unwrap();
    let source = UpdateSource::new(
        key.public.clone(),
        vec![server.url("/latest.json").parse().unwrap()],
    )
    .install_to(&installed);
    let app = mock_builder()
        .plugin(
            tauri_plugin_latchkey::Builder::new()
                .vault(vault.clone())
                .lock_sources(Vec::new())
                .build(),
        )
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(updates::plugin(source))
        .invoke_handler(latchkey_lib::commands())
        .build(latchkey_lib::context())
        .unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Fixture {
        _dir: dir,
        vault,
        clock,
        _app: app,
        webview,
        installed,
    }
}

impl Fixture {
    fn call(&self, command: &str) -> Result<Value, Value> {
        invoke(&self.webview, command, json!({}))
    }

    fn update_rows(&self) -> Vec<(Outcome, String)> {
        let session = self.vault.verify_session().unwrap();
        let admin = vault::require_admin(&session).unwrap();
        let query = AuditQuery {
            event: Some(AuditEvent::UpdateInstalled),
            ..AuditQuery::default()
        };
        let mut rows: Vec<_> = self
            .vault
            .audit_log(&admin, &query)
            .unwrap()
            .items
            .into_iter()
            .map(|entry| (entry.outcome, entry.detail.unwrap_or_default()))
            .collect();
        rows.reverse();
        rows
    }

    fn installed(&self) -> Vec<u8> {
        std::fs::read(&self.installed).unwrap()
    }

    /// Every update command is refused with `code`.
    fn nothing_answers(&self, code: &str) {
        for command in updates::COMMANDS {
            assert_eq!(self.call(command).unwrap_err()["code"], code, "{command}");
        }
    }

    /// The offered package is refused as not signed for this update, and the installed
    /// file is untouched.
    fn install_is_refused(&self) {
        assert_eq!(
            conflict(&self.call("install_update").unwrap_err()),
            "updateRefused"
        );
        assert_eq!(self.installed(), INSTALLED);
    }
}

fn conflict(reply: &Value) -> &str {
    reply["conflict"].as_str().unwrap_or_default()
}

#[test]
fn a_signed_update_is_offered_verified_installed_and_audited() {
    let key = ReleaseKey::new();
    let server = Server::start();
    let update = package("version 99");
    server.publish(NEXT, &update, &key.sign(&update, NEXT));
    let f = fixture(&key, &server);

    let status = f.call("update_status").unwrap();
    assert_eq!(status["enabled"], true);
    assert_eq!(status["server"], "127.0.0.1");
    let offer = f.call("check_for_update").unwrap();
    assert_eq!(offer["version"], NEXT);
    assert_eq!(offer["currentVersion"], env!("CARGO_PKG_VERSION"));
    assert_eq!(offer["notes"], "Faster sign-in.");
    assert_eq!(offer["published"], "2026-12-01T09:00:00Z");
    // Nothing is downloaded or installed by a check.
    assert_eq!(f.installed(), INSTALLED);

    assert_eq!(f.call("install_update").unwrap(), NEXT);
    assert_eq!(
        f.installed(),
        update,
        "the update replaced the installed file"
    );
    // Installed once: nothing is left to install.
    assert_eq!(
        conflict(&f.call("install_update").unwrap_err()),
        "noUpdatePending"
    );
    let rows = f.update_rows();
    assert_eq!(
        rows,
        [(
            Outcome::Success,
            format!(
                "{} -> {NEXT}, signature verified",
                env!("CARGO_PKG_VERSION")
            )
        )]
    );
    let session = f.vault.verify_session().unwrap();
    let admin = vault::require_admin(&session).unwrap();
    assert!(f.vault.verify_audit_chain(&admin).unwrap().intact);
}

#[test]
fn a_package_changed_after_signing_is_refused_and_not_installed() {
    let key = ReleaseKey::new();
    let server = Server::start();
    let update = package("version 99");
    let signature = key.sign(&update, NEXT);
    let mut tampered = update.clone();
    *tampered.last_mut().unwrap() ^= 1;
    server.publish(NEXT, &tampered, &signature);
    let f = fixture(&key, &server);

    assert_eq!(f.call("check_for_update").unwrap()["version"], NEXT);
    let refused = f.call("install_update").unwrap_err();
    assert_eq!(refused["code"], "Conflict");
    assert_eq!(conflict(&refused), "updateRefused");
    assert_eq!(f.installed(), INSTALLED);
    // The offer stays: a second try is checked (and refused) again.
    assert_eq!(
        conflict(&f.call("install_update").unwrap_err()),
        "updateRefused"
    );
    let rows = f.update_rows();
    assert_eq!(rows.len(), 2);
    for (outcome, detail) in &rows {
        assert_eq!(*outcome, Outcome::Failure);
        assert!(detail.contains("signature does not match"), "{rows:?}");
    }
}

#[test]
fn a_package_signed_by_another_key_is_refused() {
    let key = ReleaseKey::new();
    let stranger = ReleaseKey::new();
    let server = Server::start();
    let update = package("version 99");
    server.publish(NEXT, &update, &stranger.sign(&update, NEXT));
    let f = fixture(&key, &server);

    f.call("check_for_update").unwrap();
    f.install_is_refused();
}

#[test]
fn an_old_signed_package_announced_as_a_new_version_is_refused() {
    let key = ReleaseKey::new();
    let server = Server::start();
    // A genuine package of an older release, under a manifest that claims 99.0.0.
    let old = package("version 0.0.9");
    server.publish(NEXT, &old, &key.sign(&old, "0.0.9"));
    let f = fixture(&key, &server);

    assert_eq!(f.call("check_for_update").unwrap()["version"], NEXT);
    f.install_is_refused();
}

#[test]
fn the_same_or_an_older_version_is_no_update() {
    let key = ReleaseKey::new();
    let server = Server::start();
    let old = package("version 0.0.1");
    server.publish("0.0.1", &old, &key.sign(&old, "0.0.1"));
    let f = fixture(&key, &server);

    assert_eq!(f.call("check_for_update").unwrap(), Value::Null);
    // Nothing to install until a check offered something.
    assert_eq!(
        conflict(&f.call("install_update").unwrap_err()),
        "noUpdatePending"
    );
    assert_eq!(
        conflict(&f.call("restart_after_update").unwrap_err()),
        "noUpdatePending"
    );
}

#[test]
fn a_broken_manifest_or_a_missing_server_is_a_typed_error() {
    let key = ReleaseKey::new();
    let server = Server::start();
    let f = fixture(&key, &server);
    // Nothing published: 404.
    assert_eq!(
        conflict(&f.call("check_for_update").unwrap_err()),
        "updateInvalid"
    );
    server.put("/latest.json", "<html>not a manifest</html>");
    assert_eq!(
        conflict(&f.call("check_for_update").unwrap_err()),
        "updateInvalid"
    );
    server.put(
        "/latest.json",
        r#"{"version": "not a version", "platforms": {}}"#,
    );
    assert_eq!(
        conflict(&f.call("check_for_update").unwrap_err()),
        "updateInvalid"
    );

    // A port nobody listens on.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/latest.json", closed.local_addr().unwrap());
    drop(closed);
    let dir = tempfile::tempdir().unwrap();
    let vault = open_vault(
        &dir.path().join("vault.sqlite"),
        Arc::new(FixedClock::new(0)),
    )
    .unwrap();
    first_admin(&vault, ADMIN.0, "Update Admin", ADMIN.1).unwrap();
    let app = mock_builder()
        .plugin(tauri_plugin_latchkey::Builder::new().vault(vault).build())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(updates::plugin(UpdateSource::new(
            key.public.clone(),
            vec![url.parse().unwrap()],
        )))
        .invoke_handler(latchkey_lib::commands())
        .build(latchkey_lib::context())
        .unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let unreachable = invoke(&webview, "check_for_update", json!({})).unwrap_err();
    assert_eq!(unreachable["code"], "Unreachable");
}

#[test]
fn only_an_admin_checks_and_only_after_a_recent_password_check_installs() {
    let key = ReleaseKey::new();
    let server = Server::start();
    let update = package("version 99");
    server.publish(NEXT, &update, &key.sign(&update, NEXT));
    let f = fixture(&key, &server);

    // A stale admin (busy for six minutes without a password check) may check but not
    // install, and nothing is downloaded or recorded.
    for _ in 0..6 {
        f.clock.advance(60);
        f.vault.verify_session().unwrap();
    }
    f.call("check_for_update").unwrap();
    assert_eq!(
        f.call("install_update").unwrap_err()["code"],
        "ReauthRequired"
    );
    assert_eq!(f.installed(), INSTALLED);
    assert!(f.update_rows().is_empty());

    // A person who is not an admin is refused every update command but the status.
    let session = f.vault.verify_session().unwrap();
    f.vault
        .reauthenticate(&session, &ADMIN.1.into(), None)
        .unwrap();
    let session = f.vault.verify_session().unwrap();
    let admin = vault::require_admin(&session).unwrap();
    let person = NewAccount {
        email: "user@updates.example".into(),
        display_name: "Desk User".into(),
        role: Role::User,
        team: None,
        phone: None,
    };
    let user = f.vault.create_account(&admin, &person).unwrap();
    f.vault.logout().unwrap();
    let temporary = user.temporary_password.expose().to_owned();
    f.vault
        .login(&person.email, &temporary.clone().into())
        .unwrap();
    let session = f.vault.verify_session().unwrap();
    f.vault
        .change_password(
            &session,
            &temporary.into(),
            &"lantern moss beside the canal".into(),
        )
        .unwrap();
    assert_eq!(f.call("update_status").unwrap()["enabled"], true);
    for command in ["check_for_update", "install_update", "restart_after_update"] {
        assert_eq!(
            f.call(command).unwrap_err()["code"],
            "Forbidden",
            "{command}"
        );
    }

    // A locked session, an expired one, and nobody signed in: nothing at all.
    f.vault.lock_session(vault::LockReason::Manual).unwrap();
    f.nothing_answers("SessionLocked");
    f.vault.logout().unwrap();
    f.nothing_answers("NotAuthenticated");
    // An expired session is reported once, then it is gone: one fresh one per command.
    for command in updates::COMMANDS {
        f.vault.login(ADMIN.0, &ADMIN.1.into()).unwrap();
        f.clock
            .advance(vault::SessionPolicy::default().absolute_seconds());
        assert_eq!(
            f.call(command).unwrap_err()["code"],
            "SessionExpired",
            "{command}"
        );
    }
    assert_eq!(f.installed(), INSTALLED);
}

#[test]
fn a_build_without_a_release_key_has_updates_off() {
    let context = latchkey_lib::context::<MockRuntime>();
    let source = UpdateSource::from_config(context.config(), None);
    assert!(!source.is_on(), "the repository's configuration has no key");
    let with_server = UpdateSource::from_config(
        context.config(),
        Some("https://updates.example.org/latchkey/latest.json"),
    );
    assert!(!with_server.is_on(), "a server alone is not enough");
}

#[test]
fn the_webview_cannot_reach_the_updater_plugin_directly() {
    let key = ReleaseKey::new();
    let server = Server::start();
    let f = fixture(&key, &server);
    for command in [
        "plugin:updater|check",
        "plugin:updater|download_and_install",
    ] {
        let refused = invoke(&f.webview, command, json!({})).unwrap_err();
        assert!(
            refused.to_string().contains("not allowed"),
            "{command}: {refused}"
        );
    }
}

/// SECURITY.md's table of the app's own commands names each with its permission, and
/// the access the tests above show.
#[test]
fn the_security_doc_lists_the_update_commands() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/SECURITY.md")).unwrap();
    let documented: Vec<(String, String, String, String)> = text
        .lines()
        .filter(|line| line.starts_with("| `") && line.contains("| `allow-"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (
                cells[1].trim_matches('`').to_owned(),
                cells[2].trim_matches('`').to_owned(),
                cells[3].to_owned(),
                cells[4].to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String, String, String)> = updates::COMMANDS
        .iter()
        .map(|command| {
            let (who, step_up) = match *command {
                "update_status" => ("signed in", "no"),
                "install_update" => ("admin", "always"),
                _ => ("admin", "no"),
            };
            (
                (*command).to_owned(),
                updates::permission(command),
                who.to_owned(),
                step_up.to_owned(),
            )
        })
        .collect();
    assert_eq!(documented, expected);
}
