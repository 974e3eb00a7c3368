//! Backup while the app runs, and restore: the copy is whole and its chain verifies,
//! everyone signs in again, the replaced file is kept, and bad files change nothing.

use std::sync::Arc;

use vault::{AuditEvent, AuditQuery, MemoryStore, Role, Vault, require_admin, restore};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, START, assert_code, fixture, options};

#[test]
fn a_backup_taken_while_the_app_runs_restores_whole_and_signs_everyone_out() {
    let f = fixture().with_admin();
    let (_, clerk) = f.signed_in_clerk();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backup.sqlite");
    let report = f.vault.backup(&admin, &copy).unwrap();
    assert_eq!(report.accounts, 2);
    assert!(report.bytes > 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "only this OS account may read a backup"
        );
    }
    // Written later, so not in the backup.
    f.create("after@shop.example", Role::User, None);
    drop(clerk);

    let target = dir.path().join("vault.sqlite");
    std::fs::copy(f.path(), &target).unwrap();
    let restored = restore(&target, &copy, START + 100).unwrap();
    assert_eq!(restored.accounts, 2);
    assert!(restored.sessions_ended >= 2);
    let aside = restored.replaced.expect("the replaced file is kept");
    assert!(aside.exists());

    let conn = rusqlite::Connection::open(&target).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    drop(conn);
    let clock = Arc::new(vault::FixedClock::new(START + 200));
    let reopened = Vault::open(&target, Arc::new(MemoryStore::new()), options(&clock)).unwrap();
    assert_code!(reopened.verify_session(), NotAuthenticated);
    assert_code!(
        reopened.login("after@shop.example", &"anything at all here".into()),
        InvalidCredentials
    );
    reopened.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    let session = reopened.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    assert!(reopened.verify_audit_chain(&admin).unwrap().intact);
    let count = |vault: &Vault, admin: &vault::AdminSession<'_>, event| {
        let query = AuditQuery {
            event: Some(event),
            ..AuditQuery::default()
        };
        vault.audit_log(admin, &query).unwrap().items.len()
    };
    assert_eq!(count(&reopened, &admin, AuditEvent::VaultRestored), 1);
    // The backup is recorded in the log it was taken from, after the copy.
    let session = f.vault.verify_session().unwrap();
    assert_eq!(
        count(
            &f.vault,
            &require_admin(&session).unwrap(),
            AuditEvent::BackupCreated
        ),
        1
    );
}

#[test]
fn a_backup_needs_a_fresh_password_check_and_a_new_file() {
    let f = fixture().with_admin();
    let dir = tempfile::tempdir().unwrap();
    let taken = dir.path().join("taken.sqlite");
    std::fs::write(&taken, b"someone else's file").unwrap();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    assert_code!(f.vault.backup(&admin, &taken), Conflict);
    assert_eq!(std::fs::read(&taken).unwrap(), b"someone else's file");
    f.stay_active_for(6 * 60);
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    assert_code!(
        f.vault.backup(&admin, &dir.path().join("late.sqlite")),
        ReauthRequired
    );
    assert!(!dir.path().join("late.sqlite").exists());
}

#[test]
fn a_damaged_a_foreign_or_a_newer_file_is_refused_and_nothing_is_touched() {
    let f = fixture().with_admin();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("vault.sqlite");
    std::fs::copy(f.path(), &target).unwrap();
    let before = std::fs::read(&target).unwrap();

    let garbage = dir.path().join("garbage.sqlite");
    std::fs::write(&garbage, vec![0x5a_u8; 8192]).unwrap();
    let foreign = dir.path().join("foreign.sqlite");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE notes (text TEXT)")
        .unwrap();
    let newer = dir.path().join("newer.sqlite");
    f.vault.backup_to(&newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();

    for bad in [&garbage, &foreign, &newer] {
        assert_code!(restore(&target, bad, START), Conflict);
    }
    assert_eq!(std::fs::read(&target).unwrap(), before);
    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("replaced"))
        .collect();
    assert!(entries.is_empty(), "{entries:?}");
}

