// Sign-in through the organisation's OpenID providers: the providers set up, each with
// its accounts and when its keys were fetched, and a form to add or change one. Saving
// fetches the provider's discovery document first, asks for a fresh password check,
// and is audited.
import { ApiError, Field, Modal, Notice, StepUpCancelled, SubmitButton, call, useStepUp } from "tauri-plugin-latchkey-api";
import type { IdentityProvider, ProviderSetup } from "tauri-plugin-latchkey-api";
import { useActionState, useEffect, useState } from "react";
import { useI18n } from "../../i18n/i18n";

interface SaveState {
  saved?: string;
}

const NEW_PROVIDER: ProviderSetup = {
  name: "",
  issuer: "",
  clientId: "latchkey",
  scopes: "email profile",
  emailClaim: "email",
  adminClaim: "",
  adminValue: "",
  linkByEmail: false,
  offlineDays: 7,
};

export function IdentityProvidersCard() {
  const { t, number, dateTime, errorMessage, fieldError } = useI18n();
  const [providers, setProviders] = useState<IdentityProvider[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  // The provider being changed; null while adding one; undefined while the form is closed.
  const [editing, setEditing] = useState<IdentityProvider | null | undefined>(undefined);
  const [removed, setRemoved] = useState<string | null>(null);
  // What was typed and why it was refused: the form resets to the draft after a refusal.
  const [draft, setDraft] = useState<ProviderSetup | null>(null);
  const [saveError, setSaveError] = useState<unknown>(undefined);
  const open = (provider: IdentityProvider | null) => {
    setDraft(null);
    setSaveError(undefined);
    setEditing(provider);
  };
  const stepUp = useStepUp();

  const load = () => call("identity_providers").then(setProviders, setLoadError);
  useEffect(() => {
    void load();
  }, []);

  const [state, action] = useActionState<SaveState, FormData>(async (_previous, form) => {
    const text = (name: string) => String(form.get(name) ?? "");
    const setup: ProviderSetup = {
      name: text("name"),
      issuer: editing ? editing.setup.issuer : text("issuer"),
      clientId: text("clientId"),
      scopes: text("scopes"),
      emailClaim: text("emailClaim"),
      adminClaim: text("adminClaim"),
      adminValue: text("adminValue"),
      linkByEmail: form.get("linkByEmail") === "on",
      offlineDays: Number(text("offlineDays")),
    };
    try {
      const saved = await stepUp.run(() => call("save_identity_provider", { id: editing?.id ?? null, setup }));
      setEditing(undefined);
      setRemoved(null);
      setDraft(null);
      setSaveError(undefined);
      await load();
      return { saved: saved.setup.name };
    } catch (error) {
      setDraft(setup);
      setSaveError(error instanceof StepUpCancelled ? undefined : error);
      return {};
    }
  }, {});

  // The provider whose removal waits for a confirmation.
  const [removing, setRemoving] = useState<IdentityProvider | null>(null);
  const remove = async (provider: IdentityProvider) => {
    setRemoving(null);
    try {
      await stepUp.run(() => call("remove_identity_provider", { providerId: provider.id }));
      setRemoved(provider.setup.name);
      await load();
    } catch (error) {
      if (!(error instanceof StepUpCancelled)) setLoadError(error);
    }
  };

  const error = saveError ?? loadError;
  const formError =
    error === undefined || (error instanceof ApiError && error.code === "Validation") ? undefined : errorMessage(error);
  const current = draft ?? editing?.setup ?? NEW_PROVIDER;
  return (
    <section className="card narrow" aria-labelledby="providers-title">
      <h2 id="providers-title">{t("providers.title")}</h2>
      <p className="muted">{t("providers.intro")}</p>
      <div aria-live="polite">
        {state.saved && editing === undefined ? (
          <Notice kind="success">{t("providers.saved", { name: state.saved })}</Notice>
        ) : null}
        {removed ? <Notice kind="success">{t("providers.removed", { name: removed })}</Notice> : null}
      </div>
      {formError ? <Notice kind="error">{formError}</Notice> : null}
      {providers && providers.length === 0 ? <p>{t("providers.none")}</p> : null}
      {providers && providers.length > 0 ? (
        <ul className="provider-list">
          {providers.map((provider) => (
            <li key={provider.id}>
              <strong>{provider.setup.name}</strong>
              <span className="muted small"> {provider.setup.issuer}</span>
              <p className="small">
                {t("providers.facts", {
                  accounts: number(provider.linkedAccounts),
                  days: provider.setup.offlineDays,
                  fetched: dateTime(provider.fetchedAt),
                })}
              </p>
              <div className="actions">
                <button type="button" onClick={() => open(provider)}>
                  {t("providers.edit", { name: provider.setup.name })}
                </button>
                <button type="button" className="danger" onClick={() => setRemoving(provider)}>
                  {t("providers.remove", { name: provider.setup.name })}
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {editing === undefined ? (
        <div className="actions">
          <button type="button" onClick={() => open(null)}>
            {t("providers.add")}
          </button>
        </div>
      ) : (
        <form action={action} noValidate key={editing?.id ?? "new"} aria-labelledby="provider-form-title">
          <h3 id="provider-form-title">
            {editing ? t("providers.editTitle", { name: editing.setup.name }) : t("providers.addTitle")}
          </h3>
          <Field label={t("providers.name")} name="name" required defaultValue={current.name} hint={t("providers.nameHint")} error={fieldError(error, "name")} />
          <Field
            label={t("providers.issuer")}
            name="issuer"
            type="url"
            required
            defaultValue={current.issuer}
            readOnly={editing !== null}
            hint={editing ? t("providers.issuerFixed") : t("providers.issuerHint")}
            error={fieldError(error, "issuer")}
          />
          <Field label={t("providers.clientId")} name="clientId" required defaultValue={current.clientId} hint={t("providers.clientIdHint")} error={fieldError(error, "clientId")} />
          <Field label={t("providers.scopes")} name="scopes" defaultValue={current.scopes} hint={t("providers.scopesHint")} error={fieldError(error, "scopes")} />
          <Field label={t("providers.emailClaim")} name="emailClaim" defaultValue={current.emailClaim} hint={t("providers.emailClaimHint")} error={fieldError(error, "emailClaim")} />
          <Field label={t("providers.adminClaim")} name="adminClaim" defaultValue={current.adminClaim} hint={t("providers.adminClaimHint")} error={fieldError(error, "adminClaim")} />
          <Field label={t("providers.adminValue")} name="adminValue" defaultValue={current.adminValue} hint={t("providers.adminValueHint")} error={fieldError(error, "adminValue")} />
          <Field
            label={t("providers.offlineDays")}
            name="offlineDays"
            type="number"
            inputMode="numeric"
            min={0}
            max={90}
            step={1}
            required
            defaultValue={current.offlineDays}
            hint={t("providers.offlineDaysHint")}
            error={fieldError(error, "offlineDays")}
          />
          <div className="field checkbox-field">
            <label>
              <input type="checkbox" name="linkByEmail" defaultChecked={current.linkByEmail} aria-describedby="link-by-email-hint" />{" "}
              {t("providers.linkByEmail")}
            </label>
            <p id="link-by-email-hint" className="hint muted">
              {t("providers.linkByEmailHint")}
            </p>
          </div>
          <div className="actions">
            <SubmitButton idle={t("common.save")} pending={t("providers.saving")} />
            <button type="button" onClick={() => setEditing(undefined)}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      )}
      {removing ? (
        <Modal title={t("providers.remove", { name: removing.setup.name })} onClose={() => setRemoving(null)}>
          <p>{t("providers.removeConfirm", { name: removing.setup.name, n: removing.linkedAccounts })}</p>
          <div className="actions">
            <button type="button" onClick={() => setRemoving(null)}>
              {t("common.cancel")}
            </button>
            <button type="button" className="danger" onClick={() => void remove(removing)}>
              {t("providers.removeAction")}
            </button>
          </div>
        </Modal>
      ) : null}
      {stepUp.dialog}
    </section>
  );
}
