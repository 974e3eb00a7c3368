//! The `identity_providers` and `identity_links` tables.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::clock::Timestamp;
use crate::error::{Conflict, Error, Result};
use crate::model::UserId;

/// One row of `identity_providers`.
#[derive(Debug, Clone)]
pub(crate) struct ProviderRow {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) issuer: String,
    pub(crate) client_id: String,
    pub(crate) scopes: String,
    pub(crate) email_claim: String,
    pub(crate) admin_claim: Option<String>,
    pub(crate) admin_value: Option<String>,
    pub(crate) link_by_email: bool,
    pub(crate) offline_days: i64,
    pub(crate) metadata: String,
    pub(crate) jwks: String,
    pub(crate) fetched_at: Timestamp,
    pub(crate) linked_accounts: i64,
}

const COLUMNS: &str = "id, name, issuer, client_id, scopes, email_claim, admin_claim, \
                       admin_value, link_by_email, offline_days, metadata, jwks, fetched_at, \
                       (SELECT count(*) FROM identity_links l WHERE l.provider_id = p.id)";

impl ProviderRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            name: row.get(1)?,
            issuer: row.get(2)?,
            client_id: row.get(3)?,
            scopes: row.get(4)?,
            email_claim: row.get(5)?,
            admin_claim: row.get(6)?,
            admin_value: row.get(7)?,
            link_by_email: row.get(8)?,
            offline_days: row.get(9)?,
            metadata: row.get(10)?,
            jwks: row.get(11)?,
            fetched_at: row.get(12)?,
            linked_accounts: row.get(13)?,
        })
    }
}

/// The settings of a provider as stored (the row without its id and counts).
#[derive(Debug)]
pub(crate) struct ProviderFields<'a> {
    pub(crate) name: &'a str,
    pub(crate) issuer: &'a str,
    pub(crate) client_id: &'a str,
    pub(crate) scopes: &'a str,
    pub(crate) email_claim: &'a str,
    pub(crate) admin_claim: Option<&'a str>,
    pub(crate) admin_value: Option<&'a str>,
    pub(crate) link_by_email: bool,
    pub(crate) offline_days: i64,
    pub(crate) metadata: &'a str,
    pub(crate) jwks: &'a str,
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<ProviderRow>> {
    let sql = format!("SELECT {COLUMNS} FROM identity_providers p ORDER BY name, id");
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map([], ProviderRow::from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn get(conn: &Connection, id: i64) -> Result<Option<ProviderRow>> {
    let sql = format!("SELECT {COLUMNS} FROM identity_providers p WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], ProviderRow::from_row)
        .optional()?)
}

pub(crate) fn insert(
    conn: &Connection,
    fields: &ProviderFields<'_>,
    now: Timestamp,
) -> Result<i64> {
    let inserted = conn.execute(
        "INSERT INTO identity_providers (name, issuer, client_id, scopes, email_claim,
             admin_claim, admin_value, link_by_email, offline_days, metadata, jwks,
             fetched_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
        params![
            fields.name,
            fields.issuer,
            fields.client_id,
            fields.scopes,
            fields.email_claim,
            fields.admin_claim,
            fields.admin_value,
            fields.link_by_email,
            fields.offline_days,
            fields.metadata,
            fields.jwks,
            now
        ],
    );
    match inserted {
        Ok(_) => Ok(conn.last_insert_rowid()),
        Err(e) if super::is_unique_violation(&e) => Err(Error::Conflict(Conflict::ProviderExists)),
        Err(e) => Err(e.into()),
    }
}

/// Replaces the settings of provider `id` (its issuer stays) and its cached documents.
pub(crate) fn update(
    conn: &Connection,
    id: i64,
    fields: &ProviderFields<'_>,
    now: Timestamp,
) -> Result<()> {
    let changed = conn.execute(
        "UPDATE identity_providers SET name = ?2, client_id = ?3, scopes = ?4,
             email_claim = ?5, admin_claim = ?6, admin_value = ?7, link_by_email = ?8,
             offline_days = ?9, metadata = ?10, jwks = ?11, fetched_at = ?12
         WHERE id = ?1 AND issuer = ?13",
        params![
            id,
            fields.name,
            fields.client_id,
            fields.scopes,
            fields.email_claim,
            fields.admin_claim,
            fields.admin_value,
            fields.link_by_email,
            fields.offline_days,
            fields.metadata,
            fields.jwks,
            now,
            fields.issuer
        ],
    )?;
    if changed == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// Keeps `metadata` and `jwks` as provider `id`'s cached documents, fetched at `now`,
/// when its issuer is still `issuer`.
pub(crate) fn set_documents(
    conn: &Connection,
    id: i64,
    issuer: &str,
    metadata: &str,
    jwks: &str,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "UPDATE identity_providers SET metadata = ?2, jwks = ?3, fetched_at = ?4
         WHERE id = ?1 AND issuer = ?5",
        params![id, metadata, jwks, now, issuer],
    )?;
    Ok(())
}

/// Marks provider `id`'s cached documents stale: the next sign-in fetches them again.
pub(crate) fn expire_documents(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE identity_providers SET fetched_at = 0 WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

pub(crate) fn delete(conn: &Connection, id: i64) -> Result<()> {
    if conn.execute("DELETE FROM identity_providers WHERE id = ?1", [id])? == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// One row of `identity_links`.
#[derive(Debug, Clone)]
pub(crate) struct LinkRow {
    pub(crate) provider_id: i64,
    pub(crate) user_id: UserId,
    pub(crate) last_online_at: Timestamp,
    pub(crate) refused_at: Option<Timestamp>,
}

fn link(row: &Row<'_>) -> rusqlite::Result<LinkRow> {
    Ok(LinkRow {
        provider_id: row.get(0)?,
        user_id: UserId(row.get(1)?),
        last_online_at: row.get(2)?,
        refused_at: row.get(3)?,
    })
}

pub(crate) fn link_by_subject(
    conn: &Connection,
    provider: i64,
    subject: &str,
) -> Result<Option<LinkRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT provider_id, user_id, last_online_at, refused_at FROM identity_links
             WHERE provider_id = ?1 AND subject = ?2",
        )?
        .query_row(params![provider, subject], link)
        .optional()?)
}

pub(crate) fn link_of_user(conn: &Connection, user: UserId) -> Result<Option<LinkRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT provider_id, user_id, last_online_at, refused_at FROM identity_links
             WHERE user_id = ?1",
        )?
        .query_row([user.0], link)
        .optional()?)
}

