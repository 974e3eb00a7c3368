//! The vault's one error type, its stable codes, and the reply the UI receives.
//!
//! Every variant has a code the UI branches on and a message that is safe to show to
//! the person at the keyboard. Internal detail (SQL text, I/O errors) stays inside
//! [`Error::Internal`], is written to the log, and never reaches the reply.

use std::borrow::Cow;

use serde::Serialize;
use ts_rs::TS;

use crate::model::LockReason;

/// Result with the vault's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the vault, as the caller needs to tell it apart.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Unknown email, wrong password or disabled account: deliberately indistinguishable.
    #[error("invalid email or password")]
    InvalidCredentials,
    /// No session: nobody is signed in, or the session was ended.
    #[error("not signed in")]
    NotAuthenticated,
    /// The session timed out (idle or absolute).
    #[error("session expired")]
    SessionExpired,
    /// Signed in, but the role or the data rules do not allow this.
    #[error("forbidden")]
    Forbidden,
    /// The account must change its password before doing anything else.
    #[error("password change required")]
    PasswordChangeRequired,
    /// Too many failed attempts for this email: try again in `retry_after` seconds.
    #[error("locked for {retry_after} s")]
    Locked {
        /// Seconds until the next attempt is allowed.
        retry_after: i64,
    },
    /// The session is locked: only the lock screen's commands answer until the person
    /// unlocks it (or signs out).
    #[error("session locked ({})", reason.as_str())]
    SessionLocked {
        /// Why it was locked.
        reason: LockReason,
    },
    /// A wrong PIN at the lock screen; at `remaining` 0 the session has ended.
    #[error("wrong PIN, {remaining} tries left")]
    WrongPin {
        /// Tries left before the session ends.
        remaining: i64,
    },
    /// The password was right and the account has a second factor: the sign-in finishes
    /// with a code from the authenticator app (or a recovery code) sent with `ticket`.
    #[error("a code from the authenticator app is required")]
    CodeRequired {
        /// Names the half-done sign-in, held in memory for a few minutes.
        ticket: String,
    },
    /// A wrong code at the second step; at `remaining` 0 the half-done sign-in is gone.
    #[error("wrong code, {remaining} tries left")]
    WrongCode {
        /// Tries left before the password is needed again.
        remaining: i64,
    },
    /// The account must set up its second factor before doing anything else: an admin
    /// requires one for its role.
    #[error("second factor required")]
    SecondFactorRequired,
    /// The action needs a fresh password check.
    #[error("re-authentication required")]
    ReauthRequired,
    /// Too many password checks are running or queued on this computer; nothing was
    /// checked or changed. Try again in a moment.
    #[error("busy")]
    Busy,
    /// A field failed validation; nothing was changed.
    #[error("invalid {field}: {reason}")]
    Validation {
        /// The field's name as the caller sent it (`email`, `password`, ...).
        field: Cow<'static, str>,
        /// What is wrong with it.
        reason: Invalid,
    },
    /// The request contradicts the vault's state.
    #[error("conflict: {0}")]
    Conflict(Conflict),
    /// No such account.
    #[error("not found")]
    NotFound,
    /// The vault file could not be written: the disk is full, or the file or its folder
    /// became read-only. The write was rolled back; reads still work.
    #[error("storage: {0}")]
    Storage(String),
    /// A server outside this computer (the update server) did not answer; the detail is
    /// logged, never shown.
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// A fault inside the vault (database, randomness, hashing). Logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Why a field was refused. Serialized as `{kind, limit?}` so the UI can word it in
/// each language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, TS)]
#[serde(tag = "kind", content = "limit", rename_all = "camelCase")]
pub enum Invalid {
    /// Empty, or only white space.
    #[error("it is empty")]
    Empty,
    /// Shorter than the minimum number of characters.
    #[error("it is shorter than {0} characters")]
    TooShort(usize),
    /// Longer than the maximum (bytes for passwords and email, characters elsewhere).
    #[error("it is longer than {0}")]
    TooLong(usize),
    /// Contains a NUL byte or another control character.
    #[error("it contains a control character")]
    ControlCharacter,
    /// Not of the expected form (an email without `@`, a phone number with letters).
    #[error("it is not in the expected format")]
    Malformed,
    /// A number below the smallest allowed.
    #[error("it is below {0}")]
    TooSmall(i64),
    /// A number above the largest allowed.
    #[error("it is above {0}")]
    TooLarge(i64),
    /// Absent from the request.
    #[error("it is missing")]
    Missing,
    /// A value of the wrong JSON type (a number where text belongs, ...).
    #[error("it has the wrong type")]
    WrongType,
    /// Not a field of this request.
    #[error("it is not expected here")]
    Unexpected,
    /// A password on the list of breached passwords.
    #[error("it is a commonly used password found in data breaches")]
    Breached,
    /// A password containing the email name, the display name or the product name.
    #[error("it contains your name, your email or the app's name")]
    PersonalInfo,
    /// A password that is too easy to guess (zxcvbn score below 3).
    #[error("it is too easy to guess")]
    TooWeak,
    /// A code that is not the authenticator app's current one.
    #[error("it is not the app's current code")]
    WrongCode,
}

