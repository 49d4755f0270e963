/**
 * The Cloud Build LiveClient: BuildTriggers in one project + location.
 *
 * Calls (per resource; each request is retried by core's one retry layer, the client's LiveEdge, and
 * nowhere else: gax calls are made with `retry: null`, REST calls with `retry: false`):
 *   read         1 × GET  /v1/{parent}/triggers/{name}       raw REST (the API takes an id or a name;
 *                                                            REST because the Node client drops approvalConfig)
 *   listManaged  1 × GET  /v1/{parent}/triggers per page     Node client (listBuildTriggers, auto-paginated)
 *   create       1 × POST /v1/{parent}/triggers              Node client, or raw REST when the body has
 *                                                            fields the client's protos lack (approvalConfig…)
 *   update       1 × GET (drift guard) + 1 × PATCH {resourceName} without updateMask (full replace)
 *   delete       1 × GET (drift guard) + 1 × DELETE {resourceName}
 *
 * Cloud Build has no version token and no conditional write (PROVIDERS.md §3.6): the version token
 * is the hash of the live body the plan read, and every update/delete reads the trigger again and
 * refuses (ConflictError) when its hash moved. (A small window remains between that read and the
 * write; the API offers nothing to close it.)
 */
import {
  conflict,
  keyString,
  LiveEdge,
  versionConflict,
  type Change,
  type LiveClient,
  type LiveResource,
  type ReadContext,
  type ResourceKey,
  type WriteContext,
  clientRetry,
  deepEqual,
  type ClientRetryOptions,
} from "@pipeglot/core";
import { KIND_TRIGGER } from "../compile/index.js";
import { OWNER_TAG, PIPELINE_TAG } from "../names.js";
import { errorShape, GcbApiError, isAlreadyExists, isNotFound, toApiError } from "./errors.js";
import { bodyHash, canonical, normalizeLive } from "./normalize.js";
import type { TriggerSchema } from "./proto.js";
import { byText } from "@pipeglot/schema";

/** gax call options: `retry: null` turns gax's own retries off (core's retry layer is the only one). */
interface GaxOptions {
  timeout?: number;
  retry?: null;
  autoPaginate?: boolean;
}

/** The members of CloudBuildClient (fallback mode) this client uses. */
export interface CloudBuildApi {
  createBuildTrigger(req: { parent: string; trigger: unknown }, opts?: GaxOptions): Promise<unknown>;
  updateBuildTrigger(req: { trigger: unknown }, opts?: GaxOptions): Promise<unknown>;
  deleteBuildTrigger(req: { name: string }, opts?: GaxOptions): Promise<unknown>;
  listBuildTriggers(req: { parent: string; pageSize?: number }, opts?: GaxOptions): Promise<[unknown[], ...unknown[]]>;
  // Builds (the operate commands: run, status, approve/reject; see ../operate/).
  runBuildTrigger(req: { name: string; source?: unknown }, opts?: GaxOptions): Promise<[{ name?: string | null; metadata?: unknown }, ...unknown[]]>;
  getBuild(req: { name: string }, opts?: GaxOptions): Promise<[unknown, ...unknown[]]>;
  listBuilds(req: { parent: string; projectId: string; filter?: string; pageSize?: number }, opts?: GaxOptions): Promise<[unknown[], ...unknown[]]>;
  approveBuild(
    req: { name: string; approvalResult: { decision: "APPROVED" | "REJECTED"; comment?: string } },
    opts?: GaxOptions,
  ): Promise<[unknown, ...unknown[]]>;
  close?(): Promise<void>;
}

/** A raw REST call with the same credentials as the client: resolves the JSON body, rejects with the API error. */
export type RestCall = (method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown, timeoutMs?: number) => Promise<unknown>;

export interface GcbLiveClientOptions extends ClientRetryOptions {
  project: string;
  /** Cloud Build location; "global" for the legacy global triggers. */
  region: string;
  api: CloudBuildApi;
  rest: RestCall;
  schema: TriggerSchema;
  /** Reads in flight at once (default 8). */
  readParallelism?: number;
  /** The endpoint, for the message when nothing answers there. */
  endpoint?: string;
}

