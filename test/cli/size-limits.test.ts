/**
 * Documented size limits answer with a positioned diagnostic, not minutes of work (issue 13):
 * - every native file import / translate / audit read is at most 16 MiB (PG-INPUT-TOO-LARGE at
 *   file:1:1, from the file's size before it is read), templates read alongside included;
 * - a step's run is at most 4 MiB (PG-RUN-TOO-LARGE at the step's `run`), in a definition and in
 *   what an import produces; Cloud Build's own lower limit (10,000 characters in one step argument)
 *   is PG-GCB-ARG-LIMIT.
 * Through the built CLI (run `npm run build` first). Files over the limit are sparse (truncate), so
 * the tests write almost nothing to disk; nothing here measures time (see `npm run bench`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importPipeline, type ProviderBase } from "@pipeglot/core";
import { MAX_INPUT_BYTES, MAX_RUN_BYTES } from "@pipeglot/schema";
import { REPO } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");
const run = (args: string[], cwd = REPO) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
};
const tmp = () => mkdtempSync(join(tmpdir(), "pipeglot-size-"));
const AZURE = readFileSync(join(REPO, "test/fixtures/translate/azure-pipelines.yml"), "utf8");

/** A sparse file one byte over the limit: its size says too large, though it holds no data. */
function sparse(path: string): string {
  writeFileSync(path, "");
  truncateSync(path, MAX_INPUT_BYTES + 1);
  return path;
}

/** A block scalar of `bytes` bytes of shell lines (the last one cut to fit), indented by `indent`. */
function script(bytes: number, indent: string): string {
  const line = "echo 'building the part' \"$HOME\" && make all\n";
  const text = line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes - 1) + "\n";
  return text.replace(/^(?=.)/gm, indent);
}

