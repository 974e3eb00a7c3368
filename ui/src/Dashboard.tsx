// The dashboard renders one of three views by role, like the guide's role-gated server
// components. The data behind each comes from commands that check the role again.
import { useCurrentUser } from "./auth";
import { useI18n } from "./i18n";
import { navigate } from "./router";

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

function AdminDashboard() {
  const { t, dateTime } = useI18n();
  const user = useCurrentUser();
  return (
    <main id="content" className="page">
      <h1>{t("dashboard.adminTitle")}</h1>
      <p className="muted">{t("dashboard.adminIntro")}</p>
      <div className="tiles">
        <button type="button" className="tile" onClick={() => navigate("/admin")}>
          <span className="tile-title">{t("dashboard.manageAccounts")}</span>
          <span className="muted">{t("admin.intro")}</span>
        </button>
        <button type="button" className="tile" onClick={() => navigate("/directory")}>
          <span className="tile-title">{t("dashboard.openDirectory")}</span>
          <span className="muted">{t("directory.intro")}</span>
        </button>
        <button type="button" className="tile" onClick={() => navigate("/profile")}>
          <span className="tile-title">{t("dashboard.editProfile")}</span>
          <span className="muted">{user.email}</span>
        </button>
      </div>
      <p className="muted small">{t("dashboard.session", { time: dateTime(user.sessionExpiresAt) })}</p>
    </main>
  );
}

function UserDashboard() {
  const { t, dateTime } = useI18n();
  const user = useCurrentUser();
  return (
    <main id="content" className="page">
      <h1>{t("dashboard.userTitle", { name: user.displayName })}</h1>
      <p className="muted">{t("dashboard.userIntro")}</p>
      <div className="tiles">
        <button type="button" className="tile" onClick={() => navigate("/directory")}>
          <span className="tile-title">{t("dashboard.openDirectory")}</span>
          <span className="muted">{t("directory.intro")}</span>
        </button>
        <button type="button" className="tile" onClick={() => navigate("/profile")}>
          <span className="tile-title">{t("dashboard.editProfile")}</span>
          <span className="muted">{user.email}</span>
        </button>
      </div>
      <p className="muted small">{t("dashboard.session", { time: dateTime(user.sessionExpiresAt) })}</p>
    </main>
  );
}

export function Dashboard() {
  const user = useCurrentUser();
  switch (user.role) {
    case "admin":
      return <AdminDashboard />;
    case "user":
      return <UserDashboard />;
    default:
      return <AccessDenied />;
  }
}
