/**
 * Azure DevOps REST, the subset `azure-devops-node-api` 17.x uses for pipeglot's sync: the location
 * service (OPTIONS area locations, ResourceAreas), Build definitions (+ tags, properties),
 * environments, check configurations (approvals), service endpoints (look-up only) and enough of
 * Git for pushes and item reads. Served under `/{organization}/...`; any organization name works
 * and all share one state. Projects spring into existence on first use.
 *
 * Stale revision: `PUT definitions/{id}` with a `revision` that is not the current one answers
 * 404 `DefinitionNotFoundException` "Build pipeline {id} was not found." — the one behaviour
 * reported from the real service (MicrosoftDocs/vsts-rest-api-specs#356). `staleRevisionStatus: 409`
 * switches to a 409 `DefinitionNotMatchedException` (the other reported form) so clients can test both.
 */
import { Prng } from "../core/prng.js";
import { clone, isObject, type Json, type JsonObject } from "../core/json.js";
import type { EmulatorRequest, EmulatorResponse, ProtocolHandler } from "../core/server.js";
import { AzureError, badRequest, notFound } from "./errors.js";
import { applyPush, blobId, normalizePath, refName, resolveVersion, type Repo } from "./git.js";
import { locationsFor, resourceAreas } from "./locations.js";

export interface AzureEmulatorOptions {
  now: () => Date;
  seed: number;
  /** Seconds in the `Retry-After` header of an injected 429 (default 1). */
  retryAfterSeconds?: number;
  /** Status for a stale `revision` on definition update: 404 (default, as reported) or 409. */
  staleRevisionStatus?: 404 | 409;
}

/** The Approval check type (fixed id in Azure DevOps). */
export const APPROVAL_TYPE_ID = "8c6f20a7-a545-4486-9777-f762fafe0d4d";
const CHECK_TYPE_NAMES: Record<string, string> = { [APPROVAL_TYPE_ID]: "Approval", "fe1de3ee-a436-41b4-bb20-f6eb4cb879a7": "Task Check", "445fde2f-6c39-441c-807f-8a59ff2e075f": "ExclusiveLock" };

const DEFAULT_QUEUES = ["Azure Pipelines", "Default"];
const EMULATOR_USER: JsonObject = { displayName: "pipeglot emulator", id: "a2b1c3d4-0000-4000-8000-00000000e1a7", uniqueName: "emulator@pipeglot.invalid" };

const TFSGIT_PROPERTY_DEFAULTS: Record<string, string> = {
  cleanOptions: "0", labelSources: "0", labelSourcesFormat: "$(build.buildNumber)", reportBuildStatus: "true",
  gitLfsSupport: "false", skipSyncSource: "false", checkoutNestedSubmodules: "false", fetchDepth: "0",
};

interface Definition {
  id: number;
  /** The stored BuildDefinition (server fields included). */
  body: JsonObject;
  /** Every revision, index = revision - 1. */
  history: JsonObject[];
  properties: Map<string, Json>;
}

interface Environment {
  id: number;
  name: string;
  description: string;
  createdOn: string;
  lastModifiedOn: string;
}

interface Check {
  id: number;
  version: number;
  body: JsonObject;
}

interface Endpoint {
  id: string;
  name: string;
  type: string;
}

interface Project {
  id: string;
  name: string;
  definitions: Map<number, Definition>;
  environments: Map<number, Environment>;
  checks: Map<number, Check>;
  repos: Map<string, Repo>;
  endpoints: Map<string, Endpoint>;
  queues: Map<string, number>;
}

export interface AzureProjectSnapshot {
  name: string;
  id: string;
  definitions: JsonObject[];
  environments: JsonObject[];
  checks: JsonObject[];
  repositories: { id: string; name: string; defaultBranch: string; refs: Record<string, string>; files: Record<string, string> }[];
  serviceEndpoints: { id: string; name: string; type: string }[];
}

type Handler = (req: EmulatorRequest, m: RegExpExecArray, ctx: Ctx) => EmulatorResponse | JsonObject;

interface Ctx {
  orgUrl: string;
}

interface Route {
  method: string;
  re: RegExp;
  op: string;
  run: Handler;
}

const P = "/([^/]+)/_apis";

/** Handler results that are complete responses (not a JSON body to wrap in 200). */
const RAW = new WeakSet<object>();
function raw(r: EmulatorResponse): EmulatorResponse {
  RAW.add(r);
  return r;
}

function isoNow(now: () => Date): string {
  return now().toISOString();
}

function apiVersionOf(req: EmulatorRequest): string | undefined {
  const q = req.query.get("api-version");
  if (q) return q;
  const accept = String(req.headers.accept ?? "");
  const m = /api-version=([^;,\s]+)/i.exec(accept);
  return m?.[1];
}

function matchName(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i");
  return re.test(name);
}

export class AzureDevOpsProtocol implements ProtocolHandler {
  private projects = new Map<string, Project>();
  private ids: Prng;
  private nextDefinitionId = 1;
  private nextEnvironmentId = 1;
  private nextCheckId = 1;
  private commitCounter = 0;
  private readonly routes: Route[];

  constructor(private readonly opts: AzureEmulatorOptions) {
    this.ids = new Prng(opts.seed);
    this.routes = this.buildRoutes();
  }

  // ------------------------------------------------------------------ routing

