//! The session and sign-in rules an admin sets: bounds, step-up, audit, and each rule
//! taking effect.

use vault::{AuditEvent, AuditQuery, Error, Invalid, Role, SignInRules, require_admin};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, CLERK_PASSWORD, assert_code, fixture};

fn rules(change: impl FnOnce(&mut SignInRules)) -> SignInRules {
    let mut rules = SignInRules::default();
    change(&mut rules);
    rules
}

fn settings_changes(f: &crate::Fixture) -> Vec<String> {
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let query = AuditQuery {
        event: Some(AuditEvent::SettingsChanged),
        ..AuditQuery::default()
    };
    let mut details: Vec<String> = f
        .vault
        .audit_log(&admin, &query)
        .unwrap()
        .items
        .into_iter()
        .filter_map(|entry| entry.detail)
        .collect();
    details.sort();
    details
}

#[test]
fn the_defaults_are_the_documented_numbers() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let shown = f.vault.sign_in_rules(&admin).unwrap();
    assert_eq!(
        shown,
        SignInRules {
            idle_minutes: 15,
            absolute_hours: 12,
            step_up_minutes: 5,
            lock_after_failures: 100,
            longest_wait_seconds: 10,
            password_min_chars: 15,
        }
    );
}

#[test]
fn a_value_out_of_bounds_is_refused_by_name_and_changes_nothing() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let cases: [(SignInRules, &str, Invalid); 8] = [
        (
            rules(|r| r.idle_minutes = 0),
            "idleMinutes",
            Invalid::TooSmall(1),
        ),
        (
            rules(|r| r.idle_minutes = 61),
            "idleMinutes",
            Invalid::TooLarge(60),
        ),
        (
            rules(|r| r.absolute_hours = 25),
            "absoluteHours",
            Invalid::TooLarge(24),
        ),
        (
            rules(|r| r.step_up_minutes = 11),
            "stepUpMinutes",
            Invalid::TooLarge(10),
        ),
        (
            rules(|r| r.lock_after_failures = 4),
            "lockAfterFailures",
            Invalid::TooSmall(5),
        ),
        (
            rules(|r| r.longest_wait_seconds = 61),
            "longestWaitSeconds",
            Invalid::TooLarge(60),
        ),
        (
            rules(|r| r.password_min_chars = 14),
            "passwordMinChars",
            Invalid::TooSmall(15),
        ),
        // One good change beside a bad one: neither is written.
        (
            rules(|r| {
                r.absolute_hours = 8;
                r.password_min_chars = 65;
            }),
            "passwordMinChars",
            Invalid::TooLarge(64),
        ),
    ];
    for (update, field, reason) in cases {
        match f.vault.update_sign_in_rules(&admin, &update) {
            Err(Error::Validation {
                field: named,
                reason: got,
            }) => {
                assert_eq!((named.as_ref(), got), (field, reason), "{update:?}");
            }
            other => panic!("expected a refusal of {field}, got {other:?}"),
        }
    }
    assert_eq!(
        f.vault.sign_in_rules(&admin).unwrap(),
        SignInRules::default()
    );
    assert!(settings_changes(&f).is_empty());
}

#[test]
fn a_change_needs_a_recent_password_check_and_each_value_is_audited() {
    let f = fixture().with_admin();
    f.stay_active_for(6 * 60);
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let stricter = rules(|r| {
        r.lock_after_failures = 10;
        r.password_min_chars = 20;
    });
    assert_code!(
        f.vault.update_sign_in_rules(&admin, &stricter),
        ReauthRequired
    );
    assert_eq!(
        f.vault.sign_in_rules(&admin).unwrap(),
        SignInRules::default()
    );

    f.vault
        .reauthenticate(&session, &ADMIN_PASSWORD.into(), None)
        .unwrap();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    assert_eq!(
        f.vault.update_sign_in_rules(&admin, &stricter).unwrap(),
        stricter
    );
    assert_eq!(
        settings_changes(&f),
        [
            "lock_after_failures 100 -> 10",
            "password_min_chars 15 -> 20"
        ]
    );
    // Saving the same values again changes and audits nothing.
    f.vault.update_sign_in_rules(&admin, &stricter).unwrap();
    assert_eq!(settings_changes(&f).len(), 2);
    // The rules are the vault's: another instance and a restart see them.
    let other = f.other_instance();
    other.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    let session = other.verify_session().unwrap();
    assert_eq!(
        other
            .sign_in_rules(&require_admin(&session).unwrap())
            .unwrap(),
        stricter
    );
}

