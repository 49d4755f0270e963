/** What the OCI DevOps service fills in: default fields of a new resource, a deploy pipeline's computed collections. */
import { isObject, type JsonObject } from "../core/json.js";
import type { OciKind } from "./kinds.js";
import type { OciStore } from "./store.js";

/** Values the real service fills in when they are not given. */
export function applyDefaults(store: OciStore, kind: OciKind, b: JsonObject): void {
  if (b.freeformTags === undefined) b.freeformTags = {};
  if (b.definedTags === undefined) b.definedTags = { "Oracle-Tags": { CreatedBy: "pipeglot-emulator", CreatedOn: store.now() } };
  b.systemTags = {};
  if (kind === "buildPipeline" && b.buildPipelineParameters === undefined) b.buildPipelineParameters = { items: [] };
  if (kind === "deployPipeline" && b.deployPipelineParameters === undefined) b.deployPipelineParameters = { items: [] };
  if (kind === "buildPipelineStage" && b.buildPipelineStageType === "BUILD") {
    if (b.stageExecutionTimeoutInSeconds === undefined) b.stageExecutionTimeoutInSeconds = 36000;
    if (b.buildRunnerShapeConfig === undefined) b.buildRunnerShapeConfig = { buildRunnerType: "DEFAULT" };
    const items = isObject(b.buildSourceCollection) && Array.isArray(b.buildSourceCollection.items) ? b.buildSourceCollection.items : [];
    if (b.primaryBuildSource === undefined && isObject(items[0]) && typeof items[0].name === "string") b.primaryBuildSource = items[0].name;
  }
  if (kind === "deployStage" && b.deployStageType === "SHELL" && b.timeoutInSeconds === undefined) b.timeoutInSeconds = 36000;
}

/** The deploy pipeline's computed collections (artifacts its stages use). */
export function refreshDeployPipeline(store: OciStore, pipelineId: string): void {
  const p = store.resources.get(pipelineId);
  if (!p || p.kind !== "deployPipeline") return;
  const artifacts = new Set<string>();
  for (const s of store.resources.values()) {
    if (s.kind !== "deployStage" || s.body.deployPipelineId !== pipelineId || s.body.lifecycleState === "DELETING") continue;
    if (typeof s.body.commandSpecDeployArtifactId === "string") artifacts.add(s.body.commandSpecDeployArtifactId);
  }
  p.body.deployPipelineArtifacts = {
    items: [...artifacts].sort().map((id) => ({ deployArtifactId: id, displayName: String(store.resources.get(id)?.body.displayName ?? "") })),
  };
  p.body.deployPipelineEnvironments = { items: [] };
}
