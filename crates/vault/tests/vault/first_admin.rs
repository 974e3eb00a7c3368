use std::sync::{Arc, Barrier};

use vault::{Conflict, Error, ErrorCode, Role};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, assert_code, first_admin, fixture};

#[test]
fn an_empty_vault_asks_for_the_first_admin_and_has_no_default_account() {
    let f = fixture();
    assert!(f.vault.bootstrap_status().unwrap().needs_first_admin);
    for (email, password) in [
        ("admin@localhost", "admin"),
        ("admin", "password"),
        (ADMIN_EMAIL, ADMIN_PASSWORD),
    ] {
        assert!(f.vault.login(email, &password.into()).is_err());
    }
}

#[test]
fn the_first_admin_is_created_once_and_signed_in() {
    let f = fixture();
    let admin = f
        .vault
        .create_first_admin(&first_admin(ADMIN_EMAIL, ADMIN_PASSWORD))
        .unwrap();
    assert_eq!(admin.role, Role::Admin);
    assert!(!admin.must_change_password);
    assert_eq!(f.vault.verify_session().unwrap().user_id(), admin.id);
    assert!(!f.vault.bootstrap_status().unwrap().needs_first_admin);

    let again = f
        .vault
        .create_first_admin(&first_admin("second@clinic.example", ADMIN_PASSWORD));
    assert!(matches!(
        again,
        Err(Error::Conflict(Conflict::AlreadyInitialised))
    ));
}

#[test]
fn two_instances_racing_the_wizard_produce_exactly_one_admin() {
    for round in 0..5 {
        let f = fixture();
        let vaults = [f.other_instance(), f.other_instance()];
        let barrier = Arc::new(Barrier::new(2));
        let outcomes: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = vaults
                .iter()
                .enumerate()
                .map(|(i, vault)| {
                    let barrier = barrier.clone();
                    scope.spawn(move || {
                        barrier.wait();
                        vault.create_first_admin(&first_admin(
                            &format!("admin{i}@race.example"),
                            ADMIN_PASSWORD,
                        ))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let won = outcomes.iter().filter(|o| o.is_ok()).count();
        let conflicts = outcomes
            .iter()
            .filter(|o| matches!(o, Err(e) if e.code() == ErrorCode::Conflict))
            .count();
        assert_eq!((won, conflicts), (1, 1), "round {round}: {outcomes:?}");
    }
}

#[test]
fn the_wizard_validates_before_creating_anything() {
    let f = fixture();
    assert_code!(
        f.vault
            .create_first_admin(&first_admin("not-an-email", ADMIN_PASSWORD)),
        Validation
    );
    assert_code!(
        f.vault
            .create_first_admin(&first_admin(ADMIN_EMAIL, "too short")),
        Validation
    );
    assert!(f.vault.bootstrap_status().unwrap().needs_first_admin);
}

#[test]
fn the_wizard_refuses_breached_weak_and_personal_passwords() {
    let f = fixture();
    for password in [
        "qwertyuiopasdfghjkl",
        "aaaaaaaaaaaaaaaaaaaa",
        "ada admin's own passphrase",
        "latchkey front desk password",
    ] {
        assert_code!(
            f.vault
                .create_first_admin(&first_admin(ADMIN_EMAIL, password)),
            Validation
        );
    }
    assert!(f.vault.bootstrap_status().unwrap().needs_first_admin);
}
