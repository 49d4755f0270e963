/**
 * Operating OCI DevOps pipelines (issue #19) through the real oci-devops client against the
 * emulator, with the flagship example (build → staging → production behind an approval): run,
 * status, approve, reject, hold/release, a failing step, a cancelled run, the errors; every run
 * state OCI reaches; no key material in any output. The emulator's clock is the test's: each OCI
 * stage takes 100 ms of it, a run is queued for its first 100 ms.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apply, plan, PipeglotError, type PipelineRun, type RunRef, type RunState } from "@pipeglot/core";
import { provider, type OciLiveClient } from "@pipeglot/oci";
import type { PipelineIR } from "@pipeglot/schema";
import type { Emulators } from "@pipeglot/emulators";
import { cleanup, connectTo, example, identity, startOci, USER, type Identity } from "./helpers.js";

const outputs: string[] = [];
const reached = new Set<RunState>();
const seen = (r: PipelineRun): PipelineRun => {
  outputs.push(JSON.stringify(r));
  reached.add(r.state);
  return r;
};
const op = provider.live.operate!;

/** stage → state (and its jobs' states), for comparing with a hand-written expectation. */
const tree = (r: PipelineRun) => r.stages.map((s) => `${s.name}:${s.state}[${s.jobs.map((j) => `${j.name}=${j.state}`).join(",")}]`);

async function failure(p: Promise<unknown>): Promise<PipeglotError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(PipeglotError);
  outputs.push((e as Error).message);
  return e as PipeglotError;
}

interface World {
  ir: PipelineIR;
  id: Identity;
  emu: Emulators;
  client: OciLiveClient;
  ref: RunRef;
  tick(ms: number): void;
}

async function world(failSteps: string[] = []): Promise<World> {
  let clock = Date.parse("2026-12-07T08:00:00Z");
  const id = identity();
  const emu = await startOci(id, { now: () => new Date(clock), runs: { stepMs: 100, failSteps } });
  const ir: PipelineIR = await example("node-webapp");
  const client = await connectTo(emu, id, ir);
  const output = provider.compile(ir);
  const p = await plan("oci", ir.name, provider.live.desired(output), client, {});
  const r = await apply(p, client, { minBackoffMs: 5, maxBackoffMs: 50, retries: 30 });
  expect(r.ok).toBe(true);
  return { ir, id, emu, client, ref: { pipeline: ir.name, output }, tick: (ms) => (clock += ms) };
}

/** What a plan of this definition would change on the live pipeline. */
async function changes(w: World, ir: PipelineIR, prune = false): Promise<string[]> {
  const client = await connectTo(w.emu, w.id, ir);
  const p = await plan("oci", ir.name, provider.live.desired(provider.compile(ir)), client, { prune });
  return p.changes
    .filter((c) => c.action !== "noop")
    .map((c) => `${c.action} ${c.key.kind}/${c.key.name}`)
    .sort();
}

