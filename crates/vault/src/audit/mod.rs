//! The audit log: what happened to whom, when, by whom, and whether it worked, kept
//! append-only and hash-chained in SQLite (see `db::audit`). Admins read, filter,
//! verify and export it; each person sees what happened to their own account since
//! they last signed in.

mod anchor;
mod export;

use crate::db::audit;
use crate::error::{Error, Invalid, Result};
use crate::model::audit::{AuditEntry, AuditPage, AuditQuery, ChainReport, DayCount};
use crate::session::{AdminSession, Session};
use crate::vault::Vault;

impl Vault {
    /// A filtered page of the audit log, newest first.
    pub fn audit_log(&self, admin: &AdminSession<'_>, query: &AuditQuery) -> Result<AuditPage> {
        let _ = admin;
        let limit = query.limit.unwrap_or(crate::PAGE_DEFAULT);
        if !(1..=crate::PAGE_MAX).contains(&limit) {
            return Err(Error::invalid(
                "limit",
                Invalid::TooLong(crate::PAGE_MAX as usize),
            ));
        }
        let items = audit::list(&self.conn(), query, limit)?;
        let next_cursor = items
            .last()
            .filter(|_| items.len() == limit as usize)
            .map(|row| row.id);
        Ok(AuditPage { items, next_cursor })
    }

    /// Walks the whole chain and reports the first broken row, and checks the end of the
    /// log against the anchor kept outside the file.
    pub fn verify_audit_chain(&self, admin: &AdminSession<'_>) -> Result<ChainReport> {
        let _ = admin;
        let anchor = self.load_anchor();
        let conn = self.conn();
        let mut report = audit::verify(&conn)?;
        if let Some(anchor) = anchor {
            report.tail = anchor.check(&conn)?;
            report.intact = report.intact && !report.tail.is_damaged();
        }
        Ok(report)
    }

    /// Successful and failed sign-ins per day over the last `days` days, by the viewer's
    /// local day: `utc_offset_minutes` is their offset from UTC now (+540 in Korea), so a
    /// sign-in at 00:30 local time counts on that day, as the date filters do.
    ///
    /// Errors: `Validation` for an offset beyond ±14 hours or `days` outside 1–366.
    pub fn sign_in_stats(
        &self,
        admin: &AdminSession<'_>,
        days: u32,
        utc_offset_minutes: i32,
    ) -> Result<Vec<DayCount>> {
        let _ = admin;
        if !(1..=366).contains(&days) {
            return Err(Error::invalid("days", Invalid::Malformed));
        }
        if !(-14 * 60..=14 * 60).contains(&utc_offset_minutes) {
            return Err(Error::invalid("utcOffsetMinutes", Invalid::Malformed));
        }
        let offset = i64::from(utc_offset_minutes) * 60;
        let local_today = (self.now() + offset).div_euclid(86_400) * 86_400;
        let since = local_today - (i64::from(days) - 1) * 86_400 - offset;
        audit::sign_ins_per_day(&self.conn(), since, offset)
    }

    /// What happened to the signed-in person's account between their previous sign-in
    /// and this one: failed attempts, lockouts, and admins' actions; for admins, also
    /// rows found missing from the end of the log.
    pub fn since_last_sign_in(&self, session: &Session) -> Result<Vec<AuditEntry>> {
        let admin = session.role() == crate::model::Role::Admin;
        match session.previous_sign_in_at {
            Some(since) => audit::notices_for(&self.conn(), session.user_id(), since, admin),
            None => Ok(Vec::new()),
        }
    }
}
