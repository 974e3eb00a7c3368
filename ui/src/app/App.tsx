// The app frame: the router guard, the header with role-gated navigation, and the page
// for the current path.
import { FEW_RECOVERY_CODES, LockGuard, LockScreen, maySee, useSession } from "tauri-plugin-latchkey-api";
import { useEffect, useRef } from "react";
import { LOCALES, useI18n } from "../i18n/i18n";
import type { Locale } from "../i18n/i18n";
import { AccessDenied, BreakGlassBanner } from "../pages/dashboard/Dashboard";
import { guard } from "./guard";
import { PATHS } from "./router";
import type { Path } from "./router";
import { currentPath, navigate, usePath } from "./router";
import { ROUTES } from "./routes";

/** The User Timing mark set once the first screen is drawn; the benchmark reads it. */
const FIRST_SCREEN_MARK = "latchkey:first-screen";

const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", ko: "한국어" };

/**
 * The page each person was on when someone else took the computer over, so that they
 * come back to it (and to the draft waiting there). In this window's memory only.
 */
const placeOf = new Map<number, Path>();

function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <div className="language" role="group" aria-label={t("nav.language")}>
      {LOCALES.map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          aria-pressed={locale === code}
          onClick={() => setLocale(code)}
        >
          {LANGUAGE_NAMES[code]}
        </button>
      ))}
    </div>
  );
}

function Header({ path }: { path: Path }) {
  const { t } = useI18n();
  const auth = useSession();
  // While the lock screen is up the header keeps only the brand and the language.
  const user = auth.state.status === "signedIn" && auth.lock === null ? auth.state.user : null;
  const links = PATHS.flatMap((target): [Path, string][] => {
    const route = ROUTES[target];
    return route.nav && maySee(user, route.audience) ? [[target, t(route.nav)]] : [];
  });
  return (
    <header className="topbar">
      <span className="brand" aria-hidden="true">
        <span className="brand-mark" />
        {t("app.name")}
      </span>
      {user && !user.mustChangePassword && !user.secondFactorDue ? (
        <nav aria-label={t("nav.main")}>
          <ul>
            {links.map(([target, label]) => (
              <li key={target}>
                <a href={`#${target}`} aria-current={path === target ? "page" : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : (
        <span className="spacer" />
      )}
      <div className="topbar-end">
        <LanguageSwitch />
        {user ? (
          <>
            {/* Cut short, or hidden in a narrow window; the full text stays in the titles. */}
            <span className="who muted" title={t("nav.signedInAs", { name: user.displayName })}>
              {t("nav.signedInAs", { name: user.displayName })}
            </span>
            <button type="button" title={t("lock.lockHint")} onClick={() => void auth.lockNow()}>
              {t("lock.lock")}
            </button>
            <button
              type="button"
              title={t("nav.signedInAs", { name: user.displayName })}
              onClick={() => void auth.signOut()}
            >
              {t("nav.signOut")}
            </button>
          </>
        ) : null}
      </div>
    </header>
  );
}

/** The page for `path`, or "Access denied" when the signed-in person may not see it. */
function PageFor({ path }: { path: Path }) {
  const auth = useSession();
  const user = auth.state.status === "signedIn" ? auth.state.user : null;
  const route = ROUTES[path];
  if (!maySee(user, route.audience)) return <AccessDenied />;
  const Page = route.page;
  return <Page />;
}

export function App() {
  const { t } = useI18n();
  const auth = useSession();
  const path = usePath();
  const target = guard(auth.state, path);

  useEffect(() => {
    if (target !== null && target !== path) navigate(target, { replace: true });
  }, [target, path]);
  // When someone else's session opens, the one before keeps their page for later, and
  // the newcomer goes to theirs (or to where everyone starts), never to the page of the
  // person before.
  const person = auth.state.status === "signedIn" ? auth.state.user.id : null;
  const previousPerson = useRef(person);
  useEffect(() => {
    const before = previousPerson.current;
    previousPerson.current = person;
    if (person === null || before === person) return;
    const current = currentPath();
    if (before !== null && current !== "/") placeOf.set(before, current);
    const place = placeOf.get(person);
    placeOf.delete(person);
    if (place) navigate(place, { replace: true });
    else if (before !== null) navigate("/dashboard", { replace: true });
  }, [person]);
  // On every route change after the first screen, focus goes to the new page's heading,
  // so that a screen reader announces where the person is now.
  const shown = useRef<string | null>(null);
  useEffect(() => {
    if (target === null) return;
    const first = shown.current === null;
    if (shown.current === target) return;
    shown.current = target;
    if (first) return;
    const heading = document.querySelector<HTMLElement>("#content h1");
    heading?.setAttribute("tabindex", "-1");
    heading?.focus();
  }, [target]);
  // For `make bench`: when the first real screen (not the loading notice) is committed.
  const ready = target !== null;
  useEffect(() => {
    if (ready && performance.getEntriesByName(FIRST_SCREEN_MARK).length === 0) {
      performance.mark(FIRST_SCREEN_MARK);
    }
  }, [ready]);

  if (target === null) {
    return (
      <main id="content" className="auth-page">
        <p className="muted" role="status">
          {t("app.loading")}
        </p>
      </main>
    );
  }
  if (auth.state.status === "locked") {
    return (
      <>
        <Header path={target} />
        <LockScreen />
      </>
    );
  }
  const page = (
    <>
      {maySee(auth.state.status === "signedIn" ? auth.state.user : null, "admin") ? <BreakGlassBanner /> : null}
      {auth.state.status === "signedIn" && auth.state.recoveryCodesLeft !== undefined ? (
        <div className="banner" role="status">
          {t(auth.state.recoveryCodesLeft <= FEW_RECOVERY_CODES ? "twoStep.recoveryUsedLow" : "twoStep.recoveryUsed", {
            n: auth.state.recoveryCodesLeft,
          })}
        </div>
      ) : null}
      {auth.state.status === "signedIn" && !auth.staySignedIn ? (
        <div className="banner" role="status">
          {t("session.notPersistent")}
        </div>
      ) : null}
      <PageFor key={target} path={target} />
    </>
  );
  return (
    <>
      <a
        className="skip"
        href="#content"
        onClick={(event) => {
          // The hash is the router's: move focus without navigating.
          event.preventDefault();
          const content = document.getElementById("content");
          content?.setAttribute("tabindex", "-1");
          content?.focus();
        }}
      >
        {t("app.skip")}
      </a>
      <Header path={target} />
      {/* Keyed by person: when someone else unlocks, the screens of the one before go
          (their unsaved input waits in their drafts) and the newcomer's start fresh. */}
      {auth.state.status === "signedIn" ? <LockGuard key={auth.state.user.id}>{page}</LockGuard> : page}
    </>
  );
}
