/**
 * A build run and the deployment its TRIGGER_DEPLOYMENT_PIPELINE stage started, as the neutral run:
 * the definition's stages (layout.ts) with each job's state from the build run's
 * buildPipelineStageRunProgress or the deployment's deployStageExecutionProgress (by stage display
 * name), the approval gate from the MANUAL_APPROVAL stage's progress and approvalActions, a hold
 * from a pending disabled-transition gate.
 */
import { runState, skipUnstarted, stageState, type ApprovalRun, type JobRun, type Obj, type PipelineRun, type StageRun, type UnitState } from "@pipeglot/core";
import { TAG } from "../conventions.js";
import { isObj, iso, str } from "./calls.js";
import type { Layout, Unit } from "./layout.js";

const STATUS: Record<string, UnitState> = {
  ACCEPTED: "queued",
  IN_PROGRESS: "running",
  SUCCEEDED: "succeeded",
  FAILED: "failed",
  CANCELING: "cancelled",
  CANCELED: "cancelled",
  ROLLBACK_IN_PROGRESS: "failed",
  ROLLBACK_SUCCEEDED: "failed",
  ROLLBACK_FAILED: "failed",
};
const DONE = new Set(["SUCCEEDED", "FAILED", "CANCELED"]);

/** Stage progress entries by stage display name. */
function progressByName(progress: unknown, nameField: string): Map<string, Obj> {
  const out = new Map<string, Obj>();
  if (isObj(progress)) for (const p of Object.values(progress)) if (isObj(p) && typeof p[nameField] === "string") out.set(p[nameField], p as Obj);
  return out;
}

export interface NativeRun {
  buildRun: Obj;
  deployment?: Obj;
}

function progressOf(n: NativeRun): Record<Unit["pipeline"], Map<string, Obj>> {
  const b = isObj(n.buildRun.buildRunProgress) ? n.buildRun.buildRunProgress.buildPipelineStageRunProgress : undefined;
  const d = n.deployment && isObj(n.deployment.deploymentExecutionProgress) ? n.deployment.deploymentExecutionProgress.deployStageExecutionProgress : undefined;
  return { build: progressByName(b, "stageDisplayName"), deploy: progressByName(d, "deployStageDisplayName") };
}

/** The trigger stage's deployment, once it started one. */
export function deploymentIdOf(buildRun: Obj): string | undefined {
  const b = isObj(buildRun.buildRunProgress) ? buildRun.buildRunProgress.buildPipelineStageRunProgress : undefined;
  if (!isObj(b)) return undefined;
  for (const p of Object.values(b))
    if (isObj(p) && p.buildPipelineStageType === "TRIGGER_DEPLOYMENT_PIPELINE" && str(p.deploymentId)) return str(p.deploymentId);
  return undefined;
}

function job(u: Unit, p: Obj | undefined, details: string | undefined): JobRun {
  const state = STATUS[String(p?.status)] ?? "queued";
  const startedAt = iso(p?.timeStarted);
  const finishedAt = iso(p?.timeFinished);
  return {
    name: u.job ?? u.native,
    state,
    native: u.native,
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    ...(state === "failed" && details ? { message: details } : {}),
  };
}

function approvalOf(u: Unit, p: Obj | undefined): ApprovalRun | undefined {
  const status = String(p?.status);
  // Not reached, or cancelled before anyone decided: no decision to show.
  if (!p || status === "CANCELED" || status === "CANCELING") return undefined;
  const actions = Array.isArray(p.approvalActions) ? p.approvalActions.filter(isObj) : [];
  const last = actions[actions.length - 1];
  const state: ApprovalRun["state"] =
    status === "SUCCEEDED"
      ? "approved"
      : status === "FAILED" || last?.action === "REJECT"
        ? "rejected"
        : status === "IN_PROGRESS" || status === "ACCEPTED"
          ? "pending"
          : "expired";
  const approvers = u.tags[TAG.approvers]?.split(",").filter(Boolean);
  const timeout = Number(u.tags[TAG.approvalTimeout]);
  const started = iso(p.timeStarted);
  return {
    state,
    ...(approvers?.length ? { approvers } : {}),
    ...(u.description ? { instructions: u.description } : {}),
    ...(started && Number.isFinite(timeout) && timeout > 0 ? { deadline: new Date(Date.parse(started) + timeout * 1000).toISOString() } : {}),
    ...(last && str(last.subjectId) ? { decidedBy: str(last.subjectId)! } : {}),
    ...(last && str(last.reason) ? { comment: str(last.reason)! } : {}),
  };
}

