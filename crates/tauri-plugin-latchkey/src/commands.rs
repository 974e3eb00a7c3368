//! The app's commands: the desktop counterpart of server actions.
//!
//! Each one verifies the session (except the sign-in and first-run paths) through
//! [`with_session`] or [`with_admin`], which run it off the UI thread with the proof the
//! vault demands, then parses its request, makes one vault call, and returns a DTO or an
//! [`ErrorReply`]. Rules live in the vault, not here. The session token never crosses
//! into the webview: the vault keeps it in Rust memory and the OS keyring.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;
use vault::{
    AccountSession, AdminAction, AdminSession, Enrolment, RecoveryCodes, SecondFactorPolicy,
    SecondFactorStatus, Session, SignInRules,
};
use vault::{
    AccountUpdate, AuditEntry, AuditPage, AuditQuery, BackupReport, BootstrapStatus,
    BreakGlassNotice, ChainReport, CreatedAccount, CurrentUser, DayCount, DeskSettings,
    DeskSettingsUpdate, Error, ErrorReply, ExportFormat, FirstAdmin, ListQuery, LockReason,
    LockScreen, LockedEmail, NewAccount, Page, PasswordContext, PasswordStrength, PinStatus,
    ProfileDto, ProfileUpdate, Role, SecretString, SecurityHealth, UnlockRequest, UserDto, UserId,
    Vault, require_admin,
};
use vault::{AccountsCsv, ImportCheck, ImportProgress, ImportedAccount};

use crate::clipboard::ClipboardState;
use crate::input::Input;
use crate::save::{SaveKind, SavedFiles};

/// The vault, shared by every command.
pub type SharedVault = Arc<Vault>;

/// What a command returns to the UI.
pub type Reply<T> = Result<T, ErrorReply>;

/// Runs `call` on the blocking pool: SQLite, argon2 and the keyring must never stall the
/// UI thread or the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(
    vault: &State<'_, SharedVault>,
    call: impl FnOnce(&Vault) -> vault::Result<T> + Send + 'static,
) -> Reply<T> {
    let vault = Arc::clone(vault.inner());
    match tauri::async_runtime::spawn_blocking(move || call(&vault)).await {
        Ok(result) => result.map_err(|e| e.reply()),
        Err(join) => Err(Error::internal("command task", join).reply()),
    }
}

/// Runs `call` on the blocking pool with the verified session: the check that every
/// command but the sign-in and first-run paths starts with. The request is parsed inside
/// `call`, after the check, so a caller without a session learns nothing about inputs.
pub(crate) async fn with_session<T: Send + 'static>(
    vault: &State<'_, SharedVault>,
    call: impl FnOnce(&Vault, &Session) -> vault::Result<T> + Send + 'static,
) -> Reply<T> {
    blocking(vault, move |v| call(v, &v.verify_session()?)).await
}

/// As [`with_session`], for an active admin's session.
pub(crate) async fn with_admin<T: Send + 'static>(
    vault: &State<'_, SharedVault>,
    call: impl FnOnce(&Vault, &AdminSession<'_>) -> vault::Result<T> + Send + 'static,
) -> Reply<T> {
    with_session(vault, move |v, session| call(v, &require_admin(session)?)).await
}

/// Sign-in request.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    /// Email as typed.
    pub email: String,
    /// Password as typed.
    #[ts(type = "string")]
    pub password: SecretString,
}

/// Password-change request.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangePasswordRequest {
    /// The password in force now (or the temporary one).
    #[ts(type = "string")]
    pub current_password: SecretString,
    /// The new password.
    #[ts(type = "string")]
    pub new_password: SecretString,
}

/// A request naming one account.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountRef {
    /// The account.
    pub id: UserId,
}

/// Role-change request.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetRoleRequest {
    /// The account.
    pub id: UserId,
    /// Its new role.
    pub role: Role,
}

/// Disable or enable request.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetDisabledRequest {
    /// The account.
    pub id: UserId,
    /// True to disable, false to enable.
    pub disabled: bool,
}

/// Whether the first-run wizard is due, and whether sessions survive a restart.
#[tauri::command]
pub async fn bootstrap_status(vault: State<'_, SharedVault>) -> Reply<BootstrapStatus> {
    blocking(&vault, |v| v.bootstrap_status()).await
}

/// Creates the first admin of an empty vault and signs them in.
#[tauri::command]
pub async fn create_first_admin(
    vault: State<'_, SharedVault>,
    request: Input<FirstAdmin>,
) -> Reply<CurrentUser> {
    blocking(&vault, move |v| v.create_first_admin(&request.parse()?)).await
}

