// The app frame: the router guard, the header with role-gated navigation, and the page
// for the current path.
import { useEffect } from "react";
import { AdminConsole } from "../pages/accounts/AdminConsole";
import { AuditPageRoute } from "../pages/audit/Audit";
import { BreakGlassBanner } from "../pages/dashboard/Dashboard";
import { SecurityPage } from "../pages/security/Security";
import { useAuth } from "./auth";
import { ChangePassword } from "../pages/profile/ChangePassword";
import { Dashboard } from "../pages/dashboard/Dashboard";
import { Directory } from "../pages/directory/Directory";
import { guard } from "./guard";
import { LOCALES, useI18n } from "../i18n/i18n";
import type { Locale } from "../i18n/i18n";
import { Login } from "../pages/login/Login";
import { Profile } from "../pages/profile/Profile";
import type { Path } from "./router";
import { navigate, usePath } from "./router";
import { Setup } from "../pages/setup/Setup";

/** The User Timing mark set once the first screen is drawn; the benchmark reads it. */
const FIRST_SCREEN_MARK = "latchkey:first-screen";

const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", ko: "한국어" };

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
  const auth = useAuth();
  const user = auth.state.status === "signedIn" ? auth.state.user : null;
  const links: [Path, string][] = [["/dashboard", t("nav.dashboard")]];
  if (user?.role === "admin") {
    links.push(["/admin", t("nav.admin")], ["/audit", t("nav.audit")], ["/security", t("nav.security")]);
  }
  links.push(["/directory", t("nav.directory")], ["/profile", t("nav.profile")]);
  return (
    <header className="topbar">
      <span className="brand" aria-hidden="true">
        <span className="brand-mark" />
        {t("app.name")}
      </span>
      {user && !user.mustChangePassword ? (
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
            <span className="who muted">{t("nav.signedInAs", { name: user.displayName })}</span>
            <button type="button" onClick={() => void auth.signOut()}>
              {t("nav.signOut")}
            </button>
          </>
        ) : null}
      </div>
    </header>
  );
}

function PageFor({ path }: { path: Path }) {
  switch (path) {
    case "/setup":
      return <Setup />;
    case "/login":
      return <Login />;
    case "/change-password":
      return <ChangePassword />;
    case "/dashboard":
      return <Dashboard />;
    case "/admin":
      return <AdminConsole />;
    case "/directory":
      return <Directory />;
    case "/profile":
      return <Profile />;
    case "/audit":
      return <AuditPageRoute />;
    case "/security":
      return <SecurityPage />;
  }
}

export function App() {
  const { t } = useI18n();
  const auth = useAuth();
  const path = usePath();
  const target = guard(auth.state, path);

  useEffect(() => {
    if (target !== null && target !== path) navigate(target, { replace: true });
  }, [target, path]);
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
      {auth.state.status === "signedIn" && auth.state.user.role === "admin" && !auth.state.user.mustChangePassword ? (
        <BreakGlassBanner />
      ) : null}
      {auth.state.status === "signedIn" && !auth.staySignedIn ? (
        <div className="banner" role="status">
          {t("app.notPersistent")}
        </div>
      ) : null}
      <PageFor key={target} path={target} />
    </>
  );
}
