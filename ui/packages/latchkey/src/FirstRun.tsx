// The first-run wizard: creates the one and only first admin, with the password rules
// shown as they type. There is no default account to fall back on.
import { useActionState, useState } from "react";
import { ApiError, call } from "./api";
import { useSession } from "./session";
import { EMAIL_MAX_BYTES, NAME_MAX_CHARS } from "./bindings";
import { Field, Notice, SubmitButton } from "./components";
import { NewPasswordFields } from "./password";
import { useI18n } from "./i18n/i18n";

interface SetupState {
  email: string;
  displayName: string;
  error?: unknown;
  mismatch?: boolean;
}

export function FirstRun() {
  const { t, errorMessage, fieldError } = useI18n();
  const auth = useSession();
  const [password, setPassword] = useState("");
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [confirm, setConfirm] = useState("");

  const [state, action] = useActionState<SetupState, FormData>(async () => {
    const displayName = name;
    if (password !== confirm) return { email, displayName, mismatch: true };
    try {
      auth.signedIn(await call("create_first_admin", { email, displayName, password }));
      return { email, displayName };
    } catch (error) {
      return { email, displayName, error };
    }
  }, { email: "", displayName: "" });

  const error = state.error;
  const taken = error instanceof ApiError && error.conflict === "alreadyInitialised";
  const formError =
    error === undefined || (error instanceof ApiError && error.code === "Validation")
      ? undefined
      : taken
        ? t("setup.taken")
        : errorMessage(error);

  return (
    <main id="content" className="auth-page">
      <section className="card auth-card wide" aria-labelledby="setup-title">
        <h1 id="setup-title">{t("setup.title")}</h1>
        <p className="muted">{t("setup.intro")}</p>
        {formError ? <Notice kind="error">{formError}</Notice> : null}
        {taken ? (
          <button type="button" className="link" onClick={() => void auth.refresh()}>
            {t("login.title")}
          </button>
        ) : null}
        <form action={action} noValidate>
          <Field
            label={t("setup.email")}
            name="email"
            type="email"
            autoComplete="username"
            autoFocus
            required
            maxLength={EMAIL_MAX_BYTES}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={fieldError(error, "email")}
          />
          <Field
            label={t("setup.name")}
            name="displayName"
            autoComplete="name"
            required
            maxLength={NAME_MAX_CHARS}
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={fieldError(error, "displayName")}
          />
          <NewPasswordFields
            name="password"
            label={t("setup.password")}
            confirmLabel={t("setup.confirm")}
            password={password}
            confirm={confirm}
            onPassword={setPassword}
            onConfirm={setConfirm}
            error={fieldError(error, "password")}
            mismatch={state.mismatch === true}
            email={email}
            displayName={name}
          />
          <SubmitButton idle={t("setup.submit")} pending={t("setup.pending")} />
        </form>
      </section>
    </main>
  );
}
