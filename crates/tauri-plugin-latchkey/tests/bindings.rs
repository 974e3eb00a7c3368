//! The TypeScript types the UI uses for DTOs, requests, error codes and the command map,
//! generated from the Rust types. This test fails when `ui/packages/latchkey/src/bindings.ts` is stale;
//! `make bindings` (LATCHKEY_UPDATE_BINDINGS=1) rewrites it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use tauri_plugin_latchkey::command_list::COMMANDS;
use tauri_plugin_latchkey::commands::{
    AccountRef, Activity, ChangePasswordRequest, CheckPasswordRequest, CompleteSignInRequest,
    ConfirmEnrolmentRequest, CopySecretRequest, ExportRequest, ExportResult, LoginRequest,
    PasswordRequest, PinRequest, ReauthenticateRequest, SecondFactorPolicyRequest, SessionRef,
    SessionUnlockRequest, SetDisabledRequest, SetPinRequest, SetRoleRequest, ShowFileRequest,
    SignInStatsRequest, TemporaryPassword, TemporaryPasswords, VaultInfo,
};
use tauri_plugin_latchkey::organisation::{
    OfflinePasswordRequest, OrganisationSignIn, ProviderRef, SaveProviderRequest,
};
use ts_rs::{Config, TS};
use vault::{
    AccountSession, AccountStatus, AccountUpdate, AccountsCsv, AuditEntry, AuditEvent, AuditPage,
    AuditQuery, BackupReport, BootstrapStatus, BreakGlassNotice, ChainReport, Conflict,
    CreatedAccount, CurrentUser, DayCount, DeskSettings, DeskSettingsUpdate, Enrolment, ErrorCode,
    ErrorReply, ExportFormat, FirstAdmin, IdentityProvider, ImportCheck, ImportProblem,
    ImportProgress, ImportedAccount, Invalid, ListQuery, LockReason, LockScreen, LockedEmail,
    LockedSession, NewAccount, OrganisationLink, OrganisationProvider, Outcome, Page,
    PasswordStrength, PinStatus, ProfileDto, ProfileUpdate, ProviderSetup, QrModules,
    RecoveryCodes, Role, RowProblem, SecondFactorPolicy, SecondFactorStatus, SecurityHealth,
    SignInRules, TailCheck, UnlockRequest, UserDto, UserId,
};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../ui/packages/latchkey/src/bindings.ts"
);

