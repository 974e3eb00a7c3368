import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { failure, renderApp, signedInAs, user } from "../../test/harness";

describe("the quick-unlock PIN on the profile page", () => {
  it("warns about a date, refuses a mismatch and a wrong password, then saves and removes", async () => {
    let pin: { setAt: number | null; windowHours: number } = { setAt: null, windowHours: 8 };
    const { calls } = renderApp(
      signedInAs(user(), {
        pin_status: () => pin,
        set_pin: (request) => {
          const { password } = request as { password: string; pin: string };
          if (password !== "evening rounds with a torch") failure("InvalidCredentials");
          pin = { setAt: 1_795_737_600, windowHours: 8 };
          return pin;
        },
        clear_pin: () => {
          pin = { setAt: null, windowHours: 8 };
          return null;
        },
      }),
      { path: "/profile" },
    );
    const field = await screen.findByLabelText("New PIN");
    await userEvent.type(field, "19840312");
    expect(screen.getByText("This looks like a year or a date. Others may guess it; consider other digits.")).toBeTruthy();
    await userEvent.type(screen.getByLabelText("Confirm PIN"), "19840313");
    await userEvent.type(screen.getByLabelText("Your password"), "evening rounds with a torch");
    await userEvent.click(screen.getByRole("button", { name: "Save PIN" }));
    expect(await screen.findByText("The two PINs do not match.")).toBeTruthy();
    expect(calls.some((c) => c.command === "set_pin")).toBe(false);

    await userEvent.clear(screen.getByLabelText("New PIN"));
    await userEvent.type(screen.getByLabelText("New PIN"), "274915");
    await userEvent.clear(screen.getByLabelText("Confirm PIN"));
    await userEvent.type(screen.getByLabelText("Confirm PIN"), "274915");
    await userEvent.clear(screen.getByLabelText("Your password"));
    await userEvent.type(screen.getByLabelText("Your password"), "a wrong password here");
    await userEvent.click(screen.getByRole("button", { name: "Save PIN" }));
    expect(await screen.findByText("That password is not correct.")).toBeTruthy();

    await userEvent.clear(screen.getByLabelText("Your password"));
    await userEvent.type(screen.getByLabelText("Your password"), "evening rounds with a torch");
    await userEvent.clear(screen.getByLabelText("Confirm PIN"));
    await userEvent.type(screen.getByLabelText("Confirm PIN"), "274915");
    await userEvent.click(screen.getByRole("button", { name: "Save PIN" }));
    expect(await screen.findByText("Your PIN was saved.")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Remove PIN" }));
    expect(await screen.findByLabelText("New PIN")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Remove PIN" })).toBeNull();
  });
});

describe("a full disk", () => {
  it("says the vault could not be saved and that nothing changed", async () => {
    renderApp(signedInAs(user(), { update_profile: () => failure("Storage") }), { path: "/profile" });
    await userEvent.click(await screen.findByRole("button", { name: "Save" }));
    expect(
      await screen.findByText(/The vault could not be saved: the disk may be full or read-only\. Nothing was changed/),
    ).toBeTruthy();
  });
});
