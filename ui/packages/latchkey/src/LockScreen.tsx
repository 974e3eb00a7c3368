// The shared desk's lock: the screen that covers a locked session, the guard that keeps
// the screens behind it alive but out of reach, and the warning before an idle lock.
import { useActionState, useEffect, useRef, useState } from "react";
import type { KeyboardEvent as ReactKeyboardEvent, ReactNode } from "react";
import { ApiError } from "./api";
import { PIN_MAX_DIGITS } from "./bindings";
import type { LockScreenState, LockedSession } from "./bindings";
import { Field, Notice, SubmitButton } from "./components";
import { useI18n } from "./i18n/i18n";
import type { I18n } from "./i18n/i18n";
import { useSession } from "./session";
import { SignInForm, throttleMessage } from "./SignIn";

/** Seconds before an idle lock at which the warning appears. */
export const IDLE_WARNING_SECONDS = 30;

/** Up to two letters for the person's badge: the first of their first and last names. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? "";
  const last = words.length > 1 ? (words[words.length - 1] ?? "") : "";
  return (Array.from(first)[0] ?? "") + (Array.from(last)[0] ?? "");
}

function reasonText(t: I18n["t"], lock: LockedSession): string {
  switch (lock.reason) {
    case "manual":
      return t("lock.reason.manual");
    case "idle":
      return lock.autoLockSeconds % 60 === 0
        ? t("lock.reason.idleMinutes", { n: lock.autoLockSeconds / 60 })
        : t("lock.reason.idleSeconds", { n: lock.autoLockSeconds });
    case "sleep":
      return t("lock.reason.sleep");
    case "osLock":
      return t("lock.reason.osLock");
    case "switch":
      return t("lock.reason.switch");
  }
}

/** What the lock screen shows: everyone, one person's unlock, or a sign-in form. */
type View = { kind: "people" } | { kind: "person"; sessionId: string } | { kind: "other" };

function startView(screen: LockScreenState | null): View {
  if (!screen || !screen.showPeople || screen.people.length === 0) return { kind: "other" };
  return screen.last ? { kind: "person", sessionId: screen.last } : { kind: "people" };
}

/**
 * The lock screen. It starts on the person who used the computer last (their PIN or
 * password), and lists everyone signed in here plus "Someone else", who signs in with
 * email and password. When an admin hid the list, it shows only that sign-in form.
 * Keyboard first: the field has the focus, Enter submits, Esc goes back to the list.
 */
export function LockScreen() {
  const { t } = useI18n();
  const auth = useSession();
  const screen = auth.lock;
  const [view, setView] = useState<View>(() => startView(screen));
  // A new lock (someone else locked, a sign-out) starts over.
  useEffect(() => setView(startView(screen)), [screen]);
  if (!screen) return null;
  const listed = screen.showPeople && screen.people.length > 0;
  const back = listed ? () => setView({ kind: "people" }) : undefined;
  const onKeyDown = (event: ReactKeyboardEvent<HTMLElement>) => {
    if (event.key === "Escape" && back && view.kind !== "people") {
      event.preventDefault();
      back();
    }
  };
  const person = view.kind === "person" ? screen.people.find((p) => p.sessionId === view.sessionId) : undefined;
  return (
    <main id="lock-screen" className="auth-page lock-screen" onKeyDown={onKeyDown}>
      {person ? (
        <UnlockPerson key={person.sessionId} lock={person} last={person.sessionId === screen.last} back={back} />
      ) : view.kind === "other" || !listed ? (
        <section className="card auth-card" aria-labelledby="lock-other-title">
          <h1 id="lock-other-title">{listed ? t("lock.otherTitle") : t("lock.hiddenTitle")}</h1>
          <SignInForm intro={<p className="muted">{t("lock.otherIntro")}</p>} />
          {back ? (
            <p className="lock-other">
              <button type="button" className="link" onClick={back}>
                {t("lock.back")}
              </button>
            </p>
          ) : null}
        </section>
      ) : (
        <section className="card auth-card" aria-labelledby="lock-people-title">
          <h1 id="lock-people-title">{t("lock.peopleTitle")}</h1>
          <p className="muted">{t("lock.peopleIntro")}</p>
          <ul className="lock-people">
            {screen.people.map((p, index) => (
              <li key={p.sessionId}>
                <button
                  type="button"
                  className="lock-person-choice"
                  autoFocus={index === 0}
                  onClick={() => setView({ kind: "person", sessionId: p.sessionId })}
                >
                  <span className="badge-initials" aria-hidden="true">
                    {initials(p.displayName)}
                  </span>
                  <span className="lock-person-text">
                    <span className="lock-person-name">{p.displayName}</span>
                    <span className="muted">{p.email}</span>
                  </span>
                </button>
              </li>
            ))}
            <li>
              <button type="button" className="lock-person-choice" onClick={() => setView({ kind: "other" })}>
                <span className="badge-initials" aria-hidden="true">
                  +
                </span>
                <span className="lock-person-text">
                  <span className="lock-person-name">{t("lock.someoneElse")}</span>
                </span>
              </button>
            </li>
          </ul>
        </section>
      )}
    </main>
  );
}

/**
 * One person's locked session: whose it is and why it locked, their PIN (when one may
 * unlock it) or their password; for the person who used the computer last, a way to
 * sign them out.
 */
