/**
 * Operating node-webapp on Azure Pipelines (issue #19) through the real azure-devops-node-api 17
 * against the Azure DevOps emulator, whose clock the test moves: run → status shows the stages in
 * order → waiting-for-approval → approve → succeeded; reject; hold and release (an Approval check
 * on the environment); a failing step; cancel; the errors; no token in any output.
 */
import { apply, isPipeglotError, plan, planHasChanges, type PipelineRun, type ProviderOutput } from "@pipeglot/core";
import { provider } from "@pipeglot/azure";
import type { PipelineIR } from "@pipeglot/schema";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compileOk, desiredResources, FAKE_TOKEN, PROJECT, shopIR, world, type World } from "./helpers.js";

const op = provider.live.operate!;
const STEP = 1000;
const T0 = Date.parse("2026-12-07T08:00:00.000Z");
const worlds: World[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.emu.close()));
});

interface Setup {
  w: World;
  client: Awaited<ReturnType<World["client"]>>;
  ref: { pipeline: string; output: ProviderOutput };
  tick(steps: number): void;
  outputs: unknown[];
}

/** The emulator (its clock at T0, one job = one second), node-webapp applied with its YAML pushed. */
async function setup(opts: { failSteps?: string[]; edit?: (ir: PipelineIR) => void; retryAfterSeconds?: number } = {}): Promise<Setup> {
  let now = T0;
  const w = await world({
    now: () => new Date(now),
    runs: { stepMs: STEP, failSteps: opts.failSteps ?? [] },
    ...(opts.retryAfterSeconds !== undefined ? { azureRetryAfterSeconds: opts.retryAfterSeconds } : {}),
  });
  worlds.push(w);
  const ir = await shopIR();
  opts.edit?.(ir);
  const out = compileOk(ir);
  const client = await w.client({ pushYaml: true });
  const r = await apply(await plan("azure", ir.name, desiredResources(out, { pushYaml: true }), client), client);
  expect(r.results.every((x) => x.status === "done")).toBe(true);
  return { w, client, ref: { pipeline: ir.name, output: out }, tick: (n) => (now += n * STEP), outputs: [] };
}

const shape = (r: PipelineRun) => r.stages.map((s) => [s.name, s.state, s.jobs.map((j) => `${j.name}:${j.state}`).join(" ")]);

async function expectError(p: Promise<unknown>, kind: string, text: RegExp): Promise<string> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(isPipeglotError(e), String(e)).toBe(true);
  expect((e as { kind: string }).kind).toBe(kind);
  expect((e as Error).message).toMatch(text);
  return (e as Error).message;
}

