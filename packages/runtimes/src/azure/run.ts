/**
 * The run: stages in dependsOn order (absent dependsOn: the previous stage), each stage's jobs in
 * dependsOn order, one job per matrix entry; conditions default to succeeded().
 * https://learn.microsoft.com/azure/devops/pipelines/process/stages
 * https://learn.microsoft.com/azure/devops/pipelines/process/phases#dependencies
 * https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/jobs-job-strategy (matrix)
 * https://learn.microsoft.com/azure/devops/pipelines/process/conditions
 */
import type { PipelineIR } from "@pipeglot/schema";
import { neutralJob } from "../model.js";
import type { LocalRunOptions } from "../options.js";
import type { Sandbox } from "../sandbox.js";
import { jobKey, type JobTrace, type StageStatus, type StageTrace } from "../trace.js";
import type { JobContext } from "./context.js";
import { condition, type ExprContext } from "./expressions.js";
import { agentFolders, runSteps, type JobResult } from "./job.js";
import type { AzJob, AzPipeline, AzStage } from "./load.js";
import { cells, neutralName } from "./mapping.js";
import { jobScope } from "./scope.js";

export interface RunState {
  pipeline: AzPipeline;
  ir: PipelineIR;
  opts: LocalRunOptions;
  sandbox: Sandbox;
  /** Environments that carry an Approval check (checks/*.json of the compile). */
  checkedEnvironments: Set<string>;
  published: Set<string>;
  /** Stages whose ManualValidation was rejected. */
  rejected: Set<string>;
  notes: string[];
  jobs: JobTrace[];
  stages: StageTrace[];
  stageResults: Map<string, StageStatus>;
  failed: boolean;
}

/** Items in dependsOn order, the written order among those ready together. */
export function dependencyOrder<T extends { id: string; dependsOn: string[] }>(items: readonly T[]): T[] {
  const ids = new Set(items.map((i) => i.id));
  const done = new Set<string>();
  const out: T[] = [];
  for (let progress = true; progress && out.length < items.length;) {
    progress = false;
    for (const it of items) {
      if (done.has(it.id) || !it.dependsOn.every((d) => done.has(d) || !ids.has(d))) continue;
      out.push(it);
      done.add(it.id);
      progress = true;
    }
  }
  return [...out, ...items.filter((i) => !done.has(i.id))];
}

const AZ_RESULT: Record<string, string> = {
  succeeded: "Succeeded",
  issues: "SucceededWithIssues",
  failed: "Failed",
  skipped: "Skipped",
  rejected: "Failed",
  held: "Skipped",
};

function exprContext(st: RunState, stage: AzStage, job: AzJob | undefined, results: (id: string) => string | undefined, deps: string[]): ExprContext {
  const rs = deps.map((d) => results(d) ?? "skipped");
  const names = { stage: neutralName(stage), job: job ? neutralName(job) : "" };
  const scope = jobScope(st.pipeline, stage.variables, job?.variables ?? [], {}, { workspace: "", sources: "", staging: "", temp: "" }, names, st.opts);
  return {
    variable: (n) => scope.get(n),
    dependency: (id) => AZ_RESULT[results(id) ?? ""],
    status: { succeeded: rs.every((r) => r === "succeeded" || r === "issues"), failed: rs.some((r) => r === "failed" || r === "rejected") },
  };
}

function skippedJobs(st: RunState, stage: AzStage): void {
  for (const job of stage.jobs) {
    if (job.kind === "server") continue;
    const neutral = neutralJob(st.ir, neutralName(stage), neutralName(job));
    for (const c of cells(job, neutral))
      st.jobs.push({ key: jobKey(neutralName(stage), neutral?.name ?? neutralName(job), c.cell), status: "skipped", files: {}, steps: [], artifacts: {} });
  }
}

async function runCell(st: RunState, stage: AzStage, job: AzJob, c: ReturnType<typeof cells>[number]): Promise<JobResult> {
  const stageName = neutralName(stage);
  const neutral = neutralJob(st.ir, stageName, neutralName(job));
  const key = jobKey(stageName, neutral?.name ?? neutralName(job), c.cell);
  st.opts.onProgress?.({ kind: "job-start", name: key });
  const dirs = agentFolders(st.sandbox.workspace(key, false));
  const scope = jobScope(st.pipeline, stage.variables, job.variables, c.vars, dirs, { stage: stage.id, job: job.id, environment: job.environment }, st.opts);
  const ctx: JobContext = {
    sandbox: st.sandbox,
    opts: st.opts,
    scope,
    dirs,
    published: st.published,
    saved: {},
    stageName,
    rejected: st.rejected,
    notes: st.notes,
  };
  if (job.container !== undefined) st.notes.push("container images are not used: steps run on this machine with bash");
  for (const u of job.unrun) st.notes.push(`${u} of deployment job ${job.id} is not run`);
  const out = await runSteps(ctx, job, neutral);
  if (job.kind !== "server") {
    if (!neutral) st.notes.push(`job ${stage.id}.${job.id} has no neutral job`);
    st.jobs.push({ key, status: out.result === "failed" ? "failed" : "succeeded", files: out.files, steps: out.steps, artifacts: ctx.saved });
  }
  st.opts.onProgress?.({ kind: "job-end", name: key, status: out.result });
  return out.result;
}

async function runJobs(st: RunState, stage: AzStage): Promise<boolean> {
  const results = new Map<string, JobResult>();
  let failed = false;
  for (const job of dependencyOrder(stage.jobs)) {
    const go = condition(
      job.condition,
      exprContext(st, stage, job, (id) => results.get(id), job.dependsOn),
    );
    if (!go) {
      skippedJobs(st, { ...stage, jobs: [job] });
      results.set(job.id, "skipped");
      continue;
    }
    const rs: JobResult[] = [];
    for (const c of cells(job, neutralJob(st.ir, neutralName(stage), neutralName(job)))) rs.push(await runCell(st, stage, job, c));
    const r: JobResult = rs.includes("failed") ? "failed" : rs.includes("issues") ? "issues" : "succeeded";
    results.set(job.id, r);
    if (r === "failed") failed = true;
  }
  return failed;
}

/**
 * A stage: `trigger: manual` waits for someone to start it (held here: it does not run and its
 * dependants see it as not succeeded); a false condition skips it; an Approval check on an
 * environment its jobs deploy to is evaluated before it starts (approved at once unless the stage
 * is in opts.reject: then it does not run). https://learn.microsoft.com/azure/devops/pipelines/process/stages
 * https://learn.microsoft.com/azure/devops/pipelines/process/approvals
 */
export async function runStage(st: RunState, stage: AzStage): Promise<void> {
  const name = neutralName(stage);
  let status: StageStatus | undefined;
  if (stage.manual) status = "held";
  else if (
    !condition(
      stage.condition,
      exprContext(st, stage, undefined, (id) => st.stageResults.get(id), stage.dependsOn),
    )
  )
    status = "skipped";
  else if (st.opts.reject.includes(name) && stage.jobs.some((j) => j.environment !== undefined && st.checkedEnvironments.has(j.environment))) {
    status = "rejected";
    st.failed = true;
  }
  if (status) skippedJobs(st, stage);
  else {
    const failed = await runJobs(st, stage);
    // A rejected ManualValidation fails its agentless job; the run shows the stage as rejected.
    status = st.rejected.has(name) ? "rejected" : failed ? "failed" : "succeeded";
    if (status !== "succeeded") st.failed = true;
  }
  st.stageResults.set(stage.id, status);
  st.stages.push({ name, status });
  st.opts.onProgress?.({ kind: "stage-end", name, status });
}
