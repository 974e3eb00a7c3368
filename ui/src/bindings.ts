// Generated from the Rust types by tests/bindings.rs. Do not edit: run `make bindings`.

export type UserId = number;

export type Role = "admin" | "user";

export type AccountStatus = "active" | "disabled";

export type UserDto = { 
/**
 * Account id.
 */
id: UserId, 
/**
 * Normalised email.
 */
email: string, 
/**
 * Display name.
 */
displayName: string, 
/**
 * Role.
 */
role: Role, 
/**
 * Team, if any.
 */
team: string | null, 
/**
 * Active or disabled.
 */
status: AccountStatus, 
/**
 * Must choose a new password at the next sign-in.
 */
mustChangePassword: boolean, 
/**
 * When the account was created (Unix seconds, UTC).
 */
createdAt: number, 
/**
 * The last successful sign-in, if any (Unix seconds, UTC).
 */
lastSignInAt: number | null, };

export type ProfileDto = { 
/**
 * Account id.
 */
id: UserId, 
/**
 * Normalised email.
 */
email: string, 
/**
 * Display name.
 */
displayName: string, 
/**
 * Role.
 */
role: Role, 
/**
 * Team, if any.
 */
team: string | null, 
/**
 * The phone number, present only when the viewer may see it: themself, an admin,
 * or a member of the same team (see [`can_see_phone_number`]).
 */
phone?: string, 
/**
 * True when the viewer may not see this person's phone number (whether or not
 * there is one), so the UI can say "not shown" rather than "none".
 */
phoneHidden: boolean, };

export type CurrentUser = { 
/**
 * Account id.
 */
id: UserId, 
/**
 * Normalised email.
 */
email: string, 
/**
 * Display name.
 */
displayName: string, 
/**
 * Role.
 */
role: Role, 
/**
 * Team, if any.
 */
team: string | null, 
/**
 * Their own phone number.
 */
phone: string | null, 
/**
 * Must choose a new password before anything else.
 */
mustChangePassword: boolean, 
/**
 * When this session ends regardless of activity (Unix seconds, UTC).
 */
sessionExpiresAt: number, 
/**
 * Whether the session survives a restart (the OS keyring works).
 */
staySignedIn: boolean, };

export type BootstrapStatus = { 
/**
 * The vault has no accounts yet: show the first-run wizard.
 */
needsFirstAdmin: boolean, 
/**
 * Sessions survive a restart (the OS keyring works). When false, signing in still
 * works but lasts only until the app closes.
 */
staySignedIn: boolean, };

export type Page<T> = { 
/**
 * The items, in order.
 */
items: Array<T>, 
/**
 * Pass as `after` to get the next page; absent on the last page.
 */
nextCursor: string | null, };

export type CreatedAccount = { 
/**
 * The account.
 */
account: UserDto, 
/**
 * The temporary password to hand over.
 */
temporaryPassword: string, };

export type ErrorCode = "InvalidCredentials" | "NotAuthenticated" | "SessionExpired" | "Forbidden" | "PasswordChangeRequired" | "Locked" | "ReauthRequired" | "Validation" | "Conflict" | "NotFound" | "Internal";

export type Invalid = { "kind": "empty" } | { "kind": "tooShort", "limit": number } | { "kind": "tooLong", "limit": number } | { "kind": "controlCharacter" } | { "kind": "malformed" } | { "kind": "missing" } | { "kind": "wrongType" } | { "kind": "unexpected" };

export type Conflict = "alreadyInitialised" | "emailTaken" | "lastActiveAdmin" | "ownAccount" | "passwordUnchanged";

export type ErrorReply = { 
/**
 * The stable code.
 */
code: ErrorCode, 
/**
 * A message safe to show to the person at the keyboard.
 */
message: string, 
/**
 * For `Validation`, the field to mark.
 */
field?: string, 
/**
 * For `Validation`, what is wrong with the field.
 */
reason?: Invalid, 
/**
 * For `Conflict`, which rule the request ran into.
 */
conflict?: Conflict, };

export type FirstAdmin = { 
/**
 * Email to sign in with.
 */
email: string, 
/**
 * Name shown to others.
 */
displayName: string, 
/**
 * The admin's password.
 */
password: string, };

export type NewAccount = { 
/**
 * Email to sign in with.
 */
email: string, 
/**
 * Name shown to others.
 */
displayName: string, 
/**
 * Role.
 */
role: Role, 
/**
 * Team, if any.
 */
team?: string | null, 
/**
 * Phone number, if any.
 */
phone?: string | null, };

export type ListQuery = { 
/**
 * A prefix of the email or the display name, case-insensitive.
 */
search?: string | null, 
/**
 * The `nextCursor` of the previous page.
 */
after?: string | null, 
/**
 * Rows per page, 1 to [`PAGE_MAX`]; [`PAGE_DEFAULT`] when absent.
 */
limit?: number | null, };

export type ProfileUpdate = { 
/**
 * Name shown to others.
 */
displayName: string, 
/**
 * Phone number; empty to remove it.
 */
phone?: string | null, };

export type LoginRequest = { 
/**
 * Email as typed.
 */
email: string, 
/**
 * Password as typed.
 */
password: string, };

export type ChangePasswordRequest = { 
/**
 * The password in force now (or the temporary one).
 */
currentPassword: string, 
/**
 * The new password.
 */
newPassword: string, };

export type AccountRef = { 
/**
 * The account.
 */
id: UserId, };

export type SetRoleRequest = { 
/**
 * The account.
 */
id: UserId, 
/**
 * Its new role.
 */
role: Role, };

export type SetDisabledRequest = { 
/**
 * The account.
 */
id: UserId, 
/**
 * True to disable, false to enable.
 */
disabled: boolean, };

export type UpdateAccountRequest = { 
/**
 * The account.
 */
id: UserId, 
/**
 * Name shown to others.
 */
displayName: string, 
/**
 * Team; empty or absent to remove it.
 */
team?: string | null, 
/**
 * Phone number; empty or absent to remove it.
 */
phone?: string | null, };

/** The vault's input limits, so forms can state them before submitting. */
export const PASSWORD_MIN_CHARS = 15;
export const PASSWORD_MAX_BYTES = 256;
export const EMAIL_MAX_BYTES = 254;
export const NAME_MAX_CHARS = 200;
export const TEAM_MAX_CHARS = 100;
export const PHONE_MAX_CHARS = 32;
export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 200;

/** Every command: what it takes and what it returns. */
export interface Commands {
  bootstrap_status: { request: null; response: BootstrapStatus };
  create_first_admin: { request: FirstAdmin; response: CurrentUser };
  login: { request: LoginRequest; response: CurrentUser };
  logout: { request: null; response: null };
  ping: { request: null; response: null };
  current_user: { request: null; response: CurrentUser };
  change_password: { request: ChangePasswordRequest; response: CurrentUser };
  get_profile: { request: AccountRef; response: ProfileDto };
  update_profile: { request: ProfileUpdate; response: CurrentUser };
  team_directory: { request: ListQuery; response: Page<ProfileDto> };
  list_accounts: { request: ListQuery; response: Page<UserDto> };
  get_account: { request: AccountRef; response: UserDto };
  create_account: { request: NewAccount; response: CreatedAccount };
  update_account: { request: UpdateAccountRequest; response: UserDto };
  set_role: { request: SetRoleRequest; response: UserDto };
  set_disabled: { request: SetDisabledRequest; response: UserDto };
  delete_account: { request: AccountRef; response: null };
  reset_password: { request: AccountRef; response: string };
}
