// Notes Desk's one page: Latchkey's gate (first run, sign-in, password change), then the
// signed-in person's own notes. The list comes from the host's `list_notes` command,
// which takes a `latchkey::Session` in Rust: this page only draws what it is given.
import { StrictMode, useCallback, useEffect, useState } from "react";
import type { FormEvent } from "react";
import { createRoot } from "react-dom/client";
import {
  I18nProvider,
  Notice,
  SessionProvider,
  SignedIn,
  callHost,
  useCurrentUser,
  useI18n,
  useSession,
} from "tauri-plugin-latchkey-api";
import "tauri-plugin-latchkey-api/styles.css";
import "./notes.css";

const messages = {
  en: {
    "notes.title": "My notes",
    "notes.who": "Signed in as {name}",
    "notes.new": "New note",
    "notes.add": "Add note",
    "notes.empty": "No notes yet. Only you will see the ones you add here.",
    "notes.signOut": "Sign out",
  },
  ko: {
    "notes.title": "내 메모",
    "notes.who": "{name} 님으로 로그인됨",
    "notes.new": "새 메모",
    "notes.add": "메모 추가",
    "notes.empty": "아직 메모가 없습니다. 여기에 쓴 메모는 본인만 볼 수 있습니다.",
    "notes.signOut": "로그아웃",
  },
};
type NoteKey = keyof typeof messages.en;

interface Note {
  id: number;
  text: string;
}

function Notes() {
  const { t, errorMessage } = useI18n<NoteKey>();
  const { signOut } = useSession();
  const user = useCurrentUser();
  const [notes, setNotes] = useState<Note[]>([]);
  const [text, setText] = useState("");
  const [error, setError] = useState<unknown>();
  const [limit, setLimit] = useState<number>();

  const load = useCallback(async () => {
    try {
      setNotes(await callHost<Note[]>("list_notes"));
    } catch (failure) {
      setError(failure);
    }
  }, []);
  useEffect(() => void load(), [load]);
  useEffect(() => void callHost<number>("note_limit").then(setLimit, () => {}), []);

  async function add(event: FormEvent) {
    event.preventDefault();
    try {
      await callHost<Note>("add_note", { text });
      setText("");
      setError(undefined);
      await load();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <main id="content" className="notes">
      <header className="notes-head">
        <h1>{t("notes.title")}</h1>
        <span className="muted">{t("notes.who", { name: user.displayName })}</span>
        <button type="button" onClick={() => void signOut()}>
          {t("notes.signOut")}
        </button>
      </header>
      {error !== undefined ? <Notice kind="error">{errorMessage(error)}</Notice> : null}
      <form onSubmit={(event) => void add(event)}>
        <label htmlFor="note">{t("notes.new")}</label>
        <textarea id="note" name="note" rows={3} maxLength={limit} value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="primary">
          {t("notes.add")}
        </button>
      </form>
      {notes.length === 0 ? <p className="muted">{t("notes.empty")}</p> : null}
      <ul className="note-list" aria-label={t("notes.title")}>
        {notes.map((note) => (
          <li key={note.id}>{note.text}</li>
        ))}
      </ul>
    </main>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nProvider messages={messages}>
      <SessionProvider>
        <SignedIn>
          <Notes />
        </SignedIn>
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
