/** benchOci on a few pipelines: call counts per phase match what the client is designed to make. */
import { describe, expect, it } from "vitest";
import { benchOci } from "@pipeglot/oci";

describe("benchOci", () => {
  it("counts the calls of a full apply and of a no-op plan", async () => {
    const r = await benchOci({ pipelines: 3, latencyMs: 0, concurrency: 3 });
    expect(r.resourcesPerPipeline).toBe(10);
    // No-op plan: 6 lists + one GET per resource, per pipeline.
    expect(r.noopPlan.apiCalls).toBe(3 * (6 + 10));
    expect(r.noopCallsPerPipeline["Devops.GetBuildPipelineStage"]).toBe(4);
    // Apply on an empty project: the plan's 4 top-level lists (no pipeline yet, so no stage lists),
    // then per resource one create and two work-request polls.
    expect(r.apply.apiCalls).toBe(3 * (4 + 10 * 3));
    expect(r.apply.idealMs).toBe(0);
  }, 60_000);
});
