// The audit log for admins: a chart of sign-ins over the last 30 days, filters by
// account, event and time, keyset paging through any number of rows, chain
// verification, and export (which asks for a fresh password check).
import { Notice, StepUpCancelled, call, useStepUp } from "tauri-plugin-latchkey-api";
import type {
  AuditEntry,
  AuditEvent,
  AuditPage,
  ChainReport,
  DayCount,
  ExportFormat,
  ExportResult,
  UserId,
} from "tauri-plugin-latchkey-api";
import { DataTable } from "../../components/DataTable";
import { SavedFile } from "../../components/SavedFile";
import { useCallback, useEffect, useState } from "react";
import { useI18n } from "../../i18n/i18n";
import { useLatest } from "../../components/latest";
import { Pager, useKeyset } from "../../components/paging";

/** Every event, in the filter's order; the `Record` makes the type checker insist on each. */
const EVENT_ORDER: Record<AuditEvent, true> = {
  sign_in: true,
  offline_sign_in: true,
  sign_out: true,
  lockout: true,
  unlock: true,
  session_expired: true,
  session_locked: true,
  session_unlocked: true,
  session_switched: true,
  second_factor_enrolled: true,
  second_factor_removed: true,
  recovery_codes_regenerated: true,
  recovery_code_used: true,
  account_created: true,
  account_disabled: true,
  account_enabled: true,
  account_deleted: true,
  profile_updated: true,
  role_changed: true,
  password_changed: true,
  password_reset: true,
  first_admin_created: true,
  break_glass_used: true,
  break_glass_acknowledged: true,
  audit_exported: true,
  accounts_exported: true,
  sessions_revoked: true,
  audit_tail_missing: true,
  settings_changed: true,
  pin_set: true,
  pin_cleared: true,
  pin_lockout: true,
  backup_created: true,
  vault_restored: true,
  update_installed: true,
  identity_provider_changed: true,
  account_linked: true,
};
const EVENTS = Object.keys(EVENT_ORDER) as AuditEvent[];

/** `YYYY-MM-DD` from a date input, as Unix seconds at local midnight. */
function dayStart(value: string): number | null {
  if (!value) return null;
  const time = new Date(`${value}T00:00:00`).getTime();
  return Number.isNaN(time) ? null : Math.floor(time / 1000);
}