/// Signs in; the new session's token goes to the OS keyring, never to the UI. For an
/// account linked to an organisation's provider this is the offline sign-in: refused
/// while the provider answers.
#[tauri::command]
pub async fn login(
    vault: State<'_, SharedVault>,
    request: Input<LoginRequest>,
) -> Reply<CurrentUser> {
    blocking(&vault, move |v| {
        let request = request.parse()?;
        v.login_probing(
            &request.email,
            &request.password,
            &crate::organisation::provider_answers,
        )
    })
    .await
}

/// Signs out: ends the session and removes its token.
#[tauri::command]
pub async fn logout(vault: State<'_, SharedVault>) -> Reply<()> {
    blocking(&vault, |v| v.logout()).await
}

/// Does nothing, by the same path as every other command (the async runtime, then the
/// blocking pool): what a call costs before any vault work. `make bench` sets protected
/// commands against it.
#[tauri::command]
pub async fn ping(vault: State<'_, SharedVault>) -> Reply<()> {
    blocking(&vault, |_| Ok(())).await
}

/// The signed-in person (also while a password change is pending).
#[tauri::command]
pub async fn current_user(vault: State<'_, SharedVault>) -> Reply<CurrentUser> {
    with_session(&vault, |v, session| v.current_user(session)).await
}

/// Changes the signed-in person's password; other sessions of the account end.
#[tauri::command]
pub async fn change_password(
    vault: State<'_, SharedVault>,
    request: Input<ChangePasswordRequest>,
) -> Reply<CurrentUser> {
    with_session(&vault, move |v, session| {
        let request = request.parse()?;
        v.change_password(session, &request.current_password, &request.new_password)
    })
    .await
}

/// One person's profile, as the signed-in viewer may see it.
#[tauri::command]
pub async fn get_profile(
    vault: State<'_, SharedVault>,
    request: Input<AccountRef>,
) -> Reply<ProfileDto> {
    with_session(&vault, move |v, session| {
        v.get_profile(session, request.parse()?.id)
    })
    .await
}

/// Changes the signed-in person's own name and phone number.
#[tauri::command]
pub async fn update_profile(
    vault: State<'_, SharedVault>,
    request: Input<ProfileUpdate>,
) -> Reply<CurrentUser> {
    with_session(&vault, move |v, session| {
        v.update_own_profile(session, &request.parse()?)
    })
    .await
}

/// The directory of active accounts, phone numbers only where the viewer may see them.
#[tauri::command]
pub async fn team_directory(
    vault: State<'_, SharedVault>,
    request: Input<ListQuery>,
) -> Reply<Page<ProfileDto>> {
    with_session(&vault, move |v, session| {
        v.team_directory(session, &request.parse()?)
    })
    .await
}

/// Admin: a page of all accounts, optionally filtered by an email or name prefix.
#[tauri::command]
pub async fn list_accounts(
    vault: State<'_, SharedVault>,
    request: Input<ListQuery>,
) -> Reply<Page<UserDto>> {
    with_admin(&vault, move |v, admin| {
        v.list_accounts(admin, &request.parse()?)
    })
    .await
}

/// Admin: one account.
#[tauri::command]
pub async fn get_account(
    vault: State<'_, SharedVault>,
    request: Input<AccountRef>,
) -> Reply<UserDto> {
    with_admin(&vault, move |v, admin| {
        v.get_account(admin, request.parse()?.id)
    })
    .await
}

/// Admin: creates an account with a one-time temporary password.
#[tauri::command]
pub async fn create_account(
    vault: State<'_, SharedVault>,
    request: Input<NewAccount>,
) -> Reply<CreatedAccount> {
    with_admin(&vault, move |v, admin| {
        v.create_account(admin, &request.parse()?)
    })
    .await
}

/// Admin: changes an account's name, team and phone number.
#[tauri::command]
pub async fn update_account(
    vault: State<'_, SharedVault>,
    request: Input<AccountUpdate>,
) -> Reply<UserDto> {
    with_admin(&vault, move |v, admin| {
        v.update_account(admin, &request.parse()?)
    })
    .await
}

/// Admin: changes another account's role; its sessions end.
#[tauri::command]
pub async fn set_role(
    vault: State<'_, SharedVault>,
    request: Input<SetRoleRequest>,
) -> Reply<UserDto> {
    with_admin(&vault, move |v, admin| {
        let request = request.parse()?;
        v.set_role(admin, request.id, request.role)
    })
    .await
}

/// Admin: disables (ending its sessions) or re-enables another account.
#[tauri::command]
pub async fn set_disabled(
    vault: State<'_, SharedVault>,
    request: Input<SetDisabledRequest>,
) -> Reply<UserDto> {
    with_admin(&vault, move |v, admin| {
        let request = request.parse()?;
        v.set_disabled(admin, request.id, request.disabled)
    })
    .await
}

/// Admin: deletes another account.
#[tauri::command]
pub async fn delete_account(
    vault: State<'_, SharedVault>,
    request: Input<AccountRef>,
) -> Reply<()> {
    with_admin(&vault, move |v, admin| {
        v.delete_account(admin, request.parse()?.id)
    })
    .await
}

