// Regenerates the generated blocks of README.md: the format's diagnostic codes (from
// @pipeglot/schema) and the provider sections (from packages/<provider>/README.md).
// `node scripts/readme.mjs --check` exits 1 when README.md is stale (the docs test runs it).
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SCHEMA_CODES } from "@pipeglot/schema";

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

const codes = Object.entries(SCHEMA_CODES)
  .map(([code, info]) => `| \`${code}\` | ${info.severity} | ${info.summary} |\n`)
  .join("");

const providers = ["aws", "azure", "gcp", "oci"]
  .map((p) => join(REPO, "packages", p, "README.md"))
  .filter((f) => existsSync(f))
  .map((f) => {
    // Each provider README's headings move down one level to sit under this README's sections.
    const body = readFileSync(f, "utf8").trim().replace(/^(#+) /gm, (_, h) => `${h}# `);
    return body + "\n\n";
  })
  .join("");

const next = block(block(text, "schema-codes", codes), "providers", providers);
if (process.argv.includes("--check")) {
  if (next !== text) {
    console.error("README.md is stale: run `node scripts/readme.mjs`");
    process.exit(1);
  }
} else writeFileSync(file, next);
