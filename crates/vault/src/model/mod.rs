//! Plain types shared by storage (`db`), the flows and the DTOs: account ids, roles and
//! statuses, and the audit log's types. They hold data and depend on nothing else of
//! the vault but the clock's `Timestamp`.

pub mod audit;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An account's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct UserId(pub i64);

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages accounts.
    Admin,
    /// Uses the computer; sees their own profile and the directory.
    User,
}

impl Role {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::User => "user",
        }
    }

    pub(crate) fn parse(text: &str) -> rusqlite::Result<Self> {
        match text {
            "admin" => Ok(Self::Admin),
            "user" => Ok(Self::User),
            other => Err(rusqlite::Error::InvalidColumnType(
                0,
                other.into(),
                rusqlite::types::Type::Text,
            )),
        }
    }
}

/// Why a session was locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LockReason {
    /// The person locked it (the Lock button, Ctrl/Cmd+L).
    Manual,
    /// No activity for the auto-lock time.
    Idle,
    /// The computer went to sleep.
    Sleep,
    /// The operating system locked its own session or the screen saver started.
    OsLock,
    /// Someone else signed in or unlocked their own session at this computer.
    Switch,
}

impl LockReason {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::Idle => "idle",
            Self::Sleep => "sleep",
            Self::OsLock => "os_lock",
            Self::Switch => "switch",
        }
    }

    pub(crate) fn parse(text: &str) -> rusqlite::Result<Self> {
        match text {
            "manual" => Ok(Self::Manual),
            "idle" => Ok(Self::Idle),
            "sleep" => Ok(Self::Sleep),
            "os_lock" => Ok(Self::OsLock),
            "switch" => Ok(Self::Switch),
            other => Err(rusqlite::Error::InvalidColumnType(
                0,
                other.into(),
                rusqlite::types::Type::Text,
            )),
        }
    }
}

/// Whether an account can sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum AccountStatus {
    /// Can sign in.
    Active,
    /// Cannot sign in; kept for its history.
    Disabled,
}

impl AccountStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Disabled => "disabled",
        }
    }

    pub(crate) fn parse(text: &str) -> rusqlite::Result<Self> {
        match text {
            "active" => Ok(Self::Active),
            "disabled" => Ok(Self::Disabled),
            other => Err(rusqlite::Error::InvalidColumnType(
                0,
                other.into(),
                rusqlite::types::Type::Text,
            )),
        }
    }
}
