/**
 * Operating CodePipeline runs through the real SDK against the emulator (issue #19): the flagship
 * example applied, then run → status (stages in order) → waiting-for-approval → approve →
 * succeeded; reject; hold/release; a failing action; a stopped run; every RunState reached; the
 * errors a user meets; no credential in any output. The emulator's clock is the test's: time moves
 * only when the test moves it (no timed test).
 */
import { afterEach, describe, expect, it } from "vitest";
import { renderRun, type PipelineRun, type RunRef, type RunState } from "@pipeglot/core";
import { compile, connectAws, operate, type AwsLiveClient } from "@pipeglot/aws";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import type { PipelineIR } from "@pipeglot/schema";
import { BOTOCORE_DIR, FAKE_ENV, FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN, fastApply, loadExample, planOf } from "./helpers.js";

const STEP = 100;
const reached = new Set<RunState>();
let open: { emu: Emulators; client: AwsLiveClient } | undefined;
const printed: string[] = [];

afterEach(async () => {
  open?.client.close();
  await open?.emu.close();
  open = undefined;
});

async function setup(opts: { failSteps?: string[]; ir?: (ir: PipelineIR) => PipelineIR } = {}) {
  let t = Date.parse("2026-12-07T10:00:00.000Z");
  const emu = await startEmulators({
    providers: ["aws"],
    now: () => new Date(t),
    runs: { stepMs: STEP, failSteps: opts.failSteps ?? [] },
    ...(BOTOCORE_DIR ? { botocoreDir: BOTOCORE_DIR } : {}),
  });
  const client = await connectAws({ target: { region: "us-east-1" }, env: FAKE_ENV, endpoint: emu.endpoints.aws! }, { minBackoffMs: 5, maxBackoffMs: 50 });
  open = { emu, client };
  const base = await loadExample("node-webapp");
  const ir = opts.ir ? opts.ir(base) : base;
  const r = await fastApply(await planOf(ir, client), client);
  expect(r.ok).toBe(true);
  const ref: RunRef = { pipeline: ir.name, output: compile(ir) };
  const look = async (run?: string): Promise<PipelineRun> => {
    const got = await operate.status(client, ref, run);
    reached.add(got.state);
    printed.push(JSON.stringify(got), renderRun(got));
    return got;
  };
  return { client, ref, look, tick: (steps: number) => void (t += steps * STEP), emu };
}

const tree = (r: PipelineRun) => r.stages.map((s) => [s.name, s.state, s.jobs.map((j) => `${j.name}:${j.state}`).join(" ")]);

