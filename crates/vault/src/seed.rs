//! Bulk data for benchmarks: many accounts or audit rows in one transaction, with a
//! fixed cheap hash. Only with the `test-support` feature; the app never has it.

use crate::db::{audit, users};
use crate::error::Result;
use crate::model::audit::{AuditEvent, NewEntry};
use crate::model::{Role, UserId};
use crate::vault::Vault;

/// A syntactically valid argon2id PHC string for accounts nobody signs in to.
const BENCH_PHC: &str =
    "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA";

impl Vault {
    /// Adds `count` accounts, `user0000000@bench.example` onwards, in one transaction.
    pub fn seed_accounts(&self, count: usize) -> Result<()> {
        let now = self.now();
        self.write(|conn| {
            for i in 0..count {
                let email = format!("user{i:07}@bench.example");
                let name = format!("Person {i:07}");
                let key = name.to_lowercase();
                let user = users::NewUser {
                    email: &email,
                    display_name: &name,
                    name_key: &key,
                    role: Role::User,
                    team: Some(if i % 2 == 0 { "even" } else { "odd" }),
                    phone: None,
                    must_change_password: false,
                    phc: Some(BENCH_PHC),
                };
                users::insert(conn, &user, now)?;
            }
            Ok(())
        })
    }

    /// Appends `count` audit rows (sign-ins, alternating success and failure, spread over
    /// accounts 1 to 1000) in one transaction.
    pub fn seed_audit(&self, count: usize) -> Result<()> {
        let now = self.now();
        self.write(|conn| {
            for i in 0..count {
                let id = UserId(i64::try_from(i % 1000).unwrap_or(0) + 1);
                let mut entry = NewEntry::new(AuditEvent::SignIn).on(id, "someone@bench.example");
                if i % 2 == 1 {
                    entry = entry.failed();
                }
                audit::append(conn, &entry, now - i64::try_from(count - i).unwrap_or(0))?;
            }
            Ok(())
        })
    }

    /// Appends one audit row in its own transaction: the cost of one audited action's log.
    pub fn append_audit_row(&self) -> Result<()> {
        let now = self.now();
        self.write(|conn| audit::append(conn, &NewEntry::new(AuditEvent::SignOut), now))
    }
}