export function Audit() {
  const { t, dateTime, number, errorMessage } = useI18n();
  const [event, setEvent] = useState<AuditEvent | "">("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [account, setAccount] = useState<{ id: UserId; email: string } | null>(null);
  const keyset = useKeyset<number>();
  const [page, setPage] = useState<AuditPage | null>(null);
  const [stats, setStats] = useState<DayCount[] | null>(null);
  const [chain, setChain] = useState<ChainReport | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState<ExportResult | null>(null);
  const stepUp = useStepUp();
  const before = keyset.cursor;

  const toSeconds = dayStart(to);
  const latest = useLatest();
  const load = useCallback(
    () =>
      latest(
        call("audit_log", {
          event: event || null,
          account: account?.id ?? null,
          from: dayStart(from),
          to: toSeconds === null ? null : toSeconds + 86_400,
          before,
          limit: 50,
        }),
        (result) => {
          setPage(result);
          setError(undefined);
        },
        setError,
      ),
    [latest, event, account, from, toSeconds, before],
  );

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    call("sign_in_stats", { utcOffsetMinutes: utcOffsetMinutes() }).then(setStats, setError);
  }, []);

  const resetPaging = keyset.reset;

  const verify = async () => {
    setVerifying(true);
    try {
      setChain(await call("verify_audit_chain"));
    } catch (failure) {
      setError(failure);
    } finally {
      setVerifying(false);
    }
  };

  const exportAs = async (format: ExportFormat) => {
    try {
      const result = await stepUp.run(() => call("export_audit", { format }));
      // Null when the save dialog was cancelled: nothing was written.
      if (!result) return;
      setSaved(result);
      await load();
    } catch (failure) {
      if (!(failure instanceof StepUpCancelled)) setError(failure);
    }
  };

  const who = (id: UserId | null, email: string | null) =>
    email ? (
      <button
        type="button"
        className="link"
        onClick={() => {
          if (id !== null) {
            setAccount({ id, email });
            resetPaging();
          }
        }}
      >
        {email}
      </button>
    ) : (
      <span className="muted">{t("common.none")}</span>
    );

  return (
    <main id="content" className="page">
      <div className="page-head">
        <div>
          <h1>{t("audit.title")}</h1>
          <p className="muted">{t("audit.intro")}</p>
        </div>
        <div className="actions">
          <button type="button" onClick={() => void verify()} disabled={verifying} aria-busy={verifying}>
            {verifying ? t("audit.verifying") : t("audit.verify")}
          </button>
          <button type="button" onClick={() => void exportAs("csv")}>
            {t("audit.exportCsv")}
          </button>
          <button type="button" onClick={() => void exportAs("jsonl")}>
            {t("audit.exportJsonl")}
          </button>
        </div>
      </div>

      <div aria-live="polite">
        {chain ? (
          <Notice kind={chain.intact ? "success" : "error"}>
            {chain.firstBroken !== null
              ? t("audit.broken", { id: number(chain.firstBroken) })
              : chain.tail.kind === "cut"
                ? t("audit.cut", { from: number(chain.tail.last + 1), to: number(chain.tail.anchored) })
                : chain.tail.kind === "rewritten"
                  ? t("audit.rewritten", { id: number(chain.tail.seq) })
                  : t("audit.intact", { rows: chain.rows })}
          </Notice>
        ) : null}
        {chain?.tail.kind === "unanchored" ? <Notice kind="info">{t("audit.unanchored")}</Notice> : null}
        {saved ? (
          <SavedFile path={saved.path}>
            {t("audit.exported", { bytes: number(saved.bytes), path: saved.path })}
          </SavedFile>
        ) : null}
      </div>
      {error !== undefined ? <Notice kind="error">{errorMessage(error)}</Notice> : null}

      {stats ? <SignInChart days={stats} /> : null}

      <div className="toolbar filters">
        <div className="field">
          <label htmlFor="audit-event">{t("audit.event")}</label>
          <select
            id="audit-event"
            value={event}
            onChange={(e) => {
              setEvent(e.target.value as AuditEvent | "");
              resetPaging();
            }}
          >
            <option value="">{t("audit.allEvents")}</option>
            {EVENTS.map((name) => (
              <option key={name} value={name}>
                {t(`event.${name}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">{t("audit.from")}</label>
          <input id="audit-from" type="date" value={from} onChange={(e) => (setFrom(e.target.value), resetPaging())} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">{t("audit.to")}</label>
          <input id="audit-to" type="date" value={to} onChange={(e) => (setTo(e.target.value), resetPaging())} />
        </div>
        {account ? (
          <div className="field">
            <span className="field-label">{t("audit.account")}</span>
            <button
              type="button"
              onClick={() => {
                setAccount(null);
                resetPaging();
              }}
            >
              {account.email} ✕ <span className="visually-hidden">{t("audit.clearAccount")}</span>
            </button>
          </div>
        ) : null}
      </div>

      <DataTable
        rows={page?.items ?? null}
        columns={["#", t("audit.when"), t("audit.event"), t("audit.outcome"), t("audit.actor"), t("audit.target"), t("audit.detail")]}
        caption={t("audit.title")}
        empty={t("audit.empty")}
      >
        {(row: AuditEntry) => (
          <tr key={row.id}>
            <td className="muted">{row.id}</td>
            <td>{dateTime(row.at)}</td>
            <th scope="row">{t(`event.${row.event}`)}</th>
            <td>
              <span className={`badge ${row.outcome === "success" ? "badge-ok" : "badge-bad"}`}>
                {t(row.outcome === "success" ? "audit.success" : "audit.failure")}
              </span>
            </td>
            <td>{who(row.actorId, row.actorEmail)}</td>
            <td>{who(row.targetId, row.targetEmail)}</td>
            <td>{row.detail ?? ""}</td>
          </tr>
        )}
      </DataTable>
      <Pager
        keyset={keyset}
        nextCursor={page?.nextCursor}
        label={t("audit.title")}
        previousLabel={t("audit.newer")}
        nextLabel={t("audit.older")}
      />
      {stepUp.dialog}
    </main>
  );
}

/** Successful and failed sign-ins per day, as stacked bars; the numbers are in the title. */
/** This computer's offset from UTC now, in minutes (+540 in Korea). */
function utcOffsetMinutes(): number {
  return -new Date().getTimezoneOffset();
}

function SignInChart({ days }: { days: DayCount[] }) {
  const { t, locale, number } = useI18n();
  // Days are local dates, sent as the Unix time of that date's midnight in UTC.
  const today = Math.floor((Date.now() / 1000 + utcOffsetMinutes() * 60) / 86_400) * 86_400;
  const byDay = new Map(days.map((d) => [d.day, d]));
  const series = Array.from({ length: 30 }, (_, i) => {
    const day = today - (29 - i) * 86_400;
    return byDay.get(day) ?? { day, succeeded: 0, failed: 0 };
  });
  const peak = Math.max(1, ...series.map((d) => d.succeeded + d.failed));
  const label = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" });
  const width = 600;
  const height = 120;
  const slot = width / series.length;
  return (
    <figure className="chart">
      <figcaption>
        {t("audit.chart")}
        <span className="legend">
          <span className="swatch ok" aria-hidden="true" /> {t("audit.succeeded")}
          <span className="swatch bad" aria-hidden="true" /> {t("audit.failed")}
        </span>
      </figcaption>
      <div className="chart-body">
        <div className="y-scale" aria-hidden="true">
          <span>{number(peak)}</span>
          <span>{number(Math.round(peak / 2))}</span>
          <span>0</span>
        </div>
        <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" aria-hidden="true">
          {series.map((d, i) => {
            const ok = (d.succeeded / peak) * height;
            const bad = (d.failed / peak) * height;
            const x = i * slot + 2;
            return (
              <g key={d.day}>
                <title>
                  {`${label.format(new Date(d.day * 1000))}: ${t("audit.succeeded")} ${number(d.succeeded)}, ${t("audit.failed")} ${number(d.failed)}`}
                </title>
                <rect className="bar-ok" x={x} y={height - ok} width={slot - 4} height={ok} />
                <rect className="bar-bad" x={x} y={height - ok - bad} width={slot - 4} height={bad} />
              </g>
            );
          })}
          <line className="axis" x1={0} x2={width} y1={height / 2} y2={height / 2} strokeDasharray="4 4" />
          <line className="axis" x1={0} x2={width} y1={height} y2={height} />
        </svg>
      </div>
      <div className="ticks" aria-hidden="true">
        {[0, 14, 29].map((i) => (
          <span key={i}>{label.format(new Date((series[i]?.day ?? today) * 1000))}</span>
        ))}
      </div>
      {/* The same counts as a table, for screen readers and the keyboard. */}
      <table className="visually-hidden">
        <caption>{t("audit.chart")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("audit.day")}</th>
            <th scope="col">{t("audit.succeeded")}</th>
            <th scope="col">{t("audit.failed")}</th>
          </tr>
        </thead>
        <tbody>
          {series.map((d) => (
            <tr key={d.day}>
              <th scope="row">{label.format(new Date(d.day * 1000))}</th>
              <td>{number(d.succeeded)}</td>
              <td>{number(d.failed)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
