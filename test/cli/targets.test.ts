/**
 * An empty or unknown --target/--to is a usage error (exit 2) on every command that takes one,
 * never a silent pass (a CI drift check must not exit 0 because it checked nothing). Under plan
 * --detailed-exitcode, where 2 means changes, a usage error exits 1 (docs/ci.md).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");
const FLAGSHIP = join(REPO, "examples/node-webapp/pipeglot.yaml");
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, all: r.stdout + r.stderr };
};

describe("--target", () => {
  const cases: [string, string[], number][] = [
    ["plan --detailed-exitcode, empty", ["plan", FLAGSHIP, "--target", "", "--detailed-exitcode"], 1],
    ["plan --detailed-exitcode, only a comma", ["plan", FLAGSHIP, "--target", ",", "--detailed-exitcode"], 1],
    ["plan, empty", ["plan", FLAGSHIP, "--target", ""], 2],
    ["apply, unknown", ["apply", FLAGSHIP, "--target", "foo", "--auto-approve"], 2],
    ["compile, empty", ["compile", FLAGSHIP, "--target", "", "--dry-run"], 2],
    ["translate --to, unknown", ["translate", join(REPO, "test/fixtures/translate/azure-pipelines.yml"), "--to", "aws,nope"], 2],
  ];
  for (const [name, args, code] of cases)
    it(`${name}: exit ${code} with a message naming the choices`, () => {
      const r = run(args);
      expect(r.code, r.all).toBe(code);
      expect(r.all).toMatch(/(no target given|unknown target).*choose from aws, azure, gcp, oci, all/);
      expect(r.all).not.toContain("internal error");
    });
});
