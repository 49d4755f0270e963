/**
 * Rolling states up: jobs (with the stage's approval gate and hold) to a stage's state, stages to
 * the run's. Providers that read job states from their cloud use these, so that every cloud
 * decides "held" or "waiting-for-approval" the same way.
 */
import type { ApprovalRun, RunState, StageRun, UnitState } from "./run-model.js";

const all = (states: readonly UnitState[], ...ok: UnitState[]) => states.every((s) => ok.includes(s));
const any = (states: readonly UnitState[], s: UnitState) => states.includes(s);

/** What a stage's jobs, gate and hold add up to. */
export interface StageFacts {
  jobs: readonly UnitState[];
  approval?: Pick<ApprovalRun, "state">;
  /** A disabled transition into the stage. */
  held?: boolean;
}

/**
 * The state of a stage: a pending gate waits for approval; a rejected or expired one fails the
 * stage; a hold keeps a stage none of whose jobs started; then its jobs decide (running beats
 * failed while something still runs; all skipped is skipped).
 */
export function stageState({ jobs, approval, held }: StageFacts): UnitState {
  if (approval?.state === "pending") return "waiting-for-approval";
  if (approval?.state === "rejected" || approval?.state === "expired") return "failed";
  if (any(jobs, "running")) return "running";
  if (any(jobs, "waiting-for-approval")) return "waiting-for-approval"; // a job that is itself a gate
  if (held && all(jobs, "queued")) return "held";
  if (all(jobs, "queued")) return approval?.state === "approved" ? "running" : "queued";
  if (any(jobs, "queued")) return "running"; // some done, the rest to come
  if (any(jobs, "failed")) return "failed";
  if (any(jobs, "cancelled")) return "cancelled";
  if (jobs.length > 0 && all(jobs, "skipped")) return "skipped";
  return "succeeded";
}

/**
 * The state of a run from its stages (in order): something running, then a gate waiting, then a
 * hold, then a failure or cancellation; all done is succeeded; nothing started is queued.
 */
export function runState(stages: readonly Pick<StageRun, "state">[]): RunState {
  const states = stages.map((s) => s.state);
  if (any(states, "running")) return "running";
  if (any(states, "waiting-for-approval")) return "waiting-for-approval";
  if (any(states, "held")) return "held";
  if (any(states, "failed")) return "failed";
  if (any(states, "cancelled")) return "cancelled";
  if (all(states, "succeeded", "skipped")) return "succeeded";
  if (all(states, "queued")) return "queued";
  return "running";
}

/** Units of a run that never started because the run ended first: queued → skipped. */
export function skipUnstarted<T extends { state: UnitState }>(units: readonly T[], runFinished: boolean): T[] {
  return units.map((u) => (runFinished && (u.state === "queued" || u.state === "held") ? { ...u, state: "skipped" } : u));
}
