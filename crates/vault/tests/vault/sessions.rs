use std::sync::Arc;

use vault::{
    Error, FixedClock, MemoryStore, Role, SessionPolicy, SessionStore, SessionToken, Vault,
};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, assert_code, fixture, settle};

/// The one token the store holds.
fn only_token(store: &MemoryStore) -> SessionToken {
    let tokens = store.tokens();
    assert_eq!(tokens.len(), 1, "one token in the store");
    tokens[0].clone()
}

#[test]
fn without_a_token_there_is_no_session() {
    let f = fixture().with_admin();
    f.vault.logout().unwrap();
    assert_code!(f.vault.verify_session(), NotAuthenticated);
}

#[test]
fn the_token_is_kept_in_the_store_and_survives_a_restart() {
    let f = fixture().with_admin();
    let stored = only_token(&f.store);
    let restarted = f.restarted();
    let session = restarted.verify_session().unwrap();
    assert_eq!(session.role(), Role::Admin);
    assert_eq!(f.store.tokens(), vec![stored]);
}

#[test]
fn the_database_keeps_a_hash_of_the_secret_never_the_token() {
    let f = fixture().with_admin();
    let token = only_token(&f.store);
    let stored = token.to_stored();
    let (id, secret) = stored.expose().split_once('.').unwrap();
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    let (row_id, hash): (String, Vec<u8>) = conn
        .query_row("SELECT id, secret_hash FROM sessions", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(row_id, id);
    assert_eq!(hash.len(), 32);
    assert_ne!(hash, secret.as_bytes());
    let file = std::fs::read(f.path()).unwrap();
    let wal = std::fs::read(f.dir.path().join("vault.sqlite-wal")).unwrap_or_default();
    for bytes in [file, wal] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "secret found in the file"
        );
    }
}

#[test]
fn a_forged_secret_with_a_real_id_is_refused_and_forgotten() {
    let f = fixture().with_admin();
    let real = only_token(&f.store).to_stored();
    let (id, _) = real.expose().split_once('.').unwrap();
    let forged = SessionToken::parse(&format!("{id}.{}", "A".repeat(22))).unwrap();
    f.store.save(&forged).unwrap();
    let attacker = f.restarted();
    assert_code!(attacker.verify_session(), NotAuthenticated);
    assert!(f.store.tokens().is_empty());
}

#[test]
fn idle_sessions_expire_when_the_idle_timeout_comes_before_the_auto_lock() {
    // A one-minute idle timeout, shorter than the five-minute auto-lock: the session ends
    // rather than locks.
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(crate::START));
    let store = Arc::new(MemoryStore::new());
    let mut options = crate::options(&clock);
    options.session_policy = SessionPolicy::new(1, 12).unwrap();
    let vault = Vault::open(&dir.path().join("vault.sqlite"), store.clone(), options).unwrap();
    vault
        .create_first_admin(&crate::first_admin(ADMIN_EMAIL, ADMIN_PASSWORD))
        .unwrap();
    clock.advance(59);
    assert!(vault.verify_session().is_ok());
    clock.advance(60);
    assert_code!(vault.verify_session(), SessionExpired);
    let f = crate::Fixture {
        dir,
        clock,
        store,
        vault,
    };
    // Expiry removes the token and the row: the next check is plain "not signed in".
    assert!(f.store.tokens().is_empty());
    assert_code!(f.vault.verify_session(), NotAuthenticated);
}

#[test]
fn activity_slides_the_idle_expiry() {
    let f = fixture().with_admin();
    // Active every four minutes for two hours: never idle for the five-minute auto-lock.
    for _ in 0..30 {
        f.clock.advance(4 * 60);
        f.vault.verify_session().unwrap();
    }
}

