//! Emails locked after too many failed sign-ins, and lifting a lock.

use serde::Deserialize;
use ts_rs::TS;

use crate::db::{audit, throttle, users};
use crate::error::{Error, Result};
use crate::model::UserId;
use crate::model::audit::{AuditEvent, NewEntry};
use crate::session::AdminSession;
use crate::step_up::AdminAction;
use crate::validate::Email;
use crate::vault::Vault;

use super::admin::ensure_still_admin;

/// An email that is locked after too many failed sign-ins.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LockedEmail {
    /// The email as tried (normalised).
    pub email: String,
    /// Consecutive failures so far.
    pub failures: i64,
    /// When the lock started (Unix seconds, UTC).
    pub locked_at: crate::Timestamp,
    /// When it ends by itself.
    pub unlocks_at: crate::Timestamp,
    /// The account with this email, if there is one.
    pub account: Option<UserId>,
}

/// A request to lift a lock.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UnlockRequest {
    /// The locked email.
    pub email: String,
}

impl Vault {
    /// Emails locked now, newest first.
    pub fn locked_emails(&self, admin: &AdminSession<'_>) -> Result<Vec<LockedEmail>> {
        let _ = admin;
        let now = self.now();
        let conn = self.conn();
        let locked = throttle::locked(&conn, now - crate::LOCK_SECONDS)?;
        locked
            .into_iter()
            .filter_map(|(email, failures)| failures.locked_at.map(|at| (email, failures, at)))
            .map(|(email, failures, locked_at)| {
                let account = users::credentials_by_email(&conn, &email)?.map(|c| c.id);
                Ok(LockedEmail {
                    email,
                    failures: failures.count,
                    locked_at,
                    unlocks_at: locked_at + crate::LOCK_SECONDS,
                    account,
                })
            })
            .collect()
    }

    /// Lifts the lock (and the failure count) on an email. Audited; needs a recent
    /// password check, since it gives access back.
    pub fn unlock(&self, admin: &AdminSession<'_>, request: &UnlockRequest) -> Result<()> {
        self.authorize(admin, AdminAction::UnlockEmail)?;
        let email = Email::parse(&request.email)?;
        let now = self.now();
        self.write(|conn| {
            let actor = ensure_still_admin(conn, admin)?;
            if !throttle::clear(conn, email.as_str())? {
                return Err(Error::NotFound);
            }
            let mut entry = NewEntry::new(AuditEvent::Unlock).by(actor.id, &actor.email);
            if let Some(credentials) = users::credentials_by_email(conn, email.as_str())? {
                entry = entry.on(credentials.id, email.as_str());
            }
            audit::append(conn, &entry, now)
        })
    }
}
