/**
 * Operating Cloud Build runs (issue #19) through the real Node client (@google-cloud/cloudbuild,
 * REST fallback) against the emulator, with the flagship example (build → staging → production,
 * an approval before production, which compiles to a second trigger the first build runs).
 * The emulator's clock is the test's: a step takes 100 ms of it, a build queues for one step.
 * Part 0 (build, staging) ends at +700 ms: queue 100; install/lint 100–200; unit 200–300;
 * bundle 300–400; staging upload and the artifact upload 400–500; smoke 500–600; the chaining
 * step 600–700, which starts the production build (pending approval).
 */
import { afterEach, describe, expect, it } from "vitest";
import { apply, isPipeglotError, plan, renderRun, RUN_STATES, type PipelineRun, type ProviderOperate, type RunState } from "@pipeglot/core";
import { startEmulators, type Emulators, type EmulatorsState } from "@pipeglot/emulators";
import gcp, { compile, connectGcb, desired, type GcbLiveClient } from "@pipeglot/gcp";
import type { PipelineIR } from "@pipeglot/schema";
import { FAST, loadExample, PROJECT } from "./helpers.js";

const T0 = Date.parse("2026-03-02T09:00:00.000Z");
const KEY_MARKER = "-----BEGIN PRIVATE KEY-----pipeglot-test-key";
const live = gcp.live.operate as ProviderOperate<GcbLiveClient>;
/** Every run state the tests of this file observe (the last test checks that all seven were). */
const reached = new Set<RunState>();
const note = (r: PipelineRun): PipelineRun => (reached.add(r.state), r);
const op: ProviderOperate<GcbLiveClient> = {
  start: async (...a) => note(await live.start(...a)),
  status: async (...a) => note(await live.status(...a)),
  decide: async (...a) => note(await live.decide(...a)),
  hold: (...a) => live.hold(...a),
};

interface World {
  emu: Emulators;
  c: GcbLiveClient;
  ir: PipelineIR;
  ref: { pipeline: string; output: ReturnType<typeof compile> };
  tick(ms: number): void;
}

let worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds) {
    await w.c.close();
    await w.emu.close();
  }
  worlds = [];
});

async function world(opts: { failSteps?: string[]; state?: EmulatorsState; ir?: PipelineIR; apply?: boolean } = {}): Promise<World> {
  let now = T0;
  const emu = await startEmulators({
    providers: ["gcp"],
    now: () => new Date(now),
    runs: { stepMs: 100, failSteps: opts.failSteps ?? [] },
    ...(opts.state ? { state: opts.state } : {}),
  });
  const ir = opts.ir ?? (await loadExample("node-webapp"));
  // A credential in the environment must never show: with an endpoint the client loads none.
  const env = { ...emu.env, GOOGLE_APPLICATION_CREDENTIALS: "/nonexistent/key.json", PIPEGLOT_TEST_KEY: KEY_MARKER };
  const c = await connectGcb({ target: { project: PROJECT, ...(ir.targets.gcp ?? {}) }, env }, { minBackoffMs: 2, maxBackoffMs: 20 });
  const w: World = { emu, c, ir, ref: { pipeline: ir.name, output: compile(ir) }, tick: (ms) => void (now += ms) };
  worlds.push(w);
  if (opts.apply !== false) expect((await apply(await plan("gcp", ir.name, desired(compile(ir)), c, {}), c, FAST)).ok).toBe(true);
  return w;
}

const shape = (r: PipelineRun) => r.stages.map((s) => `${s.name}:${s.state}`);
const jobsOf = (r: PipelineRun, stage: string) => Object.fromEntries(r.stages.find((s) => s.name === stage)!.jobs.map((j) => [j.name, j.state]));

async function failure(p: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (!isPipeglotError(e)) throw e;
    return { kind: e.kind, message: e.message };
  }
  throw new Error("expected a PipeglotError");
}

