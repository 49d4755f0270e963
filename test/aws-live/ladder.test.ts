/**
 * The sync ladder against the AWS emulator, through the real SDK clients (requests validated
 * against botocore's models when ../shared is present): plan → apply creates → plan is empty →
 * edit → plan shows exactly that edit (plus the source-hash tag, which changes with any edit) →
 * apply → plan clean.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyString, planHasChanges, renderPlan, type Plan } from "@pipeglot/core";
import type { PipelineIR } from "@pipeglot/schema";
import { BOTOCORE_DIR, fastApply, loadExample, meaningful, planOf, rig, type Rig } from "./helpers.js";

const summary = (p: Plan) => p.changes.map((c) => `${c.action} ${keyString(c.key)}`).sort();
const changed = (p: Plan) =>
  Object.fromEntries(p.changes.filter((c) => c.action !== "noop").map((c) => [keyString(c.key), meaningful(c).map((x) => x.join("."))]));

describe("AWS live ladder", () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig();
  });
  afterAll(() => r.close());

  it("validates requests against botocore when the models are there", () => {
    expect(r.emu.aws.validating).toBe(BOTOCORE_DIR !== undefined);
  });

  it("node-webapp: create, no perpetual diff, one edit, clean again", async () => {
    const ir = await loadExample("node-webapp");
    const p1 = await planOf(ir, r.client);
    expect(p1.problems).toEqual([]);
    expect(summary(p1)).toEqual([
      "create codebuild.Project/shop-web-build-bundle",
      "create codebuild.Project/shop-web-build-lint",
      "create codebuild.Project/shop-web-build-test",
      "create codebuild.Project/shop-web-production-deploy",
      "create codebuild.Project/shop-web-staging-deploy",
      "create codepipeline.Pipeline/shop-web",
      "create codepipeline.Transitions/shop-web",
    ]);
    const a1 = await fastApply(p1, r.client);
    expect(a1.results.filter((x) => x.status !== "done")).toEqual([]);
    const state = r.emu.aws.state();
    expect(state.pipelines.map((p) => p.name)).toContain("shop-web");

    const p2 = await planOf(ir, r.client);
    expect(renderPlan(p2)).toContain("0 to create, 0 to update, 0 to delete, 7 unchanged");
    expect(planHasChanges(p2)).toBe(false);

    // Edit: concurrency supersede → queue, and one command of the lint job.
    const edited: PipelineIR = structuredClone(ir);
    edited.concurrency = "queue";
    edited.stages[0]!.jobs[1]!.steps[0]!.run = "npm ci && npm run lint -- --max-warnings 0";
    const p3 = await planOf(edited, r.client);
    expect(changed(p3)).toEqual({
      "codebuild.Project/shop-web-build-lint": ["source.buildspec"],
      "codepipeline.Pipeline/shop-web": ["pipeline.executionMode"],
      // each resource's pipeglot:hash covers its own body: the other projects do not change at all
    });
    const pipelineChange = p3.changes.find((c) => c.key.kind === "codepipeline.Pipeline")!;
    expect(pipelineChange.diff.find((d) => d.path.join(".") === "pipeline.executionMode")).toMatchObject({
      type: "change",
      before: "SUPERSEDED",
      after: "QUEUED",
    });
    expect(pipelineChange.versionToken).toBe("1");
    const a3 = await fastApply(p3, r.client);
    expect(a3.ok).toBe(true);
    const p4 = await planOf(edited, r.client);
    expect(planHasChanges(p4)).toBe(false);
    const live = r.emu.aws.state();
    expect(live.pipelines.find((p) => p.name === "shop-web")!.version).toBe(2);
  });

  it("release: the disabled transition is created, diffed and changed separately from the pipeline", async () => {
    const ir = await loadExample("release");
    const p1 = await planOf(ir, r.client);
    const t1 = p1.changes.find((c) => c.key.kind === "codepipeline.Transitions")!;
    expect(t1).toMatchObject({
      action: "create",
      dependsOn: ["codepipeline.Pipeline/cli-release"],
      after: [{ stageName: "publish", enabled: false, reason: "Release freeze until the quarterly review" }],
    });
    expect((await fastApply(p1, r.client)).ok).toBe(true);
    const snap = r.emu.aws.state().pipelines.find((p) => p.name === "cli-release")!;
    expect(snap.transitions).toEqual([
      expect.objectContaining({ stageName: "publish", enabled: false, disabledReason: "Release freeze until the quarterly review" }),
    ]);

    const p2 = await planOf(ir, r.client);
    expect(planHasChanges(p2)).toBe(false);

    // Edit the reason only: the pipeline declaration keeps its version.
    const edited: PipelineIR = structuredClone(ir);
    edited.stages[2]!.transition = { enabled: false, reason: "Frozen until the security review" };
    const p3 = await planOf(edited, r.client);
    expect(changed(p3)).toEqual({ "codepipeline.Transitions/cli-release": ["0.reason"] });
    expect((await fastApply(p3, r.client)).ok).toBe(true);
    expect(planHasChanges(await planOf(edited, r.client))).toBe(false);
    const after = r.emu.aws.state().pipelines.find((p) => p.name === "cli-release")!;
    expect(after.version).toBe(1);
    expect(after.transitions).toEqual([expect.objectContaining({ stageName: "publish", enabled: false, disabledReason: "Frozen until the security review" })]);

    // Enable it again in the definition: EnableStageTransition.
    const enabled: PipelineIR = structuredClone(ir);
    enabled.stages[2]!.transition = { enabled: true };
    const p4 = await planOf(enabled, r.client);
    expect(changed(p4)["codepipeline.Transitions/cli-release"]).toEqual(["0"]);
    expect((await fastApply(p4, r.client)).ok).toBe(true);
    expect(planHasChanges(await planOf(enabled, r.client))).toBe(false);
    expect(
      r.emu.aws
        .state()
        .pipelines.find((p) => p.name === "cli-release")!
        .transitions.filter((t) => !t.enabled),
    ).toEqual([]);
  });

  it("a transition disabled by hand shows as drift and is enabled again", async () => {
    const ir = await loadExample("node-webapp");
    const { DisableStageTransitionCommand } = await import("@aws-sdk/client-codepipeline");
    const { codePipeline } = await import("../emulators/fixtures.js");
    const cp = codePipeline(r.emu.endpoints.aws!);
    const edited: PipelineIR = structuredClone(ir);
    edited.concurrency = "queue";
    edited.stages[0]!.jobs[1]!.steps[0]!.run = "npm ci && npm run lint -- --max-warnings 0";
    await cp.send(new DisableStageTransitionCommand({ pipelineName: "shop-web", stageName: "production", transitionType: "Inbound", reason: "manual hold" }));
    cp.destroy();
    const p = await planOf(edited, r.client);
    const t = p.changes.find((c) => c.key.kind === "codepipeline.Transitions")!;
    expect(t.action).toBe("update");
    expect(t.diff).toEqual([{ path: [0], type: "remove", before: { stageName: "production", enabled: false, reason: "manual hold" } }]);
    expect((await fastApply(p, r.client)).ok).toBe(true);
    expect(planHasChanges(await planOf(edited, r.client))).toBe(false);
  });
});
