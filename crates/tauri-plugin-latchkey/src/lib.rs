//! Latchkey as a Tauri 2 plugin: offline, multi-user sign-in for any Tauri app.
//!
//! The plugin opens the vault (an SQLite file in the app's data directory, the session
//! token in the OS keyring), registers the sign-in, profile and admin commands as
//! `plugin:latchkey|<command>`, and gives the host's own commands a [`Session`] or
//! [`AdminSession`] argument that is verified before the command body runs:
//!
//! ```no_run
//! # use tauri_plugin_latchkey as latchkey;
//! #[tauri::command]
//! async fn open_chart(session: latchkey::Session, id: u64) -> Result<String, latchkey::ErrorReply> {
//!     Ok(format!("chart {id} for account {}", session.user_id().0))
//! }
//!
//! // In the host's `run()`, followed by `.run(tauri::generate_context!())`:
//! fn host() -> tauri::Builder<tauri::Wry> {
//!     tauri::Builder::default()
//!         .plugin(latchkey::init())
//!         .invoke_handler(tauri::generate_handler![open_chart])
//! }
//! ```
//!
//! A window may call the plugin's commands only as far as the host's capability file
//! grants them: `latchkey:default` (sign-in, first run, the person's own commands),
//! `latchkey:admin` (the console), `latchkey:clipboard` and `latchkey:audit-export`.
//! Each command checks the session itself as well; the grant only decides which windows
//! may ask.

pub mod clipboard;
pub mod command_list;
pub mod commands;
pub mod files;
pub mod input;
pub mod lock;
pub mod organisation;
pub mod save;
mod session;
mod start;
#[cfg(feature = "test-support")]
pub mod testing;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use os_keyring::KeyringStore;
use tauri::plugin::TauriPlugin;
use tauri::{Manager, Runtime};
use vault::{MemoryStore, SessionStore, Vault, VaultOptions};

pub use session::{AdminSession, Session, verify_session};
pub use start::{StartFailure, StartProblem};
/// The vault crate, for the types hosts name: `UserId`, `Role`, `ErrorReply` and more.
pub use vault;
pub use vault::ErrorReply;

/// The plugin's name: its commands are `plugin:latchkey|<command>`, its permissions
/// `latchkey:<set>`.
pub const NAME: &str = "latchkey";
/// The vault file's name inside the data directory.
pub const VAULT_FILE: &str = "vault.sqlite";
/// Overrides the data directory (tests, portable installs, a machine-wide location).
pub const DATA_DIR_ENV: &str = "LATCHKEY_DATA_DIR";
/// Shortens the step-up window below the admin's setting (0 to 600 seconds); it cannot
/// lengthen it.
pub const STEP_UP_ENV: &str = "LATCHKEY_STEP_UP_SECONDS";
/// Shortens the auto-lock time (1 to 3600 seconds) below the admin's setting; it cannot
/// lengthen it.
pub const AUTO_LOCK_ENV: &str = "LATCHKEY_AUTO_LOCK_SECONDS";

/// The plugin with its defaults: the vault in `LATCHKEY_DATA_DIR` or the app's data
/// directory, exports in Downloads, the system clipboard.
pub fn init<R: Runtime>() -> TauriPlugin<R> {
    Builder::new().build()
}

/// Sets the plugin up before it is added to the app.
#[derive(Default)]
pub struct Builder {
    vault: Option<Arc<Vault>>,
    data_dir: Option<PathBuf>,
    export_dir: Option<PathBuf>,
    clipboard: Option<clipboard::ClipboardState>,
    lock_sources: Option<Vec<Box<dyn lock::LockSource>>>,
    manage_start_failure: bool,
    save_dialog: bool,
    save_to: Option<Arc<dyn save::SaveTo>>,
    browser: Option<Arc<dyn organisation::Browser>>,
    refresh_every: Option<Duration>,
}

