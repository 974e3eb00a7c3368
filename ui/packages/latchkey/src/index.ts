// The guest side of tauri-plugin-latchkey: the typed commands, the signed-in state, and
// the screens a host needs to let people sign in. Nothing here is a security boundary;
// the plugin checks every command in Rust.
export { ApiError, PLUGIN_PREFIX, call, callHost, importAccounts, onSessionEnd, onSessionLocked, toApiError, watchLock } from "./api";
export type { CommandName, Request, Response } from "./api";
export * from "./bindings";
export { maySee } from "./access";
export type { Audience } from "./access";
export { ACTIVITY_REPORT_MS, RequireRole, SessionProvider, loadInitialAuth, useCurrentUser, useSession } from "./session";
export { IDLE_WARNING_SECONDS, IdleWarning, LockGuard, LockScreen, initials } from "./LockScreen";
export { PinSettings, looksLikeDate } from "./PinSettings";
export { CodeStep, FEW_RECOVERY_CODES, QrCode, SecondFactorSettings, groupKey } from "./SecondFactor";
export type { Auth, AuthState, InitialAuth } from "./session";
export { SignedIn } from "./SignedIn";
export { SignIn, SignInForm } from "./SignIn";
export { OrganisationSignIn } from "./OrganisationSignIn";
export { useDraft } from "./drafts";
export type { Draft } from "./drafts";
export { dropDrafts, hasDrafts, onPersonLeft } from "./draftStore";
export { FirstRun } from "./FirstRun";
export { ChangePassword } from "./ChangePassword";
export { Field, Modal, Notice, PasswordRules, RoleLabel, SubmitButton, passwordLength } from "./components";
export { NewPasswordFields, StepUpCancelled, StrengthMeter, useStepUp } from "./password";
export {
  I18nContext,
  I18nProvider,
  LOCALES,
  latchkeyMessages,
  pickLocale,
  translate,
  useI18n,
  withLatchkeyMessages,
} from "./i18n/i18n";
export type { Catalogues, I18n, Locale } from "./i18n/i18n";
export type { LatchkeyMessageKey } from "./i18n/en";
