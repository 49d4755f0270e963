/**
 * The live client for Azure DevOps (LiveClient of @pipeglot/core's sync engine), on
 * azure-devops-node-api 17.x. Resources:
 *   azure.BuildDefinition/<name>     revision = version token; the server refuses a stale one
 *   azure.Environment/<name>         lastModifiedOn = version token (compared before each write)
 *   azure.CheckConfiguration/<env>   the Approval check on that environment; version = token
 *   azure.PipelineYaml/<repo>@<branch>:<path>   only with pushYaml: the file in Azure Repos; blob id = token
 * Every call goes through {@link AzureLiveClient.call}, on the client's LiveEdge (core's one retry
 * layer): 429 (waits `Retry-After` / `X-RateLimit-Delay`), 5xx and dropped connections are retried
 * with backoff, within the apply's deadline; nothing it throws carries the token.
 */
import { classify, conflict, guardVersion, isObject, ConflictError, diffBodies, keyString, LiveEdge, parseRetryAfter, type Change, type ErrorShape, type LiveClient, type LiveResource, type ReadContext, type ResourceKey, type RetryPolicy, type WriteContext } from "@pipeglot/core";
import type { BuildApi } from "azure-devops-node-api/BuildApi.js";
import type { GitApi } from "azure-devops-node-api/GitApi.js";
import type { ITaskAgentApi } from "azure-devops-node-api/TaskAgentApi.js";
import type { IServiceEndpointApi } from "azure-devops-node-api/ServiceEndpointApi.js";
import type { WebApi } from "azure-devops-node-api/WebApi.js";
import { Redactor, type ResolvedConfig } from "./config.js";
import { canonicalCheck, canonicalDefinition, environmentOwner, GUID, normalizeCheck, normalizeDefinition, normalizeEnvironment, serviceConnectionName } from "./normalize.js";

type Obj = Record<string, unknown>;

export const KIND = {
  definition: "azure.BuildDefinition",
  environment: "azure.Environment",
  check: "azure.CheckConfiguration",
  yaml: "azure.PipelineYaml",
} as const;

export const APPROVAL_TYPE_ID = "8c6f20a7-a545-4486-9777-f762fafe0d4d";
export const CHECKS_API_VERSION = "7.2-preview.1";
export const PROPERTY_PREFIX = "pipeglot.";

/** The retry policy of every call (core's RetryPolicy; default DEFAULT_RETRY): attempts, backoff, longest Retry-After honoured. */
export type RetryOptions = Partial<RetryPolicy>;

/** An Azure DevOps REST failure, token-free. */
export class AzureApiError extends Error {
  override readonly name = "AzureApiError";
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly typeKey: string | undefined,
    readonly retryAfterMs: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** An Azure DevOps failure as core's classifier reads it (the SDK's statusCode, Node's network code, Retry-After). */
export function errorShape(e: unknown): ErrorShape {
  if (e instanceof ConflictError) return { message: "" };
  const err = (e ?? {}) as { statusCode?: unknown; code?: unknown; message?: unknown; retryAfterMs?: unknown };
  return {
    ...(typeof err.statusCode === "number" ? { status: err.statusCode } : {}),
    ...(typeof err.code === "string" ? { code: err.code } : {}),
    ...(typeof err.retryAfterMs === "number" ? { retryAfterMs: err.retryAfterMs } : {}),
    message: String(err.message ?? e),
  };
}

/** Throttling, 5xx and dropped connections: core's one classifier. */
export const isRetryable = (e: unknown): boolean => classify(errorShape(e)) === "retry";

function header(h: unknown, name: string): string | undefined {
  if (!isObject(h)) return undefined;
  const v = h[name] ?? h[name.toLowerCase()];
  return Array.isArray(v) ? String(v[0]) : v === undefined ? undefined : String(v);
}

export interface Apis {
  web: WebApi;
  build(): Promise<BuildApi>;
  git(): Promise<GitApi>;
  taskAgent(): Promise<ITaskAgentApi>;
  serviceEndpoint(): Promise<IServiceEndpointApi>;
}

interface EnvRow {
  id: number;
  name: string;
  description: string;
  lastModifiedOn: string;
}

export interface AzureClientOptions {
  retry?: RetryOptions;
  /** Push the compiled YAML through the Git API (azure.PipelineYaml resources). */
  pushYaml?: boolean;
}

export class AzureLiveClient implements LiveClient {
  readonly redact: Redactor;
  private readonly envCache = new Map<string, EnvRow>();
  private readonly scCache = new Map<string, string>();
  private readonly repoIds = new Map<string, string>();
  /** Every request goes through it: one retry layer, one concurrency limit. */
  readonly edge: LiveEdge;

