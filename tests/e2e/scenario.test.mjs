// The end-to-end scenario in the real app: a release-like build (assets served by the
// custom protocol) in a real WebKitGTK window, a real vault file, and a real Secret
// Service keyring. `scripts/e2e.sh` provides the display, the D-Bus session, the keyring
// and the build; this file drives the app through tauri-driver.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { answerSaveDialog, button, windowsNamed, fillIn, heading, literal, quitApp, screenshot, settled, startDriver, textIn } from "./screen.mjs";
import { Session } from "./webdriver.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const root = resolve(import.meta.dirname, "../..");
const application = process.env.LATCHKEY_E2E_APP ?? join(root, "target/debug/latchkey");
const shots = join(root, "target/e2e/screenshots");
const port = Number(process.env.LATCHKEY_E2E_PORT ?? 4444);
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), "latchkey-e2e-"));
// A step-up window of 1 s instead of five minutes, so the password dialog shows after a
// short pause rather than a long one.
const env = { LATCHKEY_DATA_DIR: dataDir, LATCHKEY_STEP_UP_SECONDS: "1" };
const vaultFile = join(dataDir, "vault.sqlite");
/** Sends logind's signals on the private bus that stands in for the system bus. */
const logindSignal = process.env.LATCHKEY_E2E_LOGIND ?? join(root, "target/debug/examples/logind_signal");
/** That private bus: a dbus-daemon of this run's own, named to the app as the system bus. */
let systemBus;

const ADMIN = { email: "admin@clinic.example", name: "Ada Admin", password: "morning shift at the front desk" };
const USER = { email: "mina@clinic.example", name: "Mina Park", password: "evening rounds with a torch" };

let driver;
let app;
/** Secrets seen during the run (temporary passwords, the session token), for the log check. */
const seenSecrets = [];

async function fill(label, value) {
  await fillIn(app, label, value);
}

/** Every screen's axe findings, written beside the screenshots. */
const axeFindings = {};

/** Saves a screenshot of the screen, and checks the screen's accessibility. */
async function shot(name) {
  await screenshot(app, { dir: shots, name, findings: axeFindings, findingsFile: join(shots, "..", "axe.json") });
}

/**
 * Session entries Latchkey keeps in the Secret Service (the keyring of this test's
 * D-Bus). The audit anchor beside them is not a session and stays after sign-out.
 */
function keyringEntries() {
  try {
    const text = execFileSync("secret-tool", ["search", "--all", "service", "app.latchkey.desktop"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    // secret-tool prints attributes to standard error: tell a session token (`id.secret`)
    // from the anchor (`row:hash`) by its form.
    const blocks = text.split(/^(?=\[\/)/m).filter((block) => block.startsWith("[/"));
    const sessions = blocks.filter((block) => /^secret = [\w-]{22}\.[\w-]{22}$/m.test(block));
    for (const block of sessions) {
      const secret = block.match(/^secret = (.*)$/m);
      if (secret) seenSecrets.push(secret[1].trim());
    }
    return sessions;
  } catch {
    return [];
  }
}

/** The app's log files (in the throwaway HOME), joined. */
function logText() {
  const dir = join(homedir(), ".local/share/app.latchkey.desktop/logs");
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), "utf8"))
    .join("\n");
}

/** The app's log exists and holds no password or token. */
function checkLogs() {
  const text = logText();
  assert.match(text, /Latchkey .* starting/);
  assert.ok(seenSecrets.length >= 2, "the run saw a temporary password and a session token");
  for (const secret of [ADMIN.password, USER.password, "$argon2id", ...seenSecrets]) {
    assert.equal(text.includes(secret), false, `the log contains ${secret}`);
  }
}

async function launch() {
  app = await Session.start(base, application, env);
}

async function signIn(email, password) {
  await fill("Email", email);
  await fill("Password", password);
  await (await app.find(button("Sign in"))).click();
}

/**
 * Waits for `xpath`, first completing the password dialog if the vault asked for a
 * recent password check (the suite's step-up window is one second, so whether it asks
 * depends on how long the steps before took).
 */
