/**
 * The operate commands through the built CLI (issue #19): usage mistakes are one line and exit 2;
 * what is missing exits 1 with one line; against the AWS emulator (real SDK, fake credentials),
 * run → status --watch (one line per change off a terminal, exit 4 at the gate) → approve →
 * status --watch (exit 0), --format json prints the neutral run, and no credential is printed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { runCli, type CliResult } from "../helpers/cli.js";

const WEBAPP = "examples/node-webapp/pipeglot.yaml";
const FAKE = {
  AWS_ACCESS_KEY_ID: "AKIAPGCLIOPERATE7Q3Z",
  AWS_SECRET_ACCESS_KEY: "pgCliOperateSecret/DoNotPrint+1",
  AWS_SESSION_TOKEN: "pgCliOperateToken-DoNotPrint",
};

let emu: Emulators;
const outputs: string[] = [];
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emu = await startEmulators({ providers: ["aws"], runs: { stepMs: 50 } });
  env = {
    ...process.env,
    ...FAKE,
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_CODEPIPELINE: emu.endpoints.aws,
    AWS_ENDPOINT_URL_CODEBUILD: emu.endpoints.aws,
    NO_COLOR: "1",
  };
  delete env.AWS_PROFILE;
});
afterAll(async () => {
  await emu.close();
});

async function cli(...args: string[]): Promise<CliResult> {
  const r = await runCli(args, { env });
  outputs.push(r.out);
  return r;
}

describe("operate commands: usage mistakes exit 2 with one line", () => {
  it.each([
    [["status", WEBAPP], /Missing required argument: target/],
    [["status", WEBAPP, "--target", "aws", "--interval", "0"], /--interval 0: must be 0.1 or more/],
    [["approve", WEBAPP, "--target", "aws"], /Missing required argument: stage/],
    [["hold", WEBAPP, "--target", "aws", "--stage", "production"], /hold needs --reason TEXT: the cloud records why runs are held/],
    [["run", WEBAPP], /pass --target P to start a run on that cloud \(aws, azure, gcp, oci\), or --local/],
    [["run", WEBAPP, "--target", "all"], /--target all: a run on a cloud takes one of aws, azure, gcp, oci/],
    [["run", WEBAPP, "--target", "aws", "--reject", "production"], /--reject: only with --local/],
    [["status", "no/such/pipeglot.yaml", "--target", "aws"], /no\/such\/pipeglot.yaml: no such definition file/],
    [["run", WEBAPP, "--target", "aws", "--var", "NODE_ENV=test"], /--var NODE_ENV: the variable is not overridable/],
  ])("%j", async (args, message) => {
    const r = await cli(...args);
    expect(r.code, r.out).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(2); // the message, and "Run pipeglot --help for usage."
  });
});

describe("operate commands against the AWS emulator", () => {
  it("a pipeline that is not there is one line, exit 1", async () => {
    const r = await cli("status", "shop-web", "--target", "aws", "--region", "us-east-1");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("pipeglot: no pipeline shop-web in AWS CodePipeline (this account and region): apply it first (pipeglot apply --target aws)\n");
  });

  it("run → watch to the gate (4) → approve → watch to the end (0); json is the neutral run", async () => {
    expect((await cli("apply", WEBAPP, "--target", "aws", "--auto-approve")).code).toBe(0);
    const none = await cli("status", WEBAPP, "--target", "aws");
    expect([none.code, none.stderr]).toEqual([1, "pipeglot: pipeline shop-web has no runs yet: start one with pipeglot run\n"]);
    const started = await cli("run", WEBAPP, "--target", "aws", "--var", "DEPLOY_REGION=eu-central-1", "--format", "json");
    expect(started.code, started.out).toBe(0);
    const run = JSON.parse(started.stdout) as { id: string; provider: string; stages: { name: string }[] };
    expect(run.provider).toBe("aws");
    expect(run.stages.map((s) => s.name)).toEqual(["build", "staging", "production"]);

    const gate = await cli("status", WEBAPP, "--target", "aws", "--watch", "--interval", "0.1");
    expect(gate.code, gate.out).toBe(4);
    const lines = gate.stdout.split("\n");
    // Off a terminal: one line per change, in order, then the tree.
    expect(lines.indexOf("build/lint: succeeded")).toBeGreaterThan(-1);
    expect(lines.indexOf("build/lint: succeeded")).toBeLessThan(lines.indexOf("production: waiting-for-approval"));
    expect(lines).toContain(`shop-web: run ${run.id} waiting-for-approval`);

    const wrongStage = await cli("approve", WEBAPP, "--target", "aws", "--stage", "staging");
    expect([wrongStage.code, wrongStage.stderr]).toEqual([1, "pipeglot: stage staging of shop-web has no approval gate (the definition's approval:)\n"]);
    const approved = await cli("approve", WEBAPP, "--target", "aws", "--stage", "production", "--comment", "staging checked");
    expect(approved.code, approved.out).toBe(0);
    expect(approved.stderr).toContain(`Approved the gate before production of shop-web on aws (run ${run.id})`);
    const done = await cli("status", "shop-web", "--target", "aws", "--region", "us-east-1", run.id, "--watch", "--interval", "0.1", "--format", "json");
    expect(done.code, done.out).toBe(0);
    const final = JSON.parse(done.stdout) as { state: string; stages: { approval?: { state: string; comment?: string } }[] };
    expect(final.state).toBe("succeeded");
    expect(final.stages[2]!.approval).toMatchObject({ state: "approved", comment: "staging checked" });
    const again = await cli("reject", WEBAPP, "--target", "aws", "--stage", "production");
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^pipeglot: no approval is waiting before stage production of shop-web \(the latest run, .*, is succeeded\)\n$/);
  });

  it("hold and release print what they did; an unknown stage lists the stages", async () => {
    const held = await cli("hold", WEBAPP, "--target", "aws", "--stage", "production", "--reason", "incident 42 open");
    expect(held.code).toBe(0);
    expect(held.stdout).toBe(
      "Held: runs of shop-web on aws stop before stage production (incident 42 open). Release with: pipeglot release examples/node-webapp/pipeglot.yaml --target aws --stage production\n",
    );
    const released = await cli("release", WEBAPP, "--target", "aws", "--stage", "production", "--format", "json");
    expect(JSON.parse(released.stdout)).toEqual({ provider: "aws", pipeline: "shop-web", stage: "production", held: false });
    const unknown = await cli("hold", WEBAPP, "--target", "aws", "--stage", "prod", "--reason", "x");
    expect([unknown.code, unknown.stderr]).toEqual([1, 'pipeglot: pipeline shop-web has no stage "prod" (stages: build, staging, production)\n']);
  });

  it("printed no credential", () => {
    const all = outputs.join("\n");
    for (const v of Object.values(FAKE)) expect(all).not.toContain(v);
  });
});