impl Builder {
    /// The defaults of [`init`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the vault in `dir` instead of the app's data directory.
    /// `LATCHKEY_DATA_DIR` still takes precedence, so a test or a portable install can
    /// move it without rebuilding the host.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.data_dir = Some(dir.into());
        self
    }

    /// Uses a vault the host has opened itself (tests, or a host that opens it with
    /// options of its own); `data_dir` is then ignored.
    pub fn vault(mut self, vault: Arc<Vault>) -> Self {
        self.vault = Some(vault);
        self
    }

    /// Saves audit exports and backups in `dir` instead of the Downloads folder (the
    /// folder the save dialog opens in, with [`Self::save_dialog`]).
    pub fn export_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.export_dir = Some(dir.into());
        self
    }

    /// Asks where to save each audit export and backup with the OS's save dialog,
    /// instead of taking the next free name in the export folder. The host registers
    /// `tauri_plugin_dialog::init()`.
    pub fn save_dialog(mut self) -> Self {
        self.save_dialog = true;
        self
    }

    /// Asks `save_to` where to save exports and backups (tests, or a host with its own
    /// way of asking); overrides [`Self::save_dialog`].
    pub fn save_to(mut self, save_to: Arc<dyn save::SaveTo>) -> Self {
        self.save_to = Some(save_to);
        self
    }

    /// Opens the organisation's sign-in pages with `browser` instead of the system's
    /// default browser (tests, or a host with a browser of its own).
    pub fn browser(mut self, browser: Arc<dyn organisation::Browser>) -> Self {
        self.browser = Some(browser);
        self
    }

    /// Checks the refresh tokens of people signed in through a provider every `every`
    /// instead of every five minutes ([`organisation::REFRESH_EVERY`]).
    pub fn refresh_every(mut self, every: Duration) -> Self {
        self.refresh_every = Some(every);
        self
    }

    /// Copies one-time passwords to `clipboard`, emptied again after `clear_after`.
    pub fn clipboard(
        mut self,
        clipboard: Arc<dyn clipboard::Clipboard>,
        clear_after: Duration,
    ) -> Self {
        self.clipboard = Some(clipboard::ClipboardState {
            clipboard,
            clear_after,
        });
        self
    }

    /// Locks on events from `sources` instead of this platform's own (logind and the
    /// screen saver on Linux): tests, or a host that knows better signals. An empty list
    /// leaves only the idle timer.
    pub fn lock_sources(mut self, sources: Vec<Box<dyn lock::LockSource>>) -> Self {
        self.lock_sources = Some(sources);
        self
    }

    /// When the vault cannot be opened, lets the app start anyway with a
    /// [`StartFailure`] in its managed state instead of the vault, so that the host can
    /// explain it (the Latchkey app shows a native dialog and creates no window). The
    /// plugin's commands then have no vault and refuse every call.
    pub fn manage_start_failure(mut self) -> Self {
        self.manage_start_failure = true;
        self
    }

    /// The plugin, ready for `tauri::Builder::plugin`. Its setup opens the vault; when
    /// that fails the app does not start (unless [`Self::manage_start_failure`]), and
    /// the reason is logged.
    pub fn build<R: Runtime>(self) -> TauriPlugin<R> {
        tauri::plugin::Builder::<R, ()>::new(NAME)
            .invoke_handler(tauri::generate_handler![
                commands::bootstrap_status,
                commands::create_first_admin,
                commands::login,
                commands::complete_sign_in,
                commands::logout,
                commands::ping,
                commands::check_password,
                commands::lock_session,
                commands::locked_session,
                commands::unlock_session,
                commands::unlock_with_pin,
                commands::report_activity,
                commands::pin_status,
                commands::set_pin,
                commands::clear_pin,
                commands::watch_lock,
                commands::current_user,
                commands::change_password,
                commands::get_profile,
                commands::update_profile,
                commands::team_directory,
                commands::reauthenticate,
                commands::since_last_sign_in,
                commands::second_factor_status,
                commands::begin_enrolment,
                commands::confirm_enrolment,
                commands::regenerate_recovery_codes,
                commands::remove_second_factor,
                commands::list_accounts,
                commands::get_account,
                commands::create_account,
                commands::update_account,
                commands::set_role,
                commands::set_disabled,
                commands::delete_account,
                commands::reset_password,
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
                commands::desk_settings,
                commands::reset_second_factor,
                commands::second_factor_policy,
                commands::set_second_factor_policy,
                commands::account_sessions,
                commands::end_session,
                commands::end_all_sessions,
                commands::update_desk_settings,
                commands::sign_in_rules,
                commands::update_sign_in_rules,
                commands::check_account_import,
                commands::import_accounts,
                commands::save_temporary_passwords,
                commands::export_accounts,
                commands::backup_vault,
                commands::show_saved_file,
                commands::vault_info,
                organisation::organisation_providers,
                organisation::begin_organisation_sign_in,
                organisation::finish_organisation_sign_in,
                organisation::cancel_organisation_sign_in,
                organisation::identity_providers,
                organisation::save_identity_provider,
                organisation::remove_identity_provider,
                organisation::organisation_link,
                organisation::set_offline_password,
            ])
            .setup(move |app, _api| {
                let vault = match self.vault {
                    Some(vault) => vault,
                    None => {
                        let os_default = self.data_dir.or_else(|| app.path().app_data_dir().ok());
                        let opened = data_dir(os_default).and_then(|dir| {
                            log::info!("the vault lives in {}", dir.display());
                            open_vault(&dir)
                        });
                        match opened {
                            Ok(vault) => Arc::new(vault),
                            Err(failure) => {
                                log::error!("{failure}");
                                if !self.manage_start_failure {
                                    return Err(failure.into());
                                }
                                app.manage(failure);
                                return Ok(());
                            }
                        }
                    }
                };
                let exports = match self.export_dir {
                    Some(dir) => dir,
                    None => app
                        .path()
                        .download_dir()
                        .or_else(|_| app.path().app_data_dir())?,
                };
                let watchers = Arc::new(lock::LockWatchers::default());
                lock::watch_idle(vault.clone(), watchers.clone())?;
                let sources = self.lock_sources.unwrap_or_else(lock::platform_sources);
                lock::watch_os(sources, vault.clone(), watchers.clone())?;
                app.manage(watchers);
                app.manage::<commands::SharedVault>(vault.clone());
                let save_to: Arc<dyn save::SaveTo> = match (self.save_to, self.save_dialog) {
                    (Some(save_to), _) => save_to,
                    (None, true) => Arc::new(save::SaveDialog::new(app.clone(), exports)),
                    (None, false) => Arc::new(save::InFolder(exports)),
                };
                app.manage(commands::Saving(save_to));
                app.manage(save::SavedFiles::default());
                let browser = self
                    .browser
                    .unwrap_or_else(|| Arc::new(organisation::SystemBrowser));
                let sign_ins = Arc::new(organisation::SignIns::new(browser));
                organisation::watch_refresh(
                    vault.clone(),
                    sign_ins.clone(),
                    self.refresh_every.unwrap_or(organisation::REFRESH_EVERY),
                );
                app.manage(sign_ins);
                app.manage(self.clipboard.unwrap_or_else(|| clipboard::ClipboardState {
                    clipboard: Arc::new(clipboard::SystemClipboard::new()),
                    clear_after: clipboard::CLEAR_AFTER,
                }));
                Ok(())
            })
            .build()
    }
}

