//! The admin's screen for the session and sign-in rules ([`SignInRules`]).

use crate::db::users;
use crate::error::Result;
use crate::rules::{PASSWORD_MIN, SignInRules};
use crate::session::AdminSession;
use crate::step_up::AdminAction;
use crate::vault::Vault;

impl Vault {
    /// The shortest password allowed while it is the only factor, as stored now (an
    /// admin at another instance may just have changed it): for a new password's
    /// rules and the strength meter.
    pub fn password_min_chars(&self) -> Result<usize> {
        let chars = PASSWORD_MIN.stored(&self.conn())?;
        Ok(usize::try_from(chars).unwrap_or(usize::MAX))
    }

    /// The session and sign-in rules, for the admin's settings screen.
    pub fn sign_in_rules(&self, _admin: &AdminSession<'_>) -> Result<SignInRules> {
        Ok(self.rules())
    }

    /// Changes the session and sign-in rules for everyone at this computer. Needs a
    /// recent password check (under the rules in force before the change); each value
    /// that changes is audited. New timeouts apply to sessions already signed in at
    /// their next check; a new minimum length applies to passwords chosen from now on.
    ///
    /// Errors: `Validation`, naming the first field out of bounds, before anything
    /// else; `ReauthRequired`.
    pub fn update_sign_in_rules(
        &self,
        admin: &AdminSession<'_>,
        update: &SignInRules,
    ) -> Result<SignInRules> {
        for (setting, value) in update.settings() {
            setting.check(value)?;
        }
        self.authorize(admin, AdminAction::ChangeSettings)?;
        let me = users::require(&self.conn(), admin.session().user_id())?;
        let now = self.now();
        let rules = self.write(|conn| {
            for (setting, value) in update.settings() {
                setting.change(conn, value, (me.id, &me.email), now)?;
            }
            SignInRules::stored(conn)
        })?;
        self.cache_rules(rules);
        Ok(rules)
    }
}
