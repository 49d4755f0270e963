/**
 * AWS CodePipeline (API 2015-07-09), the operations pipeglot's sync uses.
 * Reference: https://docs.aws.amazon.com/codepipeline/latest/APIReference/ and the botocore model.
 */
import { clone, isObject, type Json, type JsonObject } from "../core/json.js";
import { decodeState, encodeState, refill } from "../core/state.js";
import { AwsError, epochSeconds, objects, page, requireString, str, type AwsContext, type Caller } from "./common.js";
import { Executions, type RunOptions } from "./executions.js";

export interface TransitionSnapshot {
  stageName: string;
  transitionType: "Inbound" | "Outbound";
  enabled: boolean;
  disabledReason?: string;
  lastChangedBy: string;
  lastChangedAt: string;
}

export interface PipelineSnapshot {
  name: string;
  arn: string;
  version: number;
  created: string;
  updated: string;
  /** The current `PipelineDeclaration`, `version` included. */
  declaration: JsonObject;
  tags: Record<string, string>;
  transitions: TransitionSnapshot[];
}

interface TransitionRecord {
  enabled: boolean;
  disabledReason?: string;
  lastChangedBy: string;
  lastChangedAt: Date;
}

interface PipelineRecord {
  arn: string;
  created: Date;
  updated: Date;
  /** Every version, index = version - 1: GetPipeline accepts a version. */
  versions: JsonObject[];
  /** key: `${stageName}\u0000${transitionType}` */
  transitions: Map<string, TransitionRecord>;
}

const MAX_TAGS = 50;

export class CodePipelineService {
  private readonly pipelines = new Map<string, PipelineRecord>();
  /** Tags by resource ARN, insertion-ordered. */
  private readonly tags = new Map<string, Map<string, string>>();

  /** Simulated runs of the pipelines (StartPipelineExecution and the rest). */
  readonly executions: Executions;

  constructor(
    private readonly ctx: AwsContext,
    runs: RunOptions = { stepMs: 100, failSteps: [], seed: 1 },
  ) {
    this.executions = new Executions(
      {
        declaration: (name, version) => {
          const p = this.find(name);
          return version === undefined ? this.current(p) : (p.versions[version - 1] ?? this.current(p));
        },
        transition: (pipeline, stage) => {
          const t = this.pipelines.get(pipeline)?.transitions.get(`${stage}\u0000Inbound`);
          return t ? { enabled: t.enabled, lastChangedAt: t.lastChangedAt } : { enabled: true };
        },
      },
      ctx.now,
      runs,
    );
    // Every operation sees the runs as they are now: the simulation replays time up to this request first.
    this.operations = Object.fromEntries(
      Object.entries({ ...this.ownOperations, ...this.executions.operations }).map(([op, fn]) => [
        op,
        (input: JsonObject, caller: Caller) => {
          this.executions.advanceAll();
          return fn(input, caller);
        },
      ]),
    );
  }

  readonly operations: Record<string, (input: JsonObject, caller: Caller) => JsonObject>;

  private readonly ownOperations: Record<string, (input: JsonObject, caller: Caller) => JsonObject> = {
    CreatePipeline: (i) => this.createPipeline(i),
    GetPipeline: (i) => this.getPipeline(i),
    UpdatePipeline: (i) => this.updatePipeline(i),
    DeletePipeline: (i) => this.deletePipeline(i),
    ListPipelines: (i) => this.listPipelines(i),
    GetPipelineState: (i) => this.getPipelineState(i),
    EnableStageTransition: (i, c) => this.setTransition(i, c, true),
    DisableStageTransition: (i, c) => this.setTransition(i, c, false),
    TagResource: (i) => this.tagResource(i),
    UntagResource: (i) => this.untagResource(i),
    ListTagsForResource: (i) => this.listTagsForResource(i),
  };

  private arnOf(name: string): string {
    return `arn:aws:codepipeline:${this.ctx.region}:${this.ctx.accountId}:${name}`;
  }

  private find(name: string): PipelineRecord {
    const p = this.pipelines.get(name);
    if (!p) throw new AwsError("PipelineNotFoundException", `Account '${this.ctx.accountId}' does not have a pipeline with name '${name}'`);
    return p;
  }

  private current(p: PipelineRecord): JsonObject {
    return p.versions[p.versions.length - 1];
  }

  // ---- structure checks the model cannot express ----

