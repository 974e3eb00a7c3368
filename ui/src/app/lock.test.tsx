import type { LockScreenState, LockedSession } from "tauri-plugin-latchkey-api";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { admin, failure, renderApp, signedInAs, user } from "../test/harness";

const person = (overrides: Partial<LockedSession> = {}): LockedSession => ({
  sessionId: "session-mina",
  displayName: "Mina Park",
  email: "mina@clinic.example",
  reason: "manual",
  lockedAt: 1_795_737_600,
  autoLockSeconds: 300,
  pinAvailable: false,
  ...overrides,
});

/** The lock screen with `people`, starting on the first. */
const screenOf = (...people: LockedSession[]): LockScreenState => ({
  people,
  last: people[0]?.sessionId ?? null,
  showPeople: true,
});

/** The lock screen of Mina alone. */
const locked = (overrides: Partial<LockedSession> = {}): LockScreenState => screenOf(person(overrides));

/** A backend whose session locks on `lock_session` and unlocks with `password`. */
function lockable(password: string, reason: LockedSession["reason"] = "manual") {
  let isLocked = false;
  return signedInAs(user(), {
    lock_session: () => {
      isLocked = true;
      return null;
    },
    locked_session: () => (isLocked ? locked({ reason }) : null),
    unlock_session: (request) => {
      if ((request as { password: string }).password !== password) failure("InvalidCredentials");
      isLocked = false;
      return user();
    },
    update_profile: () => (isLocked ? failure("SessionLocked", { lockReason: reason }) : user()),
  });
}

