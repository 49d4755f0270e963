/**
 * The neutral format where native files are expected, through the built CLI: import refuses a
 * pipeglot definition in one line (exit 1: there is nothing to import), translate reads it as
 * compile does (what it writes is the example's golden compile output), and audit reports it in
 * the neutral format, also as CSV.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { REPO } from "../helpers/paths.js";

const EXAMPLE = "examples/node-webapp/pipeglot.yaml";
const GOLDEN = join(REPO, "examples/node-webapp/out");

const filesUnder = (dir: string): string[] =>
  readdirSync(dir)
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)).map((f) => `${n}/${f}`) : [n]))
    .sort();

describe("a pipeglot definition given to import, translate and audit", () => {
  it("import refuses it in one line with what to do instead, exit 1 (also with --from)", async () => {
    for (const args of [
      ["import", EXAMPLE],
      ["import", EXAMPLE, "--from", "azure"],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n"), r.stderr).toEqual([
        `pipeglot: PG-IMPORT-UNKNOWN-FORMAT: ${EXAMPLE} is a pipeglot definition already (pipeglot: at the top), so there is nothing to import: import reads native pipeline files; validate, compile or translate read this one as it is`,
      ]);
    }
  });

  it("in a folder, import passes over it (an earlier import's output) and reads the native files; a folder of definitions only is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pipeglot-import-folder-"));
    mkdirSync(join(dir, "ci"));
    copyFileSync(join(REPO, "test/fixtures/translate/azure-pipelines.yml"), join(dir, "ci", "azure-pipelines.yml"));
    copyFileSync(join(REPO, EXAMPLE), join(dir, "ci", "pipeglot.yaml"));
    const r = await runCli(["import", "ci", "--format", "json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ provider: "azure", files: ["ci/azure-pipelines.yml"] });
    mkdirSync(join(dir, "only"));
    copyFileSync(join(REPO, EXAMPLE), join(dir, "only", "pipeglot.yaml"));
    const only = await runCli(["import", "only"], { cwd: dir });
    expect(only.code).toBe(1);
    expect(only.stderr).toContain("only/pipeglot.yaml is a pipeglot definition already");
  });

  it("translate reads it and writes what compile writes (the golden output), with the loss report from pipeglot", async () => {
    const out = mkdtempSync(join(tmpdir(), "pipeglot-translate-neutral-"));
    const r = await runCli(["translate", EXAMPLE, "--to", "aws,oci", "--out", out, "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).from).toBe("pipeglot");
    expect(readdirSync(out).sort()).toEqual(["aws", "oci", "translation-report.json", "translation-report.md"]);
    for (const p of ["aws", "oci"]) {
      expect(filesUnder(join(out, p))).toEqual(filesUnder(join(GOLDEN, p)));
      // The manifest's diagnostics carry positions in the definition here; every other file is byte for byte the compile output.
      for (const f of filesUnder(join(out, p)).filter((f) => f !== "manifest.json"))
        expect(readFileSync(join(out, p, f), "utf8"), `${p}/${f}`).toBe(readFileSync(join(GOLDEN, p, f), "utf8"));
    }
    expect(readFileSync(join(out, "translation-report.md"), "utf8")).toContain(`Source: ${EXAMPLE} (pipeglot)`);
  });

  it("translate takes it alone: with other files it is a usage error", async () => {
    const r = await runCli(["translate", EXAMPLE, "examples/node-webapp/out/gcp/cloudbuild.yaml", "--to", "aws", "--out", mkdtempSync(join(tmpdir(), "pg-"))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${EXAMPLE} is a pipeglot definition: translate reads it alone`);
  });

  it("audit reports it in the neutral format, and --format csv --out writes the same rows it prints", async () => {
    const csvFile = join(mkdtempSync(join(tmpdir(), "pipeglot-audit-csv-")), "audit.csv");
    const r = await runCli(["audit", "examples/node-webapp", "--format", "csv", "--out", csvFile]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(csvFile, "utf8")).toBe(r.stdout);
    const [header, ...rows] = r.stdout.trimEnd().split("\n");
    expect(header).toBe("pipeline,format,result,reason,files,errors,warnings,constructs,lost,emulated");
    // out/ is not walked (build output); the definition is the one pipeline.
    expect(rows).toHaveLength(1);
    expect(rows[0]!.startsWith(`${EXAMPLE},pipeglot,partial,"warnings: compiled to `)).toBe(true);
    expect(rows[0]).toContain(`,${relative(REPO, join(REPO, EXAMPLE))},0,`);
  });
});
