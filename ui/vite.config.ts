/// <reference types="vitest/config" />
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

/** The version in the workspace's Cargo.toml, the one the app and its packages carry. */
function version(): string {
  const manifest = readFileSync(new URL("../Cargo.toml", import.meta.url), "utf8");
  return manifest.match(/^\[workspace\.package\][^[]*?^version = "([^"]+)"/ms)?.[1] ?? "unknown";
}

/** The commit the UI is built from, for the About page; "unknown" outside a git checkout
 * (a source archive). */
function commit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

// The UI is served by Tauri from ui/dist; in development from this port.
export default defineConfig({
  root,
  plugins: [react()],
  define: {
    __LATCHKEY_VERSION__: JSON.stringify(version()),
    __LATCHKEY_COMMIT__: JSON.stringify(commit()),
  },
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { outDir: "dist", emptyOutDir: true, target: "safari16" },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}", "packages/*/src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
  },
});
