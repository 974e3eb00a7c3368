//! The `users` and `password_hashes` tables. Reads return `Option` for "no such row";
//! a database error is always an error, never "not found".

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::clock::Timestamp;
use crate::error::{Conflict, Error, Result};
use crate::model::{AccountStatus, Role, UserId};

/// One row of `users`, inside the vault only.
#[derive(Debug, Clone)]
pub(crate) struct UserRow {
    pub(crate) id: UserId,
    pub(crate) email: String,
    pub(crate) display_name: String,
    pub(crate) role: Role,
    pub(crate) team: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) status: AccountStatus,
    pub(crate) must_change_password: bool,
    pub(crate) created_at: Timestamp,
    pub(crate) last_sign_in_at: Option<Timestamp>,
    /// Whether the account has a second factor.
    pub(crate) has_second_factor: bool,
}

const COLUMNS: &str = "id, email, display_name, role, team, phone, status, \
                       must_change_password, created_at, last_sign_in_at, \
                       EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = users.id)";

impl UserRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: UserId(row.get(0)?),
            email: row.get(1)?,
            display_name: row.get(2)?,
            role: Role::parse(&row.get::<_, String>(3)?)?,
            team: row.get(4)?,
            phone: row.get(5)?,
            status: AccountStatus::parse(&row.get::<_, String>(6)?)?,
            must_change_password: row.get(7)?,
            created_at: row.get(8)?,
            last_sign_in_at: row.get(9)?,
            has_second_factor: row.get(10)?,
        })
    }

    pub(crate) fn is_active_admin(&self) -> bool {
        self.role == Role::Admin && self.status == AccountStatus::Active
    }
}

/// What sign-in needs: the account and its stored hash.
#[derive(Debug)]
pub(crate) struct Credentials {
    pub(crate) id: UserId,
    pub(crate) status: AccountStatus,
    pub(crate) phc: String,
}

/// A new row for `users`.
#[derive(Debug)]
pub(crate) struct NewUser<'a> {
    pub(crate) email: &'a str,
    pub(crate) display_name: &'a str,
    pub(crate) name_key: &'a str,
    pub(crate) role: Role,
    pub(crate) team: Option<&'a str>,
    pub(crate) phone: Option<&'a str>,
    pub(crate) must_change_password: bool,
    /// The password's hash; `None` for an account that signs in only through an
    /// organisation's provider until its person sets a password.
    pub(crate) phc: Option<&'a str>,
}

pub(crate) fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM users", [], |row| row.get(0))?)
}

pub(crate) fn count_active_admins(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active'",
        [],
        |row| row.get(0),
    )?)
}

pub(crate) fn get(conn: &Connection, id: UserId) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id.0], UserRow::from_row)
        .optional()?)
}

/// Every account in email order, for an export.
pub(crate) fn all(conn: &Connection) -> Result<Vec<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users ORDER BY email");
    Ok(conn
        .prepare_cached(&sql)?
        .query_map([], UserRow::from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Whether an account has `email` (as stored: normalised).
pub(crate) fn email_exists(conn: &Connection, email: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM users WHERE email = ?1")?
        .query_row([email], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Like [`get`], but a missing account is `NotFound`.
pub(crate) fn require(conn: &Connection, id: UserId) -> Result<UserRow> {
    get(conn, id)?.ok_or(Error::NotFound)
}

pub(crate) fn credentials_by_email(conn: &Connection, email: &str) -> Result<Option<Credentials>> {
    let mut statement = conn.prepare_cached(
        "SELECT u.id, u.status, h.phc FROM users u JOIN password_hashes h ON h.user_id = u.id
         WHERE u.email = ?1",
    )?;
    Ok(statement
        .query_row([email], |row| {
            Ok(Credentials {
                id: UserId(row.get(0)?),
                status: AccountStatus::parse(&row.get::<_, String>(1)?)?,
                phc: row.get(2)?,
            })
        })
        .optional()?)
}

/// The stored hash of `id`'s password. Errors: `Conflict` (`NoLocalPassword`) for an
/// account that signs in only through an organisation's provider.
pub(crate) fn password_hash(conn: &Connection, id: UserId) -> Result<String> {
    conn.prepare_cached("SELECT phc FROM password_hashes WHERE user_id = ?1")?
        .query_row([id.0], |row| row.get(0))
        .optional()?
        .ok_or(Error::Conflict(Conflict::NoLocalPassword))
}

pub(crate) fn insert(conn: &Connection, user: &NewUser<'_>, now: Timestamp) -> Result<UserId> {
    let inserted = conn.execute(
        "INSERT INTO users (email, display_name, name_key, role, team, phone, status,
                            must_change_password, created_at, updated_at, password_changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'active', ?7, ?8, ?8, ?8)",
        params![
            user.email,
            user.display_name,
            user.name_key,
            user.role.as_str(),
            user.team,
            user.phone,
            user.must_change_password,
            now
        ],
    );
    match inserted {
        Ok(_) => {}
        Err(e) if super::is_unique_violation(&e) => {
            return Err(Error::Conflict(Conflict::EmailTaken));
        }
        Err(e) => return Err(e.into()),
    }
    let id = UserId(conn.last_insert_rowid());
    if let Some(phc) = user.phc {
        conn.execute(
            "INSERT INTO password_hashes (user_id, phc) VALUES (?1, ?2)",
            params![id.0, phc],
        )?;
    }
    Ok(id)
}

/// Inserts an active admin without team or phone: the first admin, or one made by
/// break-glass recovery (`must_change_password` then, with a temporary password).
/// `name_key` is the display name folded for search (`validate::fold`).
pub(crate) fn insert_admin(
    conn: &Connection,
    email: &str,
    display_name: &str,
    name_key: &str,
    phc: &str,
    must_change_password: bool,
    now: Timestamp,
) -> Result<UserId> {
    let user = NewUser {
        email,
        display_name,
        name_key,
        role: Role::Admin,
        team: None,
        phone: None,
        must_change_password,
        phc: Some(phc),
    };
    insert(conn, &user, now)
}

/// Stores a new password hash (the first, for an account that had none). `must_change` marks a temporary password; `changed`
/// false means the same password was only rehashed with stronger parameters.
pub(crate) fn set_password(
    conn: &Connection,
    id: UserId,
    phc: &str,
    must_change: bool,
    changed: bool,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "INSERT INTO password_hashes (user_id, phc) VALUES (?1, ?2)
         ON CONFLICT (user_id) DO UPDATE SET phc = excluded.phc",
        params![id.0, phc],
    )?;
    if changed {
        conn.execute(
            "UPDATE users SET must_change_password = ?2, password_changed_at = ?3, updated_at = ?3
             WHERE id = ?1",
            params![id.0, must_change, now],
        )?;
    }
    Ok(())
}

pub(crate) fn set_role(conn: &Connection, id: UserId, role: Role, now: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE users SET role = ?2, updated_at = ?3 WHERE id = ?1",
        params![id.0, role.as_str(), now],
    )?;
    Ok(())
}

pub(crate) fn set_status(
    conn: &Connection,
    id: UserId,
    status: AccountStatus,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "UPDATE users SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id.0, status.as_str(), now],
    )?;
    Ok(())
}

