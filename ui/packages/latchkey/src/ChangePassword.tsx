// Changing one's own password: forced after an admin reset (the temporary password is
// the current one), or by choice from the profile.
import { useActionState, useState } from "react";
import { ApiError, call } from "./api";
import { useSession, useCurrentUser } from "./session";
import { Field, Notice, SubmitButton } from "./components";
import { NewPasswordFields } from "./password";
import { useI18n } from "./i18n/i18n";

interface ChangeState {
  error?: unknown;
  mismatch?: boolean;
  done?: boolean;
}

/**
 * Changing one's own password. When a temporary password is in force it is the whole
 * screen (`SignedIn` shows it before anything else) and `onChanged` says where to go
 * next; otherwise it is a card on the host's profile page.
 */
export function ChangePassword({ onChanged }: { onChanged?: () => void } = {}) {
  const { t, errorMessage, fieldError } = useI18n();
  const auth = useSession();
  const user = useCurrentUser();
  const forced = user.mustChangePassword;
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");

  const [state, action] = useActionState<ChangeState, FormData>(async () => {
    if (next !== confirm) return { mismatch: true };
    try {
      const updated = await call("change_password", { currentPassword: current, newPassword: next });
      setCurrent("");
      setNext("");
      setConfirm("");
      auth.signedIn(updated);
      // After a forced change, carry on to where everyone starts.
      if (forced) onChanged?.();
      return { done: true };
    } catch (error) {
      return { error };
    }
  }, {});

  const error = state.error;
  const wrongCurrent = error instanceof ApiError && error.code === "InvalidCredentials";
  const formError =
    error === undefined || wrongCurrent || (error instanceof ApiError && error.code === "Validation")
      ? undefined
      : errorMessage(error);

  return (
    <main id="content" className={forced ? "auth-page" : "page"}>
      <section className={forced ? "card auth-card wide" : "card narrow"} aria-labelledby="password-title">
        <h1 id="password-title">{t(forced ? "password.forcedTitle" : "password.title")}</h1>
        <p className="muted">{t(forced ? "password.forcedIntro" : "password.intro")}</p>
        {state.done ? <Notice kind="success">{t("password.done")}</Notice> : null}
        {formError ? <Notice kind="error">{formError}</Notice> : null}
        <form action={action} noValidate>
          <Field
            label={t(forced ? "password.temporary" : "password.current")}
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            autoFocus
            required
            value={current}
            onChange={(event) => setCurrent(event.target.value)}
            error={wrongCurrent ? t("password.wrongCurrent") : fieldError(error, "currentPassword")}
          />
          <NewPasswordFields
            name="newPassword"
            label={t("password.new")}
            confirmLabel={t("password.confirm")}
            password={next}
            confirm={confirm}
            onPassword={setNext}
            onConfirm={setConfirm}
            error={fieldError(error, "newPassword")}
            mismatch={state.mismatch === true}
            email={user.email}
            displayName={user.displayName}
          />
          <SubmitButton idle={t("password.submit")} pending={t("password.pending")} />
        </form>
      </section>
    </main>
  );
}
