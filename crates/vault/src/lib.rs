//! Latchkey's account vault: the core that the desktop shell wraps.
//!
//! It owns the SQLite file (accounts, argon2id password hashes, sessions), the rules for
//! signing in and out, and the data-access layer. Nothing here knows about Tauri or a
//! window. The session token lives in a [`SessionStore`] the shell provides (the OS
//! keyring), and time comes from a [`Clock`].
//!
//! Authorization is in the types: [`Vault::verify_session`] is the only way to get a
//! [`Session`], [`require_admin`] the only way to get an [`AdminSession`], and every
//! function that reads or changes account data takes one of them. What comes back is a
//! DTO built for the viewer, never a row.

#![deny(missing_docs)]

mod accounts;
mod clock;
mod db;
mod dto;
mod error;
mod model;
mod password;
mod random;
mod secret;
mod session;
mod validate;
mod vault;

pub use accounts::{AccountUpdate, ListQuery, NewAccount, PAGE_DEFAULT, PAGE_MAX, ProfileUpdate};
pub use clock::{Clock, FixedClock, SystemClock, Timestamp};
pub use db::MIGRATIONS;
pub use dto::{
    BootstrapStatus, CreatedAccount, CurrentUser, IssuedPassword, Page, ProfileDto, UserDto,
};
pub use error::{Conflict, Error, ErrorCode, ErrorReply, Invalid, Result};
pub use model::{AccountStatus, Role, UserId};
pub use password::HashParams;
pub use secret::SecretString;
pub use session::{
    AdminSession, MemoryStore, Session, SessionPolicy, SessionStore, SessionToken, StoreError,
    require_admin,
};
pub use validate::{
    EMAIL_MAX_BYTES, NAME_MAX_CHARS, PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARS, PHONE_MAX_CHARS,
    TEAM_MAX_CHARS,
};
pub use vault::{FirstAdmin, Vault, VaultOptions};
