// "Sign in with <provider>": one button per identity provider the admin set up, beside
// the email form. The form's action covers the whole round trip through the system
// browser, so its pending state lasts until the person is back (or cancels); while it
// waits, the screen says where to look, offers the address when no browser opened, and
// has a Cancel button.
import { useActionState, useEffect, useState } from "react";
import { ApiError, call } from "./api";
import type { OrganisationProvider, OrganisationSignIn as Started } from "./bindings";
import { Notice, SubmitButton } from "./components";
import { useI18n } from "./i18n/i18n";
import { useSession } from "./session";

interface RoundTrip {
  error?: unknown;
  cancelled?: boolean;
}

/** The providers' buttons, or nothing when none is set up (or they cannot be listed). */
export function OrganisationSignIn() {
  const { t } = useI18n();
  const [providers, setProviders] = useState<OrganisationProvider[]>([]);
  useEffect(() => {
    let live = true;
    // The buttons are an extra: a failure to list them leaves the email form alone.
    call("organisation_providers").then(
      (listed) => live && setProviders(listed),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (providers.length === 0) return null;
  return (
    <div className="organisation-sign-in">
      <p className="or-divider" aria-hidden="true">
        <span>{t("org.or")}</span>
      </p>
      {providers.map((provider) => (
        <ProviderButton key={provider.id} provider={provider} />
      ))}
    </div>
  );
}

function ProviderButton({ provider }: { provider: OrganisationProvider }) {
  const { t, errorMessage } = useI18n();
  const auth = useSession();
  const [waiting, setWaiting] = useState<Started | null>(null);
  const [state, action] = useActionState<RoundTrip, FormData>(async () => {
    try {
      setWaiting(await call("begin_organisation_sign_in", { providerId: provider.id }));
      const user = await call("finish_organisation_sign_in");
      setWaiting(null);
      auth.signedIn(user);
      return {};
    } catch (error) {
      setWaiting(null);
      if (error instanceof ApiError && error.conflict === "organisationSignInCancelled") {
        return { cancelled: true };
      }
      return { error };
    }
  }, {});

  return (
    <section className="organisation-provider" aria-label={t("org.signInWith", { name: provider.name })}>
      {state.error ? <Notice kind="error">{errorMessage(state.error)}</Notice> : null}
      {state.cancelled ? <Notice kind="info">{t("org.cancelled")}</Notice> : null}
      <form action={action}>
        <SubmitButton
          secondary
          idle={t("org.signInWith", { name: provider.name })}
          pending={t("org.pending", { name: provider.name })}
        />
      </form>
      {waiting ? (
        <div className="organisation-waiting">
          <Notice kind="info">
            {waiting.browserOpened
              ? t("org.waiting", { name: waiting.provider })
              : t("org.notOpened", { name: waiting.provider })}
          </Notice>
          {waiting.browserOpened ? null : (
            <p className="organisation-address">
              <label>
                {t("org.address")}
                <input type="text" readOnly value={waiting.url} onFocus={(event) => event.currentTarget.select()} />
              </label>
            </p>
          )}
          <div className="actions">
            <button type="button" onClick={() => void call("cancel_organisation_sign_in")}>
              {t("org.cancel")}
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
