//! A person's own side: profiles as the viewer may see them, the directory, and changes
//! to one's own name and phone number.

use crate::db::{audit, users};
use crate::dto::{CurrentUser, Page, ProfileDto};
use crate::error::{Error, Result};
use crate::model::audit::{AuditEvent, NewEntry};
use crate::model::{AccountStatus, Role, UserId};
use crate::session::Session;
use crate::validate::{self, NAME_MAX_CHARS};
use crate::vault::Vault;

use super::{ListQuery, Listing, ProfileUpdate};

impl Vault {
    /// A person's profile as the signed-in viewer may see it. People who are not admins
    /// see active accounts only.
    pub fn get_profile(&self, session: &Session, id: UserId) -> Result<ProfileDto> {
        session.ensure_settled()?;
        let row = users::require(&self.conn(), id)?;
        if row.status != AccountStatus::Active && session.role() != Role::Admin {
            return Err(Error::NotFound);
        }
        Ok(row.into_profile(&session.viewer))
    }

    /// The directory of active accounts, in email order, with phone numbers only where
    /// the viewer may see them.
    pub fn team_directory(&self, session: &Session, query: &ListQuery) -> Result<Page<ProfileDto>> {
        session.ensure_settled()?;
        let listing = Listing::parse(query)?;
        let rows = users::list(&self.conn(), listing.as_directory_rows())?;
        Ok(listing.page(rows, |row| row.into_profile(&session.viewer)))
    }

    /// Changes the signed-in person's own display name and phone number.
    pub fn update_own_profile(
        &self,
        session: &Session,
        update: &ProfileUpdate,
    ) -> Result<CurrentUser> {
        session.ensure_settled()?;
        let display_name = validate::text("displayName", &update.display_name, NAME_MAX_CHARS)?;
        let phone = validate::optional_phone(update.phone.as_deref())?;
        let name_key = validate::fold(&display_name);
        let now = self.now();
        let row = self.write(|conn| {
            users::set_profile(
                conn,
                session.user_id(),
                &display_name,
                &name_key,
                phone.as_deref(),
                None,
                now,
            )?;
            let row = users::require(conn, session.user_id())?;
            let entry = NewEntry::new(AuditEvent::ProfileUpdated)
                .by(row.id, &row.email)
                .on(row.id, &row.email);
            audit::append(conn, &entry, now)?;
            Ok(row)
        })?;
        self.with_factor_due(row.into_current_user(session.expires_at(), self.stay_signed_in()))
    }
}
