//! The second factor: enrolment, the two-step sign-in, recovery codes, the sealing of
//! the secret under the password, and an admin's policy and reset.

use totp_rs::{Algorithm, Secret, TOTP};
use vault::{
    AuditEvent, AuditQuery, Conflict, Error, Role, SIGN_IN_SECONDS, SIGN_IN_TRIES,
    SecondFactorPolicy, Vault, require_admin,
};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, CLERK_PASSWORD, assert_code, fixture, settle};

/// The app's code for `secret` (base32) at `at`: an implementation apart from the vault's.
fn code(secret: &str, at: i64) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    TOTP::new_unchecked(Algorithm::SHA1, 6, 0, 30, bytes).generate(u64::try_from(at).unwrap())
}

/// The admin with a second factor; returns its base32 secret and recovery codes.
fn enrolled(f: &crate::Fixture) -> (String, Vec<String>) {
    let session = f.vault.verify_session().unwrap();
    let enrolment = f.vault.begin_enrolment(&session).unwrap();
    let now = f.clock_now();
    let codes = f
        .vault
        .confirm_enrolment(
            &session,
            &ADMIN_PASSWORD.into(),
            &code(&enrolment.secret, now),
        )
        .unwrap();
    (enrolment.secret, codes.codes)
}

fn ticket(result: vault::Result<vault::CurrentUser>) -> String {
    match result {
        Err(Error::CodeRequired { ticket }) => ticket,
        other => panic!("expected CodeRequired, got {other:?}"),
    }
}

fn events(vault: &Vault, event: AuditEvent) -> Vec<vault::AuditEntry> {
    let session = vault.verify_session().unwrap();
    let query = AuditQuery {
        event: Some(event),
        ..AuditQuery::default()
    };
    vault
        .audit_log(&require_admin(&session).unwrap(), &query)
        .unwrap()
        .items
}

#[test]
fn enrolment_shows_the_secret_once_and_needs_the_app_s_current_code() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let enrolment = f.vault.begin_enrolment(&session).unwrap();
    assert_eq!(enrolment.secret.len(), 32, "160 bits in base32");
    assert!(
        enrolment
            .uri
            .starts_with("otpauth://totp/Latchkey%3Aadmin%40clinic.example?secret=")
    );
    assert_eq!(
        enrolment.qr.modules.len(),
        enrolment.qr.size * enrolment.qr.size
    );
    let now = f.clock_now();
    // A code from another secret, or not six digits, is refused before the password.
    assert_code!(
        f.vault
            .confirm_enrolment(&session, &ADMIN_PASSWORD.into(), "123456"),
        Validation
    );
    assert_code!(
        f.vault
            .confirm_enrolment(&session, &ADMIN_PASSWORD.into(), "12345"),
        Validation
    );
    assert_code!(
        f.vault.confirm_enrolment(
            &session,
            &"not the password at all".into(),
            &code(&enrolment.secret, now)
        ),
        InvalidCredentials
    );
    f.clock.advance(2);
    let codes = f
        .vault
        .confirm_enrolment(
            &session,
            &ADMIN_PASSWORD.into(),
            &code(&enrolment.secret, now),
        )
        .unwrap();
    assert_eq!(codes.codes.len(), 10);
    let status = f.vault.second_factor_status(&session).unwrap();
    assert_eq!(status.enrolled_at, Some(f.clock_now()));
    assert_eq!(status.recovery_codes_left, 10);
    // The status never carries the secret, and a second enrolment is refused.
    let json = serde_json::to_string(&status).unwrap();
    assert!(!json.contains(&enrolment.secret));
    assert!(matches!(
        f.vault.begin_enrolment(&session),
        Err(Error::Conflict(Conflict::AlreadyEnrolled))
    ));
    assert_eq!(events(&f.vault, AuditEvent::SecondFactorEnrolled).len(), 1);
}

#[test]
fn the_secret_is_sealed_under_the_password_in_the_file() {
    let f = fixture().with_admin();
    let (secret, _) = enrolled(&f);
    let raw = Secret::Encoded(secret.clone()).to_bytes().unwrap();
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    let sealed: Vec<u8> = conn
        .query_row("SELECT sealed FROM second_factors", [], |r| r.get(0))
        .unwrap();
    assert_ne!(&sealed[..raw.len()], raw.as_slice());
    drop(conn);
    let file = std::fs::read(f.path()).unwrap();
    let wal = std::fs::read(f.dir.path().join("vault.sqlite-wal")).unwrap_or_default();
    for bytes in [file, wal] {
        assert!(!bytes.windows(raw.len()).any(|w| w == raw.as_slice()));
        assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()));
    }
}

