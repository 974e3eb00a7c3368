// Sign-in, in the guide's spirit: the form's action runs through `useActionState`, the
// button's pending state comes from `useFormStatus`, and bad credentials get one message
// that does not say which part was wrong.
import { useActionState, useEffect, useRef, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, call } from "./api";
import { useSession } from "./session";
import { EMAIL_MAX_BYTES } from "./bindings";
import { Field, Notice, SubmitButton } from "./components";
import { useI18n } from "./i18n/i18n";
import { CodeStep } from "./SecondFactor";
import { OrganisationSignIn } from "./OrganisationSignIn";
import type { I18n } from "./i18n/i18n";

interface LoginState {
  email: string;
  error?: unknown;
}

/** The words for a sign-in throttled for `seconds`, wherever a password is typed. */
export function throttleMessage(t: I18n["t"], seconds: number): string {
  // A wait of minutes or more is the 100-failure lock, which an admin can lift.
  return seconds > 60 ? t("login.lockedLong") : t("login.locked", { seconds });
}

/**
 * The email and password form with its errors, and the organisation's sign-in buttons
 * when an admin set a provider up; a success signs the person in. `notices` are shown
 * above it until an attempt fails.
 */
export function SignInForm({ intro, notices }: { intro?: ReactNode; notices?: ReactNode }) {
  const { t, errorMessage, fieldError } = useI18n();
  const auth = useSession();
  const password = useRef<HTMLInputElement>(null);
  // Set when the password was right and the account has a second factor.
  const [ticket, setTicket] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);
  const [state, action] = useActionState<LoginState, FormData>(async (_previous, form) => {
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    try {
      auth.signedIn(await call("login", { email, password }));
      return { email };
    } catch (error) {
      if (error instanceof ApiError && error.code === "CodeRequired" && error.ticket) {
        setExpired(false);
        setTicket(error.ticket);
        return { email };
      }
      return { email, error };
    }
  }, { email: "" });

  const error = state.error;
  // After a refusal the form is reset: the email stays, and the cursor waits in the
  // emptied password field for the next try.
  useEffect(() => {
    if (error instanceof ApiError && error.code !== "Validation") password.current?.focus();
  }, [error]);
  const formError =
    error === undefined
      ? undefined
      : error instanceof ApiError && error.code === "InvalidCredentials"
        ? t("login.invalid")
        : error instanceof ApiError && error.code === "Locked"
          ? throttleMessage(t, error.retryAfter ?? 0)
          : error instanceof ApiError && error.code === "Validation"
            ? undefined
            : t("login.failed", { reason: errorMessage(error) });

  if (ticket !== null) {
    return (
      <CodeStep
        ticket={ticket}
        onCancel={(wasExpired) => {
          setExpired(wasExpired);
          setTicket(null);
        }}
      />
    );
  }
  return (
    <>
      {intro}
      {expired ? <Notice kind="info">{t("twoStep.expired")}</Notice> : null}
      {error ? null : notices}
      {formError ? <Notice kind="error">{formError}</Notice> : null}
      <form action={action} noValidate>
        <Field
          label={t("login.email")}
          name="email"
          type="email"
          autoComplete="username"
          autoFocus
          required
          maxLength={EMAIL_MAX_BYTES}
          defaultValue={state.email}
          error={fieldError(error, "email")}
        />
        <Field
          label={t("login.password")}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          ref={password}
          error={fieldError(error, "password")}
        />
        <SubmitButton idle={t("login.submit")} pending={t("login.pending")} />
      </form>
      <OrganisationSignIn />
    </>
  );
}

export function SignIn() {
  const { t } = useI18n();
  const auth = useSession();
  const notice = auth.state.status === "signedOut" ? auth.state.notice : undefined;
  return (
    <main id="content" className="auth-page">
      <section className="card auth-card" aria-labelledby="login-title">
        <h1 id="login-title">{t("login.title")}</h1>
        <SignInForm
          intro={
            <>
              <p className="muted">{t("login.intro")}</p>
              {!auth.staySignedIn ? <Notice kind="info">{t("session.notPersistent")}</Notice> : null}
            </>
          }
          notices={
            <>
              {notice === "expired" ? <Notice kind="info">{t("login.expired")}</Notice> : null}
              {notice === "signedOut" ? <Notice kind="success">{t("login.signedOut")}</Notice> : null}
              {notice === "pinLockout" ? <Notice kind="error">{t("login.pinLockout")}</Notice> : null}
            </>
          }
        />
      </section>
    </main>
  );
}
