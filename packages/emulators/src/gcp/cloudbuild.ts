/**
 * Google Cloud Build REST v1, build triggers, as the Node client's REST fallback mode
 * (`new CloudBuildClient({fallback: true, ...})`) and plain REST callers use it.
 * Reference: https://cloud.google.com/build/docs/api/reference/rest/v1/projects.locations.triggers
 *
 *   POST   /v1/projects/{p}/locations/{l}/triggers          create  (body: BuildTrigger)
 *   GET    /v1/projects/{p}/locations/{l}/triggers          list    (pageSize, pageToken)
 *   GET    /v1/projects/{p}/locations/{l}/triggers/{id}     get     (id or name)
 *   PATCH  /v1/projects/{p}/locations/{l}/triggers/{id}     update  (updateMask optional)
 *   DELETE /v1/projects/{p}/locations/{l}/triggers/{id}     delete
 *   ...and the legacy global form /v1/projects/{p}/triggers[/{id}] (location "global").
 *
 * Enums arrive as names or, with `$alt=json;enum-encoding=int`, as proto numbers; they are stored
 * as names and answered in the encoding the request asked for.
 */
import { Prng } from "../core/prng.js";
import { clone, isObject, type Json, type JsonObject } from "../core/json.js";
import { decodeState, encodeState, refill, resume } from "../core/state.js";
import type { EmulatorRequest, EmulatorResponse, ProtocolHandler } from "../core/server.js";
import { BUILD_TRIGGER_ENUMS } from "./enums.generated.js";
import { GoogleError, STATUS } from "./errors.js";
import { pageOf } from "./paging.js";
import { BuildStore, type RunSimulationOptions, type TriggerLookup } from "./builds.js";
import { buildRoute, handleBuildRoute, jsonBody, type BuildAnswer, type BuildRoute } from "./builds-api.js";

export { GoogleError };

interface GcbEmulatorOptions {
  now: () => Date;
  seed: number;
  /** How builds are simulated (step time, failing steps). */
  runs?: RunSimulationOptions;
}

/** Every BuildTrigger field of the v1 REST resource (discovery revision 20260918). */
const TRIGGER_FIELDS = new Set([
  "approvalConfig",
  "autodetect",
  "bitbucketServerTriggerConfig",
  "build",
  "createTime",
  "description",
  "developerConnectEventConfig",
  "disabled",
  "eventType",
  "filename",
  "filter",
  "gitFileSource",
  "github",
  "id",
  "ignoredFiles",
  "includeBuildLogs",
  "includedFiles",
  "name",
  "pubsubConfig",
  "repositoryEventConfig",
  "resourceName",
  "serviceAccount",
  "sourceToBuild",
  "substitutions",
  "tags",
  "triggerTemplate",
  "webhookConfig",
]);
const OUTPUT_ONLY = ["id", "createTime", "resourceName"];
const EVENT_SOURCES = [
  "triggerTemplate",
  "github",
  "pubsubConfig",
  "webhookConfig",
  "repositoryEventConfig",
  "sourceToBuild",
  "bitbucketServerTriggerConfig",
  "gitlabEnterpriseEventsConfig",
  "developerConnectEventConfig",
];
const BUILD_TEMPLATES = ["autodetect", "build", "filename", "gitFileSource"];
const TRIGGER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?$/;
const SUBSTITUTION_KEY = /^_[A-Z0-9_]+$/;

function snakeToCamel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Enum fields between names and numbers. `toInt` false: numbers in, names out (input direction). */
function convertEnums(value: Json, path: string, toInt: boolean): Json {
  if (Array.isArray(value)) return value.map((v) => convertEnums(v, path, toInt));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    const childPath = path ? `${path}.${k}` : k;
    const table = BUILD_TRIGGER_ENUMS[childPath];
    if (!table) {
      out[k] = convertEnums(v, childPath, toInt);
      continue;
    }
    const one = (x: Json): Json => {
      if (toInt) return typeof x === "string" && x in table ? table[x] : x;
      if (typeof x === "number") {
        const name = Object.keys(table).find((n) => table[n] === x);
        if (name === undefined) throw new GoogleError("INVALID_ARGUMENT", `Invalid value at 'trigger.${childPath}' (${x}): not a known enum number`);
        return name;
      }
      if (typeof x === "string" && !(x in table)) throw new GoogleError("INVALID_ARGUMENT", `Invalid value at 'trigger.${childPath}' (TYPE_ENUM), "${x}"`);
      return x;
    };
    out[k] = Array.isArray(v) ? v.map(one) : one(v);
  }
  return out;
}

interface Parent {
  project: string;
  location: string;
}

