// The installed package, driven like the end-to-end suite: `scripts/test-dist.sh` runs
// this twice inside one D-Bus session with one keyring, once after installing the .deb
// (PHASE=install) and once after upgrading to a newer build (PHASE=upgrade).
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { quitApp, startDriver } from "../e2e/screen.mjs";
import { Session } from "../e2e/webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const phase = process.env.PHASE;
const application = process.env.LATCHKEY_E2E_APP ?? "/usr/bin/latchkey";
const shots = join(root, "target/dist/screenshots");
const port = 4460;
const base = `http://127.0.0.1:${port}`;
const env = { LATCHKEY_DATA_DIR: process.env.LATCHKEY_DATA_DIR };
const ADMIN = { email: "owner@shop.example", name: "Shop Owner", password: "copper kettle on the night shelf" };

let driver;
let app;

const heading = (text) => `//h1[normalize-space()='${text}']`;
const field = (label) => `//input[@id=//label[normalize-space()='${label}']/@for]`;

async function fill(label, value) {
  const input = await app.find(field(label));
  await input.clear();
  await input.type(value);
}

before(async () => {
  assert.ok(env.LATCHKEY_DATA_DIR, "LATCHKEY_DATA_DIR is set");
  mkdirSync(shots, { recursive: true });
  driver = await startDriver(port, env);
  app = await Session.start(base, application, env);
});

after(async () => {
  // The app must be gone before the next phase (and before the runner can end).
  await quitApp(app, application);
  driver?.kill();
});

test(`the installed app (${phase})`, async () => {
  if (phase === "install") {
    await app.find(heading("Welcome to Latchkey"));
    writeFileSync(join(shots, "installed-first-run.png"), await app.screenshot());
    await fill("Email", ADMIN.email);
    await fill("Your name", ADMIN.name);
    await fill("Password", ADMIN.password);
    await fill("Confirm password", ADMIN.password);
    await (await app.find(`//button[normalize-space()='Create administrator']`)).click();
    await app.find(heading("Administration"));
  } else if (phase === "upgrade") {
    // The session made before the upgrade is still valid: straight to the dashboard.
    await app.find(heading("Administration"));
    writeFileSync(join(shots, "upgraded-still-signed-in.png"), await app.screenshot());
    await (await app.find(`//nav//a[normalize-space()='Accounts']`)).click();
    await app.find(`//table//th[contains(normalize-space(), '${ADMIN.email}')]`);
  } else {
    assert.fail(`unknown PHASE ${phase}`);
  }
});
