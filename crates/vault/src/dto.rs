//! What leaves the vault: data-transfer objects built for one viewer.
//!
//! Rows never leave the core. Each DTO holds only fields the viewer may see, and none
//! can hold a password hash, a session token or its secret: the types that carry those
//! do not implement `Serialize`. The one exception by design is [`IssuedPassword`], the
//! one-time temporary password an admin reads out once.

use serde::{Serialize, Serializer};
use ts_rs::TS;

use crate::clock::Timestamp;
use crate::db::users::UserRow;
use crate::model::{AccountStatus, Role, UserId};
use crate::secret::SecretString;

/// An account as an admin sees it in the accounts table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserDto {
    /// Account id.
    pub id: UserId,
    /// Normalised email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Team, if any.
    pub team: Option<String>,
    /// Phone number, if any: admins may see everyone's (`can_see_phone_number`), and
    /// only admins receive this DTO.
    pub phone: Option<String>,
    /// Active or disabled.
    pub status: AccountStatus,
    /// Must choose a new password at the next sign-in.
    pub must_change_password: bool,
    /// When the account was created (Unix seconds, UTC).
    pub created_at: Timestamp,
    /// The last successful sign-in, if any (Unix seconds, UTC).
    pub last_sign_in_at: Option<Timestamp>,
    /// Whether the account has a second factor (never the factor itself).
    pub second_factor: bool,
}

/// A person's profile, as one particular viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileDto {
    /// Account id.
    pub id: UserId,
    /// Normalised email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Team, if any.
    pub team: Option<String>,
    /// The phone number, present only when the viewer may see it: themself, an admin,
    /// or a member of the same team (see [`can_see_phone_number`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub phone: Option<String>,
    /// True when the viewer may not see this person's phone number (whether or not
    /// there is one), so the UI can say "not shown" rather than "none".
    pub phone_hidden: bool,
}

/// The signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CurrentUser {
    /// Account id.
    pub id: UserId,
    /// Normalised email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Team, if any.
    pub team: Option<String>,
    /// Their own phone number.
    pub phone: Option<String>,
    /// Must choose a new password before anything else.
    pub must_change_password: bool,
    /// Must set up a second factor before anything else (after any password change):
    /// an admin requires one for this person's role.
    pub second_factor_due: bool,
    /// When this session ends regardless of activity (Unix seconds, UTC).
    pub session_expires_at: Timestamp,
    /// Whether the session survives a restart (the OS keyring works).
    pub stay_signed_in: bool,
}

/// What the app needs to know before anyone signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BootstrapStatus {
    /// The vault has no accounts yet: show the first-run wizard.
    pub needs_first_admin: bool,
    /// Sessions survive a restart (the OS keyring works). When false, signing in still
    /// works but lasts only until the app closes.
    pub stay_signed_in: bool,
}

/// One page of a keyset-paginated list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// The items, in order.
    pub items: Vec<T>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A one-time temporary password, shown to the admin once and never stored in the clear.
/// The account must replace it at its next sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedPassword(pub(crate) SecretString);

impl IssuedPassword {
    /// The temporary password.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl Serialize for IssuedPassword {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.expose())
    }
}

/// A new account and its one-time temporary password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreatedAccount {
    /// The account.
    pub account: UserDto,
    /// The temporary password to hand over.
    #[ts(type = "string")]
    pub temporary_password: IssuedPassword,
}

/// The viewer's side of the phone-number rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Viewer {
    pub(crate) id: UserId,
    pub(crate) role: Role,
    pub(crate) team: Option<String>,
}

/// Whether `viewer` may see the phone number of `owner`, who is in `owner_team`: the
/// owner themself, any admin, and members of the same team.
pub(crate) fn can_see_phone_number(
    viewer: &Viewer,
    owner: UserId,
    owner_team: Option<&str>,
) -> bool {
    viewer.id == owner
        || viewer.role == Role::Admin
        || matches!((viewer.team.as_deref(), owner_team), (Some(a), Some(b)) if a == b)
}

/// DTOs from a `users` row, each built for its viewer. They live here, beside the rules
/// that shape them, so storage knows nothing of what each viewer may see.
impl UserRow {
    pub(crate) fn into_user_dto(self) -> UserDto {
        UserDto {
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            role: self.role,
            team: self.team,
            phone: self.phone,
            status: self.status,
            must_change_password: self.must_change_password,
            created_at: self.created_at,
            last_sign_in_at: self.last_sign_in_at,
            second_factor: self.has_second_factor,
        }
    }

    pub(crate) fn into_profile(self, viewer: &Viewer) -> ProfileDto {
        let phone_visible = can_see_phone_number(viewer, self.id, self.team.as_deref());
        ProfileDto {
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            role: self.role,
            team: self.team,
            phone: self.phone.filter(|_| phone_visible),
            phone_hidden: !phone_visible,
        }
    }

    pub(crate) fn into_current_user(
        self,
        session_expires_at: Timestamp,
        stay_signed_in: bool,
    ) -> CurrentUser {
        CurrentUser {
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            role: self.role,
            team: self.team,
            phone: self.phone,
            must_change_password: self.must_change_password,
            second_factor_due: false,
            session_expires_at,
            stay_signed_in,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(id: i64, role: Role, team: Option<&str>) -> Viewer {
        Viewer {
            id: UserId(id),
            role,
            team: team.map(str::to_owned),
        }
    }

    #[test]
    fn phone_is_visible_to_self_admins_and_teammates_only() {
        let owner = UserId(1);
        let cases = [
            (viewer(1, Role::User, None), true, "the owner"),
            (viewer(2, Role::Admin, None), true, "an admin"),
            (
                viewer(3, Role::User, Some("front desk")),
                true,
                "a teammate",
            ),
            (viewer(4, Role::User, Some("lab")), false, "another team"),
            (viewer(5, Role::User, None), false, "no team"),
        ];
        for (viewer, expected, who) in cases {
            assert_eq!(
                can_see_phone_number(&viewer, owner, Some("front desk")),
                expected,
                "{who}"
            );
        }
        // Two people without a team are not teammates.
        assert!(!can_see_phone_number(
            &viewer(5, Role::User, None),
            owner,
            None
        ));
    }
}
