// App-level rows of `make bench`, run by scripts/bench-app.sh in a real window:
// IPC overhead (a protected plugin command against a no-op, and in the example host a
// command with a `Session` argument against one without), and start-up time and idle
// memory of the release build against a minimal Tauri app built with the same profile.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Session, waitForDriver } from "../e2e/webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const latchkey = join(root, "target/release/latchkey");
const minimal = join(root, "target/release/minimal-tauri");
const notesDesk = join(root, "target/release/notes-desk");
const port = 4470;
const base = `http://127.0.0.1:${port}`;
const RUNS = 7;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Resident memory (KiB) of `pid` and every process below it. */
function treeRss(pid) {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop();
    try {
      const status = readFileSync(`/proc/${current}/status`, "utf8");
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // Gone.
    }
    stack.push(...(children.get(current) ?? []));
  }
  return total;
}

function newestPid(binary) {
  const pids = execFileSync("pgrep", ["-n", "-f", `^${binary}`], { encoding: "utf8" }).trim();
  return Number(pids);
}

/**
 * Runs in the page: reports (through the WebDriver callback) the wall-clock time at
 * which an element matching the XPath first exists, watching the DOM rather than
 * polling, plus the page's own timings. `firstScreen` is the app's User Timing mark
 * (absent in the minimal app).
 */
const WHEN_VISIBLE = `
  const done = arguments[arguments.length - 1];
  const xpath = arguments[0];
  const found = () => document.evaluate(xpath, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
  const report = () => {
    const visible = performance.timeOrigin + performance.now();
    // The app's mark is set just after the frame it belongs to.
    requestAnimationFrame(() => setTimeout(() => {
      const paint = performance.getEntriesByName("first-contentful-paint")[0];
      const mark = performance.getEntriesByName("latchkey:first-screen")[0];
      done({ visible, navigationStart: performance.timeOrigin, firstPaint: paint ? paint.startTime : null, firstScreen: mark ? mark.startTime : null });
    }, 0));
  };
  if (found()) report();
  else new MutationObserver((_, observer) => { if (found()) { observer.disconnect(); report(); } })
    .observe(document, { subtree: true, childList: true });`;

/** Launches `binary`, waits for `xpath`, and returns the time and idle memory. */
async function launch(binary, env, xpath) {
  const started = Date.now();
  const app = await Session.start(base, binary, env);
  const page = await app.executeAsync(WHEN_VISIBLE, [xpath], 30000);
  await sleep(2000);
  const rss = treeRss(newestPid(binary));
  return { app, startup: page.visible - started, navigation: page.navigationStart - started, page, rss };
}

const driver = spawn(process.env.LATCHKEY_TAURI_DRIVER ?? "tauri-driver", ["--port", String(port), "--native-port", String(port + 1)], {
  stdio: ["ignore", "ignore", "inherit"],
});
await waitForDriver(base);
/**
 * 1,000 calls of `guarded` against 1,000 of `free`, five times, in the page. The two
 * alternate in blocks of 100, so a machine that slows for a moment slows both.
 */
async function timeCalls(app, guarded, free) {
  const runs = await app.executeAsync(
    `const [guardedCommand, freeCommand, done] = arguments;
    const invoke = window.__TAURI_INTERNALS__.invoke;
    const time = async (command, n) => {
      const start = performance.now();
      for (let i = 0; i < n; i += 1) await invoke(command, {});
      return performance.now() - start;
    };
    (async () => {
      await time(freeCommand, 200);
      await time(guardedCommand, 200);
      const runs = [];
      for (let r = 0; r < 5; r += 1) {
        let guarded = 0;
        let free = 0;
        for (let block = 0; block < 10; block += 1) {
          guarded += await time(guardedCommand, 100);
          free += await time(freeCommand, 100);
        }
        runs.push([guarded, free]);
      }
      done(runs);
    })().catch((e) => done(String(e)));`,
    [guarded, free],
  );
  if (!Array.isArray(runs)) throw new Error(`timing ${guarded} failed: ${runs}`);
  return {
    protected_ms_per_1000: median(runs.map((r) => r[0])),
    noop_ms_per_1000: median(runs.map((r) => r[1])),
    // Each run's own ratio, then the median: a run that the machine slowed counts once.
    ratio: median(runs.map((r) => r[0] / r[1])),
    runs,
  };
}

const results = {};
try {
  // A vault with an admin and nobody signed in: each launch opens on the sign-in form,
  // with argon2id already calibrated.
  const dataDir = mkdtempSync(join(tmpdir(), "latchkey-bench-"));
  const env = { LATCHKEY_DATA_DIR: dataDir };
  let app = await Session.start(base, latchkey, env);
  await app.find("//h1[normalize-space()='Welcome to Latchkey']", 30000);
  await app.executeAsync(`
    const done = arguments[arguments.length - 1];
    window.__TAURI_INTERNALS__.invoke("plugin:latchkey|create_first_admin", { request: {
      email: "bench@latchkey.example", displayName: "Bench", password: "granite owl above the ferry" } })
      .then(() => done(true), (e) => done(JSON.stringify(e)));`);

  results.ipc = await timeCalls(app, "plugin:latchkey|current_user", "plugin:latchkey|ping");
  await app.executeAsync(`
    const done = arguments[arguments.length - 1];
    window.__TAURI_INTERNALS__.invoke("plugin:latchkey|logout", {}).then(() => done(true), () => done(false));`);
  await app.quit();

  // The example host: its own command with a `Session` argument (`list_notes`, for a
  // person with no notes: the check and one indexed read) against its own command
  // without one (`note_limit`).
  const deskDir = mkdtempSync(join(tmpdir(), "notes-desk-bench-"));
  const desk = await Session.start(base, notesDesk, { LATCHKEY_DATA_DIR: deskDir });
  await desk.find("//h1[normalize-space()='Welcome to Latchkey']", 30000);
  await desk.executeAsync(`
    const done = arguments[arguments.length - 1];
    window.__TAURI_INTERNALS__.invoke("plugin:latchkey|create_first_admin", { request: {
      email: "bench@latchkey.example", displayName: "Bench", password: "granite owl above the ferry" } })
      .then(() => done(true), (e) => done(JSON.stringify(e)));`);
  results.host_ipc = await timeCalls(desk, "list_notes", "note_limit");
  await desk.quit();

  const measure = async (name, binary, launchEnv, xpath) => {
    const startups = [];
    const navigations = [];
    const firstScreens = [];
    const memory = [];
    for (let run = 0; run < RUNS; run += 1) {
      const launched = await launch(binary, launchEnv, xpath);
      startups.push(launched.startup);
      navigations.push(launched.navigation);
      firstScreens.push(launched.page.firstScreen ?? launched.page.firstPaint);
      memory.push(launched.rss);
      await launched.app.quit();
      await sleep(500);
    }
    results[name] = {
      startup_ms: median(startups),
      startup_runs_ms: startups,
      // From launch to the page's navigation start: the process, the window, WebKit.
      navigation_ms: median(navigations),
      // From navigation start to the first screen (the app's mark, else first paint).
      first_screen_ms: median(firstScreens),
      rss_kib: median(memory),
      rss_runs_kib: memory,
    };
  };
  await measure("latchkey", latchkey, env, "//h1[normalize-space()='Sign in']");
  await measure("minimal", minimal, {}, "//h1[normalize-space()='Minimal']");
} finally {
  driver.kill();
}
mkdirSync(join(root, "target/bench"), { recursive: true });
writeFileSync(join(root, "target/bench/app.json"), JSON.stringify(results, null, 2) + "\n");
console.log(JSON.stringify(results, null, 2));
