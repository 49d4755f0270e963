/**
 * import(compile(x)) equals x for every example, apart from the losses listed in LOSSES (each one
 * is a documented diagnostic of the compiler). normalizeForCompare applies exactly those losses to
 * both sides. The imported IR must also denormalize into a valid neutral document.
 */
import { describe, expect, it } from "vitest";
import { expandMatrix, toYaml } from "@pipeglot/core";
import { denormalize, validate, validateFile, type JobIR, type PipelineIR } from "@pipeglot/schema";
import { compile, importFiles, provider } from "@pipeglot/gcp";
import { examples } from "../helpers/paths.js";

/** The documented losses of a round trip through Cloud Build (with the code that reports each). */
export const LOSSES = {
  defaults: "defaults are already applied to every job (not a loss)",
  matrix: "PG-GCB-MATRIX: a matrix job comes back as one job per combination",
  runner: "PG-GCB-RUNNER: runner size is per build",
  jobTimeout: "PG-GCB-JOB-TIMEOUT: job timeouts fold into the build timeout",
  descriptions: "PG-GCB-DESCRIPTION: stage and job descriptions",
  environment: "PG-GCB-ENVIRONMENT: deployment environments",
  approvalDetails: "PG-GCB-APPROVERS / -APPROVAL-TIMEOUT / -APPROVAL-NOTIFY: only the approval itself and its instructions survive",
  variables: "PG-GCB-VARIABLE-OVERRIDABLE: every substitution is overridable and has no description",
  secretRefs: "secrets keep only their gcp reference",
  concurrency: "PG-GCB-CONCURRENCY: builds run in parallel",
  schedules: "PG-GCB-SCHEDULE: schedules are not written",
  prEvents: "PG-GCB-PR-EVENTS: pull-request event filters",
  excludes: "PG-GCB-BRANCH-EXCLUDE-DROPPED / PG-GCB-TAG-EXCLUDE-DROPPED: excludes mixed with includes",
  targets: "targets of other providers (and gcp project) are not in Cloud Build files",
  provider: "source.provider: GitHub triggers come back as github",
  artifacts: "artifacts: /workspace is shared inside a build; names and paths are not kept",
  jobEnv: "job env is written on each step; import lifts env shared by every step of a job to the job",
} as const;

export function normalizeForCompare(ir: PipelineIR): PipelineIR {
  const x = structuredClone(ir);
  x.defaults = {};
  x.concurrency = "parallel";
  x.targets = {};
  x.source.provider ??= "github";
  for (const v of Object.values(x.variables)) {
    v.overridable = true;
    delete v.description;
  }
  for (const [k, s] of Object.entries(x.secrets)) x.secrets[k] = s.gcp !== undefined ? { gcp: s.gcp } : {};
  const t = x.triggers;
  t.schedules = [];
  if (t.push) {
    if (t.push.branches.include.length) t.push.branches.exclude = [];
    if (t.push.tags.include.length) t.push.tags.exclude = [];
  }
  if (t.pullRequest) {
    t.pullRequest.events = ["opened", "updated", "reopened"];
    if (t.pullRequest.branches.include.length) t.pullRequest.branches.exclude = [];
  }
  for (const s of x.stages) {
    delete s.description;
    if (s.approval) s.approval = { approvers: [], notify: [], ...(s.approval.instructions !== undefined ? { instructions: s.approval.instructions } : {}) };
    const jobs: JobIR[] = [];
    for (const j of s.jobs) {
      const cells = expandMatrix(j);
      if (!cells.length) jobs.push(j);
      else
        for (const c of cells) {
          const sub = (text: string) => text.replace(/\$\{\{\s*matrix\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, k: string) => c.values[k] ?? "");
          const e: JobIR = structuredClone(j);
          delete e.matrix;
          e.name = `${j.name}-${c.suffix}`;
          e.id = `${s.name}.${e.name}`;
          e.image = sub(e.image);
          for (const st of e.steps) if (st.run) st.run = sub(st.run);
          jobs.push(e);
        }
    }
    const expanded = new Map(s.jobs.map((j) => [j.name, expandMatrix(j).map((c) => `${j.name}-${c.suffix}`)]));
    for (const j of jobs) j.needs = j.needs.flatMap((n) => (expanded.get(n)?.length ? expanded.get(n)! : [n]));
    s.jobs = jobs;
    for (const j of s.jobs) {
      j.runner = "small";
      delete j.timeoutSeconds;
      delete j.description;
      delete j.environment;
      j.produces = [];
      j.consumes = [];
      // Job env onto the steps, then lift what every step shares.
      for (const st of j.steps) st.env = { ...j.env, ...st.env };
      j.env = {};
      if (j.steps.length && j.steps.every((st) => st.run !== undefined))
        for (const [k, v] of Object.entries(j.steps[0]!.env))
          if (j.steps.every((st) => st.env[k] === v)) {
            j.env[k] = v;
            for (const st of j.steps) delete st.env[k];
          }
      for (const st of j.steps) if (st.name === st.id) delete st.name;
    }
  }
  return x;
}

describe("gcp round trip: import(compile(x)) equals x apart from the listed losses", () => {
  for (const ex of examples()) {
    it(ex.name, async () => {
      const r = await validateFile(ex.file);
      const ir = r.ir!;
      const out = compile(ir);
      const files = out.files.map((f) => ({ path: f.path, content: f.content }));
      for (const f of files) expect(provider.detect(f), f.path).toBeGreaterThanOrEqual(0.8);
      const back = importFiles(files);
      expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(back.pipeline).toBeDefined();
      expect(normalizeForCompare(back.pipeline!)).toEqual(normalizeForCompare(ir));
      // The imported IR is a valid neutral document.
      const doc = validate(toYaml(denormalize(back.pipeline!)), { file: "imported.yaml" });
      expect(doc.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      // compile → import → compile is stable.
      const again = compile(back.pipeline!);
      const again2 = compile(importFiles(again.files.map((f) => ({ path: f.path, content: f.content }))).pipeline!);
      expect(again2.files).toEqual(again.files);
    });
  }
  it("the build config files alone (no triggers) still give the stages, jobs and steps", async () => {
    const r = await validateFile(examples().find((e) => e.name === "monorepo")!.file);
    const out = compile(r.ir!);
    const back = importFiles(out.files.filter((f) => f.path === "cloudbuild.yaml"));
    expect(back.pipeline!.stages.map((s) => [s.name, s.needs, s.jobs.map((j) => [j.name, j.needs, j.steps.map((st) => st.run)])])).toEqual(
      r.ir!.stages.map((s) => [s.name, s.needs, s.jobs.map((j) => [j.name, j.needs, j.steps.map((st) => st.run)])]),
    );
  });
});
