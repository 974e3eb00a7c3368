//! Signing in through an organisation's OpenID provider, the vault's half: the providers
//! an admin sets up, the local accounts their people are linked to, and the bounded
//! offline sign-in with a local password.
//!
//! The protocol (discovery, the browser's round trip, the ID token's checks) happens
//! outside the vault; what comes in here is a verified [`ProviderIdentity`]. From it the
//! vault finds or makes the account by the stable `(provider, subject)` pair, brings its
//! email, name and role up to date (each change audited), and starts an ordinary session:
//! locking, switching, timeouts and step-up apply unchanged.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::clock::Timestamp;
use crate::db::identity::{self, ProviderFields, ProviderRow};
use crate::db::{audit, users};
use crate::dto::CurrentUser;
use crate::error::{Conflict, Error, Invalid, Result};
use crate::model::audit::{AuditEvent, NewEntry};
use crate::model::{AccountStatus, Role, UserId};
use crate::session::pending::Through;
use crate::session::{AdminSession, Session};
use crate::sign_in::How;
use crate::step_up::AdminAction;
use crate::validate::{self, Email, NAME_MAX_CHARS};
use crate::vault::Vault;

/// Offline sign-in is allowed this many days after the last online one, unless the admin
/// chose otherwise.
pub const DEFAULT_OFFLINE_DAYS: i64 = 7;
/// The longest offline window an admin may choose.
pub const MAX_OFFLINE_DAYS: i64 = 90;
const DAY: i64 = 24 * 60 * 60;
const PROVIDER_NAME_MAX_CHARS: usize = 60;
const ISSUER_MAX_BYTES: usize = 2000;
const CLAIM_MAX_BYTES: usize = 200;

/// A provider's settings, as an admin types them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProviderSetup {
    /// The name on the sign-in button ("Sign in with <name>").
    pub name: String,
    /// The issuer URL: `https://…`, or `http://` on this computer (`127.0.0.1`,
    /// `localhost`) for a provider that runs here.
    pub issuer: String,
    /// The client id registered at the provider for Latchkey (a public client: there
    /// is no secret on a desktop).
    pub client_id: String,
    /// The scopes to ask for beyond `openid`, separated by spaces.
    pub scopes: String,
    /// The claim that holds the email (`email` unless the provider uses another).
    pub email_claim: String,
    /// The claim that lists the admin group (`groups`, `roles`), or empty when the
    /// provider never makes anyone an admin here.
    pub admin_claim: String,
    /// The value in that claim that makes an admin.
    pub admin_value: String,
    /// Whether a first sign-in may take over an existing account with the same verified
    /// email; otherwise it is refused.
    pub link_by_email: bool,
    /// Days after the last online sign-in during which the local password still signs
    /// the person in while the provider cannot be reached (0 to 90; 0 turns it off).
    pub offline_days: i64,
}

impl ProviderSetup {
    /// The setup with its text trimmed and every field checked, before anything is
    /// asked of the network. Errors: `Validation` naming the field.
    pub fn validated(&self) -> Result<Self> {
        let name = validate::text("name", &self.name, PROVIDER_NAME_MAX_CHARS)?;
        let issuer = self.issuer.trim();
        check_issuer(issuer)?;
        let client_id = plain("clientId", &self.client_id, true)?;
        let scopes = self
            .scopes
            .split_whitespace()
            .filter(|scope| *scope != "openid")
            .map(|scope| plain("scopes", scope, true))
            .collect::<Result<Vec<_>>>()?
            .join(" ");
        let email_claim = match self.email_claim.trim() {
            "" => "email".to_owned(),
            claim => plain("emailClaim", claim, true)?,
        };
        let admin_claim = plain("adminClaim", &self.admin_claim, false)?;
        let admin_value = self.admin_value.trim().to_owned();
        if admin_value.len() > CLAIM_MAX_BYTES {
            return Err(Error::invalid(
                "adminValue",
                Invalid::TooLong(CLAIM_MAX_BYTES),
            ));
        }
        if admin_claim.is_empty() != admin_value.is_empty() {
            let field = if admin_claim.is_empty() {
                "adminClaim"
            } else {
                "adminValue"
            };
            return Err(Error::invalid(field, Invalid::Missing));
        }
        if self.offline_days < 0 {
            return Err(Error::invalid("offlineDays", Invalid::TooSmall(0)));
        }
        if self.offline_days > MAX_OFFLINE_DAYS {
            return Err(Error::invalid(
                "offlineDays",
                Invalid::TooLarge(MAX_OFFLINE_DAYS),
            ));
        }
        Ok(Self {
            name,
            issuer: issuer.to_owned(),
            client_id,
            scopes,
            email_claim,
            admin_claim,
            admin_value,
            link_by_email: self.link_by_email,
            offline_days: self.offline_days,
        })
    }
}

