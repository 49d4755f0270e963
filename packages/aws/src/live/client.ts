/**
 * The AWS LiveClient: CodeBuild projects, CodePipeline pipelines, and each pipeline's disabled
 * transitions, through an injected `call` (connect.ts builds it from the real SDK clients).
 *
 * Calls per resource (one read = one request unless said otherwise). Every request goes through the
 * kit's edge (core's one retry layer: up to `retry.attempts` requests each; the SDK's own retries are off):
 *   read   project      BatchGetProjects, one request per 100 projects (tags included)
 *          pipeline     GetPipeline + ListTagsForResource (GetPipeline has no tags; the second call
 *                       is made only when the pipeline exists)
 *          transitions  GetPipelineState (none when the pipeline does not exist), sent together with
 *                       ListTagsForResource: a plan of one pipeline takes two round trips
 *   write  project      create: CreateProject · update: BatchGetProjects (guard) + UpdateProject ·
 *                       delete: BatchGetProjects (guard) + DeleteProject
 *          pipeline     create: CreatePipeline (tags included) · update: GetPipeline (guard) +
 *                       UpdatePipeline when the declaration differs + TagResource / UntagResource
 *                       when the tags differ ·
 *                       delete: GetPipeline (guard) + DeletePipeline
 *          transitions  create (a new pipeline): one DisableStageTransition per disabled stage ·
 *                       update/delete: GetPipelineState (guard) + one Disable/EnableStageTransition per stage that differs
 *   listManaged        GetPipeline + ListTagsForResource + BatchGetProjects (the projects the live
 *                       pipeline's CodeBuild actions name, kept when they carry the ownership tag)
 *
 * AWS has no conditional write: every update/delete reads the resource again and throws
 * ConflictError when its version token is no longer the one the plan read (pipeline `version`,
 * project `lastModified`, the transitions' lastChangedAt) — unless the live body already equals
 * the desired one (a retry of a write that went through). A small window remains between that read
 * and the write; the API offers nothing to close it.
 */
import {
  conflict,
  guardVersion,
  isObject,
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
  type ClientRetryOptions,
  deepEqual,
} from "@pipeglot/core";
import { ALREADY_EXISTS, AwsApiError, codeOf, errorShape, NOT_FOUND, toApiError } from "./errors.js";
import { KIND_PIPELINE, KIND_PROJECT, KIND_TRANSITIONS } from "./kinds.js";
import { candidatePipelines, LegacyProjects, pipelineOwner, pipelineTag, projectsOf } from "./ownership.js";
import {
  canonicalPipelineInput,
  canonicalProject,
  canonicalTags,
  canonicalTransitions,
  isManaged,
  parseTransitionsToken,
  PROJECT_RESET,
  transitionsFromState,
  transitionsToken,
  type Obj,
  type StageState,
  type Tag,
} from "./normalize.js";