  constructor(
    readonly apis: Apis,
    readonly config: ResolvedConfig,
    readonly options: AzureClientOptions = {},
  ) {
    this.redact = new Redactor(config.token.value, config.token.variable);
    this.edge = new LiveEdge({
      service: "Azure DevOps",
      shape: errorShape,
      retry: options.retry ?? {},
      endpoint: config.orgUrl,
      endpointHint: "check --endpoint, AZURE_DEVOPS_ORG_URL or targets.azure.organization, and the network",
    });
  }

  /** Calls made by this client (each attempt counts), for reports and tests. */
  get calls(): number {
    return this.edge.requests;
  }

  get project(): string {
    return this.config.project;
  }

  // ------------------------------------------------------------------ calls, retries, errors

  /** Turn anything the SDK throws into a token-free AzureApiError. */
  wrap(e: unknown, what: string): AzureApiError | ConflictError {
    if (e instanceof AzureApiError || e instanceof ConflictError) return e;
    const err = e as { statusCode?: number; result?: unknown; responseHeaders?: unknown; code?: string; message?: string };
    const status = typeof err?.statusCode === "number" ? err.statusCode : undefined;
    const typeKey = isObject(err?.result) && typeof err.result.typeKey === "string" ? err.result.typeKey : undefined;
    const retryAfterMs = parseRetryAfter(header(err?.responseHeaders, "retry-after")) ?? parseRetryAfter(header(err?.responseHeaders, "x-ratelimit-delay"));
    const msg = this.redact.text(`${what}: ${status !== undefined ? `HTTP ${status}${typeKey ? ` ${typeKey}` : ""}: ` : ""}${String(err?.message ?? e)}`);
    return new AzureApiError(msg, status, typeKey, retryAfterMs, typeof err?.code === "string" ? err.code : undefined);
  }

  /**
   * One API call through the edge (core's one retry layer): 429 waits Retry-After (or
   * X-RateLimit-Delay, else backoff), 5xx and dropped connections back off exponentially.
   * `deadlineAt` (else the apply's deadline) bounds the waiting.
   */
  call<T>(what: string, fn: () => Promise<T>, deadlineAt?: number): Promise<T> {
    return this.edge.call(async () => {
      try {
        return await fn();
      } catch (e) {
        throw this.wrap(e, what);
      }
    }, deadlineAt !== undefined ? { deadlineAt } : {});
  }

  retryable(error: unknown): boolean {
    return this.edge.retryable(error);
  }

  // ------------------------------------------------------------------ look-ups

  private async definitionByName(name: string, deadlineAt?: number): Promise<Obj | undefined> {
    const build = await this.apis.build();
    const list = await this.call(`get definition ${name}`, () => build.getDefinitions(this.project, name, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, true), deadlineAt);
    const rows = (list ?? []).filter((d) => String(d.name).toLowerCase() === name.toLowerCase()) as unknown as Obj[];
    // Prefer the one in pipeglot's folder; a same-named definition elsewhere is someone else's.
    return rows.find((d) => this.isManagedDefinition(d)) ?? rows.find((d) => folderMatches(d.path, this.config.folder)) ?? rows[0];
  }

  isManagedDefinition(d: Obj): boolean {
    return folderMatches(d.path, this.config.folder) && Array.isArray(d.tags) && d.tags.includes("managed-by-pipeglot");
  }

  private async environmentByName(name: string, deadlineAt?: number): Promise<EnvRow | undefined> {
    const ta = await this.apis.taskAgent();
    const list = await this.call(`get environment ${name}`, () => ta.getEnvironments(this.project, name), deadlineAt);
    const e = (list ?? []).find((x) => String(x.name).toLowerCase() === name.toLowerCase());
    if (!e) {
      this.envCache.delete(name.toLowerCase());
      return undefined;
    }
    const row: EnvRow = { id: Number(e.id), name: String(e.name), description: String(e.description ?? ""), lastModifiedOn: toIso(e.lastModifiedOn) };
    this.envCache.set(name.toLowerCase(), row);
    return row;
  }

