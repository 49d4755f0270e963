/**
 * What the OCI DevOps service checks in a create or update body, per kind: stage types,
 * predecessors (no cycle), runner images, the artifacts, pipelines and parameters referred to.
 */
import { isObject, type JsonObject } from "../core/json.js";
import { OciError } from "./errors.js";
import { ARTIFACT_TYPES, BUILD_STAGE_TYPES, DEPLOY_STAGE_TYPES, RUNNER_IMAGES, TRIGGER_SOURCES, type OciKind } from "./kinds.js";
import type { OciStore, Stored } from "./store.js";

const str = (body: JsonObject, k: string) => (typeof body[k] === "string" ? (body[k] as string) : undefined);

/** A stage's parent pipeline (stages) or its project (everything else). */
export function parentOf(store: OciStore, kind: OciKind, body: JsonObject): { parent?: Stored; projectId: string } {
  if (kind === "buildPipelineStage" || kind === "deployStage") {
    const field = kind === "buildPipelineStage" ? "buildPipelineId" : "deployPipelineId";
    const pid = body[field];
    if (typeof pid !== "string" || pid === "") throw new OciError("MissingParameter", `${field} is required`);
    const parentKind: OciKind = kind === "buildPipelineStage" ? "buildPipeline" : "deployPipeline";
    const parent = store.resources.get(pid);
    if (!parent || parent.kind !== parentKind) throw new OciError("NotAuthorizedOrNotFound", `${field} ${pid} not found`);
    return { parent, projectId: String(parent.body.projectId) };
  }
  const projectId = body.projectId;
  if (typeof projectId !== "string" || projectId === "") throw new OciError("MissingParameter", "projectId is required");
  if (!projectId.startsWith("ocid1.devopsproject.")) throw new OciError("InvalidParameter", `projectId ${projectId} is not a DevOps project OCID`);
  return { projectId };
}

/** No cycle: walking predecessors from the new ones must not reach the stage itself. */
function checkNoCycle(store: OciStore, kind: OciKind, field: string, items: unknown[], selfId: string): void {
  const seen = new Set<string>();
  const stack = items.map((x) => String((x as JsonObject).id));
  while (stack.length) {
    const id = stack.pop()!;
    if (id === selfId) throw new OciError("InvalidParameter", "the predecessors would make a cycle");
    if (seen.has(id)) continue;
    seen.add(id);
    const s = store.resources.get(id);
    if (!s || s.kind !== kind) continue;
    const c = s.body[field];
    if (isObject(c) && Array.isArray(c.items)) for (const x of c.items) if (isObject(x) && typeof x.id === "string") stack.push(x.id);
  }
}

function checkPredecessors(store: OciStore, kind: OciKind, body: JsonObject, pipelineId: string, selfId?: string): void {
  const field = kind === "buildPipelineStage" ? "buildPipelineStagePredecessorCollection" : "deployStagePredecessorCollection";
  const coll = body[field];
  if (!isObject(coll) || !Array.isArray(coll.items) || coll.items.length === 0)
    throw new OciError("InvalidParameter", `${field} must list at least one predecessor (the pipeline's own id for a first stage)`);
  for (const it of coll.items) {
    const id = isObject(it) ? it.id : undefined;
    if (typeof id !== "string") throw new OciError("InvalidParameter", `${field}.items[].id is required`);
    if (id === pipelineId) continue;
    const s = store.resources.get(id);
    if (!s || s.kind !== kind || s.body[kind === "buildPipelineStage" ? "buildPipelineId" : "deployPipelineId"] !== pipelineId) {
      throw new OciError("InvalidParameter", `predecessor ${id} is neither the pipeline nor one of its stages`);
    }
    if (id === selfId) throw new OciError("InvalidParameter", "a stage cannot be its own predecessor");
  }
  if (selfId) checkNoCycle(store, kind, field, coll.items, selfId);
}

function validatePipeline(kind: OciKind, body: JsonObject): void {
  const field = kind === "buildPipeline" ? "buildPipelineParameters" : "deployPipelineParameters";
  const params = body[field];
  if (params === undefined) return;
  if (!isObject(params) || !Array.isArray(params.items)) throw new OciError("InvalidParameter", `${field} must be {items: [...]}`);
  for (const p of params.items) {
    const name = isObject(p) ? p.name : undefined;
    if (typeof name !== "string" || !/^[a-zA-Z][a-zA-Z_0-9]*$/.test(name))
      throw new OciError("InvalidParameter", `parameter name ${JSON.stringify(name)} must match ^[a-zA-Z][a-zA-Z_0-9]*$`);
  }
}

