/**
 * Each invalid fixture lists the diagnostics it must produce in `# expect: line:col CODE` lines,
 * written by hand; the loader must report exactly those (all of them, not just the first).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCHEMA_CODES, validate } from "@pipeglot/schema";
import { REPO } from "../helpers/paths.js";

const dir = join(REPO, "test/fixtures/invalid");
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe("invalid fixtures", () => {
  it("there are fixtures for every kind of problem", () => {
    const codes = new Set(fixtures.flatMap((f) => [...readFileSync(join(dir, f), "utf8").matchAll(/^# expect: \d+:\d+ (\S+)/gm)].map((m) => m[1])));
    for (const c of [
      "PG-SCHEMA-UNKNOWN-KEY",
      "PG-SCHEMA-TYPE",
      "PG-SCHEMA-MISSING",
      "PG-NEEDS-UNKNOWN",
      "PG-NEEDS-CYCLE",
      "PG-ARTIFACT-ORDER",
      "PG-ARTIFACT-UNKNOWN",
      "PG-EXPR-UNKNOWN-VAR",
      "PG-EXPR-UNKNOWN-SECRET",
      "PG-FIRST-STAGE-GATE",
      "PG-NAME-INVALID",
      "PG-NAME-COLLISION",
      "PG-DUPLICATE-NAME",
      "PG-YAML-SYNTAX",
      "PG-YAML-DUPLICATE-KEY",
      "PG-CRON-INVALID",
    ])
      expect(codes, c).toContain(c);
  });

  for (const f of fixtures) {
    it(f, () => {
      const text = readFileSync(join(dir, f), "utf8");
      const expected = [...text.matchAll(/^# expect: (\d+):(\d+) (\S+)$/gm)].map((m) => `${m[1]}:${m[2]} ${m[3]}`);
      expect(expected.length).toBeGreaterThan(0);
      const r = validate(text, { file: f });
      // A fixture that expects only warnings still gives an IR; any error means none.
      const errorsExpected = r.diagnostics.some((d) => d.severity === "error");
      expect(r.ir === undefined).toBe(errorsExpected);
      expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(expected);
      for (const d of r.diagnostics) {
        expect(d.file).toBe(f);
        expect(d.message.length).toBeGreaterThan(5);
        expect(d.path === "" || d.path.startsWith("/")).toBe(true);
      }
    });
  }
});

describe("every code of the format is emitted somewhere", () => {
  it("by a fixture here, or by the CLI tests for unreadable input and sizes (test/cli)", () => {
    const fromFixtures = new Set(fixtures.flatMap((f) => [...readFileSync(join(dir, f), "utf8").matchAll(/^# expect: \d+:\d+ (\S+)/gm)].map((m) => m[1]!)));
    const fromCliTests = ["PG-INPUT-UNREADABLE", "PG-INPUT-EMPTY", "PG-INPUT-BINARY", "PG-INPUT-ENCODING", "PG-INPUT-TOO-LARGE"];
    const cli = readFileSync(join(REPO, "test/cli/cli.test.ts"), "utf8");
    for (const c of fromCliTests) expect(cli, c).toContain(c);
    // A run over 4 MiB does not belong in a checked-in fixture: the CLI test generates one.
    const fromSizeTests = ["PG-RUN-TOO-LARGE"];
    const sizes = readFileSync(join(REPO, "test/cli/size-limits.test.ts"), "utf8");
    for (const c of fromSizeTests) expect(sizes, c).toContain(`error ${c}`);
    for (const code of Object.keys(SCHEMA_CODES)) expect([...fromFixtures, ...fromCliTests, ...fromSizeTests], code).toContain(code);
  });
});

describe("messages carry evidence", () => {
  const diag = (f: string, code: string) => validate(readFileSync(join(dir, f), "utf8"), { file: f }).diagnostics.find((d) => d.code === code)!;
  it("a cycle is named", () => expect(diag("needs.yaml", "PG-NEEDS-CYCLE").message).toContain("one → two → one"));
  it("a typo gets a suggestion", () => {
    expect(diag("unknown-keys.yaml", "PG-SCHEMA-UNKNOWN-KEY").hint).toBe('did you mean "source"?');
    expect(diag("needs.yaml", "PG-NEEDS-UNKNOWN").hint).toBe('did you mean "build"?');
    expect(diag("expressions.yaml", "PG-EXPR-UNKNOWN-VAR").hint).toBe('did you mean "REGION"?');
  });
  it("a duplicate names the first definition", () => expect(diag("artifacts.yaml", "PG-DUPLICATE-NAME").message).toContain("first defined at 30:15"));
  it("a collision names the other name and its place", () =>
    expect(diag("gates-and-names.yaml", "PG-NAME-COLLISION").message).toMatch(/"Build-App" collides with "build_app" \(12:15\)/));
});
