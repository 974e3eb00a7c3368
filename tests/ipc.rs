//! The plugin's commands as the app's webview calls them (`plugin:latchkey|<command>`),
//! on Tauri's mock runtime with a real vault file and the app's real capability file:
//! the authorization matrix over every registered command, and bad input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::sync::Arc;

use serde_json::{Value, json};
use tauri::test::{MockRuntime, mock_builder};
use tauri::{App, WebviewWindow, WebviewWindowBuilder};
use tauri_plugin_latchkey::command_list::{Access, COMMANDS, Set};
use tauri_plugin_latchkey::save::{InFolder, SaveKind, SaveTo};
use tempfile::TempDir;
use vault::{
    FirstAdmin, FixedClock, HashParams, MemoryStore, NewAccount, Role, SessionPolicy, Vault,
    VaultOptions,
};

const ADMIN: (&str, &str) = ("admin@matrix.example", "granite owl above the ferry");
const USER: (&str, &str) = ("user@matrix.example", "lantern moss beside the canal");

/// Who is at the keyboard when a command is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    NoSession,
    Expired,
    User,
    Admin,
    /// An admin whose last password check is more than five minutes old.
    StaleAdmin,
    /// The user's session, locked.
    Locked,
}

const STATES: [State; 6] = [
    State::NoSession,
    State::Expired,
    State::User,
    State::Admin,
    State::StaleAdmin,
    State::Locked,
];

/// A vault with an admin, a user and a third account to act on, signed in per `State`,
/// inside a mock app with every command registered.
struct Fixture {
    _dir: TempDir,
    path: std::path::PathBuf,
    vault: Arc<Vault>,
    store: Arc<MemoryStore>,
    _app: App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
    clipboard: Arc<tauri_plugin_latchkey::clipboard::MemoryClipboard>,
    /// Answers the save dialog.
    saver: Arc<ScriptedSave>,
    /// A user's account to act on.
    target: i64,
    /// A second admin's account to act on.
    target_admin: i64,
    /// A disabled user's account.
    disabled: i64,
    password: &'static str,
    /// The session the lock screen's commands name: the one signed in or locked, or one
    /// that does not exist.
    session_id: String,
}

/// The person at the save dialog: they take the proposed name in a folder, or a path
/// of their own, or cancel; or they walk away from the open dialog and the session
/// locks meanwhile.
#[derive(Debug)]
struct ScriptedSave {
    folder: InFolder,
    answer: std::sync::Mutex<Answer>,
    asked: std::sync::Mutex<Vec<SaveKind>>,
    shown: std::sync::Mutex<Vec<std::path::PathBuf>>,
}

#[derive(Debug, Clone)]
enum Answer {
    ProposedName,
    Path(std::path::PathBuf),
    Cancel,
    WalkAway(Arc<Vault>),
}

impl ScriptedSave {
    fn new(folder: std::path::PathBuf) -> Self {
        Self {
            folder: InFolder(folder),
            answer: std::sync::Mutex::new(Answer::ProposedName),
            asked: std::sync::Mutex::default(),
            shown: std::sync::Mutex::default(),
        }
    }

    fn answer(&self, answer: Answer) {
        *self.answer.lock().unwrap() = answer;
    }
}

impl SaveTo for ScriptedSave {
    fn choose(&self, kind: SaveKind, name: &str) -> Option<std::path::PathBuf> {
        self.asked.lock().unwrap().push(kind);
        match self.answer.lock().unwrap().clone() {
            Answer::ProposedName => self.folder.choose(kind, name),
            Answer::Path(path) => Some(path),
            Answer::Cancel => None,
            Answer::WalkAway(vault) => {
                vault.lock_session(vault::LockReason::Idle).unwrap();
                self.folder.choose(kind, name)
            }
        }
    }

    fn show(&self, path: &std::path::Path) -> std::io::Result<()> {
        self.shown.lock().unwrap().push(path.to_owned());
        Ok(())
    }
}

