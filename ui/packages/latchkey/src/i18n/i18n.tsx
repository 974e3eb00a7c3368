// Language for the sign-in pieces and the host around them: the OS's preferred language
// by default, switchable, remembered on this computer. The package brings the messages
// of its own pieces; a host adds its catalogue through `I18nProvider`'s `messages` and
// reads both through one `t`.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { ApiError } from "../api";
import { en } from "./en";
import type { LatchkeyMessageKey } from "./en";
import { ko } from "./ko";

export type Locale = "en" | "ko";
export const LOCALES: readonly Locale[] = ["en", "ko"];

/** A catalogue per language; a host's has the same keys in each. */
export type Catalogues<K extends string> = Record<Locale, Record<K, string>>;

/** The package's own catalogues. */
export const latchkeyMessages: Catalogues<LatchkeyMessageKey> = { en, ko };

/** The package's catalogues with a host's added: what `I18nProvider` and `translate` read. */
export function withLatchkeyMessages<K extends string>(host: Catalogues<K>): Catalogues<string> {
  return { en: { ...latchkeyMessages.en, ...host.en }, ko: { ...latchkeyMessages.ko, ...host.ko } };
}

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

type Values = Record<string, string | number>;

/** `{name, plural, one {# thing} other {# things}}`: a count's words, by the language's rules. */
const PLURAL = /\{(\w+),\s*plural,((?:\s*[=\w]+\s*\{[^{}]*\})+)\s*\}/g;
const PLURAL_CASE = /([=\w]+)\s*\{([^{}]*)\}/g;

/**
 * Fills `template`'s placeholders from `values`: `{name}` takes the value as it is, and
 * `{name, plural, one {…} other {…}}` picks the words for the count by the language's
 * plural rules (`=0` and the like match an exact number first), with `#` standing for
 * the count written the language's way.
 */
export function fill(locale: Locale, template: string, values: Values = {}): string {
  const counted = template.replace(PLURAL, (match, name: string, cases: string) => {
    const count = Number(values[name]);
    if (!(name in values) || Number.isNaN(count)) return match;
    const options = new Map([...cases.matchAll(PLURAL_CASE)].map((m) => [m[1], m[2] ?? ""]));
    const chosen =
      options.get(`=${count}`) ?? options.get(new Intl.PluralRules(locale).select(count)) ?? options.get("other") ?? "";
    return chosen.replace(/#/g, new Intl.NumberFormat(locale).format(count));
  });
  return counted.replace(/\{(\w+)\}/g, (match, name: string) => (name in values ? String(values[name]) : match));
}

/**
 * The message `key` in `locale` from `catalogues` (the package's when none are given),
 * placeholders filled. A key missing from the catalogue (a key built at run time from a
 * value the UI does not know yet) shows as the English text, or the key itself, and is
 * logged: a missing string must never blank the window.
 */
export function translate(
  locale: Locale,
  key: string,
  values: Values = {},
  catalogues: Catalogues<string> = latchkeyMessages,
): string {
  const template: string | undefined = catalogues[locale][key] ?? catalogues.en[key];
  if (template === undefined) {
    console.error(`no message for ${key}`);
    return key;
  }
  return fill(locale, template, values);
}

/** Language and formatting; `K` is the host's own message keys. */
export interface I18n<K extends string = never> {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: K | LatchkeyMessageKey, values?: Values): string;
  /** A Unix time (seconds) as a date and time in the chosen language. */
  dateTime(seconds: number): string;
  number(value: number): string;
  /** The message for a failed command, in the chosen language. */
  errorMessage(error: unknown): string;
  /** The message for a field's validation error, if `error` is about `field`. */
  fieldError(error: unknown, field: string): string | undefined;
}

export const I18nContext = createContext<I18n<string> | null>(null);

/**
 * Language and formatting, for the package's pieces and the host's own. A host passes
 * its own keys as `K` (the keys of the `messages` it gave `I18nProvider`).
 */
export function useI18n<K extends string = never>(): I18n<K> {
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

export function I18nProvider<K extends string>({
  children,
  initial,
  messages,
}: {
  children: ReactNode;
  initial?: Locale;
  /** The host's own catalogues, added to the package's. */
  messages?: Catalogues<K>;
}) {
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

  const catalogues = useMemo<Catalogues<string>>(
    () => (messages ? withLatchkeyMessages(messages) : latchkeyMessages),
    [messages],
  );

  const value = useMemo<I18n<string>>(() => {
    const t = (key: string, values?: Values) => translate(locale, key, values, catalogues);
    // Keys built from the vault's enums are checked: a code without a message fails the
    // type check, not the screen.
    const own = (key: LatchkeyMessageKey, values?: Values) => t(key, values);
    const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
    const numbers = new Intl.NumberFormat(locale);
    const invalidMessage = (error: ApiError) => {
      const reason = error.reason;
      if (!reason) return own("error.Validation");
      const limit = "limit" in reason ? numbers.format(reason.limit) : "";
      return own(`invalid.${reason.kind}`, { limit });
    };
    return {
      locale,
      setLocale,
      t,
      dateTime: (seconds) => dates.format(new Date(seconds * 1000)),
      number: (n) => numbers.format(n),
      errorMessage: (error) => {
        if (!(error instanceof ApiError)) return own("common.unexpected");
        if (error.code === "Conflict" && error.conflict) return own(`conflict.${error.conflict}`);
        if (error.code === "Validation") return invalidMessage(error);
        return own(`error.${error.code}`);
      },
      fieldError: (error, field) =>
        error instanceof ApiError && error.code === "Validation" && error.field === field
          ? invalidMessage(error)
          : undefined,
    };
  }, [locale, setLocale, catalogues]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
