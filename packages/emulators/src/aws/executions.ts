/**
 * CodePipeline's execution operations on the simulated runs of execution-sim.ts:
 * StartPipelineExecution (variables), GetPipelineExecution, ListPipelineExecutions,
 * ListActionExecutions, StopPipelineExecution, PutApprovalResult, and the run-time part of
 * GetPipelineState (each stage's latest execution, each action's, the approval token, the
 * execution held at a disabled transition).
 */
import type { Json, JsonObject } from "../core/json.js";
import { Prng } from "../core/prng.js";
import { resume } from "../core/state.js";
import { AwsError, epochSeconds, objects, page, requireString, str, type Caller } from "./common.js";
import { advance, begin, finish, stop, type ActionRun, type ExecutionRecord, type SimContext } from "./execution-sim.js";

/** What the executions need from the pipelines. */
export interface PipelineView {
  /** The declaration of a pipeline (a version, or the current one); throws PipelineNotFoundException. */
  declaration(name: string, version?: number): JsonObject;
  transition(pipeline: string, stage: string): { enabled: boolean; lastChangedAt?: Date };
}

export interface RunOptions {
  stepMs: number;
  failSteps: readonly string[];
  seed: number;
}

const HEX = "0123456789abcdef";

export class Executions {
  /** Every execution, oldest first. */
  readonly records: ExecutionRecord[] = [];
  private readonly ids: Prng;
  private readonly sim: SimContext;

  constructor(
    private readonly pipelines: PipelineView,
    private readonly now: () => Date,
    opts: RunOptions,
  ) {
    this.ids = new Prng(opts.seed);
    this.sim = {
      stepMs: opts.stepMs,
      failSteps: opts.failSteps,
      newId: () => this.ids.uuid(),
      transition: (p, s) => pipelines.transition(p, s),
      arrived: (e) => this.supersedeWaiting(e),
    };
  }

  readonly operations: Record<string, (input: JsonObject, caller: Caller) => JsonObject> = {
    StartPipelineExecution: (i, c) => this.start(i, c),
    GetPipelineExecution: (i) => this.get(i),
    ListPipelineExecutions: (i) => this.list(i),
    ListActionExecutions: (i) => this.listActions(i),
    StopPipelineExecution: (i) => this.stopOne(i),
    PutApprovalResult: (i, c) => this.decide(i, c),
  };

  private stagesOf(e: ExecutionRecord): JsonObject[] {
    return objects(this.pipelines.declaration(e.pipeline, e.version), "stages");
  }

  /** In a SUPERSEDED pipeline, the newest execution waiting at a transition replaces the older ones waiting there. */
  private supersedeWaiting(e: ExecutionRecord): void {
    if (e.executionMode !== "SUPERSEDED") return;
    for (const x of this.records)
      if (x !== e && x.pipeline === e.pipeline && x.status === "InProgress" && x.heldAt && x.stage === e.stage && x.startTime <= e.startTime)
        finish(x, "Superseded", e.heldAt!, `Superseded by execution ${e.id}`);
  }

  /** Replay every execution up to now, oldest first (a QUEUED execution starts when the one before it ended). */
  advanceAll(): void {
    const now = this.now();
    for (const e of this.records) {
      if (e.stage === undefined && e.status === "InProgress") {
        const before = this.records.filter(
          (x) => x.pipeline === e.pipeline && x !== e && x.startTime <= e.startTime && this.records.indexOf(x) < this.records.indexOf(e),
        );
        if (before.some((x) => x.status === "InProgress" || x.status === "Stopping")) continue;
        const freeAt = before.reduce((t, x) => (x.lastUpdate > t ? x.lastUpdate : t), e.startTime);
        begin(this.sim, e, this.stagesOf(e), freeAt);
      }
      advance(this.sim, e, this.stagesOf(e), now);
    }
  }

  private find(pipeline: string, id: string): ExecutionRecord {
    this.pipelines.declaration(pipeline);
    const e = this.records.find((x) => x.pipeline === pipeline && x.id === id);
    if (!e) throw new AwsError("PipelineExecutionNotFoundException", `Pipeline execution ID ${id} does not belong to pipeline ${pipeline}`);
    return e;
  }

  private commitId(): string {
    let s = "";
    for (let i = 0; i < 40; i++) s += HEX[Math.floor(this.ids.next() * 16)];
    return s;
  }

  private resolveVariables(decl: JsonObject, given: JsonObject[]): { name: string; resolvedValue: string }[] {
    const declared = objects(decl, "variables");
    const names = new Set(declared.map((v) => str(v, "name")));
    for (const g of given) {
      const n = str(g, "name") ?? "";
      if (!names.has(n)) throw new AwsError("ValidationException", `Pipeline variable '${n}' is not declared in pipeline '${str(decl, "name")}'`);
    }
    return declared.map((v) => {
      const name = str(v, "name") ?? "";
      const value = str(given.find((g) => str(g, "name") === name) ?? {}, "value") ?? str(v, "defaultValue");
      if (value === undefined) throw new AwsError("ValidationException", `Pipeline variable '${name}' has no default value: the execution must set it`);
      return { name, resolvedValue: value };
    });
  }

