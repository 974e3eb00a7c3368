import { describe, expect, it } from "vitest";
import { guard } from "./guard";
import { admin, user } from "../test/harness";

describe("the router guard", () => {
  it("waits while the state is loading", () => {
    expect(guard({ status: "loading" }, "/dashboard")).toBeNull();
  });

  it("sends everyone to the wizard while the vault is empty", () => {
    for (const path of ["/", "/login", "/dashboard", "/admin"] as const) {
      expect(guard({ status: "setup" }, path)).toBe("/setup");
    }
  });

  it("sends signed-out people to the sign-in page", () => {
    for (const path of ["/", "/dashboard", "/admin", "/profile", "/setup"] as const) {
      expect(guard({ status: "signedOut" }, path)).toBe("/login");
    }
  });

  it("sends signed-in people away from the sign-in page to the dashboard", () => {
    const state = { status: "signedIn" as const, user: user() };
    expect(guard(state, "/login")).toBe("/dashboard");
    expect(guard(state, "/setup")).toBe("/dashboard");
    expect(guard(state, "/")).toBe("/dashboard");
    expect(guard(state, "/directory")).toBe("/directory");
  });

  it("leaves role checks to the page and the backend", () => {
    // A user may reach /admin by URL; the page renders access denied.
    expect(guard({ status: "signedIn", user: user() }, "/admin")).toBe("/admin");
    expect(guard({ status: "signedIn", user: admin() }, "/admin")).toBe("/admin");
  });

  it("holds people with a temporary password on the change-password page", () => {
    const state = { status: "signedIn" as const, user: user({ mustChangePassword: true }) };
    expect(guard(state, "/dashboard")).toBe("/change-password");
    expect(guard(state, "/admin")).toBe("/change-password");
  });
});
