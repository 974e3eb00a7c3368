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
 * Phone number, if any: admins may see everyone's (`can_see_phone_number`), and
 * only admins receive this DTO.
 */
phone: string | null, 
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
lastSignInAt: number | null, 
/**
 * Whether the account has a second factor (never the factor itself).
 */
secondFactor: boolean, };

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
 * Must set up a second factor before anything else (after any password change):
 * an admin requires one for this person's role.
 */
secondFactorDue: boolean, 
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

export type ErrorCode = "InvalidCredentials" | "NotAuthenticated" | "SessionExpired" | "Forbidden" | "PasswordChangeRequired" | "Locked" | "SessionLocked" | "WrongPin" | "CodeRequired" | "WrongCode" | "SecondFactorRequired" | "ReauthRequired" | "Busy" | "Validation" | "Conflict" | "NotFound" | "Storage" | "Unreachable" | "Internal";

export type Invalid = { "kind": "empty" } | { "kind": "tooShort", "limit": number } | { "kind": "tooLong", "limit": number } | { "kind": "controlCharacter" } | { "kind": "malformed" } | { "kind": "tooSmall", "limit": number } | { "kind": "tooLarge", "limit": number } | { "kind": "missing" } | { "kind": "wrongType" } | { "kind": "unexpected" } | { "kind": "breached" } | { "kind": "personalInfo" } | { "kind": "tooWeak" } | { "kind": "wrongCode" };

export type Conflict = "alreadyInitialised" | "emailTaken" | "lastActiveAdmin" | "ownAccount" | "passwordUnchanged" | "vaultTooNew" | "notAVault" | "vaultInUse" | "fileExists" | "pinUnavailable" | "sqliteTooOld" | "signInExpired" | "alreadyEnrolled" | "notEnrolled" | "enrolmentNotStarted" | "secondFactorRequired" | "updatesOff" | "updateInvalid" | "updateRefused" | "noUpdatePending" | "updateInstallFailed" | "noLocalPassword" | "providerExists" | "providerInvalid" | "noOrganisationSignIn" | "organisationSignInCancelled" | "organisationSignInTimedOut" | "organisationStateMismatch" | "organisationWrongPath" | "organisationIssuerMismatch" | "organisationDenied" | "organisationCodeRefused" | "tokenSignatureInvalid" | "tokenAudienceInvalid" | "tokenExpired" | "tokenNonceMismatch" | "tokenInvalid" | "organisationEmailMissing" | "organisationEmailTaken" | "accountLinkedElsewhere" | "accountDisabledHere" | "useOrganisationSignIn" | "offlineWindowPassed" | "clockBehind" | "organisationRefused" | "notLinked";

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
conflict?: Conflict, 
/**
 * For `Locked`, seconds until the next attempt is allowed.
 */
retryAfter?: number, 
/**
 * For `CodeRequired`, the half-done sign-in to finish.
 */
ticket?: string, 
/**
 * For `WrongPin`, tries left before the session ends; for `WrongCode`, before the
 * password is needed again.
 */
remainingTries?: number, 
/**
 * For `SessionLocked`, why the session was locked.
 */
lockReason?: LockReason, };

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
limit?: number | null, 
/**
 * Admins' console only: accounts with (`true`) or without (`false`) a second
 * factor. The directory takes no such filter.
 */
secondFactor?: boolean | null, };

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

export type AccountUpdate = { 
/**
 * The account.
 */
id: UserId, 
/**
 * Name shown to others.
 */
displayName: string, 
/**
 * Team; empty to remove it.
 */
team?: string | null, 
/**
 * Phone number; empty to remove it.
 */
phone?: string | null, };

export type PasswordStrength = { 
/**
 * zxcvbn's score, 0 (too guessable) to 4 (very unguessable).
 */
score: number, 
/**
 * The shortest password the rules allow here, in characters.
 */
minChars: number, 
/**
 * Long enough for the current rule.
 */
longEnough: boolean, 
/**
 * Within the byte limit.
 */
shortEnough: boolean, 
/**
 * On the breached-password list.
 */
breached: boolean, 
/**
 * Contains the email name, the display name or the product name.
 */
containsPersonalInfo: boolean, 
/**
 * zxcvbn's warning, as a key the UI translates (for example `AWordByItselfIsEasyToGuess`).
 */
warning?: string, 
/**
 * zxcvbn's suggestions, as keys the UI translates.
 */
suggestions: Array<string>, 
/**
 * Every rule is met: the password would be accepted.
 */
acceptable: boolean, };

