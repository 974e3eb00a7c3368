//! The session token in the OS keyring: Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows.
//!
//! The keyring holds two entries per vault, under the app identifier as service name and
//! account names derived from the vault file's path, so two vaults on one OS account
//! never share them: the current session's token (45 bytes, far under Windows' 2,560-byte
//! limit), and the audit anchor (the newest audit row's number and hash, which shows rows
//! cut from the end of the log). Everyone who shares the OS account can read them; that
//! is why the token is short-lived, revocable in SQLite, and deleted at sign-out, and why
//! the anchor is a check against someone with the vault file alone.
//!
//! Each read of the Secret Service opens a D-Bus connection and an encrypted session
//! with the daemon, which costs milliseconds at start-up. The read that checks the
//! keyring at open is therefore kept and handed to the vault's first load, so launching
//! the app reads the keyring once, not twice.

use std::fmt;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use sha2::{Digest, Sha256};
use vault::{AuditAnchor, SessionStore, SessionToken, StoreError};

/// The keyring's service name: the app identifier from `tauri.conf.json`.
pub const SERVICE: &str = "app.latchkey.desktop";

/// A [`SessionStore`] in the OS keyring.
pub struct KeyringStore {
    entry: keyring::Entry,
    anchor: keyring::Entry,
    account: String,
    /// What the opening check read, until the first load, save or clear.
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

    /// The entry `service`/`account`, checked by one read so that a missing or locked
    /// keyring is found now rather than at sign-in.
    pub fn new(service: &str, account: &str) -> Result<Self, StoreError> {
        let entry = keyring::Entry::new(service, account).map_err(store_error)?;
        let anchor =
            keyring::Entry::new(service, &Self::anchor_account(account)).map_err(store_error)?;
        let primed = read(&entry)?;
        Ok(Self {
            entry,
            anchor,
            account: account.to_owned(),
            primed: Mutex::new(Some(primed)),
        })
    }

    /// Drops the value read at open: the keyring is the truth from here on.
    fn forget_primed(&self) {
        self.primed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
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
    fn load(&self) -> Result<Option<SessionToken>, StoreError> {
        let primed = self
            .primed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match primed {
            Some(token) => Ok(token),
            None => read(&self.entry),
        }
    }

    fn save(&self, token: &SessionToken) -> Result<(), StoreError> {
        self.forget_primed();
        self.entry
            .set_password(token.to_stored().expose())
            .map_err(store_error)
    }

    fn clear(&self) -> Result<(), StoreError> {
        self.forget_primed();
        match self.entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(store_error(e)),
        }
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

fn store_error(error: keyring::Error) -> StoreError {
    StoreError(error.to_string())
}

/// Overwrites a string that held a token before it is freed.
fn zeroize_string(text: &mut String) {
    let mut bytes = std::mem::take(text).into_bytes();
    bytes.iter_mut().for_each(|b| *b = 0);
    std::hint::black_box(&bytes);
}
