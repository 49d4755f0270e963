/**
 * Hostile native input through the built CLI: a 379-byte Azure file whose four nested `${{ each }}`
 * over a 45-item parameter would expand into 4.1 million steps fails fast with one positioned
 * PG-ADO-IMPORT-TEMPLATE-BUDGET error; `audit` reports it as failed and goes on to the good file
 * beside it; `import` and `translate` exit 1 and write nothing. Every spawn has a timeout, so a
 * regression fails here instead of hanging the run.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");
/** Well above the ~2 s the CLI needs on a loaded machine; a run without budgets never ends. */
const SPAWN_TIMEOUT_MS = 60_000;
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO,
    encoding: "utf8",
    timeout: SPAWN_TIMEOUT_MS,
    killSignal: "SIGKILL",
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (r.error) throw r.error;
  expect(r.signal, "the CLI was killed: it ran past its timeout").toBeNull();
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
};

const HOSTILE = [
  "parameters:",
  "- name: n",
  "  type: object",
  `  default: [${Array.from({ length: 45 }, (_, i) => i).join(",")}]`,
  "steps:",
  "- ${{ each a in parameters.n }}:",
  "  - ${{ each b in parameters.n }}:",
  "    - ${{ each c in parameters.n }}:",
  "      - ${{ each d in parameters.n }}:",
  "        - script: e ${{ a }}${{ b }}${{ c }}${{ d }}",
  "",
].join("\n");

/** A folder holding the hostile file (first in name order) and a good Azure file. */
function folder(): { dir: string; hostile: string; good: string } {
  const dir = mkdtempSync(join(tmpdir(), "pipeglot-budget-"));
  const hostile = join(dir, "a-hostile.yml");
  const good = join(dir, "b-good.yml");
  writeFileSync(hostile, HOSTILE);
  copyFileSync(join(REPO, "test/fixtures/translate/azure-pipelines.yml"), good);
  return { dir, hostile, good };
}

interface AuditJson {
  pipelines: { path: string; status: string; diagnostics: { code: string; severity: string; line?: number; column?: number }[] }[];
}

describe("template expansion budgets through the CLI", () => {
  it("the hostile file is 379 bytes", () => {
    expect(Buffer.byteLength(HOSTILE)).toBe(379);
  });

  it("audit reports the hostile file as failed, with its positioned error, and still reports the good file", { timeout: SPAWN_TIMEOUT_MS + 10_000 }, () => {
    const { dir } = folder();
    const r = run(["audit", dir, "--format", "json"]);
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toContain("1 pipeline failed");
    const report = JSON.parse(r.stdout) as AuditJson;
    const [hostile, good] = report.pipelines;
    expect(report.pipelines).toHaveLength(2);
    expect(hostile!.path).toMatch(/a-hostile\.yml$/);
    expect(hostile!.status).toBe("failed");
    expect(hostile!.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column}`)).toEqual(["error PG-ADO-IMPORT-TEMPLATE-BUDGET 9:9"]);
    expect(good!.path).toMatch(/b-good\.yml$/);
    expect(["successful", "partial"]).toContain(good!.status);
  });

  it("import exits 1 with the positioned error and writes nothing", { timeout: SPAWN_TIMEOUT_MS + 10_000 }, () => {
    const { dir, hostile } = folder();
    const out = join(dir, "imported");
    const r = run(["import", hostile, "--out", out]);
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toMatch(/a-hostile\.yml:9:9: error PG-ADO-IMPORT-TEMPLATE-BUDGET .*budget "items": 100000/);
    expect(existsSync(out)).toBe(false);
  });

  it("translate exits 1 with the positioned error and writes nothing", { timeout: SPAWN_TIMEOUT_MS + 10_000 }, () => {
    const { dir, hostile } = folder();
    const out = join(dir, "translated");
    const r = run(["translate", hostile, "--to", "aws,gcp", "--out", out]);
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toMatch(/a-hostile\.yml:9:9: error PG-ADO-IMPORT-TEMPLATE-BUDGET /);
    expect(existsSync(out)).toBe(false);
  });
});