/// Admin: gives another account a one-time temporary password, shown once.
#[tauri::command]
pub async fn reset_password(
    vault: State<'_, SharedVault>,
    request: Input<AccountRef>,
) -> Reply<String> {
    with_admin(&vault, move |v, admin| {
        let issued = v.reset_password(admin, request.parse()?.id)?;
        Ok(issued.expose().to_owned())
    })
    .await
}

/// A password to estimate, with whom it is for.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckPasswordRequest {
    /// The password being typed.
    #[ts(type = "string")]
    pub password: SecretString,
    /// The account's email, if known.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub email: Option<String>,
    /// The account's display name, if known.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub display_name: Option<String>,
    /// Whether the account has a second factor (a shorter minimum applies). Only the
    /// meter's estimate depends on it; the vault applies the rule from the account.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub has_second_factor: Option<bool>,
}

/// A password check for a sensitive action.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReauthenticateRequest {
    /// The signed-in person's password.
    #[ts(type = "string")]
    pub password: SecretString,
    /// With a second factor: the app's current code.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub code: Option<String>,
}

/// The signed-in person's password, for a change to their own second factor.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordRequest {
    /// The signed-in person's password.
    #[ts(type = "string")]
    pub password: SecretString,
}

/// Which audit export to write.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportRequest {
    /// CSV or JSON Lines.
    pub format: ExportFormat,
}

/// Where an export was written.
#[derive(Debug, Clone, serde::Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportResult {
    /// The file's full path.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// Where audit exports and backups are saved: the OS's save dialog, or the next free
/// name in Downloads.
#[derive(Debug, Clone)]
pub struct Saving(pub Arc<dyn crate::save::SaveTo>);

/// Where the vault is, for the About page.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VaultInfo {
    /// The vault file's full path.
    pub path: String,
    /// Its schema version (the number of migrations applied).
    pub schema_version: i64,
}

/// Signed in: where the vault file is and its schema version, for the About page.
#[tauri::command]
pub async fn vault_info(vault: State<'_, SharedVault>) -> Reply<VaultInfo> {
    with_session(&vault, |v, _| {
        Ok(VaultInfo {
            path: v.path().display().to_string(),
            schema_version: v.schema_version()?,
        })
    })
    .await
}

/// Which saved file to show in the file manager.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ShowFileRequest {
    /// The path an export or a backup reported.
    pub path: String,
}

/// How many days the sign-in chart covers.
const STATS_DAYS: u32 = 30;

/// The strength meter's estimate for a password being typed; never stored or logged.
#[tauri::command]
pub async fn check_password(
    vault: State<'_, SharedVault>,
    request: Input<CheckPasswordRequest>,
) -> Reply<PasswordStrength> {
    blocking(&vault, move |v| {
        let request = request.parse()?;
        let context = PasswordContext {
            email: request.email.as_deref().unwrap_or(""),
            display_name: request.display_name.as_deref().unwrap_or(""),
            has_second_factor: request.has_second_factor.unwrap_or(false),
            min_chars: v.password_min_chars()?,
        };
        Ok(vault::estimate(&request.password, context))
    })
    .await
}

/// Checks the signed-in person's password again, for the next five minutes of
/// sensitive actions.
#[tauri::command]
pub async fn reauthenticate(
    vault: State<'_, SharedVault>,
    request: Input<ReauthenticateRequest>,
) -> Reply<()> {
    with_session(&vault, move |v, session| {
        let request = request.parse()?;
        v.reauthenticate(session, &request.password, request.code.as_deref())
    })
    .await
}

/// What happened to the signed-in person's account since their previous sign-in.
#[tauri::command]
pub async fn since_last_sign_in(vault: State<'_, SharedVault>) -> Reply<Vec<AuditEntry>> {
    with_session(&vault, |v, session| v.since_last_sign_in(session)).await
}

/// Locks this computer's session (the Lock button, Ctrl/Cmd+L). Nothing happens when
/// nobody is signed in or the session is locked already.
#[tauri::command]
pub async fn lock_session(vault: State<'_, SharedVault>) -> Reply<()> {
    blocking(&vault, |v| v.lock_session(LockReason::Manual).map(|_| ())).await
}

/// The lock screen: the people with a locked session at this computer (unless an admin
/// hid the list), and whom it starts on; `null` while someone's session is active.
#[tauri::command]
pub async fn locked_session(vault: State<'_, SharedVault>) -> Reply<Option<LockScreen>> {
    blocking(&vault, |v| v.locked_session()).await
}

/// A password typed at the lock screen for one person's session.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionUnlockRequest {
    /// The session to unlock, as the lock screen listed it.
    pub session_id: String,
    /// Its person's password.
    #[ts(type = "string")]
    pub password: SecretString,
}