async function afterStepUp(xpath, password) {
  const dialog = `//dialog//h2[normalize-space()='Confirm your password']`;
  await app.until("the result or the password dialog", async () => (await app.exists(xpath)) || (await app.exists(dialog)));
  if (await app.exists(dialog)) {
    await fill("Your password", password);
    await (await app.find(button("Confirm"))).click();
  }
  return app.find(xpath);
}

const lockScreen = heading(`${USER.name}'s session is locked`);

/** Unlocks the lock screen with `password` and waits for it to go. */
async function unlock(password) {
  await fill("Password", password);
  await (await app.find(button("Unlock"))).click();
  await app.until("the lock screen to go", async () => !(await app.exists(lockScreen)));
}

/** Unlocks `name`'s session with `password` and waits for the lock screen to go. */
async function unlockAs(name, password) {
  await fill("Password", password);
  await (await app.find(button("Unlock"))).click();
  await app.until("the lock screen to go", async () => !(await app.exists(heading(`${name}'s session is locked`))));
}

const lockReason = (text) => `//*[contains(@class, 'lock-reason')][normalize-space()=${literal(text)}]`;

/**
 * With an eight-second auto-lock: the warning counts down, then the session locks by
 * itself and says why.
 */
async function idleLock() {
  // Whether it starts locked depends on how long the relaunch took.
  const dashboard = heading(`Welcome, ${USER.name}`);
  await app.until("the app to open", async () => (await app.exists(lockScreen)) || (await app.exists(dashboard)));
  if (await app.exists(lockScreen)) await unlock(USER.password);
  await app.find(dashboard);
  // No input from here on: the warning shows the seconds left, then the lock comes.
  await app.find(`//*[contains(@class, 'idle-warning')][contains(normalize-space(), 'Locking in')]`);
  await shot("21-idle-warning");
  await app.find(lockScreen, 20000);
  await app.find(lockReason("Locked after 8 seconds without activity."));
  await shot("22-idle-locked");
  await unlock(USER.password);
}

async function signOut() {
  await (await app.find(button("Sign out"))).click();
  await app.find(heading("Sign in"));
}