#[test]
fn last_seen_is_written_at_most_once_a_minute() {
    let f = fixture().with_admin();
    let last_seen = || -> i64 {
        let conn = rusqlite::Connection::open(f.path()).unwrap();
        conn.query_row("SELECT last_seen_at FROM sessions", [], |r| r.get(0))
            .unwrap()
    };
    let signed_in = last_seen();
    f.clock.advance(59);
    f.vault.verify_session().unwrap();
    assert_eq!(last_seen(), signed_in);
    f.clock.advance(1);
    f.vault.verify_session().unwrap();
    assert_eq!(last_seen(), signed_in + 60);
}

#[test]
fn sessions_end_after_twelve_hours_however_active() {
    let f = fixture().with_admin();
    let expires = f.vault.verify_session().unwrap().expires_at();
    while f.clock_now() + 240 < expires {
        f.clock.advance(240);
        f.vault.verify_session().unwrap();
    }
    f.clock.set(expires);
    assert_code!(f.vault.verify_session(), SessionExpired);
}

#[test]
fn every_sign_in_issues_a_new_token_and_ends_the_previous_one() {
    let f = fixture().with_admin();
    let first = only_token(&f.store);
    f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    let second = only_token(&f.store);
    assert_ne!(first, second);
    // Someone who kept the first token (session fixation) gets nothing from it.
    let old = vault::MemoryStore::new();
    old.save(&first).unwrap();
    let replay = vault::Vault::open(
        &f.path(),
        std::sync::Arc::new(old),
        crate::options(&f.clock),
    )
    .unwrap();
    assert_code!(replay.verify_session(), NotAuthenticated);
}

#[test]
fn sign_out_deletes_the_row_and_the_stored_token() {
    let f = fixture().with_admin();
    let token = only_token(&f.store);
    f.vault.logout().unwrap();
    assert!(f.store.tokens().is_empty());
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0);
    f.store.save(&token).unwrap();
    assert_code!(f.restarted().verify_session(), NotAuthenticated);
    // Signing out twice is fine.
    f.vault.logout().unwrap();
}

#[test]
fn a_revocation_by_another_process_is_seen_on_the_next_check() {
    let f = fixture().with_admin();
    let (id, clerk) = f.signed_in_clerk();
    // Warm the clerk's cache, then revoke behind its back with plain SQL.
    clerk.verify_session().unwrap();
    clerk.verify_session().unwrap();
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", [id.0])
        .unwrap();
    assert_code!(clerk.verify_session(), NotAuthenticated);
}

#[test]
fn each_revoking_change_ends_the_targets_sessions_at_once() {
    type Change = fn(&vault::Vault, &vault::AdminSession<'_>, vault::UserId);
    let changes: [(&str, Change); 4] = [
        ("reset", |v, a, id| drop(v.reset_password(a, id).unwrap())),
        ("disable", |v, a, id| {
            drop(v.set_disabled(a, id, true).unwrap())
        }),
        ("delete", |v, a, id| v.delete_account(a, id).unwrap()),
        ("role change", |v, a, id| {
            drop(v.set_role(a, id, Role::Admin).unwrap())
        }),
    ];
    for (what, change) in changes {
        let f = fixture().with_admin();
        let (id, temporary) = f.create("clerk@shop.example", Role::User, None);
        let clerk = f.other_instance();
        settle(
            &clerk,
            "clerk@shop.example",
            &temporary,
            "till roll and receipts",
        );
        clerk.verify_session().unwrap();
        let session = f.vault.verify_session().unwrap();
        change(&f.vault, &vault::require_admin(&session).unwrap(), id);
        assert!(
            matches!(clerk.verify_session(), Err(Error::NotAuthenticated)),
            "after {what}"
        );
    }
}

#[test]
fn a_password_change_ends_other_sessions_and_rotates_this_one() {
    let f = fixture().with_admin();
    let elsewhere = f.other_instance();
    elsewhere
        .login(ADMIN_EMAIL, &ADMIN_PASSWORD.into())
        .unwrap();
    let before = only_token(&f.store);
    let session = f.vault.verify_session().unwrap();
    f.vault
        .change_password(
            &session,
            &ADMIN_PASSWORD.into(),
            &"a brand new harbour passphrase".into(),
        )
        .unwrap();
    assert_ne!(only_token(&f.store), before);
    assert!(f.vault.verify_session().is_ok());
    assert_code!(elsewhere.verify_session(), NotAuthenticated);
    assert_code!(
        f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()),
        InvalidCredentials
    );
    f.clock.advance(1);
    assert!(
        f.vault
            .login(ADMIN_EMAIL, &"a brand new harbour passphrase".into())
            .is_ok()
    );
}

