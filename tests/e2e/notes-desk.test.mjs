// The second host, end to end: Notes Desk (examples/notes-desk) hosts Latchkey's plugin
// in a real WebKitGTK window, on its own vault and keyring. Two people sign in in turn and
// each sees only their own notes; with nobody signed in the host's command refuses; and
// the window that was granted only `latchkey:default` cannot reach the admin console.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { button, fillIn, heading, quitApp, screenshot, settled, startDriver, textIn } from "./screen.mjs";
import { Session } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const desk = process.env.NOTES_DESK_E2E_APP ?? join(root, "target/debug/notes-desk");
const latchkey = process.env.LATCHKEY_E2E_APP ?? join(root, "target/debug/latchkey");
const shots = join(root, "target/e2e/screenshots");
// Its own ports, so that it never meets the other suite's driver.
const port = Number(process.env.NOTES_DESK_E2E_PORT ?? 4446);
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), "notes-desk-e2e-"));
const env = { LATCHKEY_DATA_DIR: dataDir };

const ADA = { email: "ada@desk.example", name: "Ada", password: "granite owl above the ferry" };
const BEN = { email: "ben@desk.example", name: "Ben", password: "lantern moss beside the canal" };

let driver;
let app;
const findings = {};

const fill = (label, value) => fillIn(app, label, value);
const shot = (name) =>
  screenshot(app, { dir: shots, name, findings, findingsFile: join(shots, "..", "axe-notes-desk.json") });

async function signIn(who, password = who.password) {
  await fill("Email", who.email);
  await fill("Password", password);
  await (await app.find(button("Sign in"))).click();
}

async function signOut() {
  await (await app.find(button("Sign out"))).click();
  await app.find(heading("Sign in"));
}

async function addNote(text) {
  await fill("New note", text);
  await (await app.find(button("Add note"))).click();
  await app.find(`//ul[@aria-label='My notes']/li[normalize-space()=${JSON.stringify(text)}]`);
}

/** The note texts on screen. */
async function notesOnScreen() {
  return app.execute("return [...document.querySelectorAll('ul[aria-label=\"My notes\"] li')].map((li) => li.textContent);");
}

/** Calls `cmd` straight from the page, as a script injected into it could. */
async function invokeFromPage(cmd, args = {}) {
  return app.executeAsync(
    `const [cmd, args, done] = arguments;
     window.__TAURI_INTERNALS__.invoke(cmd, args)
       .then((value) => done({ ok: value }))
       .catch((error) => done({ error }));`,
    [cmd, args],
  );
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  driver = await startDriver(port, env);
  app = await Session.start(base, desk, env);
});

after(async () => {
  await quitApp(app, desk);
  driver?.kill();
});

test("a second app hosts Latchkey: per-person notes behind its sign-in", async (t) => {
  await t.test("an empty vault opens the plugin's first-run wizard", async () => {
    await app.find(heading("Welcome to Latchkey"));
    await shot("notes-01-first-run");
    await fill("Email", ADA.email);
    await fill("Your name", ADA.name);
    await fill("Password", ADA.password);
    await fill("Confirm password", ADA.password);
    await settled(app);
    await (await app.find(button("Create administrator"))).click();
    await app.find(heading("My notes"));
    await app.find(textIn("Signed in as Ada"));
  });

  await t.test("Ada writes a note", async () => {
    await addNote("Ada: the fridge in room 2 is fixed");
    assert.deepEqual(await notesOnScreen(), ["Ada: the fridge in room 2 is fixed"]);
    await shot("notes-02-ada");
  });

  await t.test("the window may not call the admin console, even for an admin", async () => {
    const refused = await invokeFromPage("plugin:latchkey|list_accounts", { request: {} });
    assert.match(String(refused.error), /not allowed/);
  });

  await t.test("with nobody signed in, the host's command refuses", async () => {
    await signOut();
    await shot("notes-03-sign-in");
    const refused = await invokeFromPage("list_notes");
    assert.equal(refused.error?.code, "NotAuthenticated", JSON.stringify(refused));
  });

  await t.test("Ben, given a one-time password, chooses his own and sees none of Ada's notes", async () => {
    const file = join(dataDir, "ben-password.txt");
    execFileSync(latchkey, ["recover-admin", "--email", BEN.email, "--name", BEN.name, "--output", file], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const temporary = readFileSync(file, "utf8").match(/^ {4}(\S+)$/m)?.[1];
    assert.ok(temporary, "the one-time password is in the file");
    await signIn(BEN, temporary);
    await app.find(heading("Choose a new password"));
    await shot("notes-04-new-password");
    await fill("Temporary password", temporary);
    await fill("New password", BEN.password);
    await fill("Confirm new password", BEN.password);
    await settled(app);
    await (await app.find(button("Change password"))).click();
    await app.find(textIn("Signed in as Ben"));
    await app.find(textIn("No notes yet. Only you will see the ones you add here."));
    assert.deepEqual(await notesOnScreen(), []);
    await addNote("Ben: order more gloves");
    assert.deepEqual(await notesOnScreen(), ["Ben: order more gloves"]);
    await shot("notes-05-ben");
  });

  await t.test("back to Ada: her note, and only hers", async () => {
    await signOut();
    await signIn(ADA);
    await app.find(textIn("Signed in as Ada"));
    await app.find(`//ul[@aria-label='My notes']/li`);
    assert.deepEqual(await notesOnScreen(), ["Ada: the fridge in room 2 is fixed"]);
    // Leave no session behind in the keyring this suite shares with the next.
    await signOut();
  });
});
