/**
 * What a round trip through Cloud Build loses, as data (../runner/roundtrip.ts checks it both
 * ways: an unlisted difference fails, and so does a listed one that round-trips now). `becomes` is
 * what import gives instead, written by hand (a matrix job comes back as one job per cell).
 */
import { commonLosses, type Loss } from "../runner/roundtrip.js";

export const LOSSES: readonly Loss[] = [
  ...commonLosses("gcp"),
  { case: "*", pointer: "/targets/gcp", why: "targets.gcp.project is not in the Cloud Build files (region and artifactBucket are)" },
  { case: "*", pointer: "/concurrency", why: "PG-GCB-CONCURRENCY: builds of a trigger run in parallel", becomes: "parallel" },
  { case: "*", pointer: "/source/provider", why: "a GitHub trigger comes back as provider github", becomes: "github" },
  { case: "*", pointer: "/variables/*/overridable", why: "PG-GCB-VARIABLE-OVERRIDABLE: every substitution can be set at run time", becomes: true },
  { case: "*", pointer: "/variables/*/description", why: "substitutions have no description", becomes: undefined },
  { case: "*", pointer: "/stages/*/jobs/*/timeoutSeconds", why: "PG-GCB-JOB-TIMEOUT: job timeouts fold into the build timeout", becomes: undefined },
  { case: "*", pointer: "/stages/*/jobs/*/produces", why: "artifacts: /workspace is shared inside a build; names and paths are not kept", becomes: [] },
  { case: "*", pointer: "/stages/*/jobs/*/consumes", why: "artifacts: /workspace is shared inside a build; names and paths are not kept", becomes: [] },
  { case: "*", pointer: "/stages/*/jobs/*/environment", why: "PG-GCB-ENVIRONMENT: deployment environments are dropped", becomes: undefined },
  {
    case: "example:java-maven",
    pointer: "/stages/0/jobs/0/runner",
    why: "PG-GCB-RUNNER: one machine type per build, the largest its jobs ask for",
    becomes: "large",
  },
  {
    case: "example:java-maven",
    pointer: "/stages/2/jobs/0/runner",
    why: "PG-GCB-RUNNER: one machine type per build, the largest its jobs ask for",
    becomes: "large",
  },
  { case: "approval.approvers", pointer: "/stages/1/approval/approvers", why: "PG-GCB-APPROVERS", becomes: [] },
  { case: "approval.notify", pointer: "/stages/1/approval/notify", why: "PG-GCB-APPROVAL-NOTIFY", becomes: [] },
  { case: "approval.timeout", pointer: "/stages/1/approval/timeoutSeconds", why: "PG-GCB-APPROVAL-TIMEOUT", becomes: undefined },
  { case: "example:node-webapp", pointer: "/stages/2/approval/approvers", why: "PG-GCB-APPROVERS", becomes: [] },
  { case: "example:node-webapp", pointer: "/stages/2/approval/notify", why: "PG-GCB-APPROVAL-NOTIFY", becomes: [] },
  { case: "example:node-webapp", pointer: "/stages/2/approval/timeoutSeconds", why: "PG-GCB-APPROVAL-TIMEOUT", becomes: undefined },
  {
    case: "triggers.pullRequest.events",
    pointer: "/triggers/pullRequest/events",
    why: "PG-GCB-PR-EVENTS: pull-request triggers fire on every event",
    becomes: ["opened", "updated", "reopened"],
  },
  { case: "triggers.push.branches.exclude", pointer: "/triggers/push/branches/exclude", why: "PG-GCB-BRANCH-EXCLUDE-DROPPED", becomes: [] },
  { case: "triggers.schedule", pointer: "/triggers/schedules", why: "PG-GCB-SCHEDULE: schedules are not written", becomes: [] },
  { case: "example:container-image", pointer: "/triggers/schedules", why: "PG-GCB-SCHEDULE: schedules are not written", becomes: [] },
  // Env is written on each step; import lifts what every step of a job shares to the job.
  { case: "step.env", pointer: "/stages/0/jobs/0/env", why: "env shared by every step comes back on the job", becomes: { CI: "true" } },
  { case: "step.env", pointer: "/stages/0/jobs/0/steps/0/env/CI", why: "env shared by every step comes back on the job", becomes: undefined },
  {
    case: "example:node-webapp",
    pointer: "/stages/2/jobs/0/env",
    why: "env shared by every step comes back on the job",
    becomes: { DEPLOY_KEY: "${{ secrets.DEPLOY_KEY }}" },
  },
  {
    case: "example:node-webapp",
    pointer: "/stages/2/jobs/0/steps/0/env/DEPLOY_KEY",
    why: "env shared by every step comes back on the job",
    becomes: undefined,
  },
  {
    case: "example:java-maven",
    pointer: "/stages/2/jobs/0/env",
    why: "env shared by every step comes back on the job",
    becomes: { MAVEN_REPO_PASSWORD: "${{ secrets.MAVEN_REPO_PASSWORD }}" },
  },
  {
    case: "example:java-maven",
    pointer: "/stages/2/jobs/0/steps/0/env/MAVEN_REPO_PASSWORD",
    why: "env shared by every step comes back on the job",
    becomes: undefined,
  },
  {
    case: "example:release",
    pointer: "/stages/1/jobs/0/env",
    why: "env shared by every step comes back on the job",
    becomes: { SIGNING_KEY: "${{ secrets.SIGNING_KEY }}" },
  },
  { case: "example:release", pointer: "/stages/1/jobs/0/steps/0/env/SIGNING_KEY", why: "env shared by every step comes back on the job", becomes: undefined },
  {
    case: "example:python-library",
    pointer: "/stages/2/jobs/0/env",
    why: "env shared by every step comes back on the job",
    becomes: { TWINE_USERNAME: "__token__", TWINE_PASSWORD: "${{ secrets.PYPI_TOKEN }}" },
  },
  { case: "example:python-library", pointer: "/stages/2/jobs/0/steps/0/env", why: "env shared by every step comes back on the job", becomes: {} },
  // PG-GCB-MATRIX: a matrix job comes back as one job per combination, the values substituted.
  {
    case: "job.matrix",
    pointer: "/stages/0/jobs",
    why: "PG-GCB-MATRIX",
    becomes: [
      { id: "build.test-18", name: "test-18", image: "node:20", steps: [{ run: "make test NODE=18" }] },
      { id: "build.test-20", name: "test-20", image: "node:20", steps: [{ run: "make test NODE=20" }] },
    ],
  },
  {
    case: "example:python-library",
    pointer: "/stages/0/jobs",
    why: "PG-GCB-MATRIX",
    becomes: ["3.10", "3.11", "3.12", "3.13"].map((v) => ({
      name: `pytest-${v.replace(".", "-")}`,
      image: `python:${v}-slim`,
      steps: [{ run: 'pip install -e ".[test]"' }, { run: "pytest -q" }],
    })),
  },
  // Variant pairs (<feature>--<variant>): the lossy corners the compiler warns about.
  { case: "approval.timeout--long", pointer: "/stages/1/approval/timeoutSeconds", why: "PG-GCB-APPROVAL-TIMEOUT", becomes: undefined },
  { case: "approval.timeout--rounded", pointer: "/stages/1/approval/timeoutSeconds", why: "PG-GCB-APPROVAL-TIMEOUT", becomes: undefined },
  {
    case: "job.env--mixed",
    pointer: "/stages/0/jobs",
    why: "PG-GCB-MATRIX: one job per cell, the matrix value substituted in env",
    becomes: [
      { name: "test-18", env: { AUTH: "Bearer ${{ secrets.TOKEN }}", NODE: "18" } },
      { name: "test-20", env: { AUTH: "Bearer ${{ secrets.TOKEN }}", NODE: "20" } },
    ],
  },
  {
    case: "job.matrix--deployment",
    pointer: "/stages/0/jobs",
    why: "PG-GCB-MATRIX (one job per cell) and PG-GCB-ENVIRONMENT (dropped)",
    becomes: [
      { name: "test-eu", steps: [{ run: "make deploy REGION=eu" }] },
      { name: "test-us", steps: [{ run: "make deploy REGION=us" }] },
    ],
  },
  { case: "jobs.dag--separator", pointer: "/stages/0", why: "PG-GCB-ID-SEPARATOR: __ in names is read as the id separator", becomes: { name: "build" } },
  { case: "native--invalid", pointer: "/stages/0/jobs/0/native", why: "PG-GCB-NATIVE-INVALID: the fragment is left out", becomes: undefined },
  { case: "pipeline.description--everywhere", pointer: "/stages/0/description", why: "PG-GCB-DESCRIPTION", becomes: undefined },
  { case: "pipeline.description--everywhere", pointer: "/stages/0/jobs/0/description", why: "PG-GCB-DESCRIPTION", becomes: undefined },
  {
    case: "secrets--partial-refs",
    pointer: "/secrets/FIRST/gcp",
    why: "a secret without a gcp reference gets the assumed one",
    becomes: "projects/$PROJECT_ID/secrets/FIRST/versions/latest",
  },
  {
    case: "secrets--partial-refs",
    pointer: "/stages/0/jobs/0/env/SECOND",
    why: "PG-GCB-SECRET-IN-COMMAND: a secret in a command is passed as env",
    becomes: "${{ secrets.SECOND }}",
  },
  {
    case: "secrets--partial-refs",
    pointer: "/stages/0/jobs/0/steps/0/run",
    why: "PG-GCB-SECRET-IN-COMMAND: it became the shell variable $SECOND",
    becomes: "make publish TOKEN=${SECOND}",
  },
  {
    case: "step.env--reserved",
    pointer: "/stages/0/jobs/0/env",
    why: "env shared by every step comes back on the job",
    becomes: { LEVEL: "fake", PIPEGLOT_BRANCH: "fake", _LEVEL: "fake" },
  },
  { case: "step.env--reserved", pointer: "/stages/0/jobs/0/steps/0/env", why: "env shared by every step comes back on the job", becomes: {} },
  {
    case: "step.env--reserved",
    pointer: "/stages/0/jobs/0/steps/0/run",
    why: "PG-GCB-ENV-RESERVED: the step env shadows what the script reads; import reads the script's own names",
    becomes: "make test LEVEL=${_LEVEL} BRANCH=${PIPEGLOT_BRANCH}",
  },
  {
    case: "step.native--other-provider",
    pointer: "/stages/0/jobs/0/steps/1/native",
    why: "PG-GCB-NOT-TRANSLATED: another provider's native step",
    becomes: undefined,
  },
  { case: "step.native--other-provider", pointer: "/stages/0/jobs/0/steps/1/run", why: "PG-GCB-NOT-TRANSLATED: it becomes a step that fails with a message" },
  { case: "triggers.pullRequest--azure-repos", pointer: "/triggers/pullRequest/events", why: "PG-GCB-PR-EVENTS", becomes: ["opened", "updated", "reopened"] },
  { case: "triggers.pullRequest--bitbucket", pointer: "/triggers/pullRequest/events", why: "PG-GCB-PR-EVENTS", becomes: ["opened", "updated", "reopened"] },
  { case: "triggers.push.tags--excludes", pointer: "/triggers/push/tags/exclude", why: "PG-GCB-TAG-EXCLUDE-DROPPED", becomes: [] },
  {
    case: "variables--macro-text",
    pointer: "/variables",
    why: "PG-GCB-VARIABLE-RENAMED: lower_name becomes the substitution _LOWER_NAME, read back as LOWER_NAME",
    becomes: { LOWER_NAME: { default: "x", overridable: true } },
  },
  {
    case: "variables--macro-text",
    pointer: "/stages/0/jobs/0/steps/0/run",
    why: "PG-GCB-VARIABLE-RENAMED",
    becomes: "echo '$(Build.BuildId)' $${{ not.an.expression }} ${{ vars.LOWER_NAME }}",
  },
  {
    case: "transition.disabled--reason",
    pointer: "/stages/1/transition/reason",
    why: "the reason of an enabled transition has no Cloud Build field",
    becomes: undefined,
  },
];
