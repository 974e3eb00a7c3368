//! The proofs the DAL demands: a verified [`Session`] and an [`AdminSession`].

use crate::clock::Timestamp;
use crate::dto::Viewer;
use crate::error::{Error, Result};
use crate::model::{Role, UserId};

/// Proof that the current session was verified. Only [`crate::Vault::verify_session`]
/// builds one, and every DAL function that reads or changes account data takes one, so
/// an unchecked path does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub(crate) id: String,
    pub(crate) viewer: Viewer,
    pub(crate) must_change_password: bool,
    /// An admin requires a second factor of this person, and they have none yet.
    pub(crate) second_factor_due: bool,
    pub(crate) last_seen_at: Timestamp,
    pub(crate) expires_at: Timestamp,
    pub(crate) verified_at: Timestamp,
    pub(crate) previous_sign_in_at: Option<Timestamp>,
}

impl Session {
    /// How long a password check counts for sensitive actions (step-up) unless an admin
    /// chose otherwise ([`crate::SignInRules`]).
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

    /// The session's public id (not a credential: its secret half stays in the store).
    /// Hosts may key per-session caches on it.
    pub fn id(&self) -> &str {
        &self.id
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

    /// Refuses with `PasswordChangeRequired` while a temporary password is in force:
    /// until it is replaced, the session may do nothing but replace it.
    pub fn ensure_password_settled(&self) -> Result<()> {
        if self.must_change_password {
            Err(Error::PasswordChangeRequired)
        } else {
            Ok(())
        }
    }

    /// Refuses as [`Self::ensure_password_settled`] does, and then with
    /// `SecondFactorRequired` while an admin requires a second factor the person has not
    /// set up: until then the session may do nothing but set it up. Every command on
    /// account data, the plugin's and a host's, passes here.
    pub fn ensure_settled(&self) -> Result<()> {
        self.ensure_password_settled()?;
        if self.second_factor_due {
            Err(Error::SecondFactorRequired)
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
/// replace a temporary password gets `PasswordChangeRequired`, and one who must still set
/// up a second factor `SecondFactorRequired`.
pub fn require_admin(session: &Session) -> Result<AdminSession<'_>> {
    session.ensure_settled()?;
    match session.viewer.role {
        Role::Admin => Ok(AdminSession(session)),
        Role::User => Err(Error::Forbidden),
    }
}
