//! The host's side of the session check: [`Session`] and [`AdminSession`] as arguments
//! of the host's own commands, and [`verify_session`] for its other code.
//!
//! Tauri builds each command argument through its `CommandArg` trait before the
//! command's body runs, so a command that names `session: Session` cannot run without a
//! verified session: a refused call returns the same typed reply (`NotAuthenticated`,
//! `SessionExpired`, `PasswordChangeRequired`, `Forbidden`) as the plugin's own
//! commands, and the body is never entered. Both types can only be built here, so a
//! host's data function that takes `&Session` can only be reached through the check
//! (the data-access layer's proof, as in the plugin's own vault).
//!
//! The check reads the vault's in-memory cache (about 2 µs); only the first call after
//! launch reads the OS keyring. In an `async` command it runs on the async runtime; in
//! a plain `fn` command it runs on the main thread, like any other argument.

use std::ops::Deref;
use std::sync::Arc;

use tauri::ipc::{CommandArg, CommandItem, InvokeError};
use tauri::{Manager, Runtime};
use vault::{Error, ErrorReply, Role, UserId, Vault};

use crate::commands::SharedVault;

/// A verified session whose temporary password, if it had one, was replaced: the proof
/// a host's command or data function demands before it reads or changes a person's data.
#[derive(Debug, Clone)]
pub struct Session {
    proof: vault::Session,
    vault: Arc<Vault>,
}

impl Session {
    /// The signed-in account.
    pub fn user_id(&self) -> UserId {
        self.proof.user_id()
    }

    /// The signed-in account's role.
    pub fn role(&self) -> Role {
        self.proof.role()
    }

    /// The vault's own proof, for calling the vault's data-access functions directly.
    pub fn proof(&self) -> &vault::Session {
        &self.proof
    }

    /// The vault the session was verified against.
    pub fn vault(&self) -> &Arc<Vault> {
        &self.vault
    }

    /// This session as an admin's, or `Forbidden`.
    pub fn require_admin(self) -> Result<AdminSession, ErrorReply> {
        vault::require_admin(&self.proof).map_err(|e| e.reply())?;
        Ok(AdminSession(self))
    }
}

/// A verified session of an active admin.
#[derive(Debug, Clone)]
pub struct AdminSession(Session);

impl Deref for AdminSession {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.0
    }
}

/// Verifies the current session, the `verifySession()` of the host's own code: the
/// person at the keyboard, or the typed reply that says why there is none. The host
/// passes the `Session` on to its data functions as their proof.
pub fn verify_session<R: Runtime>(manager: &impl Manager<R>) -> Result<Session, ErrorReply> {
    let vault = manager
        .try_state::<SharedVault>()
        .map(|vault| Arc::clone(vault.inner()))
        .ok_or_else(|| {
            Error::internal("session check", "the latchkey plugin is not registered").reply()
        })?;
    let proof = vault.verify_session().map_err(|e| e.reply())?;
    proof.ensure_settled().map_err(|e| e.reply())?;
    Ok(Session { proof, vault })
}

impl<'de, R: Runtime> CommandArg<'de, R> for Session {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        verify_session(command.message.webview_ref()).map_err(InvokeError::from)
    }
}

impl<'de, R: Runtime> CommandArg<'de, R> for AdminSession {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        verify_session(command.message.webview_ref())
            .and_then(Session::require_admin)
            .map_err(InvokeError::from)
    }
}
