// Building blocks shared by the screens: labelled fields with their errors, the submit
// button that shows its form's pending state, notices, a modal dialog, password rules.
import { useEffect, useId, useRef } from "react";
import type { InputHTMLAttributes, ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARS } from "./bindings";
import { useI18n } from "./i18n/i18n";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  error?: string | undefined;
  hint?: ReactNode;
}

/** A labelled input whose error is announced and tied to it for screen readers. */
export function Field({ label, name, error, hint, ...input }: FieldProps) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {hint ? (
        <div id={`${id}-hint`} className="hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A submit button that is busy while its form's action runs (argon2 takes a moment). */
export function SubmitButton({ idle, pending }: { idle: string; pending: string }) {
  const status = useFormStatus();
  return (
    <button type="submit" className="primary" disabled={status.pending} aria-busy={status.pending}>
      {status.pending ? (
        <>
          <span className="spinner" aria-hidden="true" />
          {pending}
        </>
      ) : (
        idle
      )}
    </button>
  );
}

/** A message for the whole form or page. Errors interrupt; the rest is polite. */
export function Notice({ kind, children }: { kind: "error" | "info" | "success"; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

interface ModalProps {
  title: string;
  onClose(): void;
  children: ReactNode;
}

/** A modal dialog: focus moves into it, Escape closes it, focus returns afterwards. */
export function Modal({ title, onClose, children }: ModalProps) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = panel.current?.querySelector<HTMLElement>(
      "input, select, button:not([data-close]), textarea, [tabindex]:not([tabindex='-1'])",
    );
    (first ?? panel.current)?.focus();
    return () => previous?.focus();
  }, []);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== "Tab" || !panel.current) return;
    // Keep Tab inside the dialog.
    const focusable = [
      ...panel.current.querySelectorAll<HTMLElement>("input, select, button, textarea, a[href]"),
    ].filter((element) => !element.hasAttribute("disabled"));
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="backdrop">
      <div
        ref={panel}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** Characters as the vault counts them: after NFKC normalisation. */
export function passwordLength(password: string): number {
  return [...password.normalize("NFKC")].length;
}

/** The password rules, ticked off live as the person types. */
export function PasswordRules({ password, confirm }: { password: string; confirm?: string }) {
  const { t } = useI18n();
  const count = passwordLength(password);
  const bytes = new TextEncoder().encode(password).length;
  const rules: [string, boolean][] = [
    [t("rules.length", { min: PASSWORD_MIN_CHARS, count }), count >= PASSWORD_MIN_CHARS],
    [t("rules.max", { max: PASSWORD_MAX_BYTES }), bytes <= PASSWORD_MAX_BYTES],
  ];
  if (confirm !== undefined) rules.push([t("rules.match"), password.length > 0 && password === confirm]);
  return (
    <div className="rules">
      <p className="rules-title">{t("rules.title")}</p>
      <ul aria-live="polite">
        {rules.map(([text, met]) => (
          <li key={text} className={met ? "met" : "unmet"}>
            <span aria-hidden="true">{met ? "✓" : "○"}</span> {text}
            <span className="visually-hidden">: {met ? t("rules.met") : t("rules.unmet")}</span>
          </li>
        ))}
      </ul>
      <p className="hint">{t("rules.hint")}</p>
    </div>
  );
}

/** A role as words. */
export function RoleLabel({ role }: { role: "admin" | "user" }) {
  const { t } = useI18n();
  return <span className={`badge badge-${role}`}>{t(role === "admin" ? "role.admin" : "role.user")}</span>;
}