type Raw = Record<string, unknown>;

const tagsOf = (raw: Raw): string[] => (Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === "string") : []);
const isManaged = (raw: Raw) => tagsOf(raw).includes(OWNER_TAG);
/**
 * The pipeline a trigger belongs to: its `pipeglot-pipeline-<name>` tag (compile has written it on
 * every trigger from the start, so a managed trigger without exactly one has no owner, and the plan
 * reports it as a problem).
 */
function ownerOf(raw: Raw): string | undefined {
  const names = tagsOf(raw).filter((t) => t.startsWith(PIPELINE_TAG));
  return names.length === 1 ? names[0]!.slice(PIPELINE_TAG.length) : undefined;
}

export class GcbLiveClient implements LiveClient {
  readonly parent: string;
  /** Every request goes through it: one retry layer, one concurrency limit. */
  readonly edge: LiveEdge;
  private readonly o: GcbLiveClientOptions;

  constructor(opts: GcbLiveClientOptions) {
    this.o = opts;
    this.parent = `projects/${opts.project}/locations/${opts.region}`;
    const retry = clientRetry(opts);
    this.edge = new LiveEdge({
      service: "Cloud Build",
      shape: errorShape,
      retry,
      parallelism: opts.readParallelism ?? 8,
      endpoint: opts.endpoint ?? "https://cloudbuild.googleapis.com",
      endpointHint: "check --endpoint or PIPEGLOT_GCB_ENDPOINT (unset: Google's endpoint), and the network",
    });
  }

  // ---- reads ----

  private checkKey(k: ResourceKey): void {
    if (k.kind !== KIND_TRIGGER) throw new Error(`the Cloud Build live client manages ${KIND_TRIGGER} only, not ${k.kind}`);
  }

  /** The Node client, for the operate commands (calls go through {@link request}). */
  get sdk(): CloudBuildApi {
    return this.o.api;
  }

  /** Raw REST with the client's credentials (for what the Node client's protos lack). */
  get restCall(): RestCall {
    return this.o.rest;
  }

  /** One request through the edge (retried there); failures become GcbApiError. */
  request<T>(op: string, fn: () => Promise<T>): Promise<T> {
    return this.edge.call(async () => {
      try {
        return await fn();
      } catch (e) {
        throw toApiError(e, op);
      }
    });
  }

