/**
 * `pipeglot audit` over the real-world corpus, end to end through the CLI: every file gets a
 * result, the counts add up, no file crashes the audit, and the Markdown says what the JSON says.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
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
  const report = JSON.parse(json.stdout);

  it("exits 0 and reports every YAML/JSON file of the corpus", () => {
    expect(json.status).toBe(0);
    expect(md.status).toBe(0);
    expect(report.totals.files).toBe(nativeFiles(CORPUS).length);
    expect(report.files).toHaveLength(report.totals.files);
  });
  it("the counts add up", () => {
    const t = report.totals;
    expect(t.successful + t.partial + t.unsupported + t.failed).toBe(t.files);
    const byStatus = (s: string) => report.files.filter((f: { status: string }) => f.status === s).length;
    expect([byStatus("successful"), byStatus("partial"), byStatus("unsupported"), byStatus("failed")]).toEqual([
      t.successful,
      t.partial,
      t.unsupported,
      t.failed,
    ]);
  });
  it("every pipeline file of a supported format is recognized, and nothing crashed", () => {
    const supported = report.files.filter((f: { path: string }) => /\/(azure|buildspec|cloudbuild|codepipeline|oci)\//.test(f.path));
    for (const f of supported) expect(f.status, f.path).not.toBe("unsupported");
    for (const f of report.files) expect(f.reason ?? "", f.path).not.toMatch(/internal error/);
    console.log(`audit of the corpus: ${JSON.stringify(report.totals)}`);
  });
  it("the Markdown says what the JSON says", () => {
    const row = (label: string) => Number(new RegExp(`^\\| ${label.replace(/[()]/g, "\\$&")} \\| (\\d+) \\|`, "m").exec(md.stdout)?.[1]);
    expect(row("Successful")).toBe(report.totals.successful);
    expect(row("Partially successful (warnings)")).toBe(report.totals.partial);
    expect(row("Unsupported")).toBe(report.totals.unsupported);
    expect(row("Failed")).toBe(report.totals.failed);
    for (const c of report.constructs) expect(md.stdout).toContain(`| \`${c.code}\` | ${c.severity} | ${c.count} |`);
    for (const f of report.files) expect(md.stdout).toContain(`| ${f.path} | ${f.provider ?? "-"} | ${f.status} |`);
  });
  it("ranks constructs by frequency, with file:line places", () => {
    const counts = report.constructs.map((c: { count: number }) => c.count);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
    for (const c of report.constructs) for (const e of c.examples) expect(e).toMatch(/:\d+$/);
  });
});
