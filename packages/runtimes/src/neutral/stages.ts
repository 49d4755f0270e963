/**
 * Stages and the jobs of a stage (semantics items 1, 2, 3 and 8): whether a stage runs (its
 * needed stages, its condition, a disabled transition, an approval), then its jobs in `needs`
 * order, each matrix job as one job per cell, each job's condition judged against its needed jobs.
 */
import type { JobIR, StageIR } from "@pipeglot/schema";
import type { JobTrace, StageStatus } from "../trace.js";
import { jobKey } from "../trace.js";
import { conditionHolds, type Upstream } from "./conditions.js";
import type { RunContext } from "./context.js";
import { runJob, skippedJob } from "./job.js";
import { cellsOf, dagOrder } from "./schedule.js";

/** What happens to a stage before its jobs: it runs, or it is skipped, held or rejected. */
export type Gate = "run" | "skipped" | "held" | "rejected";

/** The upstream of a stage or job from its needed units' statuses. */
function upstreamOf(statuses: readonly string[]): Upstream {
  return { succeeded: statuses.every((s) => s === "succeeded"), failed: statuses.some((s) => s === "failed" || s === "rejected") };
}

/**
 * The gate of a stage. A stage that needs a held stage, or one skipped behind a hold (`blocked`),
 * is skipped whatever its condition: the run never gets past a disabled transition. A rejected
 * approval counts as a failed stage for the conditions of the stages after it.
 */
export function stageGate(run: RunContext, stage: StageIR, statuses: ReadonlyMap<string, StageStatus>, blocked: ReadonlySet<string>): Gate {
  if (stage.needs.some((n) => blocked.has(n))) return "skipped";
  const upstream = upstreamOf(stage.needs.map((n) => statuses.get(n) ?? "skipped"));
  if (!conditionHolds(stage.condition, upstream, run.opts.inputs)) return "skipped";
  if (!stage.transition.enabled) return "held";
  if (stage.approval && run.opts.reject.includes(stage.name)) return "rejected";
  return "run";
}

/** Every job key of a stage, each as a skipped job. */
export function skippedStageJobs(stage: StageIR): JobTrace[] {
  return stage.jobs.flatMap((j) => cellsOf(j).map((c) => skippedJob(jobKey(stage.name, j.name, c))));
}

async function runCells(run: RunContext, stage: StageIR, job: JobIR): Promise<JobTrace[]> {
  const out: JobTrace[] = [];
  for (const cell of cellsOf(job)) {
    const key = jobKey(stage.name, job.name, cell);
    run.opts.onProgress?.({ kind: "job-start", name: key });
    const t = await runJob(run, stage, job, cell);
    run.opts.onProgress?.({ kind: "job-end", name: key, status: t.status });
    out.push(t);
  }
  return out;
}

/** The jobs of a stage that runs, in `needs` order (cells of a matrix job in order). */
export async function runStageJobs(run: RunContext, stage: StageIR): Promise<JobTrace[]> {
  const byJob = new Map<string, JobTrace[]>();
  for (const job of dagOrder(stage.jobs)) {
    const upstream = upstreamOf(job.needs.flatMap((n) => (byJob.get(n) ?? []).map((t) => t.status)));
    if (conditionHolds(job.condition, upstream, run.opts.inputs)) byJob.set(job.name, await runCells(run, stage, job));
    else
      byJob.set(
        job.name,
        cellsOf(job).map((c) => skippedJob(jobKey(stage.name, job.name, c))),
      );
  }
  return [...byJob.values()].flat();
}