/// An issuer URL: `https`, or `http` to this computer only; no query, fragment or
/// white space.
fn check_issuer(issuer: &str) -> Result<()> {
    if issuer.is_empty() {
        return Err(Error::invalid("issuer", Invalid::Empty));
    }
    if issuer.len() > ISSUER_MAX_BYTES {
        return Err(Error::invalid("issuer", Invalid::TooLong(ISSUER_MAX_BYTES)));
    }
    let rest = if let Some(rest) = issuer.strip_prefix("https://") {
        rest
    } else if let Some(rest) = issuer.strip_prefix("http://") {
        let host = rest.split(['/', ':']).next().unwrap_or_default();
        let port_start = rest.find(']').map_or(0, |end| end + 1);
        let loopback = matches!(host, "127.0.0.1" | "localhost")
            || rest[..port_start].eq_ignore_ascii_case("[::1]");
        if !loopback {
            return Err(Error::invalid("issuer", Invalid::Malformed));
        }
        rest
    } else {
        return Err(Error::invalid("issuer", Invalid::Malformed));
    };
    let host_missing = rest.is_empty() || rest.starts_with(['/', ':']);
    if host_missing
        || rest
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#')
    {
        return Err(Error::invalid("issuer", Invalid::Malformed));
    }
    Ok(())
}

/// A client id, scope or claim name: printable ASCII without spaces or quotes.
fn plain(field: &'static str, raw: &str, required: bool) -> Result<String> {
    let value = raw.trim();
    if value.is_empty() {
        return if required {
            Err(Error::invalid(field, Invalid::Empty))
        } else {
            Ok(String::new())
        };
    }
    if value.len() > CLAIM_MAX_BYTES {
        return Err(Error::invalid(field, Invalid::TooLong(CLAIM_MAX_BYTES)));
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\'' && b != b'\\')
    {
        return Err(Error::invalid(field, Invalid::Malformed));
    }
    Ok(value.to_owned())
}

/// The provider's discovery document and keys, as fetched just now.
#[derive(Debug, Clone)]
pub struct ProviderDocuments {
    /// The issuer the discovery document names (it must be the one set up).
    pub issuer: String,
    /// The discovery document, JSON.
    pub metadata: String,
    /// The keys, JSON (a JWKS).
    pub jwks: String,
}

/// A provider as the sign-in screen lists it: a button, nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationProvider {
    /// Names the provider in `begin_organisation_sign_in`.
    pub id: i64,
    /// The name on the button.
    pub name: String,
}

/// A provider as the admin's screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IdentityProvider {
    /// The provider's id.
    pub id: i64,
    /// Its settings.
    pub setup: ProviderSetup,
    /// When its discovery document and keys were last fetched (Unix seconds).
    pub fetched_at: Timestamp,
    /// How many local accounts are linked to its people.
    pub linked_accounts: i64,
}

impl From<ProviderRow> for IdentityProvider {
    fn from(row: ProviderRow) -> Self {
        Self {
            id: row.id,
            setup: ProviderSetup {
                name: row.name,
                issuer: row.issuer,
                client_id: row.client_id,
                scopes: row.scopes,
                email_claim: row.email_claim,
                admin_claim: row.admin_claim.unwrap_or_default(),
                admin_value: row.admin_value.unwrap_or_default(),
                link_by_email: row.link_by_email,
                offline_days: row.offline_days,
            },
            fetched_at: row.fetched_at,
            linked_accounts: row.linked_accounts,
        }
    }
}

