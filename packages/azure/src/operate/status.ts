/**
 * A run (a build) as the neutral run model: the build (`BuildApi.getBuild` / `getBuilds`) for
 * the run's state, its timeline (`getBuildTimeline`) for the stages and jobs (Stage → Phase → Job
 * records, by identifier), the pipeline approvals (`_apis/pipelines/approvals`, by the ids of the
 * Checkpoint.Approval records) for the gates. An approval of a pipeglot hold check is a hold.
 */
import {
  isFinished,
  noRuns,
  runNotFound,
  runState as rollUp,
  skipUnstarted,
  type ApprovalRun,
  type JobRun,
  type Obj,
  type PipelineRun,
  type RunRef,
  type RunState,
  type StageRun,
  type UnitState,
} from "@pipeglot/core";
import type { Build, TimelineRecord } from "azure-devops-node-api/interfaces/BuildInterfaces.js";
import type { AzureLiveClient } from "../live/client.js";
import { HOLD_MARK, holdReason } from "./hold-check.js";
import { pipelineLayout, type LayoutStage } from "./layout-source.js";
import { approvalsById, definitionOf, getBuild, getTimeline, latestBuilds } from "./native.js";

// azure-devops-node-api's BuildInterfaces enums (the SDK turns the wire's names into these numbers).
const BUILD_STATUS: Record<number, string> = { 0: "none", 1: "inProgress", 2: "completed", 4: "cancelling", 8: "postponed", 32: "notStarted" };
const BUILD_RESULT: Record<number, string> = { 0: "none", 2: "succeeded", 4: "partiallySucceeded", 8: "failed", 32: "canceled" };
const BUILD_REASON: Record<number, string> = {
  1: "manual",
  2: "push",
  4: "push",
  8: "schedule",
  16: "schedule",
  32: "manual",
  256: "pull-request",
  512: "build-completion",
  1024: "resource",
};
const RECORD_STATE: Record<number, string> = { 0: "pending", 1: "inProgress", 2: "completed" };
const TASK_RESULT: Record<number, string> = { 0: "succeeded", 1: "succeededWithIssues", 2: "failed", 3: "canceled", 4: "skipped", 5: "abandoned" };

const named = (v: unknown, names: Record<number, string>): string => (typeof v === "number" ? (names[v] ?? String(v)) : String(v ?? ""));
const iso = (d: unknown): string | undefined => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : typeof d === "string" ? d : undefined);

function finished(result: string): UnitState {
  if (result === "succeeded" || result === "succeededWithIssues" || result === "partiallySucceeded") return "succeeded";
  if (result === "failed") return "failed";
  if (result === "canceled" || result === "abandoned") return "cancelled";
  return "skipped";
}

function recordState(r: TimelineRecord): UnitState {
  const state = named(r.state, RECORD_STATE);
  if (state === "completed") return finished(named(r.result, TASK_RESULT));
  return state === "inProgress" ? "running" : "queued";
}

function times(r: { startTime?: Date; finishTime?: Date }): { startedAt?: string; finishedAt?: string } {
  const s = iso(r.startTime);
  const f = iso(r.finishTime);
  return { ...(s ? { startedAt: s } : {}), ...(f ? { finishedAt: f } : {}) };
}

/** The run to show: by pipeglot's id (the build id) or build number; absent: the newest. */
export async function findBuild(az: AzureLiveClient, definitionId: number, pipeline: string, run?: string): Promise<Build> {
  if (run !== undefined && /^\d+$/.test(run)) {
    const b = await getBuild(az, Number(run));
    if (b && b.definition?.id === definitionId) return b;
  }
  const builds = await latestBuilds(az, definitionId, run === undefined ? 1 : 200);
  const b = run === undefined ? builds[0] : builds.find((x) => x.buildNumber === run);
  if (b) return b;
  throw run === undefined
    ? noRuns(pipeline)
    : runNotFound(
        pipeline,
        run,
        builds.map((x) => String(x.id)),
      );
}

