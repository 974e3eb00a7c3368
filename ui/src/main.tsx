import { SessionProvider, loadInitialAuth } from "tauri-plugin-latchkey-api";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { ErrorBoundary } from "./app/ErrorBoundary";
import { reportUncaught } from "./app/report";
import { I18nProvider } from "./i18n/i18n";
// The sign-in pieces' styles first (colours, type, forms), then the app's own.
import "tauri-plugin-latchkey-api/styles.css";
import "./styles.css";

reportUncaught();

const root = document.getElementById("root");
if (root) {
  // Two short commands decide the first screen (setup, sign-in or the signed-in
  // person's page); asking them before the first render draws that screen directly.
  void loadInitialAuth().then((initial) => {
    createRoot(root).render(
      <StrictMode>
        <I18nProvider>
          <ErrorBoundary>
            <SessionProvider initial={initial}>
              <App />
            </SessionProvider>
          </ErrorBoundary>
        </I18nProvider>
      </StrictMode>,
    );
  });
}