/// Which rule of the vault's state a request ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Conflict {
    /// `create_first_admin` after the vault already has accounts.
    #[error("the vault already has an administrator")]
    AlreadyInitialised,
    /// The email is taken (compared after normalisation).
    #[error("an account with this email already exists")]
    EmailTaken,
    /// Demoting, disabling or deleting the only remaining active admin.
    #[error("the last active administrator cannot be removed")]
    LastActiveAdmin,
    /// Acting on one's own role, status or account through an admin operation.
    #[error("you cannot do this to your own account")]
    OwnAccount,
    /// The new password equals the current one.
    #[error("the new password must differ from the current one")]
    PasswordUnchanged,
    /// The vault file was written by a newer Latchkey; it is left untouched.
    #[error(
        "this vault was written by a newer version of Latchkey: install that version or a later one"
    )]
    VaultTooNew,
    /// A file to restore from is damaged or is not a Latchkey vault.
    #[error("this file is not a whole Latchkey vault")]
    NotAVault,
    /// A restore while the vault is open (the app, a second instance or the recovery
    /// CLI), or the app started while a restore runs.
    #[error("the vault is in use: quit Latchkey everywhere on this computer, then try again")]
    VaultInUse,
    /// A file to write already exists; it is left as it is.
    #[error("the file already exists")]
    FileExists,
    /// Quick unlock with a PIN is not possible for this session: no PIN is set, the
    /// window since the last password check has passed, or the tries are used up.
    #[error("a PIN cannot unlock this session: use your password")]
    PinUnavailable,
    /// The system's SQLite library lacks features the vault's schema uses.
    #[error(
        "this system's SQLite library is older than 3.37, which Latchkey needs: update the sqlite3 package"
    )]
    SqliteTooOld,
    /// The half-done sign-in is unknown: it took longer than five minutes, its tries
    /// are used up, or it finished already.
    #[error("this sign-in took too long or was already used: sign in again")]
    SignInExpired,
    /// Setting up a second factor for an account that has one.
    #[error("a second factor is already set up: remove it first")]
    AlreadyEnrolled,
    /// An action on a second factor the account does not have.
    #[error("no second factor is set up")]
    NotEnrolled,
    /// Confirming a second factor that was not started, or started too long ago.
    #[error("start setting up the second factor again")]
    EnrolmentNotStarted,
    /// Removing one's own second factor while an admin requires one.
    #[error("an administrator requires a second factor for your account")]
    SecondFactorRequired,
    /// This build has no update server or no release key, so it cannot update itself.
    #[error("this build of Latchkey is not set up to update itself")]
    UpdatesOff,
    /// The update server's answer is not a valid update manifest, or names no package
    /// for this system.
    #[error("the update server's answer is not a valid Latchkey update")]
    UpdateInvalid,
    /// The downloaded package does not match the release key's signature (or the version
    /// it was signed for); it was thrown away.
    #[error("the update is not signed with Latchkey's release key: nothing was installed")]
    UpdateRefused,
    /// Installing an update that no check offered in this run.
    #[error("check for updates first")]
    NoUpdatePending,
    /// The system's installer refused or failed; the installed version is unchanged.
    #[error("the update could not be installed: this version stays in place")]
    UpdateInstallFailed,
    /// The account signs in through an organisation's provider and has no password at
    /// this computer.
    #[error("this account has no password at this computer: sign in with your organisation")]
    NoLocalPassword,
    /// An identity provider with this issuer is set up already.
    #[error("this identity provider is set up already")]
    ProviderExists,
    /// The provider's discovery document or keys are not valid OpenID metadata, or name
    /// another issuer.
    #[error("the identity provider's settings could not be read: check the issuer URL")]
    ProviderInvalid,
    /// Finishing or cancelling a sign-in through the provider when none was started.
    #[error("start the sign-in with your organisation again")]
    NoOrganisationSignIn,
    /// The person cancelled the sign-in through the provider.
    #[error("the sign-in with your organisation was cancelled")]
    OrganisationSignInCancelled,
    /// Nobody came back from the browser in time.
    #[error("the sign-in in the browser took too long: start again")]
    OrganisationSignInTimedOut,
    /// The browser came back with another sign-in's `state` (another tab, or a forgery).
    #[error("the browser came back from another sign-in: start again")]
    OrganisationStateMismatch,
    /// The browser came back to another address than the sign-in's.
    #[error("the browser came back to an unexpected address: start again")]
    OrganisationWrongPath,
    /// The browser came back from another identity provider than the one asked.
    #[error("the browser came back from another identity provider: start again")]
    OrganisationIssuerMismatch,
    /// The provider refused the sign-in (the person declined, or has no access).
    #[error("your organisation refused the sign-in")]
    OrganisationDenied,
    /// The provider refused the sign-in code (used already, or expired).
    #[error("your organisation refused the sign-in code: start again")]
    OrganisationCodeRefused,
    /// The ID token's signature does not verify against the provider's keys.
    #[error("the sign-in was refused: its signature is not your organisation's")]
    TokenSignatureInvalid,
    /// The ID token was issued for another application.
    #[error("the sign-in was refused: it was issued for another application")]
    TokenAudienceInvalid,
    /// The ID token has expired (or this computer's clock is far off).
    #[error("the sign-in was refused: it has expired (check this computer's clock)")]
    TokenExpired,
    /// The ID token's nonce is not this sign-in's (a replay).
    #[error("the sign-in was refused: it belongs to another sign-in")]
    TokenNonceMismatch,
    /// The ID token failed another check (issuer, algorithm, form), or none came.
    #[error("the sign-in was refused: your organisation's answer is not valid")]
    TokenInvalid,
    /// The provider shared no verified email address, which an account needs.
    #[error("your organisation did not share a verified email address")]
    OrganisationEmailMissing,
    /// An account with the token's email exists here and may not be linked.
    #[error(
        "an account with your email exists at this computer and is not linked to your organisation: ask an administrator"
    )]
    OrganisationEmailTaken,
    /// The account is linked to another provider or subject already.
    #[error("this account is linked to another sign-in of your organisation already")]
    AccountLinkedElsewhere,
    /// The account is disabled at this computer, whatever the provider says.
    #[error("your account is disabled at this computer: ask an administrator")]
    AccountDisabledHere,
    /// A password sign-in of a linked account while its provider can be reached.
    #[error("your organisation can be reached: sign in with it")]
    UseOrganisationSignIn,
    /// The offline window since the last sign-in through the provider has passed.
    #[error("signing in without your organisation is no longer allowed: sign in with it online")]
    OfflineWindowPassed,
    /// This computer's clock is behind the latest time the vault recorded.
    #[error(
        "this computer's clock is behind the last recorded time: offline sign-in is refused until it is set right"
    )]
    ClockBehind,
    /// The provider refused the person's refresh token: offline sign-in is refused until
    /// their next sign-in through it.
    #[error("your organisation no longer accepts your sign-in: sign in with it while online")]
    OrganisationRefused,
    /// An action for accounts linked to a provider, on one that is not.
    #[error("this account is not linked to an organisation")]
    NotLinked,
}

