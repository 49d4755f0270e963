/**
 * The built CLI, end to end: spawned as a user would run it, output and exit codes asserted.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, examples } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");
const run = (args: string[], cwd = REPO) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
};
const tmp = () => mkdtempSync(join(tmpdir(), "pipeglot-cli-"));
const flagship = join(REPO, "examples/node-webapp/pipeglot.yaml");
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);

describe("pipeglot validate", () => {
  it("exits 0 on the examples", () => {
    const r = run(["validate", ...examples().map((e) => e.file)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/6 files checked, 0 invalid/);
  });
  it("prints file:line:col: error CODE message, the source line and a caret; exits 1", () => {
    const f = join(REPO, "test/fixtures/invalid/unknown-keys.yaml");
    const r = run(["validate", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${f}:7:1: error PG-SCHEMA-UNKNOWN-KEY unknown key "sorce"\n  sorce:\n  ^^^^^\n  hint: did you mean "source"?`);
  });
  it("--format json prints the same diagnostics as objects", () => {
    const r = run(["validate", join(REPO, "test/fixtures/invalid/needs.yaml"), "--format", "json"]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.summary).toEqual({ files: 1, errors: 3, warnings: 0 });
    expect(j.files[0].diagnostics[0]).toMatchObject({ severity: "error", code: "PG-NEEDS-UNKNOWN", line: 13, column: 13, path: "/stages/1/needs/0" });
  });
  describe("bad input never shows a stack trace", () => {
    const dir = tmp();
    const cases: [string, string | Buffer, string][] = [
      ["empty.yaml", "", "PG-INPUT-EMPTY"],
      ["comments.yaml", "# nothing here\n", "PG-INPUT-EMPTY"],
      ["syntax.yaml", "a: [\n", "PG-YAML-SYNTAX"],
      ["binary.yaml", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff, 0xfe]), "PG-INPUT-BINARY"],
      // Latin-1 "é" (0xe9) on line 2, column 10: a positioned error, not a silent U+FFFD.
      [
        "latin1.yaml",
        Buffer.concat([Buffer.from("pipeglot: 1\nname: caf"), Buffer.from([0xe9]), Buffer.from("\n")]),
        "latin1.yaml:2:10: error PG-INPUT-ENCODING byte 0xe9",
      ],
      ["huge.yaml", "# " + "x".repeat(17 * 1024 * 1024) + "\n", "PG-INPUT-TOO-LARGE"],
      ["scalar.yaml", "just a string\n", "PG-SCHEMA-TYPE"],
      ["list.yaml", "- a\n- b\n", "PG-SCHEMA-TYPE"],
      ["type.yaml", "pipeglot: 1\nname: x\nsource: { repository: a/b }\nstages: 5\n", "PG-SCHEMA-TYPE"],
      [
        "unknown.yaml",
        "pipeglot: 1\nname: x\nsource: { repository: a/b }\nstages: [{ name: s, jobs: [{ name: j, steps: [{ run: x }] }] }]\nextra: 1\n",
        "PG-SCHEMA-UNKNOWN-KEY",
      ],
      [
        "aliases.yaml",
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
        "PG-",
      ],
    ];
    for (const [name, content, code] of cases) {
      it(name, () => {
        writeFileSync(join(dir, name), content);
        const r = run(["validate", join(dir, name)]);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(code);
        expect(r.stderr).toMatch(new RegExp(`${name}:\\d+:\\d+: error PG-`));
        noStack(r.all);
      });
    }
    it("a missing file", () => {
      const r = run(["validate", join(dir, "nope.yaml")]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("PG-INPUT-UNREADABLE cannot read");
      expect(r.stderr).toContain("no such file");
      noStack(r.all);
    });
    it("a folder", () => {
      const r = run(["validate", dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("is a folder");
    });
  });
});

describe("usage errors exit 2", () => {
  it.each([[["frobnicate"]], [[]], [["validate"]], [["compile", flagship, "--target", "azur"]], [["validate", flagship, "--format", "xml"]]])("%j", (args) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stderr.length).toBeGreaterThan(0);
    noStack(r.all);
  });
});

describe("help", () => {
  it.each(["validate", "graph", "schema", "compile", "import", "demo"])("%s --help shows examples", (cmd) => {
    const r = run([cmd, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain(`pipeglot ${cmd}`);
  });
});

describe("pipeglot graph", () => {
  it("mermaid by default: stages as subgraphs, job and stage edges, gates as labels", () => {
    const r = run(["graph", flagship]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("flowchart LR");
    expect(r.stdout).toContain('subgraph stage__production["production"]');
    expect(r.stdout).toContain("build__test --> build__bundle");
    expect(r.stdout).toContain("staging__deploy -->|approval| production__deploy");
  });
  it("dot", () => {
    const r = run(["graph", flagship, "--format", "dot"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^digraph "shop-web" \{/);
    expect(r.stdout).toContain('staging__deploy -> production__deploy [label="approval"];');
  });
  it("an invalid file exits 1 with diagnostics", () => {
    const r = run(["graph", join(REPO, "test/fixtures/invalid/needs.yaml")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("PG-NEEDS-CYCLE");
  });
});

describe("pipeglot schema", () => {
  it("prints the committed JSON Schema", () => {
    const r = run(["schema"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(REPO, "packages/schema/pipeline.schema.json"), "utf8"));
  });
});

describe("pipeglot compile", () => {
  it("writes <out>/<provider>/manifest.json listing files that exist", () => {
    const out = tmp();
    const r = run(["compile", flagship, "--target", "all", "--out", out, "--format", "json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j.outputs).sort()).toEqual(["aws", "azure", "gcp", "oci"]);
    for (const p of ["aws", "azure", "gcp", "oci"]) {
      const m = JSON.parse(readFileSync(join(out, p, "manifest.json"), "utf8"));
      expect(m.provider).toBe(p);
      expect(m.pipeline).toBe("shop-web");
      for (const f of m.files) expect(existsSync(join(out, p, f.path)), f.path).toBe(true);
      for (const d of m.diagnostics) expect(d.file).toBe(flagship);
    }
  });
  it("--dry-run writes nothing", () => {
    const out = tmp();
    const r = run(["compile", flagship, "--target", "aws", "--out", out, "--dry-run"]);
    expect(r.code).toBe(0);
    expect(readdirSync(out)).toEqual([]);
  });
  it("an invalid definition writes nothing and exits 1", () => {
    const out = tmp();
    const r = run(["compile", join(REPO, "test/fixtures/invalid/needs.yaml"), "--out", out]);
    expect(r.code).toBe(1);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe("pipeglot demo (npm start)", () => {
  it("compiles the flagship for all four clouds into ./out, prints the comparison and writes the HTML report", () => {
    const cwd = tmp();
    const r = run(["demo"], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Bundled examples: 6 of 6 valid");
    expect(r.stdout).toMatch(/feature used\s+aws\s+azure\s+gcp\s+oci/);
    expect(r.stdout).toMatch(/monthly cost \(estimate\)\s+\$/);
    expect(r.stdout).toContain("HTML report with each provider's run graph: out/compare.html");
    for (const p of ["aws", "azure", "gcp", "oci"]) expect(existsSync(join(cwd, "out", p, "manifest.json"))).toBe(true);
    expect(readFileSync(join(cwd, "out", "compare.html"), "utf8")).toContain("<svg");
  });
});

describe("pipeglot import and translate", () => {
  for (const p of ["aws", "azure", "gcp", "oci"]) {
    it(`import detects ${p} from a compile output folder and writes a valid definition`, () => {
      const dir = tmp();
      const outFile = join(dir, "pipeglot.yaml");
      const r = run(["import", join(REPO, "examples/node-webapp/out", p), "--out", outFile, "--format", "json"]);
      expect(r.code, r.all).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.provider).toBe(p);
      expect(j.diagnostics.filter((d: { severity: string }) => d.severity === "error")).toEqual([]);
      const v = run(["validate", outFile]);
      expect(v.code, v.all).toBe(0);
      expect(readFileSync(outFile, "utf8")).toContain("name: shop-web");
    });
  }
  it("translate gcp → azure writes the Azure files and a loss report pointing into the Cloud Build files", () => {
    const dir = tmp();
    const r = run(["translate", join(REPO, "examples/release/out/gcp"), "--to", "azure", "--out", dir, "--format", "json"]);
    expect(r.code, r.all).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.from).toBe("gcp");
    expect(existsSync(join(dir, "azure", "azure-pipelines.yml"))).toBe(true);
    const report = readFileSync(join(dir, "translation-report.md"), "utf8");
    expect(report).toContain("## azure");
    const located = j.targets.azure.losses.filter((l: { file?: string }) => l.file);
    expect(located.length).toBeGreaterThan(0);
    for (const l of located) expect(l.file).toContain("examples/release/out/gcp/");
  });
  it("a file no provider recognizes is exit 1 with a clear message", () => {
    const dir = tmp();
    writeFileSync(join(dir, "notes.yaml"), "hello: world\n");
    const r = run(["import", join(dir, "notes.yaml")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot tell which provider's format");
  });
});

describe("npx pipeglot", () => {
  it("is linked by npm install and runs the built CLI", () => {
    const r = spawnSync("npx", ["--no-install", "pipeglot", "validate", flagship], { cwd: REPO, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("valid (0 errors, 0 warnings)");
  });
});
