//! Throttling, lockout, step-up re-authentication and the audit chain.

use vault::{
    AccountUpdate, AuditEvent, AuditQuery, ExportFormat, NewAccount, Role, ThrottleRules,
    UnlockRequest, require_admin,
};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, assert_code, fixture, settle};

#[test]
fn the_delay_schedule_matches_the_policy() {
    let expected = [
        (1, 1),
        (2, 1),
        (3, 3),
        (8, 3),
        (9, 5),
        (24, 5),
        (25, 10),
        (99, 10),
    ];
    for (failures, delay) in expected {
        assert_eq!(
            ThrottleRules::default().delay(failures),
            delay,
            "after {failures}"
        );
    }
}

#[test]
fn attempts_inside_the_delay_are_refused_without_checking_the_password() {
    let f = fixture().with_admin();
    assert_code!(
        f.vault.login(ADMIN_EMAIL, &"wrong but long enough".into()),
        InvalidCredentials
    );
    let calls = f.vault.argon2_calls();
    match f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()) {
        Err(vault::Error::Locked { retry_after }) => assert_eq!(retry_after, 1),
        other => panic!("expected Locked, got {other:?}"),
    }
    assert_eq!(
        f.vault.argon2_calls(),
        calls,
        "a throttled attempt does no hashing"
    );
    f.clock.advance(1);
    assert!(f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).is_ok());
}

#[test]
fn unknown_emails_are_throttled_exactly_like_known_ones() {
    let f = fixture().with_admin();
    for _ in 0..3 {
        for email in [ADMIN_EMAIL, "nobody@clinic.example"] {
            let _ = f.vault.login(email, &"wrong but long enough".into());
        }
        f.clock.advance(1);
    }
    let known = f
        .vault
        .login(ADMIN_EMAIL, &"wrong but long enough".into())
        .unwrap_err()
        .reply();
    let unknown = f
        .vault
        .login("nobody@clinic.example", &"wrong but long enough".into())
        .unwrap_err()
        .reply();
    assert_eq!(known.code, unknown.code);
    assert_eq!(known.retry_after, unknown.retry_after);
}

#[test]
fn the_throttle_survives_a_restart() {
    let f = fixture().with_admin();
    let _ = f.vault.login(ADMIN_EMAIL, &"wrong but long enough".into());
    let restarted = f.restarted();
    assert_code!(restarted.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()), Locked);
}

#[test]
fn a_hundred_failures_lock_until_an_admin_unlocks_or_a_day_passes() {
    let f = fixture().with_admin();
    let (_, clerk) = f.signed_in_clerk();
    for _ in 0..100 {
        f.clock.advance(10);
        assert_code!(
            clerk.login("clerk@shop.example", &"a wrong long guess".into()),
            InvalidCredentials
        );
    }
    f.clock.advance(60);
    assert_code!(
        clerk.login("clerk@shop.example", &"till roll and receipts".into()),
        Locked
    );

    // The admin's own session went idle meanwhile.
    f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let locked = f.vault.locked_emails(&admin).unwrap();
    assert_eq!(locked.len(), 1);
    assert_eq!(locked[0].email, "clerk@shop.example");
    assert_eq!(locked[0].failures, 100);

    f.vault
        .unlock(
            &admin,
            &UnlockRequest {
                email: "Clerk@Shop.example".into(),
            },
        )
        .unwrap();
    assert!(
        clerk
            .login("clerk@shop.example", &"till roll and receipts".into())
            .is_ok()
    );
    let events = f.vault.audit_log(&admin, &AuditQuery::default()).unwrap();
    let names: Vec<_> = events.items.iter().map(|e| e.event).collect();
    assert!(names.contains(&AuditEvent::Lockout));
    assert!(names.contains(&AuditEvent::Unlock));
}

#[test]
fn a_lock_ends_by_itself_after_a_day() {
    let f = fixture().with_admin();
    f.vault.logout().unwrap();
    for _ in 0..100 {
        f.clock.advance(10);
        let _ = f.vault.login(ADMIN_EMAIL, &"a wrong long guess".into());
    }
    f.clock.advance(23 * 3600);
    assert_code!(f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()), Locked);
    f.clock.advance(3600);
    assert!(f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).is_ok());
}

