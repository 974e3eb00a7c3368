import type { IdentityProvider } from "tauri-plugin-latchkey-api";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { admin, failure, renderApp, signedInAs, signedOut, user } from "../test/harness";
import type { Handler } from "../test/harness";

const clinic = [{ id: 3, name: "Clinic ID" }];
const started = { provider: "Clinic ID", browserOpened: true, url: "https://id.clinic.example/auth?client_id=latchkey" };

/** A reply the test gives when it chooses. */
function later<T>() {
  let settle: { resolve(value: T): void; reject(reason: unknown): void } | undefined;
  const promise = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  return { promise, ...settle! };
}

/** The rejection the shell sends for a conflict. */
function conflictReply(conflict: string) {
  return { code: "Conflict", message: "(English from the vault)", conflict };
}

describe("signing in with the organisation", () => {
  it("shows no provider button when none is set up", async () => {
    renderApp({ ...signedOut, organisation_providers: () => [] });
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(screen.queryByText("or")).toBeNull();
    expect(screen.queryByRole("button", { name: /Sign in with/ })).toBeNull();
  });

  it("waits for the browser, says where to look, and signs the person in when they are back", async () => {
    const finish = later<unknown>();
    let signedIn = false;
    const { calls } = renderApp({
      ...signedOut,
      current_user: () => (signedIn ? user() : failure("NotAuthenticated")),
      organisation_providers: () => clinic,
      begin_organisation_sign_in: () => started,
      finish_organisation_sign_in: () => finish.promise,
      since_last_sign_in: () => [],
    });
    await userEvent.click(await screen.findByRole("button", { name: "Sign in with Clinic ID" }));
    expect(await screen.findByText("Finish signing in with Clinic ID in your browser, then come back here.")).toBeTruthy();
    const waiting = screen.getByRole("button", { name: "Waiting for Clinic ID…" });
    expect(waiting.hasAttribute("disabled")).toBe(true);
    expect(calls.find((c) => c.command === "begin_organisation_sign_in")?.request).toEqual({ providerId: 3 });
    signedIn = true;
    finish.resolve(user());
    expect(await screen.findByRole("heading", { name: "Welcome, Mina Park" })).toBeTruthy();
  });

  it("offers the address when no browser opened, and a cancel ends the wait", async () => {
    const finish = later<unknown>();
    const { calls } = renderApp({
      ...signedOut,
      organisation_providers: () => clinic,
      begin_organisation_sign_in: () => ({ ...started, browserOpened: false }),
      finish_organisation_sign_in: () => finish.promise,
      cancel_organisation_sign_in: () => {
        finish.reject(conflictReply("organisationSignInCancelled"));
        return null;
      },
    });
    await userEvent.click(await screen.findByRole("button", { name: "Sign in with Clinic ID" }));
    const address = await screen.findByLabelText("Sign-in address");
    expect((address as HTMLInputElement).value).toBe(started.url);
    expect(screen.getByText(/Your browser did not open/)).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(await screen.findByText("The sign-in with your organisation was cancelled.")).toBeTruthy();
    expect(calls.some((c) => c.command === "cancel_organisation_sign_in")).toBe(true);
    expect(screen.getByRole("button", { name: "Sign in with Clinic ID" }).hasAttribute("disabled")).toBe(false);
  });

  it("explains a refused sign-in in the person's language", async () => {
    renderApp(
      {
        ...signedOut,
        organisation_providers: () => clinic,
        begin_organisation_sign_in: () => started,
        finish_organisation_sign_in: () => {
          throw conflictReply("tokenAudienceInvalid");
        },
      },
      { locale: "ko" },
    );
    await userEvent.click(await screen.findByRole("button", { name: "Clinic ID(으)로 로그인" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "로그인을 거부했습니다: 다른 애플리케이션용으로 발급되었습니다.",
    );
  });

  it("sends a linked person to the organisation while it can be reached", async () => {
    renderApp({
      ...signedOut,
      organisation_providers: () => clinic,
      login: () => {
        throw conflictReply("useOrganisationSignIn");
      },
    });
    await userEvent.type(await screen.findByLabelText("Email"), "jo@clinic.example");
    await userEvent.type(screen.getByLabelText("Password"), "pencil case by the till");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Your organisation can be reached: sign in with it.");
  });
});

const provider: IdentityProvider = {
  id: 3,
  setup: {
    name: "Clinic ID",
    issuer: "https://id.clinic.example/realms/desk",
    clientId: "latchkey-desk",
    scopes: "email profile groups",
    emailClaim: "email",
    adminClaim: "groups",
    adminValue: "desk-admins",
    linkByEmail: false,
    offlineDays: 7,
  },
  fetchedAt: 1_795_737_599,
  linkedAccounts: 4,
};

const securityPage: Record<string, Handler> = {
  security_health: () => ({
    memoryKib: 131072,
    iterations: 5,
    lanes: 1,
    outdatedHashes: 0,
    lockedEmails: 0,
    neverSignedIn: 0,
    admins: 1,
    activeAdmins: 1,
    accounts: 5,
    breachedListSize: 1,
    breachedListApplicable: 1,
    breachedListApplicableWithSecondFactor: 1,
    withoutSecondFactor: 0,
  }),
  locked_emails: () => [],
  desk_settings: () => ({ autoLockMinutes: 5, autoLockSeconds: 300, pinWindowHours: 8, showPeople: true }),
  sign_in_rules: () => ({
    idleMinutes: 15,
    absoluteHours: 12,
    stepUpMinutes: 5,
    lockAfterFailures: 100,
    longestWaitSeconds: 10,
    passwordMinChars: 15,
  }),
  second_factor_policy: () => "nobody",
};

describe("the identity providers card", () => {
  it("adds a provider and marks a refused field", async () => {
    let saved: IdentityProvider[] = [];
    const { calls } = renderApp(
      signedInAs(admin(), {
        ...securityPage,
        identity_providers: () => saved,
        save_identity_provider: (request) => {
          const setup = (request as { setup: IdentityProvider["setup"] }).setup;
          if (!setup.issuer.startsWith("https://")) {
            failure("Validation", { field: "issuer", reason: { kind: "malformed" } });
          }
          saved = [{ ...provider, setup, linkedAccounts: 0 }];
          return saved[0];
        },
        remove_identity_provider: () => {
          saved = [];
          return null;
        },
      }),
      { path: "/security" },
    );
    const card = await screen.findByRole("region", { name: "Sign in with your organisation" });
    expect(await within(card).findByText(/No identity provider is set up/)).toBeTruthy();
    await userEvent.click(within(card).getByRole("button", { name: "Add an identity provider" }));
    await userEvent.type(within(card).getByLabelText("Name on the button"), "Clinic ID");
    await userEvent.type(within(card).getByLabelText("Issuer URL"), "http://id.clinic.example");
    await userEvent.click(within(card).getByRole("button", { name: "Save" }));
    expect(await within(card).findByText("This is not in the expected format.")).toBeTruthy();
    // The refused save keeps what was typed.
    expect((within(card).getByLabelText("Name on the button") as HTMLInputElement).value).toBe("Clinic ID");
    const issuer = within(card).getByLabelText("Issuer URL");
    await userEvent.clear(issuer);
    await userEvent.type(issuer, provider.setup.issuer);
    await userEvent.click(within(card).getByRole("button", { name: "Save" }));
    expect(await within(card).findByText("Clinic ID is saved. Its sign-in button is on the sign-in screen.")).toBeTruthy();
    const sent = calls.filter((c) => c.command === "save_identity_provider").at(-1)?.request;
    expect(sent).toEqual({
      id: null,
      setup: {
        name: "Clinic ID",
        issuer: provider.setup.issuer,
        clientId: "latchkey",
        scopes: "email profile",
        emailClaim: "email",
        adminClaim: "",
        adminValue: "",
        linkByEmail: false,
        offlineDays: 7,
      },
    });
    await userEvent.click(within(card).getByRole("button", { name: "Remove Clinic ID" }));
    const dialog = await screen.findByRole("dialog", { name: "Remove Clinic ID" });
    expect(within(dialog).getByText(/Its 0 linked accounts stay/)).toBeTruthy();
    await userEvent.click(within(dialog).getByRole("button", { name: "Remove" }));
    expect(await within(card).findByText(/Clinic ID was removed/)).toBeTruthy();
    expect(calls.find((c) => c.command === "remove_identity_provider")?.request).toEqual({ providerId: 3 });
  });

  it("keeps the issuer of a provider being changed", async () => {
    const { calls } = renderApp(
      signedInAs(admin(), {
        ...securityPage,
        identity_providers: () => [provider],
        save_identity_provider: (request) => ({ ...provider, setup: (request as { setup: IdentityProvider["setup"] }).setup }),
      }),
      { path: "/security" },
    );
    const card = await screen.findByRole("region", { name: "Sign in with your organisation" });
    expect(await within(card).findByText(/4 linked accounts · offline sign-in for 7 days/)).toBeTruthy();
    await userEvent.click(within(card).getByRole("button", { name: "Change Clinic ID" }));
    expect(within(card).getByLabelText("Issuer URL").hasAttribute("readonly")).toBe(true);
    const days = within(card).getByLabelText("Offline sign-in (days)");
    await userEvent.clear(days);
    await userEvent.type(days, "3");
    await userEvent.click(within(card).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(calls.some((c) => c.command === "save_identity_provider")).toBe(true));
    const sent = calls.find((c) => c.command === "save_identity_provider")?.request as {
      id: number;
      setup: IdentityProvider["setup"];
    };
    expect(sent.id).toBe(3);
    expect(sent.setup.issuer).toBe(provider.setup.issuer);
    expect(sent.setup.offlineDays).toBe(3);
  });
});

describe("a linked person's profile", () => {
  it("shows the offline window and sets the offline password", async () => {
    let hasPassword = false;
    const { calls } = renderApp(
      signedInAs(user(), {
        organisation_link: () => ({
          provider: "Clinic ID",
          lastOnlineAt: 1_795_737_599,
          offlineUntil: 1_796_342_399,
          hasOfflinePassword: hasPassword,
        }),
        set_offline_password: () => {
          hasPassword = true;
          return null;
        },
        pin_status: () => ({ setAt: null, windowHours: 8 }),
        check_password: () => ({
          score: 4,
          minChars: 15,
          longEnough: true,
          shortEnough: true,
          breached: false,
          containsPersonalInfo: false,
          suggestions: [],
          acceptable: true,
        }),
      }),
      { path: "/profile" },
    );
    const card = await screen.findByRole("region", { name: "Your organisation" });
    expect(await within(card).findByText(/You have no password on this computer yet/)).toBeTruthy();
    // With no password here, there is none to change.
    expect(screen.queryByRole("button", { name: "Change password" })).toBeNull();
    await userEvent.type(within(card).getByLabelText("New password"), "pencil case by the till");
    await userEvent.type(within(card).getByLabelText("Confirm new password"), "pencil case by the till");
    await userEvent.click(within(card).getByRole("button", { name: "Set the offline password" }));
    expect(await within(card).findByText("Your offline password is set.")).toBeTruthy();
    expect(calls.find((c) => c.command === "set_offline_password")?.request).toEqual({
      newPassword: "pencil case by the till",
    });
    expect(within(card).queryByText(/You have no password on this computer yet/)).toBeNull();
    expect(screen.getByRole("button", { name: "Change password" })).toBeTruthy();
  });
});
