/**
 * An empty or unknown --target/--to is a usage error (exit 2) on every command that takes one,
 * never a silent pass (a CI drift check must not exit 0 because it checked nothing).
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
  const cases: [string, string[]][] = [
    ["plan, empty", ["plan", FLAGSHIP, "--target", "", "--detailed-exitcode"]],
    ["plan, only a comma", ["plan", FLAGSHIP, "--target", ",", "--detailed-exitcode"]],
    ["apply, unknown", ["apply", FLAGSHIP, "--target", "foo", "--auto-approve"]],
    ["compile, empty", ["compile", FLAGSHIP, "--target", "", "--dry-run"]],
    ["translate --to, unknown", ["translate", join(REPO, "test/fixtures/translate/azure-pipelines.yml"), "--to", "aws,nope"]],
  ];
  for (const [name, args] of cases)
    it(`${name}: exit 2 with a message naming the choices`, () => {
      const r = run(args);
      expect(r.code, r.all).toBe(2);
      expect(r.all).toMatch(/(no target given|unknown target).*choose from aws, azure, gcp, oci, all/);
      expect(r.all).not.toContain("internal error");
    });
});