  private async envId(name: string, deadlineAt?: number): Promise<EnvRow | undefined> {
    return this.envCache.get(name.toLowerCase()) ?? (await this.environmentByName(name, deadlineAt));
  }

  /** Service connection name → id (cached). */
  async serviceConnectionId(name: string, deadlineAt?: number): Promise<string | undefined> {
    const key = name.toLowerCase();
    if (this.scCache.has(key)) return this.scCache.get(key);
    const se = await this.apis.serviceEndpoint();
    const list = await this.call(`look up service connection ${name}`, () => se.getServiceEndpointsByNames(this.project, [name]), deadlineAt);
    const hit = (list ?? []).find((e) => String(e.name).toLowerCase() === key);
    if (hit?.id) this.scCache.set(key, String(hit.id));
    return hit?.id ? String(hit.id) : undefined;
  }

  private async checksApi<T>(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown, deadlineAt?: number): Promise<T | null> {
    const rest = (this.apis.web as unknown as { rest: { get: Function; create: Function; update: Function; del: Function } }).rest;
    const url = `${this.config.orgUrl}/${encodeURIComponent(this.project)}/_apis/pipelines/checks/${path}`;
    const options = { acceptHeader: `application/json;api-version=${CHECKS_API_VERSION}` };
    const res = await this.call(`${method} checks/${path.split("?")[0]}`, async () => {
      switch (method) {
        case "GET":
          return rest.get(url, options);
        case "POST":
          return rest.create(url, body, options);
        case "PATCH":
          return rest.update(url, body, options);
        case "DELETE":
          return rest.del(url, options);
      }
    }, deadlineAt);
    return ((res as { result?: T | null })?.result ?? null) as T | null;
  }

  private async checkOn(env: EnvRow, deadlineAt?: number): Promise<Obj | undefined> {
    const res = await this.checksApi<{ value?: Obj[] }>("GET", `configurations?resourceType=environment&resourceId=${env.id}&$expand=settings`, undefined, deadlineAt);
    return (res?.value ?? []).find((c) => isObject(c.type) && String(c.type.id).toLowerCase() === APPROVAL_TYPE_ID);
  }

  // ------------------------------------------------------------------ read

  read(keys: ResourceKey[], pipeline?: string, ctx?: ReadContext): Promise<(LiveResource | undefined)[]> {
    return this.edge.within(ctx, async () => {
      // Environments before checks, so that a check's environment id comes from the same read.
      const order = keys.map((k, i) => ({ k, i })).sort((a, b) => rank(a.k.kind) - rank(b.k.kind));
      const out: (LiveResource | undefined)[] = new Array(keys.length);
      for (const { k, i } of order) out[i] = await this.readOne(k, undefined, pipeline);
      return out;
    });
  }

  private async readOne(key: ResourceKey, deadlineAt?: number, pipeline?: string): Promise<LiveResource | undefined> {
    switch (key.kind) {
      case KIND.definition: {
        const d = await this.definitionByName(key.name, deadlineAt);
        if (!d) return undefined;
        const repo = isObject(d.repository) ? d.repository : {};
        const sc = isObject(repo.properties) ? repo.properties.connectedServiceId : undefined;
        const scName = serviceConnectionName(this.config.target, String(repo.type ?? ""));
        if (typeof sc === "string" && scName !== undefined && String(repo.type).toLowerCase() !== "tfsgit") await this.serviceConnectionId(scName, deadlineAt);
        // A definition's name is its pipeline's name, verbatim (compile writes ir.name): Azure
        // compares names without case, so "App" finds "app", which belongs to pipeline "app".
        return { key, body: normalizeDefinition(d, { serviceConnections: this.scCache, target: this.config.target }), versionToken: String(d.revision), managed: this.isManagedDefinition(d), owner: String(d.name) };
      }
      case KIND.environment: {
        const e = await this.environmentByName(key.name, deadlineAt);
        if (!e) return undefined;
        return { key, body: normalizeEnvironment(e as unknown as Obj), versionToken: e.lastModifiedOn, ...ownedBy(environmentOwner(e.description)) };
      }
      case KIND.check: {
        const env = await this.envId(key.name, deadlineAt);
        if (!env) return undefined;
        const c = await this.checkOn(env, deadlineAt);
        if (!c) return undefined;
        // The Approval check is its environment's owner's.
        return { key, body: normalizeCheck(c, env.name, String(env.id)), versionToken: String(c.version), ...ownedBy(environmentOwner(env.description)) };
      }
      case KIND.yaml: {
        const y = parseYamlKey(key.name);
        const item = await this.yamlItem(y.path, deadlineAt, y);
        if (!item) return undefined;
        // A file compiled by pipeglot names its pipeline in its header; another file is the planned pipeline's to replace (--push-yaml).
        const owner = yamlOwner(item.content) ?? pipeline;
        return { key, body: { path: y.path, content: item.content }, versionToken: item.objectId, managed: true, ...(owner !== undefined ? { owner } : {}) };
      }
      default:
        throw new Error(`unknown Azure resource kind ${key.kind}`);
    }
  }

