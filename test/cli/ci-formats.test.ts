/**
 * The CI outputs that need no cloud, through the built CLI: compile --check (stale, missing and
 * leftover generated files named, exit 1; exit 0 when equal; nothing written), validate --format
 * github (workflow commands at the right line and column, properties escaped) and --format sarif
 * (the SARIF 2.1.0 fields code scanning requires, checked by hand).
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";
import { BIN } from "../helpers/cli.js";

const WORK = mkdtempSync(join(tmpdir(), "pipeglot-ci-formats-"));
const run = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: WORK, input: input ?? "", encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, out: r.stdout + r.stderr };
};

/** Every file under dir with its modification time: what "writes nothing" is checked against. */
const snapshot = (dir: string): Record<string, number> =>
  Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .map((p) => [p, statSync(p).mtimeMs]),
  );

beforeAll(() => copyFileSync(join(REPO, "examples/node-webapp/pipeglot.yaml"), join(WORK, "pipeglot.yaml")));
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describe("compile --check", () => {
  it("exits 0 when the output folder holds exactly what compile writes", () => {
    expect(run(["compile", "pipeglot.yaml", "--out", "gen", "--quiet"]).code).toBe(0);
    const r = run(["compile", "pipeglot.yaml", "--out", "gen", "--check"]);
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toBe("gen: up to date (aws, azure, gcp, oci)\n");
  });

  it("names each stale, missing and leftover file (exit 1) and writes nothing", () => {
    appendFileSync(join(WORK, "gen/gcp/cloudbuild.yaml"), "# edited by hand\n");
    unlinkSync(join(WORK, "gen/aws/manifest.json"));
    writeFileSync(join(WORK, "gen/oci/old-spec.yaml"), "version: 0.1\n");
    const before = snapshot(join(WORK, "gen"));
    const r = run(["compile", "pipeglot.yaml", "--out", "gen", "--check"]);
    expect(r.code, r.out).toBe(1);
    expect(r.stdout.split("\n").filter(Boolean)).toEqual([
      "gen/aws/manifest.json: missing",
      "gen/gcp/cloudbuild.yaml: differs",
      "gen/oci/old-spec.yaml: no longer generated",
    ]);
    expect(r.stderr).toContain("3 generated files are not up to date: run pipeglot compile pipeglot.yaml --target all --out gen");
    expect(snapshot(join(WORK, "gen"))).toEqual(before);
  });

  it("checks only the targets asked for; a folder never written is all missing", () => {
    expect(run(["compile", "pipeglot.yaml", "--out", "gen", "--target", "azure", "--check"]).code).toBe(0);
    const r = run(["compile", "pipeglot.yaml", "--out", "nowhere", "--target", "gcp", "--check", "--format", "json"]);
    expect(r.code, r.out).toBe(1);
    const j = JSON.parse(r.stdout) as { upToDate: boolean; stale: { path: string; why: string }[] };
    expect(j.upToDate).toBe(false);
    expect(j.stale.length).toBeGreaterThan(1);
    expect(j.stale.every((s) => s.why === "missing" && s.path.startsWith("nowhere/gcp/"))).toBe(true);
    expect(() => readdirSync(join(WORK, "nowhere"))).toThrow();
  });

  it("--check with --dry-run is a usage error (exit 2)", () => {
    const r = run(["compile", "pipeglot.yaml", "--check", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--check already writes nothing");
  });
});

/** The flagship with an unknown key appended: its line is the file's line count + 1, column 1. */
function withUnknownKey(name: string): number {
  const text = readFileSync(join(REPO, "examples/node-webapp/pipeglot.yaml"), "utf8");
  const body = text.endsWith("\n") ? text : text + "\n";
  writeFileSync(join(WORK, name), body + "colour: blue\n");
  return body.split("\n").length;
}

describe("validate --format github", () => {
  it("prints one workflow command per diagnostic, at its line and column (exit 1)", () => {
    const line = withUnknownKey("bad.yaml");
    const r = run(["validate", "bad.yaml", "--format", "github"]);
    expect(r.code, r.out).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(`^::error file=bad\\.yaml,line=${line},col=1,endLine=${line},endColumn=7,title=PG-SCHEMA-UNKNOWN-KEY::unknown key "colour"`, "m"),
    );
    for (const l of r.stdout.split("\n").filter(Boolean)) expect(l).toMatch(/^::(error|warning|notice) file=[^:]+::.+$/);
  });

  it("escapes a comma and a colon in the file property", () => {
    withUnknownKey("a,b:c.yaml");
    const r = run(["validate", "a,b:c.yaml", "--format", "github"]);
    expect(r.stdout).toContain("::error file=a%2Cb%3Ac.yaml,line=");
  });

  it("a valid definition prints no command (exit 0)", () => {
    const r = run(["validate", "pipeglot.yaml", "--format", "github"]);
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toBe("");
  });
});

interface Sarif {
  version: string;
  $schema: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string }[] } };
    results: {
      ruleId: string;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn?: number } } }[];
    }[];
  }[];
}

describe("validate --format sarif", () => {
  it("is a SARIF 2.1.0 log with the required fields, a rule for each result and the right region", () => {
    const line = withUnknownKey("bad.yaml");
    const r = run(["validate", "bad.yaml", "--format", "sarif"]);
    expect(r.code, r.out).toBe(1);
    const log = JSON.parse(r.stdout) as Sarif;
    // Required by SARIF 2.1.0 (§3.13 sarifLog: version, runs; §3.14 run: tool; §3.19 tool: driver; §3.19.8 driver: name; §3.27 result: message).
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(Array.isArray(log.runs)).toBe(true);
    expect(log.runs).toHaveLength(1);
    const run0 = log.runs[0]!;
    expect(run0.tool.driver.name).toBe("pipeglot");
    const ruleIds = run0.tool.driver.rules.map((x) => x.id);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    expect(run0.results.length).toBeGreaterThan(0);
    for (const res of run0.results) {
      expect(typeof res.message.text).toBe("string");
      expect(ruleIds).toContain(res.ruleId);
      expect(["none", "note", "warning", "error"]).toContain(res.level);
      for (const loc of res.locations) {
        expect(loc.physicalLocation.artifactLocation.uri).toBe("bad.yaml");
        if (loc.physicalLocation.region)
          expect(Number.isInteger(loc.physicalLocation.region.startLine) && loc.physicalLocation.region.startLine >= 1).toBe(true);
      }
    }
    const unknown = run0.results.find((x) => x.ruleId === "PG-SCHEMA-UNKNOWN-KEY");
    expect(unknown?.level).toBe("error");
    expect(unknown?.locations[0]!.physicalLocation.region).toMatchObject({ startLine: line, startColumn: 1 });
  });

  it("a valid definition gives a log with no results (exit 0)", () => {
    const r = run(["validate", "pipeglot.yaml", "--format", "sarif"]);
    expect(r.code, r.out).toBe(0);
    const log = JSON.parse(r.stdout) as Sarif;
    expect(log.runs[0]!.results.filter((x) => x.level === "error")).toEqual([]);
  });
});
