// Two-step sign-in end to end, in the real window on a vault of its own: setting it up
// from the profile page (the test reads the key off the page and computes the codes with
// Node's own HMAC, apart from the vault's implementation), signing in with the password
// and a code, signing in with a recovery code, and an admin's policy that makes a new
// person set it up right after their first password change.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { button, fillIn, heading, literal, quitApp, screenshot, settled, startDriver, textIn } from "./screen.mjs";
import { Session } from "./webdriver.mjs";

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

const root = resolve(import.meta.dirname, "../..");
const application = process.env.LATCHKEY_E2E_APP ?? join(root, "target/debug/latchkey");
const shots = join(root, "target/e2e/screenshots");
// Its own ports, apart from the other suites' drivers.
const port = Number(process.env.SECOND_FACTOR_E2E_PORT ?? 4452);
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), "latchkey-2fa-e2e-"));
const env = { LATCHKEY_DATA_DIR: dataDir, LATCHKEY_STEP_UP_SECONDS: "1" };

const ADMIN = { email: "chief@ward.example", name: "Hana Cho", password: "copper kettle by the north window" };
const NURSE = { email: "nurse@ward.example", name: "Jun Seo", password: "violet tram beneath the arches" };

let driver;
let app;
const findings = {};
const fill = (label, value) => fillIn(app, label, value);
const shot = (name) =>
  screenshot(app, { dir: shots, name, findings, findingsFile: join(shots, "..", "axe-second-factor.json") });

/** RFC 4648 base32, as the page shows the key (in groups). */
function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/\s/g, "")) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 with SHA-1, six digits, 30-second steps. */
function totp(key, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

const stepNow = () => Math.floor(Date.now() / 30_000);

/** The step after `used`, waiting for it if it has not begun: a step's code works once. */
async function freshStep(used) {
  while (stepNow() <= used) await sleep(500);
  return stepNow();
}

async function signIn(who, password = who.password) {
  await fill("Email", who.email);
  await fill("Password", password);
  await (await app.find(button("Sign in"))).click();
}

async function signOut() {
  await (await app.find(button("Sign out"))).click();
  await app.find(heading("Sign in"));
}

/**
 * Waits for `xpath`, answering the password dialog first if it comes: the password and,
 * for someone with two-step sign-in, a fresh code (`who.key`, after `who.step`).
 */
async function afterStepUp(xpath, who) {
  const dialog = `//dialog//h2[normalize-space()='Confirm your password']`;
  await app.until("the result or the password dialog", async () => (await app.exists(xpath)) || (await app.exists(dialog)));
  if (await app.exists(dialog)) {
    await fill("Your password", who.password);
    const code = "//dialog//input[@name='code']";
    await app.until("the dialog to ask for a code", async () => await app.exists(code));
    who.step = await freshStep(who.step);
    await fill("Code from the app", totp(who.key, who.step));
    await shot("33-step-up-with-code");
    await (await app.find(button("Confirm"))).click();
  }
  return app.find(xpath);
}

const card = "//section[@aria-labelledby='two-step-title']";

/** Sets up two-step sign-in on the card in view; returns the key, the step used and the codes. */
async function setUp(who, shotNames) {
  await (await app.find(button("Set up two-step sign-in"))).click();
  const keyText = await (await app.find("//*[@data-testid='totp-key']")).text();
  const key = base32(keyText);
  assert.equal(key.length, 20, "a 160-bit secret");
  await app.find(`//*[name()='svg'][@role='img'][@aria-label='QR code to scan with your authenticator app']`);
  await app.execute("document.querySelector('svg.qr').scrollIntoView({ block: 'center' });");
  if (shotNames) await shot(shotNames[0]);
  const step = stepNow();
  await fill("Code from the app", totp(key, step));
  const password = await app.find(`${card}//input[@name='password']`);
  await password.clear();
  await password.type(who.password);
  await (await app.find(`${card}//button[normalize-space()='Turn on']`)).click();
  await app.find(`//h3[normalize-space()='Your recovery codes']`);
  const codes = await app.execute(
    "return [...document.querySelectorAll('[data-testid=recovery-codes] code')].map((c) => c.textContent);",
  );
  assert.equal(codes.length, 10);
  for (const code of codes) assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  await app.execute("document.getElementById('recovery-codes-title').scrollIntoView({ block: 'center' });");
  if (shotNames) await shot(shotNames[1]);
  await (await app.find(button("I have saved these codes"))).click();
  return { key, step, codes };
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  driver = await startDriver(port, env);
  app = await Session.start(base, application, env);
});

