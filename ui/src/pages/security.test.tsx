import type { AuditPage, Page, UserDto } from "tauri-plugin-latchkey-api";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { admin, failure, renderApp, signedInAs, signedOut, user } from "../test/harness";

const accounts: Page<UserDto> = {
  items: [
    {
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
    },
  ],
  nextCursor: null,
};

describe("throttling on the sign-in page", () => {
  it("says how long to wait, without saying whether the account exists", async () => {
    renderApp({ ...signedOut, login: () => failure("Locked", { retryAfter: 3 }) });
    await userEvent.type(await screen.findByLabelText("Email"), "who@clinic.example");
    await userEvent.type(screen.getByLabelText("Password"), "whatever it may be");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Too many failed attempts. Try again in 3 s.");
  });

  it("points to an administrator after a full lockout", async () => {
    renderApp({ ...signedOut, login: () => failure("Locked", { retryAfter: 86_000 }) });
    await userEvent.type(await screen.findByLabelText("Email"), "who@clinic.example");
    await userEvent.type(screen.getByLabelText("Password"), "whatever it may be");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toContain("an administrator can unlock it");
  });
});

describe("the strength meter", () => {
  it("shows the vault's estimate and feedback as the password is typed", async () => {
    const { calls } = renderApp({
      bootstrap_status: () => ({ needsFirstAdmin: true, staySignedIn: true }),
      check_password: () => ({
        score: 1,
        longEnough: true,
        shortEnough: true,
        breached: true,
        containsPersonalInfo: false,
        warning: "ThisIsACommonPassword",
        suggestions: ["AddAnotherWordOrTwo"],
        acceptable: false,
      }),
    });
    await userEvent.type(await screen.findByLabelText("Password"), "qwertyuiopasdfgh");
    expect(await screen.findByText("Found in lists of breached passwords")).toBeTruthy();
    expect(screen.getByText("This is a very common password.")).toBeTruthy();
    expect(screen.getByText("Very weak")).toBeTruthy();
    expect(screen.getByRole("meter").getAttribute("aria-valuenow")).toBe("1");
    expect(calls.some((c) => c.command === "check_password")).toBe(true);
  });
});

