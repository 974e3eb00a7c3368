// The dashboard renders one of three views by role, like the guide's role-gated server
// components. The data behind each comes from commands that check the role again.
import { StepUpCancelled, call, maySee, useCurrentUser, useStepUp } from "tauri-plugin-latchkey-api";
import type { AuditEntry, BreakGlassNotice } from "tauri-plugin-latchkey-api";
import { useEffect, useState } from "react";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";
import type { Path } from "../../app/router";
import { navigate } from "../../app/router";

/** What happened to one's own account since the previous sign-in. */
function SinceLastSignIn() {
  const { t, dateTime } = useI18n();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  useEffect(() => {
    call("since_last_sign_in").then(setEntries, () => setEntries(null));
  }, []);
  if (entries === null) return null;
  return (
    <section className="card notices" aria-labelledby="notices-title">
      <h2 id="notices-title">{t("notices.title")}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t("notices.none")}</p>
      ) : (
        <ul>
          {entries.map((entry) => (
            <li key={entry.id} className={entry.outcome === "failure" ? "notice-line bad" : "notice-line"}>
              <span>{t(`event.${entry.event}`)}</span>
              {entry.event === "session_locked" && isLockCause(entry.detail) ? (
                <span className="muted"> ({t(`lockCause.${entry.detail}`)})</span>
              ) : null}
              {entry.outcome === "failure" ? <span className="badge badge-bad">{t("audit.failure")}</span> : null}
              {entry.actorEmail && entry.actorId !== entry.targetId ? (
                <span className="muted"> — {entry.actorEmail}</span>
              ) : null}
              <span className="muted when">{dateTime(entry.at)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The notice every admin sees after break-glass recovery, until one acknowledges it. */
/** The reasons the vault records for a lock (`LockReason`, as stored). */
const LOCK_CAUSES = ["manual", "idle", "sleep", "os_lock", "switch"] as const;
function isLockCause(detail: string | null): detail is (typeof LOCK_CAUSES)[number] {
  return (LOCK_CAUSES as readonly (string | null)[]).includes(detail);
}

export function BreakGlassBanner() {
  const { t, dateTime, errorMessage } = useI18n();
  const [notice, setNotice] = useState<BreakGlassNotice | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  // Clearing the notice takes a warning away from every admin: the vault asks for a
  // recent password check.
  const stepUp = useStepUp();
  useEffect(() => {
    call("break_glass_notice").then(setNotice, () => setNotice(null));
  }, []);
  if (!notice) return null;
  return (
    <>
      <div className="banner banner-alert" role="alert">
        <span>{t("breakGlass.banner", { email: notice.email, time: dateTime(notice.at) })}</span>
        <button
          type="button"
          onClick={() => {
            stepUp.run(() => call("acknowledge_break_glass")).then(
              () => setNotice(null),
              (failure: unknown) => {
                if (!(failure instanceof StepUpCancelled)) setError(failure);
              },
            );
          }}
        >
          {t("breakGlass.acknowledge")}
        </button>
        {error !== undefined ? <span>{errorMessage(error)}</span> : null}
      </div>
      {stepUp.dialog}
    </>
  );
}

export function AccessDenied() {
  const { t } = useI18n();
  return (
    <main id="content" className="page">
      <section className="card narrow" aria-labelledby="denied-title">
        <h1 id="denied-title">{t("denied.title")}</h1>
        <p>{t("denied.body")}</p>
        <button type="button" className="primary" onClick={() => navigate("/dashboard")}>
          {t("denied.back")}
        </button>
      </section>
    </main>
  );
}

interface Tile {
  path: Path;
  title: MessageKey;
  detail: string;
}

/** The dashboard's body: a heading, tiles to the places this role may go, and notices. */
function DashboardView({ title, intro, tiles }: { title: string; intro: string; tiles: Tile[] }) {
  const { t, dateTime } = useI18n();
  const user = useCurrentUser();
  return (
    <main id="content" className="page">
      <h1>{title}</h1>
      <p className="muted">{intro}</p>
      <div className="tiles">
        {tiles.map((tile) => (
          <button key={tile.path} type="button" className="tile" onClick={() => navigate(tile.path)}>
            <span className="tile-title">{t(tile.title)}</span>
            <span className="muted">{tile.detail}</span>
          </button>
        ))}
      </div>
      <SinceLastSignIn />
      <p className="muted small">{t("dashboard.session", { time: dateTime(user.sessionExpiresAt) })}</p>
    </main>
  );
}

export function Dashboard() {
  const { t } = useI18n();
  const user = useCurrentUser();
  const everyone: Tile[] = [
    { path: "/directory", title: "dashboard.openDirectory", detail: t("directory.intro") },
    { path: "/profile", title: "dashboard.editProfile", detail: user.email },
  ];
  if (maySee(user, "admin")) {
      return (
        <DashboardView
          title={t("dashboard.adminTitle")}
          intro={t("dashboard.adminIntro")}
          tiles={[
            { path: "/admin", title: "dashboard.manageAccounts", detail: t("admin.intro") },
            { path: "/audit", title: "nav.audit", detail: t("audit.intro") },
            { path: "/security", title: "nav.security", detail: t("security.intro") },
            ...everyone,
          ]}
        />
      );
  }
  return (
    <DashboardView
      title={t("dashboard.userTitle", { name: user.displayName })}
      intro={t("dashboard.userIntro")}
      tiles={everyone}
    />
  );
}