export type CheckPasswordRequest = { 
/**
 * The password being typed.
 */
password: string, 
/**
 * The account's email, if known.
 */
email?: string | null, 
/**
 * The account's display name, if known.
 */
displayName?: string | null, 
/**
 * Whether the account has a second factor (a shorter minimum applies). Only the
 * meter's estimate depends on it; the vault applies the rule from the account.
 */
hasSecondFactor?: boolean | null, };

export type ReauthenticateRequest = { 
/**
 * The signed-in person's password.
 */
password: string, 
/**
 * With a second factor: the app's current code.
 */
code?: string | null, };

export type AuditEvent = "first_admin_created" | "sign_in" | "lockout" | "unlock" | "sign_out" | "session_expired" | "session_locked" | "session_unlocked" | "session_switched" | "sessions_revoked" | "second_factor_enrolled" | "second_factor_removed" | "recovery_codes_regenerated" | "recovery_code_used" | "account_created" | "account_disabled" | "account_enabled" | "account_deleted" | "profile_updated" | "role_changed" | "password_changed" | "password_reset" | "break_glass_used" | "break_glass_acknowledged" | "audit_exported" | "accounts_exported" | "audit_tail_missing" | "settings_changed" | "pin_set" | "pin_cleared" | "pin_lockout" | "backup_created" | "vault_restored" | "update_installed" | "offline_sign_in" | "identity_provider_changed" | "account_linked";

export type Outcome = "success" | "failure";

export type AuditEntry = { 
/**
 * Position in the chain, from 1.
 */
id: number, 
/**
 * When (Unix seconds, UTC).
 */
at: number, 
/**
 * What happened.
 */
event: AuditEvent, 
/**
 * Whether it worked.
 */
outcome: Outcome, 
/**
 * Who did it, if someone signed in did.
 */
actorId: UserId | null, 
/**
 * Their email at the time.
 */
actorEmail: string | null, 
/**
 * Whom it concerned.
 */
targetId: UserId | null, 
/**
 * Their email at the time (for a failed sign-in, only when it matches an account).
 */
targetEmail: string | null, 
/**
 * A short detail (the new role, the export format); never a secret.
 */
detail: string | null, };

export type AuditQuery = { 
/**
 * Rows where this account acted or was acted on.
 */
account?: UserId | null, 
/**
 * Rows of this event.
 */
event?: AuditEvent | null, 
/**
 * From this time (inclusive, Unix seconds).
 */
from?: number | null, 
/**
 * Until this time (exclusive, Unix seconds).
 */
to?: number | null, 
/**
 * The `nextCursor` of the previous page: rows older than it.
 */
before?: number | null, 
/**
 * Rows per page, 1 to 200.
 */
limit?: number | null, };

export type AuditPage = { 
/**
 * The rows.
 */
items: Array<AuditEntry>, 
/**
 * Pass as `before` for older rows; absent on the last page.
 */
nextCursor: number | null, };

export type TailCheck = { "kind": "unanchored" } | { "kind": "found", 
/**
 * The anchored row.
 */
seq: number, } | { "kind": "cut", 
/**
 * The row the anchor names.
 */
anchored: number, 
/**
 * The log's last row now (0 when empty).
 */
last: number, } | { "kind": "rewritten", 
/**
 * The row the anchor names.
 */
seq: number, };

export type ChainReport = { 
/**
 * Rows read.
 */
rows: number, 
/**
 * The first row that does not fit the chain (edited, inserted, deleted before it,
 * or reordered), if any.
 */
firstBroken: number | null, 
/**
 * What the anchor kept outside the file says about the end of the log.
 */
tail: TailCheck, 
/**
 * No row broke the chain and the anchor found its row.
 */
intact: boolean, };

export type DayCount = { 
/**
 * The local date, as the Unix time of that date's midnight in UTC: format it in UTC
 * to read the date.
 */
day: number, 
/**
 * Successful sign-ins.
 */
succeeded: number, 
/**
 * Failed sign-ins.
 */
failed: number, };

export type ExportFormat = "csv" | "jsonl";

export type ExportRequest = { 
/**
 * CSV or JSON Lines.
 */
format: ExportFormat, };

export type SignInStatsRequest = { 
/**
 * The viewer's offset from UTC now, in minutes (+540 in Korea), as the UI's date
 * filters use it.
 */
utcOffsetMinutes: number, };

export type CopySecretRequest = { 
/**
 * The one-time password on screen.
 */
text: string, };

