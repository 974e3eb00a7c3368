//! Getting in: the first admin, sign-in, the step-up password check, the password change,
//! and starting a session. Every password check here reserves its attempt with the
//! throttle first (see `throttle`) and runs its argon2 work through the hasher's slots.

use std::sync::atomic::Ordering;

use crate::clock::Timestamp;
use crate::db::{audit, second_factors, sessions, users};
use crate::dto::CurrentUser;
use crate::error::{Conflict, Error, Invalid, Result};
use crate::model::audit::{AuditAnchor, AuditEvent, NewEntry};
use crate::model::{AccountStatus, UserId};
use crate::password::Verdict;
use crate::policy::{self, PasswordContext};
use crate::random;
use crate::rules::SignInRules;
use crate::second_factor::Proof;
use crate::secret::SecretString;
use crate::session::pending::{PendingSignIn, Through};
use crate::session::{SIGN_IN_TRIES, Session, SessionToken};
use crate::throttle;
use crate::validate::{self, Email, NAME_MAX_CHARS};
use crate::vault::Vault;

/// The details of the first admin, typed into the first-run wizard.
#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FirstAdmin {
    /// Email to sign in with.
    pub email: String,
    /// Name shown to others.
    pub display_name: String,
    /// The admin's password.
    #[ts(type = "string")]
    pub password: SecretString,
}

impl Vault {
    /// Creates the first account, an admin, and signs it in. Succeeds once per vault:
    /// when any account exists (even one created a moment ago by another process) it is
    /// `Conflict`. There is no default account.
    pub fn create_first_admin(&self, admin: &FirstAdmin) -> Result<CurrentUser> {
        let email = Email::parse(&admin.email)?;
        let display_name = validate::text("displayName", &admin.display_name, NAME_MAX_CHARS)?;
        let context = PasswordContext {
            email: email.as_str(),
            display_name: &display_name,
            has_second_factor: false,
            min_chars: self.password_min_chars()?,
        };
        let password = policy::new_password("password", &admin.password, context.required_chars())?;
        policy::check("password", &password.0, context)?;
        if users::count(&self.conn())? > 0 {
            return Err(Error::Conflict(Conflict::AlreadyInitialised));
        }
        let phc = self.hasher.hash(&password.0)?;
        let now = self.now();
        // IMMEDIATE takes the write lock before the count, so of two racing wizards
        // (threads or processes) exactly one sees an empty vault.
        let id = self.write(|conn| {
            if users::count(conn)? > 0 {
                return Err(Error::Conflict(Conflict::AlreadyInitialised));
            }
            let id = users::insert_admin(
                conn,
                email.as_str(),
                &display_name,
                &validate::fold(&display_name),
                &phc,
                false,
                now,
            )?;
            let entry = NewEntry::new(AuditEvent::FirstAdminCreated)
                .by(id, email.as_str())
                .on(id, email.as_str());
            audit::append(conn, &entry, now)?;
            Ok(id)
        })?;
        log::info!("first admin created (account {})", id.0);
        self.start_session(id, None, How::default())
    }

    /// Signs in with email and password and makes the new session this computer's
    /// active one (a new token every time). The person's own earlier session here is
    /// ended; anyone else's stays, locked.
    ///
    /// Unknown email, wrong password and disabled account are all `InvalidCredentials`,
    /// after the same argon2 work. Errors: `Locked` while the email must wait after
    /// failed attempts (without any hashing); `Busy` when too many password checks are
    /// running already (the attempt is not counted); `CodeRequired` when the password
    /// was right and the account has a second factor: no session exists yet, and
    /// [`Vault::complete_sign_in`] finishes with the ticket and a code.
    ///
    /// An account linked to an organisation's provider signs in this way only offline:
    /// see [`Self::login_probing`]. Here the provider counts as unreachable.
    pub fn login(&self, email: &str, password: &SecretString) -> Result<CurrentUser> {
        self.login_probing(email, password, &|_| false)
    }

