// Building blocks shared by the screens: labelled fields with their errors, the submit
// button that shows its form's pending state, notices, a modal dialog, password rules.
import { useId, useLayoutEffect, useRef, useState } from "react";
import type { InputHTMLAttributes, KeyboardEvent, ReactNode, Ref } from "react";
import { useFormStatus } from "react-dom";
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARS } from "./bindings";
import { useI18n } from "./i18n/i18n";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  error?: string | undefined;
  hint?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

/**
 * A labelled input whose error is announced and tied to it for screen readers. A
 * password field also has a Show button (what is typed stays hidden until asked) and a
 * warning while Caps Lock is on.
 */
export function Field({ label, name, error, hint, type, ref, onKeyDown, onKeyUp, onBlur, ...input }: FieldProps) {
  const id = useId();
  const { t } = useI18n();
  const secret = type === "password";
  const [shown, setShown] = useState(false);
  const [capsLock, setCapsLock] = useState(false);
  const describedBy = [hint ? `${id}-hint` : "", capsLock ? `${id}-caps` : "", error ? `${id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  const watchCapsLock = (event: KeyboardEvent<HTMLInputElement>) => {
    if (secret) setCapsLock(event.getModifierState("CapsLock"));
  };
  const field = (
    <input
      id={id}
      name={name}
      ref={ref}
      type={secret && shown ? "text" : type}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy || undefined}
      onKeyDown={(event) => {
        watchCapsLock(event);
        onKeyDown?.(event);
      }}
      onKeyUp={(event) => {
        watchCapsLock(event);
        onKeyUp?.(event);
      }}
      onBlur={(event) => {
        setCapsLock(false);
        onBlur?.(event);
      }}
      {...(secret ? { autoCapitalize: "off", spellCheck: false } : {})}
      {...input}
    />
  );
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {secret ? (
        <div className="reveal-row">
          {field}
          <button
            type="button"
            className="reveal"
            aria-label={shown ? t("field.hidePassword") : t("field.showPassword")}
            aria-controls={id}
            onClick={() => setShown((now) => !now)}
          >
            {shown ? t("field.hide") : t("field.show")}
          </button>
        </div>
      ) : (
        field
      )}
      {capsLock ? (
        <p id={`${id}-caps`} className="hint caps-lock" role="status">
          {t("field.capsLock")}
        </p>
      ) : null}
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
export function SubmitButton({
  idle,
  pending,
  name,
  value,
  secondary,
}: {
  idle: string;
  pending: string;
  /** A second way to submit beside the page's main one: drawn plainly. */
  secondary?: boolean;
  /** With `value`: sent with the form, for a form with more than one way to submit. */
  name?: string;
  value?: string;
}) {
  const status = useFormStatus();
  return (
    <button
      type="submit"
      className={secondary ? undefined : "primary"}
      name={name}
      value={value}
      disabled={status.pending}
      aria-busy={status.pending}
    >
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

/**
 * A modal dialog, the platform's own (`<dialog>` opened with `showModal()`): the page
 * behind is inert for pointer, keyboard and screen reader alike, Escape asks `onClose`
 * (which may decline, as the one-time password dialog does), focus starts on the first
 * field and returns where it was afterwards.
 */
export function Modal({ title, onClose, children }: ModalProps) {
  const titleId = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  // A layout effect, so that the dialog is closed before React removes it: WebKit leaves
  // the page inert when an open modal dialog leaves the document.
  useLayoutEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const previous = document.activeElement as HTMLElement | null;
    // jsdom, which the unit tests run in, has no showModal; the attribute draws it there.
    if (typeof element.showModal === "function") element.showModal();
    else element.setAttribute("open", "");
    const first = element.querySelector<HTMLElement>(
      "input, select, textarea, button:not([data-close]), [tabindex]:not([tabindex='-1'])",
    );
    (first ?? element).focus();
    return () => {
      if (typeof element.close === "function") element.close();
      previous?.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        // Escape is the owner's to handle; the platform would close the dialog itself.
        event.preventDefault();
        event.stopPropagation();
        close.current();
      }}
      // Any other close request (none on a desktop but Escape) leaves it to the owner too.
      onCancel={(event) => event.preventDefault()}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

/** Characters as the vault counts them: after NFKC normalisation. */
export function passwordLength(password: string): number {
  return [...password.normalize("NFKC")].length;
}

/** The password rules, ticked off live as the person types. */
export function PasswordRules({
  password,
  confirm,
  min = PASSWORD_MIN_CHARS,
}: {
  password: string;
  confirm?: string;
  /** The shortest password allowed: 15 unless an admin raised it. */
  min?: number;
}) {
  const { t } = useI18n();
  const count = passwordLength(password);
  const bytes = new TextEncoder().encode(password).length;
  const rules: [string, boolean][] = [
    [t("rules.length", { min, count }), count >= min],
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