/// What a sign-in through the provider needs from the vault.
#[derive(Debug, Clone)]
pub struct ProviderConnection {
    /// The provider's id.
    pub id: i64,
    /// The name on the button.
    pub name: String,
    /// The issuer URL.
    pub issuer: String,
    /// The client id.
    pub client_id: String,
    /// The scopes beyond `openid`.
    pub scopes: Vec<String>,
    /// The cached discovery document and keys, while they are fresh
    /// ([`DOCUMENTS_FRESH_SECONDS`]); `None` when they must be fetched again.
    pub documents: Option<ProviderDocuments>,
}

/// How long cached discovery documents and keys serve a sign-in before they are fetched
/// again: long enough for a queue at a busy desk, short enough for key rotation.
pub const DOCUMENTS_FRESH_SECONDS: i64 = 10 * 60;

/// Who the provider says signed in: the subject and every claim of the verified ID
/// token.
#[derive(Debug, Clone)]
pub struct ProviderIdentity {
    /// The issuer that signed the token.
    pub issuer: String,
    /// The person's stable id at that issuer (`sub`).
    pub subject: String,
    /// The token's claims.
    pub claims: Map<String, Value>,
}

/// What the token says about the person, read with the provider's mapping.
struct Mapped {
    email: Option<Email>,
    display_name: Option<String>,
    role: Role,
}

fn map_claims(provider: &ProviderRow, identity: &ProviderIdentity) -> Mapped {
    let claims = &identity.claims;
    // The standard `email` claim counts only when the provider says it verified it; an
    // admin who names another claim (Entra ID's `upn`) vouches for it.
    let verified = provider.email_claim != "email"
        || claims.get("email_verified").and_then(Value::as_bool) == Some(true);
    let email = claims
        .get(&provider.email_claim)
        .and_then(Value::as_str)
        .filter(|_| verified)
        .and_then(|email| Email::parse(email).ok());
    let display_name = claims
        .get("name")
        .and_then(Value::as_str)
        .and_then(|name| validate::text("displayName", name, NAME_MAX_CHARS).ok());
    let is_admin = match (&provider.admin_claim, &provider.admin_value) {
        (Some(claim), Some(value)) => match claims.get(claim) {
            Some(Value::String(one)) => one == value,
            Some(Value::Array(many)) => many.iter().any(|v| v.as_str() == Some(value)),
            _ => false,
        },
        _ => false,
    };
    Mapped {
        email,
        display_name,
        role: if is_admin { Role::Admin } else { Role::User },
    }
}

impl Vault {
    /// The providers the sign-in screen offers. Anyone may ask: it is the list of
    /// buttons, names only.
    pub fn organisation_providers(&self) -> Result<Vec<OrganisationProvider>> {
        Ok(identity::all(&self.conn())?
            .into_iter()
            .map(|row| OrganisationProvider {
                id: row.id,
                name: row.name,
            })
            .collect())
    }

    /// Admin: every provider with its settings.
    pub fn identity_providers(&self, _admin: &AdminSession<'_>) -> Result<Vec<IdentityProvider>> {
        Ok(identity::all(&self.conn())?
            .into_iter()
            .map(IdentityProvider::from)
            .collect())
    }

    /// Admin: checks that a change to the providers may go ahead (the step-up rule),
    /// before the caller fetches the provider's documents over the network.
    pub fn authorize_provider_change(&self, admin: &AdminSession<'_>) -> Result<()> {
        self.authorize(admin, AdminAction::ChangeSettings)
    }

