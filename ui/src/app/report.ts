// Errors the UI did not expect reach the app's log file, beside the Rust side's entries,
// so that a report from a desk can be read later. Only the error's own name, message and
// the first lines of its stack are sent: the UI puts no password or token in an error.
import { invoke } from "@tauri-apps/api/core";

/** tauri-plugin-log's level for errors. */
const ERROR = 5;
/** The longest entry written, in characters. */
const MAX_CHARS = 2000;

function describe(error: unknown): string {
  if (error instanceof Error) {
    const stack = (error.stack ?? "").split("\n").slice(0, 6).join("\n");
    return `${error.name}: ${error.message}${stack ? `\n${stack}` : ""}`;
  }
  return String(error);
}

/** Writes `error` to the app's log as an error from `where`; never throws. */
export function reportError(where: string, error: unknown): void {
  const message = `${where}: ${describe(error)}`.slice(0, MAX_CHARS);
  invoke("plugin:log|log", { level: ERROR, message, location: where }).catch(() => {
    // Without the log there is nowhere else to say it; the console has it already.
  });
}

/** Sends uncaught errors and unhandled promise rejections to the log from now on. */
export function reportUncaught(): void {
  window.addEventListener("error", (event) => reportError("uncaught error", event.error ?? event.message));
  window.addEventListener("unhandledrejection", (event) => reportError("unhandled rejection", event.reason));
}
