//! The admin side of accounts: listing, creating, editing, role changes, disabling,
//! deleting and password resets. Every change names itself to the step-up rule and
//! re-checks inside its write transaction that the actor is still an active admin.

use crate::db::{audit, pins, second_factors, sessions, throttle, users};
use crate::dto::{CreatedAccount, IssuedPassword, Page, UserDto};
use crate::error::{Conflict, Error, Result};
use crate::model::audit::{AuditEvent, NewEntry};
use crate::model::{AccountStatus, Role, UserId};
use crate::password;
use crate::session::AdminSession;
use crate::step_up::AdminAction;
use crate::validate::{self, Email, NAME_MAX_CHARS, TEAM_MAX_CHARS};
use crate::vault::Vault;

use super::{AccountUpdate, ListQuery, Listing, NewAccount};

impl Vault {
    /// All accounts, active or not, in email order; `search` matches a prefix of the
    /// email or the display name.
    pub fn list_accounts(
        &self,
        admin: &AdminSession<'_>,
        query: &ListQuery,
    ) -> Result<Page<UserDto>> {
        let _ = admin;
        let listing = Listing::parse(query)?;
        let rows = users::list(&self.conn(), listing.as_admin_rows())?;
        Ok(listing.page(rows, users::UserRow::into_user_dto))
    }

    /// One account as the accounts table shows it.
    pub fn get_account(&self, admin: &AdminSession<'_>, id: UserId) -> Result<UserDto> {
        let _ = admin;
        Ok(users::require(&self.conn(), id)?.into_user_dto())
    }

    /// Creates an account with a one-time temporary password that must be replaced at
    /// its first sign-in. The admin never chooses or learns the lasting password.
    ///
    /// Errors: `ReauthRequired` without a recent password check (a temporary password is
    /// a new credential); `Validation` for a bad field; `Conflict` when the email is
    /// taken.
    pub fn create_account(
        &self,
        admin: &AdminSession<'_>,
        account: &NewAccount,
    ) -> Result<CreatedAccount> {
        self.authorize(admin, AdminAction::CreateAccount { role: account.role })?;
        let email = Email::parse(&account.email)?;
        let display_name = validate::text("displayName", &account.display_name, NAME_MAX_CHARS)?;
        let team = validate::optional_text("team", account.team.as_deref(), TEAM_MAX_CHARS)?;
        let phone = validate::optional_phone(account.phone.as_deref())?;
        let temporary = password::temporary_password()?;
        let phc = self.hasher().hash(&temporary)?;
        let name_key = validate::fold(&display_name);
        let now = self.now();
        let row = self.write(|conn| {
            let actor = ensure_still_admin(conn, admin)?;
            let user = users::NewUser {
                email: email.as_str(),
                display_name: &display_name,
                name_key: &name_key,
                role: account.role,
                team: team.as_deref(),
                phone: phone.as_deref(),
                must_change_password: true,
                phc: Some(&phc),
            };
            let id = users::insert(conn, &user, now)?;
            let entry = NewEntry::new(AuditEvent::AccountCreated)
                .by(actor.id, &actor.email)
                .on(id, email.as_str())
                .detail(account.role.as_str());
            audit::append(conn, &entry, now)?;
            users::require(conn, id)
        })?;
        log::info!(
            "account {} created by admin {}",
            row.id.0,
            admin.session().user_id().0
        );
        Ok(CreatedAccount {
            account: row.into_user_dto(),
            temporary_password: IssuedPassword(temporary),
        })
    }

