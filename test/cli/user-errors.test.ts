/**
 * Mistakes in the live commands' settings are the user's to fix: a clear one-line message and
 * exit 1 (a PipeglotError of kind config or auth), never "internal error … This is a bug" with exit 3.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");
const FLAGSHIP = join(REPO, "examples/node-webapp/pipeglot.yaml");
const HOME = mkdtempSync(join(tmpdir(), "pipeglot-home-"));
const run = (args: string[], env: Record<string, string> = {}) => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|AZURE_|GOOGLE_|OCI_|PIPEGLOT_|SYSTEM_ACCESSTOKEN)/.test(k)));
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: "utf8", env: { ...clean, HOME, NO_COLOR: "1", ...env } });
  return { code: r.status, all: r.stdout + r.stderr };
};

describe("user mistakes in the live commands", () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ["a Cloud Build endpoint that is not http(s)", ["plan", FLAGSHIP, "--target", "gcp", "--endpoint", "ftp://x"], {}, /must be http:\/\/ or https:\/\//],
    ["an AWS endpoint that is not a URL", ["plan", FLAGSHIP, "--target", "aws", "--endpoint", "notaurl"], {}, /is not a URL/],
    ["no Azure DevOps token", ["plan", FLAGSHIP, "--target", "azure"], {}, /no Azure DevOps token/],
    ["pull from Cloud Build without a project", ["pull", "shop-web", "--target", "gcp"], {}, /Cloud Build needs a project/],
    [
      "an OCI profile that does not exist",
      ["plan", FLAGSHIP, "--target", "oci", "--profile", "NOPE"],
      { OCI_CONFIG_FILE: join(HOME, "missing-config") },
      /cannot use OCI profile "NOPE"/,
    ],
  ];
  for (const [name, args, env, message] of cases)
    it(`${name}: exit 1 with a clear message`, () => {
      const r = run(args, env);
      expect(r.code, r.all).toBe(1);
      expect(r.all).toMatch(message);
      expect(r.all).not.toContain("internal error");
      expect(r.all).not.toMatch(/\n\s+at .+:\d+:\d+/);
    });
});
