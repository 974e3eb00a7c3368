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

/// Where the tokens of the sessions at this computer are kept between launches, one
/// entry per session, and the audit anchor ([`AuditAnchor`]) beside them, outside the
/// vault file.
///
/// The vault reads the tokens once, naming the sessions its file holds, and then keeps
/// them in memory, because reading an OS keyring costs milliseconds per entry; it reads
/// and writes the anchor at sign-in, sign-out and chain verification only.
pub trait SessionStore: Send + Sync + fmt::Debug {
    /// The stored tokens of the sessions `ids`, in no particular order. A missing or
    /// unreadable entry is left out.
    fn load(&self, ids: &[String]) -> Result<Vec<SessionToken>, StoreError>;
    /// Stores `token` in its session's entry, replacing what was there.
    fn save(&self, token: &SessionToken) -> Result<(), StoreError>;
    /// Removes the entry of session `id`; succeeds when there is none.
    fn clear(&self, id: &str) -> Result<(), StoreError>;
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
    slots: Mutex<Vec<SessionToken>>,
    anchor: Mutex<Option<AuditAnchor>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, Vec<SessionToken>> {
        // A panic while holding this lock cannot leave a half-written token behind.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every token held, whichever session it belongs to (for tests).
    pub fn tokens(&self) -> Vec<SessionToken> {
        self.slots().clone()
    }
}

impl SessionStore for MemoryStore {
    fn load(&self, ids: &[String]) -> Result<Vec<SessionToken>, StoreError> {
        Ok(self
            .slots()
            .iter()
            .filter(|token| ids.iter().any(|id| id == token.id()))
            .cloned()
            .collect())
    }

    fn save(&self, token: &SessionToken) -> Result<(), StoreError> {
        let mut slots = self.slots();
        slots.retain(|held| held.id() != token.id());
        slots.push(token.clone());
        Ok(())
    }

    fn clear(&self, id: &str) -> Result<(), StoreError> {
        self.slots().retain(|held| held.id() != id);
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