describe("CodePipeline runs, operated through the SDK", () => {
  it("run → status in order → waiting for approval → approve → succeeded", async () => {
    const { client, ref, look, tick } = await setup();
    const started = await operate.start(client, ref, { variables: { DEPLOY_REGION: "eu-central-1" } });
    reached.add(started.state);
    expect(started.state).toBe("queued"); // the Source action runs: no stage of the definition has started
    expect(started.stages.map((s) => s.name)).toEqual(["build", "staging", "production"]);
    expect(started.trigger).toBe("manual");
    expect(started.branch).toBe("main");
    expect(started.commit).toMatch(/^[0-9a-f]{40}$/);
    tick(1);
    const building = await look(started.id);
    expect(building.state).toBe("running");
    expect(tree(building)[0]).toEqual(["build", "running", "test:running lint:running bundle:queued"]);
    tick(3); // test+lint, bundle, staging/deploy
    const gate = await look();
    expect(gate.id).toBe(started.id);
    expect(gate.state).toBe("waiting-for-approval");
    expect(tree(gate)).toEqual([
      ["build", "succeeded", "test:succeeded lint:succeeded bundle:succeeded"],
      ["staging", "succeeded", "deploy:succeeded"],
      ["production", "waiting-for-approval", "deploy:queued"],
    ]);
    const approval = gate.stages[2]!.approval!;
    expect(approval).toMatchObject({ state: "pending", instructions: "Check the staging smoke tests before approving." });
    expect(approval.deadline).toBe("2026-12-08T10:00:00.400Z"); // 24h after the gate opened (4 steps in)
    expect(gate.stages[0]!.jobs[0]).toMatchObject({ startedAt: "2026-12-07T10:00:00.100Z", finishedAt: "2026-12-07T10:00:00.200Z" });

    const after = await operate.decide(client, ref, { stage: "production", decision: "approve", comment: "staging looks good" });
    expect(after.state).toBe("running");
    expect(after.stages[2]!.approval).toMatchObject({ state: "approved", comment: "staging looks good" });
    tick(1);
    const done = await look();
    expect(done.state).toBe("succeeded");
    expect(done.stages.every((s) => s.state === "succeeded")).toBe(true);
    expect(done.finishedAt).toBe("2026-12-07T10:00:00.500Z");
    // The variable reached the execution.
    const exec = await client.request("codepipeline", "GetPipelineExecution", { pipelineName: "shop-web", pipelineExecutionId: done.id }, "t");
    expect((exec.pipelineExecution as { variables: unknown[] }).variables).toContainEqual({ name: "DEPLOY_REGION", resolvedValue: "eu-central-1" });
  });

  it("a rejected gate ends the run failed, the production deploy skipped", async () => {
    const { client, ref, look, tick } = await setup();
    await operate.start(client, ref, {});
    tick(4);
    const r = await operate.decide(client, ref, { stage: "production", decision: "reject", comment: "not today" });
    expect(r.state).toBe("failed");
    expect(r.stages[2]).toMatchObject({ state: "failed", approval: { state: "rejected", comment: "not today" }, jobs: [{ name: "deploy", state: "skipped" }] });
    reached.add(r.state);
    await expect(operate.decide(client, ref, { stage: "production", decision: "approve" })).rejects.toThrow(
      /^no approval is waiting before stage production of shop-web \(the latest run, [0-9a-f-]{36}, is failed at production\)$/,
    );
    expect((await look()).state).toBe("failed");
  });

  it("hold stops the next run before the stage; release lets it through", async () => {
    const { client, ref, look, tick } = await setup();
    await operate.hold(client, ref, { stage: "staging", hold: true, reason: "incident 42: database failover" });
    const r = await operate.start(client, ref, {});
    tick(3);
    const held = await look(r.id);
    expect(held.state).toBe("held");
    expect(held.stages[1]).toMatchObject({ name: "staging", state: "held", hold: { reason: "incident 42  database failover" } });
    expect(held.stages[0]!.state).toBe("succeeded");
    tick(5);
    expect((await look()).state).toBe("held"); // still there
    // A newer run arriving at the hold supersedes the one waiting there (executionMode SUPERSEDED).
    const newer = await operate.start(client, ref, {});
    tick(3);
    expect((await look(r.id)).state).toBe("cancelled");
    expect((await look(newer.id)).state).toBe("held");
    await operate.hold(client, ref, { stage: "staging", hold: false });
    const moving = await look();
    expect(moving.id).toBe(newer.id);
    expect(moving.state).toBe("running");
    expect(moving.stages[1]!.hold).toBeUndefined();
    // It entered staging when released (not when it arrived): staging/deploy started 11 steps in.
    expect(moving.stages[1]!.jobs[0]!.startedAt).toBe("2026-12-07T10:00:01.100Z");
    tick(1);
    expect((await look()).state).toBe("waiting-for-approval");
  });

  it("a failing action shows failed at its stage and job; later stages are skipped", async () => {
    const { client, ref, look, tick } = await setup({ failSteps: ["lint"] });
    await operate.start(client, ref, {});
    tick(2);
    const r = await look();
    expect(r.state).toBe("failed");
    expect(tree(r)).toEqual([
      ["build", "failed", "test:succeeded lint:failed bundle:skipped"],
      ["staging", "skipped", "deploy:skipped"],
      ["production", "skipped", "deploy:skipped"],
    ]);
    expect(r.stages[0]!.jobs[1]!.message).toMatch(/fail lint/);
  });

  it("a stopped run is cancelled; a QUEUED pipeline's second run waits queued", async () => {
    const { client, ref, look, tick } = await setup({ ir: (ir) => ({ ...ir, concurrency: "queue" }) });
    const first = await operate.start(client, ref, {});
    tick(1);
    const second = await operate.start(client, ref, {});
    expect(second.state).toBe("queued");
    reached.add(second.state);
    expect(second.stages.every((s) => s.state === "queued")).toBe(true);
    await client.request(
      "codepipeline",
      "StopPipelineExecution",
      { pipelineName: "shop-web", pipelineExecutionId: first.id, abandon: true, reason: "wrong commit" },
      "t",
    );
    const stopped = await look(first.id);
    expect(stopped.state).toBe("cancelled");
    expect(stopped.stages[0]!.jobs.map((j) => j.state)).toEqual(["cancelled", "cancelled", "skipped"]);
    tick(1);
    expect((await look(second.id)).state).toBe("running");
  });

  it("runs survive a restart of the emulator with its saved state (emulate --state)", async () => {
    const { client, ref, look, tick, emu } = await setup();
    const r = await operate.start(client, ref, {});
    tick(4);
    expect((await look()).state).toBe("waiting-for-approval");
    const saved = emu.saveState();
    const again = await startEmulators({ providers: ["aws"], state: saved, now: () => new Date(Date.parse("2026-12-07T10:00:01.000Z")) });
    const client2 = await connectAws({ target: { region: "us-east-1" }, env: FAKE_ENV, endpoint: again.endpoints.aws! }, { minBackoffMs: 5, maxBackoffMs: 50 });
    try {
      const back = await operate.status(client2, ref);
      expect([back.id, back.state]).toEqual([r.id, "waiting-for-approval"]);
      const done = await operate.decide(client2, ref, { stage: "production", decision: "approve" });
      expect(done.stages[2]!.approval!.state).toBe("approved");
    } finally {
      client2.close();
      await again.close();
    }
  });

  it("a definition (and a stage) named as CodePipeline does not allow run under the names the compiler gave them", async () => {
    const rename = (ir: PipelineIR): PipelineIR => ({
      ...ir,
      name: "Shop Web",
      stages: ir.stages.map((st) => (st.name === "production" ? { ...st, name: "Prod EU" } : st)),
    });
    const { client, ref, tick } = await setup({ ir: rename });
    expect(ref.pipeline).toBe("Shop Web");
    const r = await operate.start(client, ref, {});
    expect([r.pipeline, r.stages[2]!.name]).toEqual(["Shop-Web", "Prod-EU"]);
    tick(4);
    await operate.hold(client, ref, { stage: "Prod EU", hold: true, reason: "x" });
    expect((await operate.decide(client, ref, { stage: "Prod EU", decision: "approve" })).state).toBe("running");
  });

  it("says clearly what is missing", async () => {
    const { client, ref, look } = await setup();
    await expect(look()).rejects.toThrow("pipeline shop-web has no runs yet: start one with pipeglot run");
    await expect(operate.status(client, { pipeline: "nope" })).rejects.toMatchObject({
      kind: "not-found",
      message: "no pipeline nope in AWS CodePipeline (this account and region): apply it first (pipeglot apply --target aws)",
    });
    await operate.start(client, ref, {});
    await expect(look("00000000-0000-4000-8000-000000000000")).rejects.toThrow(
      /^pipeline shop-web has no run "00000000-0000-4000-8000-000000000000" \(latest runs: [0-9a-f-]{36}\)$/,
    );
    await expect(operate.decide(client, ref, { stage: "prod", decision: "approve" })).rejects.toThrow(
      'pipeline shop-web has no stage "prod" (stages: build, staging, production)',
    );
    await expect(operate.decide(client, ref, { stage: "staging", decision: "approve" })).rejects.toThrow(
      "stage staging of shop-web has no approval gate (the definition's approval:)",
    );
    await expect(operate.start(client, ref, { variables: { NOPE: "1" } })).rejects.toThrow(
      "--var NOPE: pipeline shop-web declares no variable NOPE (it has: NODE_ENV, DEPLOY_REGION)",
    );
    await expect(operate.start(client, ref, { branch: "feature/x" })).rejects.toMatchObject({
      kind: "config",
      message: expect.stringMatching(/^--branch feature\/x: CodePipeline runs the branch its source action names \(main\)/),
    });
    // A pipeline deleted with runs: its runs go with it, and every other call still answers.
    await client.request("codepipeline", "DeletePipeline", { name: "shop-web" }, "t");
    await expect(look()).rejects.toMatchObject({ kind: "not-found" });
    expect((await client.request("codepipeline", "ListPipelines", {}, "t")).pipelines).toEqual([]);
  });

  it("reached every run state, and printed no credential", () => {
    expect([...reached].sort()).toEqual(["cancelled", "failed", "held", "queued", "running", "succeeded", "waiting-for-approval"]);
    const all = printed.join("\n");
    for (const secret of [FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN]) expect(all).not.toContain(secret);
  });
});
