/**
 * A run (the chain of builds of one pipeline run) as the neutral model: each part's build gives
 * the states of its stages' jobs from the statuses of their steps (`stage__job__step`), its
 * approval the gate's; a part with no build yet is held when the build before it finished, its
 * last step ran, and the part's trigger is disabled (pipeglot hold, or a disabled transition).
 */
import { runState, skipUnstarted, stageState, type ApprovalRun, type JobRun, type PipelineRun, type StageRun, type UnitState } from "@pipeglot/core";
import { FINAL_STATUS, type BuildInfo, type StepInfo } from "./builds.js";
import { heldReason, type Layout, type PartLayout, type Raw, type StageLayout } from "./layout.js";

const NEXT_STEP = "pipeglot__next";

function stepState(s: StepInfo): UnitState {
  switch (s.status) {
    case "WORKING":
      return "running";
    case "SUCCESS":
      return "succeeded";
    case "FAILURE":
    case "INTERNAL_ERROR":
    case "TIMEOUT":
      return s.allowFailure ? "succeeded" : "failed";
    case "CANCELLED":
      return "cancelled";
    default:
      return "queued";
  }
}

/** A job from its steps: running, failed, cancelled, done, or not started. */
function jobOf(stage: string, job: string, b: BuildInfo): JobRun {
  const steps = b.steps.filter((s) => s.id?.startsWith(`${stage}__${job}__`));
  const states = steps.map(stepState);
  let state: UnitState;
  if (states.includes("running")) state = "running";
  else if (states.includes("failed")) state = "failed";
  else if (states.includes("cancelled")) state = "cancelled";
  else if (states.length && states.every((s) => s === "succeeded")) state = "succeeded";
  else if (states.includes("succeeded")) state = FINAL_STATUS.has(b.status) ? "cancelled" : "running";
  // A cancelled build cancels the jobs it had not started; a rejected one never ran them (skipped once the run ends).
  else state = b.status === "CANCELLED" && b.approval?.state !== "REJECTED" ? "cancelled" : "queued";
  const failed = steps.find((s, i) => states[i] === "failed");
  const starts = steps.map((s) => s.start).filter((x): x is string => !!x);
  const ends = steps.map((s) => s.end).filter((x): x is string => !!x);
  const done = state === "succeeded" || state === "failed" || state === "cancelled";
  return {
    name: job,
    state,
    native: (failed ?? steps[0])?.id ?? `${stage}__${job}`,
    ...(starts.length ? { startedAt: starts.sort()[0] } : {}),
    ...(done && ends.length ? { finishedAt: ends.sort().pop() } : {}),
    ...(failed && b.statusDetail ? { message: b.statusDetail } : {}),
  };
}

function approvalOf(part: PartLayout, b: BuildInfo | undefined): ApprovalRun | undefined {
  const gate = part.gate;
  if (!gate?.approval) return undefined;
  const a = b?.approval;
  const states: Record<string, ApprovalRun["state"]> = { PENDING: "pending", APPROVED: "approved", REJECTED: "rejected" };
  const state = a ? states[a.state] : undefined;
  if (!state) return undefined; // no approval on this build, or cancelled while pending (the build says cancelled)
  return {
    state,
    ...(gate.instructions ? { instructions: gate.instructions } : {}),
    ...(a!.approver ? { decidedBy: a!.approver } : {}),
    ...(a!.comment ? { comment: a!.comment } : {}),
  };
}

function stageOf(stage: StageLayout, part: PartLayout, b: BuildInfo | undefined, hold: { reason?: string } | undefined): StageRun {
  const isGate = part.gate?.stage === stage.name;
  const finished = b !== undefined && FINAL_STATUS.has(b.status);
  const jobs = skipUnstarted(
    stage.jobs.map((j) => (b ? jobOf(stage.name, j, b) : { name: j, state: "queued" as const })),
    finished,
  );
  const approval = isGate && b ? approvalOf(part, b) : undefined;
  const facts = { jobs: jobs.map((j) => j.state), ...(approval ? { approval } : {}), held: isGate && hold !== undefined };
  const run: StageRun = { name: stage.name, state: stageState(facts), jobs };
  if (approval) run.approval = approval;
  if (isGate && hold) run.hold = hold;
  const starts = jobs.map((j) => j.startedAt).filter((x): x is string => !!x);
  if (starts.length) run.startedAt = starts.sort()[0];
  const ends = jobs.map((j) => j.finishedAt).filter((x): x is string => !!x);
  if ((run.state === "succeeded" || run.state === "failed" || run.state === "cancelled") && ends.length) run.finishedAt = ends.sort().pop();
  return run;
}

/** Whether the run stopped before `part`: the build before it succeeded, its chaining step ran, and the part's trigger is disabled. */
function heldBefore(part: PartLayout, prev: BuildInfo | undefined, triggers: ReadonlyMap<string, Raw>): { reason?: string } | undefined {
  if (!part.gate || !prev || prev.status !== "SUCCESS") return undefined;
  if (prev.steps.find((s) => s.id === NEXT_STEP)?.status !== "SUCCESS") return undefined;
  const t = triggers.get(part.gate.trigger);
  if (t?.disabled !== true) return undefined;
  const reason = heldReason(t);
  return reason ? { reason } : {};
}

const TRIGGER_WORDS: Record<string, string> = { pr: "pull-request" };

/** The run of `chain` (its builds in part order). */
export function runOf(layout: Layout, chain: readonly BuildInfo[], triggers: ReadonlyMap<string, Raw>): PipelineRun {
  const root = chain[0]!;
  const byPart = new Map(chain.map((b, i) => [b.part ?? i, b]));
  const stages: StageRun[] = [];
  for (const part of layout.parts) {
    const b = byPart.get(part.index);
    const hold = b ? undefined : heldBefore(part, byPart.get(part.index - 1), triggers);
    for (const s of part.stages) stages.push(stageOf(s, part, b, hold));
  }
  const last = chain[chain.length - 1]!;
  const lastPart = layout.parts[layout.parts.length - 1]?.index ?? 0;
  const ended = FINAL_STATUS.has(last.status) && (last.status !== "SUCCESS" || (last.part ?? 0) >= lastPart);
  const finalStages = ended ? skipUnstarted(stages, true).map((s) => ({ ...s, jobs: skipUnstarted(s.jobs, true) })) : stages;
  const rootTrigger = [...triggers.values()].find((t) => t.id === root.triggerId);
  const word = typeof rootTrigger?.name === "string" ? rootTrigger.name.slice(layout.pipeline.length + 1) : undefined;
  const run: PipelineRun = {
    provider: "gcp",
    pipeline: layout.pipeline,
    id: root.id,
    nativeIds: chain.map((b) => b.id),
    ...(word ? { trigger: TRIGGER_WORDS[word] ?? word } : {}),
    ...(root.substitutions.BRANCH_NAME ? { branch: root.substitutions.BRANCH_NAME } : {}),
    ...(root.substitutions.COMMIT_SHA ? { commit: root.substitutions.COMMIT_SHA } : {}),
    state: runState(finalStages),
    ...(root.createTime ? { startedAt: root.createTime } : {}),
    stages: finalStages,
  };
  if (ended && last.finishTime) run.finishedAt = last.finishTime;
  return run;
}
