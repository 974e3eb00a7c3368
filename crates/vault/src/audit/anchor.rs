//! The audit anchor: the newest row's number and hash, kept outside the vault file by the
//! session store, checked against the file and renewed at each sign-in and sign-out.
//! See [`AuditAnchor`] for what it can and cannot detect.

use rusqlite::Connection;

use crate::clock::Timestamp;
use crate::db::audit;
use crate::error::Result;
use crate::model::audit::{AuditAnchor, AuditEvent, NewEntry, TailCheck};
use crate::vault::Vault;

impl AuditAnchor {
    /// The anchor for the newest row of the log at `conn`, if it has any row.
    pub(crate) fn latest(conn: &Connection) -> Result<Option<Self>> {
        Ok(audit::latest(conn)?.and_then(|(seq, hash)| {
            Some(Self {
                seq,
                hash: hash.try_into().ok()?,
            })
        }))
    }

    /// What the log at `conn` says about this anchor.
    pub(crate) fn check(&self, conn: &Connection) -> Result<TailCheck> {
        match audit::hash_at(conn, self.seq)? {
            Some(hash) if hash.as_slice() == self.hash => Ok(TailCheck::Found { seq: self.seq }),
            Some(_) => Ok(TailCheck::Rewritten { seq: self.seq }),
            None => {
                let last = audit::latest(conn)?.map_or(0, |(seq, _)| seq);
                Ok(TailCheck::Cut {
                    anchored: self.seq,
                    last,
                })
            }
        }
    }
}

impl Vault {
    /// The audit anchor this computer keeps outside the file, if it has one. A store
    /// that cannot be read counts as none (and is logged): the check is then skipped,
    /// never failed open into a false alarm or a refused sign-in.
    pub(crate) fn load_anchor(&self) -> Option<AuditAnchor> {
        self.store.load_anchor().unwrap_or_else(|e| {
            log::warn!("could not read the audit anchor from the OS keyring: {e}");
            None
        })
    }

    /// Keeps `anchor` outside the file for the next check.
    pub(crate) fn save_anchor(&self, anchor: Option<AuditAnchor>) {
        if let Some(anchor) = anchor
            && let Err(e) = self.store.save_anchor(&anchor)
        {
            log::warn!("could not keep the audit anchor in the OS keyring: {e}");
        }
    }

    /// Checks the end of the log against `anchor` inside a write, and records rows cut
    /// from it (or replaced) as an audit event of their own, so that the next anchor,
    /// which covers that event, cannot hide it.
    pub(crate) fn record_tail_check(
        &self,
        conn: &Connection,
        anchor: Option<AuditAnchor>,
        now: Timestamp,
    ) -> Result<()> {
        let Some(anchor) = anchor else {
            return Ok(());
        };
        let check = anchor.check(conn)?;
        if let Some(detail) = check.detail() {
            log::error!("the audit log lost rows since this computer last saw it: {detail}");
            let entry = NewEntry::new(AuditEvent::AuditTailMissing).detail(&detail);
            audit::append(conn, &entry, now)?;
        }
        Ok(())
    }
}
