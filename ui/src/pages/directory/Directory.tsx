// The directory of active accounts. A phone number appears only where the backend put
// it in the DTO (self, same team, or an admin viewer); the UI does not decide.
import { EMAIL_MAX_BYTES, Notice, PAGE_DEFAULT, RoleLabel, call } from "tauri-plugin-latchkey-api";
import type { Page, ProfileDto } from "tauri-plugin-latchkey-api";
import { DataTable } from "../../components/DataTable";
import { useEffect, useState } from "react";
import { useI18n } from "../../i18n/i18n";
import { useLatest } from "../../components/latest";
import { Pager, useKeyset } from "../../components/paging";

export function Directory() {
  const { t, errorMessage } = useI18n();
  const [search, setSearch] = useState("");
  const keyset = useKeyset<string>();
  const [page, setPage] = useState<Page<ProfileDto> | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const after = keyset.cursor;

  const latest = useLatest();
  useEffect(() => {
    const timer = window.setTimeout(() => {
      void latest(
        call("team_directory", { search: search.trim() || null, after, limit: PAGE_DEFAULT }),
        (result) => {
          setPage(result);
          setError(undefined);
        },
        setError,
      );
    }, 150);
    return () => window.clearTimeout(timer);
  }, [latest, search, after]);

  return (
    <main id="content" className="page">
      <h1>{t("directory.title")}</h1>
      <p className="muted">{t("directory.intro")}</p>
      <div className="toolbar">
        <label className="search">
          <span className="visually-hidden">{t("directory.search")}</span>
          <input
            type="search"
            placeholder={t("directory.search")}
            value={search}
            maxLength={EMAIL_MAX_BYTES}
            onChange={(event) => {
              setSearch(event.target.value);
              keyset.reset();
            }}
          />
        </label>
      </div>
      {error !== undefined ? <Notice kind="error">{errorMessage(error)}</Notice> : null}
      <DataTable
        rows={page?.items ?? null}
        columns={[t("admin.name"), t("admin.email"), t("admin.role"), t("admin.team"), t("profile.phone")]}
        caption={t("directory.title")}
        empty={t("directory.empty")}
      >
        {(person) => (
          <tr key={person.id}>
            <th scope="row">{person.displayName}</th>
            <td>{person.email}</td>
            <td>
              <RoleLabel role={person.role} />
            </td>
            <td>{person.team ?? t("common.none")}</td>
            <td>
              {person.phoneHidden ? (
                <span className="muted">{t("directory.hidden")}</span>
              ) : (
                (person.phone ?? t("common.none"))
              )}
            </td>
          </tr>
        )}
      </DataTable>
      <Pager
        keyset={keyset}
        nextCursor={page?.nextCursor}
        label={t("directory.title")}
        previousLabel={t("admin.previous")}
        nextLabel={t("admin.next")}
      />
    </main>
  );
}
