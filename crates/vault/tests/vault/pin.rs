//! Quick unlock with a PIN: only one's own locked session, only within eight hours of
//! the last password check, five tries, never a step-up, gone after an admin reset.

use vault::{AuditEvent, AuditQuery, LockReason, Role, SessionPolicy, require_admin};

use crate::{ADMIN_PASSWORD, CLERK_PASSWORD, assert_code, fixture};

const PIN: &str = "274915";

fn with_pin(f: &crate::Fixture) {
    let session = f.vault.verify_session().unwrap();
    f.vault
        .set_pin(&session, &ADMIN_PASSWORD.into(), &PIN.into())
        .unwrap();
}

fn wrong_pin_left(result: vault::Result<vault::CurrentUser>) -> i64 {
    match result {
        Err(vault::Error::WrongPin { remaining }) => remaining,
        other => panic!("expected WrongPin, got {other:?}"),
    }
}

#[test]
fn setting_a_pin_needs_the_password_and_a_pin_that_is_not_trivial() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let before = f.vault.argon2_calls();
    assert_code!(
        f.vault
            .set_pin(&session, &ADMIN_PASSWORD.into(), &"123456".into()),
        Validation
    );
    // A PIN that breaks the rules is refused before any password work.
    assert_eq!(f.vault.argon2_calls(), before);
    assert_code!(
        f.vault
            .set_pin(&session, &"not my password at all".into(), &PIN.into()),
        InvalidCredentials
    );
    assert_eq!(f.vault.pin_status(&session).unwrap().set_at, None);
    f.clock.advance(1);
    with_pin(&f);
    let session = f.vault.verify_session().unwrap();
    assert!(f.vault.pin_status(&session).unwrap().set_at.is_some());
}

#[test]
fn a_pin_unlocks_its_person_s_locked_session_and_is_not_a_step_up_check() {
    let f = fixture().with_admin();
    let (clerk_id, _) = f.create("clerk@shop.example", Role::User, None);
    with_pin(&f);
    f.stay_active_for(6 * 60);
    f.vault.lock_session(LockReason::Manual).unwrap();
    assert!(crate::last_locked(&f.vault).pin_available);
    f.vault
        .unlock_with_pin(&crate::last_id(&f.vault), &PIN.into())
        .unwrap();
    let session = f.vault.verify_session().unwrap();
    assert_code!(
        f.vault
            .reset_password(&require_admin(&session).unwrap(), clerk_id),
        ReauthRequired
    );
}

#[test]
fn another_person_s_pin_does_not_open_the_session() {
    let f = fixture().with_admin();
    let (_, clerk) = f.signed_in_clerk();
    let clerk_session = clerk.verify_session().unwrap();
    clerk
        .set_pin(&clerk_session, &CLERK_PASSWORD.into(), &"603128".into())
        .unwrap();
    // The admin has no PIN yet: a PIN cannot unlock their session at all.
    f.vault.lock_session(LockReason::Manual).unwrap();
    assert!(!crate::last_locked(&f.vault).pin_available);
    assert_code!(
        f.vault
            .unlock_with_pin(&crate::last_id(&f.vault), &"603128".into()),
        Conflict
    );
    f.clock.advance(1);
    f.vault
        .unlock_session(&crate::last_id(&f.vault), &ADMIN_PASSWORD.into())
        .unwrap();
    with_pin(&f);
    f.vault.lock_session(LockReason::Manual).unwrap();
    assert_eq!(
        wrong_pin_left(
            f.vault
                .unlock_with_pin(&crate::last_id(&f.vault), &"603128".into())
        ),
        4
    );
}

#[test]
fn the_pin_window_closes_eight_hours_after_the_last_password_check() {
    let f = fixture().with_admin();
    with_pin(&f);
    f.vault.lock_session(LockReason::Idle).unwrap();
    f.clock
        .advance(SessionPolicy::PIN_WINDOW_DEFAULT_HOURS * 3600);
    assert!(!crate::last_locked(&f.vault).pin_available);
    assert_code!(
        f.vault
            .unlock_with_pin(&crate::last_id(&f.vault), &PIN.into()),
        Conflict
    );
    // The password opens it, and a new window with it.
    f.vault
        .unlock_session(&crate::last_id(&f.vault), &ADMIN_PASSWORD.into())
        .unwrap();
    f.vault.lock_session(LockReason::Manual).unwrap();
    f.vault
        .unlock_with_pin(&crate::last_id(&f.vault), &PIN.into())
        .unwrap();
}