export type AwsService = "codepipeline" | "codebuild";
/** One API operation: resolves the output, rejects with the SDK's error. */
export type AwsCall = (service: AwsService, operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

export interface AwsLiveClientOptions extends ClientRetryOptions {
  call: AwsCall;
  /** Values that must never appear in an error message (credentials). */
  secrets?: readonly string[];
  /** Requests in flight at once during a read (default 8). */
  readParallelism?: number;
  /** The endpoint and what sets it, for the message when nothing answers there. */
  endpoint?: string;
  endpointHint?: string;
  /** Releases the SDK clients' sockets. */
  close?: () => void;
}

interface LivePipeline {
  decl: Obj;
  version: string;
  arn: string;
  tags: Tag[];
}

const BATCH = 100;

const versionOf = (v: unknown): string => (v instanceof Date ? v.toISOString() : typeof v === "number" ? new Date(v * 1000).toISOString() : String(v ?? ""));

export { projectsOf };

export class AwsLiveClient implements LiveClient {
  private readonly call0: AwsCall;
  private readonly secrets: readonly string[];
  /** Every request goes through it: one retry layer, one concurrency limit. */
  readonly edge: LiveEdge;
  private readonly closer: (() => void) | undefined;
  /** Who uses the projects that carry no pipeline tag (written before it existed), from the pipelines read. */
  private readonly legacy = new LegacyProjects();

  constructor(o: AwsLiveClientOptions) {
    this.call0 = o.call;
    this.secrets = o.secrets ?? [];
    const retry = clientRetry(o);
    this.edge = new LiveEdge({
      service: "AWS CodePipeline/CodeBuild",
      shape: errorShape,
      retry,
      parallelism: o.readParallelism ?? 8,
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
      endpointHint: o.endpointHint ?? "check --endpoint, AWS_ENDPOINT_URL_CODEPIPELINE / AWS_ENDPOINT_URL_CODEBUILD / AWS_ENDPOINT_URL, and the region",
    });
    this.closer = o.close;
  }

  close(): void {
    this.closer?.();
  }

  retryable(error: unknown): boolean {
    return this.edge.retryable(error);
  }

  /** One API request through the edge (retried there); failures become AwsApiError with the credentials removed. */
  private call(service: AwsService, op: string, input: Record<string, unknown>, what: string): Promise<Obj> {
    return this.edge.call(async () => {
      try {
        return await this.call0(service, op, input);
      } catch (e) {
        throw toApiError(e, `${op} ${what}`, this.secrets);
      }
    });
  }

  /** One request for operating runs (../operate): through the same edge (retried), credentials removed from its errors. */
  request(service: AwsService, op: string, input: Record<string, unknown>, what: string): Promise<Obj> {
    return this.call(service, op, input, what);
  }

  // ---- reads ----

  private async getPipeline(name: string, withTags = true): Promise<LivePipeline | undefined> {
    return (await this.getPipelineAndState(name, withTags, false))?.pipeline;
  }

  /** GetPipeline, then ListTagsForResource and GetPipelineState at once (only when it exists). */
  private async getPipelineAndState(
    name: string,
    withTags: boolean,
    withState: boolean,
  ): Promise<{ pipeline: LivePipeline; state?: StageState[] } | undefined> {
    let out: Obj;
    try {
      out = await this.call("codepipeline", "GetPipeline", { name }, name);
    } catch (e) {
      if (NOT_FOUND.has(codeOf(e) ?? "")) {
        if (withTags) this.legacy.saw(name, undefined, undefined);
        return undefined;
      }
      throw e;
    }
    const decl = isObject(out.pipeline) ? out.pipeline : {};
    const arn = isObject(out.metadata) && typeof out.metadata.pipelineArn === "string" ? out.metadata.pipelineArn : "";
    try {
      const [t, state] = await Promise.all([
        withTags && arn ? this.call("codepipeline", "ListTagsForResource", { resourceArn: arn }, name) : undefined,
        withState ? this.getState(name) : undefined,
      ]);
      if (withState && !state) return undefined; // deleted between the calls
      const tags = canonicalTags(t?.tags);
      if (withTags) this.legacy.saw(name, decl, isManaged(tags) ? pipelineOwner(name, tags) : undefined);
      return { pipeline: { decl, version: String(decl.version ?? ""), arn, tags }, ...(state ? { state } : {}) };
    } catch (e) {
      if (NOT_FOUND.has(codeOf(e) ?? "")) return undefined; // deleted between the calls
      throw e;
    }
  }

  private async getState(name: string): Promise<StageState[] | undefined> {
    try {
      const out = await this.call("codepipeline", "GetPipelineState", { name }, name);
      return Array.isArray(out.stageStates) ? (out.stageStates as StageState[]) : [];
    } catch (e) {
      if (NOT_FOUND.has(codeOf(e) ?? "")) return undefined;
      throw e;
    }
  }

  private async getProjects(names: readonly string[]): Promise<Map<string, Obj>> {
    const unique = [...new Set(names)];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += BATCH) chunks.push(unique.slice(i, i + BATCH));
    const found = new Map<string, Obj>();
    const outs = await this.edge.map(chunks, (c) => this.call("codebuild", "BatchGetProjects", { names: c }, c.length === 1 ? c[0]! : `${c.length} projects`));
    for (const out of outs)
      for (const p of Array.isArray(out.projects) ? out.projects : []) if (isObject(p) && typeof p.name === "string") found.set(p.name, p);
    return found;
  }

  private pipelineResource(name: string, p: LivePipeline): LiveResource {
    const owner = pipelineOwner(name, p.tags);
    return {
      key: { kind: KIND_PIPELINE, name },
      body: canonicalPipelineInput({ pipeline: p.decl, tags: p.tags }),
      versionToken: p.version,
      managed: isManaged(p.tags),
      ...(owner !== undefined ? { owner } : {}),
    };
  }

  /** A project's owner: its pipeline tag, else the one pipeline read so far whose live declaration names it. */
  private projectResource(raw: Obj): LiveResource {
    const tags = canonicalTags(raw.tags);
    const name = String(raw.name);
    const owner = pipelineTag(tags) ?? this.legacy.owner(name);
    return {
      key: { kind: KIND_PROJECT, name },
      body: canonicalProject(raw),
      versionToken: versionOf(raw.lastModified),
      managed: isManaged(tags),
      ...(owner !== undefined ? { owner } : {}),
    };
  }

  read(keys: ResourceKey[], _pipeline?: string, ctx?: ReadContext): Promise<(LiveResource | undefined)[]> {
    return this.edge.within(ctx, () => this.readAll(keys));
  }

  private async readAll(keys: ResourceKey[]): Promise<(LiveResource | undefined)[]> {
    const projectNames = keys.filter((k) => k.kind === KIND_PROJECT).map((k) => k.name);
    const pipelineNames = [...new Set(keys.filter((k) => k.kind === KIND_PIPELINE || k.kind === KIND_TRANSITIONS).map((k) => k.name))];
    for (const k of keys)
      if (k.kind !== KIND_PROJECT && k.kind !== KIND_PIPELINE && k.kind !== KIND_TRANSITIONS)
        throw new Error(`the AWS live client does not know ${keyString(k)}`);

    const wantState = new Set(keys.filter((k) => k.kind === KIND_TRANSITIONS).map((k) => k.name));
    this.legacy.round();
    const [projects, pipelines] = await Promise.all([
      projectNames.length ? this.getProjects(projectNames) : Promise.resolve(new Map<string, Obj>()),
      this.edge.map(pipelineNames, (n) => this.getPipelineAndState(n, true, wantState.has(n))),
    ]);
    await this.learnLegacy([...projects.values()]);
    const pipelineByName = new Map(pipelineNames.map((n, i) => [n, pipelines[i]?.pipeline]));
    const stateByName = new Map(pipelineNames.map((n, i) => [n, pipelines[i]?.state]));

    return keys.map((k): LiveResource | undefined => {
      if (k.kind === KIND_PROJECT) {
        const raw = projects.get(k.name);
        return raw ? this.projectResource(raw) : undefined;
      }
      const p = pipelineByName.get(k.name);
      if (!p) return undefined;
      if (k.kind === KIND_PIPELINE) return this.pipelineResource(k.name, p);
      const st = stateByName.get(k.name);
      if (!st) return undefined;
      const owner = pipelineOwner(k.name, p.tags);
      return {
        key: k,
        body: transitionsFromState(st),
        versionToken: transitionsToken(st),
        managed: isManaged(p.tags),
        ...(owner !== undefined ? { owner } : {}),
      };
    });
  }

  /**
   * The live pipeline of this definition (its CodePipeline name is the wanted pipeline key's, else
   * `pipeline`), when this pipeline owns it, and the projects it names that this pipeline owns.
   */
  /**
   * Managed projects without the pipeline tag (written before it existed): read the pipelines
   * their names could derive from and have not been read yet, so that a project two pipelines
   * name is seen as ambiguous. Only such projects cost these reads, once per client.
   */
  private async learnLegacy(projects: readonly Obj[]): Promise<void> {
    const untagged = projects.filter((raw) => {
      const tags = canonicalTags(raw.tags);
      return isManaged(tags) && pipelineTag(tags) === undefined;
    });
    const names = [...new Set(untagged.flatMap((raw) => candidatePipelines(String(raw.name))))].filter((n) => !this.legacy.has(n));
    await this.edge.map(names, (n) => this.getPipeline(n));
  }

  listManaged(pipeline: string, wanted?: readonly ResourceKey[], ctx?: ReadContext): Promise<ResourceKey[]> {
    return this.edge.within(ctx, () => this.listOwned(pipeline, wanted));
  }

  private async listOwned(pipeline: string, wanted?: readonly ResourceKey[]): Promise<ResourceKey[]> {
    const name = wanted?.find((k) => k.kind === KIND_PIPELINE)?.name ?? pipeline;
    this.legacy.round();
    const p = await this.getPipeline(name);
    if (!p || !isManaged(p.tags) || pipelineOwner(name, p.tags) !== pipeline) return [];
    const names = projectsOf(p.decl);
    const projects = names.length ? await this.getProjects(names) : new Map<string, Obj>();
    await this.learnLegacy([...projects.values()]);
    const keys: ResourceKey[] = [
      { kind: KIND_PIPELINE, name },
      { kind: KIND_TRANSITIONS, name },
    ];
    for (const n of names) {
      const raw = projects.get(n);
      if (raw && isManaged(canonicalTags(raw.tags)) && this.projectResource(raw).owner === pipeline) keys.push({ kind: KIND_PROJECT, name: n });
    }
    return keys;
  }

  // ---- writes ----

  write(change: Change, ctx: WriteContext): Promise<void> {
    return this.edge.within(ctx, () => this.writeOne(change));
  }

  private async writeOne(change: Change): Promise<void> {
    if (change.action === "noop") return;
    switch (change.key.kind) {
      case KIND_PROJECT:
        return this.writeProject(change);
      case KIND_PIPELINE:
        return this.writePipeline(change);
      case KIND_TRANSITIONS:
        return this.writeTransitions(change);
      default:
        throw new Error(`the AWS live client does not know ${keyString(change.key)}`);
    }
  }

  private async readProject(name: string): Promise<LiveResource | undefined> {
    const raw = (await this.getProjects([name])).get(name);
    return raw ? this.projectResource(raw) : undefined;
  }

  private async writeProject(c: Change): Promise<void> {
    const name = c.key.name;
    const after = c.after as Obj | undefined;
    if (c.action === "create") {
      try {
        await this.call("codebuild", "CreateProject", after!, name);
      } catch (e) {
        if (!ALREADY_EXISTS.has(codeOf(e) ?? "")) throw e;
        const live = await this.readProject(name);
        // A retried create whose first attempt went through.
        if (live?.managed && deepEqual(live.body, after)) return;
        throw conflict.created(keyString(c.key));
      }
      return;
    }
    const live = await this.readProject(name);
    if (c.action === "delete") {
      if (!live) return;
      if (!live.managed) throw conflict.disowned(keyString(c.key));
      guardVersion(keyString(c.key), c.versionToken, live.versionToken);
      try {
        await this.call("codebuild", "DeleteProject", { name }, name);
      } catch (e) {
        if (!NOT_FOUND.has(codeOf(e) ?? "")) throw e;
      }
      return;
    }
    if (!live) throw conflict.deleted(keyString(c.key));
    if (live.versionToken !== c.versionToken) {
      if (deepEqual(live.body, after)) return; // already as desired (a retry of this write)
      throw versionConflict(keyString(c.key), c.versionToken, live.versionToken);
    }
    const input: Obj = { ...after };
    // UpdateProject changes only the members it is given: reset those the definition dropped.
    for (const k of Object.keys(live.body as Obj)) if (!(k in input) && k in PROJECT_RESET) input[k] = PROJECT_RESET[k];
    await this.call("codebuild", "UpdateProject", input, name);
  }

  private async syncTags(name: string, arn: string, before: readonly Tag[], after: readonly Tag[]): Promise<void> {
    const had = new Map(before.map((t) => [t.key, t.value]));
    const want = new Set(after.map((t) => t.key));
    const set = after.filter((t) => had.get(t.key) !== t.value);
    const remove = before.filter((t) => !want.has(t.key)).map((t) => t.key);
    if (set.length) await this.call("codepipeline", "TagResource", { resourceArn: arn, tags: set }, name);
    if (remove.length) await this.call("codepipeline", "UntagResource", { resourceArn: arn, tagKeys: remove }, name);
  }

  private async writePipeline(c: Change): Promise<void> {
    const name = c.key.name;
    const after = c.after as { pipeline: Obj; tags?: Tag[] } | undefined;
    if (c.action === "create") {
      try {
        await this.call("codepipeline", "CreatePipeline", { pipeline: after!.pipeline, ...(after!.tags?.length ? { tags: after!.tags } : {}) }, name);
      } catch (e) {
        if (!ALREADY_EXISTS.has(codeOf(e) ?? "")) throw e;
        const live = await this.getPipeline(name);
        if (live && isManaged(live.tags) && deepEqual(this.pipelineResource(name, live).body, after)) return;
        throw conflict.created(keyString(c.key));
      }
      return;
    }
    // The guard: GetPipeline first. Tags are read again only when the version moved.
    const live = await this.getPipeline(name, false);
    if (c.action === "delete") {
      if (!live) return;
      guardVersion(keyString(c.key), c.versionToken, live.version);
      await this.call("codepipeline", "DeletePipeline", { name }, name);
      return;
    }
    if (!live) throw conflict.deleted(keyString(c.key));
    let liveTags = canonicalPipelineInput(c.before).tags ?? [];
    if (live.version !== c.versionToken) {
      const body = canonicalPipelineInput({ pipeline: live.decl }).pipeline;
      // Someone changed the declaration: refuse. Our own earlier attempt (same declaration): finish the tags.
      if (!deepEqual(body, after!.pipeline)) throw versionConflict(keyString(c.key), c.versionToken, live.version);
      liveTags = (await this.getPipeline(name))?.tags ?? liveTags;
    } else if (!deepEqual(canonicalPipelineInput(c.before).pipeline, after!.pipeline)) {
      // Only a declaration change bumps the version: a tag-only change is TagResource/UntagResource.
      await this.call("codepipeline", "UpdatePipeline", { pipeline: after!.pipeline }, name);
    }
    await this.syncTags(name, live.arn, liveTags, after!.tags ?? []);
  }

  private async writeTransitions(c: Change): Promise<void> {
    const name = c.key.name;
    if (c.action === "create") {
      // The pipeline was just created (this resource depends on it): every transition is enabled.
      for (const t of canonicalTransitions(c.after))
        await this.call(
          "codepipeline",
          "DisableStageTransition",
          { pipelineName: name, stageName: t.stageName, transitionType: "Inbound", reason: t.reason },
          `${name}/${t.stageName}`,
        );
      return;
    }
    const state = await this.getState(name);
    if (!state) {
      if (c.action === "delete") return;
      throw new AwsApiError(
        `GetPipelineState ${name}: pipeline ${name} does not exist, so its transitions cannot be set`,
        "PipelineNotFoundException",
        400,
        false,
      );
    }
    const desired = c.action === "delete" ? [] : canonicalTransitions(c.after);
    const current = transitionsFromState(state);
    {
      // Stages whose transition someone else changed since the plan (stages added or removed by
      // this apply's pipeline update are not a conflict).
      const then = parseTransitionsToken(c.versionToken);
      const now = parseTransitionsToken(transitionsToken(state));
      const moved = [...now].filter(([stage, v]) => then.has(stage) && then.get(stage) !== v).map(([s]) => s);
      if (moved.length && !deepEqual(current, desired))
        throw conflict.changed(keyString(c.key), `the transition${moved.length > 1 ? "s" : ""} into ${moved.join(", ")}`);
    }
    const cur = new Map(current.map((t) => [t.stageName, t.reason]));
    const want = new Map(desired.map((t) => [t.stageName, t.reason]));
    for (const t of desired)
      if (cur.get(t.stageName) !== t.reason)
        await this.call(
          "codepipeline",
          "DisableStageTransition",
          { pipelineName: name, stageName: t.stageName, transitionType: "Inbound", reason: t.reason },
          `${name}/${t.stageName}`,
        );
    for (const t of current)
      if (!want.has(t.stageName))
        await this.call(
          "codepipeline",
          "EnableStageTransition",
          { pipelineName: name, stageName: t.stageName, transitionType: "Inbound" },
          `${name}/${t.stageName}`,
        );
  }
}
