// Where a file the admin saved went, with "Show in folder": the file manager opens at
// the file. The backend shows only files this run saved, whatever path the page sends.
import { Notice, call } from "tauri-plugin-latchkey-api";
import { useState } from "react";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/i18n";

export function SavedFile({ path, children }: { path: string; children: ReactNode }) {
  const { t, errorMessage } = useI18n();
  const [error, setError] = useState<unknown>(undefined);
  const show = async () => {
    setError(undefined);
    try {
      await call("show_saved_file", { path });
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <Notice kind="success">
      <p>{children}</p>
      <button type="button" className="secondary" onClick={() => void show()}>
        {t("files.showInFolder")}
      </button>
      {error !== undefined ? <p role="alert">{errorMessage(error)}</p> : null}
    </Notice>
  );
}
