//! Sign-in through the organisation's OpenID provider: the commands.
//!
//! A sign-in takes two calls, so that the screen can show where it stands while the
//! person is in the browser. `begin_organisation_sign_in` opens the loopback listener,
//! makes the authorization request (PKCE, `state`, `nonce`, all kept here) and opens it
//! in the system browser; `finish_organisation_sign_in` waits for the browser's one
//! redirect, exchanges the code, has `crates/oidc` check the ID token, and hands the
//! verified identity to the vault, which links the account and starts the session.
//! `cancel_organisation_sign_in` ends a wait. The webview never sees a code, a token or
//! the verifier.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tauri::State;
use tokio::sync::oneshot;
use ts_rs::TS;
use vault::{
    Conflict, CurrentUser, Error, IdentityProvider, Invalid, OrganisationLink,
    OrganisationProvider, ProviderDocuments, ProviderIdentity, ProviderSetup, SecretString,
};

use crate::commands::{Reply, SharedVault, blocking, with_admin, with_session};
use crate::input::Input;

/// How long a sign-in waits for the browser: time to type a password and pass the
/// provider's own second step.
pub const BROWSER_WAIT: Duration = Duration::from_secs(5 * 60);

/// How often the refresh tokens of the people signed in through a provider in this run
/// are shown to it, to learn whether it still accepts them.
pub const REFRESH_EVERY: Duration = Duration::from_secs(5 * 60);

/// Where the provider's sign-in page opens.
pub trait Browser: Send + Sync {
    /// Opens `url`. An error leaves the address on screen for the person to open by
    /// hand.
    fn open(&self, url: &str) -> Result<(), String>;
}

/// The system's default browser (RFC 8252: never a web view inside the app, where the
/// app could read what the person types).
#[derive(Debug, Default)]
pub struct SystemBrowser;

impl Browser for SystemBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        tauri_plugin_opener::open_url(url, None::<&str>).map_err(|e| e.to_string())
    }
}

/// The sign-in waiting for the browser, if any: one at a time for this computer.
pub struct SignIns {
    browser: Arc<dyn Browser>,
    /// Started, not yet waited for.
    pending: Mutex<Option<Pending>>,
    /// Ends the wait of the sign-in started last, when sent or dropped.
    cancel: Mutex<Option<oneshot::Sender<()>>>,
    /// The refresh tokens of people signed in through a provider in this run, by
    /// (provider, subject): in memory only, never written anywhere.
    grants: Mutex<HashMap<(i64, String), oidc::RefreshGrant>>,
}

struct Pending {
    provider: i64,
    attempt: oidc::Attempt,
    loopback: oidc::Loopback,
    cancelled: oneshot::Receiver<()>,
}

impl std::fmt::Debug for SignIns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIns").finish_non_exhaustive()
    }
}

impl SignIns {
    /// Sign-ins that open their page with `browser`.
    pub fn new(browser: Arc<dyn Browser>) -> Self {
        Self {
            browser,
            pending: Mutex::default(),
            cancel: Mutex::default(),
            grants: Mutex::default(),
        }
    }

    fn grants(&self) -> std::sync::MutexGuard<'_, HashMap<(i64, String), oidc::RefreshGrant>> {
        self.grants.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, Option<Pending>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Cancels whatever sign-in is started or waited for.
    fn cancel_all(&self) {
        drop(self.pending().take());
        let cancel = self
            .cancel
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(cancel) = cancel {
            let _ = cancel.send(());
        }
    }
}