describe("step-up re-authentication", () => {
  it("asks for the password when a role change needs it, then retries", async () => {
    let checked = false;
    const { calls } = renderApp(
      signedInAs(admin(), {
        list_accounts: () => accounts,
        set_role: () => (checked ? { ...accounts.items[0], role: "admin" } : failure("ReauthRequired")),
        reauthenticate: () => {
          checked = true;
          return null;
        },
      }),
      { path: "/admin" },
    );
    const row = (await screen.findByText("mina@clinic.example")).closest("tr") as HTMLElement;
    await userEvent.click(within(row).getByRole("button", { name: "Make administrator" }));
    const dialog = await screen.findByRole("dialog", { name: "Confirm your password" });
    await userEvent.type(within(dialog).getByLabelText("Your password"), "granite owl above the ferry");
    await userEvent.click(within(dialog).getByRole("button", { name: "Confirm" }));
    expect(await screen.findByText("Account mina@clinic.example updated.")).toBeTruthy();
    expect(calls.filter((c) => c.command === "set_role")).toHaveLength(2);
    expect(calls.find((c) => c.command === "reauthenticate")?.request).toEqual({ password: "granite owl above the ferry" });
  });

  it("asks for the password before a new account's temporary password is issued", async () => {
    let checked = false;
    const created = { account: { ...accounts.items[0], email: "new@clinic.example" }, temporaryPassword: "abcde-fghjk-mnpqr-stuvw" };
    const { calls } = renderApp(
      signedInAs(admin(), {
        list_accounts: () => accounts,
        create_account: () => (checked ? created : failure("ReauthRequired")),
        copy_secret: () => null,
        reauthenticate: () => {
          checked = true;
          return null;
        },
      }),
      { path: "/admin" },
    );
    await userEvent.click(await screen.findByRole("button", { name: "New account" }));
    const form = await screen.findByRole("dialog", { name: "New account" });
    await userEvent.type(within(form).getByLabelText("Email"), "new@clinic.example");
    await userEvent.type(within(form).getByLabelText("Name"), "New Person");
    await userEvent.click(within(form).getByRole("button", { name: "Create account" }));
    const dialog = await screen.findByRole("dialog", { name: "Confirm your password" });
    await userEvent.type(within(dialog).getByLabelText("Your password"), "granite owl above the ferry");
    await userEvent.click(within(dialog).getByRole("button", { name: "Confirm" }));
    expect(await screen.findByText("abcde-fghjk-mnpqr-stuvw")).toBeTruthy();
    expect(calls.filter((c) => c.command === "create_account")).toHaveLength(2);

    // Copying goes through the app, which takes it off the clipboard again.
    await userEvent.click(screen.getByRole("button", { name: "Copy" }));
    expect(await screen.findByText(/empties the clipboard again in 30 seconds/)).toBeTruthy();
    expect(calls.find((c) => c.command === "copy_secret")?.request).toEqual({ text: "abcde-fghjk-mnpqr-stuvw" });

    // Escape asks before the password, shown only once, goes away.
    await userEvent.keyboard("{Escape}");
    expect((await screen.findByRole("alert")).textContent).toContain("It cannot be shown again");
    await userEvent.click(screen.getByRole("button", { name: "Keep it open" }));
    expect(screen.getByText("abcde-fghjk-mnpqr-stuvw")).toBeTruthy();
    await userEvent.keyboard("{Escape}");
    await userEvent.click(await screen.findByRole("button", { name: "Close anyway" }));
    await waitFor(() => expect(screen.queryByText("abcde-fghjk-mnpqr-stuvw")).toBeNull());
  });

  it("edits an account's name, team and phone, starting from what the vault holds now", async () => {
    const fresh = { ...accounts.items[0]!, team: "front desk", phone: "010-2345-6789" };
    const { calls } = renderApp(
      signedInAs(admin(), {
        list_accounts: () => accounts,
        get_account: () => fresh,
        update_account: () => ({ ...fresh, team: "night shift" }),
      }),
      { path: "/admin" },
    );
    const row = (await screen.findByText("mina@clinic.example")).closest("tr") as HTMLElement;
    await userEvent.click(within(row).getByRole("button", { name: "Edit" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit mina@clinic.example" });
    const team = await within(dialog).findByLabelText("Team (optional)");
    expect((team as HTMLInputElement).value).toBe("front desk");
    expect((within(dialog).getByLabelText("Phone (optional)") as HTMLInputElement).value).toBe("010-2345-6789");
    await userEvent.clear(team);
    await userEvent.type(team, "night shift");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Account mina@clinic.example updated.")).toBeTruthy();
    expect(calls.find((c) => c.command === "update_account")?.request).toEqual({
      id: 2,
      displayName: "Mina Park",
      team: "night shift",
      phone: "010-2345-6789",
    });
  });

  it("does nothing and shows no error when the dialog is cancelled", async () => {
    renderApp(
      signedInAs(admin(), { list_accounts: () => accounts, set_role: () => failure("ReauthRequired") }),
      { path: "/admin" },
    );
    const row = (await screen.findByText("mina@clinic.example")).closest("tr") as HTMLElement;
    await userEvent.click(within(row).getByRole("button", { name: "Make administrator" }));
    await screen.findByRole("dialog", { name: "Confirm your password" });
    await userEvent.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(screen.queryByRole("alert")).toBeNull();
  });
});

describe("the security overview", () => {
  it("counts the breached passwords that the minimum length leaves to refuse", async () => {
    renderApp(
      signedInAs(admin(), {
        security_health: () => ({
          memoryKib: 131072,
          iterations: 5,
          lanes: 1,
          outdatedHashes: 0,
          lockedEmails: 0,
          neverSignedIn: 1,
          admins: 1,
          activeAdmins: 1,
          accounts: 2,
          breachedListSize: 197_549,
          breachedListApplicable: 3_539,
          breachedListApplicableWithSecondFactor: 197_549,
        }),
        locked_emails: () => [],
      }),
      { path: "/security" },
    );
    expect(await screen.findByText("3,539 of 197,549 listed")).toBeTruthy();
  });
});

describe("the audit view", () => {
  const page: AuditPage = {
    items: [
      { id: 3, at: 1_795_737_700, event: "role_changed", outcome: "success", actorId: 1, actorEmail: "admin@clinic.example", targetId: 2, targetEmail: "mina@clinic.example", detail: "admin" },
      { id: 2, at: 1_795_737_650, event: "sign_in", outcome: "failure", actorId: null, actorEmail: null, targetId: null, targetEmail: null, detail: null },
      { id: 1, at: 1_795_737_600, event: "first_admin_created", outcome: "success", actorId: 1, actorEmail: "admin@clinic.example", targetId: 1, targetEmail: "admin@clinic.example", detail: null },
    ],
    nextCursor: null,
  };

  it("lists events, filters by account, and verifies the chain", async () => {
    const { calls } = renderApp(
      signedInAs(admin(), {
        audit_log: () => page,
        sign_in_stats: () => [{ day: 1_795_737_600, succeeded: 4, failed: 1 }],
        verify_audit_chain: () => ({ rows: 3, firstBroken: null, tail: { kind: "found", seq: 3 }, intact: true }),
      }),
      { path: "/audit" },
    );
    expect(await screen.findByText("Role changed")).toBeTruthy();
    const table = await screen.findByRole("table", { name: "Sign-ins per day, last 30 days" });
    expect(within(table).getAllByRole("row")).toHaveLength(31);
    expect(calls.find((c) => c.command === "sign_in_stats")?.request).toEqual({
      utcOffsetMinutes: -new Date().getTimezoneOffset(),
    });
    await userEvent.click(screen.getByRole("button", { name: "Verify chain" }));
    expect(await screen.findByText("The chain is intact: 3 events checked.")).toBeTruthy();
    await userEvent.click(screen.getAllByRole("button", { name: "mina@clinic.example" })[0]!);
    await waitFor(() =>
      expect(calls.filter((c) => c.command === "audit_log").at(-1)?.request).toMatchObject({ account: 2 }),
    );
  });

  it("says which events were cut from the end of the log", async () => {
    renderApp(
      signedInAs(admin(), {
        audit_log: () => page,
        sign_in_stats: () => [],
        verify_audit_chain: () => ({ rows: 3, firstBroken: null, tail: { kind: "cut", anchored: 7, last: 3 }, intact: false }),
      }),
      { path: "/audit" },
    );
    await userEvent.click(await screen.findByRole("button", { name: "Verify chain" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Events 4 to 7 were removed from the end of the log");
  });

  it("is denied to a user who types its address", async () => {
    const { calls } = renderApp(signedInAs(user()), { path: "/audit" });
    expect(await screen.findByRole("heading", { name: "Access denied" })).toBeTruthy();
    expect(calls.some((c) => c.command === "audit_log")).toBe(false);
  });
});

describe("since the last sign-in", () => {
  it("lists failed attempts and admin actions on the dashboard", async () => {
    renderApp(
      signedInAs(user(), {
        since_last_sign_in: () => [
          { id: 9, at: 1_795_737_700, event: "password_reset", outcome: "success", actorId: 1, actorEmail: "admin@clinic.example", targetId: 2, targetEmail: "mina@clinic.example", detail: null },
          { id: 8, at: 1_795_737_650, event: "sign_in", outcome: "failure", actorId: null, actorEmail: null, targetId: 2, targetEmail: "mina@clinic.example", detail: null },
        ],
      }),
      { path: "/dashboard" },
    );
    const section = await screen.findByRole("region", { name: "Since your last sign-in" });
    expect(within(section).getByText("Password reset")).toBeTruthy();
    expect(within(section).getByText("Failure")).toBeTruthy();
  });
});
