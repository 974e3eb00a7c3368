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
mod audit;
mod backup;
mod clock;
mod current;
mod db;
mod desk;
mod dto;
mod error;
#[cfg(feature = "test-support")]
pub mod fuzz;
mod health;
mod lock;
mod model;
mod organisation;
mod password;
mod pin;
mod policy;
mod random;
mod request;
mod rules;
mod second_factor;
mod secret;
#[cfg(feature = "test-support")]
mod seed;
mod session;
mod settings;
mod sign_in;
mod slots;
mod spreadsheet;
mod step_up;
mod throttle;
mod updates;
mod validate;
mod vault;

pub use accounts::{
    AccountSession, AccountUpdate, AccountsCsv, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, ImportCheck,
    ImportProblem, ImportProgress, ImportedAccount, ListQuery, LockedEmail, NewAccount,
    PAGE_DEFAULT, PAGE_MAX, ProfileUpdate, RowProblem, UnlockRequest,
};
pub use backup::{BackupReport, RestoreReport, restore};
pub use clock::{Clock, FixedClock, SystemClock, Timestamp};
pub use db::MIGRATIONS;
pub use desk::{LockScreen, LockedSession};
pub use dto::{
    BootstrapStatus, CreatedAccount, CurrentUser, IssuedPassword, Page, ProfileDto, UserDto,
};
pub use error::{Conflict, Error, ErrorCode, ErrorReply, Invalid, Result};
pub use health::{BreakGlassNotice, SecurityHealth};
pub use lock::{DeskSettings, DeskSettingsUpdate};
pub use model::audit::{
    AuditAnchor, AuditEntry, AuditEvent, AuditPage, AuditQuery, ChainReport, DayCount,
    ExportFormat, Outcome, TailCheck,
};
pub use model::{AccountStatus, LockReason, Role, UserId};
pub use organisation::{
    DEFAULT_OFFLINE_DAYS, DOCUMENTS_FRESH_SECONDS, IdentityProvider, MAX_OFFLINE_DAYS,
    OrganisationLink, OrganisationProvider, ProviderConnection, ProviderDocuments,
    ProviderIdentity, ProviderSetup,
};
pub use password::HashParams;
pub use pin::{PIN_MAX_DIGITS, PIN_MIN_DIGITS, PIN_TRIES, PinStatus};
pub use policy::{
    MIN_SCORE, PASSWORD_MIN_CHARS, PasswordContext, PasswordPolicy, PasswordStrength,
    breached_list_len, breached_list_len_at_least, estimate, is_breached,
};
pub use request::parse_request;
pub use rules::SignInRules;
pub use second_factor::{
    Enrolment, QrModules, RecoveryCodes, SecondFactorPolicy, SecondFactorStatus,
};
pub use secret::SecretString;
pub use session::{
    AdminSession, MemoryStore, SIGN_IN_SECONDS, SIGN_IN_TRIES, Session, SessionPolicy,
    SessionStore, SessionToken, StoreError, require_admin,
};
pub use sign_in::FirstAdmin;
pub use spreadsheet::line as spreadsheet_line;
pub use step_up::AdminAction;
pub use throttle::{LOCK_AFTER_FAILURES, LOCK_SECONDS, ThrottleRules};
pub use updates::UpdateStep;
pub use validate::{
    EMAIL_MAX_BYTES, NAME_MAX_CHARS, PASSWORD_MAX_BYTES, PHONE_MAX_CHARS, TEAM_MAX_CHARS,
    normalise_email,
};
pub use vault::{CALIBRATION_TARGET, Vault, VaultOptions};
