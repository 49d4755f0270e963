/**
 * One job (one matrix cell) of the reference (semantics items 4, 6 and 7): a fresh workspace with
 * the repository snapshot, the consumed artifacts restored at the paths they were produced at, the
 * files taken, the steps run, and, when it succeeded, its artifacts saved. Job `retries` re-run
 * the whole job in a new workspace; the trace is the last attempt's.
 */
import type { JobIR, StageIR } from "@pipeglot/schema";
import { fileSet } from "../sandbox.js";
import { jobKey, type FileSet, type JobTrace } from "../trace.js";
import { secondsLeft, type JobContext, type RunContext } from "./context.js";
import { renderText, type RefValues } from "./expand.js";
import { runSteps } from "./steps.js";

export const CONTAINER_NOTE = "container images are not used: steps run on this machine with bash";

/** A job that did not run. */
export function skippedJob(key: string): JobTrace {
  return { key, status: "skipped", files: {}, steps: [], artifacts: {} };
}

/**
 * Saves each artifact the job produces from its workspace: name → the files saved. The store is
 * keyed by name, so the cells of a matrix job that produces one replace each other's, in order.
 */
function saveArtifacts(ctx: JobContext): Record<string, FileSet> {
  const out: Record<string, FileSet> = {};
  for (const a of ctx.job.produces) {
    const paths = a.paths.map((p) => renderText(p, ctx.values));
    if (Object.keys(ctx.values.cell).length > 0) {
      ctx.notes.push(
        `${ctx.stage}.${ctx.job.name}: every matrix cell saves artifact ${a.name}: each replaces the one saved before it (the last cell's is consumed)`,
      );
    }
    out[a.name] = ctx.sandbox.saveArtifact(a.name, ctx.workspace, paths);
  }
  return out;
}

/** The workspace of a new attempt, with the consumed artifacts restored in it. */
function prepareWorkspace(run: RunContext, job: JobIR, key: string): string {
  const workspace = run.sandbox.workspace(key, true);
  for (const name of job.consumes) {
    if (!run.sandbox.restoreArtifact(name, workspace)) run.notes.push(`${key}: artifact ${name} was not produced before it: nothing restored`);
  }
  return workspace;
}

async function attemptJob(run: RunContext, stage: StageIR, job: JobIR, key: string, values: RefValues): Promise<JobTrace> {
  const workspace = prepareWorkspace(run, job, key);
  const files = fileSet(workspace);
  const deadline = job.timeoutSeconds === undefined ? undefined : Date.now() + job.timeoutSeconds * 1000;
  const ctx: JobContext = { ...run, stage: stage.name, job, key, values, workspace, deadline };
  if (job.steps.length === 0 && job.native) {
    run.notes.push(`${key}: a native job is not run by the reference: assumed to succeed (it produces nothing here)`);
    return { key, status: "succeeded", files, steps: [], artifacts: {} };
  }
  const { steps, failed } = await runSteps(ctx);
  if (failed || secondsLeft(ctx) === 0) return { key, status: "failed", files, steps, artifacts: {} };
  const artifacts = saveArtifacts(ctx);
  // An artifact that holds no file fails the job, as the clouds' uploads do (CodeBuild "no matching
  // artifact paths found", tar refusing an empty archive): what a later job needs was not made.
  const empty = Object.keys(artifacts).filter((n) => Object.keys(artifacts[n]!).length === 0);
  if (empty.length) {
    run.notes.push(`${key}: artifact ${empty.join(", ")} matches no file: the job fails`);
    return { key, status: "failed", files, steps, artifacts: {} };
  }
  return { key, status: "succeeded", files, steps, artifacts };
}

/** Runs one cell of a job (the cell is {} without a matrix), with the job's retries. */
export async function runJob(run: RunContext, stage: StageIR, job: JobIR, cell: Record<string, string>): Promise<JobTrace> {
  const key = jobKey(stage.name, job.name, cell);
  const values: RefValues = { inputs: run.opts.inputs, cell };
  if (job.image) run.notes.push(CONTAINER_NOTE);
  let trace = await attemptJob(run, stage, job, key, values);
  for (let retry = 0; retry < job.retries && trace.status === "failed"; retry++) trace = await attemptJob(run, stage, job, key, values);
  return trace;
}