describe("Cloud Build: run, status, approve", () => {
  it("run → queued → running → waiting-for-approval at production → approve → succeeded, two chained builds", async () => {
    const w = await world();
    const seen = new Set<RunState>();
    const started = await op.start(w.c, w.ref, { branch: "main", variables: { DEPLOY_REGION: "eu-central-1" } });
    seen.add(started.state);
    expect(started.state).toBe("queued");
    expect(started.stages.map((s) => s.name)).toEqual(["build", "staging", "production"]);
    expect(shape(started)).toEqual(["build:queued", "staging:queued", "production:queued"]);
    expect(started).toMatchObject({ provider: "gcp", pipeline: "shop-web", trigger: "manual", branch: "main", nativeIds: [started.id] });

    w.tick(150); // install and lint work
    let r = await op.status(w.c, w.ref);
    seen.add(r.state);
    expect(r.id).toBe(started.id);
    expect(shape(r)).toEqual(["build:running", "staging:queued", "production:queued"]);
    expect(jobsOf(r, "build")).toEqual({ test: "running", lint: "running", bundle: "queued" });

    w.tick(400); // t = 550: staging's smoke works
    r = await op.status(w.c, w.ref, started.id);
    expect(shape(r)).toEqual(["build:succeeded", "staging:running", "production:queued"]);

    w.tick(200); // t = 750: part 0 done, production's build waits for its approval
    r = await op.status(w.c, w.ref);
    seen.add(r.state);
    expect(r.state).toBe("waiting-for-approval");
    expect(shape(r)).toEqual(["build:succeeded", "staging:succeeded", "production:waiting-for-approval"]);
    expect(r.nativeIds).toHaveLength(2);
    expect(r.stages[2]!.approval).toEqual({ state: "pending", instructions: "Check the staging smoke tests before approving." });

    r = await op.decide(w.c, w.ref, { stage: "production", decision: "approve", comment: "smoke tests green" });
    expect(r.stages[2]!.approval).toMatchObject({ state: "approved", comment: "smoke tests green", decidedBy: "pipeglot-emulator@example.com" });
    expect(r.stages[2]!.state).toBe("running"); // approved, queued
    w.tick(1000);
    r = await op.status(w.c, w.ref);
    seen.add(r.state);
    expect(r.state).toBe("succeeded");
    expect(shape(r)).toEqual(["build:succeeded", "staging:succeeded", "production:succeeded"]);
    expect(r.finishedAt).toBe(new Date(T0 + 750 + 100 + 200).toISOString()); // approved at +750, queued 100, fetch + deploy
    expect([...seen]).toEqual(["queued", "running", "waiting-for-approval", "succeeded"]);

    // The variable reached the chained build: the production build got what part 0 passed on.
    const [prod] = await w.c.sdk.getBuild({ name: `${w.c.parent}/builds/${r.nativeIds[1]}` });
    const subs = (prod as { substitutions: Record<string, string> }).substitutions;
    expect(subs).toMatchObject({ _DEPLOY_REGION: "eu-central-1", _PIPEGLOT_BRANCH: "main", _PIPEGLOT_PARENT: started.id });
    expect(subs.COMMIT_SHA).toBe(r.commit);

    // A run id of any build of the chain names the run.
    expect((await op.status(w.c, w.ref, r.nativeIds[1])).id).toBe(started.id);
  });

  it("reject: the production build never runs; the run fails with the approval rejected", async () => {
    const w = await world();
    await op.start(w.c, w.ref, {});
    w.tick(800);
    const r = await op.decide(w.c, w.ref, { stage: "Production", decision: "reject", comment: "not today" });
    expect(r.state).toBe("failed");
    expect(shape(r)).toEqual(["build:succeeded", "staging:succeeded", "production:failed"]);
    expect(r.stages[2]!.approval).toMatchObject({ state: "rejected", comment: "not today" });
    expect(r.stages[2]!.jobs.map((j) => j.state)).toEqual(["skipped"]);
    w.tick(5000);
    expect((await op.status(w.c, w.ref)).state).toBe("failed");
  });

  it("a decision with no run waiting, or on a stage without a gate, is a not-found error", async () => {
    const w = await world();
    expect(await failure(op.decide(w.c, w.ref, { stage: "production", decision: "approve" }))).toEqual({
      kind: "not-found",
      message: "no approval is waiting before stage production of shop-web",
    });
    expect((await failure(op.decide(w.c, w.ref, { stage: "staging", decision: "approve" }))).message).toBe(
      "no approval is waiting before stage staging of shop-web (the stage has no approval gate)",
    );
    expect((await failure(op.decide(w.c, w.ref, { stage: "qa", decision: "approve" }))).message).toBe(
      'pipeline shop-web has no stage "qa" (stages: build, staging, production)',
    );
  });
});

