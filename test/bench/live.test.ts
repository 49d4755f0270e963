/**
 * The live-sync bench harness (bench/live.mjs) on two pipelines per cloud without latency: the
 * request counts of a full apply and of a no-op plan are what each client is designed to make.
 * Nothing here measures time (`npm run bench` does).
 */
import { describe, expect, it } from "vitest";
// @ts-expect-error bench/ is plain ESM without declarations (run by node, not built by tsc)
import { benchLive } from "../../bench/live.mjs";

interface Phase {
  calls: number;
  idealMs: number;
  byOperation: Record<string, number>;
}
interface Row {
  cloud: string;
  pipelines: number;
  resourcesPerPipeline: number;
  inFlight: number;
  apply: Phase;
  noopPlan: Phase;
}
const run = (cloud: string): Promise<Row> => benchLive(cloud, { pipelines: 2, latencyMs: 0, concurrency: 2, parallelism: 4 }) as Promise<Row>;

describe("bench/live.mjs: one harness, one result shape for the four clouds", () => {
  it("aws: a no-op plan reads the pipeline (declaration, state, tags) and its projects in one batch", async () => {
    const r = await run("aws");
    expect(r.resourcesPerPipeline).toBe(7);
    expect(r.inFlight).toBe(8);
    expect(r.noopPlan.calls).toBe(2 * 4);
    // Apply on an empty account: 2 reads, 5 projects and the pipeline created.
    expect(r.apply.calls).toBe(2 * 8);
    expect(r.apply.idealMs).toBe(0);
  });

  it("azure: one read per resource", async () => {
    const r = await run("azure");
    expect(r.resourcesPerPipeline).toBe(4);
    expect(r.noopPlan.calls).toBe(2 * 4);
  });

  it("gcp: one GET per trigger", async () => {
    const r = await run("gcp");
    expect(r.resourcesPerPipeline).toBe(4);
    expect(r.noopPlan.byOperation).toEqual({ "CloudBuild.GetBuildTrigger": 2 * 4 });
    expect(r.apply.calls).toBe(2 * (4 + 4));
  });

  it("oci: a no-op plan lists only its own pipelines, stages and triggers, and reads artifacts by the ids its stages name", async () => {
    const r = await run("oci");
    expect(r.resourcesPerPipeline).toBe(14);
    // Per pipeline: the two pipelines by name, their stages by pipeline, the 2 triggers by name; one GET per resource.
    expect(r.noopPlan.calls).toBe(2 * (4 + 2 + 14));
    expect(r.noopPlan.byOperation["Devops.ListBuildPipelines"]).toBe(2);
    expect(r.noopPlan.byOperation["Devops.ListTriggers"]).toBe(2 * 2);
    expect(r.noopPlan.byOperation["Devops.ListDeployArtifacts"]).toBeUndefined();
    // Apply on an empty project: the plan's lists by name (2 pipelines, 2 triggers, 2 artifacts; no
    // pipeline yet, so no stage lists), then per resource one create and two work-request polls.
    expect(r.apply.calls).toBe(2 * (6 + 14 * 3));
  });
});