/// Each command's request and response type, as TypeScript.
const COMMAND_TYPES: &[(&str, &str, &str)] = &[
    ("bootstrap_status", "null", "BootstrapStatus"),
    ("create_first_admin", "FirstAdmin", "CurrentUser"),
    ("login", "LoginRequest", "CurrentUser"),
    ("logout", "null", "null"),
    ("ping", "null", "null"),
    ("current_user", "null", "CurrentUser"),
    ("change_password", "ChangePasswordRequest", "CurrentUser"),
    ("get_profile", "AccountRef", "ProfileDto"),
    ("update_profile", "ProfileUpdate", "CurrentUser"),
    ("team_directory", "ListQuery", "Page<ProfileDto>"),
    ("list_accounts", "ListQuery", "Page<UserDto>"),
    ("get_account", "AccountRef", "UserDto"),
    ("create_account", "NewAccount", "CreatedAccount"),
    ("update_account", "AccountUpdate", "UserDto"),
    ("set_role", "SetRoleRequest", "UserDto"),
    ("set_disabled", "SetDisabledRequest", "UserDto"),
    ("delete_account", "AccountRef", "null"),
    ("reset_password", "AccountRef", "string"),
    ("check_password", "CheckPasswordRequest", "PasswordStrength"),
    ("lock_session", "null", "null"),
    ("locked_session", "null", "LockScreenState | null"),
    ("unlock_session", "SessionUnlockRequest", "CurrentUser"),
    ("unlock_with_pin", "PinRequest", "CurrentUser"),
    ("complete_sign_in", "CompleteSignInRequest", "CurrentUser"),
    ("second_factor_status", "null", "SecondFactorStatus"),
    ("begin_enrolment", "null", "Enrolment"),
    (
        "confirm_enrolment",
        "ConfirmEnrolmentRequest",
        "RecoveryCodes",
    ),
    (
        "regenerate_recovery_codes",
        "PasswordRequest",
        "RecoveryCodes",
    ),
    ("remove_second_factor", "PasswordRequest", "null"),
    ("reset_second_factor", "AccountRef", "null"),
    ("second_factor_policy", "null", "SecondFactorPolicy"),
    ("account_sessions", "AccountRef", "Array<AccountSession>"),
    ("end_session", "SessionRef", "null"),
    ("end_all_sessions", "AccountRef", "number"),
    (
        "set_second_factor_policy",
        "SecondFactorPolicyRequest",
        "SecondFactorPolicy",
    ),
    ("report_activity", "null", "Activity"),
    ("pin_status", "null", "PinStatus"),
    ("set_pin", "SetPinRequest", "PinStatus"),
    ("clear_pin", "null", "null"),
    ("watch_lock", "null", "null"),
    ("reauthenticate", "ReauthenticateRequest", "null"),
    ("since_last_sign_in", "null", "Array<AuditEntry>"),
    ("locked_emails", "null", "Array<LockedEmail>"),
    ("unlock_email", "UnlockRequest", "null"),
    ("audit_log", "AuditQuery", "AuditPage"),
    ("verify_audit_chain", "null", "ChainReport"),
    ("sign_in_stats", "SignInStatsRequest", "Array<DayCount>"),
    ("export_audit", "ExportRequest", "ExportResult | null"),
    ("copy_secret", "CopySecretRequest", "null"),
    ("security_health", "null", "SecurityHealth"),
    ("break_glass_notice", "null", "BreakGlassNotice | null"),
    ("acknowledge_break_glass", "null", "null"),
    ("desk_settings", "null", "DeskSettings"),
    ("update_desk_settings", "DeskSettingsUpdate", "DeskSettings"),
    ("sign_in_rules", "null", "SignInRules"),
    ("update_sign_in_rules", "SignInRules", "SignInRules"),
    ("check_account_import", "AccountsCsv", "ImportCheck"),
    ("import_accounts", "AccountsCsv", "Array<ImportedAccount>"),
    (
        "save_temporary_passwords",
        "TemporaryPasswords",
        "ExportResult | null",
    ),
    ("export_accounts", "null", "ExportResult | null"),
    ("backup_vault", "null", "BackupReport | null"),
    ("show_saved_file", "ShowFileRequest", "null"),
    ("vault_info", "null", "VaultInfo"),
    (
        "organisation_providers",
        "null",
        "Array<OrganisationProvider>",
    ),
    (
        "begin_organisation_sign_in",
        "ProviderRef",
        "OrganisationSignIn",
    ),
    ("finish_organisation_sign_in", "null", "CurrentUser"),
    ("cancel_organisation_sign_in", "null", "null"),
    ("organisation_link", "null", "OrganisationLink | null"),
    ("set_offline_password", "OfflinePasswordRequest", "null"),
    ("identity_providers", "null", "Array<IdentityProvider>"),
    (
        "save_identity_provider",
        "SaveProviderRequest",
        "IdentityProvider",
    ),
    ("remove_identity_provider", "ProviderRef", "null"),
];

