// Password strength as it is typed, and the password check (step-up) that sensitive
// admin actions ask for. Both defer to the backend: the meter shows the vault's own
// estimate, and the dialog only retries what the vault refused with ReauthRequired.
import { useActionState, useCallback, useEffect, useRef, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, call } from "./api";
import { PASSWORD_MIN_CHARS } from "./bindings";
import type { PasswordStrength } from "./bindings";
import { Field, Modal, Notice, PasswordRules, SubmitButton } from "./components";
import { useI18n } from "./i18n/i18n";
import type { LatchkeyMessageKey as MessageKey } from "./i18n/en";

/** The vault's strength estimate of `password`, shown live under the field. */
export function StrengthMeter({
  password,
  email,
  displayName,
}: {
  password: string;
  email?: string | undefined;
  displayName?: string | undefined;
}) {
  const { t } = useI18n();
  const [strength, setStrength] = useState<PasswordStrength | null>(null);

  useEffect(() => {
    if (password === "") {
      setStrength(null);
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      call("check_password", { password, email: email ?? null, displayName: displayName ?? null })
        .then((result) => live && setStrength(result))
        .catch(() => live && setStrength(null));
    }, 150);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [password, email, displayName]);

  const score = strength?.score ?? 0;
  const hints: string[] = [];
  if (strength?.breached) hints.push(t("strength.breached"));
  if (strength?.containsPersonalInfo) hints.push(t("strength.personal"));
  if (strength?.warning) hints.push(t(`zxcvbn.${strength.warning}` as MessageKey));
  for (const suggestion of strength?.suggestions ?? []) hints.push(t(`zxcvbn.${suggestion}` as MessageKey));

  return (
    <div className="strength" aria-live="polite">
      <div className="strength-head">
        <span>{t("strength.label")}</span>
        <span className={`strength-word strength-${strength ? score : "none"}`}>
          {strength ? t(`strength.${score}` as MessageKey) : t("common.none")}
        </span>
      </div>
      <div
        className="strength-bar"
        role="meter"
        aria-label={t("strength.label")}
        aria-valuemin={0}
        aria-valuemax={4}
        aria-valuenow={strength ? score : 0}
      >
        {[0, 1, 2, 3].map((segment) => (
          <span key={segment} className={strength && score > segment ? `on strength-${score}` : ""} />
        ))}
      </div>
      {strength ? (
        <p className={strength.acceptable ? "hint ok" : "hint"}>
          {t(strength.acceptable ? "strength.enough" : "strength.notEnough")}
        </p>
      ) : null}
      {hints.length > 0 ? (
        <ul className="strength-hints">
          {hints.map((hint) => (
            <li key={hint}>{hint}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Thrown into an action when the person closes the password dialog. */
export class StepUpCancelled extends Error {
  constructor() {
    super("step-up cancelled");
    this.name = "StepUpCancelled";
  }
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Runs actions that may need a fresh password check: when the vault answers
 * ReauthRequired, asks for the password, then retries the action once.
 */
export function useStepUp(): { run<T>(action: () => Promise<T>): Promise<T>; dialog: ReactNode } {
  const [waiter, setWaiter] = useState<Waiter | null>(null);
  const waiterRef = useRef<Waiter | null>(null);
  waiterRef.current = waiter;

  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "ReauthRequired")) throw error;
      await new Promise<void>((resolve, reject) => setWaiter({ resolve, reject }));
      return await action();
    }
  }, []);

  const dialog = waiter ? (
    <StepUpDialog
      onConfirmed={() => {
        waiter.resolve();
        setWaiter(null);
      }}
      onCancel={() => {
        waiter.reject(new StepUpCancelled());
        setWaiter(null);
      }}
    />
  ) : null;
  return { run, dialog };
}

function StepUpDialog({ onConfirmed, onCancel }: { onConfirmed(): void; onCancel(): void }) {
  const { t, errorMessage, fieldError } = useI18n();
  // With two-step sign-in the check wants the app's code too.
  const [withCode, setWithCode] = useState(false);
  useEffect(() => {
    call("second_factor_status").then(
      (status) => setWithCode(status.enrolledAt !== null),
      () => undefined,
    );
  }, []);
  const [state, action] = useActionState<{ error?: unknown }, FormData>(async (_previous, form) => {
    const code = form.get("code");
    try {
      const password = String(form.get("password") ?? "");
      await call("reauthenticate", code === null ? { password } : { password, code: String(code) });
      onConfirmed();
      return {};
    } catch (error) {
      if (error instanceof ApiError && error.field === "code") setWithCode(true);
      return { error };
    }
  }, {});
  const error = state.error;
  const message =
    error === undefined
      ? undefined
      : error instanceof ApiError && error.code === "InvalidCredentials"
        ? t("stepUp.wrong")
        : error instanceof ApiError && error.code === "Validation"
          ? undefined
          : errorMessage(error);
  const codeError =
    error instanceof ApiError && error.field === "code" && error.reason?.kind === "wrongCode"
      ? t("twoStep.notCurrent")
      : fieldError(error, "code");
  return (
    <Modal title={t("stepUp.title")} onClose={onCancel}>
      <p>{t("stepUp.body")}</p>
      {message ? <Notice kind="error">{message}</Notice> : null}
      <form action={action} noValidate>
        <Field
          label={t("stepUp.password")}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={fieldError(error, "password")}
        />
        {withCode ? (
          <Field
            label={t("twoStep.confirmCode")}
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            maxLength={6}
            error={codeError}
          />
        ) : null}
        <div className="actions">
          <button type="button" onClick={onCancel}>
            {t("common.cancel")}
          </button>
          <SubmitButton idle={t("stepUp.submit")} pending={t("stepUp.pending")} />
        </div>
      </form>
    </Modal>
  );
}

/** The shortest new password the vault's rules allow now: an admin may have raised it. */
function useMinChars(): number {
  const [min, setMin] = useState(PASSWORD_MIN_CHARS);
  useEffect(() => {
    let live = true;
    call("check_password", { password: "", email: null, displayName: null })
      .then((result) => live && setMin(result.minChars))
      .catch(() => {
        // The default stays; the vault refuses a short password whatever this shows.
      });
    return () => {
      live = false;
    };
  }, []);
  return min;
}

/**
 * A new password and its confirmation, with the rules and the strength meter under them:
 * the same block in the first-run wizard and on the change-password page.
 */
export function NewPasswordFields(props: {
  name: string;
  label: string;
  confirmLabel: string;
  password: string;
  confirm: string;
  onPassword(value: string): void;
  onConfirm(value: string): void;
  error?: string | undefined;
  mismatch: boolean;
  email?: string | undefined;
  displayName?: string | undefined;
}) {
  const { t } = useI18n();
  const min = useMinChars();
  return (
    <>
      <Field
        label={props.label}
        name={props.name}
        type="password"
        autoComplete="new-password"
        required
        value={props.password}
        onChange={(event) => props.onPassword(event.target.value)}
        error={props.error}
      />
      <Field
        label={props.confirmLabel}
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        value={props.confirm}
        onChange={(event) => props.onConfirm(event.target.value)}
        error={props.mismatch ? t("setup.mismatch") : undefined}
      />
      <PasswordRules password={props.password} confirm={props.confirm} min={min} />
      <StrengthMeter password={props.password} email={props.email} displayName={props.displayName} />
    </>
  );
}