describe("the lock", () => {
  it("covers the page, keeps what was typed, and gives it back after the password", async () => {
    renderApp(lockable("front desk morning"), { path: "/profile" });
    const name = await screen.findByLabelText("Name");
    await userEvent.clear(name);
    await userEvent.type(name, "Mina Park-Lee");

    await userEvent.click(screen.getByRole("button", { name: "Lock" }));
    expect(await screen.findByRole("heading", { name: "Mina Park's session is locked" })).toBeTruthy();
    expect(screen.getByText("Locked by its owner.")).toBeTruthy();
    // The page behind is out of reach: not in the accessibility tree, not focusable.
    expect(screen.queryByRole("heading", { name: "My profile" })).toBeNull();
    expect(screen.queryByRole("textbox", { name: "Name" })).toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText("Password"));

    await userEvent.type(screen.getByLabelText("Password"), "a wrong guess{Enter}");
    expect(await screen.findByText("That password is not correct.")).toBeTruthy();
    const field = screen.getByLabelText("Password") as HTMLInputElement;
    expect(field.value).toBe("");
    expect(document.activeElement).toBe(field);
    await userEvent.clear(field);
    await userEvent.type(field, "front desk morning{Enter}");
    await waitFor(() => expect(screen.queryByRole("heading", { name: /session is locked/ })).toBeNull());
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Mina Park-Lee");
  });

  it("locks with Ctrl+L", async () => {
    const { calls } = renderApp(lockable("front desk morning"), { path: "/profile" });
    await screen.findByLabelText("Name");
    await userEvent.keyboard("{Control>}l{/Control}");
    expect(await screen.findByRole("heading", { name: "Mina Park's session is locked" })).toBeTruthy();
    expect(calls.map((c) => c.command)).toContain("lock_session");
  });

  it("shows the lock screen when a command finds the session locked, with the reason", async () => {
    let isLocked = false;
    renderApp(
      signedInAs(user(), {
        locked_session: () => (isLocked ? locked({ reason: "idle", autoLockSeconds: 300 }) : null),
        update_profile: () => {
          isLocked = true;
          return failure("SessionLocked", { lockReason: "idle" });
        },
      }),
      { path: "/profile" },
    );
    await userEvent.click(await screen.findByRole("button", { name: "Save" }));
    expect(await screen.findByText("Locked after 5 minutes without activity.")).toBeTruthy();
  });

  it("starts on the lock screen when the app opens on a locked session, and signs the person out for someone else", async () => {
    let signedOut = false;
    const { calls } = renderApp({
      ...signedInAs(user()),
      current_user: () => failure("SessionLocked", { lockReason: "sleep" }),
      locked_session: () => (signedOut ? null : locked({ reason: "sleep" })),
      logout: () => {
        signedOut = true;
        return null;
      },
    });
    expect(await screen.findByText("Locked because the computer went to sleep.")).toBeTruthy();
    expect(screen.queryByRole("navigation")).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Not Mina Park? Sign them out" }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(calls.map((c) => c.command)).toContain("logout");
  });

  it("warns before an idle lock, and input puts the warning away", async () => {
    let lockAfter = 20;
    renderApp(signedInAs(user(), { report_activity: () => ({ lockAfterSeconds: lockAfter }) }));
    expect(await screen.findByText(/Locking in 2\d seconds/)).toBeTruthy();
    lockAfter = 300;
    // Reports are spaced a few seconds apart; the next input after that is reported.
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    await userEvent.pointer({ coords: { x: 10, y: 10 }, target: document.body });
    await waitFor(() => expect(screen.queryByText(/Locking in/)).toBeNull());
  }, 10_000);

  it("speaks Korean on the lock screen", async () => {
    renderApp(
      {
        ...signedInAs(user()),
        current_user: () => failure("SessionLocked", { lockReason: "idle" }),
        locked_session: () => locked({ reason: "idle", autoLockSeconds: 600 }),
      },
      { locale: "ko" },
    );
    expect(await screen.findByText("10분 동안 사용하지 않아 잠겼습니다.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "잠금 해제" })).toBeTruthy();
  });

  it("offers the PIN first when one may unlock, counts the tries left, and signs out after the last", async () => {
    let tries = 5;
    renderApp({
      ...signedInAs(user()),
      current_user: () => failure("SessionLocked", { lockReason: "idle" }),
      locked_session: () => (tries > 0 ? locked({ reason: "idle", pinAvailable: true }) : null),
      unlock_with_pin: () => {
        tries -= 1;
        return failure("WrongPin", { remainingTries: tries });
      },
    });
    const pin = await screen.findByLabelText("PIN");
    expect(document.activeElement).toBe(pin);
    expect(pin.getAttribute("inputmode")).toBe("numeric");
    await userEvent.type(pin, "603128{Enter}");
    expect(await screen.findByText("That PIN is not correct. 4 tries left.")).toBeTruthy();
    tries = 1;
    await userEvent.type(screen.getByLabelText("PIN"), "603129{Enter}");
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(screen.getByText("Five wrong PINs in a row: that session was signed out. Sign in with your password.")).toBeTruthy();
  });

  it("switches between PIN and password, and to the password when the PIN cannot open the session", async () => {
    renderApp({
      ...signedInAs(user()),
      current_user: () => failure("SessionLocked", { lockReason: "manual" }),
      locked_session: () => locked({ pinAvailable: true }),
      unlock_with_pin: () => failure("Conflict", { conflict: "pinUnavailable" }),
    });
    await userEvent.click(await screen.findByRole("button", { name: "Use my password instead" }));
    expect(screen.getByLabelText("Password")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Use my PIN instead" }));
    await userEvent.type(screen.getByLabelText("PIN"), "603128{Enter}");
    expect(await screen.findByText("A PIN cannot unlock this session now. Use your password.")).toBeTruthy();
    expect(screen.getByLabelText("Password")).toBeTruthy();
  });

  it("lists everyone signed in here, goes back with Esc, and lets someone else sign in", async () => {
    const ada = person({ sessionId: "session-ada", displayName: "Ada Admin", email: "admin@clinic.example" });
    const mina = person({ reason: "switch" });
    renderApp({
      ...signedInAs(user()),
      current_user: () => failure("SessionLocked", { lockReason: "manual" }),
      locked_session: () => screenOf(ada, mina),
      login: () => user({ id: 9, email: "sam@clinic.example", displayName: "Sam Lee" }),
    });
    // It starts on the person who used the computer last.
    expect(await screen.findByRole("heading", { name: "Ada Admin's session is locked" })).toBeTruthy();
    await userEvent.keyboard("{Escape}");
    expect(await screen.findByRole("heading", { name: "Who is using this computer?" })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: /Ada Admin/ }));
    expect(screen.getByRole("button", { name: /Mina Park/ })).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: /Mina Park/ }));
    expect(await screen.findByRole("heading", { name: "Mina Park's session is locked" })).toBeTruthy();
    expect(screen.getByText("Locked when someone else signed in.")).toBeTruthy();
    // Only the last person can be signed out from here.
    expect(screen.queryByRole("button", { name: /Sign them out/ })).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Back to everyone signed in" }));
    await userEvent.click(await screen.findByRole("button", { name: "Someone else" }));
    expect(await screen.findByRole("heading", { name: "Sign in as someone else" })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText("Email"));
    await userEvent.type(screen.getByLabelText("Email"), "sam@clinic.example");
    await userEvent.type(screen.getByLabelText("Password"), "sam's own long password{Enter}");
    expect(await screen.findByRole("navigation")).toBeTruthy();
    expect(screen.getByText("Signed in as Sam Lee")).toBeTruthy();
  });

  it("shows only an email field when an admin hid the list", async () => {
    renderApp({
      ...signedInAs(user()),
      current_user: () => failure("SessionLocked", { lockReason: "idle" }),
      locked_session: () => ({ people: [], last: null, showPeople: false }),
    });
    expect(await screen.findByRole("heading", { name: "This computer is locked" })).toBeTruthy();
    expect(screen.getByLabelText("Email")).toBeTruthy();
    expect(screen.queryByText(/Mina/)).toBeNull();
    expect(screen.queryByRole("button", { name: "Back to everyone signed in" })).toBeNull();
  });

  it("switching people takes the first person's screens away and gives their unsaved edit back", async () => {
    const people = { ada: admin(), mina: user() };
    const sessions: Record<string, keyof typeof people> = { "session-ada": "ada", "session-mina": "mina" };
    let active: keyof typeof people | null = "ada";
    let last: keyof typeof people = "ada";
    const entry = (who: keyof typeof people) =>
      person({
        sessionId: `session-${who}`,
        displayName: people[who].displayName,
        email: people[who].email,
        reason: who === last ? "manual" : "switch",
      });
    renderApp(
      {
        ...signedInAs(admin()),
        current_user: () => (active ? people[active] : failure("SessionLocked", { lockReason: "manual" })),
        lock_session: () => {
          active = null;
          return null;
        },
        locked_session: () =>
          active ? null : screenOf(entry(last), entry(last === "ada" ? "mina" : "ada")),
        unlock_session: (request) => {
          const who = sessions[(request as { sessionId: string }).sessionId];
          if (!who) return failure("NotAuthenticated");
          active = who;
          last = who;
          return people[who];
        },
      },
      { path: "/profile" },
    );
    const name = await screen.findByLabelText("Name");
    await userEvent.clear(name);
    await userEvent.type(name, "Ada Half-Typed");
    expect(screen.getByRole("link", { name: "Accounts" })).toBeTruthy();

    await userEvent.click(screen.getByRole("button", { name: "Lock" }));
    await screen.findByRole("heading", { name: "Ada Admin's session is locked" });
    await userEvent.keyboard("{Escape}");
    await userEvent.click(await screen.findByRole("button", { name: /Mina Park/ }));
    await userEvent.type(await screen.findByLabelText("Password"), "mina's long password{Enter}");
    // Mina's own screens, fresh and from where everyone starts: nothing of Ada's is
    // left in the page, not even which page she was on.
    expect(await screen.findByRole("heading", { name: "Welcome, Mina Park" })).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Accounts" })).toBeNull();
    expect(document.body.innerHTML).not.toContain("Ada Half-Typed");
    expect(document.body.innerHTML).not.toContain("admin@clinic.example");

    await userEvent.click(screen.getByRole("button", { name: "Lock" }));
    await screen.findByRole("heading", { name: "Mina Park's session is locked" });
    await userEvent.keyboard("{Escape}");
    await userEvent.click(await screen.findByRole("button", { name: /Ada Admin/ }));
    await userEvent.type(await screen.findByLabelText("Password"), "ada's long password{Enter}");
    // Ada is back on her page, with her unsaved edit.
    await waitFor(() => expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Ada Half-Typed"));
    expect(screen.getByRole("link", { name: "Accounts" })).toBeTruthy();
  });

  it("signs out to the sign-in page when nobody else is here, and signs in again", async () => {
    let here = true;
    const { calls } = renderApp({
      ...signedInAs(user()),
      current_user: () => (here ? user() : failure("NotAuthenticated")),
      logout: () => {
        here = false;
        return null;
      },
      // As the plugin answers when nobody is signed in at this computer.
      locked_session: () => failure("NotAuthenticated"),
      login: () => {
        here = true;
        return user();
      },
    });
    await userEvent.click(await screen.findByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    await userEvent.type(screen.getByLabelText("Email"), "mina@clinic.example");
    await userEvent.type(screen.getByLabelText("Password"), "front desk morning shift{Enter}");
    expect(await screen.findByRole("navigation")).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(screen.getByRole("navigation")).toBeTruthy();
    // The lock screen was asked once, after the sign-out, and its answer ended nothing.
    expect(calls.filter((c) => c.command === "locked_session")).toHaveLength(1);
  });
});
