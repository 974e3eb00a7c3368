//! What can go wrong in a sign-in through the provider, each case its own variant so that
//! the caller can say it clearly. Details that could carry a secret never appear here.

/// Why an ID token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// Its signature does not verify against the provider's published keys.
    Signature,
    /// It was issued for another client.
    Audience,
    /// It has expired (or is not yet valid).
    Expired,
    /// It names another issuer.
    Issuer,
    /// Its nonce is not the one this sign-in sent.
    Nonce,
    /// Anything else the checks refused (an unsupported algorithm, a malformed token).
    Malformed,
}

/// A failed step of a sign-in through the provider.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The provider could not be reached (no network, refused, timed out).
    #[error("the identity provider could not be reached: {0}")]
    Unreachable(String),
    /// The issuer's discovery document or its keys are not valid OpenID metadata, or
    /// name another issuer.
    #[error("the identity provider's configuration is not valid: {0}")]
    DiscoveryInvalid(String),
    /// A setting (issuer URL, client id, scope) is not usable.
    #[error("invalid setting {field}: {reason}")]
    Setting {
        /// The setting.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The redirect came to another path than the callback.
    #[error("the browser came back to an unexpected address")]
    WrongPath,
    /// The redirect's `state` is not this sign-in's: another page, or a forgery.
    #[error("the browser came back with another sign-in's state")]
    StateMismatch,
    /// The redirect's `iss` names another provider (a mix-up).
    #[error("the browser came back from another identity provider")]
    IssuerMismatch,
    /// The provider refused the sign-in (the person cancelled, or has no access).
    #[error("the identity provider refused the sign-in: {0}")]
    Denied(String),
    /// Nobody came back before the time ran out.
    #[error("the sign-in in the browser took too long")]
    TimedOut,
    /// The token endpoint refused the code (used already, expired, or another
    /// sign-in's).
    #[error("the identity provider refused the sign-in code: {0}")]
    CodeRefused(String),
    /// The token response had no ID token.
    #[error("the identity provider sent no ID token")]
    NoIdToken,
    /// The ID token failed a check.
    #[error("the ID token was refused: {0:?}")]
    Token(TokenProblem),
    /// The loopback listener could not be opened or read.
    #[error("the sign-in listener failed: {0}")]
    Listener(String),
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
