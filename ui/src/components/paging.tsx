// Keyset paging for long lists: the vault returns a page and the cursor of the next one;
// the UI remembers the cursors it has seen so it can also go back.
import { useCallback, useState } from "react";
import { useI18n } from "../i18n/i18n";

export interface Keyset<C> {
  /** The cursor of the current page (`null` for the first). */
  cursor: C | null;
  /** The current page, from 0. */
  index: number;
  /** Back to the first page (after a filter changes). */
  reset(): void;
  previous(): void;
  /** Moves to the page that starts after `nextCursor`, when there is one. */
  next(nextCursor: C | null | undefined): void;
}

export function useKeyset<C>(): Keyset<C> {
  const [cursors, setCursors] = useState<(C | null)[]>([null]);
  const [index, setIndex] = useState(0);
  const reset = useCallback(() => {
    setCursors([null]);
    setIndex(0);
  }, []);
  return {
    cursor: cursors[index] ?? null,
    index,
    reset,
    previous: () => setIndex((current) => Math.max(0, current - 1)),
    next: (nextCursor) => {
      if (nextCursor === null || nextCursor === undefined) return;
      setCursors((known) => [...known.slice(0, index + 1), nextCursor]);
      setIndex((current) => current + 1);
    },
  };
}

/** Previous / page number / next, under a list. */
export function Pager<C>({
  keyset,
  nextCursor,
  label,
  previousLabel,
  nextLabel,
}: {
  keyset: Keyset<C>;
  nextCursor: C | null | undefined;
  label: string;
  previousLabel: string;
  nextLabel: string;
}) {
  const { t, number } = useI18n();
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={keyset.index === 0} onClick={keyset.previous}>
        {previousLabel}
      </button>
      <span>{t("admin.page", { page: number(keyset.index + 1) })}</span>
      <button type="button" disabled={nextCursor === null || nextCursor === undefined} onClick={() => keyset.next(nextCursor)}>
        {nextLabel}
      </button>
    </nav>
  );
}
