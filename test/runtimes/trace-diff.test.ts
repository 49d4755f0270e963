/**
 * compareTraces on hand-written traces: what counts as a difference, and when a compile's
 * diagnostic explains it (a warning/error at the job, one of its steps, or its stage).
 */
import { describe, expect, it } from "vitest";
import { validate, type Diagnostic } from "@pipeglot/schema";
import { compareTraces, renderFinding, type JobTrace, type Trace } from "@pipeglot/runtimes";

const { ir } = validate(
  `pipeglot: 1
name: t
source: { repository: acme/t, branch: main }
stages:
  - name: build
    jobs:
      - name: make
        steps: [{ name: compile, run: make }]
  - name: ship
    jobs:
      - name: deploy
        matrix: { region: [eu, us] }
        steps: [{ name: push, run: ./push.sh }]
`,
  { file: "t.yaml" },
);
if (!ir) throw new Error("fixture invalid");

const job = (key: string, over: Partial<JobTrace> = {}): JobTrace => ({
  key,
  status: "succeeded",
  files: { "a.txt": "1111" },
  steps: [{ id: key.startsWith("build") ? "compile" : "push", status: "succeeded", exit: 0, attempts: 1, commands: [{ argv: ["make"], cwd: ".", env: {} }] }],
  artifacts: {},
  ...over,
});
const trace = (target: Trace["target"], jobs: JobTrace[], over: Partial<Trace> = {}): Trace => ({
  target,
  pipeline: "t",
  outcome: "succeeded",
  stages: [
    { name: "build", status: "succeeded" },
    { name: "ship", status: "succeeded" },
  ],
  jobs,
  notes: [],
  ...over,
});
const ref = trace("neutral", [job("build.make"), job("ship.deploy[region=eu]"), job("ship.deploy[region=us]")]);
const warn = (path: string, code = "PG-X-LOSSY", severity: Diagnostic["severity"] = "warning"): Diagnostic => ({ severity, code, message: "m", path });

describe("compareTraces", () => {
  it("equal traces have no findings", () => {
    expect(compareTraces(ref, { ...ref, target: "aws" }, ir, [])).toEqual([]);
  });

  it("a file the cloud lacks is a finding at the job; a file only the cloud has is not (a shared workspace)", () => {
    const other = trace("gcp", [
      job("build.make", { files: { "a.txt": "1111", "left-by-another-job.txt": "2" } }),
      job("ship.deploy[region=eu]", { files: {} }),
      job("ship.deploy[region=us]"),
    ]);
    const f = compareTraces(ref, other, ir, []);
    expect(f).toEqual([{ job: "ship.deploy[region=eu]", field: "files", expected: "has a.txt", actual: "lacks a.txt", pointer: "/stages/1/jobs/0" }]);
    expect(renderFinding(f[0]!)).toBe("ship.deploy[region=eu]: files: expected has a.txt; got lacks a.txt (no diagnostic names it)");
  });

  it("a warning at the job, a step of it or its stage explains a finding; an info, another job's or the root's does not", () => {
    const other = trace("aws", [
      job("build.make", { steps: [{ id: "compile", status: "succeeded", exit: 0, attempts: 1, commands: [{ argv: ["make", "all"], cwd: ".", env: {} }] }] }),
      ref.jobs[1]!,
      ref.jobs[2]!,
    ]);
    const explainedBy = (d: Diagnostic[]) => compareTraces(ref, other, ir, d)[0]!.explainedBy;
    expect(explainedBy([warn("/stages/0/jobs/0/steps/0")])).toEqual(["PG-X-LOSSY"]);
    expect(explainedBy([warn("/stages/0/jobs/0")])).toEqual(["PG-X-LOSSY"]);
    expect(explainedBy([warn("/stages/0")])).toEqual(["PG-X-LOSSY"]);
    expect(explainedBy([warn("/stages/0/jobs/0/steps/0", "PG-X-INFO", "info"), warn("/stages/1/jobs/0"), warn("")])).toBeUndefined();
  });

  it("a warning inside a job (its env, a step's condition) counts as about that job", () => {
    const other = trace("aws", [job("build.make", { status: "failed" }), ref.jobs[1]!, ref.jobs[2]!]);
    expect(compareTraces(ref, other, ir, [warn("/stages/0/jobs/0/steps/0/condition", "PG-X-COND")])[0]!.explainedBy).toEqual(["PG-X-COND"]);
    expect(compareTraces(ref, other, ir, [warn("/stages/1/jobs/0/env", "PG-X-COND")])[0]!.explainedBy).toBeUndefined();
  });

  it("the run's and a stage's different outcome are explained when every job difference under them is, and not otherwise", () => {
    const other = trace("oci", [job("build.make"), job("ship.deploy[region=eu]", { status: "failed" }), ref.jobs[2]!], {
      outcome: "failed",
      stages: [ref.stages[0]!, { name: "ship", status: "failed" }],
    });
    const named = compareTraces(ref, other, ir, [warn("/stages/1/jobs/0/steps/0", "PG-X-PUSH")]);
    expect(named.map((f) => [f.field, f.explainedBy])).toEqual([
      ["outcome", ["PG-X-PUSH"]],
      ["stage", ["PG-X-PUSH"]],
      ["status", ["PG-X-PUSH"]],
    ]);
    expect(compareTraces(ref, other, ir, []).every((f) => !f.explainedBy)).toBe(true);
  });

  it("a job that did not run on the cloud is one finding (its status), not its files and steps too", () => {
    const other = trace("oci", [job("build.make"), job("ship.deploy[region=eu]", { status: "skipped", files: {}, steps: [] }), ref.jobs[2]!], {
      outcome: "failed",
      stages: [ref.stages[0]!, { name: "ship", status: "failed" }],
    });
    expect(compareTraces(ref, other, ir, []).map((f) => `${f.job} ${f.field} ${f.expected}→${f.actual} ${f.pointer}`)).toEqual([
      " outcome succeeded→failed ",
      "ship stage succeeded→failed /stages/1",
      "ship.deploy[region=eu] status succeeded→skipped /stages/1/jobs/0",
    ]);
  });

  it("steps: status, exit and attempts compare; a step only one side ran is named; a missing or extra job is named", () => {
    const other = trace("azure", [
      job("build.make", { steps: [{ id: "compile", status: "failed", exit: 2, attempts: 2, commands: [{ argv: ["make"], cwd: ".", env: {} }] }] }),
      job("ship.deploy[region=eu]", { steps: [] }),
      job("ship.deploy[region=asia]"),
    ]);
    const f = compareTraces(ref, other, ir, []).map((x) => `${x.job}${x.step ? `/${x.step}` : ""} ${x.field}: ${x.expected} → ${x.actual}`);
    expect(f).toEqual([
      "build.make/compile step: succeeded, exit 0, 1 attempt(s) → failed, exit 2, 2 attempt(s)",
      "ship.deploy[region=eu]/push step: runs → absent",
      "ship.deploy[region=us] job: succeeded → absent",
      "ship.deploy[region=asia] job: absent → succeeded",
    ]);
  });
});
