/**
 * Deployments of a deploy pipeline: CreateDeployment (PIPELINE_DEPLOYMENT), started also by a
 * build run's TRIGGER_DEPLOYMENT_PIPELINE stage; GetDeployment, ListDeployments, ApproveDeployment
 * (POST /deployments/{id}/actions/approve: the decision on a MANUAL_APPROVAL stage in progress),
 * CancelDeployment. A deployment waiting for approval is IN_PROGRESS with its approval stage
 * IN_PROGRESS and no approvalActions, as on OCI.
 */
import { clone, type JsonObject } from "../../core/json.js";
import type { EmulatorResponse } from "../../core/server.js";
import { OciError } from "../errors.js";
import { pageOf } from "../paging.js";
import type { OciStore } from "../store.js";
import { advanceAll, findRun, listRuns, stagesOf, type RunRecord } from "./records.js";
import { cancel, iso, isDone, type SimStage } from "./simulate.js";

const compact = (o: Record<string, unknown>): JsonObject => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as JsonObject;

function stageProgress(s: SimStage): JsonObject {
  const d = s.decision;
  return compact({
    deployStageDisplayName: s.name,
    deployStageId: s.id,
    deployStageType: s.type,
    timeStarted: iso(s.startedAt),
    timeFinished: iso(s.finishedAt),
    status: s.status,
    deployStagePredecessors: { items: s.preds.map((id) => ({ id })) },
    ...(s.type === "MANUAL_APPROVAL" ? { approvalActions: d ? [compact({ subjectId: d.subjectId, action: d.action, reason: d.reason })] : [] } : {}),
  });
}

function summary(store: OciStore, rec: RunRecord): JsonObject {
  const r = rec.sim;
  return compact({
    deploymentType: "PIPELINE_DEPLOYMENT",
    id: r.id,
    displayName: rec.fields.displayName,
    projectId: rec.fields.projectId,
    deployPipelineId: r.pipelineId,
    compartmentId: store.compartmentId,
    timeCreated: iso(r.createdAt),
    timeUpdated: store.now(),
    lifecycleState: r.lifecycle,
    lifecycleDetails: r.details,
    deploymentArguments: rec.fields.deploymentArguments ?? { items: [] },
    freeformTags: rec.fields.freeformTags ?? {},
    definedTags: {},
    systemTags: {},
  });
}

export function deploymentBody(store: OciStore, rec: RunRecord): JsonObject {
  const progress: JsonObject = {};
  for (const s of rec.sim.stages) if (s.status !== undefined) progress[s.id] = stageProgress(s);
  const started = rec.sim.stages.map((s) => s.startedAt).filter((t): t is number => t !== undefined);
  return {
    ...summary(store, rec),
    deployPipelineArtifacts: { items: [] },
    deployPipelineEnvironments: { items: [] },
    deploymentExecutionProgress: compact({
      timeStarted: iso(started.length ? Math.min(...started) : undefined),
      timeFinished: iso(rec.sim.finishedAt),
      deployStageExecutionProgress: progress,
    }),
  };
}

/** A deployment of the pipeline that starts at `at` (ms of `now`); its id. */
export function startDeployment(store: OciStore, pipelineId: string, at: number, fields: JsonObject): string {
  const pipeline = store.find("deployPipeline", pipelineId);
  const stages = stagesOf(store, "deployStage", pipelineId);
  const id = store.ocid("devopsdeployment");
  const own: JsonObject = { projectId: pipeline.body.projectId ?? null, ...clone(fields) };
  own.displayName ??= `deployment${id.slice(-8)}`;
  store.runs.set(id, { kind: "deployment", sim: { id, pipelineId, createdAt: at, lifecycle: "ACCEPTED", stages }, fields: own });
  return id;
}

export function createDeployment(store: OciStore, input: JsonObject): EmulatorResponse {
  if (input.deploymentType !== "PIPELINE_DEPLOYMENT")
    throw new OciError("InvalidParameter", `deploymentType ${String(input.deploymentType)} is not supported by the emulator (PIPELINE_DEPLOYMENT is)`);
  const pipelineId = input.deployPipelineId;
  if (typeof pipelineId !== "string" || pipelineId === "") throw new OciError("MissingParameter", "deployPipelineId is required");
  store.requireActive(store.find("deployPipeline", pipelineId), "DeployPipeline");
  const fields: JsonObject = {};
  for (const k of ["displayName", "deploymentArguments", "freeformTags"]) if (input[k] !== undefined) fields[k] = clone(input[k]);
  const id = startDeployment(store, pipelineId, store.opts.now().getTime(), fields);
  return store.reply(200, deploymentBody(store, store.runs.get(id)!), { etag: store.etag() });
}

export function getDeployment(store: OciStore, id: string): EmulatorResponse {
  advanceAll(store, startDeployment);
  return store.reply(200, deploymentBody(store, findRun(store, "deployment", id)), { etag: store.etag() });
}

export function listDeployments(store: OciStore, q: URLSearchParams): EmulatorResponse {
  advanceAll(store, startDeployment);
  const { items, headers } = pageOf(listRuns(store, "deployment", q, "deployPipelineId"), q);
  return store.reply(200, { items: items.map((r) => summary(store, r)) }, headers);
}

/** ApproveDeployment: the stage must be a MANUAL_APPROVAL stage of this deployment that waits now. */
export function approveDeployment(store: OciStore, id: string, input: JsonObject, subjectId: string): EmulatorResponse {
  advanceAll(store, startDeployment);
  const rec = findRun(store, "deployment", id);
  const { deployStageId, action, reason } = input;
  if (typeof deployStageId !== "string") throw new OciError("MissingParameter", "deployStageId is required");
  if (action !== "APPROVE" && action !== "REJECT") throw new OciError("InvalidParameter", `action must be APPROVE or REJECT, not ${String(action)}`);
  const stage = rec.sim.stages.find((s) => s.id === deployStageId);
  if (!stage || stage.type !== "MANUAL_APPROVAL")
    throw new OciError("InvalidParameter", `deployStageId ${deployStageId} is not an approval stage of deployment ${id}`);
  if (isDone(rec.sim) || stage.status !== "IN_PROGRESS")
    throw new OciError("Conflict", `stage ${stage.name} of deployment ${id} is not waiting for approval (${stage.status ?? "not started"})`);
  stage.decision = { action, subjectId, at: store.opts.now().getTime(), ...(typeof reason === "string" && reason !== "" ? { reason } : {}) };
  advanceAll(store, startDeployment);
  return store.reply(200, deploymentBody(store, rec), { etag: store.etag() });
}

export function cancelDeployment(store: OciStore, id: string, input: JsonObject): EmulatorResponse {
  advanceAll(store, startDeployment);
  const rec = findRun(store, "deployment", id);
  if (typeof input.reason !== "string" || input.reason === "") throw new OciError("MissingParameter", "reason is required");
  if (isDone(rec.sim)) throw new OciError("Conflict", `deployment ${id} has already ended (${rec.sim.lifecycle})`);
  cancel(rec.sim, store.opts.now().getTime(), input.reason);
  return store.reply(200, deploymentBody(store, rec), { etag: store.etag() });
}
