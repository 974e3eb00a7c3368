// The sign-in and first-run screens as the app shows them: throttling replies and the
// strength meter.
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { failure, renderApp, signedOut } from "../test/harness";

describe("throttling on the sign-in page", () => {
  it("says how long to wait, without saying whether the account exists", async () => {
    renderApp({ ...signedOut, login: () => failure("Locked", { retryAfter: 3 }) });
    await userEvent.type(await screen.findByLabelText("Email"), "who@clinic.example");
    await userEvent.type(screen.getByLabelText("Password"), "whatever it may be");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Too many failed attempts. Try again in 3 s.");
  });

  it("points to an administrator after a full lockout", async () => {
    renderApp({ ...signedOut, login: () => failure("Locked", { retryAfter: 86_000 }) });
    await userEvent.type(await screen.findByLabelText("Email"), "who@clinic.example");
    await userEvent.type(screen.getByLabelText("Password"), "whatever it may be");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toContain("an administrator can unlock it");
  });
});

describe("the strength meter", () => {
  it("shows the vault's estimate and feedback as the password is typed", async () => {
    const { calls } = renderApp({
      bootstrap_status: () => ({ needsFirstAdmin: true, staySignedIn: true }),
      check_password: () => ({
        score: 1,
        longEnough: true,
        shortEnough: true,
        breached: true,
        containsPersonalInfo: false,
        warning: "ThisIsACommonPassword",
        suggestions: ["AddAnotherWordOrTwo"],
        acceptable: false,
      }),
    });
    await userEvent.type(await screen.findByLabelText("Password"), "qwertyuiopasdfgh");
    expect(await screen.findByText("Found in lists of breached passwords")).toBeTruthy();
    expect(screen.getByText("This is a very common password.")).toBeTruthy();
    expect(screen.getByText("Very weak")).toBeTruthy();
    expect(screen.getByRole("meter").getAttribute("aria-valuenow")).toBe("1");
    expect(calls.some((c) => c.command === "check_password")).toBe(true);
  });
});