    /// Admin: adds a provider (step-up, audited) with its documents as fetched. Errors:
    /// `Validation` for a setting; `Conflict` (`ProviderExists`) for an issuer set up
    /// already, (`ProviderInvalid`) when the documents name another issuer.
    pub fn add_identity_provider(
        &self,
        admin: &AdminSession<'_>,
        setup: &ProviderSetup,
        documents: &ProviderDocuments,
    ) -> Result<IdentityProvider> {
        self.authorize(admin, AdminAction::ChangeSettings)?;
        let setup = setup.validated()?;
        if documents.issuer != setup.issuer {
            return Err(Error::Conflict(Conflict::ProviderInvalid));
        }
        let me = users::require(&self.conn(), admin.session().user_id())?;
        let now = self.now();
        let id = self.write(|conn| {
            let id = identity::insert(conn, &fields(&setup, documents), now)?;
            let detail = format!("added {} ({})", setup.name, setup.issuer);
            let entry = NewEntry::new(AuditEvent::IdentityProviderChanged)
                .by(me.id, &me.email)
                .detail(&detail);
            audit::append(conn, &entry, now)?;
            Ok(id)
        })?;
        log::info!("identity provider {id} added");
        self.provider(id)
    }

    /// Admin: changes a provider's settings (step-up, audited); its issuer stays, since
    /// the links name its people. Errors as for [`Self::add_identity_provider`];
    /// `NotFound` for an unknown id or another issuer.
    pub fn update_identity_provider(
        &self,
        admin: &AdminSession<'_>,
        id: i64,
        setup: &ProviderSetup,
        documents: &ProviderDocuments,
    ) -> Result<IdentityProvider> {
        self.authorize(admin, AdminAction::ChangeSettings)?;
        let setup = setup.validated()?;
        if documents.issuer != setup.issuer {
            return Err(Error::Conflict(Conflict::ProviderInvalid));
        }
        let me = users::require(&self.conn(), admin.session().user_id())?;
        let now = self.now();
        self.write(|conn| {
            let before = identity::get(conn, id)?.ok_or(Error::NotFound)?;
            identity::update(conn, id, &fields(&setup, documents), now)?;
            let changes = describe_changes(&IdentityProvider::from(before).setup, &setup);
            let detail = format!("changed {}: {}", setup.name, changes);
            let entry = NewEntry::new(AuditEvent::IdentityProviderChanged)
                .by(me.id, &me.email)
                .detail(&detail);
            audit::append(conn, &entry, now)
        })?;
        self.provider(id)
    }

    /// Admin: removes a provider (step-up, audited). Its links go with it; the accounts
    /// stay, as local accounts.
    pub fn remove_identity_provider(&self, admin: &AdminSession<'_>, id: i64) -> Result<()> {
        self.authorize(admin, AdminAction::ChangeSettings)?;
        let me = users::require(&self.conn(), admin.session().user_id())?;
        let now = self.now();
        self.write(|conn| {
            let row = identity::get(conn, id)?.ok_or(Error::NotFound)?;
            identity::delete(conn, id)?;
            let detail = format!(
                "removed {} ({}), {} linked accounts kept as local accounts",
                row.name, row.issuer, row.linked_accounts
            );
            let entry = NewEntry::new(AuditEvent::IdentityProviderChanged)
                .by(me.id, &me.email)
                .detail(&detail);
            audit::append(conn, &entry, now)
        })
    }

    /// What a sign-in through provider `id` needs. Errors: `NotFound`.
    pub fn provider_connection(&self, id: i64) -> Result<ProviderConnection> {
        let row = identity::get(&self.conn(), id)?.ok_or(Error::NotFound)?;
        let age = self.now() - row.fetched_at;
        let fresh = row.fetched_at > 0 && (0..DOCUMENTS_FRESH_SECONDS).contains(&age);
        Ok(ProviderConnection {
            id: row.id,
            name: row.name,
            issuer: row.issuer.clone(),
            client_id: row.client_id,
            scopes: row.scopes.split_whitespace().map(str::to_owned).collect(),
            documents: fresh.then_some(ProviderDocuments {
                issuer: row.issuer,
                metadata: row.metadata,
                jwks: row.jwks,
            }),
        })
    }

    /// Marks provider `id`'s cached documents stale (its keys refused a token: they may
    /// have been rotated), so the next sign-in fetches them again.
    pub fn expire_provider_documents(&self, id: i64) -> Result<()> {
        self.write(|conn| identity::expire_documents(conn, id))
    }

