// The route table: for every path, its page, who may see it, and its navigation label.
// `Record<Path, …>` makes the type checker insist on one entry per path. The frame
// (`App.tsx`) reads it for the navigation and for the page it draws; a page someone may
// not see becomes "Access denied" here, never inside the page.
import type { ComponentType } from "react";
import type { MessageKey } from "../i18n/messages";
import { AdminConsole } from "../pages/accounts/AdminConsole";
import { Audit } from "../pages/audit/Audit";
import { Dashboard } from "../pages/dashboard/Dashboard";
import { Directory } from "../pages/directory/Directory";
import { Login } from "../pages/login/Login";
import { ChangePassword } from "../pages/profile/ChangePassword";
import { Profile } from "../pages/profile/Profile";
import { Security } from "../pages/security/Security";
import { Setup } from "../pages/setup/Setup";
import type { Audience } from "./access";
import type { Path } from "./router";

export interface Route {
  page: ComponentType;
  audience: Audience;
  /** The label in the navigation, for pages that have a link there, in this order. */
  nav?: MessageKey;
}

export const ROUTES: Record<Path, Route> = {
  "/setup": { page: Setup, audience: "public" },
  "/login": { page: Login, audience: "public" },
  "/change-password": { page: ChangePassword, audience: "signedIn" },
  "/dashboard": { page: Dashboard, audience: "signedIn", nav: "nav.dashboard" },
  "/admin": { page: AdminConsole, audience: "admin", nav: "nav.admin" },
  "/audit": { page: Audit, audience: "admin", nav: "nav.audit" },
  "/security": { page: Security, audience: "admin", nav: "nav.security" },
  "/directory": { page: Directory, audience: "signedIn", nav: "nav.directory" },
  "/profile": { page: Profile, audience: "signedIn", nav: "nav.profile" },
};