/// The provider's error as the vault's: a typed reply with a message for people; any
/// detail goes to the log.
pub fn vault_error(error: oidc::Error) -> Error {
    use oidc::TokenProblem;
    let conflict = match error {
        oidc::Error::Unreachable(detail) => return Error::Unreachable(detail),
        oidc::Error::Setting { field, reason } => {
            log::info!("identity provider setting {field}: {reason}");
            return Error::invalid(field, Invalid::Malformed);
        }
        oidc::Error::Listener(detail) => return Error::internal("sign-in listener", detail),
        oidc::Error::DiscoveryInvalid(detail) => {
            log::warn!("identity provider's documents refused: {detail}");
            Conflict::ProviderInvalid
        }
        oidc::Error::WrongPath => Conflict::OrganisationWrongPath,
        oidc::Error::StateMismatch => Conflict::OrganisationStateMismatch,
        oidc::Error::IssuerMismatch => Conflict::OrganisationIssuerMismatch,
        oidc::Error::Denied(detail) => {
            log::info!("the identity provider refused the sign-in: {detail}");
            Conflict::OrganisationDenied
        }
        oidc::Error::TimedOut => Conflict::OrganisationSignInTimedOut,
        oidc::Error::CodeRefused(detail) => {
            log::info!("the identity provider refused the code: {detail}");
            Conflict::OrganisationCodeRefused
        }
        oidc::Error::NoIdToken => Conflict::TokenInvalid,
        oidc::Error::Token(problem) => match problem {
            TokenProblem::Signature => Conflict::TokenSignatureInvalid,
            TokenProblem::Audience => Conflict::TokenAudienceInvalid,
            TokenProblem::Expired => Conflict::TokenExpired,
            TokenProblem::Nonce => Conflict::TokenNonceMismatch,
            TokenProblem::Issuer | TokenProblem::Malformed => Conflict::TokenInvalid,
        },
    };
    Error::Conflict(conflict)
}

fn http() -> Result<oidc::Http, Error> {
    oidc::Http::new().map_err(vault_error)
}

/// Fetches `issuer`'s discovery document and keys now.
async fn fetch_documents(issuer: &str) -> Result<ProviderDocuments, Error> {
    let discovered = oidc::discover(&http()?, issuer)
        .await
        .map_err(vault_error)?;
    Ok(ProviderDocuments {
        issuer: discovered.issuer,
        metadata: discovered.metadata,
        jwks: discovered.jwks,
    })
}

/// The providers the sign-in screen offers, by name.
#[tauri::command]
pub async fn organisation_providers(
    vault: State<'_, SharedVault>,
) -> Reply<Vec<OrganisationProvider>> {
    blocking(&vault, |v| v.organisation_providers()).await
}

/// A request naming a provider.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProviderRef {
    /// The provider, as `organisation_providers` or `identity_providers` listed it.
    pub provider_id: i64,
}

/// A sign-in waiting for the browser.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationSignIn {
    /// The provider's name.
    pub provider: String,
    /// Whether the system browser was opened; when not, the screen offers the address
    /// to open by hand.
    pub browser_opened: bool,
    /// The provider's sign-in page for this attempt (it carries no secret: the code
    /// comes back to this app only, and only the verifier kept here can redeem it).
    pub url: String,
}

/// Starts a sign-in through provider `providerId`: opens the listener and the system
/// browser at the provider's sign-in page. A sign-in already waiting is dropped.
#[tauri::command]
pub async fn begin_organisation_sign_in(
    vault: State<'_, SharedVault>,
    sign_ins: State<'_, Arc<SignIns>>,
    request: Input<ProviderRef>,
) -> Reply<OrganisationSignIn> {
    let task = begin(
        Arc::clone(vault.inner()),
        Arc::clone(sign_ins.inner()),
        request,
    );
    run(task).await
}

/// Runs a sign-in step as its own task on the async runtime.
async fn run<T: Send + 'static>(
    task: impl Future<Output = Result<T, Error>> + Send + 'static,
) -> Reply<T> {
    match tauri::async_runtime::spawn(task).await {
        Ok(result) => result.map_err(|e| e.reply()),
        Err(join) => Err(Error::internal("command task", join).reply()),
    }
}