  private checkStructure(decl: JsonObject): void {
    const stages = objects(decl, "stages");
    const bad = (msg: string, type = "InvalidStructureException") => {
      throw new AwsError(type, msg);
    };
    const hasStore = decl.artifactStore !== undefined && decl.artifactStore !== null;
    const hasStores = decl.artifactStores !== undefined && decl.artifactStores !== null;
    if (hasStore === hasStores) bad("Pipeline must contain exactly one of artifactStore or artifactStores");
    if (stages.length < 2) bad(`Pipeline must contain at least two stages, found ${stages.length}`);
    const stageNames = new Set<string>();
    const produced = new Set<string>();
    stages.forEach((stage, si) => {
      const sname = str(stage, "name") ?? "";
      if (stageNames.has(sname)) bad(`Stage name '${sname}' is used more than once in the pipeline`, "InvalidStageDeclarationException");
      stageNames.add(sname);
      const actions = objects(stage, "actions");
      if (actions.length === 0) bad(`Stage '${sname}' must contain at least one action`, "InvalidStageDeclarationException");
      const actionNames = new Set<string>();
      // Actions run by runOrder; an action may consume what a lower runOrder in the same stage produced.
      const byOrder = [...actions].sort((a, b) => ((a.runOrder as number) ?? 1) - ((b.runOrder as number) ?? 1));
      const stageOutputs: { order: number; name: string }[] = [];
      for (const action of byOrder) {
        const aname = str(action, "name") ?? "";
        if (actionNames.has(aname)) bad(`Action name '${aname}' is used more than once in stage '${sname}'`, "InvalidActionDeclarationException");
        actionNames.add(aname);
        const type = isObject(action.actionTypeId) ? str(action.actionTypeId, "category") : undefined;
        if (si === 0 && type !== "Source")
          bad(`Stage '${sname}' is the first stage and may contain only Source actions; action '${aname}' is a ${type} action`);
        if (si > 0 && type === "Source") bad(`Source action '${aname}' must be in the first stage, found in stage '${sname}'`);
        const order = typeof action.runOrder === "number" ? action.runOrder : 1;
        for (const input of objects(action, "inputArtifacts")) {
          const n = str(input, "name") ?? "";
          const fromEarlier = produced.has(n) || stageOutputs.some((o) => o.name === n && o.order < order);
          if (!fromEarlier) bad(`Input artifact '${n}' of action '${aname}' in stage '${sname}' is not produced by any action that runs before it`);
        }
        for (const output of objects(action, "outputArtifacts")) {
          const n = str(output, "name") ?? "";
          if (produced.has(n) || stageOutputs.some((o) => o.name === n))
            bad(`Output artifact name '${n}' of action '${aname}' is already used by another action`);
          stageOutputs.push({ order, name: n });
        }
      }
      for (const o of stageOutputs) produced.add(o.name);
    });
  }

  private checkTags(tags: JsonObject[], existing: number): void {
    for (const t of tags) {
      const key = str(t, "key") ?? "";
      if (key.toLowerCase().startsWith("aws:")) throw new AwsError("InvalidTagsException", `Tag key '${key}' uses the reserved prefix 'aws:'`);
    }
    if (existing + tags.length > MAX_TAGS) throw new AwsError("TooManyTagsException", `A resource can have at most ${MAX_TAGS} tags`);
  }

  private putTags(arn: string, tags: JsonObject[]): void {
    const m = this.tags.get(arn) ?? new Map<string, string>();
    for (const t of tags) m.set(str(t, "key") ?? "", str(t, "value") ?? "");
    this.tags.set(arn, m);
  }

  private tagList(arn: string): JsonObject[] {
    return [...(this.tags.get(arn) ?? new Map<string, string>())].map(([key, value]) => ({ key, value }));
  }

  /** Server-filled fields, as the service returns them. */
  private withDefaults(decl: JsonObject, version: number): JsonObject {
    const out = clone(decl);
    out.version = version;
    if (out.executionMode === undefined) out.executionMode = "SUPERSEDED";
    return out;
  }

  // ---- operations ----

