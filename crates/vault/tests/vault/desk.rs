//! Several people signed in at one computer: one active, the others locked; switching
//! between them; the limit on how many; the list the lock screen shows.

use vault::{AuditEvent, AuditQuery, LockReason, Role, SessionPolicy, Vault, require_admin};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, CLERK_PASSWORD, assert_code, fixture, settle};

const CLERK_EMAIL: &str = "clerk@shop.example";

/// The admin signed in, then the clerk on the same computer.
fn admin_then_clerk() -> (crate::Fixture, vault::UserId) {
    let f = fixture().with_admin();
    let (clerk, temporary) = f.create(CLERK_EMAIL, Role::User, None);
    f.clock.advance(1);
    settle(&f.vault, CLERK_EMAIL, &temporary, CLERK_PASSWORD);
    (f, clerk)
}

fn session_of(vault: &Vault, email: &str) -> String {
    let screen = vault.locked_session().unwrap().expect("locked");
    screen
        .people
        .into_iter()
        .find(|person| person.email == email)
        .unwrap_or_else(|| panic!("{email} is not on the lock screen"))
        .session_id
}

fn audit(f: &crate::Fixture, event: AuditEvent) -> Vec<vault::AuditEntry> {
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let query = AuditQuery {
        event: Some(event),
        ..AuditQuery::default()
    };
    f.vault.audit_log(&admin, &query).unwrap().items
}

#[test]
fn signing_someone_else_in_locks_the_active_session_instead_of_ending_it() {
    let (f, clerk) = admin_then_clerk();
    let session = f.vault.verify_session().unwrap();
    assert_eq!(session.user_id(), clerk);
    assert_code!(require_admin(&session), Forbidden);
    // The clerk is active, so there is no lock screen; once they lock, it lists both,
    // starting on the clerk, the admin's lock saying why.
    assert_eq!(f.vault.locked_session().unwrap(), None);
    f.vault.lock_session(LockReason::Manual).unwrap();
    let screen = f.vault.locked_session().unwrap().unwrap();
    let people: Vec<_> = screen
        .people
        .iter()
        .map(|p| (p.email.as_str(), p.reason))
        .collect();
    assert_eq!(
        people,
        [
            (CLERK_EMAIL, LockReason::Manual),
            (ADMIN_EMAIL, LockReason::Switch)
        ]
    );
    assert_eq!(
        screen.last.as_deref(),
        Some(screen.people[0].session_id.as_str())
    );
    assert!(screen.show_people);
}

#[test]
fn unlocking_someone_else_switches_to_them_and_locks_whoever_was_active() {
    let (f, clerk) = admin_then_clerk();
    f.vault.lock_session(LockReason::Manual).unwrap();
    let admin_session = session_of(&f.vault, ADMIN_EMAIL);
    let clerk_session = session_of(&f.vault, CLERK_EMAIL);
    // The clerk's password does not open the admin's session.
    assert_code!(
        f.vault
            .unlock_session(&admin_session, &CLERK_PASSWORD.into()),
        InvalidCredentials
    );
    f.clock.advance(2);
    let admin = f
        .vault
        .unlock_session(&admin_session, &ADMIN_PASSWORD.into())
        .unwrap();
    assert_eq!(admin.email, ADMIN_EMAIL);
    assert_eq!(f.vault.verify_session().unwrap().role(), Role::Admin);

    // Unlocking the clerk's session while the admin's is active locks the admin's:
    // the verified check of one person never serves the other.
    f.clock.advance(1);
    let user = f
        .vault
        .unlock_session(&clerk_session, &CLERK_PASSWORD.into())
        .unwrap();
    assert_eq!(user.id, clerk);
    let session = f.vault.verify_session().unwrap();
    assert_eq!(session.user_id(), clerk);
    assert_code!(require_admin(&session), Forbidden);
    f.vault.lock_session(LockReason::Manual).unwrap();
    let screen = f.vault.locked_session().unwrap().unwrap();
    let admin_now = screen
        .people
        .iter()
        .find(|p| p.email == ADMIN_EMAIL)
        .unwrap();
    assert_eq!(admin_now.reason, LockReason::Switch);

    // Every change of person is in the audit log, by the newcomer, on the one before.
    f.vault
        .unlock_session(&admin_session, &ADMIN_PASSWORD.into())
        .unwrap();
    let switches = audit(&f, AuditEvent::SessionSwitched);
    let mut pairs: Vec<_> = switches
        .iter()
        .map(|e| (e.actor_email.as_deref(), e.target_email.as_deref()))
        .collect();
    pairs.reverse();
    assert_eq!(
        pairs,
        [
            (Some(CLERK_EMAIL), Some(ADMIN_EMAIL)),
            (Some(ADMIN_EMAIL), Some(CLERK_EMAIL)),
            (Some(CLERK_EMAIL), Some(ADMIN_EMAIL)),
            (Some(ADMIN_EMAIL), Some(CLERK_EMAIL)),
        ]
    );
}

#[test]
fn a_person_signing_in_again_replaces_their_own_session_and_keeps_the_others() {
    let (f, _) = admin_then_clerk();
    f.clock.advance(1);
    f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    f.clock.advance(1);
    f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    assert_eq!(f.store.tokens().len(), 2, "one session per person");
    f.vault.lock_session(LockReason::Manual).unwrap();
    let screen = f.vault.locked_session().unwrap().unwrap();
    let emails: Vec<_> = screen.people.iter().map(|p| p.email.as_str()).collect();
    assert_eq!(emails, [ADMIN_EMAIL, CLERK_EMAIL]);
}

