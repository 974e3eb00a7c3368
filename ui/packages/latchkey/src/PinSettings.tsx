// The signed-in person's quick-unlock PIN: set or change it (with their password), or
// remove it. The vault refuses trivial PINs; one that looks like a year or a date is
// allowed, with a warning, because birthdays are the first thing an onlooker tries.
import { useActionState, useEffect, useState } from "react";
import { ApiError, call } from "./api";
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS, PIN_TRIES } from "./bindings";
import type { PinStatus } from "./bindings";
import { Field, Notice, SubmitButton } from "./components";
import { useI18n } from "./i18n/i18n";

/** Whether `pin` contains something like a year (19xx, 20xx). */
export function looksLikeDate(pin: string): boolean {
  return /(19|20)\d\d/.test(pin);
}

interface SaveState {
  error?: unknown;
  done?: "set" | "cleared";
}

export function PinSettings() {
  const { t, dateTime, errorMessage, fieldError } = useI18n();
  const [status, setStatus] = useState<PinStatus | null>(null);
  const [typed, setTyped] = useState("");
  useEffect(() => {
    call("pin_status").then(setStatus, () => setStatus(null));
  }, []);

  const [state, action] = useActionState<SaveState, FormData>(async (_previous, form) => {
    const pin = String(form.get("pin") ?? "");
    if (pin !== String(form.get("confirmPin") ?? "")) {
      return { error: new ApiError({ code: "Validation", message: "", field: "confirmPin", reason: { kind: "malformed" } }) };
    }
    try {
      setStatus(await call("set_pin", { pin, password: String(form.get("password") ?? "") }));
      setTyped("");
      return { done: "set" };
    } catch (error) {
      return { error };
    }
  }, {});
  const [clearing, setClearing] = useState<unknown>(undefined);
  const clear = async () => {
    try {
      await call("clear_pin");
      setStatus((current) => (current ? { ...current, setAt: null } : current));
      setClearing(undefined);
    } catch (error) {
      setClearing(error);
    }
  };

  const error = state.error ?? clearing;
  const formError =
    error === undefined
      ? undefined
      : error instanceof ApiError && error.code === "InvalidCredentials"
        ? t("pin.wrongPassword")
        : error instanceof ApiError && error.code === "Validation"
          ? undefined
          : errorMessage(error);
  const pinError =
    error instanceof ApiError && error.field === "pin" && error.reason?.kind === "tooWeak"
      ? t("pin.trivial")
      : fieldError(error, "pin");
  if (status === null) return null;
  return (
    <section className="card narrow" aria-labelledby="pin-title">
      <h2 id="pin-title">{t("pin.title")}</h2>
      <p className="muted">
        {t("pin.intro", { hours: status.windowHours, tries: PIN_TRIES })}
      </p>
      {state.done === "set" ? <Notice kind="success">{t("pin.saved")}</Notice> : null}
      {formError ? <Notice kind="error">{formError}</Notice> : null}
      {status.setAt !== null ? (
        <p>
          {t("pin.isSet", { time: dateTime(status.setAt) })}{" "}
          <button type="button" onClick={() => void clear()}>
            {t("pin.remove")}
          </button>
        </p>
      ) : null}
      <form action={action} noValidate>
        <Field
          label={status.setAt === null ? t("pin.new") : t("pin.change")}
          name="pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          required
          maxLength={PIN_MAX_DIGITS}
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          hint={
            looksLikeDate(typed) ? (
              <span className="warn">{t("pin.dateWarning")}</span>
            ) : (
              t("pin.rules", { min: PIN_MIN_DIGITS, max: PIN_MAX_DIGITS })
            )
          }
          error={pinError}
        />
        <Field
          label={t("pin.confirm")}
          name="confirmPin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          required
          maxLength={PIN_MAX_DIGITS}
          error={error instanceof ApiError && error.field === "confirmPin" ? t("pin.mismatch") : undefined}
        />
        <Field
          label={t("pin.password")}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={fieldError(error, "password")}
        />
        <SubmitButton idle={t("pin.save")} pending={t("common.saving")} />
      </form>
    </section>
  );
}
