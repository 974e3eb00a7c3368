// The shared desk's settings, for everyone at this computer: the auto-lock time, the
// PIN's window, and whether the lock screen lists the people signed in. Changing them asks for a fresh password check and is audited.
import { ApiError, Field, Notice, StepUpCancelled, SubmitButton, call, useStepUp } from "tauri-plugin-latchkey-api";
import type { DeskSettings } from "tauri-plugin-latchkey-api";
import { useActionState, useEffect, useState } from "react";
import { useI18n } from "../../i18n/i18n";

interface SaveState {
  error?: unknown;
  saved?: boolean;
}

export function DeskSettingsCard() {
  const { t, errorMessage, fieldError } = useI18n();
  const [settings, setSettings] = useState<DeskSettings | null>(null);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const stepUp = useStepUp();
  useEffect(() => {
    call("desk_settings").then(setSettings, setLoadError);
  }, []);

  const [state, action] = useActionState<SaveState, FormData>(async (_previous, form) => {
    try {
      const update = {
        autoLockMinutes: Number(form.get("autoLockMinutes") ?? ""),
        pinWindowHours: Number(form.get("pinWindowHours") ?? ""),
        showPeople: form.get("showPeople") === "on",
      };
      setSettings(await stepUp.run(() => call("update_desk_settings", update)));
      return { saved: true };
    } catch (error) {
      return error instanceof StepUpCancelled ? {} : { error };
    }
  }, {});

  const error = state.error ?? loadError;
  const formError =
    error === undefined || (error instanceof ApiError && error.code === "Validation") ? undefined : errorMessage(error);
  const shortened = settings !== null && settings.autoLockSeconds < settings.autoLockMinutes * 60;
  return (
    <section className="card narrow" aria-labelledby="auto-lock-title">
      <h2 id="auto-lock-title">{t("autoLock.title")}</h2>
      <p className="muted">{t("autoLock.intro")}</p>
      {state.saved && settings ? (
        <Notice kind="success">
          {t("autoLock.saved", { n: settings.autoLockMinutes, hours: settings.pinWindowHours })}
        </Notice>
      ) : null}
      {formError ? <Notice kind="error">{formError}</Notice> : null}
      {settings ? (
        <form action={action} noValidate>
          <Field
            key={`lock-${settings.autoLockMinutes}`}
            label={t("autoLock.minutes")}
            name="autoLockMinutes"
            type="number"
            inputMode="numeric"
            min={1}
            max={60}
            step={1}
            required
            defaultValue={settings.autoLockMinutes}
            hint={shortened ? t("autoLock.shortened", { n: settings.autoLockSeconds }) : t("autoLock.range")}
            error={fieldError(error, "autoLockMinutes")}
          />
          <Field
            key={`pin-${settings.pinWindowHours}`}
            label={t("autoLock.pinHours")}
            name="pinWindowHours"
            type="number"
            inputMode="numeric"
            min={1}
            max={12}
            step={1}
            required
            defaultValue={settings.pinWindowHours}
            hint={t("autoLock.pinRange")}
            error={fieldError(error, "pinWindowHours")}
          />
          <div className="field checkbox-field">
            <label>
              <input
                key={`people-${settings.showPeople}`}
                type="checkbox"
                name="showPeople"
                defaultChecked={settings.showPeople}
                aria-describedby="show-people-hint"
              />{" "}
              {t("autoLock.showPeople")}
            </label>
            <p id="show-people-hint" className="hint muted">
              {t("autoLock.showPeopleHint")}
            </p>
          </div>
          <SubmitButton idle={t("common.save")} pending={t("common.saving")} />
        </form>
      ) : null}
      {stepUp.dialog}
    </section>
  );
}
