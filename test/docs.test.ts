/** The docs follow the code: the README's generated blocks are current. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers/paths.js";

describe("README", () => {
  it("is current (regenerate with: node scripts/readme.mjs)", () => {
    const r = spawnSync(process.execPath, [join(REPO, "scripts/readme.mjs"), "--check"], { cwd: REPO, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
