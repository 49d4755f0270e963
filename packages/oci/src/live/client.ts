/**
 * The OCI DevOps LiveClient. It keeps an id registry (symbol such as `${buildStage.build.test.id}`
 * → OCID) filled by reads and creates, so symbolic ids in the compiled bodies are resolved when a
 * resource is written (its dependencies were read or created before it), and live bodies are
 * written back in symbolic form before they are compared.
 *
 * One client serves any number of pipelines of its project: each has its own registry (a scope,
 * by pipeline name), and the project's listings are shared by all (lists.ts). The SDK's retries and circuit
 * breaker are off: every request goes through the client's LiveEdge (core's one retry layer, which
 * retries 429, 5xx, 409 IncorrectState and dropped connections within the apply's deadline).
 */
import { createHash, randomUUID } from "node:crypto";
import {
  classify,
  conflict,
  isObject,
  ConflictError,
  PipeglotError,
  UserError,
  keyString,
  LiveEdge,
  type Change,
  type ErrorShape,
  type LiveClient,
  type LiveResource,
  type ReadContext,
  type ResourceKey,
  type RetryPolicy,
  type WriteContext,
  retryOverrides,
  type Obj,
} from "@pipeglot/core";
import { MANAGED_BY, TAG } from "../conventions.js";
import type { DevopsApi } from "./api.js";
import { WorkRequestWatch } from "./work-requests.js";
import { orderResources } from "./desired.js";
import { KIND, TARGET_SYMBOLS, symbolOf, type OciResourceKind } from "./kinds.js";
import { ProjectLists } from "./lists.js";
import { canonical, plain, resolveSymbols, reverseSymbols } from "./normalize.js";

const tagsOf = (v: Obj): Record<string, string> => (isObject(v.freeformTags) ? (v.freeformTags as Record<string, string>) : {});
const GONE = new Set(["DELETING", "DELETED"]);

export interface OciClientSettings {
  /** The DevOps project everything lives in (targets.oci.projectId or PIPEGLOT_OCI_PROJECT_ID). */
  projectId?: string;
  /** Values of the target symbols (`${target.subnetId}` → OCID …). */
  targetValues: Record<string, string>;
  /** Target symbols whose value came from targets.oci: compile wrote them literally, so they are not turned back into symbols. */
  literalTargets: ReadonlySet<string>;
  /** Wait between work request polls (ms): the first poll after `workRequestMs`, then it, doubling up to 10×. */
  pollMs: number;
  /** How long a work request is expected to take (ms): its first poll is sent after this (default a quarter of pollMs). */
  workRequestMs?: number;
  /** The longest the project's listings are kept while the client stays busy (default 60 000 ms; see lists.ts). */
  listMaxAgeMs?: number;
  /** Where pull looks for committed build specs (default: the current directory). */
  repoRoot?: string;
  /** Resources read or written at once. */
  concurrency?: number;
  /** The retry policy of every request (default: core's DEFAULT_RETRY); the engine's settings win. */
  retry?: Partial<RetryPolicy>;
  /** Shorthands of `retry`: attempts and first backoff (ms). */
  readAttempts?: number;
  readBackoffMs?: number;
  /** The endpoint, for the message when nothing answers there. */
  endpoint?: string;
}

/** An error the engine must not retry (bad input, failed work request, deadline). */
/** OCI refused a request (after retries where they apply): the service's answer, kind "api" (exit 1). */
export class OciSyncError extends PipeglotError {
  override readonly name = "OciSyncError";
  constructor(message: string, options?: ErrorOptions) {
    super(message, "api", options);
  }
}

/** A connection-level failure the SDK reported as a plain object (it throws `{code, message}`, not an Error): always retryable. */
class OciTransportError extends Error {
  override readonly name = "OciTransportError";
}

function statusOf(e: unknown): number | undefined {
  return isObject(e) && typeof e.statusCode === "number" ? e.statusCode : undefined;
}