#[test]
fn a_wrong_current_password_changes_nothing() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    assert_code!(
        f.vault.change_password(
            &session,
            &"not my password at all".into(),
            &"a brand new harbour passphrase".into()
        ),
        InvalidCredentials
    );
    assert_code!(
        f.vault
            .change_password(&session, &ADMIN_PASSWORD.into(), &ADMIN_PASSWORD.into()),
        Conflict
    );
    assert_code!(
        f.vault
            .change_password(&session, &ADMIN_PASSWORD.into(), &"short".into()),
        Validation
    );
    // The wrong guess counted like a failed sign-in; the old password still works.
    assert_code!(f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()), Locked);
    f.clock.advance(1);
    assert!(f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).is_ok());
}

#[test]
fn custom_timeouts_apply() {
    let f = fixture();
    let options = vault::VaultOptions {
        session_policy: SessionPolicy::new(1, 1).unwrap(),
        ..crate::options(&f.clock)
    };
    let vault = vault::Vault::open(&f.path(), f.store.clone(), options).unwrap();
    vault
        .create_first_admin(&crate::first_admin(ADMIN_EMAIL, ADMIN_PASSWORD))
        .unwrap();
    f.clock.advance(61);
    assert_code!(vault.verify_session(), SessionExpired);
}

impl crate::Fixture {
    pub(crate) fn clock_now(&self) -> i64 {
        use vault::Clock as _;
        self.clock.now()
    }
}

#[test]
fn an_admin_sees_someone_s_sessions_and_signs_one_or_all_of_them_out() {
    let f = fixture().with_admin();
    let (clerk, first) = f.signed_in_clerk();
    let second = f.other_instance();
    f.clock.advance(1);
    second
        .login("clerk@shop.example", &crate::CLERK_PASSWORD.into())
        .unwrap();
    second.lock_session(vault::LockReason::Manual).unwrap();
    let session = f.vault.verify_session().unwrap();
    let admin = vault::require_admin(&session).unwrap();
    let listed = f.vault.account_sessions(&admin, clerk).unwrap();
    assert_eq!(listed.len(), 2);
    let locked: Vec<_> = listed.iter().map(|s| s.lock_reason).collect();
    assert_eq!(locked, [Some(vault::LockReason::Manual), None]);
    // One session, then the rest ("everywhere"); never the admin's own from here.
    f.vault.end_session(&admin, &listed[0].id).unwrap();
    assert_code!(second.locked_session(), NotAuthenticated);
    assert!(first.verify_session().is_ok());
    let own = f.vault.account_sessions(&admin, session.user_id()).unwrap();
    assert_code!(f.vault.end_session(&admin, &own[0].id), Conflict);
    assert_code!(f.vault.end_session(&admin, "no-such-session"), NotFound);
    assert_code!(
        f.vault.end_all_sessions(&admin, session.user_id()),
        Conflict
    );
    assert_eq!(f.vault.end_all_sessions(&admin, clerk).unwrap(), 1);
    assert_code!(first.verify_session(), NotAuthenticated);
    // Both need a recent password check.
    f.stay_active_for(6 * 60);
    let session = f.vault.verify_session().unwrap();
    let admin = vault::require_admin(&session).unwrap();
    assert_code!(f.vault.end_all_sessions(&admin, clerk), ReauthRequired);
    let query = vault::AuditQuery {
        event: Some(vault::AuditEvent::SessionsRevoked),
        ..vault::AuditQuery::default()
    };
    let revoked = f.vault.audit_log(&admin, &query).unwrap().items;
    assert_eq!(revoked[0].detail.as_deref(), Some("1 ended"));
}