function approvalOf(a: Obj | undefined, stage: LayoutStage | undefined, validation?: UnitState): ApprovalRun | undefined {
  const gate = stage?.gate;
  if (!a && (!gate || gate.kind !== "validation" || validation === undefined || validation === "queued" || validation === "skipped")) return undefined;
  const out: ApprovalRun = { state: "pending" };
  if (a) {
    const status = String(a.status);
    out.state =
      status === "approved"
        ? "approved"
        : status === "rejected"
          ? "rejected"
          : status === "timedOut"
            ? "expired"
            : status === "pending"
              ? "pending"
              : "rejected";
    const steps = Array.isArray(a.steps) ? (a.steps as Obj[]) : [];
    const approvers = steps.map((s) => (s.assignedApprover as Obj | undefined)?.displayName).filter((x): x is string => typeof x === "string");
    if (approvers.length) out.approvers = approvers;
    if (typeof a.instructions === "string") out.instructions = a.instructions;
    const decided = steps.find((s) => s.actualApprover);
    if (decided) out.decidedBy = String((decided.actualApprover as Obj).displayName ?? "");
    if (decided && typeof decided.comment === "string") out.comment = decided.comment;
    if (gate?.timeoutMinutes !== undefined && typeof a.createdOn === "string")
      out.deadline = new Date(Date.parse(a.createdOn) + gate.timeoutMinutes * 60_000).toISOString();
    return out;
  }
  if (validation === "succeeded") out.state = "approved";
  else if (validation === "failed") out.state = "rejected";
  if (gate!.approvers.length) out.approvers = gate!.approvers;
  if (gate!.instructions !== undefined) out.instructions = gate!.instructions;
  return out;
}

interface Records {
  byParent: Map<string, TimelineRecord[]>;
  stages: TimelineRecord[];
}

function index(records: TimelineRecord[]): Records {
  const byParent = new Map<string, TimelineRecord[]>();
  for (const r of records) {
    const k = r.parentId ?? "";
    byParent.set(k, [...(byParent.get(k) ?? []), r]);
  }
  for (const list of byParent.values()) list.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  return { byParent, stages: (byParent.get("") ?? []).filter((r) => r.type === "Stage") };
}

function jobsOf(rec: Records, stageRec: TimelineRecord, layout: LayoutStage | undefined): { jobs: JobRun[]; validation?: UnitState } {
  const jobs: JobRun[] = [];
  let validation: UnitState | undefined;
  for (const phase of (rec.byParent.get(stageRec.id!) ?? []).filter((r) => r.type === "Phase")) {
    for (const job of (rec.byParent.get(phase.id!) ?? []).filter((r) => r.type === "Job")) {
      const id = String(job.identifier ?? "").split(".")[1] ?? String(job.name);
      const state = recordState(job);
      if (layout?.gate?.kind === "validation" && layout.gate.job?.toLowerCase() === id.toLowerCase()) {
        validation = state;
        continue;
      }
      const issue = (job.issues ?? []).find((i) => i.message)?.message;
      const name = layout?.jobs.find((j) => j.id.toLowerCase() === id.toLowerCase())?.name ?? String(job.name);
      jobs.push({ name, state, native: id, ...times(job), ...(issue && state === "failed" ? { message: issue } : {}) });
    }
  }
  return { jobs, ...(validation ? { validation } : {}) };
}

