// The plugin's commands, who may call them, and which permission set grants them: the one
// list that the build script (for the permissions and their sets), the invoke handler's
// tests, the capability checks and SECURITY.md's table all follow. Kept free of `use`
// items so that `build.rs` can `include!` it.

/// Who may call a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: the sign-in and first-run paths.
    Public,
    /// The lock screen's own calls: they act only on the session this computer holds,
    /// locked or not, and show only whose it is.
    LockScreen,
    /// A verified session, not locked.
    Session,
    /// A verified session of an active admin.
    Admin,
    /// An admin whose password was checked in the last five minutes (step-up).
    AdminStepUp,
    /// An admin, and step-up as well when the request's target is an admin or the
    /// request gives access back; the vault decides from the request and the target
    /// (`vault::AdminAction`).
    AdminStepUpByTarget,
}

/// The permission set a host grants in its capability file to let a window call a
/// command: `latchkey:<identifier>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    /// `latchkey:default`: the sign-in and first-run screens and the signed-in person's
    /// own commands.
    Default,
    /// `latchkey:admin`: the admin console.
    Admin,
    /// `latchkey:clipboard`: copying a one-time password to the system clipboard.
    Clipboard,
    /// `latchkey:audit-export`: writing the audit log to a file in Downloads.
    AuditExport,
    /// `latchkey:backup`: writing a backup of the vault to a file in Downloads.
    Backup,
    /// `latchkey:accounts-file`: importing accounts from a CSV file and writing the
    /// account list or an import's temporary passwords to a file.
    AccountsFile,
}

impl Set {
    /// Every set, in the order the docs list them.
    pub const ALL: [Set; 6] = [
        Set::Default,
        Set::Admin,
        Set::Clipboard,
        Set::AuditExport,
        Set::Backup,
        Set::AccountsFile,
    ];

    /// The set's name after `latchkey:`.
    pub const fn identifier(self) -> &'static str {
        match self {
            Set::Default => "default",
            Set::Admin => "admin",
            Set::Clipboard => "clipboard",
            Set::AuditExport => "audit-export",
            Set::Backup => "backup",
            Set::AccountsFile => "accounts-file",
        }
    }

    /// What the set allows, for the permission's description.
    pub const fn description(self) -> &'static str {
        match self {
            Set::Default => {
                "The sign-in and first-run screens and the signed-in person's own commands"
            }
            Set::Admin => "The admin console: accounts, locks, audit log and security overview",
            Set::Clipboard => {
                "Copying a one-time password to the system clipboard, emptied again after 30 seconds"
            }
            Set::AuditExport => "Writing the audit log to a private file the admin chooses",
            Set::Backup => {
                "Writing a backup of the vault (every password hash) to a private file the admin chooses"
            }
            Set::AccountsFile => {
                "Importing accounts from a CSV file, and writing the account list or an import's temporary passwords to a private file the admin chooses"
            }
        }
    }
}

/// Every registered command, `verb_noun`, with its access level and permission set.
pub const COMMANDS: &[(&str, Access, Set)] = &[
    ("bootstrap_status", Access::Public, Set::Default),
    ("create_first_admin", Access::Public, Set::Default),
    ("login", Access::Public, Set::Default),
    ("complete_sign_in", Access::Public, Set::Default),
    ("logout", Access::Public, Set::Default),
    ("ping", Access::Public, Set::Default),
    ("check_password", Access::Public, Set::Default),
    ("lock_session", Access::LockScreen, Set::Default),
    ("locked_session", Access::LockScreen, Set::Default),
    ("unlock_session", Access::LockScreen, Set::Default),
    ("unlock_with_pin", Access::LockScreen, Set::Default),
    ("report_activity", Access::Session, Set::Default),
    ("pin_status", Access::Session, Set::Default),
    ("set_pin", Access::Session, Set::Default),
    ("clear_pin", Access::Session, Set::Default),
    ("watch_lock", Access::LockScreen, Set::Default),
    ("current_user", Access::Session, Set::Default),
    ("change_password", Access::Session, Set::Default),
    ("get_profile", Access::Session, Set::Default),
    ("update_profile", Access::Session, Set::Default),
    ("team_directory", Access::Session, Set::Default),
    ("reauthenticate", Access::Session, Set::Default),
    ("since_last_sign_in", Access::Session, Set::Default),
    ("second_factor_status", Access::Session, Set::Default),
    ("begin_enrolment", Access::Session, Set::Default),
    ("confirm_enrolment", Access::Session, Set::Default),
    ("regenerate_recovery_codes", Access::Session, Set::Default),
    ("remove_second_factor", Access::Session, Set::Default),
    ("list_accounts", Access::Admin, Set::Admin),
    ("get_account", Access::Admin, Set::Admin),
    ("create_account", Access::AdminStepUp, Set::Admin),
    ("update_account", Access::AdminStepUpByTarget, Set::Admin),
    ("set_role", Access::AdminStepUp, Set::Admin),
    ("set_disabled", Access::AdminStepUpByTarget, Set::Admin),
    ("delete_account", Access::AdminStepUp, Set::Admin),
    ("reset_password", Access::AdminStepUp, Set::Admin),
    ("locked_emails", Access::Admin, Set::Admin),
    ("unlock_email", Access::AdminStepUp, Set::Admin),
    ("audit_log", Access::Admin, Set::Admin),
    ("verify_audit_chain", Access::Admin, Set::Admin),
    ("sign_in_stats", Access::Admin, Set::Admin),
    ("export_audit", Access::AdminStepUp, Set::AuditExport),
    ("security_health", Access::Admin, Set::Admin),
    ("break_glass_notice", Access::Admin, Set::Admin),
    ("acknowledge_break_glass", Access::AdminStepUp, Set::Admin),
    ("copy_secret", Access::Admin, Set::Clipboard),
    ("desk_settings", Access::Admin, Set::Admin),
    ("update_desk_settings", Access::AdminStepUp, Set::Admin),
    ("sign_in_rules", Access::Admin, Set::Admin),
    ("update_sign_in_rules", Access::AdminStepUp, Set::Admin),
    ("check_account_import", Access::Admin, Set::AccountsFile),
    ("import_accounts", Access::AdminStepUp, Set::AccountsFile),
    ("save_temporary_passwords", Access::Admin, Set::AccountsFile),
    ("export_accounts", Access::AdminStepUp, Set::AccountsFile),
    ("backup_vault", Access::AdminStepUp, Set::Backup),
    ("show_saved_file", Access::Admin, Set::Admin),
    ("vault_info", Access::Session, Set::Default),
    ("reset_second_factor", Access::AdminStepUp, Set::Admin),
    ("second_factor_policy", Access::Admin, Set::Admin),
    ("set_second_factor_policy", Access::AdminStepUp, Set::Admin),
    ("account_sessions", Access::Admin, Set::Admin),
    ("end_session", Access::AdminStepUp, Set::Admin),
    ("end_all_sessions", Access::AdminStepUp, Set::Admin),
    ("organisation_providers", Access::Public, Set::Default),
    ("begin_organisation_sign_in", Access::Public, Set::Default),
    ("finish_organisation_sign_in", Access::Public, Set::Default),
    ("cancel_organisation_sign_in", Access::Public, Set::Default),
    ("organisation_link", Access::Session, Set::Default),
    ("set_offline_password", Access::Session, Set::Default),
    ("identity_providers", Access::Admin, Set::Admin),
    ("save_identity_provider", Access::AdminStepUp, Set::Admin),
    ("remove_identity_provider", Access::AdminStepUp, Set::Admin),
];