export type ExportResult = { 
/**
 * The file's full path.
 */
path: string, 
/**
 * Its size in bytes.
 */
bytes: number, };

export type LockedEmail = { 
/**
 * The email as tried (normalised).
 */
email: string, 
/**
 * Consecutive failures so far.
 */
failures: number, 
/**
 * When the lock started (Unix seconds, UTC).
 */
lockedAt: number, 
/**
 * When it ends by itself.
 */
unlocksAt: number, 
/**
 * The account with this email, if there is one.
 */
account: UserId | null, };

export type UnlockRequest = { 
/**
 * The locked email.
 */
email: string, };

export type SecurityHealth = { 
/**
 * argon2id memory cost of new hashes, KiB.
 */
memoryKib: number, 
/**
 * argon2id passes.
 */
iterations: number, 
/**
 * argon2id lanes.
 */
lanes: number, 
/**
 * Accounts whose stored hash uses weaker parameters (upgraded at their next sign-in).
 */
outdatedHashes: number, 
/**
 * Emails locked after too many failures.
 */
lockedEmails: number, 
/**
 * Accounts that never signed in.
 */
neverSignedIn: number, 
/**
 * Admin accounts, and how many of them are active.
 */
admins: number, 
/**
 * Active admin accounts.
 */
activeAdmins: number, 
/**
 * All accounts.
 */
accounts: number, 
/**
 * Entries in the breached-password list.
 */
breachedListSize: number, 
/**
 * Entries long enough to be a password here: at least the minimum length when the
 * password is the only factor. Shorter ones are refused by length anyway.
 */
breachedListApplicable: number, 
/**
 * The same with a second factor, whose minimum is shorter.
 */
breachedListApplicableWithSecondFactor: number, 
/**
 * Active accounts without a second factor.
 */
withoutSecondFactor: number, };

export type BreakGlassNotice = { 
/**
 * When recovery ran (Unix seconds, UTC).
 */
at: number, 
/**
 * The account it made an admin.
 */
email: string, };

export type LockReason = "manual" | "idle" | "sleep" | "osLock" | "switch";

export type LockedSession = { 
/**
 * The session's public id, which the unlock commands name.
 */
sessionId: string, 
/**
 * The person's name.
 */
displayName: string, 
/**
 * Their email.
 */
email: string, 
/**
 * Why the session was locked.
 */
reason: LockReason, 
/**
 * When (Unix seconds, UTC).
 */
lockedAt: number, 
/**
 * The auto-lock time in force, in seconds, for the words of an idle lock.
 */
autoLockSeconds: number, 
/**
 * Whether the person's PIN may unlock it now (they have one, the window since the
 * last password check is open, and tries are left).
 */
pinAvailable: boolean, };

export type LockScreenState = { 
/**
 * The people with a locked session here, most recently locked first; empty when
 * an admin chose to hide the list.
 */
people: Array<LockedSession>, 
/**
 * The session the screen starts on: the person who used the computer last, when
 * the list shows them.
 */
last: string | null, 
/**
 * Whether the list is shown; when it is not, the screen asks for an email and a
 * password, as for a sign-in.
 */
showPeople: boolean, };

export type SessionUnlockRequest = { 
/**
 * The session to unlock, as the lock screen listed it.
 */
sessionId: string, 
/**
 * Its person's password.
 */
password: string, };

export type Activity = { 
/**
 * Seconds from now until the session locks, unless more activity comes first.
 */
lockAfterSeconds: number, };

export type DeskSettings = { 
/**
 * Minutes without activity before a session locks (1 to 60), as chosen.
 */
autoLockMinutes: number, 
/**
 * The seconds in force: shorter than the choice when `LATCHKEY_AUTO_LOCK_SECONDS`
 * shortens it on this computer.
 */
autoLockSeconds: number, 
/**
 * Hours after a session's last password check during which a PIN unlocks it
 * (1 to 12).
 */
pinWindowHours: number, 
/**
 * Whether the lock screen lists the people signed in here; when not, it shows an
 * email field only.
 */
showPeople: boolean, };

export type DeskSettingsUpdate = { 
/**
 * Minutes without activity before a session locks, 1 to 60.
 */
autoLockMinutes: number, 
/**
 * Hours after the last password check during which a PIN unlocks, 1 to 12.
 */
pinWindowHours: number, 
/**
 * Whether the lock screen lists the people signed in here.
 */
showPeople: boolean, };