#[test]
fn sign_in_takes_the_password_then_a_code_and_refuses_a_replay() {
    let f = fixture().with_admin();
    let (secret, _) = enrolled(&f);
    f.vault.logout().unwrap();
    f.clock.advance(30);
    // A wrong password says nothing about the second factor.
    assert_code!(
        f.vault
            .login(ADMIN_EMAIL, &"not the password at all".into()),
        InvalidCredentials
    );
    f.clock.advance(2);
    let first = ticket(f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()));
    // No session before the second step.
    assert_code!(f.vault.verify_session(), NotAuthenticated);
    let now = f.clock_now();
    let user = f
        .vault
        .complete_sign_in(&first, &code(&secret, now))
        .unwrap();
    assert_eq!(user.email, ADMIN_EMAIL);
    assert!(f.vault.verify_session().is_ok());
    // The ticket is spent, and the same code (its step used) cannot sign in again.
    assert_code!(
        f.vault.complete_sign_in(&first, &code(&secret, now)),
        Conflict
    );
    f.vault.logout().unwrap();
    let second = ticket(f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()));
    assert!(matches!(
        f.vault.complete_sign_in(&second, &code(&secret, now)),
        Err(Error::WrongCode { remaining: 4 })
    ));
    f.clock.advance(30);
    let now = f.clock_now();
    f.vault
        .complete_sign_in(&second, &code(&secret, now))
        .unwrap();
    let detail: Vec<_> = events(&f.vault, AuditEvent::SignIn)
        .iter()
        .filter_map(|e| e.detail.clone())
        .collect();
    assert_eq!(detail, ["with a code", "with a code"]);
}

#[test]
fn five_wrong_codes_or_five_minutes_and_the_password_is_needed_again() {
    let f = fixture().with_admin();
    let (secret, _) = enrolled(&f);
    f.vault.logout().unwrap();
    f.clock.advance(30);
    let t = ticket(f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()));
    for left in (0..SIGN_IN_TRIES).rev() {
        // Wrong codes are throttled like wrong passwords: wait out each delay.
        f.clock.advance(11);
        match f.vault.complete_sign_in(&t, "000000") {
            Err(Error::WrongCode { remaining }) => assert_eq!(remaining, left),
            other => panic!("{other:?}"),
        }
    }
    let now = f.clock_now();
    assert!(matches!(
        f.vault.complete_sign_in(&t, &code(&secret, now)),
        Err(Error::Conflict(Conflict::SignInExpired))
    ));
    // Each wrong code was a failed sign-in for the email.
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    let failures: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE event = 'sign_in' AND outcome = 'failure'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(failures, 5);

    f.clock.advance(60);
    let t = ticket(f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()));
    f.clock.advance(SIGN_IN_SECONDS);
    let now = f.clock_now();
    assert!(matches!(
        f.vault.complete_sign_in(&t, &code(&secret, now)),
        Err(Error::Conflict(Conflict::SignInExpired))
    ));
}

#[test]
fn a_recovery_code_signs_in_once_and_says_how_many_are_left() {
    let f = fixture().with_admin();
    let (_, codes) = enrolled(&f);
    f.vault.logout().unwrap();
    let t = ticket(f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()));
    // Typed in lower case with spaces: still the code.
    let typed = codes[3].to_lowercase().replace('-', " ");
    f.vault.complete_sign_in(&t, &typed).unwrap();
    let session = f.vault.verify_session().unwrap();
    assert_eq!(
        f.vault
            .second_factor_status(&session)
            .unwrap()
            .recovery_codes_left,
        9
    );
    let used = events(&f.vault, AuditEvent::RecoveryCodeUsed);
    assert_eq!(used[0].detail.as_deref(), Some("9 left"));
    f.vault.logout().unwrap();
    f.clock.advance(1);
    let t = ticket(f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()));
    assert!(matches!(
        f.vault.complete_sign_in(&t, &codes[3]),
        Err(Error::WrongCode { .. })
    ));
    // New codes replace the old ones.
    f.clock.advance(60);
    f.vault.complete_sign_in(&t, &codes[4]).unwrap();
    let session = f.vault.verify_session().unwrap();
    let fresh = f
        .vault
        .regenerate_recovery_codes(&session, &ADMIN_PASSWORD.into())
        .unwrap();
    assert!(fresh.codes.iter().all(|c| !codes.contains(c)));
    f.vault.logout().unwrap();
    f.clock.advance(1);
    let t = ticket(f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()));
    assert!(matches!(
        f.vault.complete_sign_in(&t, &codes[5]),
        Err(Error::WrongCode { .. })
    ));
    f.clock.advance(60);
    f.vault.complete_sign_in(&t, &fresh.codes[0]).unwrap();
}

