use vault::{
    AccountStatus, AccountUpdate, Conflict, Error, ListQuery, NewAccount, ProfileUpdate, Role,
    require_admin,
};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, assert_code, fixture, settle};

fn new_account(email: &str) -> NewAccount {
    NewAccount {
        email: email.into(),
        display_name: "Someone".into(),
        role: Role::User,
        team: None,
        phone: None,
    }
}

#[test]
fn a_user_cannot_reach_admin_operations() {
    let f = fixture().with_admin();
    let (_, clerk) = f.signed_in_clerk();
    let session = clerk.verify_session().unwrap();
    assert!(matches!(require_admin(&session), Err(Error::Forbidden)));
}

#[test]
fn new_accounts_get_a_temporary_password_that_must_be_replaced() {
    let f = fixture().with_admin();
    let (id, temporary) = f.create("clerk@shop.example", Role::User, Some("tills"));
    let clerk = f.other_instance();
    let user = clerk
        .login("clerk@shop.example", &temporary.clone().into())
        .unwrap();
    assert!(user.must_change_password);
    let session = clerk.verify_session().unwrap();
    // Until the password is replaced, only the change itself (and reading oneself) works.
    assert!(clerk.current_user(&session).is_ok());
    assert_code!(clerk.get_profile(&session, id), PasswordChangeRequired);
    assert_code!(
        clerk.team_directory(&session, &ListQuery::default()),
        PasswordChangeRequired
    );
    let user = clerk
        .change_password(
            &session,
            &temporary.into(),
            &"till roll and receipts".into(),
        )
        .unwrap();
    assert!(!user.must_change_password);
    let session = clerk.verify_session().unwrap();
    assert!(clerk.get_profile(&session, id).is_ok());
}

#[test]
fn an_admin_with_a_temporary_password_cannot_use_admin_operations_yet() {
    let f = fixture().with_admin();
    let (_, temporary) = f.create("second@clinic.example", Role::Admin, None);
    let second = f.other_instance();
    second
        .login("second@clinic.example", &temporary.into())
        .unwrap();
    let session = second.verify_session().unwrap();
    assert!(matches!(
        require_admin(&session),
        Err(Error::PasswordChangeRequired)
    ));
}

#[test]
fn a_reset_password_works_once_and_must_be_replaced() {
    let f = fixture().with_admin();
    let (id, clerk) = f.signed_in_clerk();
    let session = f.vault.verify_session().unwrap();
    let issued = f
        .vault
        .reset_password(&require_admin(&session).unwrap(), id)
        .unwrap();
    assert_code!(
        clerk.login("clerk@shop.example", &"till roll and receipts".into()),
        InvalidCredentials
    );
    f.clock.advance(1);
    let user = clerk
        .login("clerk@shop.example", &issued.expose().into())
        .unwrap();
    assert!(user.must_change_password);
    settle(
        &clerk,
        "clerk@shop.example",
        issued.expose(),
        "a new till roll passphrase",
    );
}

#[test]
fn emails_are_unique_after_normalisation() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    f.vault
        .create_account(&admin, &new_account("ward@clinic.example"))
        .unwrap();
    for email in [
        "WARD@clinic.example",
        "ｗａｒｄ@clinic.example",
        ADMIN_EMAIL,
    ] {
        let again = f.vault.create_account(&admin, &new_account(email));
        assert!(
            matches!(again, Err(Error::Conflict(Conflict::EmailTaken))),
            "{email}"
        );
    }
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let count = || {
        f.vault
            .list_accounts(&admin, &ListQuery::default())
            .unwrap()
            .items
            .len()
    };
    let before = count();
    let cases = [
        (
            NewAccount {
                email: "x".repeat(300),
                ..new_account("")
            },
            "email",
        ),
        (
            NewAccount {
                email: "a\u{0}@b.example".into(),
                ..new_account("")
            },
            "email",
        ),
        (
            NewAccount {
                display_name: "n".repeat(201),
                ..new_account("a@b.example")
            },
            "displayName",
        ),
        (
            NewAccount {
                display_name: "   ".into(),
                ..new_account("a@b.example")
            },
            "displayName",
        ),
        (
            NewAccount {
                display_name: "Eve\0".into(),
                ..new_account("a@b.example")
            },
            "displayName",
        ),
        (
            NewAccount {
                display_name: "x".repeat(4 << 20),
                ..new_account("a@b.example")
            },
            "displayName",
        ),
        (
            NewAccount {
                team: Some("t".repeat(101)),
                ..new_account("a@b.example")
            },
            "team",
        ),
        (
            NewAccount {
                phone: Some("555-CALL-NOW".into()),
                ..new_account("a@b.example")
            },
            "phone",
        ),
    ];
    for (account, field) in cases {
        match f.vault.create_account(&admin, &account) {
            Err(Error::Validation { field: got, .. }) => assert_eq!(got, field),
            other => panic!("{field}: expected a validation error, got {other:?}"),
        }
    }
    assert_eq!(count(), before);
    let bad_queries = [
        ListQuery {
            limit: Some(0),
            ..ListQuery::default()
        },
        ListQuery {
            limit: Some(10_000),
            ..ListQuery::default()
        },
        ListQuery {
            search: Some("a\u{7}".into()),
            ..ListQuery::default()
        },
        ListQuery {
            search: Some("s".repeat(300)),
            ..ListQuery::default()
        },
    ];
    for query in bad_queries {
        assert_code!(f.vault.list_accounts(&admin, &query), Validation);
    }
}

