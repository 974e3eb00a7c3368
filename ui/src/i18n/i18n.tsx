// Language: the OS's preferred language by default, switchable, remembered on this
// computer. Dates and numbers are formatted for the chosen language.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { ApiError } from "../api/api";
import { en, ko } from "./messages";
import type { MessageKey } from "./messages";

export type Locale = "en" | "ko";
export const LOCALES: readonly Locale[] = ["en", "ko"];
const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, ko };
/** Only the language choice is remembered in web storage; nothing about accounts. */
const STORAGE_KEY = "latchkey.locale";

/** The first of the preferred languages the UI speaks; English otherwise. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const language = tag.toLowerCase().split("-")[0];
    if (language === "ko" || language === "en") return language;
  }
  return "en";
}

/**
 * The message `key` in `locale`, placeholders filled. A key missing from the catalogue
 * (a key built at run time from a value the UI does not know yet) shows as the English
 * text, or the key itself, and is logged: a missing string must never blank the window.
 */
export function translate(locale: Locale, key: MessageKey, values: Record<string, string | number> = {}): string {
  const template: string | undefined = CATALOGS[locale][key] ?? CATALOGS.en[key];
  if (template === undefined) {
    console.error(`no message for ${key}`);
    return key;
  }
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in values ? String(values[name]) : match,
  );
}

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** A Unix time (seconds) as a date and time in the chosen language. */
  dateTime(seconds: number): string;
  number(value: number): string;
  /** The message for a failed command, in the chosen language. */
  errorMessage(error: unknown): string;
  /** The message for a field's validation error, if `error` is about `field`. */
  fieldError(error: unknown, field: string): string | undefined;
}

export const I18nContext = createContext<I18n | null>(null);

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error("useI18n outside I18nProvider");
  return i18n;
}

function storedLocale(): Locale | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return stored === "en" || stored === "ko" ? stored : null;
  } catch {
    return null;
  }
}

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(
    () => initial ?? storedLocale() ?? pickLocale(navigator.languages),
  );

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembering the language is harmless.
    }
  }, []);

  const value = useMemo<I18n>(() => {
    const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
    const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
    const numbers = new Intl.NumberFormat(locale);
    const invalidMessage = (error: ApiError) => {
      const reason = error.reason;
      if (!reason) return t("error.Validation");
      const limit = "limit" in reason ? numbers.format(reason.limit) : "";
      return t(`invalid.${reason.kind}`, { limit });
    };
    return {
      locale,
      setLocale,
      t,
      dateTime: (seconds) => dates.format(new Date(seconds * 1000)),
      number: (n) => numbers.format(n),
      errorMessage: (error) => {
        if (!(error instanceof ApiError)) return t("common.unexpected");
        if (error.code === "Conflict" && error.conflict) return t(`conflict.${error.conflict}`);
        if (error.code === "Validation") return invalidMessage(error);
        return t(`error.${error.code}`);
      },
      fieldError: (error, field) =>
        error instanceof ApiError && error.code === "Validation" && error.field === field
          ? invalidMessage(error)
          : undefined,
    };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
