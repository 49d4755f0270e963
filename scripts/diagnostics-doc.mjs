// Generates docs/diagnostics.md from the code tables: every code with its severity and summary, and,
// where an input in the repository emits it, that input (the lines around the position) and the
// diagnostic exactly as the CLI prints it (formatDiagnostic, no colours).
// Inputs, in this order (the first that emits a code is its example):
//   definitions: test/fixtures/invalid/*.yaml, examples/*/pipeglot.yaml, test/golden/<p>/*.pipeglot.yaml
//     (validate, then compile: every provider for the examples, <p> for its golden pairs);
//   native files: test/fixtures/<native dirs>, test/golden/<p>/<case>/, examples/*/out/<p>/ (import, as `pipeglot import` does).
// `node scripts/diagnostics-doc.mjs --check` exits 1 when docs/diagnostics.md is stale (test/docs.test.ts runs it).
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { formatDiagnostic, REPAIR_CODES, SCHEMA_CODES, validateFile } from "@pipeglot/schema";
import { importPipeline, locateDiagnostics } from "@pipeglot/core";
import { CODES as COMPARE_CODES } from "@pipeglot/compare";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(REPO, "docs/diagnostics.md");
process.chdir(REPO); // diagnostics name files relative to the repository, as a CLI run from its root prints them

const PROVIDERS = [
  { id: "aws", title: "AWS CodePipeline + CodeBuild", nativeDirs: ["aws", "buildspec", "codepipeline"] },
  { id: "azure", title: "Azure Pipelines", nativeDirs: ["azure"] },
  { id: "gcp", title: "Google Cloud Build", nativeDirs: ["gcp", "cloudbuild"] },
  { id: "oci", title: "OCI DevOps", nativeDirs: ["oci"] },
];
const providers = Object.fromEntries(await Promise.all(PROVIDERS.map(async (p) => [p.id, (await import(`@pipeglot/${p.id}`)).provider])));

const sorted = (dir, pred = () => true) => (existsSync(dir) ? readdirSync(dir).filter(pred).sort() : []);
const filesUnder = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
        .sort()
    : [];
const rel = (f) => relative(REPO, f).split("\\").join("/");

/** code → { diagnostic, sources } of the first input that emits it. */
const examples = new Map();
const note = (diagnostics, sources) => {
  for (const d of diagnostics) if (!examples.has(d.code)) examples.set(d.code, { d, sources });
};

async function definition(file, ids) {
  const path = rel(file);
  const r = await validateFile(path);
  const sources = new Map([[path, r.text]]);
  note(r.diagnostics, sources);
  if (!r.ir) return;
  for (const id of ids) note(locateDiagnostics(providers[id].compile(r.ir).diagnostics, r.sourceMap), sources);
}

function nativeFiles(files, id) {
  if (files.length === 0) return;
  const native = files.map((f) => ({ path: rel(f), content: readFileSync(f, "utf8") }));
  const r = importPipeline(providers[id], native);
  note(r.diagnostics, new Map(native.map((f) => [f.path, f.content])));
}

for (const f of sorted(join(REPO, "test/fixtures/invalid"), (n) => n.endsWith(".yaml"))) await definition(join(REPO, "test/fixtures/invalid", f), []);
const exampleNames = sorted(join(REPO, "examples"), (n) => existsSync(join(REPO, "examples", n, "pipeglot.yaml")));
for (const n of exampleNames) await definition(join(REPO, "examples", n, "pipeglot.yaml"), Object.keys(providers));
for (const p of PROVIDERS)
  for (const f of sorted(join(REPO, "test/golden", p.id), (n) => n.endsWith(".pipeglot.yaml"))) await definition(join(REPO, "test/golden", p.id, f), [p.id]);
for (const p of PROVIDERS) {
  for (const d of p.nativeDirs) for (const f of filesUnder(join(REPO, "test/fixtures", d))) nativeFiles([f], p.id);
  for (const c of sorted(join(REPO, "test/golden", p.id), (n) => !n.endsWith(".yaml")))
    nativeFiles(
      filesUnder(join(REPO, "test/golden", p.id, c)).filter((f) => !f.endsWith("manifest.json")),
      p.id,
    );
  for (const n of exampleNames)
    nativeFiles(
      filesUnder(join(REPO, "examples", n, "out", p.id)).filter((f) => !f.endsWith("manifest.json")),
      p.id,
    );
}

