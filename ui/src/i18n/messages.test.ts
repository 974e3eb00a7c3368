import { describe, expect, it, vi } from "vitest";
import { latchkeyMessages } from "tauri-plugin-latchkey-api";
import { pickLocale, translate } from "./i18n";
import { en, ko } from "./messages";
import type { MessageKey } from "./messages";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

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