export type SignInRules = { 
/**
 * Minutes without activity after which a session ends, 1 to 60 (15). A session
 * that locks first stays signed in, locked, until its lifetime ends.
 */
idleMinutes: number, 
/**
 * Hours after sign-in at which a session ends, 1 to 24 (12).
 */
absoluteHours: number, 
/**
 * Minutes a password check counts for sensitive actions, 1 to 10 (5).
 */
stepUpMinutes: number, 
/**
 * Consecutive failed sign-ins that lock an email for a day, 5 to 100 (100).
 */
lockAfterFailures: number, 
/**
 * The longest wait between failed sign-ins, 10 to 60 seconds (10).
 */
longestWaitSeconds: number, 
/**
 * The shortest new password while it is the only factor, 15 to 64 characters (15).
 * With a second factor, 8.
 */
passwordMinChars: number, };

export type AccountsCsv = { 
/**
 * The file's text (UTF-8), at most 4 MiB.
 */
csv: string, };

export type RowProblem = { "kind": "invalid", 
/**
 * Which rule.
 */
reason: Invalid, } | { "kind": "emailTaken" } | { "kind": "repeated", 
/**
 * That line.
 */
line: number, } | { "kind": "unknownRole" } | { "kind": "unknownColumn" } | { "kind": "missingColumn" } | { "kind": "unreadable" };

export type ImportProblem = { 
/**
 * The line of the file, from 1 (the column names).
 */
line: number, 
/**
 * The column (`email`, `name`, ...), or empty for a whole line.
 */
column: string, 
/**
 * What is wrong.
 */
problem: RowProblem, };

export type ImportCheck = { 
/**
 * Accounts the file describes.
 */
rows: number, 
/**
 * How many of them would be admins.
 */
admins: number, 
/**
 * The first 200 problems, in file order; the import needs none.
 */
problems: Array<ImportProblem>, 
/**
 * How many problems there are in all.
 */
problemCount: number, };

export type ImportProgress = { 
/**
 * Accounts ready to write.
 */
done: number, 
/**
 * Accounts in the file.
 */
total: number, };

export type ImportedAccount = { 
/**
 * The account's email.
 */
email: string, 
/**
 * Its name.
 */
displayName: string, 
/**
 * Its role.
 */
role: Role, 
/**
 * The temporary password to hand over; it must be changed at first sign-in.
 */
temporaryPassword: string, };

export type TemporaryPassword = { 
/**
 * The account's email.
 */
email: string, 
/**
 * Its temporary password.
 */
temporaryPassword: string, };

export type TemporaryPasswords = { 
/**
 * Each account's email and temporary password, as the import returned them.
 */
accounts: Array<TemporaryPassword>, };

export type PinStatus = { 
/**
 * When the PIN was set (Unix seconds, UTC), if there is one.
 */
setAt: number | null, 
/**
 * Hours after the last password check during which the PIN unlocks.
 */
windowHours: number, };

export type PinRequest = { 
/**
 * The session to unlock, as the lock screen listed it.
 */
sessionId: string, 
/**
 * The PIN, digits only.
 */
pin: string, };

export type SetPinRequest = { 
/**
 * The signed-in person's password.
 */
password: string, 
/**
 * The new PIN, 6 to 12 digits.
 */
pin: string, };

export type BackupReport = { 
/**
 * Where the copy is.
 */
path: string, 
/**
 * Its size in bytes.
 */
bytes: number, 
/**
 * The accounts in it.
 */
accounts: number, };

export type CompleteSignInRequest = { 
/**
 * The half-done sign-in.
 */
ticket: string, 
/**
 * Six digits from the app, or a recovery code.
 */
code: string, };

export type SecondFactorStatus = { 
/**
 * When it was set up; `None` without one.
 */
enrolledAt: number | null, 
/**
 * Unused recovery codes.
 */
recoveryCodesLeft: number, 
/**
 * Whether an admin requires one for this person.
 */
required: boolean, };

export type QrModules = { 
/**
 * Modules per side.
 */
size: number, 
/**
 * `size × size` characters, row by row: `1` dark, `0` light.
 */
modules: string, };

export type Enrolment = { 
/**
 * The secret in base32, for typing into an app.
 */
secret: string, 
/**
 * The `otpauth://totp/…` URI the QR code carries.
 */
uri: string, 
/**
 * The QR code of the URI.
 */
qr: QrModules, };

export type ConfirmEnrolmentRequest = { 
/**
 * The person's password, which seals the secret.
 */
password: string, 
/**
 * The app's current six digits.
 */
code: string, };

export type RecoveryCodes = { 
/**
 * Ten codes, `XXXX-XXXX-XXXX-XXXX`.
 */
codes: Array<string>, };

