import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Page, UserDto } from "tauri-plugin-latchkey-api";
import { describe, expect, it } from "vitest";
import { account, admin, failure, renderApp, signedInAs } from "../../test/harness";

const row = (id: number, email: string): UserDto =>
  account({ id, email, displayName: email.split("@")[0] ?? email });

describe("the accounts list", () => {
  it("shows the reply to the latest search even when an older reply arrives last", async () => {
    const pending = new Map<string, (page: Page<UserDto>) => void>();
    renderApp(
      signedInAs(admin(), {
        list_accounts: (request) => {
          const search = (request as { search: string | null }).search ?? "";
          return new Promise<Page<UserDto>>((resolve) => pending.set(search, resolve));
        },
      }),
      { path: "/admin" },
    );
    await waitFor(() => expect(pending.has("")).toBe(true));
    const search = screen.getByLabelText("Search by email or name");
    await userEvent.type(search, "mi");
    await waitFor(() => expect(pending.has("mi")).toBe(true));
    await userEvent.type(search, "n");
    await waitFor(() => expect(pending.has("min")).toBe(true));

    // The newest reply first, then the two older ones, late.
    await act(async () => pending.get("min")?.({ items: [row(2, "mina@clinic.example")], nextCursor: null }));
    await act(async () => pending.get("mi")?.({ items: [row(3, "mirae@clinic.example")], nextCursor: null }));
    await act(async () => pending.get("")?.({ items: [row(4, "sora@clinic.example")], nextCursor: null }));

    expect(await screen.findByText("mina@clinic.example")).toBeTruthy();
    expect(screen.queryByText("mirae@clinic.example")).toBeNull();
    expect(screen.queryByText("sora@clinic.example")).toBeNull();
  });
});

describe("two-step sign-in in the console", () => {
  it("filters by it, marks who has it, and removes someone's after a confirmation", async () => {
    const { calls } = renderApp(
      signedInAs(admin(), {
        list_accounts: (request) => {
          const { secondFactor } = request as { secondFactor: boolean | null };
          const items = [account({ id: 2, secondFactor: true }), account({ id: 3, email: "sora@clinic.example", secondFactor: false })];
          return { items: items.filter((a) => secondFactor === null || a.secondFactor === secondFactor), nextCursor: null };
        },
        reset_second_factor: () => null,
      }),
      { path: "/admin" },
    );
    expect(await screen.findByText("sora@clinic.example")).toBeTruthy();
    expect(screen.getAllByText("Two-step")).toHaveLength(1);
    await userEvent.selectOptions(screen.getByLabelText("Two-step sign-in"), "on");
    await waitFor(() => expect(screen.queryByText("sora@clinic.example")).toBeNull());
    await userEvent.click(screen.getByRole("button", { name: "Remove two-step" }));
    expect(await screen.findByRole("heading", { name: "Remove two-step sign-in" })).toBeTruthy();
    const dialog = screen.getByRole("dialog");
    await userEvent.click(within(dialog).getByRole("button", { name: "Remove two-step" }));
    expect(await screen.findByText("Two-step sign-in of mina@clinic.example removed.")).toBeTruthy();
    expect(calls.find((c) => c.command === "reset_second_factor")?.request).toEqual({ id: 2 });
  });
});

describe("an account's sessions", () => {
  it("lists them, signs one out, and signs out everywhere, each after a password check", async () => {
    let sessions = [
      { id: "s1", createdAt: 1_795_700_000, lastSeenAt: 1_795_737_000, expiresAt: 1_795_780_000, lockedAt: null, lockReason: null },
      { id: "s2", createdAt: 1_795_600_000, lastSeenAt: 1_795_690_000, expiresAt: 1_795_680_000, lockedAt: 1_795_690_000, lockReason: "idle" as const },
    ];
    let checked = false;
    const { calls } = renderApp(
      signedInAs(admin(), {
        list_accounts: () => ({ items: [account({ id: 2 })], nextCursor: null }),
        account_sessions: () => sessions,
        reauthenticate: () => {
          checked = true;
          return null;
        },
        end_session: (request) => {
          if (!checked) failure("ReauthRequired");
          sessions = sessions.filter((s) => s.id !== (request as { sessionId: string }).sessionId);
          return null;
        },
        end_all_sessions: () => {
          const ended = sessions.length;
          sessions = [];
          return ended;
        },
      }),
      { path: "/admin" },
    );
    await userEvent.click(await screen.findByRole("button", { name: "Sessions" }));
    const dialog = await screen.findByRole("dialog", { name: "Sessions of mina@clinic.example" });
    expect(await within(dialog).findByText("Active")).toBeTruthy();
    expect(within(dialog).getByText("Locked")).toBeTruthy();
    await userEvent.click(within(dialog).getAllByRole("button", { name: "Sign out" })[1] as HTMLElement);
    await userEvent.type(await screen.findByLabelText("Your password"), "front desk morning shift{Enter}");
    expect(await within(dialog).findByText("That session was signed out.")).toBeTruthy();
    expect(within(dialog).queryByText("Locked")).toBeNull();
    expect(calls.find((c) => c.command === "end_session")?.request).toEqual({ sessionId: "s2" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Sign out everywhere" }));
    expect(await within(dialog).findByText("Every session of mina@clinic.example was signed out.")).toBeTruthy();
    expect(within(dialog).getByText("No sessions at this computer.")).toBeTruthy();
  });
});