    /// Changes an account's display name, team and phone number.
    ///
    /// Errors: `ReauthRequired` for an admin's account without a recent password check.
    pub fn update_account(
        &self,
        admin: &AdminSession<'_>,
        update: &AccountUpdate,
    ) -> Result<UserDto> {
        let id = update.id;
        let display_name = validate::text("displayName", &update.display_name, NAME_MAX_CHARS)?;
        let team = validate::optional_text("team", update.team.as_deref(), TEAM_MAX_CHARS)?;
        let phone = validate::optional_phone(update.phone.as_deref())?;
        let name_key = validate::fold(&display_name);
        let now = self.now();
        let row = self.write(|conn| {
            let actor = ensure_still_admin(conn, admin)?;
            let target = users::require(conn, id)?;
            self.authorize(
                admin,
                AdminAction::UpdateAccount {
                    target: target.role,
                },
            )?;
            users::set_profile(
                conn,
                id,
                &display_name,
                &name_key,
                phone.as_deref(),
                Some(team.as_deref()),
                now,
            )?;
            let row = users::require(conn, id)?;
            let entry = NewEntry::new(AuditEvent::ProfileUpdated)
                .by(actor.id, &actor.email)
                .on(id, &row.email);
            audit::append(conn, &entry, now)?;
            Ok(row)
        })?;
        Ok(row.into_user_dto())
    }

    /// Changes another account's role and ends its sessions.
    ///
    /// Errors: `Conflict` for one's own account or when it would leave no active admin.
    pub fn set_role(&self, admin: &AdminSession<'_>, id: UserId, role: Role) -> Result<UserDto> {
        self.authorize(admin, AdminAction::SetRole)?;
        let row = self.change_other(admin, id, |conn, target, actor| {
            if target.role == role {
                return Ok(());
            }
            if role != Role::Admin {
                ensure_not_last_admin(conn, target)?;
            }
            users::set_role(conn, id, role, self.now())?;
            sessions::delete_for_user(conn, id)?;
            let entry = NewEntry::new(AuditEvent::RoleChanged)
                .by(actor.id, &actor.email)
                .on(id, &target.email)
                .detail(role.as_str());
            audit::append(conn, &entry, self.now())
        })?;
        Ok(row.into_user_dto())
    }

    /// Disables (ending its sessions) or re-enables another account.
    ///
    /// Errors: `ReauthRequired` without a recent password check when the account is an
    /// admin's or is being enabled; `Conflict` for one's own account or for the last
    /// active admin.
    pub fn set_disabled(
        &self,
        admin: &AdminSession<'_>,
        id: UserId,
        disabled: bool,
    ) -> Result<UserDto> {
        let status = if disabled {
            AccountStatus::Disabled
        } else {
            AccountStatus::Active
        };
        let row = self.change_other(admin, id, |conn, target, actor| {
            let action = AdminAction::SetDisabled {
                target: target.role,
                disabled,
            };
            self.authorize(admin, action)?;
            if target.status == status {
                return Ok(());
            }
            if disabled {
                ensure_not_last_admin(conn, target)?;
                sessions::delete_for_user(conn, id)?;
            }
            users::set_status(conn, id, status, self.now())?;
            let event = if disabled {
                AuditEvent::AccountDisabled
            } else {
                AuditEvent::AccountEnabled
            };
            audit::append(
                conn,
                &NewEntry::new(event)
                    .by(actor.id, &actor.email)
                    .on(id, &target.email),
                self.now(),
            )
        })?;
        Ok(row.into_user_dto())
    }

    /// Deletes another account, its hash and its sessions.
    ///
    /// Errors: `Conflict` for one's own account or for the last active admin.
    pub fn delete_account(&self, admin: &AdminSession<'_>, id: UserId) -> Result<()> {
        self.authorize(admin, AdminAction::DeleteAccount)?;
        self.change_other(admin, id, |conn, target, actor| {
            ensure_not_last_admin(conn, target)?;
            users::delete(conn, id)?;
            audit::append(
                conn,
                &NewEntry::new(AuditEvent::AccountDeleted)
                    .by(actor.id, &actor.email)
                    .on(id, &target.email),
                self.now(),
            )
        })
        .map(drop)
    }