  private createPipeline(input: JsonObject): JsonObject {
    const decl = input.pipeline;
    if (!isObject(decl))
      throw new AwsError("ValidationException", "1 validation error detected: Value null at 'pipeline' failed to satisfy constraint: Member must not be null");
    const name = requireString(decl, "name", "pipeline.name");
    if (this.pipelines.has(name))
      throw new AwsError("PipelineNameInUseException", `A pipeline with the name '${name}' already exists in account '${this.ctx.accountId}'`);
    this.checkStructure(decl);
    const tags = objects(input, "tags");
    this.checkTags(tags, 0);
    const now = this.ctx.now();
    const arn = this.arnOf(name);
    const stored = this.withDefaults(decl, 1);
    this.pipelines.set(name, { arn, created: now, updated: now, versions: [stored], transitions: new Map() });
    this.tags.delete(arn);
    if (tags.length > 0) this.putTags(arn, tags);
    const out: JsonObject = { pipeline: clone(stored) };
    if (tags.length > 0) out.tags = this.tagList(arn);
    return out;
  }

  private getPipeline(input: JsonObject): JsonObject {
    const name = requireString(input, "name");
    const p = this.find(name);
    let decl = this.current(p);
    if (typeof input.version === "number") {
      const v = p.versions[input.version - 1];
      if (!v) throw new AwsError("PipelineVersionNotFoundException", `Pipeline '${name}' has no version ${input.version}`);
      decl = v;
    }
    return {
      pipeline: clone(decl),
      metadata: { pipelineArn: p.arn, created: epochSeconds(p.created), updated: epochSeconds(p.updated) },
    };
  }

  /** Replace the declaration with a new version (UpdatePipeline, or someone else's edit). */
  private commit(name: string, p: PipelineRecord, decl: JsonObject): JsonObject {
    const stored = this.withDefaults(decl, p.versions.length + 1);
    stored.name = name;
    p.versions.push(stored);
    p.updated = this.ctx.now();
    return stored;
  }

  private updatePipeline(input: JsonObject): JsonObject {
    const decl = input.pipeline;
    if (!isObject(decl))
      throw new AwsError("ValidationException", "1 validation error detected: Value null at 'pipeline' failed to satisfy constraint: Member must not be null");
    const name = requireString(decl, "name", "pipeline.name");
    const p = this.find(name);
    this.checkStructure(decl);
    // No conditional write exists in the API: the `version` in the body is not compared.
    return { pipeline: clone(this.commit(name, p, decl)) };
  }

  private deletePipeline(input: JsonObject): JsonObject {
    const name = requireString(input, "name");
    const p = this.pipelines.get(name);
    if (p) {
      this.pipelines.delete(name);
      this.tags.delete(p.arn);
      this.executions.forget(name);
    }
    return {};
  }

  private listPipelines(input: JsonObject): JsonObject {
    const names = [...this.pipelines.keys()].sort();
    const size = typeof input.maxResults === "number" ? input.maxResults : 100;
    const { items, nextToken } = page(names, input.nextToken, size, "InvalidNextTokenException");
    const pipelines: Json[] = items.map((n) => {
      const p = this.pipelines.get(n)!;
      const decl = this.current(p);
      const summary: JsonObject = { name: n, version: decl.version as number, created: epochSeconds(p.created), updated: epochSeconds(p.updated) };
      if (decl.pipelineType !== undefined) summary.pipelineType = decl.pipelineType;
      if (decl.executionMode !== undefined) summary.executionMode = decl.executionMode;
      return summary;
    });
    return nextToken ? { pipelines, nextToken } : { pipelines };
  }

  private getPipelineState(input: JsonObject): JsonObject {
    const name = requireString(input, "name");
    const p = this.find(name);
    const decl = this.current(p);
    const stageStates: Json[] = objects(decl, "stages").map((stage, i) => {
      const stageName = str(stage, "name") ?? "";
      const state: JsonObject = {
        stageName,
        ...this.executions.stageState(
          name,
          stageName,
          objects(stage, "actions").map((a) => str(a, "name") ?? ""),
        ),
      };
      if (i > 0) {
        const t = p.transitions.get(`${stageName}\u0000Inbound`);
        const ts: JsonObject = { enabled: t ? t.enabled : true };
        if (t) {
          ts.lastChangedBy = t.lastChangedBy;
          ts.lastChangedAt = epochSeconds(t.lastChangedAt);
          if (!t.enabled && t.disabledReason !== undefined) ts.disabledReason = t.disabledReason;
        }
        state.inboundTransitionState = ts;
      }
      return state;
    });
    return { pipelineName: name, pipelineVersion: decl.version as number, stageStates, created: epochSeconds(p.created), updated: epochSeconds(p.updated) };
  }

