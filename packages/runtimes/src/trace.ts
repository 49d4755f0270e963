/**
 * The observable trace of one local run (issue 15): what a pipeline did, per job, in terms that
 * do not depend on the cloud — the neutral stage/job/step names, the commands its steps ran (in
 * --record mode), the values of the variables they read, the files present when each job starts,
 * exit statuses, and the contents of the artifacts it produced. The neutral reference interpreter
 * and every cloud model write this same shape, so that two traces compare field by field.
 */
import type { ProviderId } from "@pipeglot/schema";
import { byText } from "@pipeglot/schema";

export type TraceTarget = "neutral" | ProviderId;
export type Status = "succeeded" | "failed" | "skipped";
export type StageStatus = Status | "rejected" | "held";

/** One command a step ran, as the recorder saw it (record mode only). */
export interface CommandRecord {
  /** argv as the program received it ([0] as invoked: `npm`, `./scripts/deploy.sh`). */
  argv: string[];
  /** The working directory relative to the job's workspace ("." for the workspace itself). */
  cwd: string;
  /** The watched variables (the job's and step's declared env names) that were set, with their values. */
  env: Record<string, string>;
}

export interface StepTrace {
  /** The neutral step id (StepIR.id). */
  id: string;
  status: Status;
  /** The exit status of the step's last attempt (0 when skipped). */
  exit: number;
  /** Attempts made (1 + retries used; 0 when skipped). */
  attempts: number;
  /** Record mode: the commands it ran, in order. Execute mode: []. */
  commands: CommandRecord[];
}

/** path (relative, forward slashes) → sha256 of the content, 16 hex digits. */
export type FileSet = Record<string, string>;

export interface JobTrace {
  /** `<stage>.<job>`, and for a matrix cell `<stage>.<job>[K=V,K2=V2]` with keys sorted. */
  key: string;
  status: Status;
  /** The files in the job's workspace when its first step starts (pipeglot's own scratch files excluded). */
  files: FileSet;
  steps: StepTrace[];
  /** Each artifact the job produced: name → its files. */
  artifacts: Record<string, FileSet>;
}

export interface StageTrace {
  name: string;
  status: StageStatus;
}

export interface Trace {
  target: TraceTarget;
  pipeline: string;
  outcome: "succeeded" | "failed";
  /** In the definition's stage order. */
  stages: StageTrace[];
  /** Sorted by key. */
  jobs: JobTrace[];
  /** What the model could not reproduce on this machine (e.g. container images not used), once each. */
  notes: string[];
}

/** The job key of a matrix cell (or of a job without a matrix when `cell` is undefined). */
export function jobKey(stage: string, job: string, cell?: Record<string, string>): string {
  if (!cell || Object.keys(cell).length === 0) return `${stage}.${job}`;
  const parts = Object.keys(cell)
    .sort()
    .map((k) => `${k}=${cell[k]}`);
  return `${stage}.${job}[${parts.join(",")}]`;
}

/** A trace with its jobs sorted and its notes deduplicated: the form every runner returns. */
export function finishTrace(t: Trace): Trace {
  const jobs = [...t.jobs].sort(byText((x) => x.key));
  return { ...t, jobs, notes: [...new Set(t.notes)].sort() };
}
