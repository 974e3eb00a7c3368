import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ErrorBoundary } from "./ErrorBoundary";
import { I18nProvider } from "../i18n/i18n";

function Broken(): never {
  throw new Error("a screen that cannot draw");
}

describe("a screen that fails to draw", () => {
  it("shows a reload page in the chosen language instead of a blank window", () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    render(
      <I18nProvider initial="ko">
        <ErrorBoundary>
          <Broken />
        </ErrorBoundary>
      </I18nProvider>,
    );
    expect(screen.getByRole("heading", { name: "문제가 발생했습니다" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "다시 불러오기" })).toBeTruthy();
    logged.mockRestore();
  });
});