#[test]
fn a_restore_is_refused_while_the_vault_is_open_and_replaces_nothing() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backup.sqlite");
    f.vault.backup(&admin, &copy).unwrap();
    drop(session);
    let (_, second_instance) = f.signed_in_clerk();

    // The app and a second instance have it open: the restore changes nothing.
    let refused = restore(&f.path(), &copy, START + 100).unwrap_err();
    assert_eq!(
        refused.reply().conflict,
        Some(vault::Conflict::VaultInUse),
        "{refused:?}"
    );
    let replaced = std::fs::read_dir(f.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().contains("replaced"))
        .count();
    assert_eq!(replaced, 0, "nothing was moved aside");
    assert!(f.vault.verify_session().is_ok(), "the app goes on");

    // Once every instance has quit, the restore goes through.
    drop(second_instance);
    let path = f.path();
    drop(f.vault);
    restore(&path, &copy, START + 100).unwrap();
}

#[test]
fn the_app_cannot_open_the_vault_while_a_restore_replaces_it() {
    let f = fixture().with_admin();
    let path = f.path();
    drop(f.vault);
    // A restore holds the file's in-use lock exclusively while it runs; here a
    // second handle on the same lock file stands in for it.
    let lock = std::fs::File::options()
        .read(true)
        .write(true)
        .open(format!("{}.in-use", path.display()))
        .unwrap();
    lock.try_lock().unwrap();
    let refused = Vault::open(&path, f.store.clone(), options(&f.clock)).unwrap_err();
    assert_eq!(refused.reply().conflict, Some(vault::Conflict::VaultInUse));
    drop(lock);
    Vault::open(&path, f.store.clone(), options(&f.clock)).unwrap();
}

#[test]
fn a_step_up_check_held_across_a_save_dialog_serves_that_one_backup_only() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let dir = tempfile::tempdir().unwrap();
    f.vault
        .hold_step_up(&admin, vault::AdminAction::Backup)
        .unwrap();
    // Choosing a file takes longer than the step-up window.
    f.stay_active_for(480);
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    // The hold is for a backup: another action still needs the password.
    assert_code!(
        f.vault.export_audit(&admin, vault::ExportFormat::Csv),
        ReauthRequired
    );
    f.vault
        .backup(&admin, &dir.path().join("first.sqlite"))
        .unwrap();
    // Used once: the next backup asks for the password again.
    assert_code!(
        f.vault.backup(&admin, &dir.path().join("second.sqlite")),
        ReauthRequired
    );
    // A released or expired hold serves nothing.
    f.vault
        .reauthenticate(&session, &ADMIN_PASSWORD.into(), None)
        .unwrap();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    f.vault
        .hold_step_up(&admin, vault::AdminAction::Backup)
        .unwrap();
    f.vault.release_step_up();
    f.stay_active_for(301);
    let session = f.vault.verify_session().unwrap();
    assert_code!(
        f.vault.backup(
            &require_admin(&session).unwrap(),
            &dir.path().join("third.sqlite")
        ),
        ReauthRequired
    );
}

#[test]
fn a_held_step_up_check_does_not_pass_to_the_next_person() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let (_, temporary) = f.create("second@clinic.example", Role::Admin, None);
    f.vault
        .hold_step_up(&admin, vault::AdminAction::Backup)
        .unwrap();
    drop(session);
    // The admin signs out; another admin signs in and waits out the window.
    f.vault.logout().unwrap();
    crate::settle(
        &f.vault,
        "second@clinic.example",
        &temporary,
        "lamp oil beside the ledger",
    );
    f.stay_active_for(301);
    let session = f.vault.verify_session().unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert_code!(
        f.vault.backup(
            &require_admin(&session).unwrap(),
            &dir.path().join("b.sqlite")
        ),
        ReauthRequired
    );
}