fn generate() -> String {
    // Timestamps and ids are far below 2^53: plain numbers in JavaScript.
    let cfg = Config::new().with_large_int("number");
    let declarations = [
        UserId::decl(&cfg),
        Role::decl(&cfg),
        AccountStatus::decl(&cfg),
        UserDto::decl(&cfg),
        ProfileDto::decl(&cfg),
        CurrentUser::decl(&cfg),
        BootstrapStatus::decl(&cfg),
        Page::<UserDto>::decl(&cfg),
        CreatedAccount::decl(&cfg),
        ErrorCode::decl(&cfg),
        Invalid::decl(&cfg),
        Conflict::decl(&cfg),
        ErrorReply::decl(&cfg),
        FirstAdmin::decl(&cfg),
        NewAccount::decl(&cfg),
        ListQuery::decl(&cfg),
        ProfileUpdate::decl(&cfg),
        LoginRequest::decl(&cfg),
        ChangePasswordRequest::decl(&cfg),
        AccountRef::decl(&cfg),
        SetRoleRequest::decl(&cfg),
        SetDisabledRequest::decl(&cfg),
        AccountUpdate::decl(&cfg),
        PasswordStrength::decl(&cfg),
        CheckPasswordRequest::decl(&cfg),
        ReauthenticateRequest::decl(&cfg),
        AuditEvent::decl(&cfg),
        Outcome::decl(&cfg),
        AuditEntry::decl(&cfg),
        AuditQuery::decl(&cfg),
        AuditPage::decl(&cfg),
        TailCheck::decl(&cfg),
        ChainReport::decl(&cfg),
        DayCount::decl(&cfg),
        ExportFormat::decl(&cfg),
        ExportRequest::decl(&cfg),
        SignInStatsRequest::decl(&cfg),
        CopySecretRequest::decl(&cfg),
        ExportResult::decl(&cfg),
        LockedEmail::decl(&cfg),
        UnlockRequest::decl(&cfg),
        SecurityHealth::decl(&cfg),
        BreakGlassNotice::decl(&cfg),
        LockReason::decl(&cfg),
        LockedSession::decl(&cfg),
        LockScreen::decl(&cfg),
        SessionUnlockRequest::decl(&cfg),
        Activity::decl(&cfg),
        DeskSettings::decl(&cfg),
        DeskSettingsUpdate::decl(&cfg),
        SignInRules::decl(&cfg),
        AccountsCsv::decl(&cfg),
        RowProblem::decl(&cfg),
        ImportProblem::decl(&cfg),
        ImportCheck::decl(&cfg),
        ImportProgress::decl(&cfg),
        ImportedAccount::decl(&cfg),
        TemporaryPassword::decl(&cfg),
        TemporaryPasswords::decl(&cfg),
        PinStatus::decl(&cfg),
        PinRequest::decl(&cfg),
        SetPinRequest::decl(&cfg),
        BackupReport::decl(&cfg),
        CompleteSignInRequest::decl(&cfg),
        SecondFactorStatus::decl(&cfg),
        QrModules::decl(&cfg),
        Enrolment::decl(&cfg),
        ConfirmEnrolmentRequest::decl(&cfg),
        RecoveryCodes::decl(&cfg),
        SecondFactorPolicy::decl(&cfg),
        SecondFactorPolicyRequest::decl(&cfg),
        PasswordRequest::decl(&cfg),
        AccountSession::decl(&cfg),
        SessionRef::decl(&cfg),
        ShowFileRequest::decl(&cfg),
        VaultInfo::decl(&cfg),
        OrganisationProvider::decl(&cfg),
        ProviderRef::decl(&cfg),
        OrganisationSignIn::decl(&cfg),
        OrganisationLink::decl(&cfg),
        OfflinePasswordRequest::decl(&cfg),
        ProviderSetup::decl(&cfg),
        IdentityProvider::decl(&cfg),
        SaveProviderRequest::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by tests/bindings.rs. Do not edit: run `make bindings`.\n\n",
    );
    for declaration in declarations {
        out.push_str("export ");
        out.push_str(&declaration);
        out.push_str("\n\n");
    }
    let limits = [
        ("PASSWORD_MIN_CHARS", vault::PASSWORD_MIN_CHARS),
        ("IMPORT_MAX_BYTES", vault::IMPORT_MAX_BYTES),
        ("IMPORT_MAX_ROWS", vault::IMPORT_MAX_ROWS),
        ("PASSWORD_MAX_BYTES", vault::PASSWORD_MAX_BYTES),
        ("EMAIL_MAX_BYTES", vault::EMAIL_MAX_BYTES),
        ("NAME_MAX_CHARS", vault::NAME_MAX_CHARS),
        ("TEAM_MAX_CHARS", vault::TEAM_MAX_CHARS),
        ("PHONE_MAX_CHARS", vault::PHONE_MAX_CHARS),
        ("PAGE_DEFAULT", vault::PAGE_DEFAULT as usize),
        ("PAGE_MAX", vault::PAGE_MAX as usize),
        ("MIN_PASSWORD_SCORE", usize::from(vault::MIN_SCORE)),
        ("STEP_UP_SECONDS", vault::Session::STEP_UP_SECONDS as usize),
        ("PIN_MIN_DIGITS", vault::PIN_MIN_DIGITS),
        ("PIN_MAX_DIGITS", vault::PIN_MAX_DIGITS),
        ("PIN_TRIES", vault::PIN_TRIES as usize),
        ("DESK_SESSIONS", vault::SessionPolicy::DESK_SESSIONS),
        ("SIGN_IN_TRIES", vault::SIGN_IN_TRIES as usize),
        (
            "PIN_WINDOW_MAX_HOURS",
            vault::SessionPolicy::PIN_WINDOW_MAX_HOURS as usize,
        ),
    ];
    out.push_str("/** The vault's input limits, so forms can state them before submitting. */\n");
    for (name, value) in limits {
        out.push_str(&format!("export const {name} = {value};\n"));
    }
    out.push_str(
        "\n/** Every command: what it takes and what it returns. */\nexport interface Commands {\n",
    );
    for (name, request, response) in COMMAND_TYPES {
        out.push_str(&format!(
            "  {name}: {{ request: {request}; response: {response} }};\n"
        ));
    }
    out.push_str("}\n");
    out
}

#[test]
fn the_command_map_covers_every_registered_command() {
    let mut mapped: Vec<&str> = COMMAND_TYPES.iter().map(|(name, _, _)| *name).collect();
    let mut registered: Vec<&str> = COMMANDS.iter().map(|(name, _, _)| *name).collect();
    mapped.sort_unstable();
    registered.sort_unstable();
    assert_eq!(mapped, registered);
}

#[test]
fn the_typescript_bindings_are_up_to_date() {
    let fresh = generate();
    if std::env::var_os("LATCHKEY_UPDATE_BINDINGS").is_some_and(|v| v == "1") {
        std::fs::write(PATH, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/packages/latchkey/src/bindings.ts is stale: run `make bindings` and commit the result"
    );
}