/// Unlocks a session held at this computer with its person's password and makes it the
/// active one; whoever else was active is locked.
#[tauri::command]
pub async fn unlock_session(
    vault: State<'_, SharedVault>,
    request: Input<SessionUnlockRequest>,
) -> Reply<CurrentUser> {
    blocking(&vault, move |v| {
        let request = request.parse()?;
        v.unlock_session(&request.session_id, &request.password)
    })
    .await
}

/// Asks to hear, through `on_lock`, whenever the session locks without this window asking
/// (the idle timer, the operating system), so the lock screen can appear at once.
#[tauri::command]
pub async fn watch_lock<R: tauri::Runtime>(
    webview: tauri::Webview<R>,
    watchers: State<'_, Arc<crate::lock::LockWatchers>>,
    on_lock: tauri::ipc::Channel<LockReason>,
) -> Reply<()> {
    watchers.watch(webview.label(), on_lock);
    Ok(())
}

/// A PIN typed at the lock screen for one person's session.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PinRequest {
    /// The session to unlock, as the lock screen listed it.
    pub session_id: String,
    /// The PIN, digits only.
    #[ts(type = "string")]
    pub pin: SecretString,
}

/// Unlocks a session held at this computer with its person's PIN and makes it the active
/// one (five tries, then the session ends).
#[tauri::command]
pub async fn unlock_with_pin(
    vault: State<'_, SharedVault>,
    request: Input<PinRequest>,
) -> Reply<CurrentUser> {
    blocking(&vault, move |v| {
        let request = request.parse()?;
        v.unlock_with_pin(&request.session_id, &request.pin)
    })
    .await
}

/// A new quick-unlock PIN, with the password that allows it.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetPinRequest {
    /// The signed-in person's password.
    #[ts(type = "string")]
    pub password: SecretString,
    /// The new PIN, 6 to 12 digits.
    #[ts(type = "string")]
    pub pin: SecretString,
}

/// Whether the signed-in person has a quick-unlock PIN.
#[tauri::command]
pub async fn pin_status(vault: State<'_, SharedVault>) -> Reply<PinStatus> {
    with_session(&vault, |v, session| v.pin_status(session)).await
}

/// Sets the signed-in person's PIN after checking their password.
#[tauri::command]
pub async fn set_pin(
    vault: State<'_, SharedVault>,
    request: Input<SetPinRequest>,
) -> Reply<PinStatus> {
    with_session(&vault, move |v, session| {
        let request = request.parse()?;
        v.set_pin(session, &request.password, &request.pin)
    })
    .await
}

/// Removes the signed-in person's PIN.
#[tauri::command]
pub async fn clear_pin(vault: State<'_, SharedVault>) -> Reply<()> {
    with_session(&vault, |v, session| v.clear_pin(session)).await
}

/// How long the session may stay without activity before it locks.
#[derive(Debug, Clone, Copy, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    /// Seconds from now until the session locks, unless more activity comes first.
    pub lock_after_seconds: i64,
}

/// Counts keyboard or pointer input in the window as activity (the UI reports it at most
/// every few seconds), and says when the session would lock without more.
#[tauri::command]
pub async fn report_activity(vault: State<'_, SharedVault>) -> Reply<Activity> {
    with_session(&vault, |v, _| {
        Ok(Activity {
            lock_after_seconds: v.auto_lock_seconds(),
        })
    })
    .await
}

/// Admin: the shared desk's settings (the auto-lock time).
#[tauri::command]
pub async fn desk_settings(vault: State<'_, SharedVault>) -> Reply<DeskSettings> {
    with_admin(&vault, |v, admin| v.desk_settings(admin)).await
}

/// Admin: the session and sign-in rules (timeouts, step-up window, throttling, the
/// shortest password).
#[tauri::command]
pub async fn sign_in_rules(vault: State<'_, SharedVault>) -> Reply<SignInRules> {
    with_admin(&vault, |v, admin| v.sign_in_rules(admin)).await
}

/// Admin: changes the session and sign-in rules for everyone at this computer (within
/// their bounds, step-up, each change audited).
#[tauri::command]
pub async fn update_sign_in_rules(
    vault: State<'_, SharedVault>,
    request: Input<SignInRules>,
) -> Reply<SignInRules> {
    with_admin(&vault, move |v, admin| {
        v.update_sign_in_rules(admin, &request.parse()?)
    })
    .await
}

/// Admin: changes the shared desk's settings for everyone at this computer (step-up,
/// audited).
#[tauri::command]
pub async fn update_desk_settings(
    vault: State<'_, SharedVault>,
    request: Input<DeskSettingsUpdate>,
) -> Reply<DeskSettings> {
    with_admin(&vault, move |v, admin| {
        v.update_desk_settings(admin, &request.parse()?)
    })
    .await
}

