// One account's sessions at this computer, as an admin sees them: when each began and
// was last used, whether it is locked, and signing one out or all of them. Both ask for
// a fresh password check (the step-up dialog) and are audited.
import { Modal, Notice, StepUpCancelled, call, useStepUp } from "tauri-plugin-latchkey-api";
import type { AccountSession, UserDto } from "tauri-plugin-latchkey-api";
import { useCallback, useEffect, useState } from "react";
import { useI18n } from "../../i18n/i18n";

export function SessionsDialog({ account, onClose }: { account: UserDto; onClose(): void }) {
  const { t, dateTime, errorMessage } = useI18n();
  const [sessions, setSessions] = useState<AccountSession[] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [message, setMessage] = useState<string | null>(null);
  const stepUp = useStepUp();
  const load = useCallback(
    () => call("account_sessions", { id: account.id }).then(setSessions, setError),
    [account.id],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const run = async (action: () => Promise<unknown>, done: string) => {
    setMessage(null);
    try {
      await stepUp.run(action);
      setError(undefined);
      setMessage(done);
      await load();
    } catch (failure) {
      if (!(failure instanceof StepUpCancelled)) setError(failure);
    }
  };

  return (
    <Modal title={t("sessions.title", { email: account.email })} onClose={onClose}>
      <div aria-live="polite" className="live">
        {message ? <Notice kind="success">{message}</Notice> : null}
      </div>
      {error !== undefined ? <Notice kind="error">{errorMessage(error)}</Notice> : null}
      {sessions === null ? (
        <p className="muted">{t("admin.loading")}</p>
      ) : sessions.length === 0 ? (
        <p>{t("sessions.none")}</p>
      ) : (
        <ul className="session-list">
          {sessions.map((session) => (
            <li key={session.id}>
              <div>
                <strong>{session.lockedAt === null ? t("sessions.active") : t("sessions.locked")}</strong>
                <span className="muted">
                  {" "}
                  {t("sessions.times", { created: dateTime(session.createdAt), seen: dateTime(session.lastSeenAt) })}
                </span>
              </div>
              <button
                type="button"
                onClick={() =>
                  void run(() => call("end_session", { sessionId: session.id }), t("sessions.ended"))
                }
              >
                {t("sessions.signOut")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" onClick={onClose}>
          {t("common.close")}
        </button>
        {sessions !== null && sessions.length > 0 ? (
          <button
            type="button"
            className="danger"
            onClick={() =>
              void run(
                () => call("end_all_sessions", { id: account.id }),
                t("sessions.endedAll", { email: account.email }),
              )
            }
          >
            {t("sessions.signOutEverywhere")}
          </button>
        ) : null}
      </div>
      {stepUp.dialog}
    </Modal>
  );
}