fn fixture(state: State) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.sqlite");
    let clock = Arc::new(FixedClock::new(1_795_737_600));
    let options = VaultOptions {
        hash_params: Some(HashParams::insecure_for_tests()),
        session_policy: SessionPolicy::default(),
        clock: clock.clone(),
    };
    let store = Arc::new(MemoryStore::new());
    let vault = Arc::new(Vault::open(&path, store.clone(), options).unwrap());
    let first = FirstAdmin {
        email: ADMIN.0.into(),
        display_name: "Matrix Admin".into(),
        password: ADMIN.1.into(),
    };
    vault.create_first_admin(&first).unwrap();
    let session = vault.verify_session().unwrap();
    let admin = vault::require_admin(&session).unwrap();
    let account = |email: &str| NewAccount {
        email: email.into(),
        display_name: format!("Person {email}"),
        role: Role::User,
        team: Some("matrix".into()),
        phone: Some("010-0000-0000".into()),
    };
    let user = vault.create_account(&admin, &account(USER.0)).unwrap();
    let target = vault
        .create_account(&admin, &account("target@matrix.example"))
        .unwrap()
        .account
        .id
        .0;
    let second_admin = NewAccount {
        role: Role::Admin,
        ..account("second-admin@matrix.example")
    };
    let target_admin = vault
        .create_account(&admin, &second_admin)
        .unwrap()
        .account
        .id;
    let disabled = vault
        .create_account(&admin, &account("disabled@matrix.example"))
        .unwrap()
        .account
        .id;
    vault.set_disabled(&admin, disabled, true).unwrap();
    let temporary = user.temporary_password.expose().to_owned();
    // One failed attempt leaves a throttle row for `unlock_email` to clear.
    assert!(
        vault
            .login("locked@matrix.example", &"a wrong long password".into())
            .is_err()
    );
    // One person signed in at a time: the admin's setup session is not left behind,
    // locked, for the states to find.
    vault.logout().unwrap();
    vault.login(USER.0, &temporary.clone().into()).unwrap();
    let session = vault.verify_session().unwrap();
    vault
        .change_password(&session, &temporary.into(), &USER.1.into())
        .unwrap();
    let user_session = vault.verify_session().unwrap().id().to_owned();
    let password = match state {
        State::NoSession => {
            vault.logout().unwrap();
            USER.1
        }
        State::Expired => {
            clock.advance(SessionPolicy::default().absolute_seconds());
            USER.1
        }
        State::User => USER.1,
        State::Admin => {
            vault.login(ADMIN.0, &ADMIN.1.into()).unwrap();
            ADMIN.1
        }
        State::StaleAdmin => {
            vault.login(ADMIN.0, &ADMIN.1.into()).unwrap();
            // Busy at the desk (so not locked), but without a password check.
            for _ in 0..6 {
                clock.advance(60);
                vault.verify_session().unwrap();
            }
            ADMIN.1
        }
        State::Locked => {
            vault.lock_session(vault::LockReason::Manual).unwrap();
            USER.1
        }
    };
    let session_id = match state {
        State::User | State::Admin | State::StaleAdmin => {
            vault.verify_session().unwrap().id().to_owned()
        }
        State::Locked => vault.locked_session().unwrap().unwrap().last.unwrap(),
        State::Expired => user_session,
        State::NoSession => "AAAAAAAAAAAAAAAAAAAAAA".to_owned(),
    };
    let clipboard = Arc::new(tauri_plugin_latchkey::clipboard::MemoryClipboard::default());
    let saver = Arc::new(ScriptedSave::new(dir.path().join("exports")));
    let plugin = tauri_plugin_latchkey::Builder::new()
        .vault(vault.clone())
        .save_to(saver.clone())
        .clipboard(clipboard.clone(), std::time::Duration::from_millis(50))
        // No OS events: a screen saver on the developer's desktop must not lock the matrix.
        .lock_sources(Vec::new())
        .build();
    let app = mock_builder()
        .plugin(plugin)
        .build(latchkey_lib::context())
        .unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Fixture {
        _dir: dir,
        path,
        vault,
        store,
        _app: app,
        webview,
        clipboard,
        saver,
        target,
        target_admin: target_admin.0,
        disabled: disabled.0,
        password,
        session_id,
    }
}

impl Fixture {
    fn call(&self, command: &str, args: Value) -> Result<Value, Value> {
        self.call_from("tauri://localhost", command, args)
    }

    /// Calls the plugin's `command` as a page at `origin` would.
    fn call_from(&self, origin: &str, command: &str, args: Value) -> Result<Value, Value> {
        self.invoke(origin, &format!("plugin:latchkey|{command}"), args)
    }

    /// Sends `cmd` exactly as named.
    fn invoke(&self, origin: &str, cmd: &str, args: Value) -> Result<Value, Value> {
        tauri_plugin_latchkey::testing::invoke_from(&self.webview, origin, cmd, args)
    }

    /// Every row of the tables a command could change, as text.
    fn snapshot(&self) -> String {
        rusqlite_free::dump(&rusqlite_free::open(&self.path))
    }
}