interface Route {
  op: "CreateBuildTrigger" | "ListBuildTriggers" | "GetBuildTrigger" | "UpdateBuildTrigger" | "DeleteBuildTrigger";
  parent: Parent;
  trigger?: string;
}

export interface TriggerSnapshot {
  project: string;
  location: string;
  /** The stored BuildTrigger, enums as names, approvalConfig included. */
  trigger: JsonObject;
}

export class CloudBuildProtocol implements ProtocolHandler {
  /** key: `${project}/${location}`, value: triggers by id, in creation order. */
  private readonly triggers = new Map<string, Map<string, JsonObject>>();
  private readonly ids: Prng;
  /** Simulated builds (RunBuildTrigger, builds.get/list/approve/cancel, operations). */
  readonly builds: BuildStore;

  constructor(private readonly opts: GcbEmulatorOptions) {
    this.ids = new Prng(opts.seed);
    this.builds = new BuildStore(this.ids, opts.now, this.triggerLookup, opts.runs);
  }

  /** Triggers by id or name, for the builds (undefined when there is none). */
  private readonly triggerLookup: TriggerLookup = {
    find: (project, location, idOrName) => {
      try {
        return this.find({ project, location }, idOrName)[1];
      } catch {
        return undefined;
      }
    },
  };

  private route(req: EmulatorRequest): Route | "unimplemented" | undefined {
    const m = /^\/v1\/projects\/([^/]+)(?:\/locations\/([^/]+))?\/triggers(?:\/([^/:]+))?(:[A-Za-z]+)?$/.exec(req.path);
    if (!m) return req.path.startsWith("/v1/") ? "unimplemented" : undefined;
    const [, project, location, trigger, verb] = m;
    if (verb) return "unimplemented";
    let loc = location ?? "global";
    if (!location) {
      // Legacy route: the client sends `parent` as a query parameter when it was also given.
      const parent = /^projects\/[^/]+\/locations\/([^/]+)$/.exec(req.query.get("parent") ?? "");
      if (parent) loc = parent[1];
    }
    const parent = { project, location: loc };
    if (trigger === undefined) {
      if (req.method === "POST") return { op: "CreateBuildTrigger", parent };
      if (req.method === "GET") return { op: "ListBuildTriggers", parent };
      return undefined;
    }
    if (req.method === "GET") return { op: "GetBuildTrigger", parent, trigger };
    if (req.method === "PATCH") return { op: "UpdateBuildTrigger", parent, trigger };
    if (req.method === "DELETE") return { op: "DeleteBuildTrigger", parent, trigger };
    return undefined;
  }

  operation(req: EmulatorRequest): string {
    const b = buildRoute(req);
    if (b) return `CloudBuild.${b.op}`;
    const r = this.route(req);
    if (r === undefined) return "CloudBuild.(unknown route)";
    if (r === "unimplemented") return "CloudBuild.(unimplemented)";
    return `CloudBuild.${r.op}`;
  }

  private reply(status: number, body: JsonObject): EmulatorResponse {
    return { status, headers: { "content-type": "application/json; charset=UTF-8" }, body };
  }

  private error(e: GoogleError): EmulatorResponse {
    const code = STATUS[e.status];
    return this.reply(code, { error: { code, message: e.message, status: e.status } });
  }

  faultResponse(kind: "throttle" | "error" | "internal"): EmulatorResponse {
    if (kind === "throttle")
      return this.error(new GoogleError("RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Requests' of service 'cloudbuild.googleapis.com'."));
    if (kind === "error") return this.error(new GoogleError("UNAVAILABLE", "The service is currently unavailable."));
    return this.error(new GoogleError("INTERNAL", "Internal error encountered."));
  }

  handle(req: EmulatorRequest): EmulatorResponse {
    try {
      this.builds.advance();
      const intEnums = /enum-encoding=int/.test(req.query.get("$alt") ?? "");
      const b = buildRoute(req);
      if (b) return this.reply(200, this.buildAnswer(b, req, intEnums));
      const route = this.route(req);
      if (route === undefined) throw new GoogleError("NOT_FOUND", `No Cloud Build method at ${req.method} ${req.path}`);
      if (route === "unimplemented")
        throw new GoogleError("UNIMPLEMENTED", `${req.method} ${req.path} is a Cloud Build method that the pipeglot emulator does not implement`);
      const body = this.dispatch(route, req);
      return this.reply(200, intEnums ? (convertEnums(body, "", true) as JsonObject) : body);
    } catch (e) {
      if (e instanceof GoogleError) return this.error(e);
      throw e;
    }
  }

