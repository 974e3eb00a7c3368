//! Updates of the app itself, on an admin's request and never on their own: a shared
//! desk must not change under the person using it.
//!
//! The release workflow signs every package with the release key (minisign, through the
//! Tauri bundler) and publishes `latest.json`, which names each package and its
//! signature. Here an admin checks for a newer version; installing it needs a recent
//! password check, downloads the package, and hands it to the system's installer only
//! when its signature verifies against the public key built into this app *and* the
//! signature's trusted comment names the version the manifest announced (so an old,
//! genuinely signed package cannot be passed off as a new one). A refused package is
//! thrown away and audited as a failed install.
//!
//! The webview cannot reach the updater plugin's own commands (the capability does not
//! grant them); it goes through the three commands here, which check the session like
//! every other command.

use std::sync::Mutex;

use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_latchkey::vault::{Conflict, Error, ErrorReply, UpdateStep};
use tauri_plugin_latchkey::{AdminSession, verify_session};
use tauri_plugin_updater::{Update, UpdaterExt};
use url::Url;

/// The app's own commands, all here; `src-tauri/build.rs` names them too.
pub const COMMANDS: [&str; 4] = [
    "update_status",
    "check_for_update",
    "install_update",
    "restart_after_update",
];

/// The permission a capability grants for one of [`COMMANDS`] (`allow-install-update`).
pub fn permission(command: &str) -> String {
    format!("allow-{}", command.replace('_', "-"))
}

/// Replaces the update server named in `tauri.conf.json`, for a site that mirrors the
/// releases on its own network. Packages must still be signed with the release key, and
/// release builds accept only `https`.
pub const UPDATE_URL_ENV: &str = "LATCHKEY_UPDATE_URL";

/// Where updates come from and the key their packages must be signed with.
#[derive(Debug, Clone)]
pub struct UpdateSource {
    pubkey: String,
    endpoints: Vec<Url>,
    install_path: Option<std::path::PathBuf>,
}

impl UpdateSource {
    /// Packages signed by `pubkey` (the contents of the `.pub` file the Tauri CLI makes),
    /// announced at `endpoints`.
    pub fn new(pubkey: impl Into<String>, endpoints: Vec<Url>) -> Self {
        Self {
            pubkey: pubkey.into(),
            endpoints,
            install_path: None,
        }
    }

    /// Installs a Linux AppImage update over `path` instead of the running executable
    /// (a copy kept somewhere else, or a test's file).
    pub fn install_to(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.install_path = Some(path.into());
        self
    }

    /// The updater's settings in the app's configuration (`plugins.updater`), with the
    /// server replaced by `url_override` when given. A build without a key or a server
    /// has updates off.
    pub fn from_config(config: &tauri::Config, url_override: Option<&str>) -> Self {
        let settings = config.plugins.0.get("updater");
        let pubkey = settings
            .and_then(|s| s.get("pubkey"))
            .and_then(|key| key.as_str())
            .unwrap_or_default()
            .trim()
            .to_owned();
        let endpoints = match url_override {
            Some(url) => url.parse().into_iter().collect(),
            None => settings
                .and_then(|s| s.get("endpoints"))
                .and_then(|list| list.as_array())
                .into_iter()
                .flatten()
                .filter_map(|url| url.as_str()?.parse().ok())
                .collect(),
        };
        Self {
            pubkey,
            endpoints,
            install_path: None,
        }
    }

    /// Whether this build can update itself.
    pub fn is_on(&self) -> bool {
        !self.pubkey.is_empty() && !self.endpoints.is_empty()
    }
}

/// What the About page shows about updates.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStatus {
    /// Whether this build can update itself at all.
    pub enabled: bool,
    /// The running version.
    pub current_version: String,
    /// The server asked, without any path or query (for "Checking example.org…").
    pub server: Option<String>,
}

/// A newer version the server offers.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOffer {
    /// The running version.
    pub current_version: String,
    /// The version offered.
    pub version: String,
    /// When it was published (RFC 3339), if the manifest says.
    pub published: Option<String>,
    /// The release notes, as plain text.
    pub notes: Option<String>,
}

/// The update a check found in this run, which `install_update` installs.
#[derive(Default)]
pub struct PendingUpdate(Mutex<Option<Update>>);

