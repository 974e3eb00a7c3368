//! Discovery, the authorization request and the code exchange, through `openidconnect`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreErrorResponseType, CoreIdToken, CoreJsonWebKeySet,
    CoreProviderMetadata,
};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope, StandardErrorResponse,
    TokenResponse,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result, TokenProblem};
use crate::http::Http;

/// A provider's discovery document and keys, as JSON, for the vault to cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discovered {
    /// The issuer, exactly as the discovery document names it.
    pub issuer: String,
    /// The `.well-known/openid-configuration` document.
    pub metadata: String,
    /// The JSON Web Key Set at its `jwks_uri`.
    pub jwks: String,
}

impl Discovered {
    fn metadata(&self) -> Result<CoreProviderMetadata> {
        let metadata: CoreProviderMetadata = serde_json::from_str(&self.metadata)
            .map_err(|e| Error::DiscoveryInvalid(format!("cached metadata: {e}")))?;
        let jwks: CoreJsonWebKeySet = serde_json::from_str(&self.jwks)
            .map_err(|e| Error::DiscoveryInvalid(format!("cached keys: {e}")))?;
        Ok(metadata.set_jwks(jwks))
    }
}

/// Reads `issuer`'s discovery document and keys. The document must name `issuer`
/// exactly and have a token endpoint. (Every sign-in sends a PKCE S256 challenge; a
/// provider that ignored it would still be bound by `state` and `nonce`.)
pub async fn discover(http: &Http, issuer: &str) -> Result<Discovered> {
    let issuer_url = IssuerUrl::new(issuer.trim().to_owned()).map_err(|e| Error::Setting {
        field: "issuer",
        reason: e.to_string(),
    })?;
    let metadata = CoreProviderMetadata::discover_async(issuer_url, http)
        .await
        .map_err(|error| match error {
            openidconnect::DiscoveryError::Request(e) => Error::Unreachable(e.to_string()),
            other => Error::DiscoveryInvalid(other.to_string()),
        })?;
    if metadata.token_endpoint().is_none() {
        return Err(Error::DiscoveryInvalid(
            "the provider has no token endpoint".into(),
        ));
    }
    Ok(Discovered {
        issuer: metadata.issuer().to_string(),
        metadata: to_json(&metadata)?,
        jwks: to_json(metadata.jwks())?,
    })
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::DiscoveryInvalid(e.to_string()))
}

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// One sign-in in progress: the authorization URL to open, and the secrets (PKCE
/// verifier, state, nonce) that only this process holds.
pub struct Attempt {
    client: Client,
    issuer: String,
    authorize_url: url::Url,
    state: CsrfToken,
    nonce: Nonce,
    verifier: PkceCodeVerifier,
}

impl std::fmt::Debug for Attempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secrets stay out of logs and panics.
        f.debug_struct("Attempt")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

/// Who the provider says signed in: the verified ID token's claims.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// The token's issuer (`iss`).
    pub issuer: String,
    /// The person's stable id at that issuer (`sub`).
    pub subject: String,
    /// Every claim of the verified token, for the caller's mapping (email, name,
    /// groups).
    pub claims: Map<String, Value>,
    /// The refresh token that came with it, when the provider issued one (from
    /// [`Attempt::finish`]; the checks alone leave it empty).
    pub refresh: Option<RefreshGrant>,
}

impl Attempt {
    /// Starts a sign-in at the provider `discovered` describes, as the public client
    /// `client_id`, asking for `scopes` (`openid` is always asked), coming back to
    /// `redirect_uri` (the [`crate::Loopback`]'s).
    pub fn begin(
        discovered: &Discovered,
        client_id: &str,
        scopes: &[String],
        redirect_uri: &str,
    ) -> Result<Self> {
        let client_id = client_id.trim();
        if client_id.is_empty() {
            return Err(Error::Setting {
                field: "clientId",
                reason: "it is empty".into(),
            });
        }
        let redirect = RedirectUrl::new(redirect_uri.to_owned()).map_err(|e| Error::Setting {
            field: "redirectUri",
            reason: e.to_string(),
        })?;
        let client = CoreClient::from_provider_metadata(
            discovered.metadata()?,
            ClientId::new(client_id.to_owned()),
            None,
        )
        .set_redirect_uri(redirect);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in scopes
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty() && *s != "openid")
        {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        let (authorize_url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok(Self {
            client,
            issuer: discovered.issuer.clone(),
            authorize_url,
            state,
            nonce,
            verifier,
        })
    }

    /// The URL to open in the system browser.
    pub fn authorize_url(&self) -> &url::Url {
        &self.authorize_url
    }

    /// The `state` the redirect must carry back.
    pub fn state(&self) -> &str {
        self.state.secret()
    }

    /// The issuer the redirect's `iss` must name.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Exchanges `code` for tokens (with the PKCE verifier) and checks the ID token now.
    pub async fn finish(self, http: &Http, code: String) -> Result<Identity> {
        let exchanged = self.exchange(http, code).await?;
        let mut identity = exchanged.verify(Utc::now())?;
        identity.refresh = exchanged.refresh_grant();
        Ok(identity)
    }

    /// Exchanges `code` for tokens with the PKCE verifier; the ID token is not checked
    /// yet ([`Exchanged::verify`]).
    pub async fn exchange(self, http: &Http, code: String) -> Result<Exchanged> {
        let response = self
            .client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| Error::DiscoveryInvalid(e.to_string()))?
            .set_pkce_verifier(self.verifier)
            .request_async(http)
            .await
            .map_err(token_refused)?;
        let id_token = response.id_token().ok_or(Error::NoIdToken)?.clone();
        let refresh = response
            .refresh_token()
            .map(|token| RefreshGrant(token.secret().clone()));
        Ok(Exchanged {
            client: self.client,
            nonce: self.nonce,
            id_token,
            refresh,
        })
    }
}

