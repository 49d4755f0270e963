/**
 * Build runs: CreateBuildRun (POST /buildRuns), GetBuildRun, ListBuildRuns (by build pipeline,
 * project, compartment or id; newest first), CancelBuildRun (POST /buildRuns/{id}/actions/cancel).
 * buildRunProgress.buildPipelineStageRunProgress has one entry per stage that started, by stage id;
 * a TRIGGER_DEPLOYMENT_PIPELINE stage's entry names the deployment it started.
 */
import { clone, isObject, type JsonObject } from "../../core/json.js";
import type { EmulatorResponse } from "../../core/server.js";
import { OciError } from "../errors.js";
import { pageOf } from "../paging.js";
import type { OciStore } from "../store.js";
import { advanceAll, findRun, listRuns, stagesOf, type RunRecord } from "./records.js";
import { cancel, iso, isDone, type SimStage } from "./simulate.js";
import { startDeployment } from "./deployments.js";

const compact = (o: Record<string, unknown>): JsonObject => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as JsonObject;

function stageProgress(s: SimStage): JsonObject {
  return compact({
    stageDisplayName: s.name,
    buildPipelineStageId: s.id,
    buildPipelineStageType: s.type,
    timeStarted: iso(s.startedAt),
    timeFinished: iso(s.finishedAt),
    status: s.status,
    buildPipelineStagePredecessors: { items: s.preds.map((id) => ({ id })) },
    deploymentId: s.deploymentId,
  });
}

function summary(store: OciStore, rec: RunRecord): JsonObject {
  const r = rec.sim;
  const started = r.stages.map((s) => s.startedAt).filter((t): t is number => t !== undefined);
  return compact({
    id: r.id,
    displayName: rec.fields.displayName,
    compartmentId: store.compartmentId,
    projectId: rec.fields.projectId,
    buildPipelineId: r.pipelineId,
    buildRunSource: { sourceType: "MANUAL" },
    buildRunArguments: rec.fields.buildRunArguments ?? { items: [] },
    commitInfo: rec.fields.commitInfo,
    timeCreated: iso(r.createdAt),
    timeUpdated: store.now(),
    lifecycleState: r.lifecycle,
    lifecycleDetails: r.details,
    buildRunProgressSummary: compact({ timeStarted: iso(started.length ? Math.min(...started) : undefined), timeFinished: iso(r.finishedAt) }),
    freeformTags: rec.fields.freeformTags ?? {},
    definedTags: {},
    systemTags: {},
  });
}

export function buildRunBody(store: OciStore, rec: RunRecord): JsonObject {
  const { buildRunProgressSummary, ...rest } = summary(store, rec);
  const progress: JsonObject = {};
  for (const s of rec.sim.stages) if (s.status !== undefined) progress[s.id] = stageProgress(s);
  return { ...rest, buildRunProgress: { ...(isObject(buildRunProgressSummary) ? buildRunProgressSummary : {}), buildPipelineStageRunProgress: progress } };
}

export function createBuildRun(store: OciStore, input: JsonObject): EmulatorResponse {
  const pipelineId = input.buildPipelineId;
  if (typeof pipelineId !== "string" || pipelineId === "") throw new OciError("MissingParameter", "buildPipelineId is required");
  const pipeline = store.find("buildPipeline", pipelineId);
  store.requireActive(pipeline, "BuildPipeline");
  const stages = stagesOf(store, "buildPipelineStage", pipelineId);
  if (!stages.length) throw new OciError("InvalidParameter", `build pipeline ${pipelineId} has no stages to run`);
  const id = store.ocid("devopsbuildrun");
  const now = store.opts.now().getTime();
  const fields: JsonObject = { projectId: pipeline.body.projectId ?? null };
  for (const k of ["displayName", "buildRunArguments", "commitInfo", "freeformTags"]) if (input[k] !== undefined) fields[k] = clone(input[k]);
  fields.displayName ??= `buildrun${id.slice(-8)}`;
  const rec: RunRecord = { kind: "buildRun", sim: { id, pipelineId, createdAt: now, lifecycle: "ACCEPTED", stages }, fields };
  store.runs.set(id, rec);
  return store.reply(200, buildRunBody(store, rec), { etag: store.etag() });
}

export function getBuildRun(store: OciStore, id: string): EmulatorResponse {
  advanceAll(store, startDeployment);
  return store.reply(200, buildRunBody(store, findRun(store, "buildRun", id)), { etag: store.etag() });
}

export function listBuildRuns(store: OciStore, q: URLSearchParams): EmulatorResponse {
  advanceAll(store, startDeployment);
  const { items, headers } = pageOf(listRuns(store, "buildRun", q, "buildPipelineId"), q);
  return store.reply(200, { items: items.map((r) => summary(store, r)) }, headers);
}

export function cancelBuildRun(store: OciStore, id: string, input: JsonObject): EmulatorResponse {
  advanceAll(store, startDeployment);
  const rec = findRun(store, "buildRun", id);
  if (typeof input.reason !== "string" || input.reason === "") throw new OciError("MissingParameter", "reason is required");
  if (isDone(rec.sim)) throw new OciError("Conflict", `build run ${id} has already ended (${rec.sim.lifecycle})`);
  cancel(rec.sim, store.opts.now().getTime(), input.reason);
  return store.reply(200, buildRunBody(store, rec), { etag: store.etag() });
}
