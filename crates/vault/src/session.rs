//! Sessions: the token, where it is kept, and the proof types that the DAL demands.
//!
//! A token is `id.secret`, two independent 128-bit values from the OS CSPRNG, each
//! URL-safe base64. SQLite keeps the id and SHA-256 of the secret, never the token, so
//! a copy of the vault file cannot be replayed as a session. The secret is compared in
//! constant time. Sessions end after an idle period (activity slides it, last-seen is
//! written at most once a minute) and after an absolute lifetime, whichever comes first.
//! Every sign-in issues a new token; sign-out deletes the row. The token itself lives in
//! a [`SessionStore`]: the OS keyring in the app, memory in tests.

use std::fmt;
use std::sync::{Mutex, PoisonError};

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::clock::Timestamp;
use crate::dto::Viewer;
use crate::error::{Error, Result};
use crate::model::audit::AuditAnchor;
use crate::model::{Role, UserId};
use crate::random;
use crate::secret::SecretString;

/// The bearer token of one session, `id.secret`. Prints as `<redacted>`; wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken {
    id: String,
    secret: SecretString,
}

impl SessionToken {
    pub(crate) fn generate() -> Result<Self> {
        let mut id = [0_u8; 16];
        let mut secret = [0_u8; 16];
        random::fill(&mut id)?;
        random::fill(&mut secret)?;
        let token = Self {
            id: random::encode(&id),
            secret: SecretString::new(random::encode(&secret)),
        };
        zeroize::Zeroize::zeroize(&mut secret);
        Ok(token)
    }

    /// Reads a token in its stored form. Anything else (wrong shape, wrong length,
    /// characters outside URL-safe base64) is `None`: a damaged keyring entry is treated
    /// as no session.
    pub fn parse(text: &str) -> Option<Self> {
        let (id, secret) = text.split_once('.')?;
        let part_ok = |part: &str| {
            part.len() == 22
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        (part_ok(id) && part_ok(secret)).then(|| Self {
            id: id.to_owned(),
            secret: SecretString::from(secret),
        })
    }

    /// The token in its stored form, for a [`SessionStore`] only.
    pub fn to_stored(&self) -> SecretString {
        SecretString::new(format!("{}.{}", self.id, self.secret.expose()))
    }

    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn secret_hash(&self) -> [u8; 32] {
        Sha256::digest(self.secret.expose().as_bytes()).into()
    }

    /// Constant-time comparison of this token's secret with a stored hash.
    pub(crate) fn matches(&self, stored_hash: &[u8]) -> bool {
        bool::from(self.secret_hash().as_slice().ct_eq(stored_hash))
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

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

/// How long sessions last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    idle_seconds: i64,
    absolute_seconds: i64,
    step_up_seconds: i64,
}

impl SessionPolicy {
    /// Activity closer together than this does not rewrite last-seen.
    pub const TOUCH_INTERVAL: i64 = 60;

    /// An idle timeout of 1 to 60 minutes and an absolute lifetime of 1 to 24 hours, no
    /// shorter than the idle timeout.
    pub fn new(idle_minutes: i64, absolute_hours: i64) -> Result<Self> {
        if !(1..=60).contains(&idle_minutes) {
            return Err(Error::invalid(
                "idle_timeout",
                crate::error::Invalid::Malformed,
            ));
        }
        if !(1..=24).contains(&absolute_hours) {
            return Err(Error::invalid(
                "absolute_timeout",
                crate::error::Invalid::Malformed,
            ));
        }
        Ok(Self {
            idle_seconds: idle_minutes * 60,
            absolute_seconds: absolute_hours * 3600,
            step_up_seconds: Session::STEP_UP_SECONDS,
        })
    }

    /// The same policy with a shorter step-up window: a password check counts for
    /// `seconds` (0 to 300) instead of five minutes. It can only be shortened.
    pub fn with_step_up_seconds(self, seconds: i64) -> Result<Self> {
        if !(0..=Session::STEP_UP_SECONDS).contains(&seconds) {
            return Err(Error::invalid(
                "step_up_seconds",
                crate::error::Invalid::Malformed,
            ));
        }
        Ok(Self {
            step_up_seconds: seconds,
            ..self
        })
    }

    /// How long a password check counts for sensitive actions.
    pub fn step_up_seconds(&self) -> i64 {
        self.step_up_seconds
    }

    /// Seconds of inactivity after which a session ends.
    pub fn idle_seconds(&self) -> i64 {
        self.idle_seconds
    }

    /// Seconds after sign-in at which a session ends regardless of activity.
    pub fn absolute_seconds(&self) -> i64 {
        self.absolute_seconds
    }
}

impl Default for SessionPolicy {
    /// 15 minutes idle, 12 hours absolute.
    fn default() -> Self {
        Self {
            idle_seconds: 15 * 60,
            absolute_seconds: 12 * 3600,
            step_up_seconds: Session::STEP_UP_SECONDS,
        }
    }
}

/// Proof that the current session was verified. Only [`crate::Vault::verify_session`]
/// builds one, and every DAL function that reads or changes account data takes one, so
/// an unchecked path does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub(crate) id: String,
    pub(crate) viewer: Viewer,
    pub(crate) must_change_password: bool,
    pub(crate) last_seen_at: Timestamp,
    pub(crate) expires_at: Timestamp,
    pub(crate) verified_at: Timestamp,
    pub(crate) previous_sign_in_at: Option<Timestamp>,
}

impl Session {
    /// How long a password check counts for sensitive actions (step-up).
    pub const STEP_UP_SECONDS: i64 = 5 * 60;

