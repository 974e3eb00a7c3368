// Accounts to and from CSV files. The export writes the account list where the admin
// chooses. The import reads a file the admin picks, has the vault check every row first
// (nothing is written while any row has a problem), then makes all the accounts at
// once with a progress bar, and shows each temporary password once, with a way to save
// them to a private file for handing over. The run and its result live in importRun.ts,
// so that leaving the page does not lose them.
import {
  ApiError,
  IMPORT_MAX_BYTES,
  Notice,
  RoleLabel,
  StepUpCancelled,
  call,
  importAccounts,
  useCurrentUser,
  useStepUp,
} from "tauri-plugin-latchkey-api";
import type { ExportResult, ImportCheck, ImportProblem } from "tauri-plugin-latchkey-api";
import { useState } from "react";
import type { ChangeEvent } from "react";
import { DataTable } from "../../components/DataTable";
import { SavedFile } from "../../components/SavedFile";
import { navigate } from "../../app/router";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";
import { forgetImport, runImport, useImportRun } from "./importRun";

/** The file's text, read as UTF-8 (FileReader: every engine the app and its tests run in). */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
    reader.onerror = () => reject(reader.error ?? new Error("the file could not be read"));
    reader.readAsText(file, "utf-8");
  });
}

/** A chosen file and what the vault said of it. */
interface Chosen {
  name: string;
  csv: string;
  check: ImportCheck;
}

