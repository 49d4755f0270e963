/**
 * translate and audit exit codes, through the built CLI on hand-written files:
 * 0 when every requested target was written (even with features lost or emulated), 1 when the
 * input has errors or a target could not be written, and `--fail-on lost|emulated` as a CI gate.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");
const FIXTURES = join(REPO, "test/fixtures/translate");
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
};
const tmp = () => mkdtempSync(join(tmpdir(), "pipeglot-exit-"));
const azureFile = join(FIXTURES, "azure-pipelines.yml");

describe("translate exit codes", () => {
  it("exits 0 when every target is written, though the schedule is lost on AWS", () => {
    const dir = tmp();
    const r = run(["translate", azureFile, "--to", "aws,gcp", "--out", dir, "--format", "json"]);
    expect(r.code, r.all).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.targets.aws.written).toBe(true);
    expect(j.targets.aws.losses.some((l: { feature: string; support: string }) => l.feature === "triggers.schedule" && l.support === "lossy")).toBe(true);
    expect(existsSync(join(dir, "aws", "pipeline.json"))).toBe(true);
    expect(existsSync(join(dir, "gcp", "manifest.json"))).toBe(true);
  });

  it("--fail-on lost exits 1 when a feature is lost, and still writes everything", () => {
    const dir = tmp();
    const r = run(["translate", azureFile, "--to", "aws", "--out", dir, "--fail-on", "lost"]);
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toMatch(/--fail-on lost: \d+ features? lost/);
    expect(existsSync(join(dir, "aws", "pipeline.json"))).toBe(true);
  });

  it("--fail-on emulated also trips on an emulated feature; --fail-on lost does not when nothing is lost", () => {
    const lossless = run(["translate", azureFile, "--to", "azure", "--out", tmp(), "--fail-on", "lost"]);
    expect(lossless.code, lossless.all).toBe(0);
    const emulated = run(["translate", azureFile, "--to", "aws", "--out", tmp(), "--fail-on", "emulated"]);
    expect(emulated.code, emulated.all).toBe(1);
    expect(emulated.stderr).toMatch(/--fail-on emulated: \d+ features? lost or emulated/);
  });

  it("exits 1 when a target cannot be written (CodeCommit on Azure), and writes the others", () => {
    const dir = tmp();
    const r = run(["translate", join(FIXTURES, "codecommit-pipeline.json"), "--to", "azure,gcp", "--out", dir]);
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toContain("error PG-ADO-REPO-UNSUPPORTED");
    expect(r.stderr).toContain("azure: not written");
    expect(existsSync(join(dir, "azure"))).toBe(false);
    expect(existsSync(join(dir, "gcp", "manifest.json"))).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, "translation-report.json"), "utf8"));
    expect([report.targets.azure.written, report.targets.gcp.written]).toEqual([false, true]);
  });

  it("exits 1 on input with errors, and writes nothing", () => {
    const dir = tmp();
    const bad = join(dir, "azure-pipelines.yml");
    writeFileSync(bad, "steps:\n  - script: [unclosed\n");
    const out = join(dir, "out");
    const r = run(["translate", bad, "--to", "aws", "--out", out]);
    expect(r.code, r.all).toBe(1);
    expect(r.all).not.toContain("internal error");
    expect(existsSync(out)).toBe(false);
  });
});

describe("audit exit codes", () => {
  it("0 for a folder whose pipelines all convert; --fail-on lost makes a loss exit 1", () => {
    const dir = tmp();
    copyFileSync(azureFile, join(dir, "azure-pipelines.yml"));
    const plain = run(["audit", dir, "--format", "json"]);
    expect(plain.code, plain.all).toBe(0);
    const report = JSON.parse(plain.stdout);
    expect(report.pipelines[0].lost).toContain("aws:triggers.schedule");
    const gated = run(["audit", dir, "--fail-on", "lost"]);
    expect(gated.code, gated.all).toBe(1);
    expect(gated.stderr).toMatch(/--fail-on lost: 1 pipeline loses a feature/);
  });
  it("1 when a pipeline fails", () => {
    const dir = tmp();
    writeFileSync(join(dir, "cloudbuild.yaml"), "steps:\n  - name: [unclosed\n");
    const r = run(["audit", dir]);
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toContain("1 pipeline failed");
  });
});