/// Admin: emails locked after too many failed sign-ins.
#[tauri::command]
pub async fn locked_emails(vault: State<'_, SharedVault>) -> Reply<Vec<LockedEmail>> {
    with_admin(&vault, |v, admin| v.locked_emails(admin)).await
}

/// Admin: lifts a lock.
#[tauri::command]
pub async fn unlock_email(
    vault: State<'_, SharedVault>,
    request: Input<UnlockRequest>,
) -> Reply<()> {
    with_admin(&vault, move |v, admin| v.unlock(admin, &request.parse()?)).await
}

/// Admin: a filtered page of the audit log.
#[tauri::command]
pub async fn audit_log(
    vault: State<'_, SharedVault>,
    request: Input<AuditQuery>,
) -> Reply<AuditPage> {
    with_admin(&vault, move |v, admin| {
        v.audit_log(admin, &request.parse()?)
    })
    .await
}

/// Admin: walks the audit chain.
#[tauri::command]
pub async fn verify_audit_chain(vault: State<'_, SharedVault>) -> Reply<ChainReport> {
    with_admin(&vault, |v, admin| v.verify_audit_chain(admin)).await
}

/// Which days the sign-in chart counts by.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInStatsRequest {
    /// The viewer's offset from UTC now, in minutes (+540 in Korea), as the UI's date
    /// filters use it.
    pub utc_offset_minutes: i32,
}

/// Admin: sign-ins per local day over the last 30 days.
#[tauri::command]
pub async fn sign_in_stats(
    vault: State<'_, SharedVault>,
    request: Input<SignInStatsRequest>,
) -> Reply<Vec<DayCount>> {
    with_admin(&vault, move |v, admin| {
        let offset = request.parse()?.utc_offset_minutes;
        v.sign_in_stats(admin, STATS_DAYS, offset)
    })
    .await
}

/// Asks an admin where to save a `kind` file, proposed as `stem` and today's date:
/// `None` when they cancel. With `hold`, the action must be allowed first, and its
/// step-up check is held for it while the dialog is open (no lock is); the caller
/// checks the session again before it writes, since the person may have walked away
/// meanwhile, and then releases the check.
async fn choose_file(
    vault: &State<'_, SharedVault>,
    saving: &State<'_, Saving>,
    hold: Option<AdminAction>,
    kind: SaveKind,
    stem: &'static str,
) -> Reply<Option<std::path::PathBuf>> {
    let name = with_admin(vault, move |v, admin| {
        if let Some(action) = hold {
            v.hold_step_up(admin, action)?;
        }
        Ok(format!("{stem}-{}", v.today()))
    })
    .await?;
    let saving = saving.0.clone();
    let chosen = tauri::async_runtime::spawn_blocking(move || saving.choose(kind, &name))
        .await
        .map_err(|e| {
            vault.release_step_up();
            Error::internal("save dialog", e).reply()
        })?;
    match &chosen {
        Some(path) => log::info!("saving {kind:?} to {}", path.display()),
        None => log::info!("saving {kind:?}: cancelled"),
    }
    Ok(chosen)
}

/// Admin (with a recent password check): writes the audit log to a file the person
/// chooses; `null` when they cancel the dialog.
#[tauri::command]
pub async fn export_audit(
    vault: State<'_, SharedVault>,
    saving: State<'_, Saving>,
    saved: State<'_, SavedFiles>,
    request: Input<ExportRequest>,
) -> Reply<Option<ExportResult>> {
    let format = with_admin(&vault, move |_, _| request.parse())
        .await?
        .format;
    let kind = match format {
        ExportFormat::Csv => SaveKind::AuditCsv,
        ExportFormat::Jsonl => SaveKind::AuditJsonl,
    };
    export_to_chosen_file(
        &vault,
        &saving,
        &saved,
        (AdminAction::ExportAudit, kind, "latchkey-audit"),
        move |v, admin| v.export_audit(admin, format),
    )
    .await
}

