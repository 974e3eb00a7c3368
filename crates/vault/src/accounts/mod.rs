//! The data-access layer for accounts: every function takes the proof of a verified
//! session ([`crate::Session`]) or of an admin's ([`crate::AdminSession`]), and returns
//! DTOs built for that viewer. `own` holds a person's side, `admin` the console's,
//! `locks` the locked emails; this module holds the requests they share.
//!
//! Every change that takes away someone's access (password reset, disable, delete, role
//! change) ends that account's sessions in the same transaction.

mod admin;
mod locks;
mod own;
mod sessions;
mod transfer;

pub(crate) use admin::ensure_still_admin;
pub use locks::{LockedEmail, UnlockRequest};
pub use sessions::AccountSession;
#[cfg(feature = "test-support")]
pub(crate) use transfer::parse as parse_import;
pub use transfer::{
    AccountsCsv, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, ImportCheck, ImportProblem, ImportProgress,
    ImportedAccount, RowProblem,
};

use serde::Deserialize;
use ts_rs::TS;

use crate::db::users;
use crate::dto::Page;
use crate::error::{Error, Invalid, Result};
use crate::model::{Role, UserId};
use crate::validate::{self, EMAIL_MAX_BYTES};

/// Most rows one page may hold.
pub const PAGE_MAX: u32 = 200;
/// Rows per page when the caller does not say.
pub const PAGE_DEFAULT: u32 = 50;

/// A new account, as an admin fills it in. The password is generated.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewAccount {
    /// Email to sign in with.
    pub email: String,
    /// Name shown to others.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Team, if any.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub team: Option<String>,
    /// Phone number, if any.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub phone: Option<String>,
}

/// Which page of a list to return.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListQuery {
    /// A prefix of the email or the display name, case-insensitive.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub search: Option<String>,
    /// The `nextCursor` of the previous page.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub after: Option<String>,
    /// Rows per page, 1 to [`PAGE_MAX`]; [`PAGE_DEFAULT`] when absent.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub limit: Option<u32>,
    /// Admins' console only: accounts with (`true`) or without (`false`) a second
    /// factor. The directory takes no such filter.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub second_factor: Option<bool>,
}

/// Profile fields a person may change about themself.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileUpdate {
    /// Name shown to others.
    pub display_name: String,
    /// Phone number; empty to remove it.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub phone: Option<String>,
}

/// Profile fields an admin may change about anyone, and whose. The app's
/// `update_account` command takes exactly this as its request.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountUpdate {
    /// The account.
    pub id: UserId,
    /// Name shown to others.
    pub display_name: String,
    /// Team; empty to remove it.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub team: Option<String>,
    /// Phone number; empty to remove it.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub phone: Option<String>,
}

/// A validated list query.
pub(crate) struct Listing {
    prefix: Option<String>,
    after: Option<String>,
    limit: u32,
    second_factor: Option<bool>,
}

impl Listing {
    pub(crate) fn parse(query: &ListQuery) -> Result<Self> {
        let prefix = match query.search.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(search) => {
                if search.len() > EMAIL_MAX_BYTES {
                    return Err(Error::invalid("search", Invalid::TooLong(EMAIL_MAX_BYTES)));
                }
                if search.chars().any(char::is_control) {
                    return Err(Error::invalid("search", Invalid::ControlCharacter));
                }
                Some(validate::fold(search))
            }
        };
        let after = match query.after.as_deref() {
            None | Some("") => None,
            Some(after) if after.len() > EMAIL_MAX_BYTES || after.contains('\0') => {
                return Err(Error::invalid("after", Invalid::Malformed));
            }
            Some(after) => Some(after.to_owned()),
        };
        let limit = query.limit.unwrap_or(PAGE_DEFAULT);
        if !(1..=PAGE_MAX).contains(&limit) {
            return Err(Error::invalid("limit", Invalid::TooLong(PAGE_MAX as usize)));
        }
        Ok(Self {
            prefix,
            after,
            limit,
            second_factor: query.second_factor,
        })
    }

    /// The rows of the admins' console: every account, filtered by second factor if
    /// asked.
    pub(crate) fn as_admin_rows(&self) -> users::Listing<'_> {
        users::Listing {
            prefix: self.prefix.as_deref(),
            after: self.after.as_deref(),
            active_only: false,
            second_factor: self.second_factor,
            limit: self.limit,
        }
    }

    /// The rows of the directory: active accounts only, and no filter on what only
    /// admins may know.
    pub(crate) fn as_directory_rows(&self) -> users::Listing<'_> {
        users::Listing {
            prefix: self.prefix.as_deref(),
            after: self.after.as_deref(),
            active_only: true,
            second_factor: None,
            limit: self.limit,
        }
    }

    pub(crate) fn page<T>(
        &self,
        rows: Vec<users::UserRow>,
        build: impl FnMut(users::UserRow) -> T,
    ) -> Page<T> {
        let full = rows.len() == self.limit as usize;
        let next_cursor = rows.last().filter(|_| full).map(|row| row.email.clone());
        Page {
            items: rows.into_iter().map(build).collect(),
            next_cursor,
        }
    }
}
