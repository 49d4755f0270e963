/**
 * `pipeglot audit` over the real-world corpus, end to end through the CLI: every file is in a
 * pipeline, the counts add up, nothing crashes the audit, and the Markdown and CSV say what the
 * JSON says. The corpus holds one file from each of 104 places in other people's repositories:
 * none names another, so each is a pipeline of its own (grouping merges nothing here).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, it } from "vitest";
import { CORPUS, REPO, sharedSuite } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");

function nativeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? nativeFiles(p) : /\.(ya?ml|json)$/i.test(n) ? [p] : [];
  });
}

sharedSuite("pipeglot audit ../shared/corpus", () => {
  const run = (format: string) =>
    spawnSync(process.execPath, [BIN, "audit", CORPUS, "--format", format], {
      cwd: REPO,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      maxBuffer: 64 * 1024 * 1024,
    });
  const json = run("json");
  const md = run("text");
  const csv = run("csv");
  const report = JSON.parse(json.stdout);
  type P = { path: string; files: string[]; format?: string; status: string; reason?: string };
  const pipelines = report.pipelines as P[];

  it("exits 0 and puts every YAML/JSON file of the corpus in one pipeline of its own", () => {
    expect(json.status).toBe(0);
    expect(md.status).toBe(0);
    expect(csv.status).toBe(0);
    const files = nativeFiles(CORPUS).map((f) => relative(REPO, f));
    expect(report.totals.files).toBe(files.length);
    expect(pipelines.flatMap((p) => p.files).sort()).toEqual([...files].sort());
    expect(pipelines.map((p) => p.files)).toEqual(pipelines.map((p) => [p.path]));
    expect(report.totals.pipelines).toBe(pipelines.length);
  });
  it("the counts add up, per result and per source format", () => {
    const t = report.totals;
    expect(t.successful + t.partial + t.unsupported + t.failed).toBe(t.pipelines);
    const byStatus = (s: string) => pipelines.filter((f) => f.status === s).length;
    expect([byStatus("successful"), byStatus("partial"), byStatus("unsupported"), byStatus("failed")]).toEqual([
      t.successful,
      t.partial,
      t.unsupported,
      t.failed,
    ]);
    // The corpus's own folders say each file's format (MANIFEST.tsv: azure, buildspec + codepipeline, cloudbuild, oci).
    const folder = { azure: "azure", buildspec: "aws", codepipeline: "aws", cloudbuild: "gcp", oci: "oci" } as Record<string, string>;
    for (const p of pipelines) expect(p.format, p.path).toBe(folder[/corpus\/([a-z]+)\//.exec(p.path)![1]!]);
    const rows = report.formats as { format: string; pipelines: number; files: number }[];
    for (const r of rows) expect(r.pipelines, r.format).toBe(pipelines.filter((p) => (p.format ?? "unknown") === r.format).length);
    expect(rows.reduce((n, r) => n + r.files, 0)).toBe(t.files);
  });
  it("every pipeline of a supported format is recognized, and nothing crashed", () => {
    for (const f of pipelines) expect(f.status, f.path).not.toBe("unsupported");
    for (const f of pipelines) expect(f.reason ?? "", f.path).not.toMatch(/internal error/);
    console.log(`audit of the corpus: ${JSON.stringify(report.totals)}`);
  });
  it("the Markdown says what the JSON says", () => {
    const row = (label: string) => Number(new RegExp(`^\\| ${label.replace(/[()]/g, "\\$&")} \\| (\\d+) \\|`, "m").exec(md.stdout)?.[1]);
    expect(row("Successful")).toBe(report.totals.successful);
    expect(row("Partially successful (warnings)")).toBe(report.totals.partial);
    expect(row("Unsupported")).toBe(report.totals.unsupported);
    expect(row("Failed")).toBe(report.totals.failed);
    for (const c of report.constructs) expect(md.stdout).toContain(`| \`${c.code}\` | ${c.severity} | ${c.count} |`);
    for (const f of report.formats) expect(md.stdout).toContain(`| ${f.format} | ${f.pipelines} | ${f.files} |`);
    for (const f of report.features) expect(md.stdout).toContain(`(\`${f.feature}\`) | ${f.pipelines} |`);
    for (const f of pipelines) expect(md.stdout).toContain(`| ${f.path} | ${f.format ?? "-"} | ${f.status} |`);
  });
  it("the CSV has a header and one row per pipeline, in the JSON's order", () => {
    const lines = csv.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("pipeline,format,result,reason,files,errors,warnings,constructs,lost,emulated");
    // Corpus paths hold no comma or quote, so each row starts with its path, format and result as they are.
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 3).join(","))).toEqual(pipelines.map((p) => `${p.path},${p.format},${p.status}`));
  });
  it("ranks constructs by frequency, with file:line places", () => {
    const counts = report.constructs.map((c: { count: number }) => c.count);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
    for (const c of report.constructs) for (const e of c.examples) expect(e).toMatch(/:\d+$/);
  });
});
