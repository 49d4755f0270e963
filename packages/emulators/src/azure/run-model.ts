/**
 * Simulated pipeline runs (builds) of the Azure DevOps emulator: what a run is made of, as the
 * emulator keeps it. The wire shapes (Run, Build, Timeline, Approval) are made from it in
 * runs.ts, timeline.ts and approvals.ts; run-advance.ts moves it along the emulator's clock.
 */

import type { PlannedJob, PlannedStage } from "./run-plan.js";

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

/** A planned job as it runs. */
export interface RunJob extends Progress, PlannedJob {
  /** The step that failed, when one did. */
  failedStep?: string;
  /** Record ids: the Phase and the Job record. */
  phaseId: string;
  jobId: string;
}

/** A planned stage as it runs. */
export interface RunStage extends Progress, Omit<PlannedStage, "jobs"> {
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
