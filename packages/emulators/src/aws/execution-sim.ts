/**
 * CodePipeline executions, simulated on the emulator's clock: stage by stage, the actions of a
 * stage in runOrder groups (the actions of a group at once), each taking `stepMs`. An approval
 * action waits for PutApprovalResult (or its timeout); a disabled inbound transition keeps the
 * execution before the stage (GetPipelineState shows it as the stage's inboundExecution); an
 * action named in `failSteps` fails, and with it the stage and the execution. QUEUED pipelines
 * start an execution when the one before it has finished; in SUPERSEDED pipelines an execution
 * arriving at a disabled transition supersedes the older ones waiting there. Nothing is random but
 * the ids.
 *
 * The simulation is lazy: `advance(now)` replays time up to `now` before every request, with the
 * transitions as they are at that moment (a transition changes only through a request, which
 * advances first), so the outcome does not depend on when anyone looks.
 */
import type { JsonObject } from "../core/json.js";
import { objects, str } from "./common.js";

export type ExecutionStatus = "InProgress" | "Stopping" | "Stopped" | "Succeeded" | "Failed" | "Cancelled" | "Superseded";
export type ActionStatus = "InProgress" | "Abandoned" | "Succeeded" | "Failed";

export interface ActionRun {
  id: string;
  stage: string;
  action: string;
  category: string;
  start: Date;
  /** When it ends (planned for a build, set by the decision for an approval). */
  end?: Date;
  status: ActionStatus;
  /** What the action will end as, when its end comes (failSteps decide it at the start). */
  outcome: "Succeeded" | "Failed";
  token?: string;
  summary?: string;
  updatedBy?: string;
  error?: { code: string; message: string };
  externalId?: string;
  /** The action's configuration, as it was declared when the action started. */
  configuration: JsonObject;
}

export interface ExecutionRecord {
  id: string;
  pipeline: string;
  version: number;
  executionMode: string;
  startTime: Date;
  lastUpdate: Date;
  status: ExecutionStatus;
  statusSummary?: string;
  trigger: { triggerType: string; triggerDetail: string };
  variables: { name: string; resolvedValue: string }[];
  revision: { revisionId: string; revisionSummary: string };
  /** Where it is: the stage index and runOrder group index; undefined until it starts (QUEUED). */
  stage?: number;
  group?: number;
  groupStart?: Date;
  /** When it reached a disabled transition into `stage` (cleared when it enters). */
  heldAt?: Date;
  /** Stage name → that stage's execution status, for the stages it entered. */
  stages: Record<string, "InProgress" | "Succeeded" | "Failed" | "Stopped" | "Stopping">;
  actions: ActionRun[];
  stopReason?: string;
}

export interface SimContext {
  stepMs: number;
  failSteps: readonly string[];
  newId: () => string;
  /** The inbound transition of a stage: enabled, and when it last changed. */
  transition: (pipeline: string, stage: string) => { enabled: boolean; lastChangedAt?: Date };
  /** `e` arrived at a disabled transition: SUPERSEDED pipelines supersede the older executions waiting there. */
  arrived: (e: ExecutionRecord) => void;
}

const DEFAULT_APPROVAL_MINUTES = 7 * 24 * 60;
const later = (a: Date, b: Date | undefined) => (b && b > a ? b : a);
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

/** The runOrder groups of a stage's actions, in order. */
export function groupsOf(stage: JsonObject): JsonObject[][] {
  const byOrder = new Map<number, JsonObject[]>();
  for (const a of objects(stage, "actions")) {
    const order = typeof a.runOrder === "number" ? a.runOrder : 1;
    byOrder.set(order, [...(byOrder.get(order) ?? []), a]);
  }
  return [...byOrder].sort((x, y) => x[0] - y[0]).map(([, acts]) => acts);
}

const categoryOf = (a: JsonObject): string => {
  const t = a.actionTypeId;
  return typeof t === "object" && t !== null && !Array.isArray(t) ? (str(t, "category") ?? "") : "";
};

function fails(ctx: SimContext, stage: string, action: string): boolean {
  return ctx.failSteps.some((f) => f === action || f === `${stage}/${action}`);
}

/** Start the actions of the execution's current group at `at`. */
function startGroup(ctx: SimContext, e: ExecutionRecord, stages: JsonObject[], at: Date): void {
  const stage = stages[e.stage!]!;
  const stageName = str(stage, "name") ?? "";
  e.groupStart = at;
  e.stages[stageName] = "InProgress";
  for (const a of groupsOf(stage)[e.group!] ?? []) {
    const name = str(a, "name") ?? "";
    const category = categoryOf(a);
    const configuration = typeof a.configuration === "object" && a.configuration !== null && !Array.isArray(a.configuration) ? a.configuration : {};
    const run: ActionRun = { id: ctx.newId(), stage: stageName, action: name, category, start: at, status: "InProgress", outcome: "Succeeded", configuration };
    if (category === "Approval") run.token = ctx.newId();
    else {
      run.end = plus(at, ctx.stepMs);
      if (fails(ctx, stageName, name)) run.outcome = "Failed";
      if (category === "Build" && typeof configuration.ProjectName === "string") run.externalId = `${configuration.ProjectName}:${ctx.newId()}`;
    }
    e.actions.push(run);
  }
}

