//! Accounts CSV import and export against a real vault file: the check before anything
//! is written, all or nothing, step-up, the audit, 10,000 rows, formula defusing.

use vault::{
    AccountsCsv, AuditEvent, AuditQuery, Error, ImportProgress, Invalid, Role, RowProblem,
    require_admin,
};

use crate::{ADMIN_PASSWORD, assert_code, fixture};

fn csv(text: &str) -> AccountsCsv {
    AccountsCsv { csv: text.into() }
}

fn events(f: &crate::Fixture, event: AuditEvent) -> Vec<Option<String>> {
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let query = AuditQuery {
        event: Some(event),
        limit: Some(100),
        ..AuditQuery::default()
    };
    f.vault
        .audit_log(&admin, &query)
        .unwrap()
        .items
        .into_iter()
        .map(|entry| entry.detail)
        .collect()
}

#[test]
fn an_import_makes_every_account_with_a_temporary_password_that_signs_in_once() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let file = csv(
        "email,name,role,team,phone\nmina@clinic.example,Mina Park,user,front desk,+82 10-1234-5678\nlee@clinic.example,Lee Jun,admin,,\n",
    );
    let check = f.vault.check_import(&admin, &file).unwrap();
    assert_eq!((check.rows, check.admins, check.problem_count), (2, 1, 0));

    let mut heard = Vec::new();
    let made = f
        .vault
        .import_accounts(&admin, &file, &mut |p| heard.push(p))
        .unwrap();
    assert_eq!(heard.first(), Some(&ImportProgress { done: 0, total: 2 }));
    assert_eq!(heard.last(), Some(&ImportProgress { done: 2, total: 2 }));
    assert_eq!(made.len(), 2);
    assert_eq!(made[1].role, Role::Admin);

    // The temporary password signs in once and must be replaced.
    let desk = f.other_instance();
    let user = desk
        .login(
            "mina@clinic.example",
            &made[0].temporary_password.expose().into(),
        )
        .unwrap();
    assert!(user.must_change_password);
    assert_eq!(user.team.as_deref(), Some("front desk"));
    assert_eq!(
        events(&f, AuditEvent::AccountCreated),
        [Some("admin (import)".into()), Some("user (import)".into())]
    );
    // The same file again: every email is taken now, and the check says where.
    let again = f.vault.check_import(&admin, &file).unwrap();
    let lines: Vec<(u64, RowProblem)> = again
        .problems
        .into_iter()
        .map(|p| (p.line, p.problem))
        .collect();
    assert_eq!(
        lines,
        [(2, RowProblem::EmailTaken), (3, RowProblem::EmailTaken)]
    );
}

