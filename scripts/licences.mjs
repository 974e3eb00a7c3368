#!/usr/bin/env node
// Writes ui/src/pages/about/licences.json: the Rust crates linked into the Latchkey app
// (normal dependencies, every target platform) and the npm packages bundled into its
// UI, each with its licence, for the About page. With --check, fails instead when the
// file is out of date (make test runs that), so a new dependency cannot ship unlisted.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "ui/src/pages/about/licences.json");
// Latchkey's own crates carry the project's licence, stated on the page itself.
const own = new Set(["latchkey", "vault", "os-keyring", "os-lock-events", "tauri-plugin-latchkey"]);

const tree = execFileSync(
  "cargo",
  ["tree", "-p", "latchkey", "-e", "normal", "--target", "all", "--prefix", "none", "--locked", "-f", "{p}|{l}"],
  { cwd: root, encoding: "utf8" },
);
const crates = new Map();
for (const line of tree.split("\n")) {
  const found = line.match(/^(\S+) v(\S+)(?: \([^)]*\))?\|(.*?)(?: \(\*\))?$/);
  if (!found || own.has(found[1])) continue;
  const [, name, version, licence] = found;
  crates.set(`${name}@${version}`, { name, version, licence: licence || "unknown" });
}

const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
const npm = Object.entries(lock.packages)
  .filter(([path, entry]) => path.startsWith("node_modules/") && !entry.dev && !entry.link)
  .map(([path, entry]) => ({
    name: path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length),
    version: entry.version,
    licence: entry.license ?? "unknown",
  }));

const byName = (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version);
// One package a line, so that a change to the list reads as a change of lines.
const list = (entries) => entries.sort(byName).map((entry) => `  ${JSON.stringify(entry)}`).join(",\n");
const text = `{\n "crates": [\n${list([...crates.values()])}\n ],\n "npm": [\n${list(npm)}\n ]\n}\n`;

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(out, "utf8");
  } catch {
    // missing: stale
  }
  if (current !== text) {
    console.error(`${out} is out of date: run node scripts/licences.mjs`);
    process.exit(1);
  }
  console.log(`licences: ${crates.size} crates and ${npm.length} npm packages listed`);
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out}: ${crates.size} crates, ${npm.length} npm packages`);
}
