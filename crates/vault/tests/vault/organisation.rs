//! Organisation sign-in, the vault's half: provider setup, linking by `(provider,
//! subject)`, the token's updates, a local disable that holds, and the bounded offline
//! sign-in (window, clock turned back, provider reachable). The verified identity stands
//! in for the protocol, which `crates/oidc` and the plugin's tests run against a real
//! provider.

use serde_json::json;
use vault::{
    AuditEvent, AuditQuery, Conflict, Error, ProviderDocuments, ProviderIdentity, ProviderSetup,
    Role, SecondFactorPolicy, Session, Vault, require_admin,
};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, Fixture, assert_code, fixture};

const ISSUER: &str = "https://id.clinic.example/realms/desk";
const DAY: i64 = 24 * 60 * 60;

fn setup() -> ProviderSetup {
    ProviderSetup {
        name: "Clinic ID".into(),
        issuer: ISSUER.into(),
        client_id: "latchkey-desk".into(),
        scopes: "openid email profile groups".into(),
        email_claim: String::new(),
        admin_claim: "groups".into(),
        admin_value: "desk-admins".into(),
        link_by_email: false,
        offline_days: 7,
    }
}

fn documents(issuer: &str) -> ProviderDocuments {
    ProviderDocuments {
        issuer: issuer.into(),
        metadata: format!(r#"{{"issuer":"{issuer}"}}"#),
        jwks: r#"{"keys":[]}"#.into(),
    }
}

fn add(f: &Fixture, setup: &ProviderSetup) -> i64 {
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    f.vault
        .add_identity_provider(&admin, setup, &documents(&setup.issuer))
        .unwrap()
        .id
}

fn person(subject: &str, email: &str, name: &str, groups: &[&str]) -> ProviderIdentity {
    let claims = json!({
        "sub": subject,
        "email": email,
        "email_verified": true,
        "name": name,
        "groups": groups,
    });
    ProviderIdentity {
        issuer: ISSUER.into(),
        subject: subject.into(),
        claims: claims.as_object().unwrap().clone(),
    }
}

/// The audit rows of `event`, newest first, read by the admin at another instance.
fn events(f: &Fixture, event: AuditEvent) -> Vec<vault::AuditEntry> {
    let console = f.other_instance();
    console.login(ADMIN_EMAIL, &ADMIN_PASSWORD.into()).unwrap();
    let session = console.verify_session().unwrap();
    let query = AuditQuery {
        event: Some(event),
        ..AuditQuery::default()
    };
    let rows = console
        .audit_log(&require_admin(&session).unwrap(), &query)
        .unwrap()
        .items;
    console.logout().unwrap();
    rows
}

/// Lets `seconds` pass with the person at `vault` busy (a checked command a minute).
fn busy(f: &Fixture, vault: &Vault, seconds: i64) {
    let mut left = seconds;
    while left > 0 {
        let step = left.min(60);
        f.clock.advance(step);
        vault.verify_session().unwrap();
        left -= step;
    }
}

fn conflict<T: std::fmt::Debug>(result: vault::Result<T>) -> Conflict {
    match result {
        Err(Error::Conflict(conflict)) => conflict,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn setup_is_checked_before_anything_is_stored() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    type Change = fn(&mut ProviderSetup);
    let cases: [(Change, &str); 9] = [
        (|s| s.issuer = "http://id.clinic.example".into(), "issuer"),
        (|s| s.issuer = "ftp://id.clinic.example".into(), "issuer"),
        (
            |s| s.issuer = "https://id.clinic.example/?a=b".into(),
            "issuer",
        ),
        (|s| s.issuer = "https://".into(), "issuer"),
        (|s| s.client_id = "  ".into(), "clientId"),
        (|s| s.scopes = "email \"profile\"".into(), "scopes"),
        (|s| s.admin_value = String::new(), "adminValue"),
        (|s| s.offline_days = 91, "offlineDays"),
        (|s| s.name = String::new(), "name"),
    ];
    for (change, field) in cases {
        let mut bad = setup();
        change(&mut bad);
        match f
            .vault
            .add_identity_provider(&admin, &bad, &documents(&bad.issuer))
        {
            Err(Error::Validation { field: got, .. }) => assert_eq!(got, field, "{bad:?}"),
            other => panic!("expected a validation error on {field}, got {other:?}"),
        }
    }
    // Documents that name another issuer than the one typed.
    let wrong =
        f.vault
            .add_identity_provider(&admin, &setup(), &documents("https://elsewhere.example"));
    assert_eq!(conflict(wrong), Conflict::ProviderInvalid);
    assert!(f.vault.organisation_providers().unwrap().is_empty());

    // A provider on this computer may use plain http.
    let mut local = setup();
    local.issuer = "http://127.0.0.1:8080/realms/desk".into();
    local.scopes = "openid  email".into();
    let added = f
        .vault
        .add_identity_provider(&admin, &local, &documents(&local.issuer))
        .unwrap();
    assert_eq!(
        added.setup.scopes, "email",
        "openid is always asked, not stored"
    );
    assert_eq!(added.setup.email_claim, "email", "the default claim");
    let again = f
        .vault
        .add_identity_provider(&admin, &local, &documents(&local.issuer));
    assert_eq!(conflict(again), Conflict::ProviderExists);
}

#[test]
fn changing_providers_needs_a_fresh_password_check_and_is_audited() {
    let f = fixture().with_admin();
    f.stay_active_for(Session::STEP_UP_SECONDS + 1);
    {
        let session = f.vault.verify_session().unwrap();
        let admin = require_admin(&session).unwrap();
        assert_code!(
            f.vault
                .add_identity_provider(&admin, &setup(), &documents(ISSUER)),
            ReauthRequired
        );
        f.vault
            .reauthenticate(&session, &ADMIN_PASSWORD.into(), None)
            .unwrap();
    }
    let id = add(&f, &setup());
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let mut changed = setup();
    changed.offline_days = 3;
    changed.issuer = "https://other.example".into();
    assert_code!(
        f.vault
            .update_identity_provider(&admin, id, &changed, &documents(&changed.issuer)),
        NotFound
    );
    changed.issuer = ISSUER.into();
    let updated = f
        .vault
        .update_identity_provider(&admin, id, &changed, &documents(ISSUER))
        .unwrap();
    assert_eq!(updated.setup.offline_days, 3);
    f.vault.remove_identity_provider(&admin, id).unwrap();
    assert_code!(f.vault.remove_identity_provider(&admin, id), NotFound);
    let details: Vec<String> = events(&f, AuditEvent::IdentityProviderChanged)
        .into_iter()
        .filter_map(|e| e.detail)
        .collect();
    assert_eq!(details.len(), 3, "{details:?}");
    assert!(details[0].starts_with("removed Clinic ID"), "{details:?}");
    assert!(
        details[1].contains("offlineDays \"7\" -> \"3\""),
        "{details:?}"
    );
    assert!(details[2].starts_with("added Clinic ID"), "{details:?}");
}

#[test]
fn a_first_sign_in_makes_a_linked_account_with_the_mapped_role_and_no_password() {
    let f = fixture().with_admin();
    let id = add(&f, &setup());
    let listed = f.vault.organisation_providers().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "Clinic ID");

    let desk = f.other_instance();
    let mina = person(
        "mina-0001",
        "Mina@Clinic.example",
        "Mina Park",
        &["desk-admins"],
    );
    let signed_in = desk.sign_in_with_provider(id, &mina).unwrap();
    assert_eq!(signed_in.email, "mina@clinic.example");
    assert_eq!(signed_in.display_name, "Mina Park");
    assert_eq!(signed_in.role, Role::Admin);
    assert!(!signed_in.must_change_password);
    let session = desk.verify_session().unwrap();
    let link = desk.organisation_link(&session).unwrap().unwrap();
    assert_eq!(link.provider, "Clinic ID");
    assert!(!link.has_offline_password);
    assert_eq!(link.offline_until, Some(crate::START + 7 * DAY));

    // No password exists, so the email alone signs nobody in.
    let stranger = f.other_instance();
    assert_code!(
        stranger.login("mina@clinic.example", &"anything at all".into()),
        InvalidCredentials
    );
    // The same subject is the same account, whatever its email says now; the changes
    // are audited, and the group's loss takes the admin role.
    f.clock.advance(60);
    let renamed = person(
        "mina-0001",
        "mina.park@clinic.example",
        "Mina Park-Lee",
        &[],
    );
    let again = desk.sign_in_with_provider(id, &renamed).unwrap();
    assert_eq!(again.id, signed_in.id);
    assert_eq!(again.email, "mina.park@clinic.example");
    assert_eq!(again.display_name, "Mina Park-Lee");
    assert_eq!(again.role, Role::User);
    let roles = events(&f, AuditEvent::RoleChanged);
    assert_eq!(
        roles[0].detail.as_deref(),
        Some("admin -> user (from Clinic ID)")
    );
    let created = events(&f, AuditEvent::AccountCreated);
    assert_eq!(created[0].detail.as_deref(), Some("admin (from Clinic ID)"));
    let sign_ins = events(&f, AuditEvent::SignIn);
    let through = sign_ins
        .iter()
        .filter(|e| e.detail.as_deref() == Some("through Clinic ID"))
        .count();
    assert_eq!(through, 2, "{sign_ins:?}");
    // A token of another issuer is refused, whatever it says.
    let mut foreign = person("mina-0001", "mina@clinic.example", "Mina", &[]);
    foreign.issuer = "https://elsewhere.example".into();
    assert_eq!(
        conflict(desk.sign_in_with_provider(id, &foreign)),
        Conflict::TokenInvalid
    );
}

#[test]
fn an_existing_account_is_linked_by_verified_email_only_when_allowed() {
    let f = fixture().with_admin();
    let id = add(&f, &setup());
    let (clerk, _) = f.create("jo@clinic.example", Role::User, None);
    let desk = f.other_instance();
    let jo = person("jo-0002", "jo@clinic.example", "Jo Lee", &[]);
    assert_eq!(
        conflict(desk.sign_in_with_provider(id, &jo)),
        Conflict::OrganisationEmailTaken
    );
    assert_code!(desk.verify_session(), NotAuthenticated);
    let refused = events(&f, AuditEvent::SignIn);
    assert!(
        refused.iter().any(|e| e.outcome == vault::Outcome::Failure
            && e.detail
                .as_deref()
                .is_some_and(|d| d.starts_with("through Clinic ID: "))),
        "{refused:?}"
    );

    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    let mut linking = setup();
    linking.link_by_email = true;
    f.vault
        .update_identity_provider(&admin, id, &linking, &documents(ISSUER))
        .unwrap();
    // An email the provider did not verify links nothing.
    let mut unverified = jo.clone();
    unverified
        .claims
        .insert("email_verified".into(), json!(false));
    assert_eq!(
        conflict(desk.sign_in_with_provider(id, &unverified)),
        Conflict::OrganisationEmailMissing
    );
    let linked = desk.sign_in_with_provider(id, &jo).unwrap();
    assert_eq!(linked.id, clerk);
    assert_eq!(linked.display_name, "Jo Lee");
    let links = events(&f, AuditEvent::AccountLinked);
    assert_eq!(
        links[0].detail.as_deref(),
        Some("to Clinic ID by verified email")
    );
    // The account is linked once: another subject with the same email is refused.
    let impostor = person("jo-9999", "jo@clinic.example", "Jo", &[]);
    assert_eq!(
        conflict(desk.sign_in_with_provider(id, &impostor)),
        Conflict::AccountLinkedElsewhere
    );
}

#[test]
fn an_account_disabled_here_stays_disabled_whatever_the_provider_says() {
    let f = fixture().with_admin();
    let id = add(&f, &setup());
    let desk = f.other_instance();
    let jo = person("jo-0002", "jo@clinic.example", "Jo Lee", &[]);
    let user = desk.sign_in_with_provider(id, &jo).unwrap();
    desk.logout().unwrap();
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    f.vault.set_disabled(&admin, user.id, true).unwrap();
    assert_eq!(
        conflict(desk.sign_in_with_provider(id, &jo)),
        Conflict::AccountDisabledHere
    );
    assert_code!(desk.verify_session(), NotAuthenticated);
}

#[test]
fn the_last_active_admin_is_not_demoted_by_the_provider() {
    let f = fixture().with_admin();
    let mut linking = setup();
    linking.link_by_email = true;
    let id = add(&f, &linking);
    let desk = f.other_instance();
    let ada = person("ada-0000", ADMIN_EMAIL, "Ada Admin", &[]);
    let signed_in = desk.sign_in_with_provider(id, &ada).unwrap();
    assert_eq!(signed_in.role, Role::Admin);
    assert!(events(&f, AuditEvent::RoleChanged).is_empty());
}

#[test]
fn a_linked_admin_is_not_asked_for_a_local_second_factor() {
    let f = fixture().with_admin();
    let id = add(&f, &setup());
    let session = f.vault.verify_session().unwrap();
    let admin = require_admin(&session).unwrap();
    f.vault
        .set_second_factor_policy(&admin, SecondFactorPolicy::Admins)
        .unwrap();
    let desk = f.other_instance();
    let mina = person("mina-0001", "mina@clinic.example", "Mina", &["desk-admins"]);
    let user = desk.sign_in_with_provider(id, &mina).unwrap();
    assert!(!user.second_factor_due);
    // Commands answer: the session is not held back for a second factor.
    let session = desk.verify_session().unwrap();
    let listed = desk
        .identity_providers(&require_admin(&session).unwrap())
        .unwrap();
    assert_eq!(listed[0].linked_accounts, 1);
}

/// A linked account with a password of its own, signed in online once at START.
fn offline_ready(f: &Fixture) -> (i64, Vault) {
    let id = add(f, &setup());
    let desk = f.other_instance();
    desk.sign_in_with_provider(id, &person("jo-0002", "jo@clinic.example", "Jo", &[]))
        .unwrap();
    let session = desk.verify_session().unwrap();
    desk.set_offline_password(&session, &"pencil case by the till".into())
        .unwrap();
    desk.logout().unwrap();
    (id, desk)
}

const JO_PASSWORD: &str = "pencil case by the till";

#[test]
fn offline_sign_in_works_only_unreachable_and_within_the_window() {
    let f = fixture().with_admin();
    let (_, desk) = offline_ready(&f);
    let reachable = |_: &str| true;
    let unreachable = |issuer: &str| {
        assert_eq!(issuer, ISSUER);
        false
    };
    assert_eq!(
        conflict(desk.login_probing("jo@clinic.example", &JO_PASSWORD.into(), &reachable)),
        Conflict::UseOrganisationSignIn
    );
    // A wrong password is an ordinary failure, and the provider is not asked.
    let never = |_: &str| -> bool { panic!("asked before the password was checked") };
    assert_code!(
        desk.login_probing("jo@clinic.example", &"wrong guess here".into(), &never),
        InvalidCredentials
    );
    f.clock.advance(6 * DAY);
    let user = desk
        .login_probing("jo@clinic.example", &JO_PASSWORD.into(), &unreachable)
        .unwrap();
    assert_eq!(user.email, "jo@clinic.example");
    let offline = events(&f, AuditEvent::OfflineSignIn);
    assert_eq!(
        offline[0].detail.as_deref(),
        Some("Clinic ID unreachable, allowed until 2026-12-03T23:59:59Z")
    );
    desk.logout().unwrap();

    // A day later the window has passed.
    f.clock.advance(DAY);
    assert_eq!(
        conflict(desk.login_probing("jo@clinic.example", &JO_PASSWORD.into(), &unreachable)),
        Conflict::OfflineWindowPassed
    );
    let refused = events(&f, AuditEvent::OfflineSignIn);
    assert_eq!(refused[0].outcome, vault::Outcome::Failure);
}

#[test]
fn offline_sign_in_is_refused_when_the_clock_was_turned_back() {
    let f = fixture().with_admin();
    let (_, desk) = offline_ready(&f);
    // The vault records something an hour on; then the clock is set back before it.
    f.stay_active_for(3600);
    let session = f.vault.verify_session().unwrap();
    f.vault
        .reauthenticate(&session, &ADMIN_PASSWORD.into(), None)
        .unwrap();
    f.create("late@clinic.example", Role::User, None);
    f.clock.advance(-1800);
    let unreachable = |_: &str| false;
    assert_eq!(
        conflict(desk.login_probing("jo@clinic.example", &JO_PASSWORD.into(), &unreachable)),
        Conflict::ClockBehind
    );
    f.clock.advance(1801);
    desk.login_probing("jo@clinic.example", &JO_PASSWORD.into(), &unreachable)
        .unwrap();
}

#[test]
fn an_offline_password_needs_a_link_and_a_fresh_sign_in() {
    let f = fixture().with_admin();
    let session = f.vault.verify_session().unwrap();
    assert_eq!(
        conflict(
            f.vault
                .set_offline_password(&session, &"some long password here".into())
        ),
        Conflict::NotLinked
    );
    let id = add(&f, &setup());
    let desk = f.other_instance();
    desk.sign_in_with_provider(id, &person("jo-0002", "jo@clinic.example", "Jo", &[]))
        .unwrap();
    let session = desk.verify_session().unwrap();
    assert_code!(
        desk.set_offline_password(&session, &"short".into()),
        Validation
    );
    busy(&f, &desk, Session::STEP_UP_SECONDS + 1);
    let session = desk.verify_session().unwrap();
    assert_code!(
        desk.set_offline_password(&session, &"pencil case by the till".into()),
        ReauthRequired
    );
    // Without a password, a password check cannot pass: the person signs in through
    // the provider again instead.
    assert_eq!(
        conflict(desk.reauthenticate(&session, &"anything".into(), None)),
        Conflict::NoLocalPassword
    );
}

#[test]
fn a_refused_refresh_ends_the_sessions_and_closes_offline_sign_in_until_the_next_online_one() {
    let f = fixture().with_admin();
    let (id, desk) = offline_ready(&f);
    let unreachable = |_: &str| false;
    desk.login_probing("jo@clinic.example", &JO_PASSWORD.into(), &unreachable)
        .unwrap();
    // Someone else's subject, or a provider that is gone, finds nothing.
    assert!(!f.vault.provider_refused(id, "nobody-0000").unwrap());
    assert!(!f.vault.provider_refused(id + 1, "jo-0002").unwrap());
    assert!(f.vault.provider_refused(id, "jo-0002").unwrap());
    assert_code!(desk.verify_session(), NotAuthenticated);
    assert_eq!(
        conflict(desk.login_probing("jo@clinic.example", &JO_PASSWORD.into(), &unreachable)),
        Conflict::OrganisationRefused
    );
    // The next sign-in the provider confirms opens it again.
    desk.sign_in_with_provider(id, &person("jo-0002", "jo@clinic.example", "Jo", &[]))
        .unwrap();
    desk.logout().unwrap();
    desk.login_probing("jo@clinic.example", &JO_PASSWORD.into(), &unreachable)
        .unwrap();
}

#[test]
fn offline_sign_ins_and_the_provider_s_changes_are_shown_at_the_next_sign_in() {
    let f = fixture().with_admin();
    let (id, desk) = offline_ready(&f);
    f.clock.advance(60);
    let unreachable = |_: &str| false;
    desk.login_probing("jo@clinic.example", &JO_PASSWORD.into(), &unreachable)
        .unwrap();
    desk.logout().unwrap();
    f.clock.advance(60);
    // Back online: the provider has renamed Jo.
    desk.sign_in_with_provider(id, &person("jo-0002", "jo@clinic.example", "Jo Lee", &[]))
        .unwrap();
    let session = desk.verify_session().unwrap();
    let notices: Vec<(AuditEvent, Option<String>)> = desk
        .since_last_sign_in(&session)
        .unwrap()
        .into_iter()
        .map(|e| (e.event, e.detail))
        .collect();
    assert!(
        notices
            .iter()
            .any(|(event, _)| *event == AuditEvent::OfflineSignIn),
        "{notices:?}"
    );
    assert!(
        notices.contains(&(
            AuditEvent::ProfileUpdated,
            Some("name (from Clinic ID)".into())
        )),
        "{notices:?}"
    );
}
