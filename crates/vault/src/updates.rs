//! The audit rows of the app's own updates. Fetching, verifying and installing an update
//! is the desktop shell's work; the vault only decides who may install one (an admin
//! with a recent password check) and keeps the record.

use crate::accounts::ensure_still_admin;
use crate::db::audit;
use crate::error::Result;
use crate::model::audit::{AuditEvent, NewEntry};
use crate::session::AdminSession;
use crate::step_up::AdminAction;
use crate::vault::Vault;

/// How an install that was handed a verified update ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateStep<'a> {
    /// The signature matched; the installer starts now.
    Verified,
    /// The installer refused or failed, for this reason.
    Failed(&'a str),
}

impl Vault {
    /// Records that `admin` is installing version `to` over `from` (a recent password
    /// check is required), or that the install failed (the record of a failure needs
    /// none). One `update_installed` row each.
    pub fn record_update(
        &self,
        admin: &AdminSession<'_>,
        from: &str,
        to: &str,
        step: UpdateStep<'_>,
    ) -> Result<()> {
        if step == UpdateStep::Verified {
            self.authorize(admin, AdminAction::InstallUpdate)?;
        }
        let now = self.now();
        let detail = match step {
            UpdateStep::Verified => format!("{from} -> {to}, signature verified"),
            UpdateStep::Failed(reason) => format!("{from} -> {to} failed: {reason}"),
        };
        self.write(|conn| {
            let actor = ensure_still_admin(conn, admin)?;
            let entry = NewEntry::new(AuditEvent::UpdateInstalled)
                .by(actor.id, &actor.email)
                .detail(&detail);
            let entry = match step {
                UpdateStep::Verified => entry,
                UpdateStep::Failed(_) => entry.failed(),
            };
            audit::append(conn, &entry, now)
        })
    }
}