  private buildRoutes(): Route[] {
    const r = (method: string, pattern: string, op: string, run: Handler): Route => ({ method, re: new RegExp(`^${pattern}$`, "i"), op, run });
    return [
      r("GET", "/_apis/resourceareas", "Location.GetResourceAreas", (_q, _m, ctx) => resourceAreas(ctx.orgUrl)),
      r("POST", `${P}/build/definitions`, "Build.CreateDefinition", (q, m, ctx) => this.createDefinition(this.project(m[1]), this.json(q), ctx)),
      r("GET", `${P}/build/definitions`, "Build.GetDefinitions", (q, m, ctx) => this.listDefinitions(this.project(m[1]), q, ctx)),
      r("GET", `${P}/build/definitions/(\\d+)`, "Build.GetDefinition", (q, m, ctx) => this.getDefinition(this.project(m[1]), Number(m[2]), q, ctx)),
      r("PUT", `${P}/build/definitions/(\\d+)`, "Build.UpdateDefinition", (q, m, ctx) => this.updateDefinition(this.project(m[1]), Number(m[2]), this.json(q), ctx)),
      r("DELETE", `${P}/build/definitions/(\\d+)`, "Build.DeleteDefinition", (_q, m) => this.deleteDefinition(this.project(m[1]), Number(m[2]))),
      r("GET", `${P}/build/definitions/(\\d+)/tags`, "Build.GetDefinitionTags", (_q, m) => this.tags(this.project(m[1]), Number(m[2]))),
      r("POST", `${P}/build/definitions/(\\d+)/tags`, "Build.AddDefinitionTags", (q, m) => this.changeTags(this.project(m[1]), Number(m[2]), this.jsonArray(q), [])),
      r("PATCH", `${P}/build/definitions/(\\d+)/tags`, "Build.UpdateDefinitionTags", (q, m) => {
        const b = this.json(q);
        return this.changeTags(this.project(m[1]), Number(m[2]), Array.isArray(b.addTags) ? b.addTags : [], Array.isArray(b.removeTags) ? b.removeTags : []);
      }),
      r("PUT", `${P}/build/definitions/(\\d+)/tags/([^/]+)`, "Build.AddDefinitionTag", (_q, m) => this.changeTags(this.project(m[1]), Number(m[2]), [m[3]], [])),
      r("DELETE", `${P}/build/definitions/(\\d+)/tags/([^/]+)`, "Build.DeleteDefinitionTag", (_q, m) => this.changeTags(this.project(m[1]), Number(m[2]), [], [m[3]])),
      r("GET", `${P}/build/definitions/(\\d+)/properties`, "Build.GetDefinitionProperties", (q, m) => this.properties(this.definition(this.project(m[1]), Number(m[2])), q.query.get("filter"))),
      r("PATCH", `${P}/build/definitions/(\\d+)/properties`, "Build.UpdateDefinitionProperties", (q, m) => this.patchProperties(this.definition(this.project(m[1]), Number(m[2])), q)),
      r("GET", `${P}/git/repositories`, "Git.GetRepositories", (_q, m, ctx) => {
        const p = this.project(m[1]);
        const value = [...p.repos.values()].map((x) => this.repoJson(p, x, ctx));
        return { count: value.length, value };
      }),
      r("POST", `${P}/git/repositories`, "Git.CreateRepository", (q, m, ctx) => {
        const p = this.project(m[1]);
        const b = this.json(q);
        if (typeof b.name !== "string" || !b.name) throw badRequest("name is required", "ArgumentNullException", "Git");
        return this.repoJson(p, this.addRepo(p, b.name), ctx);
      }),
      r("GET", `${P}/git/repositories/([^/]+)`, "Git.GetRepository", (_q, m, ctx) => {
        const p = this.project(m[1]);
        return this.repoJson(p, this.repo(p, m[2]), ctx);
      }),
      r("GET", `${P}/git/repositories/([^/]+)/refs(?:/(.*))?`, "Git.GetRefs", (q, m) => this.refs(this.repo(this.project(m[1]), m[2]), q.query.get("filter") ?? m[3] ?? "")),
      r("POST", `${P}/git/repositories/([^/]+)/pushes`, "Git.CreatePush", (q, m) => {
        const repo = this.repo(this.project(m[1]), m[2]);
        const out = applyPush(repo, this.json(q), isoNow(this.opts.now), EMULATOR_USER, () => this.commitId());
        return raw({ status: 201, headers: { "content-type": "application/json; charset=utf-8" }, body: out });
      }),
      r("GET", `${P}/git/repositories/([^/]+)/items(?:/(.*))?`, "Git.GetItem", (q, m) => this.item(this.repo(this.project(m[1]), m[2]), q, m[3])),
      r("POST", `${P}/(?:distributedtask|pipelines)/environments`, "TaskAgent.AddEnvironment", (q, m) => this.addEnvironment(this.project(m[1]), this.json(q))),
      r("GET", `${P}/(?:distributedtask|pipelines)/environments`, "TaskAgent.GetEnvironments", (q, m) => this.listEnvironments(this.project(m[1]), q)),
      r("GET", `${P}/(?:distributedtask|pipelines)/environments/(\\d+)`, "TaskAgent.GetEnvironmentById", (_q, m) => {
        const p = this.project(m[1]);
        return this.envJson(p, this.environment(p, Number(m[2])));
      }),
      r("PATCH", `${P}/(?:distributedtask|pipelines)/environments/(\\d+)`, "TaskAgent.UpdateEnvironment", (q, m) => this.updateEnvironment(this.project(m[1]), Number(m[2]), this.json(q))),
      r("DELETE", `${P}/(?:distributedtask|pipelines)/environments/(\\d+)`, "TaskAgent.DeleteEnvironment", (_q, m) => this.deleteEnvironment(this.project(m[1]), Number(m[2]))),
      r("POST", `${P}/pipelines/checks/configurations`, "Checks.AddCheckConfiguration", (q, m, ctx) => this.addCheck(this.project(m[1]), this.json(q), ctx)),
      r("GET", `${P}/pipelines/checks/configurations`, "Checks.GetCheckConfigurations", (q, m, ctx) => this.listChecks(this.project(m[1]), q, ctx)),
      r("GET", `${P}/pipelines/checks/configurations/(\\d+)`, "Checks.GetCheckConfiguration", (q, m, ctx) => {
        const p = this.project(m[1]);
        return this.checkJson(p, this.check(p, Number(m[2])), ctx, /settings/i.test(q.query.get("$expand") ?? ""));
      }),
      r("PATCH", `${P}/pipelines/checks/configurations/(\\d+)`, "Checks.UpdateCheckConfiguration", (q, m, ctx) => this.updateCheck(this.project(m[1]), Number(m[2]), this.json(q), ctx)),
      r("DELETE", `${P}/pipelines/checks/configurations/(\\d+)`, "Checks.DeleteCheckConfiguration", (_q, m) => {
        const p = this.project(m[1]);
        this.check(p, Number(m[2]));
        p.checks.delete(Number(m[2]));
        return raw({ status: 204 });
      }),
      r("GET", `${P}/serviceendpoint/endpoints`, "ServiceEndpoint.GetServiceEndpoints", (q, m) => this.listEndpoints(this.project(m[1]), q)),
      r("GET", `${P}/serviceendpoint/endpoints/([^/]+)`, "ServiceEndpoint.GetServiceEndpointDetails", (_q, m) => {
        const e = this.project(m[1]).endpoints.get(m[2].toLowerCase());
        if (!e) return raw({ status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: "" });
        return this.endpointJson(e);
      }),
    ];
  }