/// Changes the profile fields; `team` is `None` to leave it as it is.
pub(crate) fn set_profile(
    conn: &Connection,
    id: UserId,
    display_name: &str,
    name_key: &str,
    phone: Option<&str>,
    team: Option<Option<&str>>,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "UPDATE users SET display_name = ?2, name_key = ?3, phone = ?4, updated_at = ?5 WHERE id = ?1",
        params![id.0, display_name, name_key, phone, now],
    )?;
    if let Some(team) = team {
        conn.execute(
            "UPDATE users SET team = ?2 WHERE id = ?1",
            params![id.0, team],
        )?;
    }
    Ok(())
}

pub(crate) fn set_last_sign_in(conn: &Connection, id: UserId, now: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE users SET last_sign_in_at = ?2 WHERE id = ?1",
        params![id.0, now],
    )?;
    Ok(())
}

pub(crate) fn delete(conn: &Connection, id: UserId) -> Result<()> {
    conn.execute("DELETE FROM users WHERE id = ?1", [id.0])?;
    Ok(())
}

/// Which accounts a listing covers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Listing<'a> {
    /// A folded prefix of the email or the display name.
    pub(crate) prefix: Option<&'a str>,
    /// Only rows whose email sorts after this one (keyset pagination).
    pub(crate) after: Option<&'a str>,
    /// Active accounts only.
    pub(crate) active_only: bool,
    /// Only accounts with (`true`) or without (`false`) a second factor.
    pub(crate) second_factor: Option<bool>,
    pub(crate) limit: u32,
}

/// A page of accounts in email order. Prefix search uses the email index and the
/// name-key index; paging never uses OFFSET, so a deep page costs what the first does.
pub(crate) fn list(conn: &Connection, listing: Listing<'_>) -> Result<Vec<UserRow>> {
    let mut status = String::from(if listing.active_only {
        "AND status = 'active'"
    } else {
        ""
    });
    match listing.second_factor {
        Some(true) => status
            .push_str(" AND EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = users.id)"),
        Some(false) => status.push_str(
            " AND NOT EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = users.id)",
        ),
        None => {}
    }
    // Every email sorts after the empty string, so "no cursor" needs no special case.
    let after = listing.after.unwrap_or("");
    let rows = match listing.prefix {
        None => {
            let sql = format!(
                "SELECT {COLUMNS} FROM users WHERE email > ?1 {status} ORDER BY email LIMIT ?2"
            );
            let mut statement = conn.prepare_cached(&sql)?;
            statement
                .query_map(params![after, listing.limit], UserRow::from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?
        }
        Some(prefix) => {
            // Every string that starts with `prefix` sorts below `prefix` followed by the
            // largest code point, so a prefix is a range on each index.
            let upper = format!("{prefix}\u{10FFFF}");
            let sql = format!(
                "SELECT {COLUMNS} FROM users
                 WHERE ((email >= ?1 AND email < ?2) OR (name_key >= ?1 AND name_key < ?2))
                   AND email > ?3 {status}
                 ORDER BY email LIMIT ?4"
            );
            let mut statement = conn.prepare_cached(&sql)?;
            statement
                .query_map(
                    params![prefix, upper, after, listing.limit],
                    UserRow::from_row,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?
        }
    };
    Ok(rows)
}

/// Changes `id`'s email. Errors: `Conflict` (`EmailTaken`) when another account has it.
pub(crate) fn set_email(conn: &Connection, id: UserId, email: &str, now: Timestamp) -> Result<()> {
    match conn.execute(
        "UPDATE users SET email = ?2, updated_at = ?3 WHERE id = ?1",
        params![id.0, email, now],
    ) {
        Ok(_) => Ok(()),
        Err(e) if super::is_unique_violation(&e) => Err(Error::Conflict(Conflict::EmailTaken)),
        Err(e) => Err(e.into()),
    }
}

/// The account with `email`, if any.
pub(crate) fn by_email(conn: &Connection, email: &str) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([email], UserRow::from_row)
        .optional()?)
}
