/**
 * Moves a simulated run along the emulator's clock, deterministically: the run leaves the queue one
 * step after it was queued; stages run in order once the stages they depend on succeeded (else
 * they are skipped), a `trigger: manual` stage waits; a stage whose environments have checks waits
 * for their approvals (a rejection fails it); jobs run one after another, each taking one step
 * (`stepMs`), and fail when their id, display name or one of their step names is in `failSteps`;
 * a ManualValidation job waits until its timeout (then fails: onTimeout reject).
 */
import type { Progress, Run, RunApproval, RunJob, RunOptions, RunStage } from "./run-model.js";

export interface RunWorld {
  opts: RunOptions;
  approvals: Map<string, RunApproval>;
  /** Create the approvals of the stage's environment checks (none when it has no checks). */
  gate(run: Run, stage: RunStage, t: number): RunApproval[];
}

const done = (p: Progress): boolean => p.state === "completed";

function finish(p: Progress, result: Progress["result"], at: number): void {
  p.state = "completed";
  p.result = result;
  if (p.start === undefined && result !== "skipped") p.start = at;
  if (result !== "skipped") p.finish = at;
}

function skipStage(stage: RunStage): void {
  finish(stage, "skipped", 0);
  for (const j of stage.jobs) if (!done(j)) finish(j, "skipped", 0);
}

/** The step that makes a job fail, if any. */
function failing(job: RunJob, opts: RunOptions): string | undefined {
  const f = new Set(opts.failSteps);
  if (f.has(job.ref) || f.has(job.name)) return job.steps[job.steps.length - 1] ?? job.name;
  return job.steps.find((s) => f.has(s));
}

/** Advance one job; true when it finished. */
function advanceJob(run: Run, stage: RunStage, job: RunJob, now: number, w: RunWorld): boolean {
  const byRef = new Map(stage.jobs.map((j) => [j.ref.toLowerCase(), j]));
  if (job.state === "pending") {
    const deps = job.dependsOn.map((d) => byRef.get(d.toLowerCase())).filter((d): d is RunJob => d !== undefined);
    if (deps.some((d) => d.result !== "succeeded")) {
      finish(job, "skipped", run.t);
      return true;
    }
    job.state = "inProgress";
    job.start = run.t;
  }
  if (job.manualValidation) {
    const deadline = job.start! + job.manualValidation.timeoutMinutes * 60_000;
    if (now < deadline) return false;
    run.t = deadline;
    finish(job, "failed", deadline);
    return true;
  }
  const end = job.start! + w.opts.stepMs;
  if (now < end) return false;
  const failed = failing(job, w.opts);
  if (failed !== undefined) job.failedStep = failed;
  run.t = end;
  finish(job, failed !== undefined ? "failed" : "succeeded", end);
  return true;
}

/** The stage's gate: false while an approval is pending; one pending past its check's timeout times out; fails the stage on a rejection or time-out. */
function passGate(run: Run, stage: RunStage, now: number, w: RunWorld): boolean {
  const approvals = stage.approvals.map((id) => w.approvals.get(id)).filter((a): a is RunApproval => a !== undefined);
  for (const a of approvals) {
    const deadline = a.createdOn + a.timeoutMinutes * 60_000;
    if (a.status === "pending" && now >= deadline) Object.assign(a, { status: "timedOut", lastModifiedOn: deadline, decidedOn: deadline });
  }
  if (approvals.some((a) => a.status === "pending")) return false;
  const last = Math.max(run.t, ...approvals.map((a) => a.decidedOn ?? 0));
  if (approvals.some((a) => a.status !== "approved")) {
    run.t = last;
    finish(stage, "failed", last);
    for (const j of stage.jobs) finish(j, "skipped", 0);
    return false;
  }
  if (stage.checkpointId && approvals.length) run.t = last;
  return true;
}

function startStage(run: Run, stage: RunStage, w: RunWorld): void {
  stage.state = "inProgress";
  stage.start = run.t;
  stage.approvals = w.gate(run, stage, run.t).map((a) => a.id);
}

/** Advance one stage; true when it finished (so the next one may start). */
function advanceStage(run: Run, stage: RunStage, now: number, w: RunWorld): boolean {
  if (stage.state === "pending") {
    const byRef = new Map(run.stages.map((s) => [s.ref.toLowerCase(), s]));
    const deps = stage.dependsOn.map((d) => byRef.get(d.toLowerCase())).filter((d): d is RunStage => d !== undefined);
    if (deps.some((d) => done(d) && d.result !== "succeeded")) {
      skipStage(stage);
      return true;
    }
    if (stage.manual) return false;
    startStage(run, stage, w);
  }
  if (!passGate(run, stage, now, w)) return done(stage);
  for (const job of stage.jobs) {
    if (done(job)) continue;
    if (!advanceJob(run, stage, job, now, w)) return false;
  }
  finish(stage, stage.jobs.some((j) => j.result === "failed") ? "failed" : "succeeded", run.t);
  return true;
}

/** Simulate the run up to `now` (ms of the emulator clock). */
export function advanceRun(run: Run, now: number, w: RunWorld): void {
  if (run.status === "completed") return;
  if (run.status === "notStarted") {
    const start = run.queueTime + w.opts.stepMs;
    if (now < start) return;
    run.status = "inProgress";
    run.startTime = start;
    run.t = start;
  }
  for (const stage of run.stages) {
    if (done(stage)) continue;
    if (!advanceStage(run, stage, now, w)) return;
  }
  run.status = "completed";
  run.result = run.stages.some((s) => s.result === "failed") ? "failed" : "succeeded";
  run.finishTime = run.t;
}

/** Cancel a run now: what runs is canceled, what waits is skipped, pending approvals are canceled. */
export function cancelRun(run: Run, now: number, w: RunWorld): void {
  if (run.status === "completed") return;
  for (const stage of run.stages) {
    for (const id of stage.approvals) {
      const a = w.approvals.get(id);
      if (a?.status === "pending") Object.assign(a, { status: "canceled", lastModifiedOn: now, decidedOn: now });
    }
    if (done(stage)) continue;
    const started = stage.state === "inProgress";
    for (const j of stage.jobs) if (!done(j)) finish(j, j.state === "inProgress" ? "canceled" : "skipped", now);
    if (started) finish(stage, "canceled", now);
    else skipStage(stage);
  }
  run.status = "completed";
  run.result = "canceled";
  run.startTime ??= now;
  run.finishTime = now;
}
