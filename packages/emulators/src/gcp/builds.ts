/**
 * Simulated Cloud Build builds: what RunBuildTrigger starts, as projects.locations.builds
 * get/list/approve/cancel and the long-running operations return them.
 *
 *  - A build of a trigger with approvalConfig.approvalRequired is PENDING (approval PENDING) until
 *    ApproveBuild decides: approved, it is queued as a new build is; rejected, it is done at once
 *    (status CANCELLED, approval REJECTED; the LRO is done).
 *  - A build is QUEUED for one step time, then its steps run along their waitFor graph, each taking
 *    `stepMs` of the emulator clock; a step fails when its id, its neutral job name (step ids
 *    `stage__job__step`) or `stage/job` is in `failSteps` (for a job: its first step).
 *  - A step that runs `gcloud builds triggers run` (see chain.ts) starts that trigger's build when
 *    it finishes: the chained builds of a split pipeline. Everything is computed from the clock
 *    when asked, so the same requests at the same times give the same answers.
 */
import { Prng } from "../core/prng.js";
import { clone, isObject, type Json, type JsonObject } from "../core/json.js";
import { stepSucceedsAt, viewAt, type BuildTimes, type BuildView, type ScheduledStep } from "./build-schedule.js";
import { chainCall, type ChainCall } from "./chain.js";
import { GoogleError } from "./errors.js";

export interface RunSimulationOptions {
  stepMs?: number;
  failSteps?: readonly string[];
}

export const OPERATION_METADATA = "type.googleapis.com/google.devtools.cloudbuild.v1.BuildOperationMetadata";
export const BUILD_TYPE = "type.googleapis.com/google.devtools.cloudbuild.v1.Build";

interface BuildRecord {
  id: string;
  project: string;
  location: string;
  triggerId: string;
  triggerName: string;
  createMs: number;
  /** The trigger's inline build at the time it ran. */
  config: JsonObject;
  substitutions: Record<string, string>;
  approvalRequired: boolean;
  approval?: { state: "PENDING" | "APPROVED" | "REJECTED" | "CANCELLED"; result?: JsonObject };
  workStart?: number;
  endedEarly?: { at: number; status: "CANCELLED" | "FAILURE" };
  cancelAt?: number;
  failing: number[];
  /** Steps whose trigger run was made (or skipped) already. */
  fired: number[];
  /** Finished, every trigger run it makes made: advance() skips it. */
  settled?: boolean;
  source?: JsonObject;
}

export interface TriggerLookup {
  find(project: string, location: string, idOrName: string): JsonObject | undefined;
}

export interface RunRequest {
  project: string;
  location: string;
  trigger: JsonObject;
  source?: JsonObject;
}

const FINAL = new Set(["SUCCESS", "FAILURE", "CANCELLED"]);
const str = (v: Json | undefined): string | undefined => (typeof v === "string" ? v : undefined);
const stepsOf = (b: BuildRecord): JsonObject[] => (Array.isArray(b.config.steps) ? b.config.steps.filter(isObject) : []);
const scheduled = (b: BuildRecord): ScheduledStep[] =>
  stepsOf(b).map((s) => ({
    ...(typeof s.id === "string" ? { id: s.id } : {}),
    ...(Array.isArray(s.waitFor) ? { waitFor: s.waitFor.filter((w): w is string => typeof w === "string") } : {}),
    allowFailure: s.allowFailure === true,
  }));

export class BuildStore {
  /** key: build id. In creation order. */
  readonly builds = new Map<string, BuildRecord>();
  /** key: operation id → build id. */
  readonly operations = new Map<string, string>();
  readonly stepMs: number;
  private readonly failSteps: ReadonlySet<string>;

  constructor(
    private readonly ids: Prng,
    private readonly now: () => Date,
    private readonly triggers: TriggerLookup,
    runs: RunSimulationOptions = {},
  ) {
    this.stepMs = runs.stepMs ?? 100;
    this.failSteps = new Set(runs.failSteps ?? []);
  }

