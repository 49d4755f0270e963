/**
 * How AWS CodePipeline (V2) + CodeBuild expresses each neutral feature: one row per FEATURES id.
 * The `code` of every emulated/lossy row is the diagnostic compile emits when a pipeline uses it.
 */
import type { Capability } from "@pipeglot/core";
import type { FeatureId } from "@pipeglot/core";
import type { AwsCode } from "./diagnostics.js";

interface Row extends Capability {
  feature: FeatureId;
  code?: AwsCode;
}

export const capabilities: readonly Row[] = [
  { feature: "pipeline.description", support: "lossy", how: "no description field; kept in the pipeglot:description tag", code: "PG-AWS-DESCRIPTION" },
  {
    feature: "source.repository",
    support: "native",
    how: "first stage: CodeStarSourceConnection action (FullRepositoryId, BranchName); CodeCommit for provider codecommit",
  },
  { feature: "stages.sequential", support: "native", how: "one CodePipeline stage per neutral stage, after the Source stage" },
  { feature: "stages.parallel", support: "lossy", how: "stages are serialized in topological order", code: "PG-AWS-STAGE-SERIALIZED" },
  { feature: "jobs.parallel", support: "native", how: "one CodeBuild action per job, same runOrder" },
  { feature: "jobs.dag", support: "emulated", how: "runOrder layers (longest path); extra waits are reported", code: "PG-AWS-JOB-DAG-COARSENED" },
  { feature: "job.image", support: "native", how: "CodeBuild project environment.image" },
  { feature: "job.runner", support: "native", how: "environment.computeType BUILD_GENERAL1_SMALL/MEDIUM/LARGE/XLARGE" },
  {
    feature: "job.env",
    support: "native",
    how: "buildspec env.variables / secrets-manager / parameter-store; values with variables go to the action's EnvironmentVariables (#{variables.X})",
  },
  { feature: "job.timeout", support: "native", how: "project timeoutInMinutes (5..2160, rounded up)", code: "PG-AWS-TIMEOUT-ADJUSTED" },
  { feature: "job.retries", support: "native", how: "project autoRetryLimit" },
  { feature: "job.matrix", support: "emulated", how: "one CodeBuild project and action per matrix cell" },
  { feature: "job.environment", support: "lossy", how: "kept in the pipeglot:environment project tag only", code: "PG-AWS-ENVIRONMENT" },
  { feature: "step.shell", support: "emulated", how: "shell wrapper (sh -c, pwsh -Command, python3 -c)", code: "PG-AWS-STEP-EMULATED" },
  { feature: "step.workingDirectory", support: "emulated", how: "shell wrapper (cd DIR && ...)", code: "PG-AWS-STEP-EMULATED" },
  { feature: "step.env", support: "emulated", how: "shell wrapper (export K=V && ...)", code: "PG-AWS-STEP-EMULATED" },
  { feature: "step.timeout", support: "emulated", how: "shell wrapper (timeout N ...)", code: "PG-AWS-STEP-EMULATED" },
  {
    feature: "step.continueOnError",
    support: "emulated",
    how: "shell wrapper (pg_exit=0; ... || pg_exit=$?: the command succeeds, pg_exit keeps the real exit)",
    code: "PG-AWS-STEP-EMULATED",
  },
  {
    feature: "step.retries",
    support: "emulated",
    how: "shell wrapper (a retry loop ending with the last attempt's exit status)",
    code: "PG-AWS-STEP-EMULATED",
  },
  { feature: "step.native", support: "native", how: "step-level native.aws merges into the job's buildspec" },
  { feature: "triggers.push.branches", support: "native", how: "V2 trigger push[].branches.includes" },
  { feature: "triggers.push.branches.exclude", support: "native", how: "V2 trigger push[].branches.excludes" },
  { feature: "triggers.push.tags", support: "native", how: "V2 trigger push[].tags (a separate push filter)" },
  { feature: "triggers.push.paths", support: "native", how: "V2 trigger filePaths includes/excludes (at most 8 each)", code: "PG-AWS-FILTER-LIMIT" },
  { feature: "triggers.pullRequest", support: "native", how: "V2 trigger pullRequest[] (branches, filePaths, events)" },
  { feature: "triggers.pullRequest.events", support: "emulated", how: "OPEN / UPDATED / CLOSED; opened and reopened share OPEN", code: "PG-AWS-PR-EVENTS" },
  { feature: "triggers.schedule", support: "lossy", how: "needs an EventBridge rule outside the declaration", code: "PG-AWS-SCHEDULE" },
  { feature: "triggers.manualOnly", support: "native", how: "no triggers and DetectChanges=false on the source action" },
  { feature: "concurrency", support: "native", how: "executionMode QUEUED / SUPERSEDED / PARALLEL" },
  { feature: "variables", support: "native", how: "V2 pipeline variables, passed to actions as #{variables.X}" },
  {
    feature: "variables.overridable",
    support: "emulated",
    how: "every CodePipeline variable is overridable; fixed ones are listed in a tag",
    code: "PG-AWS-VARIABLE-FIXED",
  },
  { feature: "secrets", support: "native", how: "buildspec env.secrets-manager (secretsmanager:) or env.parameter-store (ssm:)", code: "PG-AWS-SECRET-NO-REF" },
  {
    feature: "artifacts",
    support: "native",
    how: "action input/output artifacts + buildspec artifacts (secondary-artifacts when several); a first command copies each secondary input into CODEBUILD_SRC_DIR",
  },
  { feature: "approval", support: "native", how: "Approval/AWS/Manual action at runOrder 1 of the gated stage" },
  { feature: "approval.approvers", support: "lossy", how: "who may approve is an IAM permission, not part of the declaration", code: "PG-AWS-APPROVERS" },
  { feature: "approval.timeout", support: "native", how: "approval action timeoutInMinutes (5..86400)", code: "PG-AWS-APPROVAL-TIMEOUT" },
  { feature: "approval.instructions", support: "native", how: "approval configuration CustomData" },
  {
    feature: "approval.notify",
    support: "emulated",
    how: "one SNS topic in NotificationArn (an SNS ARN from notify, or targets.aws.notificationArn)",
    code: "PG-AWS-APPROVAL-NOTIFY",
  },
  {
    feature: "transition.disabled",
    support: "native",
    how: "transitions.json (DisableStageTransition after create) and CloudFormation DisableInboundStageTransitions",
  },
  {
    feature: "condition.status",
    support: "emulated",
    how: "steps that always run → buildspec finally; on-failure steps → finally + CODEBUILD_BUILD_SUCCEEDING guard; stage/job status conditions are dropped",
    code: "PG-AWS-CONDITION",
  },
  {
    feature: "condition.branches",
    support: "lossy",
    how: "steps: a shell guard on PIPEGLOT_BRANCH; no branch predicates on stages or actions (dropped)",
    code: "PG-AWS-CONDITION",
  },
  {
    feature: "condition.variables",
    support: "lossy",
    how: "steps: a shell guard on the injected variables; no variable predicates on stages or actions (VariableCheck rules are not generated)",
    code: "PG-AWS-CONDITION",
  },
  {
    feature: "native",
    support: "native",
    how: "pipeline → PipelineDeclaration, stage → StageDeclaration, job → {action, project, buildspec}, step → buildspec",
  },
];