/// Asks where to save (see [`choose_file`]), then writes what `export` returns into a
/// new private file there. The file is claimed before `export` runs, so a name taken
/// meanwhile (or a "replace" confirmed in the dialog) is refused before the export is
/// audited; a failed export leaves no file. `null` when the dialog was cancelled.
async fn export_to_chosen_file(
    vault: &State<'_, SharedVault>,
    saving: &State<'_, Saving>,
    saved: &State<'_, SavedFiles>,
    (action, kind, stem): (AdminAction, SaveKind, &'static str),
    export: impl FnOnce(&Vault, &AdminSession<'_>) -> vault::Result<String> + Send + 'static,
) -> Reply<Option<ExportResult>> {
    let Some(path) = choose_file(vault, saving, Some(action), kind, stem).await? else {
        vault.release_step_up();
        return Ok(None);
    };
    let written = with_admin(vault, move |v, admin| {
        let file = claim_private(&path)?;
        match export(v, admin).and_then(|text| fill(file, &path, &text)) {
            Ok(bytes) => Ok((path, bytes)),
            Err(error) => {
                let _ = std::fs::remove_file(&path);
                Err(error)
            }
        }
    })
    .await;
    vault.release_step_up();
    let (path, bytes) = written?;
    Ok(Some(saved_as(saved, path, bytes)))
}

/// Remembers `path` for "Show in folder" and says where it went.
fn saved_as(saved: &SavedFiles, path: std::path::PathBuf, bytes: u64) -> ExportResult {
    saved.add(path.clone());
    ExportResult {
        path: path.display().to_string(),
        bytes,
    }
}

/// Admin: what importing an accounts CSV would do, or every problem by line and column.
/// Writes nothing.
#[tauri::command]
pub async fn check_account_import(
    vault: State<'_, SharedVault>,
    request: Input<AccountsCsv>,
) -> Reply<ImportCheck> {
    with_admin(&vault, move |v, admin| {
        v.check_import(admin, &request.parse()?)
    })
    .await
}

/// Admin (with a recent password check): makes every account of an accounts CSV in one
/// transaction, each with a temporary password returned once; `onProgress` hears how
/// far the temporary passwords have got.
#[tauri::command]
pub async fn import_accounts(
    vault: State<'_, SharedVault>,
    request: Input<AccountsCsv>,
    on_progress: tauri::ipc::Channel<ImportProgress>,
) -> Reply<Vec<ImportedAccount>> {
    with_admin(&vault, move |v, admin| {
        let file = request.parse()?;
        v.import_accounts(admin, &file, &mut |progress| {
            // A page that went away stops hearing; the import goes on to the end.
            let _ = on_progress.send(progress);
        })
    })
    .await
}

/// The temporary passwords an import showed, to write to a file once.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemporaryPasswords {
    /// Each account's email and temporary password, as the import returned them.
    pub accounts: Vec<TemporaryPassword>,
}

/// One account's temporary password.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemporaryPassword {
    /// The account's email.
    pub email: String,
    /// Its temporary password.
    #[ts(type = "string")]
    pub temporary_password: SecretString,
}

/// Admin: writes an import's temporary passwords to a new private (0600) CSV file the
/// person chooses, for handing them over; `null` when they cancel the dialog. The
/// passwords come from the page that showed them: the vault keeps only their hashes.
#[tauri::command]
pub async fn save_temporary_passwords(
    vault: State<'_, SharedVault>,
    saving: State<'_, Saving>,
    saved: State<'_, SavedFiles>,
    request: Input<TemporaryPasswords>,
) -> Reply<Option<ExportResult>> {
    let text = with_admin(&vault, move |_, _| {
        let request = request.parse()?;
        if request.accounts.len() > vault::IMPORT_MAX_ROWS {
            return Err(Error::invalid(
                "accounts",
                vault::Invalid::TooLarge(vault::IMPORT_MAX_ROWS as i64),
            ));
        }
        let mut text = String::from("email,temporary_password\n");
        for account in &request.accounts {
            let email = vault::normalise_email(&account.email)?;
            let password = account.temporary_password.expose();
            if password.len() > vault::PASSWORD_MAX_BYTES {
                return Err(Error::invalid(
                    "temporaryPassword",
                    vault::Invalid::TooLong(vault::PASSWORD_MAX_BYTES),
                ));
            }
            text.push_str(&vault::spreadsheet_line(&[email.as_str(), password]));
        }
        Ok(text)
    })
    .await?;
    let kind = SaveKind::TemporaryPasswords;
    let Some(path) =
        choose_file(&vault, &saving, None, kind, "latchkey-temporary-passwords").await?
    else {
        return Ok(None);
    };
    let (path, bytes) = with_admin(&vault, move |_, _| {
        write_private(&path, &text).map(|bytes| (path, bytes))
    })
    .await?;
    Ok(Some(saved_as(&saved, path, bytes)))
}

/// Admin (with a recent password check): writes the account list as CSV to a new
/// private file the person chooses (audited); `null` when they cancel the dialog.
#[tauri::command]
pub async fn export_accounts(
    vault: State<'_, SharedVault>,
    saving: State<'_, Saving>,
    saved: State<'_, SavedFiles>,
) -> Reply<Option<ExportResult>> {
    export_to_chosen_file(
        &vault,
        &saving,
        &saved,
        (
            AdminAction::ExportAccounts,
            SaveKind::AccountsCsv,
            "latchkey-accounts",
        ),
        |v, admin| v.export_accounts(admin),
    )
    .await
}

/// Creates `path` new and private (0600); a file already there is `Conflict(FileExists)`.
fn claim_private(path: &std::path::Path) -> vault::Result<std::fs::File> {
    crate::files::create_private(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::Conflict(vault::Conflict::FileExists),
        _ => Error::Storage(format!("create {}: {e}", path.display())),
    })
}

