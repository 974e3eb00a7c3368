// Renders the whole app against a fake backend: each command answers from a table, and
// every call is recorded.
import { PLUGIN_PREFIX, SessionProvider } from "tauri-plugin-latchkey-api";
import type { CurrentUser, ErrorReply, InitialAuth, UserDto } from "tauri-plugin-latchkey-api";
import { render } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import { App } from "../app/App";
import { I18nProvider } from "../i18n/i18n";
import type { Locale } from "../i18n/i18n";

export type Handler = (request: unknown) => unknown;

export function user(overrides: Partial<CurrentUser> = {}): CurrentUser {
  return {
    id: 2,
    email: "mina@clinic.example",
    displayName: "Mina Park",
    role: "user",
    team: "front desk",
    phone: "010-1234-5678",
    mustChangePassword: false,
    secondFactorDue: false,
    sessionExpiresAt: 1_795_780_800,
    staySignedIn: true,
    ...overrides,
  };
}

/** A row of the accounts console, as the vault sends it. */
export function account(overrides: Partial<UserDto> = {}): UserDto {
  return {
    id: 2,
    email: "mina@clinic.example",
    displayName: "Mina Park",
    role: "user",
    team: null,
    phone: null,
    status: "active",
    mustChangePassword: false,
    createdAt: 1_795_700_100,
    lastSignInAt: null,
    secondFactor: false,
    ...overrides,
  };
}

export const admin = (overrides: Partial<CurrentUser> = {}) =>
  user({ id: 1, email: "admin@clinic.example", displayName: "Ada Admin", role: "admin", ...overrides });

/** A rejected command, as the shell sends it. */
export function failure(code: ErrorReply["code"], extra: Partial<ErrorReply> = {}): never {
  throw { code, message: `${code} (English from the vault)`, ...extra } satisfies ErrorReply;
}

/** The commands the app registers itself (src-tauri/src/updates.rs). */
const APP_COMMANDS = new Set(["update_status", "check_for_update", "install_update", "restart_after_update"]);

/** What every signed-in screen sends without being asked: the lock watch and activity. */
const SESSION_DEFAULTS: Record<string, Handler> = {
  watch_lock: () => null,
  report_activity: () => ({ lockAfterSeconds: 300 }),
};

export function renderApp(
  handlers: Record<string, Handler>,
  options: { path?: string; locale?: Locale; initial?: InitialAuth } = {},
) {
  const calls: { command: string; request: unknown }[] = [];
  mockIPC((sent, args) => {
    // The app sends the plugin's commands and its own few (its updates), nothing else.
    const own = !sent.startsWith(PLUGIN_PREFIX);
    if (own && !APP_COMMANDS.has(sent)) throw { code: "Internal", message: `not a command of the app: ${sent}` };
    const command = own ? sent : sent.slice(PLUGIN_PREFIX.length);
    const request = own ? args : (args as { request?: unknown } | undefined)?.request;
    calls.push({ command, request });
    const handler = handlers[command] ?? SESSION_DEFAULTS[command];
    if (!handler) throw { code: "Internal", message: `no mock for ${command}` };
    return handler(request);
  });
  window.history.replaceState(null, "", `#${options.path ?? "/"}`);
  const view = render(
    <I18nProvider initial={options.locale ?? "en"}>
      <SessionProvider initial={options.initial}>
        <App />
      </SessionProvider>
    </I18nProvider>,
  );
  return { ...view, calls };
}

/** Backend answers for someone already signed in. */
export function signedInAs(current: CurrentUser, more: Record<string, Handler> = {}): Record<string, Handler> {
  return {
    bootstrap_status: () => ({ needsFirstAdmin: false, staySignedIn: true }),
    current_user: () => current,
    logout: () => null,
    ...more,
  };
}

export const signedOut: Record<string, Handler> = {
  bootstrap_status: () => ({ needsFirstAdmin: false, staySignedIn: true }),
  current_user: () => failure("NotAuthenticated"),
};
