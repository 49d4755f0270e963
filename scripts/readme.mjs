// Regenerates the generated blocks of README.md: the format's diagnostic codes (from
// @pipeglot/schema) and the provider sections (from packages/<provider>/README.md).
// `node scripts/readme.mjs --check` exits 1 when README.md is stale (the docs test runs it).
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { REPAIR_CODES, SCHEMA_CODES } from "@pipeglot/schema";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const file = join(REPO, "README.md");
const text = readFileSync(file, "utf8");

const block = (src, name, body) => {
  const start = `<!-- ${name}:start -->\n`;
  const end = `<!-- ${name}:end -->`;
  const i = src.indexOf(start);
  const j = src.indexOf(end);
  if (i < 0 || j < 0) throw new Error(`README.md lacks the ${name} markers`);
  return src.slice(0, i + start.length) + body + src.slice(j);
};

const table = (codes) =>
  Object.entries(codes)
    .map(([code, info]) => `| \`${code}\` | ${info.severity} | ${info.summary} |\n`)
    .join("");
const codes = table(SCHEMA_CODES);

/** A README's text with its headings (outside code fences) moved so that its top level is "##". */
const demote = (f) => {
  const lines = readFileSync(f, "utf8").trim().split("\n");
  let fenced = false;
  const heading = lines.map((l) => {
    if (/^\s*```/.test(l)) fenced = !fenced;
    return !fenced && /^#+ /.test(l) ? l.indexOf(" ") : 0;
  });
  const top = Math.min(...heading.filter((h) => h > 0));
  return lines.map((l, i) => (heading[i] ? "#".repeat(heading[i] - top + 2) + l.slice(heading[i]) : l)).join("\n") + "\n\n";
};

const providers = ["aws", "azure", "gcp", "oci"]
  .map((p) => join(REPO, "packages", p, "README.md"))
  .filter((f) => existsSync(f))
  .map(demote)
  .join("");

const compare = existsSync(join(REPO, "packages/compare/README.md")) ? demote(join(REPO, "packages/compare/README.md")) : "";
/** Each provider's live-sync notes, one level below "## Live sync". */
const live = ["aws", "azure", "gcp", "oci"]
  .map((p) => join(REPO, "packages", p, "src/live/README.md"))
  .filter((f) => existsSync(f))
  .map((f) => demote(f).replace(/^(#+) /gm, (_, h) => `#${h} `))
  .join("");
/** The local runs (reference interpreter, runtime models), one level below "## Run it locally". */
const runtimes = existsSync(join(REPO, "packages/runtimes/README.md"))
  ? demote(join(REPO, "packages/runtimes/README.md"))
      .replace(/^## @pipeglot\/runtimes\n\n/, "")
      .replace(/^(#+) /gm, (_, h) => `#${h} `)
  : "";
const next = block(
  block(block(block(block(block(text, "schema-codes", codes), "import-codes", table(REPAIR_CODES)), "providers", providers), "compare", compare), "live", live),
  "runtimes",
  runtimes,
);
if (process.argv.includes("--check")) {
  if (next !== text) {
    console.error("README.md is stale: run `node scripts/readme.mjs`");
    process.exit(1);
  }
} else writeFileSync(file, next);