    /// [`Self::login`], asking `reachable` (with the issuer) whether the provider of an
    /// account linked to one answers right now; it is asked only after the password was
    /// right. A linked account's password is its offline sign-in: refused with
    /// `UseOrganisationSignIn` while the provider answers, with `ClockBehind` when this
    /// computer's clock is behind the latest time the vault recorded, and with
    /// `OfflineWindowPassed` once the provider's offline days since the person's last
    /// online sign-in are over. Each refusal and each offline sign-in is audited.
    pub fn login_probing(
        &self,
        email: &str,
        password: &SecretString,
        reachable: &dyn Fn(&str) -> bool,
    ) -> Result<CurrentUser> {
        let password = validate::normalise_password("password", password)?;
        let email = Email::parse(email)?;
        let now = self.now();
        // Counted per email string, known or not, before any work: the wait says nothing
        // about whether an account exists, and parallel attempts get one evaluation.
        let reservation = self.reserve_attempt(email.as_str())?;
        let (found, verdict) = self.unless_busy(&reservation, || {
            // Made before the look-up, so its one-off cost does not tell the paths apart.
            self.hasher.dummy_hash()?;
            let found = users::credentials_by_email(&self.conn(), email.as_str())?;
            let verdict = match &found {
                Some(credentials) => self.hasher.verify(&credentials.phc, &password)?,
                None => {
                    self.hasher.verify_dummy(&password)?;
                    Verdict::Mismatch
                }
            };
            Ok((found, verdict))
        })?;
        let accepted = match (&found, verdict) {
            (Some(credentials), Verdict::Match { rehash })
                if credentials.status == AccountStatus::Active =>
            {
                Some((credentials.id, rehash))
            }
            _ => None,
        };
        let Some((id, rehash)) = accepted else {
            self.record_failed_sign_in(&reservation, found.as_ref().map(|c| c.id), now)?;
            return Err(Error::InvalidCredentials);
        };
        // The stronger hash can wait for the next sign-in when every slot is taken.
        let upgraded = match rehash.then(|| self.hasher.hash(&password)).transpose() {
            Err(Error::Busy) => None,
            other => other?,
        };
        let offline = match self.check_offline(id, now, reachable) {
            Ok(offline) => offline,
            Err(refused) => {
                // The password was right: not a failed attempt, but a refused one.
                self.write(|conn| throttle::release(conn, &reservation))?;
                return Err(refused);
            }
        };
        let email = email.as_str().to_owned();
        let secret = match self.open_second_factor(id, &password) {
            Err(Error::Busy) => {
                self.write(|conn| throttle::release(conn, &reservation))?;
                return Err(Error::Busy);
            }
            other => other?,
        };
        let Some(secret) = secret else {
            return self.start_session(id, upgraded, How::offline(offline));
        };
        // The password was right: this attempt is not a failure. Earlier failures stay
        // counted until the whole sign-in succeeds, so wrong codes add to them.
        self.write(|conn| throttle::release(conn, &reservation))?;
        let mut ticket = [0_u8; 16];
        random::fill(&mut ticket)?;
        let ticket = random::encode(&ticket);
        self.pending().add_sign_in(
            ticket.clone(),
            PendingSignIn {
                user: id,
                email,
                secret,
                upgraded,
                offline,
                started: now,
                tries: 0,
            },
        );
        Err(Error::CodeRequired { ticket })
    }

    /// Finishes a sign-in whose password was right with the second step: a current code
    /// from the authenticator app, or one of the recovery codes. A code counts like a
    /// password attempt for the email (reserved first, throttled, a wrong one audited);
    /// a TOTP code whose 30-second step was used already is wrong (replay). Five wrong
    /// codes, or five minutes, and the password is needed again.
    ///
    /// Errors: `Conflict` (`SignInExpired`) for an unknown, expired or used-up ticket;
    /// `WrongCode { remaining }`; `Validation` (`code`) for an empty code; `Locked` and
    /// `InvalidCredentials` (an account disabled meanwhile) as for [`Self::login`].
    pub fn complete_sign_in(&self, ticket: &str, code: &str) -> Result<CurrentUser> {
        if code.trim().is_empty() {
            return Err(Error::invalid("code", Invalid::Empty));
        }
        if code.len() > 64 {
            return Err(Error::invalid("code", Invalid::TooLong(64)));
        }
        let now = self.now();
        let (user, email, secret) = match self.pending().sign_ins.get(ticket) {
            Some(p) => (p.user, p.email.clone(), p.secret.clone()),
            None => return Err(Error::Conflict(Conflict::SignInExpired)),
        };
        let reservation = self.reserve_attempt(&email)?;
        let active =
            users::get(&self.conn(), user)?.is_some_and(|row| row.status == AccountStatus::Active);
        let proof = if active {
            self.write(|conn| Self::accept_code(conn, user, &secret, code, now))?
        } else {
            None
        };
        let Some(proof) = proof else {
            self.record_failed_sign_in(&reservation, Some(user), now)?;
            let mut pending = self.pending();
            let remaining = match pending.sign_ins.get_mut(ticket) {
                Some(p) => {
                    p.tries += 1;
                    SIGN_IN_TRIES - p.tries
                }
                None => 0,
            };
            if remaining <= 0 || !active {
                pending.sign_ins.remove(ticket);
            }
            if !active {
                return Err(Error::InvalidCredentials);
            }
            return Err(Error::WrongCode {
                remaining: remaining.max(0),
            });
        };
        let Some(pending) = self.pending().sign_ins.remove(ticket) else {
            // Finished by a parallel call with another code meanwhile.
            return Err(Error::Conflict(Conflict::SignInExpired));
        };
        let how = How {
            proof: Some(proof),
            ..How::offline(pending.offline)
        };
        self.start_session(user, pending.upgraded, how)
    }

