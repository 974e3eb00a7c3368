// The app's language: the guest package's i18n, with the app's own pages' catalogues
// added to the sign-in pieces'. Pages use `useI18n` from here, which knows both sets of
// keys.
import type { ReactNode } from "react";
import {
  I18nProvider as LatchkeyI18nProvider,
  translate as translateIn,
  useI18n as useLatchkeyI18n,
  withLatchkeyMessages,
} from "tauri-plugin-latchkey-api";
import type { Catalogues, I18n as LatchkeyI18n, Locale } from "tauri-plugin-latchkey-api";
import { en, ko } from "./messages";
import type { AppMessageKey, MessageKey } from "./messages";

export { I18nContext, LOCALES, pickLocale } from "tauri-plugin-latchkey-api";
export type { Locale } from "tauri-plugin-latchkey-api";

const APP_MESSAGES: Catalogues<AppMessageKey> = { en, ko };
/** Both catalogues, for `translate` outside React (the crash screen). */
const ALL = withLatchkeyMessages(APP_MESSAGES);

export type I18n = LatchkeyI18n<AppMessageKey>;

export function useI18n(): I18n {
  return useLatchkeyI18n<AppMessageKey>();
}

/** The message `key` in `locale`, from the app's and the sign-in pieces' catalogues. */
export function translate(locale: Locale, key: MessageKey, values?: Record<string, string | number>): string {
  return translateIn(locale, key, values, ALL);
}

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  return (
    <LatchkeyI18nProvider messages={APP_MESSAGES} {...(initial ? { initial } : {})}>
      {children}
    </LatchkeyI18nProvider>
  );
}