    /// Keeps the documents fetched for a sign-in as provider `id`'s cached copy.
    pub fn cache_provider_documents(&self, id: i64, documents: &ProviderDocuments) -> Result<()> {
        let now = self.now();
        self.write(|conn| {
            identity::set_documents(
                conn,
                id,
                &documents.issuer,
                &documents.metadata,
                &documents.jwks,
                now,
            )
        })
    }

    /// Signs in the person provider `provider` vouched for with a verified ID token.
    ///
    /// The `(provider, subject)` pair finds the account. A first sign-in links an
    /// existing account with the same verified email when the admin allowed it, or
    /// makes one (without a password: the person may set one for offline use). Each
    /// sign-in brings email, name and role up to date from the token, audited when they
    /// change; the last active admin is not demoted by it. The provider's sign-in stands
    /// in for the second factor.
    ///
    /// Errors: `NotFound` for an unknown provider; `Conflict`: `TokenInvalid` for a
    /// token of another issuer, `AccountDisabledHere` for an account disabled here
    /// (whatever the provider says), `OrganisationEmailMissing` when a new link needs a
    /// verified email the token lacks, `OrganisationEmailTaken` when the email belongs
    /// to an account that may not be linked.
    pub fn sign_in_with_provider(
        &self,
        provider: i64,
        person: &ProviderIdentity,
    ) -> Result<CurrentUser> {
        let row = identity::get(&self.conn(), provider)?.ok_or(Error::NotFound)?;
        if person.issuer != row.issuer || person.subject.is_empty() {
            return Err(Error::Conflict(Conflict::TokenInvalid));
        }
        let mapped = map_claims(&row, person);
        let now = self.now();
        let outcome = self.write(|conn| link_and_update(conn, &row, person, &mapped, now));
        let user = match outcome {
            Ok(user) => user,
            Err(Error::Conflict(conflict)) => {
                self.audit_refused(&row, person, conflict, now)?;
                return Err(Error::Conflict(conflict));
            }
            Err(other) => return Err(other),
        };
        let how = How {
            proof: None,
            through: Some(Through::Provider { name: row.name }),
        };
        self.start_session(user, None, how)
    }

    /// Audits a sign-in through the provider that the vault refused.
    fn audit_refused(
        &self,
        row: &ProviderRow,
        person: &ProviderIdentity,
        conflict: Conflict,
        now: Timestamp,
    ) -> Result<()> {
        let linked = identity::link_by_subject(&self.conn(), row.id, &person.subject)?;
        let account = match linked {
            Some(link) => users::get(&self.conn(), link.user_id)?,
            None => None,
        };
        self.write(|conn| {
            let detail = format!("through {}: {conflict}", row.name);
            let mut entry = NewEntry::new(AuditEvent::SignIn).failed().detail(&detail);
            if let Some(account) = &account {
                entry = entry.on(account.id, &account.email);
            }
            audit::append(conn, &entry, now)
        })
    }

    /// Lets the signed-in person of an account linked to a provider set the local
    /// password that signs them in while the provider cannot be reached. It needs a
    /// sign-in (through the provider) or password check in the step-up window, like
    /// any change of password without the current one. Every other session of the
    /// account ends.
    ///
    /// Errors: `Validation` for a password that breaks the rules (checked first);
    /// `Conflict` (`NotLinked`) for an account of this computer only (it changes its
    /// password the usual way); `ReauthRequired`.
    pub fn set_offline_password(
        &self,
        session: &Session,
        password: &crate::secret::SecretString,
    ) -> Result<()> {
        let user = session.user_id();
        let me = users::require(&self.conn(), user)?;
        let context = crate::policy::PasswordContext {
            email: &me.email,
            display_name: &me.display_name,
            has_second_factor: false,
            min_chars: self.password_min_chars()?,
        };
        let new = crate::policy::new_password("newPassword", password, context.required_chars())?;
        crate::policy::check("newPassword", &new.0, context)?;
        if identity::link_of_user(&self.conn(), user)?.is_none() {
            return Err(Error::Conflict(Conflict::NotLinked));
        }
        self.ensure_recent_auth(session)?;
        let phc = self.hasher.hash(&new.0)?;
        let now = self.now();
        self.write(|conn| {
            users::set_password(conn, user, &phc, false, true, now)?;
            crate::db::sessions::delete_for_user_except(conn, user, session.id())?;
            let entry = NewEntry::new(AuditEvent::PasswordChanged)
                .by(user, &me.email)
                .on(user, &me.email)
                .detail("password for offline sign-in");
            audit::append(conn, &entry, now)
        })
    }

