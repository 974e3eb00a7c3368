// The accounts import that runs, or last finished, for the admin who started it. It
// lives outside the page so that an admin who leaves the page while the temporary
// passwords are hashed (or whose session locks meanwhile) finds them on coming back:
// the vault keeps only their hashes, so a result that reached no screen would be lost.
// It is forgotten when that admin's session ends, when they choose a new file, or when
// they dismiss it.
import { onPersonLeft } from "tauri-plugin-latchkey-api";
import type { ImportProgress, ImportedAccount } from "tauri-plugin-latchkey-api";
import { useSyncExternalStore } from "react";

export interface ImportRun {
  /** The admin who started it. */
  owner: number;
  /** While it runs: how far the hashing is. */
  progress: ImportProgress | null;
  /** Once it finished: the accounts made, with their temporary passwords. */
  made: ImportedAccount[] | null;
}

let current: ImportRun | null = null;
const listeners = new Set<() => void>();

function set(next: ImportRun | null): void {
  current = next;
  for (const listener of listeners) listener();
}

onPersonLeft((owner) => {
  if (current !== null && (owner === undefined || owner === current.owner)) set(null);
});

/** The run `owner` started, if any; nobody else sees it. */
export function useImportRun(owner: number): ImportRun | null {
  const run = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
  return run?.owner === owner ? run : null;
}

/**
 * Runs `work` (the import, which reports its progress to the function it is given) as
 * `owner`'s import: the store follows its progress and keeps what it made. A failure
 * clears the run and is thrown to the caller, which may be gone.
 */
export async function runImport(
  owner: number,
  total: number,
  work: (onProgress: (progress: ImportProgress) => void) => Promise<ImportedAccount[]>,
): Promise<ImportedAccount[]> {
  set({ owner, progress: { done: 0, total }, made: null });
  try {
    const made = await work((progress) => {
      if (current?.owner === owner && current.made === null) set({ owner, progress, made: null });
    });
    // The admin's session may have ended meanwhile: then nothing is kept.
    if (current?.owner === owner) set({ owner, progress: null, made });
    return made;
  } catch (failure) {
    if (current?.owner === owner) set(null);
    throw failure;
  }
}

/** Forgets `owner`'s run (a new file chosen, or the result dismissed). */
export function forgetImport(owner: number): void {
  if (current?.owner === owner) set(null);
}
