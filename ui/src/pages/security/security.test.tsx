import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { admin, renderApp, signedInAs } from "../../test/harness";

describe("the security overview", () => {
  it("counts the breached passwords that the minimum length leaves to refuse", async () => {
    renderApp(
      signedInAs(admin(), {
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
        }),
        locked_emails: () => [],
      }),
      { path: "/security" },
    );
    expect(await screen.findByText("3,539 of 197,549 listed")).toBeTruthy();
  });
});