function UnlockPerson({ lock, last, back }: { lock: LockedSession; last: boolean; back: (() => void) | undefined }) {
  const { t, locale, errorMessage, fieldError } = useI18n();
  const auth = useSession();
  const [usePassword, setUsePassword] = useState(false);
  const withPin = lock.pinAvailable && !usePassword;
  const secret = useRef<HTMLInputElement>(null);
  const [state, action] = useActionState<{ error?: unknown }, FormData>(async (_previous, form) => {
    try {
      const pin = form.get("pin");
      if (pin !== null) await auth.unlockWithPin(lock.sessionId, String(pin));
      else await auth.unlock(lock.sessionId, String(form.get("password") ?? ""));
      return {};
    } catch (error) {
      // The PIN cannot open this session (any more): the password can.
      if (error instanceof ApiError && error.code === "Conflict") setUsePassword(true);
      return { error };
    }
  }, {});
  const error = state.error;
  // After a refusal the cursor waits in the emptied field.
  useEffect(() => {
    if (!(error instanceof ApiError) || error.code === "Validation" || !secret.current) return;
    secret.current.value = "";
    secret.current.focus();
  }, [error]);

  const formError =
    error === undefined
      ? undefined
      : error instanceof ApiError && error.code === "InvalidCredentials"
        ? t("lock.wrong")
        : error instanceof ApiError && error.code === "WrongPin"
          ? t("lock.wrongPin", { n: error.remainingTries ?? 0 })
          : error instanceof ApiError && error.code === "Conflict"
            ? t("lock.pinUnavailable")
            : error instanceof ApiError && error.code === "Locked"
              ? throttleMessage(t, error.retryAfter ?? 0)
              : error instanceof ApiError && error.code === "Validation"
                ? undefined
                : errorMessage(error);
  const time = new Intl.DateTimeFormat(locale, { timeStyle: "short" }).format(new Date(lock.lockedAt * 1000));
  return (
    <section className="card auth-card" aria-labelledby="lock-title">
      <div className="lock-person">
        <span className="badge-initials" aria-hidden="true">
          {initials(lock.displayName)}
        </span>
        <div>
          <h1 id="lock-title">{t("lock.title", { name: lock.displayName })}</h1>
          <p className="muted">{lock.email}</p>
        </div>
      </div>
      <p>
        <span className="lock-reason">{reasonText(t, lock)}</span>{" "}
        <span className="muted">{t("lock.since", { time })}</span>
      </p>
      {formError ? <Notice kind="error">{formError}</Notice> : null}
      <form action={action} noValidate>
        {withPin ? (
          <Field
            key="pin"
            label={t("lock.pin")}
            name="pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            autoFocus
            required
            maxLength={PIN_MAX_DIGITS}
            ref={secret}
            error={fieldError(error, "pin")}
          />
        ) : (
          <Field
            key="password"
            label={t("lock.password")}
            name="password"
            type="password"
            autoComplete="current-password"
            autoFocus
            required
            ref={secret}
            error={fieldError(error, "password")}
          />
        )}
        <SubmitButton idle={t("lock.unlock")} pending={t("lock.unlocking")} />
      </form>
      {lock.pinAvailable ? (
        <p className="lock-other">
          <button type="button" className="link" onClick={() => setUsePassword(!usePassword)}>
            {usePassword ? t("lock.usePin") : t("lock.usePassword")}
          </button>
        </p>
      ) : null}
      {back ? (
        <p className="lock-other">
          <button type="button" className="link" onClick={back}>
            {t("lock.back")}
          </button>
        </p>
      ) : null}
      {last ? (
        <p className="lock-other">
          <button type="button" className="link" onClick={() => void auth.signOut()}>
            {t("lock.signOut", { name: lock.displayName })}
          </button>
        </p>
      ) : null}
    </section>
  );
}

/**
 * A countdown shown for the last seconds before an idle lock; any key or pointer
 * movement puts it away. Announced once when it appears, not every second.
 */
export function IdleWarning() {
  const { t } = useI18n();
  const { lockDeadline, lock } = useSession();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (lockDeadline === null) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [lockDeadline]);
  const left = lockDeadline === null ? Infinity : Math.ceil((lockDeadline - now) / 1000);
  const shown = lock === null && left > 0 && left <= IDLE_WARNING_SECONDS;
  return (
    <div className="idle-warning" role="status" hidden={!shown}>
      {shown ? (
        <>
          <span className="visually-hidden">{t("lock.warningSoon")}</span>
          <span aria-hidden="true">{t("lock.warning", { n: left })}</span>
        </>
      ) : null}
    </div>
  );
}

/**
 * Around a host's signed-in screens: while the session is locked they stay mounted
 * (what the person was typing survives) but hidden and inert, out of reach of the
 * keyboard, screen readers and anything that queries the page, and the lock screen
 * covers the window. Ctrl+L (Cmd+L on macOS) locks.
 */
export function LockGuard({ children }: { children: ReactNode }) {
  const auth = useSession();
  const locked = auth.lock !== null;
  const { lockNow } = auth;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const modifier = event.ctrlKey || event.metaKey;
      if (modifier && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "l") {
        event.preventDefault();
        void lockNow();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [lockNow]);
  return (
    <>
      <div className="lock-guard" hidden={locked} inert={locked}>
        {children}
      </div>
      {locked ? <LockScreen /> : <IdleWarning />}
    </>
  );
}
