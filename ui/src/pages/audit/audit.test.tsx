import type { AuditPage } from "tauri-plugin-latchkey-api";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { admin, renderApp, signedInAs, user } from "../../test/harness";

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