/// A request that succeeds for an allowed caller.
fn good_request(command: &str, f: &Fixture) -> Value {
    let id = f.target;
    match command {
        "bootstrap_status" | "logout" | "ping" | "current_user" => json!({}),
        "create_first_admin" => {
            json!({"request": {"email": "late@matrix.example", "displayName": "Late", "password": "quiet orchard behind the mill"}})
        }
        "login" => json!({"request": {"email": ADMIN.0, "password": ADMIN.1}}),
        "change_password" => {
            json!({"request": {"currentPassword": f.password, "newPassword": "violet tram beneath the arches"}})
        }
        "get_profile" | "get_account" | "delete_account" | "reset_password" => {
            json!({"request": {"id": id}})
        }
        "update_profile" => {
            json!({"request": {"displayName": "Renamed", "phone": "010 1234 5678"}})
        }
        "team_directory" | "list_accounts" => json!({"request": {"search": "person", "limit": 10}}),
        "create_account" => {
            json!({"request": {"email": "new@matrix.example", "displayName": "New", "role": "user"}})
        }
        "update_account" => {
            json!({"request": {"id": id, "displayName": "Renamed", "team": "other"}})
        }
        "set_role" => json!({"request": {"id": id, "role": "admin"}}),
        "set_disabled" => json!({"request": {"id": id, "disabled": true}}),
        "check_password" => {
            json!({"request": {"password": "orbit vellum kettle lantern", "email": USER.0}})
        }
        "reauthenticate" => json!({"request": {"password": f.password}}),
        "unlock_session" => {
            json!({"request": {"sessionId": f.session_id, "password": f.password}})
        }
        "lock_session" | "locked_session" | "report_activity" | "pin_status" | "clear_pin" => {
            json!({})
        }
        // No PIN is set in the fixture: a locked session answers `Conflict`.
        "unlock_with_pin" => json!({"request": {"sessionId": f.session_id, "pin": "274915"}}),
        "set_pin" => json!({"request": {"password": f.password, "pin": "274915"}}),
        "watch_lock" => json!({"onLock": "__CHANNEL__:1"}),
        "since_last_sign_in"
        | "locked_emails"
        | "verify_audit_chain"
        | "security_health"
        | "break_glass_notice"
        | "acknowledge_break_glass" => json!({}),
        "unlock_email" => json!({"request": {"email": "locked@matrix.example"}}),
        "audit_log" => json!({"request": {"limit": 20}}),
        "export_audit" => json!({"request": {"format": "csv"}}),
        "sign_in_stats" => json!({"request": {"utcOffsetMinutes": 540}}),
        "copy_secret" => json!({"request": {"text": "abcde-fghjk-mnpqr-stuvw"}}),
        "desk_settings" => json!({}),
        "update_desk_settings" => {
            json!({"request": {"autoLockMinutes": 10, "pinWindowHours": 4, "showPeople": false}})
        }
        "check_account_import" => {
            json!({"request": {"csv": "email,name\nimported@matrix.example,Imported Person\n"}})
        }
        "import_accounts" => json!({
            "request": {"csv": "email,name\nimported@matrix.example,Imported Person\n"},
            "onProgress": "__CHANNEL__:1"
        }),
        "save_temporary_passwords" => json!({"request": {"accounts": [
            {"email": "imported@matrix.example", "temporaryPassword": "abcde-fghjk-mnpqr-stuvw"}
        ]}}),
        "export_accounts" => json!({}),
        "sign_in_rules" => json!({}),
        "update_sign_in_rules" => json!({"request": {
            "idleMinutes": 20, "absoluteHours": 10, "stepUpMinutes": 4,
            "lockAfterFailures": 50, "longestWaitSeconds": 20, "passwordMinChars": 16
        }}),
        "backup_vault" => json!({}),
        "show_saved_file" => json!({"request": {"path": "/etc/hostname"}}),
        "vault_info" => json!({}),
        "complete_sign_in" => json!({"request": {"ticket": "no-such-ticket", "code": "123456"}}),
        "second_factor_status" | "begin_enrolment" | "second_factor_policy" => json!({}),
        "confirm_enrolment" => json!({"request": {"password": f.password, "code": "123456"}}),
        "regenerate_recovery_codes" | "remove_second_factor" => {
            json!({"request": {"password": f.password}})
        }
        "reset_second_factor" => json!({"request": {"id": id}}),
        "set_second_factor_policy" => json!({"request": {"policy": "nobody"}}),
        "account_sessions" | "end_all_sessions" => json!({"request": {"id": id}}),
        "end_session" => json!({"request": {"sessionId": "no-such-session"}}),
        "organisation_providers"
        | "finish_organisation_sign_in"
        | "cancel_organisation_sign_in"
        | "organisation_link"
        | "identity_providers" => json!({}),
        "begin_organisation_sign_in" | "remove_identity_provider" => {
            json!({"request": {"providerId": 404}})
        }
        "set_offline_password" => {
            json!({"request": {"newPassword": "amber ferry under the viaduct"}})
        }
        // A provider on this computer at a port nothing listens on.
        "save_identity_provider" => json!({"request": {"setup": {
            "name": "Clinic ID", "issuer": "http://127.0.0.1:9/realms/desk",
            "clientId": "latchkey-desk", "scopes": "email profile", "emailClaim": "email",
            "adminClaim": "groups", "adminValue": "desk-admins", "linkByEmail": false,
            "offlineDays": 7
        }}}),
        other => panic!("the matrix has no row for `{other}`: add one"),
    }
}

/// What the lock screen's commands answer in `state`: they work on a session whether it
/// is locked or not, and report one that is gone.
fn lock_screen_outcome(command: &str, state: State) -> Option<&'static str> {
    match (command, state) {
        // Locking nothing is not an error, and anyone may listen for locks.
        ("lock_session" | "watch_lock", _) => None,
        (_, State::NoSession) => Some("NotAuthenticated"),
        (_, State::Expired) => Some("SessionExpired"),
        ("unlock_with_pin", State::Locked) => Some("Conflict"),
        _ => None,
    }
}

/// What an allowed, signed-in caller gets from a good request that the vault's state
/// refuses all the same: nobody in the fixture has a second factor.
fn allowed_outcome(command: &str) -> Option<&'static str> {
    match command {
        // No enrolment was started; nothing to regenerate, remove or reset.
        "confirm_enrolment"
        | "regenerate_recovery_codes"
        | "remove_second_factor"
        | "reset_second_factor" => Some("Conflict"),
        // The fixture names a session that does not exist, and a file nobody saved.
        "end_session" | "show_saved_file" => Some("NotFound"),
        // Nobody in the fixture is linked to an organisation, and no provider exists.
        "set_offline_password" => Some("Conflict"),
        "remove_identity_provider" => Some("NotFound"),
        // The provider's address answers nothing.
        "save_identity_provider" => Some("Unreachable"),
        _ => None,
    }
}

