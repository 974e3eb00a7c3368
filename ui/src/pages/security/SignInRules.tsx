// The session and sign-in rules, for everyone at this computer: how long sessions last,
// how long a password check counts, how failed sign-ins are slowed and locked, and the
// shortest new password. Each has bounds the vault enforces; changing them asks for a
// fresh password check, and each change is audited.
import { ApiError, Field, Notice, StepUpCancelled, SubmitButton, call, useStepUp } from "tauri-plugin-latchkey-api";
import type { SignInRules } from "tauri-plugin-latchkey-api";
import { useActionState, useEffect, useState } from "react";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";

interface SaveState {
  error?: unknown;
  saved?: boolean;
}

/** Each rule: its field, its bounds (the vault's own) and its words. */
const RULES: { name: keyof SignInRules; min: number; max: number; label: MessageKey; hint: MessageKey }[] = [
  { name: "idleMinutes", min: 1, max: 60, label: "signInRules.idle", hint: "signInRules.idleHint" },
  { name: "absoluteHours", min: 1, max: 24, label: "signInRules.absolute", hint: "signInRules.absoluteHint" },
  { name: "stepUpMinutes", min: 1, max: 10, label: "signInRules.stepUp", hint: "signInRules.stepUpHint" },
  { name: "lockAfterFailures", min: 5, max: 100, label: "signInRules.lockAfter", hint: "signInRules.lockAfterHint" },
  { name: "longestWaitSeconds", min: 10, max: 60, label: "signInRules.longestWait", hint: "signInRules.longestWaitHint" },
  { name: "passwordMinChars", min: 15, max: 64, label: "signInRules.passwordMin", hint: "signInRules.passwordMinHint" },
];

export function SignInRulesCard() {
  const { t, errorMessage, fieldError } = useI18n();
  const [rules, setRules] = useState<SignInRules | null>(null);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const stepUp = useStepUp();
  useEffect(() => {
    call("sign_in_rules").then(setRules, setLoadError);
  }, []);

  const [state, action] = useActionState<SaveState, FormData>(async (_previous, form) => {
    try {
      const update = Object.fromEntries(
        RULES.map(({ name }) => [name, Number(form.get(name) ?? "")]),
      ) as unknown as SignInRules;
      setRules(await stepUp.run(() => call("update_sign_in_rules", update)));
      return { saved: true };
    } catch (error) {
      return error instanceof StepUpCancelled ? {} : { error };
    }
  }, {});

  const error = state.error ?? loadError;
  const formError =
    error === undefined || (error instanceof ApiError && error.code === "Validation") ? undefined : errorMessage(error);
  return (
    <section className="card narrow" aria-labelledby="sign-in-rules-title">
      <h2 id="sign-in-rules-title">{t("signInRules.title")}</h2>
      <p className="muted">{t("signInRules.intro")}</p>
      {state.saved ? <Notice kind="success">{t("signInRules.saved")}</Notice> : null}
      {formError ? <Notice kind="error">{formError}</Notice> : null}
      {rules ? (
        <form action={action} noValidate>
          {RULES.map(({ name, min, max, label, hint }) => (
            <Field
              key={`${name}-${rules[name]}`}
              label={t(label)}
              name={name}
              type="number"
              inputMode="numeric"
              min={min}
              max={max}
              step={1}
              required
              defaultValue={rules[name]}
              hint={t(hint)}
              error={fieldError(error, name)}
            />
          ))}
          <SubmitButton idle={t("common.save")} pending={t("common.saving")} />
        </form>
      ) : null}
      {stepUp.dialog}
    </section>
  );
}
