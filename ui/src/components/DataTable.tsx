// The one table of the list pages: a loading note, an empty note, or a table with a
// caption for screen readers, a header row, and a row per item that the page draws.
import type { ReactNode } from "react";

export function DataTable<T>({
  rows,
  columns,
  caption,
  empty,
  loading,
  children,
}: {
  /** The items, or `null` while they load. */
  rows: readonly T[] | null;
  /** The header cells' text. */
  columns: readonly string[];
  /** Read by screen readers only. */
  caption?: string;
  /** Shown when there are no items. */
  empty: string;
  /** Shown while the items load; nothing when absent. */
  loading?: string;
  /** One `<tr>` per item. */
  children(item: T): ReactNode;
}) {
  if (rows === null) return loading ? <p className="muted">{loading}</p> : null;
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <div className="table-wrap">
      <table>
        {caption ? <caption className="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{rows.map(children)}</tbody>
      </table>
    </div>
  );
}
