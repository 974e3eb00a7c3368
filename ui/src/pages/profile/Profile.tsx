// One's own profile: name and phone can be changed here; email, role and team are the
// admin's to change.
import {
  ApiError,
  Field,
  NAME_MAX_CHARS,
  Notice,
  PHONE_MAX_CHARS,
  PinSettings,
  RoleLabel,
  SecondFactorSettings,
  SubmitButton,
  call,
  useCurrentUser,
  useDraft,
  useSession,
} from "tauri-plugin-latchkey-api";
import { useActionState } from "react";
import { useI18n } from "../../i18n/i18n";
import { navigate } from "../../app/router";
import { OrganisationLinkCard, useOrganisationLink } from "./OrganisationLink";

interface ProfileState {
  error?: unknown;
  saved?: boolean;
}

export function Profile() {
  const { t, errorMessage, fieldError } = useI18n();
  const auth = useSession();
  const user = useCurrentUser();
  // Unsaved edits wait here while someone else uses the computer.
  const draft = useDraft("profile");
  const [link, setLink] = useOrganisationLink();

  const [state, action] = useActionState<ProfileState, FormData>(async (_previous, form) => {
    try {
      const updated = await call("update_profile", {
        displayName: String(form.get("displayName") ?? ""),
        phone: String(form.get("phone") ?? "") || null,
      });
      draft.clear();
      auth.signedIn(updated);
      return { saved: true };
    } catch (error) {
      return { error };
    }
  }, {});

  const error = state.error;
  const formError =
    error === undefined || (error instanceof ApiError && error.code === "Validation") ? undefined : errorMessage(error);

  return (
    <main id="content" className="page">
      <section className="card narrow" aria-labelledby="profile-title">
        <h1 id="profile-title">{t("profile.title")}</h1>
        <dl className="facts">
          <dt>{t("profile.email")}</dt>
          <dd>{user.email}</dd>
          <dt>{t("profile.role")}</dt>
          <dd>
            <RoleLabel role={user.role} />
          </dd>
          <dt>{t("profile.team")}</dt>
          <dd>{user.team ?? t("profile.noTeam")}</dd>
        </dl>
        {state.saved ? <Notice kind="success">{t("profile.saved")}</Notice> : null}
        {formError ? <Notice kind="error">{formError}</Notice> : null}
        <form action={action} onInput={draft.onInput} noValidate>
          <Field
            label={t("profile.name")}
            name="displayName"
            autoComplete="name"
            required
            maxLength={NAME_MAX_CHARS}
            defaultValue={draft.value("displayName", user.displayName)}
            error={fieldError(error, "displayName")}
          />
          <Field
            label={`${t("profile.phone")} (${t("common.optional")})`}
            name="phone"
            type="tel"
            autoComplete="tel"
            maxLength={PHONE_MAX_CHARS}
            defaultValue={draft.value("phone", user.phone ?? "")}
            error={fieldError(error, "phone")}
          />
          <div className="actions">
            <SubmitButton idle={t("common.save")} pending={t("common.saving")} />
            {/* An account that signs in only through its organisation has no password to change. */}
            {link && !link.hasOfflinePassword ? null : (
              <button type="button" onClick={() => navigate("/change-password")}>
                {t("profile.changePassword")}
              </button>
            )}
          </div>
        </form>
      </section>
      <OrganisationLinkCard link={link} onChange={setLink} />
      <PinSettings />
      <SecondFactorSettings />
    </main>
  );
}
