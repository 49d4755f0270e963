// Regenerates the generated blocks of the docs/ pages from the code and the package READMEs:
//   docs/format.md            the format's diagnostic codes and the import repair codes (from @pipeglot/schema)
//   docs/providers/<p>.md     packages/<p>/README.md, then packages/<p>/src/live/README.md under "Live sync"
//   docs/compare.md           packages/compare/README.md
//   docs/local-runs.md        packages/runtimes/README.md
// `node scripts/readme.mjs --check` exits 1 when a page is stale (the docs test runs it).
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { REPAIR_CODES, SCHEMA_CODES } from "@pipeglot/schema";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const PROVIDERS = ["aws", "azure", "gcp", "oci"];

const block = (page, src, name, body) => {
  const start = `<!-- ${name}:start -->\n`;
  const end = `<!-- ${name}:end -->`;
  const i = src.indexOf(start);
  const j = src.indexOf(end);
  if (i < 0 || j < 0) throw new Error(`${page} lacks the ${name} markers`);
  return src.slice(0, i + start.length) + body + src.slice(j);
};

const table = (codes) =>
  Object.entries(codes)
    .map(([code, info]) => `| \`${code}\` | ${info.severity} | ${info.summary} |\n`)
    .join("");

/** A README's text with its headings (outside code fences) moved so that its top level is `top` (1: "#"). */
const demote = (f, top) => {
  const lines = readFileSync(f, "utf8").trim().split("\n");
  let fenced = false;
  const heading = lines.map((l) => {
    if (/^\s*```/.test(l)) fenced = !fenced;
    return !fenced && /^#+ /.test(l) ? l.indexOf(" ") : 0;
  });
  const least = Math.min(...heading.filter((h) => h > 0));
  return lines.map((l, i) => (heading[i] ? "#".repeat(heading[i] - least + top) + l.slice(heading[i]) : l)).join("\n") + "\n\n";
};

/** A package README as a page's body: links relative to the package made to point into it from docs/<depth>. */
const packageText = (pkg, file, top, up) =>
  demote(join(REPO, "packages", pkg, file), top).replace(
    /\]\((?!https?:|#|\/)([^)]+)\)/g,
    (_, target) => `](${up}packages/${pkg}/${dirname(file) === "." ? "" : dirname(file) + "/"}${target})`,
  );

/** page → { block name → generated body } */
const pages = {
  "docs/format.md": { "schema-codes": table(SCHEMA_CODES), "import-codes": table(REPAIR_CODES) },
  "docs/compare.md": { compare: packageText("compare", "README.md", 1, "../") },
  "docs/local-runs.md": { runtimes: packageText("runtimes", "README.md", 1, "../").replace(/^# @pipeglot\/runtimes\n\n/, "") },
};
for (const p of PROVIDERS) {
  const live = join(REPO, "packages", p, "src/live/README.md");
  pages[`docs/providers/${p}.md`] = {
    provider: packageText(p, "README.md", 1, "../../"),
    live: existsSync(live) ? packageText(p, "src/live/README.md", 2, "../../") : "",
  };
}

const stale = [];
for (const [page, blocks] of Object.entries(pages)) {
  const file = join(REPO, page);
  const text = readFileSync(file, "utf8");
  const next = Object.entries(blocks).reduce((src, [name, body]) => block(page, src, name, body), text);
  if (next === text) continue;
  if (process.argv.includes("--check")) stale.push(page);
  else writeFileSync(file, next);
}
if (stale.length) {
  console.error(`${stale.join(", ")} ${stale.length === 1 ? "is" : "are"} stale: run \`node scripts/readme.mjs\``);
  process.exit(1);
}
