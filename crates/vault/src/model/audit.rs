//! The audit log's plain types: events, rows, queries, reports, and the anchor kept
//! outside the file. Storage (`db::audit`) and the audit flows (`crate::audit`) share
//! them; they hold data only.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::Timestamp;
use crate::model::UserId;

/// What an audit row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs, reason = "the names say it")]
pub enum AuditEvent {
    FirstAdminCreated,
    SignIn,
    Lockout,
    Unlock,
    SignOut,
    SessionExpired,
    SessionLocked,
    SessionUnlocked,
    /// Someone else's session became the active one at this computer.
    SessionSwitched,
    SessionsRevoked,
    /// A second factor was set up.
    SecondFactorEnrolled,
    /// A second factor was removed, by its person or an admin (or by a password reset).
    SecondFactorRemoved,
    /// New recovery codes replaced the old ones.
    RecoveryCodesRegenerated,
    /// A recovery code signed someone in; the detail says how many are left.
    RecoveryCodeUsed,
    AccountCreated,
    AccountDisabled,
    AccountEnabled,
    AccountDeleted,
    ProfileUpdated,
    RoleChanged,
    PasswordChanged,
    PasswordReset,
    BreakGlassUsed,
    BreakGlassAcknowledged,
    AuditExported,
    /// The account list was written to a CSV file.
    AccountsExported,
    AuditTailMissing,
    SettingsChanged,
    PinSet,
    PinCleared,
    PinLockout,
    BackupCreated,
    VaultRestored,
    /// A signed update of the app was verified and handed to the installer; a failed
    /// install is a second row with the failure outcome.
    UpdateInstalled,
    /// A local password signed in an account linked to an organisation's provider while
    /// the provider could not be reached (or was refused doing so: the failure outcome).
    OfflineSignIn,
    /// An organisation's identity provider was added, changed or removed.
    IdentityProviderChanged,
    /// An account was linked to a person at an organisation's provider.
    AccountLinked,
}

impl AuditEvent {
    /// Every event, for filters.
    pub const ALL: [Self; 37] = [
        Self::FirstAdminCreated,
        Self::SignIn,
        Self::Lockout,
        Self::Unlock,
        Self::SignOut,
        Self::SessionExpired,
        Self::SessionLocked,
        Self::SessionUnlocked,
        Self::SessionSwitched,
        Self::SessionsRevoked,
        Self::SecondFactorEnrolled,
        Self::SecondFactorRemoved,
        Self::RecoveryCodesRegenerated,
        Self::RecoveryCodeUsed,
        Self::AccountCreated,
        Self::AccountDisabled,
        Self::AccountEnabled,
        Self::AccountDeleted,
        Self::ProfileUpdated,
        Self::RoleChanged,
        Self::PasswordChanged,
        Self::PasswordReset,
        Self::BreakGlassUsed,
        Self::BreakGlassAcknowledged,
        Self::AuditExported,
        Self::AccountsExported,
        Self::AuditTailMissing,
        Self::SettingsChanged,
        Self::PinSet,
        Self::PinCleared,
        Self::PinLockout,
        Self::BackupCreated,
        Self::VaultRestored,
        Self::UpdateInstalled,
        Self::OfflineSignIn,
        Self::IdentityProviderChanged,
        Self::AccountLinked,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstAdminCreated => "first_admin_created",
            Self::SignIn => "sign_in",
            Self::Lockout => "lockout",
            Self::Unlock => "unlock",
            Self::SignOut => "sign_out",
            Self::SessionExpired => "session_expired",
            Self::SessionLocked => "session_locked",
            Self::SessionUnlocked => "session_unlocked",
            Self::SessionSwitched => "session_switched",
            Self::SecondFactorEnrolled => "second_factor_enrolled",
            Self::SecondFactorRemoved => "second_factor_removed",
            Self::RecoveryCodesRegenerated => "recovery_codes_regenerated",
            Self::RecoveryCodeUsed => "recovery_code_used",
            Self::SessionsRevoked => "sessions_revoked",
            Self::AccountCreated => "account_created",
            Self::AccountDisabled => "account_disabled",
            Self::AccountEnabled => "account_enabled",
            Self::AccountDeleted => "account_deleted",
            Self::ProfileUpdated => "profile_updated",
            Self::RoleChanged => "role_changed",
            Self::PasswordChanged => "password_changed",
            Self::PasswordReset => "password_reset",
            Self::BreakGlassUsed => "break_glass_used",
            Self::BreakGlassAcknowledged => "break_glass_acknowledged",
            Self::AuditExported => "audit_exported",
            Self::AccountsExported => "accounts_exported",
            Self::AuditTailMissing => "audit_tail_missing",
            Self::SettingsChanged => "settings_changed",
            Self::PinSet => "pin_set",
            Self::PinCleared => "pin_cleared",
            Self::PinLockout => "pin_lockout",
            Self::BackupCreated => "backup_created",
            Self::VaultRestored => "vault_restored",
            Self::UpdateInstalled => "update_installed",
            Self::OfflineSignIn => "offline_sign_in",
            Self::IdentityProviderChanged => "identity_provider_changed",
            Self::AccountLinked => "account_linked",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|event| event.as_str() == text)
    }
}

