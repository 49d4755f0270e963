/**
 * Every diagnostic code @pipeglot/azure emits, in one table. The capability table (capabilities.ts)
 * and the README are built from the same entries; no code string is written anywhere else.
 */
import type { CodeInfo } from "@pipeglot/schema";

export const CODES = {
  // ---- compile ----
  "PG-ADO-NAME-SANITIZED": {
    severity: "info",
    summary: "A stage, job or step name was changed to an Azure identifier ([A-Za-z_][A-Za-z0-9_]*, `deploy` reserved); the original is kept as displayName.",
  },
  "PG-ADO-DESCRIPTION": { severity: "warning", summary: "A stage or job description has no Azure field and is not written." },
  "PG-ADO-RUNNER-SIZE": {
    severity: "warning",
    summary: "Runner sizes cannot be chosen on a Microsoft-hosted pool; the job runs on the pool's standard agent.",
  },
  "PG-ADO-RETRY-JOB": { severity: "warning", summary: "Azure has no automatic job retry (only `retryCountOnTaskFailure` per step); job retries are dropped." },
  "PG-ADO-TIMEOUT-ROUNDED": {
    severity: "warning",
    summary:
      "A timeout was rounded up to whole minutes (`timeoutInMinutes`): the step, job or approval runs longer than the definition allows (a 65 s timeout stops it after 2 minutes).",
  },
  "PG-ADO-SHELL-SH": { severity: "info", summary: "`shell: sh` is written as a `script:` step, which runs with the agent's default shell (bash on Linux)." },
  "PG-ADO-SHELL-PYTHON": { severity: "info", summary: "`shell: python` is written as a `PythonScript@0` task with an inline script." },
  "PG-ADO-JOB-ENV": {
    severity: "info",
    summary:
      "Job env entries that reference secrets (or whose names Azure would upper-case) are copied into each step's `env`, since job variables are not exported case-preserved and secrets are never exported automatically.",
  },
  "PG-ADO-SECRET-MISSING": {
    severity: "warning",
    summary: "A secret has no `azure` reference; it is referenced as `$(NAME)` and must be defined as a secret variable of the pipeline.",
  },
  "PG-ADO-SECRET-REF": { severity: "error", summary: "An `azure` secret reference is not of the form `group:<variable-group>/<variable>`." },
  "PG-ADO-PR-AZREPOS": { severity: "warning", summary: "`pr:` triggers are ignored for Azure Repos; a build-validation branch policy is needed instead." },
  "PG-ADO-PR-EVENTS": { severity: "warning", summary: "Azure PR triggers cannot filter by event (opened/updated/reopened/closed); the filter is dropped." },
  "PG-ADO-MANUAL-DISABLED": { severity: "warning", summary: "Azure pipelines can always be run by hand; `manual: false` cannot be expressed." },
  "PG-ADO-CONCURRENCY": {
    severity: "warning",
    summary:
      "`concurrency: supersede` is emulated with `trigger.batch: true` and `lockBehavior: runLatest` (the lock needs an exclusive-lock check on a resource).",
  },
  "PG-ADO-VARIABLE-OVERRIDABLE": {
    severity: "info",
    summary: "An overridable variable is written as a runtime parameter and a variable set from it (`${{ parameters.X }}`).",
  },
  "PG-ADO-VARIABLE-DESCRIPTION": {
    severity: "warning",
    summary: "The description of a variable that is not overridable has no Azure field and is not written.",
  },
  "PG-ADO-APPROVAL-JOB": {
    severity: "info",
    summary: "An approval is written as an agentless job (`pool: server`) running `ManualValidation@1` that every root job of the stage depends on.",
  },
  "PG-ADO-APPROVAL-ENVIRONMENT": {
    severity: "info",
    summary:
      "An approval is written as an Approval check on the stage's environments (checks/<name>.json); it applies to every pipeline that deploys to those environments.",
  },
  "PG-ADO-APPROVAL-NO-ENVIRONMENT": {
    severity: "warning",
    summary:
      "approvalMode `environment` needs a job with an environment in the gated stage; this stage has none, so the approval is written as a ManualValidation job.",
  },
  "PG-ADO-APPROVAL-TIMEOUT": { severity: "warning", summary: "An approval can wait at most 30 days in Azure; the timeout was shortened." },
  "PG-ADO-APPROVAL-NOTIFY": { severity: "warning", summary: "Environment approval checks notify the approvers only; the `notify` list is dropped." },
  "PG-ADO-TRANSITION": {
    severity: "warning",
    summary: "A disabled transition is written as `trigger: manual` on the stage (someone must start it); the reason is not written.",
  },
  "PG-ADO-CONDITION-GLOB": {
    severity: "warning",
    summary: "A branch glob in a condition was approximated with startsWith/endsWith (Azure expressions have no glob match).",
  },
  "PG-ADO-CONDITION-CASE": {
    severity: "warning",
    summary:
      "Azure compares strings in conditions ignoring case and has no case-sensitive comparison: a branch or variable condition also holds for a value that differs only in case (a run on MAIN matches main).",
  },
  "PG-ADO-ARTIFACT": {
    severity: "info",
    summary:
      "Artifacts are emulated: produced files are copied with `CopyFiles@2` and published with `publish:`, consumers download them into the sources folder with `DownloadPipelineArtifact@2`.",
  },
  "PG-ADO-MATRIX-DEPLOYMENT": {
    severity: "warning",
    summary: "Deployment jobs cannot have a matrix; the job is written as a regular matrix job and its environment is dropped.",
  },
  "PG-ADO-MATRIX-IMAGE": {
    severity: "info",
    summary: "An image that depends on the matrix is written as a matrix variable `pipeglot_image` used by `container: $[ variables['pipeglot_image'] ]`.",
  },
  "PG-ADO-REPO-UNSUPPORTED": { severity: "error", summary: "Azure YAML pipelines cannot build from this repository provider (GitLab, CodeCommit)." },
  "PG-ADO-LITERAL-ESCAPED": {
    severity: "info",
    summary:
      "A command holds text Azure would expand (`$(name)` macros, `${{ }}`, a whole-value `$[ ]`); it is written split into quoted pieces run with eval so that Azure leaves it alone.",
  },
  "PG-ADO-VARIABLE-TEXT": {
    severity: "warning",
    summary:
      "A python script keeps `$(name)` macros for variables, secrets, matrix values and the branch: Azure pastes the values into the code, so a value set when the run is queued becomes code there; bash, sh and pwsh scripts read them from the step's env.",
  },
  "PG-ADO-BRANCH-NAME": {
    severity: "warning",
    summary:
      "`${{ git.branch }}` in an env value, a path, a variable or a python script is the macro `$(Build.SourceBranchName)`: only the last segment of the branch (on release/1.2: 1.2). bash, sh and pwsh scripts get the whole branch (`$(Build.SourceBranch)` without refs/heads/).",
  },
  "PG-ADO-ENV-RESERVED": {
    severity: "warning",
    summary:
      "A step env has the name its script reads a variable, secret, matrix value or the branch (`PIPEGLOT_BRANCH`) from: the script sees the env value instead.",
  },
  "PG-ADO-LITERAL-UNESCAPABLE": {
    severity: "warning",
    summary:
      "An env value or path holds text shaped like an Azure macro `$(name)`; Azure has no escape for macros and will expand it if a variable of that name exists.",
  },
  "PG-ADO-NATIVE": { severity: "info", summary: "A `native.azure` fragment was merged into the output as written (not checked)." },
  "PG-ADO-FILTER-GLOB": {
    severity: "error",
    summary:
      "A trigger filter pattern Azure cannot express: its filters have no `[...]` character classes, no `~ ^ : \\` or spaces, and no leading, trailing or double `/`.",
  },
  "PG-ADO-STEP-WORKDIR": {
    severity: "warning",
    summary:
      "A step's workingDirectory on a native step that has no such key: a task gets it as its input `workingDirectory` (ignored by a task that names it differently), other kinds (checkout, download, ...) drop it.",
  },
  "PG-ADO-NOT-TRANSLATED": {
    severity: "warning",
    summary:
      "A step with only another provider's `native` (or a job with no steps) has nothing Azure can run: a bash step that fails with a message saying so is written (Azure rejects a step of no kind).",
  },
  // ---- import ----
  "PG-ADO-IMPORT-YAML": { severity: "error", summary: "The Azure Pipelines YAML does not parse." },
  "PG-ADO-IMPORT-DUPLICATE-KEY": {
    severity: "error",
    summary:
      "A mapping holds the same key twice (in the pipeline YAML, a template, or a definition JSON); the message names both positions. A reviewer may read the first value while the last one would be imported, so nothing is imported.",
  },
  "PG-ADO-IMPORT-NO-PIPELINE": {
    severity: "error",
    summary: "No Azure Pipelines YAML document was found among the files, or it has no stages, jobs or steps.",
  },
  "PG-ADO-IMPORT-TEMPLATE-MISSING": {
    severity: "warning",
    summary: "A `template:` file could not be read; its reference is kept (see PG-ADO-IMPORT-TEMPLATE-UNREAD).",
  },
  "PG-ADO-IMPORT-TEMPLATE-REMOTE": {
    severity: "warning",
    summary: "A template in another repository (`file@alias`) has no templateRoots entry; its reference is kept (see PG-ADO-IMPORT-TEMPLATE-UNREAD).",
  },
  "PG-ADO-IMPORT-TEMPLATE-UNREAD": {
    severity: "warning",
    summary:
      "A template that could not be read is kept as its reference: a native.azure step, a job or stage whose native.azure is the reference (a compile to Azure writes `- template:` back in its place; other providers get a placeholder step that fails the run), or native.azure `extends`/`variables`.",
  },
  "PG-ADO-IMPORT-TEMPLATE-DEPTH": { severity: "error", summary: "Templates nest more than 50 levels deep (a template that includes itself?)." },
  "PG-ADO-IMPORT-TEMPLATE-BUDGET": {
    severity: "error",
    summary:
      "Template expansion crossed a budget (100,000 values inserted by `${{ }}` directives and templates, directives nested 100 deep, 1,000,000 values produced, or 16 MiB of strings and keys produced) and was stopped at the directive or template that crossed it; the file is not imported.",
  },
  "PG-ADO-IMPORT-EXPRESSION": {
    severity: "warning",
    summary: "A template expression `${{ }}` could not be evaluated (unknown function, syntax, or runtime-only data); it is left as text.",
  },
  "PG-ADO-IMPORT-TASK-NATIVE": { severity: "warning", summary: "A task with no neutral equivalent is kept as a step-level `native.azure` block." },
  "PG-ADO-IMPORT-STEP-NATIVE": {
    severity: "warning",
    summary:
      "A step kind with no neutral equivalent (checkout of another repository, getPackage, restore/save cache, ...) is kept as a step-level `native.azure` block.",
  },
  "PG-ADO-IMPORT-MACRO": {
    severity: "info",
    summary: "Runtime syntax (`$(name)` of an undeclared variable, `$[ ]`) is kept as literal text; other providers will not expand it.",
  },
  "PG-ADO-IMPORT-CONDITION": {
    severity: "warning",
    summary: "A condition has no neutral form (status/branches/variables); it is kept as `native.azure.condition`.",
  },
  "PG-ADO-IMPORT-NATIVE-KEY": {
    severity: "info",
    summary: "Settings with no neutral equivalent (pool, resources, workspace, ...) are kept as `native.azure` so that a recompile writes them back.",
  },
  "PG-ADO-IMPORT-LOSSY": { severity: "warning", summary: "Something with no neutral equivalent and no native home was dropped (the message says what)." },
  "PG-ADO-IMPORT-MATRIX": {
    severity: "warning",
    summary: "A matrix whose cells are not every combination of their values was imported as one axis over the cell names; the cell values are lost.",
  },
  "PG-ADO-IMPORT-NAME": {
    severity: "info",
    summary: "A name was changed to fit the neutral format (letters, digits, '.', '_', '-'; variables: letters, digits, '_'); references to it follow.",
  },
  "PG-ADO-IMPORT-DEPENDENCY": {
    severity: "warning",
    summary:
      "A `dependsOn` names a stage or job that is not in the file: it is pointed at the unread template stages/jobs beside it (the Azure `dependsOn` kept as native.azure), or dropped when there are none.",
  },
  "PG-ADO-IMPORT-ARTIFACT": {
    severity: "warning",
    summary:
      "An artifact download or publish the neutral artifact flow cannot hold (named at run time, published by two jobs, or downloaded with no publisher running before it in this file) is kept as the native.azure step it was.",
  },
} as const satisfies Record<string, CodeInfo>;

export type AzureCode = keyof typeof CODES;
