//! The Latchkey desktop app: the first host of `tauri-plugin-latchkey`. The plugin owns
//! the vault, the keyring and every command; the app adds its window, its log, the
//! navigation guard, single-instance focus, the command line, the dialog that explains
//! a vault that cannot be opened, and its own updates (`updates`, its only commands).
//!
//! The app holds no business rules: those live in the `vault` crate.

pub mod cli;
pub mod navigation;
pub mod start_failure;
pub mod updates;
pub mod window_state;

use tauri::{Manager, Runtime, WebviewWindowBuilder};
use tauri_plugin_latchkey::StartFailure;

pub use tauri_plugin_latchkey::{DATA_DIR_ENV, STEP_UP_ENV, VAULT_FILE};

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
/// second launch focuses the running window instead of opening the vault twice. A vault
/// that cannot be opened gets a native dialog instead of the window, and the app quits
/// with status 1 once it is answered.
pub fn run_app<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Result<()> {
    let context = context();
    let builder = builder.plugin(logger()).plugin(navigation::guard()).plugin(
        tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }),
    );
    builder
        .plugin(window_state::plugin())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(updates::plugin(updates::UpdateSource::from_config(
            context.config(),
            std::env::var(updates::UPDATE_URL_ENV).ok().as_deref(),
        )))
        .invoke_handler(commands())
        .plugin(
            tauri_plugin_latchkey::Builder::new()
                .manage_start_failure()
                .save_dialog()
                .build(),
        )
        .setup(|app| {
            log::info!("Latchkey {} starting", env!("CARGO_PKG_VERSION"));
            if let Some(failure) = app.try_state::<StartFailure>() {
                start_failure::show(app.handle(), &failure);
                return Ok(());
            }
            // The window is made here, not from the configuration at start, so that
            // none opens on a vault that is not there.
            let config = app
                .config()
                .app
                .windows
                .iter()
                .find(|window| window.label == "main")
                .ok_or("tauri.conf.json has no window labelled main")?
                .clone();
            let window = WebviewWindowBuilder::from_config(app.handle(), &config)?.build()?;
            window_state::save_when_settled(app.handle(), &window);
            Ok(())
        })
        .run(context)
}

/// The app's own commands: its updates. Every other command is the plugin's.
pub fn commands<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        updates::update_status,
        updates::check_for_update,
        updates::install_update,
        updates::restart_after_update,
    ]
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
