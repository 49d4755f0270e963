/**
 * The OCI DevOps LiveClient. It keeps an id registry (symbol such as `${buildStage.build.test.id}`
 * → OCID) filled by reads and creates, so symbolic ids in the compiled bodies are resolved when a
 * resource is written (its dependencies were read or created before it), and live bodies are
 * written back in symbolic form before they are compared.
 *
 * One client serves one pipeline (the one whose keys it reads). The SDK's retries and circuit
 * breaker are off: every request goes through the client's LiveEdge (core's one retry layer, which
 * retries 429, 5xx, 409 IncorrectState and dropped connections within the apply's deadline).
 */
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { classify, conflict, isObject, ConflictError, PipeglotError, UserError, keyString, LiveEdge, type Change, type ErrorShape, type LiveClient, type LiveResource, type ReadContext, type ResourceKey, type RetryPolicy, type WriteContext, retryOverrides } from "@pipeglot/core";
import { MANAGED_BY, TAG } from "../conventions.js";
import type { DevopsApi } from "./api.js";
import { orderResources } from "./desired.js";
import { KIND, TARGET_SYMBOLS, symbolOf, type OciResourceKind } from "./kinds.js";
import { canonical, plain, resolveSymbols, reverseSymbols } from "./normalize.js";

type Obj = Record<string, unknown>;
const tagsOf = (v: Obj): Record<string, string> => (isObject(v.freeformTags) ? (v.freeformTags as Record<string, string>) : {});
const GONE = new Set(["DELETING", "DELETED"]);

export interface OciClientSettings {
  /** The DevOps project everything lives in (targets.oci.projectId or PIPEGLOT_OCI_PROJECT_ID). */
  projectId?: string;
  /** Values of the target symbols (`${target.subnetId}` → OCID …). */
  targetValues: Record<string, string>;
  /** Target symbols whose value came from targets.oci: compile wrote them literally, so they are not turned back into symbols. */
  literalTargets: ReadonlySet<string>;
  /** Wait between work request polls (ms): the first poll after a quarter of it, then it, doubling up to 10×. */
  pollMs: number;
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
export class OciTransportError extends Error {
  override readonly name = "OciTransportError";
}

export function statusOf(e: unknown): number | undefined {
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
  // No answer (statusCode -1, or a plain object): a dropped connection unless core finds a refusal
  // (the SDK keeps only the message and the URL: core probes the endpoint once).
  const endpoint = isObject(e) && typeof e.requestEndpoint === "string" ? /https?:\/\/\S+/.exec(e.requestEndpoint)?.[0] : undefined; // "GET https://…"
  return { ...(net ? { code: net } : {}), ...(endpoint ? { endpoint } : {}), transient: status === -1 || /fetch failed|network|terminated/i.test(message), message };
}

/** Throttling, 5xx, 409 IncorrectState (the resource is busy), and connections that failed: core's one classifier. */
export const retryable = (e: unknown): boolean => classify(errorShape(e)) === "retry";

/** OCIDs of deploy artifacts a body names (commandSpecDeployArtifactId, deliverArtifactCollection items' artifactId, deployPipelineArtifacts …). */
export function artifactRefs(body: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v))
      for (const [k, x] of Object.entries(v)) {
        if (/^artifactId$|deployArtifactIds?$/i.test(k)) for (const id of [x].flat()) if (typeof id === "string" && id) out.push(id);
        walk(x);
      }
  };
  walk(body);
  return out;
}