/// Stable machine-readable codes, shared with the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[allow(
    missing_docs,
    reason = "each code is the variant of Error with the same name"
)]
pub enum ErrorCode {
    InvalidCredentials,
    NotAuthenticated,
    SessionExpired,
    Forbidden,
    PasswordChangeRequired,
    Locked,
    SessionLocked,
    WrongPin,
    CodeRequired,
    WrongCode,
    SecondFactorRequired,
    ReauthRequired,
    Busy,
    Validation,
    Conflict,
    NotFound,
    Storage,
    Unreachable,
    Internal,
}

/// What the UI receives for a failed call: a code to branch on and a message to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ErrorReply {
    /// The stable code.
    pub code: ErrorCode,
    /// A message safe to show to the person at the keyboard.
    pub message: String,
    /// For `Validation`, the field to mark.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    /// For `Validation`, what is wrong with the field.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<Invalid>,
    /// For `Conflict`, which rule the request ran into.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub conflict: Option<Conflict>,
    /// For `Locked`, seconds until the next attempt is allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub retry_after: Option<i64>,
    /// For `CodeRequired`, the half-done sign-in to finish.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    #[ts(type = "string")]
    pub ticket: Option<Box<str>>,
    /// For `WrongPin`, tries left before the session ends; for `WrongCode`, before the
    /// password is needed again.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub remaining_tries: Option<i64>,
    /// For `SessionLocked`, why the session was locked.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub lock_reason: Option<LockReason>,
}