    /// Counts an attempt at `email` before its password is checked (see [`throttle`]),
    /// timed to the millisecond.
    ///
    /// Errors: `Locked` while the email must wait.
    pub(crate) fn reserve_attempt(&self, email: &str) -> Result<throttle::Reservation> {
        let now_ms = self.clock.now_millis();
        self.write(|conn| {
            // Read in the transaction: the rules an admin at another instance saved last.
            let rules = SignInRules::stored(conn)?.throttle();
            throttle::reserve(conn, rules, email, now_ms)
        })
    }

    /// Runs the password work of a reserved attempt. When it is refused for want of a
    /// hashing slot, the attempt was never evaluated, so its reservation is given back.
    pub(crate) fn unless_busy<T>(
        &self,
        reservation: &throttle::Reservation,
        work: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        match work() {
            Err(Error::Busy) => {
                self.write(|conn| throttle::release(conn, reservation))?;
                Err(Error::Busy)
            }
            other => other,
        }
    }

    /// Confirms a reserved attempt as failed and audits it; the one that reaches the
    /// admin's threshold (100 unless chosen lower) locks the email. The account's email
    /// is recorded only when it matches an account.
    pub(crate) fn record_failed_sign_in(
        &self,
        reservation: &throttle::Reservation,
        account: Option<UserId>,
        now: Timestamp,
    ) -> Result<()> {
        let email = reservation.email();
        self.write(|conn| {
            let rules = SignInRules::stored(conn)?.throttle();
            let locks = throttle::confirm_failure(conn, rules, reservation, now)?;
            let mut entry = NewEntry::new(AuditEvent::SignIn).failed();
            if let Some(id) = account {
                entry = entry.on(id, email);
            }
            audit::append(conn, &entry, now)?;
            if locks {
                let detail = format!("{} consecutive failed sign-ins", rules.lock_after);
                let mut lockout = NewEntry::new(AuditEvent::Lockout).detail(&detail);
                if let Some(id) = account {
                    lockout = lockout.on(id, email);
                }
                audit::append(conn, &lockout, now)?;
            }
            Ok(())
        })
    }

