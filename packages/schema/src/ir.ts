/**
 * The Pipeline IR: what every compiler reads and every importer writes.
 *
 * It mirrors the document's shape (so a JSON pointer such as /stages/2/jobs/0 names the same thing
 * in both) with every default resolved, every shorthand expanded and every DAG edge explicit.
 * It carries no source positions: diagnostics carry a JSON pointer, and a SourceMap turns the
 * pointer into file:line:col. Two IRs are equal when they describe the same pipeline.
 */
import type { AwsTarget, AzureTarget, GcpTarget, OciTarget } from "./document.js";

export type ProviderId = "aws" | "azure" | "gcp" | "oci";
export const PROVIDER_IDS: readonly ProviderId[] = ["aws", "azure", "gcp", "oci"];

/** Raw provider fragments, merged into that provider's output unchanged. */
export type NativeIR = Partial<Record<ProviderId, Record<string, unknown>>>;

export interface FilterIR {
  include: string[];
  exclude: string[];
}

export interface TriggersIR {
  push?: { branches: FilterIR; tags: FilterIR; paths: FilterIR };
  pullRequest?: { branches: FilterIR; paths: FilterIR; events: PullRequestEvent[] };
  schedules: ScheduleIR[];
  manual: boolean;
}
export type PullRequestEvent = "opened" | "updated" | "reopened" | "closed";
export interface ScheduleIR {
  cron: string;
  branches: string[];
  always: boolean;
}

export interface VariableIR {
  default: string;
  description?: string;
  overridable: boolean;
}

export interface SecretIR {
  description?: string;
  aws?: string;
  azure?: string;
  gcp?: string;
  oci?: string;
}

export type Concurrency = "queue" | "supersede" | "parallel";
export type RunnerSize = "small" | "medium" | "large" | "xlarge";
export type Shell = "bash" | "sh" | "pwsh" | "python";

export interface ConditionIR {
  status: "success" | "failure" | "always";
  branches: string[];
  variables: Record<string, string>;
}

export interface StepIR {
  /** Unique inside its job; from `name`, else `step-<n>` (1-based). */
  id: string;
  name?: string;
  /** The command in the neutral expression syntax (see expressions.ts). Absent for native steps. */
  run?: string;
  shell: Shell;
  workingDirectory?: string;
  env: Record<string, string>;
  timeoutSeconds?: number;
  continueOnError: boolean;
  retries: number;
  condition?: ConditionIR;
  native?: NativeIR;
}

export interface ArtifactIR {
  name: string;
  paths: string[];
}

export interface JobIR {
  /** `<stage>.<job>`: unique in the pipeline. */
  id: string;
  name: string;
  description?: string;
  /** Names of jobs of the same stage (explicit; [] for roots). */
  needs: string[];
  image: string;
  runner: RunnerSize;
  env: Record<string, string>;
  steps: StepIR[];
  produces: ArtifactIR[];
  consumes: string[];
  environment?: string;
  timeoutSeconds?: number;
  retries: number;
  matrix?: Record<string, string[]>;
  condition?: ConditionIR;
  native?: NativeIR;
}

export interface ApprovalIR {
  approvers: string[];
  timeoutSeconds?: number;
  instructions?: string;
  notify: string[];
}

export interface StageIR {
  id: string;
  name: string;
  description?: string;
  /** Names of stages this stage waits for (explicit; [] for roots). */
  needs: string[];
  condition?: ConditionIR;
  approval?: ApprovalIR;
  transition: { enabled: boolean; reason?: string };
  jobs: JobIR[];
  native?: NativeIR;
}

export interface TargetsIR {
  aws?: AwsTarget;
  azure?: AzureTarget;
  gcp?: GcpTarget;
  oci?: OciTarget;
}

export interface PipelineIR {
  version: 1;
  name: string;
  description?: string;
  source: { repository: string; branch: string; provider?: "github" | "gitlab" | "bitbucket" | "azure-repos" | "codecommit" };
  triggers: TriggersIR;
  concurrency: Concurrency;
  variables: Record<string, VariableIR>;
  secrets: Record<string, SecretIR>;
  /** Defaults as written; already applied to every job and step. Kept so that the document can be written back. */
  defaults: { image?: string; runner?: RunnerSize; timeoutSeconds?: number; retries?: number };
  stages: StageIR[];
  targets: TargetsIR;
  native?: NativeIR;
}

/** Image used when neither the job nor defaults name one. */
export const DEFAULT_IMAGE = "ubuntu:22.04";
