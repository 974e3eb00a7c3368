//! The session tokens in the OS keyring: Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows.
//!
//! The keyring holds, per vault, one entry per session signed in at this computer and
//! one audit anchor, under the app identifier as service name and account names derived
//! from the vault file's path, so two vaults on one OS account never share them. A
//! session's entry is `session-<vault>-<session id>` and holds its token (45 bytes, far
//! under Windows' 2,560-byte limit); the anchor (the newest audit row's number and hash,
//! which shows rows cut from the end of the log) is `audit-anchor-<vault>`. Everyone who
//! shares the OS account can read them; that is why tokens are short-lived, revocable in
//! SQLite, and deleted at sign-out, and why the anchor is a check against someone with
//! the vault file alone.
//!
//! Versions before several people could be signed in kept one token in
//! `session-<vault>`. That entry is read when the store opens (the read that proves the
//! keyring works) and moved to its session's own entry at the first load.

use std::fmt;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use sha2::{Digest, Sha256};
use vault::{AuditAnchor, SessionStore, SessionToken, StoreError};

/// The keyring's service name: the app identifier from `tauri.conf.json`.
pub const SERVICE: &str = "app.latchkey.desktop";

/// A [`SessionStore`] in the OS keyring.
pub struct KeyringStore {
    service: String,
    /// The entry of earlier versions' single token; its name is also the prefix of each
    /// session's entry.
    legacy: keyring::Entry,
    anchor: keyring::Entry,
    account: String,
    /// What the opening check read from the legacy entry, until the first load.
    primed: Mutex<Option<Option<SessionToken>>>,
}

impl KeyringStore {
    /// The entry for the vault file at `vault_path`. Fails when the platform has no
    /// usable keyring (for example Linux without a Secret Service).
    pub fn for_vault(vault_path: &Path) -> Result<Self, StoreError> {
        let digest = Sha256::digest(vault_path.to_string_lossy().as_bytes());
        let short: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        Self::new(SERVICE, &format!("session-{short}"))
    }

    /// The account name of the audit anchor that goes with the session `account`.
    fn anchor_account(account: &str) -> String {
        format!("audit-anchor-{}", account.trim_start_matches("session-"))
    }

    /// The entries under `service` whose names start with `account`, checked by one
    /// read so that a missing or locked keyring is found now rather than at sign-in.
    pub fn new(service: &str, account: &str) -> Result<Self, StoreError> {
        let legacy = keyring::Entry::new(service, account).map_err(store_error)?;
        let anchor =
            keyring::Entry::new(service, &Self::anchor_account(account)).map_err(store_error)?;
        let primed = read(&legacy)?;
        Ok(Self {
            service: service.to_owned(),
            legacy,
            anchor,
            account: account.to_owned(),
            primed: Mutex::new(Some(primed)),
        })
    }

    /// The entry of session `id`.
    fn entry(&self, id: &str) -> Result<keyring::Entry, StoreError> {
        keyring::Entry::new(&self.service, &format!("{}-{id}", self.account)).map_err(store_error)
    }

    /// Moves a token that an earlier version kept in the single entry to its session's
    /// own entry, once. Returns it when it belongs to one of `ids`.
    fn migrate_legacy(&self, ids: &[String]) -> Result<Option<SessionToken>, StoreError> {
        let primed = self
            .primed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let Some(Some(token)) = primed else {
            return Ok(None);
        };
        if !ids.iter().any(|id| id == token.id()) {
            // Its session has ended since: nothing to move.
            delete(&self.legacy)?;
            return Ok(None);
        }
        self.save(&token)?;
        delete(&self.legacy)?;
        Ok(Some(token))
    }
}

impl fmt::Debug for KeyringStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyringStore")
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

impl SessionStore for KeyringStore {
    fn load(&self, ids: &[String]) -> Result<Vec<SessionToken>, StoreError> {
        let moved = self.migrate_legacy(ids)?;
        let mut tokens = Vec::new();
        for id in ids {
            if let Some(token) = moved.as_ref().filter(|token| token.id() == id) {
                tokens.push(token.clone());
                continue;
            }
            // An entry whose token names another session is damaged: left out.
            if let Some(token) = read(&self.entry(id)?)?.filter(|token| token.id() == id) {
                tokens.push(token);
            }
        }
        Ok(tokens)
    }

    fn save(&self, token: &SessionToken) -> Result<(), StoreError> {
        self.entry(token.id())?
            .set_password(token.to_stored().expose())
            .map_err(store_error)
    }

    fn clear(&self, id: &str) -> Result<(), StoreError> {
        delete(&self.entry(id)?)
    }

    fn is_persistent(&self) -> bool {
        true
    }

    fn load_anchor(&self) -> Result<Option<AuditAnchor>, StoreError> {
        match self.anchor.get_password() {
            Ok(stored) => Ok(AuditAnchor::parse(&stored)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(store_error(e)),
        }
    }

    fn save_anchor(&self, anchor: &AuditAnchor) -> Result<(), StoreError> {
        self.anchor
            .set_password(&anchor.to_stored())
            .map_err(store_error)
    }
}

/// The token in `entry`, if any; an unreadable value counts as none.
fn read(entry: &keyring::Entry) -> Result<Option<SessionToken>, StoreError> {
    match entry.get_password() {
        Ok(stored) => {
            let token = SessionToken::parse(&stored);
            let mut stored = stored;
            zeroize_string(&mut stored);
            Ok(token)
        }
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(store_error(e)),
    }
}

/// Removes `entry`; succeeds when there is none.
fn delete(entry: &keyring::Entry) -> Result<(), StoreError> {
    match entry.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(store_error(e)),
    }
}

fn store_error(error: keyring::Error) -> StoreError {
    StoreError(error.to_string())
}

/// Overwrites a string that held a token before it is freed.
fn zeroize_string(text: &mut String) {
    let mut bytes = std::mem::take(text).into_bytes();
    bytes.iter_mut().for_each(|b| *b = 0);
    std::hint::black_box(&bytes);
}
