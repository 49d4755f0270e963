/**
 * One Azure job (or one matrix entry of it) on the agent: its folders, its variables, the implicit
 * steps, then each step with its condition, retries, timeouts and continueOnError.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { JobIR } from "@pipeglot/schema";
import { observe } from "../model.js";
import { fileSet } from "../sandbox.js";
import type { FileSet, StepTrace } from "../trace.js";
import type { JobContext, StepRun } from "./context.js";
import { condition } from "./expressions.js";
import type { AzJob, Step } from "./load.js";
import { generated, mapSteps } from "./mapping.js";
import { runStepOnce } from "./steps.js";
import { downloadArtifacts } from "./tasks.js";

/** Azure's own job results (SucceededWithIssues: a continueOnError step failed). */
export type JobResult = "succeeded" | "issues" | "failed" | "skipped";

export interface JobOutcome {
  result: JobResult;
  files: FileSet;
  steps: StepTrace[];
}

/**
 * timeoutInMinutes: a job's default is 60 minutes; 0 means the maximum (360 on Microsoft-hosted agents).
 * https://learn.microsoft.com/azure/devops/pipelines/process/phases#timeouts
 */
function jobTimeoutSeconds(job: AzJob): number {
  if (job.timeoutInMinutes === undefined) return 60 * 60;
  return (job.timeoutInMinutes === 0 ? 360 : job.timeoutInMinutes) * 60;
}

/** The agent's folders under a fresh Pipeline.Workspace. https://learn.microsoft.com/azure/devops/pipelines/build/variables */
export function agentFolders(workspace: string): JobContext["dirs"] {
  const dirs = { workspace, sources: join(workspace, "s"), staging: join(workspace, "a"), temp: join(workspace, "_temp") };
  for (const d of [dirs.sources, dirs.staging, join(workspace, "b"), join(workspace, "TestResults"), dirs.temp]) mkdirSync(d, { recursive: true });
  return dirs;
}

/**
 * Implicit steps: a regular job checks out `self` first unless it has a checkout step; a
 * deployment job checks out nothing and downloads every artifact of the run unless it has a
 * download step. https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/steps-checkout
 * https://learn.microsoft.com/azure/devops/pipelines/process/deployment-jobs#descriptions-of-lifecycle-hooks
 */
function implicitSteps(job: AzJob): Step[] {
  if (job.kind === "job" && !job.steps.some((s) => s.checkout !== undefined)) return [{ checkout: "self" }, ...job.steps];
  return job.steps;
}

interface StepState {
  failed: boolean;
  issues: boolean;
  deadline: number;
}

/**
 * A step's attempts: retryCountOnTaskFailure re-runs a failed task up to N more times (the
 * waits between attempts are not reproduced); timeoutInMinutes bounds each attempt, and the
 * job's timeout bounds them all.
 * https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/steps-task#properties
 */
async function attempts(
  ctx: JobContext,
  step: Step,
  state: StepState,
  seen: Omit<StepRun, "timeoutSeconds">,
): Promise<{ exit: number; attempts: number; jobTimedOut: boolean }> {
  const retries = typeof step.retryCountOnTaskFailure === "number" ? step.retryCountOnTaskFailure : 0;
  const stepLimit = typeof step.timeoutInMinutes === "number" && step.timeoutInMinutes > 0 ? step.timeoutInMinutes * 60 : undefined;
  let exit = 0;
  let n = 0;
  while (n <= retries) {
    n++;
    const left = Math.max(1, Math.ceil((state.deadline - Date.now()) / 1000));
    const limit = stepLimit === undefined ? left : Math.min(stepLimit, left);
    const r = await runStepOnce(ctx, step, { ...seen, timeoutSeconds: limit });
    exit = r.exit;
    if (r.timedOut && Date.now() >= state.deadline - 1000) return { exit, attempts: n, jobTimedOut: true };
    if (exit === 0) break;
  }
  return { exit, attempts: n, jobTimedOut: false };
}

/**
 * Steps run in order; a step's condition defaults to succeeded() (no earlier step failed);
 * failed() is true once a step failed; continueOnError turns a failure into
 * SucceededWithIssues and the job goes on.
 * https://learn.microsoft.com/azure/devops/pipelines/process/conditions
 * https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/steps-bash#properties (continueOnError)
 */
export async function runSteps(ctx: JobContext, job: AzJob, neutral: JobIR | undefined): Promise<JobOutcome> {
  if (job.kind === "deployment" && !job.steps.some((s) => s.download !== undefined)) downloadArtifacts(ctx, undefined, undefined);
  const steps = implicitSteps(job);
  const mapped = mapSteps(steps, neutral?.steps ?? []);
  const traces = new Map<string, StepTrace>();
  const state: StepState = { failed: false, issues: false, deadline: Date.now() + jobTimeoutSeconds(job) * 1000 };
  let files: FileSet | undefined;
  let stopped = false;
  for (const [i, step] of steps.entries()) {
    const ns = mapped[i];
    if (files === undefined && !generated(step)) files = fileSet(ctx.dirs.sources);
    const ok =
      !stopped &&
      condition(typeof step.condition === "string" ? step.condition : undefined, {
        variable: (n) => ctx.scope.get(n),
        dependency: () => undefined,
        status: { succeeded: !state.failed, failed: state.failed },
      });
    if (!ok) {
      if (ns) traces.set(ns.id, { id: ns.id, status: "skipped", exit: 0, attempts: 0, commands: [] });
      continue;
    }
    const log = ns ? ctx.sandbox.newLog() : undefined;
    const r = await attempts(ctx, step, state, { log, ...(ns ? observe(neutral, ns) : { watch: [] }) });
    if (r.exit !== 0) {
      if (step.continueOnError === true && !r.jobTimedOut) state.issues = true;
      else state.failed = true;
    }
    if (r.jobTimedOut) stopped = true;
    if (ns)
      traces.set(ns.id, {
        id: ns.id,
        status: r.exit === 0 ? "succeeded" : "failed",
        exit: r.exit,
        attempts: r.attempts,
        commands: ctx.sandbox.records(log, ctx.dirs.sources),
      });
  }
  for (const ns of neutral?.steps ?? []) if (!traces.has(ns.id)) ctx.notes.push(`step ${neutral!.id}.${ns.id} has no compiled step`);
  const result: JobResult = state.failed ? "failed" : state.issues ? "issues" : "succeeded";
  return { result, files: files ?? fileSet(ctx.dirs.sources), steps: (neutral?.steps ?? []).flatMap((s) => traces.get(s.id) ?? []) };
}
