/**
 * A CodePipeline execution as the neutral run: the declaration's stages after the Source stage are
 * the definition's stages (the compiler names them after it), their Build actions its jobs, an
 * Approval action the stage's gate. Action executions give the job states and times; the
 * execution's status decides a finished run; GetPipelineState adds holds and the executions
 * waiting at a disabled transition.
 */
import {
  isObject,
  runState,
  skipUnstarted,
  stageState,
  type ApprovalRun,
  type JobRun,
  type PipelineRun,
  type RunState,
  type StageRun,
  type UnitState,
} from "@pipeglot/core";
import { redact } from "../live/errors.js";
import { objs, type ExecutionFacts, type Obj } from "./read.js";

const s = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const category = (a: Obj): string => (isObject(a.actionTypeId) ? (s(a.actionTypeId.category) ?? "") : "");
const config = (a: Obj): Obj => (isObject(a.configuration) ? a.configuration : {});

/** SDK timestamps are Dates (epoch seconds on the wire). */
export function iso(v: unknown): string | undefined {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "number") return new Date(v * 1000).toISOString();
  return typeof v === "string" && v ? new Date(v).toISOString() : undefined;
}

/** The declaration's stages that are the definition's (all but the Source stage). */
export function definitionStages(decl: Obj): Obj[] {
  return objs(decl.stages).filter((st) => !objs(st.actions).every((a) => category(a) === "Source"));
}

const ACTION_STATE: Record<string, UnitState> = { InProgress: "running", Succeeded: "succeeded", Failed: "failed", Abandoned: "cancelled" };

/** The latest execution of each action of this run, by stage and action name. */
function latestActions(actions: Obj[]): Map<string, Obj> {
  const by = new Map<string, Obj>();
  const sorted = [...actions].sort((a, b) => (iso(a.startTime) ?? "").localeCompare(iso(b.startTime) ?? ""));
  for (const a of sorted) by.set(`${s(a.stageName)}\u0000${s(a.actionName)}`, a);
  return by;
}

const result = (x: Obj): Obj => (isObject(x.output) && isObject(x.output.executionResult) ? x.output.executionResult : {});

function jobOf(action: Obj, x: Obj | undefined): JobRun {
  const name = s(action.name) ?? "";
  if (!x) return { name, state: "queued", native: name };
  const err = isObject(result(x).errorDetails) ? result(x).errorDetails : undefined;
  const state = ACTION_STATE[s(x.status) ?? ""] ?? "running";
  const job: JobRun = { name, state, native: name };
  const start = iso(x.startTime);
  if (start) job.startedAt = start;
  if (state !== "running") {
    const end = iso(x.lastUpdateTime);
    if (end) job.finishedAt = end;
  }
  if (state === "failed" && isObject(err) && s(err.message)) job.message = s(err.message);
  return job;
}

function approvalOf(action: Obj, x: Obj | undefined): ApprovalRun | undefined {
  if (!x) return undefined;
  const status = s(x.status);
  const err = isObject(result(x).errorDetails) ? result(x).errorDetails : undefined;
  const state: ApprovalRun["state"] =
    status === "Succeeded" ? "approved" : status === "Failed" ? (isObject(err) && s(err.code) === "ApprovalExpired" ? "expired" : "rejected") : "pending";
  const a: ApprovalRun = { state };
  const instructions = s(config(action).CustomData);
  if (instructions) a.instructions = instructions;
  const start = iso(x.startTime);
  const minutes = typeof action.timeoutInMinutes === "number" ? action.timeoutInMinutes : 7 * 24 * 60;
  if (start) a.deadline = new Date(Date.parse(start) + minutes * 60_000).toISOString();
  // An IAM ARN names the user; an access key id must never be printed (the emulator's users are named by it).
  if (s(x.updatedBy) && state !== "pending") a.decidedBy = redact(s(x.updatedBy)!, []);
  const summary = s(result(x).externalExecutionSummary);
  if (summary && state !== "pending") a.comment = summary;
  return a;
}