    /// Checks the signed-in person's password again, for sensitive actions that need a
    /// check within the last five minutes; with a second factor, also a current code from
    /// the authenticator app (not a recovery code: those are for signing in without the
    /// phone). The code's step counts as used.
    ///
    /// Errors: `Validation` (`code`) when a second factor needs a code and none came
    /// (before any password work), or the code is not the app's current one (counted
    /// like a failed sign-in); `InvalidCredentials` for a wrong password (counted like a
    /// failed sign-in); `Locked` and `Busy` as for [`Self::login`].
    pub fn reauthenticate(
        &self,
        session: &Session,
        password: &SecretString,
        code: Option<&str>,
    ) -> Result<()> {
        let password = validate::normalise_password("password", password)?;
        let user = users::require(&self.conn(), session.user_id())?;
        let has_second_factor = second_factors::exists(&self.conn(), user.id)?;
        let code = code.map(str::trim).filter(|c| !c.is_empty());
        if has_second_factor && code.is_none() {
            return Err(Error::invalid("code", Invalid::Missing));
        }
        let now = self.now();
        let phc = users::password_hash(&self.conn(), user.id)?;
        let reservation = self.reserve_attempt(&user.email)?;
        let opened = self.unless_busy(&reservation, || {
            match self.hasher.verify(&phc, &password)? {
                Verdict::Mismatch => Ok(None),
                Verdict::Match { .. } => self.open_second_factor(user.id, &password).map(Some),
            }
        })?;
        let Some(secret) = opened else {
            self.record_failed_sign_in(&reservation, Some(user.id), now)?;
            return Err(Error::InvalidCredentials);
        };
        let accepted = self.write(|conn| {
            if let (Some(secret), Some(code)) = (&secret, code)
                && !Self::accept_app_code(conn, user.id, secret, code, now)?
            {
                return Ok(false);
            }
            throttle::clear(conn, &user.email)?;
            sessions::mark_verified(conn, &session.id, now)?;
            Ok(true)
        })?;
        if !accepted {
            self.record_failed_sign_in(&reservation, Some(user.id), now)?;
            return Err(Error::invalid("code", Invalid::WrongCode));
        }
        Ok(())
    }

    /// Replaces the signed-in person's password after checking the current one. Ends
    /// every session of the account, then signs this computer in again with a new token.
    ///
    /// Errors: `InvalidCredentials` when `current` is wrong (counted like a failed
    /// sign-in); `Conflict` when the new password equals it; `Validation` for a new
    /// password that breaks the rules; `Locked` and `Busy` as for [`Self::login`].
    pub fn change_password(
        &self,
        session: &Session,
        current: &SecretString,
        new: &SecretString,
    ) -> Result<CurrentUser> {
        let current = validate::normalise_password("currentPassword", current)?;
        let user = session.user_id();
        let has_second_factor = second_factors::exists(&self.conn(), user)?;
        let me = users::require(&self.conn(), user)?;
        let context = PasswordContext {
            email: &me.email,
            display_name: &me.display_name,
            has_second_factor,
            min_chars: self.password_min_chars()?,
        };
        let new = policy::new_password("newPassword", new, context.required_chars())?;
        // The new password is judged first: a rule it breaks is not a failed attempt.
        if new.0 == current {
            return Err(Error::Conflict(Conflict::PasswordUnchanged));
        }
        policy::check("newPassword", &new.0, context)?;
        let now = self.now();
        let phc = users::password_hash(&self.conn(), user)?;
        let reservation = self.reserve_attempt(&me.email)?;
        let replacement = self.unless_busy(&reservation, || {
            match self.hasher.verify(&phc, &current)? {
                Verdict::Mismatch => Ok(None),
                Verdict::Match { .. } => {
                    // The second factor is sealed under the password: re-seal it.
                    let resealed = self.reseal_second_factor(user, &current, &new.0)?;
                    Ok(Some((self.hasher.hash(&new.0)?, resealed)))
                }
            }
        })?;
        let Some((phc, resealed)) = replacement else {
            self.record_failed_sign_in(&reservation, Some(user), now)?;
            return Err(Error::InvalidCredentials);
        };
        self.write(|conn| {
            users::set_password(conn, user, &phc, false, true, now)?;
            if let Some(resealed) = &resealed {
                second_factors::put(conn, user, resealed, now)?;
            }
            sessions::delete_for_user(conn, user)?;
            throttle::clear(conn, &me.email)?;
            audit::append(
                conn,
                &NewEntry::new(AuditEvent::PasswordChanged)
                    .by(user, &me.email)
                    .on(user, &me.email),
                now,
            )
        })?;
        log::info!(
            "password changed (account {}); its sessions were ended",
            user.0
        );
        self.start_session(user, None, How::default())
    }