impl Error {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidCredentials => ErrorCode::InvalidCredentials,
            Self::NotAuthenticated => ErrorCode::NotAuthenticated,
            Self::SessionExpired => ErrorCode::SessionExpired,
            Self::Forbidden => ErrorCode::Forbidden,
            Self::PasswordChangeRequired => ErrorCode::PasswordChangeRequired,
            Self::Locked { .. } => ErrorCode::Locked,
            Self::SessionLocked { .. } => ErrorCode::SessionLocked,
            Self::WrongPin { .. } => ErrorCode::WrongPin,
            Self::CodeRequired { .. } => ErrorCode::CodeRequired,
            Self::WrongCode { .. } => ErrorCode::WrongCode,
            Self::SecondFactorRequired => ErrorCode::SecondFactorRequired,
            Self::ReauthRequired => ErrorCode::ReauthRequired,
            Self::Busy => ErrorCode::Busy,
            Self::Validation { .. } => ErrorCode::Validation,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::NotFound => ErrorCode::NotFound,
            Self::Storage(_) => ErrorCode::Storage,
            Self::Unreachable(_) => ErrorCode::Unreachable,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// A message for people; never contains internal detail.
    pub fn user_message(&self) -> String {
        match self {
            Self::InvalidCredentials => "Invalid email or password.".into(),
            Self::NotAuthenticated => "Please sign in.".into(),
            Self::SessionExpired => "Your session expired. Please sign in again.".into(),
            Self::Forbidden => "You do not have permission to do this.".into(),
            Self::PasswordChangeRequired => "Please choose a new password first.".into(),
            Self::Locked { retry_after } => {
                format!("Too many failed attempts. Try again in {retry_after} s.")
            }
            Self::SessionLocked { .. } => "This session is locked. Unlock it to continue.".into(),
            Self::WrongPin { remaining: 0 } => {
                "Wrong PIN. That was the last try: the session was signed out.".into()
            }
            Self::WrongPin { remaining } => format!("Wrong PIN. {remaining} tries left."),
            Self::CodeRequired { .. } => "Enter the code from your authenticator app.".into(),
            Self::WrongCode { remaining: 0 } => {
                "Wrong code. That was the last try: sign in again.".into()
            }
            Self::WrongCode { remaining } => format!("Wrong code. {remaining} tries left."),
            Self::SecondFactorRequired => {
                "Set up two-step sign-in first: your administrator requires it.".into()
            }
            Self::ReauthRequired => "Please confirm your password to continue.".into(),
            Self::Busy => "Too many password checks at once. Try again in a moment.".into(),
            Self::Validation { field, reason } => {
                let label = match field.as_ref() {
                    "displayName" => "name",
                    "newPassword" => "new password",
                    "currentPassword" => "current password",
                    other => other,
                };
                let mut text = format!("The {label} is invalid: {reason}.");
                if let Some(first) = text.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                text
            }
            Self::Conflict(conflict) => {
                let mut text = conflict.to_string();
                if let Some(first) = text.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                text + "."
            }
            Self::NotFound => "No such account.".into(),
            Self::Storage(_) => "The vault could not be saved: the disk may be full or read-only. \
                                 Nothing was changed."
                .into(),
            Self::Unreachable(_) => {
                "The server could not be reached. Check the network connection and try again."
                    .into()
            }
            Self::Internal(_) => "Something went wrong in the vault. Please try again.".into(),
        }
    }