  private buildAnswer(r: BuildRoute, req: EmulatorRequest, intEnums: boolean): JsonObject {
    const a: BuildAnswer = handleBuildRoute(r, req, this.builds, this.triggerLookup);
    if (!intEnums) return a.body;
    const build = (b: Json): Json => (convertEnums({ build: b }, "", true) as JsonObject).build!;
    if (a.shape === "build") return build(a.body) as JsonObject;
    if (a.shape === "list") return { ...a.body, ...(Array.isArray(a.body.builds) ? { builds: a.body.builds.map(build) } : {}) };
    const op = { ...a.body };
    if (isObject(op.metadata)) op.metadata = { ...op.metadata, build: build(op.metadata.build!) };
    if (isObject(op.response)) op.response = build(op.response);
    return op;
  }

  private dispatch(route: Route, req: EmulatorRequest): JsonObject {
    switch (route.op) {
      case "CreateBuildTrigger":
        return this.create(route.parent, this.body(req));
      case "ListBuildTriggers":
        return this.list(route.parent, req.query);
      case "GetBuildTrigger":
        return clone(this.find(route.parent, route.trigger!)[1]);
      case "UpdateBuildTrigger":
        return this.update(route.parent, route.trigger!, this.body(req), req.query.get("updateMask") ?? req.query.get("update_mask"));
      case "DeleteBuildTrigger": {
        const [id] = this.find(route.parent, route.trigger!);
        this.bucket(route.parent).delete(id);
        return {};
      }
    }
  }

  private body(req: EmulatorRequest): JsonObject {
    const parsed = jsonBody(req);
    for (const k of Object.keys(parsed)) {
      if (!TRIGGER_FIELDS.has(k))
        throw new GoogleError("INVALID_ARGUMENT", `Invalid JSON payload received. Unknown name "${k}" at 'trigger': Cannot find field.`);
    }
    return convertEnums(parsed, "", false) as JsonObject;
  }

  private bucket(p: Parent): Map<string, JsonObject> {
    const key = `${p.project}/${p.location}`;
    let b = this.triggers.get(key);
    if (!b) {
      b = new Map();
      this.triggers.set(key, b);
    }
    return b;
  }

  private find(p: Parent, idOrName: string): [string, JsonObject] {
    const b = this.bucket(p);
    const byId = b.get(idOrName);
    if (byId) return [idOrName, byId];
    for (const [id, t] of b) if (t.name === idOrName) return [id, t];
    throw new GoogleError("NOT_FOUND", `trigger "${idOrName}" not found in projects/${p.project}/locations/${p.location}`);
  }

  private validate(p: Parent, t: JsonObject, selfId?: string): void {
    const name = t.name;
    if (typeof name !== "string" || name === "") throw new GoogleError("INVALID_ARGUMENT", "trigger.name is required");
    if (!TRIGGER_NAME.test(name)) {
      throw new GoogleError(
        "INVALID_ARGUMENT",
        `invalid trigger name "${name}": 1 to 64 letters, digits and dashes, starting and ending with a letter or digit`,
      );
    }
    for (const [id, other] of this.bucket(p)) {
      if (id !== selfId && other.name === name) throw new GoogleError("ALREADY_EXISTS", `trigger (${p.project}, ${name}) already exists`);
    }
    const sources = EVENT_SOURCES.filter((k) => t[k] !== undefined && t[k] !== null);
    if (sources.length !== 1) {
      throw new GoogleError(
        "INVALID_ARGUMENT",
        `a trigger needs exactly one event source (${EVENT_SOURCES.join(", ")}), found ${sources.length === 0 ? "none" : sources.join(", ")}`,
      );
    }
    const templates = BUILD_TEMPLATES.filter((k) => t[k] !== undefined && t[k] !== null && t[k] !== false);
    if (templates.length !== 1) {
      throw new GoogleError(
        "INVALID_ARGUMENT",
        `a trigger needs exactly one of ${BUILD_TEMPLATES.join(", ")}, found ${templates.length === 0 ? "none" : templates.join(", ")}`,
      );
    }
    if (t.build !== undefined) {
      if (!isObject(t.build) || !Array.isArray(t.build.steps) || t.build.steps.length === 0) {
        throw new GoogleError("INVALID_ARGUMENT", "invalid build: build must have at least one step");
      }
      t.build.steps.forEach((s, i) => {
        if (!isObject(s) || typeof s.name !== "string" || s.name === "")
          throw new GoogleError("INVALID_ARGUMENT", `invalid build: build step ${i} must specify name`);
      });
    }
    if (t.substitutions !== undefined) {
      if (!isObject(t.substitutions)) throw new GoogleError("INVALID_ARGUMENT", "trigger.substitutions must be a map of strings");
      for (const k of Object.keys(t.substitutions)) {
        if (!SUBSTITUTION_KEY.test(k))
          throw new GoogleError("INVALID_ARGUMENT", `invalid substitution key "${k}": user-defined substitutions must match ^_[A-Z0-9_]+$`);
      }
    }
    if (
      t.approvalConfig !== undefined &&
      !(isObject(t.approvalConfig) && (t.approvalConfig.approvalRequired === undefined || typeof t.approvalConfig.approvalRequired === "boolean"))
    ) {
      throw new GoogleError("INVALID_ARGUMENT", "trigger.approvalConfig must be {approvalRequired: boolean}");
    }
  }

