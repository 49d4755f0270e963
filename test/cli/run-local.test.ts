/**
 * `pipeglot run --local` through the built CLI: usage mistakes are one line and exit 2; a run of the
 * behaviour fixture with the reference interpreter succeeds (exit 0) and prints progress and a
 * summary; --format json gives the trace; a rejected approval fails the run (exit 1).
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const FIXTURE = "test/fixtures/runtimes/behaviour/pipeglot.yaml";
const WEBAPP = "examples/node-webapp/pipeglot.yaml";

describe("pipeglot run: usage mistakes are one line, exit 2", () => {
  it.each([
    [[FIXTURE], /pass --target P to start a run on that cloud \(aws, azure, gcp, oci\), or --local to run the pipeline on this machine/],
    [[FIXTURE, "--local", "--target", "gpc"], /unknown target "gpc"; choose from neutral, aws, azure, gcp, oci, all/],
    [[WEBAPP, "--local", "--reject", "prod"], /--reject prod: no stage of that name \(stages: build, staging, production\)/],
    [[WEBAPP, "--local", "--var", "NOPE=1"], /--var NOPE: the pipeline declares no variable NOPE \(it has: NODE_ENV, DEPLOY_REGION\)/],
    [[WEBAPP, "--local", "--var", "DEPLOY_REGION"], /--var "DEPLOY_REGION": write NAME=VALUE/],
    [[WEBAPP, "--local", "--var", "NODE_ENV=test"], /--var NODE_ENV: the variable is not overridable/],
    [[WEBAPP, "--local", "--source", "no/such/folder"], /--source no\/such\/folder: not a folder/],
  ])("run %j", async (args, message) => {
    const r = await runCli(["run", ...args]);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    expect(r.code).toBe(2);
  });
});

describe("pipeglot run --local", () => {
  it("runs the behaviour fixture with the reference interpreter: progress per job on stderr, a summary, exit 0", async () => {
    const r = await runCli(["run", FIXTURE, "--local", "--source", "test/fixtures/runtimes/behaviour/src"]);
    expect(r.stderr).toContain("neutral: ▸ build.make");
    expect(r.stderr).toContain("neutral:   verify.check succeeded");
    expect(r.stdout).toMatch(/^neutral: succeeded — 4 jobs: 4 succeeded, 0 failed, 0 skipped$/m);
    expect(r.code).toBe(0);
  }, 60_000);

  it("--format json prints the trace (formatVersion 1), with the recorded commands and their watched env", async () => {
    const r = await runCli(["run", WEBAPP, "--local", "--record", "--format", "json", "--var", "DEPLOY_REGION=us-east-2"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      formatVersion: number;
      traces: {
        target: string;
        outcome: string;
        jobs: { key: string; steps: { id: string; commands: { argv: string[]; env: Record<string, string> }[] }[] }[];
      }[];
    };
    expect(doc.formatVersion).toBe(1);
    const [t] = doc.traces;
    expect([t!.target, t!.outcome]).toEqual(["neutral", "succeeded"]);
    const upload = t!.jobs.find((j) => j.key === "staging.deploy")!.steps.find((s) => s.id === "upload")!;
    expect(upload.commands).toEqual([
      { argv: ["./scripts/deploy.sh", "staging", "us-east-2", "0123456789abcdef0123456789abcdef01234567"], cwd: ".", env: { DEPLOY_KEY: "fake-DEPLOY_KEY" } },
    ]);
  }, 60_000);

  it("--reject a stage: that stage is rejected, its jobs skipped, the run fails (exit 1)", async () => {
    const r = await runCli(["run", WEBAPP, "--local", "--record", "--reject", "production"]);
    expect(r.stderr).toMatch(/neutral: stage production rejected/);
    expect(r.stdout).toMatch(/^neutral: failed — 5 jobs: 4 succeeded, 0 failed, 1 skipped$/m);
    expect(r.code).toBe(1);
  }, 60_000);
});
