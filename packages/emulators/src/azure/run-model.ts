/**
 * Simulated pipeline runs (builds) of the Azure DevOps emulator: what a run is made of, as the
 * emulator keeps it. The wire shapes (Run, Build, Timeline, Approval) are made from it in
 * runs.ts, timeline.ts and approvals.ts; run-advance.ts moves it along the emulator's clock.
 */

export type RecordState = "pending" | "inProgress" | "completed";
export type RecordResult = "succeeded" | "failed" | "canceled" | "skipped";

/** One unit's progress, as a timeline record says it. */
export interface Progress {
  state: RecordState;
  result?: RecordResult;
  /** ms of the emulator clock. */
  start?: number;
  finish?: number;
}

export interface RunJob extends Progress {
  /** The job id in the YAML (`job:` / `deployment:`). */
  ref: string;
  /** displayName, else the id. */
  name: string;
  dependsOn: string[];
  /** A deployment job's environment. */
  environment?: string;
  /** Step names (name, displayName, task or script kind), in order. */
  steps: string[];
  /** An agentless job running ManualValidation: waits for someone (no REST API decides it). */
  manualValidation?: { timeoutMinutes: number };
  /** The step that failed, when one did. */
  failedStep?: string;
  /** Record ids: the Phase and the Job record. */
  phaseId: string;
  jobId: string;
}

export interface RunStage extends Progress {
  ref: string;
  name: string;
  dependsOn: string[];
  /** `trigger: manual`: the stage waits for someone to start it. */
  manual: boolean;
  jobs: RunJob[];
  recordId: string;
  /** The Checkpoint record of the stage's checks, when it has any. */
  checkpointId?: string;
  /** Approvals (ids) the stage's environment checks created. */
  approvals: string[];
}

export type ApprovalStatus = "pending" | "approved" | "rejected" | "canceled" | "timedOut";

export interface RunApproval {
  id: string;
  buildId: number;
  stageRef: string;
  checkId: number;
  status: ApprovalStatus;
  createdOn: number;
  lastModifiedOn: number;
  instructions?: string;
  minRequiredApprovers: number;
  approvers: { id: string; displayName: string }[];
  requesterCannotBeApprover: boolean;
  timeoutMinutes: number;
  comment?: string;
  decidedOn?: number;
}

export interface Run {
  id: number;
  definitionId: number;
  definitionName: string;
  buildNumber: string;
  status: "notStarted" | "inProgress" | "completed";
  result?: "succeeded" | "failed" | "canceled";
  queueTime: number;
  startTime?: number;
  finishTime?: number;
  reason: "manual";
  sourceBranch: string;
  sourceVersion: string;
  repositoryId: string;
  templateParameters: Record<string, string>;
  variables: Record<string, { value: string; isSecret?: boolean }>;
  stages: RunStage[];
  /** ms of the emulator clock up to which the run has been simulated. */
  t: number;
  timelineId: string;
  planId: string;
}

/** How runs are simulated (the emulators' RunSimulation). */
export interface RunOptions {
  stepMs: number;
  failSteps: readonly string[];
}
