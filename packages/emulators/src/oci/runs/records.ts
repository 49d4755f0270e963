/**
 * Build runs and deployments as the emulator keeps them: the simulated run (simulate.ts) and the
 * fields given when it was created. Every read moves every run on to `now` first.
 */
import { isObject, type JsonObject } from "../../core/json.js";
import { OciError } from "../errors.js";
import type { OciStore } from "../store.js";
import { advance, isDone, type SimSettings, type SimStage } from "./simulate.js";
import type { SimRun } from "./simulate.js";

export interface RunRecord {
  kind: "buildRun" | "deployment";
  sim: SimRun;
  /** What the create request gave (displayName, arguments, tags, commitInfo), and the project. */
  fields: JsonObject;
}

/** Set by deployments.ts: what a TRIGGER_DEPLOYMENT_PIPELINE stage calls to start its deployment. */
export type StartDeployment = (store: OciStore, pipelineId: string, at: number, fields: JsonObject) => string;

const DEFAULT_STEP_MS = 100;

export function simSettings(store: OciStore, startDeployment?: StartDeployment): SimSettings {
  const stepMs = Math.max(0, store.opts.runs?.stepMs ?? DEFAULT_STEP_MS);
  return {
    stepMs,
    failSteps: new Set(store.opts.runs?.failSteps ?? []),
    onStart: (run, stage, at) => {
      if (stage.type !== "TRIGGER_DEPLOYMENT_PIPELINE" || !stage.deployPipelineId || !startDeployment) return;
      const rec = store.runs.get(run.id);
      const args = rec && isObject(rec.fields.buildRunArguments) ? rec.fields.buildRunArguments : { items: [] };
      stage.deploymentId = startDeployment(store, stage.deployPipelineId, at, { deploymentArguments: args, displayName: `${run.id.slice(-8)}-deployment` });
    },
  };
}

/** Every run not finished, moved on to now (runs a trigger stage starts join the loop). */
export function advanceAll(store: OciStore, startDeployment: StartDeployment): void {
  const now = store.opts.now().getTime();
  const sim = simSettings(store, startDeployment);
  for (const rec of [...store.runs.values()]) if (!isDone(rec.sim)) advance(rec.sim, now, sim);
  // A deployment started by a stage just now may itself have moved: once more for those.
  for (const rec of store.runs.values()) if (!isDone(rec.sim)) advance(rec.sim, now, sim);
}

const tagsOf = (b: JsonObject): Record<string, string> => (isObject(b.freeformTags) ? (b.freeformTags as Record<string, string>) : {});

function predsOf(b: JsonObject, field: string): string[] {
  const c = b[field];
  const items = isObject(c) && Array.isArray(c.items) ? c.items : [];
  return items.flatMap((i) => (isObject(i) && typeof i.id === "string" ? [i.id] : []));
}

/** The pipeline's stages as they are now (a run keeps them as they were when it started). */
export function stagesOf(store: OciStore, kind: "buildPipelineStage" | "deployStage", pipelineId: string): SimStage[] {
  const parent = kind === "buildPipelineStage" ? "buildPipelineId" : "deployPipelineId";
  const typeField = kind === "buildPipelineStage" ? "buildPipelineStageType" : "deployStageType";
  const predField = kind === "buildPipelineStage" ? "buildPipelineStagePredecessorCollection" : "deployStagePredecessorCollection";
  const out: SimStage[] = [];
  for (const s of store.resources.values()) {
    if (s.kind !== kind || s.body[parent] !== pipelineId || s.body.lifecycleState === "DELETING") continue;
    const b = s.body;
    out.push({
      id: String(b.id),
      name: String(b.displayName ?? ""),
      type: String(b[typeField]),
      preds: predsOf(b, predField),
      tags: { ...tagsOf(b) },
      ...(typeof b.deployPipelineId === "string" && kind === "buildPipelineStage" ? { deployPipelineId: b.deployPipelineId } : {}),
    });
  }
  return out;
}

export function findRun(store: OciStore, kind: RunRecord["kind"], id: string): RunRecord {
  const rec = store.runs.get(id);
  if (!rec || rec.kind !== kind)
    throw new OciError(
      "NotAuthorizedOrNotFound",
      `Authorization failed or requested resource not found: ${kind === "buildRun" ? "BuildRun" : "Deployment"} ${id}`,
    );
  return rec;
}

/** The list filters both collections share, newest first unless sortOrder=ASC. */
export function listRuns(store: OciStore, kind: RunRecord["kind"], q: URLSearchParams, pipelineField: string): RunRecord[] {
  const want = (k: string) => q.get(k) ?? undefined;
  const [pipelineId, projectId, compartmentId, id, name, state] = [pipelineField, "projectId", "compartmentId", "id", "displayName", "lifecycleState"].map(
    want,
  );
  if (!pipelineId && !projectId && !compartmentId && !id)
    throw new OciError("MissingParameter", `one of ${pipelineField}, projectId, compartmentId or id is required`);
  const all = [...store.runs.values()].filter(
    (r) =>
      r.kind === kind &&
      (!pipelineId || r.sim.pipelineId === pipelineId) &&
      (!projectId || r.fields.projectId === projectId) &&
      (!compartmentId || compartmentId === store.compartmentId) &&
      (!id || r.sim.id === id) &&
      (!name || r.fields.displayName === name) &&
      (!state || r.sim.lifecycle === state),
  );
  // Creation order is insertion order; equal times keep it.
  return q.get("sortOrder") === "ASC" ? all : all.reverse();
}
