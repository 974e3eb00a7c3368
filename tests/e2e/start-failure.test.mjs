// A vault that cannot be opened, end to end: the real app, started on a damaged file or on
// a vault from a newer Latchkey, shows a native dialog that explains it (in the OS's
// language) instead of exiting silently, opens no window, changes nothing, and quits
// with status 1 when the person chooses Quit. The dialog is found by its title with
// xdotool, and answered with the Escape key, GTK's "cancel" (the Quit button).
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { focusWindow, windowsNamed } from "./screen.mjs";

const root = resolve(import.meta.dirname, "../..");
const latchkey = process.env.LATCHKEY_E2E_APP ?? join(root, "target/debug/latchkey");

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Starts the app on `dataDir` in `lang`, waits for the dialog titled `title`, presses
 * Escape, and resolves with the exit status, the log and whether a main window opened. */
async function startAndQuit(dataDir, lang, title) {
  const app = spawn(latchkey, [], {
    // LANG alone: the C library here may lack the locale (GTK then warns and uses C),
    // but the dialog takes its language from the name.
    env: { ...process.env, LATCHKEY_DATA_DIR: dataDir, LANG: lang, LC_ALL: "", LC_MESSAGES: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  app.stdout.on("data", (chunk) => (log += chunk));
  app.stderr.on("data", (chunk) => (log += chunk));
  const exited = new Promise((done) => app.on("exit", (code) => done(code)));
  let dialog = [];
  for (let tries = 0; tries < 120 && dialog.length === 0; tries += 1) {
    await sleep(250);
    dialog = windowsNamed(title);
  }
  const mainWindow = windowsNamed("Latchkey").length > 0;
  if (dialog.length === 0) {
    app.kill();
    await exited;
    assert.fail(`no dialog titled "${title}" appeared; the app said:\n${log}`);
  }
  await focusWindow(dialog[0]);
  execFileSync("xdotool", ["key", "Escape"]);
  const code = await Promise.race([exited, sleep(20_000).then(() => "still running")]);
  if (code === "still running") app.kill();
  return { code, log, mainWindow };
}

test("a vault that cannot be opened gets a dialog, not a silent exit", async (t) => {
  await t.test("a damaged file: the dialog in English, Quit ends the app with status 1, the file is untouched", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "latchkey-start-damaged-"));
    const vault = join(dataDir, "vault.sqlite");
    const damaged = "the first lines of a spreadsheet, saved under the wrong name\n".repeat(100);
    writeFileSync(vault, damaged);
    const { code, log, mainWindow } = await startAndQuit(dataDir, "en_US.UTF-8", "Latchkey cannot start");
    assert.equal(code, 1, log);
    assert.equal(mainWindow, false, "no app window opens on a vault that is not there");
    assert.match(log, /start-up dialog: NotAVault, in English/);
    assert.equal(readFileSync(vault, "utf8"), damaged);
  });

  await t.test("a vault from a newer Latchkey: the dialog in Korean, and the file keeps its version", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "latchkey-start-newer-"));
    const vault = join(dataDir, "vault.sqlite");
    execFileSync("sqlite3", [vault, "CREATE TABLE users (id INTEGER PRIMARY KEY); PRAGMA user_version = 99;"]);
    const { code, log } = await startAndQuit(dataDir, "ko_KR.UTF-8", "Latchkey를 시작할 수 없습니다");
    assert.equal(code, 1, log);
    assert.match(log, /start-up dialog: TooNew, in Korean/);
    assert.equal(execFileSync("sqlite3", [vault, "PRAGMA user_version;"], { encoding: "utf8" }).trim(), "99");
  });
});
