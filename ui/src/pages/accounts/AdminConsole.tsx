// The admin console: every account, searchable by email or name prefix and paged by
// keyset (the vault's cost per page does not grow with the number of accounts), with
// create, edit (name, team, phone), role change, disable/enable, sessions, password
// reset, removing two-step sign-in, and delete.
import { ApiError, EMAIL_MAX_BYTES, Field, Modal, NAME_MAX_CHARS, Notice, PAGE_DEFAULT, PHONE_MAX_CHARS, RoleLabel, StepUpCancelled, SubmitButton, TEAM_MAX_CHARS, call, useCurrentUser, useStepUp } from "tauri-plugin-latchkey-api";
import type { NewAccount, Page, Role, UserDto } from "tauri-plugin-latchkey-api";
import { DataTable } from "../../components/DataTable";
import { useActionState, useCallback, useEffect, useRef, useState } from "react";
import { useI18n } from "../../i18n/i18n";
import { useLatest } from "../../components/latest";
import { Pager, useKeyset } from "../../components/paging";
import { SessionsDialog } from "./Sessions";
import { navigate } from "../../app/router";

type Dialog =
  | { kind: "create" }
  | { kind: "edit"; account: UserDto }
  | { kind: "delete"; account: UserDto }
  | { kind: "reset"; account: UserDto }
  | { kind: "resetSecondFactor"; account: UserDto }
  | { kind: "sessions"; account: UserDto }
  | { kind: "temporary"; email: string; password: string };

/** Waits until typing pauses before searching. */
function useDebounced<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

