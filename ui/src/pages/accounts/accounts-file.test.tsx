import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ImportCheck, ImportedAccount } from "tauri-plugin-latchkey-api";
import { act } from "react";
import { dropDrafts } from "tauri-plugin-latchkey-api";
import { describe, expect, it } from "vitest";
import { admin, failure, renderApp, signedInAs } from "../../test/harness";

const csvFile = (text: string, name = "people.csv") => new File([text], name, { type: "text/csv" });

const clean: ImportCheck = { rows: 2, admins: 1, problems: [], problemCount: 0 };
const made: ImportedAccount[] = [
  { email: "jo@clinic.example", displayName: "Jo Lee", role: "user", temporaryPassword: "abcde-fghjk-mnpqr-stuvw" },
  { email: "al@clinic.example", displayName: "Al Kim", role: "admin", temporaryPassword: "vwxyz-23456-789ab-cdefg" },
];

describe("importing and exporting accounts", () => {
  it("lists a file's problems by line and creates nothing", async () => {
    const { calls } = renderApp(
      signedInAs(admin(), {
        check_account_import: () => ({
          rows: 1,
          admins: 0,
          problemCount: 3,
          problems: [
            { line: 2, column: "email", problem: { kind: "invalid", reason: { kind: "malformed" } } },
            { line: 3, column: "role", problem: { kind: "unknownRole" } },
            { line: 4, column: "email", problem: { kind: "repeated", line: 2 } },
          ],
        }),
      }),
      { path: "/accounts-file" },
    );
    await userEvent.upload(await screen.findByLabelText("CSV file"), csvFile("email,name\n..."));
    expect(
      await screen.findByText("people.csv has 3 problems. Nothing was created: fix the file, then choose it again."),
    ).toBeTruthy();
    const table = screen.getByRole("table");
    expect(within(table).getByText("This is not in the expected format.")).toBeTruthy();
    expect(within(table).getByText("Use admin or user (or leave it empty for user).")).toBeTruthy();
    expect(within(table).getByText("The same email is on line 2.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Create/ })).toBeNull();
    expect(calls.find((c) => c.command === "check_account_import")?.request).toEqual({ csv: "email,name\n..." });
    expect(calls.some((c) => c.command === "import_accounts")).toBe(false);
  });

  it("creates the accounts after a password check and shows each temporary password once", async () => {
    let checked = false;
    const { calls } = renderApp(
      signedInAs(admin(), {
        check_account_import: () => clean,
        reauthenticate: () => {
          checked = true;
          return null;
        },
        import_accounts: () => (checked ? made : failure("ReauthRequired")),
        save_temporary_passwords: () => ({ path: "/home/desk/latchkey-temporary-passwords.csv", bytes: 96 }),
      }),
      { path: "/accounts-file" },
    );
    await userEvent.upload(await screen.findByLabelText("CSV file"), csvFile("email,name,role\njo@clinic.example,Jo Lee,\n"));
    expect(await screen.findByText("people.csv is ready: 2 accounts, 1 of them an administrator.")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Create 2 accounts" }));
    await userEvent.type(await screen.findByLabelText("Your password"), "morning shift at the front desk");
    await userEvent.click(screen.getByRole("button", { name: "Confirm" }));
    expect(
      await screen.findByText(
        "2 accounts were created. The temporary passwords below are shown only now: hand them over or save the list.",
      ),
    ).toBeTruthy();
    expect(screen.getByText("abcde-fghjk-mnpqr-stuvw")).toBeTruthy();

    await userEvent.click(screen.getByRole("button", { name: "Save the temporary passwords…" }));
    expect(await screen.findByText(/Saved 96 bytes to \/home\/desk\/latchkey-temporary-passwords.csv/)).toBeTruthy();
    expect(calls.find((c) => c.command === "save_temporary_passwords")?.request).toEqual({
      accounts: made.map(({ email, temporaryPassword }) => ({ email, temporaryPassword })),
    });

    // Handed over: the admin hides them, and they are gone from the window.
    await userEvent.click(screen.getByRole("button", { name: "Done: hide the temporary passwords" }));
    expect(screen.queryByText("abcde-fghjk-mnpqr-stuvw")).toBeNull();
  });

  it("keeps the temporary passwords for an admin who left the page while they were made, until their session ends", async () => {
    let finish: (accounts: ImportedAccount[]) => void = () => undefined;
    renderApp(
      signedInAs(admin(), {
        check_account_import: () => clean,
        import_accounts: () =>
          new Promise<ImportedAccount[]>((resolve) => {
            finish = resolve;
          }),
        list_accounts: () => ({ items: [], nextCursor: null }),
      }),
      { path: "/accounts-file" },
    );
    await userEvent.upload(await screen.findByLabelText("CSV file"), csvFile("email,name\njo@clinic.example,Jo Lee\n"));
    await userEvent.click(await screen.findByRole("button", { name: "Create 2 accounts" }));
    expect(await screen.findByRole("progressbar")).toBeTruthy();
    // The admin walks off to the accounts list while the passwords are hashed.
    await userEvent.click(screen.getByRole("button", { name: "Back to accounts" }));
    await screen.findByRole("button", { name: "Import or export (CSV)" });
    await act(async () => finish(made));
    await userEvent.click(screen.getByRole("button", { name: "Import or export (CSV)" }));
    expect(await screen.findByText("abcde-fghjk-mnpqr-stuvw")).toBeTruthy();
    expect(screen.getByText("vwxyz-23456-789ab-cdefg")).toBeTruthy();

    // Their session ends (the session drops what the window kept for them): gone.
    act(() => dropDrafts(1));
    expect(screen.queryByText("abcde-fghjk-mnpqr-stuvw")).toBeNull();
  });

  it("exports the list where the admin chooses, and says nothing when they cancel", async () => {
    let answer: unknown = null;
    renderApp(signedInAs(admin(), { export_accounts: () => answer }), { path: "/accounts-file" });
    const exportButton = await screen.findByRole("button", { name: "Export to CSV" });
    await userEvent.click(exportButton);
    expect(screen.queryByText(/Saved/)).toBeNull();
    answer = { path: "/home/desk/latchkey-accounts-2026-12-07.csv", bytes: 2048 };
    await userEvent.click(exportButton);
    expect(await screen.findByText(/Saved 2,048 bytes to \/home\/desk\/latchkey-accounts-2026-12-07.csv/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Show in folder" })).toBeTruthy();
  });

  it("is reached from the accounts page, in Korean too", async () => {
    renderApp(signedInAs(admin(), { list_accounts: () => ({ items: [], nextCursor: null }) }), { path: "/admin", locale: "ko" });
    await userEvent.click(await screen.findByRole("button", { name: "가져오기/내보내기 (CSV)" }));
    expect(await screen.findByRole("heading", { name: "계정 가져오기와 내보내기" })).toBeTruthy();
  });
});
