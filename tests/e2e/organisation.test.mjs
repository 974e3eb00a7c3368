// Signing in with the organisation's OpenID provider, end to end: the real app in its
// window on a vault of its own, a real provider on loopback (tests/oidc/provider.mjs),
// and the system browser played by this test. The app opens the provider's page with
// `xdg-open`; the test puts an `xdg-open` of its own first on the app's PATH that writes
// the address to a file, then follows it over HTTP as a person's browser would: the
// provider's login and consent forms, then the redirect to the app's loopback listener.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { button, fillIn, heading, quitApp, screenshot, settled, startDriver, textIn } from "./screen.mjs";
import { Session } from "./webdriver.mjs";

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

const root = resolve(import.meta.dirname, "../..");
const application = process.env.LATCHKEY_E2E_APP ?? join(root, "target/debug/latchkey");
const shots = join(root, "target/e2e/screenshots");
const port = Number(process.env.ORGANISATION_E2E_PORT ?? 4456);
const base = `http://127.0.0.1:${port}`;
const work = mkdtempSync(join(tmpdir(), "latchkey-org-e2e-"));
const dataDir = join(work, "data");
const bin = join(work, "bin");
const opened = join(work, "opened.txt");
const people = join(work, "people.json");
mkdirSync(dataDir);
mkdirSync(bin);

// The "system browser": it only notes the address it was asked to open.
writeFileSync(join(bin, "xdg-open"), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`);
chmodSync(join(bin, "xdg-open"), 0o755);
// The step-up window stays at its default: setting the offline password needs a sign-in
// through the provider within it.
const env = {
  LATCHKEY_DATA_DIR: dataDir,
  PATH: `${bin}:${process.env.PATH}`,
};

const ADMIN = { email: "it@clinic.example", name: "Dana Kim", password: "granite owl above the ferry" };
const OFFLINE_PASSWORD = "pencil case by the till";
const PEOPLE = {
  mina: { email: "mina@clinic.example", name: "Mina Park", groups: ["desk-admins"] },
  jo: { email: "jo@clinic.example", name: "Jo Lee", groups: [] },
};

let driver;
let app;
let provider;
let issuer;
const findings = {};
const fill = (label, value) => fillIn(app, label, value);
const shot = (name) =>
  screenshot(app, { dir: shots, name, findings, findingsFile: join(shots, "..", "axe-organisation.json") });

/** Starts the provider; resolves with its issuer once it listens. */
function startProvider() {
  writeFileSync(people, JSON.stringify(PEOPLE));
  provider = spawn("node", [join(root, "tests/oidc/provider.mjs")], {
    cwd: root,
    env: { ...process.env, LATCHKEY_OIDC_PEOPLE_FILE: people },
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((done, fail) => {
    provider.once("error", fail);
    createInterface({ input: provider.stdout }).once("line", (line) => done(JSON.parse(line).issuer));
  });
}

function stopProvider() {
  if (!provider) return Promise.resolve();
  const gone = new Promise((done) => provider.once("exit", done));
  provider.stdin.end();
  provider = undefined;
  return gone;
}

/** The next address the app asked the "system browser" to open. */
async function nextOpened(seen) {
  for (let waited = 0; waited < 20_000; waited += 100) {
    const lines = existsSync(opened) ? readFileSync(opened, "utf8").trim().split("\n").filter(Boolean) : [];
    if (lines.length > seen) return new URL(lines[seen]);
    await sleep(100);
  }
  throw new Error("the app never opened the browser");
}

/**
 * A person's browser at the provider: it keeps cookies, signs in as `login` (the test
 * provider takes any password), agrees to share the details, and finally follows the
 * redirect to the app's loopback listener.
 */
async function playBrowser(start, login) {
  const cookies = new Map();
  const send = async (url, init = {}) => {
    const headers = { ...(init.headers ?? {}), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") };
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1));
    }
    return response;
  };
  let next = start;
  for (let hop = 0; hop < 12; hop += 1) {
    const response = await send(next);
    if (response.status >= 300 && response.status < 400) {
      const target = new URL(response.headers.get("location"), next);
      if (target.host !== next.host) {
        // Back to the app: the listener answers with its own page.
        const back = await fetch(target);
        assert.equal(back.status, 200, "the app's listener took the redirect");
        return;
      }
      next = target;
      continue;
    }
    const page = await response.text();
    const action = /action="([^"]+)"/.exec(page)?.[1];
    assert.ok(action, `a form on the provider's page (${response.status})`);
    const form = page.includes('value="login"')
      ? { prompt: "login", login, password: "any password" }
      : { prompt: "consent" };
    const posted = await send(new URL(action, next), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
    assert.ok(posted.status >= 300 && posted.status < 400, `the form was taken (${posted.status})`);
    next = new URL(posted.headers.get("location"), next);
  }
  throw new Error("the provider never sent the browser back");
}

