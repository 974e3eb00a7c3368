//! Locking instead of signing out: manual locks, the auto-lock on the wall clock (a
//! clock that jumps forward is a computer waking from sleep), the lock screen's calls,
//! and what a locked session may not do.

use std::sync::Arc;

use vault::{
    AuditEvent, AuditQuery, FixedClock, LockReason, MemoryStore, SessionPolicy, Vault,
    require_admin,
};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, assert_code, fixture};

const FIVE_MINUTES: i64 = 5 * 60;

fn desk(auto_lock_minutes: i64, pin_window_hours: i64) -> vault::DeskSettingsUpdate {
    vault::DeskSettingsUpdate {
        auto_lock_minutes,
        pin_window_hours,
        show_people: true,
    }
}

fn locked_reason(vault: &Vault) -> Option<LockReason> {
    match vault.verify_session() {
        Err(vault::Error::SessionLocked { reason }) => Some(reason),
        _ => None,
    }
}

#[test]
fn a_locked_session_answers_nothing_until_its_password_is_typed() {
    let f = fixture().with_admin();
    assert!(f.vault.lock_session(LockReason::Manual).unwrap());
    assert_eq!(locked_reason(&f.vault), Some(LockReason::Manual));
    let shown = crate::last_locked(&f.vault);
    assert_eq!(shown.email, ADMIN_EMAIL);
    assert_eq!(shown.reason, LockReason::Manual);
    assert_eq!(shown.locked_at, crate::START);

    assert_code!(
        f.vault
            .unlock_session(&crate::last_id(&f.vault), &"not the password at all".into()),
        InvalidCredentials
    );
    assert_eq!(locked_reason(&f.vault), Some(LockReason::Manual));
    f.clock.advance(1);
    let user = f
        .vault
        .unlock_session(&crate::last_id(&f.vault), &ADMIN_PASSWORD.into())
        .unwrap();
    assert_eq!(user.email, ADMIN_EMAIL);
    assert!(f.vault.verify_session().is_ok());
    assert_eq!(f.vault.locked_session().unwrap(), None);
}

#[test]
fn locking_twice_or_with_nobody_signed_in_is_not_an_error() {
    let f = fixture().with_admin();
    assert!(f.vault.lock_session(LockReason::Manual).unwrap());
    assert!(!f.vault.lock_session(LockReason::Sleep).unwrap());
    // The first reason stands.
    assert_eq!(locked_reason(&f.vault), Some(LockReason::Manual));
    f.vault.logout().unwrap();
    assert!(!f.vault.lock_session(LockReason::Manual).unwrap());
    assert_code!(f.vault.locked_session(), NotAuthenticated);
    assert_code!(
        f.vault
            .unlock_session(&crate::last_id(&f.vault), &ADMIN_PASSWORD.into()),
        NotAuthenticated
    );
}

#[test]
fn a_wrong_unlock_password_is_throttled_like_a_failed_sign_in() {
    let f = fixture().with_admin();
    f.vault.lock_session(LockReason::Manual).unwrap();
    assert_code!(
        f.vault
            .unlock_session(&crate::last_id(&f.vault), &"not the password at all".into()),
        InvalidCredentials
    );
    // The same clock second: the email must wait, and nothing is hashed.
    let before = f.vault.argon2_calls();
    assert_code!(
        f.vault
            .unlock_session(&crate::last_id(&f.vault), &ADMIN_PASSWORD.into()),
        Locked
    );
    assert_eq!(f.vault.argon2_calls(), before);
}

#[test]
fn five_idle_minutes_lock_the_session_rather_than_end_it() {
    let f = fixture().with_admin();
    f.clock.advance(FIVE_MINUTES - 1);
    assert!(f.vault.verify_session().is_ok());
    // A command counts as activity: the five minutes start again.
    f.clock.advance(FIVE_MINUTES - 1);
    assert!(f.vault.verify_session().is_ok());
    f.clock.advance(FIVE_MINUTES);
    assert_eq!(locked_reason(&f.vault), Some(LockReason::Idle));
    // Locked, it outlives the fifteen-minute idle timeout: the person can come back.
    f.clock.advance(SessionPolicy::default().idle_seconds() * 4);
    assert_eq!(locked_reason(&f.vault), Some(LockReason::Idle));
    f.vault
        .unlock_session(&crate::last_id(&f.vault), &ADMIN_PASSWORD.into())
        .unwrap();
    assert!(f.vault.verify_session().is_ok());
}