export class OciLiveClient implements LiveClient {
  /** symbol → OCID */
  readonly registry = new Map<string, string>();
  private readonly ids = new Map<string, string>();
  /** Raw live bodies from the last read (for pull). */
  readonly raw = new Map<string, Obj>();
  private pipelines: { build?: string; deploy?: string } = {};
  /** Bodies read by id while discovering, by OCID: readAll takes them instead of reading again. */
  private readonly fetched = new Map<string, { body: Obj; etag?: string }>();
  /** Every request goes through it: one retry layer, one concurrency limit. */
  readonly edge: LiveEdge;

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
  }

  retryable(e: unknown): boolean {
    return this.edge.retryable(e);
  }

  private project(): string {
    const p = this.settings.projectId;
    if (!p) throw new UserError("no OCI DevOps project: set targets.oci.projectId in the definition or PIPEGLOT_OCI_PROJECT_ID", "config");
    return p;
  }

  private remember(key: ResourceKey, id: string): void {
    this.ids.set(keyString(key), id);
    this.registry.set(symbolOf(key), id);
  }

  private forget(key: ResourceKey): void {
    this.ids.delete(keyString(key));
    this.registry.delete(symbolOf(key));
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

  /** The pipeline of this client, among same-named candidates: ours first, then any. */
  private pick(candidates: Obj[]): Obj | undefined {
    const mine = candidates.filter((c) => tagsOf(c)[TAG.managedBy] === MANAGED_BY && (this.pipelines.build === undefined || tagsOf(c)[TAG.pipeline] === this.pipelines.build));
    if (mine.length) return mine[0];
    return candidates.find((c) => tagsOf(c)[TAG.managedBy] !== MANAGED_BY);
  }

  private async discoverStages(kind: typeof KIND.buildStage | typeof KIND.deployStage, pipelineId: string): Promise<Obj[]> {
    const field = kind === KIND.buildStage ? "buildPipelineId" : "deployPipelineId";
    const stages = await this.listAll(kind, { [field]: pipelineId });
    for (const s of stages) this.remember({ kind, name: String(s.displayName ?? "") }, String(s.id));
    return stages;
  }

  /** Fill the registry for these keys: lists filtered server-side (by pipeline or by name) and reads by id. */
  private async discover(keys: readonly ResourceKey[]): Promise<void> {
    this.fetched.clear();
    const kinds = new Set(keys.map((k) => k.kind));
    for (const k of keys) {
      if (k.kind === KIND.buildPipeline) this.pipelines.build = k.name;
      if (k.kind === KIND.deployPipeline) this.pipelines.deploy = k.name;
    }
    const pipelineOf = async (pk: typeof KIND.buildPipeline | typeof KIND.deployPipeline, sk: typeof KIND.buildStage | typeof KIND.deployStage) => {
      const name = pk === KIND.buildPipeline ? this.pipelines.build : this.pipelines.deploy;
      if (!(kinds.has(pk) || kinds.has(sk)) || name === undefined) return;
      const found = this.pick(await this.listAll(pk, { projectId: this.project(), displayName: name }));
      if (!found) {
        this.forget({ kind: pk, name });
        return;
      }
      this.remember({ kind: pk, name }, String(found.id));
      if (kinds.has(sk)) await this.discoverStages(sk, String(found.id));
    };
    // Independent listings run at once: the critical path is pipeline list → stage list (→ reads → artifact reads).
    const triggers = keys.filter((k) => k.kind === KIND.trigger);
    await Promise.all([pipelineOf(KIND.buildPipeline, KIND.buildStage), pipelineOf(KIND.deployPipeline, KIND.deployStage), this.discoverByName(triggers)]);
    await this.discoverArtifacts(keys);
  }

  /** Project-level resources by name: one list per key, filtered by displayName (the API has no filter by tag). */
  private async discoverByName(keys: readonly ResourceKey[]): Promise<void> {
    await Promise.all(
      keys.map(async (k) => {
        const hit = this.pick(await this.listAll(k.kind as OciResourceKind, { projectId: this.project(), displayName: k.name }));
        if (hit) this.remember(k, String(hit.id));
        else this.forget(k);
      }),
    );
  }

  /**
   * Deploy artifacts, read by id where the pipelines and stages already read name them (their
   * `…DeployArtifactId` fields, the deploy pipeline's artifact collection): only ours are taken;
   * the others are found by a list filtered by name. Every body read here serves readAll too.
   */
  private async discoverArtifacts(keys: readonly ResourceKey[]): Promise<void> {
    const wanted = keys.filter((k) => k.kind === KIND.deployArtifact);
    if (!wanted.length) return;
    const holders = keys.filter((k) => k.kind !== KIND.deployArtifact && k.kind !== KIND.trigger && this.ids.has(keyString(k)));
    const bodies = await this.edge.map(holders, (k) => this.prefetch(k.kind as OciResourceKind, this.ids.get(keyString(k))!));
    const ids = new Set(bodies.flatMap((b) => (b ? artifactRefs(b.body) : [])));
    const artifacts = (await this.edge.map([...ids], (id) => this.prefetch(KIND.deployArtifact, id))).filter((a): a is { body: Obj } => !!a && !GONE.has(String(a.body.lifecycleState)));
    const rest: ResourceKey[] = [];
    for (const k of wanted) {
      const hit = this.pick(artifacts.map((a) => a.body).filter((a) => a.displayName === k.name));
      if (hit && tagsOf(hit)[TAG.managedBy] === MANAGED_BY) this.remember(k, String(hit.id));
      else rest.push(k);
    }
    await this.discoverByName(rest);
  }

  /** One GET kept for readAll (a 404 is left for readAll to find). */
  private async prefetch(kind: OciResourceKind, id: string): Promise<{ body: Obj; etag?: string } | undefined> {
    try {
      const got = await this.request(() => this.api.kinds[kind].get(id));
      this.fetched.set(id, got);
      return got;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  /** OCID (and symbolic target values) → symbol, for comparing live bodies with compiled ones. */
  private reverseMap(): Map<string, string> {
    const m = new Map<string, string>();
    for (const [sym, id] of this.registry) m.set(id, sym);
    for (const [sym, v] of Object.entries(this.settings.targetValues)) if (!this.settings.literalTargets.has(sym) && !m.has(v)) m.set(v, sym);
    return m;
  }

  normalizeLive(kind: OciResourceKind, body: unknown): Obj {
    return canonical(kind, reverseSymbols(plain(body), this.reverseMap()));
  }

  read(keys: ResourceKey[], _pipeline?: string, ctx?: ReadContext): Promise<(LiveResource | undefined)[]> {
    return this.edge.within(ctx, () => this.readAll(keys));
  }

  private async readAll(keys: ResourceKey[]): Promise<(LiveResource | undefined)[]> {
    await this.discover(keys);
    return this.edge.map(keys, async (key) => {
      const id = this.ids.get(keyString(key));
      if (!id) return undefined;
      let got: { body: Obj; etag?: string } | undefined = this.fetched.get(id);
      this.fetched.delete(id);
      try {
        got ??= await this.request(() => this.api.kinds[key.kind as OciResourceKind].get(id));
      } catch (e) {
        if (statusOf(e) === 404) {
          this.forget(key);
          return undefined;
        }
        throw e;
      }
      const raw = plain(got.body);
      delete raw.secret;
      if (GONE.has(String(raw.lifecycleState))) return undefined;
      this.raw.set(keyString(key), raw);
      return {
        key,
        body: this.normalizeLive(key.kind as OciResourceKind, raw),
        ...(got.etag ? { versionToken: got.etag } : {}),
        managed: tagsOf(raw)[TAG.managedBy] === MANAGED_BY,
        // Its pipeline's identity (compile has tagged everything with it from the start).
        ...(tagsOf(raw)[TAG.pipeline] !== undefined ? { owner: String(tagsOf(raw)[TAG.pipeline]) } : {}),
      };
    });
  }

  listManaged(pipeline: string, _wanted?: readonly ResourceKey[], ctx?: ReadContext): Promise<ResourceKey[]> {
    return this.edge.within(ctx, () => this.listOwned(pipeline));
  }

  private async listOwned(pipeline: string): Promise<ResourceKey[]> {
    const project = this.project();
    const ours = (o: Obj) => tagsOf(o)[TAG.managedBy] === MANAGED_BY && tagsOf(o)[TAG.pipeline] === pipeline;
    const found: { key: ResourceKey; id: string; dependsOn: string[] }[] = [];
    const stageDeps = (kind: OciResourceKind, stages: Obj[], pipelineKey: ResourceKey) => {
      const byId = new Map<string, ResourceKey>(stages.map((s) => [String(s.id), { kind, name: String(s.displayName ?? "") }]));
      for (const s of stages) {
        const coll = (s.buildPipelineStagePredecessorCollection ?? s.deployStagePredecessorCollection) as Obj | undefined;
        const preds = isObject(coll) && Array.isArray(coll.items) ? (coll.items as Obj[]).map((x) => byId.get(String(x.id))).filter((x): x is ResourceKey => !!x) : [];
        found.push({ key: byId.get(String(s.id))!, id: String(s.id), dependsOn: [keyString(pipelineKey), ...preds.map(keyString)] });
      }
    };
    for (const [pk, sk] of [
      [KIND.buildPipeline, KIND.buildStage],
      [KIND.deployPipeline, KIND.deployStage],
    ] as const) {
      for (const p of (await this.listAll(pk, { projectId: project })).filter(ours)) {
        const key = { kind: pk, name: String(p.displayName ?? "") };
        if (pk === KIND.buildPipeline) this.pipelines.build ??= key.name;
        else this.pipelines.deploy ??= key.name;
        this.remember(key, String(p.id));
        found.push({ key, id: String(p.id), dependsOn: [] });
        stageDeps(sk, await this.discoverStages(sk, String(p.id)), key);
      }
    }
    for (const kind of [KIND.deployArtifact, KIND.trigger] as const) {
      for (const a of (await this.listAll(kind, { projectId: project })).filter(ours)) {
        const key = { kind, name: String(a.displayName ?? "") };
        this.remember(key, String(a.id));
        found.push({ key, id: String(a.id), dependsOn: [] });
      }
    }
    return orderResources(found).map((f) => f.key);
  }

  private resolve(change: Change, body: unknown): Obj {
    const missing: string[] = [];
    const lookup = (sym: string) => this.registry.get(sym) ?? this.settings.targetValues[sym];
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

  /** Polls a work request until it ends: the first poll after a quarter of pollMs (one just accepted is hardly ever done), then pollMs doubling up to 10×. */
  private async waitFor(workRequestId: string | undefined, deadlineAt: number, what: string): Promise<void> {
    if (!workRequestId) return;
    const pollMs = this.settings.pollMs;
    let delay = Math.round(pollMs / 4);
    let status: string | undefined;
    for (;;) {
      if (Date.now() + delay > deadlineAt) throw new OciSyncError(`${what}: work request ${workRequestId} did not finish before the deadline (last status ${status ?? "unknown"})`);
      if (delay > 0) await sleep(delay);
      status = await this.request(() => this.api.workRequestStatus(workRequestId));
      if (status === "SUCCEEDED") return;
      if (status === "FAILED" || status === "CANCELED") throw new OciSyncError(`${what}: work request ${workRequestId} ${status}`);
      delay = Math.min(Math.max(1, delay < pollMs ? pollMs : delay * 2), pollMs * 10 || 10);
    }
  }

  async write(change: Change, ctx: WriteContext): Promise<void> {
    try {
      await this.edge.within(ctx, () => this.writeOnce(change, ctx));
    } catch (e) {
      if (e instanceof Error) throw e;
      throw new OciTransportError(`${keyString(change.key)}: ${isObject(e) ? String(e.message ?? "request failed") : String(e)}`);
    }
  }

  private async writeOnce(change: Change, ctx: WriteContext): Promise<void> {
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
      const body = this.resolve(change, change.after);
      // The same request body gives the same retry token: a create whose answer was lost is replayed, not duplicated.
      const token = createHash("sha256").update(`${what}\n${JSON.stringify(body)}`).digest("hex").slice(0, 64);
      const r = await this.request(() => api.create(body, token));
      this.remember(change.key, String(r.body.id));
      await this.waitFor(r.workRequestId, deadlineAt, what);
      return;
    }
    const id = this.ids.get(what);
    if (!id) throw new OciSyncError(`${what}: no OCID known (read it before writing)`);
    if (change.action === "update") {
      const details = this.updateDetails(kind, this.resolve(change, change.after), isObject(change.before) ? change.before : undefined);
      const r = await guarded(() => api.update(id, details, change.versionToken));
      await this.waitFor(r.workRequestId, deadlineAt, what);
      return;
    }
    // delete
    let r: { workRequestId?: string };
    try {
      r = await guarded(() => api.remove(id, change.versionToken));
    } catch (e) {
      if (statusOf(e) === 404) {
        this.forget(change.key);
        return;
      }
      throw e;
    }
    await this.waitFor(r.workRequestId, deadlineAt, what);
    this.forget(change.key);
  }
}