export function AdminConsole() {
  const { t, dateTime, errorMessage } = useI18n();
  const me = useCurrentUser();
  const [search, setSearch] = useState("");
  const query = useDebounced(search.trim(), 200);
  const keyset = useKeyset<string>();
  const [page, setPage] = useState<Page<UserDto> | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [message, setMessage] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const stepUp = useStepUp();

  // Everyone, or only accounts with or without two-step sign-in.
  const [twoStep, setTwoStep] = useState<"all" | "on" | "off">("all");
  const secondFactor = twoStep === "all" ? null : twoStep === "on";
  const after = keyset.cursor;
  const latest = useLatest();
  const load = useCallback(
    () =>
      latest(
        call("list_accounts", { search: query || null, after, limit: PAGE_DEFAULT, secondFactor }),
        (result) => {
          setPage(result);
          setError(undefined);
        },
        setError,
      ),
    [latest, query, after, secondFactor],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const resetPaging = keyset.reset;
  useEffect(() => {
    resetPaging();
  }, [query, twoStep, resetPaging]);

  const act = async (account: UserDto, run: () => Promise<unknown>, done: string) => {
    setBusy(account.id);
    setMessage(null);
    try {
      await stepUp.run(run);
      setError(undefined);
      setMessage(done);
      await load();
    } catch (failure) {
      if (!(failure instanceof StepUpCancelled)) setError(failure);
    } finally {
      setBusy(null);
    }
  };

  const setRole = (account: UserDto, role: Role) =>
    act(account, () => call("set_role", { id: account.id, role }), t("admin.updated", { email: account.email }));
  const setDisabled = (account: UserDto, disabled: boolean) =>
    act(
      account,
      () => call("set_disabled", { id: account.id, disabled }),
      t("admin.updated", { email: account.email }),
    );

  return (
    <main id="content" className="page">
      <div className="page-head">
        <div>
          <h1>{t("admin.title")}</h1>
          <p className="muted">{t("admin.intro")}</p>
        </div>
        <div className="actions">
          <button type="button" className="secondary" onClick={() => navigate("/accounts-file")}>
            {t("accountsFile.open")}
          </button>
          <button type="button" className="primary" onClick={() => setDialog({ kind: "create" })}>
            {t("admin.new")}
          </button>
        </div>
      </div>

      <div className="toolbar">
        <label className="search">
          <span className="visually-hidden">{t("admin.search")}</span>
          <input
            type="search"
            placeholder={t("admin.search")}
            value={search}
            maxLength={EMAIL_MAX_BYTES}
            onChange={(event) => setSearch(event.target.value)}
          />
        </label>
        <label className="filter">
          {t("admin.twoStepFilter")}{" "}
          <select value={twoStep} onChange={(event) => setTwoStep(event.target.value as "all" | "on" | "off")}>
            <option value="all">{t("admin.twoStepAll")}</option>
            <option value="on">{t("admin.twoStepOn")}</option>
            <option value="off">{t("admin.twoStepOff")}</option>
          </select>
        </label>
      </div>

      <div aria-live="polite" className="live">
        {message ? <Notice kind="success">{message}</Notice> : null}
      </div>
      {error !== undefined ? <Notice kind="error">{errorMessage(error)}</Notice> : null}

      <DataTable
        rows={page?.items ?? null}
        columns={[
          t("admin.email"),
          t("admin.name"),
          t("admin.role"),
          t("admin.team"),
          t("admin.status"),
          t("admin.lastSignIn"),
          t("admin.actions"),
        ]}
        caption={t("admin.title")}
        empty={t("admin.empty")}
        loading={t("admin.loading")}
      >
        {(account) => {
          const self = account.id === me.id;
          const disabled = busy === account.id;
          return (
            <tr key={account.id} className={account.status === "disabled" ? "row-disabled" : undefined}>
              <th scope="row">
                {account.email}
                {self ? <span className="muted"> ({t("admin.you")})</span> : null}
              </th>
              <td>{account.displayName}</td>
              <td>
                <RoleLabel role={account.role} />
              </td>
              <td>{account.team ?? t("common.none")}</td>
              <td>
                {t(account.status === "active" ? "status.active" : "status.disabled")}
                {account.mustChangePassword ? (
                  <span className="badge badge-warn">{t("admin.mustChange")}</span>
                ) : null}
                {account.secondFactor ? <span className="badge">{t("admin.twoStepBadge")}</span> : null}
              </td>
              <td>{account.lastSignInAt ? dateTime(account.lastSignInAt) : t("admin.never")}</td>
              <td>
                {self ? (
                  <span className="muted">{t("common.none")}</span>
                ) : (
                  <div className="row-actions" role="group" aria-label={t("admin.actionsFor", { email: account.email })}>
                    <button type="button" disabled={disabled} onClick={() => setDialog({ kind: "edit", account })}>
                      {t("admin.edit")}
                    </button>
                    <button
                      type="button"
                      disabled={disabled}
                      onClick={() => void setRole(account, account.role === "admin" ? "user" : "admin")}
                    >
                      {t(account.role === "admin" ? "admin.makeUser" : "admin.makeAdmin")}
                    </button>
                    <button
                      type="button"
                      disabled={disabled}
                      onClick={() => void setDisabled(account, account.status === "active")}
                    >
                      {t(account.status === "active" ? "admin.disable" : "admin.enable")}
                    </button>
                    <button type="button" disabled={disabled} onClick={() => setDialog({ kind: "sessions", account })}>
                      {t("admin.sessions")}
                    </button>
                    <button type="button" disabled={disabled} onClick={() => setDialog({ kind: "reset", account })}>
                      {t("admin.reset")}
                    </button>
                    {account.secondFactor ? (
                      <button
                        type="button"
                        disabled={disabled}
                        onClick={() => setDialog({ kind: "resetSecondFactor", account })}
                      >
                        {t("admin.resetTwoStep")}
                      </button>
                    ) : null}
                    <button
                      type="button"
                      className="danger"
                      disabled={disabled}
                      onClick={() => setDialog({ kind: "delete", account })}
                    >
                      {t("admin.delete")}
                    </button>
                  </div>
                )}
              </td>
            </tr>
          );
        }}
      </DataTable>

      <Pager
        keyset={keyset}
        nextCursor={page?.nextCursor}
        label={t("admin.title")}
        previousLabel={t("admin.previous")}
        nextLabel={t("admin.next")}
      />

      {dialog?.kind === "create" ? (
        <CreateAccount
          stepUp={stepUp.run}
          onClose={() => setDialog(null)}
          onCreated={(email, password) => {
            setMessage(t("admin.created", { email }));
            setDialog({ kind: "temporary", email, password });
            void load();
          }}
        />
      ) : null}
      {dialog?.kind === "edit" ? (
        <EditAccount
          account={dialog.account}
          stepUp={stepUp.run}
          onClose={() => setDialog(null)}
          onSaved={(email) => {
            setDialog(null);
            setMessage(t("admin.updated", { email }));
            void load();
          }}
        />
      ) : null}
      {dialog?.kind === "delete" ? (
        <Confirm
          title={t("admin.confirmDeleteTitle")}
          body={t("admin.confirmDelete", { email: dialog.account.email })}
          action={t("admin.delete")}
          onCancel={() => setDialog(null)}
          onConfirm={async () => {
            const account = dialog.account;
            setDialog(null);
            await act(account, () => call("delete_account", { id: account.id }), t("admin.deleted", { email: account.email }));
          }}
        />
      ) : null}
      {dialog?.kind === "reset" ? (
        <Confirm
          title={t("admin.confirmResetTitle")}
          body={t("admin.confirmReset", { email: dialog.account.email })}
          action={t("admin.reset")}
          onCancel={() => setDialog(null)}
          onConfirm={async () => {
            const account = dialog.account;
            try {
              const password = await stepUp.run(() => call("reset_password", { id: account.id }));
              setDialog({ kind: "temporary", email: account.email, password });
              await load();
            } catch (failure) {
              setDialog(null);
              if (!(failure instanceof StepUpCancelled)) setError(failure);
            }
          }}
        />
      ) : null}
      {dialog?.kind === "sessions" ? (
        <SessionsDialog account={dialog.account} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === "resetSecondFactor" ? (
        <Confirm
          title={t("admin.confirmResetTwoStepTitle")}
          body={t("admin.confirmResetTwoStep", { email: dialog.account.email })}
          action={t("admin.resetTwoStep")}
          onCancel={() => setDialog(null)}
          onConfirm={async () => {
            const account = dialog.account;
            setDialog(null);
            await act(
              account,
              () => call("reset_second_factor", { id: account.id }),
              t("admin.twoStepRemoved", { email: account.email }),
            );
          }}
        />
      ) : null}
      {stepUp.dialog}
      {dialog?.kind === "temporary" ? (
        <TemporaryPassword email={dialog.email} password={dialog.password} onClose={() => setDialog(null)} />
      ) : null}
    </main>
  );
}

function Confirm(props: {
  title: string;
  body: string;
  action: string;
  onCancel(): void;
  onConfirm(): Promise<void>;
}) {
  const { t } = useI18n();
  const [pending, setPending] = useState(false);
  return (
    <Modal title={props.title} onClose={props.onCancel}>
      <p>{props.body}</p>
      <div className="actions">
        <button type="button" onClick={props.onCancel}>
          {t("common.cancel")}
        </button>
        <button
          type="button"
          className="danger"
          disabled={pending}
          aria-busy={pending}
          onClick={async () => {
            setPending(true);
            await props.onConfirm();
          }}
        >
          {props.action}
        </button>
      </div>
    </Modal>
  );
}

/**
 * The one-time password, shown once. Escape does not dismiss it on its own: the password
 * cannot be shown again, so the dialog asks first. The Close button closes it.
 */
function TemporaryPassword({ email, password, onClose }: { email: string; password: string; onClose(): void }) {
  const { t, errorMessage } = useI18n();
  const [copied, setCopied] = useState(false);
  const [copyError, setCopyError] = useState<unknown>(undefined);
  const [confirming, setConfirming] = useState<boolean | null>(null);
  const keepOpen = useRef<HTMLButtonElement>(null);
  const copy = useRef<HTMLButtonElement>(null);
  // Focus stays inside the dialog as the question comes and goes, so Escape and Tab keep
  // working: the safe answer first, then back to the password's buttons.
  useEffect(() => {
    if (confirming === true) keepOpen.current?.focus();
    if (confirming === false) copy.current?.focus();
  }, [confirming]);
  return (
    <Modal title={t("admin.tempTitle")} onClose={() => setConfirming(true)}>
      <p>{t("admin.tempBody", { email })}</p>
      <p className="secret" data-testid="temporary-password">
        {password}
      </p>
      <div aria-live="polite" className="live">
        {copied ? <Notice kind="info">{t("admin.tempCopied")}</Notice> : null}
      </div>
      {copyError !== undefined ? <Notice kind="error">{errorMessage(copyError)}</Notice> : null}
      {confirming ? (
        <div role="alert" className="notice notice-info">
          <p>{t("admin.tempCloseConfirm")}</p>
          <div className="actions">
            <button type="button" ref={keepOpen} onClick={() => setConfirming(false)}>
              {t("admin.tempKeepOpen")}
            </button>
            <button type="button" className="primary" onClick={onClose}>
              {t("admin.tempCloseAnyway")}
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button
            type="button"
            ref={copy}
            onClick={async () => {
              try {
                // Copied by the app, which empties the clipboard again after 30 s.
                await call("copy_secret", { text: password });
                setCopied(true);
                setCopyError(undefined);
              } catch (failure) {
                setCopied(false);
                setCopyError(failure);
              }
            }}
          >
            {copied ? t("common.copied") : t("common.copy")}
          </button>
          <button type="button" className="primary" onClick={onClose}>
            {t("common.close")}
          </button>
        </div>
      )}
    </Modal>
  );
}

/** The optional team and phone fields that creating and editing an account share. */
function TeamAndPhone({ team, phone, error }: { team: string; phone: string; error: unknown }) {
  const { t, fieldError } = useI18n();
  return (
    <>
      <Field
        label={`${t("create.team")} (${t("common.optional")})`}
        name="team"
        maxLength={TEAM_MAX_CHARS}
        defaultValue={team}
        error={fieldError(error, "team")}
      />
      <Field
        label={`${t("create.phone")} (${t("common.optional")})`}
        name="phone"
        type="tel"
        maxLength={PHONE_MAX_CHARS}
        defaultValue={phone}
        error={fieldError(error, "phone")}
      />
    </>
  );
}

interface CreateState {
  values: NewAccount;
  error?: unknown;
}

function CreateAccount({
  stepUp,
  onClose,
  onCreated,
}: {
  /** A new account's temporary password is a new credential: the vault asks for a recent password check. */
  stepUp<T>(action: () => Promise<T>): Promise<T>;
  onClose(): void;
  onCreated(email: string, password: string): void;
}) {
  const { t, errorMessage, fieldError } = useI18n();
  const empty: NewAccount = { email: "", displayName: "", role: "user", team: null, phone: null };
  const [state, action] = useActionState<CreateState, FormData>(async (_previous, form) => {
    const text = (name: string) => String(form.get(name) ?? "");
    const values: NewAccount = {
      email: text("email"),
      displayName: text("displayName"),
      role: text("role") === "admin" ? "admin" : "user",
      team: text("team") || null,
      phone: text("phone") || null,
    };
    try {
      const created = await stepUp(() => call("create_account", values));
      onCreated(created.account.email, created.temporaryPassword);
      return { values: empty };
    } catch (error) {
      return error instanceof StepUpCancelled ? { values } : { values, error };
    }
  }, { values: empty });

  const error = state.error;
  const formError =
    error === undefined || (error instanceof ApiError && error.code === "Validation") ? undefined : errorMessage(error);
  return (
    <Modal title={t("create.title")} onClose={onClose}>
      {formError ? <Notice kind="error">{formError}</Notice> : null}
      <form action={action} noValidate>
        <Field
          label={t("create.email")}
          name="email"
          type="email"
          required
          maxLength={EMAIL_MAX_BYTES}
          defaultValue={state.values.email}
          error={fieldError(error, "email")}
        />
        <Field
          label={t("create.name")}
          name="displayName"
          required
          maxLength={NAME_MAX_CHARS}
          defaultValue={state.values.displayName}
          error={fieldError(error, "displayName")}
        />
        <div className="field">
          <label htmlFor="create-role">{t("create.role")}</label>
          <select id="create-role" name="role" defaultValue={state.values.role}>
            <option value="user">{t("role.user")}</option>
            <option value="admin">{t("role.admin")}</option>
          </select>
        </div>
        <TeamAndPhone team={state.values.team ?? ""} phone={state.values.phone ?? ""} error={error} />
        <p className="hint">{t("create.note")}</p>
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <SubmitButton idle={t("create.submit")} pending={t("create.pending")} />
        </div>
      </form>
    </Modal>
  );
}

interface EditState {
  values: { displayName: string; team: string; phone: string };
  error?: unknown;
}

/**
 * An admin's edit of another account's name, team and phone number. The account is read
 * again when the dialog opens, so the form starts from what the vault holds now; an
 * admin's account needs a recent password check (the vault asks, the dialog retries).
 */
function EditAccount({
  account,
  stepUp,
  onClose,
  onSaved,
}: {
  account: UserDto;
  stepUp<T>(action: () => Promise<T>): Promise<T>;
  onClose(): void;
  onSaved(email: string): void;
}) {
  const { t, errorMessage, fieldError } = useI18n();
  const initial = (from: UserDto): EditState["values"] => ({
    displayName: from.displayName,
    team: from.team ?? "",
    phone: from.phone ?? "",
  });
  const [current, setCurrent] = useState<UserDto | null>(null);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  useEffect(() => {
    call("get_account", { id: account.id }).then(setCurrent, setLoadError);
  }, [account.id]);

  const [state, action] = useActionState<EditState | null, FormData>(async (_previous, form) => {
    const text = (name: string) => String(form.get(name) ?? "");
    const values = { displayName: text("displayName"), team: text("team"), phone: text("phone") };
    try {
      const saved = await stepUp(() =>
        call("update_account", {
          id: account.id,
          displayName: values.displayName,
          team: values.team || null,
          phone: values.phone || null,
        }),
      );
      onSaved(saved.email);
      return { values };
    } catch (error) {
      return error instanceof StepUpCancelled ? { values } : { values, error };
    }
  }, null);

  const error = state?.error ?? loadError;
  const formError =
    error === undefined || (error instanceof ApiError && error.code === "Validation") ? undefined : errorMessage(error);
  const values = state?.values ?? (current ? initial(current) : null);
  return (
    <Modal title={t("edit.title", { email: account.email })} onClose={onClose}>
      {formError ? <Notice kind="error">{formError}</Notice> : null}
      {values === null ? (
        loadError === undefined ? <p className="muted">{t("admin.loading")}</p> : null
      ) : (
        <form action={action} noValidate>
          <Field
            label={t("create.name")}
            name="displayName"
            required
            maxLength={NAME_MAX_CHARS}
            defaultValue={values.displayName}
            error={fieldError(error, "displayName")}
          />
          <TeamAndPhone team={values.team} phone={values.phone} error={error} />
          <div className="actions">
            <button type="button" onClick={onClose}>
              {t("common.cancel")}
            </button>
            <SubmitButton idle={t("edit.submit")} pending={t("edit.pending")} />
          </div>
        </form>
      )}
    </Modal>
  );
}
