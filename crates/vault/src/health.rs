//! The admin's security overview, and break-glass recovery for a vault whose admins have
//! all lost their passwords.
//!
//! Recovery needs no session: whoever can write the vault file can already change
//! anything in it, so the OS's file permissions are the gate. It is loud instead: an
//! audit event, and a notice every admin sees until one acknowledges it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::Timestamp;
use crate::db::{audit, second_factors, sessions, settings, throttle, users};
use crate::dto::IssuedPassword;
use crate::error::{Error, Result};
use crate::model::audit::{AuditEvent, NewEntry};
use crate::model::{AccountStatus, Role};
use crate::password;
use crate::policy::PasswordPolicy;
use crate::session::AdminSession;
use crate::step_up::AdminAction;
use crate::validate::{self, Email, NAME_MAX_CHARS};
use crate::vault::Vault;

const BREAK_GLASS_SETTING: &str = "break_glass_notice";

/// What the security panel shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SecurityHealth {
    /// argon2id memory cost of new hashes, KiB.
    pub memory_kib: u32,
    /// argon2id passes.
    pub iterations: u32,
    /// argon2id lanes.
    pub lanes: u32,
    /// Accounts whose stored hash uses weaker parameters (upgraded at their next sign-in).
    pub outdated_hashes: i64,
    /// Emails locked after too many failures.
    pub locked_emails: i64,
    /// Accounts that never signed in.
    pub never_signed_in: i64,
    /// Admin accounts, and how many of them are active.
    pub admins: i64,
    /// Active admin accounts.
    pub active_admins: i64,
    /// All accounts.
    pub accounts: i64,
    /// Entries in the breached-password list.
    pub breached_list_size: i64,
    /// Entries long enough to be a password here: at least the minimum length when the
    /// password is the only factor. Shorter ones are refused by length anyway.
    pub breached_list_applicable: i64,
    /// The same with a second factor, whose minimum is shorter.
    pub breached_list_applicable_with_second_factor: i64,
    /// Active accounts without a second factor.
    pub without_second_factor: i64,
}

/// Shown to every admin after break-glass recovery, until one acknowledges it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BreakGlassNotice {
    /// When recovery ran (Unix seconds, UTC).
    pub at: Timestamp,
    /// The account it made an admin.
    pub email: String,
}

impl Vault {
    /// The security overview for the admin panel.
    pub fn security_health(&self, admin: &AdminSession<'_>) -> Result<SecurityHealth> {
        let _ = admin;
        let params = self.hash_params();
        let conn = self.conn();
        let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |row| row.get(0))?) };
        let mut outdated = 0;
        let mut statement = conn.prepare("SELECT phc FROM password_hashes")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            if params.is_weaker_phc(&row.get::<_, String>(0)?) {
                outdated += 1;
            }
        }
        let locked = throttle::locked(&conn, self.now() - crate::LOCK_SECONDS)?.len();
        Ok(SecurityHealth {
            memory_kib: params.memory_kib(),
            iterations: params.iterations(),
            lanes: params.lanes(),
            outdated_hashes: outdated,
            locked_emails: i64::try_from(locked).unwrap_or(i64::MAX),
            never_signed_in: count("SELECT count(*) FROM users WHERE last_sign_in_at IS NULL")?,
            admins: count("SELECT count(*) FROM users WHERE role = 'admin'")?,
            active_admins: users::count_active_admins(&conn)?,
            accounts: users::count(&conn)?,
            breached_list_size: as_i64(crate::breached_list_len()),
            breached_list_applicable: as_i64(crate::breached_list_len_at_least(
                PasswordPolicy::min_chars(false),
            )),
            breached_list_applicable_with_second_factor: as_i64(crate::breached_list_len_at_least(
                PasswordPolicy::min_chars(true),
            )),
            without_second_factor: second_factors::active_without(&conn)?,
        })
    }

    /// The break-glass notice, if recovery ran and no admin has acknowledged it.
    pub fn break_glass_notice(&self, admin: &AdminSession<'_>) -> Result<Option<BreakGlassNotice>> {
        let _ = admin;
        match settings::get(&self.conn(), BREAK_GLASS_SETTING)? {
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| Error::internal("break-glass notice", e)),
            None => Ok(None),
        }
    }

    /// Clears the break-glass notice for every admin. Audited; needs a recent password
    /// check, since it takes a warning away from everyone.
    pub fn acknowledge_break_glass(&self, admin: &AdminSession<'_>) -> Result<()> {
        self.authorize(admin, AdminAction::AcknowledgeBreakGlass)?;
        let now = self.now();
        let me = admin.session().user_id();
        self.write(|conn| {
            if settings::get(conn, BREAK_GLASS_SETTING)?.is_none() {
                return Ok(());
            }
            settings::delete(conn, BREAK_GLASS_SETTING)?;
            let email = users::require(conn, me)?.email;
            audit::append(
                conn,
                &NewEntry::new(AuditEvent::BreakGlassAcknowledged).by(me, &email),
                now,
            )
        })
    }

    /// Break-glass recovery: makes `email` an active admin with a one-time temporary
    /// password that must be replaced at the next sign-in, creating the account if it
    /// does not exist, and ends its sessions. Writes an audit event and raises the notice
    /// every admin sees. Needs no session: write access to the vault file is the gate.
    pub fn recover_admin(&self, email: &str, display_name: &str) -> Result<IssuedPassword> {
        let email = Email::parse(email)?;
        let display_name = validate::text("displayName", display_name, NAME_MAX_CHARS)?;
        let temporary = password::temporary_password()?;
        let phc = self.hasher().hash(&temporary)?;
        let now = self.now();
        self.write(|conn| {
            let id = match users::credentials_by_email(conn, email.as_str())? {
                Some(existing) => {
                    users::set_role(conn, existing.id, Role::Admin, now)?;
                    users::set_status(conn, existing.id, AccountStatus::Active, now)?;
                    users::set_password(conn, existing.id, &phc, true, true, now)?;
                    sessions::delete_for_user(conn, existing.id)?;
                    existing.id
                }
                None => users::insert_admin(
                    conn,
                    email.as_str(),
                    &display_name,
                    &validate::fold(&display_name),
                    &phc,
                    true,
                    now,
                )?,
            };
            throttle::clear(conn, email.as_str())?;
            let notice = BreakGlassNotice {
                at: now,
                email: email.as_str().to_owned(),
            };
            let text = serde_json::to_string(&notice)
                .map_err(|e| Error::internal("break-glass notice", e))?;
            settings::set(conn, BREAK_GLASS_SETTING, &text)?;
            let entry = NewEntry::new(AuditEvent::BreakGlassUsed)
                .on(id, email.as_str())
                .detail("recover-admin");
            audit::append(conn, &entry, now)
        })?;
        log::warn!("break-glass recovery made {} an admin", email.as_str());
        Ok(IssuedPassword(temporary))
    }
}

fn as_i64(count: usize) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}
