import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { CurrentUser } from "./bindings";
import { I18nProvider } from "./i18n/i18n";
import { RequireRole, SessionProvider } from "./session";
import { SignedIn } from "./SignedIn";

afterEach(() => clearMocks());

const person = (overrides: Partial<CurrentUser> = {}): CurrentUser => ({
  id: 7,
  email: "noor@desk.example",
  displayName: "Noor",
  role: "user",
  team: null,
  phone: null,
  mustChangePassword: false,
  sessionExpiresAt: 1_795_780_800,
  staySignedIn: true,
  ...overrides,
});

/** A host's screen inside the gate, against a plugin that answers `current_user` so. */
function host(current: () => CurrentUser, needsFirstAdmin = false) {
  mockIPC((command) => {
    if (command === "plugin:latchkey|bootstrap_status") return { needsFirstAdmin, staySignedIn: true };
    if (command === "plugin:latchkey|current_user") return current();
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
});