impl std::fmt::Debug for PendingUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let version = self.lock().as_ref().map(|update| update.version.clone());
        f.debug_tuple("PendingUpdate").field(&version).finish()
    }
}

impl PendingUpdate {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Update>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Set once an update was installed, so that the app may restart into it.
#[derive(Debug, Default)]
pub struct Installed(Mutex<Option<String>>);

/// The updater plugin and this module's state, for the app's builder. `source` says
/// where updates come from; the app passes [`UpdateSource::from_config`].
pub fn plugin<R: Runtime>(source: UpdateSource) -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("latchkey-updates")
        .setup(move |app, _| {
            app.manage(source);
            app.manage(PendingUpdate::default());
            app.manage(Installed::default());
            Ok(())
        })
        .build()
}

/// Signed in (any role): whether updates are on, and the running version.
#[tauri::command]
pub async fn update_status<R: Runtime>(
    app: AppHandle<R>,
    source: State<'_, UpdateSource>,
) -> Result<UpdateStatus, ErrorReply> {
    verify_session(&app)?;
    Ok(UpdateStatus {
        enabled: source.is_on(),
        current_version: app.package_info().version.to_string(),
        server: source
            .endpoints
            .first()
            .and_then(|url| url.host_str())
            .map(str::to_owned),
    })
}

/// Admin: asks the update server whether a newer version exists. `null` when this is
/// the newest; the offer is kept for `install_update`.
#[tauri::command]
pub async fn check_for_update<R: Runtime>(
    app: AppHandle<R>,
    _admin: AdminSession,
    source: State<'_, UpdateSource>,
    pending: State<'_, PendingUpdate>,
) -> Result<Option<UpdateOffer>, ErrorReply> {
    if !source.is_on() {
        return Err(Error::Conflict(Conflict::UpdatesOff).reply());
    }
    let mut builder = app.updater_builder();
    if let Some(path) = &source.install_path {
        builder = builder.executable_path(path);
    }
    let updater = builder
        .pubkey(source.pubkey.clone())
        .endpoints(source.endpoints.clone())
        .map_err(|e| refusal("update server", e))?
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .map_err(|e| refusal("updater", e))?;
    let found = updater
        .check()
        .await
        .map_err(|e| refusal("update check", e))?;
    let offer = found.as_ref().map(|update| UpdateOffer {
        current_version: update.current_version.clone(),
        version: update.version.clone(),
        published: update.date.and_then(|date| {
            date.format(&time::format_description::well_known::Rfc3339)
                .ok()
        }),
        notes: update.body.clone(),
    });
    match &offer {
        Some(offer) => log::info!("update {} offered", offer.version),
        None => log::info!("no newer version than {}", app.package_info().version),
    }
    *pending.lock() = found;
    Ok(offer)
}

/// Admin with a recent password check: downloads the update the last check offered,
/// verifies its signature, records it in the audit log and installs it. The app then
/// restarts through `restart_after_update` (Windows' installer ends the app itself).
#[tauri::command]
pub async fn install_update<R: Runtime>(
    app: AppHandle<R>,
    admin: AdminSession,
    pending: State<'_, PendingUpdate>,
    installed: State<'_, Installed>,
) -> Result<String, ErrorReply> {
    // Taken out while this install runs, so that a second call meanwhile finds nothing
    // to install; put back unless it was installed.
    let update = pending
        .lock()
        .take()
        .ok_or_else(|| Error::Conflict(Conflict::NoUpdatePending).reply())?;
    let result = install_taken(&app, &admin, &update).await;
    match &result {
        Ok(()) => {
            *installed
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(update.version.clone());
        }
        Err(_) => {
            pending.lock().get_or_insert(update.clone());
        }
    }
    result.map(|()| update.version)
}

/// The password check held for the install, the download, and [`finish_install`].
async fn install_taken<R: Runtime>(
    app: &AppHandle<R>,
    admin: &AdminSession,
    update: &Update,
) -> Result<(), ErrorReply> {
    let vault = admin.vault().clone();
    let proof = admin.proof().clone();
    blocking(move || {
        let admin = tauri_plugin_latchkey::vault::require_admin(&proof)?;
        vault.hold_step_up(
            &admin,
            tauri_plugin_latchkey::vault::AdminAction::InstallUpdate,
        )
    })
    .await?;
    let downloaded = update.download(|_, _| {}, || {}).await;
    let result = finish_install(app, update, downloaded).await;
    admin.vault().release_step_up();
    result
}

