/**
 * Small things a user trips on (issue 17 item 5), through the built CLI: completion, --quiet and
 * --min-severity, `-` for standard input, numeric options, no duplicate choices in any help, and
 * the exit-code scheme of plan --detailed-exitcode (2 only for changes: usage errors exit 1).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";
import { BIN } from "../helpers/cli.js";

const FLAGSHIP = "examples/node-webapp/pipeglot.yaml";
const run = (args: string[], input = "") => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, input, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, out: r.stdout + r.stderr };
};
/** Diagnostic header lines of the text format: "file:line:col: severity CODE message". */
const severities = (text: string) => [...text.matchAll(/^\S+:\d+:\d+: (error|warning|info) PG-/gm)].map((m) => m[1]);

describe("pipeglot completion", () => {
  it("prints a bash completion script, and the script's completion call lists commands", () => {
    const r = run(["completion"]);
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toContain("###-begin-pipeglot-completions-###");
    expect(r.stdout).toContain("--get-yargs-completions");
    const c = run(["--get-yargs-completions", "pipeglot", "val"]);
    expect(c.stdout.split("\n")).toContain("validate");
  });
});

describe("--quiet and --min-severity", () => {
  it("compile prints info, warnings and a summary by default; --min-severity warning drops the info; --quiet prints nothing for a valid definition", () => {
    const all = run(["compile", FLAGSHIP, "--dry-run"]);
    expect(all.code).toBe(0);
    expect(severities(all.stderr)).toContain("info");
    expect(severities(all.stderr)).toContain("warning");
    const warn = run(["compile", FLAGSHIP, "--dry-run", "--min-severity", "warning"]);
    expect(severities(warn.stderr).length).toBeGreaterThan(0);
    expect(severities(warn.stderr).every((s) => s === "warning")).toBe(true);
    const quiet = run(["compile", FLAGSHIP, "--dry-run", "--quiet"]);
    expect(quiet.code).toBe(0);
    expect(quiet.out).toBe("");
  });

  it("--quiet still prints errors and keeps the exit code", () => {
    const r = run(["validate", "-", "--quiet"], "pipeglot: 1\nname: x\nstages: []\ncolour: blue\n");
    expect(r.code).toBe(1);
    expect(severities(r.stderr)).toContain("error");
  });

  it("an unknown severity is a usage error (exit 2)", () => {
    expect(run(["validate", FLAGSHIP, "--min-severity", "loud"]).code).toBe(2);
  });
});

describe("- reads standard input", () => {
  const flagship = readFileSync(join(REPO, FLAGSHIP), "utf8");
  it("validate - checks the text piped in", () => {
    const r = run(["validate", "-"], flagship);
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toMatch(/^<stdin>: valid/);
  });
  it("validate - with nothing piped in fails (it used to check 0 files and pass)", () => {
    const r = run(["validate", "-"], "");
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain("PG-INPUT-EMPTY");
  });
  it("an invalid definition on standard input is reported at <stdin>:line:col", () => {
    const r = run(["validate", "-"], "pipeglot: 1\ncolour: blue\n");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^<stdin>:2:1: error PG-SCHEMA-UNKNOWN-KEY/m);
  });
  it("graph and compile --dry-run read it too", () => {
    expect(run(["graph", "-"], flagship).stdout).toMatch(/^flowchart LR/);
    const c = run(["compile", "-", "--dry-run", "--target", "gcp", "-q"], flagship);
    expect(c.code, c.out).toBe(0);
  });
  it("import - reads a native file", () => {
    const cloudbuild = readFileSync(join(REPO, "examples/node-webapp/out/gcp/cloudbuild.yaml"), "utf8");
    const r = run(["import", "-", "--from", "gcp", "-q"], cloudbuild);
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toContain("Imported by pipeglot from Google Cloud Build: <stdin>");
  });
  it("import - reads an Azure pipeline too, with --from or found by its content (it has no file name to go by)", () => {
    const yaml = "trigger: [main]\npool:\n  vmImage: ubuntu-latest\nsteps:\n  - script: make test\n    displayName: test\n";
    for (const args of [
      ["import", "-", "--from", "azure"],
      ["import", "-"],
    ]) {
      const r = run(args, yaml);
      expect(r.code, r.out).toBe(0);
      expect(r.stdout).toContain("Imported by pipeglot from Azure Pipelines: <stdin>");
      expect(r.stdout).toContain("run: make test");
    }
  });
});

describe("numeric options", () => {
  it.each([
    [["compare", FLAGSHIP, "--runs-per-month", "abc"], '--runs-per-month "abc": must be a number'],
    [["compare", FLAGSHIP, "--runs-per-month=12x"], '--runs-per-month "12x": must be a number'],
    [["apply", FLAGSHIP, "--target", "gcp", "--parallelism", "four"], '--parallelism "four": must be a number'],
    [["plan", FLAGSHIP, "--target", "gcp", "--retries", "many"], '--retries "many": must be a number'],
  ])("%j: usage error, one line", (args, message) => {
    const r = run(args);
    expect(r.code, r.out).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe(`pipeglot: ${message}`);
    expect(r.out).not.toContain("NaN");
  });
});

describe("help", () => {
  const commands = ["validate", "graph", "schema", "compile", "import", "translate", "compare", "audit", "plan", "apply", "pull", "run", "emulate", "demo"];
  it.each(commands)("%s --help lists no choice twice", (c) => {
    const r = run([c, "--help"]);
    expect(r.code, r.out).toBe(0);
    const lists = [...r.stdout.replace(/\s+/g, " ").matchAll(/\[choices: ([^\]]+)\]/g)].map((m) => m[1]!.split(", "));
    for (const l of lists) expect(new Set(l).size, `${c}: ${l.join(", ")}`).toBe(l.length);
  });
  it("graph --help lists exactly its own formats", () => {
    expect(run(["graph", "--help"]).stdout).toContain('[choices: "mermaid", "dot", "json", "text"]');
  });
});

describe("plan --detailed-exitcode: exit 2 means changes, never a usage error", () => {
  it("a usage error without --detailed-exitcode exits 2", () => {
    const r = run(["plan", FLAGSHIP, "--target", "gcp", "--no-such-flag"]);
    expect(r.code).toBe(2);
  });
  it.each([
    [["plan", FLAGSHIP, "--target", "gcp", "--detailed-exitcode", "--no-such-flag"]],
    [["plan", FLAGSHIP, "--detailed-exitcode"]],
    [["plan", FLAGSHIP, "--target", "nowhere", "--detailed-exitcode"]],
    [["plan", FLAGSHIP, "--target", "gcp", "--detailed-exitcod"]],
  ])("%j exits 1, with the usage message", (args) => {
    const r = run(args);
    expect(r.code, r.out).toBe(1);
    expect(r.stderr).toMatch(/^pipeglot: /);
    expect(r.out).not.toMatch(/^\s+at /m);
  });
});