impl std::fmt::Debug for Builder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Builder")
            .field("vault", &self.vault)
            .field("data_dir", &self.data_dir)
            .field("export_dir", &self.export_dir)
            .field(
                "lock_sources",
                &self
                    .lock_sources
                    .as_ref()
                    .map(|sources| sources.iter().map(|s| s.describe()).collect::<Vec<_>>()),
            )
            .finish_non_exhaustive()
    }
}

/// The data directory: `LATCHKEY_DATA_DIR` when set, else `os_default`; created if
/// missing.
pub fn data_dir(os_default: Option<PathBuf>) -> Result<PathBuf, StartFailure> {
    let dir = std::env::var_os(DATA_DIR_ENV)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
        .or(os_default)
        .ok_or_else(|| {
            StartFailure::other(
                Path::new(VAULT_FILE),
                format!("no app data directory on this system; set {DATA_DIR_ENV}"),
            )
        })?;
    std::fs::create_dir_all(&dir).map_err(|e| StartFailure {
        problem: StartProblem::Storage,
        vault_path: dir.join(VAULT_FILE),
        detail: format!("cannot create {}: {e}", dir.display()),
    })?;
    Ok(dir)
}

/// Opens the vault in `dir`, keeping sessions in the OS keyring when one works and in
/// memory (for this run only) when none does.
pub fn open_vault(dir: &Path) -> Result<Vault, StartFailure> {
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
            .map_err(|_| {
                StartFailure::other(&path, format!("{STEP_UP_ENV} must be between 0 and 600"))
            })?;
    }
    if let Some(seconds) = std::env::var(AUTO_LOCK_ENV)
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
    {
        options.session_policy = options
            .session_policy
            .with_auto_lock_limit(seconds)
            .map_err(|_| {
                StartFailure::other(&path, format!("{AUTO_LOCK_ENV} must be between 1 and 3600"))
            })?;
    }
    Vault::open(&path, store, options).map_err(|e| {
        log::debug!("opening {}: {e:?}", path.display());
        StartFailure::from_vault_error(&path, &e)
    })
}

/// Whether the OS's language for this user is Korean; the plugin's native dialogs speak
/// Korean then, and English otherwise.
pub fn os_speaks_korean() -> bool {
    sys_locale::get_locale().is_some_and(|locale| is_korean(&locale))
}

/// Whether a BCP 47 or POSIX locale name (`ko-KR`, `ko_KR.UTF-8`) is Korean.
pub fn is_korean(locale: &str) -> bool {
    locale
        .split(['-', '_', '.'])
        .next()
        .is_some_and(|primary| primary.eq_ignore_ascii_case("ko"))
}
