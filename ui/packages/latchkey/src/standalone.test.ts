// The guest package stands alone: a host gets everything it needs from the package and
// its peers, and the package reaches into no app's folders.
import { describe, expect, it } from "vitest";

const sources = import.meta.glob<string>("./**/*.{ts,tsx}", { query: "?raw", import: "default", eager: true });
const PEERS = ["react", "react-dom", "react-dom/client", "@tauri-apps/api/core", "@tauri-apps/api/mocks"];
const TEST_TOOLS = ["vitest", "@testing-library/react", "@testing-library/user-event"];

/** Whether `from`, imported by the file at `path` (both relative to this folder), stays inside it. */
function staysInside(path: string, from: string): boolean {
  const parts = path.split("/").slice(0, -1);
  for (const part of from.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
    if (parts.length === 0) return false;
  }
  return parts[0] === ".";
}

describe("the guest package", () => {
  it("imports only its own files and its peer dependencies", () => {
    const entries = Object.entries(sources);
    expect(entries.length).toBeGreaterThan(10);
    for (const [path, text] of entries) {
      const isTest = /\.test\.tsx?$/.test(path);
      for (const [, from] of text.matchAll(/^(?:import|export)[^;]*?from "([^"]+)";/gms)) {
        if (from === undefined) continue;
        if (from.startsWith(".")) expect(staysInside(path, from), `${path} imports ${from}`).toBe(true);
        else expect([...PEERS, ...(isTest ? TEST_TOOLS : [])], `${path} imports ${from}`).toContain(from);
      }
    }
  });

  it("would notice an import from the app", () => {
    expect(staysInside("./i18n/i18n.tsx", "../api")).toBe(true);
    expect(staysInside("./SignIn.tsx", "../../src/app/router")).toBe(false);
  });
});