function stageOf(stage: Obj, latest: Map<string, Obj>, facts: ExecutionFacts, runId: string): StageRun {
  const name = s(stage.name) ?? "";
  const actions = objs(stage.actions);
  const x = (a: Obj) => latest.get(`${name}\u0000${s(a.name)}`);
  const gate = actions.find((a) => category(a) === "Approval");
  const jobs = actions.filter((a) => category(a) !== "Approval" && category(a) !== "Source").map((a) => jobOf(a, x(a)));
  const st = facts.state.find((t) => t.stageName === name) ?? {};
  const transition = isObject(st.inboundTransitionState) ? st.inboundTransitionState : {};
  const disabled = transition.enabled === false;
  const waiting =
    objs(st.inboundExecutions).some((e) => e.pipelineExecutionId === runId) ||
    (isObject(st.inboundExecution) && st.inboundExecution.pipelineExecutionId === runId);
  const approval = gate ? approvalOf(gate, x(gate)) : undefined;
  const out: StageRun = { name, state: stageState({ jobs: jobs.map((j) => j.state), ...(approval ? { approval } : {}), held: disabled && waiting }), jobs };
  if (approval) out.approval = approval;
  if (disabled) out.hold = { ...(s(transition.disabledReason) ? { reason: s(transition.disabledReason) } : {}) };
  const times = [...jobs.map((j) => j.startedAt), gate && x(gate) ? iso(x(gate)!.startTime) : undefined].filter((t): t is string => !!t).sort();
  if (times[0]) out.startedAt = times[0];
  const ends = jobs.map((j) => j.finishedAt).filter((t): t is string => !!t);
  if (out.state === "succeeded" || out.state === "failed" || out.state === "cancelled") if (ends.length) out.finishedAt = ends.sort().at(-1)!;
  return out;
}

const FINISHED: Record<string, RunState> = { Succeeded: "succeeded", Failed: "failed", Stopped: "cancelled", Cancelled: "cancelled", Superseded: "cancelled" };
const TRIGGER: Record<string, string> = {
  StartPipelineExecution: "manual",
  Webhook: "push",
  WebhookV2: "push",
  PollForSourceChanges: "push",
  CloudWatchEvent: "event",
};

/** A stage of a finished run that never started is skipped, and so are its jobs. */
function finishStages(stages: StageRun[], finished: boolean): StageRun[] {
  if (!finished) return stages;
  return stages.map((st) => {
    const jobs = skipUnstarted(st.jobs, true);
    return {
      ...st,
      jobs,
      state:
        st.state === "queued" || st.state === "held"
          ? "skipped"
          : stageState({ jobs: jobs.map((j) => j.state), ...(st.approval ? { approval: st.approval } : {}) }),
    };
  });
}

/** The neutral run of one execution. */
export function toPipelineRun(facts: ExecutionFacts): PipelineRun {
  const e = facts.execution;
  const id = s(e.pipelineExecutionId) ?? "";
  const latest = latestActions(facts.actions);
  const status = s(e.status) ?? "InProgress";
  const finished = FINISHED[status];
  const stages = finishStages(
    definitionStages(facts.declaration).map((st) => stageOf(st, latest, facts, id)),
    finished !== undefined,
  );
  const rolled = runState(stages);
  const state: RunState = finished ?? (rolled === "succeeded" || rolled === "failed" || rolled === "cancelled" ? "running" : rolled);
  const run: PipelineRun = { provider: "aws", pipeline: facts.pipeline, id, nativeIds: [id], state, stages };
  const trigger = isObject(e.trigger) ? s(e.trigger.triggerType) : undefined;
  if (trigger) run.trigger = TRIGGER[trigger] ?? trigger;
  const source = objs(objs(facts.declaration.stages)[0]?.actions).find((a) => category(a) === "Source");
  const branch = source ? s(config(source).BranchName) : undefined;
  if (branch) run.branch = branch;
  const commit = s(objs(e.artifactRevisions)[0]?.revisionId);
  if (commit) run.commit = commit;
  const started = iso(facts.summary?.startTime);
  if (started) run.startedAt = started;
  const ended = iso(facts.summary?.lastUpdateTime);
  if (finished && ended) run.finishedAt = ended;
  return run;
}