#[test]
fn nobody_acts_on_their_own_account_through_admin_operations() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let me = session.user_id();
    let own = |result: Result<(), Error>| {
        assert!(matches!(result, Err(Error::Conflict(Conflict::OwnAccount))))
    };
    own(f.vault.set_role(&admin, me, Role::User).map(drop));
    own(f.vault.set_disabled(&admin, me, true).map(drop));
    own(f.vault.delete_account(&admin, me));
    own(f.vault.reset_password(&admin, me).map(drop));
    assert_eq!(f.vault.get_account(&admin, me).unwrap().role, Role::Admin);
}

#[test]
fn admins_racing_to_remove_each_other_leave_one_active_admin() {
    let f = fixture().with_admin();
    let (second, temporary) = f.create("second@clinic.example", Role::Admin, None);
    let other = f.other_instance();
    settle(
        &other,
        "second@clinic.example",
        &temporary,
        "copper fern above the harbour",
    );
    let first_session = f.vault.verify_session().unwrap();
    let second_session = other.verify_session().unwrap();
    let first_admin = require_admin(&first_session).unwrap();
    let second_admin = require_admin(&second_session).unwrap();
    // Both proofs were valid a moment ago; the first removal wins and the stale proof of
    // the demoted admin no longer works, for any admin operation.
    f.vault.set_role(&first_admin, second, Role::User).unwrap();
    assert_code!(
        other.set_role(&second_admin, first_session.user_id(), Role::User),
        Forbidden
    );
    assert_code!(
        other.set_disabled(&second_admin, first_session.user_id(), true),
        Forbidden
    );
    assert_code!(
        other.delete_account(&second_admin, first_session.user_id()),
        Forbidden
    );
    assert_code!(
        other.create_account(&second_admin, &new_account("sneaky@clinic.example")),
        Forbidden
    );
    let first = f
        .vault
        .get_account(&first_admin, first_session.user_id())
        .unwrap();
    assert_eq!(
        (first.role, first.status),
        (Role::Admin, AccountStatus::Active)
    );
}

#[test]
fn disabled_accounts_cannot_sign_in_until_enabled() {
    let f = fixture().with_admin();
    let (id, clerk) = f.signed_in_clerk();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    assert_eq!(
        f.vault.set_disabled(&admin, id, true).unwrap().status,
        AccountStatus::Disabled
    );
    assert_code!(
        clerk.login("clerk@shop.example", &"till roll and receipts".into()),
        InvalidCredentials
    );
    f.vault.set_disabled(&admin, id, false).unwrap();
    f.clock.advance(1);
    assert!(
        clerk
            .login("clerk@shop.example", &"till roll and receipts".into())
            .is_ok()
    );
}

#[test]
fn deleting_an_account_removes_it_and_its_sessions() {
    let f = fixture().with_admin();
    let (id, _) = f.create("clerk@shop.example", Role::User, None);
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    f.vault.delete_account(&admin, id).unwrap();
    assert_code!(f.vault.get_account(&admin, id), NotFound);
    assert_code!(f.vault.delete_account(&admin, id), NotFound);
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    let hashes: i64 = conn
        .query_row(
            "SELECT count(*) FROM password_hashes WHERE user_id = ?1",
            [id.0],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hashes, 0);
}

