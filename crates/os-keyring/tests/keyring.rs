//! The session token in a real OS keyring.
//!
//! On Linux `make test` runs this inside `dbus-run-session` with a throwaway HOME and an
//! unlocked gnome-keyring, so it never touches a developer's own keyring. Without a
//! Secret Service on the bus it fails rather than passing vacuously; set
//! `LATCHKEY_SKIP_KEYRING_TESTS=1` to skip it knowingly.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::sync::Arc;

use os_keyring::KeyringStore;
use vault::{FirstAdmin, FixedClock, HashParams, SessionPolicy, SessionStore, Vault, VaultOptions};

fn skip() -> bool {
    std::env::var_os("LATCHKEY_SKIP_KEYRING_TESTS").is_some_and(|v| v == "1")
}

/// A store under a service name of its own, so a leftover entry cannot confuse a rerun.
fn store(test: &str) -> KeyringStore {
    let service = format!("app.latchkey.test.{test}.{}", std::process::id());
    KeyringStore::new(&service, "session").expect("a Secret Service on the session bus")
}

#[test]
fn a_token_is_written_read_and_deleted_in_the_os_keyring() {
    if skip() {
        return;
    }
    let store = store("roundtrip");
    assert_eq!(store.load().unwrap(), None);
    let token =
        vault::SessionToken::parse("AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB").unwrap();
    store.save(&token).unwrap();
    assert_eq!(store.load().unwrap(), Some(token));
    store.clear().unwrap();
    assert_eq!(store.load().unwrap(), None);
    // Clearing an absent entry is not an error.
    store.clear().unwrap();
}

#[test]
fn the_audit_anchor_lives_beside_the_token_and_outlives_sign_out() {
    if skip() {
        return;
    }
    let store = store("anchor");
    assert_eq!(store.load_anchor().unwrap(), None);
    let anchor = vault::AuditAnchor {
        seq: 41,
        hash: [7; 32],
    };
    store.save_anchor(&anchor).unwrap();
    assert_eq!(store.load_anchor().unwrap(), Some(anchor));
    let token =
        vault::SessionToken::parse("AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB").unwrap();
    store.save(&token).unwrap();
    store.clear().unwrap();
    assert_eq!(store.load().unwrap(), None);
    assert_eq!(store.load_anchor().unwrap(), Some(anchor));
}

#[test]
fn a_session_survives_a_restart_through_the_keyring_and_sign_out_removes_it() {
    if skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.sqlite");
    let clock = Arc::new(FixedClock::new(1_795_737_600));
    let options = || VaultOptions {
        hash_params: Some(HashParams::insecure_for_tests()),
        session_policy: SessionPolicy::default(),
        clock: clock.clone(),
    };
    let service = format!("app.latchkey.test.restart.{}", std::process::id());
    let open = || {
        Vault::open(
            &path,
            Arc::new(KeyringStore::new(&service, "session").unwrap()),
            options(),
        )
        .unwrap()
    };

    let vault = open();
    assert!(vault.bootstrap_status().unwrap().stay_signed_in);
    let admin = FirstAdmin {
        email: "admin@keyring.example".into(),
        display_name: "Keyring Admin".into(),
        password: "salt marsh under winter light".into(),
    };
    let me = vault.create_first_admin(&admin).unwrap();
    assert!(me.stay_signed_in);
    drop(vault);

    let restarted = open();
    assert_eq!(restarted.verify_session().unwrap().user_id(), me.id);
    restarted.logout().unwrap();
    let entry = KeyringStore::new(&service, "session").unwrap();
    assert_eq!(
        entry.load().unwrap(),
        None,
        "sign-out leaves no token in the keyring"
    );
}

#[test]
fn the_read_at_open_serves_the_first_load_and_never_outlives_a_write() {
    if skip() {
        return;
    }
    let service = format!("app.latchkey.test.primed.{}", std::process::id());
    let first =
        vault::SessionToken::parse("CCCCCCCCCCCCCCCCCCCCCC.DDDDDDDDDDDDDDDDDDDDDD").unwrap();
    let second =
        vault::SessionToken::parse("EEEEEEEEEEEEEEEEEEEEEE.FFFFFFFFFFFFFFFFFFFFFF").unwrap();
    let writer = KeyringStore::new(&service, "session").unwrap();
    writer.save(&first).unwrap();

    let store = KeyringStore::new(&service, "session").unwrap();
    assert_eq!(store.load().unwrap(), Some(first.clone()));
    // Later loads read the keyring itself.
    writer.save(&second).unwrap();
    assert_eq!(store.load().unwrap(), Some(second.clone()));

    // A store's own clear and save replace what it read at open.
    let store = KeyringStore::new(&service, "session").unwrap();
    store.clear().unwrap();
    assert_eq!(store.load().unwrap(), None);
    let store = KeyringStore::new(&service, "session").unwrap();
    store.save(&first).unwrap();
    writer.clear().unwrap();
    assert_eq!(store.load().unwrap(), None);
}