  /** Split "/{org}/rest" and find the route. */
  private find(req: EmulatorRequest): { org: string; route?: Route; m?: RegExpExecArray; rest: string } {
    const seg = /^\/([^/]+)(\/.*)?$/.exec(req.path);
    if (!seg) return { org: "", rest: req.path };
    const org = seg[1];
    const rest = seg[2] ?? "/";
    for (const route of this.routes) {
      if (route.method !== req.method) continue;
      const m = route.re.exec(rest);
      if (m) return { org, route, m, rest };
    }
    return { org, rest };
  }

  operation(req: EmulatorRequest): string {
    if (req.method === "OPTIONS") {
      const m = /^\/[^/]+\/_apis\/([^/]+)\/?$/i.exec(req.path);
      return m ? `Location.Options.${m[1].toLowerCase()}` : "Location.Options.(unknown)";
    }
    const { route } = this.find(req);
    return route ? route.op : "AzureDevOps.(unknown route)";
  }

  private reply(status: number, body: Json | string | undefined, headers: Record<string, string> = {}): EmulatorResponse {
    return raw({ status, headers: { "content-type": "application/json; charset=utf-8", ...headers }, body: body as Json });
  }

  private error(e: AzureError, extra: Record<string, string> = {}): EmulatorResponse {
    return this.reply(e.status, e.body(), { "x-tfs-processid": "00000000-0000-4000-8000-000000000000", "x-vss-e2eid": this.ids.uuid(), ...extra });
  }

  faultResponse(kind: "throttle" | "error" | "internal"): EmulatorResponse {
    if (kind === "throttle") {
      const after = this.opts.retryAfterSeconds ?? 1;
      const reset = Math.floor(this.opts.now().getTime() / 1000) + Math.max(1, after);
      return this.error(new AzureError(429, "RequestBlockedException", "Request was blocked due to exceeding usage of resource 'Core' in namespace 'User'."), {
        "retry-after": String(after),
        "x-ratelimit-resource": "Core",
        "x-ratelimit-delay": "0.5",
        "x-ratelimit-limit": "200",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(reset),
      });
    }
    if (kind === "error") return this.error(new AzureError(503, "ServiceUnavailableException", "TF400856: The service is temporarily unavailable. Please try again later."));
    return this.error(new AzureError(500, "InternalServerErrorException", "TF400898: An Internal Error Occurred."));
  }

  handle(req: EmulatorRequest): EmulatorResponse {
    try {
      if (req.method === "OPTIONS") {
        const m = /^\/[^/]+\/_apis\/([^/]+)\/?$/i.exec(req.path);
        return this.reply(200, locationsFor(m?.[1] ?? ""));
      }
      if (!req.headers.authorization) throw new AzureError(401, "UnauthorizedRequestException", "TF400813: The user '' is not authorized to access this resource.");
      const { org, route, m, rest } = this.find(req);
      if (!route || !m) throw notFound("RouteNotFoundException", `The emulator serves no ${req.method} ${rest} (organization ${org || "?"}).`);
      if (route.op !== "Location.GetResourceAreas" && !apiVersionOf(req)) {
        throw badRequest(`No api-version was supplied for the ${req.method} request. Please specify an api-version, e.g. 'api-version=7.1'.`, "VssVersionNotSpecifiedException");
      }
      const host = String(req.headers.host ?? "127.0.0.1");
      const out = route.run(req, m, { orgUrl: `http://${host}/${org}` });
      if (RAW.has(out)) return out as EmulatorResponse;
      return this.reply(200, out as JsonObject);
    } catch (e) {
      if (e instanceof AzureError) return this.error(e);
      throw e;
    }
  }

  // ------------------------------------------------------------------ helpers

  private json(req: EmulatorRequest): JsonObject {
    let v: Json;
    try {
      v = req.body.length ? (JSON.parse(req.body.toString("utf8")) as Json) : {};
    } catch {
      throw badRequest("The request body is not valid JSON.", "VssRequestContentException");
    }
    if (!isObject(v)) throw badRequest("The request body must be a JSON object.", "VssRequestContentException");
    return v;
  }

  private jsonArray(req: EmulatorRequest): Json[] {
    try {
      const v = JSON.parse(req.body.toString("utf8")) as Json;
      if (Array.isArray(v)) return v;
    } catch {
      /* below */
    }
    throw badRequest("The request body must be a JSON array.", "VssRequestContentException");
  }

  private project(nameOrId: string): Project {
    const key = nameOrId.toLowerCase();
    for (const p of this.projects.values()) if (p.id === key) return p;
    let p = this.projects.get(key);
    if (!p) {
      p = { id: this.ids.uuid(), name: nameOrId, definitions: new Map(), environments: new Map(), checks: new Map(), repos: new Map(), endpoints: new Map(), queues: new Map() };
      DEFAULT_QUEUES.forEach((q, i) => p!.queues.set(q.toLowerCase(), i + 1));
      this.projects.set(key, p);
    }
    return p;
  }

  private projectRef(p: Project, ctx?: Ctx): JsonObject {
    return { id: p.id, name: p.name, ...(ctx ? { url: `${ctx.orgUrl}/_apis/projects/${p.id}` } : {}), state: "wellFormed", revision: 1, visibility: "private", lastUpdateTime: "2026-01-01T00:00:00.000Z" };
  }

  private commitId(): string {
    this.commitCounter++;
    return blobId(`commit ${this.commitCounter} ${this.ids.next()}`);
  }

  // ------------------------------------------------------------------ build definitions

