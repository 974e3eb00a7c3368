//! Writing the whole audit log out as CSV or JSON Lines, for an admin with a recent
//! password check; CSV fields are quoted and spreadsheet formulas defused
//! ([`crate::spreadsheet`]).

use crate::clock::format_utc;
use crate::db::{audit, users};
use crate::error::{Error, Result};
use crate::model::audit::{AuditEntry, AuditEvent, ExportFormat, NewEntry};
use crate::session::AdminSession;
use crate::spreadsheet;
use crate::step_up::AdminAction;
use crate::vault::Vault;

impl Vault {
    /// The whole log as CSV or JSON Lines. Needs a password check within the last five
    /// minutes; the export itself is audited.
    pub fn export_audit(&self, admin: &AdminSession<'_>, format: ExportFormat) -> Result<String> {
        self.authorize(admin, AdminAction::ExportAudit)?;
        let mut out = String::new();
        if format == ExportFormat::Csv {
            out.push_str(
                "id,at_utc,event,outcome,actor_id,actor_email,target_id,target_email,detail\n",
            );
        }
        audit::for_each(&self.conn(), |row, _, _| {
            match format {
                ExportFormat::Csv => out.push_str(&csv_line(&row)),
                ExportFormat::Jsonl => {
                    out.push_str(
                        &serde_json::to_string(&row).map_err(|e| Error::internal("export", e))?,
                    );
                    out.push('\n');
                }
            }
            Ok(true)
        })?;
        let me = admin.session();
        let email = users::require(&self.conn(), me.user_id())?.email;
        let detail = match format {
            ExportFormat::Csv => "csv",
            ExportFormat::Jsonl => "jsonl",
        };
        self.write(|conn| {
            audit::append(
                conn,
                &NewEntry::new(AuditEvent::AuditExported)
                    .by(me.user_id(), &email)
                    .detail(detail),
                self.now(),
            )
        })?;
        Ok(out)
    }
}

fn csv_line(row: &AuditEntry) -> String {
    spreadsheet::line(&[
        row.id.to_string(),
        format_utc(row.at),
        row.event.as_str().to_owned(),
        row.outcome.as_str().to_owned(),
        row.actor_id.map(|id| id.0.to_string()).unwrap_or_default(),
        row.actor_email.clone().unwrap_or_default(),
        row.target_id.map(|id| id.0.to_string()).unwrap_or_default(),
        row.target_email.clone().unwrap_or_default(),
        row.detail.clone().unwrap_or_default(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_formatting_matches_known_dates() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(1_795_737_600), "2026-11-27T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn a_detail_that_looks_like_a_formula_is_defused() {
        let row = AuditEntry {
            id: 7,
            at: 0,
            event: AuditEvent::ProfileUpdated,
            outcome: crate::model::audit::Outcome::Success,
            actor_id: None,
            actor_email: None,
            target_id: None,
            target_email: Some("=HYPERLINK(\"x\")@x.example".into()),
            detail: Some("\t=1+1".into()),
        };
        assert_eq!(
            csv_line(&row),
            "7,1970-01-01T00:00:00Z,profile_updated,success,,,,\"'=HYPERLINK(\"\"x\"\")@x.example\",'\t=1+1\n"
        );
    }
}