/**
 * An OCI failure as core's classifier reads it: the SDK's statusCode (-1: no answer) and
 * serviceCode; 409 IncorrectState (the resource is busy) is OCI's own "try again".
 */
export function errorShape(e: unknown): ErrorShape {
  if (e instanceof ConflictError || e instanceof OciSyncError) return { message: "" };
  if (e instanceof OciTransportError) return { transient: true, message: e.message };
  const status = statusOf(e);
  const code = isObject(e) ? e.serviceCode : undefined;
  const message = isObject(e) || e instanceof Error ? String((e as { message?: unknown }).message ?? "") : String(e);
  if (status !== undefined && status > 0) return { status, transient: status === 409 && code === "IncorrectState", message };
  const net = isObject(e) && typeof e.code === "string" && /^E[A-Z]+$/.test(e.code) ? e.code : undefined;
  // No answer (statusCode -1, or a plain object): the SDK passes the transport's `{code, message,
  // requestEndpoint}` on (http-client.ts keeps Node's code: ECONNREFUSED is not retried); without a
  // code, a dropped connection unless core's probe of the endpoint finds a refusal.
  const endpoint = isObject(e) && typeof e.requestEndpoint === "string" ? /https?:\/\/\S+/.exec(e.requestEndpoint)?.[0] : undefined; // "GET https://…"
  return {
    ...(net ? { code: net } : {}),
    ...(endpoint ? { endpoint } : {}),
    transient: status === -1 || /fetch failed|network|terminated/i.test(message),
    message,
  };
}

/** Throttling, 5xx, 409 IncorrectState (the resource is busy), and connections that failed: core's one classifier. */
export const retryable = (e: unknown): boolean => classify(errorShape(e)) === "retry";

/** What the client knows of one pipeline: its id registry (symbol → OCID), its keys' OCIDs, the raw bodies last read. */
class PipelineScope {
  /** symbol → OCID */
  readonly registry = new Map<string, string>();
  readonly ids = new Map<string, string>();
  /** Raw live bodies from the last read (for pull). */
  readonly raw = new Map<string, Obj>();
  readonly pipelines: { build?: string; deploy?: string } = {};
  /** The pipeline's identity (its `pipeglot-pipeline` tag), when the engine named it. */
  constructor(readonly owner: string | undefined) {}

  remember(key: ResourceKey, id: string): void {
    this.ids.set(keyString(key), id);
    this.registry.set(symbolOf(key), id);
  }

  forget(key: ResourceKey): void {
    this.ids.delete(keyString(key));
    this.registry.delete(symbolOf(key));
  }

  /** The candidate of this pipeline among same-named ones: ours first (tagged with this pipeline), then one pipeglot does not manage. */
  pick(candidates: Obj[]): Obj | undefined {
    const me = this.owner ?? this.pipelines.build;
    const mine = candidates.filter((c) => tagsOf(c)[TAG.managedBy] === MANAGED_BY && (me === undefined || tagsOf(c)[TAG.pipeline] === me));
    if (mine.length) return mine[0];
    return candidates.find((c) => tagsOf(c)[TAG.managedBy] !== MANAGED_BY);
  }
}

export class OciLiveClient implements LiveClient {
  /** One scope per pipeline (by its name): a client serves any number of pipelines of its project. */
  private readonly scopes = new Map<string, PipelineScope>();
  /** The project's listings, shared by every pipeline (see lists.ts). */
  private lists?: ProjectLists;
  /** Engine operations (read, listManaged, write) in progress: the listings are dropped when none is. */
  private active = 0;
  /** Every request goes through it: one retry layer, one concurrency limit. */
  readonly edge: LiveEdge;
  /** Work requests of writes in flight, waited for together. */
  readonly workRequests: WorkRequestWatch;

