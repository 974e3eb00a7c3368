// Who must have two-step sign-in at this computer: nobody, administrators or everyone.
// Changing it asks for a fresh password check and is audited; people it newly covers
// set it up at their next step in the app.
import { ApiError, Notice, StepUpCancelled, SubmitButton, call, useStepUp } from "tauri-plugin-latchkey-api";
import type { SecondFactorPolicy } from "tauri-plugin-latchkey-api";
import { useActionState, useEffect, useState } from "react";
import { useI18n } from "../../i18n/i18n";

const POLICIES: SecondFactorPolicy[] = ["nobody", "admins", "everyone"];

export function SecondFactorPolicyCard({ withoutSecondFactor }: { withoutSecondFactor: number | null }) {
  const { t, errorMessage } = useI18n();
  const [policy, setPolicy] = useState<SecondFactorPolicy | null>(null);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const stepUp = useStepUp();
  useEffect(() => {
    call("second_factor_policy").then(setPolicy, setLoadError);
  }, []);
  const [state, action] = useActionState<{ error?: unknown; saved?: boolean }, FormData>(async (_previous, form) => {
    const chosen = String(form.get("policy") ?? "nobody") as SecondFactorPolicy;
    try {
      setPolicy(await stepUp.run(() => call("set_second_factor_policy", { policy: chosen })));
      return { saved: true };
    } catch (error) {
      return error instanceof StepUpCancelled ? {} : { error };
    }
  }, {});
  const error = state.error ?? loadError;
  return (
    <section className="card narrow" aria-labelledby="second-factor-policy-title">
      <h2 id="second-factor-policy-title">{t("twoStepPolicy.title")}</h2>
      <p className="muted">{t("twoStepPolicy.intro")}</p>
      {withoutSecondFactor !== null ? (
        <p>{t("twoStepPolicy.without", { n: withoutSecondFactor })}</p>
      ) : null}
      {state.saved ? <Notice kind="success">{t("twoStepPolicy.saved")}</Notice> : null}
      {error !== undefined && !(error instanceof ApiError && error.code === "Validation") ? (
        <Notice kind="error">{errorMessage(error)}</Notice>
      ) : null}
      {policy ? (
        <form action={action} noValidate>
          <fieldset key={policy}>
            <legend>{t("twoStepPolicy.legend")}</legend>
            {POLICIES.map((option) => (
              <label key={option} className="choice">
                <input type="radio" name="policy" value={option} defaultChecked={option === policy} />{" "}
                {t(`twoStepPolicy.${option}`)}
              </label>
            ))}
          </fieldset>
          <SubmitButton idle={t("common.save")} pending={t("common.saving")} />
        </form>
      ) : null}
      {stepUp.dialog}
    </section>
  );
}