async fn begin(
    vault: SharedVault,
    sign_ins: Arc<SignIns>,
    request: Input<ProviderRef>,
) -> Result<OrganisationSignIn, Error> {
    let id = request.parse()?.provider_id;
    let shared = Arc::clone(&vault);
    let connection = tauri::async_runtime::spawn_blocking(move || shared.provider_connection(id))
        .await
        .map_err(|e| Error::internal("command task", e))??;
    let documents = if let Some(cached) = connection.documents.clone() {
        cached
    } else {
        let fetched = fetch_documents(&connection.issuer).await?;
        if fetched.issuer != connection.issuer {
            return Err(Error::Conflict(Conflict::ProviderInvalid));
        }
        let shared = Arc::clone(&vault);
        let cached = fetched.clone();
        tauri::async_runtime::spawn_blocking(move || shared.cache_provider_documents(id, &cached))
            .await
            .map_err(|e| Error::internal("command task", e))??;
        fetched
    };
    let discovered = oidc::Discovered {
        issuer: documents.issuer,
        metadata: documents.metadata,
        jwks: documents.jwks,
    };
    let loopback = oidc::Loopback::bind().await.map_err(vault_error)?;
    let attempt = oidc::Attempt::begin(
        &discovered,
        &connection.client_id,
        &connection.scopes,
        &loopback.redirect_uri(),
    )
    .map_err(vault_error)?;
    let url = attempt.authorize_url().to_string();
    let browser_opened = match sign_ins.browser.open(&url) {
        Ok(()) => true,
        Err(e) => {
            log::warn!("could not open the system browser: {e}");
            false
        }
    };
    sign_ins.cancel_all();
    let (cancel, cancelled) = oneshot::channel();
    *sign_ins
        .cancel
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(cancel);
    *sign_ins.pending() = Some(Pending {
        provider: id,
        attempt,
        loopback,
        cancelled,
    });
    log::info!("sign-in through identity provider {id} started");
    Ok(OrganisationSignIn {
        provider: connection.name,
        browser_opened,
        url,
    })
}

/// Waits for the browser to come back from the provider, then signs the person in.
#[tauri::command]
pub async fn finish_organisation_sign_in(
    vault: State<'_, SharedVault>,
    sign_ins: State<'_, Arc<SignIns>>,
) -> Reply<CurrentUser> {
    run(finish(
        Arc::clone(vault.inner()),
        Arc::clone(sign_ins.inner()),
    ))
    .await
}

async fn finish(vault: SharedVault, sign_ins: Arc<SignIns>) -> Result<CurrentUser, Error> {
    let Some(pending) = sign_ins.pending().take() else {
        return Err(Error::Conflict(Conflict::NoOrganisationSignIn));
    };
    let Pending {
        provider,
        attempt,
        loopback,
        cancelled,
    } = pending;
    let state = attempt.state().to_owned();
    let issuer = attempt.issuer().to_owned();
    let receiving = loopback.receive(&state, &issuer, BROWSER_WAIT);
    let received = tokio::select! {
        code = receiving => Some(code),
        // Sent by a cancel, or dropped by a newer sign-in.
        _ = cancelled => None,
    };
    let Some(code) = received else {
        log::info!("sign-in through identity provider {provider} cancelled");
        return Err(Error::Conflict(Conflict::OrganisationSignInCancelled));
    };
    let code = code.map_err(vault_error)?;
    let identity = match attempt.finish(&http()?, code).await {
        Ok(identity) => identity,
        Err(e) => {
            if matches!(e, oidc::Error::Token(oidc::TokenProblem::Signature)) {
                // The keys may have been rotated: the next sign-in fetches them again.
                let shared = Arc::clone(&vault);
                let _ = tauri::async_runtime::spawn_blocking(move || {
                    shared.expire_provider_documents(provider)
                })
                .await;
            }
            return Err(vault_error(e));
        }
    };
    let subject = identity.subject.clone();
    let grant = identity.refresh;
    let person = ProviderIdentity {
        issuer: identity.issuer,
        subject: identity.subject,
        claims: identity.claims,
    };
    let shared = Arc::clone(&vault);
    let user = tauri::async_runtime::spawn_blocking(move || {
        shared.sign_in_with_provider(provider, &person)
    })
    .await
    .map_err(|e| Error::internal("command task", e))??;
    if let Some(grant) = grant {
        sign_ins.grants().insert((provider, subject), grant);
    }
    Ok(user)
}

