//! Sessions: the token, where it is kept, and the proof types that the DAL demands.
//!
//! A token is `id.secret`, two independent 128-bit values from the OS CSPRNG, each
//! URL-safe base64. SQLite keeps the id and SHA-256 of the secret, never the token, so
//! a copy of the vault file cannot be replayed as a session. The secret is compared in
//! constant time. Sessions end after an idle period (activity slides it, last-seen is
//! written at most once a minute) and after an absolute lifetime, whichever comes first.
//! Every sign-in issues a new token; sign-out deletes the row. The token itself lives in
//! a [`SessionStore`]: the OS keyring in the app, memory in tests.

pub(crate) mod pending;
mod policy;
mod proof;
mod store;
mod token;

pub use pending::{SIGN_IN_SECONDS, SIGN_IN_TRIES};
pub use policy::SessionPolicy;
pub use proof::{AdminSession, Session, require_admin};
pub use store::{MemoryStore, SessionStore, StoreError};
pub use token::SessionToken;