export function AccountsFile() {
  const { t, number, errorMessage } = useI18n();
  const stepUp = useStepUp();
  const [error, setError] = useState<unknown>(undefined);
  const [exported, setExported] = useState<ExportResult | null>(null);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [checking, setChecking] = useState(false);
  const me = useCurrentUser();
  const run = useImportRun(me.id);
  const progress = run?.progress ?? null;
  const made = run?.made ?? null;
  const [savedList, setSavedList] = useState<ExportResult | null>(null);

  const problemText = (problem: ImportProblem["problem"]): string => {
    switch (problem.kind) {
      case "invalid":
        return t(`invalid.${problem.reason.kind}` as MessageKey, { limit: "limit" in problem.reason ? problem.reason.limit : "" });
      case "repeated":
        return t("accountsFile.problem.repeated", { line: problem.line });
      default:
        return t(`accountsFile.problem.${problem.kind}` as MessageKey);
    }
  };

  const exportList = async () => {
    setError(undefined);
    try {
      const result = await stepUp.run(() => call("export_accounts"));
      if (result) setExported(result);
    } catch (failure) {
      if (!(failure instanceof StepUpCancelled)) setError(failure);
    }
  };

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setError(undefined);
    setChosen(null);
    forgetImport(me.id);
    setSavedList(null);
    if (!file) return;
    if (file.size > IMPORT_MAX_BYTES) {
      setError(new ApiError({ code: "Validation", message: "", field: "csv", reason: { kind: "tooLong", limit: IMPORT_MAX_BYTES } }));
      return;
    }
    setChecking(true);
    try {
      const csv = await readText(file);
      setChosen({ name: file.name, csv, check: await call("check_account_import", { csv }) });
    } catch (failure) {
      setError(failure);
    } finally {
      setChecking(false);
    }
  };

  const startImport = async () => {
    if (!chosen) return;
    setError(undefined);
    // The button goes at once (the run shows its progress): a second click cannot start
    // a second import. The result is kept for this admin if they leave the page.
    try {
      await runImport(me.id, chosen.check.rows, (onProgress) =>
        stepUp.run(() => importAccounts(chosen.csv, onProgress)),
      );
      setChosen(null);
    } catch (failure) {
      if (!(failure instanceof StepUpCancelled)) setError(failure);
    }
  };

  const saveList = async () => {
    if (!made) return;
    setError(undefined);
    try {
      const accounts = made.map(({ email, temporaryPassword }) => ({ email, temporaryPassword }));
      const result = await call("save_temporary_passwords", { accounts });
      if (result) setSavedList(result);
    } catch (failure) {
      setError(failure);
    }
  };

  const check = chosen?.check;
  const fileError =
    error instanceof ApiError && error.code === "Validation" && error.field === "csv" && error.reason
      ? error.reason.kind === "tooLong"
        ? t("accountsFile.tooBig", { limit: number(IMPORT_MAX_BYTES / (1024 * 1024)) })
        : error.reason.kind === "tooLarge"
          ? t("accountsFile.tooMany", { limit: number(error.reason.limit) })
          : error.reason.kind === "empty"
            ? t("accountsFile.empty")
            : t("accountsFile.fixFirst")
      : null;
  return (
    <main id="content" className="page">
      <div className="page-head">
        <div>
          <h1>{t("accountsFile.title")}</h1>
          <p className="muted">{t("accountsFile.intro")}</p>
        </div>
        <button type="button" className="secondary" onClick={() => navigate("/admin")}>
          {t("accountsFile.back")}
        </button>
      </div>
      {error !== undefined ? <Notice kind="error">{fileError ?? errorMessage(error)}</Notice> : null}

      <section className="card narrow" aria-labelledby="export-title">
        <h2 id="export-title">{t("accountsFile.exportTitle")}</h2>
        <p className="muted">{t("accountsFile.exportIntro")}</p>
        <button type="button" onClick={() => void exportList()}>
          {t("accountsFile.export")}
        </button>
        {exported ? (
          <SavedFile path={exported.path}>{t("audit.exported", { bytes: number(exported.bytes), path: exported.path })}</SavedFile>
        ) : null}
      </section>

      <section className="card" aria-labelledby="import-title">
        <h2 id="import-title">{t("accountsFile.importTitle")}</h2>
        <p className="muted">{t("accountsFile.importIntro")}</p>
        <div className="field">
          <label htmlFor="accounts-csv">{t("accountsFile.choose")}</label>
          <input
            id="accounts-csv"
            type="file"
            accept=".csv,text/csv"
            aria-describedby="accounts-csv-hint"
            disabled={checking || progress !== null}
            onChange={(event) => void choose(event)}
          />
          <p id="accounts-csv-hint" className="hint muted">
            {t("accountsFile.columns")}
          </p>
        </div>
        {checking ? <p className="muted">{t("accountsFile.checking")}</p> : null}

        {chosen && check && check.problemCount === 0 ? (
          <>
            <Notice kind="info">
              {t("accountsFile.ready", { file: chosen.name, rows: check.rows, admins: check.admins })}
            </Notice>
            {progress === null ? (
              <button type="button" className="primary" onClick={() => void startImport()}>
                {t("accountsFile.import", { rows: check.rows })}
              </button>
            ) : null}
          </>
        ) : null}

        {chosen && check && check.problemCount > 0 ? (
          <>
            <Notice kind="error">{t("accountsFile.problems", { file: chosen.name, count: check.problemCount })}</Notice>
            <DataTable
              rows={check.problems}
              columns={[t("accountsFile.line"), t("accountsFile.column"), t("accountsFile.problem")]}
              caption={t("accountsFile.problemsCaption")}
              empty=""
            >
              {(problem) => (
                <tr key={`${problem.line}-${problem.column}-${problem.problem.kind}`}>
                  <th scope="row">{number(problem.line)}</th>
                  <td>{problem.column || "—"}</td>
                  <td>{problemText(problem.problem)}</td>
                </tr>
              )}
            </DataTable>
            {check.problemCount > check.problems.length ? (
              <p className="muted">{t("accountsFile.more", { count: check.problemCount - check.problems.length })}</p>
            ) : null}
          </>
        ) : null}

        {progress !== null ? (
          <div className="field">
            <label htmlFor="import-progress">{t("accountsFile.progress", { done: number(progress.done), total: number(progress.total) })}</label>
            <progress id="import-progress" max={progress.total} value={progress.done} />
          </div>
        ) : null}

        {made ? (
          <>
            <Notice kind="success">{t("accountsFile.made", { count: made.length })}</Notice>
            <div className="actions">
              <button type="button" onClick={() => void saveList()}>
                {t("accountsFile.saveList")}
              </button>
              <button type="button" className="secondary" onClick={() => forgetImport(me.id)}>
                {t("accountsFile.dismiss")}
              </button>
            </div>
            {savedList ? (
              <SavedFile path={savedList.path}>
                {t("audit.exported", { bytes: number(savedList.bytes), path: savedList.path })}
              </SavedFile>
            ) : null}
            <DataTable
              rows={made}
              columns={[t("admin.email"), t("admin.name"), t("admin.role"), t("accountsFile.temporary")]}
              caption={t("accountsFile.madeCaption")}
              empty=""
            >
              {(account) => (
                <tr key={account.email}>
                  <th scope="row">{account.email}</th>
                  <td>{account.displayName}</td>
                  <td>
                    <RoleLabel role={account.role} />
                  </td>
                  <td>
                    <code>{account.temporaryPassword}</code>
                  </td>
                </tr>
              )}
            </DataTable>
          </>
        ) : null}
      </section>
      {stepUp.dialog}
    </main>
  );
}