/// What an allowed caller gets from a public command's good request.
fn public_outcome(command: &str) -> Option<&'static str> {
    match command {
        // The vault already has accounts.
        "create_first_admin" => Some("Conflict"),
        // No sign-in is waiting for a code, or for the browser.
        "complete_sign_in" | "finish_organisation_sign_in" => Some("Conflict"),
        // No such provider.
        "begin_organisation_sign_in" => Some("NotFound"),
        _ => None,
    }
}

fn code(result: &Result<Value, Value>) -> Option<String> {
    result.as_ref().err().map(|e| {
        e["code"]
            .as_str()
            .unwrap_or("<not an ErrorReply>")
            .to_owned()
    })
}

#[test]
fn every_command_enforces_its_access_level_in_every_state() {
    let mut failures = Vec::new();
    for &(command, access, _) in COMMANDS {
        for state in STATES {
            let f = fixture(state);
            let result = f.call(command, good_request(command, &f));
            let expected = match (access, state) {
                (Access::Public, _) => public_outcome(command),
                (Access::LockScreen, _) => lock_screen_outcome(command, state),
                (_, State::NoSession) => Some("NotAuthenticated"),
                (_, State::Expired) => Some("SessionExpired"),
                (_, State::Locked) => Some("SessionLocked"),
                (
                    Access::Admin | Access::AdminStepUp | Access::AdminStepUpByTarget,
                    State::User,
                ) => Some("Forbidden"),
                (Access::AdminStepUp, State::StaleAdmin) => Some("ReauthRequired"),
                // The good request acts on a user and takes access away: no step-up.
                (Access::Session, State::User | State::Admin | State::StaleAdmin)
                | (Access::Admin | Access::AdminStepUpByTarget, State::Admin | State::StaleAdmin)
                | (Access::AdminStepUp, State::Admin) => allowed_outcome(command),
            };
            let got = code(&result);
            if got.as_deref() != expected {
                failures.push(format!(
                    "{command} as {state:?}: expected {expected:?}, got {result:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn after_switching_from_an_admin_to_a_user_no_admin_command_answers() {
    // The admin is active with a fresh password check; the user's session is locked.
    let f = fixture(State::Admin);
    let warm = f.call("list_accounts", json!({"request": {"limit": 5}}));
    assert!(warm.is_ok(), "{warm:?}");
    f.call("lock_session", json!({})).unwrap();
    let screen = f.call("locked_session", json!({})).unwrap();
    let people = screen["people"].as_array().unwrap();
    let user = people
        .iter()
        .find(|p| p["email"] == USER.0)
        .expect("the user is on the lock screen");
    let me = f
        .call(
            "unlock_session",
            json!({"request": {"sessionId": user["sessionId"], "password": USER.1}}),
        )
        .unwrap();
    assert_eq!(me["email"], USER.0);
    let mut failures = Vec::new();
    for &(command, access, _) in COMMANDS {
        if !matches!(
            access,
            Access::Admin | Access::AdminStepUp | Access::AdminStepUpByTarget
        ) {
            continue;
        }
        let result = f.call(command, good_request(command, &f));
        if code(&result).as_deref() != Some("Forbidden") {
            failures.push(format!("{command}: {result:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // And the admin's own session stays locked, not merely hidden.
    let screen = f.call("locked_session", json!({}));
    assert_eq!(screen.unwrap(), Value::Null, "the user is active");
    f.call("lock_session", json!({})).unwrap();
    let screen = f.call("locked_session", json!({})).unwrap();
    let admin = screen["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["email"] == ADMIN.0)
        .unwrap()
        .clone();
    assert_eq!(admin["reason"], "manual");
}

/// Requests of a step-up-by-target command that need a recent password check: they
/// act on an admin, or give access back.
fn step_up_requests(command: &str, f: &Fixture) -> Vec<Value> {
    match command {
        "update_account" => {
            vec![json!({"request": {"id": f.target_admin, "displayName": "Renamed admin"}})]
        }
        "set_disabled" => vec![
            json!({"request": {"id": f.target_admin, "disabled": true}}),
            json!({"request": {"id": f.disabled, "disabled": false}}),
        ],
        other => panic!("no step-up requests for `{other}`: add them"),
    }
}

#[test]
fn step_up_by_target_asks_for_a_recent_password_check_when_the_target_is_an_admin_or_access_comes_back()
 {
    let by_target = COMMANDS
        .iter()
        .filter(|(_, access, _)| *access == Access::AdminStepUpByTarget);
    for &(command, _, _) in by_target {
        let stale = fixture(State::StaleAdmin);
        // The session's own last-seen refresh is not the command's doing.
        stale.vault.verify_session().unwrap();
        for request in step_up_requests(command, &stale) {
            let before = stale.snapshot();
            let result = stale.call(command, request.clone());
            assert_eq!(
                code(&result).as_deref(),
                Some("ReauthRequired"),
                "{command} {request} as a stale admin: {result:?}"
            );
            assert_eq!(
                stale.snapshot(),
                before,
                "{command} {request} changed the vault"
            );
        }
        let fresh = fixture(State::Admin);
        for request in step_up_requests(command, &fresh) {
            let result = fresh.call(command, request.clone());
            assert!(
                result.is_ok(),
                "{command} {request} as an admin: {result:?}"
            );
        }
    }
}

/// The security doc's table of commands says what the command list says.
#[test]
fn the_security_doc_lists_every_command_with_its_access_level() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/SECURITY.md")).unwrap();
    let mut documented = std::collections::BTreeMap::new();
    for line in text.lines().filter(|line| line.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let name = cells[1].trim_matches('`');
        let set = cells[2].trim_matches('`');
        // The app's own commands (its updates) have their table, checked in tests/updates.rs.
        if set.starts_with("allow-") {
            continue;
        }
        let access = match (cells[3], cells[4]) {
            ("anyone", "no") => Access::Public,
            ("the lock screen", "no") => Access::LockScreen,
            ("signed in", "no") => Access::Session,
            ("admin", "no") => Access::Admin,
            ("admin", "always") => Access::AdminStepUp,
            ("admin", "when the target is an admin or access comes back") => {
                Access::AdminStepUpByTarget
            }
            other => panic!("SECURITY.md row for `{name}` reads {other:?}"),
        };
        documented.insert(name.to_owned(), (access, set.to_owned()));
    }
    let listed: std::collections::BTreeMap<String, (Access, String)> = COMMANDS
        .iter()
        .map(|(name, access, set)| {
            let set = format!("latchkey:{}", set.identifier());
            ((*name).to_owned(), (*access, set))
        })
        .collect();
    assert_eq!(documented, listed);
}

#[test]
fn refused_commands_change_nothing() {
    for &(command, access, _) in COMMANDS {
        if matches!(access, Access::Public | Access::LockScreen) {
            continue;
        }
        for state in [State::NoSession, State::Locked, State::User] {
            if access == Access::Session && state == State::User {
                continue;
            }
            let f = fixture(state);
            let before = f.snapshot();
            let request = good_request(command, &f);
            assert!(f.call(command, request).is_err(), "{command} as {state:?}");
            assert_eq!(
                f.snapshot(),
                before,
                "{command} as {state:?} changed the vault"
            );
        }
    }
}

#[test]
fn the_capability_grants_every_permission_set_to_the_main_window_only() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src-tauri/capabilities/main.json"
    ))
    .unwrap();
    let capability: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(capability["windows"], json!(["main"]));
    assert_eq!(capability["local"], json!(true));
    let mut granted: Vec<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    let mut expected: Vec<String> = Set::ALL
        .iter()
        .map(|set| format!("latchkey:{}", set.identifier()))
        .collect();
    // The UI's own errors go to the log file (ui/src/app/report.ts).
    expected.push("log:allow-log".to_owned());
    // The app's own commands, its updates.
    expected.extend(latchkey_lib::updates::COMMANDS.map(latchkey_lib::updates::permission));
    granted.sort();
    expected.sort();
    assert_eq!(granted, expected);
}

/// The export lists every account's email and sign-in history: only the OS account that
/// made it may read it, and a second export never overwrites the first.
#[test]
fn audit_exports_are_private_files_that_never_overwrite_each_other() {
    let f = fixture(State::Admin);
    let mut paths = Vec::new();
    for _ in 0..2 {
        let reply = f
            .call("export_audit", json!({"request": {"format": "csv"}}))
            .unwrap();
        let path = std::path::PathBuf::from(reply["path"].as_str().unwrap());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("id,at_utc,event"), "{text:.80}");
        assert_eq!(reply["bytes"], text.len());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", path.display());
        }
        paths.push(path);
    }
    assert_ne!(paths[0], paths[1]);
}

/// Exports and backups go where the person points the save dialog; cancelling writes
/// nothing; walking away from the open dialog writes nothing once the session locked;
/// a stale admin is asked for the password before any dialog; and "show in folder"
/// opens only what this run saved, never a path the page names.
#[test]
fn saved_files_go_where_the_person_chooses_and_only_those_can_be_shown() {
    let f = fixture(State::Admin);
    let chosen = f._dir.path().join("chosen-by-the-admin.csv");
    f.saver.answer(Answer::Path(chosen.clone()));
    let reply = f
        .call("export_audit", json!({"request": {"format": "csv"}}))
        .unwrap();
    assert_eq!(reply["path"], chosen.display().to_string());
    assert!(
        std::fs::read_to_string(&chosen)
            .unwrap()
            .starts_with("id,at_utc,event")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&chosen).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The same name again: the file is kept, and the reply asks for another.
    let again = f.call("export_audit", json!({"request": {"format": "csv"}}));
    assert_eq!(again.unwrap_err()["conflict"], "fileExists");

    f.call("show_saved_file", json!({"request": {"path": chosen}}))
        .unwrap();
    for elsewhere in ["/etc/hostname", "", "chosen-by-the-admin.csv"] {
        let refused = f.call("show_saved_file", json!({"request": {"path": elsewhere}}));
        assert_eq!(code(&refused).as_deref(), Some("NotFound"), "{elsewhere}");
    }
    assert_eq!(*f.saver.shown.lock().unwrap(), vec![chosen.clone()]);

    let files = |dir: &std::path::Path| std::fs::read_dir(dir).map_or(0, Iterator::count);
    let exports = f._dir.path().join("exports");
    f.saver.answer(Answer::Cancel);
    assert_eq!(f.call("backup_vault", json!({})).unwrap(), Value::Null);
    assert_eq!(
        f.call("export_audit", json!({"request": {"format": "jsonl"}}))
            .unwrap(),
        Value::Null
    );
    assert_eq!(files(&exports), 0, "a cancelled dialog writes nothing");

    f.saver.answer(Answer::WalkAway(f.vault.clone()));
    let walked_away = f.call("backup_vault", json!({}));
    assert_eq!(code(&walked_away).as_deref(), Some("SessionLocked"));
    assert_eq!(
        files(&exports),
        0,
        "nothing is written for a locked session"
    );

    let stale = fixture(State::StaleAdmin);
    let refused = stale.call("backup_vault", json!({}));
    assert_eq!(code(&refused).as_deref(), Some("ReauthRequired"));
    assert!(
        stale.saver.asked.lock().unwrap().is_empty(),
        "no dialog first"
    );
}

#[test]
fn an_import_reports_progress_and_its_passwords_and_the_list_go_to_private_files() {
    let f = fixture(State::Admin);
    let csv = "email,name,team\nnew.one@matrix.example,New One,=cmd|' /C calc'!A0\nnew.two@matrix.example,New Two,\n";
    let check = f
        .call("check_account_import", json!({"request": {"csv": csv}}))
        .unwrap();
    assert_eq!(
        (check["rows"].as_u64(), check["problemCount"].as_u64()),
        (Some(2), Some(0))
    );
    let made = f
        .call(
            "import_accounts",
            json!({"request": {"csv": csv}, "onProgress": "__CHANNEL__:1"}),
        )
        .unwrap();
    let made = made.as_array().unwrap();
    assert_eq!(made.len(), 2);
    assert_eq!(made[0]["email"], "new.one@matrix.example");
    let temporary = made[0]["temporaryPassword"].as_str().unwrap().to_owned();

    let private = |path: &std::path::Path| {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", path.display());
        }
        std::fs::read_to_string(path).unwrap()
    };
    let passwords = f._dir.path().join("passwords.csv");
    f.saver.answer(Answer::Path(passwords.clone()));
    let accounts: Vec<Value> = made
        .iter()
        .map(|a| json!({"email": a["email"], "temporaryPassword": a["temporaryPassword"]}))
        .collect();
    f.call(
        "save_temporary_passwords",
        json!({"request": {"accounts": accounts}}),
    )
    .unwrap();
    assert_eq!(
        private(&passwords).lines().nth(1),
        Some(format!("new.one@matrix.example,{temporary}").as_str())
    );

    let list = f._dir.path().join("accounts.csv");
    f.saver.answer(Answer::Path(list.clone()));
    f.call("export_accounts", json!({})).unwrap();
    let text = private(&list);
    assert!(text.starts_with("email,name,role,team,phone,status,created_utc,last_sign_in_utc\n"));
    assert!(
        text.contains("new.one@matrix.example,New One,user,'=cmd|' /C calc'!A0,"),
        "{text}"
    );
    assert!(!text.contains(&temporary), "the list holds no password");
}

/// A one-time password copied from its dialog leaves the clipboard after a while, unless
/// something else was copied meanwhile.
#[test]
fn a_copied_one_time_password_is_taken_off_the_clipboard_again() {
    use tauri_plugin_latchkey::clipboard::Clipboard as _;
    let f = fixture(State::Admin);
    let copy = json!({"request": {"text": "abcde-fghjk-mnpqr-stuvw"}});
    f.call("copy_secret", copy.clone()).unwrap();
    assert_eq!(
        f.clipboard.get().unwrap().as_deref(),
        Some("abcde-fghjk-mnpqr-stuvw")
    );
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert_eq!(f.clipboard.get().unwrap(), None);

    f.call("copy_secret", copy).unwrap();
    f.clipboard.set("a shopping list").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert_eq!(
        f.clipboard.get().unwrap().as_deref(),
        Some("a shopping list")
    );
}

#[test]
fn unknown_commands_are_refused() {
    let f = fixture(State::Admin);
    assert!(f.call("drop_all_tables", json!({})).is_err());
    // The app registers no commands of its own: the plugin's exist only under its name.
    let bare = f.invoke("tauri://localhost", "current_user", json!({}));
    assert!(bare.is_err(), "{bare:?}");
}

#[test]
fn a_remote_page_in_the_window_cannot_call_any_command() {
    let f = fixture(State::Admin);
    for &(command, _, _) in COMMANDS {
        let result = f.call_from(
            "https://attacker.example",
            command,
            good_request(command, &f),
        );
        let error = result.expect_err(command);
        assert!(
            error.as_str().is_some_and(|e| e.contains("not allowed")),
            "{command}: {error}"
        );
    }
}

#[test]
fn no_reply_carries_the_session_token() {
    for &(command, _, _) in COMMANDS {
        let f = fixture(State::Admin);
        let result = f.call(command, good_request(command, &f));
        let text = format!("{result:?}");
        // Whatever tokens are held after the call (sign-in rotates them) stay in Rust.
        // Only the lock screen names sessions, by their public id.
        for token in f.store.tokens() {
            let stored = token.to_stored();
            let (id, secret) = stored.expose().split_once('.').unwrap();
            assert!(!text.contains(secret), "{command} leaked a token");
            assert!(
                command == "locked_session" || !text.contains(id),
                "{command} named a session"
            );
        }
    }
}

/// Bad input for each command that takes a request: a `Validation` error naming the
/// field, and nothing changed.
#[test]
fn bad_input_gets_a_validation_error_naming_the_field_and_changes_nothing() {
    let huge = "x".repeat(2 << 20);
    let long_email = format!("{}@matrix.example", "a".repeat(250));
    let cases: Vec<(&str, Value, &str)> = vec![
        ("login", json!({}), "request"),
        ("login", json!({"request": 42}), "request"),
        ("login", json!({"request": {"email": ADMIN.0}}), "password"),
        (
            "login",
            json!({"request": {"email": 7, "password": "x"}}),
            "email",
        ),
        (
            "login",
            json!({"request": {"email": ADMIN.0, "password": huge}}),
            "password",
        ),
        (
            "login",
            json!({"request": {"email": long_email, "password": ADMIN.1}}),
            "email",
        ),
        (
            "login",
            json!({"request": {"email": ADMIN.0, "password": "pass\u{0}word and more"}}),
            "password",
        ),
        (
            "login",
            json!({"request": {"email": ADMIN.0, "password": ADMIN.1, "remember": true}}),
            "remember",
        ),
        (
            "create_first_admin",
            json!({"request": {"email": "a@b.example", "displayName": "A"}}),
            "password",
        ),
        (
            "change_password",
            json!({"request": {"currentPassword": ADMIN.1, "newPassword": "short"}}),
            "newPassword",
        ),
        (
            "change_password",
            json!({"request": {"currentPassword": ADMIN.1, "newPassword": ["x"]}}),
            "newPassword",
        ),
        ("get_profile", json!({"request": {"id": "one"}}), "id"),
        ("get_profile", json!({"request": {"id": 1.5}}), "id"),
        (
            "update_profile",
            json!({"request": {"displayName": "n".repeat(201)}}),
            "displayName",
        ),
        (
            "update_profile",
            json!({"request": {"displayName": "Eve\u{202E}"}}),
            "displayName",
        ),
        ("team_directory", json!({"request": {"limit": -5}}), "limit"),
        (
            "list_accounts",
            json!({"request": {"limit": 100000}}),
            "limit",
        ),
        (
            "list_accounts",
            json!({"request": {"search": "a\u{0}b"}}),
            "search",
        ),
        ("get_account", json!({"request": null}), "request"),
        (
            "create_account",
            json!({"request": {"email": "", "displayName": "A", "role": "user"}}),
            "email",
        ),
        (
            "create_account",
            json!({"request": {"email": "a@b.example", "displayName": "A", "role": "root"}}),
            "role",
        ),
        (
            "create_account",
            json!({"request": {"email": "a@b.example", "displayName": "A", "role": "user", "phone": huge}}),
            "phone",
        ),
        (
            "create_account",
            json!({"request": {"email": "a\u{0}@b.example", "displayName": "A", "role": "user"}}),
            "email",
        ),
        (
            "update_account",
            json!({"request": {"id": 2, "displayName": ""}}),
            "displayName",
        ),
        (
            "update_account",
            json!({"request": {"id": 2, "displayName": "A", "team": "t".repeat(101)}}),
            "team",
        ),
        (
            "set_role",
            json!({"request": {"id": 2, "role": "superuser"}}),
            "role",
        ),
        ("set_role", json!({"request": {"role": "admin"}}), "id"),
        (
            "set_disabled",
            json!({"request": {"id": 2, "disabled": "yes"}}),
            "disabled",
        ),
        ("delete_account", json!({"request": {"id": null}}), "id"),
        (
            "reset_password",
            json!({"request": {"id": 2, "extra": 1}}),
            "extra",
        ),
        (
            "check_password",
            json!({"request": {"password": 12}}),
            "password",
        ),
        ("reauthenticate", json!({"request": {}}), "password"),
        (
            "unlock_session",
            json!({"request": {"sessionId": "x", "password": ["not", "text"]}}),
            "password",
        ),
        (
            "unlock_with_pin",
            json!({"request": {"sessionId": "x", "pin": "12ab56"}}),
            "pin",
        ),
        (
            "set_pin",
            json!({"request": {"password": USER.1, "pin": "111111"}}),
            "pin",
        ),
        ("set_pin", json!({"request": {"pin": "274915"}}), "password"),
        (
            "unlock_email",
            json!({"request": {"email": "not an email"}}),
            "email",
        ),
        ("audit_log", json!({"request": {"event": "party"}}), "event"),
        ("audit_log", json!({"request": {"limit": 0}}), "limit"),
        (
            "export_audit",
            json!({"request": {"format": "xlsx"}}),
            "format",
        ),
        (
            "sign_in_stats",
            json!({"request": {"utcOffsetMinutes": 100_000}}),
            "utcOffsetMinutes",
        ),
        ("sign_in_stats", json!({"request": {}}), "utcOffsetMinutes"),
        ("copy_secret", json!({"request": {"text": ""}}), "text"),
        (
            "update_desk_settings",
            json!({"request": {"autoLockMinutes": 61, "pinWindowHours": 8, "showPeople": true}}),
            "autoLockMinutes",
        ),
        (
            "update_desk_settings",
            json!({"request": {"autoLockMinutes": 5, "pinWindowHours": 13, "showPeople": true}}),
            "pinWindowHours",
        ),
        (
            "update_desk_settings",
            json!({"request": {"autoLockMinutes": "ten", "pinWindowHours": 8, "showPeople": true}}),
            "autoLockMinutes",
        ),
        (
            "update_sign_in_rules",
            json!({"request": {
                "idleMinutes": 15, "absoluteHours": 12, "stepUpMinutes": 5,
                "lockAfterFailures": 3, "longestWaitSeconds": 10, "passwordMinChars": 15
            }}),
            "lockAfterFailures",
        ),
        (
            "update_sign_in_rules",
            json!({"request": {"idleMinutes": 15}}),
            "absoluteHours",
        ),
        (
            "check_account_import",
            json!({"request": {"csv": 5}}),
            "csv",
        ),
        (
            "import_accounts",
            json!({"request": {"csv": "email,name\nnot-an-email,Somebody\n"}, "onProgress": "__CHANNEL__:1"}),
            "csv",
        ),
        (
            "save_temporary_passwords",
            json!({"request": {"accounts": [{"email": "nobody", "temporaryPassword": "x"}]}}),
            "email",
        ),
        (
            "copy_secret",
            json!({"request": {"text": "x".repeat(300)}}),
            "text",
        ),
        (
            "complete_sign_in",
            json!({"request": {"ticket": "t", "code": ""}}),
            "code",
        ),
        (
            "complete_sign_in",
            json!({"request": {"code": "123456"}}),
            "ticket",
        ),
        (
            "confirm_enrolment",
            json!({"request": {"password": "a long enough password", "code": "12ab56"}}),
            "code",
        ),
        (
            "regenerate_recovery_codes",
            json!({"request": {"password": 7}}),
            "password",
        ),
        ("remove_second_factor", json!({"request": {}}), "password"),
        (
            "reset_second_factor",
            json!({"request": {"id": "two"}}),
            "id",
        ),
        (
            "set_second_factor_policy",
            json!({"request": {"policy": "managers"}}),
            "policy",
        ),
        ("account_sessions", json!({"request": {"id": -1.5}}), "id"),
        ("end_session", json!({"request": {}}), "sessionId"),
        ("end_all_sessions", json!({"request": {"id": "all"}}), "id"),
        (
            "show_saved_file",
            json!({"request": {"path": ["/tmp"]}}),
            "path",
        ),
        (
            "begin_organisation_sign_in",
            json!({"request": {"providerId": "first"}}),
            "providerId",
        ),
        (
            "remove_identity_provider",
            json!({"request": {}}),
            "providerId",
        ),
        (
            "set_offline_password",
            json!({"request": {"newPassword": "short"}}),
            "newPassword",
        ),
        (
            "save_identity_provider",
            json!({"request": {"setup": {
                "name": "Clinic ID", "issuer": "http://id.clinic.example",
                "clientId": "latchkey-desk", "scopes": "", "emailClaim": "",
                "adminClaim": "", "adminValue": "", "linkByEmail": false, "offlineDays": 7
            }}}),
            "issuer",
        ),
        (
            "save_identity_provider",
            json!({"request": {"setup": {
                "name": "Clinic ID", "issuer": "https://id.clinic.example",
                "clientId": "latchkey-desk", "scopes": "", "emailClaim": "",
                "adminClaim": "", "adminValue": "", "linkByEmail": false, "offlineDays": 365
            }}}),
            "offlineDays",
        ),
    ];
    // Every command that takes a request has at least one bad-input case here.
    let covered: std::collections::BTreeSet<&str> =
        cases.iter().map(|(command, _, _)| *command).collect();
    let f = fixture(State::Admin);
    for &(command, _, _) in COMMANDS {
        let takes_request = good_request(command, &f).get("request").is_some();
        assert_eq!(
            covered.contains(command),
            takes_request,
            "bad-input cases for `{command}`"
        );
    }
    let before = f.snapshot();
    for (command, args, field) in cases {
        let result = f.call(command, args.clone());
        let error = result.as_ref().expect_err(command);
        assert_eq!(error["code"], "Validation", "{command} {args:.80}: {error}");
        assert_eq!(error["field"], field, "{command} {args:.80}: {error}");
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(f.snapshot(), before, "a refused request changed the vault");
    assert!(f.vault.verify_session().is_ok());
}

/// Plain SQL reads for the checks above, through the vault crate's own SQLite.
mod rusqlite_free {
    use std::path::Path;

    pub fn open(path: &Path) -> rusqlite::Connection {
        rusqlite::Connection::open(path).unwrap()
    }

    pub fn dump(conn: &rusqlite::Connection) -> String {
        let mut out = String::new();
        for table in ["users", "password_hashes", "sessions"] {
            let mut statement = conn
                .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
                .unwrap();
            let columns = statement.column_count();
            let rows = statement
                .query_map([], |row| {
                    let cells: Vec<String> = (0..columns)
                        .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                        .collect();
                    Ok(cells.join("|"))
                })
                .unwrap();
            for row in rows {
                out.push_str(table);
                out.push(':');
                out.push_str(&row.unwrap());
                out.push('\n');
            }
        }
        out
    }
}
