// The app's commands and who may call them: the one list that the build script (for the
// permission manifest), the invoke handler's tests and the capability check all read.
// Kept free of `use` items so that `build.rs` can `include!` it.

/// Who may call a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: the sign-in and first-run paths.
    Public,
    /// A verified session.
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

/// Every registered command, `verb_noun`, with its access level.
pub const COMMANDS: &[(&str, Access)] = &[
    ("bootstrap_status", Access::Public),
    ("create_first_admin", Access::Public),
    ("login", Access::Public),
    ("logout", Access::Public),
    ("ping", Access::Public),
    ("check_password", Access::Public),
    ("current_user", Access::Session),
    ("change_password", Access::Session),
    ("get_profile", Access::Session),
    ("update_profile", Access::Session),
    ("team_directory", Access::Session),
    ("reauthenticate", Access::Session),
    ("since_last_sign_in", Access::Session),
    ("list_accounts", Access::Admin),
    ("get_account", Access::Admin),
    ("create_account", Access::AdminStepUp),
    ("update_account", Access::AdminStepUpByTarget),
    ("set_role", Access::AdminStepUp),
    ("set_disabled", Access::AdminStepUpByTarget),
    ("delete_account", Access::AdminStepUp),
    ("reset_password", Access::AdminStepUp),
    ("locked_emails", Access::Admin),
    ("unlock_email", Access::AdminStepUp),
    ("audit_log", Access::Admin),
    ("verify_audit_chain", Access::Admin),
    ("sign_in_stats", Access::Admin),
    ("export_audit", Access::AdminStepUp),
    ("security_health", Access::Admin),
    ("break_glass_notice", Access::Admin),
    ("acknowledge_break_glass", Access::AdminStepUp),
    ("copy_secret", Access::Admin),
];
