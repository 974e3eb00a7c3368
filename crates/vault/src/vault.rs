//! The [`Vault`]: one open vault file, the current session on this computer, and the
//! sign-in, sign-out and session-check flows.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, TransactionBehavior};

use crate::audit::{AuditAnchor, AuditEvent, NewEntry};
use crate::clock::{Clock, SystemClock, Timestamp};
use crate::db::{self, audit, sessions, users};
use crate::dto::{BootstrapStatus, CurrentUser, Viewer};
use crate::error::{Conflict, Error, Result};
use crate::model::{AccountStatus, UserId};
use crate::password::{HashParams, Hasher, Verdict};
use crate::policy::{self, PasswordContext};
use crate::secret::SecretString;
use crate::session::{Session, SessionPolicy, SessionStore, SessionToken};
use crate::throttle;
use crate::validate::{self, Email, NAME_MAX_CHARS};

/// How a vault is opened.
#[derive(Debug, Clone)]
pub struct VaultOptions {
    /// argon2id parameters for new hashes; weaker stored hashes are upgraded at sign-in.
    /// `None` uses the parameters calibrated for this machine and stored in the vault,
    /// calibrating (towards [`CALIBRATION_TARGET`]) the first time.
    pub hash_params: Option<HashParams>,
    /// Idle and absolute session timeouts.
    pub session_policy: SessionPolicy,
    /// Where "now" comes from.
    pub clock: Arc<dyn Clock>,
}

impl Default for VaultOptions {
    fn default() -> Self {
        Self {
            hash_params: None,
            session_policy: SessionPolicy::default(),
            clock: Arc::new(SystemClock),
        }
    }
}

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

/// The token of this computer's current session and the last successful check of it.
#[derive(Debug, Default)]
struct Current {
    /// `None` until the store has been read once; then the token, if any.
    token: Option<Option<SessionToken>>,
    verified: Option<Verified>,
}

/// A session check that can be reused while nothing has been written since.
#[derive(Debug)]
struct Verified {
    session: Session,
    /// This process's write generation when the check ran.
    generation: u64,
    /// SQLite's `data_version` when the check ran: it changes when another connection
    /// (a second instance, the recovery CLI) commits.
    data_version: i64,
}

/// An open vault file and the session of the person at this computer.
///
/// All methods block (SQLite, argon2, the session store): call them off the UI thread.
#[derive(Debug)]
pub struct Vault {
    conn: Mutex<Connection>,
    store: Arc<dyn SessionStore>,
    clock: Arc<dyn Clock>,
    hasher: Hasher,
    policy: SessionPolicy,
    current: Mutex<Current>,
    /// Bumped by every committed write through this vault; a cached check made before
    /// the bump is stale.
    generation: AtomicU64,
    /// False once the store failed to save: the session then lasts until the app closes.
    persistent: AtomicBool,
}

impl Vault {
    /// Opens the vault file at `path`, creating and migrating it as needed. The session
    /// token is kept in `store`.
    pub fn open(path: &Path, store: Arc<dyn SessionStore>, options: VaultOptions) -> Result<Self> {
        let conn = db::open(path)?;
        let params = match options.hash_params {
            Some(params) => params,
            None => stored_or_calibrated_params(&conn)?,
        };
        let persistent = store.is_persistent();
        Ok(Self {
            conn: Mutex::new(conn),
            store,
            clock: options.clock,
            hasher: Hasher::new(params),
            policy: options.session_policy,
            current: Mutex::new(Current::default()),
            generation: AtomicU64::new(0),
            persistent: AtomicBool::new(persistent),
        })
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        db::schema_version(&self.conn())
    }

    /// The argon2id parameters used for new hashes.
    pub fn hash_params(&self) -> HashParams {
        self.hasher.params()
    }

    /// How many argon2 computations this vault has run; lets tests prove that two paths
    /// do the same work without timing them.
    #[cfg(feature = "test-support")]
    pub fn argon2_calls(&self) -> u64 {
        self.hasher.calls()
    }

