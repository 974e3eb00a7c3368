// The route table: for every path, its page, who may see it, and its navigation label.
// `Record<Path, …>` makes the type checker insist on one entry per path. The frame
// (`App.tsx`) reads it for the navigation and for the page it draws; a page someone may
// not see becomes "Access denied" here, never inside the page.
import { ChangePassword, FirstRun, SecondFactorSettings, SignIn } from "tauri-plugin-latchkey-api";
import type { Audience } from "tauri-plugin-latchkey-api";
import type { ComponentType } from "react";
import type { MessageKey } from "../i18n/messages";
import { About } from "../pages/about/About";
import { AccountsFile } from "../pages/accounts/AccountsFile";
import { AdminConsole } from "../pages/accounts/AdminConsole";
import { Audit } from "../pages/audit/Audit";
import { Dashboard } from "../pages/dashboard/Dashboard";
import { Directory } from "../pages/directory/Directory";
import { Profile } from "../pages/profile/Profile";
import { Security } from "../pages/security/Security";
import { useI18n } from "../i18n/i18n";
import { navigate } from "./router";
import type { Path } from "./router";

export interface Route {
  page: ComponentType;
  audience: Audience;
  /** The label in the navigation, for pages that have a link there, in this order. */
  nav?: MessageKey;
}

/** The password change; after a forced one, on to where everyone starts. */
function ChangePasswordPage() {
  return <ChangePassword onChanged={() => navigate("/dashboard")} />;
}

/** Setting up a second factor that an admin requires; then on to where everyone starts. */
function TwoStepPage() {
  const { t } = useI18n();
  return (
    <main id="content" className="page">
      <h1>{t("twoStep.pageTitle")}</h1>
      <p className="muted">{t("twoStep.pageIntro")}</p>
      <SecondFactorSettings onEnrolled={() => navigate("/dashboard")} />
    </main>
  );
}

export const ROUTES: Record<Path, Route> = {
  "/setup": { page: FirstRun, audience: "public" },
  "/login": { page: SignIn, audience: "public" },
  "/change-password": { page: ChangePasswordPage, audience: "signedIn" },
  "/two-step": { page: TwoStepPage, audience: "signedIn" },
  "/dashboard": { page: Dashboard, audience: "signedIn", nav: "nav.dashboard" },
  "/admin": { page: AdminConsole, audience: "admin", nav: "nav.admin" },
  "/accounts-file": { page: AccountsFile, audience: "admin" },
  "/audit": { page: Audit, audience: "admin", nav: "nav.audit" },
  "/security": { page: Security, audience: "admin", nav: "nav.security" },
  "/directory": { page: Directory, audience: "signedIn", nav: "nav.directory" },
  "/profile": { page: Profile, audience: "signedIn", nav: "nav.profile" },
  "/about": { page: About, audience: "signedIn", nav: "nav.about" },
};