export type SecondFactorPolicy = "nobody" | "admins" | "everyone";

export type SecondFactorPolicyRequest = { 
/**
 * Nobody, administrators, or everyone.
 */
policy: SecondFactorPolicy, };

export type PasswordRequest = { 
/**
 * The signed-in person's password.
 */
password: string, };

export type AccountSession = { 
/**
 * The session's public id, which `end_session` names.
 */
id: string, 
/**
 * When it began (Unix seconds, UTC).
 */
createdAt: number, 
/**
 * When it was last used.
 */
lastSeenAt: number, 
/**
 * When it ends regardless of use.
 */
expiresAt: number, 
/**
 * When it was locked, if it is.
 */
lockedAt: number | null, 
/**
 * Why it was locked, if it is.
 */
lockReason: LockReason | null, };

export type SessionRef = { 
/**
 * The session, as `account_sessions` listed it.
 */
sessionId: string, };

export type ShowFileRequest = { 
/**
 * The path an export or a backup reported.
 */
path: string, };

export type VaultInfo = { 
/**
 * The vault file's full path.
 */
path: string, 
/**
 * Its schema version (the number of migrations applied).
 */
schemaVersion: number, };

export type OrganisationProvider = { 
/**
 * Names the provider in `begin_organisation_sign_in`.
 */
id: number, 
/**
 * The name on the button.
 */
name: string, };

export type ProviderRef = { 
/**
 * The provider, as `organisation_providers` or `identity_providers` listed it.
 */
providerId: number, };

export type OrganisationSignIn = { 
/**
 * The provider's name.
 */
provider: string, 
/**
 * Whether the system browser was opened; when not, the screen offers the address
 * to open by hand.
 */
browserOpened: boolean, 
/**
 * The provider's sign-in page for this attempt (it carries no secret: the code
 * comes back to this app only, and only the verifier kept here can redeem it).
 */
url: string, };

export type OrganisationLink = { 
/**
 * The provider's name.
 */
provider: string, 
/**
 * The last sign-in the provider confirmed (Unix seconds).
 */
lastOnlineAt: number, 
/**
 * Until when the local password signs in while the provider cannot be reached;
 * `None` when the provider allows no offline sign-in.
 */
offlineUntil: number | null, 
/**
 * Whether the account has a local password.
 */
hasOfflinePassword: boolean, };

export type OfflinePasswordRequest = { 
/**
 * The new password.
 */
newPassword: string, };

export type ProviderSetup = { 
/**
 * The name on the sign-in button ("Sign in with <name>").
 */
name: string, 
/**
 * The issuer URL: `https://…`, or `http://` on this computer (`127.0.0.1`,
 * `localhost`) for a provider that runs here.
 */
issuer: string, 
/**
 * The client id registered at the provider for Latchkey (a public client: there
 * is no secret on a desktop).
 */
clientId: string, 
/**
 * The scopes to ask for beyond `openid`, separated by spaces.
 */
scopes: string, 
/**
 * The claim that holds the email (`email` unless the provider uses another).
 */
emailClaim: string, 
/**
 * The claim that lists the admin group (`groups`, `roles`), or empty when the
 * provider never makes anyone an admin here.
 */
adminClaim: string, 
/**
 * The value in that claim that makes an admin.
 */
adminValue: string, 
/**
 * Whether a first sign-in may take over an existing account with the same verified
 * email; otherwise it is refused.
 */
linkByEmail: boolean, 
/**
 * Days after the last online sign-in during which the local password still signs
 * the person in while the provider cannot be reached (0 to 90; 0 turns it off).
 */
offlineDays: number, };

export type IdentityProvider = { 
/**
 * The provider's id.
 */
id: number, 
/**
 * Its settings.
 */
setup: ProviderSetup, 
/**
 * When its discovery document and keys were last fetched (Unix seconds).
 */
fetchedAt: number, 
/**
 * How many local accounts are linked to its people.
 */
linkedAccounts: number, };

export type SaveProviderRequest = { 
/**
 * The provider to change, or none to add one.
 */
id?: number | null, 
/**
 * Its settings.
 */
setup: ProviderSetup, };