/// After the download: the person must still be at the keyboard as an admin; a package
/// whose signature failed is recorded and refused; a good one is recorded, then
/// installed.
async fn finish_install<R: Runtime>(
    app: &AppHandle<R>,
    update: &Update,
    downloaded: Result<Vec<u8>, tauri_plugin_updater::Error>,
) -> Result<(), ErrorReply> {
    // The download may have taken minutes: whoever started it may have walked away.
    let session = verify_session(app)?.require_admin()?;
    let record = |step: UpdateStep<'_>| -> Result<(), ErrorReply> {
        let admin =
            tauri_plugin_latchkey::vault::require_admin(session.proof()).map_err(|e| e.reply())?;
        session
            .vault()
            .record_update(&admin, &update.current_version, &update.version, step)
            .map_err(|e| e.reply())
    };
    let bytes = match downloaded {
        Ok(bytes) => bytes,
        Err(error) => {
            let reply = refusal("update download", error);
            if reply.conflict == Some(Conflict::UpdateRefused) {
                record(UpdateStep::Failed(
                    "signature does not match the release key",
                ))?;
            }
            return Err(reply);
        }
    };
    record(UpdateStep::Verified)?;
    let update = update.clone();
    let installed = tauri::async_runtime::spawn_blocking(move || update.install(bytes))
        .await
        .map_err(|e| Error::Internal(format!("installer thread: {e}")).reply())?;
    if let Err(error) = installed {
        let reply = refusal("update install", error);
        record(UpdateStep::Failed(&reply.message))?;
        return Err(reply);
    }
    log::info!("update installed");
    Ok(())
}

/// Admin: restarts into the version `install_update` installed. Refused when none was.
#[tauri::command]
pub async fn restart_after_update<R: Runtime>(
    app: AppHandle<R>,
    _admin: AdminSession,
    installed: State<'_, Installed>,
) -> Result<(), ErrorReply> {
    let version = installed
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
        .ok_or_else(|| Error::Conflict(Conflict::NoUpdatePending).reply())?;
    log::info!("restarting into version {version}");
    app.request_restart();
    Ok(())
}

/// The typed reply for an updater error; the detail goes to the log.
fn refusal(doing: &str, error: tauri_plugin_updater::Error) -> ErrorReply {
    use tauri_plugin_updater::Error as E;
    log::warn!("{doing}: {error}");
    let error = match error {
        E::Reqwest(ref inner) if inner.is_decode() => Error::Conflict(Conflict::UpdateInvalid),
        E::Reqwest(_) | E::Network(_) => Error::Unreachable(error.to_string()),
        E::Minisign(_)
        | E::Base64(_)
        | E::SignatureUtf8(_)
        | E::MissingSignedVersion
        | E::SignedVersionMismatch { .. } => Error::Conflict(Conflict::UpdateRefused),
        E::ReleaseNotFound
        | E::Serialization(_)
        | E::Semver(_)
        | E::UrlParse(_)
        | E::TargetNotFound(_)
        | E::TargetsNotFound(_)
        | E::InsecureTransportProtocol
        | E::EmptyEndpoints => Error::Conflict(Conflict::UpdateInvalid),
        E::AuthenticationFailed
        | E::DebInstallFailed
        | E::PackageInstallFailed
        | E::InvalidUpdaterFormat
        | E::Io(_)
        | E::TempDirNotOnSameMountPoint
        | E::TempDirNotFound
        | E::FailedToDetermineExtractPath
        | E::BinaryNotFoundInArchive
        | E::PreviousAppNotRestored(_) => Error::Conflict(Conflict::UpdateInstallFailed),
        other => Error::Internal(format!("{doing}: {other}")),
    };
    error.reply()
}

async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> tauri_plugin_latchkey::vault::Result<T> + Send + 'static,
) -> Result<T, ErrorReply> {
    tauri::async_runtime::spawn_blocking(call)
        .await
        .map_err(|e| Error::Internal(format!("vault thread: {e}")).reply())?
        .map_err(|e| e.reply())
}
