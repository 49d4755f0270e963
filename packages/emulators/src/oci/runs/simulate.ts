/**
 * One simulated run of a build pipeline (a build run) or a deploy pipeline (a deployment): its
 * stages as they were when it started, each taking `stepMs` of the emulator clock once its
 * predecessors succeeded. A MANUAL_APPROVAL stage waits for a decision (ApproveDeployment). A
 * stage fails when its display name, its `pipeglot-job` tag or `<pipeglot-stage>.<pipeglot-job>`
 * is one of `failSteps`. The run is ACCEPTED (queued) for its first step, then IN_PROGRESS until no
 * stage runs any more: SUCCEEDED, or FAILED when a stage failed. Everything follows from the
 * times recorded here and `now`: reading twice at the same time gives the same answer.
 */

export type SimStatus = "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "CANCELED";
export type RunLifecycle = "ACCEPTED" | "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "CANCELED";

export interface SimDecision {
  action: "APPROVE" | "REJECT";
  subjectId: string;
  reason?: string;
  at: number;
}

export interface SimStage {
  id: string;
  name: string;
  type: string;
  /** Predecessor ids as the stage lists them (the pipeline's own id: first stage). */
  preds: string[];
  tags: Record<string, string>;
  /** TRIGGER_DEPLOYMENT_PIPELINE: the deploy pipeline it starts. */
  deployPipelineId?: string;
  status?: SimStatus;
  startedAt?: number;
  finishedAt?: number;
  decision?: SimDecision;
  /** The deployment a TRIGGER_DEPLOYMENT_PIPELINE stage started. */
  deploymentId?: string;
}

export interface SimRun {
  id: string;
  pipelineId: string;
  createdAt: number;
  lifecycle: RunLifecycle;
  stages: SimStage[];
  finishedAt?: number;
  details?: string;
}

export interface SimSettings {
  stepMs: number;
  failSteps: ReadonlySet<string>;
  /** A stage started at `at` (a trigger stage starts its deployment here). */
  onStart?: (run: SimRun, stage: SimStage, at: number) => void;
}

const DONE: ReadonlySet<RunLifecycle> = new Set(["SUCCEEDED", "FAILED", "CANCELED"]);
export const isDone = (r: SimRun): boolean => DONE.has(r.lifecycle);

export function fails(stage: SimStage, failSteps: ReadonlySet<string>): boolean {
  const job = stage.tags["pipeglot-job"];
  const unit = stage.tags["pipeglot-stage"];
  return failSteps.has(stage.name) || (job !== undefined && (failSteps.has(job) || (unit !== undefined && failSteps.has(`${unit}.${job}`))));
}

/** When the stage may start (its predecessors all succeeded), or undefined (not yet, or never). */
function readyAt(run: SimRun, stage: SimStage): number | undefined {
  let at = run.createdAt;
  for (const p of stage.preds) {
    const pred = run.stages.find((s) => s.id === p);
    if (!pred) continue; // the pipeline itself: a first stage
    if (pred.status !== "SUCCEEDED" || pred.finishedAt === undefined) return undefined;
    at = Math.max(at, pred.finishedAt);
  }
  return at;
}

/** Move one stage on to `now`; true when it changed. */
function step(run: SimRun, stage: SimStage, now: number, sim: SimSettings, start: number): boolean {
  if (stage.status === undefined) {
    const ready = readyAt(run, stage);
    if (ready === undefined) return false;
    const at = Math.max(ready, start);
    if (at > now) return false;
    stage.status = "IN_PROGRESS";
    stage.startedAt = at;
    sim.onStart?.(run, stage, at);
    return true;
  }
  if (stage.status !== "IN_PROGRESS" || stage.startedAt === undefined) return false;
  if (stage.type === "MANUAL_APPROVAL") {
    if (!stage.decision) return false;
    stage.finishedAt = Math.max(stage.startedAt, stage.decision.at);
    stage.status = stage.decision.action === "APPROVE" ? "SUCCEEDED" : "FAILED";
    return true;
  }
  const end = stage.startedAt + sim.stepMs;
  if (end > now) return false;
  stage.finishedAt = end;
  stage.status = fails(stage, sim.failSteps) ? "FAILED" : "SUCCEEDED";
  return true;
}

/** The run as it is at `now`. */
export function advance(run: SimRun, now: number, sim: SimSettings): void {
  if (isDone(run)) return;
  const start = run.createdAt + sim.stepMs;
  if (now < start) {
    run.lifecycle = "ACCEPTED";
    return;
  }
  run.lifecycle = "IN_PROGRESS";
  let changed = true;
  while (changed) {
    changed = false;
    for (const s of run.stages) if (step(run, s, now, sim, start)) changed = true;
  }
  if (run.stages.some((s) => s.status === "IN_PROGRESS")) return;
  const failed = run.stages.find((s) => s.status === "FAILED");
  run.lifecycle = failed ? "FAILED" : "SUCCEEDED";
  if (failed) run.details = failed.decision?.action === "REJECT" ? `stage ${failed.name} was rejected` : `stage ${failed.name} failed`;
  run.finishedAt = Math.max(start, ...run.stages.map((s) => s.finishedAt ?? 0));
}

/** Cancel: stages in progress end CANCELED, the run too. */
export function cancel(run: SimRun, now: number, reason: string): void {
  for (const s of run.stages)
    if (s.status === "IN_PROGRESS") {
      s.status = "CANCELED";
      s.finishedAt = now;
    }
  run.lifecycle = "CANCELED";
  run.finishedAt = now;
  run.details = reason;
}

export const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
