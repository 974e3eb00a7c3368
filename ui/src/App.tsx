import { messages, pickLocale } from "./i18n";

/**
 * The window's content while the desktop shell has no commands yet: it names the app and
 * says plainly that sign-in is not available in this build.
 */
export function App() {
  const t = messages[pickLocale(navigator.languages)];
  return (
    <main className="placeholder" aria-labelledby="title">
      <h1 id="title">Latchkey</h1>
      <p>{t.tagline}</p>
      <p role="status">{t.notYet}</p>
    </main>
  );
}
