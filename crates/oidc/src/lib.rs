//! Sign-in through an organisation's OpenID provider, as a native app does it (RFC 8252):
//! the authorization code flow with PKCE (S256), `state` and `nonce`, in the system
//! browser, back to a one-request listener on `127.0.0.1` with a port the OS picks.
//!
//! The pieces, in the order a sign-in uses them:
//!
//! 1. [`discover`] reads the provider's `.well-known/openid-configuration` and its
//!    JWKS. The result, [`Discovered`], is plain JSON for the vault to cache with its
//!    fetch time.
//! 2. [`Loopback::bind`] opens the listener; [`Attempt::begin`] makes the
//!    authorization URL for it, with a fresh PKCE verifier, state and nonce that never
//!    leave this process.
//! 3. The caller opens [`Attempt::authorize_url`] in the system browser, and
//!    [`Loopback::receive`] waits for the one redirect: the path must be `/callback`,
//!    the `state` must match, and an `iss` parameter (RFC 9207) must name the provider.
//! 4. [`Attempt::finish`] exchanges the code (with the PKCE verifier) and checks the ID
//!    token with `openidconnect`: signature against the JWKS, issuer, audience, expiry
//!    and nonce. What comes back is the verified [`Identity`].
//!
//! Nothing here knows about the vault, Tauri or accounts; it returns typed
//! [`Error`]s, and no token, code or verifier is ever logged.

mod error;
mod flow;
mod http;
mod loopback;

pub use error::{Error, TokenProblem};
pub use flow::{Attempt, Discovered, Exchanged, Identity, RefreshGrant, discover, refresh};
pub use http::Http;
pub use loopback::{CALLBACK_PATH, Loopback};
