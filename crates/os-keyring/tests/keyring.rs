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

fn token(text: &str) -> vault::SessionToken {
    vault::SessionToken::parse(text).unwrap()
}

fn ids(tokens: &[&vault::SessionToken]) -> Vec<String> {
    tokens.iter().map(|token| token.id().to_owned()).collect()
}

#[test]
fn each_session_has_its_own_entry_written_read_and_deleted_in_the_os_keyring() {
    if skip() {
        return;
    }
    let store = store("roundtrip");
    let first = token("AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB");
    let second = token("CCCCCCCCCCCCCCCCCCCCCC.DDDDDDDDDDDDDDDDDDDDDD");
    let both = ids(&[&first, &second]);
    assert_eq!(store.load(&both).unwrap(), vec![]);
    store.save(&first).unwrap();
    store.save(&second).unwrap();
    assert_eq!(
        store.load(&both).unwrap(),
        vec![first.clone(), second.clone()]
    );
    // Only the sessions asked for are read.
    assert_eq!(store.load(&ids(&[&second])).unwrap(), vec![second.clone()]);
    store.clear(first.id()).unwrap();
    assert_eq!(store.load(&both).unwrap(), vec![second.clone()]);
    store.clear(second.id()).unwrap();
    assert_eq!(store.load(&both).unwrap(), vec![]);
    // Clearing an absent entry is not an error.
    store.clear(second.id()).unwrap();
}

#[test]
fn the_audit_anchor_lives_beside_the_tokens_and_outlives_sign_out() {
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
    let token = token("AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB");
    store.save(&token).unwrap();
    store.clear(token.id()).unwrap();
    assert_eq!(store.load(&ids(&[&token])).unwrap(), vec![]);
    assert_eq!(store.load_anchor().unwrap(), Some(anchor));
}

#[test]
fn two_people_survive_a_restart_through_the_keyring_and_sign_out_removes_one() {
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
    let session = vault.verify_session().unwrap();
    let admin_session = vault::require_admin(&session).unwrap();
    let colleague = vault
        .create_account(
            &admin_session,
            &vault::NewAccount {
                email: "colleague@keyring.example".into(),
                display_name: "Keyring Colleague".into(),
                role: vault::Role::User,
                team: None,
                phone: None,
            },
        )
        .unwrap();
    let colleague_user = vault
        .login(
            "colleague@keyring.example",
            &colleague.temporary_password.expose().into(),
        )
        .unwrap();
    assert_eq!(colleague_user.id, colleague.account.id);
    drop(vault);

    // Both sessions come back: the colleague's active, the admin's locked.
    let restarted = open();
    assert_eq!(
        restarted.verify_session().unwrap().user_id(),
        colleague.account.id
    );
    restarted.logout().unwrap();
    let screen = restarted
        .locked_session()
        .unwrap()
        .expect("the admin is still here");
    assert_eq!(screen.people.len(), 1);
    assert_eq!(screen.people[0].email, "admin@keyring.example");
    drop(restarted);

    let again = open();
    let screen = again
        .locked_session()
        .unwrap()
        .expect("the admin survives a second restart");
    assert_eq!(screen.people.len(), 1);
    again
        .unlock_session(
            &screen.people[0].session_id,
            &"salt marsh under winter light".into(),
        )
        .unwrap();
    assert_eq!(again.verify_session().unwrap().user_id(), me.id);
    again.logout().unwrap();
    assert!(matches!(
        again.locked_session(),
        Err(vault::Error::NotAuthenticated)
    ));
    drop(again);
    assert!(
        matches!(open().verify_session(), Err(vault::Error::NotAuthenticated)),
        "sign-out leaves no token in the keyring"
    );
}

#[test]
fn a_token_kept_by_an_earlier_version_moves_to_its_own_entry() {
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
    let service = format!("app.latchkey.test.legacy.{}", std::process::id());
    let vault = Vault::open(&path, Arc::new(vault::MemoryStore::new()), options()).unwrap();
    let admin = FirstAdmin {
        email: "admin@legacy.example".into(),
        display_name: "Legacy Admin".into(),
        password: "salt marsh under winter light".into(),
    };
    let me = vault.create_first_admin(&admin).unwrap();
    drop(vault);
    // The one token of the session just made, as an earlier version kept it: in the
    // single entry named after the vault.
    let memory = Arc::new(vault::MemoryStore::new());
    let vault = Vault::open(&path, memory.clone(), options()).unwrap();
    vault
        .login(
            "admin@legacy.example",
            &"salt marsh under winter light".into(),
        )
        .unwrap();
    let held = memory.tokens();
    assert_eq!(held.len(), 1);
    drop(vault);
    let legacy = keyring::Entry::new(&service, "session").unwrap();
    legacy.set_password(held[0].to_stored().expose()).unwrap();

    let open = || {
        Vault::open(
            &path,
            Arc::new(KeyringStore::new(&service, "session").unwrap()),
            options(),
        )
        .unwrap()
    };
    assert_eq!(open().verify_session().unwrap().user_id(), me.id);
    assert!(
        matches!(legacy.get_password(), Err(keyring::Error::NoEntry)),
        "the single entry is gone once moved"
    );
    // The next launch finds it in the session's own entry.
    let vault = open();
    assert_eq!(vault.verify_session().unwrap().user_id(), me.id);
    vault.logout().unwrap();
}