    /// Refuses with `ReauthRequired` unless the password was checked (at sign-in or by
    /// [`crate::Vault::reauthenticate`]) at most `window` seconds before `now`.
    pub(crate) fn ensure_recent_auth(&self, now: Timestamp, window: i64) -> Result<()> {
        if now - self.verified_at <= window {
            Ok(())
        } else {
            Err(Error::ReauthRequired)
        }
    }

    /// The signed-in account.
    pub fn user_id(&self) -> UserId {
        self.viewer.id
    }

    /// The signed-in account's role.
    pub fn role(&self) -> Role {
        self.viewer.role
    }

    /// When this session ends regardless of activity.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    /// When this session last proved knowledge of the password.
    pub fn verified_at(&self) -> Timestamp {
        self.verified_at
    }

    /// Refuses with `PasswordChangeRequired` while a temporary password is in force.
    pub(crate) fn ensure_password_settled(&self) -> Result<()> {
        if self.must_change_password {
            Err(Error::PasswordChangeRequired)
        } else {
            Ok(())
        }
    }
}

/// Proof that the current session belongs to an active admin. Built only by
/// [`require_admin`].
#[derive(Debug, Clone, Copy)]
pub struct AdminSession<'a>(&'a Session);

impl AdminSession<'_> {
    /// The admin's own session.
    pub fn session(&self) -> &Session {
        self.0
    }
}

/// Checks that `session` is an admin's. A user gets `Forbidden`; an admin who must still
/// replace a temporary password gets `PasswordChangeRequired`.
pub fn require_admin(session: &Session) -> Result<AdminSession<'_>> {
    session.ensure_password_settled()?;
    match session.viewer.role {
        Role::Admin => Ok(AdminSession(session)),
        Role::User => Err(Error::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_round_trip_through_their_stored_form() -> Result<()> {
        let token = SessionToken::generate()?;
        let stored = token.to_stored();
        assert_eq!(stored.expose().len(), 45);
        assert_eq!(SessionToken::parse(stored.expose()), Some(token.clone()));
        assert_ne!(SessionToken::generate()?, token);
        Ok(())
    }

    #[test]
    fn damaged_tokens_parse_as_none() {
        for text in [
            "",
            ".",
            "abc",
            "a.b",
            &format!("{}.{}", "a".repeat(22), "b".repeat(21)),
            &format!("{}.{}", "a".repeat(22), "b/".repeat(11)),
        ] {
            assert!(SessionToken::parse(text).is_none(), "{text}");
        }
    }

    #[test]
    fn token_debug_output_is_redacted() -> Result<()> {
        let token = SessionToken::generate()?;
        let printed = format!("{token:?}");
        assert!(!printed.contains(token.id()));
        Ok(())
    }

    #[test]
    fn secret_comparison_needs_the_exact_secret() -> Result<()> {
        let token = SessionToken::generate()?;
        let other = SessionToken::generate()?;
        assert!(token.matches(&token.secret_hash()));
        assert!(!token.matches(&other.secret_hash()));
        assert!(!token.matches(&[]));
        Ok(())
    }

    #[test]
    fn session_policy_bounds() {
        assert!(SessionPolicy::new(1, 1).is_ok());
        assert!(SessionPolicy::new(60, 24).is_ok());
        assert!(SessionPolicy::new(0, 12).is_err());
        assert!(SessionPolicy::new(61, 12).is_err());
        assert!(SessionPolicy::new(15, 25).is_err());
        assert_eq!(SessionPolicy::default().idle_seconds(), 900);
    }
}
