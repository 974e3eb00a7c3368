//! Accounts to and from CSV files. An export lists every account (never a password or
//! hash) with spreadsheet formulas defused. An import is checked first, row by row,
//! with the same rules as one account made by hand, and nothing is written until
//! every row passes; then all its accounts are made in one transaction, each with a
//! temporary password that is shown once.
//!
//! The columns are `email`, `name`, `role` (`admin` or `user`; empty means `user`),
//! `team` and `phone`, in any order, named in the first line. An export's extra columns
//! (`status`, `created_utc`, `last_sign_in_utc`) are accepted and ignored, so an export
//! edited in a spreadsheet imports back.

use std::collections::HashMap;
use std::sync::mpsc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::format_utc;
use crate::db::{audit, users};
use crate::dto::IssuedPassword;
use crate::error::{Error, Invalid, Result};
use crate::model::Role;
use crate::model::audit::{AuditEvent, NewEntry};
use crate::password;
use crate::secret::SecretString;
use crate::session::AdminSession;
use crate::spreadsheet;
use crate::step_up::AdminAction;
use crate::validate::{self, Email, NAME_MAX_CHARS, TEAM_MAX_CHARS};
use crate::vault::Vault;

use super::admin::ensure_still_admin;

/// The largest file an import reads: 4 MiB.
pub const IMPORT_MAX_BYTES: usize = 4 * 1024 * 1024;
/// The most accounts one import makes.
pub const IMPORT_MAX_ROWS: usize = 10_000;
/// The most problems a check lists; the count covers them all.
const PROBLEMS_LISTED: usize = 200;

/// The columns an import reads, and those of an export it ignores.
const REQUIRED: [&str; 2] = ["email", "name"];
const OPTIONAL: [&str; 3] = ["role", "team", "phone"];
const IGNORED: [&str; 3] = ["status", "created_utc", "last_sign_in_utc"];

/// A CSV file of accounts to check or import.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountsCsv {
    /// The file's text (UTF-8), at most 4 MiB.
    pub csv: String,
}

/// What is wrong with one value of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RowProblem {
    /// The value breaks the field's rule, as it would in the new-account form.
    Invalid {
        /// Which rule.
        reason: Invalid,
    },
    /// An account with this email exists already.
    EmailTaken,
    /// The same email is on an earlier line of the file.
    Repeated {
        /// That line.
        line: u64,
    },
    /// The role is neither `admin` nor `user`.
    UnknownRole,
    /// The first line names a column the import does not know.
    UnknownColumn,
    /// The first line lacks a column every row needs.
    MissingColumn,
    /// The line is not CSV the import can read (a stray quote, a different number of
    /// fields than the first line).
    Unreadable,
}

/// One problem, where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProblem {
    /// The line of the file, from 1 (the column names).
    pub line: u64,
    /// The column (`email`, `name`, ...), or empty for a whole line.
    pub column: String,
    /// What is wrong.
    pub problem: RowProblem,
}

/// What an import would do: the accounts it would make, or what to fix first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportCheck {
    /// Accounts the file describes.
    pub rows: u64,
    /// How many of them would be admins.
    pub admins: u64,
    /// The first 200 problems, in file order; the import needs none.
    pub problems: Vec<ImportProblem>,
    /// How many problems there are in all.
    pub problem_count: u64,
}

/// How far an import has got: `done` of `total` temporary passwords hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    /// Accounts ready to write.
    pub done: u64,
    /// Accounts in the file.
    pub total: u64,
}

/// An account an import made, with its one-time temporary password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportedAccount {
    /// The account's email.
    pub email: String,
    /// Its name.
    pub display_name: String,
    /// Its role.
    pub role: Role,
    /// The temporary password to hand over; it must be changed at first sign-in.
    #[ts(type = "string")]
    pub temporary_password: IssuedPassword,
}

/// A row that passed every rule.
#[derive(Debug)]
pub(crate) struct Row {
    /// Where it is in the file.
    line: u64,
    email: Email,
    display_name: String,
    role: Role,
    team: Option<String>,
    phone: Option<String>,
}

/// The rows of a file and its problems.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) rows: Vec<Row>,
    pub(crate) problems: Vec<ImportProblem>,
    pub(crate) problem_count: u64,
}

impl Parsed {
    fn problem(&mut self, line: u64, column: &str, problem: RowProblem) {
        self.problem_count += 1;
        if self.problems.len() < PROBLEMS_LISTED {
            self.problems.push(ImportProblem {
                line,
                column: column.to_owned(),
                problem,
            });
        }
    }