  private times(b: BuildRecord): BuildTimes {
    return {
      ...(b.workStart !== undefined ? { workStart: b.workStart } : {}),
      ...(b.endedEarly ? { endedEarly: b.endedEarly } : {}),
      ...(b.cancelAt !== undefined ? { cancelAt: b.cancelAt } : {}),
      failing: new Set(b.failing),
    };
  }

  private view(b: BuildRecord, nowMs = this.now().getTime()): BuildView {
    return viewAt(scheduled(b), this.stepMs, this.times(b), b.createMs, nowMs);
  }

  /** Indexes of the steps `failSteps` names: by step id, or a job's first step by job name or stage/job. */
  private failingSteps(steps: JsonObject[]): number[] {
    const out: number[] = [];
    const jobsSeen = new Set<string>();
    steps.forEach((s, i) => {
      const id = str(s.id) ?? "";
      const parts = id.split("__");
      const job = parts.length === 3 && !id.startsWith("pipeglot__") ? { stage: parts[0]!, job: parts[1]! } : undefined;
      const jobKey = job && `${job.stage}/${job.job}`;
      const firstOfJob = jobKey !== undefined && !jobsSeen.has(jobKey);
      if (jobKey) jobsSeen.add(jobKey);
      if (this.failSteps.has(id) || (firstOfJob && (this.failSteps.has(job!.job) || this.failSteps.has(jobKey!)))) out.push(i);
    });
    return out;
  }

  /** RunBuildTrigger: a new build of the trigger's inline build, and the operation that tracks it. */
  run(req: RunRequest, atMs = this.now().getTime()): { operation: string; build: BuildRecord } {
    const t = req.trigger;
    if (!isObject(t.build))
      throw new GoogleError(
        "FAILED_PRECONDITION",
        `trigger ${str(t.name) ?? ""} has no inline build: the pipeglot emulator runs only triggers with an inline build`,
      );
    const config = clone(t.build);
    const id = this.ids.uuid();
    const subs = this.substitutions(req, config, id);
    const approvalRequired = isObject(t.approvalConfig) && t.approvalConfig.approvalRequired === true;
    const b: BuildRecord = {
      id,
      project: req.project,
      location: req.location,
      triggerId: str(t.id) ?? "",
      triggerName: str(t.name) ?? "",
      createMs: atMs,
      config,
      substitutions: subs,
      approvalRequired,
      ...(approvalRequired ? { approval: { state: "PENDING" as const } } : { workStart: atMs + this.stepMs }),
      failing: this.failingSteps(Array.isArray(config.steps) ? config.steps.filter(isObject) : []),
      fired: [],
    };
    const url = isObject(t.sourceToBuild) ? str(t.sourceToBuild.uri) : undefined;
    if (url) b.source = { gitSource: { url, revision: subs.COMMIT_SHA! } };
    this.builds.set(id, b);
    const op = this.ids.uuid();
    this.operations.set(op, id);
    return { operation: op, build: b };
  }