/// Shows each refresh token held to its provider every `every`, for as long as the app
/// runs: a provider that refuses one (the person was disabled there) ends that person's
/// sessions and closes their offline sign-in ([`vault::Vault::provider_refused`]). A
/// provider that does not answer changes nothing.
pub fn watch_refresh(vault: SharedVault, sign_ins: Arc<SignIns>, every: Duration) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            check_grants(&vault, &sign_ins).await;
        }
    });
}

async fn check_grants(vault: &SharedVault, sign_ins: &Arc<SignIns>) {
    let held: Vec<((i64, String), oidc::RefreshGrant)> = sign_ins
        .grants()
        .iter()
        .map(|(key, grant)| (key.clone(), grant.clone()))
        .collect();
    let Ok(http) = oidc::Http::new() else {
        return;
    };
    for ((provider, subject), grant) in held {
        let shared = Arc::clone(vault);
        let connection =
            tauri::async_runtime::spawn_blocking(move || shared.provider_connection(provider))
                .await;
        let Ok(Ok(connection)) = connection else {
            // The provider was removed: its people are local accounts now.
            sign_ins.grants().remove(&(provider, subject));
            continue;
        };
        let documents = match connection.documents {
            Some(cached) => cached,
            None => match fetch_documents(&connection.issuer).await {
                Ok(fetched) => fetched,
                Err(_) => continue,
            },
        };
        let discovered = oidc::Discovered {
            issuer: documents.issuer,
            metadata: documents.metadata,
            jwks: documents.jwks,
        };
        match oidc::refresh(&http, &discovered, &connection.client_id, &grant).await {
            Ok(next) => {
                sign_ins.grants().insert((provider, subject), next);
            }
            Err(oidc::Error::CodeRefused(reason)) => {
                log::info!("identity provider {provider} refused a refresh token: {reason}");
                sign_ins.grants().remove(&(provider, subject.clone()));
                let shared = Arc::clone(vault);
                let refused = tauri::async_runtime::spawn_blocking(move || {
                    shared.provider_refused(provider, &subject)
                })
                .await;
                if let Ok(Err(e)) = refused {
                    log::error!("could not record the provider's refusal: {e}");
                }
            }
            Err(other) => log::debug!("refresh token not checked: {other}"),
        }
    }
}

/// Ends the wait for the browser, if a sign-in is waiting.
#[tauri::command]
pub async fn cancel_organisation_sign_in(sign_ins: State<'_, Arc<SignIns>>) -> Reply<()> {
    sign_ins.cancel_all();
    Ok(())
}

/// Admin: the organisation's identity providers and their settings.
#[tauri::command]
pub async fn identity_providers(vault: State<'_, SharedVault>) -> Reply<Vec<IdentityProvider>> {
    with_admin(&vault, |v, admin| v.identity_providers(admin)).await
}

/// A provider's new settings; without `id`, a new provider.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SaveProviderRequest {
    /// The provider to change, or none to add one.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub id: Option<i64>,
    /// Its settings.
    pub setup: ProviderSetup,
}

/// Admin: adds a provider or changes one (step-up, audited), after fetching its
/// discovery document and keys to check the issuer.
#[tauri::command]
pub async fn save_identity_provider(
    vault: State<'_, SharedVault>,
    request: Input<SaveProviderRequest>,
) -> Reply<IdentityProvider> {
    // The session, the role and the password check come first, then the request's
    // fields, and only then the network.
    let (id, setup) = with_admin(&vault, move |v, admin| {
        v.authorize_provider_change(admin)?;
        let request = request.parse()?;
        Ok((request.id, request.setup.validated()?))
    })
    .await?;
    let documents = fetch_documents(&setup.issuer)
        .await
        .map_err(|e| e.reply())?;
    with_admin(&vault, move |v, admin| match id {
        None => v.add_identity_provider(admin, &setup, &documents),
        Some(id) => v.update_identity_provider(admin, id, &setup, &documents),
    })
    .await
}

