// The last line of defence for a screen that fails to draw: instead of a blank window,
// a page in the chosen language that says so and offers a reload. Nothing in the vault
// is affected by a drawing error, and the session stays in Rust.
import { Component, useContext } from "react";
import type { ErrorInfo, ReactNode } from "react";
import { I18nContext, translate } from "../i18n/i18n";
import { reportError } from "./report";

interface State {
  failed: boolean;
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error("a screen failed to draw", error, info.componentStack);
    reportError("a screen failed to draw", error);
  }

  override render() {
    return this.state.failed ? <Crashed /> : this.props.children;
  }
}

function Crashed() {
  // The language comes from the provider when it still works, English otherwise.
  const locale = useContext(I18nContext)?.locale ?? "en";
  return (
    <main id="content" className="page">
      <section className="card narrow" aria-labelledby="crashed-title">
        <h1 id="crashed-title">{translate(locale, "crashed.title")}</h1>
        <p>{translate(locale, "crashed.body")}</p>
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          {translate(locale, "crashed.reload")}
        </button>
      </section>
    </main>
  );
}
