//! Where the token and the audit anchor are kept between launches: the [`SessionStore`]
//! trait, and the in-memory store for tests and for machines without a keyring.

use std::fmt;
use std::sync::{Mutex, PoisonError};

use crate::model::audit::AuditAnchor;

use super::SessionToken;

/// A failure of the place where tokens are kept (the keyring is locked, missing, ...).
#[derive(Debug, Clone, thiserror::Error)]
#[error("session store: {0}")]
pub struct StoreError(pub String);

/// Where the current session's token is kept between launches, and the audit anchor
/// ([`AuditAnchor`]) beside it, outside the vault file.
///
/// Implementations hold at most one token and one anchor. The vault reads the token
/// once and then keeps it in memory, because reading an OS keyring costs milliseconds;
/// it reads and writes the anchor at sign-in, sign-out and chain verification only.
pub trait SessionStore: Send + Sync + fmt::Debug {
    /// The stored token, if there is one. An unreadable entry is `Ok(None)`.
    fn load(&self) -> Result<Option<SessionToken>, StoreError>;
    /// Replaces the stored token.
    fn save(&self, token: &SessionToken) -> Result<(), StoreError>;
    /// Removes the stored token; succeeds when there is none.
    fn clear(&self) -> Result<(), StoreError>;
    /// Whether a saved token survives the app closing ("stay signed in").
    fn is_persistent(&self) -> bool;
    /// The stored audit anchor, if there is one. An unreadable entry is `Ok(None)`.
    fn load_anchor(&self) -> Result<Option<AuditAnchor>, StoreError>;
    /// Replaces the stored audit anchor. Sign-out does not remove it.
    fn save_anchor(&self, anchor: &AuditAnchor) -> Result<(), StoreError>;
}

/// A store in process memory: unit tests, and the fallback when no OS keyring works.
#[derive(Debug, Default)]
pub struct MemoryStore {
    slot: Mutex<Option<SessionToken>>,
    anchor: Mutex<Option<AuditAnchor>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<SessionToken>> {
        // A panic while holding this lock cannot leave a half-written token behind.
        self.slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl SessionStore for MemoryStore {
    fn load(&self) -> Result<Option<SessionToken>, StoreError> {
        Ok(self.slot().clone())
    }

    fn save(&self, token: &SessionToken) -> Result<(), StoreError> {
        *self.slot() = Some(token.clone());
        Ok(())
    }

    fn clear(&self) -> Result<(), StoreError> {
        *self.slot() = None;
        Ok(())
    }

    fn is_persistent(&self) -> bool {
        false
    }

    fn load_anchor(&self) -> Result<Option<AuditAnchor>, StoreError> {
        Ok(*self.anchor.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn save_anchor(&self, anchor: &AuditAnchor) -> Result<(), StoreError> {
        *self.anchor.lock().unwrap_or_else(PoisonError::into_inner) = Some(*anchor);
        Ok(())
    }
}
