import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { AuthProvider, loadInitialAuth } from "./app/auth";
import { ErrorBoundary } from "./app/ErrorBoundary";
import { I18nProvider } from "./i18n/i18n";

const root = document.getElementById("root");
if (root) {
  // Two short commands decide the first screen (setup, sign-in or the signed-in
  // person's page); asking them before the first render draws that screen directly.
  void loadInitialAuth().then((initial) => {
    createRoot(root).render(
      <StrictMode>
        <I18nProvider>
          <ErrorBoundary>
            <AuthProvider initial={initial}>
              <App />
            </AuthProvider>
          </ErrorBoundary>
        </I18nProvider>
      </StrictMode>,
    );
  });
}
