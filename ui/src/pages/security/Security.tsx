// The admin's security page: how passwords are hashed, what needs attention, the shared
// desk's auto-lock time, the session and sign-in rules, and the emails locked after too
// many failed sign-ins, with a way to unlock them.
import { Notice, StepUpCancelled, call, useStepUp } from "tauri-plugin-latchkey-api";
import type { LockedEmail, SecurityHealth } from "tauri-plugin-latchkey-api";
import { DataTable } from "../../components/DataTable";
import { DeskSettingsCard } from "./DeskSettings";
import { SignInRulesCard } from "./SignInRules";
import { SecondFactorPolicyCard } from "./SecondFactorPolicy";
import { BackupCard } from "./Backup";
import { IdentityProvidersCard } from "./IdentityProviders";
import { useCallback, useEffect, useState } from "react";
import { useI18n } from "../../i18n/i18n";

export function Security() {
  const { t, number, dateTime, errorMessage } = useI18n();
  const [health, setHealth] = useState<SecurityHealth | null>(null);
  const [locked, setLocked] = useState<LockedEmail[] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [message, setMessage] = useState<string | null>(null);
  const stepUp = useStepUp();

  const load = useCallback(async () => {
    try {
      const [nextHealth, nextLocked] = await Promise.all([call("security_health"), call("locked_emails")]);
      setHealth(nextHealth);
      setLocked(nextLocked);
    } catch (failure) {
      setError(failure);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const unlock = async (email: string) => {
    try {
      await stepUp.run(() => call("unlock_email", { email }));
      setMessage(t("security.unlocked", { email }));
      await load();
    } catch (failure) {
      if (!(failure instanceof StepUpCancelled)) setError(failure);
    }
  };

  const facts: [string, string, string?][] = health
    ? [
        [
          t("security.params"),
          t("security.paramsValue", {
            memory: number(health.memoryKib / 1024),
            iterations: health.iterations,
            lanes: health.lanes,
          }),
        ],
        [t("security.outdated"), number(health.outdatedHashes), t("security.outdatedHint")],
        [t("security.locked"), number(health.lockedEmails)],
        [t("security.neverSignedIn"), number(health.neverSignedIn)],
        [t("security.admins"), `${number(health.activeAdmins)} / ${number(health.admins)}`],
        [t("security.accounts"), number(health.accounts)],
        [
          t("security.blocklist"),
          t("security.blocklistValue", {
            applicable: number(health.breachedListApplicable),
            listed: number(health.breachedListSize),
          }),
          t("security.blocklistHint", { withSecondFactor: number(health.breachedListApplicableWithSecondFactor) }),
        ],
      ]
    : [];

  return (
    <main id="content" className="page">
      <h1>{t("security.title")}</h1>
      <p className="muted">{t("security.intro")}</p>
      {error !== undefined ? <Notice kind="error">{errorMessage(error)}</Notice> : null}
      <div aria-live="polite">{message ? <Notice kind="success">{message}</Notice> : null}</div>
      <div className="stats">
        {facts.map(([label, value, hint]) => (
          <div className="stat" key={label}>
            <span className="stat-label">{label}</span>
            <span className="stat-value">{value}</span>
            {hint ? <span className="hint">{hint}</span> : null}
          </div>
        ))}
      </div>
      <DeskSettingsCard />
      <SignInRulesCard />
      <SecondFactorPolicyCard withoutSecondFactor={health ? health.withoutSecondFactor : null} />
      <BackupCard />
      <IdentityProvidersCard />
      <h2>{t("security.lockedTitle")}</h2>
      <DataTable
        rows={locked}
        columns={[t("security.lockedEmail"), t("security.failures"), t("security.lockedSince"), t("security.lockedUntil"), t("admin.actions")]}
        empty={t("security.lockedNone")}
      >
        {(entry) => (
          <tr key={entry.email}>
            <th scope="row">
              {entry.email}
              {entry.account === null ? <span className="muted"> ({t("security.unknownAccount")})</span> : null}
            </th>
            <td>{number(entry.failures)}</td>
            <td>{dateTime(entry.lockedAt)}</td>
            <td>{dateTime(entry.unlocksAt)}</td>
            <td>
              <button type="button" onClick={() => void unlock(entry.email)}>
                {t("security.unlock")}
              </button>
            </td>
          </tr>
        )}
      </DataTable>
      {stepUp.dialog}
    </main>
  );
}