  private definition(p: Project, id: number): Definition {
    const d = p.definitions.get(id);
    if (!d) throw notFound("DefinitionNotFoundException", `Build pipeline ${id} was not found.`, "Build");
    return d;
  }

  private validateDefinition(p: Project, body: JsonObject, selfId?: number): void {
    if (typeof body.name !== "string" || body.name.trim() === "") throw badRequest("Value cannot be null.\r\nParameter name: definition.Name", "ArgumentNullException", "Build");
    if (/[\\/:*?"<>|]/.test(body.name)) throw badRequest(`The pipeline name '${body.name}' contains an invalid character (\\ / : * ? " < > |).`, "ArgumentException", "Build");
    const process = isObject(body.process) ? body.process : undefined;
    if (!process) throw badRequest("Value cannot be null.\r\nParameter name: definition.Process", "ArgumentNullException", "Build");
    const ptype = process.type;
    if (ptype !== 1 && ptype !== 2) throw badRequest(`Process type ${JSON.stringify(ptype)} is not supported (1 designer, 2 YAML).`, "ArgumentException", "Build");
    if (ptype === 2 && (typeof process.yamlFilename !== "string" || process.yamlFilename === "")) throw badRequest("A YAML pipeline needs process.yamlFilename.", "ArgumentException", "Build");
    for (const t of Array.isArray(body.triggers) ? body.triggers : []) {
      if (isObject(t) && t.settingsSourceType === 2 && ptype === 1) throw badRequest("The trigger settings source 2 is not valid with process type 1.", "ArgumentException", "Build");
    }
    const repo = isObject(body.repository) ? body.repository : undefined;
    if (!repo || typeof repo.type !== "string") throw badRequest("Value cannot be null.\r\nParameter name: definition.Repository", "ArgumentNullException", "Build");
    if (repo.type.toLowerCase() === "tfsgit") {
      const ref = typeof repo.id === "string" ? repo.id : typeof repo.name === "string" ? repo.name : "";
      this.repo(p, ref, true);
    } else {
      const props = isObject(repo.properties) ? repo.properties : {};
      const sc = props.connectedServiceId;
      if (typeof sc !== "string" || !p.endpoints.has(sc.toLowerCase())) {
        throw badRequest(`The service connection ${JSON.stringify(sc ?? null)} for the ${repo.type} repository ${JSON.stringify(repo.name ?? null)} does not exist or has not been authorized for use.`, "ServiceEndpointNotFoundException", "Build");
      }
    }
    const folder = this.folderOf(body);
    for (const d of p.definitions.values()) {
      if (d.id === selfId) continue;
      if (String(d.body.name).toLowerCase() === body.name.toLowerCase() && this.folderOf(d.body).toLowerCase() === folder.toLowerCase()) {
        throw new AzureError(409, "DefinitionExistsException", `The pipeline '${body.name}' already exists in folder '${folder}'.`, "Build");
      }
    }
  }

  private folderOf(body: JsonObject): string {
    const raw = typeof body.path === "string" && body.path !== "" ? body.path.replace(/\//g, "\\") : "\\";
    const s = raw.startsWith("\\") ? raw : `\\${raw}`;
    return s.length > 1 ? s.replace(/\\+$/, "") : s;
  }

  /** Client-writable fields plus everything the server fills in. */
  private materialize(p: Project, id: number, revision: number, body: JsonObject, ctx: Ctx, createdDate: string, previous?: JsonObject): JsonObject {
    const out: JsonObject = clone(body);
    for (const k of ["_links", "url", "uri", "authoredBy", "createdDate", "project", "revision", "id", "latestBuild", "latestCompletedBuild", "metrics", "drafts", "draftOf"]) delete out[k];
    out.path = this.folderOf(body);
    out.type = out.type === 1 || out.type === "xaml" ? "xaml" : "build";
    out.quality = "definition";
    out.queueStatus = typeof out.queueStatus === "string" ? out.queueStatus : typeof out.queueStatus === "number" ? (["enabled", "paused", "disabled"][out.queueStatus] ?? "enabled") : "enabled";
    out.jobAuthorizationScope ??= "projectCollection";
    out.jobTimeoutInMinutes ??= 60;
    out.jobCancelTimeoutInMinutes ??= 5;
    out.badgeEnabled ??= false;
    out.options ??= [];
    out.tags = Array.isArray(body.tags) ? [...new Set(body.tags.filter((t): t is string => typeof t === "string"))] : previous && Array.isArray(previous.tags) ? previous.tags : [];
    if (Array.isArray(out.triggers)) out.triggers = out.triggers.map((t) => (isObject(t) && typeof t.triggerType === "number" ? { ...t, triggerType: TRIGGER_NAMES[t.triggerType] ?? t.triggerType } : t));
    else out.triggers = [];
    const q = isObject(body.queue) ? body.queue : {};
    const qname = typeof q.name === "string" ? q.name : "Azure Pipelines";
    let qid = typeof q.id === "number" ? q.id : p.queues.get(qname.toLowerCase());
    if (qid === undefined) {
      qid = p.queues.size + 1;
      p.queues.set(qname.toLowerCase(), qid);
    }
    out.queue = { _links: { self: { href: `${ctx.orgUrl}/_apis/build/Queues/${qid}` } }, id: qid, name: qname, url: `${ctx.orgUrl}/_apis/build/Queues/${qid}`, pool: { id: qid, name: qname, isHosted: qname === "Azure Pipelines" } };
    const repo: JsonObject = clone(isObject(body.repository) ? body.repository : {});
    if (String(repo.type).toLowerCase() === "tfsgit") {
      const r = this.repo(p, typeof repo.id === "string" ? repo.id : String(repo.name ?? ""), true);
      repo.id = r.id;
      repo.name = r.name;
      repo.url = `${ctx.orgUrl}/${encodeURIComponent(p.name)}/_git/${encodeURIComponent(r.name)}`;
      repo.properties = { ...TFSGIT_PROPERTY_DEFAULTS, ...(isObject(repo.properties) ? repo.properties : {}) };
    } else {
      repo.id ??= repo.name ?? null;
      const props = isObject(repo.properties) ? repo.properties : {};
      if (String(repo.type).toLowerCase() === "github") {
        repo.properties = { apiUrl: `https://api.github.com/repos/${String(repo.name)}`, fullName: String(repo.name), manageUrl: `https://github.com/${String(repo.name)}`, ...props };
      }
    }
    repo.defaultBranch ??= "refs/heads/main";
    repo.clean ??= null;
    repo.checkoutSubmodules ??= false;
    out.repository = repo;
    const url = `${ctx.orgUrl}/${p.id}/_apis/build/Definitions/${id}?revision=${revision}`;
    return {
      ...out,
      _links: { self: { href: url }, web: { href: `${ctx.orgUrl}/${p.id}/_build/definition?definitionId=${id}` } },
      authoredBy: EMULATOR_USER,
      createdDate,
      id,
      revision,
      uri: `vstfs:///Build/Definition/${id}`,
      url,
      project: this.projectRef(p, ctx),
    };
  }

  private createDefinition(p: Project, body: JsonObject, ctx: Ctx): EmulatorResponse {
    this.validateDefinition(p, body);
    const id = this.nextDefinitionId++;
    const stored = this.materialize(p, id, 1, body, ctx, isoNow(this.opts.now));
    const def: Definition = { id, body: stored, history: [clone(stored)], properties: new Map() };
    p.definitions.set(id, def);
    return this.reply(200, clone(stored));
  }

  private getDefinition(p: Project, id: number, req: EmulatorRequest, _ctx: Ctx): JsonObject {
    const d = this.definition(p, id);
    const rev = req.query.get("revision");
    if (rev) {
      const h = d.history[Number(rev) - 1];
      if (!h) throw notFound("DefinitionNotFoundException", `Build pipeline ${id} revision ${rev} was not found.`, "Build");
      return clone(h);
    }
    return clone(d.body);
  }

  private updateDefinition(p: Project, id: number, body: JsonObject, ctx: Ctx): JsonObject {
    const bodyId = typeof body.id === "number" ? body.id : 0;
    if (bodyId !== id) throw badRequest(`The request specifies pipeline ID ${id} but the supplied pipeline has ID ${bodyId}.`, "ArgumentException", "Build");
    const d = this.definition(p, id);
    const current = Number(d.body.revision);
    if (body.revision !== current) {
      if ((this.opts.staleRevisionStatus ?? 404) === 409) {
        throw new AzureError(409, "DefinitionNotMatchedException", `The pipeline ${id} was changed by someone else: the request has revision ${JSON.stringify(body.revision ?? null)}, the current revision is ${current}. Get the pipeline again and retry.`, "Build");
      }
      throw notFound("DefinitionNotFoundException", `Build pipeline ${id} was not found.`, "Build");
    }
    this.validateDefinition(p, body, id);
    const stored = this.materialize(p, id, current + 1, body, ctx, String(d.body.createdDate), d.body);
    d.body = stored;
    d.history.push(clone(stored));
    return clone(stored);
  }

  private deleteDefinition(p: Project, id: number): EmulatorResponse {
    this.definition(p, id);
    p.definitions.delete(id);
    return raw({ status: 204 });
  }

  private reference(d: Definition): JsonObject {
    const b = d.body;
    const out: JsonObject = {};
    for (const k of ["_links", "authoredBy", "drafts", "queue", "id", "name", "url", "uri", "path", "type", "queueStatus", "revision", "createdDate", "project", "quality"]) if (b[k] !== undefined) out[k] = clone(b[k]);
    out.drafts ??= [];
    return out;
  }

  private listDefinitions(p: Project, req: EmulatorRequest, _ctx: Ctx): EmulatorResponse {
    const q = req.query;
    let list = [...p.definitions.values()].sort((a, b) => a.id - b.id);
    const name = q.get("name");
    if (name) list = list.filter((d) => matchName(name, String(d.body.name)));
    const path = q.get("path");
    if (path) {
      const folder = this.folderOf({ path });
      list = list.filter((d) => this.folderOf(d.body).toLowerCase() === folder.toLowerCase());
    }
    const repoId = q.get("repositoryId");
    if (repoId) list = list.filter((d) => isObject(d.body.repository) && String(d.body.repository.id).toLowerCase() === repoId.toLowerCase());
    const yaml = q.get("yamlFilename");
    if (yaml) list = list.filter((d) => isObject(d.body.process) && d.body.process.yamlFilename === yaml);
    const ids = q.get("definitionIds");
    if (ids) {
      const set = new Set(ids.split(",").map(Number));
      list = list.filter((d) => set.has(d.id));
    }
    const start = Number(q.get("continuationToken") ?? 0) || 0;
    const top = Number(q.get("$top") ?? 0) || list.length;
    const page = list.slice(start, start + top);
    const full = q.get("includeAllProperties") === "true";
    const value = page.map((d) => (full ? clone(d.body) : this.reference(d)));
    const headers: Record<string, string> = {};
    if (start + top < list.length) headers["x-ms-continuationtoken"] = String(start + top);
    return this.reply(200, { count: value.length, value }, headers);
  }

  private tags(p: Project, id: number): JsonObject {
    const d = this.definition(p, id);
    const value = [...(d.body.tags as string[])].sort();
    return { count: value.length, value };
  }

  /** Tag changes do not create a revision (they are stored beside the definition). */
  private changeTags(p: Project, id: number, add: Json[], remove: Json[]): JsonObject {
    const d = this.definition(p, id);
    const tags = new Set(d.body.tags as string[]);
    for (const t of add) if (typeof t === "string" && t.trim()) tags.add(t.trim());
    for (const t of remove) if (typeof t === "string") for (const x of [...tags]) if (x.toLowerCase() === t.toLowerCase()) tags.delete(x);
    d.body.tags = [...tags];
    return this.tags(p, id);
  }

  private properties(d: Definition, filter: string | null): JsonObject {
    const wanted = filter ? new Set(filter.split(",").map((s) => s.trim())) : undefined;
    const value: JsonObject = {};
    for (const [k, v] of [...d.properties].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (wanted && !wanted.has(k)) continue;
      value[k] = { $type: typeof v === "number" ? "System.Int32" : typeof v === "boolean" ? "System.Boolean" : "System.String", $value: v };
    }
    return { count: Object.keys(value).length, value };
  }

  private patchProperties(d: Definition, req: EmulatorRequest): JsonObject {
    const ct = String(req.headers["content-type"] ?? "");
    if (!/json-patch\+json/i.test(ct)) throw new AzureError(415, "VssRequestContentTypeNotSupportedException", "The request content type must be application/json-patch+json.", "Build");
    const ops = this.jsonArray(req);
    for (const op of ops) {
      if (!isObject(op) || typeof op.path !== "string" || typeof op.op !== "string") throw badRequest("Each patch operation needs op and path.", "ArgumentException", "Build");
      const key = op.path.replace(/^\//, "");
      if (op.op === "remove") d.properties.delete(key);
      else if (op.op === "add" || op.op === "replace") d.properties.set(key, op.value ?? null);
      else throw badRequest(`Patch operation ${op.op} is not supported.`, "ArgumentException", "Build");
    }
    return this.properties(d, null);
  }

  // ------------------------------------------------------------------ git

  private addRepo(p: Project, name: string, defaultBranch = "refs/heads/main"): Repo {
    for (const r of p.repos.values()) if (r.name.toLowerCase() === name.toLowerCase()) throw new AzureError(409, "GitRepositoryNameAlreadyExistsException", `TF400948: A Git repository with the name ${name} already exists.`, "Git");
    const repo: Repo = { id: this.ids.uuid(), name, defaultBranch: refName(defaultBranch), refs: new Map(), commits: new Map(), pushes: 0 };
    p.repos.set(repo.id, repo);
    return repo;
  }

  private repo(p: Project, idOrName: string, forDefinition = false): Repo {
    const key = idOrName.toLowerCase();
    const byId = p.repos.get(key);
    if (byId) return byId;
    for (const r of p.repos.values()) if (r.name.toLowerCase() === key) return r;
    const e = notFound("GitRepositoryNotFoundException", `TF401019: The Git repository with name or identifier ${idOrName} does not exist or you do not have permissions for the operation you are attempting.`, "Git");
    if (forDefinition) throw new AzureError(400, e.typeKey, e.message, "Build");
    throw e;
  }

  private repoJson(p: Project, r: Repo, ctx: Ctx): JsonObject {
    const url = `${ctx.orgUrl}/${p.id}/_apis/git/repositories/${r.id}`;
    return { id: r.id, name: r.name, url, project: this.projectRef(p, ctx), defaultBranch: r.defaultBranch, size: 0, remoteUrl: `${ctx.orgUrl}/${encodeURIComponent(p.name)}/_git/${encodeURIComponent(r.name)}`, webUrl: `${ctx.orgUrl}/${encodeURIComponent(p.name)}/_git/${encodeURIComponent(r.name)}`, isDisabled: false, isInMaintenance: false };
  }

  private refs(r: Repo, filter: string): JsonObject {
    const f = filter.replace(/^refs\//, "");
    const value = [...r.refs].filter(([name]) => name.replace(/^refs\//, "").startsWith(f)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, objectId]) => ({ name, objectId, creator: EMULATOR_USER }));
    return { count: value.length, value };
  }

  private item(r: Repo, req: EmulatorRequest, pathInRoute: string | undefined): EmulatorResponse {
    const q = req.query;
    const rawPath = q.get("path") ?? pathInRoute;
    if (!rawPath) throw badRequest("The path parameter is required.", "ArgumentNullException", "Git");
    const path = normalizePath(rawPath);
    const commit = resolveVersion(r, q.get("versionDescriptor.version") ?? q.get("versionDescriptor[version]"), q.get("versionDescriptor.versionType") ?? q.get("versionDescriptor[versionType]"));
    const content = commit?.files.get(path);
    if (!commit || content === undefined) {
      throw notFound("GitItemNotFoundException", `TF401174: The item '${path}' could not be found in the repository '${r.name}' at the version specified by '${q.get("versionDescriptor.version") ?? r.defaultBranch}' (resolved to commit '${commit?.commitId ?? "none"}').`, "Git");
    }
    const accept = String(req.headers.accept ?? "");
    if (/text\/plain/i.test(accept)) return raw({ status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: content });
    if (/application\/octet-stream|application\/zip/i.test(accept)) return raw({ status: 200, headers: { "content-type": "application/octet-stream" }, body: content });
    const item: JsonObject = { objectId: blobId(content), gitObjectType: "blob", commitId: commit.commitId, path, url: `/items?path=${encodeURIComponent(path)}` };
    if (q.get("includeContent") === "true") item.content = content;
    return this.reply(200, item);
  }

  // ------------------------------------------------------------------ environments

  private environment(p: Project, id: number): Environment {
    const e = p.environments.get(id);
    if (!e) throw notFound("EnvironmentNotFoundException", `Environment with id '${id}' does not exist or you do not have access to it.`, "DistributedTask");
    return e;
  }

  private envJson(p: Project, e: Environment): JsonObject {
    return { id: e.id, name: e.name, description: e.description, createdBy: EMULATOR_USER, createdOn: e.createdOn, lastModifiedBy: EMULATOR_USER, lastModifiedOn: e.lastModifiedOn, project: { id: p.id, name: p.name }, resources: [] };
  }

  private checkEnvName(p: Project, name: unknown, selfId?: number): string {
    if (typeof name !== "string" || name.trim() === "") throw badRequest("Environment name cannot be empty.", "ArgumentException", "DistributedTask");
    for (const e of p.environments.values()) if (e.id !== selfId && e.name.toLowerCase() === name.toLowerCase()) throw new AzureError(409, "EnvironmentExistsException", `Environment '${name}' already exists in the current project.`, "DistributedTask");
    return name;
  }

  private addEnvironment(p: Project, body: JsonObject): JsonObject {
    const name = this.checkEnvName(p, body.name);
    const now = isoNow(this.opts.now);
    const e: Environment = { id: this.nextEnvironmentId++, name, description: typeof body.description === "string" ? body.description : "", createdOn: now, lastModifiedOn: now };
    p.environments.set(e.id, e);
    return this.envJson(p, e);
  }

  private listEnvironments(p: Project, req: EmulatorRequest): EmulatorResponse {
    let list = [...p.environments.values()].sort((a, b) => a.id - b.id);
    const name = req.query.get("name");
    if (name) list = list.filter((e) => matchName(name, e.name));
    const start = Number(req.query.get("continuationToken") ?? 0) || 0;
    const top = Number(req.query.get("$top") ?? 0) || 50;
    const page = list.slice(start, start + top);
    const headers: Record<string, string> = {};
    if (start + top < list.length) headers["x-ms-continuationtoken"] = String(start + top);
    const value = page.map((e) => this.envJson(p, e));
    return this.reply(200, { count: value.length, value }, headers);
  }

  private updateEnvironment(p: Project, id: number, body: JsonObject): JsonObject {
    const e = this.environment(p, id);
    if (body.name !== undefined) e.name = this.checkEnvName(p, body.name, id);
    if (body.description !== undefined) e.description = typeof body.description === "string" ? body.description : "";
    e.lastModifiedOn = isoNow(this.opts.now);
    return this.envJson(p, e);
  }

  private deleteEnvironment(p: Project, id: number): EmulatorResponse {
    this.environment(p, id);
    p.environments.delete(id);
    for (const [cid, c] of p.checks) if (isObject(c.body.resource) && c.body.resource.type === "environment" && String(c.body.resource.id) === String(id)) p.checks.delete(cid);
    return raw({ status: 204 });
  }

  // ------------------------------------------------------------------ checks

  private check(p: Project, id: number): Check {
    const c = p.checks.get(id);
    if (!c) throw notFound("CheckConfigurationNotFoundException", `Check configuration with id ${id} does not exist.`, "DistributedTask");
    return c;
  }

  private validateCheck(p: Project, body: JsonObject): JsonObject {
    const type = isObject(body.type) ? body.type : undefined;
    if (!type || typeof type.id !== "string") throw badRequest("Check configuration type.id is required.", "ArgumentNullException", "DistributedTask");
    const resource = isObject(body.resource) ? body.resource : undefined;
    if (!resource || typeof resource.type !== "string" || resource.id === undefined) throw badRequest("Check configuration resource (type, id) is required.", "ArgumentNullException", "DistributedTask");
    let resourceName: string | undefined;
    if (resource.type.toLowerCase() === "environment") {
      const env = p.environments.get(Number(resource.id));
      if (!env) throw notFound("EnvironmentNotFoundException", `Environment with id '${String(resource.id)}' does not exist or you do not have access to it.`, "DistributedTask");
      resourceName = env.name;
    }
    const settings = isObject(body.settings) ? body.settings : {};
    if (type.id.toLowerCase() === APPROVAL_TYPE_ID) {
      const approvers = settings.approvers;
      if (!Array.isArray(approvers)) throw badRequest("Approval check settings need an approvers list.", "ArgumentException", "DistributedTask");
      for (const a of approvers) {
        if (!isObject(a) || typeof a.id !== "string" || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(a.id)) {
          throw badRequest(`Approver ${JSON.stringify(isObject(a) ? (a.id ?? null) : a)} is not an identity id (a GUID).`, "ArgumentException", "DistributedTask");
        }
      }
    }
    const timeout = typeof body.timeout === "number" ? body.timeout : 43200;
    return {
      type: { id: type.id.toLowerCase(), name: CHECK_TYPE_NAMES[type.id.toLowerCase()] ?? (typeof type.name === "string" ? type.name : "") },
      settings: clone(settings),
      resource: { type: resource.type, id: String(resource.id), ...(resourceName !== undefined ? { name: resourceName } : {}) },
      timeout,
    };
  }

  private checkJson(p: Project, c: Check, ctx: Ctx, withSettings: boolean): JsonObject {
    const b = clone(c.body);
    if (!withSettings) delete b.settings;
    const url = `${ctx.orgUrl}/${p.id}/_apis/pipelines/checks/configurations/${c.id}`;
    return { ...b, id: c.id, version: c.version, url, _links: { self: { href: url } } };
  }

  private addCheck(p: Project, body: JsonObject, ctx: Ctx): JsonObject {
    const core = this.validateCheck(p, body);
    const now = isoNow(this.opts.now);
    const c: Check = { id: this.nextCheckId++, version: 1, body: { ...core, isDisabled: false, createdBy: EMULATOR_USER, createdOn: now, modifiedBy: EMULATOR_USER, modifiedOn: now } };
    p.checks.set(c.id, c);
    return this.checkJson(p, c, ctx, true);
  }

  private listChecks(p: Project, req: EmulatorRequest, ctx: Ctx): JsonObject {
    const rt = req.query.get("resourceType");
    const rid = req.query.get("resourceId");
    const withSettings = /settings/i.test(req.query.get("$expand") ?? "");
    const value = [...p.checks.values()]
      .filter((c) => {
        const r = c.body.resource as JsonObject;
        return (!rt || String(r.type).toLowerCase() === rt.toLowerCase()) && (!rid || String(r.id) === rid);
      })
      .sort((a, b) => a.id - b.id)
      .map((c) => this.checkJson(p, c, ctx, withSettings));
    return { count: value.length, value };
  }

  /** PATCH replaces type/settings/resource/timeout; a `version` that is not the current one is refused (409). */
  private updateCheck(p: Project, id: number, body: JsonObject, ctx: Ctx): JsonObject {
    const c = this.check(p, id);
    if (body.version !== undefined && body.version !== c.version) {
      throw new AzureError(409, "CheckConfigurationVersionMismatchException", `Check configuration ${id} has version ${c.version}; the request has version ${JSON.stringify(body.version)}.`, "DistributedTask");
    }
    const core = this.validateCheck(p, { type: body.type ?? c.body.type, resource: body.resource ?? c.body.resource, settings: body.settings ?? c.body.settings, timeout: body.timeout ?? c.body.timeout });
    c.version++;
    c.body = { ...c.body, ...core, modifiedBy: EMULATOR_USER, modifiedOn: isoNow(this.opts.now) };
    return this.checkJson(p, c, ctx, true);
  }

  // ------------------------------------------------------------------ service endpoints

  private endpointJson(e: Endpoint): JsonObject {
    return { id: e.id, name: e.name, type: e.type, url: e.type === "github" ? "https://github.com" : "https://example.invalid", isReady: true, isShared: false, owner: "library", authorization: { scheme: "InstallationToken" } };
  }

  private listEndpoints(p: Project, req: EmulatorRequest): JsonObject {
    const names = req.query.get("endpointNames");
    const ids = req.query.get("endpointIds");
    const type = req.query.get("type");
    let list = [...p.endpoints.values()];
    if (names) {
      const set = new Set(names.split(",").map((s) => s.trim().toLowerCase()));
      list = list.filter((e) => set.has(e.name.toLowerCase()));
    }
    if (ids) {
      const set = new Set(ids.split(",").map((s) => s.trim().toLowerCase()));
      list = list.filter((e) => set.has(e.id));
    }
    if (type) list = list.filter((e) => e.type.toLowerCase() === type.toLowerCase());
    const value = list.map((e) => this.endpointJson(e));
    return { count: value.length, value };
  }

  // ------------------------------------------------------------------ test hooks

  /** Create a Git repository (with files committed on its default branch when given). */
  addRepository(project: string, name: string, opts: { defaultBranch?: string; files?: Record<string, string> } = {}): { id: string; name: string } {
    const p = this.project(project);
    const repo = this.addRepo(p, name, opts.defaultBranch);
    if (opts.files && Object.keys(opts.files).length) this.commitFiles(project, name, opts.files, "initial commit");
    return { id: repo.id, name: repo.name };
  }

  /** Commit files (content, or null to delete) on a branch, as someone else would. Returns the commit id. */
  commitFiles(project: string, repoName: string, files: Record<string, string | null>, comment = "out-of-band commit", branch?: string): string {
    const p = this.project(project);
    const repo = this.repo(p, repoName);
    const ref = refName(branch ?? repo.defaultBranch);
    const head = repo.refs.get(ref);
    const tree = new Map(head ? repo.commits.get(head)!.files : []);
    for (const [path, content] of Object.entries(files)) {
      if (content === null) tree.delete(normalizePath(path));
      else tree.set(normalizePath(path), content);
    }
    const commitId = this.commitId();
    repo.commits.set(commitId, { commitId, parent: head, comment, files: tree, date: isoNow(this.opts.now) });
    repo.refs.set(ref, commitId);
    return commitId;
  }

  addServiceEndpoint(project: string, name: string, type = "github"): { id: string; name: string } {
    const p = this.project(project);
    const e: Endpoint = { id: this.ids.uuid(), name, type };
    p.endpoints.set(e.id, e);
    return { id: e.id, name };
  }

  private findDefinition(project: string, nameOrId: string | number): Definition {
    const p = this.project(project);
    for (const d of p.definitions.values()) if (d.id === nameOrId || d.body.name === nameOrId) return d;
    throw new Error(`no definition ${String(nameOrId)} in project ${project}`);
  }

  /** Edit a definition out of band: its revision goes up by one. */
  mutateDefinition(project: string, nameOrId: string | number, fn: (d: JsonObject) => JsonObject | void): JsonObject {
    const d = this.findDefinition(project, nameOrId);
    const draft = clone(d.body);
    const next = fn(draft) ?? draft;
    next.id = d.id;
    next.revision = Number(d.body.revision) + 1;
    d.body = next;
    d.history.push(clone(next));
    return clone(next);
  }

  /** Set definition properties out of band (no revision change, as with the REST call). */
  setDefinitionProperties(project: string, nameOrId: string | number, props: Record<string, Json>): void {
    const d = this.findDefinition(project, nameOrId);
    for (const [k, v] of Object.entries(props)) d.properties.set(k, v);
  }

  mutateEnvironment(project: string, name: string, fn: (e: { name: string; description: string }) => void): void {
    const p = this.project(project);
    const e = [...p.environments.values()].find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!e) throw new Error(`no environment ${name} in project ${project}`);
    const draft = { name: e.name, description: e.description };
    fn(draft);
    e.name = draft.name;
    e.description = draft.description;
    e.lastModifiedOn = isoNow(this.opts.now);
  }

  /** Edit a check configuration out of band: its version goes up by one. */
  mutateCheck(project: string, id: number, fn: (c: JsonObject) => JsonObject | void): JsonObject {
    const p = this.project(project);
    const c = this.check(p, id);
    const draft = clone(c.body);
    c.body = fn(draft) ?? draft;
    c.version++;
    return clone(c.body);
  }

  reset(): void {
    this.projects.clear();
    this.nextDefinitionId = 1;
    this.nextEnvironmentId = 1;
    this.nextCheckId = 1;
  }

  snapshot(): AzureProjectSnapshot[] {
    return [...this.projects.values()].map((p) => ({
      name: p.name,
      id: p.id,
      definitions: [...p.definitions.values()].map((d) => ({ ...clone(d.body), properties: Object.fromEntries([...d.properties].map(([k, v]) => [k, clone(v)])) })),
      environments: [...p.environments.values()].map((e) => ({ id: e.id, name: e.name, description: e.description, lastModifiedOn: e.lastModifiedOn })),
      checks: [...p.checks.values()].map((c) => ({ ...clone(c.body), id: c.id, version: c.version })),
      repositories: [...p.repos.values()].map((r) => {
        const head = r.refs.get(r.defaultBranch);
        const files = head ? Object.fromEntries(r.commits.get(head)!.files) : {};
        return { id: r.id, name: r.name, defaultBranch: r.defaultBranch, refs: Object.fromEntries(r.refs), files };
      }),
      serviceEndpoints: [...p.endpoints.values()].map((e) => ({ ...e })),
    }));
  }
}

/** DefinitionTriggerType names by flag value (BuildInterfaces.DefinitionTriggerType). */
const TRIGGER_NAMES: Record<number, string> = { 1: "none", 2: "continuousIntegration", 4: "batchedContinuousIntegration", 8: "schedule", 16: "gatedCheckIn", 32: "batchedGatedCheckIn", 64: "pullRequest", 128: "buildCompletion", 255: "all" };
