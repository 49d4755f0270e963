/**
 * The collection operations: create (CREATING + a work request), list (filters, sort, pages),
 * update (top-level merge, if-match), delete (refused while referenced, if-match).
 */
import { clone, isObject, type Json, type JsonObject } from "../core/json.js";
import type { EmulatorResponse } from "../core/server.js";
import { applyDefaults, refreshDeployPipeline } from "./defaults.js";
import { OciError } from "./errors.js";
import { KINDS, OCI_API_VERSION, SERVER_FIELDS, type OciKind } from "./kinds.js";
import type { OciStore, Stored } from "./store.js";
import { parentOf, validate } from "./validate.js";
import { pageOf } from "./paging.js";
import { startWork } from "./work-requests.js";

export function create(store: OciStore, kind: OciKind, input: JsonObject): EmulatorResponse {
  const body = clone(input);
  for (const k of SERVER_FIELDS) delete body[k];
  delete body.definedTagsDefaults;
  const { parent, projectId } = parentOf(store, kind, body);
  if (parent) store.requireActive(parent, KINDS[parent.kind].op);
  validate(store, kind, body, parent ? String(parent.body.id) : undefined);
  const id = store.ocid(KINDS[kind].ocid);
  const now = store.now();
  const stored: JsonObject = { id, ...body, projectId, compartmentId: store.compartmentId, timeCreated: now, timeUpdated: now, lifecycleState: "CREATING" };
  applyDefaults(store, kind, stored);
  let secret: string | undefined;
  if (kind === "trigger") {
    stored.triggerUrl = `https://devops.${store.opts.region}.oci.oraclecloud.com/${OCI_API_VERSION}/triggers/${id}/${String(body.triggerSource).toLowerCase()}`;
    if (body.triggerSource === "GITHUB" || body.triggerSource === "GITLAB") secret = `whsec-${store.etag()}`;
  }
  const w = startWork(store, kind, "CREATED", id, String(stored.displayName ?? ""));
  const s: Stored = { kind, body: stored, etag: store.etag(), pending: w.id };
  store.resources.set(id, s);
  if (kind === "deployStage") refreshDeployPipeline(store, String(stored.deployPipelineId));
  // A webhook trigger's create result carries the shared secret once; GET never shows it.
  const answer = secret ? { ...clone(stored), secret } : clone(stored);
  return store.reply(200, answer, { etag: s.etag, "opc-work-request-id": w.id });
}

export function list(store: OciStore, kind: OciKind, q: URLSearchParams): EmulatorResponse {
  const parentField = KINDS[kind].parent!;
  const filters: [string, string][] = [];
  for (const f of [parentField, "projectId", "compartmentId", "id", "displayName", "lifecycleState", "deployPipelineId", "buildPipelineId"]) {
    const v = q.get(f);
    if (v) filters.push([f, v]);
  }
  if (!filters.some(([f]) => f === parentField || f === "compartmentId" || f === "id" || f === "projectId")) {
    throw new OciError("MissingParameter", `one of ${parentField}, compartmentId or id is required`);
  }
  const all = [...store.resources.values()].filter((s) => s.kind === kind && filters.every(([f, v]) => s.body[f] === v)).map((s) => s.body);
  const order = q.get("sortOrder") === "DESC" ? -1 : 1;
  const by = q.get("sortBy") === "displayName" ? "displayName" : "timeCreated";
  // Stable: equal keys keep creation order.
  all.sort((a, b) => order * (String(a[by]) < String(b[by]) ? -1 : String(a[by]) > String(b[by]) ? 1 : 0));
  const { items, headers } = pageOf(all, q);
  return store.reply(200, { items: items.map((b) => clone(b)) }, headers);
}

function checkIfMatch(s: Stored, ifMatch: string | undefined): void {
  if (ifMatch !== undefined && ifMatch !== "*" && ifMatch !== s.etag) {
    throw new OciError("PreconditionFailed", `The resource's etag does not match the if-match header (${KINDS[s.kind].op} ${String(s.body.id)})`);
  }
}

export function update(store: OciStore, kind: OciKind, id: string, input: JsonObject, ifMatch: string | undefined): EmulatorResponse {
  const s = store.find(kind, id);
  checkIfMatch(s, ifMatch);
  store.requireActive(s, KINDS[kind].op);
  const patch = clone(input);
  for (const k of [...SERVER_FIELDS, "projectId", "buildPipelineId", "deployPipelineId"]) delete patch[k];
  const typeField = KINDS[kind].typeField;
  if (typeField && patch[typeField] !== undefined && patch[typeField] !== s.body[typeField]) {
    throw new OciError("InvalidParameter", `${typeField} cannot be changed (${String(s.body[typeField])} → ${String(patch[typeField])})`);
  }
  const next: JsonObject = { ...clone(s.body) };
  for (const [k, v] of Object.entries(patch)) if (v !== null) next[k] = v;
  const pipelineId = kind === "buildPipelineStage" ? String(next.buildPipelineId) : kind === "deployStage" ? String(next.deployPipelineId) : undefined;
  validate(store, kind, next, pipelineId, id);
  next.timeUpdated = store.now();
  next.lifecycleState = "UPDATING";
  const w = startWork(store, kind, "UPDATED", id);
  s.body = next;
  s.etag = store.etag();
  s.pending = w.id;
  if (kind === "deployStage") refreshDeployPipeline(store, String(next.deployPipelineId));
  return store.reply(200, clone(next), { etag: s.etag, "opc-work-request-id": w.id });
}

/** What still points at a resource (a delete is refused while anything does). */
function referencesTo(store: OciStore, id: string): string[] {
  const out: string[] = [];
  const mentions = (v: Json): boolean =>
    typeof v === "string" ? v === id : Array.isArray(v) ? v.some(mentions) : isObject(v) ? Object.values(v).some(mentions) : false;
  for (const [otherId, o] of store.resources) {
    if (otherId === id || o.body.lifecycleState === "DELETING") continue;
    const { id: _self, deployPipelineArtifacts: _a, deployPipelineEnvironments: _e, ...rest } = o.body;
    if (mentions(rest)) out.push(`${KINDS[o.kind].op} ${otherId}`);
  }
  return out;
}

export function remove(store: OciStore, kind: OciKind, id: string, ifMatch: string | undefined): EmulatorResponse {
  const s = store.find(kind, id);
  checkIfMatch(s, ifMatch);
  store.requireActive(s, KINDS[kind].op);
  const refs = referencesTo(store, id);
  if (refs.length)
    throw new OciError(
      "Conflict",
      `${KINDS[kind].op} ${id} is still referenced by ${refs.slice(0, 3).join(", ")}${refs.length > 3 ? ` and ${refs.length - 3} more` : ""}`,
    );
  const w = startWork(store, kind, "DELETED", id);
  s.body.lifecycleState = "DELETING";
  s.body.timeUpdated = store.now();
  s.pending = w.id;
  if (kind === "deployStage") refreshDeployPipeline(store, String(s.body.deployPipelineId));
  return store.reply(202, undefined, { "opc-work-request-id": w.id });
}