  private create(p: Parent, body: JsonObject): JsonObject {
    const t = clone(body);
    for (const k of OUTPUT_ONLY) delete t[k];
    this.validate(p, t);
    const id = this.ids.uuid();
    const stored: JsonObject = {
      ...t,
      id,
      createTime: this.opts.now().toISOString(),
      resourceName: `projects/${p.project}/locations/${p.location}/triggers/${id}`,
    };
    this.bucket(p).set(id, stored);
    return clone(stored);
  }

  private list(p: Parent, q: URLSearchParams): JsonObject {
    const all = [...this.bucket(p).values()];
    const { items, nextPageToken } = pageOf(all, q, 500, 500);
    const out: JsonObject = {};
    if (items.length > 0) out.triggers = items.map((t) => clone(t));
    if (nextPageToken) out.nextPageToken = nextPageToken;
    return out;
  }

  private update(p: Parent, idOrName: string, body: JsonObject, mask: string | null): JsonObject {
    const [id, current] = this.find(p, idOrName);
    let next: JsonObject;
    if (mask) {
      next = clone(current);
      for (const raw of mask
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)) {
        const path = raw.split(".").map(snakeToCamel);
        if (!TRIGGER_FIELDS.has(path[0])) throw new GoogleError("INVALID_ARGUMENT", `invalid update mask path "${raw}"`);
        if (OUTPUT_ONLY.includes(path[0])) continue;
        let src: Json | undefined = body;
        let dst: JsonObject = next;
        for (let i = 0; i < path.length - 1; i++) {
          src = isObject(src) ? src[path[i]] : undefined;
          if (!isObject(dst[path[i]])) dst[path[i]] = {};
          dst = dst[path[i]] as JsonObject;
        }
        const leaf = path[path.length - 1];
        const value = isObject(src) ? src[leaf] : undefined;
        if (value === undefined) delete dst[leaf];
        else dst[leaf] = clone(value);
      }
    } else {
      // No mask: a full update of the mutable fields.
      next = clone(body);
      for (const k of OUTPUT_ONLY) delete next[k];
    }
    next.id = id;
    next.createTime = current.createTime;
    next.resourceName = current.resourceName;
    this.validate(p, next, id);
    this.bucket(p).set(id, next);
    return clone(next);
  }

  // ---- out-of-band access ----

  /** Edit a trigger as if someone else did (console, gcloud): `fn` changes a copy in place or returns a new one. Triggers have no version token. */
  mutateTrigger(idOrName: string, fn: (trigger: JsonObject) => JsonObject | void, where?: Parent): JsonObject {
    const buckets = where ? [[`${where.project}/${where.location}`, this.bucket(where)] as const] : [...this.triggers];
    for (const [, b] of buckets) {
      for (const [id, t] of b) {
        if (id !== idOrName && t.name !== idOrName) continue;
        const draft = clone(t);
        const next = fn(draft) ?? draft;
        next.id = id;
        next.createTime = t.createTime;
        next.resourceName = t.resourceName;
        b.set(id, next);
        return clone(next);
      }
    }
    throw new Error(`no Cloud Build trigger with id or name ${idOrName}`);
  }

  snapshot(): TriggerSnapshot[] {
    const out: TriggerSnapshot[] = [];
    for (const key of [...this.triggers.keys()].sort()) {
      const [project, location] = key.split("/");
      for (const t of this.triggers.get(key)!.values()) out.push({ project, location, trigger: clone(t) });
    }
    return out;
  }

  reset(): void {
    this.triggers.clear();
    this.builds.reset();
  }

  saveState(): Json {
    return encodeState({ triggers: this.triggers, ids: this.ids, builds: this.builds.builds, operations: this.builds.operations });
  }

  loadState(state: Json): void {
    const s = decodeState(state) as { triggers?: unknown; ids?: unknown; builds?: unknown; operations?: unknown };
    refill(this.triggers, s.triggers);
    resume(this.ids, s.ids);
    refill(this.builds.builds, s.builds);
    refill(this.builds.operations, s.operations);
  }
}