describe("azure operate against the emulator", () => {
  it("run → queued → running in stage order → waiting for approval → approve → succeeded", async () => {
    const s = await setup();
    const started = await op.start(s.client, s.ref, { variables: { DEPLOY_REGION: "us-east-1" } });
    expect(started).toMatchObject({ provider: "azure", pipeline: "shop-web", state: "queued", trigger: "manual", branch: "main" });
    expect(started.stages.map((x) => x.name)).toEqual(["build", "staging", "production"]);

    s.tick(2); // out of the queue at +1s; test done at +2s, lint running
    const running = await op.status(s.client, s.ref);
    expect(running.id).toBe(started.id);
    expect(running.state).toBe("running");
    expect(shape(running)[0]).toEqual(["build", "running", "test:succeeded lint:running bundle:queued"]);
    expect(
      shape(running)
        .slice(1)
        .map((x) => x[1]),
    ).toEqual(["queued", "queued"]);

    s.tick(3); // lint +3, bundle +4, staging deploy +5: production's check waits
    const waiting = await op.status(s.client, s.ref, started.id);
    expect(waiting.state).toBe("waiting-for-approval");
    expect(shape(waiting)).toEqual([
      ["build", "succeeded", "test:succeeded lint:succeeded bundle:succeeded"],
      ["staging", "succeeded", "deploy:succeeded"],
      ["production", "waiting-for-approval", "deploy:queued"],
    ]);
    expect(waiting.stages[2]!.approval).toMatchObject({
      state: "pending",
      instructions: "Check the staging smoke tests before approving.",
      deadline: new Date(T0 + 5 * STEP + 1440 * 60_000).toISOString(),
    });
    expect(waiting.stages[1]!.jobs[0]!.native).toBe("deploy_job");

    const approved = await op.decide(s.client, s.ref, { stage: "production", decision: "approve", comment: "smoke tests green" });
    expect(approved.stages[2]!.approval).toMatchObject({ state: "approved", decidedBy: "pipeglot emulator", comment: "smoke tests green" });
    expect(approved.stages[2]!.state).toBe("running");
    s.tick(1);
    const done = await op.status(s.client, s.ref);
    expect(done.state).toBe("succeeded");
    expect(shape(done)[2]).toEqual(["production", "succeeded", "deploy:succeeded"]);
    expect(done.finishedAt).toBe(new Date(T0 + 6 * STEP).toISOString());

    // The variable that is a YAML parameter went as a template parameter (read back with the SDK).
    const pipelines = await s.client.apis.web.getPipelinesApi();
    const defId = Number(s.w.emu.azure.state().find((p) => p.name === PROJECT)!.definitions[0]!.id);
    const run = await pipelines.getRun(PROJECT, defId, Number(started.id));
    expect(run.templateParameters).toEqual({ DEPLOY_REGION: "us-east-1" });

    // Deciding again: nothing waits any more.
    await expectError(op.decide(s.client, s.ref, { stage: "production", decision: "approve" }), "not-found", /no approval is waiting before stage production/);
  });

  it("reject ends the run failed, production's deploy never runs", async () => {
    const s = await setup();
    await op.start(s.client, s.ref, {});
    s.tick(5);
    const rejected = await op.decide(s.client, s.ref, { stage: "production", decision: "reject", comment: "not today" });
    expect(rejected.state).toBe("failed");
    expect(rejected.stages[2]).toMatchObject({ name: "production", state: "failed", approval: { state: "rejected", comment: "not today" } });
    expect(rejected.stages[2]!.jobs.map((j) => j.state)).toEqual(["skipped"]);
  });

  it("an approval nobody decides expires at the check's timeout and fails the stage", async () => {
    const s = await setup();
    await op.start(s.client, s.ref, {});
    s.tick(5);
    expect((await op.status(s.client, s.ref)).state).toBe("waiting-for-approval");
    s.tick(24 * 60 * 60); // the approval's timeout: 24h
    const r = await op.status(s.client, s.ref);
    expect(r.state).toBe("failed");
    expect(r.stages[2]).toMatchObject({ state: "failed", approval: { state: "expired" } });
  });

  it("hold stops the next run before production (held), release lets it through; plan ignores the hold", async () => {
    const s = await setup();
    await op.hold(s.client, s.ref, { stage: "production", hold: true, reason: "incident 42" });
    expect(planHasChanges(await plan("azure", "shop-web", desiredResources(s.ref.output, { pushYaml: true }), s.client))).toBe(false);

    await op.start(s.client, s.ref, {});
    s.tick(5);
    const held = await op.status(s.client, s.ref);
    expect(held.state).toBe("held");
    expect(held.stages[2]).toMatchObject({ name: "production", state: "held", hold: { reason: "incident 42" }, approval: { state: "pending" } });
    // The definition's gate can be decided while held: the stage stays held.
    const approved = await op.decide(s.client, s.ref, { stage: "production", decision: "approve" });
    expect(approved.stages[2]).toMatchObject({ state: "held", approval: { state: "approved" } });
    s.tick(3);
    expect((await op.status(s.client, s.ref)).stages[2]!.jobs[0]!.state).toBe("queued");

    await op.hold(s.client, s.ref, { stage: "production", hold: false });
    expect((await op.status(s.client, s.ref)).stages[2]!.state).toBe("running");
    s.tick(1);
    expect((await op.status(s.client, s.ref)).state).toBe("succeeded");

    // Released: the next run is not held; nothing is left to release.
    await op.start(s.client, s.ref, {});
    s.tick(5);
    expect((await op.status(s.client, s.ref)).state).toBe("waiting-for-approval");
    await expectError(op.hold(s.client, s.ref, { stage: "production", hold: false }), "not-found", /stage production is not held/);

    // The hold is one check on the environment: disabled by release, enabled again by the next hold.
    const holds = () =>
      s.w.emu.azure
        .state()
        .find((p) => p.name === PROJECT)!
        .checks.filter((c) => String((c.settings as { instructions?: string }).instructions).startsWith("pipeglot hold ("));
    expect(holds().map((c) => [c.isDisabled, (c.resource as { name: string }).name])).toEqual([[true, "production"]]);
    await op.hold(s.client, s.ref, { stage: "production", hold: true, reason: "incident 43" });
    expect(holds().map((c) => [c.isDisabled, (c.settings as { instructions: string }).instructions])).toEqual([
      [false, "pipeglot hold (environment production): incident 43"],
    ]);
  });

  it("a stage held with no gate of its own: approve says release it first", async () => {
    const s = await setup();
    await op.hold(s.client, s.ref, { stage: "staging", hold: true, reason: "db migration" });
    await op.start(s.client, s.ref, {});
    s.tick(4);
    const held = await op.status(s.client, s.ref);
    expect(held.state).toBe("held");
    expect(held.stages.map((x) => x.state)).toEqual(["succeeded", "held", "queued"]);
    await expectError(op.decide(s.client, s.ref, { stage: "staging", decision: "approve" }), "config", /staging is held \(db migration\): release it first/);
    await op.hold(s.client, s.ref, { stage: "staging", hold: false, reason: "migrated" });
    s.tick(1);
    expect((await op.status(s.client, s.ref)).state).toBe("waiting-for-approval");
  });

  it("hold on a stage without an environment says what Azure can do instead", async () => {
    const s = await setup();
    await expectError(
      op.hold(s.client, s.ref, { stage: "build", hold: true, reason: "x" }),
      "config",
      /not supported on azure for stage build.*transition: \{enabled: false\}/,
    );
    await expectError(
      op.hold(s.client, s.ref, { stage: "qa", hold: true, reason: "x" }),
      "not-found",
      /has no stage "qa" \(stages: build, staging, production\)/,
    );
  });

  it("a disabled transition in the definition (trigger: manual) holds the stage; only the definition releases it", async () => {
    const s = await setup({ edit: (ir) => (ir.stages[1]!.transition = { enabled: false, reason: "freeze" }) });
    await op.start(s.client, s.ref, {});
    s.tick(2);
    expect((await op.status(s.client, s.ref)).stages.map((x) => x.state)).toEqual(["running", "queued", "queued"]); // not held before it is reached
    s.tick(8);
    const r = await op.status(s.client, s.ref);
    expect(r.state).toBe("held");
    expect(r.stages.map((x) => x.state)).toEqual(["succeeded", "held", "queued"]);
    await expectError(op.hold(s.client, s.ref, { stage: "staging", hold: false }), "config", /held by the definition.*transition.enabled: true and apply/);
  });

  it("a failing step fails its job and stage; later stages are skipped", async () => {
    const s = await setup({ failSteps: ["upload"] });
    await op.start(s.client, s.ref, {});
    s.tick(6);
    const r = await op.status(s.client, s.ref);
    expect(r.state).toBe("failed");
    expect(shape(r)).toEqual([
      ["build", "succeeded", "test:succeeded lint:succeeded bundle:succeeded"],
      ["staging", "failed", "deploy:failed"],
      ["production", "skipped", "deploy:skipped"],
    ]);
    expect(r.stages[1]!.jobs[0]!.message).toBe("Step upload failed.");
  });

  it("a run cancelled with the Build API shows cancelled", async () => {
    const s = await setup();
    const started = await op.start(s.client, s.ref, {});
    s.tick(2);
    const build = await s.client.apis.build();
    await build.updateBuild({ status: 4 /* BuildStatus.Cancelling */ }, PROJECT, Number(started.id));
    const r = await op.status(s.client, s.ref, started.id);
    expect(r.state).toBe("cancelled");
    expect(shape(r)[0]).toEqual(["build", "cancelled", "test:succeeded lint:cancelled bundle:skipped"]);
  });

  it("status without the definition file names stages from the live YAML; errors are one clear line", async () => {
    const s = await setup();
    await expectError(op.status(s.client, s.ref), "not-found", /shop-web has no runs yet/);
    const started = await op.start(s.client, { pipeline: "shop-web" }, {});
    expect(started.stages.map((x) => x.name)).toEqual(["build", "staging", "production"]);
    await expectError(op.status(s.client, s.ref, "999"), "not-found", /shop-web has no run "999"/);
    await expectError(op.status(s.client, { pipeline: "nope" }), "not-found", /pipeline nope does not exist in Azure DevOps project shop: apply it first/);
    await expectError(op.start(s.client, s.ref, { branch: "nowhere" }), "api", /Could not find branch refs\/heads\/nowhere/);
  });

  it("a decision the check forbids (requester cannot approve) is an auth error", async () => {
    const s = await setup();
    const check = s.w.emu.azure.state().find((p) => p.name === PROJECT)!.checks[0]!;
    s.w.emu.azure.mutateCheck(PROJECT, Number(check.id), (c) => {
      (c.settings as Record<string, unknown>).requesterCannotBeApprover = true;
    });
    await op.start(s.client, s.ref, {});
    s.tick(5);
    await expectError(op.decide(s.client, s.ref, { stage: "production", decision: "approve" }), "auth", /cannot approve before stage production: .*403/);
  });

  it("a ManualValidation gate (approvalMode job) waits for approval; approve says where it is decided", async () => {
    const s = await setup({ edit: (ir) => (ir.targets.azure = { ...ir.targets.azure, approvalMode: "job" }) });
    await op.start(s.client, s.ref, {});
    s.tick(5);
    const r = await op.status(s.client, s.ref);
    expect(r.state).toBe("waiting-for-approval");
    expect(r.stages[2]).toMatchObject({
      state: "waiting-for-approval",
      approval: { state: "pending", instructions: "Check the staging smoke tests before approving." },
    });
    expect(r.stages[2]!.jobs.map((j) => j.name)).toEqual(["deploy"]);
    await expectError(op.decide(s.client, s.ref, { stage: "production", decision: "approve" }), "config", /ManualValidation job.*approvalMode: environment/);
  });

  it("a pipeline whose YAML is on GitHub runs the file of the folder the emulator reads GitHub from", async () => {
    const root = mkdtempSync(join(tmpdir(), "pipeglot-azure-gh-"));
    try {
      const w = await world({
        now: () => new Date(T0),
        azureRepositoryRoot: root,
        azureServiceConnections: [{ name: "github", type: "github" }],
        runs: { stepMs: STEP },
      });
      worlds.push(w);
      const ir = await shopIR();
      ir.source = { repository: "acme/shop-web", branch: "main", provider: "github" };
      const out = compileOk(ir);
      const client = await w.client();
      await apply(await plan("azure", ir.name, desiredResources(out), client), client);
      const ref = { pipeline: ir.name, output: out };
      await expectError(op.start(client, ref, {}), "api", /File \/azure-pipelines.yml not found in repository acme\/shop-web/);
      writeFileSync(join(root, "azure-pipelines.yml"), out.files.find((f) => f.kind === "azure.PipelineYaml")!.content);
      const r = await op.start(client, ref, {});
      expect(r.stages.map((x) => [x.name, x.state])).toEqual([
        ["build", "queued"],
        ["staging", "queued"],
        ["production", "queued"],
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("run, status and approve go through throttling and 5xx (the client's retry layer)", async () => {
    const s = await setup({ retryAfterSeconds: 0 });
    s.w.emu.azure.faults.set({ throttleRate: 0.15, errorRate: 0.1 });
    await op.start(s.client, s.ref, {});
    s.tick(5);
    expect((await op.status(s.client, s.ref)).state).toBe("waiting-for-approval");
    await op.decide(s.client, s.ref, { stage: "production", decision: "approve" });
    s.tick(1);
    expect((await op.status(s.client, s.ref)).state).toBe("succeeded");
    const c = s.w.emu.azure.counters.snapshot();
    expect(Object.values(c).reduce((n, x) => n + x.throttled + x.serverErrors, 0)).toBeGreaterThan(0);
    expect(c["Pipelines.RunPipeline"]!.ok).toBe(1); // a start is not repeated
  });

  it("no token in any run, status or error", async () => {
    const s = await setup();
    const seen: unknown[] = [];
    seen.push(await op.start(s.client, s.ref, { variables: { NODE_ENV: "test" } }));
    s.tick(5);
    seen.push(await op.status(s.client, s.ref));
    seen.push(await op.decide(s.client, s.ref, { stage: "production", decision: "approve" }));
    const failing = [
      () => op.status(s.client, { pipeline: "nope" }),
      () => op.decide(s.client, s.ref, { stage: "production", decision: "reject" }),
      () => op.hold(s.client, s.ref, { stage: "build", hold: true, reason: "r" }),
    ];
    for (const f of failing) seen.push(await f().catch((e: Error) => e.message));
    expect(seen.slice(3).every((m) => typeof m === "string")).toBe(true);
    const text = JSON.stringify(seen);
    expect(text).not.toContain(FAKE_TOKEN);
    expect(text).not.toContain(Buffer.from(`:${FAKE_TOKEN}`).toString("base64"));
  });
});
