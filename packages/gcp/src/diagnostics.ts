/**
 * Every diagnostic code the Cloud Build provider emits: severity and meaning. The capability table
 * (capabilities.ts) points at these codes; README.md lists them. No code string is written elsewhere.
 */
import type { CodeInfo } from "@pipeglot/schema";

export const CODES = {
  // compile: structure
  "PG-GCB-STAGES-FLATTENED": {
    severity: "info",
    summary: "Cloud Build has no stages: stages and jobs became steps with ids stage__job__step and waitFor edges that keep the whole DAG.",
  },
  "PG-GCB-ID-SEPARATOR": {
    severity: "warning",
    summary: "A stage, job or step name contains `__`, the separator of pipeglot step ids; import may split it differently.",
  },
  "PG-GCB-STEP-LIMIT": { severity: "warning", summary: "A build has more than 300 steps, Cloud Build's limit." },
  "PG-GCB-ARG-LIMIT": {
    severity: "error",
    summary:
      'A step argument (the command, or the wrapper script around it) is over 10,000 characters: Cloud Build refuses the build ("build step arg too long (max: 10000)"). Put long scripts in a file of the repository.',
  },
  "PG-GCB-MATRIX": { severity: "info", summary: "A matrix job was expanded into one chain of steps per combination." },
  "PG-GCB-DESCRIPTION": { severity: "warning", summary: "A stage or job description has no place in a build and is dropped." },
  "PG-GCB-RUNNER": {
    severity: "warning",
    summary: "Runner sizes are per build (options.machineType): the largest size of the build's jobs is used; medium rounds up.",
  },
  "PG-GCB-ENVIRONMENT": { severity: "warning", summary: "A deployment environment has no Cloud Build equivalent and is dropped (deploy with builder steps)." },
  "PG-GCB-SHELL": { severity: "info", summary: "A step shell other than bash runs through the step entrypoint; the job image must provide it." },
  "PG-GCB-NATIVE-INVALID": {
    severity: "error",
    summary: 'A native.gcp fragment would change the type of a field Cloud Build reads (e.g. `steps: "x"`, `args: 1`): it is left out, and compile exits 1.',
  },
  "PG-GCB-NATIVE": {
    severity: "info",
    summary: "A native.gcp fragment was merged into the output as written (only the types of the fields Cloud Build reads are checked: PG-GCB-NATIVE-INVALID).",
  },
  "PG-GCB-NOT-TRANSLATED": {
    severity: "warning",
    summary:
      "A step with only another provider's `native` (or a job with no steps) has nothing Cloud Build can run: a step that fails with a message saying so is written (a bare step would silently run the image's default command).",
  },
  "PG-GCB-SOURCE": {
    severity: "warning",
    summary: "The repository is not on GitHub and no targets.gcp.connection names a 2nd-gen connection: the trigger assumes GitHub.",
  },
  // compile: flow control
  "PG-GCB-APPROVAL-SPLIT": {
    severity: "warning",
    summary:
      "An approval splits the pipeline into chained triggers; the gated trigger has approvalConfig.approvalRequired (approvers are whoever holds roles/cloudbuild.builds.approver).",
  },
  "PG-GCB-APPROVERS": {
    severity: "warning",
    summary: "Named approvers cannot be set on a trigger (grant roles/cloudbuild.builds.approver instead); they are dropped.",
  },
  "PG-GCB-APPROVAL-TIMEOUT": { severity: "warning", summary: "Cloud Build approvals do not time out; the approval timeout is dropped." },
  "PG-GCB-APPROVAL-NOTIFY": { severity: "warning", summary: "Approval notifications are not part of a trigger (use Pub/Sub build notifications); dropped." },
  "PG-GCB-DISABLED-TRANSITION": {
    severity: "warning",
    summary: "A disabled transition splits the pipeline; the downstream trigger is created disabled and the reason becomes its description.",
  },
  "PG-GCB-ARTIFACT-GCS": {
    severity: "info",
    summary: "Artifacts that cross a split travel through a Cloud Storage bucket (artifacts.objects, then a gsutil copy step).",
  },
  "PG-GCB-ARTIFACT-NOT-KEPT": {
    severity: "warning",
    summary:
      "An artifact no later build consumes is not uploaded: jobs of the same build read its files from the shared /workspace, nothing keeps them once the build ends, and an artifact matching no file does not fail its job.",
  },
  "PG-GCB-ARTIFACT-BUCKET": {
    severity: "warning",
    summary: "Artifacts cross a split but targets.gcp.artifactBucket is not set: a placeholder bucket name was written.",
  },
  "PG-GCB-CONDITION": {
    severity: "info",
    summary:
      "A branch or variable condition became a shell guard in each step it covers, and in the steps of the stages (jobs) that need its stage (job) through success conditions; a guard that does not hold prints `pipeglot: <stage|job|step> skipped: …` and exits 0 (Cloud Build shows the step succeeded).",
  },
  "PG-GCB-CONDITION-STATUS": {
    severity: "warning",
    summary: "Cloud Build stops at the first failed step: `failure` / `always` conditions cannot be expressed (the step runs only after success).",
  },
  "PG-GCB-RETRY": { severity: "info", summary: "Step retries became a shell retry loop." },
  "PG-GCB-JOB-RETRY": { severity: "warning", summary: "Job retries became a retry loop around each step of the job (steps are retried, not the whole job)." },
  "PG-GCB-JOB-TIMEOUT": { severity: "info", summary: "Job timeouts are not per job in Cloud Build: the build timeout is the longest chain of job timeouts." },
  "PG-GCB-TIMEOUT-CLAMPED": { severity: "warning", summary: "A timeout above Cloud Build's 24 hour maximum was clamped." },
  "PG-GCB-CONCURRENCY": { severity: "warning", summary: "Cloud Build has no run concurrency control: builds of a trigger run in parallel." },
  // compile: triggers
  "PG-GCB-BRANCH-EXCLUDE-DROPPED": {
    severity: "warning",
    summary: "A trigger takes one branch regex: excludes mixed with includes are dropped (excludes alone use invertRegex).",
  },
  "PG-GCB-TAG-EXCLUDE-DROPPED": { severity: "warning", summary: "A trigger takes one tag regex: tag excludes mixed with includes are dropped." },
  "PG-GCB-PR-EVENTS": { severity: "warning", summary: "Pull-request triggers fire on opened/updated pull requests; other event filters are dropped." },
  "PG-GCB-SCHEDULE": { severity: "warning", summary: "Schedules are not part of a trigger (Cloud Scheduler must call triggers.run); dropped." },
  "PG-GCB-MANUAL": { severity: "info", summary: "Every Cloud Build trigger can be run by hand: `manual: false` cannot be enforced." },
  "PG-GCB-NAME-SANITIZED": { severity: "info", summary: "A trigger name was changed to fit [A-Za-z0-9-]{1,64} with letters or digits at both ends." },
  // compile: variables and secrets
  "PG-GCB-VARIABLE-RENAMED": { severity: "warning", summary: "A variable name was changed to a substitution key _[A-Z0-9_]+; import gives back the new name." },
  "PG-GCB-VARIABLE-OVERRIDABLE": { severity: "info", summary: "Every substitution can be overridden when a build starts, and has no description." },
  "PG-GCB-SECRET-MISSING": {
    severity: "warning",
    summary:
      "A secret is used but has no `gcp` reference (projects/<p>/secrets/<s>/versions/<v>): `projects/$PROJECT_ID/secrets/<NAME>/versions/latest` is assumed.",
  },
  "PG-GCB-SECRET-ALIAS": {
    severity: "info",
    summary: "A secret reaches an environment variable of another name (or inside other text) through an export in the step's wrapper script.",
  },
  "PG-GCB-VARIABLE-TEXT": {
    severity: "warning",
    summary:
      "In a pwsh or python step a variable (or the branch) is pasted into the script by Cloud Build's substitution pass, so a value given when a build starts becomes code there; bash and sh steps read them from the step's env.",
  },
  "PG-GCB-ENV-RESERVED": {
    severity: "warning",
    summary:
      "A step env has the name a script reads a variable (`_X`), the branch (`PIPEGLOT_BRANCH`) or a matrix value (`PG_MATRIX_X`) from: the script sees the env value instead.",
  },
  "PG-GCB-SECRET-IN-COMMAND": { severity: "info", summary: "A secret inside a command became the shell variable $NAME (availableSecrets + secretEnv)." },
  // import
  "PG-GCB-IMPORT-SYNTAX": { severity: "error", summary: "The file is not valid YAML or JSON." },
  "PG-GCB-IMPORT-DUPLICATE-KEY": {
    severity: "error",
    summary:
      "A mapping (JSON object) holds the same key twice; the message names both positions. A reviewer may read the first value while the last one would be imported, so nothing is imported.",
  },
  "PG-GCB-IMPORT-LENIENT": {
    severity: "info",
    summary:
      "Something Cloud Build accepts beyond strict YAML 1.2 or its documented form (`waitFor: [-]`, a JSON-style list indented less than its key, a Go duration such as `30m`, the deprecated `options.workerPool`) was read as Cloud Build reads it.",
  },
  "PG-GCB-IMPORT-SHAPE": { severity: "error", summary: "The file is neither a build config (with steps) nor a build trigger." },
  "PG-GCB-IMPORT-FILENAME": { severity: "error", summary: "A trigger names a build config file that was not given." },
  "PG-GCB-IMPORT-FIELD": { severity: "info", summary: "A build field without a neutral equivalent was kept in native.gcp." },
  "PG-GCB-IMPORT-NATIVE-STEP": { severity: "info", summary: "A step that is not a shell command (a builder image with args) was kept as a native step." },
  "PG-GCB-IMPORT-STRUCTURE": { severity: "info", summary: "A build not written by pipeglot: stages and jobs were inferred from the waitFor graph." },
  "PG-GCB-IMPORT-BUILTIN-SUBST": {
    severity: "warning",
    summary: "A built-in substitution with no neutral equivalent was kept as the shell variable of the same name.",
  },
  "PG-GCB-IMPORT-UNDEFINED-SUBST": {
    severity: "warning",
    summary: "A user substitution is used but has no default: a variable with an empty default was declared.",
  },
  "PG-GCB-IMPORT-KMS-SECRET": {
    severity: "warning",
    summary: "A legacy KMS-encrypted secret: its ciphertext is not imported; the secret needs a Secret Manager reference.",
  },
  "PG-GCB-IMPORT-REGEX": { severity: "warning", summary: "A trigger regex that globs cannot say exactly was approximated." },
  "PG-GCB-IMPORT-TRIGGER-KIND": { severity: "warning", summary: "A trigger event kind (Pub/Sub, webhook, ...) with no neutral equivalent was dropped." },
  "PG-GCB-IMPORT-NO-SOURCE": {
    severity: "info",
    summary: "A build config without a trigger does not name its repository or events: placeholders and the default triggers were used.",
  },
  "PG-GCB-IMPORT-NAME": { severity: "info", summary: "A step id or trigger name was changed to fit the neutral name rules." },
  "PG-GCB-IMPORT-DYNAMIC": { severity: "warning", summary: "Bash-style dynamic substitutions (${_X:-default}, ${_X^^}) are kept as text." },
} as const satisfies Record<string, CodeInfo>;

export type GcbCode = keyof typeof CODES;
