// What a person had typed into a form and not saved yet, kept per person while someone
// else uses the computer. Switching people unmounts the first person's screens (nothing
// of theirs stays in the page), so their unsaved input waits here, in this window's
// memory only, until they are back. Password fields are never kept, and a person's
// drafts go when their session ends.
import { useCallback } from "react";
import type { FormEvent } from "react";
import { drafts } from "./draftStore";
import { useSession } from "./session";

export interface Draft {
  /** The kept value of field `name`, or `fallback`. Use as an input's `defaultValue`. */
  value(name: string, fallback: string): string;
  /** Put on the `<form>`: records each change of a named, non-password field. */
  onInput(event: FormEvent<HTMLFormElement>): void;
  /** Forgets the form's draft, after it was saved. */
  clear(): void;
}

/** The signed-in person's draft of the form called `form`. */
export function useDraft(form: string): Draft {
  const { state } = useSession();
  const owner = state.status === "signedIn" ? String(state.user.id) : null;
  const onInput = useCallback(
    (event: FormEvent<HTMLFormElement>) => {
      const field = event.target;
      if (owner === null) return;
      if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) return;
      if (!field.name || (field instanceof HTMLInputElement && field.type === "password")) return;
      let forms = drafts.get(owner);
      if (!forms) drafts.set(owner, (forms = new Map()));
      forms.set(form, { ...forms.get(form), [field.name]: field.value });
    },
    [owner, form],
  );
  const clear = useCallback(() => {
    if (owner !== null) drafts.get(owner)?.delete(form);
  }, [owner, form]);
  const value = (name: string, fallback: string) =>
    (owner === null ? undefined : drafts.get(owner)?.get(form)?.[name]) ?? fallback;
  return { value, onInput, clear };
}
