/**
 * Every diagnostic code @pipeglot/oci emits, with its severity and meaning. The capability table
 * (capabilities.ts) names these codes; the README's table is written from this one.
 * No code string appears anywhere else in the package.
 */
import type { CodeInfo } from "@pipeglot/schema";

export const CODES = {
  // ── compile: emulated mappings ────────────────────────────────────────────────────────────────
  "PG-OCI-IMAGE-DOCKER-RUN": {
    severity: "warning",
    summary:
      "The managed build runner image is fixed (OL7/OL8); each step runs in the job's image through `docker run … <shell> -c '<command>'` on the runner.",
  },
  "PG-OCI-APPROVAL-DEPLOY-PIPELINE": {
    severity: "warning",
    summary:
      "Manual approvals exist only in deploy pipelines: the build pipeline runs the jobs before the gate, then a TRIGGER_DEPLOYMENT_PIPELINE stage starts a deploy pipeline with a MANUAL_APPROVAL stage and the later jobs as SHELL stages.",
  },
  "PG-OCI-DISABLED-TRANSITION": {
    severity: "warning",
    summary:
      "OCI has no disabled transition: it is approximated by a MANUAL_APPROVAL deploy stage (someone approves to let runs through); the reason becomes its description.",
  },
  "PG-OCI-DEPLOY-NO-SOURCE": {
    severity: "warning",
    summary: "A job after an approval runs as a deploy-pipeline SHELL stage: it has no source checkout, only the artifacts it consumes.",
  },
  "PG-OCI-SHELL-IMAGE": {
    severity: "warning",
    summary: "A deploy-pipeline SHELL stage runs on an OCI-provided container instance: the job's image cannot be chosen (recorded in a tag).",
  },
  "PG-OCI-ARTIFACT-DELIVER": {
    severity: "warning",
    summary:
      "An artifact used after an approval is delivered to Artifact Registry (DELIVER_ARTIFACT stage, GENERIC_FILE deploy artifact); the repository id `${artifactRepository.id}` is resolved at apply time.",
  },
  "PG-OCI-ARTIFACT-ARCHIVE": {
    severity: "info",
    summary:
      "Artifact paths are globs; OCI output artifacts are single files, so each artifact is packed into a .tgz by a generated step and unpacked by the consumers.",
  },
  "PG-OCI-STEP-WRAPPED": {
    severity: "info",
    summary:
      "Step env, working directory or shell have no field in a build spec step: the step runs through a generated wrapper (the command text stays the exact quoted argument).",
  },
  "PG-OCI-STEP-RETRIES": {
    severity: "info",
    summary: "Step retries are emulated with a shell retry loop around the step (its status is the last attempt's; `pg_try` counts the attempts).",
  },
  "PG-OCI-CONTINUE-ON-ERROR": {
    severity: "info",
    summary:
      "continueOnError is emulated with `… || { pg_failed=$?; echo … }` around the step: the OCI step succeeds, its log and `pg_failed` keep the command's real exit status.",
  },
  "PG-OCI-CONDITION-GUARD": {
    severity: "warning",
    summary:
      "OCI stages and steps have no conditions: branch and variable conditions become a shell guard around each step (the OCI stage still runs and succeeds).",
  },
  "PG-OCI-MATRIX-EXPANDED": {
    severity: "info",
    summary: "A matrix job becomes one BUILD stage per combination; matrix values are build spec variables PG_MATRIX_<name>.",
  },
  // ── compile: lossy mappings ───────────────────────────────────────────────────────────────────
  "PG-OCI-APPROVAL-APPROVERS": {
    severity: "warning",
    summary: "Who may approve is an IAM policy in OCI, not part of the deploy stage: approvers are only recorded in a tag.",
  },
  "PG-OCI-APPROVAL-TIMEOUT": { severity: "warning", summary: "A MANUAL_APPROVAL stage has no timeout: the approval timeout is only recorded in a tag." },
  "PG-OCI-APPROVAL-NOTIFY": {
    severity: "warning",
    summary: "Approval notifications are OCI Notifications topics on the project, outside the pipeline: recipients are only recorded in a tag.",
  },
  "PG-OCI-CONDITION-STATUS": {
    severity: "warning",
    summary: "OCI cannot run a stage or step only on failure or always: the status condition is dropped (it runs after success only).",
  },
  "PG-OCI-JOB-RETRIES": { severity: "warning", summary: "OCI build stages are not retried automatically: job retries are dropped." },
  "PG-OCI-TRIGGER-TAGS": { severity: "warning", summary: "OCI triggers filter branches, not tag pushes: the tag filter is dropped." },
  "PG-OCI-BRANCH-EXCLUDE": {
    severity: "warning",
    summary: "OCI trigger filters have no branch excludes (only file excludes): the branch excludes are dropped.",
  },
  "PG-OCI-TRIGGER-WILDCARD": {
    severity: "info",
    summary: "A branch glob in a trigger filter (headRef/baseRef); whether OCI accepts wildcards there is unverified.",
  },
  "PG-OCI-PR-CLOSED": {
    severity: "warning",
    summary: "OCI has no pull-request-closed event: `closed` is mapped to PULL_REQUEST_MERGED (closed without merging no longer triggers).",
  },
  "PG-OCI-PR-EVENT": { severity: "warning", summary: "A pull-request event the source's OCI trigger type does not offer is dropped." },
  "PG-OCI-SCHEDULE": {
    severity: "warning",
    summary: "OCI DevOps has no scheduled triggers: the schedule is dropped (use an external scheduler that calls CreateBuildRun).",
  },
  "PG-OCI-MANUAL-ONLY": { severity: "info", summary: "OCI build pipelines can always be started by hand: `manual: false` cannot be enforced." },
  "PG-OCI-CONCURRENCY": {
    severity: "warning",
    summary: "OCI starts one build run per event and has no queue or supersede setting: the concurrency mode is dropped.",
  },
  "PG-OCI-VARIABLE-FIXED": {
    severity: "info",
    summary: "Build pipeline parameters can always be set when a run starts: a non-overridable variable becomes a parameter (marked fixed only in a tag).",
  },
  "PG-OCI-ENVIRONMENT": {
    severity: "info",
    summary: "A generic deployment environment name has no OCI object (OCI environments are OKE, Functions or instance groups): it is recorded in a tag.",
  },
  "PG-OCI-STAGE-DESCRIPTION": {
    severity: "warning",
    summary: "Neutral stages have no OCI object (each job is an OCI stage): the stage description is dropped.",
  },
  // ── compile: names, references, settings ──────────────────────────────────────────────────────
  "PG-OCI-NAME-SANITIZED": {
    severity: "info",
    summary: "A name was changed to fit OCI's rules (parameter names ^[a-zA-Z][a-zA-Z_0-9]*$, resource names) or to stay unique.",
  },
  "PG-OCI-NOT-TRANSLATED": {
    severity: "warning",
    summary:
      "A step with only another provider's `native` (or a job with no steps at all) has no OCI translation: a step that fails with a message saying so is written, since OCI rejects an empty or missing command.",
  },
  "PG-OCI-SECRET-NO-REF": {
    severity: "warning",
    summary:
      "A secret used by a job has no `oci` reference (a vault secret OCID): the placeholder `${secret.<NAME>.oci}` is written in vaultVariables, and the run fails to read it until the reference is set.",
  },
  "PG-OCI-TARGET-MISSING": {
    severity: "warning",
    summary: "A setting OCI needs (targets.oci.projectId, connectionId, subnetId) is missing: a symbolic reference is written for apply to resolve.",
  },
  "PG-OCI-SOURCE-ASSUMED": { severity: "info", summary: "source.provider is not set: the repository is assumed to be on GitHub (connection type GITHUB)." },
  "PG-OCI-SOURCE-UNSUPPORTED": {
    severity: "warning",
    summary: "OCI DevOps cannot build from this source provider through an external connection: GITHUB is written instead.",
  },
  // ── import ────────────────────────────────────────────────────────────────────────────────────
  "PG-OCI-IMPORT-PARSE": { severity: "error", summary: "A file does not parse as YAML or JSON." },
  "PG-OCI-IMPORT-DUPLICATE-KEY": {
    severity: "error",
    summary:
      "A mapping (JSON object) in a build spec or resource file holds the same key twice; the message names both positions. A reviewer may read the first value while the last one would be imported, so nothing is imported.",
  },
  "PG-OCI-IMPORT-UNKNOWN-FILE": {
    severity: "warning",
    summary: "A file is neither a build spec nor an OCI DevOps resource (CLI output or request details); it is ignored.",
  },
  "PG-OCI-IMPORT-NO-PIPELINE": { severity: "error", summary: "Nothing in the files describes a pipeline (no build spec and no build stage)." },
  "PG-OCI-IMPORT-UNSUPPORTED-KEY": { severity: "warning", summary: "A build spec or resource key with no neutral equivalent is ignored." },
  "PG-OCI-IMPORT-NATIVE-STEP": {
    severity: "warning",
    summary:
      "A step of another type than Command (VulnerabilityAudit, …) has no neutral equivalent: it is kept as written in a native.oci step (compiled back to OCI as is; other providers write a step that fails with a message).",
  },
  "PG-OCI-IMPORT-ON-FAILURE": {
    severity: "warning",
    summary: "A step's onFailure commands become a following step with `condition: failure` (it runs when any earlier step failed, not only this one).",
  },
  "PG-OCI-IMPORT-INPUT-ARTIFACT": {
    severity: "warning",
    summary: "An input artifact that is not the output of an earlier stage (URL, GENERIC_ARTIFACT) becomes a download step or is dropped.",
  },
  "PG-OCI-IMPORT-OUTPUT-ARTIFACT": {
    severity: "warning",
    summary: "An output artifact that is not a file (DOCKER_IMAGE) has no neutral equivalent and is dropped.",
  },
  "PG-OCI-IMPORT-ARTIFACT-PATH": {
    severity: "info",
    summary:
      "An output artifact location under ${OCI_PRIMARY_SOURCE_DIR} or ${OCI_WORKSPACE_DIR} became a path relative to the source checkout (`x`, `../x`): artifact paths are data, a variable in one would not expand.",
  },
  "PG-OCI-IMPORT-EXPORTED-VARIABLES": {
    severity: "warning",
    summary: "Exported variables (values passed to later stages) have no neutral equivalent and are dropped; the commands that set them are kept.",
  },
  "PG-OCI-IMPORT-STAGE-TYPE": {
    severity: "warning",
    summary: "A build or deploy stage type with no neutral equivalent (WAIT, DELIVER_ARTIFACT, OKE deployments…) is dropped; the DAG around it is kept.",
  },
  "PG-OCI-IMPORT-BUILD-SPEC-MISSING": {
    severity: "warning",
    summary: "A BUILD stage names a build spec that is not among the files: the job is imported without steps (a native step keeps the reference).",
  },
  "PG-OCI-IMPORT-NAME": { severity: "info", summary: "A native name is not a valid neutral name and was changed." },
} as const satisfies Record<string, CodeInfo>;

export type OciCode = keyof typeof CODES;
