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

  it("oci: one client for every pipeline: a no-op plan lists each kind once for the project, then one GET per resource", async () => {
    const r = await run("oci");
    expect(r.resourcesPerPipeline).toBe(14);
    // For the project (not per pipeline): pipelines, triggers, artifacts by project; stages by the pipelines' compartment.
    const lists = Object.entries(r.noopPlan.byOperation).filter(([op]) => op.startsWith("Devops.List"));
    expect(Object.fromEntries(lists)).toEqual({
      "Devops.ListBuildPipelines": 1,
      "Devops.ListBuildPipelineStages": 1,
      "Devops.ListDeployPipelines": 1,
      "Devops.ListDeployStages": 1,
      "Devops.ListDeployArtifacts": 1,
      "Devops.ListTriggers": 1,
    });
    expect(r.noopPlan.calls).toBe(6 + 2 * 14);
    // Apply on an empty project: the plans' project listings (pipelines, triggers, artifacts; no
    // pipeline yet, so no stage lists), shared by both; then per resource one create, and the
    // work requests looked at: one GetWorkRequest per write at most, fewer where writes in flight
    // wait together (one ListWorkRequests answers them; the bench's emulator finishes a work
    // request on its first look).
    const looks = (r.apply.byOperation["Devops.GetWorkRequest"] ?? 0) + (r.apply.byOperation["Devops.ListWorkRequests"] ?? 0);
    const creates = Object.entries(r.apply.byOperation)
      .filter(([op]) => op.startsWith("Devops.Create"))
      .reduce((n, [, v]) => n + v, 0);
    expect(creates).toBe(2 * 14);
    expect(looks).toBeGreaterThan(0);
    expect(looks).toBeLessThanOrEqual(2 * 14);
    expect(r.apply.calls).toBe(4 + creates + looks);
  });
});