/// The token endpoint's failure, for a code or a refresh token alike: the provider's
/// refusal, or no answer.
fn token_refused<RE: std::error::Error + 'static>(
    error: RequestTokenError<RE, StandardErrorResponse<CoreErrorResponseType>>,
) -> Error {
    match error {
        RequestTokenError::ServerResponse(answer) => {
            Error::CodeRefused(answer.error().as_ref().to_owned())
        }
        RequestTokenError::Request(e) => Error::Unreachable(e.to_string()),
        other => Error::CodeRefused(other.to_string()),
    }
}

/// A refresh token: while the provider accepts it, it still vouches for the person. It
/// never leaves the process, and its `Debug` prints nothing of it.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshGrant(String);

impl std::fmt::Debug for RefreshGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefreshGrant(<secret>)")
    }
}

/// Asks the provider `discovered` describes whether `grant` (issued to the public client
/// `client_id`) still stands. `Ok` carries the grant to use next time (the provider may
/// rotate it); `Err(CodeRefused)` means the provider refused it: the person was disabled,
/// signed out everywhere, or the grant expired. `Err(Unreachable)` says nothing.
pub async fn refresh(
    http: &Http,
    discovered: &Discovered,
    client_id: &str,
    grant: &RefreshGrant,
) -> Result<RefreshGrant> {
    let client = CoreClient::from_provider_metadata(
        discovered.metadata()?,
        ClientId::new(client_id.trim().to_owned()),
        None,
    );
    let token = RefreshToken::new(grant.0.clone());
    let response = client
        .exchange_refresh_token(&token)
        .map_err(|e| Error::DiscoveryInvalid(e.to_string()))?
        .request_async(http)
        .await
        .map_err(token_refused)?;
    Ok(response
        .refresh_token()
        .map_or_else(|| grant.clone(), |next| RefreshGrant(next.secret().clone())))
}

/// The tokens of a sign-in, before the ID token's checks.
pub struct Exchanged {
    client: Client,
    nonce: Nonce,
    id_token: CoreIdToken,
    refresh: Option<RefreshGrant>,
}

impl std::fmt::Debug for Exchanged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchanged").finish_non_exhaustive()
    }
}

impl Exchanged {
    /// Checks the ID token at `now` and returns who signed in.
    pub fn verify(&self, now: DateTime<Utc>) -> Result<Identity> {
        check(&self.client, &self.nonce, &self.id_token, now)
    }

    /// The refresh token that came with the ID token, if the provider issued one.
    pub fn refresh_grant(&self) -> Option<RefreshGrant> {
        self.refresh.clone()
    }

    /// Checks another raw ID token in this one's place (same client, nonce and keys):
    /// for tests of refused tokens, such as one whose signature was changed.
    pub fn verify_other(&self, raw: &str, now: DateTime<Utc>) -> Result<Identity> {
        let token: CoreIdToken = raw
            .parse()
            .map_err(|_| Error::Token(TokenProblem::Malformed))?;
        check(&self.client, &self.nonce, &token, now)
    }

    /// The raw ID token, for [`Self::verify_other`]'s tests. Never log it.
    pub fn raw_id_token(&self) -> String {
        self.id_token.to_string()
    }
}

/// The ID token's checks, then its claims. Only after `openidconnect` verified the
/// signature, issuer, audience, expiry and nonce is the payload read as JSON, for the
/// claims the core types do not name (groups and other custom claims).
fn check(
    client: &Client,
    nonce: &Nonce,
    token: &CoreIdToken,
    now: DateTime<Utc>,
) -> Result<Identity> {
    let verifier = client.id_token_verifier().set_time_fn(move || now);
    let claims = token.claims(&verifier, nonce).map_err(|error| {
        Error::Token(match error {
            ClaimsVerificationError::SignatureVerification(_) => TokenProblem::Signature,
            ClaimsVerificationError::InvalidAudience(_) => TokenProblem::Audience,
            ClaimsVerificationError::Expired(_) => TokenProblem::Expired,
            ClaimsVerificationError::InvalidIssuer(_) => TokenProblem::Issuer,
            ClaimsVerificationError::InvalidNonce(_) => TokenProblem::Nonce,
            _ => TokenProblem::Malformed,
        })
    })?;
    let raw = token.to_string();
    let payload = raw
        .split('.')
        .nth(1)
        .and_then(|part| URL_SAFE_NO_PAD.decode(part).ok())
        .and_then(|bytes| serde_json::from_slice::<Map<String, Value>>(&bytes).ok())
        .ok_or(Error::Token(TokenProblem::Malformed))?;
    Ok(Identity {
        issuer: claims.issuer().to_string(),
        subject: claims.subject().to_string(),
        claims: payload,
        refresh: None,
    })
}