    /// Creates a session for `user` and makes it this computer's active one, keeping its
    /// token. The person's own earlier session here is ended (replaced); whoever else was
    /// active is locked (reason `switch`), and when the computer already holds as many
    /// sessions as it may, the locked one used least recently is ended. `upgraded` is a
    /// stronger hash of the same password to store; `how` says how the person got in,
    /// for the audit log.
    pub(crate) fn start_session(
        &self,
        user: UserId,
        upgraded: Option<String>,
        how: How,
    ) -> Result<CurrentUser> {
        let token = SessionToken::generate()?;
        let now = self.now();
        let expires_at = now.saturating_add(self.absolute_seconds());
        let anchor = self.load_anchor();
        let mut current = self.current();
        self.load_held(&mut current);
        let held = current.held_ids();
        let from = current.selected.clone();
        let (row, latest, ended) = self.write(|conn| {
            self.record_tail_check(conn, anchor, now)?;
            let account = users::require(conn, user)?;
            Self::record_switch(conn, from.as_deref(), user, &account.email, now)?;
            let mut ended = Vec::new();
            let mut others = Vec::new();
            for id in &held {
                match sessions::find(conn, id)? {
                    Some(row) if row.user_id == user => {
                        sessions::delete(conn, id)?;
                        let entry = NewEntry::new(AuditEvent::SignOut)
                            .by(user, &account.email)
                            .on(user, &account.email)
                            .detail("replaced");
                        audit::append(conn, &entry, now)?;
                        ended.push(id.clone());
                    }
                    Some(_) => others.push(id.clone()),
                    None => ended.push(id.clone()),
                }
            }
            Self::lock_others(conn, &others, None, now)?;
            ended.extend(Self::make_room(conn, &others, now)?);
            sessions::insert(
                conn,
                token.id(),
                &token.secret_hash(),
                user,
                now,
                expires_at,
                account.last_sign_in_at,
            )?;
            users::set_last_sign_in(conn, user, now)?;
            if let Some(phc) = &upgraded {
                users::set_password(conn, user, phc, false, false, now)?;
            }
            throttle::clear(conn, &account.email)?;
            let event = match how.through {
                Some(Through::Offline { .. }) => AuditEvent::OfflineSignIn,
                _ => AuditEvent::SignIn,
            };
            let detail = how.detail();
            let mut entry = NewEntry::new(event)
                .by(user, &account.email)
                .on(user, &account.email);
            if !detail.is_empty() {
                entry = entry.detail(&detail);
            }
            match how.proof {
                Some(Proof::Code) | None => {}
                Some(Proof::RecoveryCode { left }) => {
                    let left = format!("{left} left");
                    let used = NewEntry::new(AuditEvent::RecoveryCodeUsed)
                        .by(user, &account.email)
                        .on(user, &account.email)
                        .detail(&left);
                    audit::append(conn, &used, now)?;
                }
            }
            audit::append(conn, &entry, now)?;
            Ok((
                users::require(conn, user)?,
                AuditAnchor::latest(conn)?,
                ended,
            ))
        })?;
        self.save_anchor(latest);
        for id in &ended {
            self.forget(&mut current, id);
        }
        // A keyring that fails now (locked, gone) leaves the session in memory only, and
        // the reply says so; one that works again is used by the next save.
        match self.store.save(&token) {
            Ok(()) => self
                .persistent
                .store(self.store.is_persistent(), Ordering::SeqCst),
            Err(e) => {
                log::warn!(
                    "could not keep the session in the OS keyring; it ends when the app closes: {e}"
                );
                self.persistent.store(false, Ordering::SeqCst);
            }
        }
        let id = token.id().to_owned();
        current.held.get_or_insert_with(Vec::new).push(token);
        current.select(&id, now);
        self.with_factor_due(row.into_current_user(expires_at, self.stay_signed_in()))
    }
}

/// How a person got in, for the sign-in's audit row.
#[derive(Debug, Default)]
pub(crate) struct How {
    /// How the second step of a two-step sign-in was passed.
    pub(crate) proof: Option<Proof>,
    /// Through an organisation's provider, online or offline.
    pub(crate) through: Option<Through>,
}

impl How {
    fn offline(offline: Option<Through>) -> Self {
        Self {
            proof: None,
            through: offline,
        }
    }

    /// The audit detail: the way in, then the second step.
    fn detail(&self) -> String {
        let mut parts = Vec::new();
        match &self.through {
            Some(Through::Provider { name }) => parts.push(format!("through {name}")),
            Some(Through::Offline { name, until }) => {
                let until = crate::clock::format_utc(*until);
                parts.push(format!("{name} unreachable, allowed until {until}"));
            }
            None => {}
        }
        match self.proof {
            Some(Proof::Code) => parts.push("with a code".to_owned()),
            Some(Proof::RecoveryCode { .. }) => parts.push("with a recovery code".to_owned()),
            None => {}
        }
        parts.join(", ")
    }
}