  private substitutions(req: RunRequest, config: JsonObject, id: string): Record<string, string> {
    const t = req.trigger;
    const source = req.source ?? {};
    const stb = isObject(t.sourceToBuild) ? t.sourceToBuild : {};
    const ref = str(stb.ref) ?? "";
    const branch = str(source.branchName) ?? (str(source.commitSha) ? "" : (/^refs\/heads\/(.+)$/.exec(ref)?.[1] ?? ""));
    const sha = str(source.commitSha) ?? (this.ids.uuid() + this.ids.uuid()).replace(/-/g, "").slice(0, 40);
    const repo = /github\.com\/([^/]+\/[^/.]+)/.exec(str(stb.uri) ?? "")?.[1];
    const fromObject = (o: Json | undefined): Record<string, string> =>
      isObject(o) ? Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === "string")) : {};
    return {
      ...fromObject(config.substitutions),
      ...fromObject(t.substitutions),
      ...fromObject(source.substitutions),
      BRANCH_NAME: branch,
      COMMIT_SHA: sha,
      SHORT_SHA: sha.slice(0, 7),
      REF_NAME: branch,
      REVISION_ID: sha,
      TRIGGER_NAME: str(t.name) ?? "",
      ...(repo ? { REPO_FULL_NAME: repo } : {}),
      BUILD_ID: id,
      PROJECT_ID: req.project,
      LOCATION: req.location,
    };
  }

  find(project: string, location: string, id: string): BuildRecord {
    const b = this.builds.get(id);
    if (!b || b.project !== project || (location !== "global" && b.location !== location))
      throw new GoogleError("NOT_FOUND", `build "${id}" not found in projects/${project}/locations/${location}`);
    return b;
  }

  /** ApproveBuild: approve (the build queues) or reject (done at once). */
  decide(b: BuildRecord, result: JsonObject): void {
    if (b.approval?.state !== "PENDING") throw new GoogleError("FAILED_PRECONDITION", `build ${b.id} is not pending approval`);
    // The Node client sends enums as numbers (enum-encoding=int): APPROVED = 1, REJECTED = 2.
    const decision = result.decision === 1 ? "APPROVED" : result.decision === 2 ? "REJECTED" : str(result.decision);
    if (decision !== "APPROVED" && decision !== "REJECTED") throw new GoogleError("INVALID_ARGUMENT", "approvalResult.decision must be APPROVED or REJECTED");
    const at = this.now().getTime();
    b.approval = {
      state: decision === "APPROVED" ? "APPROVED" : "REJECTED",
      result: {
        decision,
        approvalTime: new Date(at).toISOString(),
        approverAccount: "pipeglot-emulator@example.com",
        ...(str(result.comment) ? { comment: str(result.comment)! } : {}),
        ...(str(result.url) ? { url: str(result.url)! } : {}),
      },
    };
    if (decision === "APPROVED") b.workStart = at + this.stepMs;
    else b.endedEarly = { at, status: "CANCELLED" };
  }

  /** CancelBuild: a build not finished ends CANCELLED now (pending approval: the approval is CANCELLED). */
  cancel(b: BuildRecord): void {
    const at = this.now().getTime();
    const v = this.view(b, at);
    if (FINAL.has(v.status)) throw new GoogleError("FAILED_PRECONDITION", `build ${b.id} is already finished (${v.status})`);
    if (v.status === "PENDING" || v.status === "QUEUED") {
      if (b.approval?.state === "PENDING") b.approval = { state: "CANCELLED" };
      delete b.workStart;
      b.endedEarly = { at, status: "CANCELLED" };
    } else b.cancelAt = at;
  }

  /** Make every trigger run that steps finished before now have made, in time order. */
  advance(): void {
    const nowMs = this.now().getTime();
    for (;;) {
      let next: { b: BuildRecord; i: number; at: number; call: ChainCall } | undefined;
      for (const b of this.builds.values()) {
        if (b.settled) continue;
        const due = this.nextChain(b, nowMs);
        if (due && (!next || due.at < next.at)) next = { b, ...due };
      }
      if (!next) return;
      this.fire(next.b, next.i, next.at, next.call);
    }
  }

  /** The earliest chaining step of `b` due by `nowMs`; marks the build settled once it is finished with none left to fire. */
  private nextChain(b: BuildRecord, nowMs: number): { i: number; at: number; call: ChainCall } | undefined {
    let due: { i: number; at: number; call: ChainCall } | undefined;
    let pending = false;
    stepsOf(b).forEach((s, i) => {
      if (b.fired.includes(i) || !Array.isArray(s.args)) return;
      const call = chainCall(s.entrypoint, s.args, b.substitutions);
      if (!call) return;
      const at = stepSucceedsAt(scheduled(b), this.stepMs, this.times(b), i);
      if (at === undefined) return;
      if (at > nowMs) pending = true;
      else if (!due || at < due.at) due = { i, at, call };
    });
    if (!due && !pending && FINAL.has(this.view(b, nowMs).status)) b.settled = true;
    return due;
  }

  private fire(b: BuildRecord, i: number, at: number, call: ChainCall): void {
    b.fired.push(i);
    const location = call.region ?? b.location;
    const trigger = this.triggers.find(b.project, location, call.trigger);
    if (!trigger || !isObject(trigger.build)) {
      b.failing.push(i); // gcloud: NOT_FOUND, the step exits non-zero
      return;
    }
    if (call.checksDisabled && trigger.disabled === true) return;
    const source: JsonObject = { substitutions: call.substitutions };
    if (call.sha) source.commitSha = call.sha;
    if (call.branch) source.branchName = call.branch;
    this.run({ project: b.project, location, trigger, source }, at);
  }

  /** The Build resource as the API returns it. */
  json(b: BuildRecord): JsonObject {
    const v = this.view(b);
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    const out: JsonObject = {
      name: `projects/${b.project}/locations/${b.location}/builds/${b.id}`,
      id: b.id,
      projectId: b.project,
      status: v.status,
      steps: stepsOf(b).map((s, i) => stepJson(s, v.steps[i]!, iso)),
      createTime: new Date(b.createMs).toISOString(),
      timeout: str(b.config.timeout) ?? "600s",
      substitutions: publicSubstitutions(b.substitutions),
      buildTriggerId: b.triggerId,
      logUrl: `https://console.cloud.google.com/cloud-build/builds;region=${b.location}/${b.id}?project=${b.project}`,
    };
    for (const k of ["tags", "options", "availableSecrets"]) if (b.config[k] !== undefined) out[k] = clone(b.config[k]);
    if (v.startMs !== undefined) out.startTime = iso(v.startMs)!;
    if (v.finishMs !== undefined) out.finishTime = iso(v.finishMs)!;
    if (b.source) out.source = clone(b.source);
    if (b.approval)
      out.approval = { state: b.approval.state, config: { approvalRequired: true }, ...(b.approval.result ? { result: clone(b.approval.result) } : {}) };
    if (v.failedStep !== undefined) {
      const sid = str(stepsOf(b)[v.failedStep]!.id) ?? `Step #${v.failedStep}`;
      out.statusDetail = `Build step failure: build step ${v.failedStep} "${sid}" failed: step exited with non-zero status: 1`;
      out.failureInfo = { type: "USER_BUILD_STEP", detail: out.statusDetail };
    }
    return out;
  }

  /** The long-running operation of a build (RunBuildTrigger, ApproveBuild): done once the build is. */
  operation(opId: string, b: BuildRecord): JsonObject {
    const build = this.json(b);
    const op: JsonObject = {
      name: `projects/${b.project}/locations/${b.location}/operations/${opId}`,
      metadata: { "@type": OPERATION_METADATA, build },
      done: FINAL.has(str(build.status) ?? ""),
    };
    if (!op.done) return op;
    if (build.status === "SUCCESS") op.response = { "@type": BUILD_TYPE, ...build };
    else if (b.approval?.state === "REJECTED") op.response = { "@type": BUILD_TYPE, ...build };
    else
      op.error =
        build.status === "CANCELLED" ? { code: 1, message: "Build was cancelled" } : { code: 2, message: "Build failed; check build logs for details" };
    return op;
  }

  /** Builds of a parent, newest first. */
  list(project: string, location: string): BuildRecord[] {
    return [...this.builds.values()].filter((b) => b.project === project && (location === "global" || b.location === location)).reverse();
  }

  reset(): void {
    this.builds.clear();
    this.operations.clear();
  }
}

function stepJson(s: JsonObject, v: BuildView["steps"][number], iso: (ms: number | undefined) => string | undefined): JsonObject {
  const out = clone(s);
  if (v.status) out.status = v.status;
  if (v.startMs !== undefined) out.timing = { startTime: iso(v.startMs)!, ...(v.endMs !== undefined ? { endTime: iso(v.endMs)! } : {}) };
  return out;
}

/** The build's substitutions as the API shows them (BUILD_ID, PROJECT_ID and LOCATION are resolved in steps, not listed). */
function publicSubstitutions(s: Record<string, string>): Record<string, string> {
  const hidden = new Set(["BUILD_ID", "PROJECT_ID", "LOCATION"]);
  return Object.fromEntries(Object.entries(s).filter(([k]) => !hidden.has(k)));
}