function finished(n: NativeRun, expectsDeployment: boolean): boolean {
  const b = String(n.buildRun.lifecycleState);
  if (b === "FAILED" || b === "CANCELED") return true;
  if (b !== "SUCCEEDED") return false;
  if (!expectsDeployment) return true;
  return n.deployment !== undefined && DONE.has(String(n.deployment.lifecycleState));
}

function stageOf(s: Layout["stages"][number], progress: ReturnType<typeof progressOf>, details: string | undefined, done: boolean): StageRun {
  const jobs = skipUnstarted(
    s.jobs.map((u) => job(u, progress[u.pipeline].get(u.native), details)),
    done,
  );
  const approvalGate = s.gates.find((g) => g.gate === "approval");
  const transition = s.gates.find((g) => g.gate === "transition");
  const approval = approvalGate ? approvalOf(approvalGate, progress.deploy.get(approvalGate.native)) : undefined;
  const held = !done && transition !== undefined && progress.deploy.get(transition.native)?.status === "IN_PROGRESS";
  const times = [...jobs.map((j) => j.startedAt)].filter((t): t is string => !!t).sort();
  const ends = [...jobs.map((j) => j.finishedAt)].filter((t): t is string => !!t).sort();
  const state = stageState({ jobs: jobs.map((j) => j.state), ...(approval ? { approval } : {}), held });
  return {
    name: s.name,
    state,
    ...(times[0] ? { startedAt: times[0] } : {}),
    ...(ends.length && ends.length === jobs.length ? { finishedAt: ends[ends.length - 1]! } : {}),
    ...(approval ? { approval } : {}),
    ...(held ? { hold: transition?.description ? { reason: transition.description } : {} } : {}),
    jobs,
  };
}

function argument(buildRun: Obj, name: string): string | undefined {
  const items = isObj(buildRun.buildRunArguments) && Array.isArray(buildRun.buildRunArguments.items) ? buildRun.buildRunArguments.items : [];
  const hit = items.find((i) => isObj(i) && i.name === name);
  const v = isObj(hit) ? str(hit.value) : undefined;
  return v === "unset" ? undefined : v;
}

export function toRun(pipeline: string, layout: Layout, n: NativeRun, expectsDeployment: boolean): PipelineRun {
  const done = finished(n, expectsDeployment);
  const progress = progressOf(n);
  const details = str(n.deployment?.lifecycleDetails) ?? str(n.buildRun.lifecycleDetails);
  const stages = layout.stages.map((s) => stageOf(s, progress, details, done));
  const cancelled = n.buildRun.lifecycleState === "CANCELED" || n.deployment?.lifecycleState === "CANCELED";
  const state = cancelled ? "cancelled" : n.buildRun.lifecycleState === "ACCEPTED" ? "queued" : runState(stages);
  const source = isObj(n.buildRun.buildRunSource) ? str(n.buildRun.buildRunSource.sourceType) : undefined;
  const commit = isObj(n.buildRun.commitInfo) ? n.buildRun.commitInfo : undefined;
  const branch = str(commit?.repositoryBranch) ?? argument(n.buildRun, "PIPEGLOT_BRANCH");
  const hash = str(commit?.commitHash) ?? argument(n.buildRun, "PIPEGLOT_COMMIT");
  const startedAt = iso(n.buildRun.timeCreated);
  const finishedAt = done
    ? iso(isObj(n.deployment?.deploymentExecutionProgress) ? n.deployment.deploymentExecutionProgress.timeFinished : undefined)
    : undefined;
  const buildEnd = done && isObj(n.buildRun.buildRunProgress) ? iso(n.buildRun.buildRunProgress.timeFinished) : undefined;
  return {
    provider: "oci",
    pipeline,
    id: String(n.buildRun.id),
    nativeIds: [String(n.buildRun.id), ...(n.deployment ? [String(n.deployment.id)] : [])],
    ...(source ? { trigger: source === "MANUAL" ? "manual" : source.toLowerCase() } : {}),
    ...(branch ? { branch } : {}),
    ...(hash ? { commit: hash } : {}),
    state,
    ...(startedAt ? { startedAt } : {}),
    ...((finishedAt ?? buildEnd) ? { finishedAt: (finishedAt ?? buildEnd)! } : {}),
    stages,
  };
}
