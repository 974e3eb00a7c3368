// Two-step sign-in on the guest side: the code step of a sign-in, and the card where a
// person sets up, renews or turns off their authenticator app. The vault keeps the
// secret sealed and checks every code; these screens only carry what is typed.
import { useActionState, useEffect, useRef, useState } from "react";
import { ApiError, call } from "./api";
import type { Enrolment, QrModules, SecondFactorStatus } from "./bindings";
import { Field, Notice, SubmitButton } from "./components";
import { useI18n } from "./i18n/i18n";
import type { I18n } from "./i18n/i18n";
import { useSession } from "./session";
import { throttleMessage } from "./SignIn";

/** Recovery codes left at or below which the person is told to make new ones. */
export const FEW_RECOVERY_CODES = 3;

/** The QR code as an SVG drawn from the vault's modules: one path, crisp at any size. */
export function QrCode({ qr, label }: { qr: QrModules; label: string }) {
  const quiet = 4;
  const side = qr.size + quiet * 2;
  let path = "";
  for (let y = 0; y < qr.size; y += 1) {
    for (let x = 0; x < qr.size; x += 1) {
      if (qr.modules[y * qr.size + x] === "1") path += `M${x + quiet} ${y + quiet}h1v1h-1z`;
    }
  }
  return (
    <svg className="qr" viewBox={`0 0 ${side} ${side}`} role="img" aria-label={label} shapeRendering="crispEdges">
      <rect width={side} height={side} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

/** The base32 key in groups of four, easier to read aloud and to type. */
export function groupKey(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

function codeError(t: I18n["t"], errorMessage: I18n["errorMessage"], error: unknown): string | undefined {
  if (error === undefined) return undefined;
  if (error instanceof ApiError) {
    if (error.code === "WrongCode") return t("twoStep.wrong", { n: error.remainingTries ?? 0 });
    if (error.code === "Locked") return throttleMessage(t, error.retryAfter ?? 0);
    if (error.code === "Validation") return undefined;
  }
  return errorMessage(error);
}

/**
 * The second step of a sign-in: a code from the app, or a recovery code. `onCancel` goes
 * back to the password (also when the half-done sign-in expired, with `expired`).
 */
export function CodeStep({ ticket, onCancel }: { ticket: string; onCancel: (expired: boolean) => void }) {
  const { t, errorMessage, fieldError } = useI18n();
  const auth = useSession();
  const [recovery, setRecovery] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const [state, action] = useActionState<{ error?: unknown }, FormData>(async (_previous, form) => {
    try {
      const user = await call("complete_sign_in", { ticket, code: String(form.get("code") ?? "") });
      let recoveryCodesLeft: number | undefined;
      if (recovery) {
        recoveryCodesLeft = await call("second_factor_status").then(
          (status) => status.recoveryCodesLeft,
          () => undefined,
        );
      }
      auth.signedIn(user, recoveryCodesLeft === undefined ? undefined : { recoveryCodesLeft });
      return {};
    } catch (error) {
      const spent =
        (error instanceof ApiError && error.code === "Conflict" && error.conflict === "signInExpired") ||
        (error instanceof ApiError && error.code === "WrongCode" && error.remainingTries === 0);
      if (spent) onCancel(true);
      return { error };
    }
  }, {});
  const error = state.error;
  useEffect(() => {
    if (!(error instanceof ApiError) || error.code === "Validation" || !field.current) return;
    field.current.value = "";
    field.current.focus();
  }, [error]);
  return (
    <>
      <p>{recovery ? t("twoStep.recoveryIntro") : t("twoStep.codeIntro")}</p>
      {codeError(t, errorMessage, error) ? <Notice kind="error">{codeError(t, errorMessage, error)}</Notice> : null}
      <form action={action} noValidate>
        <Field
          key={recovery ? "recovery" : "code"}
          label={recovery ? t("twoStep.recoveryCode") : t("twoStep.code")}
          name="code"
          inputMode={recovery ? "text" : "numeric"}
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          autoFocus
          required
          maxLength={recovery ? 24 : 6}
          ref={field}
          error={fieldError(error, "code")}
        />
        <SubmitButton idle={t("twoStep.verify")} pending={t("twoStep.verifying")} />
      </form>
      <p className="lock-other">
        <button type="button" className="link" onClick={() => setRecovery(!recovery)}>
          {recovery ? t("twoStep.useApp") : t("twoStep.useRecovery")}
        </button>
      </p>
      <p className="lock-other">
        <button type="button" className="link" onClick={() => onCancel(false)}>
          {t("twoStep.cancel")}
        </button>
      </p>
    </>
  );
}

/** Recovery codes, shown once, with the one way on: confirming they were saved. */
function ShownCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <div className="recovery-codes" role="group" aria-labelledby="recovery-codes-title">
      <h3 id="recovery-codes-title">{t("twoStep.codesTitle")}</h3>
      <p>{t("twoStep.codesIntro")}</p>
      <ol className="codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <button type="button" className="primary" onClick={onDone}>
        {t("twoStep.codesDone")}
      </button>
    </div>
  );
}

interface CardState {
  error?: unknown;
  codes?: string[];
  done?: "removed";
}

/**
 * The signed-in person's two-step sign-in: set it up (QR code, key, first code and
 * password), see how many recovery codes are left, make new ones, or turn it off when
 * nobody requires it. `onEnrolled` runs once it is on and the codes were saved.
 */
export function SecondFactorSettings({ onEnrolled }: { onEnrolled?: () => void }) {
  const { t, dateTime, errorMessage, fieldError } = useI18n();
  const auth = useSession();
  const [status, setStatus] = useState<SecondFactorStatus | null>(null);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [starting, setStarting] = useState<unknown>(undefined);
  const reload = () => call("second_factor_status").then(setStatus, () => setStatus(null));
  useEffect(() => {
    void reload();
  }, []);

  const [state, action] = useActionState<CardState, FormData>(async (_previous, form) => {
    const password = String(form.get("password") ?? "");
    const intent = String(form.get("intent") ?? "");
    try {
      if (intent === "enrol") {
        const issued = await call("confirm_enrolment", { password, code: String(form.get("code") ?? "") });
        setEnrolment(null);
        await reload();
        return { codes: issued.codes };
      }
      if (intent === "renew") {
        const issued = await call("regenerate_recovery_codes", { password });
        await reload();
        return { codes: issued.codes };
      }
      await call("remove_second_factor", { password });
      await reload();
      return { done: "removed" };
    } catch (error) {
      return { error };
    }
  }, {});

  const [saved, setSaved] = useState(false);
  useEffect(() => setSaved(false), [state]);
  const codesDone = async () => {
    setSaved(true);
    // The person's own state may have changed (a second factor that was due).
    try {
      auth.signedIn(await call("current_user"));
    } catch {
      // The session check reports a session that is gone.
    }
    onEnrolled?.();
  };

  const start = async () => {
    try {
      setEnrolment(await call("begin_enrolment"));
      setStarting(undefined);
    } catch (error) {
      setStarting(error);
    }
  };

  const error = state.error ?? starting;
  const formError =
    error === undefined
      ? undefined
      : error instanceof ApiError && error.code === "InvalidCredentials"
        ? t("pin.wrongPassword")
        : error instanceof ApiError && error.code === "Validation"
          ? undefined
          : errorMessage(error);
  const codeFieldError =
    error instanceof ApiError && error.field === "code" && error.reason?.kind === "wrongCode"
      ? t("twoStep.notCurrent")
      : fieldError(error, "code");
  if (status === null) return null;
  const on = status.enrolledAt !== null;
  return (
    <section className="card narrow" aria-labelledby="two-step-title">
      <h2 id="two-step-title">{t("twoStep.title")}</h2>
      {state.codes && !saved ? (
        <ShownCodes codes={state.codes} onDone={() => void codesDone()} />
      ) : (
        <>
          <p className="muted">{on ? t("twoStep.on", { time: dateTime(status.enrolledAt ?? 0) }) : t("twoStep.off")}</p>
          {status.required ? <p>{t("twoStep.required")}</p> : null}
          {state.done === "removed" ? <Notice kind="success">{t("twoStep.removed")}</Notice> : null}
          {formError ? <Notice kind="error">{formError}</Notice> : null}
          {on ? (
            <>
              <p className={status.recoveryCodesLeft <= FEW_RECOVERY_CODES ? "warn" : undefined}>
                {t("twoStep.codesLeft", { n: status.recoveryCodesLeft })}
                {status.recoveryCodesLeft <= FEW_RECOVERY_CODES ? ` ${t("twoStep.codesLow")}` : null}
              </p>
              <form action={action} noValidate>
                <Field
                  label={t("twoStep.password")}
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  required
                  error={fieldError(error, "password")}
                />
                <div className="actions">
                  <SubmitButton name="intent" value="renew" idle={t("twoStep.newCodes")} pending={t("common.saving")} />
                  {status.required ? null : (
                    <button type="submit" name="intent" value="remove">
                      {t("twoStep.remove")}
                    </button>
                  )}
                </div>
              </form>
            </>
          ) : enrolment ? (
            <>
              <p>{t("twoStep.scan")}</p>
              <QrCode qr={enrolment.qr} label={t("twoStep.qrLabel")} />
              <p>
                {t("twoStep.key")}: <code data-testid="totp-key">{groupKey(enrolment.secret)}</code>
              </p>
              <form action={action} noValidate>
                <input type="hidden" name="intent" value="enrol" />
                <Field
                  label={t("twoStep.confirmCode")}
                  name="code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  required
                  maxLength={6}
                  error={codeFieldError}
                />
                <Field
                  label={t("twoStep.password")}
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  required
                  error={fieldError(error, "password")}
                />
                <SubmitButton idle={t("twoStep.finish")} pending={t("twoStep.finishing")} />
              </form>
            </>
          ) : (
            <button type="button" className="primary" onClick={() => void start()}>
              {t("twoStep.setUp")}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** The person's state after a sign-in with a recovery code: for a banner. */
export type SignedInExtras = { recoveryCodesLeft: number };
