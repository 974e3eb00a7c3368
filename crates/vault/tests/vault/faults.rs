//! Faults of the desktop around the vault: a keyring that stops working (and comes
//! back) while the app runs, and a disk that fills up mid-session.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use vault::{
    AuditAnchor, FixedClock, ListQuery, MemoryStore, NewAccount, Role, SessionStore, SessionToken,
    StoreError, Vault, require_admin,
};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, START, first_admin, options};

/// A keyring that can be switched off: locked, or its daemon gone.
#[derive(Debug, Default)]
struct FlakyKeyring {
    inner: MemoryStore,
    broken: AtomicBool,
}

impl FlakyKeyring {
    fn check(&self) -> Result<(), StoreError> {
        if self.broken.load(Ordering::SeqCst) {
            Err(StoreError("the keyring is locked".into()))
        } else {
            Ok(())
        }
    }
}

impl SessionStore for FlakyKeyring {
    fn load(&self, ids: &[String]) -> Result<Vec<SessionToken>, StoreError> {
        self.check()?;
        self.inner.load(ids)
    }
    fn save(&self, token: &SessionToken) -> Result<(), StoreError> {
        self.check()?;
        self.inner.save(token)
    }
    fn clear(&self, id: &str) -> Result<(), StoreError> {
        self.check()?;
        self.inner.clear(id)
    }
    fn is_persistent(&self) -> bool {
        true
    }
    fn load_anchor(&self) -> Result<Option<AuditAnchor>, StoreError> {
        self.check()?;
        self.inner.load_anchor()
    }
    fn save_anchor(&self, anchor: &AuditAnchor) -> Result<(), StoreError> {
        self.check()?;
        self.inner.save_anchor(anchor)
    }
}

#[test]
fn a_keyring_that_fails_mid_session_keeps_the_session_in_memory_until_it_returns() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(START));
    let keyring = Arc::new(FlakyKeyring::default());
    let vault = Vault::open(
        &dir.path().join("vault.sqlite"),
        keyring.clone(),
        options(&clock),
    )
    .unwrap();
    let admin = vault
        .create_first_admin(&first_admin(ADMIN_EMAIL, ADMIN_PASSWORD))
        .unwrap();
    assert!(admin.stay_signed_in);

    keyring.broken.store(true, Ordering::SeqCst);
    clock.advance(1);
    let user = vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    assert!(
        !user.stay_signed_in,
        "the reply says the session will not survive a restart"
    );
    assert!(!vault.bootstrap_status().unwrap().stay_signed_in);
    assert!(
        vault.verify_session().is_ok(),
        "the session goes on in memory"
    );

    keyring.broken.store(false, Ordering::SeqCst);
    clock.advance(1);
    let user = vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    assert!(user.stay_signed_in, "the next save used the keyring again");
    let restarted = Vault::open(
        &dir.path().join("vault.sqlite"),
        keyring.clone(),
        options(&clock),
    )
    .unwrap();
    assert_eq!(restarted.verify_session().unwrap().user_id(), user.id);
}

#[test]
fn a_full_disk_refuses_writes_with_a_storage_error_and_keeps_reads_and_the_file_whole() {
    let f = crate::fixture().with_admin();
    f.create("first@shop.example", Role::User, None);
    f.vault.fill_disk_for_tests().unwrap();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let count = |vault: &Vault| {
        let query = ListQuery {
            search: None,
            limit: None,
            after: None,
            second_factor: None,
        };
        vault.list_accounts(&admin, &query).unwrap().items.len()
    };
    let before = count(&f.vault);
    // Enough accounts to need new pages; the first write that does is refused.
    let mut refused = None;
    for i in 0..500 {
        let account = NewAccount {
            email: format!("person-{i}@shop.example"),
            display_name: format!("A person with a long enough name to fill pages {i}"),
            role: Role::User,
            team: Some("the team with a name long enough to take some room".into()),
            phone: None,
        };
        if let Err(error) = f.vault.create_account(&admin, &account) {
            refused = Some(error);
            break;
        }
    }
    let refused = refused.expect("the capped file refused a write");
    assert_eq!(refused.code(), vault::ErrorCode::Storage, "{refused:?}");
    assert!(!refused.reply().message.contains("SQLITE"));
    // Reads go on, and the refused write left nothing behind.
    let after = count(&f.vault);
    assert!(after >= before);
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let users: i64 = conn
        .query_row("SELECT count(*) FROM users", [], |row| row.get(0))
        .unwrap();
    assert_eq!(usize::try_from(users).unwrap(), after);
    let reopened = f.restarted();
    let session = reopened.verify_session().unwrap();
    assert!(
        reopened
            .verify_audit_chain(&require_admin(&session).unwrap())
            .unwrap()
            .intact
    );
}

/// A vault folder that is read-only when the app starts: the IT department locked the
/// profile, or the folder sits on read-only media. Root ignores file modes, so the test
/// makes the folder read-only with a read-only bind mount; it runs where mounts are
/// allowed (root on Linux, as in CI here) and says so where they are not.
///
/// (Linux refuses to make a mount read-only while a process holds a file on it open for
/// writing, so a running vault cannot see its folder turn read-only under it; the full
/// disk above is the mid-session case.)
#[cfg(target_os = "linux")]
#[test]
fn a_read_only_vault_folder_refuses_with_a_storage_error_and_changes_nothing() {
    use std::process::Command;

    let f = crate::fixture().with_admin();
    f.create("first@shop.example", Role::User, None);
    let path = f.path();
    drop(f.vault);
    let before = std::fs::read(&path).unwrap();
    let dir = f.dir.path();
    let mount = |args: &[&str]| {
        Command::new("mount")
            .args(args)
            .output()
            .is_ok_and(|out| out.status.success())
    };
    let folder = dir.to_str().unwrap();
    if !mount(&["--bind", folder, folder]) {
        eprintln!("skipped: this user may not mount (the test needs root on Linux)");
        return;
    }
    // Unmounted whatever the assertions say, so the temporary folder can go.
    struct Unmount<'a>(&'a str);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(folder);
    assert!(mount(&["-o", "remount,ro,bind", folder]));
    assert!(
        std::fs::write(dir.join("probe"), b"x").is_err(),
        "read-only"
    );

    let opened = Vault::open(&path, f.store.clone(), options(&f.clock));
    let error = opened.expect_err("a read-only folder cannot hold a vault");
    assert_eq!(error.code(), vault::ErrorCode::Storage, "{error:?}");
    assert!(!error.reply().message.contains("SQLITE"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is untouched"
    );
}