#[test]
fn a_password_change_reseals_the_secret_and_a_reset_removes_it() {
    let f = fixture().with_admin();
    let (secret, _) = enrolled(&f);
    let session = f.vault.verify_session().unwrap();
    // With a second factor, eight characters are enough.
    let new = "tq8#Vw2!kx";
    f.vault
        .change_password(&session, &ADMIN_PASSWORD.into(), &new.into())
        .unwrap();
    f.vault.logout().unwrap();
    f.clock.advance(30);
    let t = ticket(f.vault.login(ADMIN_EMAIL, &new.into()));
    let now = f.clock_now();
    f.vault.complete_sign_in(&t, &code(&secret, now)).unwrap();

    // An admin's password reset cannot keep a secret sealed under a password nobody
    // knows now: the second factor goes, and the reset is audited as such.
    let (clerk, temporary) = f.create("clerk@shop.example", Role::User, None);
    let desk = f.other_instance();
    settle(&desk, "clerk@shop.example", &temporary, CLERK_PASSWORD);
    let clerk_session = desk.verify_session().unwrap();
    let enrolment = desk.begin_enrolment(&clerk_session).unwrap();
    let now = f.clock_now();
    desk.confirm_enrolment(
        &clerk_session,
        &CLERK_PASSWORD.into(),
        &code(&enrolment.secret, now),
    )
    .unwrap();
    let admin = f.vault.verify_session().unwrap();
    // The admin's step-up window: the code sign-in above was the password check.
    f.vault
        .reset_password(&require_admin(&admin).unwrap(), clerk)
        .unwrap();
    let removed = events(&f.vault, AuditEvent::SecondFactorRemoved);
    assert_eq!(
        removed[0].detail.as_deref(),
        Some("removed by a password reset")
    );
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM second_factors WHERE user_id = ?1",
            [clerk.0],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
}

#[test]
fn an_admin_may_require_a_second_factor_and_reset_one() {
    let f = fixture().with_admin();
    let (clerk, temporary) = f.create("clerk@shop.example", Role::User, None);
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    f.vault
        .set_second_factor_policy(&admin, SecondFactorPolicy::Admins)
        .unwrap();
    // The admin has none: nothing but setting one up answers now.
    let session = f.vault.verify_session().unwrap();
    assert_code!(require_admin(&session), SecondFactorRequired);
    assert_code!(
        f.vault.get_profile(&session, session.user_id()),
        SecondFactorRequired
    );
    assert!(f.vault.current_user(&session).unwrap().second_factor_due);
    assert!(matches!(
        f.vault
            .remove_second_factor(&session, &ADMIN_PASSWORD.into()),
        Err(Error::Conflict(Conflict::SecondFactorRequired))
    ));
    let (secret, _) = enrolled(&f);
    let session = f.vault.verify_session().unwrap();
    assert!(require_admin(&session).is_ok());
    assert!(!f.vault.current_user(&session).unwrap().second_factor_due);

    // A user is not covered by "administrators".
    let desk = f.other_instance();
    settle(&desk, "clerk@shop.example", &temporary, CLERK_PASSWORD);
    let clerk_session = desk.verify_session().unwrap();
    assert!(desk.get_profile(&clerk_session, clerk).is_ok());
    let enrolment = desk.begin_enrolment(&clerk_session).unwrap();
    let now = f.clock_now();
    desk.confirm_enrolment(
        &clerk_session,
        &CLERK_PASSWORD.into(),
        &code(&enrolment.secret, now),
    )
    .unwrap();

    // Resetting someone's second factor needs a fresh password check, and never one's own.
    f.stay_active_for(10 * 60);
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    assert_code!(f.vault.reset_second_factor(&admin, clerk), ReauthRequired);
    // With a second factor the step-up check wants a code too, and a fresh one.
    assert_code!(
        f.vault
            .reauthenticate(&session, &ADMIN_PASSWORD.into(), None),
        Validation
    );
    let now = f.clock_now();
    let used = code(&secret, now - 600);
    assert_code!(
        f.vault
            .reauthenticate(&session, &ADMIN_PASSWORD.into(), Some(&used)),
        Validation
    );
    f.clock.advance(2);
    f.vault
        .reauthenticate(&session, &ADMIN_PASSWORD.into(), Some(&code(&secret, now)))
        .unwrap();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    assert!(matches!(
        f.vault.reset_second_factor(&admin, session.user_id()),
        Err(Error::Conflict(Conflict::OwnAccount))
    ));
    f.vault.reset_second_factor(&admin, clerk).unwrap();
    assert!(matches!(
        f.vault.reset_second_factor(&admin, clerk),
        Err(Error::Conflict(Conflict::NotEnrolled))
    ));
    let health = f.vault.security_health(&admin).unwrap();
    assert_eq!(health.without_second_factor, 1);
}

#[test]
fn the_console_shows_and_filters_who_has_a_second_factor() {
    let f = fixture().with_admin();
    f.create("clerk@shop.example", Role::User, None);
    enrolled(&f);
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let list = |second_factor| {
        let query = vault::ListQuery {
            second_factor,
            ..vault::ListQuery::default()
        };
        f.vault
            .list_accounts(&admin, &query)
            .unwrap()
            .items
            .into_iter()
            .map(|a| (a.email, a.second_factor))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        list(None),
        [
            (ADMIN_EMAIL.to_owned(), true),
            ("clerk@shop.example".to_owned(), false)
        ]
    );
    assert_eq!(list(Some(true)), [(ADMIN_EMAIL.to_owned(), true)]);
    assert_eq!(
        list(Some(false)),
        [("clerk@shop.example".to_owned(), false)]
    );
}
