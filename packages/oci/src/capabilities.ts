/**
 * How OCI DevOps expresses each neutral feature: one row per FEATURES id. Rows that are emulated
 * or lossy name the diagnostic code the compiler emits when a pipeline uses the feature, so the
 * table and the diagnostics are the same facts.
 */
import type { Capability } from "@pipeglot/core";
import type { FeatureId } from "@pipeglot/core";
import type { OciCode } from "./diagnostics.js";

interface Row extends Capability {
  feature: FeatureId;
  code?: OciCode;
}

export const capabilities: readonly Row[] = [
  { feature: "pipeline.description", support: "native", how: "build pipeline `description`" },
  {
    feature: "source.repository",
    support: "native",
    how: "BUILD stage `buildSourceCollection` (GITHUB/GITLAB/BITBUCKET_CLOUD connection) and trigger `connectionId`",
  },
  { feature: "stages.sequential", support: "native", how: "stage predecessors: the root jobs of a stage follow the last jobs of the stages it needs" },
  { feature: "stages.parallel", support: "native", how: "stage predecessors form a DAG (fan-out and fan-in)" },
  { feature: "jobs.parallel", support: "native", how: "one BUILD stage per job, sharing predecessors" },
  { feature: "jobs.dag", support: "native", how: "BUILD stage predecessors" },
  { feature: "job.image", support: "emulated", how: "runner image is OL7/OL8 only; steps run through `docker run <image>`", code: "PG-OCI-IMAGE-DOCKER-RUN" },
  { feature: "job.runner", support: "native", how: "`buildRunnerShapeConfig` CUSTOM ocpus/memory (SHELL stages: container instance shape config)" },
  { feature: "job.env", support: "native", how: "build spec `env.variables` / `env.vaultVariables`" },
  { feature: "job.timeout", support: "native", how: "build spec `timeoutInSeconds` and stage `stageExecutionTimeoutInSeconds`" },
  { feature: "job.retries", support: "lossy", how: "no automatic stage retry", code: "PG-OCI-JOB-RETRIES" },
  { feature: "job.matrix", support: "emulated", how: "one BUILD stage per combination", code: "PG-OCI-MATRIX-EXPANDED" },
  { feature: "job.environment", support: "lossy", how: "recorded in a freeform tag", code: "PG-OCI-ENVIRONMENT" },
  { feature: "step.shell", support: "emulated", how: "`<shell> -c '<command>'` wrapper", code: "PG-OCI-STEP-WRAPPED" },
  { feature: "step.workingDirectory", support: "emulated", how: "`docker run -w` or `cd` in a wrapper", code: "PG-OCI-STEP-WRAPPED" },
  { feature: "step.env", support: "emulated", how: "`docker run -e` or `env NAME=…` in a wrapper", code: "PG-OCI-STEP-WRAPPED" },
  { feature: "step.timeout", support: "native", how: "step `timeoutInSeconds`" },
  { feature: "step.continueOnError", support: "emulated", how: "`… || { pg_failed=$?; echo …; }`", code: "PG-OCI-CONTINUE-ON-ERROR" },
  { feature: "step.retries", support: "emulated", how: "shell retry loop", code: "PG-OCI-STEP-RETRIES" },
  { feature: "step.native", support: "native", how: "the fragment is merged into the build spec step" },
  {
    feature: "triggers.push.branches",
    support: "native",
    how: "trigger action per branch, `filter.include.headRef`, events PUSH",
    code: "PG-OCI-TRIGGER-WILDCARD",
  },
  { feature: "triggers.push.branches.exclude", support: "lossy", how: "no branch excludes in OCI filters", code: "PG-OCI-BRANCH-EXCLUDE" },
  { feature: "triggers.push.tags", support: "lossy", how: "no tag-push filter", code: "PG-OCI-TRIGGER-TAGS" },
  { feature: "triggers.push.paths", support: "native", how: "`include/exclude.fileFilter.filePaths`" },
  { feature: "triggers.pullRequest", support: "native", how: "PULL_REQUEST_* events, `filter.include.baseRef`" },
  { feature: "triggers.pullRequest.events", support: "lossy", how: "closed → PULL_REQUEST_MERGED", code: "PG-OCI-PR-CLOSED" },
  { feature: "triggers.schedule", support: "lossy", how: "no schedule triggers", code: "PG-OCI-SCHEDULE" },
  { feature: "triggers.manualOnly", support: "native", how: "no trigger files; runs are started with CreateBuildRun" },
  { feature: "concurrency", support: "lossy", how: "no queue/supersede setting", code: "PG-OCI-CONCURRENCY" },
  { feature: "variables", support: "native", how: "`buildPipelineParameters` (and deploy pipeline parameters), used as `${NAME}`" },
  { feature: "variables.overridable", support: "native", how: "parameters can be set at run start" },
  { feature: "secrets", support: "native", how: "build spec `env.vaultVariables` (vault secret OCID)" },
  {
    feature: "artifacts",
    support: "emulated",
    how: "tgz `outputArtifacts` + `STAGE_ARTIFACT` inputs; across an approval DELIVER_ARTIFACT to Artifact Registry",
    code: "PG-OCI-ARTIFACT-ARCHIVE",
  },
  {
    feature: "approval",
    support: "emulated",
    how: "deploy pipeline MANUAL_APPROVAL stage started by TRIGGER_DEPLOYMENT_PIPELINE",
    code: "PG-OCI-APPROVAL-DEPLOY-PIPELINE",
  },
  { feature: "approval.approvers", support: "lossy", how: "IAM policy; recorded in a tag", code: "PG-OCI-APPROVAL-APPROVERS" },
  { feature: "approval.timeout", support: "lossy", how: "recorded in a tag", code: "PG-OCI-APPROVAL-TIMEOUT" },
  { feature: "approval.instructions", support: "native", how: "MANUAL_APPROVAL stage `description`" },
  { feature: "approval.notify", support: "lossy", how: "recorded in a tag", code: "PG-OCI-APPROVAL-NOTIFY" },
  { feature: "transition.disabled", support: "emulated", how: "MANUAL_APPROVAL stage; the reason is its description", code: "PG-OCI-DISABLED-TRANSITION" },
  { feature: "condition.status", support: "lossy", how: "no failure/always stages or steps", code: "PG-OCI-CONDITION-STATUS" },
  { feature: "condition.branches", support: "emulated", how: "shell guard on the branch that triggered the run", code: "PG-OCI-CONDITION-GUARD" },
  { feature: "condition.variables", support: "emulated", how: "shell guard on the parameter values", code: "PG-OCI-CONDITION-GUARD" },
  { feature: "native", support: "native", how: "`native.oci` fragments are merged into the build pipeline, stage and build spec" },
];
