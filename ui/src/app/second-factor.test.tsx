// Two-step sign-in as the app shows it: the code step, recovery codes, setting it up on
// the profile page, and the setup an admin's policy requires.
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { failure, renderApp, signedInAs, signedOut, user } from "../test/harness";

async function password() {
  await userEvent.type(await screen.findByLabelText("Email"), "mina@clinic.example");
  await userEvent.type(screen.getByLabelText("Password"), "evening rounds with a torch{Enter}");
}

describe("the code step of a sign-in", () => {
  it("asks for the app's code after the password, and counts the tries left", async () => {
    let tries = 5;
    const { calls } = renderApp({
      ...signedOut,
      login: () => failure("CodeRequired", { ticket: "ticket-1" }),
      complete_sign_in: (request) => {
        const { code, ticket } = request as { code: string; ticket: string };
        expect(ticket).toBe("ticket-1");
        if (code !== "287082") {
          tries -= 1;
          return failure("WrongCode", { remainingTries: tries });
        }
        return user();
      },
    });
    await password();
    const code = await screen.findByLabelText("Code");
    expect(document.activeElement).toBe(code);
    expect(code.getAttribute("autocomplete")).toBe("one-time-code");
    expect(screen.getByText("Enter the 6-digit code from your authenticator app.")).toBeTruthy();
    // The password step's words go with it.
    expect(screen.queryByText(/Use the email and password/)).toBeNull();
    await userEvent.type(code, "000000{Enter}");
    expect(await screen.findByText("That code is not correct. 4 tries left.")).toBeTruthy();
    expect((screen.getByLabelText("Code") as HTMLInputElement).value).toBe("");
    await userEvent.type(screen.getByLabelText("Code"), "287082{Enter}");
    expect(await screen.findByRole("navigation")).toBeTruthy();
    expect(calls.filter((c) => c.command === "complete_sign_in")).toHaveLength(2);
  });

  it("takes a recovery code and says how many are left", async () => {
    renderApp({
      ...signedOut,
      login: () => failure("CodeRequired", { ticket: "ticket-2" }),
      complete_sign_in: () => user(),
      second_factor_status: () => ({ enrolledAt: 1_795_700_000, recoveryCodesLeft: 1, required: false }),
    });
    await password();
    await userEvent.click(await screen.findByRole("button", { name: "Use a recovery code instead" }));
    await userEvent.type(screen.getByLabelText("Recovery code"), "ABCD-EFGH-JKMN-PQRS{Enter}");
    expect(
      await screen.findByText("You signed in with a recovery code. Only 1 is left: make new ones on your profile page."),
    ).toBeTruthy();
  });

  it("goes back to the password when the sign-in took too long", async () => {
    renderApp({
      ...signedOut,
      login: () => failure("CodeRequired", { ticket: "ticket-3" }),
      complete_sign_in: () => failure("Conflict", { conflict: "signInExpired" }),
    });
    await password();
    await userEvent.type(await screen.findByLabelText("Code"), "123456{Enter}");
    expect(await screen.findByText("That sign-in took too long or was used up. Enter your password again.")).toBeTruthy();
    expect(screen.getByLabelText("Password")).toBeTruthy();
  });
});

describe("setting up two-step sign-in", () => {
  const enrolment = {
    secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    uri: "otpauth://totp/Latchkey:mina@clinic.example?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Latchkey",
    qr: { size: 21, modules: "10".repeat(220) + "1" },
  };
  const codes = Array.from({ length: 10 }, (_, i) => `AAAA-BBBB-CCCC-000${i}`);

  it("shows the QR code and the key, turns on with a code and the password, and shows the codes once", async () => {
    let on = false;
    const { calls } = renderApp(
      signedInAs(user(), {
        get_profile: () => user(),
        pin_status: () => ({ setAt: null, windowHours: 8 }),
        second_factor_status: () => ({ enrolledAt: on ? 1_795_737_600 : null, recoveryCodesLeft: on ? 10 : 0, required: false }),
        begin_enrolment: () => enrolment,
        confirm_enrolment: () => {
          on = true;
          return { codes };
        },
      }),
      { path: "/profile" },
    );
    await userEvent.click(await screen.findByRole("button", { name: "Set up two-step sign-in" }));
    expect(await screen.findByRole("img", { name: "QR code to scan with your authenticator app" })).toBeTruthy();
    expect(screen.getByTestId("totp-key").textContent).toBe("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
    await userEvent.type(screen.getByLabelText("Code from the app"), "287082");
    const passwords = screen.getAllByLabelText("Your password");
    await userEvent.type(passwords[passwords.length - 1] as HTMLElement, "evening rounds with a torch");
    await userEvent.click(screen.getByRole("button", { name: "Turn on" }));
    expect(await screen.findByRole("heading", { name: "Your recovery codes" })).toBeTruthy();
    expect(screen.getByTestId("recovery-codes").querySelectorAll("li")).toHaveLength(10);
    expect(calls.find((c) => c.command === "confirm_enrolment")?.request).toEqual({
      password: "evening rounds with a torch",
      code: "287082",
    });
    await userEvent.click(screen.getByRole("button", { name: "I have saved these codes" }));
    expect(await screen.findByText("10 recovery codes left.")).toBeTruthy();
    expect(screen.queryByTestId("recovery-codes")).toBeNull();
  });

  it("sends someone an admin requires it of to set it up before anything else", async () => {
    renderApp(
      signedInAs(user({ secondFactorDue: true }), {
        second_factor_status: () => ({ enrolledAt: null, recoveryCodesLeft: 0, required: true }),
      }),
    );
    expect(await screen.findByRole("heading", { name: "Set up two-step sign-in", level: 1 })).toBeTruthy();
    expect(await screen.findByText("Your administrator requires it for your account.")).toBeTruthy();
    expect(screen.queryByRole("navigation")).toBeNull();
    await waitFor(() => expect(window.location.hash).toBe("#/two-step"));
  });
});