    /// Gives another account a one-time temporary password, to be replaced at its next
    /// sign-in, and ends its sessions.
    pub fn reset_password(&self, admin: &AdminSession<'_>, id: UserId) -> Result<IssuedPassword> {
        let now = self.now();
        self.authorize(admin, AdminAction::ResetPassword)?;
        let temporary = password::temporary_password()?;
        let phc = self.hasher().hash(&temporary)?;
        self.change_other(admin, id, |conn, target, actor| {
            users::set_password(conn, id, &phc, true, true, now)?;
            sessions::delete_for_user(conn, id)?;
            // A reset means the password is forgotten or known to others: the PIN goes too.
            pins::delete(conn, id)?;
            // The second factor is sealed under the old password, which nobody here
            // knows: it cannot be kept. The person sets it up again.
            if second_factors::delete(conn, id)? {
                audit::append(
                    conn,
                    &NewEntry::new(AuditEvent::SecondFactorRemoved)
                        .by(actor.id, &actor.email)
                        .on(id, &target.email)
                        .detail("removed by a password reset"),
                    now,
                )?;
            }
            throttle::clear(conn, &target.email)?;
            audit::append(
                conn,
                &NewEntry::new(AuditEvent::PasswordReset)
                    .by(actor.id, &actor.email)
                    .on(id, &target.email),
                now,
            )
        })?;
        log::info!(
            "password of account {} reset by admin {}",
            id.0,
            admin.session().user_id().0
        );
        Ok(IssuedPassword(temporary))
    }

    /// Runs an admin's `change` on another account inside one write transaction and
    /// returns the account as it is afterwards (its last state, for a deletion).
    fn change_other(
        &self,
        admin: &AdminSession<'_>,
        id: UserId,
        change: impl FnOnce(&rusqlite::Connection, &users::UserRow, &users::UserRow) -> Result<()>,
    ) -> Result<users::UserRow> {
        self.write(|conn| {
            let actor = ensure_still_admin(conn, admin)?;
            let target = users::require(conn, id)?;
            if id == admin.session().user_id() {
                return Err(Error::Conflict(Conflict::OwnAccount));
            }
            change(conn, &target, &actor)?;
            Ok(users::get(conn, id)?.unwrap_or(target))
        })
    }
}

/// Checks, inside the write transaction, that the acting admin is still an active admin:
/// a proof built a moment before a demotion must not outlive it.
pub(crate) fn ensure_still_admin(
    conn: &rusqlite::Connection,
    admin: &AdminSession<'_>,
) -> Result<users::UserRow> {
    match users::get(conn, admin.session().user_id())? {
        Some(actor) if actor.is_active_admin() => Ok(actor),
        _ => Err(Error::Forbidden),
    }
}

/// Refuses to take away the last active admin. Counted inside the caller's write
/// transaction, so two admins cannot remove each other at the same moment.
fn ensure_not_last_admin(conn: &rusqlite::Connection, target: &users::UserRow) -> Result<()> {
    if target.is_active_admin() && users::count_active_admins(conn)? <= 1 {
        return Err(Error::Conflict(Conflict::LastActiveAdmin));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Timestamp;

    const NOW: Timestamp = 1_795_737_600;

    fn add(conn: &rusqlite::Connection, email: &str, role: Role) -> UserId {
        let user = users::NewUser {
            email,
            display_name: email,
            name_key: email,
            role,
            team: None,
            phone: None,
            must_change_password: false,
            phc: Some("$argon2id$v=19$m=256,t=1,p=1$c2FsdA$aGFzaA"),
        };
        users::insert(conn, &user, NOW).unwrap()
    }

    #[test]
    fn only_active_admins_count_towards_the_last_admin_rule() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(&dir.path().join("vault.sqlite")).unwrap();
        let first = add(&conn, "first@example.com", Role::Admin);
        let second = add(&conn, "second@example.com", Role::Admin);
        let user = add(&conn, "user@example.com", Role::User);
        let row = |id| users::require(&conn, id).unwrap();

        assert!(ensure_not_last_admin(&conn, &row(first)).is_ok());
        users::set_status(&conn, second, AccountStatus::Disabled, NOW).unwrap();
        let refused = ensure_not_last_admin(&conn, &row(first));
        assert!(matches!(
            refused,
            Err(Error::Conflict(Conflict::LastActiveAdmin))
        ));
        // A disabled admin, or a user, may always go.
        assert!(ensure_not_last_admin(&conn, &row(second)).is_ok());
        assert!(ensure_not_last_admin(&conn, &row(user)).is_ok());
    }
}
