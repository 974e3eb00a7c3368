import { mockIPC } from "@tauri-apps/api/mocks";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { CurrentUser } from "./bindings";
import { I18nProvider } from "./i18n/i18n";
import { RequireRole, SessionProvider } from "./session";
import { SignedIn } from "./SignedIn";

const person = (overrides: Partial<CurrentUser> = {}): CurrentUser => ({
  id: 7,
  email: "noor@desk.example",
  displayName: "Noor",
  role: "user",
  team: null,
  phone: null,
  mustChangePassword: false,
  secondFactorDue: false,
  sessionExpiresAt: 1_795_780_800,
  staySignedIn: true,
  ...overrides,
});

type Handler = (args: unknown) => unknown;

/**
 * A host's screen inside the gate, against a plugin that answers `current_user` so, and
 * the plugin's other commands from `more` (by command name, without the prefix).
 */
function host(current: () => CurrentUser, needsFirstAdmin = false, more: Record<string, Handler> = {}) {
  mockIPC((command, args) => {
    const extra = more[command.replace("plugin:latchkey|", "")];
    if (extra) return extra(args);
    if (command === "plugin:latchkey|bootstrap_status") return { needsFirstAdmin, staySignedIn: true };
    if (command === "plugin:latchkey|current_user") return current();
    if (command === "plugin:latchkey|watch_lock") return null;
    if (command === "plugin:latchkey|report_activity") return { lockAfterSeconds: 300 };
    throw { code: "Internal", message: `unexpected ${command}` };
  });
  render(
    <I18nProvider initial="en">
      <SessionProvider>
        <SignedIn>
          <p>the host's page</p>
          <RequireRole role="admin" fallback={<p>not for you</p>}>
            <p>admin tools</p>
          </RequireRole>
        </SignedIn>
      </SessionProvider>
    </I18nProvider>,
  );
}

describe("the gate around a host's screens", () => {
  it("shows the first-run wizard on an empty vault", async () => {
    host(() => person(), true);
    expect(await screen.findByRole("heading", { name: "Welcome to Latchkey" })).toBeTruthy();
    expect(screen.queryByText("the host's page")).toBeNull();
  });

  it("shows the sign-in form to nobody in particular", async () => {
    host(() => {
      throw { code: "NotAuthenticated", message: "Please sign in." };
    });
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(screen.queryByText("the host's page")).toBeNull();
  });

  it("holds the host's screens back until a temporary password is replaced", async () => {
    host(() => person({ mustChangePassword: true }));
    expect(await screen.findByRole("heading", { name: "Choose a new password" })).toBeTruthy();
    expect(screen.queryByText("the host's page")).toBeNull();
  });

  it("shows a user the host's page, and the admin part only to an admin", async () => {
    host(() => person());
    expect(await screen.findByText("the host's page")).toBeTruthy();
    expect(screen.getByText("not for you")).toBeTruthy();
    expect(screen.queryByText("admin tools")).toBeNull();
  });

  it("shows an admin the admin part", async () => {
    host(() => person({ role: "admin" }));
    expect(await screen.findByText("admin tools")).toBeTruthy();
  });

  it("puts the lock screen over a host's page and keeps the page for after the unlock", async () => {
    let locked = true;
    host(
      () => {
        if (locked) throw { code: "SessionLocked", message: "locked", lockReason: "osLock" };
        return person();
      },
      false,
      {
        locked_session: () =>
          locked
            ? {
                people: [
                  {
                    sessionId: "session-noor",
                    displayName: "Noor",
                    email: "noor@desk.example",
                    reason: "osLock",
                    lockedAt: 1_795_737_600,
                    autoLockSeconds: 300,
                    pinAvailable: false,
                  },
                ],
                last: "session-noor",
                showPeople: true,
              }
            : null,
        unlock_session: (args) => {
          if ((args as { request: { password: string } }).request.password !== "teal kettle on the sill") {
            throw { code: "InvalidCredentials", message: "no" };
          }
          locked = false;
          return person();
        },
      },
    );
    expect(await screen.findByText("Locked because the computer's screen was locked.")).toBeTruthy();
    expect(screen.queryByText("the host's page")).toBeNull();
    await userEvent.type(screen.getByLabelText("Password"), "teal kettle on the sill{Enter}");
    expect(await screen.findByText("the host's page")).toBeTruthy();
  });
});