  // ------------------------------------------------------------------ YAML in Azure Repos

  /** The repository (TfsGit) the YAML lives in: name from the definition output. */
  yamlRepo?: { name: string; branch: string };

  async repositoryId(name: string, deadlineAt?: number): Promise<string | undefined> {
    const key = name.toLowerCase();
    if (this.repoIds.has(key)) return this.repoIds.get(key);
    const git = await this.apis.git();
    const r = await this.call(`get repository ${name}`, () => git.getRepository(name, this.project), deadlineAt);
    if (r?.id) this.repoIds.set(key, r.id);
    return r?.id ?? undefined;
  }

  /** The YAML file on the default branch: content and blob id, undefined when absent. */
  async yamlItem(path: string, deadlineAt?: number, where = this.yamlRepo): Promise<{ content: string; objectId: string; commitId?: string } | undefined> {
    if (!where) throw new Error("the YAML repository is unknown: call setYamlRepository() first");
    const { name, branch } = where;
    const git = await this.apis.git();
    const item = await this.call(`read ${path} from ${name}`, () => git.getItem(name, `/${path.replace(/^\//, "")}`, this.project, undefined, undefined, undefined, undefined, undefined, { version: branch.replace(/^refs\/heads\//, ""), versionType: 0 }, true), deadlineAt);
    if (!item || typeof item.content !== "string") return undefined;
    return { content: item.content, objectId: String(item.objectId), ...(item.commitId ? { commitId: item.commitId } : {}) };
  }

  setYamlRepository(name: string, branch: string): void {
    this.yamlRepo = { name, branch };
  }

  private async pushYamlFile(change: Change, deadlineAt: number): Promise<void> {
    const y = parseYamlKey(change.key.name);
    const { name, branch } = y;
    const path = `/${y.path}`;
    const content = String((change.after as Obj).content);
    const git = await this.apis.git();
    const current = await this.yamlItem(y.path, deadlineAt, y);
    if ((current?.objectId ?? undefined) !== (change.action === "create" ? undefined : change.versionToken)) {
      throw conflict.changed(keyString(change.key), `${path} in ${name} is at blob ${current?.objectId ?? "none"}, the plan read ${change.versionToken ?? "none"}`);
    }
    const refs = await this.call(`get ${branch} of ${name}`, () => git.getRefs(name, this.project, branch.replace(/^refs\//, "")), deadlineAt);
    const ref = (refs ?? []).find((r) => r.name === branch);
    const oldObjectId = ref?.objectId ?? "0000000000000000000000000000000000000000";
    const push = {
      refUpdates: [{ name: branch, oldObjectId }],
      commits: [{ comment: `pipeglot: update ${path}`, changes: [{ changeType: current ? 2 : 1, item: { path }, newContent: { content, contentType: 0 } }] }],
    };
    try {
      await this.call(`push ${path} to ${name}`, () => git.createPush(push as never, name, this.project), deadlineAt);
    } catch (e) {
      const err = this.wrap(e, "push");
      if (err instanceof AzureApiError && err.statusCode === 409) throw conflict.refused(keyString(change.key), change.versionToken, err.message);
      throw err;
    }
  }

  // ------------------------------------------------------------------ list

  /**
   * For --prune: this pipeline's definition, and the Approval checks of the environments it owns
   * and still deploys to (`wanted`: it dropped the approval). Environments are never listed, so
   * never pruned: other pipelines may deploy to them, and Azure would recreate a deleted one on the
   * next deploy without its checks. Nor is the check of an environment it stopped deploying to.
   */
  listManaged(pipeline: string, wanted: readonly ResourceKey[] = [], ctx?: ReadContext): Promise<ResourceKey[]> {
    return this.edge.within(ctx, () => this.listOwned(pipeline, wanted));
  }

  private async listOwned(pipeline: string, wanted: readonly ResourceKey[]): Promise<ResourceKey[]> {
    const keys: ResourceKey[] = [];
    const build = await this.apis.build();
    const defs = await this.call("list definitions", () => build.getDefinitions(this.project, pipeline, undefined, undefined, undefined, undefined, undefined, undefined, undefined, this.config.folder, undefined, undefined, true));
    for (const d of (defs ?? []) as unknown as Obj[]) if (String(d.name) === pipeline && this.isManagedDefinition(d)) keys.push({ kind: KIND.definition, name: String(d.name) });
    const stillUsed = new Set(wanted.filter((k) => k.kind === KIND.environment).map((k) => k.name.toLowerCase()));
    for (const env of await this.ownedEnvironments(pipeline)) if (stillUsed.has(env.toLowerCase())) keys.push({ kind: KIND.check, name: env });
    return keys;
  }

  /** Names of the environments whose description names this pipeline as their owner (every page). */
  async ownedEnvironments(pipeline: string): Promise<string[]> {
    const ta = await this.apis.taskAgent();
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call("list environments", () => ta.getEnvironments(this.project, undefined, token, 100));
      for (const e of page ?? []) if (environmentOwner(e.description) === pipeline) out.push(String(e.name));
      token = (page as { continuationToken?: string } | undefined)?.continuationToken || undefined;
    } while (token);
    return out;
  }

  // ------------------------------------------------------------------ write

  write(change: Change, ctx: WriteContext): Promise<void> {
    return this.edge.within(ctx, () => this.writeOne(change, Date.now() + ctx.deadline));
  }

  private async writeOne(change: Change, deadlineAt: number): Promise<void> {
    switch (change.key.kind) {
      case KIND.definition:
        return this.writeDefinition(change, deadlineAt);
      case KIND.environment:
        return this.writeEnvironment(change, deadlineAt);
      case KIND.check:
        return this.writeCheck(change, deadlineAt);
      case KIND.yaml:
        if (change.action === "delete") throw new Error(`pipeglot does not delete ${change.key.name} from the repository; remove it with a commit`);
        return this.pushYamlFile(change, deadlineAt);
      default:
        throw new Error(`unknown Azure resource kind ${change.key.kind}`);
    }
  }

  /** Resolve `${serviceConnection.X.id}` and, for Azure Repos, the repository id. */
  private async resolveDefinition(body: Obj, deadlineAt: number): Promise<Obj> {
    const out = structuredClone(body);
    const repo = isObject(out.repository) ? out.repository : undefined;
    if (repo) {
      if (String(repo.type).toLowerCase() === "tfsgit") {
        const id = await this.repositoryId(String(repo.name), deadlineAt);
        if (!id) throw new Error(`the Azure Repos repository ${String(repo.name)} does not exist in project ${this.project}`);
        repo.id = id;
      }
      const props = isObject(repo.properties) ? repo.properties : undefined;
      const m = typeof props?.connectedServiceId === "string" ? /^\$\{serviceConnection\.(.+)\.id\}$/.exec(props.connectedServiceId) : null;
      if (props && m) {
        const id = GUID.test(m[1]!) ? m[1]! : await this.serviceConnectionId(m[1]!, deadlineAt);
        if (!id) throw new Error(`the service connection ${m[1]} does not exist in project ${this.project}: create it, or set targets.azure.serviceConnection to its name or id`);
        props.connectedServiceId = id;
      }
    }
    return out;
  }

  private async writeDefinition(change: Change, deadlineAt: number): Promise<void> {
    const build = await this.apis.build();
    const name = change.key.name;
    if (change.action === "create") {
      const body = await this.resolveDefinition(change.after as Obj, deadlineAt);
      let created: Obj | undefined;
      try {
        created = (await this.call(`create definition ${name}`, () => build.createDefinition(body as never, this.project), deadlineAt)) as unknown as Obj;
      } catch (e) {
        const err = this.wrap(e, `create definition ${name}`);
        // A retried create whose first attempt went through: fine if what is there is ours and as desired.
        if (err instanceof AzureApiError && err.statusCode === 409) {
          const live = await this.readOne(change.key, deadlineAt);
          if (live?.managed && diffBodies(live.body, change.after).length === 0) return;
          throw conflict.created(keyString(change.key));
        }
        throw err;
      }
      await this.setProperties(build, Number(created?.id), name, change.after as Obj, deadlineAt);
      return;
    }
    const live = await this.definitionByName(name, deadlineAt);
    if (!live) throw conflict.deleted(keyString(change.key));
    guardVersion(keyString(change.key), change.versionToken, String(live.revision));
    const id = Number(live.id);
    if (change.action === "delete") {
      await this.call(`delete definition ${name}`, () => build.deleteDefinition(this.project, id), deadlineAt);
      return;
    }
    // Keep what pipeglot does not manage (variables, retention, options...), replace what it does.
    const desired = await this.resolveDefinition(change.after as Obj, deadlineAt);
    const body: Obj = { ...live, ...desired, id, revision: Number(change.versionToken) };
    body.repository = { ...(isObject(live.repository) ? live.repository : {}), ...(desired.repository as Obj) };
    let updated: Obj | null;
    try {
      updated = (await this.call(`update definition ${name}`, () => build.updateDefinition(body as never, this.project, id), deadlineAt)) as unknown as Obj | null;
    } catch (e) {
      const err = this.wrap(e, `update definition ${name}`);
      if (err instanceof AzureApiError && (err.statusCode === 409 || err.statusCode === 404)) throw conflict.refused(keyString(change.key), change.versionToken, err.message);
      throw err;
    }
    // A stale revision is answered 404, which the SDK resolves as null instead of throwing.
    if (!updated) throw conflict.refused(keyString(change.key), change.versionToken, `HTTP 404 "Build pipeline ${id} was not found"`);
    await this.setProperties(build, id, name, change.after as Obj, deadlineAt);
  }

  /** Ownership and provenance in definition properties (no new revision). */
  private async setProperties(build: BuildApi, id: number, pipeline: string, body: Obj, deadlineAt: number): Promise<void> {
    if (!Number.isFinite(id)) return;
    const hash = Array.isArray(body.tags) ? (body.tags.find((t) => String(t).startsWith("pipeglot-hash-")) as string | undefined)?.slice("pipeglot-hash-".length) : undefined;
    const patch = [
      { op: "add", path: `/${PROPERTY_PREFIX}managedBy`, value: "pipeglot" },
      { op: "add", path: `/${PROPERTY_PREFIX}pipeline`, value: pipeline },
      ...(hash ? [{ op: "add", path: `/${PROPERTY_PREFIX}sourceHash`, value: hash }] : []),
    ];
    await this.call(`set properties of ${pipeline}`, () => build.updateDefinitionProperties({}, patch as never, this.project, id), deadlineAt);
  }

  private async writeEnvironment(change: Change, deadlineAt: number): Promise<void> {
    const ta = await this.apis.taskAgent();
    const name = change.key.name;
    if (change.action === "create") {
      try {
        const e = await this.call(`create environment ${name}`, () => ta.addEnvironment(change.after as never, this.project), deadlineAt);
        if (e?.id !== undefined) this.envCache.set(name.toLowerCase(), { id: Number(e.id), name: String(e.name), description: String(e.description ?? ""), lastModifiedOn: toIso(e.lastModifiedOn) });
      } catch (e) {
        const err = this.wrap(e, `create environment ${name}`);
        if (err instanceof AzureApiError && err.statusCode === 409) {
          const live = await this.readOne(change.key, deadlineAt);
          if (live?.managed && diffBodies(live.body, change.after).length === 0) return;
          throw conflict.created(keyString(change.key));
        }
        throw err;
      }
      return;
    }
    const live = await this.environmentByName(name, deadlineAt);
    if (!live) throw conflict.deleted(keyString(change.key));
    guardVersion(keyString(change.key), change.versionToken, live.lastModifiedOn);
    if (change.action === "delete") {
      await this.call(`delete environment ${name}`, () => ta.deleteEnvironment(this.project, live.id), deadlineAt);
      this.envCache.delete(name.toLowerCase());
      return;
    }
    await this.call(`update environment ${name}`, () => ta.updateEnvironment(change.after as never, this.project, live.id), deadlineAt);
  }

  /** `${environment.X.id}` and `${identity.<guid>.id}` → ids. */
  private async resolveCheck(body: Obj, deadlineAt: number): Promise<Obj> {
    const out = structuredClone(body);
    const res = isObject(out.resource) ? out.resource : {};
    const envName = typeof res.name === "string" ? res.name : undefined;
    const m = typeof res.id === "string" ? /^\$\{environment\.(.+)\.id\}$/.exec(res.id) : null;
    if (m) {
      const env = await this.envId(m[1]!, deadlineAt);
      if (!env) throw new Error(`environment ${m[1]} does not exist in project ${this.project}`);
      res.id = String(env.id);
    } else if (envName && res.id === undefined) {
      const env = await this.envId(envName, deadlineAt);
      if (env) res.id = String(env.id);
    }
    const settings = isObject(out.settings) ? out.settings : {};
    if (Array.isArray(settings.approvers)) {
      settings.approvers = settings.approvers.map((a) => {
        if (!isObject(a)) return a;
        const im = typeof a.id === "string" ? /^\$\{identity\.(.+)\.id\}$/.exec(a.id) : null;
        if (!im) return a;
        if (!GUID.test(im[1]!)) throw new Error(unresolvedApprover(im[1]!));
        return { ...a, id: im[1] };
      });
    }
    return out;
  }

  private async writeCheck(change: Change, deadlineAt: number): Promise<void> {
    const envName = change.key.name;
    if (change.action === "create") {
      const body = await this.resolveCheck(change.after as Obj, deadlineAt);
      const env = await this.envId(envName, deadlineAt);
      if (env) {
        const existing = await this.checkOn(env, deadlineAt);
        if (existing) throw conflict.created(keyString(change.key));
      }
      await this.checksApi("POST", "configurations", body, deadlineAt);
      return;
    }
    const env = await this.envId(envName, deadlineAt);
    const live = env ? await this.checkOn(env, deadlineAt) : undefined;
    if (!env || !live) throw conflict.deleted(keyString(change.key));
    guardVersion(keyString(change.key), change.versionToken, String(live.version));
    if (change.action === "delete") {
      await this.checksApi("DELETE", `configurations/${String(live.id)}`, undefined, deadlineAt);
      return;
    }
    const body = { ...(await this.resolveCheck(change.after as Obj, deadlineAt)), id: live.id, version: Number(change.versionToken) };
    try {
      await this.checksApi("PATCH", `configurations/${String(live.id)}`, body, deadlineAt);
    } catch (e) {
      const err = this.wrap(e, `update check on ${envName}`);
      if (err instanceof AzureApiError && err.statusCode === 409) throw conflict.refused(keyString(change.key), change.versionToken, err.message);
      throw err;
    }
  }
}

export function unresolvedApprover(name: string): string {
  return `approver ${JSON.stringify(name)}: Azure approval checks name approvers by identity id, and azure-devops-node-api 17 has no identity look-up; write the approver as its identity id (a GUID) in the pipeglot definition`;
}

/** `<repo>@<branch>:<path>` (the name of an azure.PipelineYaml key). */
export function yamlKeyName(repo: string, branch: string, path: string): string {
  return `${repo}@${branch.replace(/^refs\/heads\//, "")}:${path.replace(/^\//, "")}`;
}

export function parseYamlKey(name: string): { name: string; branch: string; path: string } {
  const m = /^(.+?)@([^:]+):(.+)$/.exec(name);
  if (!m) throw new Error(`not an azure.PipelineYaml key: ${name} (expected <repository>@<branch>:<path>)`);
  return { name: m[1]!, branch: `refs/heads/${m[2]!}`, path: m[3]!.replace(/^\//, "") };
}

function folderMatches(path: unknown, folder: string): boolean {
  const p = String(path ?? "").replace(/\\+$/, "").toLowerCase();
  const f = folder.replace(/\\+$/, "").toLowerCase();
  return p === f || p.startsWith(`${f}\\`);
}

/** The pipeline a compiled YAML file names in its header ("Generated by pipeglot from pipeline X."). */
export function yamlOwner(content: string): string | undefined {
  return /^#\s*Generated by pipeglot from pipeline (\S+?)\.(\s|$)/m.exec(content.split("\n", 4).join("\n"))?.[1];
}

/** Ownership of an environment or its check, from the environment's description. */
function ownedBy(owner: string | undefined): { managed: boolean; owner?: string } {
  return owner === undefined ? { managed: false } : { managed: true, owner };
}

function rank(kind: string): number {
  return kind === KIND.environment ? 0 : kind === KIND.check ? 1 : 2;
}

function toIso(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  return String(v ?? "");
}