/// Whether the recorded action worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs, reason = "the names say it")]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "success" => Some(Self::Success),
            "failure" => Some(Self::Failure),
            _ => None,
        }
    }
}

/// One audit row as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub id: i64,
    /// When (Unix seconds, UTC).
    pub at: Timestamp,
    /// What happened.
    pub event: AuditEvent,
    /// Whether it worked.
    pub outcome: Outcome,
    /// Who did it, if someone signed in did.
    pub actor_id: Option<UserId>,
    /// Their email at the time.
    pub actor_email: Option<String>,
    /// Whom it concerned.
    pub target_id: Option<UserId>,
    /// Their email at the time (for a failed sign-in, only when it matches an account).
    pub target_email: Option<String>,
    /// A short detail (the new role, the export format); never a secret.
    pub detail: Option<String>,
}

/// A row about to be appended.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewEntry<'a> {
    pub(crate) event: AuditEvent,
    pub(crate) outcome: Outcome,
    pub(crate) actor: Option<(UserId, &'a str)>,
    pub(crate) target: Option<(Option<UserId>, &'a str)>,
    pub(crate) detail: Option<&'a str>,
}

impl<'a> NewEntry<'a> {
    pub(crate) fn new(event: AuditEvent) -> Self {
        Self {
            event,
            outcome: Outcome::Success,
            actor: None,
            target: None,
            detail: None,
        }
    }

    pub(crate) fn failed(mut self) -> Self {
        self.outcome = Outcome::Failure;
        self
    }

    pub(crate) fn by(mut self, id: UserId, email: &'a str) -> Self {
        self.actor = Some((id, email));
        self
    }

    pub(crate) fn on(mut self, id: UserId, email: &'a str) -> Self {
        self.target = Some((Some(id), email));
        self
    }

    pub(crate) fn detail(mut self, detail: &'a str) -> Self {
        self.detail = Some(detail);
        self
    }
}

/// Which audit rows to list.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditQuery {
    /// Rows where this account acted or was acted on.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub account: Option<UserId>,
    /// Rows of this event.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub event: Option<AuditEvent>,
    /// From this time (inclusive, Unix seconds).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub from: Option<Timestamp>,
    /// Until this time (exclusive, Unix seconds).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub to: Option<Timestamp>,
    /// The `nextCursor` of the previous page: rows older than it.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub before: Option<i64>,
    /// Rows per page, 1 to 200.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub limit: Option<u32>,
}

/// One page of audit rows, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    /// The rows.
    pub items: Vec<AuditEntry>,
    /// Pass as `before` for older rows; absent on the last page.
    pub next_cursor: Option<i64>,
}

