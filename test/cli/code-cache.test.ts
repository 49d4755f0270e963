/**
 * The bundled CLI starts from a V8 code cache (packages/cli/src/start.ts). The cache only ever
 * speeds it up: a first run writes it, a run with it prints exactly what a run without it prints,
 * and a cache that is corrupt, from elsewhere or unwritable changes nothing the user sees.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");
const ARGS = ["validate", "examples/node-webapp/pipeglot.yaml", "--format", "json"];

function run(cache: string, args: readonly string[] = ARGS) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: "utf8", env: { ...process.env, PIPEGLOT_CODE_CACHE: cache } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the CLI's code cache", () => {
  const off = run("0");

  it("a first run writes one cache file named for this node and architecture; later runs print the same as without it", () => {
    const dir = mkdtempSync(join(tmpdir(), "pipeglot-code-cache-"));
    expect(run(dir)).toEqual(off);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^pipeglot-[0-9a-f]{16}-node${process.versions.node.replace(/\./g, "\\.")}-.*-${process.arch}\\.cache$`));
    expect(run(dir)).toEqual(off);
    expect(run(dir, ["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("a corrupt cache is replaced; the stale cache of another build is removed", () => {
    const dir = mkdtempSync(join(tmpdir(), "pipeglot-code-cache-"));
    run(dir);
    const [name] = readdirSync(dir);
    writeFileSync(join(dir, name!), "not a code cache");
    writeFileSync(join(dir, "pipeglot-0000000000000000-node0.0.0-v80-x64.cache"), "another build's");
    expect(run(dir)).toEqual(off);
    expect(readdirSync(dir)).toEqual([name]);
    expect(run(dir)).toEqual(off);
  });

  it("a cache folder that cannot be made changes nothing", () => {
    const file = join(mkdtempSync(join(tmpdir(), "pipeglot-code-cache-")), "a-file");
    writeFileSync(file, "");
    expect(run(join(file, "cache"))).toEqual(off);
  });

  it("without it (PIPEGLOT_CODE_CACHE=0) the CLI works as with it", () => {
    expect(off.code).toBe(0);
    expect(off.stderr).toBe("");
    expect(JSON.parse(off.stdout)).toBeTruthy();
  });
});