describe("Cloud Build: hold and release", () => {
  it("hold disables production's trigger: the next run stops before production (held); release lets it through", async () => {
    const w = await world();
    await op.hold(w.c, w.ref, { stage: "production", hold: true, reason: "incident 42" });
    const gated = w.emu.gcp.state().find((s) => s.trigger.name === "shop-web-production")!.trigger;
    expect(gated).toMatchObject({ disabled: true, description: "Approval: Check the staging smoke tests before approving.\nHeld: incident 42" });

    const started = await op.start(w.c, w.ref, {});
    w.tick(2000);
    let r = await op.status(w.c, w.ref);
    expect(r.state).toBe("held");
    expect(shape(r)).toEqual(["build:succeeded", "staging:succeeded", "production:held"]);
    expect(r.stages[2]!.hold).toEqual({ reason: "incident 42" });
    expect(r.nativeIds).toEqual([started.id]);
    expect(renderRun(r)).toContain("incident 42");

    await op.hold(w.c, w.ref, { stage: "production", hold: false });
    expect(w.emu.gcp.state().find((s) => s.trigger.name === "shop-web-production")!.trigger).toMatchObject({
      disabled: false,
      description: "Approval: Check the staging smoke tests before approving.",
    });
    r = await op.status(w.c, w.ref);
    expect(r.id).toBe(started.id);
    expect(shape(r)).toEqual(["build:succeeded", "staging:succeeded", "production:waiting-for-approval"]);
    await op.decide(w.c, w.ref, { stage: "production", decision: "approve" });
    w.tick(1000);
    expect((await op.status(w.c, w.ref)).state).toBe("succeeded");
  });

  it("hold and a disabled transition in the definition agree: the held trigger is what `transition: {enabled: false, reason}` compiles to", async () => {
    const w = await world();
    await op.hold(w.c, w.ref, { stage: "production", hold: true, reason: "incident 42" });
    const heldIr: PipelineIR = structuredClone(w.ir);
    heldIr.stages[2]!.transition = { enabled: false, reason: "incident 42" };
    const wantHeld = desired(compile(heldIr)).find((d) => d.key.name === "shop-web-production")!;
    const p = await plan("gcp", w.ir.name, desired(compile(heldIr)), w.c, {});
    expect(p.changes.filter((ch) => ch.action !== "noop").map((ch) => ch.key.name)).not.toContain("shop-web-production");
    expect(wantHeld.body).toMatchObject({ disabled: true });
    // The definition as it is (transition enabled): the plan releases the trigger.
    const back = await plan("gcp", w.ir.name, desired(compile(w.ir)), w.c, {});
    expect(back.changes.find((ch) => ch.key.name === "shop-web-production")?.action).toBe("update");
  });

  it("a transition disabled in the definition holds runs the same way; release lets the held run through", async () => {
    const ir: PipelineIR = structuredClone(await loadExample("node-webapp"));
    delete ir.stages[2]!.approval;
    ir.stages[2]!.transition = { enabled: false, reason: "freeze until Monday" };
    const w = await world({ ir });
    const started = await op.start(w.c, w.ref, {});
    w.tick(2000);
    let r = await op.status(w.c, w.ref);
    expect(shape(r)).toEqual(["build:succeeded", "staging:succeeded", "production:held"]);
    expect(r.stages[2]!.hold).toEqual({ reason: "freeze until Monday" });
    await op.hold(w.c, w.ref, { stage: "production", hold: false });
    w.tick(1000);
    r = await op.status(w.c, w.ref);
    expect(r).toMatchObject({ id: started.id, state: "succeeded" });
    expect(r.stages[2]!.approval).toBeUndefined();
  });

  it("a stage that shares its build with the stage before cannot be held: a config error naming the alternative", async () => {
    const w = await world();
    const e = await failure(op.hold(w.c, w.ref, { stage: "staging", hold: true, reason: "x" }));
    expect(e.kind).toBe("config");
    expect(e.message).toMatch(
      /^hold and release are not supported on Cloud Build for stage staging of shop-web: .* transition: \{enabled: false, reason: TEXT\}/,
    );
    expect((await failure(op.hold(w.c, w.ref, { stage: "production", hold: true, reason: " " }))).kind).toBe("usage");
  });
});

