import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The notes window's UI, built into dist/ and compiled into the app.
export default defineConfig({
  root: fileURLToPath(new URL("./ui", import.meta.url)),
  plugins: [react()],
  clearScreen: false,
  build: { outDir: "../dist", emptyOutDir: true, target: "safari16" },
});
