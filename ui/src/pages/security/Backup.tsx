// "Save a backup": a copy of the vault where the admin points the save dialog, after a
// fresh password check, because every password hash leaves the app with it.
import { Notice, StepUpCancelled, call, useStepUp } from "tauri-plugin-latchkey-api";
import type { BackupReport } from "tauri-plugin-latchkey-api";
import { useState } from "react";
import { SavedFile } from "../../components/SavedFile";
import { useI18n } from "../../i18n/i18n";

export function BackupCard() {
  const { t, errorMessage } = useI18n();
  const stepUp = useStepUp();
  const [saved, setSaved] = useState<BackupReport | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(undefined);
    setSaved(null);
    try {
      // Null when the save dialog was cancelled: nothing was written, nothing to say.
      const report = await stepUp.run(() => call("backup_vault"));
      if (report) setSaved(report);
    } catch (failure) {
      if (!(failure instanceof StepUpCancelled)) setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card narrow" aria-labelledby="backup-title">
      <h2 id="backup-title">{t("backup.title")}</h2>
      <p className="muted">{t("backup.intro")}</p>
      <div aria-live="polite">
        {saved ? (
          <SavedFile path={saved.path}>
            {t("backup.saved", { path: saved.path, accounts: saved.accounts })}
          </SavedFile>
        ) : null}
      </div>
      {error !== undefined ? <Notice kind="error">{errorMessage(error)}</Notice> : null}
      <button type="button" disabled={busy} onClick={() => void save()}>
        {busy ? t("backup.saving") : t("backup.save")}
      </button>
      {stepUp.dialog}
    </section>
  );
}
