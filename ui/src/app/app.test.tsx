import { loadInitialAuth } from "tauri-plugin-latchkey-api";
import type { CurrentUser, Page, UserDto } from "tauri-plugin-latchkey-api";
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { account, admin, failure, renderApp, signedInAs, signedOut, user } from "../test/harness";

const hash = () => window.location.hash;

describe("start-up", () => {
  it("opens the first-run wizard on an empty vault and ticks the rules off as you type", async () => {
    renderApp({ bootstrap_status: () => ({ needsFirstAdmin: true, staySignedIn: true }) });
    expect(await screen.findByRole("heading", { name: "Welcome to Latchkey" })).toBeTruthy();
    await waitFor(() => expect(hash()).toBe("#/setup"));
    const rule = screen.getByText(/At least 15 characters \(0 so far\)/);
    expect(rule.closest("li")?.className).toBe("unmet");
    await userEvent.type(screen.getByLabelText("Password"), "correct horse battery");
    expect(screen.getByText(/At least 15 characters \(21 so far\)/).closest("li")?.className).toBe("met");
  });

  it("shows the minimum length the vault's rules ask for, when an admin raised it", async () => {
    renderApp({
      bootstrap_status: () => ({ needsFirstAdmin: true, staySignedIn: true }),
      check_password: (request) => ({
        score: 4,
        minChars: 20,
        longEnough: [...(request as { password: string }).password].length >= 20,
        shortEnough: true,
        breached: false,
        containsPersonalInfo: false,
        suggestions: [],
        acceptable: false,
      }),
    });
    expect(await screen.findByText(/At least 20 characters \(0 so far\)/)).toBeTruthy();
    await userEvent.type(screen.getByLabelText("Password"), "correct horse battery");
    expect(screen.getByText(/At least 20 characters \(21 so far\)/).closest("li")?.className).toBe("met");
  });

  it("sends a signed-out person to the sign-in page", async () => {
    renderApp(signedOut, { path: "/admin" });
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    await waitFor(() => expect(hash()).toBe("#/login"));
  });

  it("says so when the stored session has expired", async () => {
    renderApp({ ...signedOut, current_user: () => failure("SessionExpired") });
    expect(await screen.findByText("Your session expired. Please sign in again.")).toBeTruthy();
  });

  it("restores a live session straight to the dashboard, even from the sign-in page", async () => {
    renderApp(signedInAs(user()), { path: "/login" });
    expect(await screen.findByRole("heading", { name: "Welcome, Mina Park" })).toBeTruthy();
    await waitFor(() => expect(hash()).toBe("#/dashboard"));
  });
});

