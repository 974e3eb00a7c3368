/** The UI's languages. English is the fallback. */
export type Locale = "en" | "ko";

export const messages = {
  en: {
    tagline: "Offline sign-in for a shared computer.",
    notYet: "This build contains the account vault only; the sign-in screens arrive with the desktop app.",
  },
  ko: {
    tagline: "여러 사람이 함께 쓰는 컴퓨터를 위한 오프라인 로그인.",
    notYet: "이 빌드에는 계정 저장소만 들어 있습니다. 로그인 화면은 데스크톱 앱과 함께 제공됩니다.",
  },
} satisfies Record<Locale, Record<string, string>>;

/** The first of the OS's preferred languages that the UI speaks. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const language = tag.toLowerCase().split("-")[0];
    if (language === "ko" || language === "en") return language;
  }
  return "en";
}
