/**
 * The Cloud Build v1 REST routes of builds, as the Node client (fallback mode) calls them:
 *
 *   POST /v1/projects/{p}/locations/{l}/triggers/{t}:run   RunBuildTrigger (body: {projectId, triggerId, source})
 *   POST /v1/projects/{p}/triggers/{t}:run                 RunBuildTrigger, legacy global (body: RepoSource)
 *   GET  /v1/projects/{p}[/locations/{l}]/builds/{id}      GetBuild
 *   GET  /v1/projects/{p}[/locations/{l}]/builds           ListBuilds (filter, pageSize, pageToken), newest first
 *   POST /v1/projects/{p}[/locations/{l}]/builds/{id}:approve   ApproveBuild (body: {approvalResult})
 *   POST /v1/projects/{p}[/locations/{l}]/builds/{id}:cancel    CancelBuild
 *   GET  /v1/projects/{p}/locations/{l}/operations/{op}    GetOperation (and /v1/operations/{op})
 *
 * Reference: https://cloud.google.com/build/docs/api/reference/rest/v1/projects.locations.builds
 */
import { isObject, type Json, type JsonObject } from "../core/json.js";
import type { EmulatorRequest } from "../core/server.js";
import type { BuildStore, TriggerLookup } from "./builds.js";
import { GoogleError } from "./errors.js";
import { pageOf } from "./paging.js";

export type BuildOp = "RunBuildTrigger" | "GetBuild" | "ListBuilds" | "ApproveBuild" | "CancelBuild" | "GetOperation";

export interface BuildRoute {
  op: BuildOp;
  project: string;
  location: string;
  /** Trigger id/name, build id or operation id. */
  id?: string;
  legacy: boolean;
}

/** What a build route answers, and which of its members are Build resources (for the enum encoding). */
export interface BuildAnswer {
  body: JsonObject;
  shape: "build" | "operation" | "list";
}

const RUN = /^\/v1\/projects\/([^/]+)(?:\/locations\/([^/]+))?\/triggers\/([^/:]+):run$/;
const BUILDS = /^\/v1\/projects\/([^/]+)(?:\/locations\/([^/]+))?\/builds(?:\/([^/:]+))?(?::(approve|cancel))?$/;
const OPERATION = /^\/v1\/(?:projects\/([^/]+)\/locations\/([^/]+)\/)?operations\/(.+)$/;

export function buildRoute(req: EmulatorRequest): BuildRoute | undefined {
  let m = RUN.exec(req.path);
  if (m && req.method === "POST") return { op: "RunBuildTrigger", project: m[1]!, location: m[2] ?? "global", id: m[3]!, legacy: !m[2] };
  m = BUILDS.exec(req.path);
  if (m) {
    const [, project, location, id, verb] = m;
    const base = { project: project!, location: location ?? parentLocation(req) ?? "global", legacy: !location };
    if (id === undefined) return req.method === "GET" ? { op: "ListBuilds", ...base } : undefined;
    if (verb === "approve" && req.method === "POST") return { op: "ApproveBuild", ...base, id };
    if (verb === "cancel" && req.method === "POST") return { op: "CancelBuild", ...base, id };
    if (!verb && req.method === "GET") return { op: "GetBuild", ...base, id };
    return undefined;
  }
  m = OPERATION.exec(req.path);
  if (m && req.method === "GET") return { op: "GetOperation", project: m[1] ?? "", location: m[2] ?? "global", id: m[3]!.split("/").pop()!, legacy: !m[1] };
  return undefined;
}

function parentLocation(req: EmulatorRequest): string | undefined {
  return /^projects\/[^/]+\/locations\/([^/]+)$/.exec(req.query.get("parent") ?? "")?.[1];
}

