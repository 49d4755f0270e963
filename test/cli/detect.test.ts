/**
 * Format detection through the built CLI (hand-made files): broken input gets the code of the
 * format its name or text shows, a format-neutral code when nothing does, and always exit 1
 * (never 3); a neutral pipeglot definition is no provider's format; `waitFor: [-]` is Cloud Build.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");

function importFile(name: string, content: string, cmd: string[] = ["import"]): { code: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "pg-detect-"));
  writeFileSync(join(dir, name), content);
  const r = spawnSync(process.execPath, [BIN, ...cmd, join(dir, name), ...(cmd[0] === "translate" ? ["--to", "aws", "--out", join(dir, "out")] : [])], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, stderr: r.stderr };
}

/** The error codes printed (`file:line:col: error CODE …`). */
const errorCodes = (stderr: string) => [...stderr.matchAll(/: error (PG-[A-Z0-9-]+)/g)].map((m) => m[1]);

const BROKEN_CLOUDBUILD = "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: [build, '-t', app\n    waitFor: ['-']\n";

describe("broken input gets the code of the format that was detected", () => {
  it.each([
    { name: "cloudbuild.yaml", content: BROKEN_CLOUDBUILD, code: "PG-GCB-IMPORT-SYNTAX" },
    { name: "ci.yaml", content: BROKEN_CLOUDBUILD.replace("args: [build", "entrypoint: bash\n    args: [build"), code: "PG-GCB-IMPORT-SYNTAX" },
    { name: "build_spec.yaml", content: "version: 0.1\ncomponent: build\nsteps:\n  - type: Command\n    command: [make\n", code: "PG-OCI-IMPORT-PARSE" },
    { name: "spec.yml", content: "version: 0.1\ncomponent: build\nsteps:\n  - type: Command\n    command: 'make\n", code: "PG-OCI-IMPORT-PARSE" },
    { name: "buildspec.yml", content: "version: 0.2\nphases:\n  build:\n    commands: [make\n", code: "PG-AWS-IMPORT-PARSE" },
    { name: "azure-pipelines.yml", content: "trigger: [main\nsteps:\n  - script: make\n", code: "PG-ADO-IMPORT-YAML" },
  ])("broken $name → $code, exit 1", ({ name, content, code }) => {
    const r = importFile(name, content);
    expect(r.code, r.stderr).toBe(1);
    expect(errorCodes(r.stderr)).toEqual([code]);
  });

  it("translate reads its input the same way", () => {
    const r = importFile("cloudbuild.yaml", BROKEN_CLOUDBUILD, ["translate"]);
    expect(r.code, r.stderr).toBe(1);
    expect(errorCodes(r.stderr)).toEqual(["PG-GCB-IMPORT-SYNTAX"]);
  });
});

describe("nothing detected: a format-neutral code", () => {
  it("text that does not parse and says nothing of its format → PG-IMPORT-SYNTAX at the error", () => {
    const r = importFile("notes.yaml", "title: notes\nitems: [a, b\n");
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/notes\.yaml:3:1: error PG-IMPORT-SYNTAX /);
    expect(errorCodes(r.stderr)).toEqual(["PG-IMPORT-SYNTAX"]);
  });
  it("valid YAML of no known format → PG-IMPORT-UNKNOWN-FORMAT", () => {
    const r = importFile("notes.yaml", "hello: world\n");
    expect(r.code, r.stderr).toBe(1);
    expect(errorCodes(r.stderr)).toEqual(["PG-IMPORT-UNKNOWN-FORMAT"]);
    expect(r.stderr).toContain("cannot tell which provider's format");
  });
  it("a neutral pipeglot definition is not taken for any provider's format", () => {
    // stages/jobs/steps and ${{ }} are what Azure's detector looks for.
    const doc =
      "pipeglot: 1\nname: p\nsource: {repository: acme/p}\nvariables: {X: {default: a}}\nstages:\n  - name: s\n    jobs:\n      - name: j\n        steps:\n          - run: echo ${{ vars.X }}\n";
    const r = importFile("azure-like.yml", doc);
    expect(r.code, r.stderr).toBe(1);
    // One line, with the code: nothing else is printed (see test/audit/neutral.test.ts).
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("PG-IMPORT-UNKNOWN-FORMAT: ");
    expect(r.stderr).toContain("is a pipeglot definition already");
  });
});

describe("Cloud Build as Google reads it", () => {
  it("an unnamed file with waitFor: [-] is Cloud Build, imported with a note", () => {
    const r = importFile("ci.yaml", "steps:\n  - id: a\n    name: node:20\n    entrypoint: bash\n    args: [-c, make]\n    waitFor: [-]\n");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("info PG-GCB-IMPORT-LENIENT");
    expect(r.stderr).toMatch(/^gcp: imported 1 file/m);
  });
});
