import { describe, expect, it, vi } from "vitest";
import { latchkeyMessages } from "tauri-plugin-latchkey-api";
import { pickLocale, translate } from "./i18n";
import { en, ko } from "./messages";
import type { MessageKey } from "./messages";

/** The values a message names: `{name}` and `{name, plural, …}` alike. */
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)(?:\}|,\s*plural,)/g)].map((m) => m[1]).sort();

describe("the Korean catalogues", () => {
  const catalogues: [string, Record<string, string>, Record<string, string>][] = [
    ["the app's pages", en, ko],
    ["the sign-in pieces", latchkeyMessages.en, latchkeyMessages.ko],
  ];
  it.each(catalogues)("have a string for every English key of %s, with the same placeholders", (_, english, korean) => {
    expect(Object.keys(korean).sort()).toEqual(Object.keys(english).sort());
    for (const key of Object.keys(english)) {
      expect(korean[key]?.trim(), key).not.toBe("");
      expect(placeholders(korean[key] ?? ""), key).toEqual(placeholders(english[key] ?? ""));
    }
  });

  it("never give one key two meanings", () => {
    const shared = Object.keys(en).filter((key) => key in latchkeyMessages.en);
    expect(shared).toEqual([]);
  });
});

describe("translate", () => {
  it("shows a key missing from the catalogue as the key, and logs it, rather than failing", () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(translate("ko", "event.not_yet_known" as MessageKey)).toBe("event.not_yet_known");
    expect(logged).toHaveBeenCalledWith("no message for event.not_yet_known");
    logged.mockRestore();
  });

  it("words a count by each language's plural rules", () => {
    expect(translate("en", "audit.intact", { rows: 1 })).toBe("The chain is intact: 1 event checked.");
    expect(translate("en", "audit.intact", { rows: 1234 })).toBe("The chain is intact: 1,234 events checked.");
    expect(translate("en", "security.paramsValue", { memory: 64, iterations: 1, lanes: 1 })).toBe(
      "argon2id, 64 MiB, 1 pass, 1 lane",
    );
    expect(translate("en", "security.paramsValue", { memory: 19, iterations: 2, lanes: 4 })).toBe(
      "argon2id, 19 MiB, 2 passes, 4 lanes",
    );
    expect(translate("ko", "audit.intact", { rows: 1234 })).toBe("체인이 온전합니다: 이벤트 1,234개를 확인했습니다.");
  });

  it("fills in placeholders", () => {
    expect(translate("en", "dashboard.userTitle", { name: "Mina" })).toBe("Welcome, Mina");
    expect(translate("ko", "dashboard.userTitle", { name: "민아" })).toBe("민아 님, 환영합니다");
  });
});

describe("pickLocale", () => {
  it("takes the first preferred language the UI speaks", () => {
    expect(pickLocale(["fr-FR", "ko-KR", "en-US"])).toBe("ko");
    expect(pickLocale(["en-GB"])).toBe("en");
  });

  it("falls back to English", () => {
    expect(pickLocale(["fr-FR"])).toBe("en");
    expect(pickLocale([])).toBe("en");
  });
});