/** Settle the group's actions whose time has come; returns when the whole group ended, or undefined while it runs. */
function settleGroup(e: ExecutionRecord, group: ActionRun[], now: Date): Date | undefined {
  for (const a of group) {
    if (a.status !== "InProgress") continue;
    if (a.category === "Approval") {
      const minutes = typeof a.configuration.timeoutInMinutes === "number" ? a.configuration.timeoutInMinutes : DEFAULT_APPROVAL_MINUTES;
      const deadline = plus(a.start, minutes * 60_000);
      if (now >= deadline) Object.assign(a, { status: "Failed", end: deadline, error: { code: "ApprovalExpired", message: "The approval request expired" } });
      continue;
    }
    if (a.end && a.end <= now) {
      a.status = a.outcome;
      if (a.outcome === "Failed")
        a.error = { code: "JobFailed", message: `Build failed: the emulator was told to fail ${a.action} (pipeglot emulate --fail-step)` };
      else a.summary = "Build succeeded";
    }
  }
  if (group.some((a) => a.status === "InProgress")) return undefined;
  return group.reduce((t, a) => later(t, a.end), e.groupStart!);
}

export function finish(e: ExecutionRecord, status: ExecutionStatus, at: Date, summary?: string): void {
  e.status = status;
  e.lastUpdate = at;
  if (summary) e.statusSummary = summary;
  e.heldAt = undefined;
}

/** Move into the next group or stage at `at`; false when a disabled transition holds it. */
function enterNext(ctx: SimContext, e: ExecutionRecord, stages: JsonObject[], at: Date): boolean {
  const groups = groupsOf(stages[e.stage!]!);
  if (e.group! + 1 < groups.length) {
    e.group = e.group! + 1;
    startGroup(ctx, e, stages, at);
    return true;
  }
  e.stages[str(stages[e.stage!]!, "name") ?? ""] = "Succeeded";
  if (e.stage! + 1 >= stages.length) {
    finish(e, "Succeeded", at);
    return false;
  }
  const next = str(stages[e.stage! + 1]!, "name") ?? "";
  const t = ctx.transition(e.pipeline, next);
  if (!t.enabled) {
    if (!e.heldAt) {
      e.heldAt = at;
      ctx.arrived(e);
    }
    e.lastUpdate = e.heldAt;
    return false;
  }
  const entry = e.heldAt ? later(at, t.lastChangedAt) : at;
  e.heldAt = undefined;
  e.stage = e.stage! + 1;
  e.group = 0;
  startGroup(ctx, e, stages, entry);
  return true;
}

/** Replay one execution up to `now`. `stages` is the declaration it runs (its pipeline version). */
export function advance(ctx: SimContext, e: ExecutionRecord, stages: JsonObject[], now: Date): void {
  for (let guard = 0; guard < 10_000 && (e.status === "InProgress" || e.status === "Stopping"); guard++) {
    if (e.stage === undefined) return; // queued: startQueued decides
    if (e.heldAt) {
      // Held before stage+1: an enabled transition lets it in at the later of arrival and release.
      const groups = groupsOf(stages[e.stage]!);
      e.group = groups.length - 1;
      if (!enterNext(ctx, e, stages, e.heldAt)) return;
      continue;
    }
    const stageName = str(stages[e.stage]!, "name") ?? "";
    const group = e.actions.filter((a) => a.stage === stageName && a.start.getTime() === e.groupStart!.getTime());
    const ended = settleGroup(e, group, now);
    if (!ended) return;
    e.lastUpdate = ended;
    if (e.status === "Stopping") {
      e.stages[stageName] = "Stopped";
      return finish(e, "Stopped", ended);
    }
    const failed = group.find((a) => a.status === "Failed");
    if (failed) {
      e.stages[stageName] = "Failed";
      const why = failed.category === "Approval" ? (failed.error ? "approval expired" : "approval rejected") : "action failed";
      return finish(e, "Failed", ended, `${why}: ${stageName}/${failed.action}${failed.summary ? `: ${failed.summary}` : ""}`);
    }
    if (!enterNext(ctx, e, stages, ended)) return;
  }
}

/** Start an execution at `at` in its first stage. */
export function begin(ctx: SimContext, e: ExecutionRecord, stages: JsonObject[], at: Date): void {
  e.stage = 0;
  e.group = 0;
  startGroup(ctx, e, stages, at);
}

/** Stop: abandon ends the actions in progress now; otherwise the running builds finish first (Stopping). */
export function stop(e: ExecutionRecord, now: Date, abandon: boolean, reason?: string): void {
  if (reason) e.stopReason = reason;
  const running = e.actions.filter((a) => a.status === "InProgress");
  for (const a of running) if (abandon || a.category === "Approval") Object.assign(a, { status: "Abandoned", end: now, token: undefined });
  if (e.stage === undefined || e.heldAt || abandon || !running.some((a) => a.status === "InProgress")) {
    if (e.stage !== undefined && !e.heldAt) e.stages[Object.keys(e.stages).at(-1) ?? ""] = "Stopped";
    finish(e, "Stopped", now);
  } else {
    e.status = "Stopping";
    e.lastUpdate = now;
  }
}