/// Writes `text` into `file` (made by [`claim_private`]) and flushes it to disk.
fn fill(mut file: std::fs::File, path: &std::path::Path, text: &str) -> vault::Result<u64> {
    use std::io::Write as _;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map(|()| text.len() as u64)
        .map_err(|e| Error::Storage(format!("write {}: {e}", path.display())))
}

/// [`claim_private`] and [`fill`]; a half-written file is removed.
fn write_private(path: &std::path::Path, text: &str) -> vault::Result<u64> {
    let file = claim_private(path)?;
    fill(file, path, text).inspect_err(|_| {
        let _ = std::fs::remove_file(path);
    })
}

/// Admin (with a recent password check): writes a backup of the vault to a new private
/// file the person chooses (audited); `null` when they cancel the dialog.
#[tauri::command]
pub async fn backup_vault(
    vault: State<'_, SharedVault>,
    saving: State<'_, Saving>,
    saved: State<'_, SavedFiles>,
) -> Reply<Option<BackupReport>> {
    let chosen = choose_file(
        &vault,
        &saving,
        Some(AdminAction::Backup),
        SaveKind::Backup,
        "latchkey-backup",
    );
    let Some(path) = chosen.await? else {
        vault.release_step_up();
        return Ok(None);
    };
    let target = path.clone();
    let report = with_admin(&vault, move |v, admin| v.backup(admin, &target)).await;
    vault.release_step_up();
    let report = report?;
    saved.add(path);
    Ok(Some(report))
}

/// Admin: shows a file this run saved (an export or a backup) in the file manager.
/// Any other path is `NotFound`: the page cannot open what it likes.
#[tauri::command]
pub async fn show_saved_file(
    vault: State<'_, SharedVault>,
    saving: State<'_, Saving>,
    saved: State<'_, SavedFiles>,
    request: Input<ShowFileRequest>,
) -> Reply<()> {
    let path = with_admin(&vault, move |_, _| request.parse()).await?.path;
    let path = std::path::PathBuf::from(path);
    if !saved.contains(&path) {
        return Err(Error::NotFound.reply());
    }
    let saving = saving.0.clone();
    tauri::async_runtime::spawn_blocking(move || saving.show(&path))
        .await
        .map_err(|e| Error::internal("show file", e).reply())?
        .map_err(|e| Error::internal("show file", e).reply())
}

/// Text to copy to the clipboard for a short while.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CopySecretRequest {
    /// The one-time password on screen.
    #[ts(type = "string")]
    pub text: SecretString,
}

/// Longest text `copy_secret` takes: a one-time password is 23 characters.
const COPY_MAX_BYTES: usize = 256;

/// Admin: copies a one-time password to the clipboard and empties the clipboard again
/// after 30 seconds if it still holds it.
#[tauri::command]
pub async fn copy_secret(
    vault: State<'_, SharedVault>,
    clipboard: State<'_, ClipboardState>,
    request: Input<CopySecretRequest>,
) -> Reply<()> {
    let clipboard = clipboard.inner().clone();
    // The admin proof is the gate; copying needs nothing else of the vault.
    with_admin(&vault, move |_, _admin| {
        let text = request.parse()?.text;
        let bytes = text.expose().len();
        if bytes == 0 {
            return Err(Error::invalid("text", vault::Invalid::Empty));
        }
        if bytes > COPY_MAX_BYTES {
            return Err(Error::invalid(
                "text",
                vault::Invalid::TooLong(COPY_MAX_BYTES),
            ));
        }
        if text.expose().chars().any(char::is_control) {
            return Err(Error::invalid("text", vault::Invalid::ControlCharacter));
        }
        clipboard
            .copy_for_a_while(text)
            .map_err(|e| Error::internal("clipboard", e))
    })
    .await
}

/// Admin: the security overview.
#[tauri::command]
pub async fn security_health(vault: State<'_, SharedVault>) -> Reply<SecurityHealth> {
    with_admin(&vault, |v, admin| v.security_health(admin)).await
}

/// Admin: the break-glass notice, if any.
#[tauri::command]
pub async fn break_glass_notice(vault: State<'_, SharedVault>) -> Reply<Option<BreakGlassNotice>> {
    with_admin(&vault, |v, admin| v.break_glass_notice(admin)).await
}

/// Admin: clears the break-glass notice for everyone.
#[tauri::command]
pub async fn acknowledge_break_glass(vault: State<'_, SharedVault>) -> Reply<()> {
    with_admin(&vault, |v, admin| v.acknowledge_break_glass(admin)).await
}

/// The second step of a sign-in: the ticket `login` gave with `CodeRequired`, and a code
/// from the authenticator app or a recovery code.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CompleteSignInRequest {
    /// The half-done sign-in.
    pub ticket: String,
    /// Six digits from the app, or a recovery code.
    #[ts(type = "string")]
    pub code: SecretString,
}