  private setTransition(input: JsonObject, caller: Caller, enabled: boolean): JsonObject {
    const name = requireString(input, "pipelineName");
    const stageName = requireString(input, "stageName");
    const type = requireString(input, "transitionType");
    if (type !== "Inbound" && type !== "Outbound") {
      throw new AwsError(
        "ValidationException",
        `1 validation error detected: Value '${type}' at 'transitionType' failed to satisfy constraint: Member must satisfy enum value set: [Inbound, Outbound]`,
      );
    }
    const reason = enabled ? undefined : requireString(input, "reason");
    const p = this.find(name);
    const stages = objects(this.current(p), "stages").map((s) => str(s, "name"));
    if (!stages.includes(stageName)) throw new AwsError("StageNotFoundException", `Stage '${stageName}' was not found in pipeline '${name}'`);
    p.transitions.set(`${stageName}\u0000${type}`, { enabled, disabledReason: reason, lastChangedBy: caller.arn, lastChangedAt: this.ctx.now() });
    return {};
  }

  private resourceByArn(arn: string): string {
    for (const [name, p] of this.pipelines) if (p.arn === arn) return name;
    if (!/^arn:aws(-[\w]+)*:codepipeline:.+:[0-9]{12}:.+$/.test(arn)) throw new AwsError("InvalidArnException", `The ARN '${arn}' is not valid`);
    throw new AwsError("ResourceNotFoundException", `The resource with the ARN '${arn}' was not found`);
  }

  private tagResource(input: JsonObject): JsonObject {
    const arn = requireString(input, "resourceArn");
    this.resourceByArn(arn);
    const tags = objects(input, "tags");
    const existing = this.tags.get(arn) ?? new Map<string, string>();
    const added = tags.filter((t) => !existing.has(str(t, "key") ?? ""));
    this.checkTags(tags, existing.size + added.length - tags.length);
    this.putTags(arn, tags);
    return {};
  }

  private untagResource(input: JsonObject): JsonObject {
    const arn = requireString(input, "resourceArn");
    this.resourceByArn(arn);
    const keys = Array.isArray(input.tagKeys) ? input.tagKeys : [];
    const m = this.tags.get(arn);
    for (const k of keys) if (typeof k === "string") m?.delete(k);
    return {};
  }

  private listTagsForResource(input: JsonObject): JsonObject {
    const arn = requireString(input, "resourceArn");
    this.resourceByArn(arn);
    const size = typeof input.maxResults === "number" ? input.maxResults : 50;
    const { items, nextToken } = page(this.tagList(arn), input.nextToken, size, "InvalidNextTokenException");
    return nextToken ? { tags: items, nextToken } : { tags: items };
  }

  // ---- out-of-band access (tests, demos) ----

  /**
   * Edit a pipeline as if someone else did it in the console: `fn` gets a copy of the current
   * declaration and changes it in place or returns a new one; the version goes up by one.
   */
  mutatePipeline(name: string, fn: (pipeline: JsonObject) => JsonObject | void): JsonObject {
    const p = this.find(name);
    const draft = clone(this.current(p));
    const next = fn(draft) ?? draft;
    return clone(this.commit(name, p, next));
  }

  snapshot(): PipelineSnapshot[] {
    return [...this.pipelines.keys()].sort().map((name) => {
      const p = this.pipelines.get(name)!;
      const decl = this.current(p);
      const transitions: TransitionSnapshot[] = [...p.transitions].map(([key, t]) => {
        const [stageName, transitionType] = key.split("\u0000") as [string, "Inbound" | "Outbound"];
        const snap: TransitionSnapshot = {
          stageName,
          transitionType,
          enabled: t.enabled,
          lastChangedBy: t.lastChangedBy,
          lastChangedAt: t.lastChangedAt.toISOString(),
        };
        if (t.disabledReason !== undefined) snap.disabledReason = t.disabledReason;
        return snap;
      });
      return {
        name,
        arn: p.arn,
        version: decl.version as number,
        created: p.created.toISOString(),
        updated: p.updated.toISOString(),
        declaration: clone(decl),
        tags: Object.fromEntries(this.tags.get(p.arn) ?? []),
        transitions,
      };
    });
  }

  reset(): void {
    this.pipelines.clear();
    this.tags.clear();
    this.executions.reset();
  }

  saveState(): Json {
    return encodeState({ pipelines: this.pipelines, tags: this.tags, executions: this.executions.save() });
  }

  loadState(state: Json): void {
    const s = decodeState(state) as { pipelines?: unknown; tags?: unknown; executions?: unknown };
    refill(this.pipelines, s.pipelines);
    refill(this.tags, s.tags);
    this.executions.load(s.executions);
  }
}
