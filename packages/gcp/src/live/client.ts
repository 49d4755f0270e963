/**
 * The Cloud Build LiveClient: BuildTriggers in one project + location.
 *
 * Calls (per resource):
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
import { ConflictError, withRetries, type Change, type LiveClient, type LiveResource, type ResourceKey, type WriteContext } from "@pipeglot/core";
import { KIND_TRIGGER } from "../compile/index.js";
import { OWNER_TAG, PIPELINE_TAG } from "../names.js";
import { GcbApiError, isAlreadyExists, isNotFound, retryable, toApiError } from "./errors.js";
import { bodyHash, canonical, deepEqual, normalizeLive } from "./normalize.js";
import type { TriggerSchema } from "./proto.js";

/** The members of CloudBuildClient (fallback mode) this client uses. */
export interface CloudBuildApi {
  createBuildTrigger(req: { parent: string; trigger: unknown }, opts?: { timeout?: number }): Promise<unknown>;
  updateBuildTrigger(req: { trigger: unknown }, opts?: { timeout?: number }): Promise<unknown>;
  deleteBuildTrigger(req: { name: string }, opts?: { timeout?: number }): Promise<unknown>;
  listBuildTriggers(req: { parent: string; pageSize?: number }, opts?: { timeout?: number; autoPaginate?: boolean }): Promise<[unknown[], ...unknown[]]>;
  close?(): Promise<void>;
}

/** A raw REST call with the same credentials as the client: resolves the JSON body, rejects with the API error. */
export type RestCall = (method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown, timeoutMs?: number) => Promise<unknown>;

export interface GcbLiveClientOptions {
  project: string;
  /** Cloud Build location; "global" for the legacy global triggers. */
  region: string;
  api: CloudBuildApi;
  rest: RestCall;
  schema: TriggerSchema;
  /** Reads in flight at once (default 8). */
  readParallelism?: number;
  /** Retries of a read or list page on throttling/5xx/dropped connections (default 6); the engine retries writes. */
  readRetries?: number;
  /** Backoff of those retries (default 100 ms … 3 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

type Raw = Record<string, unknown>;

const tagsOf = (raw: Raw): string[] => (Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === "string") : []);
const isManaged = (raw: Raw) => tagsOf(raw).includes(OWNER_TAG);
/**
 * The pipeline a trigger belongs to: its `pipeglot-pipeline-<name>` tag (compile has written it on
 * every trigger from the start, so a managed trigger without exactly one has no owner, and the plan
 * reports it as a problem).
 */
export function ownerOf(raw: Raw): string | undefined {
  const names = tagsOf(raw).filter((t) => t.startsWith(PIPELINE_TAG));
  return names.length === 1 ? names[0]!.slice(PIPELINE_TAG.length) : undefined;
}

export class GcbLiveClient implements LiveClient {
  readonly parent: string;
  private readonly o: Required<Omit<GcbLiveClientOptions, "api" | "rest" | "schema">> & Pick<GcbLiveClientOptions, "api" | "rest" | "schema">;

  constructor(opts: GcbLiveClientOptions) {
    this.o = { readParallelism: 8, readRetries: 6, minBackoffMs: 100, maxBackoffMs: 3000, ...opts };
    this.parent = `projects/${opts.project}/locations/${opts.region}`;
  }

  // ---- reads ----

  private checkKey(k: ResourceKey): void {
    if (k.kind !== KIND_TRIGGER) throw new Error(`the Cloud Build live client manages ${KIND_TRIGGER} only, not ${k.kind}`);
  }

  private async withReadRetry<T>(op: string, fn: () => Promise<T>): Promise<T> {
    const o = this.o;
    return withRetries(
      async () => {
        try {
          return await fn();
        } catch (e) {
          throw toApiError(e, op);
        }
      },
      { retries: o.readRetries, minBackoffMs: o.minBackoffMs, maxBackoffMs: o.maxBackoffMs, retryable },
    );
  }

  /** One GET; undefined when the trigger does not exist. */
  private async getRaw(name: string, timeoutMs?: number): Promise<Raw | undefined> {
    try {
      return (await this.o.rest("GET", `/v1/${this.parent}/triggers/${encodeURIComponent(name)}`, undefined, timeoutMs)) as Raw;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw toApiError(e, `get trigger ${name}`);
    }
  }

  /** The plan's view of a live trigger: normalized body, hash of the raw body, ownership. */
  live(key: ResourceKey, raw: Raw): LiveResource {
    const owner = ownerOf(raw);
    return { key, body: normalizeLive(raw, this.o.schema), versionToken: bodyHash(raw), managed: isManaged(raw), ...(owner !== undefined ? { owner } : {}) };
  }