#[test]
fn a_lower_threshold_and_a_longer_wait_govern_failed_sign_ins() {
    let f = fixture().with_admin();
    f.create("clerk@shop.example", Role::User, None);
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let strict = rules(|r| {
        r.lock_after_failures = 5;
        r.longest_wait_seconds = 60;
    });
    f.vault.update_sign_in_rules(&admin, &strict).unwrap();
    let desk = f.other_instance();
    // The wait after the first failure is 6 s instead of 1 s.
    assert_code!(
        desk.login("clerk@shop.example", &"not the clerk's password".into()),
        InvalidCredentials
    );
    match desk.login("clerk@shop.example", &"not the clerk's password".into()) {
        Err(Error::Locked { retry_after }) => assert_eq!(retry_after, 6),
        other => panic!("expected a wait, got {other:?}"),
    }
    // The fifth failure in a row locks the email for a day.
    for _ in 0..4 {
        f.clock.advance(60);
        assert_code!(
            desk.login("clerk@shop.example", &"not the clerk's password".into()),
            InvalidCredentials
        );
    }
    f.clock.advance(3600);
    match desk.login("clerk@shop.example", &"not the clerk's password".into()) {
        Err(Error::Locked { retry_after }) => assert!(retry_after > 20 * 3600, "{retry_after}"),
        other => panic!("expected the lock, got {other:?}"),
    }
    // The admin's own session locked meanwhile; read the audit from another desk.
    let auditor = f.other_instance();
    auditor.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    let session = auditor.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let lockouts = AuditQuery {
        event: Some(AuditEvent::Lockout),
        ..AuditQuery::default()
    };
    let entries = auditor.audit_log(&admin, &lockouts).unwrap().items;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].detail.as_deref(),
        Some("5 consecutive failed sign-ins")
    );
}

#[test]
fn a_longer_minimum_applies_to_passwords_chosen_from_then_on() {
    let f = fixture().with_admin();
    let (_, clerk) = f.signed_in_clerk();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    f.vault
        .update_sign_in_rules(&admin, &rules(|r| r.password_min_chars = 30))
        .unwrap();
    // The clerk's 22-character password still signs in: nobody is forced to change.
    clerk.logout().unwrap();
    clerk
        .login("clerk@shop.example", &CLERK_PASSWORD.into())
        .unwrap();
    let session = clerk.verify_session().unwrap();
    match clerk.change_password(
        &session,
        &CLERK_PASSWORD.into(),
        &"copper kettle, night shelf".into(),
    ) {
        Err(Error::Validation { field, reason }) => {
            assert_eq!(
                (field.as_ref(), reason),
                ("newPassword", Invalid::TooShort(30))
            );
        }
        other => panic!("expected the new minimum, got {other:?}"),
    }
    // The strength meter's context says the same.
    assert_eq!(clerk.password_min_chars().unwrap(), 30);
    clerk
        .change_password(
            &session,
            &CLERK_PASSWORD.into(),
            &"copper kettle on the night shelf, by the door".into(),
        )
        .unwrap();
}

#[test]
fn shorter_timeouts_end_sessions_sooner() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let brief = rules(|r| {
        r.idle_minutes = 3;
        r.absolute_hours = 1;
        r.step_up_minutes = 1;
    });
    f.vault.update_sign_in_rules(&admin, &brief).unwrap();

    // The step-up window: a password check two minutes old no longer counts.
    f.stay_active_for(2 * 60);
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    assert_code!(f.vault.update_sign_in_rules(&admin, &brief), ReauthRequired);

    // Idle: three minutes without activity end the session (before the five-minute lock).
    f.clock.advance(3 * 60);
    assert_code!(f.vault.verify_session(), SessionExpired);

    // Absolute: a session kept busy still ends an hour after sign-in.
    f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    f.stay_active_for(3600 - 60);
    f.clock.advance(60);
    assert_code!(f.vault.verify_session(), SessionExpired);
}