#[test]
fn listing_pages_by_keyset_and_searches_by_prefix() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    for i in 0..23 {
        let account = NewAccount {
            display_name: if i % 2 == 0 {
                format!("Kim {i:02}")
            } else {
                format!("Lee {i:02}")
            },
            ..new_account(&format!("staff{i:02}@lab.example"))
        };
        f.vault.create_account(&admin, &account).unwrap();
    }
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = f
            .vault
            .list_accounts(
                &admin,
                &ListQuery {
                    after,
                    limit: Some(10),
                    search: None,
                    second_factor: None,
                },
            )
            .unwrap();
        seen.extend(page.items.iter().map(|u| u.email.clone()));
        match page.next_cursor {
            Some(cursor) => after = Some(cursor),
            None => break,
        }
    }
    assert_eq!(seen.len(), 24);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);

    let by_email = f
        .vault
        .list_accounts(
            &admin,
            &ListQuery {
                search: Some("STAFF1".into()),
                ..ListQuery::default()
            },
        )
        .unwrap();
    assert_eq!(by_email.items.len(), 10);
    let by_name = f
        .vault
        .list_accounts(
            &admin,
            &ListQuery {
                search: Some("kim".into()),
                ..ListQuery::default()
            },
        )
        .unwrap();
    assert_eq!(by_name.items.len(), 12);
    assert!(
        by_name
            .items
            .iter()
            .all(|u| u.display_name.starts_with("Kim"))
    );
    // LIKE wildcards are plain characters here.
    let wildcard = f
        .vault
        .list_accounts(
            &admin,
            &ListQuery {
                search: Some("%".into()),
                ..ListQuery::default()
            },
        )
        .unwrap();
    assert!(wildcard.items.is_empty());
}

#[test]
fn phone_numbers_follow_the_viewer() {
    let f = fixture().with_admin();
    let (alice, temp_a) = f.create("alice@lab.example", Role::User, Some("chemistry"));
    let (bob, temp_b) = f.create("bob@lab.example", Role::User, Some("chemistry"));
    let (carol, temp_c) = f.create("carol@lab.example", Role::User, Some("physics"));
    let people = [
        ("alice@lab.example", temp_a),
        ("bob@lab.example", temp_b),
        ("carol@lab.example", temp_c),
    ];
    let instances: Vec<_> = people
        .iter()
        .map(|(email, temporary)| {
            let vault = f.other_instance();
            settle(&vault, email, temporary, "a long lab passphrase");
            vault
        })
        .collect();
    let phone_of = |viewer: &vault::Vault, target| {
        let session = viewer.verify_session().unwrap();
        viewer.get_profile(&session, target).unwrap().phone
    };
    assert!(phone_of(&instances[0], alice).is_some(), "themself");
    assert!(phone_of(&instances[0], bob).is_some(), "same team");
    assert!(phone_of(&instances[0], carol).is_none(), "other team");
    assert!(phone_of(&instances[2], alice).is_none(), "other team");
    assert!(phone_of(&f.vault, carol).is_some(), "admin");

    let session = instances[2].verify_session().unwrap();
    let directory = instances[2]
        .team_directory(&session, &ListQuery::default())
        .unwrap();
    let visible: Vec<_> = directory
        .items
        .iter()
        .filter(|p| p.phone.is_some())
        .map(|p| p.id)
        .collect();
    assert_eq!(visible, vec![carol]);
}

#[test]
fn profiles_can_be_edited_by_their_owner_and_by_admins() {
    let f = fixture().with_admin();
    let (id, clerk) = f.signed_in_clerk();
    let session = clerk.verify_session().unwrap();
    let me = clerk
        .update_own_profile(
            &session,
            &ProfileUpdate {
                display_name: " Jo Clerk ".into(),
                phone: Some("010 1111 2222".into()),
            },
        )
        .unwrap();
    assert_eq!(
        (me.display_name.as_str(), me.phone.as_deref()),
        ("Jo Clerk", Some("010 1111 2222"))
    );
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let mut update = AccountUpdate {
        id,
        display_name: "Jo Clerk".into(),
        team: Some("tills".into()),
        phone: None,
    };
    assert_eq!(
        f.vault
            .update_account(&admin, &update)
            .unwrap()
            .team
            .as_deref(),
        Some("tills")
    );
    update.id = vault::UserId(999);
    assert_code!(f.vault.update_account(&admin, &update), NotFound);
    let _ = ADMIN_PASSWORD;
}