  constructor(
    readonly api: DevopsApi,
    readonly settings: OciClientSettings,
  ) {
    const retry = retryOverrides({ retry: settings.retry, attempts: settings.readAttempts, minBackoffMs: settings.readBackoffMs });
    this.edge = new LiveEdge({
      service: "OCI DevOps",
      shape: errorShape,
      retry,
      parallelism: settings.concurrency ?? 8,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      endpointHint: "check --endpoint or PIPEGLOT_OCI_ENDPOINT (unset: the region's endpoint), targets.oci.region, and the network",
    });
    this.workRequests = new WorkRequestWatch(
      { status: (id) => this.request(() => api.workRequestStatus(id)), list: (c, page) => this.request(() => api.workRequests(c, page)) },
      { pollMs: settings.pollMs, ...(settings.workRequestMs !== undefined ? { workRequestMs: settings.workRequestMs } : {}) },
      (message) => new OciSyncError(message),
    );
  }

  retryable(e: unknown): boolean {
    return this.edge.retryable(e);
  }

  /** List calls made for the project's listings so far (each may take several pages). */
  get listings(): number {
    return this.lists?.listings ?? 0;
  }

  /** Raw live bodies of a pipeline's last read, by key string (for pull). */
  raw(pipeline: string): ReadonlyMap<string, Obj> {
    return this.scopes.get(pipeline)?.raw ?? new Map();
  }

  private project(): string {
    const p = this.settings.projectId;
    if (!p) throw new UserError("no OCI DevOps project: set targets.oci.projectId in the definition or PIPEGLOT_OCI_PROJECT_ID", "config");
    return p;
  }

  private projectLists(): ProjectLists {
    this.lists ??= new ProjectLists(this.project(), (kind, query) => this.listAll(kind, query), this.settings.listMaxAgeMs ?? 60_000);
    return this.lists;
  }

  /** A pipeline's scope; a client used without pipeline names (one pipeline) has one scope, which any name then reaches. */
  private scope(name: string | undefined): PipelineScope {
    const key = name ?? "";
    let s = this.scopes.get(key);
    if (s) return s;
    const only = this.scopes.size === 1 ? [...this.scopes.entries()][0]! : undefined;
    if (only && (only[0] === "" || key === "")) return only[1];
    s = new PipelineScope(name);
    this.scopes.set(key, s);
    return s;
  }

  /** The scope of a change: the pipeline its body is tagged with (compile tags every resource). */
  private scopeOfChange(change: Change): PipelineScope {
    const body = isObject(change.after) ? change.after : isObject(change.before) ? change.before : {};
    const tag = tagsOf(body)[TAG.pipeline];
    return this.scope(typeof tag === "string" ? tag : undefined);
  }

