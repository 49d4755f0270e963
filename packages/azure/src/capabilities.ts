/**
 * The capability table: one row per neutral feature (core FEATURES). Emulated and lossy rows name
 * the diagnostic code the compiler emits when a pipeline uses the feature.
 */
import type { Capability } from "@pipeglot/core";
import type { FeatureId } from "@pipeglot/core";
import type { AzureCode } from "./diagnostics.js";

type Row = Omit<Capability, "feature" | "code"> & { code?: AzureCode };

const ROWS: Record<FeatureId, Row> = {
  "pipeline.description": { support: "native", how: "BuildDefinition `description`" },
  "source.repository": { support: "native", how: "BuildDefinition `repository` (GitHub, TfsGit, Bitbucket) with `defaultBranch`" },
  "stages.sequential": { support: "native", how: "`stages` with explicit `dependsOn`" },
  "stages.parallel": { support: "native", how: "`stages[].dependsOn` lists (a full stage DAG; `[]` for roots)" },
  "jobs.parallel": { support: "native", how: "jobs of a stage run in parallel" },
  "jobs.dag": { support: "native", how: "`jobs[].dependsOn`" },
  "job.image": { support: "native", how: "container jobs (`container: <image>`) on `pool: {vmImage: ubuntu-latest}`" },
  "job.runner": { support: "lossy", how: "Microsoft-hosted agents have one size; the size is dropped", code: "PG-ADO-RUNNER-SIZE" },
  "job.env": { support: "native", how: "job `variables` (upper-case names); secret or lower-case entries go to each step's `env`" },
  "job.timeout": { support: "native", how: "job `timeoutInMinutes` (rounded up to minutes)" },
  "job.retries": { support: "lossy", how: "no automatic job retry; dropped", code: "PG-ADO-RETRY-JOB" },
  "job.matrix": { support: "native", how: "`strategy.matrix` with one cell per combination" },
  "job.environment": { support: "native", how: "deployment job (`deployment:` + `environment:` + `strategy.runOnce`) and environments/<name>.json" },
  "step.shell": {
    support: "emulated",
    how: "bash → `bash:`, pwsh → `pwsh:`, sh → `script:` (bash on Linux), python → `PythonScript@0`",
    code: "PG-ADO-SHELL-SH",
  },
  "step.workingDirectory": { support: "native", how: "step `workingDirectory`" },
  "step.env": { support: "native", how: "step `env`" },
  "step.timeout": { support: "native", how: "step `timeoutInMinutes` (rounded up to minutes)" },
  "step.continueOnError": { support: "native", how: "step `continueOnError`" },
  "step.retries": { support: "native", how: "step `retryCountOnTaskFailure`" },
  "step.native": { support: "native", how: "the `native.azure` block is the step (e.g. a `task:`)" },
  "triggers.push.branches": { support: "native", how: "`trigger.branches.include`" },
  "triggers.push.branches.exclude": { support: "native", how: "`trigger.branches.exclude`" },
  "triggers.push.tags": { support: "native", how: "`trigger.tags`" },
  "triggers.push.paths": { support: "native", how: "`trigger.paths` / `pr.paths`" },
  "triggers.pullRequest": { support: "native", how: "`pr:` (GitHub, Bitbucket; Azure Repos needs a branch policy)", code: "PG-ADO-PR-AZREPOS" },
  "triggers.pullRequest.events": { support: "lossy", how: "no event filter on `pr:`", code: "PG-ADO-PR-EVENTS" },
  "triggers.schedule": { support: "native", how: "`schedules[]` (cron in UTC, branches, always)" },
  "triggers.manualOnly": { support: "native", how: "`trigger: none` and `pr: none`" },
  concurrency: {
    support: "emulated",
    how: "queue → `lockBehavior: sequential`; supersede → `trigger.batch` + `lockBehavior: runLatest`; parallel → no lock",
    code: "PG-ADO-CONCURRENCY",
  },
  variables: { support: "native", how: "root `variables` (list form)" },
  "variables.overridable": {
    support: "emulated",
    how: "runtime `parameters` + `variables: [{name: X, value: ${{ parameters.X }}}]`",
    code: "PG-ADO-VARIABLE-OVERRIDABLE",
  },
  secrets: { support: "native", how: "`variables: [{group: G}]` for `group:G/V` references; `$(V)` in commands and env" },
  artifacts: { support: "emulated", how: "`CopyFiles@2` + `publish:`; `DownloadPipelineArtifact@2` into the sources folder", code: "PG-ADO-ARTIFACT" },
  approval: {
    support: "emulated",
    how: "agentless `ManualValidation@1` job (default) or an environment Approval check (approvalMode: environment)",
    code: "PG-ADO-APPROVAL-JOB",
  },
  "approval.approvers": { support: "native", how: "ManualValidation `approvers` / check `settings.approvers`" },
  "approval.timeout": { support: "native", how: "task `timeoutInMinutes` (≤ 30 days) / check `timeout`" },
  "approval.instructions": { support: "native", how: "ManualValidation `instructions` / check `settings.instructions`" },
  "approval.notify": { support: "native", how: "ManualValidation `notifyUsers` (dropped in environment mode)" },
  "transition.disabled": { support: "emulated", how: "`trigger: manual` on the stage; the reason is lost", code: "PG-ADO-TRANSITION" },
  "condition.status": { support: "native", how: "`succeeded()`, `failed()`, `always()`" },
  "condition.branches": {
    support: "native",
    how: "`eq`/`startsWith(variables['Build.SourceBranch'], ...)`; inner globs approximated",
    code: "PG-ADO-CONDITION-GLOB",
  },
  "condition.variables": { support: "native", how: "`eq(variables['X'], 'v')`" },
  native: { support: "native", how: "`native.azure` merged at pipeline, stage, job and step level", code: "PG-ADO-NATIVE" },
};

export const capabilities: readonly Capability[] = Object.entries(ROWS).map(([feature, r]) => ({ feature, ...r }));
