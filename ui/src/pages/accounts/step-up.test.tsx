// The accounts console's actions that ask for the password again (step-up).
import type { Page, UserDto } from "tauri-plugin-latchkey-api";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { account, admin, failure, renderApp, signedInAs } from "../../test/harness";

const accounts: Page<UserDto> = { items: [account()], nextCursor: null };

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