describe("start-up with the state loaded before the first render", () => {
  it("draws the sign-in form first, with no loading notice and no further command", () => {
    const { calls } = renderApp(signedOut, { initial: { state: { status: "signedOut" }, staySignedIn: true } });
    expect(screen.getByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(screen.queryByText("Opening the vault…")).toBeNull();
    // Only the organisation's sign-in buttons are asked for, after the form is drawn.
    expect(calls.filter((c) => c.command !== "organisation_providers")).toEqual([]);
  });

  it("asks who is signed in, and treats an unreachable app as signed out", async () => {
    renderApp(signedInAs(user()));
    expect(await loadInitialAuth()).toEqual({ state: { status: "signedIn", user: user() }, staySignedIn: true });
    renderApp({ bootstrap_status: () => failure("Internal") });
    expect(await loadInitialAuth()).toEqual({ state: { status: "signedOut" }, staySignedIn: true });
  });
});

describe("signing in", () => {
  it("shows the pending state while the password is checked, then the dashboard", async () => {
    let finish: (value: CurrentUser) => void = () => {};
    const { calls } = renderApp({
      ...signedOut,
      login: () => new Promise<CurrentUser>((resolve) => (finish = resolve)),
    });
    await userEvent.type(await screen.findByLabelText("Email"), "mina@clinic.example");
    await userEvent.type(screen.getByLabelText("Password"), "a long passphrase here");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    const pending = await screen.findByRole("button", { name: "Signing in…" });
    expect(pending.hasAttribute("disabled")).toBe(true);
    expect(pending.getAttribute("aria-busy")).toBe("true");
    expect(calls.find((c) => c.command === "login")?.request).toEqual({
      email: "mina@clinic.example",
      password: "a long passphrase here",
    });
    await act(async () => finish(user()));
    expect(await screen.findByRole("heading", { name: "Welcome, Mina Park" })).toBeTruthy();
  });

  it("says only 'Invalid email or password.' for bad credentials", async () => {
    renderApp({ ...signedOut, login: () => failure("InvalidCredentials") });
    await userEvent.type(await screen.findByLabelText("Email"), "who@clinic.example");
    await userEvent.type(screen.getByLabelText("Password"), "not the password at all");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Invalid email or password.");
    // The email stays for another try, and the cursor waits in the emptied password field.
    expect((screen.getByLabelText("Email") as HTMLInputElement).value).toBe("who@clinic.example");
    const password = screen.getByLabelText("Password") as HTMLInputElement;
    expect(password.value).toBe("");
    await waitFor(() => expect(document.activeElement).toBe(password));
  });

  it("moves focus to the new page's heading on every route change, not on the first screen", async () => {
    renderApp(signedInAs(user(), { since_last_sign_in: () => [], team_directory: () => ({ items: [], nextCursor: null }) }), {
      path: "/dashboard",
    });
    const welcome = await screen.findByRole("heading", { level: 1, name: "Welcome, Mina Park" });
    expect(document.activeElement).not.toBe(welcome);
    await userEvent.click(screen.getByRole("link", { name: "Directory" }));
    const heading = await screen.findByRole("heading", { level: 1, name: "Directory" });
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });

  it("gives a different message for any other failure", async () => {
    renderApp({ ...signedOut, login: () => failure("Internal") });
    await userEvent.type(await screen.findByLabelText("Email"), "who@clinic.example");
    await userEvent.type(screen.getByLabelText("Password"), "not the password at all");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Signing in failed");
    expect(alert.textContent).not.toContain("Invalid email or password");
  });

  it("marks the field a validation error names", async () => {
    renderApp({
      ...signedOut,
      login: () => failure("Validation", { field: "email", reason: { kind: "malformed" } }),
    });
    await userEvent.type(await screen.findByLabelText("Email"), "not-an-email");
    await userEvent.type(screen.getByLabelText("Password"), "whatever it may be");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("This is not in the expected format.")).toBeTruthy();
    expect(screen.getByLabelText("Email").getAttribute("aria-invalid")).toBe("true");
  });

  it("switches language from the header and remembers the choice", async () => {
    renderApp(signedOut);
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "한국어" }));
    expect(await screen.findByRole("heading", { name: "로그인" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "한국어" }).getAttribute("aria-pressed")).toBe("true");
    expect(window.localStorage.getItem("latchkey.locale")).toBe("ko");
    expect(document.documentElement.lang).toBe("ko");
  });

  it("speaks Korean when asked", async () => {
    renderApp({ ...signedOut, login: () => failure("InvalidCredentials") }, { locale: "ko" });
    expect(await screen.findByRole("heading", { name: "로그인" })).toBeTruthy();
    await userEvent.type(screen.getByLabelText("이메일"), "who@clinic.example");
    await userEvent.type(screen.getByLabelText("비밀번호"), "not the password at all");
    await userEvent.click(screen.getByRole("button", { name: "로그인" }));
    expect((await screen.findByRole("alert")).textContent).toBe("이메일 또는 비밀번호가 올바르지 않습니다.");
  });
});

