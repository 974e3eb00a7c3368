import { describe, expect, it } from "vitest";
import { messages, pickLocale } from "./i18n";

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

describe("messages", () => {
  it("has a Korean string for every English key", () => {
    const english = Object.keys(messages.en).sort();
    expect(Object.keys(messages.ko).sort()).toEqual(english);
    for (const key of english) {
      expect(messages.ko[key as keyof typeof messages.ko].trim()).not.toBe("");
    }
  });
});