#[test]
fn a_file_with_any_problem_writes_nothing() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let file = csv("email,name\ngood@clinic.example,Good Row\nbad-email,Bad Row\n");
    let check = f.vault.check_import(&admin, &file).unwrap();
    assert_eq!(check.problem_count, 1);
    match f.vault.import_accounts(&admin, &file, &mut |_| {}) {
        Err(Error::Validation { field, reason }) => {
            assert_eq!((field.as_ref(), reason), ("csv", Invalid::Malformed));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let desk = f.other_instance();
    assert_code!(
        desk.login("good@clinic.example", &"anything at all here".into()),
        InvalidCredentials
    );
    assert!(events(&f, AuditEvent::AccountCreated).is_empty());
}

#[test]
fn an_import_and_an_export_need_a_recent_password_check() {
    let f = fixture().with_admin();
    f.stay_active_for(6 * 60);
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let file = csv("email,name\nmina@clinic.example,Mina Park\n");
    // Checking writes nothing and needs no password.
    assert_eq!(f.vault.check_import(&admin, &file).unwrap().rows, 1);
    let mut heard = 0;
    assert_code!(
        f.vault.import_accounts(&admin, &file, &mut |_| heard += 1),
        ReauthRequired
    );
    assert_eq!(heard, 0, "no temporary password was made");
    assert_code!(f.vault.export_accounts(&admin), ReauthRequired);
    f.vault
        .reauthenticate(&session, &ADMIN_PASSWORD.into(), None)
        .unwrap();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    assert_eq!(
        f.vault
            .import_accounts(&admin, &file, &mut |_| {})
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn an_export_defuses_formulas_and_imports_back_into_another_vault() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let file = csv(
        "email,name,team\nmina@clinic.example,Mina Park,\"front desk, east\"\nsly@clinic.example,=HYPERLINK(\"http://x.example\"),@team\n",
    );
    f.vault.import_accounts(&admin, &file, &mut |_| {}).unwrap();
    let exported = f.vault.export_accounts(&admin).unwrap();
    let lines: Vec<&str> = exported.lines().collect();
    assert_eq!(
        lines[0],
        "email,name,role,team,phone,status,created_utc,last_sign_in_utc"
    );
    assert!(lines[1].starts_with("admin@clinic.example,Ada Admin,admin,,,active,"));
    assert!(
        lines[2].starts_with("mina@clinic.example,Mina Park,user,\"front desk, east\",,active,")
    );
    assert!(
        lines[3].starts_with(
            "sly@clinic.example,\"'=HYPERLINK(\"\"http://x.example\"\")\",user,'@team,"
        ),
        "{}",
        lines[3]
    );
    assert_eq!(
        events(&f, AuditEvent::AccountsExported),
        [Some("3 accounts".into())]
    );

    // Another desk's vault takes the export as it is (its extra columns are ignored).
    let other = fixture();
    other
        .vault
        .create_first_admin(&crate::first_admin("owner@lab.example", ADMIN_PASSWORD))
        .unwrap();
    let session = other.vault.verify_session().unwrap();
    let owner = require_admin(&session).unwrap();
    let check = other.vault.check_import(&owner, &csv(&exported)).unwrap();
    assert_eq!((check.rows, check.admins, check.problem_count), (3, 1, 0));
    // The apostrophes the export added are taken off again: the names come back as
    // they were, not as text a spreadsheet was kept from running.
    other
        .vault
        .reauthenticate(&session, &ADMIN_PASSWORD.into(), None)
        .unwrap();
    let owner = require_admin(&session).unwrap();
    let made = other
        .vault
        .import_accounts(&owner, &csv(&exported), &mut |_| {})
        .unwrap();
    let sly = made
        .iter()
        .find(|account| account.email == "sly@clinic.example")
        .unwrap();
    assert_eq!(sly.display_name, "=HYPERLINK(\"http://x.example\")");
    let page = other
        .vault
        .list_accounts(
            &owner,
            &vault::ListQuery {
                search: Some("sly@".into()),
                ..vault::ListQuery::default()
            },
        )
        .unwrap();
    assert_eq!(page.items[0].team.as_deref(), Some("@team"));
}

#[test]
fn ten_thousand_rows_import_in_one_transaction_with_progress() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let mut text = String::from("email,name,role,team\n");
    for i in 0..10_000 {
        let role = if i % 500 == 0 { "admin" } else { "user" };
        text.push_str(&format!(
            "person{i:05}@school.example,Person {i},{role},class {}\n",
            i % 30
        ));
    }
    let file = csv(&text);
    let check = f.vault.check_import(&admin, &file).unwrap();
    assert_eq!(
        (check.rows, check.admins, check.problem_count),
        (10_000, 20, 0)
    );

    let mut heard: Vec<ImportProgress> = Vec::new();
    let made = f
        .vault
        .import_accounts(&admin, &file, &mut |p| heard.push(p))
        .unwrap();
    assert_eq!(made.len(), 10_000);
    assert!(
        heard.windows(2).all(|w| w[0].done <= w[1].done),
        "progress only grows"
    );
    assert_eq!(heard.last().unwrap().done, 10_000);
    assert!(heard.len() >= 100, "about every 1%: {}", heard.len());
    let report = f.vault.verify_audit_chain(&admin).unwrap();
    assert!(report.intact);
    // One row per account, after the first admin's creation and sign-in.
    assert_eq!(report.rows, 2 + 10_000);
}