function stageOf(rec: Records, s: TimelineRecord, layout: LayoutStage | undefined, approvals: Map<string, Obj>, runOpen: boolean): StageRun {
  const checkpoint = (rec.byParent.get(s.id!) ?? []).find((r) => r.type === "Checkpoint");
  const mine = checkpoint ? (rec.byParent.get(checkpoint.id!) ?? []).map((r) => approvals.get(String(r.id).toLowerCase())).filter((a): a is Obj => !!a) : [];
  const holds = mine.filter((a) => typeof a.instructions === "string" && a.instructions.startsWith(HOLD_MARK));
  const gates = mine.filter((a) => !holds.includes(a));
  const { jobs, validation } = jobsOf(rec, s, layout);
  let state = recordState(s);
  const gate = gates.find((a) => a.status === "pending") ?? gates[0];
  const approval = approvalOf(gate, layout, validation);
  const heldBy = holds.find((a) => a.status === "pending");
  if (state === "running" && heldBy) state = "held";
  else if (state === "running" && approval?.state === "pending" && (gate || validation === "running")) state = "waiting-for-approval";
  else if (state === "queued" && runOpen && layout?.manual) state = "held";
  return {
    name: layout?.name ?? String(s.name),
    state,
    ...times(s),
    ...(approval ? { approval } : {}),
    ...(heldBy
      ? { hold: { reason: holdReason(String(heldBy.instructions)) } }
      : state === "held"
        ? { hold: { reason: "the definition disables the transition (trigger: manual)" } }
        : {}),
    jobs,
  };
}

function runState(build: Build, stages: StageRun[]): RunState {
  const status = named(build.status, BUILD_STATUS);
  if (status === "completed") {
    const r = finished(named(build.result, BUILD_RESULT));
    return r === "skipped" ? "cancelled" : r;
  }
  if (status === "notStarted" || status === "postponed" || status === "none") return "queued";
  const s = rollUp(stages);
  return s === "queued" ? "running" : s;
}

function heldOnlyWhenReached(stages: StageRun[], s: StageRun, i: number): StageRun {
  if (s.state !== "held" || stages.slice(0, i).every((p) => isFinished(p.state))) return s;
  const { hold: _hold, ...rest } = s;
  return { ...rest, state: "queued" };
}

/** The neutral model of a build of the definition. */
export async function runModel(az: AzureLiveClient, pipeline: string, build: Build, stagesLayout: LayoutStage[]): Promise<PipelineRun> {
  const timeline = await getTimeline(az, build.id!);
  const rec = index(timeline?.records ?? []);
  const ids = (timeline?.records ?? []).filter((r) => r.type === "Checkpoint.Approval").map((r) => String(r.id));
  const approvals = new Map((await approvalsById(az, ids)).map((a) => [String(a.id).toLowerCase(), a]));
  const open = named(build.status, BUILD_STATUS) !== "completed";
  const byId = new Map(stagesLayout.map((l) => [l.id.toLowerCase(), l]));
  const read = rec.stages.map((s) => stageOf(rec, s, byId.get(String(s.identifier ?? s.name).toLowerCase()), approvals, open));
  // A manual stage holds the run only once the stages before it are done; a finished run never started the rest.
  const reached = read.map((s, i) => heldOnlyWhenReached(read, s, i));
  const stages = skipUnstarted(reached, !open).map((s) => ({ ...s, jobs: skipUnstarted(s.jobs, !open) }));
  const reason = named(build.reason, BUILD_REASON);
  return {
    provider: "azure",
    pipeline,
    id: String(build.id),
    nativeIds: [String(build.id)],
    trigger: reason,
    ...(build.sourceBranch ? { branch: build.sourceBranch.replace(/^refs\/heads\//, "") } : {}),
    ...(build.sourceVersion ? { commit: build.sourceVersion } : {}),
    state: runState(build, stages),
    ...times({ startTime: build.startTime ?? build.queueTime, finishTime: build.finishTime }),
    stages,
  };
}

/** `status`: a run of the live pipeline, by id or build number; absent: the newest. */
export async function status(az: AzureLiveClient, ref: RunRef, run?: string): Promise<PipelineRun> {
  const def = await definitionOf(az, ref.pipeline);
  const build = await findBuild(az, def.id, ref.pipeline, run);
  return runModel(az, ref.pipeline, build, await pipelineLayout(az, ref, def.body));
}