    /// Records `result`'s refusal under `column`; the value when it passed.
    fn check<T>(&mut self, line: u64, column: &str, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(Error::Validation { reason, .. }) => {
                self.problem(line, column, RowProblem::Invalid { reason });
                None
            }
            Err(other) => {
                log::warn!("unexpected import check failure: {other}");
                self.problem(line, column, RowProblem::Unreadable);
                None
            }
        }
    }
}

/// Reads `text` against every rule that needs no vault: the columns, each value, and
/// emails repeated within the file.
///
/// Errors: `Validation` on `csv` for a file over 4 MiB (`TooLong`), one with more than
/// 10,000 accounts (`TooLarge`) or none (`Empty`).
pub(crate) fn parse(text: &str) -> Result<Parsed> {
    if text.len() > IMPORT_MAX_BYTES {
        return Err(Error::invalid("csv", Invalid::TooLong(IMPORT_MAX_BYTES)));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let mut parsed = Parsed::default();
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header
            .iter()
            .map(|name| name.trim().to_lowercase())
            .collect(),
        Err(_) => {
            parsed.problem(1, "", RowProblem::Unreadable);
            return Ok(parsed);
        }
    };
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (index, name) in header.iter().enumerate() {
        if REQUIRED.contains(&name.as_str()) || OPTIONAL.contains(&name.as_str()) {
            at.entry(name.as_str()).or_insert(index);
        } else if !IGNORED.contains(&name.as_str()) {
            parsed.problem(1, name, RowProblem::UnknownColumn);
        }
    }
    for name in REQUIRED {
        if !at.contains_key(name) {
            parsed.problem(1, name, RowProblem::MissingColumn);
        }
    }
    if parsed.problem_count > 0 {
        return Ok(parsed);
    }
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut records = 0_usize;
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, csv::Position::line);
                parsed.problem(line, "", RowProblem::Unreadable);
                continue;
            }
        };
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(|value| value.trim().is_empty()) {
            continue;
        }
        records += 1;
        if records > IMPORT_MAX_ROWS {
            return Err(Error::invalid(
                "csv",
                Invalid::TooLarge(IMPORT_MAX_ROWS as i64),
            ));
        }
        // A file this vault exported has its formulas defused; the guard comes off here.
        let value = |name: &str| {
            let raw = at.get(name).and_then(|&i| record.get(i)).unwrap_or("");
            crate::spreadsheet::undefused(raw)
        };
        let optional = |name: &str| Some(value(name)).filter(|v| !v.trim().is_empty());
        let email = parsed.check(line, "email", Email::parse(value("email")));
        let display_name = parsed.check(
            line,
            "name",
            validate::text("name", value("name"), NAME_MAX_CHARS),
        );
        let role = match value("role").trim().to_lowercase().as_str() {
            "" | "user" => Some(Role::User),
            "admin" => Some(Role::Admin),
            _ => {
                parsed.problem(line, "role", RowProblem::UnknownRole);
                None
            }
        };
        let team = parsed.check(
            line,
            "team",
            validate::optional_text("team", optional("team"), TEAM_MAX_CHARS),
        );
        let phone = parsed.check(line, "phone", validate::optional_phone(optional("phone")));
        let email = email.filter(|email| match first_line.get(email.as_str()) {
            Some(&first) => {
                parsed.problem(line, "email", RowProblem::Repeated { line: first });
                false
            }
            None => {
                first_line.insert(email.as_str().to_owned(), line);
                true
            }
        });
        if let (Some(email), Some(display_name), Some(role), Some(team), Some(phone)) =
            (email, display_name, role, team, phone)
        {
            parsed.rows.push(Row {
                line,
                email,
                display_name,
                role,
                team,
                phone,
            });
        }
    }
    if records == 0 && parsed.problem_count == 0 {
        return Err(Error::invalid("csv", Invalid::Empty));
    }
    Ok(parsed)
}

impl Vault {
    /// Checks an accounts CSV without writing anything: what it would make, or every
    /// problem (the first 200 listed) by line and column, emails already taken
    /// included.
    ///
    /// Errors: `Validation` on `csv` as for an import's size limits.
    pub fn check_import(
        &self,
        _admin: &AdminSession<'_>,
        file: &AccountsCsv,
    ) -> Result<ImportCheck> {
        let parsed = self.parse_against_vault(&file.csv)?;
        Ok(ImportCheck {
            rows: parsed.rows.len() as u64,
            admins: parsed.rows.iter().filter(|r| r.role == Role::Admin).count() as u64,
            problems: parsed.problems,
            problem_count: parsed.problem_count,
        })
    }