describe("native files over 16 MiB (PG-INPUT-TOO-LARGE, before reading)", () => {
  it("import: the file's position, exit 1, --out not written", () => {
    const dir = tmp();
    const big = sparse(join(dir, "azure-pipelines.yml"));
    const out = join(dir, "pipeglot.yaml");
    const r = run(["import", big, "--out", out]);
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toContain(`${big}:1:1: error PG-INPUT-TOO-LARGE ${big} is 16.0 MiB (16777217 bytes); pipeglot reads files up to 16 MiB (16777216 bytes)`);
    expect(existsSync(out)).toBe(false);
  });

  it("translate: every file over the limit is named, next to a good one; no target and no report is written", () => {
    const dir = tmp();
    const good = join(dir, "azure-pipelines.yml");
    writeFileSync(good, AZURE);
    const big1 = sparse(join(dir, "a.yml"));
    const big2 = sparse(join(dir, "b.yml"));
    const out = join(dir, "out");
    const r = run(["translate", good, big1, big2, "--from", "azure", "--to", "all", "--out", out]);
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toContain(`${big1}:1:1: error PG-INPUT-TOO-LARGE`);
    expect(r.stderr).toContain(`${big2}:1:1: error PG-INPUT-TOO-LARGE`);
    expect(existsSync(out)).toBe(false);
  });

  it("a folder given to import: the file over the limit inside it stops the import", () => {
    const dir = tmp();
    mkdirSync(join(dir, "ci"));
    writeFileSync(join(dir, "ci", "azure-pipelines.yml"), AZURE);
    const big = sparse(join(dir, "ci", "huge.yml"));
    const r = run(["import", join(dir, "ci"), "--from", "azure", "--out", join(dir, "p.yaml")]);
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toContain(`${big}:1:1: error PG-INPUT-TOO-LARGE`);
    expect(existsSync(join(dir, "p.yaml"))).toBe(false);
  });

  it("a template read alongside the pipeline is held to the same limit: import and translate exit 1 and write nothing", () => {
    const dir = tmp();
    const main = join(dir, "azure-pipelines.yml");
    writeFileSync(main, "trigger: [main]\npool: { vmImage: ubuntu-latest }\nsteps:\n  - template: steps.yml\n  - script: echo after\n");
    sparse(join(dir, "steps.yml"));
    const imp = run(["import", main, "--out", join(dir, "p.yaml")]);
    expect(imp.code, imp.all).toBe(1);
    expect(imp.stderr).toMatch(/steps\.yml:1:1: error PG-INPUT-TOO-LARGE steps\.yml is 16\.0 MiB/);
    expect(existsSync(join(dir, "p.yaml"))).toBe(false);
    const tr = run(["translate", main, "--to", "gcp", "--out", join(dir, "out")]);
    expect(tr.code, tr.all).toBe(1);
    expect(tr.stderr).toContain("error PG-INPUT-TOO-LARGE");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("audit: the file over the limit is Failed with its error, and the audit goes on to the next files", () => {
    const dir = tmp();
    mkdirSync(join(dir, "repo", "sub"), { recursive: true });
    writeFileSync(join(dir, "repo", "a-pipelines.yml"), AZURE);
    sparse(join(dir, "repo", "sub", "huge.yml"));
    writeFileSync(join(dir, "repo", "z-pipelines.yml"), AZURE);
    const r = run(["audit", "repo", "--format", "json"], dir);
    expect(r.code, r.all).toBe(1);
    const report = JSON.parse(r.stdout) as {
      pipelines: { path: string; status: string; diagnostics: { code: string; file: string; line: number; column: number }[] }[];
    };
    expect(report.pipelines.map((f) => f.path)).toEqual(["repo/a-pipelines.yml", "repo/sub/huge.yml", "repo/z-pipelines.yml"]);
    const huge = report.pipelines[1]!;
    expect(huge.status).toBe("failed");
    expect(huge.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(["repo/sub/huge.yml:1:1 PG-INPUT-TOO-LARGE"]);
    for (const f of [report.pipelines[0]!, report.pipelines[2]!]) expect(f.status, f.path).not.toBe("failed");
  });

  it("pull and library callers hand text, not paths: importPipeline refuses it before the provider parses anything", () => {
    let parsed = false;
    const provider = {
      import: () => {
        parsed = true;
        return { diagnostics: [] };
      },
    } as Pick<ProviderBase, "import">;
    const r = importPipeline(provider, [{ path: "build-pipeline.json", content: "x".repeat(MAX_INPUT_BYTES + 1) }]);
    expect(parsed).toBe(false);
    expect(r.pipeline).toBeUndefined();
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual(["build-pipeline.json:1:1 error PG-INPUT-TOO-LARGE"]);
  });
});

describe("a step's run over 4 MiB (PG-RUN-TOO-LARGE, at the step)", () => {
  const definition = (runBytes: number) =>
    "pipeglot: 1\nname: huge\nsource:\n  repository: acme/huge\nstages:\n  - name: build\n    jobs:\n      - name: b\n        steps:\n          - name: small\n            run: make\n          - name: big\n            run: |\n" +
    script(runBytes, "              ");

  it("compile: the position of the step's run, exit 1, nothing written, for every target", () => {
    const dir = tmp();
    const file = join(dir, "pipeglot.yaml");
    writeFileSync(file, definition(MAX_RUN_BYTES + 1));
    const out = join(dir, "out");
    const r = run(["compile", file, "--target", "all", "--out", out]);
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:13:13: error PG-RUN-TOO-LARGE step "big" of job "build\\.b" runs 4\\.0 MiB \\(4194305 bytes\\) of commands; pipeglot compiles a run of at most 4 MiB`,
      ),
    );
    expect(existsSync(out)).toBe(false);
  });

  it("a run of exactly 4 MiB is within the limit", () => {
    const dir = tmp();
    const file = join(dir, "pipeglot.yaml");
    writeFileSync(file, definition(MAX_RUN_BYTES));
    const r = run(["validate", file]);
    expect(r.code, r.all).toBe(0);
  });

  it("Cloud Build's lower limit: a command over 10,000 characters is PG-GCB-ARG-LIMIT at the step's run, exit 1", () => {
    const dir = tmp();
    const file = join(dir, "pipeglot.yaml");
    const at = (chars: number) => {
      writeFileSync(file, definition(chars));
      return run(["compile", file, "--target", "gcp", "--dry-run"]);
    };
    const over = at(10001);
    expect(over.code, over.all).toBe(1);
    expect(over.stderr).toMatch(
      /pipeglot\.yaml:13:\d+: error PG-GCB-ARG-LIMIT step build__b__big: argument 2 is 1000\d characters; Cloud Build refuses a step argument over 10000/,
    );
    const within = at(9000);
    expect(within.code, within.all).toBe(0);
    expect(within.stderr).not.toContain("PG-GCB-ARG-LIMIT");
  });

  it("import: a native script over 4 MiB is the same error at the step in the native file (not an importer bug), nothing written", () => {
    const dir = tmp();
    const file = join(dir, "cloudbuild.yaml");
    writeFileSync(
      file,
      "steps:\n  - name: ubuntu\n    id: small\n    script: make\n  - name: ubuntu\n    id: big\n    script: |\n" + script(MAX_RUN_BYTES + 1, "      "),
    );
    const r = run(["import", file, "--out", join(dir, "p.yaml")]);
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toMatch(/cloudbuild\.yaml:5:5: error PG-RUN-TOO-LARGE step "big"/);
    expect(r.stderr).not.toContain("PG-IMPORT-INVALID");
    expect(existsSync(join(dir, "p.yaml"))).toBe(false);
  });
});