#[test]
fn sensitive_admin_actions_need_a_recent_password_check() {
    let f = fixture().with_admin();
    let (id, _) = f.create("clerk@shop.example", Role::User, None);
    f.stay_active_for(6 * 60);
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    assert_code!(f.vault.set_role(&admin, id, Role::Admin), ReauthRequired);
    assert_code!(f.vault.reset_password(&admin, id), ReauthRequired);
    assert_code!(f.vault.delete_account(&admin, id), ReauthRequired);
    assert_code!(
        f.vault.export_audit(&admin, ExportFormat::Csv),
        ReauthRequired
    );
    // Disabling is not on the list.
    assert!(f.vault.set_disabled(&admin, id, true).is_ok());

    assert_code!(
        f.vault
            .reauthenticate(&session, &"not my password".into(), None),
        InvalidCredentials
    );
    f.clock.advance(1);
    f.vault
        .reauthenticate(&session, &ADMIN_PASSWORD.into(), None)
        .unwrap();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    assert!(f.vault.set_role(&admin, id, Role::Admin).is_ok());
    f.stay_active_for(5 * 60 + 1);
    let session = f.vault.verify_session().unwrap();
    assert_code!(
        f.vault
            .delete_account(&require_admin(&session).unwrap(), id),
        ReauthRequired
    );
}

/// An admin walked away from the desk: whoever sits down may read and take access away
/// from users, but gets no credential and no lasting privilege.
#[test]
fn a_stale_admin_session_yields_no_new_credential_or_lasting_privilege() {
    let f = fixture().with_admin();
    let (user, _) = f.create("clerk@shop.example", Role::User, None);
    let (other_admin, _) = f.create("second@clinic.example", Role::Admin, None);
    let (disabled, _) = f.create("former@shop.example", Role::User, None);
    {
        let session = f.vault.verify_session().unwrap();
        let admin = require_admin(&session).unwrap();
        f.vault.set_disabled(&admin, disabled, true).unwrap();
    }
    let _ = f
        .vault
        .login("guessed@shop.example", &"a wrong long guess".into());
    f.stay_active_for(6 * 60);
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let account = |role| NewAccount {
        email: "intruder@shop.example".into(),
        display_name: "Intruder".into(),
        role,
        team: None,
        phone: None,
    };
    let rename = |id| AccountUpdate {
        id,
        display_name: "Renamed".into(),
        team: Some("elsewhere".into()),
        phone: None,
    };
    assert_code!(
        f.vault.create_account(&admin, &account(Role::Admin)),
        ReauthRequired
    );
    assert_code!(
        f.vault.create_account(&admin, &account(Role::User)),
        ReauthRequired
    );
    assert_code!(
        f.vault.set_disabled(&admin, other_admin, true),
        ReauthRequired
    );
    assert_code!(
        f.vault.set_disabled(&admin, disabled, false),
        ReauthRequired
    );
    assert_code!(
        f.vault.update_account(&admin, &rename(other_admin)),
        ReauthRequired
    );
    let unlock = UnlockRequest {
        email: "guessed@shop.example".into(),
    };
    assert_code!(f.vault.unlock(&admin, &unlock), ReauthRequired);
    assert_code!(f.vault.acknowledge_break_glass(&admin), ReauthRequired);
    // The desk's daily work goes on.
    assert!(f.vault.update_account(&admin, &rename(user)).is_ok());
    assert!(f.vault.set_disabled(&admin, user, true).is_ok());
    assert!(
        f.vault
            .list_accounts(&admin, &vault::ListQuery::default())
            .is_ok()
    );
}

#[test]
fn the_audit_log_records_the_story_and_never_a_secret() {
    let f = fixture().with_admin();
    let (id, temporary) = f.create("clerk@shop.example", Role::User, None);
    let _ = f
        .vault
        .login("nobody@clinic.example", &"a wrong long guess".into());
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    f.vault.set_role(&admin, id, Role::Admin).unwrap();
    let export = f.vault.export_audit(&admin, ExportFormat::Jsonl).unwrap();
    for secret in [
        ADMIN_PASSWORD,
        temporary.as_str(),
        "a wrong long guess",
        "$argon2id",
    ] {
        assert!(!export.contains(secret), "export contains {secret}");
    }
    let page = f.vault.audit_log(&admin, &AuditQuery::default()).unwrap();
    let events: Vec<_> = page.items.iter().rev().map(|e| e.event).collect();
    assert_eq!(
        events,
        [
            AuditEvent::FirstAdminCreated,
            AuditEvent::SignIn,
            AuditEvent::AccountCreated,
            AuditEvent::SignIn,
            AuditEvent::RoleChanged,
            AuditEvent::AuditExported
        ]
    );
    // The failed sign-in for an unknown email does not record the email typed.
    let failed = page
        .items
        .iter()
        .find(|e| e.event == AuditEvent::SignIn && e.outcome == vault::Outcome::Failure)
        .unwrap();
    assert_eq!(failed.target_email, None);
    // Filters.
    let only_roles = f
        .vault
        .audit_log(
            &admin,
            &AuditQuery {
                event: Some(AuditEvent::RoleChanged),
                ..AuditQuery::default()
            },
        )
        .unwrap();
    assert_eq!(only_roles.items.len(), 1);
    assert_eq!(only_roles.items[0].detail.as_deref(), Some("admin"));
    let about_clerk = f
        .vault
        .audit_log(
            &admin,
            &AuditQuery {
                account: Some(id),
                ..AuditQuery::default()
            },
        )
        .unwrap();
    assert_eq!(about_clerk.items.len(), 2);
    assert!(export.lines().count() >= 5);
}