  /** One GET (retried by the edge); undefined when the trigger does not exist. */
  private async getRaw(name: string, timeoutMs?: number): Promise<Raw | undefined> {
    try {
      return await this.request(
        `get trigger ${name}`,
        async () => (await this.o.rest("GET", `/v1/${this.parent}/triggers/${encodeURIComponent(name)}`, undefined, timeoutMs)) as Raw,
      );
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** The plan's view of a live trigger: normalized body, hash of the raw body, ownership. */
  live(key: ResourceKey, raw: Raw): LiveResource {
    const owner = ownerOf(raw);
    return { key, body: normalizeLive(raw, this.o.schema), versionToken: bodyHash(raw), managed: isManaged(raw), ...(owner !== undefined ? { owner } : {}) };
  }

  read(keys: ResourceKey[], _pipeline?: string, ctx?: ReadContext): Promise<(LiveResource | undefined)[]> {
    keys.forEach((k) => this.checkKey(k));
    return this.edge.within(ctx, () =>
      this.edge.map(keys, async (k) => {
        const raw = await this.getRaw(k.name);
        return raw && this.live(k, raw);
      }),
    );
  }

  /** Every trigger of the location (Node client, every page). */
  async listAll(): Promise<Raw[]> {
    const [items] = await this.request("list triggers", () => this.o.api.listBuildTriggers({ parent: this.parent }, { retry: null }));
    return items as Raw[];
  }

  async listManaged(pipeline: string, _wanted?: readonly ResourceKey[], ctx?: ReadContext): Promise<ResourceKey[]> {
    return (await this.edge.within(ctx, () => this.listAll()))
      .filter((t) => isManaged(t) && ownerOf(t) === pipeline && typeof t.name === "string")
      .map((t) => ({ kind: KIND_TRIGGER, name: t.name as string }))
      .sort(byText((x) => x.name));
  }

  // ---- writes ----

  /** Fields the Node client would drop (approvalConfig, ...): such bodies go through raw REST. */
  restOnly(body: unknown): string[] {
    return this.o.schema.unknownPaths(body);
  }

  private timeout(ctx: WriteContext): number {
    return Math.max(1000, Math.min(ctx.deadline, 60_000));
  }

  write(change: Change, ctx: WriteContext): Promise<void> {
    this.checkKey(change.key);
    return this.edge.within(ctx, () => this.writeOne(change, ctx));
  }

  private async writeOne(change: Change, ctx: WriteContext): Promise<void> {
    const name = change.key.name;
    switch (change.action) {
      case "noop":
        return;
      case "create":
        return this.create(name, canonical(change.after) as Raw, ctx);
      case "update":
        return this.update(name, canonical(change.after) as Raw, change.versionToken, ctx);
      case "delete":
        return this.delete(name, change.versionToken, ctx);
    }
  }

  private async create(name: string, body: Raw, ctx: WriteContext): Promise<void> {
    const timeout = this.timeout(ctx);
    try {
      await this.request(`create trigger ${name}`, () =>
        this.restOnly(body).length
          ? this.o.rest("POST", `/v1/${this.parent}/triggers`, body, timeout)
          : this.o.api.createBuildTrigger({ parent: this.parent, trigger: this.o.schema.toProtoObject(body) }, { timeout, retry: null }),
      );
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      // Someone (or our own earlier attempt whose answer was lost) created it meanwhile.
      const raw = await this.getRaw(name, timeout);
      if (raw && isManaged(raw) && deepEqual(normalizeLive(raw, this.o.schema), body)) return;
      throw conflict.created(keyString({ kind: KIND_TRIGGER, name }));
    }
  }

  /** Read again right before writing; undefined: the write is already done (a retried write that landed). */
  private async guard(name: string, desired: Raw | undefined, token: string | undefined, timeout: number): Promise<Raw | undefined> {
    const what = keyString({ kind: KIND_TRIGGER, name });
    const raw = await this.getRaw(name, timeout);
    if (!raw) {
      if (desired === undefined) return undefined; // delete: already gone
      throw conflict.deleted(what);
    }
    const now = bodyHash(raw);
    if (token === undefined || now !== token) {
      if (desired !== undefined && isManaged(raw) && deepEqual(normalizeLive(raw, this.o.schema), desired)) return undefined;
      throw versionConflict(what, token, now);
    }
    if (!isManaged(raw)) throw conflict.disowned(`${what} (no ${OWNER_TAG} tag)`);
    return raw;
  }

  private resourceName(raw: Raw, name: string): string {
    if (typeof raw.resourceName === "string" && raw.resourceName) return raw.resourceName;
    return `${this.parent}/triggers/${typeof raw.id === "string" && raw.id ? raw.id : name}`;
  }

  private async update(name: string, body: Raw, token: string | undefined, ctx: WriteContext): Promise<void> {
    const timeout = this.timeout(ctx);
    const raw = await this.guard(name, body, token, timeout);
    if (!raw) return;
    const resourceName = this.resourceName(raw, name);
    // No updateMask: a full replace of the mutable fields, so fields left out are cleared.
    await this.request(`update trigger ${name}`, () =>
      this.restOnly(body).length
        ? this.o.rest("PATCH", `/v1/${resourceName}`, body, timeout)
        : this.o.api.updateBuildTrigger({ trigger: { ...(this.o.schema.toProtoObject(body) as Raw), resourceName } }, { timeout, retry: null }),
    );
  }

  private async delete(name: string, token: string | undefined, ctx: WriteContext): Promise<void> {
    const timeout = this.timeout(ctx);
    const raw = await this.guard(name, undefined, token, timeout);
    if (!raw) return;
    try {
      await this.request(`delete trigger ${name}`, () => this.o.api.deleteBuildTrigger({ name: this.resourceName(raw, name) }, { timeout, retry: null }));
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
  }

  retryable(error: unknown): boolean {
    return this.edge.retryable(error);
  }

  async close(): Promise<void> {
    await this.o.api.close?.();
  }
}

export { GcbApiError };
