// Unsaved form input per person: the store behind `useDraft`, with no React in it, so
// that the session can drop a person's drafts when their session ends.

export type Fields = Record<string, string>;

/** Person (user id) → form → field → value. */
export const drafts = new Map<string, Map<string, Fields>>();

/** Drops one person's drafts, or everyone's without an id. */
export function dropDrafts(owner?: number): void {
  if (owner === undefined) drafts.clear();
  else drafts.delete(String(owner));
}

/** Whether anything is kept for `owner`. */
export function hasDrafts(owner: number): boolean {
  return (drafts.get(String(owner))?.size ?? 0) > 0;
}
