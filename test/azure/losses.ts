/**
 * What a round trip through Azure Pipelines loses, as data (../runner/roundtrip.ts checks it both
 * ways: an unlisted difference fails, and so does a listed one that round-trips now). `becomes` is
 * what import gives instead, written by hand (a 90 s step timeout comes back as 120 s).
 */
import { commonLosses, type Loss } from "../runner/roundtrip.js";

export const LOSSES: readonly Loss[] = [
  ...commonLosses("azure"),
  { case: "*", pointer: "/targets/azure/organization", why: "only project, folder, pool, yamlPath and approvalMode are in the Azure files" },
  {
    case: "example:node-webapp",
    pointer: "/source/provider",
    why: "github is the default repository type, not told apart from an unset provider",
    becomes: undefined,
  },
  {
    case: "source.repository",
    pointer: "/source/provider",
    why: "github is the default repository type, not told apart from an unset provider",
    becomes: undefined,
  },
  { case: "job.retries", pointer: "/stages/0/jobs/0/retries", why: "PG-ADO-RETRY-JOB: jobs do not retry", becomes: 0 },
  { case: "job.runner", pointer: "/stages/0/jobs/0/runner", why: "PG-ADO-RUNNER-SIZE: hosted agents have one size", becomes: "small" },
  { case: "example:container-image", pointer: "/stages/0/jobs/0/runner", why: "PG-ADO-RUNNER-SIZE: hosted agents have one size", becomes: "small" },
  { case: "example:java-maven", pointer: "/stages/*/jobs/0/runner", why: "PG-ADO-RUNNER-SIZE: hosted agents have one size", becomes: "small" },
  { case: "step.shell", pointer: "/stages/0/jobs/0/steps/0/shell", why: "PG-ADO-SHELL-SH: sh becomes bash", becomes: "bash" },
  { case: "step.timeout", pointer: "/stages/0/jobs/0/steps/0/timeoutSeconds", why: "PG-ADO-TIMEOUT-ROUNDED: 90s is rounded up to 2 minutes", becomes: 120 },
  { case: "example:release", pointer: "/stages/2/transition/reason", why: "PG-ADO-TRANSITION: the reason of a disabled transition", becomes: undefined },
  { case: "transition.disabled", pointer: "/stages/1/transition/reason", why: "PG-ADO-TRANSITION: the reason of a disabled transition", becomes: undefined },
  {
    case: "triggers.pullRequest.events",
    pointer: "/triggers/pullRequest/events",
    why: "PG-ADO-PR-EVENTS: pr triggers fire on opened, updated and reopened",
    becomes: ["opened", "updated", "reopened"],
  },
  // PG-ADO-JOB-ENV: job env entries that reference secrets move into each step's env.
  { case: "secrets", pointer: "/stages/0/jobs/0/env/API_TOKEN", why: "PG-ADO-JOB-ENV", becomes: undefined },
  { case: "secrets", pointer: "/stages/0/jobs/0/steps/0/env/API_TOKEN", why: "PG-ADO-JOB-ENV", becomes: "${{ secrets.API_TOKEN }}" },
  { case: "example:node-webapp", pointer: "/stages/0/jobs/0/env/NPM_TOKEN", why: "PG-ADO-JOB-ENV", becomes: undefined },
  { case: "example:node-webapp", pointer: "/stages/0/jobs/0/steps/*/env/NPM_TOKEN", why: "PG-ADO-JOB-ENV", becomes: "${{ secrets.NPM_TOKEN }}" },
  // Variant approvalMode environment: the mode is read back from the environment check it writes.
  {
    case: "*@environment",
    pointer: "/targets/azure",
    why: "approvalMode is only seen in an environment check, written for an approval before jobs that have an environment",
  },
  {
    case: "example:node-webapp@environment",
    pointer: "/stages/2/approval/notify",
    why: "PG-ADO-APPROVAL-NOTIFY: an environment check notifies its approvers",
    becomes: [],
  },
  // Variant pairs (<feature>--<variant>): the lossy corners the compiler warns about.
  { case: "approval.timeout--long", pointer: "/stages/1/approval/timeoutSeconds", why: "PG-ADO-APPROVAL-TIMEOUT: at most 30 days", becomes: 2592000 },
  {
    case: "approval.timeout--rounded",
    pointer: "/stages/1/approval/timeoutSeconds",
    why: "PG-ADO-TIMEOUT-ROUNDED: 90s is rounded up to 2 minutes",
    becomes: 120,
  },
  { case: "job.timeout--rounded", pointer: "/stages/0/jobs/0/timeoutSeconds", why: "PG-ADO-TIMEOUT-ROUNDED: 90s is rounded up to 2 minutes", becomes: 120 },
  {
    case: "condition.branches--glob",
    pointer: "/stages/0/jobs/0/steps/1/condition/branches/0",
    why: "PG-ADO-CONDITION-GLOB: release/** is approximated with startsWith and read back as release/*",
    becomes: "release/*",
  },
  { case: "job.env--mixed", pointer: "/stages/0/jobs/0/env/AUTH", why: "PG-ADO-JOB-ENV: an entry with a secret moves to each step", becomes: undefined },
  {
    case: "job.env--mixed",
    pointer: "/stages/0/jobs/0/steps/0/env/AUTH",
    why: "PG-ADO-JOB-ENV: an entry with a secret moves to each step",
    becomes: "Bearer ${{ secrets.TOKEN }}",
  },
  {
    case: "job.matrix--deployment",
    pointer: "/stages/0/jobs/0/environment",
    why: "PG-ADO-MATRIX-DEPLOYMENT: a matrix job cannot be a deployment job",
    becomes: undefined,
  },
  { case: "pipeline.description--everywhere", pointer: "/stages/0/description", why: "PG-ADO-DESCRIPTION", becomes: undefined },
  { case: "pipeline.description--everywhere", pointer: "/stages/0/jobs/0/description", why: "PG-ADO-DESCRIPTION", becomes: undefined },
  {
    case: "pipeline.description--everywhere",
    pointer: "/variables/LEVEL/description",
    why: "PG-ADO-VARIABLE-DESCRIPTION: only overridable variables (parameters) keep one",
    becomes: undefined,
  },
  {
    case: "secrets--partial-refs",
    pointer: "/secrets/SECOND",
    why: "PG-ADO-SECRET-MISSING: a secret without an azure reference is a pipeline secret variable",
    becomes: undefined,
  },
  {
    case: "secrets--partial-refs",
    pointer: "/stages/0/jobs/0/env/FIRST",
    why: "PG-ADO-JOB-ENV: an entry with a secret moves to each step",
    becomes: undefined,
  },
  {
    case: "secrets--partial-refs",
    pointer: "/stages/0/jobs/0/steps/0/env/FIRST",
    why: "PG-ADO-JOB-ENV: an entry with a secret moves to each step",
    becomes: "${{ secrets.FIRST }}",
  },
  {
    case: "secrets--partial-refs",
    pointer: "/stages/0/jobs/0/steps/0/env/SECOND",
    why: "PG-ADO-SECRET-MISSING: the secret is passed as the macro $(SECOND)",
    becomes: "$(SECOND)",
  },
  {
    case: "secrets--partial-refs",
    pointer: "/stages/0/jobs/0/steps/0/run",
    why: "PG-ADO-SECRET-MISSING: the command reads it as a shell variable",
    becomes: "make publish TOKEN=${SECOND}",
  },
  { case: "source.repository--gitlab", pointer: "/source/provider", why: "PG-ADO-REPO-UNSUPPORTED: Azure cannot build from GitLab", becomes: undefined },
  {
    case: "step.env--reserved",
    pointer: "/stages/0/jobs/0/steps/0/run",
    why: "PG-ADO-ENV-RESERVED: the step env shadows what the script reads; import reads the script's own names",
    becomes: "make test LEVEL=${LEVEL} BRANCH=${PIPEGLOT_BRANCH#refs/heads/}",
  },
  {
    case: "step.native--other-provider",
    pointer: "/stages/0/jobs/0/steps/1/native",
    why: "PG-ADO-NOT-TRANSLATED: another provider's native step",
    becomes: undefined,
  },
  {
    case: "step.native--other-provider",
    pointer: "/stages/0/jobs/0/steps/1/run",
    why: "PG-ADO-NOT-TRANSLATED: it becomes a step that fails with a message",
    becomes:
      "echo 'pipeglot: step runtimes is native.gcp only, it has no Azure Pipelines translation; translate it by hand (see PG-ADO-NOT-TRANSLATED)' >&2\nexit 1",
  },
  { case: "transition.disabled--reason", pointer: "/stages/*/transition/reason", why: "PG-ADO-TRANSITION: the reason of a transition", becomes: undefined },
  {
    case: "triggers.pullRequest--azure-repos",
    pointer: "/triggers/pullRequest/events",
    why: "PG-ADO-PR-EVENTS: pr triggers fire on opened, updated and reopened",
    becomes: ["opened", "updated", "reopened"],
  },
  {
    case: "triggers.pullRequest--bitbucket",
    pointer: "/triggers/pullRequest/events",
    why: "PG-ADO-PR-EVENTS: pr triggers fire on opened, updated and reopened",
    becomes: ["opened", "updated", "reopened"],
  },
  {
    case: "triggers.push.branches--not-manual",
    pointer: "/triggers/manual",
    why: "PG-ADO-MANUAL-DISABLED: a pipeline can always be run by hand",
    becomes: true,
  },
  {
    case: "triggers.push.branches--odd-glob",
    pointer: "/triggers/push/branches/include",
    why: "PG-ADO-FILTER-GLOB: a character class cannot be written; the filter is left out",
    becomes: [],
  },
  {
    case: "triggers.push.branches--odd-glob",
    pointer: "/triggers/push/branches/exclude",
    why: "PG-ADO-FILTER-GLOB: with no branch left, nothing triggers (exclude *)",
    becomes: ["*"],
  },
];
