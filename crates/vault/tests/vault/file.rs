//! The vault file itself: settings, migrations, reopening.

use vault::{ErrorCode, ListQuery, MIGRATIONS, Role, require_admin};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, fixture, open_at};

#[test]
fn a_new_file_is_migrated_to_the_latest_schema_in_wal_mode() {
    let f = fixture();
    assert_eq!(f.vault.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn accounts_and_sessions_survive_reopening_and_migrations_run_once() {
    let f = fixture().with_admin();
    f.create("clerk@shop.example", Role::User, None);
    let path = f.path();
    drop(f.vault);
    for _ in 0..3 {
        let vault = open_at(&path, &f.clock, f.store.clone());
        assert_eq!(vault.schema_version().unwrap(), MIGRATIONS.len() as i64);
        let session = vault.verify_session().unwrap();
        let admin = require_admin(&session).unwrap();
        let emails: Vec<_> = vault
            .list_accounts(&admin, &ListQuery::default())
            .unwrap()
            .items
            .into_iter()
            .map(|u| u.email)
            .collect();
        assert_eq!(emails, [ADMIN_EMAIL, "clerk@shop.example"]);
    }
    let vault = open_at(&path, &f.clock, f.store.clone());
    assert!(vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).is_ok());
}

#[test]
fn a_file_from_a_newer_version_is_refused_untouched() {
    let f = fixture().with_admin();
    let path = f.path();
    drop(f.vault);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let error = vault::Vault::open(&path, f.store.clone(), crate::options(&f.clock)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Conflict);
    assert!(
        error.user_message().contains("newer version of Latchkey"),
        "{error}"
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 99);
}

#[test]
fn the_file_is_readable_by_its_owner_only() {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let f = fixture();
        let mode = std::fs::metadata(f.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn foreign_keys_cascade_deletes_to_hashes_and_sessions() {
    let f = fixture().with_admin();
    let (id, temporary) = f.create("clerk@shop.example", Role::User, None);
    let clerk = f.other_instance();
    clerk
        .login("clerk@shop.example", &temporary.into())
        .unwrap();
    let session = f.vault.verify_session().unwrap();
    f.vault
        .delete_account(&require_admin(&session).unwrap(), id)
        .unwrap();
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    let left: i64 = conn
        .query_row("SELECT (SELECT count(*) FROM sessions WHERE user_id = ?1) + (SELECT count(*) FROM password_hashes WHERE user_id = ?1)", [id.0], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0);
}

#[test]
fn a_file_from_the_previous_release_keeps_its_sign_in_throttle_in_milliseconds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.sqlite");
    {
        // The schema as release 0.1 left it, with a failure counted at START (seconds).
        let conn = rusqlite::Connection::open(&path).unwrap();
        for (_, sql) in &MIGRATIONS[..2] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute(
            "INSERT INTO login_throttle (email, failures, last_failure_at) VALUES (?1, 1, ?2)",
            rusqlite::params![ADMIN_EMAIL, crate::START],
        )
        .unwrap();
    }
    let clock = std::sync::Arc::new(vault::FixedClock::new(crate::START));
    let vault = open_at(
        &path,
        &clock,
        std::sync::Arc::new(vault::MemoryStore::new()),
    );
    assert_eq!(vault.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let ms: i64 = conn
        .query_row(
            "SELECT last_failure_ms FROM login_throttle WHERE email = ?1",
            [ADMIN_EMAIL],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(ms, crate::START * 1000);
    match vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()) {
        Err(vault::Error::Locked { retry_after }) => assert_eq!(retry_after, 1),
        other => panic!("expected the carried-over wait, got {other:?}"),
    }
}

#[test]
fn a_damaged_file_or_another_programs_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let clock = std::sync::Arc::new(vault::FixedClock::new(crate::START));
    let open = |path: &std::path::Path| {
        vault::Vault::open(
            path,
            std::sync::Arc::new(vault::MemoryStore::new()),
            crate::options(&clock),
        )
    };
    // Not a database at all: a text file saved under the vault's name.
    let text = dir.path().join("text.sqlite");
    std::fs::write(&text, "a shopping list, not a vault\n".repeat(200)).unwrap();
    let error = open(&text).unwrap_err();
    assert_eq!(error.reply().conflict, Some(vault::Conflict::NotAVault));
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "a shopping list, not a vault\n".repeat(200)
    );
    // Another program's database: its tables stay as they are, and no Latchkey
    // table is written into it.
    let other = dir.path().join("other.sqlite");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');")
        .unwrap();
    drop(conn);
    let error = open(&other).unwrap_err();
    assert_eq!(error.reply().conflict, Some(vault::Conflict::NotAVault));
    let conn = rusqlite::Connection::open(&other).unwrap();
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
        .unwrap();
    assert_eq!(tables, 1);
}
