#!/usr/bin/env node
// Checks docs/asvs.md: every level 1 and level 2 requirement of ASVS 5.0's V6, V7 and
// V8 has a row, every row says a status, and every test the page cites exists. A Rust
// test is cited as `path::function`, a UI or end-to-end test as `path › title words`.
// Exits 1 with a list of what is wrong.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const page = "docs/asvs.md";

// ASVS 5.0.0, levels 1 and 2 (level 3 only: 6.3.5–6.3.8, 6.4.5, 6.4.6, 6.5.6–6.5.8,
// 6.6.4, 6.7.*, 7.5.3, 8.1.3, 8.1.4, 8.2.4, 8.3.2, 8.3.3, 8.4.2).
const span = (prefix, from, to) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}.${from + i}`);
const required = [
  ...span("6.1", 1, 3),
  ...span("6.2", 1, 12),
  ...span("6.3", 1, 4),
  ...span("6.4", 1, 4),
  ...span("6.5", 1, 5),
  ...span("6.6", 1, 3),
  ...span("6.8", 1, 4),
  ...span("7.1", 1, 3),
  ...span("7.2", 1, 4),
  ...span("7.3", 1, 2),
  ...span("7.4", 1, 5),
  ...span("7.5", 1, 2),
  ...span("7.6", 1, 2),
  ...span("8.1", 1, 2),
  ...span("8.2", 1, 3),
  "8.3.1",
  "8.4.1",
];
const statuses = new Set(["met", "partly", "n/a", "not yet"]);

const problems = [];
const rows = new Map();
for (const line of readFileSync(join(root, page), "utf8").split("\n")) {
  const cells = line.split("|").map((cell) => cell.trim());
  if (!/^\d+\.\d+\.\d+$/.test(cells[1] ?? "")) continue;
  const [, id, , status, , tests] = cells;
  if (rows.has(id)) problems.push(`${id}: two rows`);
  rows.set(id, { status, tests });
}

const sources = new Map();
const source = (path) => {
  if (!sources.has(path)) {
    const file = join(root, path);
    sources.set(path, existsSync(file) ? readFileSync(file, "utf8") : null);
  }
  return sources.get(path);
};

let cited = 0;
for (const id of required) {
  const row = rows.get(id);
  if (!row) {
    problems.push(`${id}: no row`);
    continue;
  }
  if (!statuses.has(row.status)) problems.push(`${id}: status "${row.status}" is not one of ${[...statuses].join(", ")}`);
  const citations = [...row.tests.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
  if (citations.length === 0 && (row.status === "met" || row.status === "partly")) {
    problems.push(`${id}: "${row.status}" cites no test`);
  }
  for (const citation of citations) {
    cited += 1;
    const rust = citation.match(/^([\w./-]+\.rs)::(\w+)$/);
    const script = citation.match(/^([\w./-]+\.(?:ts|tsx|mjs)) › (.+)$/);
    if (!rust && !script) {
      problems.push(`${id}: cannot read the citation ${citation}`);
      continue;
    }
    const [, path, name] = rust ?? script;
    const text = source(path);
    if (text === null) {
      problems.push(`${id}: ${path} does not exist`);
    } else if (rust && !new RegExp(`#\\[(?:tokio::)?test\\]\\s*(?:#\\[[^\\]]*\\]\\s*)*(?:async )?fn ${name}\\(`).test(text)) {
      problems.push(`${id}: ${path} has no test fn ${name}`);
    } else if (script && !new RegExp(`(?:it|test)\\(\\s*["'\`][^"'\`]*${escape(name)}`).test(text)) {
      problems.push(`${id}: ${path} has no test titled "${name}…"`);
    }
  }
}
for (const id of rows.keys()) {
  if (!required.includes(id)) problems.push(`${id}: not a level 1 or 2 requirement of V6–V8`);
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

if (problems.length > 0) {
  console.error(`${page}:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`${page}: ${required.length} requirements, ${cited} cited tests, all found`);
