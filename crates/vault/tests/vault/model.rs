//! Model-based testing: random sequences of sign-ins, sign-outs, locks, unlocks,
//! step-ups, role changes, disables, resets and deletions by two desks (two app
//! instances on one vault file) over four accounts and a moving clock, each step checked
//! against a small model of who is signed in at which desk, whether that session is
//! locked, and what each account is.
//!
//! After every step: each desk's session check agrees with the model (signed out,
//! locked, or signed in as the right person with the right role); an admin operation
//! succeeds only for a desk whose session the model holds as an unlocked admin's, and a
//! refused one changes no account; at least one active admin remains; no reply carries a
//! password or a hash. After every sequence the audit chain verifies.
//!
//! `PROPTEST_CASES` sets the number of sequences (`make soak` raises it).

use std::sync::Arc;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use vault::{
    FixedClock, ListQuery, LockReason, MemoryStore, NewAccount, Role, Session, Vault, require_admin,
};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, START, first_admin, options, settle};

/// Sequences per `make test` run, unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 2000;
const DESKS: usize = 2;
/// Accounts in the model: the first admin, another admin and two users.
const PEOPLE: usize = 4;
/// Every step starts this much later: longer than the longest throttle wait, so a wrong
/// password never makes the next attempt wait (the throttle has its own tests).
const STEP_SECONDS: i64 = 11;
const AUTO_LOCK_SECONDS: i64 = 300;

#[derive(Debug, Clone)]
enum Op {
    SignIn {
        desk: usize,
        who: usize,
        right: bool,
    },
    SignOut {
        desk: usize,
    },
    Lock {
        desk: usize,
    },
    Unlock {
        desk: usize,
        right: bool,
    },
    StepUp {
        desk: usize,
    },
    SetRole {
        desk: usize,
        target: usize,
        admin: bool,
    },
    SetDisabled {
        desk: usize,
        target: usize,
        disabled: bool,
    },
    Reset {
        desk: usize,
        target: usize,
    },
    Delete {
        desk: usize,
        target: usize,
    },
    Read {
        desk: usize,
    },
    Wait {
        seconds: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let desk = 0..DESKS;
    let who = 0..PEOPLE;
    prop_oneof![
        4 => (desk.clone(), who.clone(), prop::bool::weighted(0.8))
            .prop_map(|(desk, who, right)| Op::SignIn { desk, who, right }),
        1 => desk.clone().prop_map(|desk| Op::SignOut { desk }),
        2 => desk.clone().prop_map(|desk| Op::Lock { desk }),
        2 => (desk.clone(), prop::bool::weighted(0.8))
            .prop_map(|(desk, right)| Op::Unlock { desk, right }),
        2 => desk.clone().prop_map(|desk| Op::StepUp { desk }),
        2 => (desk.clone(), who.clone(), any::<bool>())
            .prop_map(|(desk, target, admin)| Op::SetRole { desk, target, admin }),
        2 => (desk.clone(), who.clone(), any::<bool>())
            .prop_map(|(desk, target, disabled)| Op::SetDisabled { desk, target, disabled }),
        1 => (desk.clone(), who.clone()).prop_map(|(desk, target)| Op::Reset { desk, target }),
        1 => (desk.clone(), who.clone()).prop_map(|(desk, target)| Op::Delete { desk, target }),
        2 => desk.prop_map(|desk| Op::Read { desk }),
        1 => (0_i64..400).prop_map(|seconds| Op::Wait { seconds }),
    ]
}

#[derive(Debug, Clone)]
struct Person {
    email: String,
    password: String,
    id: vault::UserId,
    role: Role,
    disabled: bool,
    deleted: bool,
}

/// A desk's session as the model sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seat {
    who: usize,
    locked: bool,
    /// The last successful check, sign-in or unlock.
    active_at: i64,
}

struct World {
    _dir: tempfile::TempDir,
    clock: Arc<FixedClock>,
    desks: Vec<Vault>,
    scratch: Vault,
    people: Vec<Person>,
    seats: [Option<Seat>; DESKS],
    /// Every password ever set, to look for in replies.
    secrets: Vec<String>,
}

/// The vault every sequence starts from, made once: the first admin and three settled
/// accounts (the password rules and hashing take most of the time), checkpointed into
/// one file that each sequence copies.
struct Template {
    file: Vec<u8>,
    people: Vec<Person>,
}