/// Links `user` to `subject` at `provider`. Errors: `Conflict` (`AccountLinkedElsewhere`)
/// when the account is linked already.
pub(crate) fn insert_link(
    conn: &Connection,
    provider: i64,
    subject: &str,
    user: UserId,
    now: Timestamp,
) -> Result<()> {
    match conn.execute(
        "INSERT INTO identity_links (provider_id, subject, user_id, linked_at, last_online_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
        params![provider, subject, user.0, now],
    ) {
        Ok(_) => Ok(()),
        Err(e) if super::is_unique_violation(&e) => {
            Err(Error::Conflict(Conflict::AccountLinkedElsewhere))
        }
        Err(e) => Err(e.into()),
    }
}

/// Records an online sign-in of `user`: the offline window starts again, and a refusal
/// is forgotten.
pub(crate) fn set_last_online(conn: &Connection, user: UserId, now: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE identity_links SET last_online_at = ?2, refused_at = NULL WHERE user_id = ?1",
        params![user.0, now],
    )?;
    Ok(())
}

/// Marks `subject`'s link at `provider` refused at `now`; its account, if linked.
pub(crate) fn refuse(
    conn: &Connection,
    provider: i64,
    subject: &str,
    now: Timestamp,
) -> Result<Option<UserId>> {
    Ok(conn
        .prepare_cached(
            "UPDATE identity_links SET refused_at = ?3 WHERE provider_id = ?1 AND subject = ?2
             RETURNING user_id",
        )?
        .query_row(params![provider, subject, now], |row| {
            row.get(0).map(UserId)
        })
        .optional()?)
}

/// The latest time the vault has recorded anything (its audit log's newest row): a
/// clock behind it has been turned back.
pub(crate) fn latest_recorded(conn: &Connection) -> Result<Option<Timestamp>> {
    Ok(conn
        .prepare_cached("SELECT max(at) FROM audit_log")?
        .query_row([], |row| row.get(0))?)
}
