//! Latchkey's desktop shell: opens the vault in the OS app data dir, keeps the session
//! token in the OS keyring, exposes the vault through thin commands, and shows the UI.
//!
//! The shell holds no business rules: those live in the `vault` crate.

pub mod cli;
pub mod clipboard;
pub mod command_list;
pub mod commands;
pub mod files;
pub mod input;
pub mod navigation;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tauri::{Manager, Runtime};
use vault::{MemoryStore, SessionStore, Vault, VaultOptions};

use os_keyring::KeyringStore;

/// The vault file's name inside the data directory.
pub const VAULT_FILE: &str = "vault.sqlite";
/// Overrides the data directory (tests, portable installs, a machine-wide location).
pub const DATA_DIR_ENV: &str = "LATCHKEY_DATA_DIR";
/// Shortens the step-up window (0 to 300 seconds); it cannot lengthen it. The
/// end-to-end suite sets 1 so that the password dialog shows after a short pause.
pub const STEP_UP_ENV: &str = "LATCHKEY_STEP_UP_SECONDS";

/// Sets the log level: `error`, `warn`, `info` (the default), `debug` or `trace`.
pub const LOG_ENV: &str = "LATCHKEY_LOG";

/// Starts the desktop app.
pub fn run() {
    if let Err(error) = run_app(tauri::Builder::default()) {
        eprintln!("Latchkey could not start: {error}");
        std::process::exit(1);
    }
}

/// Builds and runs the app on any runtime: opens the vault, then shows the window. A
/// second launch focuses the running window instead of opening the vault twice.
pub fn run_app<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Result<()> {
    let builder = builder.plugin(logger()).plugin(navigation::guard()).plugin(
        tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }),
    );
    with_commands(builder)
        .setup(|app| {
            let dir = data_dir(app.path().app_data_dir().ok())?;
            log::info!(
                "Latchkey {} starting; data in {}",
                env!("CARGO_PKG_VERSION"),
                dir.display()
            );
            let vault = open_vault(&dir).inspect_err(|e| log::error!("{e}"))?;
            app.manage::<commands::SharedVault>(Arc::new(vault));
            let exports = app.path().download_dir().unwrap_or_else(|_| dir.clone());
            app.manage(commands::ExportDir(exports));
            app.manage(clipboard::ClipboardState {
                clipboard: Arc::new(clipboard::SystemClipboard::new()),
                clear_after: clipboard::CLEAR_AFTER,
            });
            Ok(())
        })
        .run(context())
}

/// The app's configuration, assets and permissions, compiled in from `tauri.conf.json`
/// and `src-tauri/capabilities/`. Tests build the mock app with it, so they run under
/// the same access rules as the real window.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// The log: a file in the OS log directory (rotated at 1 MB, five kept) and standard
/// error. Nothing logged carries a password, a hash or a session token: the vault logs
/// account ids and events, never secrets.
fn logger<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    use tauri_plugin_log::{RotationStrategy, Target, TargetKind};
    let level = std::env::var(LOG_ENV)
        .ok()
        .and_then(|value| value.parse::<log::LevelFilter>().ok())
        .unwrap_or(log::LevelFilter::Info);
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets([
            Target::new(TargetKind::LogDir {
                file_name: Some("latchkey".into()),
            }),
            Target::new(TargetKind::Stderr),
        ])
        .level(level)
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(5))
        .build()
}

/// Registers every command of [`command_list::COMMANDS`] on `builder`.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::bootstrap_status,
        commands::create_first_admin,
        commands::login,
        commands::logout,
        commands::ping,
        commands::current_user,
        commands::change_password,
        commands::get_profile,
        commands::update_profile,
        commands::team_directory,
        commands::list_accounts,
        commands::get_account,
        commands::create_account,
        commands::update_account,
        commands::set_role,
        commands::set_disabled,
        commands::delete_account,
        commands::reset_password,
        commands::check_password,
        commands::reauthenticate,
        commands::since_last_sign_in,
        commands::locked_emails,
        commands::unlock_email,
        commands::audit_log,
        commands::verify_audit_chain,
        commands::sign_in_stats,
        commands::export_audit,
        commands::security_health,
        commands::break_glass_notice,
        commands::acknowledge_break_glass,
        commands::copy_secret,
    ])
}

/// The data directory: `LATCHKEY_DATA_DIR` when set, else the OS app data dir.
pub fn data_dir(os_default: Option<PathBuf>) -> Result<PathBuf, String> {
    let dir = std::env::var_os(DATA_DIR_ENV)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
        .or(os_default)
        .ok_or("no app data directory on this system; set LATCHKEY_DATA_DIR")?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// Opens the vault in `dir`, keeping sessions in the OS keyring when one works and in
/// memory (for this run only) when none does.
pub fn open_vault(dir: &Path) -> Result<Vault, String> {
    let path = dir.join(VAULT_FILE);
    let store: Arc<dyn SessionStore> = match KeyringStore::for_vault(&path) {
        Ok(store) => Arc::new(store),
        Err(e) => {
            log::warn!("no usable OS keyring ({e}); sessions will last until the app closes");
            Arc::new(MemoryStore::new())
        }
    };
    let mut options = VaultOptions::default();
    if let Some(seconds) = std::env::var(STEP_UP_ENV)
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
    {
        options.session_policy = options
            .session_policy
            .with_step_up_seconds(seconds)
            .map_err(|_| format!("{STEP_UP_ENV} must be between 0 and 300"))?;
    }
    Vault::open(&path, store, options).map_err(|e| {
        format!(
            "cannot open the vault at {}: {}",
            path.display(),
            e.user_message()
        )
    })
}