    /// The reply for the UI. Internal errors are logged here, once, with their detail.
    pub fn reply(&self) -> ErrorReply {
        match self {
            Self::Internal(detail) => log::error!("vault internal error: {detail}"),
            Self::Storage(detail) => log::error!("vault storage error: {detail}"),
            Self::Unreachable(detail) => log::warn!("server unreachable: {detail}"),
            _ => {}
        }
        ErrorReply {
            code: self.code(),
            message: self.user_message(),
            field: match self {
                Self::Validation { field, .. } => Some(field.to_string()),
                _ => None,
            },
            reason: match self {
                Self::Validation { reason, .. } => Some(*reason),
                _ => None,
            },
            conflict: match self {
                Self::Conflict(conflict) => Some(*conflict),
                _ => None,
            },
            retry_after: match self {
                Self::Locked { retry_after } => Some(*retry_after),
                _ => None,
            },
            ticket: match self {
                Self::CodeRequired { ticket } => Some(ticket.as_str().into()),
                _ => None,
            },
            remaining_tries: match self {
                Self::WrongPin { remaining } | Self::WrongCode { remaining } => Some(*remaining),
                _ => None,
            },
            lock_reason: match self {
                Self::SessionLocked { reason } => Some(*reason),
                _ => None,
            },
        }
    }

    /// A validation error for `field`.
    pub fn invalid(field: impl Into<Cow<'static, str>>, reason: Invalid) -> Self {
        Self::Validation {
            field: field.into(),
            reason,
        }
    }

    /// An internal error: `context` and `source` go to the log, never to the UI.
    pub fn internal(context: &str, source: impl std::fmt::Display) -> Self {
        Self::Internal(format!("{context}: {source}"))
    }
}

impl From<rusqlite::Error> for Error {
    fn from(source: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as Code;
        match &source {
            rusqlite::Error::SqliteFailure(failure, _)
                if matches!(
                    failure.code,
                    Code::DiskFull | Code::ReadOnly | Code::SystemIoFailure | Code::CannotOpen
                ) =>
            {
                Self::Storage(source.to_string())
            }
            _ => Self::internal("sqlite", source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_detail_never_reaches_the_reply() {
        let reply = Error::internal("sqlite", "no such table: users; SELECT phc").reply();
        assert_eq!(reply.code, ErrorCode::Internal);
        assert!(!reply.message.contains("sqlite"));
        assert!(!reply.message.contains("phc"));
    }

    #[test]
    fn validation_reply_names_the_field() {
        let reply = Error::invalid("email", Invalid::TooLong(254)).reply();
        let json = serde_json::to_value(&reply).unwrap_or_default();
        assert_eq!(json["code"], "Validation");
        assert_eq!(json["field"], "email");
    }

    #[test]
    fn conflict_messages_read_as_sentences() {
        let message = Error::Conflict(Conflict::LastActiveAdmin).user_message();
        assert_eq!(message, "The last active administrator cannot be removed.");
    }
}
