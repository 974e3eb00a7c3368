//! The step-up rule: which admin actions need a password check within the step-up
//! window (five minutes), decided from the action *and* its target.
//!
//! A stale admin session (an admin who walked away from the desk) may still read and do
//! the desk's daily work, but must not yield a new credential or a lasting privilege to
//! whoever sits down: no temporary password (a new account or a reset), no new admin and
//! no change to an admin, no access given back (enabling an account, unlocking an
//! email), nothing removed for good (a deletion), no copy of the log leaving the
//! computer (an export), no security warning cleared for everyone (break-glass), and no
//! setting changed for everyone (the auto-lock time).
//! Every admin action of the vault names itself here before it changes anything, so the
//! rule has one home; `SECURITY.md` lists each command's answer and the authorization
//! matrix checks that list.

use crate::error::Result;
use crate::model::Role;
use crate::session::AdminSession;
use crate::vault::{HeldStepUp, Vault};

/// How long a step-up check held across a dialog lasts: ten minutes to choose a file.
pub const HELD_STEP_UP_SECONDS: i64 = 600;

/// An admin action as the step-up rule sees it: what it does, and to whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminAction {
    /// A new account with a temporary password, of `role`.
    CreateAccount {
        /// The new account's role.
        role: Role,
    },
    /// A change to the name, team or phone of an account whose role is `target`.
    UpdateAccount {
        /// The account's role.
        target: Role,
    },
    /// A change of role.
    SetRole,
    /// Disabling (`disabled`) or enabling an account whose role is `target`.
    SetDisabled {
        /// The account's role.
        target: Role,
        /// True to disable.
        disabled: bool,
    },
    /// Deleting an account.
    DeleteAccount,
    /// A temporary password for an existing account.
    ResetPassword,
    /// Lifting the lock on an email.
    UnlockEmail,
    /// Writing the audit log to a file.
    ExportAudit,
    /// Writing the account list to a file.
    ExportAccounts,
    /// Clearing the break-glass notice for every admin.
    AcknowledgeBreakGlass,
    /// Writing a backup of the vault (every password hash) to a file.
    Backup,
    /// Changing a setting that holds for everyone at this computer (the auto-lock time).
    ChangeSettings,
    /// Removing someone's second factor.
    ResetSecondFactor,
    /// Signing out someone's session, or all of them.
    EndSessions,
    /// Installing a new version of the app, which every person at this computer runs.
    InstallUpdate,
}

impl AdminAction {
    /// Whether the action needs a password check within the step-up window.
    pub fn needs_step_up(self) -> bool {
        match self {
            Self::CreateAccount { .. }
            | Self::SetRole
            | Self::DeleteAccount
            | Self::ResetPassword
            | Self::UnlockEmail
            | Self::ExportAudit
            | Self::ExportAccounts
            | Self::AcknowledgeBreakGlass
            | Self::ChangeSettings
            | Self::ResetSecondFactor
            | Self::EndSessions
            | Self::InstallUpdate
            | Self::Backup => true,
            Self::UpdateAccount { target } => target == Role::Admin,
            Self::SetDisabled { target, disabled } => target == Role::Admin || !disabled,
        }
    }
}

impl Vault {
    /// Refuses `action` with `ReauthRequired` when the step-up rule asks for a password
    /// check and `admin`'s last one is older than the window. Every admin action calls
    /// it; callers may also ask first, before they wait for the person (a save dialog),
    /// so that nobody is asked where to save what they may not have.
    pub fn authorize(&self, admin: &AdminSession<'_>, action: AdminAction) -> Result<()> {
        if !action.needs_step_up() {
            return Ok(());
        }
        let Err(stale) = self.ensure_recent_auth(admin.session()) else {
            return Ok(());
        };
        let mut held = self.held();
        match held.take() {
            Some(hold)
                if hold.session_id == admin.session().id()
                    && hold.action == format!("{action:?}")
                    && self.now() <= hold.until =>
            {
                Ok(())
            }
            other => {
                *held = other;
                Err(stale)
            }
        }
    }

    /// Checks `action` as [`Self::authorize`] does, before a dialog the action needs
    /// (where to save a file), and holds the check for this session and this action
    /// alone, for at most [`HELD_STEP_UP_SECONDS`]: a person who takes a while to choose
    /// is not asked for the password again. The caller releases it when the action is
    /// done or cancelled ([`Self::release_step_up`]); the session itself is checked again
    /// when the action is carried out, so a lock or a sign-out meanwhile still stops it.
    pub fn hold_step_up(&self, admin: &AdminSession<'_>, action: AdminAction) -> Result<()> {
        if !action.needs_step_up() {
            return Ok(());
        }
        self.ensure_recent_auth(admin.session())?;
        *self.held() = Some(HeldStepUp {
            session_id: admin.session().id().to_owned(),
            action: format!("{action:?}"),
            until: self.now() + HELD_STEP_UP_SECONDS,
        });
        Ok(())
    }

    /// Drops a held step-up check (the action is done, failed or cancelled).
    pub fn release_step_up(&self) {
        *self.held() = None;
    }

    fn held(&self) -> std::sync::MutexGuard<'_, Option<HeldStepUp>> {
        self.held_step_up
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_and_given_back_access_need_a_fresh_check_daily_work_does_not() {
        let cases = [
            (AdminAction::CreateAccount { role: Role::User }, true),
            (AdminAction::CreateAccount { role: Role::Admin }, true),
            (AdminAction::UpdateAccount { target: Role::User }, false),
            (
                AdminAction::UpdateAccount {
                    target: Role::Admin,
                },
                true,
            ),
            (
                AdminAction::SetDisabled {
                    target: Role::User,
                    disabled: true,
                },
                false,
            ),
            (
                AdminAction::SetDisabled {
                    target: Role::User,
                    disabled: false,
                },
                true,
            ),
            (
                AdminAction::SetDisabled {
                    target: Role::Admin,
                    disabled: true,
                },
                true,
            ),
            (AdminAction::SetRole, true),
            (AdminAction::DeleteAccount, true),
            (AdminAction::ResetPassword, true),
            (AdminAction::UnlockEmail, true),
            (AdminAction::ExportAudit, true),
            (AdminAction::ExportAccounts, true),
            (AdminAction::AcknowledgeBreakGlass, true),
            (AdminAction::ChangeSettings, true),
            (AdminAction::Backup, true),
            (AdminAction::ResetSecondFactor, true),
            (AdminAction::EndSessions, true),
            (AdminAction::InstallUpdate, true),
        ];
        for (action, expected) in cases {
            assert_eq!(action.needs_step_up(), expected, "{action:?}");
        }
    }
}