describe("Cloud Build: failures, cancels, errors", () => {
  it("a failing job (failSteps by job name) fails its stage at its first step; later stages are skipped", async () => {
    const w = await world({ failSteps: ["test"] });
    await op.start(w.c, w.ref, {});
    w.tick(1000);
    const r = await op.status(w.c, w.ref);
    expect(r.state).toBe("failed");
    expect(shape(r)).toEqual(["build:failed", "staging:skipped", "production:skipped"]);
    const test = r.stages[0]!.jobs.find((j) => j.name === "test")!;
    expect(test).toMatchObject({ state: "failed", native: "build__test__install" });
    expect(test.message).toMatch(/build step 0 "build__test__install" failed/);
    expect(jobsOf(r, "build")).toEqual({ test: "failed", lint: "succeeded", bundle: "skipped" });
    expect(jobsOf(r, "production")).toEqual({ deploy: "skipped" });
    expect(r.finishedAt).toBe(new Date(T0 + 200).toISOString());
  });

  it("a failing step by its id fails staging's deploy", async () => {
    const w = await world({ failSteps: ["staging__deploy__upload"] });
    await op.start(w.c, w.ref, {});
    w.tick(1000);
    const r = await op.status(w.c, w.ref);
    expect(shape(r)).toEqual(["build:succeeded", "staging:failed", "production:skipped"]);
    expect(r.stages[1]!.jobs[0]).toMatchObject({ name: "deploy", state: "failed", native: "staging__deploy__upload" });
  });

  it("a build cancelled while it runs: the run is cancelled", async () => {
    const w = await world();
    const r0 = await op.start(w.c, w.ref, {});
    w.tick(250);
    await w.c.sdk.getBuild({ name: `${w.c.parent}/builds/${r0.id}` });
    await (w.c.sdk as unknown as { cancelBuild(r: { name: string }): Promise<unknown> }).cancelBuild({ name: `${w.c.parent}/builds/${r0.id}` });
    w.tick(1000);
    const r = await op.status(w.c, w.ref);
    expect(r.state).toBe("cancelled");
    // The cancelled build held build and staging: both cancelled; production's build never came.
    expect(shape(r)).toEqual(["build:cancelled", "staging:cancelled", "production:skipped"]);
  });

  it("not applied, no runs, unknown run, unknown variable: one-line PipeglotErrors", async () => {
    const w = await world({ apply: false });
    expect(await failure(op.status(w.c, w.ref))).toEqual({
      kind: "not-found",
      message: "pipeline shop-web has no triggers in projects/acme-ci/locations/europe-west1: apply it first (pipeglot apply FILE --target gcp)",
    });
    expect((await failure(op.start(w.c, w.ref, {}))).kind).toBe("not-found");
    const w2 = await world();
    expect(await failure(op.status(w2.c, w2.ref))).toEqual({ kind: "not-found", message: "pipeline shop-web has no runs yet: start one with pipeglot run" });
    const r = await op.start(w2.c, w2.ref, {});
    expect((await failure(op.status(w2.c, w2.ref, "0000-nope"))).message).toBe(`pipeline shop-web has no run "0000-nope" (latest runs: ${r.id})`);
    // A build of another pipeline is not a run of this one.
    const ir2: PipelineIR = { ...structuredClone(w2.ir), name: "other-app" };
    expect((await apply(await plan("gcp", ir2.name, desired(compile(ir2)), w2.c, {}), w2.c, FAST)).ok).toBe(true);
    expect((await failure(op.status(w2.c, { pipeline: "other-app" }, r.id))).message).toBe(
      `pipeline other-app has no run "${r.id}" (it has no runs yet: start one with pipeglot run)`,
    );
    expect(await failure(op.start(w2.c, w2.ref, { variables: { NOPE: "1" } }))).toEqual({
      kind: "usage",
      message: "pipeline shop-web has no variable NOPE (its variables: NODE_ENV, DEPLOY_REGION)",
    });
  });

  it("without the definition (--target gcp NAME) the live triggers map the run the same way", async () => {
    const w = await world();
    await op.start(w.c, w.ref, {});
    w.tick(800);
    const withFile = await op.status(w.c, w.ref);
    const byName = await op.status(w.c, { pipeline: "shop-web" });
    expect(byName).toEqual(withFile);
  });

  it("runs survive emulate --state: a saved emulator answers the same status", async () => {
    const w = await world();
    await op.start(w.c, w.ref, {});
    w.tick(800);
    const before = await op.status(w.c, w.ref);
    const w2 = await world({ state: w.emu.saveState(), apply: false });
    w2.tick(800);
    expect(await op.status(w2.c, w2.ref)).toEqual(before);
  });

  it("no credential in any output: runs, renderings and errors", async () => {
    const w = await world();
    const outputs: string[] = [];
    const r = await op.start(w.c, w.ref, { variables: { DEPLOY_REGION: "x" } });
    outputs.push(JSON.stringify(r), renderRun(r));
    w.tick(800);
    const s = await op.status(w.c, w.ref);
    outputs.push(JSON.stringify(s), renderRun(s));
    outputs.push(
      (await failure(op.status(w.c, w.ref, "nope"))).message,
      (await failure(op.hold(w.c, w.ref, { stage: "build", hold: true, reason: "r" }))).message,
    );
    for (const o of outputs) {
      expect(o).not.toContain(KEY_MARKER);
      expect(o).not.toMatch(/Bearer|private_key|access_token|ya29\./);
    }
  });

  it("every run state of the neutral model was reached by the runs above", () => {
    expect([...reached].sort()).toEqual([...RUN_STATES].sort());
  });
});