#[test]
fn the_fifth_wrong_pin_in_a_row_ends_the_session_even_across_a_restart() {
    let f = fixture().with_admin();
    with_pin(&f);
    f.vault.lock_session(LockReason::Manual).unwrap();
    assert_eq!(
        wrong_pin_left(
            f.vault
                .unlock_with_pin(&crate::last_id(&f.vault), &"603128".into())
        ),
        4
    );
    assert_eq!(
        wrong_pin_left(
            f.vault
                .unlock_with_pin(&crate::last_id(&f.vault), &"603129".into())
        ),
        3
    );
    let restarted = f.restarted();
    assert_eq!(
        wrong_pin_left(restarted.unlock_with_pin(&crate::last_id(&restarted), &"603130".into())),
        2
    );
    assert_eq!(
        wrong_pin_left(restarted.unlock_with_pin(&crate::last_id(&restarted), &"603131".into())),
        1
    );
    assert_eq!(
        wrong_pin_left(restarted.unlock_with_pin(&crate::last_id(&restarted), &"603132".into())),
        0
    );
    assert_code!(restarted.verify_session(), NotAuthenticated);
    assert_code!(
        restarted.unlock_with_pin(&crate::last_id(&restarted), &PIN.into()),
        NotAuthenticated
    );

    restarted
        .login(crate::ADMIN_EMAIL, &ADMIN_PASSWORD.into())
        .unwrap();
    let session = restarted.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let query = AuditQuery {
        event: Some(AuditEvent::PinLockout),
        ..AuditQuery::default()
    };
    assert_eq!(restarted.audit_log(&admin, &query).unwrap().items.len(), 1);
}

#[test]
fn a_right_pin_resets_the_count_of_wrong_ones() {
    let f = fixture().with_admin();
    with_pin(&f);
    for _ in 0..3 {
        f.vault.lock_session(LockReason::Manual).unwrap();
        for _ in 0..4 {
            assert!(
                f.vault
                    .unlock_with_pin(&crate::last_id(&f.vault), &"603128".into())
                    .is_err()
            );
        }
        f.vault
            .unlock_with_pin(&crate::last_id(&f.vault), &PIN.into())
            .unwrap();
    }
    assert!(f.vault.verify_session().is_ok());
}

#[test]
fn an_admin_password_reset_removes_the_pin() {
    let f = fixture().with_admin();
    let (clerk_id, clerk) = f.signed_in_clerk();
    let clerk_session = clerk.verify_session().unwrap();
    clerk
        .set_pin(&clerk_session, &CLERK_PASSWORD.into(), &"603128".into())
        .unwrap();
    let session = f.vault.verify_session().unwrap();
    f.vault
        .reset_password(&require_admin(&session).unwrap(), clerk_id)
        .unwrap();
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    let pins: i64 = conn
        .query_row("SELECT count(*) FROM pins", [], |r| r.get(0))
        .unwrap();
    assert_eq!(pins, 0);
}

#[test]
fn clearing_a_pin_is_audited_and_takes_quick_unlock_away() {
    let f = fixture().with_admin();
    with_pin(&f);
    let session = f.vault.verify_session().unwrap();
    f.vault.clear_pin(&session).unwrap();
    f.vault.lock_session(LockReason::Manual).unwrap();
    assert_code!(
        f.vault
            .unlock_with_pin(&crate::last_id(&f.vault), &PIN.into()),
        Conflict
    );
    f.clock.advance(1);
    f.vault
        .unlock_session(&crate::last_id(&f.vault), &ADMIN_PASSWORD.into())
        .unwrap();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    for event in [AuditEvent::PinSet, AuditEvent::PinCleared] {
        let query = AuditQuery {
            event: Some(event),
            ..AuditQuery::default()
        };
        assert_eq!(
            f.vault.audit_log(&admin, &query).unwrap().items.len(),
            1,
            "{event:?}"
        );
    }
}

#[test]
fn an_admin_shortens_the_pin_window_for_everyone() {
    let f = fixture().with_admin();
    with_pin(&f);
    let session = f.vault.verify_session().unwrap();
    let settings = vault::DeskSettingsUpdate {
        auto_lock_minutes: 5,
        pin_window_hours: 1,
        show_people: true,
    };
    let set = f
        .vault
        .update_desk_settings(&require_admin(&session).unwrap(), &settings)
        .unwrap();
    assert_eq!(set.pin_window_hours, 1);
    assert_eq!(f.vault.pin_status(&session).unwrap().window_hours, 1);
    f.vault.lock_session(LockReason::Manual).unwrap();
    f.clock.advance(3600);
    assert!(!crate::last_locked(&f.vault).pin_available);
    assert_code!(
        f.vault
            .unlock_with_pin(&crate::last_id(&f.vault), &PIN.into()),
        Conflict
    );
    for hours in [0, 13] {
        let session = {
            f.vault
                .unlock_session(&crate::last_id(&f.vault), &ADMIN_PASSWORD.into())
                .unwrap();
            f.vault.verify_session().unwrap()
        };
        let bad = vault::DeskSettingsUpdate {
            auto_lock_minutes: 5,
            pin_window_hours: hours,
            show_people: true,
        };
        assert_code!(
            f.vault
                .update_desk_settings(&require_admin(&session).unwrap(), &bad),
            Validation
        );
        f.vault.lock_session(LockReason::Manual).unwrap();
    }
}