/** The vault's input limits, so forms can state them before submitting. */
export const PASSWORD_MIN_CHARS = 15;
export const IMPORT_MAX_BYTES = 4194304;
export const IMPORT_MAX_ROWS = 10000;
export const PASSWORD_MAX_BYTES = 256;
export const EMAIL_MAX_BYTES = 254;
export const NAME_MAX_CHARS = 200;
export const TEAM_MAX_CHARS = 100;
export const PHONE_MAX_CHARS = 32;
export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 200;
export const MIN_PASSWORD_SCORE = 3;
export const STEP_UP_SECONDS = 300;
export const PIN_MIN_DIGITS = 6;
export const PIN_MAX_DIGITS = 12;
export const PIN_TRIES = 5;
export const DESK_SESSIONS = 8;
export const SIGN_IN_TRIES = 5;
export const PIN_WINDOW_MAX_HOURS = 12;

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
  update_account: { request: AccountUpdate; response: UserDto };
  set_role: { request: SetRoleRequest; response: UserDto };
  set_disabled: { request: SetDisabledRequest; response: UserDto };
  delete_account: { request: AccountRef; response: null };
  reset_password: { request: AccountRef; response: string };
  check_password: { request: CheckPasswordRequest; response: PasswordStrength };
  lock_session: { request: null; response: null };
  locked_session: { request: null; response: LockScreenState | null };
  unlock_session: { request: SessionUnlockRequest; response: CurrentUser };
  unlock_with_pin: { request: PinRequest; response: CurrentUser };
  complete_sign_in: { request: CompleteSignInRequest; response: CurrentUser };
  second_factor_status: { request: null; response: SecondFactorStatus };
  begin_enrolment: { request: null; response: Enrolment };
  confirm_enrolment: { request: ConfirmEnrolmentRequest; response: RecoveryCodes };
  regenerate_recovery_codes: { request: PasswordRequest; response: RecoveryCodes };
  remove_second_factor: { request: PasswordRequest; response: null };
  reset_second_factor: { request: AccountRef; response: null };
  second_factor_policy: { request: null; response: SecondFactorPolicy };
  account_sessions: { request: AccountRef; response: Array<AccountSession> };
  end_session: { request: SessionRef; response: null };
  end_all_sessions: { request: AccountRef; response: number };
  set_second_factor_policy: { request: SecondFactorPolicyRequest; response: SecondFactorPolicy };
  report_activity: { request: null; response: Activity };
  pin_status: { request: null; response: PinStatus };
  set_pin: { request: SetPinRequest; response: PinStatus };
  clear_pin: { request: null; response: null };
  watch_lock: { request: null; response: null };
  reauthenticate: { request: ReauthenticateRequest; response: null };
  since_last_sign_in: { request: null; response: Array<AuditEntry> };
  locked_emails: { request: null; response: Array<LockedEmail> };
  unlock_email: { request: UnlockRequest; response: null };
  audit_log: { request: AuditQuery; response: AuditPage };
  verify_audit_chain: { request: null; response: ChainReport };
  sign_in_stats: { request: SignInStatsRequest; response: Array<DayCount> };
  export_audit: { request: ExportRequest; response: ExportResult | null };
  copy_secret: { request: CopySecretRequest; response: null };
  security_health: { request: null; response: SecurityHealth };
  break_glass_notice: { request: null; response: BreakGlassNotice | null };
  acknowledge_break_glass: { request: null; response: null };
  desk_settings: { request: null; response: DeskSettings };
  update_desk_settings: { request: DeskSettingsUpdate; response: DeskSettings };
  sign_in_rules: { request: null; response: SignInRules };
  update_sign_in_rules: { request: SignInRules; response: SignInRules };
  check_account_import: { request: AccountsCsv; response: ImportCheck };
  import_accounts: { request: AccountsCsv; response: Array<ImportedAccount> };
  save_temporary_passwords: { request: TemporaryPasswords; response: ExportResult | null };
  export_accounts: { request: null; response: ExportResult | null };
  backup_vault: { request: null; response: BackupReport | null };
  show_saved_file: { request: ShowFileRequest; response: null };
  vault_info: { request: null; response: VaultInfo };
  organisation_providers: { request: null; response: Array<OrganisationProvider> };
  begin_organisation_sign_in: { request: ProviderRef; response: OrganisationSignIn };
  finish_organisation_sign_in: { request: null; response: CurrentUser };
  cancel_organisation_sign_in: { request: null; response: null };
  organisation_link: { request: null; response: OrganisationLink | null };
  set_offline_password: { request: OfflinePasswordRequest; response: null };
  identity_providers: { request: null; response: Array<IdentityProvider> };
  save_identity_provider: { request: SaveProviderRequest; response: IdentityProvider };
  remove_identity_provider: { request: ProviderRef; response: null };
}
