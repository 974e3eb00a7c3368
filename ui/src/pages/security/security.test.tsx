import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { admin, failure, renderApp, signedInAs } from "../../test/harness";
import type { Handler } from "../../test/harness";

const overview: Record<string, Handler> = {
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
    withoutSecondFactor: 0,
  }),
  locked_emails: () => [],
  desk_settings: () => ({ autoLockMinutes: 5, autoLockSeconds: 300, pinWindowHours: 8, showPeople: true }),
  sign_in_rules: () => defaultRules,
  identity_providers: () => [],
};

const defaultRules = {
  idleMinutes: 15,
  absoluteHours: 12,
  stepUpMinutes: 5,
  lockAfterFailures: 100,
  longestWaitSeconds: 10,
  passwordMinChars: 15,
};

describe("the security overview", () => {
  it("changes who must have two-step sign-in after a password check", async () => {
    let policy = "nobody";
    const { calls } = renderApp(
      signedInAs(admin(), {
        ...overview,
        second_factor_policy: () => policy,
        set_second_factor_policy: (request) => {
          policy = (request as { policy: string }).policy;
          return policy;
        },
      }),
      { path: "/security" },
    );
    expect(await screen.findByText("Every active account has it.")).toBeTruthy();
    await userEvent.click(await screen.findByLabelText("Administrators"));
    const card = screen.getByRole("region", { name: "Two-step sign-in" });
    await userEvent.click(within(card).getByRole("button", { name: "Save" }));
    expect(await within(card).findByText("Saved.")).toBeTruthy();
    expect(calls.find((c) => c.command === "set_second_factor_policy")?.request).toEqual({ policy: "admins" });
  });


  it("changes the auto-lock time after a password check, and explains a refusal", async () => {
    let checked = false;
    const { calls } = renderApp(
      signedInAs(admin(), {
        ...overview,
        reauthenticate: () => {
          checked = true;
          return null;
        },
        update_desk_settings: (request) => {
          const { autoLockMinutes, pinWindowHours } = request as { autoLockMinutes: number; pinWindowHours: number };
          if (!checked) failure("ReauthRequired");
          if (autoLockMinutes > 60) failure("Validation", { field: "autoLockMinutes", reason: { kind: "tooLarge", limit: 60 } });
          return { autoLockMinutes, autoLockSeconds: autoLockMinutes * 60, pinWindowHours, showPeople: true };
        },
      }),
      { path: "/security" },
    );
    const field = await screen.findByLabelText("Lock after (minutes without activity)");
    expect((field as HTMLInputElement).value).toBe("5");
    await userEvent.clear(field);
    await userEvent.type(field, "10");
    const card = screen.getByRole("region", { name: "Shared desk" });
    await userEvent.click(within(card).getByRole("button", { name: "Save" }));
    await userEvent.type(await screen.findByLabelText("Your password"), "morning shift at the front desk");
    await userEvent.click(screen.getByRole("button", { name: "Confirm" }));
    expect(
      await screen.findByText(
        "Saved: sessions lock after 10 minutes without activity, and a PIN unlocks for 8 hours after the password.",
      ),
    ).toBeTruthy();
    expect(calls.filter((c) => c.command === "update_desk_settings").map((c) => c.request)).toEqual([
      { autoLockMinutes: 10, pinWindowHours: 8, showPeople: true },
      { autoLockMinutes: 10, pinWindowHours: 8, showPeople: true },
    ]);

    const again = screen.getByLabelText("Lock after (minutes without activity)");
    await userEvent.clear(again);
    await userEvent.type(again, "90");
    await userEvent.click(within(card).getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Use 60 or less.")).toBeTruthy();
  });

  it("changes the session and sign-in rules after a password check, and names a value out of bounds", async () => {
    let checked = false;
    const { calls } = renderApp(
      signedInAs(admin(), {
        ...overview,
        reauthenticate: () => {
          checked = true;
          return null;
        },
        update_sign_in_rules: (request) => {
          const rules = request as typeof defaultRules;
          if (!checked) failure("ReauthRequired");
          if (rules.lockAfterFailures < 5) {
            failure("Validation", { field: "lockAfterFailures", reason: { kind: "tooSmall", limit: 5 } });
          }
          return rules;
        },
      }),
      { path: "/security" },
    );
    const card = await screen.findByRole("region", { name: "Sessions and sign-in" });
    const lockAfter = await within(card).findByLabelText("Lock an email after (failed sign-ins in a row)");
    expect((lockAfter as HTMLInputElement).value).toBe("100");
    await userEvent.clear(lockAfter);
    await userEvent.type(lockAfter, "20");
    const shortest = within(card).getByLabelText("Shortest new password (characters)");
    await userEvent.clear(shortest);
    await userEvent.type(shortest, "18");
    await userEvent.click(within(card).getByRole("button", { name: "Save" }));
    await userEvent.type(await screen.findByLabelText("Your password"), "morning shift at the front desk");
    await userEvent.click(screen.getByRole("button", { name: "Confirm" }));
    expect(await within(card).findByText("Saved. Sessions follow the new rules from their next check.")).toBeTruthy();
    const saved = { ...defaultRules, lockAfterFailures: 20, passwordMinChars: 18 };
    expect(calls.filter((c) => c.command === "update_sign_in_rules").map((c) => c.request)).toEqual([saved, saved]);

    const again = within(card).getByLabelText("Lock an email after (failed sign-ins in a row)");
    await userEvent.clear(again);
    await userEvent.type(again, "3");
    await userEvent.click(within(card).getByRole("button", { name: "Save" }));
    expect(await within(card).findByText("Use 5 or more.")).toBeTruthy();
  });

  it("saves a backup after a password check and says where", async () => {
    let checked = false;
    renderApp(
      signedInAs(admin(), {
        ...overview,
        reauthenticate: () => {
          checked = true;
          return null;
        },
        backup_vault: () =>
          checked
            ? { path: "/home/desk/Downloads/latchkey-backup-2026-11-29.sqlite", bytes: 98_304, accounts: 12 }
            : failure("ReauthRequired"),
      }),
      { path: "/security" },
    );
    await userEvent.click(await screen.findByRole("button", { name: "Save a backup" }));
    await userEvent.type(await screen.findByLabelText("Your password"), "morning shift at the front desk");
    await userEvent.click(screen.getByRole("button", { name: "Confirm" }));
    expect(
      await screen.findByText("Backup of 12 accounts saved as /home/desk/Downloads/latchkey-backup-2026-11-29.sqlite."),
    ).toBeTruthy();
  });

  it("shows a saved backup in its folder, and says nothing when the save dialog is cancelled", async () => {
    const shown: unknown[] = [];
    let answer: unknown = null;
    renderApp(
      signedInAs(admin(), {
        ...overview,
        backup_vault: () => answer,
        show_saved_file: (request) => {
          shown.push(request);
          return null;
        },
      }),
      { path: "/security" },
    );
    const save = await screen.findByRole("button", { name: "Save a backup" });
    await userEvent.click(save);
    await waitFor(() => expect(screen.getByRole("button", { name: "Save a backup" })).toBeTruthy());
    expect(screen.queryByText(/saved as/)).toBeNull();
    expect(screen.queryByRole("button", { name: "Show in folder" })).toBeNull();

    answer = { path: "/media/usb/desk-backup.sqlite", bytes: 4_096, accounts: 1 };
    await userEvent.click(screen.getByRole("button", { name: "Save a backup" }));
    expect(await screen.findByText("Backup of 1 account saved as /media/usb/desk-backup.sqlite.")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Show in folder" }));
    expect(shown).toEqual([{ path: "/media/usb/desk-backup.sqlite" }]);
  });

  it("counts the breached passwords that the minimum length leaves to refuse", async () => {
    renderApp(signedInAs(admin(), overview), { path: "/security" });
    expect(await screen.findByText("3,539 of 197,549 listed")).toBeTruthy();
  });
});