/** Waits for `xpath`, answering the password dialog first if it comes. */
async function afterStepUp(xpath) {
  const dialog = `//dialog//h2[normalize-space()='Confirm your password']`;
  await app.until("the result or the password dialog", async () => (await app.exists(xpath)) || (await app.exists(dialog))).catch(async (e) => {
    writeFileSync(join(shots, "organisation-failure.png"), await app.screenshot());
    throw e;
  });
  if (await app.exists(dialog)) {
    await fill("Your password", ADMIN.password);
    await (await app.find(button("Confirm"))).click();
  }
  return app.find(xpath);
}

async function signOut() {
  await (await app.find(button("Sign out"))).click();
  await app.find(heading("Sign in"));
}

let browserOpens = 0;

/** Presses "Sign in with Clinic ID" and plays the browser as `login`. */
async function signInThroughProvider(login, shotName) {
  await (await app.find(button("Sign in with Clinic ID"))).click();
  const url = await nextOpened(browserOpens);
  browserOpens += 1;
  assert.equal(url.origin, issuer);
  assert.equal(url.searchParams.get("code_challenge_method"), "S256");
  await app.find(textIn("Finish signing in with Clinic ID in your browser, then come back here."));
  if (shotName) {
    await settled(app);
    await shot(shotName);
  }
  await playBrowser(url, login);
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  issuer = await startProvider();
  driver = await startDriver(port, env);
  app = await Session.start(base, application, env);
});

after(async () => {
  await quitApp(app, application);
  driver?.kill();
  await stopProvider();
  rmSync(work, { recursive: true, force: true });
});

test("signing in with the organisation's provider", async (t) => {
  await t.test("the admin sets up the provider on the security page", async () => {
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
    await (await app.find(`//nav//a[normalize-space()='Security']`)).click();
    await app.find(heading("Security"));
    await (await app.find(button("Add an identity provider"))).click();
    await fill("Name on the button", "Clinic ID");
    await fill("Issuer URL", issuer);
    await fill("Client ID", "latchkey-desk");
    await fill("Scopes", "email profile groups");
    await fill("Admin claim", "groups");
    await fill("Admin group", "desk-admins");
    await app.execute("document.getElementById('providers-title').scrollIntoView({ block: 'start' });");
    await shot("40-identity-provider-form");
    await (await app.find(`//section[@aria-labelledby='providers-title']//button[normalize-space()='Save']`)).click();
    await afterStepUp(textIn("Clinic ID is saved. Its sign-in button is on the sign-in screen."));
    await app.find(textIn(issuer));
    await app.execute("document.getElementById('providers-title').scrollIntoView({ block: 'start' });");
    await shot("41-identity-providers");
    await signOut();
  });

  await t.test("a person in the admin group signs in through the browser as an admin", async () => {
    await app.find(button("Sign in with Clinic ID"));
    await shot("42-sign-in-with-organisation");
    await signInThroughProvider("mina", "43-waiting-for-browser");
    await app.find(heading("Administration"));
    await app.find(`//header//*[contains(normalize-space(), 'Mina Park')]`);
    await signOut();
  });

  await t.test("anyone else signs in as a user, and sets a password for offline use", async () => {
    await signInThroughProvider("jo");
    await app.find(heading("Welcome, Jo Lee"));
    assert.equal(await app.exists(`//nav//a[normalize-space()='Accounts']`), false, "no admin pages");
    await app.execute("window.location.hash = '#/profile';");
    await app.find(heading("My profile"));
    await app.find(textIn("You sign in with Clinic ID. Your name, email and role come from there."));
    const card = "//section[@aria-labelledby='org-link-title']";
    await (await app.find(`${card}//input[@name='newPassword']`)).type(OFFLINE_PASSWORD);
    await fill("Confirm new password", OFFLINE_PASSWORD);
    await settled(app);
    await app.execute("document.getElementById('org-link-title').scrollIntoView({ block: 'start' });");
    await shot("44-organisation-profile");
    await (await app.find(`${card}//button[normalize-space()='Set the offline password']`)).click();
    await app.find(textIn("Your offline password is set."));
    await signOut();
  });

  await t.test("the password works only while the provider cannot be reached", async () => {
    await fill("Email", PEOPLE.jo.email);
    await fill("Password", OFFLINE_PASSWORD);
    await (await app.find(button("Sign in"))).click();
    await app.find(`//*[@role='alert'][contains(normalize-space(), 'Your organisation can be reached: sign in with it.')]`);
    await stopProvider();
    await fill("Password", OFFLINE_PASSWORD);
    await (await app.find(button("Sign in"))).click();
    await app.find(heading("Welcome, Jo Lee"));
    await signOut();
  });
});
