//! The data-access layer for accounts: every function takes the proof of a verified
//! session ([`Session`]) or of an admin's ([`AdminSession`]), and returns DTOs built for
//! that viewer.
//!
//! Every change that takes away someone's access (password reset, disable, delete, role
//! change) ends that account's sessions in the same transaction.

use serde::Deserialize;
use ts_rs::TS;

use crate::db::{audit, sessions, throttle, users};
use crate::dto::{CreatedAccount, CurrentUser, IssuedPassword, Page, ProfileDto, UserDto};
use crate::error::{Conflict, Error, Invalid, Result};
use crate::model::audit::{AuditEvent, NewEntry};
use crate::model::{AccountStatus, Role, UserId};
use crate::password;
use crate::session::{AdminSession, Session};
use crate::step_up::AdminAction;
use crate::validate::{self, EMAIL_MAX_BYTES, Email, NAME_MAX_CHARS, TEAM_MAX_CHARS};
use crate::vault::Vault;

/// Most rows one page may hold.
pub const PAGE_MAX: u32 = 200;
/// Rows per page when the caller does not say.
pub const PAGE_DEFAULT: u32 = 50;

/// A new account, as an admin fills it in. The password is generated.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewAccount {
    /// Email to sign in with.
    pub email: String,
    /// Name shown to others.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Team, if any.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub team: Option<String>,
    /// Phone number, if any.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub phone: Option<String>,
}

/// Which page of a list to return.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListQuery {
    /// A prefix of the email or the display name, case-insensitive.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub search: Option<String>,
    /// The `nextCursor` of the previous page.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub after: Option<String>,
    /// Rows per page, 1 to [`PAGE_MAX`]; [`PAGE_DEFAULT`] when absent.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub limit: Option<u32>,
}

/// Profile fields a person may change about themself.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileUpdate {
    /// Name shown to others.
    pub display_name: String,
    /// Phone number; empty to remove it.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub phone: Option<String>,
}

/// Profile fields an admin may change about anyone.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountUpdate {
    /// Name shown to others.
    pub display_name: String,
    /// Team; empty to remove it.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub team: Option<String>,
    /// Phone number; empty to remove it.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub phone: Option<String>,
}

/// A validated list query.
struct Listing {
    prefix: Option<String>,
    after: Option<String>,
    limit: u32,
}

impl Listing {
    fn parse(query: &ListQuery) -> Result<Self> {
        let prefix = match query.search.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(search) => {
                if search.len() > EMAIL_MAX_BYTES {
                    return Err(Error::invalid("search", Invalid::TooLong(EMAIL_MAX_BYTES)));
                }
                if search.chars().any(char::is_control) {
                    return Err(Error::invalid("search", Invalid::ControlCharacter));
                }
                Some(validate::fold(search))
            }
        };
        let after = match query.after.as_deref() {
            None | Some("") => None,
            Some(after) if after.len() > EMAIL_MAX_BYTES || after.contains('\0') => {
                return Err(Error::invalid("after", Invalid::Malformed));
            }
            Some(after) => Some(after.to_owned()),
        };
        let limit = query.limit.unwrap_or(PAGE_DEFAULT);
        if !(1..=PAGE_MAX).contains(&limit) {
            return Err(Error::invalid("limit", Invalid::TooLong(PAGE_MAX as usize)));
        }
        Ok(Self {
            prefix,
            after,
            limit,
        })
    }

    fn as_rows(&self, active_only: bool) -> users::Listing<'_> {
        users::Listing {
            prefix: self.prefix.as_deref(),
            after: self.after.as_deref(),
            active_only,
            limit: self.limit,
        }
    }

    fn page<T>(
        &self,
        rows: Vec<users::UserRow>,
        build: impl FnMut(users::UserRow) -> T,
    ) -> Page<T> {
        let full = rows.len() == self.limit as usize;
        let next_cursor = rows.last().filter(|_| full).map(|row| row.email.clone());
        Page {
            items: rows.into_iter().map(build).collect(),
            next_cursor,
        }
    }
}

impl Vault {
    /// A person's profile as the signed-in viewer may see it. People who are not admins
    /// see active accounts only.
    pub fn get_profile(&self, session: &Session, id: UserId) -> Result<ProfileDto> {
        session.ensure_password_settled()?;
        let row = users::require(&self.conn(), id)?;
        if row.status != AccountStatus::Active && session.role() != Role::Admin {
            return Err(Error::NotFound);
        }
        Ok(row.into_profile(&session.viewer))
    }

    /// The directory of active accounts, in email order, with phone numbers only where
    /// the viewer may see them.
    pub fn team_directory(&self, session: &Session, query: &ListQuery) -> Result<Page<ProfileDto>> {
        session.ensure_password_settled()?;
        let listing = Listing::parse(query)?;
        let rows = users::list(&self.conn(), listing.as_rows(true))?;
        Ok(listing.page(rows, |row| row.into_profile(&session.viewer)))
    }

    /// Changes the signed-in person's own display name and phone number.
    pub fn update_own_profile(
        &self,
        session: &Session,
        update: &ProfileUpdate,
    ) -> Result<CurrentUser> {
        session.ensure_password_settled()?;
        let display_name = validate::text("displayName", &update.display_name, NAME_MAX_CHARS)?;
        let phone = validate::optional_phone(update.phone.as_deref())?;
        let name_key = validate::fold(&display_name);
        let now = self.now();
        let row = self.write(|conn| {
            users::set_profile(
                conn,
                session.user_id(),
                &display_name,
                &name_key,
                phone.as_deref(),
                None,
                now,
            )?;
            let row = users::require(conn, session.user_id())?;
            let entry = NewEntry::new(AuditEvent::ProfileUpdated)
                .by(row.id, &row.email)
                .on(row.id, &row.email);
            audit::append(conn, &entry, now)?;
            Ok(row)
        })?;
        Ok(row.into_current_user(session.expires_at(), self.stay_signed_in()))
    }

    /// All accounts, active or not, in email order; `search` matches a prefix of the
    /// email or the display name.
    pub fn list_accounts(
        &self,
        admin: &AdminSession<'_>,
        query: &ListQuery,
    ) -> Result<Page<UserDto>> {
        let _ = admin;
        let listing = Listing::parse(query)?;
        let rows = users::list(&self.conn(), listing.as_rows(false))?;
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
                phc: &phc,
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
        id: UserId,
        update: &AccountUpdate,
    ) -> Result<UserDto> {
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
fn ensure_still_admin(
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
            phc: "$argon2id$v=19$m=256,t=1,p=1$c2FsdA$aGFzaA",
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
