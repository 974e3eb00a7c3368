//! A host's own commands with a `Session` or `AdminSession` argument, on Tauri's mock
//! runtime with a real vault file: the body runs only for a verified session, and a
//! refused call gets the same typed reply as the plugin's own commands.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use tauri::test::{MockRuntime, mock_builder, mock_context};
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};
use tauri_plugin_latchkey::testing::{self, invoke};
use tauri_plugin_latchkey::{AdminSession, ErrorReply, Session, verify_session};
use vault::{FixedClock, NewAccount, Role, SessionPolicy, Vault};

const ADMIN: (&str, &str) = ("admin@host.example", "granite owl above the ferry");
const USER: (&str, &str) = ("user@host.example", "lantern moss beside the canal");

/// How many times a host command's body ran.
#[derive(Default)]
struct Runs(AtomicUsize);

/// A host data function: it cannot be called without the proof.
fn note_owner(session: &Session) -> i64 {
    session.user_id().0
}

#[tauri::command]
async fn whoami(runs: tauri::State<'_, Runs>, session: Session) -> Result<i64, ErrorReply> {
    runs.0.fetch_add(1, Ordering::SeqCst);
    Ok(note_owner(&session))
}

#[tauri::command]
fn admin_only(runs: tauri::State<'_, Runs>, admin: AdminSession) -> Result<String, ErrorReply> {
    runs.0.fetch_add(1, Ordering::SeqCst);
    Ok(format!("{:?}", admin.role()))
}

struct Host {
    _dir: tempfile::TempDir,
    vault: Arc<Vault>,
    clock: Arc<FixedClock>,
    app: App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
    temporary: String,
}

fn host() -> Host {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(1_795_737_600));
    let vault = testing::open_vault(&dir.path().join("vault.sqlite"), clock.clone()).unwrap();
    testing::first_admin(&vault, ADMIN.0, "Host Admin", ADMIN.1).unwrap();
    let session = vault.verify_session().unwrap();
    let admin = vault::require_admin(&session).unwrap();
    let created = vault
        .create_account(
            &admin,
            &NewAccount {
                email: USER.0.into(),
                display_name: "Host User".into(),
                role: Role::User,
                team: None,
                phone: None,
            },
        )
        .unwrap();
    vault.logout().unwrap();
    let app = mock_builder()
        .plugin(
            tauri_plugin_latchkey::Builder::new()
                .vault(vault.clone())
                .export_dir(dir.path())
                .lock_sources(Vec::new())
                .build(),
        )
        .manage(Runs::default())
        .invoke_handler(tauri::generate_handler![whoami, admin_only])
        .build(mock_context(tauri::test::noop_assets()))
        .unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Host {
        _dir: dir,
        vault,
        clock,
        app,
        webview,
        temporary: created.temporary_password.expose().to_owned(),
    }
}

impl Host {
    fn call(&self, command: &str) -> Result<Value, Value> {
        invoke(&self.webview, command, json!({}))
    }

    fn runs(&self) -> usize {
        self.app.state::<Runs>().0.load(Ordering::SeqCst)
    }

    /// Calls `command`, expecting the refusal `code` and an untouched body.
    fn refused(&self, command: &str, code: &str) {
        let before = self.runs();
        let error = self.call(command).expect_err(command);
        assert_eq!(error["code"], json!(code), "{command}: {error}");
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert_eq!(self.runs(), before, "{command}'s body ran");
    }
}

#[test]
fn without_a_session_the_body_never_runs() {
    let host = host();
    host.refused("whoami", "NotAuthenticated");
    host.refused("admin_only", "NotAuthenticated");
    assert!(verify_session(&host.app).is_err());
}

#[test]
fn a_signed_in_person_reaches_the_body_with_their_own_account() {
    let host = host();
    host.vault.login(ADMIN.0, &ADMIN.1.into()).unwrap();
    let id = host.vault.verify_session().unwrap().user_id().0;
    assert_eq!(host.call("whoami").unwrap(), json!(id));
    assert_eq!(host.call("admin_only").unwrap(), json!("Admin"));
    assert_eq!(host.runs(), 2);
    assert_eq!(verify_session(&host.app).unwrap().user_id().0, id);
}

#[test]
fn a_user_is_forbidden_an_admin_session_argument() {
    let host = host();
    host.vault
        .login(USER.0, &host.temporary.clone().into())
        .unwrap();
    let session = host.vault.verify_session().unwrap();
    host.vault
        .change_password(&session, &host.temporary.clone().into(), &USER.1.into())
        .unwrap();
    host.refused("admin_only", "Forbidden");
    assert!(host.call("whoami").is_ok());
}

#[test]
fn a_pending_password_change_holds_back_the_host_s_data() {
    let host = host();
    host.vault
        .login(USER.0, &host.temporary.clone().into())
        .unwrap();
    host.refused("whoami", "PasswordChangeRequired");
}

#[test]
fn a_locked_session_is_refused_until_its_person_unlocks_it() {
    let host = host();
    host.vault.login(ADMIN.0, &ADMIN.1.into()).unwrap();
    host.vault.lock_session(vault::LockReason::Manual).unwrap();
    host.refused("whoami", "SessionLocked");
    host.refused("admin_only", "SessionLocked");
    host.clock.advance(1);
    let screen = host.vault.locked_session().unwrap().unwrap();
    host.vault
        .unlock_session(&screen.last.unwrap(), &ADMIN.1.into())
        .unwrap();
    assert!(host.call("whoami").is_ok());
}

#[test]
fn an_expired_or_ended_session_is_refused() {
    let host = host();
    host.vault.login(ADMIN.0, &ADMIN.1.into()).unwrap();
    assert!(host.call("whoami").is_ok());
    host.clock
        .advance(SessionPolicy::default().absolute_seconds());
    host.refused("whoami", "SessionExpired");
    host.vault.login(ADMIN.0, &ADMIN.1.into()).unwrap();
    host.vault.logout().unwrap();
    host.refused("admin_only", "NotAuthenticated");
}

#[test]
fn without_the_plugin_the_argument_fails_closed() {
    #[allow(clippy::needless_pass_by_value, reason = "a command argument")]
    #[tauri::command]
    fn lonely(_session: Session) -> Result<(), ErrorReply> {
        Ok(())
    }
    let app = mock_builder()
        .invoke_handler(tauri::generate_handler![lonely])
        .build(mock_context(tauri::test::noop_assets()))
        .unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let error = invoke(&webview, "lonely", json!({})).expect_err("refused");
    assert_eq!(error["code"], json!("Internal"));
}
