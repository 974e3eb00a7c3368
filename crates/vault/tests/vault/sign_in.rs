use vault::{ErrorCode, Role};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, assert_code, fixture, settle};

#[test]
fn email_case_and_look_alikes_sign_in_to_one_account() {
    let f = fixture().with_admin();
    for email in [
        "Admin@Clinic.Example",
        "  admin@clinic.example ",
        "ａｄｍｉｎ@clinic.example",
    ] {
        let user = f.vault.login(email, &ADMIN_PASSWORD.into()).unwrap();
        assert_eq!(user.email, ADMIN_EMAIL);
    }
}

#[test]
fn unknown_email_wrong_password_and_disabled_account_look_the_same() {
    let f = fixture().with_admin();
    let (id, temporary) = f.create("nurse@clinic.example", Role::User, None);
    let nurse = f.other_instance();
    settle(
        &nurse,
        "nurse@clinic.example",
        &temporary,
        "night shift handover notes",
    );
    let session = f.vault.verify_session().unwrap();
    f.vault
        .set_disabled(&vault::require_admin(&session).unwrap(), id, true)
        .unwrap();

    let attempts = [
        ("nobody@clinic.example", "night shift handover notes"),
        ("nurse@clinic.example", "night shift handover noteS"),
        ("nurse@clinic.example", "night shift handover notes"),
    ];
    let replies: Vec<_> = attempts
        .iter()
        .map(|(email, password)| {
            // Past any throttle wait from the previous attempt.
            f.clock.advance(10);
            f.vault
                .login(email, &(*password).into())
                .unwrap_err()
                .reply()
        })
        .collect();
    for reply in &replies {
        assert_eq!(reply.code, ErrorCode::InvalidCredentials);
        assert_eq!(reply, &replies[0]);
    }
}

#[test]
fn unknown_email_costs_one_hash_like_a_wrong_password() {
    let f = fixture().with_admin();
    // Warm up: the first sign-in of a process also makes the dummy hash.
    let _ = f
        .vault
        .login("warm@up.example", &"warming up the vault".into());

    let before = f.vault.argon2_calls();
    let _ = f
        .vault
        .login("nobody@clinic.example", &"some long password".into());
    let unknown = f.vault.argon2_calls() - before;

    let before = f.vault.argon2_calls();
    let _ = f.vault.login(ADMIN_EMAIL, &"some long password".into());
    let wrong = f.vault.argon2_calls() - before;

    assert_eq!((unknown, wrong), (1, 1));
}

#[test]
fn the_first_sign_in_of_a_process_costs_the_same_for_known_and_unknown_emails() {
    let known = fixture().with_admin();
    let known = known.restarted();
    let unknown = fixture().with_admin();
    let unknown = unknown.restarted();
    let _ = known.login(ADMIN_EMAIL, &"a wrong but long password".into());
    let _ = unknown.login("nobody@clinic.example", &"a wrong but long password".into());
    assert_eq!(known.argon2_calls(), unknown.argon2_calls());
}

#[test]
fn oversized_passwords_are_refused_before_hashing() {
    let f = fixture().with_admin();
    let before = f.vault.argon2_calls();
    let huge = "x".repeat(10 << 20);
    assert_code!(f.vault.login(ADMIN_EMAIL, &huge.into()), Validation);
    assert_code!(
        f.vault.login(ADMIN_EMAIL, &"x".repeat(257).into()),
        Validation
    );
    assert_eq!(f.vault.argon2_calls(), before);
}

#[test]
fn sql_metacharacters_are_just_characters() {
    let f = fixture().with_admin();
    assert_code!(
        f.vault.login(
            "x'OR'1'='1--@clinic.example",
            &"' OR 1=1; DROP TABLE users; --".into()
        ),
        InvalidCredentials
    );
    assert_code!(
        f.vault
            .login(ADMIN_EMAIL, &"' OR 1=1; DROP TABLE users; --".into()),
        InvalidCredentials
    );
    f.clock.advance(1);
    assert!(f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).is_ok());
}

#[test]
fn passwords_are_compared_after_nfkc() {
    let f = fixture();
    // "ﬁ" (U+FB01) is NFKC-equivalent to "fi".
    f.vault
        .create_first_admin(&crate::first_admin(ADMIN_EMAIL, "ﬁve boxing wizards jump"))
        .unwrap();
    f.vault.logout().unwrap();
    assert!(
        f.vault
            .login(ADMIN_EMAIL, &"five boxing wizards jump".into())
            .is_ok()
    );
}

#[test]
fn weaker_stored_hashes_are_upgraded_at_sign_in() {
    let f = fixture().with_admin();
    let stronger = vault::VaultOptions {
        hash_params: Some(vault::HashParams::new(19 * 1024, 2, 1).unwrap()),
        ..crate::options(&f.clock)
    };
    let upgraded = vault::Vault::open(&f.path(), f.store.clone(), stronger).unwrap();
    upgraded.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    let phc = stored_hash(&f.path());
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    // And the upgraded hash still verifies, with no further rehash.
    let before = upgraded.argon2_calls();
    upgraded.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    assert_eq!(upgraded.argon2_calls() - before, 1);
}

/// Reads the admin's stored hash straight from the file.
fn stored_hash(path: &std::path::Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(
        "SELECT phc FROM password_hashes JOIN users ON users.id = user_id WHERE email = ?1",
        [ADMIN_EMAIL],
        |row| row.get(0),
    )
    .unwrap()
}