const FENCE = { ".json": "json", ".yaml": "yaml", ".yml": "yaml" };

/** The lines around the diagnostic's position (three before, two after), or a note that it has none. */
function snippet(d, sources) {
  const text = d.file ? sources.get(d.file) : undefined;
  if (text === undefined || !d.line)
    return `Input: ${d.file ? `\`${d.file}\`` : "the pipeline"} (the diagnostic names no line${d.path ? `; it points at \`${d.path}\`` : ""}).\n\n`;
  const lines = text.split(/\r?\n/);
  const from = Math.max(1, d.line - 3);
  const to = Math.min(lines.length, d.line + 2);
  const shown = lines.slice(from - 1, to).map((l) => (l.length > 160 ? l.slice(0, 160) + "…" : l));
  return `Input: \`${d.file}\`, lines ${from}–${to}:\n\n\`\`\`${FENCE[extname(d.file)] ?? ""}\n${shown.join("\n")}\n\`\`\`\n\n`;
}

function entry(code, info) {
  const head = `### \`${code}\`\n\n**${info.severity}**: ${info.summary}\n\n`;
  const ex = examples.get(code);
  if (!ex) return `${head}No input in the repository emits it (no example).\n\n`;
  return `${head}${snippet(ex.d, ex.sources)}Output:\n\n\`\`\`console\n${formatDiagnostic(ex.d, { sources: ex.sources })}\n\`\`\`\n\n`;
}

const section = (title, intro, codes) =>
  `## ${title}\n\n${intro}\n\n| code | severity | summary |\n|---|---|---|\n` +
  Object.entries(codes)
    .map(([c, i]) => `| [\`${c}\`](#${c.toLowerCase()}) | ${i.severity} | ${i.summary.replaceAll("|", "\\|")} |\n`)
    .join("") +
  "\n" +
  Object.entries(codes)
    .map(([c, i]) => entry(c, i))
    .join("");

const sections = [
  section(
    "The format",
    "Found by `validate` (and every command that reads a `pipeglot.yaml`). The table is `SCHEMA_CODES` of `@pipeglot/schema`.",
    SCHEMA_CODES,
  ),
  section(
    "Imports",
    "The repair every import goes through (`import`, `pull`, `translate`, `audit`; see [format.md](format.md#imports-always-validate)). The table is `REPAIR_CODES` of `@pipeglot/schema`.",
    REPAIR_CODES,
  ),
  ...PROVIDERS.map((p) =>
    section(
      `${p.title} (\`${p.id}\`)`,
      `Found by \`compile\`, \`import\` and the live commands for ${p.id}; see [providers/${p.id}.md](providers/${p.id}.md). The table is \`CODES\` of \`@pipeglot/${p.id}\`.`,
      providers[p.id].codes,
    ),
  ),
  section("Compare", "Found by `compare` and `demo`; see [compare.md](compare.md). The table is `CODES` of `@pipeglot/compare`.", COMPARE_CODES),
];

const doc =
  "# Diagnostic reference\n\n" +
  "<!-- Generated by scripts/diagnostics-doc.mjs from the code tables; do not edit. Regenerate: node scripts/diagnostics-doc.mjs -->\n\n" +
  "Every diagnostic pipeglot prints reads `file:line:col: severity CODE message`, then the source line and a caret, then a hint " +
  "(`--format json` gives the same fields). Below is every code, with its severity and summary, and, where an input in this " +
  "repository emits it (the invalid fixtures, the examples, the golden pairs and their compiled files), that input and the " +
  "diagnostic exactly as the CLI prints it. A code without an example is emitted only by the live commands or by input no " +
  "file here has. `test/docs.test.ts` fails when this page and the code disagree.\n\n" +
  sections.join("");

if (process.argv.includes("--check")) {
  if (!existsSync(OUT) || readFileSync(OUT, "utf8") !== doc) {
    console.error("docs/diagnostics.md is stale: run `node scripts/diagnostics-doc.mjs`");
    process.exit(1);
  }
} else writeFileSync(OUT, doc);
