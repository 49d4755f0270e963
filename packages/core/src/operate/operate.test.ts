import { describe, expect, it } from "vitest";
import { findStage, runChanges, renderRun, runExitCode, runState, stageState, type PipelineRun } from "../index.js";

const run = (over: Partial<PipelineRun> = {}): PipelineRun => ({
  provider: "aws",
  pipeline: "shop-web",
  id: "r1",
  nativeIds: ["r1"],
  state: "waiting-for-approval",
  stages: [
    {
      name: "build",
      state: "succeeded",
      jobs: [{ name: "test", state: "succeeded", startedAt: "2026-01-01T00:00:00.000Z", finishedAt: "2026-01-01T00:00:01.500Z" }],
    },
    {
      name: "production",
      state: "waiting-for-approval",
      approval: { state: "pending", instructions: "Check staging" },
      jobs: [{ name: "deploy", state: "queued" }],
    },
  ],
  ...over,
});

describe("stage and run roll-up", () => {
  it.each([
    [{ jobs: ["succeeded", "succeeded"] }, "succeeded"],
    [{ jobs: ["succeeded", "running"] }, "running"],
    [{ jobs: ["failed", "running"] }, "running"],
    [{ jobs: ["failed", "succeeded"] }, "failed"],
    [{ jobs: ["succeeded", "queued"] }, "running"],
    [{ jobs: ["queued"] }, "queued"],
    [{ jobs: ["queued"], held: true }, "held"],
    [{ jobs: ["running"], held: true }, "running"],
    [{ jobs: ["queued"], approval: { state: "pending" } }, "waiting-for-approval"],
    [{ jobs: ["skipped"], approval: { state: "rejected" } }, "failed"],
    [{ jobs: ["skipped", "skipped"] }, "skipped"],
    [{ jobs: ["cancelled", "succeeded"] }, "cancelled"],
  ] as const)("%j → %s", (facts, want) => expect(stageState(facts)).toBe(want));

  it.each([
    [["succeeded", "running", "queued"], "running"],
    [["succeeded", "waiting-for-approval"], "waiting-for-approval"],
    [["succeeded", "held", "queued"], "held"],
    [["failed", "skipped"], "failed"],
    [["succeeded", "cancelled", "skipped"], "cancelled"],
    [["succeeded", "skipped"], "succeeded"],
    [["queued", "queued"], "queued"],
    [["succeeded", "queued"], "running"],
  ] as const)("%j → %s", (states, want) => expect(runState(states.map((state) => ({ state })))).toBe(want));
});

describe("finding a stage", () => {
  const stages = [{ name: "build" }, { name: "staging" }, { name: "production" }];
  it("finds by name, then ignoring case", () => {
    expect(findStage(stages, "staging", "p")).toBe(stages[1]);
    expect(findStage(stages, "Production", "p")).toBe(stages[2]);
  });
  it("lists the stages when the name is unknown", () => {
    expect(() => findStage(stages, "prod", "shop-web")).toThrow('pipeline shop-web has no stage "prod" (stages: build, staging, production)');
  });
});

describe("exit codes", () => {
  it("maps outcomes, and nothing while the run moves", () => {
    expect([runExitCode("succeeded"), runExitCode("failed"), runExitCode("cancelled"), runExitCode("waiting-for-approval"), runExitCode("held")]).toEqual([
      0, 1, 1, 4, 5,
    ]);
    expect(runExitCode("running")).toBeUndefined();
    expect(runExitCode("queued")).toBeUndefined();
  });
});

describe("rendering", () => {
  it("prints the tree in order with the gate", () => {
    expect(renderRun(run())).toBe(
      [
        "shop-web on aws: run r1 waiting-for-approval",
        "  + build       succeeded",
        "    + test  succeeded 1.5s",
        "  ? production  waiting-for-approval - approval pending (instructions: Check staging)",
        "    . deploy  queued",
        "",
      ].join("\n"),
    );
  });
  it("says what changed, one line each", () => {
    const before = run();
    const after = run({
      state: "running",
      stages: [
        before.stages[0]!,
        { name: "production", state: "running", approval: { state: "approved", decidedBy: "ana" }, jobs: [{ name: "deploy", state: "running" }] },
      ],
    });
    expect(runChanges(before, after)).toEqual([
      "shop-web: run r1 running",
      "production: running",
      "production: approval approved by ana",
      "production/deploy: running",
    ]);
    expect(runChanges(after, after)).toEqual([]);
  });
});
