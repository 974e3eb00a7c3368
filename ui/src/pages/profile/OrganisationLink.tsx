// For a person whose account is linked to the organisation's identity provider: where
// their details come from, how long the offline sign-in lasts, and the password of this
// computer that signs them in while the provider cannot be reached.
import { ApiError, NewPasswordFields, Notice, SubmitButton, call, useCurrentUser } from "tauri-plugin-latchkey-api";
import type { OrganisationLink } from "tauri-plugin-latchkey-api";
import { useActionState, useEffect, useState } from "react";
import { useI18n } from "../../i18n/i18n";

interface SetState {
  error?: unknown;
  mismatch?: boolean;
  saved?: boolean;
}

/** The signed-in person's link to a provider: `null` for an account of this computer only. */
export function useOrganisationLink(): [OrganisationLink | null, (link: OrganisationLink | null) => void] {
  const [link, setLink] = useState<OrganisationLink | null>(null);
  useEffect(() => {
    call("organisation_link").then(setLink, () => undefined);
  }, []);
  return [link, setLink];
}

export function OrganisationLinkCard({
  link,
  onChange,
}: {
  link: OrganisationLink | null;
  onChange(link: OrganisationLink | null): void;
}) {
  const { t, dateTime, errorMessage, fieldError } = useI18n();
  const user = useCurrentUser();
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");

  const [state, action] = useActionState<SetState, FormData>(async () => {
    if (password !== confirm) return { mismatch: true };
    try {
      await call("set_offline_password", { newPassword: password });
      setPassword("");
      setConfirm("");
      onChange(await call("organisation_link"));
      return { saved: true };
    } catch (error) {
      return { error };
    }
  }, {});

  if (link === null) return null;
  const error = state.error;
  const provider = link.provider;
  const formError =
    error === undefined || (error instanceof ApiError && error.code === "Validation")
      ? undefined
      : error instanceof ApiError && error.code === "ReauthRequired"
        ? t("orgLink.reauth", { provider })
        : errorMessage(error);
  return (
    <section className="card narrow" aria-labelledby="org-link-title">
      <h2 id="org-link-title">{t("orgLink.title")}</h2>
      <p>{t("orgLink.intro", { provider })}</p>
      <p className="muted">{t("orgLink.lastOnline", { provider, when: dateTime(link.lastOnlineAt) })}</p>
      <p className="muted">
        {link.offlineUntil === null
          ? t("orgLink.offlineOff", { provider })
          : t("orgLink.offlineUntil", { provider, when: dateTime(link.offlineUntil) })}
      </p>
      {link.hasOfflinePassword ? null : <Notice kind="info">{t("orgLink.noPassword", { provider })}</Notice>}
      {state.saved ? <Notice kind="success">{t("orgLink.saved")}</Notice> : null}
      {formError ? <Notice kind="error">{formError}</Notice> : null}
      <form action={action} noValidate aria-label={t("orgLink.setPassword")}>
        <NewPasswordFields
          name="newPassword"
          label={t("password.new")}
          confirmLabel={t("password.confirm")}
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          error={fieldError(error, "newPassword")}
          mismatch={state.mismatch === true}
          email={user.email}
          displayName={user.displayName}
        />
        <SubmitButton idle={t("orgLink.setPassword")} pending={t("common.saving")} />
      </form>
    </section>
  );
}