    /// Whether the signed-in person's account is linked to a provider, and what its
    /// offline sign-in allows.
    pub fn organisation_link(&self, session: &Session) -> Result<Option<OrganisationLink>> {
        let conn = self.conn();
        let Some(link) = identity::link_of_user(&conn, session.user_id())? else {
            return Ok(None);
        };
        let Some(provider) = identity::get(&conn, link.provider_id)? else {
            return Ok(None);
        };
        let has_password = users::password_hash(&conn, session.user_id()).is_ok();
        Ok(Some(OrganisationLink {
            provider: provider.name,
            last_online_at: link.last_online_at,
            offline_until: (provider.offline_days > 0).then(|| {
                link.last_online_at
                    .saturating_add(provider.offline_days * DAY)
            }),
            has_offline_password: has_password,
        }))
    }

    /// The offline rules for a password sign-in of `user`, whose password was right:
    /// `None` for an account not linked to a provider; for a linked one, the offline
    /// window's state, or the refusal (audited).
    pub(crate) fn check_offline(
        &self,
        user: UserId,
        now: Timestamp,
        reachable: &dyn Fn(&str) -> bool,
    ) -> Result<Option<Through>> {
        let conn = self.conn();
        let Some(link) = identity::link_of_user(&conn, user)? else {
            return Ok(None);
        };
        let Some(provider) = identity::get(&conn, link.provider_id)? else {
            return Ok(None);
        };
        let latest = identity::latest_recorded(&conn)?;
        drop(conn);
        let refusal = if link.refused_at.is_some() {
            Some(Conflict::OrganisationRefused)
        } else if reachable(&provider.issuer) {
            Some(Conflict::UseOrganisationSignIn)
        } else if latest.is_some_and(|latest| now < latest) {
            Some(Conflict::ClockBehind)
        } else if now
            >= link
                .last_online_at
                .saturating_add(provider.offline_days * DAY)
        {
            Some(Conflict::OfflineWindowPassed)
        } else {
            None
        };
        if let Some(conflict) = refusal {
            let account = users::require(&self.conn(), user)?;
            self.write(|conn| {
                let detail = format!("{}: {conflict}", provider.name);
                let entry = NewEntry::new(AuditEvent::OfflineSignIn)
                    .failed()
                    .on(user, &account.email)
                    .detail(&detail);
                // A clock turned back must not write a row that looks older than the
                // latest: the refusal is recorded at the latest time seen.
                audit::append(conn, &entry, now.max(latest.unwrap_or(now)))
            })?;
            return Err(Error::Conflict(conflict));
        }
        Ok(Some(Through::Offline {
            name: provider.name,
            until: link
                .last_online_at
                .saturating_add(provider.offline_days * DAY),
        }))
    }

    /// The provider refused `subject`'s refresh token: the person was disabled there, or
    /// signed out everywhere. Their sessions end, and offline sign-in is refused until
    /// their next sign-in through the provider; audited. Returns whether a linked account
    /// was found.
    pub fn provider_refused(&self, provider: i64, subject: &str) -> Result<bool> {
        let now = self.now();
        let Some(row) = identity::get(&self.conn(), provider)? else {
            return Ok(false);
        };
        let ended = self.write(|conn| {
            let Some(user) = identity::refuse(conn, provider, subject, now)? else {
                return Ok(None);
            };
            let account = users::require(conn, user)?;
            let ended = crate::db::sessions::delete_for_user(conn, user)?;
            let detail = format!(
                "{} no longer accepts this person: {ended} sessions ended, offline sign-in refused",
                row.name
            );
            let entry = NewEntry::new(AuditEvent::SessionsRevoked)
                .on(user, &account.email)
                .detail(&detail);
            audit::append(conn, &entry, now)?;
            Ok(Some(user))
        })?;
        if let Some(user) = ended {
            log::warn!(
                "identity provider {provider} refused account {}'s refresh token; its sessions ended",
                user.0
            );
        }
        Ok(ended.is_some())
    }