describe("OCI operate: run, status, approve, reject, hold", () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    await w.emu.close();
    cleanup(w.id);
  });

  it("run → queued → running → waiting for approval before production → approve → succeeded", async () => {
    const started = seen(await op.start(w.client, w.ref, { variables: { DEPLOY_REGION: "eu-central-1" } }));
    expect(started.state).toBe("queued");
    expect(started.id).toMatch(/^ocid1\.devopsbuildrun\./);
    expect(started.stages.map((s) => s.name)).toEqual(["build", "staging", "production"]);
    expect(started.stages[0]!.jobs.map((j) => j.name)).toEqual(["test", "lint", "bundle"]);

    w.tick(150);
    const running = seen(await op.status(w.client, w.ref));
    expect(running.id).toBe(started.id);
    expect(tree(running)).toEqual([
      "build:running[test=running,lint=running,bundle=queued]",
      "staging:queued[deploy=queued]",
      "production:queued[deploy=queued]",
    ]);

    w.tick(600);
    const waiting = seen(await op.status(w.client, w.ref, started.id));
    expect(waiting.state).toBe("waiting-for-approval");
    expect(tree(waiting)).toEqual([
      "build:succeeded[test=succeeded,lint=succeeded,bundle=succeeded]",
      "staging:succeeded[deploy=succeeded]",
      "production:waiting-for-approval[deploy=queued]",
    ]);
    expect(waiting.nativeIds).toHaveLength(2);
    expect(waiting.nativeIds[1]).toMatch(/^ocid1\.devopsdeployment\./);
    expect(waiting.stages[2]!.approval).toEqual({
      state: "pending",
      approvers: ["release-managers"],
      instructions: "Check the staging smoke tests before approving.",
      deadline: "2026-12-08T08:00:00.600Z",
    });
    expect(waiting.stages[2]!.jobs[0]!.native).toBe("production.deploy");
    // The deployment's id finds the same run.
    expect((await op.status(w.client, w.ref, waiting.nativeIds[1])).id).toBe(started.id);

    const approved = seen(await op.decide(w.client, w.ref, { stage: "production", decision: "approve", comment: "smoke tests green" }));
    expect(approved.state).toBe("running");
    expect(approved.stages[2]!.approval).toMatchObject({ state: "approved", decidedBy: USER, comment: "smoke tests green" });

    w.tick(200);
    const done = seen(await op.status(w.client, w.ref));
    expect(done.state).toBe("succeeded");
    expect(tree(done)).toEqual([
      "build:succeeded[test=succeeded,lint=succeeded,bundle=succeeded]",
      "staging:succeeded[deploy=succeeded]",
      "production:succeeded[deploy=succeeded]",
    ]);
    expect(done.trigger).toBe("manual");
    // Approved at 750 ms, the deploy stage took 100 ms.
    expect(done.finishedAt).toBe("2026-12-07T08:00:00.850Z");
  });

  it("status costs seven calls: the pipeline and its stages (4), the latest build run (2), its deployment (1)", async () => {
    w.emu.oci.counters.reset();
    await op.status(w.client, w.ref);
    const counts = Object.fromEntries(Object.entries(w.emu.oci.counters.snapshot()).map(([k, v]) => [k, v.requests]));
    expect(counts).toEqual({
      "Devops.ListBuildPipelines": 1,
      "Devops.ListBuildPipelineStages": 1,
      "Devops.GetDeployPipeline": 1,
      "Devops.ListDeployStages": 1,
      "Devops.ListBuildRuns": 1,
      "Devops.GetBuildRun": 1,
      "Devops.GetDeployment": 1,
    });
  });

  it("without the definition (--target oci NAME) the live stages' tags give the same stages and jobs", async () => {
    const bare = await op.status(w.client, { pipeline: "shop-web" });
    expect(tree(bare)).toEqual(tree(await op.status(w.client, w.ref)));
  });

  it("reject ends the run failed, the approval rejected, production's job skipped", async () => {
    seen(await op.start(w.client, w.ref, {}));
    w.tick(800);
    const rejected = seen(await op.decide(w.client, w.ref, { stage: "production", decision: "reject", comment: "smoke test red" }));
    expect(rejected.state).toBe("failed");
    expect(tree(rejected)).toEqual([
      "build:succeeded[test=succeeded,lint=succeeded,bundle=succeeded]",
      "staging:succeeded[deploy=succeeded]",
      "production:failed[deploy=skipped]",
    ]);
    expect(rejected.stages[2]!.approval).toMatchObject({ state: "rejected", comment: "smoke test red" });
  });

  it("hold stops the next run before production (held), release lets it through to the approval", async () => {
    await op.hold(w.client, w.ref, { stage: "production", hold: true, reason: "incident INC-42" });
    // What hold did is what apply makes of a disabled transition with that reason: nothing to change.
    const disabled = structuredClone(w.ir);
    disabled.stages[2]!.transition = { enabled: false, reason: "incident INC-42" };
    expect(await changes(w, disabled)).toEqual([]);
    // Holding again with another reason changes the reason, as apply would.
    await op.hold(w.client, w.ref, { stage: "production", hold: true, reason: "incident INC-43" });
    disabled.stages[2]!.transition = { enabled: false, reason: "incident INC-43" };
    expect(await changes(w, disabled)).toEqual([]);
    await op.hold(w.client, w.ref, { stage: "production", hold: true, reason: "incident INC-42" });
    // The definition as it was would remove the gate again.
    expect(await changes(w, w.ir)).toEqual(["update oci.DeployStage/production.approval"]);
    expect(await changes(w, w.ir, true)).toEqual(["delete oci.DeployStage/production.transition", "update oci.DeployStage/production.approval"]);
    const run = seen(await op.start(w.client, w.ref, {}));
    w.tick(800);
    const held = seen(await op.status(w.client, w.ref, run.id));
    expect(held.state).toBe("held");
    expect(held.stages[2]).toMatchObject({ name: "production", state: "held", hold: { reason: "incident INC-42" } });
    expect(held.stages[2]!.approval).toBeUndefined();
    // Nothing waits for approval while held.
    expect((await failure(op.decide(w.client, w.ref, { stage: "production", decision: "approve" }))).kind).toBe("not-found");

    await op.hold(w.client, w.ref, { stage: "production", hold: false });
    const released = seen(await op.status(w.client, w.ref, run.id));
    expect(released.state).toBe("waiting-for-approval");
    expect(released.stages[2]!.hold).toBeUndefined();
    seen(await op.decide(w.client, w.ref, { stage: "production", decision: "approve", run: run.id }));
    w.tick(200);
    expect(seen(await op.status(w.client, w.ref, run.id)).state).toBe("succeeded");
    // The gate is gone: the next run is not held.
    const next = await op.start(w.client, w.ref, {});
    w.tick(800);
    expect(seen(await op.status(w.client, w.ref, next.id)).state).toBe("waiting-for-approval");
    seen(await op.decide(w.client, w.ref, { stage: "production", decision: "approve" }));
    w.tick(200);
    // Released, the live pipeline is the definition's again.
    expect(await changes(w, w.ir, true)).toEqual([]);
  });

  it("a stage of the build pipeline cannot be held: a config error naming the alternative", async () => {
    const e = await failure(op.hold(w.client, w.ref, { stage: "staging", hold: true, reason: "x" }));
    expect(e.kind).toBe("config");
    expect(e.message).toMatch(/not supported on OCI/);
    expect(e.message).toMatch(/transition: \{enabled: false/);
  });

  it("a cancelled build run (CancelBuildRun) reads as cancelled", async () => {
    const run = seen(await op.start(w.client, w.ref, {}));
    w.tick(150);
    await w.client.api.runs.cancelBuildRun(run.id, "wrong commit");
    const cancelled = seen(await op.status(w.client, w.ref, run.id));
    expect(cancelled.state).toBe("cancelled");
    expect(tree(cancelled)[0]).toBe("build:cancelled[test=cancelled,lint=cancelled,bundle=skipped]");
  });

  it("a deployment cancelled at the gate (CancelDeployment) ends the run cancelled, nothing left waiting", async () => {
    const run = seen(await op.start(w.client, w.ref, {}));
    w.tick(800);
    const waiting = seen(await op.status(w.client, w.ref, run.id));
    expect(waiting.state).toBe("waiting-for-approval");
    await w.client.api.runs.cancelDeployment(waiting.nativeIds[1]!, "release postponed");
    const cancelled = seen(await op.status(w.client, w.ref, run.id));
    expect(cancelled.state).toBe("cancelled");
    expect(tree(cancelled)[2]).toBe("production:skipped[deploy=skipped]");
    expect(cancelled.stages[2]!.approval).toBeUndefined();
  });

  it("mistakes are clear errors: unknown run, stage, variable, branch; nothing waiting", async () => {
    expect((await failure(op.status(w.client, w.ref, "ocid1.devopsbuildrun.oc1.eu-frankfurt-1.nope"))).message).toMatch(
      /has no run .*latest runs: ocid1\.devopsbuildrun/,
    );
    expect((await failure(op.decide(w.client, w.ref, { stage: "prod", decision: "approve" }))).message).toBe(
      'pipeline shop-web has no stage "prod" (stages: build, staging, production)',
    );
    expect((await failure(op.decide(w.client, w.ref, { stage: "staging", decision: "approve" }))).kind).toBe("not-found");
    const none = await failure(op.decide(w.client, w.ref, { stage: "production", decision: "reject" }));
    expect(none.message).toMatch(/^no approval is waiting before stage production of shop-web \(latest run .* is cancelled\)$/);
    expect((await failure(op.start(w.client, w.ref, { variables: { NODE_ENV: "test" } }))).message).toMatch(/NODE_ENV of shop-web is not overridable/);
    expect((await failure(op.start(w.client, w.ref, { variables: { NOPE: "1" } }))).kind).toBe("config");
    expect((await failure(op.start(w.client, w.ref, { branch: "feature/x" }))).message).toMatch(/--branch feature\/x is not supported on OCI/);
    expect((await failure(op.status(w.client, { pipeline: "no-such-pipeline" }))).kind).toBe("not-found");
  });

  it("runs survive the emulator's saved state (emulate --state): a restarted emulator shows the same run", async () => {
    const before = await op.status(w.client, w.ref);
    const state = w.emu.saveState();
    const again = await startOci(w.id, { now: () => new Date(Date.parse(before.startedAt!) + 5000), state });
    try {
      const client = await connectTo(again, w.id, w.ir);
      expect(tree(await op.status(client, w.ref, before.id))).toEqual(tree(before));
    } finally {
      await again.close();
    }
  });

  it("a caller OCI does not authenticate gets an auth error, not a decision", async () => {
    const stranger = identity();
    try {
      const client = await connectTo(w.emu, stranger, w.ir);
      const e = await failure(op.decide(client, w.ref, { stage: "production", decision: "approve" }));
      expect(e.kind).toBe("auth");
      expect(e.message).toMatch(/^OCI DevOps refused to list the build pipelines of project .*NotAuthenticated/);
    } finally {
      cleanup(stranger);
    }
  });

  it("no key material in any output", () => {
    const all = outputs.join("\n");
    const keyBody = w.id.privateKey.split("\n").slice(1, -2).join("");
    expect(all).not.toContain("PRIVATE KEY");
    for (let i = 0; i + 40 <= keyBody.length; i += 40) expect(all).not.toContain(keyBody.slice(i, i + 40));
    expect(all).not.toContain(w.id.fingerprint);
  });
});

describe("OCI operate: a failing step", () => {
  let w: World;
  beforeAll(async () => {
    w = await world(["lint"]);
  });
  afterAll(async () => {
    await w.emu.close();
    cleanup(w.id);
  });

  it("fails at build.lint: the build stage failed, the stages after it skipped", async () => {
    const run = seen(await op.start(w.client, w.ref, {}));
    w.tick(1000);
    const failed = seen(await op.status(w.client, w.ref, run.id));
    expect(failed.state).toBe("failed");
    expect(tree(failed)).toEqual([
      "build:failed[test=succeeded,lint=failed,bundle=skipped]",
      "staging:skipped[deploy=skipped]",
      "production:skipped[deploy=skipped]",
    ]);
    expect(failed.stages[0]!.jobs[1]).toMatchObject({ native: "build.lint", message: "stage build.lint failed" });
  });
});

describe("OCI operate: every run state", () => {
  it("queued, running, waiting-for-approval, held, succeeded, failed and cancelled were all reached", () => {
    expect([...reached].sort()).toEqual(["cancelled", "failed", "held", "queued", "running", "succeeded", "waiting-for-approval"]);
  });
});
