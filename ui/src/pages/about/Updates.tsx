// The About page's updates card. Nothing is fetched until an admin asks: a shared desk
// must not change under the person using it. Installing needs a recent password check;
// the app verifies the package against its release key before anything is installed
// (src-tauri/src/updates.rs), and restarts into the new version once the admin says so.
import { Notice, StepUpCancelled, callHost, useCurrentUser, useStepUp } from "tauri-plugin-latchkey-api";
import { useEffect, useState } from "react";
import { useI18n } from "../../i18n/i18n";

/** Whether this build updates itself (the app's `update_status`). */
export interface UpdateStatus {
  enabled: boolean;
  currentVersion: string;
  server: string | null;
}

/** A newer version the server offers (the app's `check_for_update`). */
export interface UpdateOffer {
  currentVersion: string;
  version: string;
  published: string | null;
  notes: string | null;
}

type Stage =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "newest" }
  | { kind: "offered"; offer: UpdateOffer }
  | { kind: "installing"; offer: UpdateOffer }
  | { kind: "installed"; version: string };

export function Updates() {
  const { t, dateTime, errorMessage } = useI18n();
  const me = useCurrentUser();
  const stepUp = useStepUp();
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: "idle" });
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    let current = true;
    callHost<UpdateStatus>("update_status").then(
      (answer) => current && setStatus(answer),
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, []);

  const check = async () => {
    setError(undefined);
    setStage({ kind: "checking" });
    try {
      const offer = await callHost<UpdateOffer | null>("check_for_update");
      setStage(offer ? { kind: "offered", offer } : { kind: "newest" });
    } catch (failure) {
      setStage({ kind: "idle" });
      setError(failure);
    }
  };

  const install = async (offer: UpdateOffer) => {
    setError(undefined);
    setStage({ kind: "installing", offer });
    try {
      const version = await stepUp.run(() => callHost<string>("install_update"));
      setStage({ kind: "installed", version });
    } catch (failure) {
      setStage({ kind: "offered", offer });
      if (!(failure instanceof StepUpCancelled)) setError(failure);
    }
  };

  const restart = async () => {
    try {
      await callHost("restart_after_update");
    } catch (failure) {
      setError(failure);
    }
  };

  const busy = stage.kind === "checking" || stage.kind === "installing";
  const published = (offer: UpdateOffer) =>
    offer.published ? dateTime(Date.parse(offer.published) / 1000) : null;

  return (
    <section className="card narrow" aria-labelledby="about-updates">
      <h2 id="about-updates">{t("updates.title")}</h2>
      {status === null ? null : !status.enabled ? (
        <p>{t("updates.off")}</p>
      ) : me.role !== "admin" ? (
        <p>{t("updates.adminOnly")}</p>
      ) : (
        <>
          <p className="muted">{t("updates.intro", { server: status.server ?? "" })}</p>
          {stage.kind === "idle" || stage.kind === "checking" || stage.kind === "newest" ? (
            <button type="button" onClick={() => void check()} disabled={busy} aria-busy={stage.kind === "checking"}>
              {stage.kind === "checking" ? t("updates.checking") : t("updates.check")}
            </button>
          ) : null}
        </>
      )}
      <div aria-live="polite">
        {stage.kind === "newest" && status ? (
          <Notice kind="success">{t("updates.newest", { version: status.currentVersion })}</Notice>
        ) : null}
        {stage.kind === "offered" || stage.kind === "installing" ? (
          <div className="update-offer">
            <p>
              <strong>{t("updates.available", { version: stage.offer.version })}</strong>{" "}
              {published(stage.offer) ? t("updates.published", { date: published(stage.offer) ?? "" }) : null}
            </p>
            {stage.offer.notes ? <p className="update-notes">{stage.offer.notes}</p> : null}
            <p className="muted">{t("updates.installHint")}</p>
            <button
              type="button"
              onClick={() => void install(stage.offer)}
              disabled={busy}
              aria-busy={stage.kind === "installing"}
            >
              {stage.kind === "installing" ? t("updates.installing") : t("updates.install")}
            </button>
          </div>
        ) : null}
        {stage.kind === "installed" ? (
          <>
            <Notice kind="success">{t("updates.installed", { version: stage.version })}</Notice>
            <button type="button" onClick={() => void restart()}>
              {t("updates.restart")}
            </button>
          </>
        ) : null}
        {error !== undefined ? <Notice kind="error">{errorMessage(error)}</Notice> : null}
      </div>
      {stepUp.dialog}
    </section>
  );
}