/// Finishes a sign-in whose password was right with a code (five tries, five minutes).
#[tauri::command]
pub async fn complete_sign_in(
    vault: State<'_, SharedVault>,
    request: Input<CompleteSignInRequest>,
) -> Reply<CurrentUser> {
    blocking(&vault, move |v| {
        let request = request.parse()?;
        v.complete_sign_in(&request.ticket, request.code.expose())
    })
    .await
}

/// The signed-in person's second factor: whether they have one, recovery codes left,
/// whether it is required. Never the secret.
#[tauri::command]
pub async fn second_factor_status(vault: State<'_, SharedVault>) -> Reply<SecondFactorStatus> {
    with_session(&vault, |v, session| v.second_factor_status(session)).await
}

/// Starts setting up a second factor: the secret as a QR code, base32 and URI.
#[tauri::command]
pub async fn begin_enrolment(vault: State<'_, SharedVault>) -> Reply<Enrolment> {
    with_session(&vault, |v, session| v.begin_enrolment(session)).await
}

/// The first code from the app and the password, to finish setting up.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfirmEnrolmentRequest {
    /// The person's password, which seals the secret.
    #[ts(type = "string")]
    pub password: SecretString,
    /// The app's current six digits.
    pub code: String,
}

/// Finishes setting up the second factor and returns the recovery codes, once.
#[tauri::command]
pub async fn confirm_enrolment(
    vault: State<'_, SharedVault>,
    request: Input<ConfirmEnrolmentRequest>,
) -> Reply<RecoveryCodes> {
    with_session(&vault, move |v, session| {
        let request = request.parse()?;
        v.confirm_enrolment(session, &request.password, &request.code)
    })
    .await
}

/// Ten new recovery codes in place of the old ones, after the password.
#[tauri::command]
pub async fn regenerate_recovery_codes(
    vault: State<'_, SharedVault>,
    request: Input<PasswordRequest>,
) -> Reply<RecoveryCodes> {
    with_session(&vault, move |v, session| {
        v.regenerate_recovery_codes(session, &request.parse()?.password)
    })
    .await
}

/// Removes the signed-in person's second factor, after the password (refused while an
/// admin requires one).
#[tauri::command]
pub async fn remove_second_factor(
    vault: State<'_, SharedVault>,
    request: Input<PasswordRequest>,
) -> Reply<()> {
    with_session(&vault, move |v, session| {
        v.remove_second_factor(session, &request.parse()?.password)
    })
    .await
}

/// Removes another person's second factor (step-up, audited).
#[tauri::command]
pub async fn reset_second_factor(
    vault: State<'_, SharedVault>,
    request: Input<AccountRef>,
) -> Reply<()> {
    with_admin(&vault, move |v, admin| {
        v.reset_second_factor(admin, request.parse()?.id)
    })
    .await
}

/// Who must have a second factor.
#[tauri::command]
pub async fn second_factor_policy(vault: State<'_, SharedVault>) -> Reply<SecondFactorPolicy> {
    with_admin(&vault, |v, admin| Ok(v.second_factor_policy(admin))).await
}

/// A new choice of who must have a second factor.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecondFactorPolicyRequest {
    /// Nobody, administrators, or everyone.
    pub policy: SecondFactorPolicy,
}

/// Changes who must have a second factor (step-up, audited).
#[tauri::command]
pub async fn set_second_factor_policy(
    vault: State<'_, SharedVault>,
    request: Input<SecondFactorPolicyRequest>,
) -> Reply<SecondFactorPolicy> {
    with_admin(&vault, move |v, admin| {
        v.set_second_factor_policy(admin, request.parse()?.policy)
    })
    .await
}

/// The sessions of one account at this computer.
#[tauri::command]
pub async fn account_sessions(
    vault: State<'_, SharedVault>,
    request: Input<AccountRef>,
) -> Reply<Vec<AccountSession>> {
    with_admin(&vault, move |v, admin| {
        v.account_sessions(admin, request.parse()?.id)
    })
    .await
}

/// One session, named by its public id.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionRef {
    /// The session, as `account_sessions` listed it.
    pub session_id: String,
}

/// Signs out someone else's session (step-up, audited).
#[tauri::command]
pub async fn end_session(vault: State<'_, SharedVault>, request: Input<SessionRef>) -> Reply<()> {
    with_admin(&vault, move |v, admin| {
        v.end_session(admin, &request.parse()?.session_id)
    })
    .await
}

/// Signs out every session of an account, "everywhere" (step-up, audited); returns how
/// many there were.
#[tauri::command]
pub async fn end_all_sessions(
    vault: State<'_, SharedVault>,
    request: Input<AccountRef>,
) -> Reply<usize> {
    with_admin(&vault, move |v, admin| {
        v.end_all_sessions(admin, request.parse()?.id)
    })
    .await
}