  /** One engine operation: the listings live while any is in progress. */
  private async busy<T>(ctx: ReadContext | WriteContext | undefined, fn: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await this.edge.within(ctx, fn);
    } finally {
      if (--this.active === 0) this.lists?.clear();
    }
  }

  /** One request through the edge: retried there on throttling, 5xx, IncorrectState and dropped connections. */
  private request<T>(fn: () => Promise<T>): Promise<T> {
    return this.edge.call(fn);
  }

  /** Every page of a list call. */
  private async listAll(kind: OciResourceKind, query: Obj): Promise<Obj[]> {
    const out: Obj[] = [];
    let page: string | undefined;
    do {
      const r = await this.request(() => this.api.kinds[kind].list({ ...query, limit: 1000, ...(page ? { page } : {}) }));
      out.push(...r.items.filter((i) => !GONE.has(String(i.lifecycleState))));
      page = r.next;
    } while (page);
    return out;
  }

  /** Fill the scope's registry for these keys from the project's listings (one per kind, shared by every pipeline). */
  private async discover(s: PipelineScope, keys: readonly ResourceKey[]): Promise<void> {
    const lists = this.projectLists();
    const kinds = new Set(keys.map((k) => k.kind));
    for (const k of keys) {
      if (k.kind === KIND.buildPipeline) s.pipelines.build = k.name;
      if (k.kind === KIND.deployPipeline) s.pipelines.deploy = k.name;
    }
    const pipelineOf = async (pk: typeof KIND.buildPipeline | typeof KIND.deployPipeline, sk: typeof KIND.buildStage | typeof KIND.deployStage) => {
      const name = pk === KIND.buildPipeline ? s.pipelines.build : s.pipelines.deploy;
      if (!(kinds.has(pk) || kinds.has(sk)) || name === undefined) return;
      const found = s.pick((await lists.of(pk)).filter((p) => p.displayName === name));
      if (!found) return s.forget({ kind: pk, name });
      s.remember({ kind: pk, name }, String(found.id));
      if (kinds.has(sk))
        for (const st of await lists.stagesOf(sk, String(found.id))) s.remember({ kind: sk, name: String(st.displayName ?? "") }, String(st.id));
    };
    const byName = async (kind: typeof KIND.trigger | typeof KIND.deployArtifact) => {
      const wanted = keys.filter((k) => k.kind === kind);
      if (!wanted.length) return;
      const items = await lists.of(kind);
      for (const k of wanted) {
        const hit = s.pick(items.filter((i) => i.displayName === k.name));
        if (hit) s.remember(k, String(hit.id));
        else s.forget(k);
      }
    };
    // Independent listings run at once: the longest chain is pipeline list → stage list (by the pipelines' compartment).
    await Promise.all([
      pipelineOf(KIND.buildPipeline, KIND.buildStage),
      pipelineOf(KIND.deployPipeline, KIND.deployStage),
      byName(KIND.trigger),
      byName(KIND.deployArtifact),
    ]);
  }

  /** OCID (and symbolic target values) → symbol, for comparing live bodies with compiled ones. */
  private reverseMap(s: PipelineScope): Map<string, string> {
    const m = new Map<string, string>();
    for (const [sym, id] of s.registry) m.set(id, sym);
    for (const [sym, v] of Object.entries(this.settings.targetValues)) if (!this.settings.literalTargets.has(sym) && !m.has(v)) m.set(v, sym);
    return m;
  }

  /** A live body in compiled form: OCIDs the pipeline's registry knows written back as symbols. */
  normalizeLive(kind: OciResourceKind, body: unknown, pipeline?: string): Obj {
    return canonical(kind, reverseSymbols(plain(body), this.reverseMap(this.scope(pipeline))));
  }

  read(keys: ResourceKey[], pipeline?: string, ctx?: ReadContext): Promise<(LiveResource | undefined)[]> {
    const s = this.scope(pipeline ?? keys.find((k) => k.kind === KIND.buildPipeline)?.name);
    return this.busy(ctx, () => this.readAll(s, keys));
  }

  private async readAll(s: PipelineScope, keys: ResourceKey[]): Promise<(LiveResource | undefined)[]> {
    await this.discover(s, keys);
    const reverse = this.reverseMap(s);
    return this.edge.map(keys, async (key) => {
      const id = s.ids.get(keyString(key));
      if (!id) return undefined;
      let got: { body: Obj; etag?: string };
      try {
        got = await this.request(() => this.api.kinds[key.kind as OciResourceKind].get(id));
      } catch (e) {
        if (statusOf(e) === 404) {
          s.forget(key);
          return undefined;
        }
        throw e;
      }
      const raw = plain(got.body);
      delete raw.secret;
      if (GONE.has(String(raw.lifecycleState))) return undefined;
      s.raw.set(keyString(key), raw);
      return {
        key,
        body: canonical(key.kind as OciResourceKind, reverseSymbols(raw, reverse)),
        ...(got.etag ? { versionToken: got.etag } : {}),
        managed: tagsOf(raw)[TAG.managedBy] === MANAGED_BY,
        // Its pipeline's identity (compile has tagged everything with it from the start).
        ...(tagsOf(raw)[TAG.pipeline] !== undefined ? { owner: String(tagsOf(raw)[TAG.pipeline]) } : {}),
      };
    });
  }

  listManaged(pipeline: string, _wanted?: readonly ResourceKey[], ctx?: ReadContext): Promise<ResourceKey[]> {
    return this.busy(ctx, () => this.listOwned(this.scope(pipeline), pipeline));
  }

  /** This pipeline's resources, from the project's listings (shared with its plan's reads). */
  private async listOwned(s: PipelineScope, pipeline: string): Promise<ResourceKey[]> {
    const lists = this.projectLists();
    const ours = (o: Obj) => tagsOf(o)[TAG.managedBy] === MANAGED_BY && tagsOf(o)[TAG.pipeline] === pipeline;
    const found: { key: ResourceKey; id: string; dependsOn: string[] }[] = [];
    const stageDeps = (kind: OciResourceKind, stages: Obj[], pipelineKey: ResourceKey) => {
      const byId = new Map<string, ResourceKey>(stages.map((st) => [String(st.id), { kind, name: String(st.displayName ?? "") }]));
      for (const st of stages) {
        s.remember(byId.get(String(st.id))!, String(st.id));
        const coll = (st.buildPipelineStagePredecessorCollection ?? st.deployStagePredecessorCollection) as Obj | undefined;
        const preds =
          isObject(coll) && Array.isArray(coll.items) ? (coll.items as Obj[]).map((x) => byId.get(String(x.id))).filter((x): x is ResourceKey => !!x) : [];
        found.push({ key: byId.get(String(st.id))!, id: String(st.id), dependsOn: [keyString(pipelineKey), ...preds.map(keyString)] });
      }
    };
    for (const [pk, sk] of [
      [KIND.buildPipeline, KIND.buildStage],
      [KIND.deployPipeline, KIND.deployStage],
    ] as const) {
      for (const p of (await lists.of(pk)).filter(ours)) {
        const key = { kind: pk, name: String(p.displayName ?? "") };
        if (pk === KIND.buildPipeline) s.pipelines.build ??= key.name;
        else s.pipelines.deploy ??= key.name;
        s.remember(key, String(p.id));
        found.push({ key, id: String(p.id), dependsOn: [] });
        stageDeps(sk, await lists.stagesOf(sk, String(p.id)), key);
      }
    }
    for (const kind of [KIND.deployArtifact, KIND.trigger] as const) {
      for (const a of (await lists.of(kind)).filter(ours)) {
        const key = { kind, name: String(a.displayName ?? "") };
        s.remember(key, String(a.id));
        found.push({ key, id: String(a.id), dependsOn: [] });
      }
    }
    return orderResources(found).map((f) => f.key);
  }

  private resolve(s: PipelineScope, change: Change, body: unknown): Obj {
    const missing: string[] = [];
    const lookup = (sym: string) => s.registry.get(sym) ?? this.settings.targetValues[sym];
    const out = resolveSymbols(body, lookup, (s) => missing.push(s)) as Obj;
    if (missing.length) {
      const hints = [...new Set(missing)].map((s) => {
        const t = TARGET_SYMBOLS[s as keyof typeof TARGET_SYMBOLS];
        return t ? `${s} (set targets.oci.${t.setting} or ${t.env})` : `${s} (not created or read yet)`;
      });
      throw new OciSyncError(`cannot write ${keyString(change.key)}: unresolved ${hints.join(", ")}`);
    }
    return out;
  }

  /** Update details: the desired fields minus create-only parents, plus explicit clears for fields that went away. */
  private updateDetails(kind: OciResourceKind, after: Obj, before: Obj | undefined): Obj {
    const d: Obj = { ...after };
    delete d.projectId;
    if (kind === KIND.buildStage) delete d.buildPipelineId;
    if (kind === KIND.deployStage) delete d.deployPipelineId;
    for (const [k, v] of Object.entries(before ?? {})) {
      if (k in d) continue;
      if (k === "description" || k === "displayName") d[k] = "";
      else if (k === "freeformTags" || k === "definedTags") d[k] = {};
      else if (isObject(v) && Array.isArray(v.items)) d[k] = { items: [] };
    }
    return d;
  }

  /** Waits until a write's work request ends (see work-requests.ts); `body`: the resource, for its compartment. */
  private waitFor(workRequestId: string | undefined, deadlineAt: number, what: string, body?: unknown): Promise<void> {
    const compartment = isObject(body) && typeof body.compartmentId === "string" && body.compartmentId ? body.compartmentId : undefined;
    return this.workRequests.wait(workRequestId, compartment, deadlineAt, what);
  }

  async write(change: Change, ctx: WriteContext): Promise<void> {
    try {
      await this.busy(ctx, () => this.writeOnce(this.scopeOfChange(change), change, ctx));
    } catch (e) {
      if (e instanceof Error) throw e;
      throw new OciTransportError(`${keyString(change.key)}: ${isObject(e) ? String(e.message ?? "request failed") : String(e)}`);
    }
  }

  private async writeOnce(s: PipelineScope, change: Change, ctx: WriteContext): Promise<void> {
    const deadlineAt = Date.now() + ctx.deadline;
    const kind = change.key.kind as OciResourceKind;
    const api = this.api.kinds[kind];
    const what = keyString(change.key);
    const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
      try {
        return await this.request(fn);
      } catch (e) {
        if (statusOf(e) === 412) throw conflict.refused(what, change.versionToken, "If-Match: the etag no longer matches");
        throw e;
      }
    };
    if (change.action === "noop") return;
    if (change.action === "create") {
      const body = this.resolve(s, change, change.after);
      // One token per write, kept across its retries: a create whose answer was lost is replayed, not
      // duplicated. Never reused by a later write: OCI keeps tokens for 24 hours, so a token made from
      // the body alone would replay an earlier create of a resource deleted since (nothing created).
      const token = createHash("sha256")
        .update(`${what}\n${JSON.stringify(body)}\n${randomUUID()}`)
        .digest("hex")
        .slice(0, 64);
      const r = await this.request(() => api.create(body, token));
      s.remember(change.key, String(r.body.id));
      this.lists?.put(kind, plain(r.body));
      await this.waitFor(r.workRequestId, deadlineAt, what, r.body);
      return;
    }
    const id = s.ids.get(what);
    if (!id) throw new OciSyncError(`${what}: no OCID known (read it before writing)`);
    if (change.action === "update") {
      const details = this.updateDetails(kind, this.resolve(s, change, change.after), isObject(change.before) ? change.before : undefined);
      const r = await guarded(() => api.update(id, details, change.versionToken));
      if (isObject(r.body) && r.body.id === id) this.lists?.put(kind, plain(r.body));
      await this.waitFor(r.workRequestId, deadlineAt, what, isObject(r.body) && r.body.id === id ? r.body : change.before);
      return;
    }
    await this.remove(s, change, id, guarded, deadlineAt);
  }

  private async remove(s: PipelineScope, change: Change, id: string, guarded: <T>(fn: () => Promise<T>) => Promise<T>, deadlineAt: number): Promise<void> {
    const kind = change.key.kind as OciResourceKind;
    let r: { workRequestId?: string };
    try {
      r = await guarded(() => this.api.kinds[kind].remove(id, change.versionToken));
    } catch (e) {
      if (statusOf(e) === 404) {
        s.forget(change.key);
        this.lists?.remove(kind, id);
        return;
      }
      throw e;
    }
    this.lists?.remove(kind, id);
    await this.waitFor(r.workRequestId, deadlineAt, keyString(change.key), change.before);
    s.forget(change.key);
  }
}
