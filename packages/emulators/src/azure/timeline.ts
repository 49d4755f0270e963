/**
 * `GET build/builds/{id}/timeline`: a run as timeline records, as the service writes them — one
 * Stage record per stage (identifier = the stage id), under it a Checkpoint record with one
 * Checkpoint.Approval record per approval (the record id is the approval id), and a Phase and a
 * Job record per job (identifiers `stage.job` and `stage.job.__default`), each job's steps as
 * Task records. States pending / inProgress / completed; results succeeded / failed / canceled / skipped.
 */
import type { JsonObject } from "../core/json.js";
import type { Ctx, Project } from "./model.js";
import type { Progress, Run, RunApproval, RunJob, RunStage } from "./run-model.js";
import { approvalsOf } from "./run-world.js";
import { findRun } from "./runs.js";
import type { AzureStore } from "./store.js";

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

interface RecordInput {
  id: string;
  parentId: string | null;
  type: string;
  name: string;
  identifier: string | null;
  order: number;
  progress: Progress;
  issue?: string;
}

function record(r: RecordInput, lastModified: number): JsonObject {
  const p = r.progress;
  return {
    previousAttempts: [],
    id: r.id,
    parentId: r.parentId,
    type: r.type,
    name: r.name,
    startTime: iso(p.start),
    finishTime: iso(p.finish),
    currentOperation: null,
    percentComplete: p.state === "completed" ? 100 : 0,
    state: p.state,
    result: p.result ?? null,
    resultCode: null,
    changeId: 1,
    lastModified: new Date(lastModified).toISOString(),
    workerName: null,
    order: r.order,
    details: null,
    errorCount: r.issue ? 1 : 0,
    warningCount: 0,
    url: null,
    log: null,
    task: null,
    attempt: 1,
    identifier: r.identifier,
    issues: r.issue ? [{ type: "error", category: "General", message: r.issue, data: {} }] : [],
  };
}

/** A stable id for a job's n-th task record. */
const taskId = (job: RunJob, n: number): string => `${job.jobId.slice(0, -4)}${(0xf000 + n).toString(16)}`;

function taskProgress(job: RunJob, n: number): Progress {
  if (job.state === "pending" || job.result === "skipped") return { state: "pending" };
  if (job.state === "inProgress") return n === 0 ? { state: "inProgress", start: job.start } : { state: "pending" };
  const failedAt = job.failedStep !== undefined ? job.steps.indexOf(job.failedStep) : -1;
  if (job.result === "failed" && failedAt >= 0 && n > failedAt) return { state: "completed", result: "skipped" };
  if (job.result === "failed" && (n === failedAt || (failedAt < 0 && n === job.steps.length - 1)))
    return { state: "completed", result: "failed", start: job.start, finish: job.finish };
  return { state: "completed", result: job.result === "canceled" ? "canceled" : "succeeded", start: job.start, finish: job.finish };
}

function jobRecords(stage: RunStage, job: RunJob, order: number, at: number): JsonObject[] {
  const issue =
    job.result === "failed"
      ? job.manualValidation
        ? "The manual validation timed out and was rejected."
        : `Step ${job.failedStep ?? job.name} failed.`
      : undefined;
  const id = `${stage.ref}.${job.ref}`;
  const out = [
    record({ id: job.phaseId, parentId: stage.recordId, type: "Phase", name: job.name, identifier: id, order, progress: job }, at),
    record(
      {
        id: job.jobId,
        parentId: job.phaseId,
        type: "Job",
        name: job.name,
        identifier: `${id}.__default`,
        order: 1,
        progress: job,
        ...(issue ? { issue } : {}),
      },
      at,
    ),
  ];
  job.steps.forEach((s, n) =>
    out.push(record({ id: taskId(job, n), parentId: job.jobId, type: "Task", name: s, identifier: null, order: n + 1, progress: taskProgress(job, n) }, at)),
  );
  return out;
}

function approvalProgress(a: RunApproval): Progress {
  if (a.status === "pending") return { state: "inProgress", start: a.createdOn };
  return {
    state: "completed",
    result: a.status === "approved" ? "succeeded" : a.status === "rejected" ? "failed" : "canceled",
    start: a.createdOn,
    finish: a.decidedOn,
  };
}

function checkpointRecords(stage: RunStage, approvals: RunApproval[], at: number): JsonObject[] {
  if (!stage.checkpointId || !approvals.length) return [];
  const pending = approvals.some((a) => a.status === "pending");
  const failed = approvals.some((a) => a.status !== "approved" && a.status !== "pending");
  const progress: Progress = pending
    ? { state: "inProgress", start: approvals[0]!.createdOn }
    : {
        state: "completed",
        result: failed ? "failed" : "succeeded",
        start: approvals[0]!.createdOn,
        finish: Math.max(...approvals.map((a) => a.decidedOn ?? 0)),
      };
  return [
    record(
      { id: stage.checkpointId, parentId: stage.recordId, type: "Checkpoint", name: "Checkpoint", identifier: `Checkpoint_${stage.ref}`, order: 0, progress },
      at,
    ),
    ...approvals.map((a, i) =>
      record(
        {
          id: a.id,
          parentId: stage.checkpointId!,
          type: "Checkpoint.Approval",
          name: "Approval",
          identifier: a.id,
          order: i + 1,
          progress: approvalProgress(a),
        },
        at,
      ),
    ),
  ];
}

/** GET build/builds/{id}/timeline. */
export function timelineJson(store: AzureStore, p: Project, buildId: number, ctx: Ctx): JsonObject {
  const run: Run = findRun(store, p, buildId);
  const at = run.finishTime ?? Math.max(run.t, run.queueTime);
  const approvals = approvalsOf(p);
  const records: JsonObject[] = [];
  run.stages.forEach((stage, i) => {
    records.push(record({ id: stage.recordId, parentId: null, type: "Stage", name: stage.name, identifier: stage.ref, order: i + 1, progress: stage }, at));
    const mine = stage.approvals.map((id) => approvals.get(id)).filter((a): a is RunApproval => a !== undefined);
    records.push(...checkpointRecords(stage, mine, at));
    stage.jobs.forEach((job, k) => records.push(...jobRecords(stage, job, k + 1, at)));
  });
  return {
    records,
    lastChangedBy: "00000002-0000-8888-8000-000000000000",
    lastChangedOn: new Date(at).toISOString(),
    id: run.timelineId,
    changeId: records.length,
    url: `${ctx.orgUrl}/${p.id}/_apis/build/builds/${run.id}/Timeline/${run.timelineId}`,
  };
}
