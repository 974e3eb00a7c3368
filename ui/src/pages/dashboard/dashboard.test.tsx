import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderApp, signedInAs, user } from "../../test/harness";

describe("since the last sign-in", () => {
  it("lists failed attempts and admin actions on the dashboard", async () => {
    renderApp(
      signedInAs(user(), {
        since_last_sign_in: () => [
          { id: 9, at: 1_795_737_700, event: "password_reset", outcome: "success", actorId: 1, actorEmail: "admin@clinic.example", targetId: 2, targetEmail: "mina@clinic.example", detail: null },
          { id: 8, at: 1_795_737_650, event: "sign_in", outcome: "failure", actorId: null, actorEmail: null, targetId: 2, targetEmail: "mina@clinic.example", detail: null },
        ],
      }),
      { path: "/dashboard" },
    );
    const section = await screen.findByRole("region", { name: "Since your last sign-in" });
    expect(within(section).getByText("Password reset")).toBeTruthy();
    expect(within(section).getByText("Failure")).toBeTruthy();
  });
});