describe("role-gated views", () => {
  const accounts: Page<UserDto> = {
    items: [
      {
        id: 1,
        email: "admin@clinic.example",
        displayName: "Ada Admin",
        role: "admin",
        team: null,
        phone: null,
        status: "active",
        mustChangePassword: false,
        createdAt: 1_795_700_000,
        lastSignInAt: 1_795_737_600,
        secondFactor: false,
      },
      account({ team: "front desk", phone: "010-2345-6789", mustChangePassword: true }),
    ],
    nextCursor: null,
  };

  it("shows an admin the administration view and the accounts link", async () => {
    renderApp(signedInAs(admin()), { path: "/dashboard" });
    expect(await screen.findByRole("heading", { name: "Administration" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Accounts" })).toBeTruthy();
  });

  it("shows a user the user view without the accounts link", async () => {
    renderApp(signedInAs(user()), { path: "/dashboard" });
    expect(await screen.findByRole("heading", { name: "Welcome, Mina Park" })).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Accounts" })).toBeNull();
  });

  it("denies a user who types the admin console's address, without asking for its data", async () => {
    const { calls } = renderApp(signedInAs(user()), { path: "/admin" });
    expect(await screen.findByRole("heading", { name: "Access denied" })).toBeTruthy();
    expect(calls.some((c) => c.command === "list_accounts")).toBe(false);
  });

  it("lists accounts for an admin, and a reset shows the one-time password once", async () => {
    const { calls } = renderApp(
      signedInAs(admin(), {
        list_accounts: () => accounts,
        reset_password: () => "abcde-fghjk-mnpqr-stuvw",
      }),
      { path: "/admin" },
    );
    const row = (await screen.findByText("mina@clinic.example")).closest("tr") as HTMLElement;
    expect(within(row).getByText("Must change password")).toBeTruthy();
    // No actions on one's own row.
    const own = screen.getByText("admin@clinic.example").closest("tr") as HTMLElement;
    expect(within(own).queryByRole("button")).toBeNull();
    await userEvent.click(within(row).getByRole("button", { name: "Reset password" }));
    const dialog = await screen.findByRole("dialog", { name: "Reset password" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Reset password" }));
    expect((await screen.findByTestId("temporary-password")).textContent).toBe("abcde-fghjk-mnpqr-stuvw");
    expect(calls.find((c) => c.command === "reset_password")?.request).toEqual({ id: 2 });
    await userEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(screen.queryByTestId("temporary-password")).toBeNull();
  });

  it("pages through accounts by keyset, forwards and back", async () => {
    const second: Page<UserDto> = { items: [{ ...accounts.items[1]!, id: 3, email: "zed@clinic.example" }], nextCursor: null };
    const { calls } = renderApp(
      signedInAs(admin(), {
        list_accounts: (request) =>
          (request as { after?: string | null }).after ? second : { ...accounts, nextCursor: "mina@clinic.example" },
      }),
      { path: "/admin" },
    );
    await screen.findByText("mina@clinic.example");
    await userEvent.click(screen.getByRole("button", { name: "Next page" }));
    expect(await screen.findByText("zed@clinic.example")).toBeTruthy();
    expect(calls.filter((c) => c.command === "list_accounts").at(-1)?.request).toMatchObject({ after: "mina@clinic.example" });
    expect(screen.getByRole("button", { name: "Next page" }).hasAttribute("disabled")).toBe(true);
    await userEvent.click(screen.getByRole("button", { name: "Previous page" }));
    expect(await screen.findByText("mina@clinic.example")).toBeTruthy();
  });

  it("asks before deleting, and Escape cancels", async () => {
    const { calls } = renderApp(signedInAs(admin(), { list_accounts: () => accounts }), { path: "/admin" });
    const row = (await screen.findByText("mina@clinic.example")).closest("tr") as HTMLElement;
    await userEvent.click(within(row).getByRole("button", { name: "Delete" }));
    expect(await screen.findByRole("dialog", { name: "Delete account" })).toBeTruthy();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(calls.some((c) => c.command === "delete_account")).toBe(false);
  });

  it("after a forced password change, goes on to the dashboard", async () => {
    renderApp(
      signedInAs(user({ mustChangePassword: true }), {
        change_password: () => user(),
        since_last_sign_in: () => [],
      }),
      { path: "/dashboard" },
    );
    await screen.findByRole("heading", { name: "Choose a new password" });
    await userEvent.type(screen.getByLabelText("Temporary password"), "abcde-fghij-klmno-pqrst");
    await userEvent.type(screen.getByLabelText("New password"), "evening rounds with a torch");
    await userEvent.type(screen.getByLabelText("Confirm new password"), "evening rounds with a torch");
    await userEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByRole("heading", { name: "Welcome, Mina Park" })).toBeTruthy();
    await waitFor(() => expect(hash()).toBe("#/dashboard"));
  });

  it("holds someone with a temporary password on the change-password page", async () => {
    renderApp(signedInAs(user({ mustChangePassword: true })), { path: "/dashboard" });
    expect(await screen.findByRole("heading", { name: "Choose a new password" })).toBeTruthy();
    expect(screen.getByLabelText("Temporary password")).toBeTruthy();
    expect(screen.queryByRole("navigation", { name: "Main" })).toBeNull();
  });

  it("goes back to sign-in when a command finds the session expired", async () => {
    renderApp(signedInAs(user(), { team_directory: () => failure("SessionExpired") }), { path: "/directory" });
    expect(await screen.findByText("Your session expired. Please sign in again.")).toBeTruthy();
    await waitFor(() => expect(hash()).toBe("#/login"));
  });

  it("shows a phone number only where the directory entry carries one", async () => {
    renderApp(
      signedInAs(user(), {
        team_directory: () => ({
          items: [
            { id: 2, email: "mina@clinic.example", displayName: "Mina Park", role: "user", team: "front desk", phone: "010-1234-5678", phoneHidden: false },
            { id: 3, email: "jun@clinic.example", displayName: "Jun Lee", role: "user", team: "lab", phoneHidden: true },
            { id: 4, email: "sora@clinic.example", displayName: "Sora Kim", role: "user", team: "front desk", phoneHidden: false },
          ],
          nextCursor: null,
        }),
      }),
      { path: "/directory" },
    );
    const mina = (await screen.findByText("Mina Park")).closest("tr") as HTMLElement;
    const jun = screen.getByText("Jun Lee").closest("tr") as HTMLElement;
    expect(within(mina).getByText("010-1234-5678")).toBeTruthy();
    expect(within(jun).getByText("Not shown")).toBeTruthy();
    const sora = screen.getByText("Sora Kim").closest("tr") as HTMLElement;
    expect(within(sora).getByText("—")).toBeTruthy();
  });
});