  private start(input: JsonObject, caller: Caller): JsonObject {
    const name = requireString(input, "name");
    const decl = this.pipelines.declaration(name);
    const variables = this.resolveVariables(decl, objects(input, "variables"));
    const now = this.now();
    const source = objects(objects(decl, "stages")[0] ?? {}, "actions")[0] ?? {};
    const cfg = typeof source.configuration === "object" && source.configuration !== null && !Array.isArray(source.configuration) ? source.configuration : {};
    const branch = str(cfg, "BranchName") ?? "main";
    const e: ExecutionRecord = {
      id: this.ids.uuid(),
      pipeline: name,
      version: decl.version as number,
      executionMode: str(decl, "executionMode") ?? "SUPERSEDED",
      startTime: now,
      lastUpdate: now,
      status: "InProgress",
      trigger: { triggerType: "StartPipelineExecution", triggerDetail: caller.arn },
      variables,
      revision: { revisionId: this.commitId(), revisionSummary: `Latest commit on ${branch}` },
      stages: {},
      actions: [],
    };
    this.records.push(e);
    if (e.executionMode !== "QUEUED" || !this.records.some((x) => x !== e && x.pipeline === name && (x.status === "InProgress" || x.status === "Stopping")))
      begin(this.sim, e, objects(decl, "stages"), now);
    return { pipelineExecutionId: e.id };
  }

  private summary(e: ExecutionRecord): JsonObject {
    const out: JsonObject = {
      pipelineExecutionId: e.id,
      status: e.status,
      startTime: epochSeconds(e.startTime),
      lastUpdateTime: epochSeconds(e.lastUpdate),
      sourceRevisions: [{ actionName: "Source", revisionId: e.revision.revisionId, revisionSummary: e.revision.revisionSummary }],
      trigger: { ...e.trigger },
      executionMode: e.executionMode,
      executionType: "STANDARD",
    };
    if (e.statusSummary) out.statusSummary = e.statusSummary;
    if (e.stopReason) out.stopTrigger = { reason: e.stopReason };
    return out;
  }

  private get(input: JsonObject): JsonObject {
    const e = this.find(requireString(input, "pipelineName"), requireString(input, "pipelineExecutionId"));
    const out: JsonObject = {
      pipelineName: e.pipeline,
      pipelineVersion: e.version,
      pipelineExecutionId: e.id,
      status: e.status,
      artifactRevisions: [
        { name: "source", revisionId: e.revision.revisionId, revisionSummary: e.revision.revisionSummary, created: epochSeconds(e.startTime) },
      ],
      variables: e.variables.map((v) => ({ ...v })),
      trigger: { ...e.trigger },
      executionMode: e.executionMode,
      executionType: "STANDARD",
    };
    if (e.statusSummary) out.statusSummary = e.statusSummary;
    return { pipelineExecution: out };
  }

  private list(input: JsonObject): JsonObject {
    const name = requireString(input, "pipelineName");
    this.pipelines.declaration(name);
    const newest = this.records.filter((e) => e.pipeline === name).reverse();
    const size = typeof input.maxResults === "number" ? input.maxResults : 100;
    const { items, nextToken } = page(newest, input.nextToken, size, "InvalidNextTokenException");
    const pipelineExecutionSummaries: Json[] = items.map((e) => this.summary(e));
    return nextToken ? { pipelineExecutionSummaries, nextToken } : { pipelineExecutionSummaries };
  }

  private detail(e: ExecutionRecord, a: ActionRun): JsonObject {
    const result: JsonObject = {};
    if (a.externalId) result.externalExecutionId = a.externalId;
    if (a.summary) result.externalExecutionSummary = a.summary;
    if (a.error) result.errorDetails = { ...a.error };
    const out: JsonObject = {
      pipelineExecutionId: e.id,
      actionExecutionId: a.id,
      pipelineVersion: e.version,
      stageName: a.stage,
      actionName: a.action,
      startTime: epochSeconds(a.start),
      lastUpdateTime: epochSeconds(a.status === "InProgress" ? a.start : (a.end ?? a.start)),
      status: a.status,
      input: { configuration: { ...a.configuration }, resolvedConfiguration: { ...a.configuration } },
      output: { executionResult: result },
    };
    if (a.updatedBy) out.updatedBy = a.updatedBy;
    return out;
  }

  private listActions(input: JsonObject): JsonObject {
    const name = requireString(input, "pipelineName");
    this.pipelines.declaration(name);
    const filter = typeof input.filter === "object" && input.filter !== null && !Array.isArray(input.filter) ? input.filter : {};
    const id = str(filter, "pipelineExecutionId");
    const execs = id ? [this.find(name, id)] : this.records.filter((e) => e.pipeline === name);
    const details = execs.flatMap((e) => e.actions.map((a) => ({ e, a }))).reverse();
    const size = typeof input.maxResults === "number" ? input.maxResults : 100;
    const { items, nextToken } = page(details, input.nextToken, size, "InvalidNextTokenException");
    const actionExecutionDetails: Json[] = items.map(({ e, a }) => this.detail(e, a));
    return nextToken ? { actionExecutionDetails, nextToken } : { actionExecutionDetails };
  }