    /// [`parse`], then the emails that accounts have already.
    fn parse_against_vault(&self, text: &str) -> Result<Parsed> {
        let mut parsed = parse(text)?;
        let conn = self.conn();
        let mut taken = Vec::new();
        for row in &parsed.rows {
            if users::email_exists(&conn, row.email.as_str())? {
                taken.push(row.line);
            }
        }
        drop(conn);
        if !taken.is_empty() {
            for &line in &taken {
                parsed.problem(line, "email", RowProblem::EmailTaken);
            }
            parsed.problems.sort_by_key(|p| p.line);
            parsed.rows.retain(|row| !taken.contains(&row.line));
        }
        Ok(parsed)
    }

    /// Makes every account of an accounts CSV, each with a temporary password to be
    /// changed at first sign-in, in one transaction: all of them or none. Needs a
    /// recent password check. `progress` hears how many temporary passwords are ready
    /// as they are hashed (the long part), then the transaction runs.
    ///
    /// Errors: `Validation` on `csv` for a file with any problem ([`Self::check_import`]
    /// lists them) or over the limits; `ReauthRequired`; `Conflict(EmailTaken)` when
    /// another admin took one of its emails meanwhile (nothing is written).
    pub fn import_accounts(
        &self,
        admin: &AdminSession<'_>,
        file: &AccountsCsv,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<Vec<ImportedAccount>> {
        let parsed = self.parse_against_vault(&file.csv)?;
        if parsed.problem_count > 0 {
            return Err(Error::invalid("csv", Invalid::Malformed));
        }
        let role = if parsed.rows.iter().any(|r| r.role == Role::Admin) {
            Role::Admin
        } else {
            Role::User
        };
        self.authorize(admin, AdminAction::CreateAccount { role })?;
        let total = parsed.rows.len() as u64;
        progress(ImportProgress { done: 0, total });
        let hashed = self.hash_temporaries(parsed.rows.len(), total, progress)?;
        let now = self.now();
        self.write(|conn| {
            let actor = ensure_still_admin(conn, admin)?;
            for (row, (_, phc)) in parsed.rows.iter().zip(&hashed) {
                let name_key = validate::fold(&row.display_name);
                let user = users::NewUser {
                    email: row.email.as_str(),
                    display_name: &row.display_name,
                    name_key: &name_key,
                    role: row.role,
                    team: row.team.as_deref(),
                    phone: row.phone.as_deref(),
                    must_change_password: true,
                    phc: Some(phc),
                };
                let id = users::insert(conn, &user, now)?;
                let detail = format!("{} (import)", row.role.as_str());
                let entry = NewEntry::new(AuditEvent::AccountCreated)
                    .by(actor.id, &actor.email)
                    .on(id, row.email.as_str())
                    .detail(&detail);
                audit::append(conn, &entry, now)?;
            }
            Ok(())
        })?;
        log::info!(
            "{total} accounts imported by admin {}",
            admin.session().user_id().0
        );
        Ok(parsed
            .rows
            .into_iter()
            .zip(hashed)
            .map(|(row, (temporary, _))| ImportedAccount {
                email: row.email.as_str().to_owned(),
                display_name: row.display_name,
                role: row.role,
                temporary_password: IssuedPassword(temporary),
            })
            .collect())
    }

    /// `count` temporary passwords and their hashes, made on two threads (the hashing
    /// slots bound what runs at once), reporting to `progress` every 1% or so.
    fn hash_temporaries(
        &self,
        count: usize,
        total: u64,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<Vec<(SecretString, String)>> {
        let workers = 2;
        let (sender, receiver) = mpsc::channel::<()>();
        let step = (total / 100).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|worker| {
                    let sender = sender.clone();
                    scope.spawn(move || -> Result<Vec<(usize, SecretString, String)>> {
                        let mut made = Vec::new();
                        for index in (worker..count).step_by(workers) {
                            let temporary = password::temporary_password()?;
                            let phc = self.hasher().hash_temporary(&temporary)?;
                            made.push((index, temporary, phc));
                            // The receiver is gone only when the import already failed.
                            let _ = sender.send(());
                        }
                        Ok(made)
                    })
                })
                .collect();
            drop(sender);
            let mut done = 0_u64;
            for () in receiver {
                done += 1;
                if done.is_multiple_of(step) || done == total {
                    progress(ImportProgress { done, total });
                }
            }
            let mut all: Vec<(usize, SecretString, String)> = Vec::with_capacity(count);
            for handle in handles {
                let made = handle
                    .join()
                    .map_err(|_| Error::Internal("an import worker panicked".into()))??;
                all.extend(made);
            }
            all.sort_by_key(|(index, _, _)| *index);
            Ok(all
                .into_iter()
                .map(|(_, temporary, phc)| (temporary, phc))
                .collect())
        })
    }

    /// Every account as CSV (`email,name,role,team,phone,status,created_utc,
    /// last_sign_in_utc`), with spreadsheet formulas defused. Needs a recent password
    /// check; the export is audited.
    pub fn export_accounts(&self, admin: &AdminSession<'_>) -> Result<String> {
        self.authorize(admin, AdminAction::ExportAccounts)?;
        let rows = users::all(&self.conn())?;
        let mut out =
            String::from("email,name,role,team,phone,status,created_utc,last_sign_in_utc\n");
        for row in &rows {
            out.push_str(&spreadsheet::line(&[
                row.email.as_str(),
                &row.display_name,
                row.role.as_str(),
                row.team.as_deref().unwrap_or(""),
                row.phone.as_deref().unwrap_or(""),
                row.status.as_str(),
                &format_utc(row.created_at),
                &row.last_sign_in_at.map(format_utc).unwrap_or_default(),
            ]));
        }
        let now = self.now();
        let detail = format!("{} accounts", rows.len());
        self.write(|conn| {
            let actor = ensure_still_admin(conn, admin)?;
            let entry = NewEntry::new(AuditEvent::AccountsExported)
                .by(actor.id, &actor.email)
                .detail(&detail);
            audit::append(conn, &entry, now)
        })?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(u64, String, RowProblem)> {
        parse(text)
            .unwrap()
            .problems
            .into_iter()
            .map(|p| (p.line, p.column, p.problem))
            .collect()
    }

    #[test]
    fn a_clean_file_reads_in_any_column_order() {
        let parsed = parse(
            "\u{feff}Name,Email,Role,Phone\nMina Park,MINA@clinic.example,admin,+82 10-1234-5678\nJo Lee,jo@clinic.example,,\n",
        )
        .unwrap();
        assert_eq!(parsed.problem_count, 0);
        let emails: Vec<&str> = parsed.rows.iter().map(|r| r.email.as_str()).collect();
        assert_eq!(emails, ["mina@clinic.example", "jo@clinic.example"]);
        assert_eq!(parsed.rows[0].role, Role::Admin);
        assert_eq!(parsed.rows[1].role, Role::User);
        assert_eq!(parsed.rows[1].phone, None);
    }

    #[test]
    fn each_problem_is_named_by_line_and_column() {
        let found = problems(
            "email,name,role\nnot-an-email,Mina,user\njo@x.example,,user\nal@x.example,Al,owner\njo@x.example,Jo again,user\n",
        );
        assert_eq!(
            found,
            [
                (
                    2,
                    "email".into(),
                    RowProblem::Invalid {
                        reason: Invalid::Malformed
                    }
                ),
                (
                    3,
                    "name".into(),
                    RowProblem::Invalid {
                        reason: Invalid::Empty
                    }
                ),
                (4, "role".into(), RowProblem::UnknownRole),
                (5, "email".into(), RowProblem::Repeated { line: 3 }),
            ]
        );
    }

    #[test]
    fn the_columns_are_checked_before_any_row() {
        assert_eq!(
            problems("email,nickname\na@x.example,A\n"),
            [
                (1, "nickname".into(), RowProblem::UnknownColumn),
                (1, "name".into(), RowProblem::MissingColumn),
            ]
        );
        // An export's own extra columns are fine.
        assert_eq!(
            problems("email,name,status,created_utc,last_sign_in_utc\na@x.example,A,active,,\n"),
            []
        );
        assert_eq!(
            problems("email,name\n\"a@x.example,A\n"),
            [(2, String::new(), RowProblem::Unreadable)]
        );
    }

    #[test]
    fn limits_are_refused_whole() {
        let big = "x".repeat(IMPORT_MAX_BYTES + 1);
        assert!(matches!(
            parse(&big),
            Err(Error::Validation {
                reason: Invalid::TooLong(_),
                ..
            })
        ));
        let mut many = String::from("email,name\n");
        for i in 0..=IMPORT_MAX_ROWS {
            many.push_str(&format!("p{i}@x.example,P {i}\n"));
        }
        assert!(matches!(
            parse(&many),
            Err(Error::Validation {
                reason: Invalid::TooLarge(10_000),
                ..
            })
        ));
        assert!(matches!(
            parse("email,name\n\n"),
            Err(Error::Validation {
                reason: Invalid::Empty,
                ..
            })
        ));
    }
}