function validateBuildStage(store: OciStore, body: JsonObject, pipelineId: string, selfId?: string): void {
  const type = str(body, "buildPipelineStageType");
  if (!type || !BUILD_STAGE_TYPES.has(type))
    throw new OciError("InvalidParameter", `buildPipelineStageType ${JSON.stringify(type)} is not one of ${[...BUILD_STAGE_TYPES].join(", ")}`);
  checkPredecessors(store, "buildPipelineStage", body, pipelineId, selfId);
  if (type === "BUILD") {
    if (!RUNNER_IMAGES.has(str(body, "image") ?? "")) throw new OciError("InvalidParameter", `image must be one of ${[...RUNNER_IMAGES].join(", ")}`);
    const src = body.buildSourceCollection;
    if (!isObject(src) || !Array.isArray(src.items)) throw new OciError("MissingParameter", "buildSourceCollection is required for a BUILD stage");
  } else if (type === "DELIVER_ARTIFACT") {
    const c = body.deliverArtifactCollection;
    if (!isObject(c) || !Array.isArray(c.items) || c.items.length === 0) throw new OciError("MissingParameter", "deliverArtifactCollection is required");
    for (const it of c.items) store.mustExist(isObject(it) ? it.artifactId : undefined, "deployArtifact", "deliverArtifactCollection.items[].artifactId");
  } else if (type === "TRIGGER_DEPLOYMENT_PIPELINE") {
    store.mustExist(body.deployPipelineId, "deployPipeline", "deployPipelineId");
    if (typeof body.isPassAllParametersEnabled !== "boolean") throw new OciError("MissingParameter", "isPassAllParametersEnabled is required");
  } else if (type === "WAIT" && !isObject(body.waitCriteria)) throw new OciError("MissingParameter", "waitCriteria is required");
}

function validateDeployStage(store: OciStore, body: JsonObject, pipelineId: string, selfId?: string): void {
  const type = str(body, "deployStageType");
  if (!type || !DEPLOY_STAGE_TYPES.has(type)) throw new OciError("InvalidParameter", `deployStageType ${JSON.stringify(type)} is not a deploy stage type`);
  checkPredecessors(store, "deployStage", body, pipelineId, selfId);
  if (type === "SHELL") {
    store.mustExist(body.commandSpecDeployArtifactId, "deployArtifact", "commandSpecDeployArtifactId");
    if (!isObject(body.containerConfig)) throw new OciError("MissingParameter", "containerConfig is required for a SHELL stage");
  } else if (type === "MANUAL_APPROVAL" && !isObject(body.approvalPolicy)) throw new OciError("MissingParameter", "approvalPolicy is required");
}

function validateArtifact(body: JsonObject): void {
  const type = str(body, "deployArtifactType");
  if (!type || !ARTIFACT_TYPES.has(type)) throw new OciError("InvalidParameter", `deployArtifactType ${JSON.stringify(type)} is not valid`);
  if (!isObject(body.deployArtifactSource)) throw new OciError("MissingParameter", "deployArtifactSource is required");
  if (body.argumentSubstitutionMode !== "NONE" && body.argumentSubstitutionMode !== "SUBSTITUTE_PLACEHOLDERS")
    throw new OciError("InvalidParameter", "argumentSubstitutionMode must be NONE or SUBSTITUTE_PLACEHOLDERS");
}

function validateTrigger(store: OciStore, body: JsonObject): void {
  const source = str(body, "triggerSource");
  if (!source || !TRIGGER_SOURCES.has(source)) throw new OciError("InvalidParameter", `triggerSource ${JSON.stringify(source)} is not valid`);
  if (!Array.isArray(body.actions) || body.actions.length === 0) throw new OciError("MissingParameter", "actions is required");
  for (const a of body.actions) {
    if (!isObject(a) || a.type !== "TRIGGER_BUILD_PIPELINE") throw new OciError("InvalidParameter", "actions[].type must be TRIGGER_BUILD_PIPELINE");
    store.mustExist(a.buildPipelineId, "buildPipeline", "actions[].buildPipelineId");
  }
}

/** Check a body about to be stored (create, or the merged result of an update of `selfId`). */
export function validate(store: OciStore, kind: OciKind, body: JsonObject, pipelineId: string | undefined, selfId?: string): void {
  switch (kind) {
    case "buildPipeline":
    case "deployPipeline":
      return validatePipeline(kind, body);
    case "buildPipelineStage":
      return validateBuildStage(store, body, pipelineId!, selfId);
    case "deployStage":
      return validateDeployStage(store, body, pipelineId!, selfId);
    case "deployArtifact":
      return validateArtifact(body);
    case "trigger":
      return validateTrigger(store, body);
  }
}
