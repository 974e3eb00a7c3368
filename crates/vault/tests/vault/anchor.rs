//! Rows cut from the end of the audit log: invisible to the hash chain, found by the
//! anchor kept outside the file.

use vault::{AuditEvent, AuditQuery, Role, TailCheck, require_admin};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, Fixture, fixture};

/// Deletes every audit row after `keep`, as someone with the file and a SQLite shell
/// would: the append-only triggers dropped first.
fn cut_after(f: &Fixture, keep: i64) {
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_log_is_append_only_delete;
         DROP TRIGGER audit_log_is_append_only_update;",
    )
    .unwrap();
    conn.execute("DELETE FROM audit_log WHERE id > ?1", [keep])
        .unwrap();
}

fn last_row(f: &Fixture) -> i64 {
    let conn = rusqlite::Connection::open(f.path()).unwrap();
    conn.query_row("SELECT max(id) FROM audit_log", [], |row| row.get(0))
        .unwrap()
}

#[test]
fn a_cut_tail_is_reported_by_verification_and_recorded_at_the_next_sign_out() {
    let f = fixture().with_admin();
    // The sign-in anchored its own audit row.
    let anchored = last_row(&f);
    f.create("clerk@shop.example", Role::User, None);
    f.create("porter@shop.example", Role::User, None);
    cut_after(&f, anchored - 1);

    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let report = f.vault.verify_audit_chain(&admin).unwrap();
    assert_eq!(
        report.first_broken, None,
        "the chain alone cannot see a cut tail"
    );
    assert_eq!(
        report.tail,
        TailCheck::Cut {
            anchored,
            last: anchored - 1
        }
    );
    assert!(!report.intact);

    // Signing out records the loss in the log itself, then anchors past it.
    f.clock.advance(60);
    f.vault.logout().unwrap();
    f.clock.advance(1);
    f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let report = f.vault.verify_audit_chain(&admin).unwrap();
    assert!(report.intact, "{report:?}");
    assert!(matches!(report.tail, TailCheck::Found { .. }));
    let query = AuditQuery {
        event: Some(AuditEvent::AuditTailMissing),
        ..AuditQuery::default()
    };
    let recorded = f.vault.audit_log(&admin, &query).unwrap().items;
    assert_eq!(recorded.len(), 1);
    // The admin hears of it on signing in.
    let notices = f.vault.since_last_sign_in(&session).unwrap();
    assert!(
        notices
            .iter()
            .any(|e| e.event == AuditEvent::AuditTailMissing)
    );
    assert_eq!(
        recorded[0].detail.as_deref(),
        Some(format!("rows {anchored} to {anchored} were removed from the end").as_str())
    );
}

#[test]
fn a_cut_tail_written_over_with_new_rows_is_found_too() {
    let f = fixture().with_admin();
    let anchored = last_row(&f);
    cut_after(&f, anchored - 2);
    // The app goes on writing: new rows take the cut rows' numbers.
    for n in 0..3 {
        let _ = f.vault.login(
            &format!("someone{n}@shop.example"),
            &"a wrong long guess".into(),
        );
    }
    let session = f.vault.verify_session().unwrap();
    let report = f
        .vault
        .verify_audit_chain(&require_admin(&session).unwrap())
        .unwrap();
    assert_eq!(report.first_broken, None);
    assert_eq!(report.tail, TailCheck::Rewritten { seq: anchored });
    assert!(!report.intact);
}