  async read(keys: ResourceKey[]): Promise<(LiveResource | undefined)[]> {
    keys.forEach((k) => this.checkKey(k));
    const out: (LiveResource | undefined)[] = new Array(keys.length);
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        const i = next++;
        const k = keys[i]!;
        const raw = await this.withReadRetry(`get trigger ${k.name}`, () => this.getRaw(k.name));
        out[i] = raw && this.live(k, raw);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.readParallelism, keys.length) }, worker));
    return out;
  }

  /** Every trigger of the location (Node client, every page). */
  async listAll(): Promise<Raw[]> {
    const [items] = await this.withReadRetry("list triggers", () => this.o.api.listBuildTriggers({ parent: this.parent }));
    return items as Raw[];
  }

  async listManaged(pipeline: string): Promise<ResourceKey[]> {
    return (await this.listAll())
      .filter((t) => isManaged(t) && ownerOf(t) === pipeline && typeof t.name === "string")
      .map((t) => ({ kind: KIND_TRIGGER, name: t.name as string }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  // ---- writes ----

  /** Fields the Node client would drop (approvalConfig, ...): such bodies go through raw REST. */
  restOnly(body: unknown): string[] {
    return this.o.schema.unknownPaths(body);
  }

  private timeout(ctx: WriteContext): number {
    return Math.max(1000, Math.min(ctx.deadline, 60_000));
  }

  async write(change: Change, ctx: WriteContext): Promise<void> {
    this.checkKey(change.key);
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
      if (this.restOnly(body).length) await this.o.rest("POST", `/v1/${this.parent}/triggers`, body, timeout);
      else await this.o.api.createBuildTrigger({ parent: this.parent, trigger: this.o.schema.toProtoObject(body) }, { timeout });
    } catch (e) {
      if (!isAlreadyExists(e)) throw toApiError(e, `create trigger ${name}`);
      // Someone (or our own earlier attempt whose answer was lost) created it meanwhile.
      const raw = await this.withReadRetry(`get trigger ${name}`, () => this.getRaw(name, timeout));
      if (raw && isManaged(raw) && deepEqual(normalizeLive(raw, this.o.schema), body)) return;
      throw new ConflictError(`trigger ${name} was created by someone else after the plan read it`);
    }
  }

  /** Read again right before writing; undefined: the write is already done (a retried write that landed). */
  private async guard(name: string, desired: Raw | undefined, token: string | undefined, timeout: number): Promise<Raw | undefined> {
    // A read: retried here on throttling/5xx, so that an attempt of the engine fails only on the write itself.
    const raw = await this.withReadRetry(`get trigger ${name}`, () => this.getRaw(name, timeout));
    if (!raw) {
      if (desired === undefined) return undefined; // delete: already gone
      throw new ConflictError(`trigger ${name} was deleted after the plan read it`);
    }
    const now = bodyHash(raw);
    if (token === undefined || now !== token) {
      if (desired !== undefined && isManaged(raw) && deepEqual(normalizeLive(raw, this.o.schema), desired)) return undefined;
      throw new ConflictError(`trigger ${name} changed after the plan read it (live ${now}, plan read ${token ?? "nothing"})`);
    }
    if (!isManaged(raw)) throw new ConflictError(`trigger ${name} does not carry the ${OWNER_TAG} tag`);
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
    try {
      // No updateMask: a full replace of the mutable fields, so fields left out are cleared.
      if (this.restOnly(body).length) await this.o.rest("PATCH", `/v1/${resourceName}`, body, timeout);
      else await this.o.api.updateBuildTrigger({ trigger: { ...(this.o.schema.toProtoObject(body) as Raw), resourceName } }, { timeout });
    } catch (e) {
      throw toApiError(e, `update trigger ${name}`);
    }
  }

  private async delete(name: string, token: string | undefined, ctx: WriteContext): Promise<void> {
    const timeout = this.timeout(ctx);
    const raw = await this.guard(name, undefined, token, timeout);
    if (!raw) return;
    try {
      await this.o.api.deleteBuildTrigger({ name: this.resourceName(raw, name) }, { timeout });
    } catch (e) {
      if (isNotFound(e)) return;
      throw toApiError(e, `delete trigger ${name}`);
    }
  }

  retryable(error: unknown): boolean {
    return !(error instanceof ConflictError) && retryable(error);
  }

  async close(): Promise<void> {
    await this.o.api.close?.();
  }
}

export { GcbApiError };