#[test]
fn the_idle_timer_locks_a_computer_that_slept_through_the_limit() {
    let f = fixture().with_admin();
    f.vault.verify_session().unwrap();
    assert_eq!(f.vault.lock_if_idle().unwrap(), None);
    f.clock.advance(FIVE_MINUTES - 1);
    assert_eq!(f.vault.lock_if_idle().unwrap(), None);
    // The lid closes for an hour: the wall clock jumps, and the first tick after the
    // resume locks before any command can run.
    f.clock.advance(3600);
    assert_eq!(f.vault.lock_if_idle().unwrap(), Some(LockReason::Idle));
    assert_eq!(f.vault.lock_if_idle().unwrap(), None);
    assert_eq!(locked_reason(&f.vault), Some(LockReason::Idle));
}

#[test]
fn the_idle_timer_leaves_a_session_it_has_not_seen_to_the_next_check() {
    let f = fixture().with_admin();
    // A restart: the timer runs before any command read the keyring.
    let restarted = f.restarted();
    f.clock.advance(3600);
    assert_eq!(restarted.lock_if_idle().unwrap(), None);
    // The first check sees the gap on the row's last-seen time and locks.
    assert_eq!(locked_reason(&restarted), Some(LockReason::Idle));
}

#[test]
fn the_lock_survives_a_restart() {
    let f = fixture().with_admin();
    f.vault.lock_session(LockReason::Sleep).unwrap();
    let restarted = f.restarted();
    assert_eq!(locked_reason(&restarted), Some(LockReason::Sleep));
    assert_eq!(
        restarted
            .locked_session()
            .unwrap()
            .map(|s| s.people[0].reason),
        Some(LockReason::Sleep)
    );
}

#[test]
fn a_locked_session_still_ends_at_its_absolute_expiry() {
    let f = fixture().with_admin();
    f.vault.lock_session(LockReason::Manual).unwrap();
    f.clock.advance(SessionPolicy::default().absolute_seconds());
    assert_code!(f.vault.locked_session(), SessionExpired);
    assert_code!(f.vault.verify_session(), NotAuthenticated);
}

#[test]
fn signing_out_of_a_locked_session_ends_it() {
    let f = fixture().with_admin();
    f.vault.lock_session(LockReason::Manual).unwrap();
    f.vault.logout().unwrap();
    assert_code!(f.vault.verify_session(), NotAuthenticated);
}

#[test]
fn an_account_disabled_while_locked_cannot_unlock() {
    let f = fixture().with_admin();
    let (id, clerk) = f.signed_in_clerk();
    clerk.lock_session(LockReason::Manual).unwrap();
    let session = f.vault.verify_session().unwrap();
    f.vault
        .set_disabled(&require_admin(&session).unwrap(), id, true)
        .unwrap();
    assert_code!(
        clerk.unlock_session(&crate::last_id(&clerk), &crate::CLERK_PASSWORD.into()),
        NotAuthenticated
    );
}

#[test]
fn a_shorter_limit_from_the_environment_wins_over_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(crate::START));
    let mut options = crate::options(&clock);
    options.session_policy = SessionPolicy::default().with_auto_lock_limit(20).unwrap();
    let vault = Vault::open(
        &dir.path().join("vault.sqlite"),
        Arc::new(MemoryStore::new()),
        options,
    )
    .unwrap();
    vault
        .create_first_admin(&crate::first_admin(ADMIN_EMAIL, ADMIN_PASSWORD))
        .unwrap();
    assert_eq!(vault.auto_lock_seconds(), 20);
    clock.advance(19);
    assert!(vault.verify_session().is_ok());
    clock.advance(20);
    assert_eq!(locked_reason(&vault), Some(LockReason::Idle));
}