fn template() -> &'static Template {
    static TEMPLATE: std::sync::OnceLock<Template> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.sqlite");
        let clock = Arc::new(FixedClock::new(START));
        let open = || Vault::open(&path, Arc::new(MemoryStore::new()), options(&clock)).unwrap();
        let setup = open();
        setup
            .create_first_admin(&first_admin(ADMIN_EMAIL, ADMIN_PASSWORD))
            .unwrap();
        let mut people = vec![Person {
            email: ADMIN_EMAIL.into(),
            password: ADMIN_PASSWORD.into(),
            id: setup.verify_session().unwrap().user_id(),
            role: Role::Admin,
            disabled: false,
            deleted: false,
        }];
        for (i, role) in [Role::Admin, Role::User, Role::User]
            .into_iter()
            .enumerate()
        {
            let email = format!("desk{i}@model.example");
            let session = setup.verify_session().unwrap();
            let created = setup
                .create_account(
                    &require_admin(&session).unwrap(),
                    &NewAccount {
                        email: email.clone(),
                        display_name: ["Ana Kim", "Ben Cho", "Cara Lee"][i].into(),
                        role,
                        team: Some("desk".into()),
                        phone: Some("010-0000-0000".into()),
                    },
                )
                .unwrap();
            let password = format!("quiet orchard behind the mill {i}");
            let other = open();
            settle(
                &other,
                &email,
                created.temporary_password.expose(),
                &password,
            );
            other.logout().unwrap();
            people.push(Person {
                email,
                password,
                id: created.account.id,
                role,
                disabled: false,
                deleted: false,
            });
        }
        setup.logout().unwrap();
        drop(setup);
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        drop(conn);
        Template {
            file: std::fs::read(&path).unwrap(),
            people,
        }
    })
}

impl World {
    fn new() -> Self {
        let template = template();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.sqlite");
        std::fs::write(&path, &template.file).unwrap();
        // Later than everything in the template, so no throttle or session carries over.
        let clock = Arc::new(FixedClock::new(START + 3600));
        let open = || Vault::open(&path, Arc::new(MemoryStore::new()), options(&clock)).unwrap();
        let people = template.people.clone();
        let secrets = people.iter().map(|p| p.password.clone()).collect();
        Self {
            desks: (0..DESKS).map(|_| open()).collect(),
            scratch: open(),
            _dir: dir,
            clock,
            people,
            seats: [None; DESKS],
            secrets,
        }
    }

    fn now(&self) -> i64 {
        vault::Clock::now(&*self.clock)
    }

    /// Ends, in the model, every session of `who` (a change to the account ends them).
    fn end_sessions_of(&mut self, who: usize) {
        for seat in &mut self.seats {
            if seat.is_some_and(|s| s.who == who) {
                *seat = None;
            }
        }
    }

    /// What the model expects of desk `d`'s session check now, applying the auto-lock.
    fn expected(&mut self, d: usize) -> Expect {
        let now = self.now();
        match &mut self.seats[d] {
            None => Expect::SignedOut,
            Some(seat) if seat.locked => Expect::Locked,
            Some(seat) if now - seat.active_at >= AUTO_LOCK_SECONDS => {
                seat.locked = true;
                Expect::Locked
            }
            Some(seat) => Expect::SignedIn(seat.who),
        }
    }

    /// Checks desk `d` against the model; returns its session when it is signed in.
    fn check_desk(&mut self, d: usize) -> Result<Option<Session>, TestCaseError> {
        let expected = self.expected(d);
        let got = self.desks[d].verify_session();
        match (expected, got) {
            (Expect::SignedOut, Err(vault::Error::NotAuthenticated)) => Ok(None),
            (Expect::Locked, Err(vault::Error::SessionLocked { .. })) => Ok(None),
            (Expect::SignedIn(who), Ok(session)) => {
                let person = &self.people[who];
                prop_assert_eq!(session.user_id(), person.id, "desk {} person", d);
                prop_assert_eq!(session.role(), person.role, "desk {} role", d);
                prop_assert!(!person.disabled && !person.deleted);
                let now = self.now();
                if let Some(seat) = &mut self.seats[d] {
                    seat.active_at = now;
                }
                Ok(Some(session))
            }
            (expected, got) => Err(TestCaseError::fail(format!(
                "desk {d}: the model expects {expected:?}, the vault says {got:?}"
            ))),
        }
    }

    /// An unlocked admin's session at desk `d`, if the model has one there.
    fn admin_at(&self, d: usize) -> bool {
        self.seats[d].is_some_and(|seat| !seat.locked && self.people[seat.who].role == Role::Admin)
    }

    fn no_secret_in(&self, json: &str) -> Result<(), TestCaseError> {
        prop_assert!(!json.contains("$argon2"), "a hash in {}", json);
        for secret in &self.secrets {
            prop_assert!(!json.contains(secret.as_str()), "a password in {}", json);
        }
        Ok(())
    }

