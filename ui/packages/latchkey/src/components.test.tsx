import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { Field } from "./components";
import { I18nProvider } from "./i18n/i18n";

function passwordField() {
  render(
    <I18nProvider initial="en">
      <Field label="Password" name="password" type="password" />
    </I18nProvider>,
  );
  return screen.getByLabelText("Password") as HTMLInputElement;
}

describe("a password field", () => {
  it("hides what is typed until Show is pressed, and hides it again on Hide", async () => {
    const input = passwordField();
    await userEvent.type(input, "granite owl above the ferry");
    expect(input.type).toBe("password");
    await userEvent.click(screen.getByRole("button", { name: "Show password" }));
    expect(input.type).toBe("text");
    expect(input.value).toBe("granite owl above the ferry");
    await userEvent.click(screen.getByRole("button", { name: "Hide password" }));
    expect(input.type).toBe("password");
  });

  it("takes a pasted password as it is, from the clipboard or a password manager", async () => {
    const input = passwordField();
    await userEvent.click(input);
    await userEvent.paste("  Granite owl, above the ferry!  ");
    expect(input.value).toBe("  Granite owl, above the ferry!  ");
    expect(input.getAttribute("autocomplete")).not.toBe("off");
  });

  it("warns while Caps Lock is on, tied to the field for screen readers", () => {
    const input = passwordField();
    expect(screen.queryByText("Caps Lock is on.")).toBeNull();
    fireEvent.keyDown(input, { key: "A", modifierCapsLock: true });
    const warning = screen.getByText("Caps Lock is on.");
    expect(input.getAttribute("aria-describedby")).toContain(warning.id);
    fireEvent.keyUp(input, { key: "CapsLock", modifierCapsLock: false });
    expect(screen.queryByText("Caps Lock is on.")).toBeNull();
  });

  it("is not offered for other fields", () => {
    render(
      <I18nProvider initial="en">
        <Field label="Email" name="email" type="email" />
      </I18nProvider>,
    );
    expect(screen.queryByRole("button")).toBeNull();
  });
});
