/**
 * The neutral run model (issue #19): one run of a pipeline on any cloud, as stages of jobs with
 * the definition's own names. Each provider maps its executions (however its cloud calls them)
 * back to the stage and job names of the definition through its compile mapping, and fills this
 * shape. `pipeglot
 * status --format json` prints it as it is.
 */
import type { ProviderId } from "@pipeglot/schema";
import type { ProviderOutput } from "../provider.js";

/**
 * queued                nothing has started yet
 * running               something runs
 * waiting-for-approval  an approval gate waits for a decision (approve/reject)
 * succeeded / failed / cancelled   finished
 * held                  a disabled transition (hold) keeps the run before a stage
 * skipped               (stages and jobs only) not run: a condition was false or an earlier stage failed
 */
export type RunState = "queued" | "running" | "waiting-for-approval" | "held" | "succeeded" | "failed" | "cancelled";
export type UnitState = RunState | "skipped";

export const RUN_STATES: readonly RunState[] = ["queued", "running", "waiting-for-approval", "held", "succeeded", "failed", "cancelled"];
export const FINISHED_STATES: readonly RunState[] = ["succeeded", "failed", "cancelled"];
export const isFinished = (s: UnitState): boolean => s === "succeeded" || s === "failed" || s === "cancelled" || s === "skipped";

/** An approval gate before a stage, with what the cloud says about it. */
export interface ApprovalRun {
  state: "pending" | "approved" | "rejected" | "expired";
  /** Who may decide (user names, groups, emails), where the cloud knows them. */
  approvers?: string[];
  instructions?: string;
  /** ISO 8601: when the gate times out, where the cloud knows it. */
  deadline?: string;
  /** Who decided, and what they wrote. */
  decidedBy?: string;
  comment?: string;
}

export interface JobRun {
  /** The definition's job name. */
  name: string;
  state: UnitState;
  /** The provider's name for it (action name, timeline record, step id, build/deploy stage). */
  native?: string;
  /** ISO 8601. */
  startedAt?: string;
  finishedAt?: string;
  /** Why it failed, as the cloud says (never a secret value). */
  message?: string;
}

export interface StageRun {
  /** The definition's stage name. */
  name: string;
  state: UnitState;
  startedAt?: string;
  finishedAt?: string;
  /** The gate before this stage (the definition's `approval:`), when the stage has one. */
  approval?: ApprovalRun;
  /** Set when a disabled transition holds runs before this stage. */
  hold?: { reason?: string };
  jobs: JobRun[];
}

export interface PipelineRun {
  provider: ProviderId;
  pipeline: string;
  /** pipeglot's id of the run: the provider's first run id (what `status RUN` takes). */
  id: string;
  /** Every provider run id this run spans (a cloud may chain several runs, e.g. a build and the deployment it starts). */
  nativeIds: string[];
  /** What started it: "manual", "push", "pull-request", "schedule", or the cloud's word. */
  trigger?: string;
  branch?: string;
  commit?: string;
  state: RunState;
  startedAt?: string;
  finishedAt?: string;
  /** In the definition's order. */
  stages: StageRun[];
}

/** What a run command names: the live pipeline, and the definition's compile output for it when a file was given. */
export interface RunRef {
  /** The live pipeline's name (the definition's `name`, or NAME of `--target P NAME`). */
  pipeline: string;
  /** The definition compiled for this provider: the mapping from native names back to stage and job names. Absent with `--target P NAME`: native names are mapped by the compiler's naming rules alone. */
  output?: ProviderOutput;
}

export interface StartRunOptions {
  branch?: string;
  /** Values of the definition's overridable variables for this run. */
  variables?: Record<string, string>;
}

export interface DecideOptions {
  /** The definition's stage whose approval gate is decided. */
  stage: string;
  decision: "approve" | "reject";
  comment?: string;
  /** The run whose gate is decided; absent: the one run waiting at that stage. */
  run?: string;
}

export interface HoldOptions {
  /** The definition's stage whose inbound transition is disabled (hold) or enabled (release). */
  stage: string;
  hold: boolean;
  /** Required for hold (the cloud records it). */
  reason?: string;
}

/**
 * What a provider does to operate pipelines, with the client its `live.connect` returned. Errors
 * are PipeglotErrors: `not-found` for a missing pipeline, run, stage or pending approval, `auth`
 * for a refused decision, `config` with the alternative for something the cloud cannot do.
 */
export interface ProviderOperate<Client> {
  /** Start a run of the live pipeline. */
  readonly start: (client: Client, ref: RunRef, opts: StartRunOptions) => Promise<PipelineRun>;
  /** A run (by pipeglot's or the provider's id); absent: the latest run. `not-found` when there is none. */
  readonly status: (client: Client, ref: RunRef, run?: string) => Promise<PipelineRun>;
  /** Decide the pending approval before a stage; returns the run after the decision. */
  readonly decide: (client: Client, ref: RunRef, opts: DecideOptions) => Promise<PipelineRun>;
  /** Disable or enable the transition into a stage; `config` error naming the alternative where the cloud cannot hold. */
  readonly hold: (client: Client, ref: RunRef, opts: HoldOptions) => Promise<void>;
}
