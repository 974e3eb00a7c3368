// Unsaved form input per person: the store behind `useDraft`, with no React in it, so
// that the session can drop a person's drafts when their session ends. A host keeps its
// own per-person memory the same way, through `onPersonLeft`.

export type Fields = Record<string, string>;

/** Person (user id) → form → field → value. */
export const drafts = new Map<string, Map<string, Fields>>();

type LeftListener = (owner: number | undefined) => void;
const leftListeners = new Set<LeftListener>();

/**
 * Calls `listener` with a person's id when their session ends (signed out, expired, or
 * ended by a PIN lockout), or without one when everything is dropped: the moment to
 * forget what the window kept for them. Returns the unsubscribe function.
 */
export function onPersonLeft(listener: LeftListener): () => void {
  leftListeners.add(listener);
  return () => leftListeners.delete(listener);
}

/** Drops one person's drafts, or everyone's without an id, and tells `onPersonLeft`. */
export function dropDrafts(owner?: number): void {
  if (owner === undefined) drafts.clear();
  else drafts.delete(String(owner));
  for (const listener of leftListeners) listener(owner);
}

/** Whether anything is kept for `owner`. */
export function hasDrafts(owner: number): boolean {
  return (drafts.get(String(owner))?.size ?? 0) > 0;
}