    fn provider(&self, id: i64) -> Result<IdentityProvider> {
        identity::get(&self.conn(), id)?
            .map(IdentityProvider::from)
            .ok_or(Error::NotFound)
    }
}

/// The signed-in person's link to an organisation's provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationLink {
    /// The provider's name.
    pub provider: String,
    /// The last sign-in the provider confirmed (Unix seconds).
    pub last_online_at: Timestamp,
    /// Until when the local password signs in while the provider cannot be reached;
    /// `None` when the provider allows no offline sign-in.
    pub offline_until: Option<Timestamp>,
    /// Whether the account has a local password.
    pub has_offline_password: bool,
}

fn fields<'a>(setup: &'a ProviderSetup, documents: &'a ProviderDocuments) -> ProviderFields<'a> {
    let optional = |text: &'a str| (!text.is_empty()).then_some(text);
    ProviderFields {
        name: &setup.name,
        issuer: &setup.issuer,
        client_id: &setup.client_id,
        scopes: &setup.scopes,
        email_claim: &setup.email_claim,
        admin_claim: optional(&setup.admin_claim),
        admin_value: optional(&setup.admin_value),
        link_by_email: setup.link_by_email,
        offline_days: setup.offline_days,
        metadata: &documents.metadata,
        jwks: &documents.jwks,
    }
}

/// The settings that differ, for the audit row: `field old -> new`.
fn describe_changes(before: &ProviderSetup, after: &ProviderSetup) -> String {
    let pairs = [
        ("name", before.name.clone(), after.name.clone()),
        (
            "clientId",
            before.client_id.clone(),
            after.client_id.clone(),
        ),
        ("scopes", before.scopes.clone(), after.scopes.clone()),
        (
            "emailClaim",
            before.email_claim.clone(),
            after.email_claim.clone(),
        ),
        (
            "adminClaim",
            before.admin_claim.clone(),
            after.admin_claim.clone(),
        ),
        (
            "adminValue",
            before.admin_value.clone(),
            after.admin_value.clone(),
        ),
        (
            "linkByEmail",
            before.link_by_email.to_string(),
            after.link_by_email.to_string(),
        ),
        (
            "offlineDays",
            before.offline_days.to_string(),
            after.offline_days.to_string(),
        ),
    ];
    let changed: Vec<String> = pairs
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| format!("{field} {old:?} -> {new:?}"))
        .collect();
    if changed.is_empty() {
        "keys fetched again".to_owned()
    } else {
        changed.join(", ")
    }
}

