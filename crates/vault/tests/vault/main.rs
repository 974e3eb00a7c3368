#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

//! Integration tests of the vault on real SQLite files in temporary directories, with a
//! fixed clock, cheap argon2 parameters and the in-memory session store.

mod accounts;
mod anchor;
mod backup;
mod burst;
mod crash;
mod desk;
mod dto;
mod faults;
mod file;
mod first_admin;
mod fuzz_corpus;
mod layers;
mod lock;
mod model;
mod organisation;
mod pin;
mod rules;
mod second_factor;
mod security;
mod sessions;
mod sign_in;
mod transfer;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tempfile::TempDir;
use vault::{
    CurrentUser, FirstAdmin, FixedClock, HashParams, MemoryStore, NewAccount, Role, SessionPolicy,
    UserId, Vault, VaultOptions,
};

/// A second before 2026-11-27 00:00 UTC; any fixed point will do.
pub const START: i64 = 1_795_737_599;
pub const ADMIN_EMAIL: &str = "admin@clinic.example";
pub const ADMIN_PASSWORD: &str = "front desk morning shift";

/// A fresh vault file in its own temporary directory.
#[derive(Debug)]
pub struct Fixture {
    pub dir: TempDir,
    pub clock: Arc<FixedClock>,
    pub store: Arc<MemoryStore>,
    pub vault: Vault,
}

pub fn options(clock: &Arc<FixedClock>) -> VaultOptions {
    VaultOptions {
        hash_params: Some(HashParams::insecure_for_tests()),
        session_policy: SessionPolicy::default(),
        clock: clock.clone(),
    }
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(FixedClock::new(START));
    let store = Arc::new(MemoryStore::new());
    let vault = Vault::open(
        &dir.path().join("vault.sqlite"),
        store.clone(),
        options(&clock),
    )
    .expect("open a fresh vault");
    Fixture {
        dir,
        clock,
        store,
        vault,
    }
}

impl Fixture {
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("vault.sqlite")
    }

    /// The same file opened by another instance of the app, with its own session store:
    /// another person's session on the same vault.
    pub fn other_instance(&self) -> Vault {
        open_at(&self.path(), &self.clock, Arc::new(MemoryStore::new()))
    }

    /// The same file and store after a restart of the app.
    pub fn restarted(&self) -> Vault {
        open_at(&self.path(), &self.clock, self.store.clone())
    }

    /// Lets `seconds` pass with the signed-in person busy at the desk (a checked command
    /// every minute), so that the session neither locks nor idles out.
    pub fn stay_active_for(&self, seconds: i64) {
        let mut left = seconds;
        while left > 0 {
            let step = left.min(60);
            self.clock.advance(step);
            self.vault.verify_session().expect("an active session");
            left -= step;
        }
    }

    /// Creates the first admin; this instance is then signed in as them.
    pub fn with_admin(self) -> Self {
        self.vault
            .create_first_admin(&first_admin(ADMIN_EMAIL, ADMIN_PASSWORD))
            .expect("first admin");
        self
    }

    /// As the signed-in admin, creates an account and returns its id and temporary password.
    pub fn create(&self, email: &str, role: Role, team: Option<&str>) -> (UserId, String) {
        let session = self.vault.verify_session().expect("admin session");
        let admin = vault::require_admin(&session).expect("admin");
        let account = NewAccount {
            email: email.into(),
            display_name: format!("Person {email}"),
            role,
            team: team.map(Into::into),
            phone: Some("+82 10-1234-5678".into()),
        };
        let created = self
            .vault
            .create_account(&admin, &account)
            .expect("create account");
        (
            created.account.id,
            created.temporary_password.expose().to_owned(),
        )
    }
}

/// The clerk's password once the temporary one has been replaced.
pub const CLERK_PASSWORD: &str = "till roll and receipts";

impl Fixture {
    /// As the signed-in admin, creates `clerk@shop.example` (a user) and returns its id
    /// and another instance signed in as the clerk with their own password.
    pub fn signed_in_clerk(&self) -> (UserId, Vault) {
        let (id, temporary) = self.create("clerk@shop.example", Role::User, None);
        let clerk = self.other_instance();
        settle(&clerk, "clerk@shop.example", &temporary, CLERK_PASSWORD);
        (id, clerk)
    }
}

pub fn open_at(path: &Path, clock: &Arc<FixedClock>, store: Arc<MemoryStore>) -> Vault {
    Vault::open(path, store, options(clock)).expect("open vault")
}

pub fn first_admin(email: &str, password: &str) -> FirstAdmin {
    FirstAdmin {
        email: email.into(),
        display_name: "Ada Admin".into(),
        password: password.into(),
    }
}

/// Signs `vault` in with a temporary password and replaces it with `password`.
pub fn settle(vault: &Vault, email: &str, temporary: &str, password: &str) -> CurrentUser {
    let user = vault
        .login(email, &temporary.into())
        .expect("sign in with the temporary password");
    assert!(user.must_change_password);
    let session = vault.verify_session().expect("session");
    vault
        .change_password(&session, &temporary.into(), &password.into())
        .expect("change password")
}

/// Asserts that `result` is the error with `code`.
#[macro_export]
macro_rules! assert_code {
    ($result:expr, $code:ident) => {
        match $result {
            Err(error) => assert_eq!(error.code(), vault::ErrorCode::$code, "{error:?}"),
            Ok(value) => panic!("expected {}, got Ok({value:?})", stringify!($code)),
        }
    };
}

/// The person the lock screen starts on: who used the computer last.
pub fn last_locked(vault: &Vault) -> vault::LockedSession {
    let screen = vault.locked_session().unwrap().expect("locked");
    let last = screen.last.expect("the last person is listed");
    screen
        .people
        .into_iter()
        .find(|person| person.session_id == last)
        .unwrap()
}

/// The session id the lock screen starts on, or one that no session has.
pub fn last_id(vault: &Vault) -> String {
    vault
        .locked_session()
        .ok()
        .flatten()
        .and_then(|screen| screen.last)
        .unwrap_or_else(|| "no-such-session".to_owned())
}
