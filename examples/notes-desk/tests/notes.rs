//! Notes Desk on Tauri's mock runtime, with its real capability file and a real vault:
//! each person reads only their own notes, nobody reads any without a session, and the
//! window that was granted `latchkey:default` alone cannot reach the admin console.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::sync::Arc;

use notes_desk::Notes;
use serde_json::{Value, json};
use tauri::test::{MockRuntime, mock_builder};
use tauri::{WebviewWindow, WebviewWindowBuilder};
use tauri_plugin_latchkey::testing::{self, invoke};
use vault::{FixedClock, NewAccount, Role, Vault};

const ADA: (&str, &str) = ("ada@desk.example", "granite owl above the ferry");
const BEN: (&str, &str) = ("ben@desk.example", "lantern moss beside the canal");

struct Desk {
    _dir: tempfile::TempDir,
    vault: Arc<Vault>,
    _app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

fn desk() -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(1_795_737_600));
    let vault = testing::open_vault(&dir.path().join("vault.sqlite"), clock).unwrap();
    testing::first_admin(&vault, ADA.0, "Ada", ADA.1).unwrap();
    let session = vault.verify_session().unwrap();
    let admin = vault::require_admin(&session).unwrap();
    let ben = NewAccount {
        email: BEN.0.into(),
        display_name: "Ben".into(),
        role: Role::User,
        team: None,
        phone: None,
    };
    let issued = vault
        .create_account(&admin, &ben)
        .unwrap()
        .temporary_password;
    let temporary: vault::SecretString = issued.expose().into();
    vault.login(BEN.0, &temporary).unwrap();
    let session = vault.verify_session().unwrap();
    vault
        .change_password(&session, &temporary, &BEN.1.into())
        .unwrap();
    vault.logout().unwrap();

    let plugin = tauri_plugin_latchkey::Builder::new()
        .vault(vault.clone())
        .export_dir(dir.path())
        .build();
    let app = notes_desk::builder(mock_builder(), plugin)
        .manage(Notes::open(&dir.path().join("notes.sqlite")).unwrap())
        .build(notes_desk::context())
        .unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Desk {
        _dir: dir,
        vault,
        _app: app,
        webview,
    }
}

impl Desk {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke(&self.webview, cmd, args)
    }

    fn notes(&self) -> Vec<String> {
        let notes = self.call("list_notes", json!({})).unwrap();
        notes
            .as_array()
            .unwrap()
            .iter()
            .map(|note| note["text"].as_str().unwrap().to_owned())
            .collect()
    }

    fn sign_in(&self, who: (&str, &str)) {
        self.call(
            "plugin:latchkey|login",
            json!({"request": {"email": who.0, "password": who.1}}),
        )
        .unwrap();
    }
}

#[test]
fn each_person_sees_only_their_own_notes() {
    let desk = desk();
    desk.sign_in(ADA);
    desk.call("add_note", json!({"text": "Ada's shift handover"}))
        .unwrap();
    assert_eq!(desk.notes(), ["Ada's shift handover"]);
    desk.call("plugin:latchkey|logout", json!({})).unwrap();

    desk.sign_in(BEN);
    assert!(desk.notes().is_empty());
    desk.call("add_note", json!({"text": "Ben's order list"}))
        .unwrap();
    assert_eq!(desk.notes(), ["Ben's order list"]);

    desk.sign_in(ADA);
    assert_eq!(desk.notes(), ["Ada's shift handover"]);
}

#[test]
fn without_a_session_the_notes_commands_refuse_and_write_nothing() {
    let desk = desk();
    for (cmd, args) in [
        ("list_notes", json!({})),
        ("add_note", json!({"text": "slipped in"})),
    ] {
        let error = desk.call(cmd, args).expect_err(cmd);
        assert_eq!(error["code"], json!("NotAuthenticated"), "{cmd}: {error}");
    }
    desk.sign_in(ADA);
    assert!(desk.notes().is_empty());
}

#[test]
fn an_empty_or_long_note_is_refused_as_bad_input() {
    let desk = desk();
    desk.sign_in(BEN);
    for text in ["   ".to_owned(), "x".repeat(notes_desk::NOTE_MAX_CHARS + 1)] {
        let error = desk.call("add_note", json!({"text": text})).unwrap_err();
        assert_eq!(error["code"], json!("Validation"));
        assert_eq!(error["field"], json!("text"));
    }
    assert!(desk.notes().is_empty());
}

#[test]
fn the_window_reaches_the_sign_in_commands_but_not_the_admin_console() {
    let desk = desk();
    desk.sign_in(ADA);
    // Ada is an admin, and the vault would let her; the host's capability does not.
    assert!(desk.vault.verify_session().is_ok());
    for cmd in [
        "plugin:latchkey|list_accounts",
        "plugin:latchkey|audit_log",
        "plugin:latchkey|copy_secret",
        "plugin:latchkey|export_audit",
    ] {
        let error = desk.call(cmd, json!({"request": {}})).expect_err(cmd);
        assert!(
            error.as_str().is_some_and(|e| e.contains("not allowed")),
            "{cmd}: {error}"
        );
    }
    assert!(desk.call("plugin:latchkey|current_user", json!({})).is_ok());
}
