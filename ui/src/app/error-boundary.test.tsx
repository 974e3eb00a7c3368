import { mockIPC } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ErrorBoundary } from "./ErrorBoundary";
import { I18nProvider } from "../i18n/i18n";

function Broken(): never {
  throw new Error("a screen that cannot draw");
}

describe("a screen that fails to draw", () => {
  it("shows a reload page in the chosen language instead of a blank window, and logs why", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const written: unknown[] = [];
    mockIPC((command, args) => {
      if (command === "plugin:log|log") written.push(args);
      return null;
    });
    render(
      <I18nProvider initial="ko">
        <ErrorBoundary>
          <Broken />
        </ErrorBoundary>
      </I18nProvider>,
    );
    expect(screen.getByRole("heading", { name: "문제가 발생했습니다" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "다시 불러오기" })).toBeTruthy();
    // The app's log file gets it too, as an error.
    await waitFor(() => expect(written).toHaveLength(1));
    expect(written[0]).toMatchObject({ level: 5, location: "a screen failed to draw" });
    expect((written[0] as { message: string }).message).toContain("Error: a screen that cannot draw");
    logged.mockRestore();
  });
});
