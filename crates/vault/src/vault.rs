//! The [`Vault`]'s core: one open vault file, its connection and write transactions, the
//! clock, the session store, the hasher, and the state of this computer's current
//! session. The flows live in their own modules (`sign_in`, `current`, `accounts`,
//! `audit`, `health`), each an `impl Vault` that builds on this core; this module imports
//! none of them.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::clock::{Clock, SystemClock, Timestamp};
use crate::db::in_use::InUse;
use crate::db::{self, users};
use crate::dto::BootstrapStatus;
use crate::error::Result;
use crate::password::{HashParams, Hasher};
use crate::rules::{DeskSetting, SignInRules};
use crate::session::pending::Pending;
use crate::session::{Session, SessionPolicy, SessionStore, SessionToken};

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

/// The sessions held at this computer, which of them commands act for, and the last
/// successful check of that one.
///
/// Several people may be signed in at once, at most one of them active: the others are
/// locked. `selected` is the person at the keyboard, or, while everyone is locked, the
/// one who used the computer last (the lock screen starts on them).
#[derive(Debug, Default)]
pub(crate) struct Current {
    /// `None` until the store has been read once; then the token of every session this
    /// process knows to be held here.
    pub(crate) held: Option<Vec<SessionToken>>,
    /// The id of the session that commands act for.
    pub(crate) selected: Option<String>,
    pub(crate) verified: Option<Verified>,
    /// The last activity of the selected session seen by this process (commands, and
    /// input the UI reports), on the wall clock. `None` until the first check after it
    /// was selected; the row's last-seen stands in then.
    pub(crate) activity: Option<Timestamp>,
}

impl Current {
    /// The token of the selected session.
    pub(crate) fn selected_token(&self) -> Option<SessionToken> {
        let selected = self.selected.as_deref()?;
        self.held
            .as_ref()?
            .iter()
            .find(|token| token.id() == selected)
            .cloned()
    }

    /// The ids of every session held, the selected one included.
    pub(crate) fn held_ids(&self) -> Vec<String> {
        self.held
            .iter()
            .flatten()
            .map(|token| token.id().to_owned())
            .collect()
    }

    /// Makes session `id` the one commands act for, dropping the cached check.
    pub(crate) fn select(&mut self, id: &str, now: Timestamp) {
        self.selected = Some(id.to_owned());
        self.verified = None;
        self.activity = Some(now);
    }
}

/// A session check that can be reused while nothing has been written since.
#[derive(Debug)]
pub(crate) struct Verified {
    pub(crate) session: Session,
    /// This process's write generation when the check ran.
    pub(crate) generation: u64,
    /// SQLite's `data_version` when the check ran: it changes when another connection
    /// (a second instance, the recovery CLI) commits.
    pub(crate) data_version: i64,
}

/// A step-up check that holds for one admin action while the person answers a dialog
/// the action needs (where to save a file): made when the action began, used once when
/// it is carried out, by the same session.
#[derive(Debug)]
pub(crate) struct HeldStepUp {
    pub(crate) session_id: String,
    /// The action it holds for, as the step-up rule names it (`Backup`, ...).
    pub(crate) action: String,
    pub(crate) until: Timestamp,
}