#[test]
fn the_ninth_person_ends_the_locked_session_used_least_recently() {
    let f = fixture().with_admin();
    let mut people = Vec::new();
    for n in 0..SessionPolicy::DESK_SESSIONS {
        let email = format!("person{n}@shop.example");
        let (_, temporary) = {
            f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
            f.create(&email, Role::User, None)
        };
        f.clock.advance(1);
        f.vault.login(&email, &temporary.as_str().into()).unwrap();
        people.push(email);
    }
    // The admin's session was replaced at each of their sign-ins and locked by each
    // newcomer; the eighth person's sign-in made nine, so the oldest locked one went.
    assert_eq!(f.store.tokens().len(), SessionPolicy::DESK_SESSIONS);
    f.vault.lock_session(LockReason::Manual).unwrap();
    let screen = f.vault.locked_session().unwrap().unwrap();
    let emails: Vec<_> = screen.people.iter().map(|p| p.email.clone()).collect();
    assert_eq!(emails.len(), SessionPolicy::DESK_SESSIONS);
    assert!(!emails.contains(&people[0]), "{emails:?}");
    f.vault
        .unlock_session(&session_of(&f.vault, ADMIN_EMAIL), &ADMIN_PASSWORD.into())
        .unwrap();
    let ended = audit(&f, AuditEvent::SessionExpired);
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].detail.as_deref(), Some("desk_full"));
    assert_eq!(ended[0].target_email.as_deref(), Some(people[0].as_str()));
}

#[test]
fn every_session_comes_back_after_a_restart_and_stays_locked() {
    let (f, clerk) = admin_then_clerk();
    let restarted = f.restarted();
    assert_eq!(restarted.verify_session().unwrap().user_id(), clerk);
    restarted.lock_session(LockReason::Manual).unwrap();
    let restarted = f.restarted();
    assert_code!(restarted.verify_session(), SessionLocked);
    let screen = restarted.locked_session().unwrap().unwrap();
    assert_eq!(screen.people.len(), 2);
    assert_eq!(screen.people[0].email, CLERK_EMAIL, "the last person first");
    assert_eq!(
        screen.last.as_deref(),
        Some(screen.people[0].session_id.as_str())
    );
}

#[test]
fn signing_out_ends_only_the_person_at_the_keyboard() {
    let (f, _) = admin_then_clerk();
    f.vault.logout().unwrap();
    assert_code!(f.vault.verify_session(), NotAuthenticated);
    let screen = f.vault.locked_session().unwrap().unwrap();
    assert_eq!(screen.last, None, "nobody was at the keyboard");
    let emails: Vec<_> = screen.people.iter().map(|p| p.email.as_str()).collect();
    assert_eq!(emails, [ADMIN_EMAIL]);
    // From the lock screen, sign-out ends the person it starts on, if any: here nobody.
    f.vault.logout().unwrap();
    assert_eq!(f.store.tokens().len(), 1);
}

#[test]
fn an_unlock_names_a_session_held_here_or_gets_nothing() {
    let (f, _) = admin_then_clerk();
    f.vault.lock_session(LockReason::Manual).unwrap();
    // A session of this vault that this computer does not hold (another desk's).
    let elsewhere = f.other_instance();
    elsewhere
        .login(ADMIN_EMAIL, &ADMIN_PASSWORD.into())
        .unwrap();
    elsewhere.lock_session(LockReason::Manual).unwrap();
    let foreign = crate::last_id(&elsewhere);
    assert_code!(
        f.vault.unlock_session(&foreign, &ADMIN_PASSWORD.into()),
        NotAuthenticated
    );
    assert_code!(
        f.vault.unlock_with_pin(&foreign, &"274915".into()),
        NotAuthenticated
    );
    assert_code!(
        f.vault.unlock_session("", &ADMIN_PASSWORD.into()),
        NotAuthenticated
    );
}

#[test]
fn an_admin_can_hide_the_list_of_people() {
    let (f, _) = admin_then_clerk();
    f.vault.lock_session(LockReason::Manual).unwrap();
    f.vault
        .unlock_session(&session_of(&f.vault, ADMIN_EMAIL), &ADMIN_PASSWORD.into())
        .unwrap();
    let session = f.vault.verify_session().unwrap();
    let hidden = vault::DeskSettingsUpdate {
        auto_lock_minutes: 5,
        pin_window_hours: 8,
        show_people: false,
    };
    let settings = f
        .vault
        .update_desk_settings(&require_admin(&session).unwrap(), &hidden)
        .unwrap();
    assert!(!settings.show_people);
    f.vault.lock_session(LockReason::Manual).unwrap();
    let screen = f.vault.locked_session().unwrap().unwrap();
    assert!(!screen.show_people);
    assert!(screen.people.is_empty(), "no names while hidden");
    assert_eq!(screen.last, None);
    // A full sign-in is the way back; it replaces the person's own session.
    f.clock.advance(1);
    f.vault.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    assert_eq!(f.store.tokens().len(), 2);
    // The setting is audited and survives a restart.
    let changes = audit(&f, AuditEvent::SettingsChanged);
    assert_eq!(changes[0].detail.as_deref(), Some("show_people 1 -> 0"));
    let restarted = f.restarted();
    restarted.lock_session(LockReason::Manual).unwrap();
    assert!(!restarted.locked_session().unwrap().unwrap().show_people);
}
