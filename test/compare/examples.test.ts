/**
 * compare over the real providers for every example (structure that must hold whatever the
 * providers emit), and the command end to end: formats agree, options, errors, --out.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compare, parsePrices, renderJson, renderMarkdown, renderText, type CompareReport } from "@pipeglot/compare";
import { usedFeatures, type Prices, type ProviderBase } from "@pipeglot/core";
import { provider as aws } from "@pipeglot/aws";
import { provider as azure } from "@pipeglot/azure";
import { provider as gcp } from "@pipeglot/gcp";
import { provider as oci } from "@pipeglot/oci";
import { PROVIDER_IDS, validateFile } from "@pipeglot/schema";
import { REPO, examples } from "../helpers/paths.js";

const PRICES_FILE = join(REPO, "packages/compare/prices/prices.json");
const prices = (): Prices => parsePrices(readFileSync(PRICES_FILE, "utf8"), PRICES_FILE, [aws, azure, gcp, oci]).prices!;
const providers = async (): Promise<ProviderBase[]> => Promise.all(PROVIDER_IDS.map(async (id) => (await import(`@pipeglot/${id}`)).provider as ProviderBase));
const MARK = { native: "native", emulated: "emulated", lossy: "LOSSY", unknown: "?" } as const;

async function reportFor(file: string, p: Prices = prices(), runs = 1000): Promise<CompareReport> {
  const r = await validateFile(file);
  expect(r.ir, file).toBeDefined();
  return compare({
    ir: r.ir!,
    file,
    sourceMap: r.sourceMap,
    providers: await providers(),
    prices: p,
    pricesFile: PRICES_FILE,
    workload: { runsPerMonth: runs, jobMinutes: 10, overrides: {} },
  });
}

describe.each(examples().map((e) => [e.name, e.file] as const))("compare %s over the real providers", (_name, file) => {
  it("has a cell per used feature and provider, equal to the provider's capability row", async () => {
    const r = await reportFor(file);
    const ir = (await validateFile(file)).ir!;
    expect(r.features.map((f) => f.feature)).toEqual(usedFeatures(ir).map((u) => u.feature));
    const ps = await providers();
    for (const f of r.features)
      for (const p of ps) {
        const cap = p.capabilities.find((c) => c.feature === f.feature);
        expect(cap, `${p.id} has no capability row for ${f.feature}`).toBeDefined();
        expect(f.cells[p.id]).toMatchObject({ support: cap!.support, how: cap!.how });
        for (const d of f.cells[p.id]!.diagnostics) expect(d.code).toBe(cap!.code);
      }
  });

  it("writes unit prices as the price list does: never rounded to the cent", async () => {
    const text = renderText(await reportFor(file));
    // prices.json: OCI $0.025 per OCPU-hour and $0.0015 per GB-hour, whatever the runner's size.
    expect(text).toMatch(/OCPU hours × \$0\.025 = /);
    expect(text).toMatch(/GB hours × \$0\.0015 = /);
    expect(text).not.toMatch(/× \$0\.03 = /);
    // Every rate carries its currency (fine ones were printed as bare numbers: "× 0.006").
    expect(text).not.toMatch(/× \d/);
  });

  it("costs more than nothing on a paid workload, and shows an unpriced item as unknown, never $0", async () => {
    const r = await reportFor(file);
    for (const p of r.providers) {
      expect(p.cost.complete, p.id).toBe(true);
      expect(p.cost.total, p.id).toBeGreaterThan(0);
    }
    const unpriced = prices();
    unpriced.oci.ocpuPerHour = { ...unpriced.oci.ocpuPerHour, value: null, note: "Not found: test" };
    unpriced.oci.memoryGbPerHour = { ...unpriced.oci.memoryGbPerHour, value: null, note: "Not found: test" };
    const u = await reportFor(file, unpriced);
    const oci = u.providers.find((p) => p.id === "oci")!.cost;
    expect(oci.complete).toBe(false);
    expect(oci.lines.filter((l) => l.amount === null).every((l) => /no price/.test(l.note ?? ""))).toBe(true);
    const summaryRow = renderText(u)
      .split("\n")
      .find((l) => l.trimStart().startsWith("monthly cost (estimate)"))!;
    expect(
      summaryRow
        .trim()
        .split(/\s{2,}/)
        .at(-1),
    ).toBe("unknown");
    for (const text of [renderText(u), renderMarkdown(u)]) {
      const runnerLines = text.split("\n").filter((l) => l.includes("Build runner"));
      expect(runnerLines.length).toBeGreaterThan(0);
      for (const l of runnerLines) expect(l, l).toMatch(/unknown rate.*unknown/);
      expect(text).not.toContain("≥");
    }
  });

  it("draws a run graph per provider whose edges join its own nodes, without cycles", async () => {
    const r = await reportFor(file);
    const ir = (await validateFile(file)).ir!;
    for (const p of r.providers) {
      const g = p.graph;
      expect(g.none, `${p.id}: ${g.none}`).toBeUndefined();
      const ids = new Set(g.nodes.map((n) => n.id));
      expect(ids.size).toBe(g.nodes.length);
      for (const e of g.edges) expect(ids.has(e.from) && ids.has(e.to), `${p.id} edge ${e.from} -> ${e.to}`).toBe(true);
      for (const n of g.nodes) if (n.cluster) expect(g.clusters.some((c) => c.id === n.cluster)).toBe(true);
      // acyclic: Kahn's algorithm consumes every node
      const indeg = new Map(g.nodes.map((n) => [n.id, 0]));
      for (const e of g.edges) indeg.set(e.to, indeg.get(e.to)! + 1);
      const queue = [...indeg].filter(([, d]) => d === 0).map(([id]) => id);
      let seen = 0;
      while (queue.length) {
        const id = queue.shift()!;
        seen++;
        for (const e of g.edges.filter((x) => x.from === id)) if (indeg.set(e.to, indeg.get(e.to)! - 1).get(e.to) === 0) queue.push(e.to);
      }
      expect(seen, `${p.id} run graph has a cycle`).toBe(g.nodes.length);
    }
    // AWS: one CodePipeline stage per neutral stage, after the Source stage
    expect(r.providers.find((p) => p.id === "aws")!.graph.clusters).toHaveLength(ir.stages.length + 1);
  });

  it("lists exactly the compiled files, and the markdown and json say the same", async () => {
    const r = await reportFor(file);
    const ps = await providers();
    const ir = (await validateFile(file)).ir!;
    for (const p of r.providers)
      expect(p.files.map((f) => f.path)).toEqual(
        ps
          .find((x) => x.id === p.id)!
          .compile(ir)
          .files.map((f) => f.path),
      );
    const json = JSON.parse(renderJson(r)) as CompareReport;
    const md = renderMarkdown(r);
    const rows = md.split("\n").filter((l) => l.startsWith("| "));
    for (const f of json.features) {
      const row = rows.find((l) => l.includes(`(\`${f.feature}\`) |`))!;
      expect(row, f.feature).toBeDefined();
      const cells = row
        .split(" | ")
        .slice(1)
        .map((c) => c.replace(/ \|$/, "").trim());
      expect(cells).toEqual(json.providers.map((p) => MARK[f.cells[p.id]!.support]));
    }
    const totals = rows
      .find((l) => l.startsWith("| monthly cost (estimate) |"))!
      .split(" | ")
      .slice(1)
      .map((c) => c.replace(/ \|$/, "").trim());
    expect(totals).toEqual(
      json.summary.map((s) => (s.cost.low! < s.cost.high! ? `$${s.cost.low!.toFixed(2)}–$${s.cost.high!.toFixed(2)}` : `$${s.cost.high!.toFixed(2)}`)),
    );
    expect(json.summary.map((s) => s.cost.high)).toEqual(json.providers.map((p) => p.cost.total));
    expect(renderText(r)).toContain(json.pipeline);
  });
});

const HARNESS = join(REPO, "test/compare/harness.mjs");
const flagship = join(REPO, "examples/node-webapp/pipeglot.yaml");
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [HARNESS, "compare", ...args], { cwd: REPO, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe("pipeglot compare (the command)", () => {
  it("prints the table by default, and json/markdown/html on request; the costs follow the flags", () => {
    const t = run([flagship]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/feature used\s+aws\s+azure\s+gcp\s+oci/);
    const a = JSON.parse(run([flagship, "--format", "json", "--runs-per-month", "500"]).stdout) as CompareReport;
    const b = JSON.parse(run([flagship, "--format", "json", "--runs-per-month", "500", "--job-minutes", "build.test=30"]).stdout) as CompareReport;
    expect(a.workload).toEqual({ runsPerMonth: 500, jobMinutes: 10, overrides: {} });
    const aws = (r: CompareReport) => r.providers.find((p) => p.id === "aws")!.cost.lines.find((l) => l.item === "CodeBuild BUILD_GENERAL1_SMALL")!.quantity;
    expect(aws(b) - aws(a)).toBe(20 * 500); // build.test: 10 → 30 minutes on 500 runs
    expect(run([flagship, "--format", "markdown"]).stdout).toMatch(/^# Vendor comparison: shop-web/);
    expect(run([flagship, "--format", "html", "--target", "aws,gcp"]).stdout).toMatch(/^<!DOCTYPE html>[\s\S]*data-provider="gcp"/);
  });

  it("a --prices file with doubled rates doubles the costs", () => {
    const dir = mkdtempSync(join(tmpdir(), "pipeglot-compare-"));
    const doubled = JSON.parse(readFileSync(PRICES_FILE, "utf8"), (_k, v) =>
      v && typeof v === "object" && typeof v.value === "number" && /^USD/.test(v.unit) ? { ...v, value: v.value * 2 } : v,
    );
    writeFileSync(join(dir, "double.json"), JSON.stringify(doubled, null, 2));
    const base = JSON.parse(run([flagship, "--format", "json", "--runs-per-month", "800"]).stdout) as CompareReport;
    const dbl = JSON.parse(run([flagship, "--format", "json", "--runs-per-month", "800", "--prices", join(dir, "double.json")]).stdout) as CompareReport;
    for (const p of base.providers) expect(dbl.providers.find((x) => x.id === p.id)!.cost.total).toBeCloseTo(2 * p.cost.total, 9);
    expect(base.providers.find((p) => p.id === "aws")!.cost.total).toBeGreaterThan(0);
  });

  it("reports a bad price file at file:line:col and exits 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "pipeglot-compare-"));
    const f = join(dir, "bad.json");
    writeFileSync(f, readFileSync(PRICES_FILE, "utf8").replace('"value": 0.002,', '"value": -1,'));
    const r = run([flagship, "--prices", f]);
    expect(r.code).toBe(1);
    const line =
      readFileSync(f, "utf8")
        .split("\n")
        .findIndex((l) => l.includes('"value": -1,')) + 1;
    expect(r.stderr).toContain(`${f}:${line}:18: error PG-PRICES-INVALID aws.codepipeline.v2PerActionMinute.value:`);
    expect(r.stdout).toBe("");
  });

  it("rejects bad options with one line and exit 2", () => {
    expect(run([flagship, "--job-minutes", "build.nope=3"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('"build.nope", not a job of shop-web; jobs are: build.test'),
    });
    expect(run([flagship, "--job-minutes", "fast"])).toMatchObject({ code: 2, stderr: expect.stringContaining('--job-minutes "fast": expected minutes') });
    expect(run([flagship, "--target", "aws,ibm"]).code).toBe(2);
  });

  it("dates the header from --date or SOURCE_DATE_EPOCH, with the version and the prices' read dates; same inputs, same bytes", () => {
    const a = run([flagship, "--date", "2026-03-04"]);
    expect(a.code).toBe(0);
    const version = (JSON.parse(readFileSync(join(REPO, "packages/cli/package.json"), "utf8")) as { version: string }).version;
    expect(a.stdout.split("\n")[1]).toBe(
      `Generated 2026-03-04 by pipeglot ${version}; prices from bundled prices.json (USD), read 2026-11-22 (aws, azure, gcp), 2026-12-07 (oci)`,
    );
    // the decision first: the summary, then the matrix
    expect(a.stdout.indexOf("Summary")).toBeLessThan(a.stdout.indexOf("Top risks"));
    expect(a.stdout.indexOf("Top risks")).toBeLessThan(a.stdout.indexOf("Capability matrix"));
    for (const format of ["html", "markdown", "json"]) {
      const env = { SOURCE_DATE_EPOCH: "1772582400" }; // 2026-03-04T00:00:00Z
      const one = spawnSync(process.execPath, [HARNESS, "compare", flagship, "--format", format], {
        cwd: REPO,
        encoding: "utf8",
        env: { ...process.env, ...env },
      });
      const two = run([flagship, "--format", format, "--date", "2026-03-04"]);
      expect(one.stdout, format).toBe(two.stdout);
      expect(one.stdout, format).toContain("2026-03-04");
    }
    expect(run([flagship, "--date", "tomorrow"])).toMatchObject({ code: 2, stderr: expect.stringContaining('--date "tomorrow": expected a date YYYY-MM-DD') });
  });

  it("--out writes the report atomically and says where", () => {
    const dir = mkdtempSync(join(tmpdir(), "pipeglot-compare-"));
    const f = join(dir, "sub", "report.html");
    const r = run([flagship, "--format", "html", "--out", f]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`compare report (html) written to ${f}`);
    expect(readFileSync(f, "utf8")).toMatch(/^<!DOCTYPE html>/);
    expect(readdirSync(join(dir, "sub"))).toEqual(["report.html"]); // no temporary left behind
    expect(existsSync(f)).toBe(true);
  });
});