/// An open vault file and the session of the person at this computer.
///
/// All methods block (SQLite, argon2, the session store): call them off the UI thread.
#[derive(Debug)]
pub struct Vault {
    conn: Mutex<Connection>,
    /// Where the session token and the audit anchor are kept.
    pub(crate) store: Arc<dyn SessionStore>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) hasher: Hasher,
    pub(crate) policy: SessionPolicy,
    current: Mutex<Current>,
    /// Bumped by every committed write through this vault; a cached check made before
    /// the bump is stale.
    pub(crate) generation: AtomicU64,
    /// False once the store failed to save: the session then lasts until the app closes.
    pub(crate) persistent: AtomicBool,
    /// The auto-lock time the admin chose, in minutes (the settings table caches here).
    pub(crate) auto_lock_minutes: AtomicI64,
    /// The PIN's window the admin chose, in hours (cached likewise).
    pub(crate) pin_window_hours: AtomicI64,
    /// Whether the lock screen lists the people signed in here: 1, or 0 when an admin
    /// chose an email field only (cached likewise).
    pub(crate) show_people: AtomicI64,
    /// Who must have a second factor: 0 nobody, 1 administrators, 2 everyone (cached
    /// likewise).
    pub(crate) second_factor_policy: AtomicI64,
    /// The session and sign-in rules an admin chose (cached likewise).
    pub(crate) rules: Mutex<SignInRules>,
    /// SQLite's `data_version` when the settings above were last read: when another
    /// connection (a second instance, the recovery CLI) has committed since, the next
    /// session check reads them again.
    settings_version: AtomicI64,
    /// Sign-ins waiting for their code, and second factors being set up.
    pending: Mutex<Pending>,
    /// The shared lock that keeps a restore from replacing the file under this vault.
    _in_use: InUse,
    /// The vault file.
    path: PathBuf,
    /// A step-up check held across a dialog, if one is.
    pub(crate) held_step_up: Mutex<Option<HeldStepUp>>,
}