#[test]
fn locks_and_unlocks_are_audited_and_automatic_ones_are_shown_at_next_sign_in() {
    let f = fixture().with_admin();
    f.vault.lock_session(LockReason::Manual).unwrap();
    f.clock.advance(1);
    f.vault
        .unlock_session(&crate::last_id(&f.vault), &ADMIN_PASSWORD.into())
        .unwrap();
    f.clock.advance(FIVE_MINUTES);
    assert_eq!(f.vault.lock_if_idle().unwrap(), Some(LockReason::Idle));
    f.clock.advance(1);
    f.vault
        .unlock_session(&crate::last_id(&f.vault), &ADMIN_PASSWORD.into())
        .unwrap();

    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let events = |event| {
        let query = AuditQuery {
            event: Some(event),
            ..AuditQuery::default()
        };
        f.vault.audit_log(&admin, &query).unwrap().items
    };
    let locks = events(AuditEvent::SessionLocked);
    let details: Vec<_> = locks.iter().map(|e| e.detail.as_deref()).collect();
    assert_eq!(details, [Some("idle"), Some("manual")]);
    // The person is the actor of their own lock, nobody of an automatic one.
    assert_eq!(locks[0].actor_id, None);
    assert_eq!(locks[1].actor_id, Some(session.user_id()));
    assert_eq!(events(AuditEvent::SessionUnlocked).len(), 2);
    assert!(f.vault.verify_audit_chain(&admin).unwrap().intact);

    f.clock.advance(1);
    f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    let session = f.vault.verify_session().unwrap();
    let notices = f.vault.since_last_sign_in(&session).unwrap();
    let shown: Vec<_> = notices
        .iter()
        .map(|e| (e.event, e.detail.as_deref()))
        .collect();
    assert_eq!(shown, [(AuditEvent::SessionLocked, Some("idle"))]);
}

#[test]
fn an_unlock_is_not_a_step_up_check() {
    let f = fixture().with_admin();
    let (id, _) = f.create("clerk@shop.example", vault::Role::User, None);
    f.stay_active_for(4 * 60);
    f.vault.lock_session(LockReason::Manual).unwrap();
    f.clock.advance(2 * 60);
    f.vault
        .unlock_session(&crate::last_id(&f.vault), &ADMIN_PASSWORD.into())
        .unwrap();
    let session = f.vault.verify_session().unwrap();
    assert_code!(
        f.vault
            .reset_password(&require_admin(&session).unwrap(), id),
        ReauthRequired
    );
}

#[test]
fn an_admin_sets_the_auto_lock_time_for_everyone_with_a_fresh_password_check() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    assert_eq!(f.vault.desk_settings(&admin).unwrap().auto_lock_minutes, 5);
    let set = f.vault.update_desk_settings(&admin, &desk(10, 8)).unwrap();
    assert_eq!((set.auto_lock_minutes, set.auto_lock_seconds), (10, 600));
    // It holds for this session at once, for another instance and after a restart.
    f.clock.advance(9 * 60);
    assert!(f.vault.verify_session().is_ok());
    assert_eq!(f.restarted().auto_lock_seconds(), 600);
    let query = AuditQuery {
        event: Some(AuditEvent::SettingsChanged),
        ..AuditQuery::default()
    };
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let changes = f.vault.audit_log(&admin, &query).unwrap().items;
    assert_eq!(changes.len(), 1);
    assert_eq!(
        changes[0].detail.as_deref(),
        Some("auto_lock_minutes 5 -> 10")
    );
}

#[test]
fn the_auto_lock_time_stays_within_one_to_sixty_minutes_and_needs_step_up() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    for minutes in [0, -5, 61, 10_000] {
        assert_code!(
            f.vault.update_desk_settings(&admin, &desk(minutes, 8)),
            Validation
        );
    }
    f.stay_active_for(6 * 60);
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    assert_code!(
        f.vault.update_desk_settings(&admin, &desk(30, 8)),
        ReauthRequired
    );
    assert_eq!(f.vault.auto_lock_seconds(), 300);
}
