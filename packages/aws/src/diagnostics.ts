/**
 * Every diagnostic code the AWS provider emits, in one table. The capability table
 * (capabilities.ts) names these codes; the README lists them; a test checks all three agree.
 */
import type { CodeInfo } from "@pipeglot/schema";

export const CODES = {
  // ── compile ──────────────────────────────────────────────────────────────
  "PG-AWS-STAGE-SERIALIZED": {
    severity: "warning",
    summary: "CodePipeline runs stages strictly in sequence: a stage DAG (`needs`) is serialized in topological order.",
  },
  "PG-AWS-JOB-DAG-COARSENED": { severity: "warning", summary: "Jobs become runOrder layers: a job also waits for jobs of earlier layers it does not need." },
  "PG-AWS-APPROVERS": { severity: "warning", summary: "Named approvers cannot be set on a manual approval action (who may approve is an IAM permission)." },
  "PG-AWS-APPROVAL-NOTIFY": { severity: "warning", summary: "Approval notifications go to one SNS topic (NotificationArn); other notify targets are dropped." },
  "PG-AWS-APPROVAL-TIMEOUT": { severity: "warning", summary: "An approval timeout is rounded up to whole minutes and kept within 5..86400 minutes." },
  "PG-AWS-SCHEDULE": {
    severity: "warning",
    summary: "Scheduled runs are not part of a pipeline declaration (they need an EventBridge rule); the schedule is dropped.",
  },
  "PG-AWS-CONDITION": {
    severity: "warning",
    summary: "A stage/job/step condition on branches or variables, or a stage/job status condition, has no CodePipeline equivalent; it is dropped.",
  },
  "PG-AWS-STEP-FAILURE-ONLY": {
    severity: "info",
    summary: "A step that runs only on failure is emulated in the buildspec `finally` block, guarded by CODEBUILD_BUILD_SUCCEEDING.",
  },
  "PG-AWS-STEP-ORDER": {
    severity: "warning",
    summary: "Steps that always run are placed in a phase's `finally` block; steps after them move to the next phase.",
  },
  "PG-AWS-STEP-EMULATED": {
    severity: "info",
    summary: "Per-step env, working directory, shell, timeout, retries or continue-on-error are emulated with a shell wrapper around the command.",
  },
  "PG-AWS-DESCRIPTION": {
    severity: "info",
    summary: "CodePipeline has no description field: the pipeline description is kept in the `pipeglot:description` tag; stage descriptions are dropped.",
  },
  "PG-AWS-TARGET-PLACEHOLDER": {
    severity: "warning",
    summary: "A target setting (roleArn, artifactBucket, connectionArn) is missing, or is not valid on AWS: a clearly marked placeholder is written instead.",
  },
  "PG-AWS-CFN-REFERENCE": {
    severity: "warning",
    summary:
      "A CloudFormation reference kept from an imported template (`${Role.Arn}`, `${Bucket}`) has no value outside a stack: pipeline.json gets a marked placeholder, cloudformation.yaml a parameter (or `!Sub` for pseudo parameters).",
  },
  "PG-AWS-TIMEOUT-ADJUSTED": { severity: "warning", summary: "A job timeout is rounded up to whole minutes and kept within CodeBuild's 5..2160 minutes." },
  "PG-AWS-MANUAL": { severity: "info", summary: "A CodePipeline run can always be started by hand; `manual: false` is not enforced." },
  "PG-AWS-PR-EVENTS": { severity: "info", summary: "CodePipeline has OPEN, UPDATED and CLOSED pull-request events: `opened` and `reopened` both map to OPEN." },
  "PG-AWS-VARIABLE-FIXED": {
    severity: "info",
    summary: "Every CodePipeline variable can be overridden when a run starts; non-overridable variables are listed in the `pipeglot:fixed-variables` tag.",
  },
  "PG-AWS-SECRET-NO-REF": { severity: "warning", summary: "A secret is used but has no `aws` reference; it is not injected." },
  "PG-AWS-SECRET-REF": {
    severity: "warning",
    summary: "An `aws` secret reference that is neither `secretsmanager:<id>` nor `ssm:<parameter>`; it is read as a Secrets Manager id.",
  },
  "PG-AWS-ENV-UNSUPPORTED": {
    severity: "warning",
    summary: "An env value that mixes a secret with other text, or uses a matrix value, cannot be expressed exactly; it is written as its closest form.",
  },
  "PG-AWS-ENVIRONMENT": {
    severity: "info",
    summary: "A job's deployment environment has no generic CodePipeline object: it is kept in the `pipeglot:environment` project tag.",
  },
  "PG-AWS-NAME-CHANGED": { severity: "info", summary: "A name was changed to fit AWS's name rules (artifact names allow only letters, digits, '-' and '_')." },
  "PG-AWS-LIMIT": {
    severity: "error",
    summary: "The pipeline exceeds a CodePipeline/CodeBuild limit (stages, actions, artifacts per action, configuration size).",
  },
  "PG-AWS-NOT-TRANSLATED": {
    severity: "warning",
    summary:
      "A step with only another provider's `native` has nothing CodeBuild can run: a command that fails with a message saying so is written in its place (it was dropped without a word before).",
  },
  "PG-AWS-NATIVE-KEY": { severity: "warning", summary: "A job-level `native.aws` key other than `action`, `project` or `buildspec`; it is ignored." },
  "PG-AWS-TRANSITION-REASON": {
    severity: "warning",
    summary: "A disabled-transition reason with characters DisableStageTransition refuses, or longer than 300; it is cleaned.",
  },
  "PG-AWS-TRANSITION-ENABLED-REASON": { severity: "info", summary: "A reason on an enabled transition has nowhere to go in CodePipeline; it is dropped." },
  "PG-AWS-FILTER-LIMIT": { severity: "warning", summary: "A trigger filter with more than 8 patterns (CodePipeline's limit); the extra patterns are dropped." },
  "PG-AWS-SOURCE-PROVIDER": {
    severity: "info",
    summary: "source.provider is kept in the `pipeglot:source-provider` tag (a CodeStar connection serves GitHub, GitLab and Bitbucket alike).",
  },
  "PG-AWS-PRIVILEGED": { severity: "info", summary: "A job runs docker: its CodeBuild project gets privilegedMode." },
  // ── import ───────────────────────────────────────────────────────────────
  "PG-AWS-IMPORT-PARSE": { severity: "error", summary: "The file does not parse as JSON or YAML." },
  "PG-AWS-IMPORT-DUPLICATE-KEY": {
    severity: "error",
    summary:
      "A mapping (JSON object) in a native file, or in an inline buildspec, holds the same key twice; the message names both positions. A reviewer may read the first value while the last one would be imported, so the file is not imported.",
  },
  "PG-AWS-IMPORT-REPAIRED": {
    severity: "warning",
    summary: "JSON members without the enclosing braces (a partial copy of CLI output) were read as one object.",
  },
  "PG-AWS-IMPORT-FORMAT": { severity: "error", summary: "The files hold no CodePipeline declaration, CloudFormation pipeline or buildspec." },
  "PG-AWS-IMPORT-INTRINSIC": {
    severity: "warning",
    summary: "A CloudFormation intrinsic (!Ref, !Sub, !GetAtt, !If, ...) that cannot be resolved statically; it is kept as `${...}` text.",
  },
  "PG-AWS-IMPORT-NATIVE-ACTION": {
    severity: "warning",
    summary: "An action type with no neutral equivalent (deploy, invoke, ...) is kept as a job-level `native.aws.action` block.",
  },
  "PG-AWS-IMPORT-PROJECT-MISSING": {
    severity: "warning",
    summary: "A CodeBuild action whose project (or its inline buildspec) was not given: the job has no steps and keeps the action as `native.aws`.",
  },
  "PG-AWS-IMPORT-SOURCE": {
    severity: "warning",
    summary: "A source that is not a CodeStar connection or CodeCommit (GitHub v1, S3, ECR), or more than one source; the first one gives the repository.",
  },
  "PG-AWS-IMPORT-BUILDSPEC-KEY": {
    severity: "warning",
    summary: "Buildspec keys with no neutral equivalent (reports, cache, batch, runtime-versions, exported-variables, ...) are kept as `native.aws.buildspec`.",
  },
  "PG-AWS-IMPORT-STAGE-NATIVE": { severity: "warning", summary: "Stage conditions, rollback and retry settings are kept as a stage-level `native.aws` block." },
  "PG-AWS-IMPORT-APPROVAL": {
    severity: "info",
    summary: "A manual approval becomes the approval of the stage that follows it (approval-only stages are merged into the next stage).",
  },
  "PG-AWS-IMPORT-STEP-EDITED": {
    severity: "warning",
    summary: "A buildspec command no longer matches the step options recorded by pipeglot; it is imported as a plain step.",
  },
  "PG-AWS-IMPORT-NAME": { severity: "warning", summary: "A native name that the neutral format does not allow was changed." },
  "PG-AWS-IMPORT-LOSSY": { severity: "warning", summary: "A native setting with no neutral equivalent was dropped (named in the message)." },
} as const satisfies Record<string, CodeInfo>;

export type AwsCode = keyof typeof CODES;