fn audit_fixture() -> (crate::Fixture, rusqlite::Connection) {
    let f = fixture().with_admin();
    for i in 0..5 {
        f.create(&format!("staff{i}@lab.example"), Role::User, None);
    }
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    // An attacker with the file drops the guard triggers first.
    conn.execute_batch(
        "DROP TRIGGER audit_log_is_append_only_update; DROP TRIGGER audit_log_is_append_only_delete;",
    )
    .unwrap();
    (f, conn)
}

fn first_broken(f: &crate::Fixture) -> Option<i64> {
    let session = f.vault.verify_session().unwrap();
    let report = f
        .vault
        .verify_audit_chain(&require_admin(&session).unwrap())
        .unwrap();
    assert_eq!(report.intact, report.first_broken.is_none());
    report.first_broken
}

#[test]
fn an_untouched_chain_verifies() {
    let (f, _) = audit_fixture();
    assert_eq!(first_broken(&f), None);
}

#[test]
fn the_audit_log_refuses_updates_and_deletes_through_sql() {
    let f = fixture().with_admin();
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    assert!(
        conn.execute("UPDATE audit_log SET event = 'sign_out'", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
}

#[test]
fn an_edited_row_is_reported() {
    let (f, conn) = audit_fixture();
    conn.execute(
        "UPDATE audit_log SET target_email = 'someone@else.example' WHERE id = 4",
        [],
    )
    .unwrap();
    assert_eq!(first_broken(&f), Some(4));
}

#[test]
fn a_deleted_row_is_reported_at_the_next_one() {
    let (f, conn) = audit_fixture();
    conn.execute("DELETE FROM audit_log WHERE id = 3", [])
        .unwrap();
    assert_eq!(first_broken(&f), Some(4));
}

#[test]
fn reordered_rows_are_reported() {
    let (f, conn) = audit_fixture();
    conn.execute_batch(
        "UPDATE audit_log SET id = -1 WHERE id = 3;
         UPDATE audit_log SET id = 3 WHERE id = 4;
         UPDATE audit_log SET id = 4 WHERE id = -1;",
    )
    .unwrap();
    assert_eq!(first_broken(&f), Some(3));
}

#[test]
fn the_owner_hears_what_happened_since_their_last_sign_in() {
    let f = fixture().with_admin();
    let (id, clerk) = f.signed_in_clerk();
    clerk.logout().unwrap();
    f.clock.advance(60);
    let _ = clerk.login("clerk@shop.example", &"somebody guessing here".into());
    f.clock.advance(10);
    let session = f.vault.verify_session().unwrap();
    f.vault
        .update_account(
            &require_admin(&session).unwrap(),
            &vault::AccountUpdate {
                id,
                display_name: "Jo".into(),
                team: Some("tills".into()),
                phone: None,
            },
        )
        .unwrap();
    f.clock.advance(10);
    clerk
        .login("clerk@shop.example", &"till roll and receipts".into())
        .unwrap();
    let session = clerk.verify_session().unwrap();
    let notices: Vec<_> = clerk
        .since_last_sign_in(&session)
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(notices, [AuditEvent::ProfileUpdated, AuditEvent::SignIn]);
}

#[test]
fn the_first_open_calibrates_argon2_and_later_opens_reuse_it() {
    let f = fixture();
    let options = || vault::VaultOptions {
        hash_params: None,
        ..crate::options(&f.clock)
    };
    let first = vault::Vault::open(&f.path(), f.store.clone(), options()).unwrap();
    let params = first.hash_params();
    assert!(
        params.memory_kib() >= 19 * 1024 && params.iterations() >= 2 && params.lanes() == 1,
        "{params:?}"
    );
    drop(first);
    let again = vault::Vault::open(&f.path(), f.store.clone(), options()).unwrap();
    assert_eq!(again.hash_params(), params);
}

#[test]
fn break_glass_makes_a_temporary_admin_and_every_admin_hears_of_it() {
    let f = fixture().with_admin();
    let (id, _) = f.create("clerk@shop.example", Role::User, None);
    let tool = f.other_instance();
    let issued = tool
        .recover_admin("clerk@shop.example", "Jo Clerk")
        .unwrap();
    let clerk = f.other_instance();
    let user = clerk
        .login("clerk@shop.example", &issued.expose().into())
        .unwrap();
    assert_eq!((user.role, user.must_change_password), (Role::Admin, true));
    settle(
        &clerk,
        "clerk@shop.example",
        issued.expose(),
        "a fresh start for the tills",
    );

    f.clock.advance(1);
    f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let notice = f
        .vault
        .break_glass_notice(&admin)
        .unwrap()
        .expect("a notice");
    assert_eq!(notice.email, "clerk@shop.example");
    let events = f
        .vault
        .audit_log(
            &admin,
            &AuditQuery {
                account: Some(id),
                ..AuditQuery::default()
            },
        )
        .unwrap();
    assert!(
        events
            .items
            .iter()
            .any(|e| e.event == AuditEvent::BreakGlassUsed)
    );
    f.vault.acknowledge_break_glass(&admin).unwrap();
    assert_eq!(f.vault.break_glass_notice(&admin).unwrap(), None);

    // A new email gets a new admin account.
    let issued = tool
        .recover_admin("rescue@clinic.example", "Rescue")
        .unwrap();
    assert!(
        f.other_instance()
            .login("rescue@clinic.example", &issued.expose().into())
            .unwrap()
            .must_change_password
    );
}

#[test]
fn the_health_panel_counts_what_needs_attention() {
    let f = fixture().with_admin();
    f.create("clerk@shop.example", Role::User, None);
    let session = f.vault.verify_session().unwrap();
    let health = f
        .vault
        .security_health(&require_admin(&session).unwrap())
        .unwrap();
    assert_eq!(
        (
            health.accounts,
            health.admins,
            health.active_admins,
            health.never_signed_in
        ),
        (2, 1, 1, 1)
    );
    assert_eq!(health.locked_emails, 0);
    assert!(health.breached_list_size > 100_000);
}

#[test]
fn audit_pages_for_one_account_match_the_whole_log_filtered() {
    let f = fixture().with_admin();
    let mut staff = Vec::new();
    for i in 0..4 {
        staff.push(
            f.create(&format!("staff{i}@lab.example"), Role::User, None)
                .0,
        );
        f.clock.advance(1);
        f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    }
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    f.vault.set_role(&admin, staff[1], Role::Admin).unwrap();
    let admin_id = session.user_id();
    let everything = f
        .vault
        .audit_log(
            &admin,
            &AuditQuery {
                limit: Some(200),
                ..AuditQuery::default()
            },
        )
        .unwrap()
        .items;
    assert!(everything.len() > 10, "{}", everything.len());

    let mut checked = 0;
    for account in [admin_id, staff[1]] {
        for event in [
            None,
            Some(AuditEvent::AccountCreated),
            Some(AuditEvent::SignIn),
        ] {
            let expected: Vec<i64> = everything
                .iter()
                .filter(|e| e.actor_id == Some(account) || e.target_id == Some(account))
                .filter(|e| event.is_none_or(|wanted| e.event == wanted))
                .map(|e| e.id)
                .collect();
            checked += expected.len();
            let mut paged = Vec::new();
            let mut before = None;
            loop {
                let page = f
                    .vault
                    .audit_log(
                        &admin,
                        &AuditQuery {
                            account: Some(account),
                            event,
                            before,
                            limit: Some(2),
                            ..AuditQuery::default()
                        },
                    )
                    .unwrap();
                paged.extend(page.items.iter().map(|e| e.id));
                match page.next_cursor {
                    Some(cursor) => before = Some(cursor),
                    None => break,
                }
            }
            assert_eq!(paged, expected, "{account:?} {event:?}");
        }
    }
    assert!(checked > 20, "{checked}");
}

/// 2026-11-27 00:30 in Korea is 2026-11-26 15:30 UTC: the chart puts that sign-in on the
/// 27th for a viewer in Korea, as the date filters do, and on the 26th in UTC.
#[test]
fn the_sign_in_chart_counts_by_the_viewers_local_day() {
    const NOV_26_UTC: i64 = 1_795_651_200;
    const NOV_27_UTC: i64 = NOV_26_UTC + 86_400;
    let f = crate::fixture();
    f.clock.set(NOV_26_UTC + 15 * 3600 + 30 * 60);
    let f = f.with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let korea = f.vault.sign_in_stats(&admin, 30, 9 * 60).unwrap();
    assert_eq!(
        korea.last().map(|d| (d.day, d.succeeded)),
        Some((NOV_27_UTC, 1))
    );
    let utc = f.vault.sign_in_stats(&admin, 30, 0).unwrap();
    assert_eq!(
        utc.last().map(|d| (d.day, d.succeeded)),
        Some((NOV_26_UTC, 1))
    );
    assert_code!(f.vault.sign_in_stats(&admin, 30, 15 * 60), Validation);
}