/// The result of walking the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChainReport {
    /// Rows read.
    pub rows: i64,
    /// The first row that does not fit the chain (edited, inserted, deleted before it,
    /// or reordered), if any.
    pub first_broken: Option<i64>,
    /// What the anchor kept outside the file says about the end of the log.
    pub tail: TailCheck,
    /// No row broke the chain and the anchor found its row.
    pub intact: bool,
}

/// The newest audit row's number and hash, kept outside the vault file (in the OS
/// keyring, beside the session) and renewed at each sign-in and sign-out on this
/// computer.
///
/// A hash chain shows every edit, insertion and deletion *before* its last row, but not
/// rows cut from its end: the rest still chains. The anchor closes that gap up to the
/// row it names. It cannot see rows cut after that row (written since the last sign-in
/// or sign-out here), nor a cut made by someone who can also rewrite the keyring entry
/// (the same OS account with its keyring unlocked), nor anything on a computer that
/// never held an anchor for this vault.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AuditAnchor {
    /// The row's number.
    pub seq: i64,
    /// The row's chain hash.
    pub hash: [u8; 32],
}

impl AuditAnchor {
    /// The anchor as stored: `seq:hex`.
    pub fn to_stored(&self) -> String {
        let hex: String = self.hash.iter().map(|b| format!("{b:02x}")).collect();
        format!("{}:{hex}", self.seq)
    }

    /// Reads a stored anchor; anything else is `None` (treated as no anchor).
    pub fn parse(text: &str) -> Option<Self> {
        let (seq, hex) = text.split_once(':')?;
        let seq = seq.parse().ok().filter(|seq: &i64| *seq > 0)?;
        if hex.len() != 64 || !hex.is_ascii() {
            return None;
        }
        let mut hash = [0_u8; 32];
        for (i, byte) in hash.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Self { seq, hash })
    }
}

impl std::fmt::Debug for AuditAnchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuditAnchor({})", self.to_stored())
    }
}

/// The end of the log against the anchor kept outside the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TailCheck {
    /// This computer holds no anchor for this vault (a first run, another computer, no
    /// keyring): a cut tail cannot be told.
    Unanchored,
    /// The anchored row is there with its hash: nothing up to it was cut.
    Found {
        /// The anchored row.
        seq: i64,
    },
    /// The log ends before the anchored row: rows `last + 1 ..= anchored` were removed.
    Cut {
        /// The row the anchor names.
        anchored: i64,
        /// The log's last row now (0 when empty).
        last: i64,
    },
    /// A row with the anchored number is there but is not the anchored row: the log was
    /// cut at or before it and written again.
    Rewritten {
        /// The row the anchor names.
        seq: i64,
    },
}

impl TailCheck {
    /// Whether the anchor shows rows removed or replaced.
    pub fn is_damaged(self) -> bool {
        matches!(self, Self::Cut { .. } | Self::Rewritten { .. })
    }

    /// The detail of the audit row that records the damage, if there is damage.
    pub(crate) fn detail(self) -> Option<String> {
        match self {
            Self::Cut { anchored, last } => Some(format!(
                "rows {} to {anchored} were removed from the end",
                last + 1
            )),
            Self::Rewritten { seq } => Some(format!("row {seq} was replaced")),
            Self::Unanchored | Self::Found { .. } => None,
        }
    }
}

/// Sign-ins on one of the viewer's local days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DayCount {
    /// The local date, as the Unix time of that date's midnight in UTC: format it in UTC
    /// to read the date.
    pub day: Timestamp,
    /// Successful sign-ins.
    pub succeeded: i64,
    /// Failed sign-ins.
    pub failed: i64,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_round_trips_through_its_name() {
        for event in AuditEvent::ALL {
            assert_eq!(AuditEvent::parse(event.as_str()), Some(event));
        }
    }
}