    /// The accounts as stored, to compare before and after a refused operation.
    fn accounts(&self) -> Vec<(i64, String, String)> {
        let conn = rusqlite::Connection::open(self._dir.path().join("vault.sqlite")).unwrap();
        let mut statement = conn
            .prepare("SELECT id, role, status FROM users ORDER BY id")
            .unwrap();
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn active_admins(&self) -> usize {
        self.accounts()
            .iter()
            .filter(|(_, role, status)| role == "admin" && status == "active")
            .count()
    }

    fn step(&mut self, op: &Op) -> Result<(), TestCaseError> {
        self.clock.advance(STEP_SECONDS);
        match *op {
            Op::Wait { seconds } => self.clock.advance(seconds),
            Op::SignIn { desk, who, right } => {
                let person = self.people[who].clone();
                let password = if right {
                    person.password.clone()
                } else {
                    "not the password at all".into()
                };
                let result = self.desks[desk].login(&person.email, &password.as_str().into());
                let may = right && !person.disabled && !person.deleted;
                match result {
                    Ok(user) => {
                        prop_assert!(may, "{:?} signed in", op);
                        self.no_secret_in(&serde_json::to_string(&user).unwrap())?;
                        if user.must_change_password {
                            // Reset while disabled: the temporary password is replaced now,
                            // which ends the person's other sessions.
                            let chosen = format!("chosen at the desk {}", self.secrets.len());
                            let session = self.desks[desk].verify_session().unwrap();
                            self.desks[desk]
                                .change_password(
                                    &session,
                                    &password.as_str().into(),
                                    &chosen.as_str().into(),
                                )
                                .unwrap();
                            self.people[who].password = chosen.clone();
                            self.secrets.push(chosen);
                            self.end_sessions_of(who);
                        }
                        self.seats[desk] = Some(Seat {
                            who,
                            locked: false,
                            active_at: self.now(),
                        });
                    }
                    Err(vault::Error::InvalidCredentials) => {
                        prop_assert!(!may, "{:?} was refused", op);
                        // A refused sign-in leaves the desk's session as it was.
                    }
                    Err(other) => return Err(TestCaseError::fail(format!("{op:?}: {other:?}"))),
                }
            }
            Op::SignOut { desk } => {
                self.desks[desk].logout().unwrap();
                self.seats[desk] = None;
            }
            Op::Lock { desk } => {
                self.expected(desk);
                self.desks[desk].lock_session(LockReason::Manual).unwrap();
                if let Some(seat) = &mut self.seats[desk] {
                    seat.locked = true;
                }
            }
            Op::Unlock { desk, right } => {
                self.expected(desk);
                let seat = self.seats[desk];
                let password = match seat {
                    Some(seat) if right => self.people[seat.who].password.clone(),
                    _ => "not the password at all".into(),
                };
                let result = self.desks[desk].unlock_session(
                    &crate::last_id(&self.desks[desk]),
                    &password.as_str().into(),
                );
                match (seat, result) {
                    (None, Err(vault::Error::NotAuthenticated)) => {}
                    // The lock screen lists locked sessions only: an active one has
                    // no id to name.
                    (Some(seat), Err(vault::Error::NotAuthenticated)) if !seat.locked => {}
                    (Some(seat), Ok(user)) if seat.locked && right => {
                        prop_assert_eq!(user.id, self.people[seat.who].id);
                        self.seats[desk] = Some(Seat {
                            locked: false,
                            active_at: self.now(),
                            ..seat
                        });
                    }
                    (Some(seat), Err(vault::Error::InvalidCredentials))
                        if seat.locked && !right => {}
                    (seat, result) => {
                        return Err(TestCaseError::fail(format!(
                            "{op:?} with {seat:?}: {result:?}"
                        )));
                    }
                }
            }
            Op::StepUp { desk } => {
                if let Some(session) = self.check_desk(desk)? {
                    let who = self.seats[desk].map(|s| s.who).unwrap_or_default();
                    let password = self.people[who].password.clone();
                    self.desks[desk]
                        .reauthenticate(&session, &password.as_str().into(), None)
                        .unwrap();
                }
            }
            Op::Read { desk } => {
                if let Some(session) = self.check_desk(desk)? {
                    let query = ListQuery {
                        search: None,
                        after: None,
                        limit: None,
                        second_factor: None,
                    };
                    let json = match require_admin(&session) {
                        Ok(admin) => serde_json::to_string(
                            &self.desks[desk].list_accounts(&admin, &query).unwrap(),
                        ),
                        Err(_) => serde_json::to_string(
                            &self.desks[desk].team_directory(&session, &query).unwrap(),
                        ),
                    }
                    .unwrap();
                    self.no_secret_in(&json)?;
                }
            }
            Op::SetRole { desk, target, .. }
            | Op::SetDisabled { desk, target, .. }
            | Op::Reset { desk, target }
            | Op::Delete { desk, target } => self.admin_op(op, desk, target)?,
        }
        prop_assert!(
            self.active_admins() >= 1,
            "no active admin left after {:?}",
            op
        );
        for desk in 0..DESKS {
            self.check_desk(desk)?;
        }
        Ok(())
    }

    /// An admin operation from desk `desk` on person `target`. Whether a permitted one
    /// succeeds depends on rules with their own tests (own account, last admin, step-up);
    /// what the model insists on is that nobody else gets one through, that a refusal
    /// changes no account, and that a success does what it says.
    fn admin_op(&mut self, op: &Op, desk: usize, target: usize) -> Result<(), TestCaseError> {
        let before = self.accounts();
        let permitted = self.admin_at(desk) && {
            // The session check is part of every operation: apply the auto-lock.
            self.expected(desk);
            self.admin_at(desk)
        };
        let vault = &self.desks[desk];
        let session = vault.verify_session();
        let id = self.people[target].id;
        let result: Result<Option<String>, vault::Error> = session.and_then(|session| {
            let admin = require_admin(&session)?;
            match *op {
                Op::SetRole {
                    admin: to_admin, ..
                } => vault
                    .set_role(&admin, id, if to_admin { Role::Admin } else { Role::User })
                    .map(|dto| serde_json::to_string(&dto).ok()),
                Op::SetDisabled { disabled, .. } => vault
                    .set_disabled(&admin, id, disabled)
                    .map(|dto| serde_json::to_string(&dto).ok()),
                Op::Reset { .. } => vault
                    .reset_password(&admin, id)
                    .map(|issued| Some(issued.expose().to_owned())),
                Op::Delete { .. } => vault.delete_account(&admin, id).map(|()| None),
                _ => unreachable!("not an admin operation"),
            }
        });
        let Ok(reply) = result else {
            prop_assert_eq!(
                self.accounts(),
                before,
                "a refused {:?} changed an account",
                op
            );
            return Ok(());
        };
        prop_assert!(
            permitted,
            "{:?} succeeded for a desk the model holds as no unlocked admin",
            op
        );
        if let Some(seat) = &mut self.seats[desk] {
            seat.active_at = vault::Clock::now(&*self.clock);
        }
        let person = &mut self.people[target];
        match *op {
            Op::SetRole {
                admin: to_admin, ..
            } => {
                let role = if to_admin { Role::Admin } else { Role::User };
                if person.role != role {
                    person.role = role;
                    self.end_sessions_of(target);
                }
                self.no_secret_in(&reply.unwrap_or_default())?;
            }
            Op::SetDisabled { disabled, .. } => {
                if person.disabled != disabled {
                    person.disabled = disabled;
                    if disabled {
                        self.end_sessions_of(target);
                    }
                }
                self.no_secret_in(&reply.unwrap_or_default())?;
            }
            Op::Reset { .. } => {
                // The person comes back and chooses a new password at once.
                let temporary = reply.unwrap_or_default();
                let email = person.email.clone();
                let password = format!("chosen again after reset {}", self.secrets.len());
                person.password = password.clone();
                self.secrets.push(password.clone());
                self.end_sessions_of(target);
                if self.people[target].disabled {
                    // Chosen at their next sign-in, once enabled again.
                    self.people[target].password = temporary;
                } else {
                    settle(&self.scratch, &email, &temporary, &password);
                    self.scratch.logout().unwrap();
                }
            }
            Op::Delete { .. } => {
                person.deleted = true;
                self.end_sessions_of(target);
            }
            _ => {}
        }
        Ok(())
    }

    /// The audit chain, checked by any active admin the model knows.
    fn chain_intact(&self) -> Result<(), TestCaseError> {
        let Some(admin) = self
            .people
            .iter()
            .find(|p| p.role == Role::Admin && !p.disabled && !p.deleted)
        else {
            return Err(TestCaseError::fail("no active admin"));
        };
        self.clock.advance(STEP_SECONDS);
        let user = self
            .scratch
            .login(&admin.email, &admin.password.as_str().into())
            .unwrap();
        if user.must_change_password {
            // Reset while disabled and enabled since: the temporary password is replaced.
            let session = self.scratch.verify_session().unwrap();
            self.scratch
                .change_password(
                    &session,
                    &admin.password.as_str().into(),
                    &"chosen for the final check".into(),
                )
                .unwrap();
        }
        let session = self.scratch.verify_session().unwrap();
        let report = self
            .scratch
            .verify_audit_chain(&require_admin(&session).unwrap())
            .unwrap();
        prop_assert!(report.intact, "{:?}", report);
        Ok(())
    }
}

#[derive(Debug, Clone, Copy)]
enum Expect {
    SignedOut,
    Locked,
    SignedIn(usize),
}

#[test]
fn random_desk_work_always_agrees_with_the_model() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(op(), 1..40), |ops| {
            let mut world = World::new();
            for op in &ops {
                world.step(op)?;
            }
            world.chain_intact()
        })
        .unwrap();
}