/** Starts a dbus-daemon of the test's own and returns it with its address. */
async function privateBus() {
  const daemon = spawn("dbus-daemon", ["--session", "--nofork", "--print-address"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const address = await new Promise((resolve, reject) => {
    daemon.stdout.once("data", (data) => resolve(String(data).trim()));
    daemon.once("error", reject);
  });
  return { daemon, address };
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  systemBus = await privateBus();
  env.DBUS_SYSTEM_BUS_ADDRESS = systemBus.address;
  driver = await startDriver(port, env);
});

after(async () => {
  await quitApp(app, application);
  driver?.kill();
  systemBus?.daemon.kill();
});

test("first run, sign-in, roles, and a session that survives a restart", async (t) => {
  t.after(() => checkLogs());
  await launch();

  await t.test("an empty vault opens the first-run wizard", async () => {
    await app.find(heading("Welcome to Latchkey"));
    await shot("01-first-run");
  });

  await t.test("the wizard creates the first admin and signs them in", async () => {
    await fill("Email", ADMIN.email);
    await fill("Your name", ADMIN.name);
    await fill("Password", ADMIN.password);
    await fill("Confirm password", ADMIN.password);
    await settled(app);
    await (await app.find(button("Create administrator"))).click();
    await app.find(heading("Administration"));
    // Both style sheets apply: the sign-in pieces' (its colours) and the app's (its header).
    const styled = await app.execute(
      `return [getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() !== "",
               getComputedStyle(document.querySelector(".topbar")).display];`,
    );
    assert.deepEqual(styled, [true, "flex"]);
    await shot("02-admin-dashboard");
  });

  await t.test("signing out returns to the sign-in page", async () => {
    await signOut();
    await app.find(textIn("You have signed out."));
    await shot("03-sign-in");
  });

  await t.test("a wrong password shows the one error message, and quick retries a delay", async () => {
    await signIn(ADMIN.email, "not the admin password");
    await app.find(`//*[@role='alert' and normalize-space()='Invalid email or password.']`);
    await shot("04-wrong-password");
    // Each failure lengthens the wait (1 s, then 3 s after the third): keep trying at
    // once until the app says to wait.
    const throttled = `//*[@role='alert' and starts-with(normalize-space(), 'Too many failed attempts. Try again in')]`;
    for (let attempt = 0; attempt < 5 && !(await app.exists(throttled)); attempt += 1) {
      await signIn(ADMIN.email, `wrong guess number ${attempt}`);
      await app.until("the attempt to finish", async () => !(await app.exists(button("Signing in…"))));
    }
    await app.find(throttled);
    await shot("04b-throttled");
    await sleep(3500);
  });

  let temporary;
  await t.test("the admin signs in and creates a user with a one-time password", async () => {
    await signIn(ADMIN.email, ADMIN.password);
    await app.find(heading("Administration"));
    await (await app.find(`//nav//a[normalize-space()='Accounts']`)).click();
    await app.find(heading("Accounts"));
    await (await app.find(button("New account"))).click();
    await fill("Email", USER.email);
    await fill("Name", USER.name);
    await fill("Team (optional)", "front desk");
    await fill("Phone (optional)", "010-2345-6789");
    await (await app.find(button("Create account"))).click();
    const secret = await afterStepUp(`//*[@data-testid='temporary-password']`, ADMIN.password);
    temporary = (await secret.text()).trim();
    seenSecrets.push(temporary);
    assert.match(temporary, /^[a-z0-9]{5}(-[a-z0-9]{5}){3}$/);
    await (await app.find(button("Copy"))).click();
    await app.find(`//*[starts-with(normalize-space(), 'Copied. Latchkey empties the clipboard again')]`);
    await shot("05-temporary-password");
    await (await app.find(button("Close"))).click();
    await app.find(`//table//th[contains(normalize-space(), '${USER.email}')]`);
    await shot("06-accounts");
  });

  await t.test("the user signs in, must replace the temporary password, and sees the user view", async () => {
    await signOut();
    await signIn(USER.email, temporary);
    await app.find(heading("Choose a new password"));
    await shot("07-forced-password-change");
    await fill("Temporary password", temporary);
    await fill("New password", USER.password);
    await fill("Confirm new password", USER.password);
    await settled(app);
    await (await app.find(button("Change password"))).click();
    await app.find(heading(`Welcome, ${USER.name}`));
    assert.equal(await app.exists(`//nav//a[normalize-space()='Accounts']`), false);
    await shot("08-user-dashboard");
  });

  await t.test("the admin console by URL shows access denied to the user", async () => {
    await app.execute("window.location.hash = '#/admin';");
    await app.find(heading("Access denied"));
    await shot("09-access-denied");
  });

  await t.test("the window refuses to leave the app's own pages, and the log says so", async () => {
    // Port 8999: WebKit itself blocks well-known ports such as 9 before asking the app.
    for (const target of ["data:text/html,<h1>Elsewhere</h1>", "http://127.0.0.1:8999/"]) {
      await app.execute(`window.location.href = ${JSON.stringify(target)};`);
      await sleep(500);
      assert.match(await app.execute("return window.location.href;"), /^tauri:\/\/localhost/);
      await app.find(heading("Access denied"));
    }
    await app.until("the refusals to reach the log", async () => {
      const text = logText();
      return text.includes("refused to navigate window main to a data page")
        && text.includes("refused to navigate window main to a http page at 127.0.0.1");
    });
  });

  await t.test("the directory shows the user's own phone number but not the admin's", async () => {
    await app.execute("window.location.hash = '#/directory';");
    await app.find(heading("Directory"));
    await app.find(`//tr[th[normalize-space()='${USER.name}']]/td[normalize-space()='010-2345-6789']`);
    await app.find(`//tr[th[normalize-space()='${ADMIN.name}']]/td[normalize-space()='Not shown']`);
    await shot("10-directory");
  });

  await t.test("after quitting and relaunching, the session comes back from the keyring", async () => {
    assert.equal(keyringEntries().length, 1, "one token in the keyring while signed in");
    // The window also comes back at the size it was given.
    await app.setWindowSize(1000, 700);
    const stateFile = join(homedir(), ".config/app.latchkey.desktop/.window-state.json");
    await app.until("the window's size written down", async () => {
      try {
        return JSON.parse(readFileSync(stateFile, "utf8")).main?.width === 1000;
      } catch {
        return false;
      }
    });
    // Wait for the process to end: a new launch while the old one still holds the
    // single-instance name would hand its arguments over and exit.
    await quitApp(app, application);
    app = undefined;
    await launch();
    await app.find(heading(`Welcome, ${USER.name}`));
    const rect = await app.windowRect();
    assert.deepEqual([rect.width, rect.height], [1000, 700]);
    await shot("11-restored-session");
  });

  await t.test("Lock covers the page, commands answer SessionLocked, and a half-typed edit survives the unlock", async () => {
    await app.execute("window.location.hash = '#/profile';");
    await app.find(heading("My profile"));
    await fill("Name", "Mina Park-Lee");
    await (await app.find(button("Lock"))).click();
    await app.find(lockScreen);
    await app.find(lockReason("Locked by its owner."));
    // The page behind is still there, but takes no space and takes no input.
    assert.equal(await app.execute("return document.getElementById('profile-title').getClientRects().length;"), 0);
    assert.equal(await app.execute("return document.querySelector('.lock-guard').inert;"), true);
    const refused = await app.executeAsync(`const done = arguments[arguments.length - 1];
      window.__TAURI_INTERNALS__.invoke('plugin:latchkey|team_directory', { request: {} })
        .then(() => done('answered'), (error) => done(error.code));`);
    assert.equal(refused, "SessionLocked");
    await shot("20-lock-screen");
    await fill("Password", "not my password at all");
    await (await app.find(button("Unlock"))).click();
    await app.find(textIn("That password is not correct."));
    // The throttle's one-second wait after a failure.
    await sleep(1100);
    await unlock(USER.password);
    assert.equal(await app.execute("return document.querySelector('input[name=displayName]').value;"), "Mina Park-Lee");
    assert.equal(await app.execute("return document.querySelector('.lock-guard').inert;"), false);
  });

  await t.test("with a short auto-lock, a warning counts down and the idle session locks by itself", async () => {
    await quitApp(app, application);
    app = undefined;
    // The app takes its environment from the driver: a second driver, for this launch.
    const shortPort = port + 6;
    const shortDriver = await startDriver(shortPort, { ...env, LATCHKEY_AUTO_LOCK_SECONDS: "8" });
    try {
      app = await Session.start(`http://127.0.0.1:${shortPort}`, application, env);
      await idleLock();
    } finally {
      await quitApp(app, application);
      app = undefined;
      shortDriver.kill();
    }
    await launch();
    await app.find(heading(`Welcome, ${USER.name}`));
  });

  await t.test("when logind says the computer is going to sleep, the app locks at once", async () => {
    execFileSync(logindSignal, ["sleep"], { env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: systemBus.address } });
    await app.find(lockScreen);
    await app.find(lockReason("Locked because the computer went to sleep."));
    await shot("23-sleep-locked");
    await unlock(USER.password);
  });

  await t.test("a PIN set on the profile page unlocks the session, and a wrong one counts down", async () => {
    await app.execute("window.location.hash = '#/profile';");
    await app.find(heading("My profile"));
    await fill("New PIN", "274915");
    await fill("Confirm PIN", "274915");
    await fill("Your password", USER.password);
    await (await app.find(button("Save PIN"))).click();
    await app.find(textIn("Your PIN was saved."));
    await shot("24-profile-pin");
    await (await app.find(button("Lock"))).click();
    await app.find(lockScreen);
    await fill("PIN", "603128");
    await (await app.find(button("Unlock"))).click();
    await app.find(textIn("That PIN is not correct. 4 tries left."));
    await shot("25-lock-pin");
    await fill("PIN", "274915");
    await (await app.find(button("Unlock"))).click();
    await app.until("the lock screen to go", async () => !(await app.exists(lockScreen)));
    await app.find(heading("My profile"));
  });

  await t.test("someone else signs in from the lock screen, and the PIN switches back to a half-typed edit", async () => {
    await fill("Name", "Mina Half-Typed");
    await (await app.find(button("Lock"))).click();
    await app.find(lockScreen);
    // Esc goes from the person's unlock to everyone signed in here.
    await (await app.find("//main[@id='lock-screen']//input[@name='pin']")).type("\uE00C");
    await app.find(heading("Who is using this computer?"));
    await (await app.find(`//button[contains(normalize-space(), 'Someone else')]`)).click();
    await app.find(heading("Sign in as someone else"));
    await signIn(ADMIN.email, ADMIN.password);
    await app.find(heading("Administration"));
    // Nothing of Mina's screens is left in the page.
    assert.equal(await app.execute("return document.body.innerHTML.includes('Mina Half-Typed');"), false);
    assert.equal(keyringEntries().length, 2, "one keyring entry per person signed in");

    await (await app.find(button("Lock"))).click();
    await app.find(heading(`${ADMIN.name}'s session is locked`));
    await (await app.find(button("Back to everyone signed in"))).click();
    await app.find(heading("Who is using this computer?"));
    await app.find(`//button[contains(normalize-space(), ${literal(USER.name)})]`);
    await shot("26-person-picker");
    await (await app.find(`//button[contains(normalize-space(), ${literal(USER.name)})]`)).click();
    await app.find(lockScreen);
    await app.find(lockReason("Locked by its owner."));
    await fill("PIN", "274915");
    await (await app.find(button("Unlock"))).click();
    await app.find(heading("My profile"));
    assert.equal(await app.execute("return document.querySelector('input[name=displayName]').value;"), "Mina Half-Typed");
    assert.equal(await app.exists(`//nav//a[normalize-space()='Accounts']`), false);
    // The admin's session is locked in Rust, not only hidden: the page gets nothing.
    const refused = await app.executeAsync(`const done = arguments[arguments.length - 1];
      window.__TAURI_INTERNALS__.invoke('plugin:latchkey|list_accounts', { request: {} })
        .then(() => done('answered'), (error) => done(error.code));`);
    assert.equal(refused, "Forbidden");
  });

  await t.test("signing out ends one person's session; the last sign-out removes every keyring entry", async () => {
    await (await app.find(button("Sign out"))).click();
    // The admin is still signed in here, locked.
    await app.find(heading("Who is using this computer?"));
    await app.until("Mina's keyring entry to go", async () => keyringEntries().length === 1);
    await (await app.find(`//button[contains(normalize-space(), ${literal(ADMIN.name)})]`)).click();
    await app.find(heading(`${ADMIN.name}'s session is locked`));
    await app.find(lockReason("Locked by its owner."));
    await unlockAs(ADMIN.name, ADMIN.password);
    await app.find(heading("Administration"));
    await signOut();
    await app.until("the keyring entries to go", async () => keyringEntries().length === 0);
  });

  await t.test("an admin unlocks an email locked after too many failures", async () => {
    // A hundred failures take minutes of enforced waiting; the lock itself is tested with
    // a fixed clock in the vault's tests. Here the row is written as the vault would.
    execFileSync("sqlite3", [
      vaultFile,
      `INSERT INTO login_throttle (email, failures, last_failure_ms, locked_at)
       VALUES ('${USER.email}', 100, unixepoch() * 1000, unixepoch())`,
    ]);
    await signIn(USER.email, USER.password);
    await app.find(`//*[@role='alert' and contains(normalize-space(), 'an administrator can unlock it')]`);
    await signIn(ADMIN.email, ADMIN.password);
    await app.find(heading("Administration"));
    await (await app.find(`//nav//a[normalize-space()='Security']`)).click();
    await app.find(heading("Security"));
    await app.find(`//tr[th[contains(normalize-space(), '${USER.email}')]]`);
    await shot("13-security-locked");
    await (await app.find(`//tr[th[contains(normalize-space(), '${USER.email}')]]//button[normalize-space()='Unlock']`)).click();
    await afterStepUp(textIn(`${USER.email} was unlocked.`), ADMIN.password);
  });

  await t.test("an admin saves a backup where they choose in the save dialog, readable only by them", async () => {
    await (await app.find(button("Save a backup"))).click();
    // The password check comes first, if the last one is not recent; the OS's save
    // dialog after it.
    const title = "Save a backup of the vault";
    const stepUp = `//dialog//h2[normalize-space()='Confirm your password']`;
    await app.until("the password check or the save dialog", async () => windowsNamed(title).length > 0 || (await app.exists(stepUp)));
    if (windowsNamed(title).length === 0) {
      await fill("Your password", ADMIN.password);
      await (await app.find(button("Confirm"))).click();
    }
    const chosen = join(mkdtempSync(join(tmpdir(), "latchkey-e2e-backup-")), "front-desk-backup.sqlite");
    await answerSaveDialog(title, chosen);
    const saved = textIn(`Backup of 2 accounts saved as ${chosen}.`);
    const failed = `//*[@role='alert']`;
    await app.until("the backup's result", async () => (await app.exists(saved)) || (await app.exists(failed)), 20_000).catch(() => {});
    if (!(await app.exists(saved))) {
      const shown = (await app.exists(failed)) ? await (await app.find(failed)).text() : "nothing";
      assert.fail(`no backup was saved; the page shows ${shown}; the log ends:\n${logText().slice(-1500)}`);
    }
    await app.find(button("Show in folder"));
    assert.equal(statSync(chosen).mode & 0o777, 0o600);
    assert.equal(execFileSync("sqlite3", [chosen, "PRAGMA integrity_check;"], { encoding: "utf8" }).trim(), "ok");
    await shot("35-backup-saved");
  });

  await t.test("an admin raises the shortest password; the vault keeps and audits it", async () => {
    await (await app.find(`//nav//a[normalize-space()='Security']`)).click();
    await app.find(heading("Security"));
    const card = `//section[h2[normalize-space()='Sessions and sign-in']]`;
    const stored = () =>
      execFileSync("sqlite3", [vaultFile, "SELECT value FROM settings WHERE key = 'password_min_chars'"], {
        encoding: "utf8",
      }).trim();
    const dialog = `//dialog//h2[normalize-space()='Confirm your password']`;
    // Saves the shortest length, answering the password check if it comes, and waits
    // until the vault holds it (the notice of an earlier save may still be showing).
    const setShortest = async (chars) => {
      await fill("Shortest new password (characters)", String(chars));
      await (await app.find(`${card}//button[normalize-space()='Save']`)).click();
      await app.until("the password check or the save", async () => (await app.exists(dialog)) || stored() === String(chars));
      if (await app.exists(dialog)) {
        await fill("Your password", ADMIN.password);
        await (await app.find(button("Confirm"))).click();
      }
      await app.until(`the vault to hold ${chars}`, async () => stored() === String(chars));
    };
    await setShortest(20);
    await app.find(textIn("Saved. Sessions follow the new rules from their next check."));
    const audited = execFileSync(
      "sqlite3",
      [vaultFile, "SELECT count(*) FROM audit_log WHERE detail = 'password_min_chars 15 -> 20'"],
      { encoding: "utf8" },
    ).trim();
    assert.equal(audited, "1");
    await shot("37-sign-in-rules");
    // Back to the default, for the rest of the scenario.
    await setShortest(15);
  });

  await t.test("the About page names the build, the vault file and the licences", async () => {
    await (await app.find(`//nav//a[normalize-space()='About']`)).click();
    await app.find(heading("About Latchkey"));
    await app.find(textIn(vaultFile));
    // The app's own update command answers through the capability: a build without a
    // release key says it does not update itself (tests/updates.rs covers the rest).
    await app.find(`//p[starts-with(normalize-space(), 'This copy does not update itself.')]`);
    await (await app.find(`//summary[contains(normalize-space(), 'Rust crates')]`)).click();
    await app.find(`//table//th[normalize-space()='tauri']`);
    await shot("36-about");
  });

  await t.test("a role change asks for the password first", async () => {
    await (await app.find(`//nav//a[normalize-space()='Accounts']`)).click();
    const promote = await app.find(`//tr[th[contains(normalize-space(), '${USER.email}')]]//button[normalize-space()='Make administrator']`);
    // Let the sign-in's password check fall outside the (shortened) step-up window.
    await sleep(2500);
    await promote.click();
    await app.find(`//dialog//h2[normalize-space()='Confirm your password']`);
    await shot("14-step-up");
    await fill("Your password", ADMIN.password);
    await (await app.find(button("Confirm"))).click();
    await app.find(textIn(`Account ${USER.email} updated.`));
    await app.find(`//tr[th[contains(normalize-space(), '${USER.email}')]]//button[normalize-space()='Make user']`);
  });

  await t.test("an admin edits another account's team", async () => {
    await (await app.find(`//tr[th[contains(normalize-space(), '${USER.email}')]]//button[normalize-space()='Edit']`)).click();
    await app.find(`//dialog//h2[normalize-space()='Edit ${USER.email}']`);
    // A real modal: the platform's own, and the page behind takes no input.
    assert.equal(await app.execute("return document.querySelectorAll('dialog:modal').length;"), 1);
    // The dialog reads the account again; its fields appear with what the vault holds.
    await app.find(`//input[@name='team' and @value='front desk']`);
    await fill("Team (optional)", "night shift");
    await shot("14b-edit-account");
    await (await app.find(button("Save changes"))).click();
    // The account is an admin now: editing it asks for the password when the check is stale.
    await afterStepUp(`//tr[th[contains(normalize-space(), '${USER.email}')]]/td[normalize-space()='night shift']`, ADMIN.password);
  });

  await t.test("an admin looks at another account's sessions", async () => {
    await (await app.find(`//tr[th[contains(normalize-space(), '${USER.email}')]]//button[normalize-space()='Sessions']`)).click();
    await app.find(`//dialog//h2[normalize-space()='Sessions of ${USER.email}']`);
    // Mina signed out earlier: nothing of hers is held at this computer.
    await app.find(`//dialog//*[normalize-space()='No sessions at this computer.']`);
    // The dialog's first frame (still loading) can linger in the window's screenshot.
    await settled(app);
    await shot("34-account-sessions");
    await (await app.find(`//dialog//button[normalize-space()='Close']`)).click();
    await app.until("the dialog to close", async () => !(await app.exists("//dialog[@open]")));
  });

  await t.test("the header keeps to one line at the default and the smallest width, in both languages", async () => {
    // The header's labels whose text runs over more than one line.
    const wrapped = () =>
      app.execute(`return [...document.querySelectorAll(".topbar a, .topbar button, .topbar .who, .topbar .brand")]
        .filter((el) => getComputedStyle(el).display !== "none")
        .filter((el) => {
          // A text node that is laid out on more than one line is a wrapped label.
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.textContent.trim()) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) return true;
          }
          return false;
        })
        .map((el) => el.textContent.trim());`);
    for (const language of ["English", "한국어"]) {
      await (await app.find(button(language))).click();
      for (const width of [1100, 720]) {
        await app.setWindowSize(width, 760);
        await sleep(300);
        assert.deepEqual(await wrapped(), [], `${language} at ${width} px`);
        await shot(`16-header-${width}-${language === "English" ? "en" : "ko"}`);
      }
    }
    await (await app.find(button("English"))).click();
    await app.setWindowSize(1100, 760);
  });

  await t.test("the audit view lists the scenario's events and the chain verifies", async () => {
    await (await app.find(`//nav//a[normalize-space()='Audit log']`)).click();
    await app.find(heading("Audit log"));
    for (const event of ["First administrator created", "Sign-in", "Account created", "Password changed", "Unlocked", "Role changed", "Sign-out"]) {
      await app.find(`//table//th[normalize-space()='${event}']`);
    }
    await app.find(`//td/span[normalize-space()='Failure']`);
    await (await app.find(button("Verify chain"))).click();
    await app.find(`//*[starts-with(normalize-space(), 'The chain is intact')]`);
    await shot("15-audit-log");
    await signOut();
  });

  // After the audit view's check: the import's 202 rows would fill its first page.
  await t.test("an admin imports a class from a CSV file, problems first, then exports the list", async () => {
    await signIn(ADMIN.email, ADMIN.password);
    await app.find(heading("Administration"));
    await (await app.find(`//nav//a[normalize-space()='Accounts']`)).click();
    await app.find(heading("Accounts"));
    await (await app.find(button("Import or export (CSV)"))).click();
    await app.find(heading("Import and export accounts"));
    const dir = mkdtempSync(join(tmpdir(), "latchkey-e2e-import-"));
    const sql = (query) => execFileSync("sqlite3", [vaultFile, query], { encoding: "utf8" }).trim();

    // A file with a bad row: the check names it, and nothing is created.
    const flawed = join(dir, "class-with-a-typo.csv");
    writeFileSync(flawed, "email,name,role\nstudent001@school.example,Student 1,user\nstudent002-school.example,Student 2,user\n");
    await (await app.find(`//input[@type='file']`)).type(flawed);
    await app.find(textIn("class-with-a-typo.csv has 1 problem. Nothing was created: fix the file, then choose it again."));
    await app.find(`//table//tr[th[normalize-space()='3']]/td[normalize-space()='This is not in the expected format.']`);
    await app.execute("document.querySelector('main table').scrollIntoView({ block: 'end' });");
    await shot("38-import-problems");
    assert.equal(sql("SELECT count(*) FROM users WHERE email LIKE '%@school.example'"), "0");

    // The corrected file: 200 students and two teachers, made at once.
    const rows = ["email,name,role,team"];
    for (let i = 1; i <= 200; i += 1) rows.push(`student${String(i).padStart(3, "0")}@school.example,Student ${i},user,class ${i % 8}`);
    rows.push("teacher1@school.example,Teacher One,admin,staff", "teacher2@school.example,Teacher Two,admin,staff");
    const fixed = join(dir, "class.csv");
    writeFileSync(fixed, `${rows.join("\n")}\n`);
    await (await app.find(`//input[@type='file']`)).type(fixed);
    await app.find(textIn("class.csv is ready: 202 accounts, 2 of them administrators."));
    await (await app.find(button("Create 202 accounts"))).click();
    await afterStepUp(
      textIn("202 accounts were created. The temporary passwords below are shown only now: hand them over or save the list."),
      ADMIN.password,
    );
    await app.execute("document.querySelector('main .notice-success').scrollIntoView({ block: 'start' });");
    await shot("39-import-done");
    assert.equal(sql("SELECT count(*) FROM users WHERE email LIKE '%@school.example' AND must_change_password = 1"), "202");
    assert.equal(sql("SELECT count(*) FROM audit_log WHERE event = 'account_created' AND detail LIKE '%(import)'"), "202");

    // The list, through the OS's save dialog: private, formulas defused, no passwords.
    await (await app.find(button("Export to CSV"))).click();
    const title = "Save the account list";
    const stepUp = `//dialog//h2[normalize-space()='Confirm your password']`;
    await app.until("the password check or the save dialog", async () => windowsNamed(title).length > 0 || (await app.exists(stepUp)));
    if (windowsNamed(title).length === 0) {
      await fill("Your password", ADMIN.password);
      await (await app.find(button("Confirm"))).click();
    }
    const chosen = join(dir, "everyone.csv");
    await answerSaveDialog(title, chosen);
    await app.find(`//*[contains(normalize-space(), ${literal(`to ${chosen}.`)})]`, 20_000);
    assert.equal(statSync(chosen).mode & 0o777, 0o600);
    const list = readFileSync(chosen, "utf8");
    assert.match(list, /^email,name,role,team,phone,status,created_utc,last_sign_in_utc\n/);
    assert.match(list, /\nteacher2@school\.example,Teacher Two,admin,staff,,active,/);
    assert.equal(list.split("\n").filter(Boolean).length, 1 + Number(sql("SELECT count(*) FROM users")));
    assert.equal(sql("SELECT count(*) FROM audit_log WHERE event = 'accounts_exported'"), "1");
    await signOut();
  });

  await t.test("twelve sign-in calls sent at once from the page get one password check", async () => {
    const outcomes = await app.executeAsync(
      `const done = arguments[arguments.length - 1];
       const request = { email: arguments[0], password: "a burst of wrong guesses" };
       Promise.all(Array.from({ length: 12 }, () =>
         window.__TAURI_INTERNALS__.invoke("plugin:latchkey|login", { request }).then(() => "Ok", (e) => e?.code ?? String(e)),
       )).then(done);`,
      [ADMIN.email],
    );
    const counts = {};
    for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
    assert.deepEqual(counts, { InvalidCredentials: 1, Locked: 11 });
  });

  await t.test("an error the UI did not expect reaches the log file", async () => {
    await app.execute("setTimeout(() => { throw new Error('an error nobody expected'); }, 0);");
    await app.until("the error in the log", async () => logText().includes("uncaught error: Error: an error nobody expected"));
  });

  await t.test("the sign-in page speaks Korean", async () => {
    await (await app.find(button("한국어"))).click();
    await app.find(heading("로그인"));
    await shot("12-sign-in-korean");
  });
});
