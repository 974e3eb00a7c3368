import { maySee } from "tauri-plugin-latchkey-api";
import { describe, expect, it } from "vitest";
import type { CurrentUser } from "tauri-plugin-latchkey-api";
import { PATHS } from "./router";
import { ROUTES } from "./routes";

const person = (role: "admin" | "user", mustChangePassword = false): CurrentUser => ({
  id: 1,
  email: "p@clinic.example",
  displayName: "P",
  role,
  team: null,
  phone: null,
  mustChangePassword,
  secondFactorDue: false,
  sessionExpiresAt: 0,
  staySignedIn: true,
});

describe("what a role sees", () => {
  it("gives admin pages to admins only, and not before a temporary password is replaced", () => {
    const adminPages = PATHS.filter((path) => ROUTES[path].audience === "admin");
    expect(adminPages).toEqual(["/admin", "/accounts-file", "/audit", "/security"]);
    for (const path of adminPages) {
      expect(maySee(person("admin"), ROUTES[path].audience), path).toBe(true);
      expect(maySee(person("admin", true), ROUTES[path].audience), path).toBe(false);
      expect(maySee(person("user"), ROUTES[path].audience), path).toBe(false);
      expect(maySee(null, ROUTES[path].audience), path).toBe(false);
    }
  });

  it("keeps signed-in pages from people who are signed out", () => {
    for (const path of PATHS.filter((p) => ROUTES[p].audience === "signedIn")) {
      expect(maySee(null, "signedIn"), path).toBe(false);
      expect(maySee(person("user"), "signedIn"), path).toBe(true);
    }
  });
});
