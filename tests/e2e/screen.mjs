// Reading and checking a screen the way a person would, shared by the end-to-end suites:
// XPath helpers that find things by their visible text, form filling, and a screenshot
// with an axe-core check of the real window.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { waitForDriver } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");

/** `text` as an XPath string literal, apostrophes included. */
export const literal = (text) => (text.includes("'") ? `concat('${text.split("'").join(`', "'", '`)}')` : `'${text}'`);
export const heading = (text) => `//h1[normalize-space()=${literal(text)}]`;
export const button = (text) => `//button[normalize-space()=${literal(text)}]`;
export const field = (label) => `//*[self::input or self::textarea][@id=//label[normalize-space()=${literal(label)}]/@for]`;
export const textIn = (text) => `//*[normalize-space()=${literal(text)}]`;

/** Types `value` into the field labelled `label`, replacing what was there. */
export async function fillIn(app, label, value) {
  const input = await app.find(field(label));
  await input.clear();
  await input.type(value);
}

/** axe-core's script, injected into the page before each check. */
const axeSource = readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8");

/**
 * Saves a screenshot of the screen as `dir/name.png`, then checks the screen with
 * axe-core in the real window: no serious or critical violation may remain. Every
 * finding is kept in `findings` and written to `findingsFile`.
 */
export async function screenshot(app, { dir, name, findings, findingsFile }) {
  writeFileSync(join(dir, `${name}.png`), await app.screenshot());
  if (!(await app.execute("return typeof window.axe === 'object';"))) await app.execute(axeSource);
  const violations = await app.executeAsync(
    `const done = arguments[arguments.length - 1];
     window.axe
       .run(document, { resultTypes: ["violations"] })
       .then((r) => done(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
         nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }))))
       .catch((e) => done([{ id: "axe-error", impact: "critical", help: String(e), nodes: [] }]));`,
  );
  findings[name] = violations;
  writeFileSync(findingsFile, JSON.stringify(findings, null, 2));
  const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(blocking, [], `axe found serious problems on ${name}`);
}

/** The ids of running processes started from `binary`. */
function processesOf(binary) {
  try {
    return execFileSync("pgrep", ["-f", `^${binary}`], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches.
  }
}

/**
 * Ends the WebDriver session, then makes sure the app itself is gone: an app left
 * running keeps the test runner's output pipe open, and the run never ends.
 */
export async function quitApp(app, binary) {
  await app?.quit().catch(() => {});
  for (let waited = 0; waited < 5000 && processesOf(binary).length > 0; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const pid of processesOf(binary)) {
    try {
      process.kill(Number(pid));
    } catch {
      // It ended meanwhile.
    }
  }
}

/**
 * Waits until the page has stopped changing for a moment (at most five seconds). A form
 * with a strength meter redraws when the vault's estimate arrives; a click aimed before
 * that redraw can land beside the button it meant.
 */
export async function settled(app, quietMs = 300) {
  await app.executeAsync(
    `const [quiet, done] = arguments;
     let timer;
     const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(finish, quiet); });
     const cap = setTimeout(finish, 5000);
     function finish() { observer.disconnect(); clearTimeout(cap); clearTimeout(timer); done(true); }
     observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
     timer = setTimeout(finish, quiet);`,
    [quietMs],
  );
}

/**
 * Starts tauri-driver on `port` (and the native driver on the next port) with `env`
 * added to the environment, and waits until it answers. Returns the driver's process.
 */
export async function startDriver(port, env) {
  // The driver's output (and so the app's) is copied through this process rather than
  // handed the test runner's own pipe: an app that outlives its test then cannot hold
  // that pipe open and keep the whole run waiting.
  const driver = spawn(
    process.env.LATCHKEY_TAURI_DRIVER ?? "tauri-driver",
    ["--port", String(port), "--native-port", String(port + 1)],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } },
  );
  driver.stdout.pipe(process.stdout);
  driver.stderr.pipe(process.stderr);
  await waitForDriver(`http://127.0.0.1:${port}`);
  return driver;
}

/** The ids of the top-level X windows titled exactly `title` (the app's native dialogs).
 * xwininfo prints titles as the window gives them (UTF-8); xdotool's search cannot match
 * Korean in the C locale. */
export function windowsNamed(title) {
  const tree = execFileSync("xwininfo", ["-root", "-children"], { encoding: "utf8" });
  return tree
    .split("\n")
    .map((line) => line.match(/^\s*(0x[0-9a-f]+) "(.*)": \(/))
    .filter((found) => found && found[2] === title)
    .map((found) => found[1]);
}

/** Waits for the native window titled `title` and returns its id. */
export async function nativeWindow(title, timeoutMs = 30_000) {
  for (const start = Date.now(); Date.now() - start < timeoutMs; ) {
    const found = windowsNamed(title);
    if (found.length > 0) return found[0];
    await new Promise((done) => setTimeout(done, 250));
  }
  assert.fail(`no window titled "${title}" appeared`);
}

/** Gives the native window `id` the keyboard once it is on screen: a window is listed
 * before it is mapped, X refuses to focus it until then, and keys sent meanwhile are lost. */
export async function focusWindow(id, timeoutMs = 30_000) {
  for (const start = Date.now(); !viewable(id) && Date.now() - start < timeoutMs; ) {
    await new Promise((done) => setTimeout(done, 250));
  }
  execFileSync("xdotool", ["windowfocus", "--sync", id]);
}

/** Answers the GTK save dialog titled `title` with the file `path`, as a person would:
 * the name field holds the proposed name, selected; typing a full path replaces it. */
export async function answerSaveDialog(title, path) {
  const id = await nativeWindow(title);
  await focusWindow(id);
  execFileSync("xdotool", ["key", "--clearmodifiers", "ctrl+a"]);
  execFileSync("xdotool", ["type", "--delay", "15", path]);
  // The name field completes folder names as they are typed, and a Return may first
  // take a completion: press it again while the dialog is still showing.
  const showing = () => windowsNamed(title).length > 0 && viewable(id);
  for (let tries = 0; tries < 5 && showing(); tries += 1) {
    execFileSync("xdotool", ["key", "Return"]);
    for (let wait = 0; wait < 8 && showing(); wait += 1) {
      await new Promise((done) => setTimeout(done, 250));
    }
  }
  if (showing()) {
    const tree = execFileSync("xwininfo", ["-root", "-children"], { encoding: "utf8" });
    assert.fail(`the save dialog "${title}" did not close:\n${tree}`);
  }
}

/** Whether the X window `id` is mapped and viewable (a closing dialog is listed a while
 * after it is gone from the screen). */
function viewable(id) {
  try {
    return /Map State: IsViewable/.test(execFileSync("xwininfo", ["-id", id], { encoding: "utf8" }));
  } catch {
    return false;
  }
}