/// Admin: removes a provider (step-up, audited); its accounts stay as local ones.
#[tauri::command]
pub async fn remove_identity_provider(
    vault: State<'_, SharedVault>,
    request: Input<ProviderRef>,
) -> Reply<()> {
    with_admin(&vault, move |v, admin| {
        v.remove_identity_provider(admin, request.parse()?.provider_id)
    })
    .await
}

/// The signed-in person's link to a provider, if any, and its offline window.
#[tauri::command]
pub async fn organisation_link(vault: State<'_, SharedVault>) -> Reply<Option<OrganisationLink>> {
    with_session(&vault, |v, session| v.organisation_link(session)).await
}

/// The local password for offline sign-in.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OfflinePasswordRequest {
    /// The new password.
    #[ts(type = "string")]
    pub new_password: SecretString,
}

/// Sets the local password of an account linked to a provider, used only while the
/// provider cannot be reached (a fresh sign-in needed).
#[tauri::command]
pub async fn set_offline_password(
    vault: State<'_, SharedVault>,
    request: Input<OfflinePasswordRequest>,
) -> Reply<()> {
    with_session(&vault, move |v, session| {
        v.set_offline_password(session, &request.parse()?.new_password)
    })
    .await
}

/// Whether the provider at `issuer` answers now; asked by a password sign-in of a
/// linked account, on the blocking pool, after its password was right.
pub(crate) fn provider_answers(issuer: &str) -> bool {
    match oidc::Http::new() {
        Ok(http) => tauri::async_runtime::block_on(http.answers(issuer)),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_protocol_failure_is_its_own_typed_reply_without_detail() {
        use oidc::TokenProblem;
        let secret = "code=abc123&state=xyz";
        let cases = [
            (oidc::Error::WrongPath, Conflict::OrganisationWrongPath),
            (
                oidc::Error::StateMismatch,
                Conflict::OrganisationStateMismatch,
            ),
            (
                oidc::Error::IssuerMismatch,
                Conflict::OrganisationIssuerMismatch,
            ),
            (
                oidc::Error::Denied(secret.into()),
                Conflict::OrganisationDenied,
            ),
            (oidc::Error::TimedOut, Conflict::OrganisationSignInTimedOut),
            (
                oidc::Error::CodeRefused(secret.into()),
                Conflict::OrganisationCodeRefused,
            ),
            (
                oidc::Error::DiscoveryInvalid(secret.into()),
                Conflict::ProviderInvalid,
            ),
            (oidc::Error::NoIdToken, Conflict::TokenInvalid),
            (
                oidc::Error::Token(TokenProblem::Signature),
                Conflict::TokenSignatureInvalid,
            ),
            (
                oidc::Error::Token(TokenProblem::Audience),
                Conflict::TokenAudienceInvalid,
            ),
            (
                oidc::Error::Token(TokenProblem::Expired),
                Conflict::TokenExpired,
            ),
            (
                oidc::Error::Token(TokenProblem::Nonce),
                Conflict::TokenNonceMismatch,
            ),
            (
                oidc::Error::Token(TokenProblem::Issuer),
                Conflict::TokenInvalid,
            ),
        ];
        for (error, expected) in cases {
            let reply = vault_error(error).reply();
            assert_eq!(reply.conflict, Some(expected));
            assert!(!reply.message.contains("abc123"), "{}", reply.message);
        }
        let unreachable = vault_error(oidc::Error::Unreachable(secret.into())).reply();
        assert_eq!(unreachable.code, vault::ErrorCode::Unreachable);
        assert!(!unreachable.message.contains("abc123"));
        let setting = vault_error(oidc::Error::Setting {
            field: "issuer",
            reason: "bad".into(),
        })
        .reply();
        assert_eq!(setting.field.as_deref(), Some("issuer"));
    }
}