impl Vault {
    /// Opens the vault file at `path`, creating and migrating it as needed. The session
    /// token is kept in `store`.
    pub fn open(path: &Path, store: Arc<dyn SessionStore>, options: VaultOptions) -> Result<Self> {
        let in_use = InUse::shared(path)?;
        let conn = db::open(path)?;
        let params = match options.hash_params {
            Some(params) => params,
            None => stored_or_calibrated_params(&conn)?,
        };
        let persistent = store.is_persistent();
        let auto_lock_minutes = AUTO_LOCK.stored(&conn)?;
        let pin_window_hours = PIN_WINDOW.stored(&conn)?;
        let show_people = SHOW_PEOPLE.stored(&conn)?;
        let second_factor_policy = SECOND_FACTOR_POLICY.stored(&conn)?;
        let rules = SignInRules::stored(&conn)?;
        let settings_version = db::data_version(&conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
            store,
            clock: options.clock,
            hasher: Hasher::new(params),
            policy: options.session_policy,
            current: Mutex::new(Current::default()),
            generation: AtomicU64::new(0),
            persistent: AtomicBool::new(persistent),
            auto_lock_minutes: AtomicI64::new(auto_lock_minutes),
            pin_window_hours: AtomicI64::new(pin_window_hours),
            show_people: AtomicI64::new(show_people),
            second_factor_policy: AtomicI64::new(second_factor_policy),
            rules: Mutex::new(rules),
            settings_version: AtomicI64::new(settings_version),
            pending: Mutex::new(Pending::default()),
            _in_use: in_use,
            path: path.to_owned(),
            held_step_up: Mutex::new(None),
        })
    }

    /// The vault file's path, as it was opened.
    pub fn path(&self) -> &Path {
        &self.path
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

    /// Caps the file at its present size, as a full disk would: the next write that needs
    /// a new page fails. For fault tests only.
    #[cfg(feature = "test-support")]
    pub fn fill_disk_for_tests(&self) -> Result<()> {
        let conn = self.conn();
        let pages: i64 = conn.query_row("PRAGMA page_count", [], |row| row.get(0))?;
        conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
        Ok(())
    }

    /// Today's date on the vault's clock, `YYYY-MM-DD` (UTC), for file names.
    pub fn today(&self) -> String {
        crate::clock::format_utc(self.now())
            .chars()
            .take(10)
            .collect()
    }

    /// Refuses with `ReauthRequired` unless `session` checked its password within the
    /// step-up window.
    pub(crate) fn ensure_recent_auth(&self, session: &Session) -> Result<()> {
        session.ensure_recent_auth(self.now(), self.step_up_seconds())
    }

    /// The session and sign-in rules in force for every session at this computer.
    pub(crate) fn rules(&self) -> SignInRules {
        *self.rules.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps `rules` as the ones in force, once they are saved.
    pub(crate) fn cache_rules(&self, rules: SignInRules) {
        *self.rules.lock().unwrap_or_else(PoisonError::into_inner) = rules;
    }

    /// Reads the settings cached in this vault again when another connection has
    /// committed since they were read (`data_version`, from the caller's connection).
    pub(crate) fn refresh_settings(&self, conn: &Connection, data_version: i64) -> Result<()> {
        if self.settings_version.load(Ordering::SeqCst) == data_version {
            return Ok(());
        }
        self.auto_lock_minutes
            .store(AUTO_LOCK.stored(conn)?, Ordering::SeqCst);
        self.pin_window_hours
            .store(PIN_WINDOW.stored(conn)?, Ordering::SeqCst);
        self.show_people
            .store(SHOW_PEOPLE.stored(conn)?, Ordering::SeqCst);
        self.second_factor_policy
            .store(SECOND_FACTOR_POLICY.stored(conn)?, Ordering::SeqCst);
        self.cache_rules(SignInRules::stored(conn)?);
        self.settings_version.store(data_version, Ordering::SeqCst);
        Ok(())
    }

    /// How long a password check counts for sensitive actions: the admin's choice, or
    /// less where this process's policy shortens it.
    pub(crate) fn step_up_seconds(&self) -> i64 {
        (self.rules().step_up_minutes * 60).min(self.policy.step_up_seconds())
    }

    /// Seconds without activity after which a session ends (the admin's choice, within
    /// this process's policy).
    pub(crate) fn idle_seconds(&self) -> i64 {
        (self.rules().idle_minutes * 60).min(self.policy.idle_seconds())
    }

    /// Seconds after sign-in at which a session ends (likewise).
    pub(crate) fn absolute_seconds(&self) -> i64 {
        (self.rules().absolute_hours * 3600).min(self.policy.absolute_seconds())
    }

    /// Seconds without activity after which the current session locks.
    pub fn auto_lock_seconds(&self) -> i64 {
        self.policy
            .auto_lock_seconds(self.auto_lock_minutes.load(Ordering::SeqCst))
    }

    /// Whether a session saved now would survive a restart.
    pub fn stay_signed_in(&self) -> bool {
        self.persistent.load(Ordering::SeqCst)
    }

    /// Runs `change` in an IMMEDIATE transaction (the write lock is taken up front, so
    /// its reads and checks cannot be overtaken by another writer) and marks cached
    /// session checks stale. Dropping the transaction without commit rolls back.
    pub(crate) fn write<T>(&self, change: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.write_held(&self.conn(), change)
    }

    /// As [`Self::write`], through the connection the caller already holds (the session
    /// check, which reads and then must end or lock the session it read).
    pub(crate) fn write_held<T>(
        &self,
        conn: &Connection,
        change: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
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

    pub(crate) fn current(&self) -> MutexGuard<'_, Current> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The half-done sign-ins and enrolments, with the expired ones dropped.
    pub(crate) fn pending(&self) -> MutexGuard<'_, Pending> {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        pending.drop_expired(self.now());
        pending
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

/// Minutes without activity before a session locks.
pub(crate) const AUTO_LOCK: DeskSetting = DeskSetting {
    key: "auto_lock_minutes",
    field: "autoLockMinutes",
    min: 1,
    max: SessionPolicy::AUTO_LOCK_MAX_MINUTES,
    default: SessionPolicy::AUTO_LOCK_DEFAULT_MINUTES,
};

/// Hours after a session's last password check during which a PIN may unlock it.
pub(crate) const PIN_WINDOW: DeskSetting = DeskSetting {
    key: "pin_window_hours",
    field: "pinWindowHours",
    min: 1,
    max: SessionPolicy::PIN_WINDOW_MAX_HOURS,
    default: SessionPolicy::PIN_WINDOW_DEFAULT_HOURS,
};

/// Whether the lock screen lists the people signed in here (1) or shows an email field
/// only (0), as Windows' "Other user" does.
pub(crate) const SHOW_PEOPLE: DeskSetting = DeskSetting {
    key: "show_people",
    field: "showPeople",
    min: 0,
    max: 1,
    default: 1,
};

/// Who must have a second factor: 0 nobody, 1 administrators, 2 everyone.
pub(crate) const SECOND_FACTOR_POLICY: DeskSetting = DeskSetting {
    key: "second_factor_policy",
    field: "policy",
    min: 0,
    max: 2,
    default: 0,
};