/// Finds, links or makes the account for `person`, in one transaction, and brings it up
/// to date from the token.
fn link_and_update(
    conn: &rusqlite::Connection,
    provider: &ProviderRow,
    person: &ProviderIdentity,
    mapped: &Mapped,
    now: Timestamp,
) -> Result<UserId> {
    let through = format!("from {}", provider.name);
    if let Some(link) = identity::link_by_subject(conn, provider.id, &person.subject)? {
        let account = users::require(conn, link.user_id)?;
        if account.status != AccountStatus::Active {
            return Err(Error::Conflict(Conflict::AccountDisabledHere));
        }
        update_from_token(conn, &account, provider, mapped, now)?;
        identity::set_last_online(conn, account.id, now)?;
        return Ok(account.id);
    }
    let email = mapped
        .email
        .as_ref()
        .ok_or(Error::Conflict(Conflict::OrganisationEmailMissing))?;
    if let Some(existing) = users::by_email(conn, email.as_str())? {
        if !provider.link_by_email {
            return Err(Error::Conflict(Conflict::OrganisationEmailTaken));
        }
        if existing.status != AccountStatus::Active {
            return Err(Error::Conflict(Conflict::AccountDisabledHere));
        }
        identity::insert_link(conn, provider.id, &person.subject, existing.id, now)?;
        let detail = format!("to {} by verified email", provider.name);
        let entry = NewEntry::new(AuditEvent::AccountLinked)
            .on(existing.id, &existing.email)
            .detail(&detail);
        audit::append(conn, &entry, now)?;
        update_from_token(conn, &existing, provider, mapped, now)?;
        return Ok(existing.id);
    }
    let display_name = mapped.display_name.clone().unwrap_or_else(|| {
        email
            .as_str()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_owned()
    });
    let new = users::NewUser {
        email: email.as_str(),
        display_name: &display_name,
        name_key: &validate::fold(&display_name),
        role: mapped.role,
        team: None,
        phone: None,
        must_change_password: false,
        phc: None,
    };
    let id = users::insert(conn, &new, now)?;
    let created = format!("{} ({through})", mapped.role.as_str());
    audit::append(
        conn,
        &NewEntry::new(AuditEvent::AccountCreated)
            .on(id, email.as_str())
            .detail(&created),
        now,
    )?;
    identity::insert_link(conn, provider.id, &person.subject, id, now)?;
    let linked = format!("to {}", provider.name);
    audit::append(
        conn,
        &NewEntry::new(AuditEvent::AccountLinked)
            .on(id, email.as_str())
            .detail(&linked),
        now,
    )?;
    Ok(id)
}

/// Brings `account`'s email, name and role up to date from the token, auditing each
/// change. An email another account holds is left as it was (logged); the role is
/// changed only when the provider maps one, and never demotes the last active admin.
fn update_from_token(
    conn: &rusqlite::Connection,
    account: &users::UserRow,
    provider: &ProviderRow,
    mapped: &Mapped,
    now: Timestamp,
) -> Result<()> {
    let through = format!("from {}", provider.name);
    let mut email = account.email.clone();
    if let Some(new) = &mapped.email
        && new.as_str() != account.email
    {
        match users::set_email(conn, account.id, new.as_str(), now) {
            Ok(()) => {
                let detail = format!("email {} -> {} ({through})", account.email, new.as_str());
                audit::append(
                    conn,
                    &NewEntry::new(AuditEvent::ProfileUpdated)
                        .on(account.id, new.as_str())
                        .detail(&detail),
                    now,
                )?;
                email = new.as_str().to_owned();
            }
            Err(Error::Conflict(Conflict::EmailTaken)) => {
                log::warn!(
                    "account {}: the provider's new email belongs to another account; kept the old one",
                    account.id.0
                );
            }
            Err(other) => return Err(other),
        }
    }
    if let Some(name) = &mapped.display_name
        && *name != account.display_name
    {
        users::set_profile(
            conn,
            account.id,
            name,
            &validate::fold(name),
            account.phone.as_deref(),
            None,
            now,
        )?;
        let detail = format!("name ({through})");
        audit::append(
            conn,
            &NewEntry::new(AuditEvent::ProfileUpdated)
                .on(account.id, &email)
                .detail(&detail),
            now,
        )?;
    }
    let maps_roles = provider.admin_claim.is_some();
    if maps_roles && mapped.role != account.role {
        let last_admin = account.is_active_admin() && users::count_active_admins(conn)? <= 1;
        if last_admin {
            log::warn!(
                "account {}: the provider no longer makes it an admin, but it is the last active admin; kept",
                account.id.0
            );
        } else {
            users::set_role(conn, account.id, mapped.role, now)?;
            let detail = format!(
                "{} -> {} ({through})",
                account.role.as_str(),
                mapped.role.as_str()
            );
            audit::append(
                conn,
                &NewEntry::new(AuditEvent::RoleChanged)
                    .on(account.id, &email)
                    .detail(&detail),
                now,
            )?;
        }
    }
    Ok(())
}