after(async () => {
  await quitApp(app, application);
  driver?.kill();
});

test("two-step sign-in: set up, used, recovered, and required by an admin", async (t) => {
  let admin;
  await t.test("the first admin sets it up from the profile page", async () => {
    // The language is remembered per app, and another suite may have left it Korean.
    await (await app.find("//button[@lang='en']")).click();
    await app.find(heading("Welcome to Latchkey"));
    await fill("Email", ADMIN.email);
    await fill("Your name", ADMIN.name);
    await fill("Password", ADMIN.password);
    await fill("Confirm password", ADMIN.password);
    await settled(app);
    await (await app.find(button("Create administrator"))).click();
    await app.find(heading("Administration"));
    await app.execute("window.location.hash = '#/profile';");
    await app.find(heading("My profile"));
    admin = { ...ADMIN, ...(await setUp(ADMIN, ["28-two-step-setup", "29-recovery-codes"])) };
    await app.find(textIn("10 recovery codes left."));
  });

  await t.test("signing in asks for the app's code after the password, and refuses a wrong one", async () => {
    await signOut();
    await signIn(ADMIN);
    await app.find(textIn("Enter the 6-digit code from your authenticator app."));
    await shot("30-code-step");
    const step = await freshStep(admin.step);
    const wrong = totp(admin.key, step + 5);
    await fill("Code", wrong);
    await (await app.find(button("Verify"))).click();
    await app.find(textIn("That code is not correct. 4 tries left."));
    // Wrong codes are throttled like wrong passwords: the one-second wait.
    await sleep(1100);
    await fill("Code", totp(admin.key, stepNow()));
    await (await app.find(button("Verify"))).click();
    await app.find(heading("Administration"));
    admin.step = stepNow();
  });

  await t.test("a recovery code signs in once, and the page says how many are left", async () => {
    await signOut();
    await signIn(ADMIN);
    await (await app.find(button("Use a recovery code instead"))).click();
    await fill("Recovery code", admin.codes[0].toLowerCase());
    await (await app.find(button("Verify"))).click();
    await app.find(heading("Administration"));
    await app.find(textIn("You signed in with a recovery code. 9 are left."));
    await shot("31-recovery-sign-in");
  });

  let temporary;
  await t.test("an admin requires it of everyone and creates an account", async () => {
    await (await app.find(`//nav//a[normalize-space()='Security']`)).click();
    await app.find(heading("Security"));
    await app.find(textIn("Every active account has it."));
    await (await app.find(`//label[contains(normalize-space(), 'Everyone')]/input`)).click();
    await (await app.find(`//section[@aria-labelledby='second-factor-policy-title']//button[normalize-space()='Save']`)).click();
    await afterStepUp(`//section[@aria-labelledby='second-factor-policy-title']//*[normalize-space()='Saved.']`, admin);
    await (await app.find(`//nav//a[normalize-space()='Accounts']`)).click();
    await app.find(heading("Accounts"));
    await (await app.find(button("New account"))).click();
    await fill("Email", NURSE.email);
    await fill("Name", NURSE.name);
    await (await app.find(button("Create account"))).click();
    const secret = await afterStepUp(`//*[@data-testid='temporary-password']`, admin);
    temporary = (await secret.text()).trim();
    await (await app.find(button("Close"))).click();
    await signOut();
  });

  await t.test("the new person sets it up right after their first password change", async () => {
    await signIn(NURSE, temporary);
    await app.find(heading("Choose a new password"));
    await fill("Temporary password", temporary);
    await fill("New password", NURSE.password);
    await fill("Confirm new password", NURSE.password);
    await settled(app);
    await (await app.find(button("Change password"))).click();
    await app.find(heading("Set up two-step sign-in"));
    await app.find(textIn("Your administrator requires it for your account."));
    assert.equal(await app.exists("//nav"), false, "nothing else until it is set up");
    // The page refuses data commands meanwhile, whatever the page asks.
    const refused = await app.executeAsync(`const done = arguments[arguments.length - 1];
      window.__TAURI_INTERNALS__.invoke('plugin:latchkey|team_directory', { request: {} })
        .then(() => done('answered'), (error) => done(error.code));`);
    assert.equal(refused, "SecondFactorRequired");
    await shot("32-two-step-required");
    await setUp(NURSE);
    await app.find(heading(`Welcome, ${NURSE.name}`));
    await app.find(`//nav//a[normalize-space()=${literal("Directory")}]`);
    // Leave no session behind in the keyring the suites share.
    await signOut();
  });
});
