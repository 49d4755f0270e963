/** The docs follow the code: the generated blocks of docs/ are current, the diagnostic reference matches the code tables. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers/paths.js";

const runScript = (script: string) => spawnSync(process.execPath, [join(REPO, "scripts", script), "--check"], { cwd: REPO, encoding: "utf8" });

describe("docs", () => {
  it("the generated blocks of docs/ are current (regenerate with: node scripts/readme.mjs)", () => {
    const r = runScript("readme.mjs");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("docs/diagnostics.md matches the code tables and what the inputs emit (regenerate with: node scripts/diagnostics-doc.mjs)", () => {
    const r = runScript("diagnostics-doc.mjs");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 60_000);

  it("the README stays short (issue 17: at most about 200 lines)", () => {
    expect(readFileSync(join(REPO, "README.md"), "utf8").split("\n").length).toBeLessThanOrEqual(210);
  });
});

describe("editor schema", () => {
  const URL = "https://pipeglot.dev/schema/pipeline.v1.json";

  it("has the stable $id that import and pull write in their modeline", () => {
    const schema = JSON.parse(readFileSync(join(REPO, "packages/schema/pipeline.schema.json"), "utf8")) as { $id?: string };
    expect(schema.$id).toBe(URL);
  });

  it("the SchemaStore catalog entry names it and the pipeglot file names", () => {
    const entry = JSON.parse(readFileSync(join(REPO, "docs/schemastore-catalog-entry.json"), "utf8")) as Record<string, unknown>;
    expect(Object.keys(entry).sort()).toEqual(["description", "fileMatch", "name", "url"]);
    expect(entry.url).toBe(URL);
    expect(entry.fileMatch).toEqual(expect.arrayContaining(["pipeglot.yaml", "pipeglot.yml", "*.pipeglot.yaml"]));
  });
});