/** A request's JSON object body ({} when empty), refused as the real API refuses malformed JSON. */
export function jsonBody(req: EmulatorRequest): JsonObject {
  let parsed: Json;
  try {
    parsed = req.body.length === 0 ? {} : (JSON.parse(req.body.toString("utf8")) as Json);
  } catch {
    throw new GoogleError("INVALID_ARGUMENT", "Invalid JSON payload received.");
  }
  if (!isObject(parsed)) throw new GoogleError("INVALID_ARGUMENT", "Invalid JSON payload received. Expected an object.");
  return parsed;
}

export function handleBuildRoute(r: BuildRoute, req: EmulatorRequest, store: BuildStore, triggers: TriggerLookup): BuildAnswer {
  switch (r.op) {
    case "RunBuildTrigger": {
      const trigger = triggers.find(r.project, r.location, r.id!);
      if (!trigger) throw new GoogleError("NOT_FOUND", `trigger "${r.id}" not found in projects/${r.project}/locations/${r.location}`);
      const body = jsonBody(req);
      const source = r.legacy ? body : isObject(body.source) ? body.source : undefined;
      const { operation, build } = store.run({ project: r.project, location: r.location, trigger, ...(source ? { source } : {}) });
      return { body: store.operation(operation, build), shape: "operation" };
    }
    case "GetBuild":
      return { body: store.json(store.find(r.project, r.location, r.id!)), shape: "build" };
    case "ListBuilds":
      return { body: listBuilds(store, r, req.query), shape: "list" };
    case "ApproveBuild": {
      const b = store.find(r.project, r.location, r.id!);
      const body = jsonBody(req);
      if (!isObject(body.approvalResult)) throw new GoogleError("INVALID_ARGUMENT", "approvalResult is required");
      store.decide(b, body.approvalResult);
      const op = [...store.operations].find(([, id]) => id === b.id)?.[0] ?? b.id;
      return { body: store.operation(op, b), shape: "operation" };
    }
    case "CancelBuild": {
      const b = store.find(r.project, r.location, r.id!);
      store.cancel(b);
      return { body: store.json(b), shape: "build" };
    }
    case "GetOperation": {
      const buildId = store.operations.get(r.id!);
      const b = buildId === undefined ? undefined : store.builds.get(buildId);
      if (!b || (r.project && b.project !== r.project)) throw new GoogleError("NOT_FOUND", `operation "${r.id}" not found`);
      return { body: store.operation(r.id!, b), shape: "operation" };
    }
  }
}

/** `key="value"` terms joined by AND: build_trigger_id / trigger_id, tags, status, id. */
function filterOf(text: string | null): (b: JsonObject) => boolean {
  if (!text || !text.trim()) return () => true;
  const terms = text.split(/\s+AND\s+/).map((t) => {
    const m = /^\s*([a-z_]+)\s*=\s*"([^"]*)"\s*$/.exec(t);
    if (!m) throw new GoogleError("INVALID_ARGUMENT", `invalid filter ${JSON.stringify(text)}: the emulator takes key="value" terms joined by AND`);
    return { key: m[1]!, value: m[2]! };
  });
  return (b) =>
    terms.every(({ key, value }) => {
      if (key === "build_trigger_id" || key === "trigger_id") return b.buildTriggerId === value;
      if (key === "tags") return Array.isArray(b.tags) && b.tags.includes(value);
      if (key === "status") return b.status === value;
      if (key === "id" || key === "build_id") return b.id === value;
      throw new GoogleError("INVALID_ARGUMENT", `invalid filter: unknown field ${key}`);
    });
}

function listBuilds(store: BuildStore, r: BuildRoute, q: URLSearchParams): JsonObject {
  const keep = filterOf(q.get("filter"));
  const all = store
    .list(r.project, r.location)
    .map((b) => store.json(b))
    .filter(keep);
  const { items, nextPageToken } = pageOf(all, q, 50, 1000);
  const out: JsonObject = {};
  if (items.length) out.builds = items;
  if (nextPageToken) out.nextPageToken = nextPageToken;
  return out;
}