  private stopOne(input: JsonObject): JsonObject {
    const e = this.find(requireString(input, "pipelineName"), requireString(input, "pipelineExecutionId"));
    if (e.status === "Stopping" && input.abandon !== true)
      throw new AwsError("DuplicatedStopRequestException", `Pipeline execution ${e.id} is already being stopped`);
    if (e.status !== "InProgress" && e.status !== "Stopping")
      throw new AwsError("PipelineExecutionNotStoppableException", `Pipeline execution ${e.id} is ${e.status} and cannot be stopped`);
    stop(e, this.now(), input.abandon === true, str(input, "reason"));
    return { pipelineExecutionId: e.id };
  }

  private decide(input: JsonObject, caller: Caller): JsonObject {
    const name = requireString(input, "pipelineName");
    const stageName = requireString(input, "stageName");
    const actionName = requireString(input, "actionName");
    const token = requireString(input, "token");
    const stages = objects(this.pipelines.declaration(name), "stages");
    const stage = stages.find((s) => str(s, "name") === stageName);
    if (!stage) throw new AwsError("StageNotFoundException", `Stage '${stageName}' was not found in pipeline '${name}'`);
    if (!objects(stage, "actions").some((a) => str(a, "name") === actionName))
      throw new AwsError("ActionNotFoundException", `Action '${actionName}' was not found in stage '${stageName}' of pipeline '${name}'`);
    const run = this.records
      .filter((e) => e.pipeline === name)
      .flatMap((e) => e.actions)
      .find((a) => a.stage === stageName && a.action === actionName && a.token === token);
    if (!run) throw new AwsError("InvalidApprovalTokenException", `The approval token ${token} is not valid for action '${actionName}'`);
    if (run.status !== "InProgress")
      throw new AwsError("ApprovalAlreadyCompletedException", `The approval request for action '${actionName}' was already completed`);
    const result = typeof input.result === "object" && input.result !== null && !Array.isArray(input.result) ? input.result : {};
    const now = this.now();
    const approved = str(result, "status") === "Approved";
    Object.assign(run, { status: approved ? "Succeeded" : "Failed", end: now, summary: str(result, "summary") ?? "", updatedBy: caller.arn, token: undefined });
    return { approvedAt: epochSeconds(now) };
  }

  /** The run-time fields of GetPipelineState for one stage: its latest execution, each action's, the one held at its transition. */
  stageState(pipeline: string, stageName: string, actionNames: readonly string[]): JsonObject {
    const execs = this.records.filter((e) => e.pipeline === pipeline);
    const out: JsonObject = {};
    const latest = [...execs].reverse().find((e) => e.stages[stageName] !== undefined);
    if (latest) out.latestExecution = { pipelineExecutionId: latest.id, status: latest.stages[stageName]!, type: "STANDARD" };
    const held = execs.filter((e) => e.heldAt && (e.status === "InProgress" || e.status === "Stopping") && this.nextStage(e) === stageName);
    if (held.length) {
      out.inboundExecution = { pipelineExecutionId: held.at(-1)!.id, status: "InProgress", type: "STANDARD" };
      out.inboundExecutions = held.map((e) => ({ pipelineExecutionId: e.id, status: "InProgress", type: "STANDARD" }));
    }
    out.actionStates = actionNames.map((actionName): JsonObject => {
      const a = execs
        .flatMap((e) => e.actions)
        .filter((x) => x.stage === stageName && x.action === actionName)
        .at(-1);
      return a ? { actionName, latestExecution: this.actionExecution(a) } : { actionName };
    });
    return out;
  }

  private nextStage(e: ExecutionRecord): string | undefined {
    return str(this.stagesOf(e)[(e.stage ?? -1) + 1] ?? {}, "name");
  }

  private actionExecution(a: ActionRun): JsonObject {
    const out: JsonObject = {
      actionExecutionId: a.id,
      status: a.status,
      lastStatusChange: epochSeconds(a.status === "InProgress" ? a.start : (a.end ?? a.start)),
    };
    if (a.summary) out.summary = a.summary;
    if (a.token && a.status === "InProgress") out.token = a.token;
    if (a.updatedBy) out.lastUpdatedBy = a.updatedBy;
    if (a.externalId) out.externalExecutionId = a.externalId;
    if (a.error) out.errorDetails = { ...a.error };
    return out;
  }

  reset(): void {
    this.records.length = 0;
  }

  /** A deleted pipeline's executions go with it. */
  forget(pipeline: string): void {
    const kept = this.records.filter((e) => e.pipeline !== pipeline);
    this.records.length = 0;
    this.records.push(...kept);
  }

  save(): { records: ExecutionRecord[]; ids: Prng } {
    return { records: this.records, ids: this.ids };
  }

  load(saved: unknown): void {
    const s = (typeof saved === "object" && saved !== null ? saved : {}) as { records?: unknown; ids?: unknown };
    this.records.length = 0;
    if (Array.isArray(s.records)) this.records.push(...(s.records as ExecutionRecord[]));
    resume(this.ids, s.ids);
  }
}
