/**
 * The repair pass, from hand-written IRs of the shapes importers produce, checked by `validate`
 * (the independent judge): every repaired pipeline validates, and each repair is the one the
 * README promises, with a warning at the pointer it changed.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { denormalize } from "../denormalize.js";
import type { JobIR, PipelineIR, StepIR } from "../ir.js";
import { validate } from "../validate.js";
import { repair } from "./index.js";

const step = (over: Partial<StepIR> = {}): StepIR => ({ id: "step-1", run: "make", shell: "bash", env: {}, continueOnError: false, retries: 0, ...over });
const job = (name: string, over: Partial<JobIR> = {}): JobIR => ({
  id: `s.${name}`,
  name,
  needs: [],
  image: "ubuntu:22.04",
  runner: "small",
  env: {},
  steps: [step()],
  produces: [],
  consumes: [],
  retries: 0,
  ...over,
});
function pipeline(stages: { name: string; needs?: string[]; jobs: JobIR[] }[], over: Partial<PipelineIR> = {}): PipelineIR {
  return {
    version: 1,
    name: "p",
    source: { repository: "acme/app", branch: "main" },
    triggers: { schedules: [], manual: true },
    concurrency: "queue",
    variables: {},
    secrets: {},
    defaults: {},
    stages: stages.map((s, i) => ({
      id: s.name,
      name: s.name,
      needs: s.needs ?? (i ? [stages[i - 1]!.name] : []),
      transition: { enabled: true },
      jobs: s.jobs.map((j) => ({ ...j, id: `${s.name}.${j.name}` })),
    })),
    targets: {},
    ...over,
  };
}

function errorsOf(ir: PipelineIR): string[] {
  return validate(stringify(denormalize(ir)), { file: "repaired.yaml" })
    .diagnostics.filter((d) => d.severity === "error")
    .map((d) => `${d.code} ${d.path} ${d.message}`);
}

describe("repair", () => {
  it("leaves a valid pipeline exactly as it is, with no warning", () => {
    const ir = pipeline([{ name: "build", jobs: [job("test")] }]);
    const r = repair(ir);
    expect(r.ir).toEqual(ir);
    expect(r.diagnostics).toEqual([]);
  });

  it("splits a step with both run and native into two steps, command first", () => {
    const ir = pipeline([
      { name: "build", jobs: [job("test", { steps: [step({ name: "publish", native: { azure: { task: "PublishBuildArtifacts@1" } } })] })] },
    ]);
    expect(errorsOf(ir)).not.toEqual([]);
    const r = repair(ir);
    expect(errorsOf(r.ir)).toEqual([]);
    const steps = r.ir.stages[0]!.jobs[0]!.steps;
    expect(steps.map((s) => [s.name, s.run, s.native])).toEqual([
      ["publish", "make", undefined],
      ["publish-native", undefined, { azure: { task: "PublishBuildArtifacts@1" } }],
    ]);
    expect(r.diagnostics.map((d) => [d.code, d.path])).toEqual([["PG-IMPORT-STEP-SPLIT", "/stages/0/jobs/0/steps/0"]]);
  });

  it("says where each step of the repaired job came from, so positions in the native file stay right", () => {
    const ir = pipeline([
      { name: "build", jobs: [job("test", { steps: [step({ native: { azure: { task: "A@1" } } }), step({ id: "step-2", run: "later" })] })] },
    ]);
    const r = repair(ir);
    expect(r.ir.stages[0]!.jobs[0]!.steps.map((s) => s.run ?? "native")).toEqual(["make", "native", "later"]);
    expect(r.origin("/stages/0/jobs/0/steps/2/run")).toBe("/stages/0/jobs/0/steps/1/run");
    expect(r.origin("/stages/0/jobs/0/steps/0")).toBe("/stages/0/jobs/0/steps/0");
    expect(r.origin("/stages/0/jobs/0/steps/1")).toBe("/stages/0/jobs/0/steps/0/native");
  });

  it("gives an empty job a placeholder step that fails the run and says which job", () => {
    const r = repair(pipeline([{ name: "build", jobs: [job("from-template", { steps: [] })] }]));
    expect(errorsOf(r.ir)).toEqual([]);
    const [only] = r.ir.stages[0]!.jobs[0]!.steps;
    expect(only!.run).toMatch(/^echo '.*build\.from-template.*' >&2\nexit 1$/);
    expect(r.diagnostics[0]).toMatchObject({ code: "PG-IMPORT-JOB-PLACEHOLDER", severity: "warning", path: "/stages/0/jobs/0/steps" });
  });

  it("drops needs naming nothing and the edge that closes a cycle", () => {
    const ir = pipeline([
      { name: "a", needs: ["b"], jobs: [job("x", { needs: ["ghost"] }), job("y", { needs: ["z"] }), job("z", { needs: ["y"] })] },
      { name: "b", needs: ["a", "missing"], jobs: [job("x")] },
    ]);
    const r = repair(ir);
    expect(errorsOf(r.ir)).toEqual([]);
    expect(r.ir.stages[0]!.jobs[0]!.needs).toEqual([]);
    // One of the two cycle edges survives, so that the order the source meant is kept where it can be.
    expect([...r.ir.stages[0]!.jobs[1]!.needs, ...r.ir.stages[0]!.jobs[2]!.needs]).toHaveLength(1);
    expect([...r.ir.stages[0]!.needs, ...r.ir.stages[1]!.needs]).toHaveLength(1);
    expect(r.diagnostics.filter((d) => d.code === "PG-IMPORT-NEEDS-DROPPED")).toHaveLength(4);
  });

  it("folds illegal and colliding names to unique legal ones, and every reference follows", () => {
    const ir = pipeline([
      {
        name: "Build App",
        jobs: [job("nrftc-$(Agent.OS)", { produces: [{ name: "OpenAPI Spec", paths: ["spec/**"] }] }), job("build_app", { needs: ["nrftc-$(Agent.OS)"] })],
      },
      {
        name: "build-app",
        needs: ["Build App"],
        jobs: [job("use", { consumes: ["OpenAPI Spec"], env: { T: "${{ vars.my-var }}", S: "${{ secrets.token }}" } })],
      },
    ]);
    ir.variables["my-var"] = { default: "1", overridable: true };
    ir.variables.TOKEN = { default: "t", overridable: true };
    ir.secrets.token = { azure: "group:g/token" };
    ir.stages[0]!.jobs[1]!.name = "Build_App";
    const r = repair(ir);
    expect(errorsOf(r.ir)).toEqual([]);
    expect(r.ir.stages.map((s) => s.name)).toEqual(["Build-App", "build-app-2"]);
    expect(r.ir.stages[1]!.needs).toEqual(["Build-App"]);
    expect(r.ir.stages[0]!.jobs.map((j) => j.name)).toEqual(["nrftc-Agent.OS", "Build_App"]);
    expect(r.ir.stages[0]!.jobs[1]!.needs).toEqual(["nrftc-Agent.OS"]);
    expect(r.ir.stages[0]!.jobs[1]!.id).toBe("Build-App.Build_App");
    expect(r.ir.stages[0]!.jobs[0]!.produces[0]!.name).toBe("OpenAPI-Spec");
    expect(r.ir.stages[1]!.jobs[0]!.consumes).toEqual(["OpenAPI-Spec"]);
    expect(Object.keys(r.ir.variables)).toEqual(["my_var", "TOKEN"]);
    // Variables and secrets share one namespace once upper-cased: the secret moves, and its reference follows.
    expect(Object.keys(r.ir.secrets)).toEqual(["token_2"]);
    expect(r.ir.stages[1]!.jobs[0]!.env.S).toBe("${{ secrets.token_2 }}");
    // "${{ vars.my-var }}" never parsed as a reference: it is kept as literal text.
    expect(r.ir.stages[1]!.jobs[0]!.env.T).toBe("$${{ vars.my-var }}");
  });

  it("drops an artifact consumed before it is produced, or never produced", () => {
    const ir = pipeline([
      { name: "a", jobs: [job("use", { consumes: ["late", "nowhere"] })] },
      { name: "b", jobs: [job("make", { produces: [{ name: "late", paths: ["out/**"] }] })] },
    ]);
    const r = repair(ir);
    expect(errorsOf(r.ir)).toEqual([]);
    expect(r.ir.stages[0]!.jobs[0]!.consumes).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.path])).toEqual([
      ["PG-IMPORT-CONSUME-DROPPED", "/stages/0/jobs/0/artifacts/consume/0"],
      ["PG-IMPORT-CONSUME-DROPPED", "/stages/0/jobs/0/artifacts/consume/1"],
    ]);
  });

  it("drops a first stage's gates, bad cron, and declares references the source never declared", () => {
    const ir = pipeline(
      [{ name: "a", jobs: [job("x", { steps: [step({ run: "deploy ${{ vars.REGION }} ${{ secrets.TOKEN }} ${{ matrix.os }} ${{ broken" })] })] }],
      {
        triggers: { schedules: [{ cron: "@daily", branches: [], always: true }], manual: true },
      },
    );
    ir.stages[0]!.approval = { approvers: [], notify: [] };
    ir.stages[0]!.transition = { enabled: false, reason: "freeze" };
    const r = repair(ir);
    expect(errorsOf(r.ir)).toEqual([]);
    expect(r.ir.stages[0]!.approval).toBeUndefined();
    expect(r.ir.triggers.schedules).toEqual([]);
    expect(Object.keys(r.ir.variables).sort()).toEqual(["REGION", "os"]);
    expect(Object.keys(r.ir.secrets)).toEqual(["TOKEN"]);
    expect(r.ir.stages[0]!.jobs[0]!.steps[0]!.run).toBe("deploy ${{ vars.REGION }} ${{ secrets.TOKEN }} ${{ vars.os }} $${{ broken");
    expect(new Set(r.diagnostics.map((d) => d.code))).toEqual(
      new Set(["PG-IMPORT-GATE-DROPPED", "PG-IMPORT-SCHEDULE-DROPPED", "PG-IMPORT-REFERENCE-DECLARED", "PG-IMPORT-VALUE-FIXED"]),
    );
  });

  it("does not modify its input", () => {
    const ir = pipeline([{ name: "x y", jobs: [job("j", { steps: [] })] }]);
    const before = structuredClone(ir);
    repair(ir);
    expect(ir).toEqual(before);
  });
});