    /// How many argon2 computations may run at once; further password checks queue
    /// briefly or are refused with `Busy`.
    pub fn hashing_limit(&self) -> usize {
        self.hasher.slots().limit()
    }

    /// The most argon2 computations that ever ran at once in this vault.
    #[cfg(feature = "test-support")]
    pub fn hashing_peak(&self) -> usize {
        self.hasher.slots().peak()
    }

    /// Whether the first-run wizard is due, and whether sessions can survive a restart.
    pub fn bootstrap_status(&self) -> Result<BootstrapStatus> {
        let needs_first_admin = users::count(&self.conn())? == 0;
        Ok(BootstrapStatus {
            needs_first_admin,
            stay_signed_in: self.stay_signed_in(),
        })
    }

    /// Creates the first account, an admin, and signs it in. Succeeds once per vault:
    /// when any account exists (even one created a moment ago by another process) it is
    /// `Conflict`. There is no default account.
    pub fn create_first_admin(&self, admin: &FirstAdmin) -> Result<CurrentUser> {
        let email = Email::parse(&admin.email)?;
        let display_name = validate::text("displayName", &admin.display_name, NAME_MAX_CHARS)?;
        let password = validate::new_password("password", &admin.password)?;
        let context = PasswordContext {
            email: email.as_str(),
            display_name: &display_name,
        };
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
            let id = users::insert_admin(conn, email.as_str(), &display_name, &phc, false, now)?;
            let entry = NewEntry::new(AuditEvent::FirstAdminCreated)
                .by(id, email.as_str())
                .on(id, email.as_str());
            audit::append(conn, &entry, now)?;
            Ok(id)
        })?;
        log::info!("first admin created (account {})", id.0);
        self.start_session(id, None)
    }

    /// Signs in with email and password and makes the new session this computer's
    /// current one (a new token every time; the previous session is ended).
    ///
    /// Unknown email, wrong password and disabled account are all `InvalidCredentials`,
    /// after the same argon2 work. Errors: `Locked` while the email must wait after
    /// failed attempts (without any hashing); `Busy` when too many password checks are
    /// running already (the attempt is not counted).
    pub fn login(&self, email: &str, password: &SecretString) -> Result<CurrentUser> {
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
        self.start_session(id, upgraded)
    }

    /// Counts an attempt at `email` before its password is checked (see [`throttle`]),
    /// timed to the millisecond.
    ///
    /// Errors: `Locked` while the email must wait.
    fn reserve_attempt(&self, email: &str) -> Result<throttle::Reservation> {
        let now_ms = self.clock.now_millis();
        self.write(|conn| throttle::reserve(conn, email, now_ms))
    }

    /// Runs the password work of a reserved attempt. When it is refused for want of a
    /// hashing slot, the attempt was never evaluated, so its reservation is given back.
    fn unless_busy<T>(
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

    /// Confirms a reserved attempt as failed and audits it; the 100th in a row locks the
    /// email. The account's email is recorded only when it matches an account.
    fn record_failed_sign_in(
        &self,
        reservation: &throttle::Reservation,
        account: Option<UserId>,
        now: Timestamp,
    ) -> Result<()> {
        let email = reservation.email();
        self.write(|conn| {
            let locks = throttle::confirm_failure(conn, reservation, now)?;
            let mut entry = NewEntry::new(AuditEvent::SignIn).failed();
            if let Some(id) = account {
                entry = entry.on(id, email);
            }
            audit::append(conn, &entry, now)?;
            if locks {
                let mut lockout =
                    NewEntry::new(AuditEvent::Lockout).detail("100 consecutive failed sign-ins");
                if let Some(id) = account {
                    lockout = lockout.on(id, email);
                }
                audit::append(conn, &lockout, now)?;
            }
            Ok(())
        })
    }

    /// Checks the signed-in person's password again, for sensitive actions that need a
    /// check within the last five minutes.
    ///
    /// Errors: `InvalidCredentials` for a wrong password (counted like a failed sign-in);
    /// `Locked` and `Busy` as for [`Self::login`].
    pub fn reauthenticate(&self, session: &Session, password: &SecretString) -> Result<()> {
        let password = validate::normalise_password("password", password)?;
        let user = users::require(&self.conn(), session.user_id())?;
        let now = self.now();
        let reservation = self.reserve_attempt(&user.email)?;
        let phc = users::password_hash(&self.conn(), user.id)?;
        let verdict = self.unless_busy(&reservation, || self.hasher.verify(&phc, &password))?;
        if verdict == Verdict::Mismatch {
            self.record_failed_sign_in(&reservation, Some(user.id), now)?;
            return Err(Error::InvalidCredentials);
        }
        self.write(|conn| {
            throttle::clear(conn, &user.email)?;
            sessions::mark_verified(conn, &session.id, now)
        })
    }

    /// Ends this computer's session: deletes its row and the stored token. Succeeds when
    /// nobody is signed in.
    pub fn logout(&self) -> Result<()> {
        let mut current = self.current();
        if let Some(token) = self.token(&mut current) {
            let now = self.now();
            let anchor = self.load_anchor();
            let latest = self.write(|conn| {
                self.record_tail_check(conn, anchor, now)?;
                if let Some(row) = sessions::find(conn, token.id())? {
                    let entry = NewEntry::new(AuditEvent::SignOut)
                        .by(row.user_id, &row.email)
                        .on(row.user_id, &row.email);
                    audit::append(conn, &entry, now)?;
                }
                sessions::delete(conn, token.id())?;
                AuditAnchor::latest(conn)
            })?;
            self.save_anchor(latest);
        }
        self.forget_token(&mut current);
        Ok(())
    }

    /// The audit anchor this computer keeps outside the file, if it has one. A store
    /// that cannot be read counts as none (and is logged): the check is then skipped,
    /// never failed open into a false alarm or a refused sign-in.
    pub(crate) fn load_anchor(&self) -> Option<AuditAnchor> {
        self.store.load_anchor().unwrap_or_else(|e| {
            log::warn!("could not read the audit anchor from the OS keyring: {e}");
            None
        })
    }

    /// Keeps `anchor` outside the file for the next check.
    fn save_anchor(&self, anchor: Option<AuditAnchor>) {
        if let Some(anchor) = anchor
            && let Err(e) = self.store.save_anchor(&anchor)
        {
            log::warn!("could not keep the audit anchor in the OS keyring: {e}");
        }
    }

    /// Checks the end of the log against `anchor` inside a write, and records rows cut
    /// from it (or replaced) as an audit event of their own, so that the next anchor,
    /// which covers that event, cannot hide it.
    fn record_tail_check(
        &self,
        conn: &Connection,
        anchor: Option<AuditAnchor>,
        now: Timestamp,
    ) -> Result<()> {
        let Some(anchor) = anchor else {
            return Ok(());
        };
        let check = anchor.check(conn)?;
        if let Some(detail) = check.detail() {
            log::error!("the audit log lost rows since this computer last saw it: {detail}");
            let entry = NewEntry::new(AuditEvent::AuditTailMissing).detail(&detail);
            audit::append(conn, &entry, now)?;
        }
        Ok(())
    }

    /// Checks this computer's session and returns the proof that DAL functions demand.
    ///
    /// The token is read from the store once and then kept in memory. A successful check
    /// is reused until this vault writes anything, another connection commits to the
    /// file, the idle or absolute expiry passes, or last-seen is due for a refresh.
    ///
    /// Errors: `NotAuthenticated` without a token or when its session was ended;
    /// `SessionExpired` when it timed out (the row and the stored token are removed).
    pub fn verify_session(&self) -> Result<Session> {
        let now = self.now();
        let mut current = self.current();
        let Some(token) = self.token(&mut current) else {
            return Err(Error::NotAuthenticated);
        };
        let conn = self.conn();
        let generation = self.generation.load(Ordering::SeqCst);
        // Cached: this runs on every command, and preparing it each time doubled the cost.
        let data_version: i64 = conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |row| row.get(0))?;
        if let Some(verified) = &current.verified {
            let session = &verified.session;
            let fresh = verified.generation == generation
                && verified.data_version == data_version
                && now >= session.last_seen_at
                && now - session.last_seen_at < SessionPolicy::TOUCH_INTERVAL
                && now < session.expires_at;
            if fresh {
                return Ok(session.clone());
            }
        }
        current.verified = None;
        let row = match sessions::find(&conn, token.id())? {
            Some(row) if token.matches(&row.secret_hash) && row.status == AccountStatus::Active => {
                row
            }
            // Ended elsewhere (sign-out, revocation, a deleted account), or a token that
            // was never ours: forget it.
            _ => {
                drop(conn);
                self.forget_token(&mut current);
                return Err(Error::NotAuthenticated);
            }
        };
        let idle_expires_at = row.last_seen_at.saturating_add(self.policy.idle_seconds());
        if now >= row.expires_at || now >= idle_expires_at {
            let tx = conn.unchecked_transaction()?;
            sessions::delete(&tx, token.id())?;
            let reason = if now >= row.expires_at {
                "absolute"
            } else {
                "idle"
            };
            let entry = NewEntry::new(AuditEvent::SessionExpired)
                .on(row.user_id, &row.email)
                .detail(reason);
            audit::append(&tx, &entry, now)?;
            tx.commit()?;
            self.generation.fetch_add(1, Ordering::SeqCst);
            drop(conn);
            self.forget_token(&mut current);
            return Err(Error::SessionExpired);
        }
        let mut last_seen_at = row.last_seen_at;
        if now - last_seen_at >= SessionPolicy::TOUCH_INTERVAL {
            sessions::touch(&conn, token.id(), now)?;
            last_seen_at = now;
        }
        let session = Session {
            id: token.id().to_owned(),
            viewer: Viewer {
                id: row.user_id,
                role: row.role,
                team: row.team,
            },
            must_change_password: row.must_change_password,
            last_seen_at,
            expires_at: row.expires_at,
            verified_at: row.verified_at,
            previous_sign_in_at: row.previous_sign_in_at,
        };
        current.verified = Some(Verified {
            session: session.clone(),
            generation,
            data_version,
        });
        Ok(session)
    }

    /// The signed-in person. Allowed while a password change is pending, so the UI can
    /// show the change-password screen.
    pub fn current_user(&self, session: &Session) -> Result<CurrentUser> {
        let row = users::require(&self.conn(), session.user_id())?;
        Ok(row.into_current_user(session.expires_at, self.stay_signed_in()))
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
        let new = validate::new_password("newPassword", new)?;
        let user = session.user_id();
        // The new password is judged first: a rule it breaks is not a failed attempt.
        if new.0 == current {
            return Err(Error::Conflict(Conflict::PasswordUnchanged));
        }
        let me = users::require(&self.conn(), user)?;
        let context = PasswordContext {
            email: &me.email,
            display_name: &me.display_name,
        };
        policy::check("newPassword", &new.0, context)?;
        let now = self.now();
        let reservation = self.reserve_attempt(&me.email)?;
        let phc = users::password_hash(&self.conn(), user)?;
        let replacement = self.unless_busy(&reservation, || {
            match self.hasher.verify(&phc, &current)? {
                Verdict::Mismatch => Ok(None),
                Verdict::Match { .. } => self.hasher.hash(&new.0).map(Some),
            }
        })?;
        let Some(phc) = replacement else {
            self.record_failed_sign_in(&reservation, Some(user), now)?;
            return Err(Error::InvalidCredentials);
        };
        self.write(|conn| {
            users::set_password(conn, user, &phc, false, true, now)?;
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
        self.start_session(user, None)
    }

    /// Today's date on the vault's clock, `YYYY-MM-DD` (UTC), for file names.
    pub fn today(&self) -> String {
        crate::audit::format_utc(self.now())
            .chars()
            .take(10)
            .collect()
    }

    /// Refuses with `ReauthRequired` unless `session` checked its password within the
    /// step-up window.
    pub(crate) fn ensure_recent_auth(&self, session: &Session) -> Result<()> {
        session.ensure_recent_auth(self.now(), self.policy.step_up_seconds())
    }

    /// Whether a session saved now would survive a restart.
    pub fn stay_signed_in(&self) -> bool {
        self.persistent.load(Ordering::SeqCst)
    }

    /// Creates a session for `user`, replacing this computer's previous one, and keeps
    /// its token. `upgraded` is a stronger hash of the same password to store.
    fn start_session(&self, user: UserId, upgraded: Option<String>) -> Result<CurrentUser> {
        let token = SessionToken::generate()?;
        let now = self.now();
        let expires_at = now.saturating_add(self.policy.absolute_seconds());
        let anchor = self.load_anchor();
        let mut current = self.current();
        let previous = self.token(&mut current);
        let (row, latest) = self.write(|conn| {
            self.record_tail_check(conn, anchor, now)?;
            if let Some(previous) = &previous {
                sessions::delete(conn, previous.id())?;
            }
            let account = users::require(conn, user)?;
            sessions::insert(conn, &token, user, now, expires_at, account.last_sign_in_at)?;
            users::set_last_sign_in(conn, user, now)?;
            if let Some(phc) = &upgraded {
                users::set_password(conn, user, phc, false, false, now)?;
            }
            throttle::clear(conn, &account.email)?;
            let entry = NewEntry::new(AuditEvent::SignIn)
                .by(user, &account.email)
                .on(user, &account.email);
            audit::append(conn, &entry, now)?;
            Ok((users::require(conn, user)?, AuditAnchor::latest(conn)?))
        })?;
        self.save_anchor(latest);
        if let Err(e) = self.store.save(&token) {
            log::warn!(
                "could not keep the session in the OS keyring; it ends when the app closes: {e}"
            );
            self.persistent.store(false, Ordering::SeqCst);
        }
        current.token = Some(Some(token));
        current.verified = None;
        Ok(row.into_current_user(expires_at, self.stay_signed_in()))
    }

    /// This computer's token, reading the store the first time only.
    fn token(&self, current: &mut Current) -> Option<SessionToken> {
        if current.token.is_none() {
            let loaded = self.store.load().unwrap_or_else(|e| {
                log::warn!("could not read the session from the OS keyring: {e}");
                None
            });
            current.token = Some(loaded);
        }
        current.token.clone().flatten()
    }

    /// Drops the token from memory and from the store.
    fn forget_token(&self, current: &mut Current) {
        current.token = Some(None);
        current.verified = None;
        if let Err(e) = self.store.clear() {
            log::warn!("could not remove the session from the OS keyring: {e}");
        }
    }

    /// Runs `change` in an IMMEDIATE transaction (the write lock is taken up front, so
    /// its reads and checks cannot be overtaken by another writer) and marks cached
    /// session checks stale. Dropping the transaction without commit rolls back.
    pub(crate) fn write<T>(&self, change: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = change(&tx)?;
        tx.commit()?;
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(out)
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic mid-transaction rolls the transaction back on drop, so the connection
        // behind a poisoned lock is still consistent.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn current(&self) -> MutexGuard<'_, Current> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub(crate) fn hasher(&self) -> &Hasher {
        &self.hasher
    }
}

/// How long calibration aims for one argon2id hash on this machine.
pub const CALIBRATION_TARGET: std::time::Duration = std::time::Duration::from_millis(500);
const ARGON2_SETTING: &str = "argon2_params";

/// The parameters stored in the vault, or new ones measured on this machine and stored.
fn stored_or_calibrated_params(conn: &Connection) -> Result<HashParams> {
    if let Some(stored) = db::settings::get(conn, ARGON2_SETTING)? {
        return HashParams::from_setting(&stored);
    }
    let params = HashParams::calibrate(CALIBRATION_TARGET)?;
    log::info!("argon2id calibrated for this machine: {params:?}");
    db::settings::set(conn, ARGON2_SETTING, &params.to_setting())?;
    Ok(params)
}
